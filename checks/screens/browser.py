"""Find and launch a Chromium: a configured path, Playwright's own browser, else the system's."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks.errors import UsageError
from checks.screens.steps import Viewport

if TYPE_CHECKING:  # Playwright is imported only by the commands that drive a browser
    from playwright.sync_api import Browser, BrowserContext, Playwright

# Chromium's background services try to reach Google; on a closed network they only add noise.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--font-render-hinting=none",
]
SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class BrowserNotFound(UsageError):
    pass


def find_chromium(playwright: Playwright | None = None) -> str | None:
    """Path of the browser to launch, or None to let Playwright use its own.

    Order: $CHECKS_BROWSER; Playwright's downloaded Chromium when present; a system Chromium.
    """
    configured = os.environ.get("CHECKS_BROWSER")
    if configured:
        if not Path(configured).is_file():
            raise BrowserNotFound(f"CHECKS_BROWSER={configured} does not exist")
        return configured
    if playwright is not None:
        try:
            own = playwright.chromium.executable_path
        except Exception:  # Playwright raises when its browser was never installed
            own = None
        if own and Path(own).is_file():
            return None
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFound(
        "No Chromium found. Install one (Debian/Ubuntu: apt-get install chromium; or "
        "`playwright install chromium`), or set CHECKS_BROWSER to its path."
    )


def launch(playwright: Playwright, headless: bool = True) -> Browser:
    path = find_chromium(playwright)
    kwargs: dict[str, Any] = {"headless": headless, "args": LAUNCH_ARGS}
    if path:
        kwargs["executable_path"] = path
    return playwright.chromium.launch(**kwargs)


def new_context(browser: Browser, viewport: Mapping[str, int] | Viewport, storage_state: str | None = None,
                scale: int = 1) -> BrowserContext:
    """A context that renders the same way every run."""
    return browser.new_context(
        viewport={"width": viewport["width"], "height": viewport["height"]},
        device_scale_factor=scale,
        locale="en-US",
        timezone_id="UTC",
        color_scheme="light",
        reduced_motion="reduce",
        storage_state=storage_state,
    )


@contextmanager
def browser_session(browser: Browser | None = None) -> Iterator[Browser]:
    """Yield `browser` as is, or launch (and afterwards close) one of our own."""
    if browser is not None:
        yield browser
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        own = launch(p)
        try:
            yield own
        finally:
            own.close()
