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
    └── UnexpectedResponse      HTML, malformed JSON, missing fields

Every request has a timeout; connection errors, 429 and 5xx are retried a bounded number of
times with exponential backoff (urllib3's Retry, honouring Retry-After up to a cap).
No exception message ever contains a request body, so no secret reaches one.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from checks import __version__, errors
from checks.credentials.inputs import Endpoints

USER_AGENT = f"linkedin-ads-token-checks/{__version__} (+python-requests)"


class LinkedInError(errors.CredentialsError):
    """Base of every error talking to LinkedIn."""


class TransientError(LinkedInError, errors.TransientError):
    """Worth trying again later (exit 3)."""


class NetworkError(TransientError):
    pass


class RateLimited(TransientError):
    """429. `daily`: a per-day quota (resets at 00:00 UTC), which no retry today can help."""

    def __init__(self, message: str, retry_after: float | None = None, daily: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.daily = daily


def is_daily_limit(status: int, body_text: str) -> bool:
    """LinkedIn's per-day throttles: `... APPLICATION DAY limit ...` / `... MEMBER DAY limit ...`.

    Retrying one only burns calls: the transport must not retry it, the report says when it resets.
    """
    return status == 429 and bool(re.search(r"\b(APPLICATION|MEMBER)\s+DAY\b", body_text, re.IGNORECASE))


class ServiceUnavailable(TransientError):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class UnexpectedResponse(LinkedInError):
    pass


class OAuthError(LinkedInError):
    def __init__(self, status: int, error: str, description: str):
        super().__init__(f"HTTP {status} {error}: {description}")
        self.status = status
        self.error = error
        self.description = description


class APIError(LinkedInError):
    def __init__(self, status: int, code: str | None, service_error_code: int | None, message: str):
        super().__init__(f"HTTP {status} {code or service_error_code}: {message}")
        self.status = status
        self.code = code
        self.service_error_code = service_error_code
        self.message = message


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


class _CappedRetry(Retry):
    """urllib3 Retry that never sleeps longer than `max_wait` for a Retry-After header."""

    max_wait = 30.0

    def get_retry_after(self, response):  # type: ignore[override]
        after = super().get_retry_after(response)
        return None if after is None else min(after, self.max_wait)


class LinkedInClient:
    def __init__(
        self,
        endpoints: Endpoints | None = None,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.5,
        log: Callable[[str], None] | None = None,
    ):
        self.endpoints = endpoints or Endpoints()
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.log = log
        self._local = threading.local()  # one Session per thread: steps 3 and 4 run concurrently

    # -- transport -----------------------------------------------------------------------------
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            retry = _CappedRetry(
                total=self.retries,
                connect=self.retries,
                read=self.retries,
                status=self.retries,
                other=0,
                allowed_methods=None,  # the refresh exchange is safe to repeat
                status_forcelist=(429, 500, 502, 503, 504),
                backoff_factor=self.backoff,
                respect_retry_after_header=True,
                raise_on_status=False,  # hand back the last 429/5xx so it can be reported
            )
            session = requests.Session()
            session.headers["User-Agent"] = USER_AGENT
            adapter = HTTPAdapter(max_retries=retry)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            self._local.session = session
        return session

    def _request(self, method: str, url: str, **kwargs) -> requests.Response:
        host = urlsplit(url).netloc or url
        started = time.monotonic()
        try:
            response = self._session().request(method, url, timeout=self.timeout, **kwargs)
        except requests.exceptions.SSLError as exc:
            raise NetworkError(f"TLS handshake with {host} failed ({_reason(exc)})") from None
        except requests.exceptions.Timeout:
            raise NetworkError(f"{host} did not answer within {self.timeout:g} s") from None
        except requests.exceptions.ConnectionError as exc:
            text = str(exc)
            if re.search(r"Name or service not known|nodename nor servname|getaddrinfo|Temporary failure in name resolution|NameResolutionError", text):
                raise NetworkError(f"DNS lookup for {host} failed") from None
            if "Connection refused" in text or "ConnectionRefused" in text:
                raise NetworkError(f"{host} refused the connection") from None
            if re.search(r"Read timed out|timed out", text):
                raise NetworkError(f"{host} did not answer within {self.timeout:g} s") from None
            raise NetworkError(f"connection to {host} failed ({_reason(exc)})") from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise NetworkError(f"{host} dropped the connection mid-answer") from None
        except requests.exceptions.RequestException as exc:
            raise NetworkError(f"request to {host} failed ({type(exc).__name__})") from None
        if self.log:
            elapsed = (time.monotonic() - started) * 1000
            self.log(f"{method} {url.split('?')[0]} -> HTTP {response.status_code} ({elapsed:.0f} ms)")
        return response

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
        response = self._request("POST", f"{self.endpoints.oauth_url}/accessToken", data=data)
        body = _oauth_json(response, what)
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
        body = _oauth_json(response, "token introspection")
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


def _reason(exc: Exception) -> str:
    # The innermost cause names the real problem; keep it short and free of request data.
    inner = exc
    while inner.__cause__ or inner.__context__:
        inner = inner.__cause__ or inner.__context__  # type: ignore[assignment]
    return type(inner).__name__


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None


def _transient(response: requests.Response, what: str) -> None:
    status = response.status_code
    if status == 429:
        after = _retry_after(response)
        hint = f"; LinkedIn asks to wait {after:g} s" if after else ""
        raise RateLimited(f"{what}: HTTP 429 Too Many Requests{hint}", after,
                          daily=is_daily_limit(status, response.text))
    if status >= 500:
        raise ServiceUnavailable(f"{what}: LinkedIn answered HTTP {status}", status)


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


def _oauth_json(response: requests.Response, what: str) -> dict:
    _transient(response, what)
    body = _parse_json(response, what)
    if response.ok:
        return body
    error = body.get("error")
    if isinstance(error, str):
        raise OAuthError(response.status_code, error, str(body.get("error_description", "")))
    raise UnexpectedResponse(f"{what}: HTTP {response.status_code} without an OAuth error code")


def _api_json(response: requests.Response, what: str) -> dict:
    _transient(response, what)
    body = _parse_json(response, what)
    if response.ok:
        return body
    code = body.get("code")
    service_code = body.get("serviceErrorCode")
    message = str(body.get("message", ""))
    if code or service_code is not None or message:
        raise APIError(response.status_code, code, service_code, message)
    raise UnexpectedResponse(f"{what}: HTTP {response.status_code} without an error code")
