"""The credential checks as plain functions: inputs in, a Report out. No printing here.

Order: input shape (offline) -> refresh exchange -> {scopes, Advertising API} concurrently.
A check that cannot run because an earlier one failed is reported as skipped.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from checks.credentials.client import (
    AdAccountRole,
    APIError,
    LinkedInClient,
    LinkedInError,
    NetworkError,
    OAuthError,
    RateLimited,
    ServiceUnavailable,
    TokenGrant,
    UnexpectedResponse,
)
from checks.credentials.inputs import CLIENT_ID, CLIENT_SECRET, CREDENTIAL_NAMES, LABELS, REFRESH_TOKEN, Inputs
from checks.credentials.problems import PROBLEMS, Problem
from checks.credentials.secrets import Redactor, mask
from checks.credentials.shape import check_shape
from checks.errors import ExitCode

DEFAULT_SCOPES = ("r_ads", "r_ads_reporting")
PASS, WARN, FAIL, SKIP = "pass", "warn", "fail", "skip"


@dataclass
class Check:
    id: str
    title: str
    status: str
    summary: str
    problem: Problem | None = None
    details: list[str] = field(default_factory=list)
    fix_override: str | None = None

    @property
    def fix(self) -> str | None:
        return self.fix_override or (self.problem.fix if self.problem else None)

    @property
    def docs(self) -> str | None:
        return self.problem.docs if self.problem else None


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)
    api_version: str = ""
    checked_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    access_token_expires_at: datetime | None = None
    refresh_token_expires_at: datetime | None = None
    refresh_token_days_left: int | None = None
    scopes: list[str] = field(default_factory=list)
    ad_accounts: list[AdAccountRole] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        codes = {c.problem.exit_code for c in self.checks if c.status == FAIL and c.problem}
        if any(c.status == FAIL and not c.problem for c in self.checks):
            codes.add(ExitCode.FIX)
        if ExitCode.FIX in codes:
            return ExitCode.FIX
        if ExitCode.TRANSIENT in codes:
            return ExitCode.TRANSIENT
        if any(c.status == WARN and c.problem and c.problem.exit_code == ExitCode.WARNING for c in self.checks):
            return ExitCode.WARNING
        return ExitCode.OK

    @property
    def ok(self) -> bool:
        return self.exit_code == ExitCode.OK


def run_checks(
    inputs: Inputs,
    client: LinkedInClient,
    *,
    required_scopes: tuple[str, ...] = DEFAULT_SCOPES,
    warn_days: int = 30,
    redactor: Redactor | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    fresh_token_grace: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
    on_rotated: Callable[[str], str | None] | None = None,
) -> Report:
    """Run every check and return the Report.

    `on_rotated(new_token)` is called when LinkedIn returns a different refresh token; it may
    store the token and return a sentence saying where.
    """
    redactor = redactor or Redactor()
    report = Report(api_version=inputs.endpoints.api_version, checked_at=now())
    for name in CREDENTIAL_NAMES:
        redactor.add(inputs.get(name))

    # 1. Input shape, offline.
    missing = [n for n in CREDENTIAL_NAMES if not inputs.get(n)]
    cleaned: dict[str, str] = {}
    issues: list[str] = []
    for name in CREDENTIAL_NAMES:
        value = inputs.values[name]
        entry = {"source": value.origin, "masked": mask(value.value) if value.value else "(not set)"}
        report.inputs[name] = entry
        if value.value:
            shape = check_shape(name, value.value)
            cleaned[name] = shape.cleaned
            redactor.add(shape.cleaned)
            issues += [f"{i} ({name} from {value.origin})" for i in shape.issues]
    looked = "environment" + (f", {inputs.env_file}" if inputs.env_file else ", .env (none found)")
    if missing:
        report.checks.append(
            Check(
                "inputs",
                "Inputs",
                FAIL,
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set (looked in: {looked})",
                PROBLEMS["missing-input"],
                details=issues,
            )
        )
        _skip_rest(report, "a credential is missing")
        return report
    described = [f"{LABELS[n]} {report.inputs[n]['masked']} ({report.inputs[n]['source']})" for n in CREDENTIAL_NAMES]
    if issues:
        report.checks.append(
            Check("inputs", "Inputs", FAIL, "Credentials need cleaning up; checking the cleaned values",
                  PROBLEMS["malformed-input"], details=issues + described)
        )
    else:
        report.checks.append(Check("inputs", "Inputs", PASS, "Credentials present and well-formed", details=described))

    client_id, secret, token = cleaned[CLIENT_ID], cleaned[CLIENT_SECRET], cleaned[REFRESH_TOKEN]

    # 2. Refresh exchange.
    try:
        grant = client.refresh(client_id, secret, token)
    except LinkedInError as exc:
        report.checks.append(_refresh_failure(exc, redactor))
        _skip_rest(report, "the refresh exchange failed")
        return report
    redactor.add(grant.access_token, grant.refresh_token)
    issued = now()
    report.access_token_expires_at = issued + timedelta(seconds=grant.expires_in)
    report.checks.append(
        Check(
            "refresh",
            "Refresh exchange",
            PASS,
            f"LinkedIn issued an access token valid for {_days(grant.expires_in)} "
            f"(until {iso_utc(report.access_token_expires_at)})",
        )
    )
    report.checks.append(_expiry_check(grant, issued, warn_days, report))
    if grant.refresh_token and grant.refresh_token != token:
        report.checks.append(_rotation_check(grant.refresh_token, on_rotated))

    # 3 and 4 need only the new access token: run them side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        scopes_future = pool.submit(_scopes_check, client, client_id, secret, grant, required_scopes, report)
        ads_future = pool.submit(_ads_check, client, grant.access_token, fresh_token_grace, sleep, report)
        report.checks.append(scopes_future.result())
        report.checks.append(ads_future.result())
    return report


def _skip_rest(report: Report, reason: str) -> None:
    done = {c.id for c in report.checks}
    for check_id, title in (("refresh", "Refresh exchange"), ("scopes", "Scopes"), ("ads-api", "Advertising API")):
        if check_id not in done:
            report.checks.append(Check(check_id, title, SKIP, f"not checked: {reason}"))


def _transient_check(check_id: str, title: str, exc: LinkedInError) -> Check | None:
    if isinstance(exc, RateLimited):
        return Check(check_id, title, FAIL, str(exc), PROBLEMS["rate-limited"])
    if isinstance(exc, ServiceUnavailable):
        return Check(check_id, title, FAIL, str(exc), PROBLEMS["linkedin-unavailable"])
    if isinstance(exc, NetworkError):
        return Check(check_id, title, FAIL, str(exc), PROBLEMS["network-error"])
    if isinstance(exc, UnexpectedResponse):
        return Check(check_id, title, FAIL, str(exc), PROBLEMS["unexpected-response"])
    return None


def _refresh_failure(exc: LinkedInError, redactor: Redactor) -> Check:
    title = "Refresh exchange"
    generic = _transient_check("refresh", title, exc)
    if generic:
        return generic
    if isinstance(exc, OAuthError):
        said = redactor.redact(f"LinkedIn said: HTTP {exc.status} {exc.error}: {exc.description}")
        if exc.error in ("invalid_client", "invalid_client_id") or exc.status == 401:
            return Check("refresh", title, FAIL, "LinkedIn rejected the Client ID or Primary Client Secret",
                         PROBLEMS["invalid-client"], details=[said])
        description = exc.description.lower()
        if exc.error == "invalid_grant" or "refresh token" in description or "authorization grant" in description:
            return Check(
                "refresh",
                title,
                FAIL,
                "LinkedIn rejected the refresh token (invalid, expired or revoked)",
                PROBLEMS["invalid-refresh-token"],
                details=[
                    said,
                    "Likely causes: the Access token was pasted instead of the Refresh token;",
                    "the token was created for a different app than this Client ID;",
                    "it was revoked, or 365 days have passed since the first consent.",
                ],
            )
        if "missing" in description:
            return Check("refresh", title, FAIL, "LinkedIn says a parameter is missing",
                         PROBLEMS["malformed-input"], details=[said])
        return Check("refresh", title, FAIL, "LinkedIn refused the refresh exchange",
                     PROBLEMS["unexpected-response"], details=[said])
    return Check("refresh", title, FAIL, f"{type(exc).__name__}: {exc}", PROBLEMS["unexpected-response"])


def _expiry_check(grant: TokenGrant, issued: datetime, warn_days: int, report: Report) -> Check:
    title = "Refresh token expiry"
    if grant.refresh_token_expires_in is None:
        return Check("refresh-token-expiry", title, WARN,
                     "LinkedIn did not say when the refresh token expires (no refresh_token_expires_in)",
                     fix_override="Note the date you created the token: it expires 365 days later.")
    seconds = grant.refresh_token_expires_in
    report.refresh_token_expires_at = issued + timedelta(seconds=seconds)
    report.refresh_token_days_left = int(seconds // 86400)
    when = f"expires {iso_utc(report.refresh_token_expires_at)} ({report.refresh_token_days_left} days left)"
    if seconds <= warn_days * 86400:
        return Check("refresh-token-expiry", title, WARN, f"Refresh token {when}", PROBLEMS["expiring-soon"])
    return Check("refresh-token-expiry", title, PASS, f"Refresh token {when}; the 365 days count from the first consent")


def _rotation_check(new_token: str, on_rotated: Callable[[str], str | None] | None) -> Check:
    saved = on_rotated(new_token) if on_rotated else None
    problem = PROBLEMS["refresh-token-rotated"]
    if saved:
        return Check("refresh-token-rotated", "New refresh token", WARN,
                     f"LinkedIn returned a NEW refresh token: {saved}", problem,
                     fix_override="Update every other place that holds the old refresh token.")
    return Check("refresh-token-rotated", "New refresh token", FAIL,
                 "LinkedIn returned a NEW refresh token, and this run could not store it", problem,
                 fix_override="Keep credentials in a .env file (--env-file) so a new token is saved there, "
                 "or create a new token (Step 4) and store it in your pipeline.")


def _scopes_check(client, client_id, secret, grant: TokenGrant, required, report: Report) -> Check:
    title = "Scopes"
    scopes = list(grant.scopes)
    note = ""
    try:
        info = client.introspect(client_id, secret, grant.access_token)
    except OAuthError as exc:
        if exc.status == 401:
            return Check("scopes", title, FAIL, "Token introspection rejected the client secret", PROBLEMS["invalid-client"])
        note = " (introspection unavailable; scopes from the refresh answer)"
    except LinkedInError as exc:
        if not scopes:
            return _transient_check("scopes", title, exc) or Check("scopes", title, FAIL, str(exc), PROBLEMS["unexpected-response"])
        note = " (introspection failed; scopes from the refresh answer)"
    else:
        if not info.active:
            if info.status in ("expired", "revoked"):
                return Check("scopes", title, FAIL, f"LinkedIn reports the new access token as {info.status}",
                             PROBLEMS["access-token-rejected"])
            return Check("scopes", title, FAIL,
                         "The Client ID and secret are valid, but the token belongs to another app",
                         PROBLEMS["token-other-app"])
        scopes = info.scopes or scopes
    report.scopes = sorted(set(scopes))
    if not scopes:
        return Check("scopes", title, WARN, "LinkedIn did not report the token's scopes" + note,
                     fix_override="Check the token in LinkedIn's Token Inspector (OAuth 2.0 tools > Inspect token).")
    missing = [s for s in required if s not in scopes]
    if missing:
        return Check("scopes", title, FAIL,
                     f"Missing {', '.join(missing)}; the token has {', '.join(sorted(set(scopes)))}" + note,
                     PROBLEMS["missing-scopes"])
    return Check("scopes", title, PASS, f"Token has {', '.join(required)}" + note)


def _ads_check(client, access_token: str, grace: float, sleep, report: Report) -> Check:
    title = "Advertising API"
    for attempt in (1, 2):
        try:
            accounts = client.ad_account_users(access_token)
            break
        except APIError as exc:
            rejected = exc.status == 401 or exc.service_error_code in (65600, 65601, 65602)
            # A freshly minted token is sometimes refused for a few seconds: wait once, then decide.
            if rejected and attempt == 1 and grace > 0:
                sleep(grace)
                continue
            return _api_failure(exc, report.api_version)
        except LinkedInError as exc:
            return _transient_check("ads-api", title, exc) or Check("ads-api", title, FAIL, str(exc), PROBLEMS["unexpected-response"])
    report.ad_accounts = accounts
    if not accounts:
        return Check("ads-api", title, FAIL, "Reachable, but the member has no role on any ad account",
                     PROBLEMS["no-ad-account-role"])
    count = f"{len(accounts)} ad account{'s' if len(accounts) != 1 else ''}"
    return Check("ads-api", title, PASS, f"Reachable; the token reaches {count}",
                 details=[f"{a.account}  {a.role}" for a in accounts])


def _api_failure(exc: APIError, version: str) -> Check:
    title = "Advertising API"
    said = f"LinkedIn said: HTTP {exc.status} {exc.code or exc.service_error_code}: {exc.message}"
    if exc.status == 426 or exc.code == "NONEXISTENT_VERSION":
        return Check("ads-api", title, FAIL, f"LinkedIn no longer serves LinkedIn-Version {version}",
                     PROBLEMS["api-version-sunset"], details=[said, "Set it with e.g. LINKEDIN_API_VERSION=YYYYMM"])
    if exc.status == 403:
        return Check("ads-api", title, FAIL, "The token may not use the Advertising API", PROBLEMS["no-api-access"],
                     details=[said])
    if exc.status == 401:
        return Check("ads-api", title, FAIL, "LinkedIn rejected the access token it had just issued",
                     PROBLEMS["access-token-rejected"], details=[said])
    return Check("ads-api", title, FAIL, "Unexpected error from the Advertising API", PROBLEMS["unexpected-response"],
                 details=[said])


def iso_utc(moment: datetime) -> str:
    """2027-01-27T09:12:40Z"""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _days(seconds: int) -> str:
    days = round(seconds / 86400)
    return f"{days} day{'s' if days != 1 else ''}" if days else f"{seconds // 60} minutes"
