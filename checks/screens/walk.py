"""Walk one documented screen: open its URL, replay its actions, check its elements.

Shared by `capture` (which then takes the screenshot) and `drift` (which only checks).

Three outcomes, kept apart on purpose: `ok` (every element found), `stale` (the portal changed:
an element is missing, named with its look-alikes) and `blocked` (we could not look: signed out,
a security check, HTTP 999, the network, a consent dialog or a non-English interface we could not
get past). A block is never reported as drift. Only Playwright's errors are facts about the page;
any other exception is a bug in this code and propagates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from checks.errors import TransientError
from checks.screens.locate import find_label, locate, look_alikes
from checks.screens.steps import ElementSpec, Screen, describe

LIVE_WWW = "https://www.linkedin.com"
LIVE_DEVELOPER = "https://developer.linkedin.com"
SETTLE_TIMEOUT_S = 10.0
ENGLISH_COOKIE = {"name": "lang", "value": "v=2&lang=en-us"}
LOGIN_COMMAND = "python -m checks.screens login --out FILE"
SIGN_IN_PATHS = ("/authwall", "/login", "/uas/login", "/signup", "/m/login")
CONSENT_TEXT = r"cookie"
DECLINE = r"^\s*(reject( all)?|decline( all)?|only (essential|necessary)|necessary only|alle ablehnen|ablehnen)\b"


class PortalBlocked(TransientError):
    """We could not look at the page; says why and what to do. Never drift."""

    def __init__(self, cause: str, fix: str):
        super().__init__(f"{cause}: {fix}")
        self.cause = cause
        self.fix = fix


@dataclass
class Portal:
    """Where the screens are looked for: the model on loopback, or the live portal."""

    www: str
    developer: str
    is_model: bool
    placeholders: dict = field(default_factory=dict)
    storage_state: str | None = None
    settle_timeout_s: float = SETTLE_TIMEOUT_S

    @classmethod
    def live(cls, base_url: str, developer_url: str | None, placeholders: dict, storage_state: str | None) -> Portal:
        host = urlsplit(base_url).hostname or ""
        developer = developer_url or (LIVE_DEVELOPER if host.endswith("linkedin.com") else base_url)
        return cls(base_url.rstrip("/"), developer.rstrip("/"), False, placeholders, storage_state)


@dataclass
class Outcome:
    screen: Screen
    status: str  # ok | stale (the portal changed) | blocked (could not check) | skipped
    problems: list[str] = field(default_factory=list)
    reason: str = ""
    fix: str = ""


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


def ask_for_english(context, portal: Portal) -> None:
    """A saved session carries the member's interface language (`lang` cookie): ask for English."""
    urls = {portal.www, portal.developer}
    hosts = {urlsplit(u).hostname or "" for u in urls}
    if any(h.endswith("linkedin.com") for h in hosts):
        context.add_cookies([{**ENGLISH_COOKIE, "domain": ".linkedin.com", "path": "/"}])
    else:
        context.add_cookies([{**ENGLISH_COOKIE, "url": u} for u in sorted(urls)])


def check_block(page, status: int | None = None) -> None:
    """Raise PortalBlocked when what we see is LinkedIn keeping us out, not its portal."""
    if status == 999:
        raise PortalBlocked("LinkedIn refused the automated visit (HTTP 999)",
                            "try again later, from a network LinkedIn knows (not a fresh CI runner), with a saved session")
    if status == 429:
        raise PortalBlocked("LinkedIn is rate-limiting this visitor (HTTP 429)", "wait an hour and run the check again")
    if status is not None and status >= 500:
        raise PortalBlocked(f"LinkedIn answered HTTP {status}", "LinkedIn is having trouble; run the check again later")
    path = urlsplit(page.url).path
    if path.startswith("/checkpoint/"):
        raise PortalBlocked("LinkedIn asked for a security check (/checkpoint/challenge)",
                            "sign in by hand in a browser, pass the check, then save a new session with "
                            f"`{LOGIN_COMMAND}` (runs from a new IP such as a CI runner trigger this)")
    if any(path == p or path.startswith(p + "/") or path.startswith(p + "?") for p in SIGN_IN_PATHS):
        raise PortalBlocked(f"signed out: LinkedIn redirected to its sign-in wall ({path})",
                            f"your saved session has expired: run `{LOGIN_COMMAND}` again and pass it with --storage-state")


def check_language(page) -> None:
    lang = (page.evaluate("document.documentElement.lang || ''") or "").lower()
    if lang and not lang.startswith("en"):
        raise PortalBlocked(f"the portal shows a non-English interface (lang={lang}) even after asking for English",
                            "set LinkedIn's display language to English (Settings > Account preferences > "
                            f"Display language), then save a new session with `{LOGIN_COMMAND}`")


def dismiss_consent(page) -> bool:
    """Decline non-essential cookies when a consent dialog covers the page. True if one was dismissed."""
    import re

    dialogs = page.get_by_role("dialog").or_(page.get_by_role("alertdialog"))
    dialog = dialogs.filter(has_text=re.compile(CONSENT_TEXT, re.IGNORECASE)).first
    if dialog.count() == 0 or not dialog.is_visible():
        return False
    decline = dialog.get_by_role("button", name=re.compile(DECLINE, re.IGNORECASE)).first
    if decline.count() == 0:
        raise PortalBlocked("a cookie-consent dialog covers the page and offers no way to decline",
                            "open the portal once in the browser you saved the session with, answer the dialog, "
                            f"then save the session again with `{LOGIN_COMMAND}`")
    decline.click()
    dialog.wait_for(state="hidden", timeout=5000)
    return True


def settle(page, spec: ElementSpec, timeout_s: float) -> bool:
    """Wait (bounded) until the page shows `spec` or a consent dialog; script-rendered pages fill in
    after load, so the network going quiet is not enough. True if `spec` is there."""
    import re

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    wanted = locate(page, spec)
    if wanted.count() > 0:  # already rendered: the common case, one cheap look
        return True
    consent = page.get_by_role("dialog").or_(page.get_by_role("alertdialog")).filter(has_text=re.compile(CONSENT_TEXT, re.IGNORECASE))
    try:
        wanted.or_(consent).first.wait_for(state="attached", timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        return False
    if wanted.count() > 0:
        return True
    return dismiss_consent(page) and settle(page, spec, timeout_s)


def open_screen(page, screen: Screen, portal: Portal, timeout_ms: int = 10000) -> list[str]:
    """Navigate and replay the actions; returns problems (an action's element missing)."""
    page.set_default_timeout(timeout_ms)
    url = screen_url(screen, portal)
    response = page.goto(url, wait_until="domcontentloaded")
    check_block(page, response.status if response is not None else None)
    if response is not None and response.status >= 400:
        return [f"{url.split('?')[0]} answered HTTP {response.status}"]
    for action in screen.actions:
        if not settle(page, action.spec, portal.settle_timeout_s):
            check_block(page)
            check_language(page)  # a translated page misses every element: say so, not drift
            dismiss_consent(page)
            return [_missing(page, action.spec, f"to {action.kind}")]
        element = locate(page, action.spec)
        if action.kind == "click":
            element.click()
            page.wait_for_load_state("domcontentloaded")
            check_block(page)
        elif action.kind == "check":
            element.check()
        elif action.kind == "fill":
            element.fill(_filled(action.value or "", portal.placeholders))
    return []


class _Kept(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _filled(value: str, placeholders: dict) -> str:
    """An action's value with {app_id}, {ad_account_id}... filled in (unknown names kept as written)."""
    return value.format_map(_Kept(placeholders))


def check_elements(page, screen: Screen, portal: Portal | None = None) -> list[str]:
    settle_s = portal.settle_timeout_s if portal else SETTLE_TIMEOUT_S
    target_found = settle(page, screen.target, settle_s)
    specs = [] if target_found else [screen.target]
    specs += [s for s in screen.highlight if s != screen.target]
    missing = _absent(page, specs, screen.labels)
    if missing and target_found:
        # Script-rendered pages can fill in piece by piece: one more look before calling it drift.
        page.wait_for_timeout(min(2.0, settle_s) * 1000)
        missing = _absent(page, *missing)
    specs, labels = missing or ([], [])
    problems: list[str] = []
    for spec in specs:
        problem = _missing(page, spec)
        if problem not in problems:
            problems.append(problem)
    problems += [_missing(page, ElementSpec(text=label), kind="label") for label in labels]
    if problems:  # before calling it drift, make sure LinkedIn did not move us off the page
        check_block(page)
        check_language(page)
        dismiss_consent(page)
    return problems


def _absent(page, specs, labels) -> tuple[list[ElementSpec], list[str]] | None:
    """The specs and labels not on the page, or None when everything is there."""
    gone = [s for s in specs if locate(page, s).count() == 0]
    gone_labels = [label for label in labels if not find_label(page, label)]
    return (gone, gone_labels) if gone or gone_labels else None


def _missing(page, spec: ElementSpec, purpose: str = "", kind: str = "") -> str:
    what = f'label "{spec.text}"' if kind == "label" else describe(spec)
    alikes = look_alikes(page, spec)
    instead = f"; the page has instead: {', '.join(alikes)}" if alikes else "; nothing similar on the page"
    return f"expected {what}{' ' + purpose if purpose else ''}{instead}"


def _network_failure(message: str) -> bool:
    return "net::ERR_" in message or "NS_ERROR_" in message


def walk(page, screen: Screen, portal: Portal) -> Outcome:
    from playwright.sync_api import Error as PlaywrightError

    reason = skip_reason(screen, portal)
    if reason:
        return Outcome(screen, "skipped", reason=reason)
    try:
        problems = open_screen(page, screen, portal) or check_elements(page, screen, portal)
    except PortalBlocked as blocked:
        return Outcome(screen, "blocked", reason=blocked.cause, fix=blocked.fix)
    except PlaywrightError as exc:  # a fact about the page (timeout, navigation), not a crash of ours
        first = (str(exc).splitlines() or [""])[0][:160]
        if _network_failure(str(exc)):
            host = urlsplit(screen_url(screen, portal)).hostname
            return Outcome(screen, "blocked", reason=f"could not reach {host} ({first})",
                           fix="check the network connection (and any proxy), then run the check again")
        problems = [f"could not use the page: {type(exc).__name__}: {first}"]
    return Outcome(screen, "stale" if problems else "ok", problems)
