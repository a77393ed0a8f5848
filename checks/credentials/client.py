"""A small client for the LinkedIn endpoints the checks need, with a small exception hierarchy
(part of the project's tree in checks.errors: LinkedInError is a CredentialsError, and its
TransientError is also a checks.errors.TransientError).

    LinkedInError
    ├── TransientError          try again later (exit 3)
    │   ├── NetworkError        DNS, refused, timeout, TLS, dropped connection
    │   ├── RateLimited         429
    │   └── ServiceUnavailable  5xx
    ├── OAuthError              400/401 from /oauth/v2 with `error` and `error_description`
    ├── APIError                4xx from /rest with `code` / `serviceErrorCode`
    └── UnexpectedResponse      HTML, malformed JSON, missing fields, a redirect (never followed)

Every request has a timeout; connection errors, 429 and 5xx are retried a bounded number of
times with exponential backoff, by an explicit loop (`LinkedInClient._request`) so that each
attempt is logged (--verbose), a progress line appears after 2 s of waiting, and a final timeout
says how many attempts were made and how long they took. Never retried: the authorization-code
exchange (the code is single-use), a daily-limit 429 (no retry today can help), and a 429 whose
Retry-After is longer than the time left. No exception message ever contains a request body, so no
secret reaches one.
"""

from __future__ import annotations

import contextlib
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Callable
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from checks import __version__, errors
from checks.credentials.inputs import Endpoints
from checks.credentials.linkedin_errors import API, INTROSPECTION, TOKEN, Said, is_daily_limit

USER_AGENT = f"linkedin-ads-token-checks/{__version__} (+python-requests)"


class LinkedInError(errors.CredentialsError):
    """Base of every error talking to LinkedIn. `said`: LinkedIn's answer, when there was one."""

    said: Said | None = None


class TransientError(LinkedInError, errors.TransientError):
    """Worth trying again later (exit 3)."""


class NetworkError(TransientError):
    pass


class RateLimited(TransientError):
    """429. `daily`: a per-day quota (resets at 00:00 UTC), which no retry today can help."""

    def __init__(self, message: str, retry_after: float | None = None, daily: bool = False,
                 said: Said | None = None):
        super().__init__(message)
        self.retry_after = retry_after
        self.daily = daily
        self.said = said


class ServiceUnavailable(TransientError):
    def __init__(self, message: str, status: int, said: Said | None = None):
        super().__init__(message)
        self.status = status
        self.said = said


class UnexpectedResponse(LinkedInError):
    def __init__(self, message: str, said: Said | None = None):
        super().__init__(message)
        self.said = said


class OAuthError(LinkedInError):
    def __init__(self, status: int, error: str, description: str, origin: str = TOKEN):
        super().__init__(f"HTTP {status} {error}: {description}")
        self.status = status
        self.error = error
        self.description = description
        self.said = Said(origin, status, error, None, description)


class APIError(LinkedInError):
    def __init__(self, status: int, code: str | None, service_error_code: int | None, message: str):
        super().__init__(f"HTTP {status} {code or service_error_code}: {message}")
        self.status = status
        self.code = code
        self.service_error_code = service_error_code
        self.message = message
        self.said = Said(API, status, code, service_error_code, message)


@dataclass
class TokenGrant:
    access_token: str
    expires_in: int
    refresh_token: str | None = None
    refresh_token_expires_in: int | None = None
    scopes: list[str] = field(default_factory=list)


@dataclass
class Introspection:
    active: bool
    status: str | None = None
    scopes: list[str] = field(default_factory=list)


@dataclass
class AdAccountRole:
    account: str
    role: str


def split_scopes(value: Any) -> list[str]:
    """LinkedIn documents space-delimited scopes and sends comma-delimited ones: accept both."""
    if not value:
        return []
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return [s for s in re.split(r"[\s,]+", str(value)) if s]


RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRY_AFTER = 30.0  # never sleep longer than this for one Retry-After
MAX_BACKOFF = 8.0
PROGRESS_AFTER = 2.0  # seconds of waiting before the first progress line
PROGRESS_EVERY = 5.0


def _stderr_progress(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def display_host(url: str) -> str:
    """host[:port] of `url`, never the user:password@ part."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname or url
    return f"{host}:{port}" if port else host


class _Waiting:
    """Prints a progress line on stderr when a call has waited PROGRESS_AFTER seconds, then every
    PROGRESS_EVERY seconds, until the call ends: no run is silent for long."""

    def __init__(self, say: Callable[[str], None] | None, what: str, started: float):
        self.say, self.what, self.started = say, what, started
        self.attempt = "attempt 1"
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "_Waiting":
        if self.say:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        delay = PROGRESS_AFTER
        while not self._done.wait(delay):
            waited = time.monotonic() - self.started
            self.say(f"  … still waiting for {self.what} ({waited:.0f} s, {self.attempt}); Ctrl-C to stop")  # type: ignore[misc]
            delay = PROGRESS_EVERY

    def __exit__(self, *exc) -> None:
        self._done.set()


class LinkedInClient:
    def __init__(
        self,
        endpoints: Endpoints | None = None,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.5,
        log: Callable[[str], None] | None = None,
        progress: Callable[[str], None] | None = _stderr_progress,
    ):
        self.endpoints = endpoints or Endpoints()
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.log = log
        self.progress = progress
        self._local = threading.local()  # one Session per thread: steps 3 and 4 run concurrently

    # -- transport -----------------------------------------------------------------------------
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = USER_AGENT
            adapter = HTTPAdapter(max_retries=0)  # retries are the loop in _request
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            self._local.session = session
        return session

    def _request(self, method: str, url: str, *, retry: bool = True, **kwargs) -> requests.Response:
        """One call, tried up to 1 + retries times (once when `retry` is false).

        Connection errors, timeouts, 429 and 5xx are retried with exponential backoff; a
        Retry-After is honoured unless it is longer than MAX_RETRY_AFTER or the time left (the
        budget is timeout x attempts), and a daily-limit 429 is returned at once.
        """
        host = display_host(url)
        shown = f"{urlsplit(url).scheme}://{host}{urlsplit(url).path}"
        attempts = 1 + (max(self.retries, 0) if retry else 0)
        started = time.monotonic()
        budget = self.timeout * attempts
        with _Waiting(self.progress, f"{host}, {method} {urlsplit(url).path}", started) as waiting:
            for attempt in range(1, attempts + 1):
                waiting.attempt = f"attempt {attempt} of {attempts}"
                tag = f" attempt {attempt}/{attempts}" if attempts > 1 else ""
                sent = time.monotonic()
                try:
                    # Never follow a redirect: a 307 would re-send the form (client secret, tokens)
                    # to wherever the Location points. A 3xx is an unexpected answer (_refuse_redirect).
                    response = self._session().request(method, url, timeout=self.timeout,
                                                       allow_redirects=False, **kwargs)
                except requests.exceptions.RequestException as exc:
                    failure = _describe_failure(exc, host, self.timeout)
                    last = attempt == attempts
                    pause = 0.0 if last else self._backoff(attempt)
                    self._log(f"{method} {shown} -> {failure} ({_ms(sent)} ms){tag}"
                              + ("" if last else f"; retrying in {pause:g} s"))
                    if last:
                        raise NetworkError(failure + _tally(attempt, started)) from None
                    time.sleep(pause)
                    continue
                status = response.status_code
                wait = self._retry_pause(response, attempt, attempts, budget - (time.monotonic() - started))
                self._log(f"{method} {shown} -> HTTP {status} ({_ms(sent)} ms){tag}"
                          + ("" if wait is None else f"; retrying in {wait:g} s"))
                if wait is None:
                    _refuse_redirect(response, f"{method} {urlsplit(url).path}")
                    return response
                time.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff * (2 ** (attempt - 1)), MAX_BACKOFF)

    def _retry_pause(self, response: requests.Response, attempt: int, attempts: int, remaining: float) -> float | None:
        """Seconds to wait before retrying `response`, or None to hand it back as the answer."""
        status = response.status_code
        if status not in RETRY_STATUSES or attempt >= attempts:
            return None
        if is_daily_limit(status, response.text):
            return None
        after = _retry_after(response)
        if after is None:
            return self._backoff(attempt)
        if after > min(MAX_RETRY_AFTER, remaining):
            return None  # waiting would outlast what the user allowed: report it now
        return after

    def _log(self, line: str) -> None:
        if self.log:
            self.log(line)

    # -- OAuth ---------------------------------------------------------------------------------
    def refresh(self, client_id: str, client_secret: str, refresh_token: str) -> TokenGrant:
        """Exchange a refresh token for a new access token (grant_type=refresh_token)."""
        data = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": client_id,
            "client_secret": client_secret,
        }
        return self._token_request(data, "refresh exchange")

    def exchange_code(self, client_id: str, client_secret: str, code: str, redirect_uri: str) -> TokenGrant:
        """Exchange an authorization code for tokens (grant_type=authorization_code)."""
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "client_secret": client_secret,
        }
        return self._token_request(data, "code exchange")

    def _token_request(self, data: dict[str, str], what: str) -> TokenGrant:
        # `data=` form-encodes: secrets may contain + / =, never build the body by hand.
        # A code is single-use: repeating its exchange can only fail, and may hide why the first failed.
        retry = data.get("grant_type") != "authorization_code"
        response = self._request("POST", f"{self.endpoints.oauth_url}/accessToken", retry=retry, data=data)
        body = _oauth_json(response, what, TOKEN)
        token = body.get("access_token")
        expires_in = body.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, (int, float)):
            raise UnexpectedResponse(f"{what}: answer lacks access_token or expires_in")
        rt_expires = body.get("refresh_token_expires_in")
        return TokenGrant(
            access_token=token,
            expires_in=int(expires_in),
            refresh_token=body.get("refresh_token") or None,
            refresh_token_expires_in=int(rt_expires) if isinstance(rt_expires, (int, float)) else None,
            scopes=split_scopes(body.get("scope")),
        )

    def introspect(self, client_id: str, client_secret: str, token: str) -> Introspection:
        data = {"client_id": client_id, "client_secret": client_secret, "token": token}
        response = self._request("POST", f"{self.endpoints.oauth_url}/introspectToken", data=data)
        body = _oauth_json(response, "token introspection", INTROSPECTION)
        if not isinstance(body.get("active"), bool):
            raise UnexpectedResponse("token introspection: answer lacks 'active'")
        return Introspection(
            active=body["active"],
            status=body.get("status"),
            scopes=split_scopes(body.get("scope")),
        )

    # -- Marketing API -------------------------------------------------------------------------
    def ad_account_users(self, access_token: str) -> list[AdAccountRole]:
        """The authenticated member's ad accounts and role on each."""
        response = self._request(
            "GET",
            f"{self.endpoints.api_url}/adAccountUsers",
            params={"q": "authenticatedUser"},
            headers={
                "Authorization": f"Bearer {access_token}",
                "LinkedIn-Version": self.endpoints.api_version,
                "X-Restli-Protocol-Version": "2.0.0",
            },
        )
        body = _api_json(response, "ad account lookup")
        elements = body.get("elements")
        if not isinstance(elements, list):
            raise UnexpectedResponse("ad account lookup: answer lacks 'elements'")
        roles = []
        for element in elements:
            if not isinstance(element, dict) or "account" not in element:
                raise UnexpectedResponse("ad account lookup: an element lacks 'account'")
            roles.append(AdAccountRole(str(element["account"]), str(element.get("role", "UNKNOWN"))))
        return roles

    # -- Ad account details and the reporting probe --------------------------------------------
    def _api_headers(self, access_token: str) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {access_token}",
            "LinkedIn-Version": self.endpoints.api_version,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def ad_account_details(self, access_token: str, urns: list[str]) -> tuple[dict[str, "AdAccount"], dict[str, APIError]]:
        """One batch get of the accounts' details: (details by URN, per-account errors by URN)."""
        ids = {account_id(u): u for u in urns}
        url = f"{self.endpoints.api_url}/adAccounts?ids={restli_list(list(ids))}"
        body = _api_json(self._request("GET", url, headers=self._api_headers(access_token)), "ad account details")
        results = body.get("results")
        if not isinstance(results, dict):
            raise UnexpectedResponse("ad account details: answer lacks 'results'")
        found: dict[str, AdAccount] = {}
        for key, item in results.items():
            if key in ids and isinstance(item, dict):
                found[ids[key]] = AdAccount(
                    id=key, name=item.get("name"), status=item.get("status"), currency=item.get("currency"),
                    test=bool(item.get("test")), type=item.get("type"))
        errors: dict[str, APIError] = {}
        for key, item in (body.get("errors") or {}).items():
            if key in ids and isinstance(item, dict):
                status, service = str(item.get("status")), str(item.get("serviceErrorCode"))
                errors[ids[key]] = APIError(int(status) if status.isdigit() else 0, item.get("code"),
                                            int(service) if service.isdigit() else None,
                                            str(item.get("message", "")))
        return found, errors

    def ad_analytics_probe(self, access_token: str, account_urn: str, day: date) -> int:
        """One small reporting call (one account, one metric, the 30 days up to `day` as one row):
        the number of rows LinkedIn returned. 0 means no delivery *or* no access: LinkedIn answers
        both with an empty `elements`."""
        url = analytics_probe_url(self.endpoints.api_url, account_urn, day)
        body = _api_json(self._request("GET", url, headers=self._api_headers(access_token)), "reporting probe")
        elements = body.get("elements")
        if not isinstance(elements, list):
            raise UnexpectedResponse("reporting probe: answer lacks 'elements'")
        return len(elements)


def _ms(since: float) -> int:
    return round((time.monotonic() - since) * 1000)


def _tally(attempts: int, started: float) -> str:
    if attempts <= 1:
        return ""
    return f" ({attempts} attempts, {time.monotonic() - started:.1f} s in all)"


def _describe_failure(exc: requests.exceptions.RequestException, host: str, timeout: float) -> str:
    """One short phrase for a failed attempt, free of request data."""
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS handshake with {host} failed ({_reason(exc)})"
    if isinstance(exc, requests.exceptions.Timeout):
        return f"{host} did not answer within {timeout:g} s"
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc)
        if re.search(r"Name or service not known|nodename nor servname|getaddrinfo|Temporary failure in name "
                     r"resolution|NameResolutionError", text):
            return f"DNS lookup for {host} failed"
        if "Connection refused" in text or "ConnectionRefused" in text:
            return f"{host} refused the connection"
        if re.search(r"Read timed out|timed out", text):
            return f"{host} did not answer within {timeout:g} s"
        return f"connection to {host} failed ({_reason(exc)})"
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        return f"{host} dropped the connection mid-answer"
    return f"request to {host} failed ({type(exc).__name__})"


def _reason(exc: Exception) -> str:
    # The innermost cause names the real problem; keep it short and free of request data.
    inner = exc
    while inner.__cause__ or inner.__context__:
        inner = inner.__cause__ or inner.__context__  # type: ignore[assignment]
    return type(inner).__name__


def _refuse_redirect(response: requests.Response, what: str) -> None:
    """A 3xx is not an answer: name where it points, follow it never."""
    if 300 <= response.status_code < 400:
        from checks.credentials.secrets import display_url

        location = response.headers.get("Location", "")
        where = f" to {display_url(location)}" if location else " without a Location"
        raise UnexpectedResponse(f"{what}: HTTP {response.status_code} redirect{where}, not followed "
                                 "(the secrets stay here): check LINKEDIN_OAUTH_URL / LINKEDIN_API_URL")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


MAX_QUOTED = 200  # characters of an unknown body quoted back to the user


def read_said(response: requests.Response, origin: str) -> Said:
    """LinkedIn's answer in any of its shapes; a body with none of the known fields is quoted."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = body.get("code", body.get("error"))
        words = body.get("message", body.get("error_description"))
        service = body.get("serviceErrorCode")
        if isinstance(service, str) and service.isdigit():
            service = int(service)
        said = Said(origin, status, str(code) if code not in (None, "") else None,
                    service if isinstance(service, int) else None, str(words) if words is not None else "")
        if said.code or said.service_error_code is not None or said.message:
            return said
    return Said(origin, status, message=_describe_body(response), quoted=True)


def _describe_body(response: requests.Response) -> str:
    """What a body without LinkedIn's error fields held, in a few words and a short quote."""
    text = response.text.strip() if response.content else ""
    kind = response.headers.get("Content-Type", "no content type").split(";")[0]
    if not text:
        return "(an empty body)"
    if "html" in kind or text.startswith("<"):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
        return "(an HTML page" + (f": {' '.join(title.group(1).split())[:MAX_QUOTED]})" if title else ")")
    quoted = " ".join(text.split())
    return f"({kind}: {quoted[:MAX_QUOTED]}{'…' if len(quoted) > MAX_QUOTED else ''})"


def _transient(response: requests.Response, what: str, origin: str) -> None:
    status = response.status_code
    if status == 429:
        after = _retry_after(response)
        hint = f"; LinkedIn asks to wait {after:g} s" if after else ""
        raise RateLimited(f"{what}: HTTP 429 Too Many Requests{hint}", after,
                          daily=is_daily_limit(status, response.text), said=read_said(response, origin))
    if status >= 500:
        raise ServiceUnavailable(f"{what}: LinkedIn answered HTTP {status}", status, said=read_said(response, origin))


def _parse_json(response: requests.Response, what: str) -> dict:
    try:
        body = response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", "no content type").split(";")[0]
        if not response.content:
            detail = "an empty body"
        elif "html" in kind or response.text.lstrip().startswith("<"):
            detail = "an HTML page"
        else:
            detail = f"malformed or truncated JSON ({kind})"
        raise UnexpectedResponse(f"{what}: HTTP {response.status_code} with {detail}") from None
    if not isinstance(body, dict):
        raise UnexpectedResponse(f"{what}: HTTP {response.status_code} with JSON that is not an object")
    return body


def _oauth_json(response: requests.Response, what: str, origin: str) -> dict:
    _transient(response, what, origin)
    if response.ok:
        return _parse_json(response, what)
    said = read_said(response, origin)
    body = _json_or_none(response)
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        raise OAuthError(response.status_code, body["error"], said.message, origin)
    raise UnexpectedResponse(f"{what}: {said.quote()}", said)


def _api_json(response: requests.Response, what: str) -> dict:
    _transient(response, what, API)
    if response.ok:
        return _parse_json(response, what)
    said = read_said(response, API)
    body = _json_or_none(response)
    if isinstance(body, dict) and (said.code or said.service_error_code is not None or said.message):
        raise APIError(response.status_code, said.code, said.service_error_code, said.message)
    raise UnexpectedResponse(f"{what}: {said.quote()}", said)


def _json_or_none(response: requests.Response):
    try:
        return response.json()
    except ValueError:
        return None


# -- Ad account details and the reporting probe (i12) --------------------------------------------
@dataclass
class AdAccount:
    """`GET /rest/adAccounts`: what a person recognises an account by."""

    id: str
    name: str | None = None
    status: str | None = None  # ACTIVE, CANCELED, DRAFT, ...
    currency: str | None = None
    test: bool = False
    type: str | None = None


def account_id(urn: str) -> str:
    """`urn:li:sponsoredAccount:516413367` -> `516413367`"""
    return urn.rsplit(":", 1)[-1]


def restli_list(values: list[str]) -> str:
    """Rest.li 2.0 `List(...)` with each value URL-encoded (`:` -> `%3A`), the list syntax kept as is.

    Built by hand and put in the URL directly: `params=` would encode the parentheses and commas,
    and encoding the values twice would turn `%3A` into `%253A`.
    """
    from urllib.parse import quote

    return "List(" + ",".join(quote(v, safe="") for v in values) + ")"


PROBE_DAYS = 30  # a window long enough that an account with any recent delivery shows a row


def analytics_probe_url(api_url: str, account_urn: str, day) -> str:
    """A small adAnalytics query: one account, one metric, the PROBE_DAYS up to `day` as one row
    (timeGranularity=ALL), so the answer is one row or none."""
    start = day - timedelta(days=PROBE_DAYS - 1)

    def when(d) -> str:
        return f"(year:{d.year},month:{d.month},day:{d.day})"

    return (f"{api_url}/adAnalytics?q=analytics&pivot=ACCOUNT&timeGranularity=ALL"
            f"&dateRange=(start:{when(start)},end:{when(day)})&accounts={restli_list([account_urn])}"
            f"&fields=impressions")
