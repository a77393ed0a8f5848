"""README.md is PyPI's project page too (long_description): its two commands come first, every
link is absolute (relative ones break on PyPI), and the user's path it shows exists."""

from __future__ import annotations

import re

import yaml

from tests.support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def code_blocks() -> list[tuple[str, str]]:
    return re.findall(r"```(\w*)\n(.*?)```", README, re.S)


def test_the_two_commands_come_first():
    assert [body.strip() for _, body in code_blocks()[:2]] == ["make serve", "make test"]


def test_every_link_is_absolute():
    links = re.findall(r"!?\[[^\]]*\]\(([^)\s]+)", README) + re.findall(r"^\[[^\]]+\]:\s*(\S+)", README, re.M)
    assert links, "README links to the guide"
    assert [link for link in links if not link.startswith("https://")] == []


def test_the_users_path_installs_the_published_package_and_uses_the_action():
    shell = "\n".join(body for lang, body in code_blocks() if lang == "bash")
    assert "pipx install linkedin-ads-token-checks" in shell and "pip install linkedin-ads-token-checks" in shell
    snippet = next(body for lang, body in code_blocks() if lang == "yaml")
    step = yaml.safe_load(snippet)[0]
    assert step["uses"].endswith("@v1")
    assert set(step["with"]) <= set(ACTION["inputs"])
