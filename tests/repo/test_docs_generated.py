"""The parts of docs/ written from the code (`--help` texts, exit-code tables) are current, and
their cog markers stay invisible on the site."""

import os
import re
import subprocess
import sys

import pytest
import yaml

from tests.support import ROOT
from tests.support.docs_from_code import DOCS_PYTHON
from tests.support.optional import installed

MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
GENERATED = sorted(p for p in (ROOT / "docs").rglob("*.md") if "[[[cog" in p.read_text(encoding="utf-8"))


def test_make_docs_regenerates_every_page_with_a_cog_block():
    listed = re.search(r"^DOCS_FROM_CODE := (.+)$", MAKEFILE, re.M).group(1).split()
    assert sorted(listed) == [p.relative_to(ROOT).as_posix() for p in GENERATED]


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: p.name)
def test_cog_markers_are_html_comments(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if "[[[cog" in line:
            assert line.startswith("<!-- [[[cog"), line
        if "]]]" in line and "[[[cog" not in line:
            assert line.rstrip().endswith("-->"), f"{path.name}: {line!r} would show on the site"


@pytest.mark.skipif(not installed("cogapp"), reason="cogapp is not installed (pip install -e '.[test]')")
@pytest.mark.skipif(sys.version_info[:2] != DOCS_PYTHON, reason=f"help texts are generated with Python {DOCS_PYTHON}")
def test_generated_docs_match_the_code():
    # Whatever the maintainer's shell holds, `make docs` writes the same pages.
    shell = {**os.environ, "LINKEDIN_CHECKS_DOCS_URL": "http://127.0.0.1:8000/", "LINKEDIN_API_VERSION": "202601",
             "LINKEDIN_FRESH_TOKEN_GRACE": "abc", "LINKEDIN_CLIENT_SECRET": "from-the-shell", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "cogapp", "--check", *map(str, GENERATED)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env=shell)
    assert proc.returncode == 0, f"docs are stale: run `make docs`\n{proc.stdout}{proc.stderr}"


def test_docs_are_generated_with_the_python_ci_uses():
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    versions = [step["with"]["python-version"] for job in ci["jobs"].values() for step in job["steps"]
                if "setup-python" in step.get("uses", "")]
    assert versions == [".".join(map(str, DOCS_PYTHON))]


def test_exit_code_tables_cover_every_exit_code():
    from checks.errors import ExitCode

    for name in ("verify.md", "maintainers.md"):
        page = (ROOT / "docs" / name).read_text(encoding="utf-8")
        for code in ExitCode:
            assert f"| {int(code)} | {code.meaning[0].upper()}" in page, f"{name}: exit code {int(code)}"
