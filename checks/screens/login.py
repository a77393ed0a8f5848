"""Open a real, visible browser for a maintainer to sign in, then save the session for live checks.

The storage state holds session cookies: it is written with mode 0600 and must never be
committed (store it as a CI secret for the manual portal-drift workflow).
"""

from __future__ import annotations

from pathlib import Path


def save_private(path: Path, data: str) -> None:
    """The session file, through the project's one atomic private writer (0600, fsync, rename)."""
    from checks.credentials.store import write_private

    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, data, mode=0o600)


def login(out: Path, *, start_url: str, done_url: str, timeout_s: float, headless: bool = False,
          say=print) -> None:
    from playwright.sync_api import sync_playwright

    from checks.screens.browser import launch

    with sync_playwright() as p:
        browser = launch(p, headless=headless)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(start_url)
            say(f"Sign in to LinkedIn in the browser window. Waiting up to {timeout_s:g} s for {done_url} …")
            page.wait_for_url(done_url, timeout=timeout_s * 1000)
            state = context.storage_state()
        finally:
            browser.close()
    import json

    save_private(out, json.dumps(state))
    say(f"Saved the session to {out} (mode 0600). Keep it out of git; it expires like any login.")
