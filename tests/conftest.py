import functools
import importlib.util
import os
from pathlib import Path

import pytest

from tests.support.clock import FIXED_NOW
from tests.support.fake_linkedin import FakeLinkedInServer
from tests.support.loopback import serve_directory
from tests.support.site import ENGINES, Site, build_site

# verify writes GitHub Actions output when GITHUB_ACTIONS=true: the suite's own CI run must not get it
# in every subprocess, nor write into the CI job's summary and outputs (tests/e2e/test_action.py sets its own).
for _name in ("GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH"):
    os.environ.pop(_name, None)

# The folder a test lives in says its level, and becomes its marker (`pytest -m unit`):
#   unit     plain functions, HTTP mocked with `responses`, no subprocess
#   cli      a command as the user calls it, in-process where it can be, against a fake LinkedIn
#   e2e      a real process where a pty, a signal or a pipe is the point
#   browser  a real Chromium: the site, the portal model, the screenshots
#   repo     the repository itself: lint, types, workflows, generated docs, the docs' map
LEVELS = ("unit", "cli", "e2e", "browser", "repo")
# What `python -m checks.screens scan` sets in its CLI setup: one OpenMP thread per tesseract.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
TESTS = Path(__file__).resolve().parent

# pytest-playwright's fixtures: a test that asks for one needs a browser even when unmarked.
BROWSER_FIXTURES = {"browser", "context", "page", "playwright"}


@pytest.fixture(autouse=True, scope="session")
def private_config_home(tmp_path_factory):
    """Token backups and fallback files go to the tool's config directory: during tests, a fresh
    one (inherited by every command a test runs), never the developer's ~/.config."""
    path = tmp_path_factory.mktemp("xdg-config")
    saved = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(path)
    yield path
    if saved is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = saved


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No LinkedIn variables from the developer's shell, no stray .env: a fresh user's setup."""
    for name in list(os.environ):
        if name.startswith("LINKEDIN_") or name in ("NO_COLOR",):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LINKEDIN_FRESH_TOKEN_GRACE", "0")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


# Levels whose tests run at FIXED_NOW, whatever today's date is (tests/support/clock.py).
PINNED_LEVELS = ("unit", "cli", "e2e")


@pytest.fixture(autouse=True)
def pinned_clock(request):
    """unit, cli and e2e tests live on FIXED_NOW (the clock ticks from there: timeouts still work)."""
    if not any(request.node.get_closest_marker(level) for level in PINNED_LEVELS):
        yield None
        return
    import time_machine

    with time_machine.travel(FIXED_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def server():
    """A fake LinkedIn on 127.0.0.1 for one test; `server.env` points the commands at it."""
    with FakeLinkedInServer() as s:
        yield s


# ---- browser tests: marked, and skipped with the reason where no Chromium can run ---------------
@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        level = Path(item.fspath).resolve().relative_to(TESTS).parts[0]
        if level in LEVELS:
            item.add_marker(getattr(pytest.mark, level))
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@functools.cache
def why_no_browser() -> str | None:
    """None when a Chromium can be launched here; else what is missing (the project's own discovery)."""
    if importlib.util.find_spec("pytest_playwright") is None:
        return "Playwright is not installed (pip install -e '.[test]')"
    from checks.screens.browser import BrowserNotFound, find_chromium

    try:
        find_chromium()  # $CHECKS_BROWSER or a system Chromium
        return None
    except BrowserNotFound as no_system_browser:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:  # Playwright's own download, if any
            own = playwright.chromium.executable_path
        return None if own and Path(own).is_file() else str(no_system_browser)


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser"):
        reason = why_no_browser()
        if reason:
            pytest.skip(f"browser test: {reason}")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    from checks.screens.browser import LAUNCH_ARGS, find_chromium

    args = {**browser_type_launch_args, "args": LAUNCH_ARGS, "headless": True}
    path = find_chromium(playwright)
    if path:
        args["executable_path"] = path
    return args


@pytest.fixture(scope="session", autouse=False)
def browser_version(browser, pytestconfig):
    pytestconfig.stash.setdefault("browser_version", browser.version)
    return browser.version


def pytest_terminal_summary(terminalreporter, config):
    version = config.stash.get("browser_version", None) if hasattr(config, "stash") else None
    if version:
        terminalreporter.write_line(f"browser tests ran in Chromium {version} (pixel baselines can shift when it updates)")


# ---- the built site, served on 127.0.0.1 --------------------------------------------------------
@pytest.fixture(scope="session", params=ENGINES)
def site(request, tmp_path_factory):
    engine = request.param
    if engine == "zensical":
        pytest.importorskip("zensical", reason="zensical is not installed")
    out, seconds = build_site(engine, tmp_path_factory.mktemp(f"site-{engine}"))
    with serve_directory(out) as url:
        yield Site(engine, out, url + "/", seconds)
