"""The four answers verify used to get wrong, replayed from tests/fixtures/linkedin/ as a user runs
`python -m checks.verify` (a subprocess against the fake LinkedIn): each verdict, its exit code and
how many calls it took."""

import json
from pathlib import Path

from checks.credentials.secrets import mask
from checks.errors import ExitCode
from tests.support.fake_linkedin import CLIENT_ID, Canned
from tests.support.verify_cli import run_verify

CORPUS = Path(__file__).parents[1] / "fixtures" / "linkedin"


def body(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))["body"]


def line(out: str, title: str) -> str:
    return next(x for x in out.splitlines() if x[2:].startswith(title))


def test_a_refresh_token_of_another_app(server):
    server.fake.queue("token", Canned(400, body("token-refresh_token_client_mismatch")))
    proc = run_verify(server)
    refresh = line(proc.stdout, "Refresh exchange")
    assert proc.returncode == ExitCode.FIX
    assert refresh.startswith("X") and f"different app than Client ID {mask(CLIENT_ID)}" in refresh
    assert "Primary Client Secret of the app that created this token" in proc.stdout
    assert "invalid, expired or revoked" not in proc.stdout  # no guessing when LinkedIn names the cause


def test_a_restricted_member_is_not_waited_for(server):
    server.fake.queue("adAccountUsers", *[Canned(401, body("api-RESTRICTED_MEMBER-65608"))] * 2)
    proc = run_verify(server, env_extra={"LINKEDIN_FRESH_TOKEN_GRACE": "0.2"})
    assert proc.returncode == ExitCode.FIX and server.fake.calls("adAccountUsers") == 1
    assert "restricted" in line(proc.stdout, "Advertising API")
    assert "Run the check again in a minute" not in proc.stdout


def test_the_daily_limit_from_the_body_alone(server):
    day = body("api-TOO_MANY_REQUESTS-101-APPLICATION_AND_MEMBER-DAY")
    server.fake.queue("adAccountUsers", *[Canned(429, day)] * 3)  # no Retry-After header
    proc = run_verify(server, "--retries", "2")
    assert proc.returncode == ExitCode.TRANSIENT and server.fake.calls("adAccountUsers") == 1
    assert "resets at 00:00 UTC" in line(proc.stdout, "Advertising API")


def test_empty_reporting_draws_no_check_mark(server):
    for account in server.fake.accounts:
        server.fake.analytics_errors[account["account"]] = (200, body("analytics-empty-elements"))
    proc = run_verify(server)
    reporting = line(proc.stdout, "Reporting")
    assert proc.returncode in (ExitCode.OK, ExitCode.WARNING)
    assert not reporting.startswith("✓") and "no rows" in reporting and "no delivery" in reporting
    rows = [x for x in proc.stdout.splitlines() if "urn:li:sponsoredAccount:" in x and "Acme" in x]
    assert len(rows) == 2 and not any("✓" in r for r in rows)
    assert server.fake.calls("adAnalytics") == 2  # still one reporting call per account


def test_an_empty_account_beside_a_refused_one(server):
    empty, refused = (a["account"] for a in server.fake.accounts)
    server.fake.analytics_errors[empty] = (200, body("analytics-empty-elements"))
    server.fake.analytics_errors[refused] = (403, body("api-ACCESS_DENIED-100-older-shape"))
    proc = run_verify(server, "--json")
    doc = json.loads(proc.stdout)
    by_urn = {a["urn"]: a["reporting"] for a in doc["ad_accounts"]}
    assert proc.returncode == ExitCode.FIX  # the refused account decides
    assert by_urn[empty]["ok"] is True and by_urn[empty]["problem"] == "reporting-empty"
    assert by_urn[refused]["ok"] is False and by_urn[refused]["problem"] == "account-no-role"
    reporting = next(c for c in doc["checks"] if c["id"] == "reporting")
    assert reporting["problem"] == "account-no-role" and empty not in reporting["summary"].split(":", 1)[1]
