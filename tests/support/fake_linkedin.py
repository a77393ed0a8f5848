"""A fake LinkedIn (OAuth + Marketing API) on 127.0.0.1 for end-to-end tests and benchmarks.

It implements just what the checks use, with LinkedIn's documented behaviour and verbatim error
bodies, plus knobs to misbehave: queued canned answers, added latency, dropped connections.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.support.loopback import serve

CLIENT_ID = "86example1234a"
CLIENT_SECRET = "WPL_AP1.Ex4mpleS3cretVal.ue+/=="
REFRESH_TOKEN = "AQX" + "r" * 40 + "EXAMPLE-refresh-token-" + "x" * 400 + "k9Q"
INVALID_GRANT = {
    "error": "invalid_request",
    "error_description": "The provided authorization grant or refresh token is invalid, expired or revoked",
}
INVALID_CLIENT = {"error": "invalid_client", "error_description": "Client authentication failed"}
ACCESS_DENIED = {
    "status": 403,
    "serviceErrorCode": 100,
    "code": "ACCESS_DENIED",
    "message": "Not enough permissions to access: adAccountUsersV2.FINDER-authenticatedUser.20260101",
}
SUNSET = {"status": 426, "code": "NONEXISTENT_VERSION", "message": "Requested version 20250201 is not active"}
THROTTLED = {
    "status": 429,
    "serviceErrorCode": 101,
    "code": "TOO_MANY_REQUESTS",
    "message": "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
}
REVOKED = {
    "status": 401,
    "serviceErrorCode": 65601,
    "code": "REVOKED_ACCESS_TOKEN",
    "message": "The token used in the request has been revoked by the user",
}
# A reporting call on an account the member has no role on (the message names resource, method, version).
ANALYTICS_DENIED = {
    "status": 403,
    "serviceErrorCode": 100,
    "code": "ACCESS_DENIED",
    "message": "Not enough permissions to access: adAnalytics.FINDER-analytics.20260701",
}
# Development tier: an account not listed under View Ad Accounts on the app's Products tab.
NOT_ON_APP = {
    "status": 403,
    "serviceErrorCode": 100,
    "code": "ACCESS_DENIED",
    "message": "Your application is not configured to access the related advertiser account(s)",
}
ACCOUNT_DETAILS = {
    "516413367": {"id": 516413367, "name": "Acme EU", "status": "ACTIVE", "type": "BUSINESS", "currency": "EUR",
                  "test": False, "reference": "urn:li:organization:2414183"},
    "508774356": {"id": 508774356, "name": "Acme sandbox", "status": "CANCELED", "type": "BUSINESS", "currency": "USD",
                  "test": True, "reference": "urn:li:organization:2414183"},
}
ACCOUNTS = [
    {"account": "urn:li:sponsoredAccount:516413367", "role": "ACCOUNT_BILLING_ADMIN", "user": "urn:li:person:K1RwyVNukt"},
    {"account": "urn:li:sponsoredAccount:508774356", "role": "VIEWER", "user": "urn:li:person:K1RwyVNukt"},
]


@dataclass
class Canned:
    status: int
    body: object = None  # dict -> JSON, str -> sent as is
    headers: dict = field(default_factory=dict)
    drop: bool = False  # close the connection without answering
    delay: float = 0.0


@dataclass
class FakeLinkedIn:
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    refresh_token: str = REFRESH_TOKEN
    scope: str = "r_ads,r_ads_reporting"
    introspect_scope: str | None = None  # defaults to `scope`
    introspect_active: bool = True
    accounts: list = field(default_factory=lambda: list(ACCOUNTS))
    refresh_token_expires_in: int | None = 300 * 86400
    rotate_refresh_token: bool = False
    return_refresh_token_on_code: bool = True
    consent: str = "allow"  # or "cancel": what the fake user clicks on /authorization
    latency: float = 0.0  # added to every request
    queued: dict = field(default_factory=dict)  # endpoint name -> list[Canned], used first
    requests: list = field(default_factory=list)  # (endpoint, method, path, headers, form)
    issued_codes: dict = field(default_factory=dict)
    api_version_min: str = "202501"
    account_details: dict = field(default_factory=lambda: dict(ACCOUNT_DETAILS))  # id -> adAccounts entity
    analytics_errors: dict = field(default_factory=dict)  # account URN -> (status, body) for adAnalytics
    in_flight: int = 0  # requests being answered right now
    peak_in_flight: int = 0  # the most answered at once: proves callers overlap their requests
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def queue(self, endpoint: str, *answers: Canned) -> None:
        self.queued.setdefault(endpoint, []).extend(answers)

    def calls(self, endpoint: str) -> int:
        return sum(1 for r in self.requests if r[0] == endpoint)


def _handler(fake: FakeLinkedIn):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output clean
            pass

        def _send(self, status: int, body=None, headers=None):
            payload = body if isinstance(body, (bytes, str)) else json.dumps(body if body is not None else {})
            data = payload.encode() if isinstance(payload, str) else payload
            self.send_response(status)
            ctype = "application/json" if not isinstance(body, (str, bytes)) else "text/html; charset=utf-8"
            self.send_header("Content-Type", (headers or {}).pop("Content-Type", ctype))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _dispatch(self, method: str):
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            form = {k: v[0] for k, v in parse_qs(raw).items()}
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            endpoint = {
                "/oauth/v2/accessToken": "token",
                "/oauth/v2/introspectToken": "introspect",
                "/rest/adAccountUsers": "adAccountUsers",
                "/rest/adAccounts": "adAccounts",
                "/rest/adAnalytics": "adAnalytics",
                "/oauth/v2/authorization": "authorization",
            }.get(url.path, "unknown")
            fake.requests.append((endpoint, method, url.path, dict(self.headers), form, url.query))
            if fake.latency:
                time.sleep(fake.latency)
            queue = fake.queued.get(endpoint)
            if queue:
                canned = queue.pop(0)
                if canned.delay:
                    time.sleep(canned.delay)
                if canned.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                return self._send(canned.status, canned.body, dict(canned.headers))
            handler = getattr(self, f"_{endpoint}", None)
            if handler is None:
                return self._send(404, "<html><body>Page not found</body></html>")
            return handler(form, query)

        def _counted(self, method: str):
            with fake._lock:
                fake.in_flight += 1
                fake.peak_in_flight = max(fake.peak_in_flight, fake.in_flight)
            try:
                self._dispatch(method)
            finally:
                with fake._lock:
                    fake.in_flight -= 1

        def do_GET(self):
            self._counted("GET")

        def do_POST(self):
            self._counted("POST")

        # -- endpoints -----------------------------------------------------------------------
        def _token(self, form, query):
            if form.get("client_id") != fake.client_id or form.get("client_secret") != fake.client_secret:
                return self._send(401, INVALID_CLIENT)
            grant = form.get("grant_type")
            body = {"access_token": "AQV" + secrets.token_urlsafe(300), "expires_in": 5183999, "scope": fake.scope}
            if grant == "refresh_token":
                if not form.get("refresh_token"):
                    return self._send(400, {"error": "invalid_request",
                                            "error_description": 'A required parameter "refresh_token" is missing'})
                if form["refresh_token"] != fake.refresh_token:
                    return self._send(400, INVALID_GRANT)
                if fake.rotate_refresh_token:
                    fake.refresh_token = "AQR" + secrets.token_urlsafe(300)
                body["refresh_token"] = fake.refresh_token
            elif grant == "authorization_code":
                expected_uri = fake.issued_codes.pop(form.get("code", ""), None)
                if expected_uri is None or expected_uri != form.get("redirect_uri"):
                    return self._send(400, {"error": "invalid_request",
                                            "error_description": "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists"})
                if fake.return_refresh_token_on_code:
                    body["refresh_token"] = fake.refresh_token
            else:
                return self._send(400, {"error": "unsupported_grant_type", "error_description": "grant_type is invalid"})
            if "refresh_token" in body and fake.refresh_token_expires_in is not None:
                body["refresh_token_expires_in"] = fake.refresh_token_expires_in
            self._send(200, body)

        def _introspect(self, form, query):
            if form.get("client_id") != fake.client_id:
                return self._send(400, {"error": "invalid_request", "error_description": "invalid client id"})
            if form.get("client_secret") != fake.client_secret:
                return self._send(401, INVALID_CLIENT)
            if not fake.introspect_active:
                return self._send(200, {"active": False})
            now = int(time.time())
            self._send(200, {
                "active": True, "client_id": fake.client_id, "authorized_at": now - 86400,
                "created_at": now, "status": "active", "expires_at": now + 5183999, "auth_type": "3L",
                "scope": fake.introspect_scope if fake.introspect_scope is not None else fake.scope,
            })

        def _refused(self) -> bool:
            """Version and token checks every /rest call goes through; True when it answered already."""
            version = self.headers.get("LinkedIn-Version")
            if not version:
                self._send(400, {"status": 400, "code": "VERSION_MISSING", "message": "A version must be present."})
                return True
            if version < fake.api_version_min:
                self._send(426, {"status": 426, "code": "NONEXISTENT_VERSION",
                                 "message": f"Requested version {version[:6]}01 is not active"})
                return True
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Bearer AQV") or self.headers.get("X-Restli-Protocol-Version") != "2.0.0":
                self._send(401, {"status": 401, "serviceErrorCode": 65600,
                                 "code": "INVALID_ACCESS_TOKEN", "message": "Invalid access token"})
                return True
            return False

        def _adAccounts(self, form, query):
            if self._refused():
                return
            match = re.fullmatch(r"List\(([\d,]+)\)", query.get("ids", ""))
            if not match:
                return self._send(400, {"status": 400, "code": "ILLEGAL_ARGUMENT", "message": "Invalid ids"})
            results, errors = {}, {}
            for account in match.group(1).split(","):
                if account in fake.account_details:
                    results[account] = fake.account_details[account]
                else:
                    errors[account] = {"status": 404, "message": "Not found"}
            self._send(200, {"results": results, "statuses": {k: 200 for k in results}, "errors": errors})

        def _adAnalytics(self, form, query):
            if self._refused():
                return
            raw = urlsplit(self.path).query
            # Rest.li 2.0: the URN is URL-encoded inside List(...), exactly once.
            match = re.search(r"(?:^|&)accounts=List\((urn%3Ali%3AsponsoredAccount%3A\d+)\)(?:&|$)", raw)
            if (query.get("q") != "analytics" or not match or "timeGranularity=ALL" not in raw
                    or not re.search(r"dateRange=\(start:\(year:\d{4},month:\d{1,2},day:\d{1,2}\),end:", raw)):
                return self._send(400, {"status": 400, "code": "ILLEGAL_ARGUMENT", "message": "Invalid query parameters"})
            urn = match.group(1).replace("%3A", ":")
            if urn in fake.analytics_errors:
                status, body = fake.analytics_errors[urn]
                return self._send(status, body)
            self._send(200, {"paging": {"count": 10, "links": [], "start": 0},
                             "elements": [{"impressions": 1234, "pivotValues": [urn]}]})

        def _adAccountUsers(self, form, query):
            if self._refused():
                return
            if query.get("q") != "authenticatedUser":
                return self._send(400, {"status": 400, "message": "Invalid query"})
            self._send(200, {"elements": fake.accounts,
                             "paging": {"count": len(fake.accounts), "links": [], "start": 0, "total": len(fake.accounts)}})

        def _authorization(self, form, query):
            redirect = query.get("redirect_uri", "")
            if query.get("client_id") != fake.client_id or not redirect:
                return self._send(400, "<html><body>Bummer, something went wrong. The redirect_uri does not match the registered value</body></html>")
            if fake.consent == "cancel":
                params = {"error": "user_cancelled_authorize", "error_description": "The user cancelled the authorization",
                          "state": query.get("state", "")}
            else:
                code = "AQT" + secrets.token_urlsafe(40)
                fake.issued_codes[code] = redirect
                params = {"code": code, "state": query.get("state", "")}
            self.send_response(302)
            self.send_header("Location", f"{redirect}?{urlencode(params)}")
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


class FakeLinkedInServer:
    """Context manager: `with FakeLinkedInServer() as server: server.env` -> endpoint variables."""

    def __init__(self, fake: FakeLinkedIn | None = None):
        self.fake = fake or FakeLinkedIn()
        self._serving: contextlib.ExitStack | None = None
        self.url = ""

    @property
    def env(self) -> dict[str, str]:
        return {"LINKEDIN_OAUTH_URL": f"{self.url}/oauth/v2", "LINKEDIN_API_URL": f"{self.url}/rest"}

    def credentials(self) -> dict[str, str]:
        return {
            "LINKEDIN_CLIENT_ID": self.fake.client_id,
            "LINKEDIN_CLIENT_SECRET": self.fake.client_secret,
            "LINKEDIN_REFRESH_TOKEN": self.fake.refresh_token,
        }

    def __enter__(self) -> FakeLinkedInServer:
        self._serving = contextlib.ExitStack()
        self.url = self._serving.enter_context(serve(_handler(self.fake)))
        return self

    def __exit__(self, *exc) -> None:
        if self._serving is not None:
            self._serving.close()
