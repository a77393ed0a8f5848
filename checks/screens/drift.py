"""Check that every documented element still exists; no images."""

from __future__ import annotations

from typing import Callable

from checks.screens.steps import Steps
from checks.screens.walk import Outcome, Portal, walk


def check_drift(steps: Steps, portal: Portal, *, progress: Callable[[Outcome, int, int], None] | None = None,
                browser=None) -> list[Outcome]:
    """Walk every screen once; uses `browser` when given, else launches one."""
    from checks.screens.browser import browser_session, new_context

    outcomes = []
    with browser_session(browser) as browser:
        context = new_context(browser, steps.viewport, portal.storage_state)
        page = context.new_page()
        for index, screen in enumerate(steps.screens, 1):
            outcome = walk(page, screen, portal)
            outcomes.append(outcome)
            if progress:
                progress(outcome, index, len(steps.screens))
        context.close()
    return outcomes


def stale_line(outcome: Outcome) -> str:
    s = outcome.screen
    return f"{s.id} (Step {s.guide_step}, {s.title}): " + "; ".join(outcome.problems)
