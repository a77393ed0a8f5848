"""The developer loop: `make check` installs nothing and skips the browser, `make test` installs
only when what it installs from changed, and every command turns its errors into one line."""

import re
import subprocess
import sys

from checks.errors import ExitCode
from tests.support import ROOT

MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def recipe(target: str) -> tuple[str, str]:
    """(prerequisites, recipe lines) of a make target."""
    match = re.search(rf"^{re.escape(target)}:([^\n#]*)(?:##[^\n]*)?\n((?:\t[^\n]*\n)*)", MAKEFILE, re.M)
    assert match, f"no make target {target}"
    return match.group(1).strip(), match.group(2)


def test_make_check_installs_nothing_and_leaves_out_browser_and_slow_tests():
    prerequisites, lines = recipe("check")
    assert prerequisites == "" and "pip" not in lines and "install" not in lines
    assert '-m "not browser and not slow"' in lines


def test_make_test_installs_only_when_its_inputs_change():
    assert recipe("test")[0] == "install-test"
    stamp_rule = re.search(r"^\$\(STAMP\):(.*)$", MAKEFILE, re.M)
    assert stamp_rule and {"pyproject.toml", "scripts/install-system-deps"} <= set(stamp_rule.group(1).split())
    assert recipe("install-test")[0] == "$(STAMP)"


def test_screens_errors_are_one_line_with_their_exit_code(tmp_path):
    bad = tmp_path / "steps.yaml"
    bad.write_text("screens:\n  - {id: x, guide_step: 1, path: /, image: x.png, target: {css: '#x'}}\n")
    proc = subprocess.run([sys.executable, "-m", "checks.screens", "drift", "--steps", str(bad)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert proc.stderr.startswith("python -m checks.screens: error:")
