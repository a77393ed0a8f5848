"""Check that every documented element still exists; no images."""

from __future__ import annotations

from typing import Callable

from checks.screens.steps import Steps
from checks.screens.walk import Outcome, Portal, walk


def check_drift(steps: Steps, portal: Portal, *, progress: Callable[[Outcome, int, int], None] | None = None) -> list[Outcome]:
    from playwright.sync_api import sync_playwright

    from checks.screens.browser import launch, new_context

    outcomes = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            context = new_context(browser, steps.viewport, portal.storage_state)
            page = context.new_page()
            for index, screen in enumerate(steps.screens, 1):
                outcome = walk(page, screen, portal)
                outcomes.append(outcome)
                if progress:
                    progress(outcome, index, len(steps.screens))
            context.close()
        finally:
            browser.close()
    return outcomes


def stale_line(outcome: Outcome) -> str:
    s = outcome.screen
    return f"{s.id} (Step {s.guide_step}, {s.title}): " + "; ".join(outcome.problems)
