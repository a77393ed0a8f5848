"""LinkedIn's answers in one table: where an answer came from (the token endpoint, token
introspection or the Marketing API), its HTTP status, its code and its words -> the problem they
mean (id, exit code, fix and guide step come from checks.credentials.problems).

diagnose.py looks every failed call up here, and docs/errors.md (the LinkedIn error reference)
is generated from the same rows, so the verdicts and the page cannot drift apart. The words in
`words` are LinkedIn's own, as recorded in tests/fixtures/linkedin/, where each body names its
public source. To teach the checks a new answer: add a row (most specific first) and a fixture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checks.credentials.problems import PROBLEMS, Problem

TOKEN, INTROSPECTION, API = "token", "introspection", "api"
ORIGINS = {TOKEN: ("the token endpoint", "POST /oauth/v2/accessToken"),
           INTROSPECTION: ("token introspection", "POST /oauth/v2/introspectToken"),
           API: ("the Marketing API", "/rest/…")}

# LinkedIn's per-day throttles, in the forms seen: "Resource level throttle APPLICATION DAY limit
# ...", "... MEMBER DAY limit ...", "... APPLICATION_AND_MEMBER DAY limit ...". They reset at 00:00
# UTC and send no Retry-After: the body is the only sign, and retrying only burns calls.
DAILY_LIMIT = re.compile(r"\b(?:APPLICATION_AND_MEMBER|APPLICATION|MEMBER)\s+DAY\b", re.IGNORECASE)


def is_daily_limit(status: int, text: str) -> bool:
    return status == 429 and bool(DAILY_LIMIT.search(text))


@dataclass(frozen=True)
class Said:
    """One answer from LinkedIn, whatever its shape: `{status, serviceErrorCode, code, message}`,
    `{serviceErrorCode, message, status}`, `{status, code, message}`, `{message, status}`, OAuth's
    `{error, error_description}`, an empty body or a page of HTML (then `message` is an excerpt)."""

    origin: str
    status: int
    code: str | None = None  # the API's `code`, or OAuth's `error`
    service_error_code: int | None = None
    message: str = ""  # `message` / `error_description`, or what the body held instead
    quoted: bool = False  # True: the body had none of LinkedIn's fields; `message` describes it

    def quote(self) -> str:
        """`LinkedIn said: HTTP 401 RESTRICTED_MEMBER 65608: Member is restricted`"""
        tags = " ".join(str(t) for t in (self.code, self.service_error_code) if t not in (None, ""))
        return f"LinkedIn said: HTTP {self.status}" + (f" {tags}" if tags else "") + (
            f": {self.message}" if self.message else "")


@dataclass(frozen=True)
class Answer:
    """One row: which answers it covers (key) and what they mean (value)."""

    origins: tuple[str, ...]
    problem_id: str
    summary: str  # the check's line; may name {client_id} (masked)
    status: int | tuple[int, int] | None = None  # one status, an inclusive range, or any
    codes: tuple[str | int, ...] = ()  # any of code / serviceErrorCode / OAuth error; () = any
    pattern: str | None = None  # a regular expression LinkedIn's words must contain
    # For the LinkedIn error reference (docs/errors.md); rows without a heading are catch-alls.
    heading: str = ""
    words: str = ""
    meaning: str = ""
    fix: str | None = None  # replaces the problem's fix where the answer says more
    details: tuple[str, ...] = ()
    fields: bool = False  # only for LinkedIn's own JSON (a proxy's HTML 401/403 means nothing here)

    @property
    def problem(self) -> Problem:
        return PROBLEMS[self.problem_id]

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9_]+", "-", self.heading.lower()).strip("-")

    def matches(self, said: Said) -> bool:
        if said.origin not in self.origins or (self.fields and said.quoted):
            return False
        if isinstance(self.status, int) and said.status != self.status:
            return False
        if isinstance(self.status, tuple) and not self.status[0] <= said.status <= self.status[1]:
            return False
        if self.codes and not {said.code, said.service_error_code} & set(self.codes):
            return False
        return not self.pattern or bool(re.search(self.pattern, said.message, re.IGNORECASE))


STEP_4 = "or create a new token for this app (Step 4)"
ANY = (TOKEN, INTROSPECTION, API)

TABLE: tuple[Answer, ...] = (
    # -- anywhere, first: a 429 or a 5xx means the same whatever else the body says ---------
    Answer(ANY, "daily-limit", "LinkedIn's daily limit for this app is reached", status=429,
           pattern=DAILY_LIMIT.pattern,
           heading="TOO_MANY_REQUESTS 101: DAY limit",
           words="Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls to this resource is reached.",
           meaning="A daily quota (per app, per member, or both: APPLICATION, MEMBER or "
           "APPLICATION_AND_MEMBER) is used up. It resets at 00:00 UTC and LinkedIn sends no "
           "Retry-After: verify calls once and does not retry."),
    Answer(ANY, "rate-limited", "LinkedIn is rate limiting this app", status=429,
           heading="TOO_MANY_REQUESTS 101: throttled",
           words="Resource level throttle limit for calls to this resource is reached.",
           meaning="A short throttle, or LinkedIn's infrastructure protection: it passes on its own. "
           "verify retries a few times with backoff.",
           fix="Wait a few minutes and run again; do not run the verifier or the pipeline in a loop."),
    Answer(ANY, "linkedin-unavailable", "LinkedIn answered with a server error", status=(500, 599),
           heading="HTTP 5xx",
           words="(a server error; the body varies)",
           meaning="LinkedIn's side failed (LinkedIn also answers 500 when it cannot verify a token "
           "downstream). Nothing to fix here: verify retries, then asks you to try later."),
    # -- the token endpoint: the refresh exchange (and the authorization-code exchange) ---------
    Answer((TOKEN,), "token-other-app",
           "This refresh token was issued to a different app than Client ID {client_id}",
           status=400, codes=("refresh_token_client_mismatch",),
           heading="refresh_token_client_mismatch",
           words="The passed in client_id does not own the refresh token",
           meaning="The refresh token is genuine, but another LinkedIn app created it. Every refresh fails "
           "until the Client ID, Primary Client Secret and refresh token come from the same app.",
           fix="Use the Client ID and Primary Client Secret of the app that created this token, "
           f"{STEP_4}."),
    Answer((TOKEN,), "invalid-refresh-token", "LinkedIn rejected the refresh token (invalid, expired or revoked)",
           codes=("invalid_request", "invalid_grant"), pattern=r"refresh token|authorization grant",
           heading="invalid_request: refresh token is invalid, expired or revoked",
           words="The provided authorization grant or refresh token is invalid, expired or revoked",
           meaning="No access token can be minted: the pipeline stops at its first refresh. LinkedIn does "
           "not say which of the causes applies.",
           details=("Likely causes: the Access token was pasted instead of the Refresh token;",
                    "it was revoked, or 365 days have passed since the first consent.")),
    Answer((TOKEN,), "malformed-input", "LinkedIn says a parameter is missing",
           codes=("invalid_request",), pattern=r"missing",
           heading="invalid_request: a required parameter is missing",
           words='A required parameter "refresh_token" is missing',
           meaning="The request reached LinkedIn without a value, usually an empty variable in the "
           "pipeline's configuration."),
    Answer((TOKEN,), "invalid-refresh-token", "LinkedIn rejected the refresh token (invalid_grant)",
           codes=("invalid_grant",),
           heading="invalid_grant",
           words="(error invalid_grant: the OAuth standard's code; LinkedIn itself answers invalid_request)",
           meaning="The OAuth standard's name for a refresh token the server will not accept: treated "
           "like LinkedIn's invalid_request about the refresh token."),
    Answer((TOKEN, INTROSPECTION), "invalid-client", "LinkedIn rejected the Client ID or Primary Client Secret",
           codes=("invalid_client", "invalid_client_id"),
           heading="invalid_client",
           words="Client authentication failed",
           meaning="LinkedIn does not recognise the Client ID with this secret (LinkedIn's table also "
           "writes invalid_client_id). Nothing works until both are copied again."),
    Answer((TOKEN,), "refresh-not-enabled", "LinkedIn does not let this app use refresh tokens",
           codes=("unauthorized_client",),
           heading="unauthorized_client",
           words="(error unauthorized_client; no recorded description)",
           meaning="The app may not use this grant: programmatic refresh tokens come only with an "
           "approved Advertising API (Marketing) product."),
    Answer((TOKEN, INTROSPECTION), "invalid-client", "LinkedIn rejected the Client ID or Primary Client Secret",
           status=401, fields=True),
    # -- the Marketing API ------------------------------------------------------------------------
    Answer((API,), "access-token-rejected", "LinkedIn rejected the access token it had just issued",
           status=401, codes=(65600, "INVALID_ACCESS_TOKEN"),
           heading="INVALID_ACCESS_TOKEN 65600",
           words="Invalid access token",
           meaning="The API does not accept the token: it was cut off or mangled on its way, or (for a "
           "token minted seconds ago) LinkedIn has not caught up yet."),
    Answer((API,), "access-token-rejected", "LinkedIn rejected the access token it had just issued",
           status=401, codes=(65601, "REVOKED_ACCESS_TOKEN"),
           heading="REVOKED_ACCESS_TOKEN 65601",
           words="The token used in the request has been revoked by the user",
           meaning="The member removed the app, a newer authorization with other scopes replaced the "
           "token, or (right after a refresh) LinkedIn has not caught up yet: verify waits once and asks "
           "again before it reports this."),
    Answer((API,), "access-token-rejected", "LinkedIn rejected the access token it had just issued",
           status=401, codes=(65602, "EXPIRED_ACCESS_TOKEN"),
           heading="EXPIRED_ACCESS_TOKEN 65602",
           words="The token used in the request has expired",
           meaning="Access tokens live 60 days. A pipeline that stores an access token instead of "
           "refreshing it stops here; right after a refresh it means LinkedIn has not caught up yet."),
    Answer((API,), "unexpected-response", "LinkedIn received the call without an access token",
           status=401, codes=(65604, "EMPTY_ACCESS_TOKEN"),
           heading="EMPTY_ACCESS_TOKEN 65604",
           words="(LinkedIn documents the error type \"Empty OAuth2 access token\"; no recorded body)",
           meaning="The Authorization header arrived empty: a proxy stripped it, or the pipeline sent an "
           "empty variable.",
           fix="Check that no proxy between you and LinkedIn removes the Authorization header "
           "(HTTPS_PROXY), then run again with --verbose."),
    Answer((API,), "member-restricted", "LinkedIn has restricted the member who authorized this token",
           status=401, codes=(65608, "RESTRICTED_MEMBER"),
           heading="RESTRICTED_MEMBER 65608",
           words="Member is restricted",
           meaning="LinkedIn restricted the LinkedIn account (the member) whose consent the token "
           "carries. Every call made with the token fails; no retry and no new token of the same "
           "member helps until LinkedIn lifts the restriction."),
    Answer((API,), "access-token-rejected", "LinkedIn rejected the access token it had just issued",
           status=401, fields=True),  # another 401 of LinkedIn's: the token refused, reason unnamed
    Answer((API,), "api-version-sunset", "LinkedIn no longer serves this LinkedIn-Version",
           status=426, heading="NONEXISTENT_VERSION 426",
           words="Requested version 20230901 is not active",
           meaning="The LinkedIn-Version header names a retired monthly version (LinkedIn writes it as "
           "YYYYMMDD). Every Marketing API call fails until the version is moved."),
    Answer((API,), "api-version-sunset", "LinkedIn no longer serves this LinkedIn-Version",
           codes=("NONEXISTENT_VERSION",)),
    Answer((API,), "unexpected-response", "LinkedIn received the call without a LinkedIn-Version header",
           status=400, codes=("VERSION_MISSING",),
           heading="VERSION_MISSING 400",
           words="(code VERSION_MISSING; no recorded message)",
           meaning="The call reached LinkedIn without LinkedIn-Version: LINKEDIN_API_VERSION is empty, "
           "or a proxy removed the header.",
           fix="Set LINKEDIN_API_VERSION to a current YYYYMM version and check that no proxy removes "
           "headers, then run again with --verbose."),
    Answer((API,), "account-not-on-app", "The ad account is not added to the app (Development tier)",
           status=403, pattern=r"not configured to access|advertiser account",
           heading="ACCESS_DENIED 100: application is not configured to access the advertiser account",
           words="Your application is not configured to access the related advertiser account(s)",
           meaning="On the Development tier the app reaches only the ad accounts listed on it; calls for "
           "any other account fail."),
    Answer((API,), "no-api-access", "The token may not use the Advertising API",
           status=403, codes=(100, "ACCESS_DENIED"),
           heading="ACCESS_DENIED 100: not enough permissions",
           words="Not enough permissions to access: <resource>.<method>.<version>",
           meaning="A missing scope, a product the app lacks, or no role on the ad account look the "
           "same. On the account list it means the app or token may not use the Advertising API; on a "
           "reporting call verify tells the causes apart by the token's scopes."),
    Answer((API,), "no-api-access", "The token may not use the Advertising API", status=403, fields=True),
    Answer((API,), "unexpected-response", "LinkedIn has no such resource at this address",
           status=404, codes=("RESOURCE_NOT_FOUND",),
           heading="RESOURCE_NOT_FOUND 404",
           words="No virtual resource found",
           meaning="The path does not exist in this LinkedIn-Version, or LINKEDIN_API_URL does not point "
           "at https://api.linkedin.com/rest.",
           fix="Unset LINKEDIN_API_URL (or point it at https://api.linkedin.com/rest) and check "
           "LINKEDIN_API_VERSION, then run again with --verbose."),
    # -- catch-alls: an answer nobody recorded yet is quoted, never guessed at -------------------
    Answer((TOKEN,), "unexpected-response", "LinkedIn refused the refresh exchange"),
    Answer((INTROSPECTION,), "unexpected-response", "Token introspection failed"),
    Answer((API,), "unexpected-response", "Unexpected answer from the Advertising API"),
)


def look_up(said: Said) -> Answer:
    """The first row that covers LinkedIn's answer (the catch-alls cover everything)."""
    return next(a for a in TABLE if a.matches(said))


def documented() -> list[Answer]:
    """The rows the LinkedIn error reference lists: the token endpoint's, the API's, then those
    any call can get (table order within each)."""
    rows = [a for a in TABLE if a.heading]
    return sorted(rows, key=lambda a: 2 if len(a.origins) == len(ORIGINS) else 0 if TOKEN in a.origins else 1)
