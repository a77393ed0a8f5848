"""The command tabs: every command a reader types is offered for macOS / Linux and for Windows, and
choosing a system once switches every tab on every page (Material's `content.tabs.link`), under both
engines."""

import pytest

pytestmark = pytest.mark.browser

SYSTEMS = ["macOS / Linux", "Windows"]
# Pages with commands to type, and a command each system's tab must show.
PAGES_WITH_COMMANDS = ["guide/", "cli/", "verify/"]
# Every tab switches the environment on: the activate line is each system's own.
SHOWN = {"macOS / Linux": "source .venv/bin/activate", "Windows": ".venv\\Scripts\\activate"}


def tab_sets(page):
    return page.locator(".md-content .tabbed-set")


def visible_commands(page) -> list[str]:
    """The code of the tab each set shows now."""
    return page.locator(".md-content .tabbed-set > .tabbed-content > .tabbed-block:visible").all_inner_texts()


@pytest.mark.parametrize("path", PAGES_WITH_COMMANDS)
def test_every_command_set_offers_both_systems_and_shows_one(page, site, path):
    page.goto(site.url + path)
    sets = tab_sets(page)
    assert sets.count() >= 1, f"no command tabs on {path}"
    for n in range(sets.count()):
        labels = sets.nth(n).locator(":scope > .tabbed-labels > label").all_inner_texts()
        assert [label.strip() for label in labels] == SYSTEMS, f"{path}: tab set {n + 1} is labelled {labels}"
    shown = visible_commands(page)
    assert len(shown) == sets.count(), f"{path}: each tab set shows exactly one system"
    assert all(SHOWN["macOS / Linux"] in code and SHOWN["Windows"] not in code for code in shown)


def test_choosing_windows_once_switches_every_tab_on_every_page(page, site):
    page.goto(site.url + "guide/")
    assert tab_sets(page).count() >= 2, "the guide shows the install and the run, each for both systems"
    page.locator(".md-content .tabbed-set").first.get_by_text("Windows", exact=True).click()
    for path in PAGES_WITH_COMMANDS:
        if path != "guide/":
            page.goto(site.url + path)
        shown = visible_commands(page)
        assert shown and len(shown) == tab_sets(page).count(), path
        for code in shown:
            assert SHOWN["Windows"] in code and "python3" not in code and SHOWN["macOS / Linux"] not in code, f"{path}: a tab still shows macOS / Linux:\n{code}"
    # And back: one click on any page switches them all again.
    page.locator(".md-content .tabbed-set").last.get_by_text("macOS / Linux", exact=True).click()
    assert all(SHOWN["macOS / Linux"] in code for code in visible_commands(page))
