"""docs/connect.md, "Connect your pipeline": the plain-Python snippet runs against the fake LinkedIn, every
field name in the four tabs links to its source, and the field names are the ones the code reads and writes."""

import re
import subprocess
import sys

from checks.credentials import tool_configs as tc
from checks.credentials.inputs import DEFAULT_API_VERSION
from tests.support import ROOT
from tests.support.fake_linkedin import ACCOUNTS
from tests.support.verify_cli import fragments, verify_env

PAGE = (ROOT / "docs" / "connect.md").read_text(encoding="utf-8")
OAUTH, API = "https://www.linkedin.com/oauth/v2", "https://api.linkedin.com/rest"
TABS = ["OWOX Data Marts", "Airbyte", "Singer / Meltano", "Plain Python"]


def tabs() -> dict[str, str]:
    """Each content tab's title and its (dedented) text."""
    parts = re.split(r'^=== "([^"]+)"\n', PAGE, flags=re.M)
    found = {}
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        body = body.split("\n## ", 1)[0]
        found[title] = "\n".join(line[4:] for line in body.splitlines())
    return found


def snippet() -> str:
    match = re.search(r'```python title="linkedin_ads\.py"\n(.*?)\n```', tabs()["Plain Python"], re.S)
    assert match, "the plain-Python tab has its linkedin_ads.py block"
    return match.group(1) + "\n"


def test_four_tabs_owox_first():
    assert list(tabs()) == TABS


def test_the_python_snippet_runs_against_the_fake_linkedin(server, tmp_path):
    code = snippet()
    assert len(code.splitlines()) <= 22, "about 15 lines"
    assert code.count(OAUTH) == 1 and code.count(API) == 1, "the snippet calls LinkedIn's real endpoints"
    assert f'"LinkedIn-Version": "{DEFAULT_API_VERSION}"' in code, "the snippet pins the version the verifier uses"
    script = tmp_path / "linkedin_ads.py"
    script.write_text(code.replace(OAUTH, server.env["LINKEDIN_OAUTH_URL"]).replace(API, server.env["LINKEDIN_API_URL"]))
    proc = subprocess.run([sys.executable, str(script)], env=verify_env(server), capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [f"{a['account']} {a['role']}" for a in ACCOUNTS] + ["Refresh token days left: 300"]
    [call] = [r for r in server.fake.requests if r[0] == "adAccountUsers"]
    assert call[3]["LinkedIn-Version"] == DEFAULT_API_VERSION
    for piece in fragments(*server.credentials().values()):
        assert piece not in proc.stdout + proc.stderr


def test_every_field_name_in_the_tabs_links_to_its_source():
    defined = dict(re.findall(r"^\[([\w-]+)\]: (\S+)$", PAGE, re.M))
    for title, text in tabs().items():
        rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith(("| ---", "| Field", "| Key", "| Name"))]
        assert len(rows) >= 4, title
        for row in rows:
            first = row.split(" | ")[0]
            link = re.fullmatch(r"\| \[\**`?[^\]`*]+`?\**\]\[([\w-]+)\]", first)
            assert link, f"{title}: {first!r} is not a link"
            assert link.group(1) in defined, f"{title}: [{link.group(1)}] has no target"
    for name, url in defined.items():
        assert url.startswith("https://"), name
        if url.startswith("https://github.com/"):  # sources are cited at a fixed commit
            assert re.match(r"https://github\.com/[\w.-]+/[\w.-]+/blob/[0-9a-f]{40}/", url), name


def test_the_page_names_the_keys_the_code_reads_and_writes():
    found = tabs()
    for tool, tab in (("airbyte", "Airbyte"), ("singer", "Singer / Meltano")):
        for key in [*tc.KEYS[tool].values(), tc.ACCOUNT_KEYS[tool], "start_date"]:
            assert f"[`{key}`]" in found[tab], f"{tab}: {key}"
    assert "[`user_agent`]" in found["Singer / Meltano"]
    for label, _ in tc.OWOX_FIELDS:
        assert f"[**{label}**]" in found["OWOX Data Marts"]
    assert "[**Account URNs**]" in found["OWOX Data Marts"]
    for tab in TABS:
        assert "**Account form:**" in found[tab] and "**Near 365 days:**" in found[tab], tab


def test_the_guide_ends_by_sending_readers_here():
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    assert "(connect.md)" in guide.split("## Step 6")[1]
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - Get a refresh token: guide.md\n  - Connect your pipeline: connect.md\n" in nav
