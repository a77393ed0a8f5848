"""Walk one documented screen: open its URL, replay its actions, check its elements.

Shared by `capture` (which then takes the screenshot) and `drift` (which only checks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from checks.screens.locate import find_label, locate, look_alikes
from checks.screens.steps import Screen, describe

if TYPE_CHECKING:
    from playwright.sync_api import Page

LIVE_WWW = "https://www.linkedin.com"
LIVE_DEVELOPER = "https://developer.linkedin.com"


@dataclass
class Portal:
    """Where the screens are looked for: the model on loopback, or the live portal."""

    www: str
    developer: str
    is_model: bool
    placeholders: dict = field(default_factory=dict)
    storage_state: str | None = None

    @classmethod
    def live(cls, base_url: str, developer_url: str | None, placeholders: dict, storage_state: str | None) -> "Portal":
        host = urlsplit(base_url).hostname or ""
        developer = developer_url or (LIVE_DEVELOPER if host.endswith("linkedin.com") else base_url)
        return cls(base_url.rstrip("/"), developer.rstrip("/"), False, placeholders, storage_state)


@dataclass
class Outcome:
    screen: Screen
    status: str  # ok | stale | skipped
    problems: list[str] = field(default_factory=list)
    reason: str = ""


def skip_reason(screen: Screen, portal: Portal) -> str | None:
    if portal.is_model:
        return None
    if screen.changes_account:
        return "reaching it would change the account (model only)"
    if screen.model_state:
        return f"shows an account state ({screen.model_state}) the live portal cannot show on demand"
    if screen.login and not portal.storage_state:
        return "needs a signed-in session: pass --storage-state (see `login`)"
    missing = [k for k in ("app_id", "client_id") if "{" + k + "}" in screen.path and not portal.placeholders.get(k)]
    if missing:
        return f"needs --{missing[0].replace('_', '-')}"
    return None


def screen_url(screen: Screen, portal: Portal) -> str:
    base = portal.developer if screen.site == "developer" else portal.www
    path = screen.path.format(**portal.placeholders)
    if portal.is_model and screen.model_state:
        path += ("&" if "?" in path else "?") + f"model={screen.model_state}"
    return base + path


def open_screen(page: Page, screen: Screen, portal: Portal, timeout_ms: int = 10000) -> list[str]:
    """Navigate and replay the actions; returns problems (an action's element missing)."""
    page.set_default_timeout(timeout_ms)
    response = page.goto(screen_url(screen, portal), wait_until="domcontentloaded")
    if response is not None and response.status >= 400:
        return [f"{screen_url(screen, portal).split('?')[0]} answered HTTP {response.status}"]
    for action in screen.actions:
        element = locate(page, action.spec)
        if element.count() == 0:
            return [_missing(page, action.spec, f"to {action.kind}")]
        if action.kind == "click":
            element.click()
            page.wait_for_load_state("domcontentloaded")
        elif action.kind == "check":
            element.check()
        elif action.kind == "fill":
            element.fill(action.value or "")
    return []


def check_elements(page: Page, screen: Screen) -> list[str]:
    problems = []
    for spec in [screen.target, *screen.highlight]:
        if locate(page, spec).count() == 0:
            problem = _missing(page, spec)
            if problem not in problems:
                problems.append(problem)
    for label in screen.labels:
        if not find_label(page, label):
            problems.append(_missing(page, {"text": label}, kind="label"))
    return problems


def _missing(page: Page, spec: dict, purpose: str = "", kind: str = "") -> str:
    what = f'label "{spec["text"]}"' if kind == "label" else describe(spec)
    alikes = look_alikes(page, spec)
    instead = f"; the page has instead: {', '.join(alikes)}" if alikes else "; nothing similar on the page"
    return f"expected {what}{' ' + purpose if purpose else ''}{instead}"


def walk(page: Page, screen: Screen, portal: Portal) -> Outcome:
    reason = skip_reason(screen, portal)
    if reason:
        return Outcome(screen, "skipped", reason=reason)
    try:
        problems = open_screen(page, screen, portal) or check_elements(page, screen)
    except Exception as exc:  # a navigation error is a finding about the page, not a crash
        problems = [f"could not open the page: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"]
    return Outcome(screen, "stale" if problems else "ok", problems)
