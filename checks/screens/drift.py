"""Check that every documented element still exists; no images.

The run ends in one of three outcomes (`Verdict`): unchanged (exit 0), changed (exit 1: the guide
is stale) or blocked (exit 3: we could not look, and the cause says why). A changed step is a
definite finding about LinkedIn, so it wins over a block elsewhere in the same run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from checks.errors import ExitCode
from checks.screens.steps import Steps
from checks.screens.walk import Outcome, Portal, ask_for_english, walk


@dataclass
class Verdict:
    outcome: str  # unchanged | changed | blocked
    exit_code: ExitCode
    outcomes: list[Outcome]

    @property
    def blocks(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "blocked"]

    @property
    def changed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "stale"]


def verdict(outcomes: list[Outcome]) -> Verdict:
    if any(o.status == "stale" for o in outcomes):
        return Verdict("changed", ExitCode.FIX, outcomes)
    if any(o.status == "blocked" for o in outcomes):
        return Verdict("blocked", ExitCode.TRANSIENT, outcomes)
    return Verdict("unchanged", ExitCode.OK, outcomes)


def check_drift(steps: Steps, portal: Portal, *, progress: Callable[[Outcome, int, int], None] | None = None,
                browser=None) -> list[Outcome]:
    """Walk every screen once; uses `browser` when given, else launches one.

    After a block (signed out, security check, 999) the remaining screens are not visited:
    more visits would only repeat the answer and look more like a bot."""
    from checks.screens.browser import browser_session, new_context

    outcomes: list[Outcome] = []
    with browser_session(browser) as browser:
        context = new_context(browser, steps.viewport, portal.storage_state)
        try:
            ask_for_english(context, portal)
            page = context.new_page()
            block: Outcome | None = None
            for index, screen in enumerate(steps.screens, 1):
                if block is not None:
                    outcome = Outcome(screen, "blocked", reason=f"not visited after: {block.reason}", fix=block.fix)
                else:
                    outcome = walk(page, screen, portal)
                    if outcome.status == "blocked":
                        block = outcome
                outcomes.append(outcome)
                if progress:
                    progress(outcome, index, len(steps.screens))
        finally:
            context.close()
    return outcomes


def stale_line(outcome: Outcome) -> str:
    s = outcome.screen
    return f"{s.id} (Step {s.guide_step}, {s.title}): " + "; ".join(outcome.problems)


def blocked_line(outcome: Outcome) -> str:
    return f"could not check: {outcome.reason}. Fix: {outcome.fix}"


def as_json(result: Verdict, where: str) -> dict:
    """The machine-readable report (`drift --json`)."""
    return {
        "outcome": result.outcome,
        "exit_code": int(result.exit_code),
        "portal": where,
        "blocked": [{"screen": o.screen.id, "cause": o.reason, "fix": o.fix} for o in result.blocks[:1]],
        "screens": [
            {"id": o.screen.id, "guide_step": o.screen.guide_step, "title": o.screen.title,
             "status": {"stale": "changed"}.get(o.status, o.status), "problems": o.problems,
             "reason": o.reason, **({"fix": o.fix} if o.fix else {})}
            for o in result.outcomes
        ],
    }
