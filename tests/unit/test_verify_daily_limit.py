"""A daily-limit 429 ("APPLICATION DAY limit") is never retried: one call, exit 3, the reset time
said, and that nothing is wrong with the credentials. Short 429s keep their bounded retries."""

import json
import re
from datetime import datetime, timezone

import pytest
import responses

from checks import verify
from checks.credentials.diagnose import until_midnight_utc
from checks.errors import ExitCode
from tests.support.cli import run_verify
from tests.support.fake_linkedin import THROTTLED, Canned, FakeLinkedInServer
from tests.support.linkedin_mocks import ANALYTICS_URL, TOKEN_URL, mock_linkedin, set_env
from tests.support.published_schema import validate

MEMBER_DAY = {**THROTTLED, "message": "Resource level throttle MEMBER DAY limit for calls to this resource is reached."}
SHORT = {"status": 429, "serviceErrorCode": 101, "code": "TOO_MANY_REQUESTS", "message": "Too many requests"}


def test_midnight_utc_is_the_reset():
    assert str(until_midnight_utc(datetime(2026, 11, 29, 21, 30, tzinfo=timezone.utc))) == "2:30:00"


@pytest.mark.parametrize("body", [THROTTLED, MEMBER_DAY], ids=["application", "member"])
def test_daily_limit_on_the_refresh_is_one_call_and_exit_3(clean_env, monkeypatch, capsys, body):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, token=(429, body), introspect=None, ads=None, details=None, analytics=None)
        code = verify.main(["--json", "--retries", "2"])
        calls = len(rsps.calls)
    doc = json.loads(capsys.readouterr().out)
    validate(doc)
    refresh = next(c for c in doc["checks"] if c["id"] == "refresh")
    assert code == ExitCode.TRANSIENT == doc["exit_code"] and calls == 1
    assert refresh["problem"] == "daily-limit"
    assert re.search(r"resets at 00:00 UTC, in \d+ h \d\d min", refresh["summary"])
    assert "Nothing is wrong with the credentials" in refresh["summary"]


def test_short_429_is_still_retried(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add("POST", TOKEN_URL, status=429, json=SHORT)
        mock_linkedin(rsps)
        code = verify.main(["--json", "--retries", "1"])
        token_calls = [c for c in rsps.calls if c.request.url == TOKEN_URL]
    assert code == ExitCode.OK and len(token_calls) == 2


def test_daily_limit_on_a_reporting_call_fails_that_account_with_exit_3(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, analytics=(429, THROTTLED))
        code = verify.main(["--json", "--retries", "2"])
        analytics_calls = [c for c in rsps.calls if c.request.url.startswith(ANALYTICS_URL)]
    doc = json.loads(capsys.readouterr().out)
    validate(doc)
    reporting = next(c for c in doc["checks"] if c["id"] == "reporting")
    assert code == ExitCode.TRANSIENT and len(analytics_calls) == 2  # one per account, none retried
    assert reporting["problem"] == "daily-limit" and "00:00 UTC" in reporting["summary"]
    assert all(a["reporting"]["ok"] is None and a["reporting"]["problem"] == "daily-limit" for a in doc["ad_accounts"])


def test_e2e_daily_limit_is_one_call(tmp_path):
    with FakeLinkedInServer() as server:
        server.fake.queue("token", *[Canned(429, THROTTLED)] * 3)
        proc = run_verify(server, "--retries", "2")
        assert server.fake.calls("token") == 1
    assert proc.returncode == ExitCode.TRANSIENT
    assert "daily limit" in proc.stdout and "00:00 UTC" in proc.stdout
    assert "Nothing is wrong with the credentials" in proc.stdout and "#daily-limit" in proc.stdout


def test_help_states_the_calls_per_run(capsys):
    assert verify.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "Calls per run" in out and "4 + one per ad account probed" in out
    assert "daily-limit 429" in out and "never is" in out


def test_e2e_gzipped_daily_limit_is_recognised_too(tmp_path):
    import gzip

    body = gzip.compress(json.dumps(THROTTLED).encode())
    with FakeLinkedInServer() as server:
        server.fake.queue("token", *[Canned(429, body, {"Content-Encoding": "gzip", "Content-Type": "application/json"})] * 3)
        proc = run_verify(server, "--retries", "2", "--json")
        assert server.fake.calls("token") == 1
    assert proc.returncode == ExitCode.TRANSIENT
    refresh = next(c for c in json.loads(proc.stdout)["checks"] if c["id"] == "refresh")
    assert refresh["problem"] == "daily-limit"
