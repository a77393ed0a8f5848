"""Every command a reader types is shown for macOS / Linux and for Windows, the two say the same, and
the guide's last step shows the install and the run in place (the site: tests/browser/test_site_tabs.py;
running them: tests/e2e/test_docs_commands_run.py)."""

import re

from tests.support import ROOT
from tests.support.docs_commands import READER_PAGES, SYSTEMS, all_tab_sets, expand_snippets, tab_sets

UNIX_ACTIVATE, WINDOWS_ACTIVATE = "source .venv/bin/activate", r".venv\Scripts\activate"


def on_windows(line: str) -> str:
    """What a macOS / Linux command line becomes on Windows (the `py` launcher, Scripts\\, backslashes)."""
    if line == UNIX_ACTIVATE:
        return WINDOWS_ACTIVATE
    words = [re.sub(r"^python3$", "py", w) if i == 0 else w for i, w in enumerate(line.split(" "))]
    return " ".join(w if "://" in w else w.replace("/", "\\") for w in words)


def test_every_tab_set_offers_macos_linux_then_windows():
    sets = all_tab_sets()
    assert sets, "no command tabs on the reader's pages"
    for tab_set in sets:
        assert tuple(tab_set.tabs) == SYSTEMS, f"{tab_set.page}: tabs {list(tab_set.tabs)}"
        assert all(tab_set.tabs.values()), f"{tab_set.page}: a tab without a command"


def test_the_windows_tab_types_the_same_commands_with_py():
    for tab_set in all_tab_sets():
        unix, windows = tab_set.tabs["macOS / Linux"], tab_set.tabs["Windows"]
        assert [on_windows(line) for line in unix] == windows, f"{tab_set.page}: the two systems' commands differ"


def test_python_is_typed_only_inside_the_activated_environment():
    """`python` is not on stock macOS and `py` is only Windows': python3 / py make the environment, and
    every later command runs after the activate line, where plain `python` is right on both systems."""
    for tab_set in all_tab_sets():
        for system, activate, launcher in (("macOS / Linux", UNIX_ACTIVATE, "python3"), ("Windows", WINDOWS_ACTIVATE, "py")):
            lines = tab_set.tabs[system]
            assert activate in lines, f"{tab_set.page}: a {system} tab without its activate line: {lines}"
            before, after = lines[:lines.index(activate)], lines[lines.index(activate) + 1:]
            assert all(line.startswith(f"{launcher} -m venv") or not line.startswith(("python", "py ")) for line in before), \
                f"{tab_set.page}: before activating, only `{launcher} -m venv` makes the environment: {before}"
            assert all(not line.startswith(("python3", "py ")) for line in after), \
                f"{tab_set.page}: once activated, write `python`, the same on every system: {after}"


def test_no_command_to_type_sits_outside_the_tabs():
    for page in READER_PAGES:
        text = expand_snippets((ROOT / "docs" / page).read_text(encoding="utf-8"))
        for fence in re.findall(r"^```(?:bash|sh|shell|console|powershell|bat)\b.*$", text, re.MULTILINE):
            # An unindented shell block is outside any tab; only cron's (macOS / Linux by nature) may be.
            assert 'title="cron' in fence, f"{page}: a shell block outside the system tabs: {fence}"


def test_step_6_shows_the_install_and_the_run_in_place():
    guide = expand_snippets((ROOT / "docs/guide.md").read_text(encoding="utf-8"))
    step6 = guide[guide.index("## Step 6"):]
    assert "install.md" not in step6 and "git+https://" in step6
    guide_sets = tab_sets("guide.md")
    commands = [line for s in guide_sets for line in s.tabs["macOS / Linux"]]
    assert any("-m pip install" in line for line in commands)
    assert "python -m checks.verify" in commands and "python -m checks.verify" in [
        line for s in guide_sets for line in s.tabs["Windows"]]
    assert "](verify.md" not in step6.split("python -m checks.verify")[0].split("## Step 6")[-1], \
        "Step 6 installs in place, not behind a link"
