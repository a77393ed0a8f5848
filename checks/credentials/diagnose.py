"""The credential checks as plain functions: inputs in, a Report out. No printing here.

Order: input shape and API-version lifecycle (offline) -> refresh exchange -> {scopes,
Advertising API} concurrently -> per ad account {details, one reporting call} concurrently.
A check that cannot run because an earlier one failed is reported as skipped.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from checks.clock import Clock, system_clock
from checks.credentials.client import (
    PROBE_DAYS,
    AdAccount,
    AdAccountRole,
    APIError,
    LinkedInClient,
    LinkedInError,
    NetworkError,
    TokenGrant,
)
from checks.credentials.inputs import CLIENT_ID, CLIENT_SECRET, CREDENTIAL_NAMES, LABELS, REFRESH_TOKEN, Inputs
from checks.credentials.linkedin_errors import DAILY_LIMIT, Said, look_up
from checks.credentials.problems import PROBLEMS, Problem
from checks.credentials.secrets import Redactor, mask
from checks.credentials.shape import check_shape
from checks.credentials.versions import VersionLife, lifecycle, move_to, newest_known, version_from_message
from checks.errors import CredentialsError, ExitCode

DEFAULT_SCOPES = ("r_ads", "r_ads_reporting")
PASS, WARN, FAIL, SKIP = "pass", "warn", "fail", "skip"
# Reporting calls in flight at once per credential set: a small, fixed load on the app's quota.
PROBE_CONCURRENCY = 4
DEFAULT_MAX_ACCOUNTS = 10


@dataclass
class Check:
    id: str
    title: str
    status: str
    summary: str
    problem: Problem | None = None
    details: list[str] = field(default_factory=list)
    fix_override: str | None = None
    run_override: str | None = None

    @property
    def fix(self) -> str | None:
        return self.fix_override or (self.problem.fix if self.problem else None)

    @property
    def run(self) -> str | None:
        """The command to run or the portal step to take (a check that overrides the fix names its own)."""
        if self.run_override or self.fix_override:
            return self.run_override
        return self.problem.run if self.problem else None

    @property
    def guide(self) -> str | None:
        return self.problem.guide if self.problem else None

    @property
    def docs(self) -> str | None:
        return self.problem.docs if self.problem else None


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)
    api_version: str = ""
    checked_at: datetime = field(default_factory=system_clock)
    access_token_expires_at: datetime | None = None
    refresh_token_expires_at: datetime | None = None
    refresh_token_days_left: int | None = None
    scopes: list[str] = field(default_factory=list)
    ad_accounts: list[AdAccountRole] = field(default_factory=list)
    accounts: list["AccountProbe"] = field(default_factory=list)  # the accounts probed for reporting
    api_version_life: VersionLife | None = None

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

    def get(self, check_id: str) -> Check | None:
        """The check with this id, if it ran (the reporting probe reads the account listing's)."""
        return next((c for c in self.checks if c.id == check_id), None)


@dataclass
class AccountProbe:
    """One ad account: its details and whether one minimal reporting call works."""

    urn: str
    role: str
    details: AdAccount | None = None
    reporting: bool | None = None  # None: not known (the call could not be made or finish)
    rows: int | None = None  # rows the reporting call returned: 0 is no data *or* no access
    reason: str = ""
    problem: Problem | None = None
    error: LinkedInError | None = None  # classified once the token's scopes are known

    @property
    def label(self) -> str:
        """Status as a person reads it: CANCELED and test accounts say so."""
        status = (self.details.status if self.details else None) or "?"
        return f"{status}, test" if self.details and self.details.test else status


def run_checks(
    inputs: Inputs,
    client: LinkedInClient,
    *,
    required_scopes: tuple[str, ...] = DEFAULT_SCOPES,
    warn_days: int = 30,
    redactor: Redactor | None = None,
    now: Clock = system_clock,
    fresh_token_grace: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
    on_rotated: Callable[[str], str | None] | None = None,
    max_accounts: int = DEFAULT_MAX_ACCOUNTS,
) -> Report:
    """Run every check and return the Report.

    `on_rotated(new_token)` is called when LinkedIn returns a different refresh token; it may
    store the token and return a sentence saying where.
    """
    report = Report(api_version=inputs.endpoints.api_version, checked_at=now())
    _check_all(report, inputs, client, required_scopes=required_scopes, warn_days=warn_days,
               redactor=redactor or Redactor(), now=now, fresh_token_grace=fresh_token_grace, sleep=sleep,
               on_rotated=on_rotated, max_accounts=max_accounts)
    _name_env_file(report, inputs)
    return report


def _check_all(report: Report, inputs: Inputs, client: LinkedInClient, *, required_scopes, warn_days, redactor,
               now, fresh_token_grace, sleep, on_rotated, max_accounts) -> Report:
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
    version_check = _version_check(inputs.endpoints.api_version, report.checked_at.date(), warn_days, report)
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
        report.checks.append(version_check)
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
    report.checks.append(version_check)

    client_id, secret, token = cleaned[CLIENT_ID], cleaned[CLIENT_SECRET], cleaned[REFRESH_TOKEN]

    # 2. Refresh exchange.
    try:
        grant = client.refresh(client_id, secret, token)
    except LinkedInError as exc:
        report.checks.append(failure_check("refresh", "Refresh exchange", exc, report.checked_at, client_id=client_id))
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

    # 3 and 4 need only the new access token: run them side by side; the per-account probe (5)
    # starts as soon as the accounts are listed, while introspection may still be running.
    day = report.checked_at.date() - timedelta(days=1)
    with ThreadPoolExecutor(max_workers=2) as pool:
        scopes_future = pool.submit(_scopes_check, client, client_id, secret, grant, required_scopes, report)
        ads_future = pool.submit(_ads_and_probe, client, grant.access_token, fresh_token_grace, sleep, report,
                                 max_accounts, day, inputs.accounts)
        report.checks.append(scopes_future.result())
        report.checks.append(ads_future.result())
    report.checks.append(_reporting_check(report, grant.scopes, max_accounts, now(), inputs.accounts))
    return report


def _name_env_file(report: Report, inputs: Inputs) -> None:
    """Commands in `Run:` lines read the same file this run read (`--env-file clients/acme.env`)."""
    path = inputs.env_file
    if path is None or Path(path).resolve() == (Path.cwd() / ".env").resolve():
        return
    for check in report.checks:
        run = check.run
        if check.status in (FAIL, WARN) and run and "python -m checks." in run:
            check.run_override = re.sub(r"(python -m checks\.\w+)", lambda m: f"{m.group(1)} --env-file {path}", run, count=1)


def _skip_rest(report: Report, reason: str) -> None:
    done = {c.id for c in report.checks}
    for check_id, title in (("refresh", "Refresh exchange"), ("scopes", "Scopes"), ("ads-api", "Advertising API"),
                            ("reporting", "Reporting")):
        if check_id not in done:
            report.checks.append(Check(check_id, title, SKIP, f"not checked: {reason}"))


def failure_check(check_id: str, title: str, exc: LinkedInError, now: datetime, *, client_id: str = "",
                  version: str = "") -> Check:
    """A failed call as a check: LinkedIn's answer looked up in the one table (linkedin_errors),
    its words quoted. No answer at all (network) or an answer nobody recorded is said as it is."""
    said = exc.said
    if said is None:
        problem = PROBLEMS["network-error" if isinstance(exc, NetworkError) else "unexpected-response"]
        return Check(check_id, title, FAIL, str(exc), problem)
    answer = look_up(said)
    if answer.problem_id == "api-version-sunset":
        return _sunset_check(check_id, title, said, version)
    summary = answer.summary.format(client_id=mask(client_id))
    if answer.problem_id == "daily-limit":
        summary = daily_limit_summary(now, said.message)
    return Check(check_id, title, FAIL, summary, answer.problem, details=[said.quote(), *answer.details],
                 fix_override=answer.fix)


def _sunset_check(check_id: str, title: str, said: Said, version: str) -> Check:
    newest = newest_known()
    sent = version_from_message(said.message)
    return Check(check_id, title, FAIL,
                 f"LinkedIn no longer serves LinkedIn-Version {version}: it is retired; "
                 f"the newest version this tool knows is {newest}",
                 PROBLEMS["api-version-sunset"],
                 details=[said.quote()] + ([f"(LinkedIn writes the version as YYYYMMDD: {sent} = {version})"]
                                           if sent and sent.startswith(version[:6]) else []),
                 fix_override=f"Set LINKEDIN_API_VERSION={newest} (or newer) here and in your connector; "
                 f"LinkedIn retires each version about a year after its release.",
                 run_override=f"LINKEDIN_API_VERSION={newest} python -m checks.verify")


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
    problem = PROBLEMS["refresh-token-rotated"]
    try:
        saved = on_rotated(new_token) if on_rotated else None
    except CredentialsError as exc:  # store.SavedElsewhere: kept in a fallback file, which it names
        return Check("refresh-token-rotated", "New refresh token", FAIL, f"LinkedIn returned a NEW refresh token: {exc}",
                     problem, fix_override="Move the new token into your dotenv file, then make that file writable.")
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
    except LinkedInError as exc:
        # The refresh with these credentials just worked: only a rejected secret (401) is a verdict;
        # anything else leaves the scopes the refresh answer named.
        rejected = exc.said is not None and look_up(exc.said).problem_id == "invalid-client"
        if rejected or not scopes:
            return failure_check("scopes", title, exc, report.checked_at, client_id=client_id)
        note = " (introspection failed; scopes from the refresh answer)"
    else:
        if not info.active:
            if info.status in ("expired", "revoked"):
                return Check("scopes", title, FAIL, f"LinkedIn reports the new access token as {info.status}",
                             PROBLEMS["access-token-rejected"])
            # This runs only after the refresh exchange with this very Client ID succeeded, which
            # proves the token belongs to this app: say what was observed, not a guess.
            return Check("scopes", title, FAIL,
                         "Token introspection says the new access token is not active, although the refresh "
                         "exchange with this Client ID just issued it: introspection could not confirm it",
                         PROBLEMS["token-other-app"],
                         fix_override="The refresh exchange shows the token belongs to this app; LinkedIn's "
                         "introspection disagreed. Run again in a few minutes; if it persists, inspect the token in "
                         "LinkedIn's Token Inspector and create a new one for this app (Step 4).")
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
        except LinkedInError as exc:
            # A freshly minted token is sometimes refused for a few seconds: wait once, then decide.
            # (A restricted member, also a 401, is not: no wait cures that.)
            refused = exc.said is not None and look_up(exc.said).problem_id == "access-token-rejected"
            if refused and attempt == 1 and grace > 0:
                sleep(grace)
                continue
            return failure_check("ads-api", title, exc, report.checked_at, version=report.api_version)
    report.ad_accounts = accounts
    if not accounts:
        return Check("ads-api", title, FAIL, "Reachable, but the member has no role on any ad account",
                     PROBLEMS["no-ad-account-role"])
    count = f"{len(accounts)} ad account{'s' if len(accounts) != 1 else ''}"
    return Check("ads-api", title, PASS, f"Reachable; the token reaches {count}",
                 details=[f"{a.account}  {a.role}" for a in accounts])


def _version_check(version: str, today: date, warn_days: int, report: Report) -> Check:
    """Offline: when LinkedIn stops serving the pinned LinkedIn-Version (exit 4 within --warn-days)."""
    title = "API version"
    try:
        life = lifecycle(version, today)
    except ValueError:
        return Check("api-version", title, SKIP, f"not checked: {version!r} is not a YYYYMM or YYYYMM.NN version")
    report.api_version_life = life
    summary = f"LinkedIn-Version {version} {life.describe()}"
    if life.days_left > warn_days:
        return Check("api-version", title, PASS, summary)
    target = move_to(version, today, warn_days)
    if target:
        return Check("api-version", title, WARN, summary, PROBLEMS["api-version-retiring"],
                     fix_override=f"Move to LinkedIn-Version {target} (set LINKEDIN_API_VERSION={target}, and the same "
                     f"in your connector) before {life.retires_on.isoformat()}.",
                     run_override=f"LINKEDIN_API_VERSION={target} python -m checks.verify")
    return Check("api-version", title, WARN, summary, PROBLEMS["api-version-retiring"],
                 fix_override="Move to the newest version listed on LinkedIn's Marketing API versioning page "
                 "(set LINKEDIN_API_VERSION), and upgrade this tool: its version table is out of date.")


def _ads_and_probe(client, access_token: str, grace: float, sleep, report: Report, max_accounts: int, day: date,
                   configured: tuple[str, ...] = ()) -> Check:
    check = _ads_check(client, access_token, grace, sleep, report)
    if check.status == PASS and max_accounts > 0 and configured:
        report.accounts = probe_configured(client, access_token, report.ad_accounts, configured, max_accounts, day)
        probed = {a.urn for a in report.accounts}
        check.details = [f"{a.account}  {a.role}  (not probed: "
                         f"{'not named in the config' if a.account not in configured else f'--max-accounts {max_accounts}'})"
                         for a in report.ad_accounts if a.account not in probed]
    elif check.status == PASS and max_accounts > 0:
        report.accounts = probe_accounts(client, access_token, report.ad_accounts[:max_accounts], day)
        probed = {a.urn for a in report.accounts}
        check.details = [f"{a.account}  {a.role}  (not probed: --max-accounts {max_accounts})"
                         for a in report.ad_accounts if a.account not in probed]
    return check


NO_ROLE = "(no role)"


def probe_configured(client, access_token: str, roles: list[AdAccountRole], configured: tuple[str, ...],
                     max_accounts: int, day: date) -> list[AccountProbe]:
    """The ad accounts a pipeline's config names (URNs), in its order: each one the token reaches is
    probed (at most `max_accounts`); one it does not reach fails without a call, named as such."""
    reachable = {r.account: r for r in roles}
    probed = {p.urn: p for p in probe_accounts(client, access_token,
                                                 [reachable[u] for u in configured if u in reachable][:max_accounts], day)}
    result = []
    for urn in dict.fromkeys(configured):
        if urn in probed:
            result.append(probed[urn])
        elif urn not in reachable:
            result.append(AccountProbe(urn, NO_ROLE, reporting=False, problem=PROBLEMS["account-no-role"],
                                       reason=f"named in the config, but not among the {len(roles)} ad accounts this token reaches"))
    return result


def probe_accounts(client, access_token: str, roles: list[AdAccountRole], day: date,
                   concurrency: int = PROBE_CONCURRENCY) -> list[AccountProbe]:
    """One batch details call and one reporting call per account, all in flight together (capped)."""
    probes = [AccountProbe(r.account, r.role) for r in roles]
    if not probes:
        return probes

    def details() -> None:
        try:
            found, errors = client.ad_account_details(access_token, [p.urn for p in probes])
        except LinkedInError:
            return  # details are for people; reporting decides whether an account works
        for probe in probes:
            probe.details = found.get(probe.urn)

    def reporting(probe: AccountProbe) -> None:
        try:
            probe.rows = client.ad_analytics_probe(access_token, probe.urn, day)
            probe.reporting = True
        except LinkedInError as exc:
            probe.error = exc

    with ThreadPoolExecutor(max_workers=min(concurrency, len(probes) + 1)) as pool:
        futures = [pool.submit(details)] + [pool.submit(reporting, p) for p in probes]
        for future in futures:
            future.result()
    return probes


REASONS = {  # the short reason in an account's row of the table
    "account-not-on-app": "not added to the app (Development tier: View Ad Accounts)",
    "reporting-scope-missing": "the token lacks r_ads_reporting",
    "account-no-role": "no role on this account",
    "api-version-sunset": "LinkedIn-Version retired",
    "access-token-rejected": "token refused",
    "member-restricted": "member restricted",
    "daily-limit": "daily limit reached",
}


def classify_probe(probe: AccountProbe, scopes: list[str], now: datetime) -> None:
    """Name why reporting failed on one account. The 403s look alike: the table tells "not on the
    app" by its words, and a plain ACCESS_DENIED is told apart by the token's scopes."""
    exc = probe.error
    if exc is None:
        return
    check = failure_check("reporting", "Reporting", exc, now)
    problem = check.problem or PROBLEMS["unexpected-response"]
    if problem.id == "no-api-access":
        problem = PROBLEMS["reporting-scope-missing" if scopes and "r_ads_reporting" not in scopes else "account-no-role"]
    probe.problem = problem
    if isinstance(exc, APIError):  # LinkedIn refused this account; otherwise it is not known
        probe.reporting = False
        probe.reason = f"HTTP {exc.status}: {REASONS.get(problem.id) or exc.message}"
    else:
        probe.reason = REASONS["daily-limit"] if problem.id == "daily-limit" else str(exc)


def _reporting_check(report: Report, granted: list[str], max_accounts: int, now: datetime,
                     configured: tuple[str, ...] = ()) -> Check:
    title = "Reporting"
    ads = report.get("ads-api")
    if ads is None or ads.status != PASS:
        return Check("reporting", title, SKIP, "not checked: the ad accounts could not be listed")
    if max_accounts == 0:
        return Check("reporting", title, SKIP, "not checked: --max-accounts 0")
    scopes = report.scopes or granted
    for probe in report.accounts:
        classify_probe(probe, scopes, now)
    empty = [p for p in report.accounts if p.reporting and p.rows == 0]
    for probe in empty:  # accepted, but no data or no access: named per account, never a ✓
        probe.problem, probe.reason = PROBLEMS["reporting-empty"], f"no rows for the last {PROBE_DAYS} days"
    table = account_table(report.accounts)
    failed = [p for p in report.accounts if p.problem and p not in empty]
    total = len(report.accounts)
    extra = len(report.ad_accounts) - total
    scope_note = f" (the first {total} of {len(report.ad_accounts)}; --max-accounts)" if extra > 0 else ""
    if configured:
        scope_note = f" named in the config (of {len(report.ad_accounts)} the token reaches)"
        if len(report.accounts) < len(set(configured)):
            scope_note += f"; {len(set(configured)) - len(report.accounts)} not probed: --max-accounts {max_accounts}"
    if not failed and not empty:
        return Check("reporting", title, PASS,
                     f"Reporting works on {'all ' if total > 1 else ''}{total} ad account{'s' if total != 1 else ''}{scope_note}",
                     details=table)
    if not failed:
        # LinkedIn answers an empty list both when there was no delivery and when the member may
        # not read the account's reporting: say what is known, claim nothing more.
        return Check("reporting", title, WARN,
                     f"LinkedIn accepted the reporting call but returned no rows for the last {PROBE_DAYS} days on "
                     f"{len(empty)} of {total} ad account{'s' if total != 1 else ''}{scope_note}: "
                     f"{', '.join(p.urn for p in empty)}. That means no delivery in that time, or that the member "
                     "who authorized the token cannot read the account's reporting",
                     PROBLEMS["reporting-empty"], details=table)
    # The check carries the most serious problem, so the exit code is the worst account's.
    failed.sort(key=lambda p: (p.problem.exit_code != ExitCode.FIX, p.problem.exit_code))  # type: ignore[union-attr]
    first = failed[0]
    names = ", ".join(f"{p.urn} ({p.reason})" for p in failed)
    summary = f"Reporting fails on {len(failed)} of {total} ad account{'s' if total != 1 else ''}: {names}"
    if first.problem is PROBLEMS["daily-limit"]:
        summary += ". " + daily_limit_summary(now, first.error.said.message if first.error and first.error.said else "")
    if all(p.role == NO_ROLE for p in failed):  # named in a pipeline's config, but not reachable: no call was made
        return Check("reporting", title, FAIL, summary, first.problem, details=table,
                     fix_override="Check the ad account IDs in the config (Campaign Manager shows each account's number), "
                     "or have an admin of the account add the member who authorized the token (at least Viewer); "
                     "then run the check again.")
    if len({p.problem.id for p in failed}) == 1:  # type: ignore[union-attr]
        return Check("reporting", title, FAIL, summary, first.problem, details=table)
    # Different causes on different accounts: each account gets its own fix and docs link.
    per_account = []
    for probe in failed:
        problem = probe.problem
        per_account += [f"{probe.urn}: {problem.title}", f"  Fix: {problem.run or problem.fix}",  # type: ignore[union-attr]
                        f"  Docs: {problem.docs}"]  # type: ignore[union-attr]
    return Check("reporting", title, FAIL, summary, first.problem, details=table + per_account,
                 fix_override="Each account's fix is listed above.")


def account_table(probes: list[AccountProbe]) -> list[str]:
    """URN, name, status, currency, role, reporting ✓/✗ with the reason: one row per account."""
    rows = [("Account", "Name", "Status", "Currency", "Role", "Reporting")]
    for p in probes:
        d = p.details
        if p.reporting and p.rows == 0:
            mark = f"no rows ({PROBE_DAYS} days)"  # accepted, but no data or no access: no ✓
        elif p.problem:
            mark = "✗ " + p.reason
        else:
            mark = "✓" if p.reporting else "?"
        rows.append((p.urn, (d.name if d and d.name else "?"), p.label, (d.currency if d and d.currency else "?"),
                     p.role, mark))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return ["  ".join(cell.ljust(widths[i]) if i < 5 else cell for i, cell in enumerate(row)).rstrip() for row in rows]


def until_midnight_utc(now: datetime) -> timedelta:
    tomorrow = (now.astimezone(timezone.utc) + timedelta(days=1)).date()
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=timezone.utc) - now.astimezone(timezone.utc)


QUOTAS = {"APPLICATION": "this app", "MEMBER": "this member", "APPLICATION_AND_MEMBER": "this app and member"}


def daily_limit_summary(now: datetime, words: str = "") -> str:
    """The reset time, and whose quota it is when LinkedIn's words say (APPLICATION / MEMBER / both)."""
    left = until_midnight_utc(now)
    hours, minutes = int(left.total_seconds() // 3600), int(left.total_seconds() % 3600 // 60)
    found = DAILY_LIMIT.search(words)
    whose = QUOTAS.get(found.group(0).split()[0].upper(), "this app") if found else "this app"
    return (f"LinkedIn's daily limit for {whose} is reached; it resets at 00:00 UTC, in {hours} h {minutes:02d} min. "
            "Nothing is wrong with the credentials; not retried")


def iso_utc(moment: datetime) -> str:
    """2027-01-27T09:12:40Z"""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _days(seconds: int) -> str:
    days = round(seconds / 86400)
    return f"{days} day{'s' if days != 1 else ''}" if days else f"{seconds // 60} minutes"
