"""checks.verify against mocked LinkedIn (responses), one test per failure the verifier tells apart.

Bodies are LinkedIn's verbatim error bodies, as LinkedIn documents them on Microsoft Learn
("Refresh Tokens with OAuth 2.0", "Token Introspection", "Marketing API versioning",
https://learn.microsoft.com/en-us/linkedin/) and as public connectors record them in their tests
(Airbyte source-linkedin-ads, singer-io/tap-linkedin-ads)."""

import json
import os
import threading

import pytest
import requests
import responses

from checks import verify
from checks.credentials.client import LinkedInClient
from checks.credentials.diagnose import run_checks
from checks.credentials.inputs import Endpoints, Inputs, Source, Value
from tests.support.cli import run_cli
from tests.support.fake_linkedin import (
    ACCESS_DENIED,
    CLIENT_ID,
    CLIENT_SECRET,
    INVALID_CLIENT,
    INVALID_GRANT,
    REFRESH_TOKEN,
    REVOKED,
    SUNSET,
    THROTTLED,
)
from tests.support.linkedin_mocks import (
    ADS_URL,
    GOOD_ADS,
    GOOD_GRANT,
    GOOD_INTROSPECT,
    INTROSPECT_URL,
    SECRETS,
    TOKEN_URL,
    linkedin_settings,
    mock_linkedin,
    set_env,
)

# A 429 that is not a daily quota (no "DAY" in the message): retried like a 5xx.
SHORT_THROTTLE = {"status": 429, "serviceErrorCode": 101, "code": "TOO_MANY_REQUESTS", "message": "Too many requests"}


def run_json(capsys, *args):
    """verify --json in-process against the mocks (tests/support/cli.py sweeps for secrets and
    validates the document against the published schema)."""
    result = run_cli("verify", "--json", "--retries", "0", *args, env=linkedin_settings(), cwd=os.getcwd())
    return result.returncode, result.json(), result.stdout + result.stderr


def check(doc, check_id):
    return next(c for c in doc["checks"] if c["id"] == check_id)


# Each failure case: (name, mocks, env overrides, check id, status, problem id, exit code)
CASES = [
    ("happy", {}, {}, "ads-api", "pass", None, 0),
    ("missing", {"token": None, "introspect": None, "ads": None}, {"LINKEDIN_REFRESH_TOKEN": None},
     "inputs", "fail", "missing-input", 1),
    ("malformed-bearer", {}, {"LINKEDIN_REFRESH_TOKEN": "Bearer " + REFRESH_TOKEN}, "inputs", "fail", "malformed-input", 1),
    ("truncated", {"token": (400, INVALID_GRANT), "introspect": None, "ads": None},
     {"LINKEDIN_REFRESH_TOKEN": REFRESH_TOKEN[:60]}, "inputs", "fail", "malformed-input", 1),
    ("secret-in-token-var", {"token": (400, INVALID_GRANT), "introspect": None, "ads": None},
     {"LINKEDIN_REFRESH_TOKEN": CLIENT_SECRET}, "inputs", "fail", "malformed-input", 1),
    ("invalid-client", {"token": (401, INVALID_CLIENT), "introspect": None, "ads": None}, {},
     "refresh", "fail", "invalid-client", 1),
    ("invalid-client-id-table", {"token": (401, {"error": "invalid_client_id", "error_description": "Invalid client id"}),
                                 "introspect": None, "ads": None}, {}, "refresh", "fail", "invalid-client", 1),
    ("invalid-token", {"token": (400, INVALID_GRANT), "introspect": None, "ads": None}, {},
     "refresh", "fail", "invalid-refresh-token", 1),
    ("invalid-grant", {"token": (400, {"error": "invalid_grant", "error_description": "Bad grant"}), "introspect": None,
                       "ads": None}, {}, "refresh", "fail", "invalid-refresh-token", 1),
    ("other-app", {"introspect": (200, {"active": False})}, {}, "scopes", "fail", "token-other-app", 1),
    ("missing-scope", {"token": (200, {**GOOD_GRANT, "scope": "r_ads"}), "introspect": (200, {**GOOD_INTROSPECT, "scope": "r_ads"})},
     {}, "scopes", "fail", "missing-scopes", 1),
    ("no-api-access", {"ads": (403, ACCESS_DENIED)}, {}, "ads-api", "fail", "no-api-access", 1),
    ("no-ad-account", {"ads": (200, {"elements": [], "paging": {"count": 0, "start": 0, "total": 0}})}, {},
     "ads-api", "fail", "no-ad-account-role", 1),
    ("sunset", {"ads": (426, SUNSET)}, {"LINKEDIN_API_VERSION": "202502"}, "ads-api", "fail", "api-version-sunset", 1),
    ("expiring", {"token": (200, {**GOOD_GRANT, "refresh_token_expires_in": 10 * 86400})}, {},
     "refresh-token-expiry", "warn", "expiring-soon", 4),
    ("rate-limited", {"token": (429, SHORT_THROTTLE), "introspect": None, "ads": None}, {}, "refresh", "fail", "rate-limited", 3),
    ("daily-limit", {"token": (429, THROTTLED), "introspect": None, "ads": None}, {}, "refresh", "fail", "daily-limit", 3),
    ("unavailable", {"token": (503, "<html>Service Unavailable</html>"), "introspect": None, "ads": None}, {},
     "refresh", "fail", "linkedin-unavailable", 3),
    ("network", {"token": (200, requests.exceptions.ConnectionError("Max retries exceeded: [Errno 111] Connection refused")),
                 "introspect": None, "ads": None}, {}, "refresh", "fail", "network-error", 3),
    ("html", {"token": (200, "<!DOCTYPE html><html>Sign in to Wi-Fi</html>"), "introspect": None, "ads": None}, {},
     "refresh", "fail", "unexpected-response", 1),
    ("truncated-json", {"token": (200, '{"access_token": "AQVabc", "expi'), "introspect": None, "ads": None}, {},
     "refresh", "fail", "unexpected-response", 1),
    ("missing-fields", {"token": (200, {"scope": "r_ads"}), "introspect": None, "ads": None}, {},
     "refresh", "fail", "unexpected-response", 1),
    ("access-token-revoked", {"ads": (401, REVOKED)}, {}, "ads-api", "fail", "access-token-rejected", 3),
]


@pytest.mark.parametrize("name,mocks,env,check_id,status,problem,exit_code", CASES, ids=[c[0] for c in CASES])
def test_each_case_is_told_apart(clean_env, monkeypatch, capsys, name, mocks, env, check_id, status, problem, exit_code):
    set_env(monkeypatch, **env)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, **mocks)
        code, doc, _ = run_json(capsys)
    got = check(doc, check_id)
    assert (got["status"], got["problem"]) == (status, problem), got
    assert code == exit_code == doc["exit_code"]
    if problem:
        assert got["fix"] and got["docs"].endswith(f"/troubleshooting/#{problem}")


@pytest.mark.parametrize("name,mocks,env,check_id,status,problem,exit_code", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("mode", [["--json"], ["--verbose"]])
def test_no_secret_in_any_output(clean_env, monkeypatch, capsys, mode, name, mocks, env, check_id, status, problem, exit_code):
    set_env(monkeypatch, **env)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, **mocks)
        verify.main([*mode, "--retries", "0"])
    out, err = capsys.readouterr()
    for secret in SECRETS + tuple(v for k, v in env.items() if v and k != "LINKEDIN_API_VERSION"):
        for fragment in (secret, secret[:16], secret[-16:]):
            assert fragment not in out + err, f"{fragment[:4]}… leaked in {name}"


def test_happy_path_reports_accounts_expiry_and_scopes(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock() as rsps:
        mock_linkedin(rsps)
        code, doc, _ = run_json(capsys)
        sent = list(rsps.calls)
    assert code == 0 and doc["ok"]
    assert [(a["urn"], a["role"]) for a in doc["ad_accounts"]] == [
        ("urn:li:sponsoredAccount:516413367", "ACCOUNT_BILLING_ADMIN"), ("urn:li:sponsoredAccount:508774356", "VIEWER")]
    assert doc["scopes"] == ["r_ads", "r_ads_reporting"]
    assert doc["refresh_token_days_left"] == 199 or doc["refresh_token_days_left"] == 200
    assert doc["refresh_token_expires_at"].endswith("Z")
    assert doc["inputs"]["LINKEDIN_REFRESH_TOKEN"] == {"source": "environment", "masked": "AQX…k9Q"}
    # The refresh exchange is a form body with the credentials (Basic auth is not accepted).
    token_call = next(c for c in sent if c.request.url == TOKEN_URL)
    assert token_call.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "client_secret=WPL_AP1.Ex4mpleS3cretVal.ue%2B%2F%3D%3D" in token_call.request.body
    ads_call = next(c for c in sent if c.request.url.startswith(ADS_URL))
    assert ads_call.request.headers["LinkedIn-Version"] == "202607"
    assert ads_call.request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert "q=authenticatedUser" in ads_call.request.url


def test_human_output_is_a_checklist_with_fix_and_docs(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, ads=(403, ACCESS_DENIED))
        code = verify.main(["--retries", "0"])
    out = capsys.readouterr().out
    assert code == 1
    assert "✓ Refresh exchange" in out and "X Advertising API" in out
    assert "Fix: Request the Advertising API on the app's Products tab" in out
    assert "troubleshooting/#no-api-access" in out
    assert "\033[" not in out  # no colour when not a terminal


def test_sunset_names_the_version_and_how_to_change_it(clean_env, monkeypatch, capsys):
    set_env(monkeypatch, LINKEDIN_API_VERSION="202502")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, ads=(426, SUNSET))
        verify.main(["--retries", "0"])
    out = capsys.readouterr().out
    assert "LinkedIn-Version 202502" in out and "LINKEDIN_API_VERSION" in out


def test_scopes_split_on_commas_and_spaces(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, token=(200, {**GOOD_GRANT, "scope": "r_ads r_ads_reporting"}),
                      introspect=(400, {"error": "invalid_request", "error_description": "x"}))
        code, doc, _ = run_json(capsys)
    assert code == 0 and doc["scopes"] == ["r_ads", "r_ads_reporting"]
    assert "introspection failed" in check(doc, "scopes")["summary"]


def test_require_scope_changes_the_set(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps)
        code, doc, _ = run_json(capsys, "--require-scope", "rw_ads")
    assert code == 1 and check(doc, "scopes")["problem"] == "missing-scopes"
    assert "rw_ads" in check(doc, "scopes")["summary"]


def test_retries_5xx_then_succeeds(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add("POST", TOKEN_URL, status=503, body="busy")
        mock_linkedin(rsps)
        code = verify.main(["--json", "--retries", "2"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["ok"]


def test_rotated_token_is_saved_to_the_env_file_with_backup(clean_env, monkeypatch, capsys):
    env_file = clean_env / ".env"
    env_file.write_text(f"# mine\nLINKEDIN_CLIENT_ID={CLIENT_ID}\nLINKEDIN_CLIENT_SECRET={CLIENT_SECRET}\n"
                        f"LINKEDIN_REFRESH_TOKEN={REFRESH_TOKEN}\nOTHER=kept\n")
    new_token = "AQRnew" + "n" * 300 + "NEW"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, token=(200, {**GOOD_GRANT, "refresh_token": new_token}))
        code, doc, out = run_json(capsys)
    assert code == 0
    rotated = check(doc, "refresh-token-rotated")
    assert rotated["status"] == "warn" and "NEW refresh token" in rotated["summary"]
    text = env_file.read_text()
    assert f"LINKEDIN_REFRESH_TOKEN={new_token}" in text and "OTHER=kept" in text and "# mine" in text
    assert env_file.stat().st_mode & 0o777 == 0o600, "a file holding a secret is its owner's alone"
    # The backup goes to the private config directory, where no `git add .` finds it (issue 21).
    backups = list((clean_env / "config").rglob(".env.*.bak-*.env"))
    assert len(backups) == 1 and REFRESH_TOKEN in backups[0].read_text() and not list(clean_env.glob(".env.bak-*"))
    assert new_token not in out


def test_rotated_token_from_environment_fails_loudly(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, token=(200, {**GOOD_GRANT, "refresh_token": "AQRnew" + "n" * 300}))
        code, doc, _ = run_json(capsys)
    assert code == 1 and check(doc, "refresh-token-rotated")["status"] == "fail"


def test_fresh_token_refused_once_is_retried_after_grace():
    inputs = Inputs(values={n: Value(n, v, Source.ENVIRONMENT) for n, v in (
        ("LINKEDIN_CLIENT_ID", CLIENT_ID), ("LINKEDIN_CLIENT_SECRET", CLIENT_SECRET), ("LINKEDIN_REFRESH_TOKEN", REFRESH_TOKEN))})
    slept = []
    with responses.RequestsMock() as rsps:
        rsps.add("POST", TOKEN_URL, json=GOOD_GRANT)
        rsps.add("POST", INTROSPECT_URL, json=GOOD_INTROSPECT)
        rsps.add("GET", ADS_URL, status=401, json=REVOKED)
        rsps.add("GET", ADS_URL, json=GOOD_ADS)
        report = run_checks(inputs, LinkedInClient(Endpoints(), retries=0), fresh_token_grace=7, sleep=slept.append,
                            max_accounts=0)
    assert report.exit_code == 0 and slept == [7]


def test_scopes_and_api_run_concurrently():
    """Steps 3 and 4 are in flight at the same time: each answer waits until the other request has
    arrived. Run one after the other, the first would wait alone and the check fail (no clock involved)."""
    inputs = Inputs(values={n: Value(n, v, Source.ENVIRONMENT) for n, v in (
        ("LINKEDIN_CLIENT_ID", CLIENT_ID), ("LINKEDIN_CLIENT_SECRET", CLIENT_SECRET), ("LINKEDIN_REFRESH_TOKEN", REFRESH_TOKEN))})
    both_in_flight = threading.Barrier(2, timeout=10)  # the timeout only keeps a broken run from hanging
    overlapped = []

    def meet(body):
        def callback(request):
            try:
                both_in_flight.wait()
                overlapped.append(request.url)
            except threading.BrokenBarrierError:
                pass
            return 200, {}, json.dumps(body)
        return callback

    with responses.RequestsMock() as rsps:
        rsps.add("POST", TOKEN_URL, json=GOOD_GRANT)
        rsps.add_callback("POST", INTROSPECT_URL, callback=meet(GOOD_INTROSPECT))
        rsps.add_callback("GET", ADS_URL, callback=meet(GOOD_ADS))
        report = run_checks(inputs, LinkedInClient(Endpoints(), retries=0), max_accounts=0)
    assert report.exit_code == 0
    assert len(overlapped) == 2, "introspection and the Advertising API call were not in flight together"


def test_secret_passed_as_argument_is_refused_and_masked(clean_env, capsys):
    assert verify.main(["--client-secret", CLIENT_SECRET]) == 2
    assert CLIENT_SECRET not in capsys.readouterr().err


def test_bad_api_version_is_a_usage_error(clean_env, monkeypatch, capsys):
    set_env(monkeypatch, LINKEDIN_API_VERSION="2026-07")
    assert verify.main([]) == 2
    assert "YYYYMM" in capsys.readouterr().err


def test_env_file_missing_is_a_usage_error(clean_env, capsys):
    assert verify.main(["--env-file", "nope.env"]) == 2
