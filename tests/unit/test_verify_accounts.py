"""The reporting probe per ad account: details and one minimal adAnalytics call each, the table,
and the three 403s that look alike told apart, per account."""

import json
import os
import threading
from datetime import date, timedelta

import pytest
import responses

from checks import verify
from checks.credentials.client import LinkedInClient, analytics_probe_url, restli_list
from checks.credentials.diagnose import run_checks
from checks.credentials.inputs import Endpoints, Inputs, Source, Value
from checks.errors import ExitCode
from tests.support.cli import run_cli, run_verify
from tests.support.clock import FIXED_NOW
from tests.support.fake_linkedin import (
    ANALYTICS_DENIED,
    CLIENT_ID,
    CLIENT_SECRET,
    NOT_ON_APP,
    REFRESH_TOKEN,
    FakeLinkedInServer,
)
from tests.support.linkedin_mocks import (
    ANALYTICS_URL,
    DETAILS_URL,
    GOOD_ANALYTICS,
    GOOD_DETAILS,
    GOOD_GRANT,
    GOOD_INTROSPECT,
    SECRETS,
    linkedin_settings,
    mock_linkedin,
    set_env,
)
from tests.support.published_schema import validate
from tests.support.verify_cli import fragments

EU = "urn:li:sponsoredAccount:516413367"
SANDBOX = "urn:li:sponsoredAccount:508774356"


def run_json(capsys, *args):
    """verify --json in-process against the mocks (tests/support/cli.py sweeps for secrets and
    validates the document against the published schema)."""
    result = run_cli("verify", "--json", "--retries", "0", *args, env=linkedin_settings(), cwd=os.getcwd())
    return result.returncode, result.json()


def account(doc, urn):
    return next(a for a in doc["ad_accounts"] if a["urn"] == urn)


def reporting(doc):
    return next(c for c in doc["checks"] if c["id"] == "reporting")


def test_the_urls_sent_are_restli_2_with_urns_encoded_once(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock() as rsps:
        mock_linkedin(rsps)
        code, _ = run_json(capsys)
        urls = [c.request.url for c in rsps.calls]
        headers = [c.request.headers for c in rsps.calls if "/rest/" in c.request.url]
    assert code == ExitCode.OK
    yesterday = FIXED_NOW.date() - timedelta(days=1)
    start = yesterday - timedelta(days=29)  # the last 30 days as one row: any delivery shows
    when = f"(year:{yesterday.year},month:{yesterday.month},day:{yesterday.day})"
    since = f"(year:{start.year},month:{start.month},day:{start.day})"
    for account_id in ("516413367", "508774356"):
        expected = ("https://api.linkedin.com/rest/adAnalytics?q=analytics&pivot=ACCOUNT&timeGranularity=ALL"
                    f"&dateRange=(start:{since},end:{when})"
                    f"&accounts=List(urn%3Ali%3AsponsoredAccount%3A{account_id})&fields=impressions")
        assert expected in urls
    assert "https://api.linkedin.com/rest/adAccounts?ids=List(516413367,508774356)" in urls
    assert not any("%253A" in u or "%28" in u or "%2C" in u for u in urls)
    assert all(h["X-Restli-Protocol-Version"] == "2.0.0" and h["LinkedIn-Version"] == "202607" for h in headers)


def test_restli_list_encodes_each_value_and_keeps_the_syntax():
    assert restli_list(["urn:li:sponsoredAccount:1", "urn:li:sponsoredAccount:2"]) == \
        "List(urn%3Ali%3AsponsoredAccount%3A1,urn%3Ali%3AsponsoredAccount%3A2)"
    assert analytics_probe_url("https://x/rest", "urn:li:sponsoredAccount:7", date(2026, 1, 2)).endswith(
        "dateRange=(start:(year:2025,month:12,day:4),end:(year:2026,month:1,day:2))"
        "&accounts=List(urn%3Ali%3AsponsoredAccount%3A7)&fields=impressions")


def test_reporting_works_on_every_account(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps)
        code, doc = run_json(capsys)
    assert code == ExitCode.OK and reporting(doc)["status"] == "pass"
    assert account(doc, EU) == {"urn": EU, "role": "ACCOUNT_BILLING_ADMIN", "name": "Acme EU", "status": "ACTIVE",
                                "currency": "EUR", "test": False,
                                "reporting": {"ok": True, "reason": None, "problem": None, "fix": None, "run": None,
                                              "docs": None}}
    assert account(doc, SANDBOX)["status"] == "CANCELED" and account(doc, SANDBOX)["test"] is True


def test_table_shows_each_account_with_canceled_and_test_ones_marked(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps)
        code = verify.main(["--retries", "0"])
    out = capsys.readouterr().out
    assert code == ExitCode.OK
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip().startswith("urn:li:sponsoredAccount")}
    assert rows[EU].split()[1:] == ["Acme", "EU", "ACTIVE", "EUR", "ACCOUNT_BILLING_ADMIN", "✓"]
    assert "CANCELED, test" in rows[SANDBOX] and rows[SANDBOX].rstrip().endswith("✓")
    assert "Reporting: Reporting works on all 2 ad accounts" in out


def _analytics_by_account(rsps, answers: dict):
    """adAnalytics answering per account (the URN is read from the query, as LinkedIn does)."""
    def callback(request):
        for urn, (status, body) in answers.items():
            if f"List({urn.replace(':', '%3A')})" in request.url:
                return status, {}, json.dumps(body)
        return 200, {}, json.dumps(GOOD_ANALYTICS)
    rsps.add_callback("GET", ANALYTICS_URL, callback=callback)


def test_403_on_one_account_of_two_fails_that_account(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, analytics=None)
        _analytics_by_account(rsps, {SANDBOX: (403, ANALYTICS_DENIED)})
        code, doc = run_json(capsys)
    check = reporting(doc)
    assert code == ExitCode.FIX == doc["exit_code"]
    assert check["status"] == "fail" and check["problem"] == "account-no-role"
    assert SANDBOX in check["summary"] and EU not in check["summary"]
    assert account(doc, EU)["reporting"]["ok"] is True
    failed = account(doc, SANDBOX)["reporting"]
    assert failed["ok"] is False and failed["problem"] == "account-no-role"
    assert failed["docs"].endswith("/troubleshooting/#account-no-role") and "Manage access" in failed["run"]


def test_development_tier_account_not_added_names_view_ad_accounts(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, analytics=None)
        _analytics_by_account(rsps, {EU: (403, NOT_ON_APP)})
        code = verify.main(["--retries", "0"])
    out = capsys.readouterr().out
    assert code == ExitCode.FIX
    assert EU in out and "View Ad Accounts" in out and "Products tab" in out
    assert "troubleshooting/#account-not-on-app" in out


def test_missing_reporting_scope_is_named_on_the_account(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, token=(200, {**GOOD_GRANT, "scope": "r_ads"}),
                      introspect=(200, {**GOOD_INTROSPECT, "scope": "r_ads"}), analytics=(403, ANALYTICS_DENIED))
        code, doc = run_json(capsys)
    assert code == ExitCode.FIX
    assert account(doc, EU)["reporting"]["problem"] == "reporting-scope-missing"
    assert account(doc, EU)["reporting"]["run"] == "python -m checks.authorize"


def test_different_causes_on_two_accounts_each_get_their_own_fix(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, analytics=None)
        _analytics_by_account(rsps, {EU: (403, NOT_ON_APP), SANDBOX: (403, ANALYTICS_DENIED)})
        code = verify.main(["--retries", "0"])
    out = capsys.readouterr().out
    assert code == ExitCode.FIX
    assert f"{EU}: The ad account is not added to the app" in out
    assert f"{SANDBOX}: No access to this ad account's reporting" in out
    assert "troubleshooting/#account-not-on-app" in out and "troubleshooting/#account-no-role" in out


def test_max_accounts_caps_the_reporting_calls(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps)
        code, doc = run_json(capsys, "--max-accounts", "1")
        analytics_calls = [c for c in rsps.calls if c.request.url.startswith(ANALYTICS_URL)]
    assert code == ExitCode.OK and len(analytics_calls) == 1
    assert account(doc, EU)["reporting"]["ok"] is True and account(doc, SANDBOX)["reporting"] is None
    assert "first 1 of 2" in reporting(doc)["summary"]


def test_max_accounts_0_skips_the_probe(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps)
        code, doc = run_json(capsys, "--max-accounts", "0")
        probed = [c for c in rsps.calls if c.request.url.startswith((ANALYTICS_URL, DETAILS_URL))]
    assert code == ExitCode.OK and probed == [] and reporting(doc)["status"] == "skip"


def test_details_and_reporting_calls_are_in_flight_together():
    """The batch details call and both reporting calls must all be waiting at once: a barrier of
    three that sequential calls could never pass."""
    inputs = Inputs(values={n: Value(n, v, Source.ENVIRONMENT) for n, v in (
        ("LINKEDIN_CLIENT_ID", CLIENT_ID), ("LINKEDIN_CLIENT_SECRET", CLIENT_SECRET),
        ("LINKEDIN_REFRESH_TOKEN", REFRESH_TOKEN))})
    barrier = threading.Barrier(3, timeout=5)

    def together(body):
        def callback(request):
            barrier.wait()
            return 200, {}, json.dumps(body)
        return callback

    with responses.RequestsMock() as rsps:
        mock_linkedin(rsps, details=None, analytics=None)
        rsps.add_callback("GET", DETAILS_URL, callback=together(GOOD_DETAILS))
        rsps.add_callback("GET", ANALYTICS_URL, callback=together(GOOD_ANALYTICS))
        report = run_checks(inputs, LinkedInClient(Endpoints(), retries=0))
    assert report.exit_code == ExitCode.OK and not barrier.broken


def test_a_failed_details_call_does_not_fail_an_account_whose_reporting_works(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, details=(500, "<html>oops</html>"))
        code, doc = run_json(capsys)
    assert code == ExitCode.OK and account(doc, EU)["name"] is None and account(doc, EU)["reporting"]["ok"] is True


# -- end to end, against the fake LinkedIn -------------------------------------------------------
@pytest.fixture
def server():
    with FakeLinkedInServer() as s:
        yield s


def test_e2e_reporting_on_every_account(server):
    proc = run_verify(server, "--json")
    doc = json.loads(proc.stdout)
    validate(doc)
    assert proc.returncode == ExitCode.OK, proc.stdout
    assert [a["reporting"]["ok"] for a in doc["ad_accounts"]] == [True, True]
    assert server.fake.calls("adAnalytics") == 2 and server.fake.calls("adAccounts") == 1


def test_e2e_403_on_one_account_of_two(server):
    server.fake.analytics_errors[SANDBOX] = (403, ANALYTICS_DENIED)
    proc = run_verify(server, "--json")
    doc = json.loads(proc.stdout)
    validate(doc)
    assert proc.returncode == ExitCode.FIX
    assert account(doc, SANDBOX)["reporting"]["problem"] == "account-no-role"
    assert account(doc, EU)["reporting"]["ok"] is True and SANDBOX in reporting(doc)["summary"]


def test_e2e_development_tier_account_not_added(server):
    server.fake.analytics_errors[EU] = (403, NOT_ON_APP)
    proc = run_verify(server)
    assert proc.returncode == ExitCode.FIX
    assert "View Ad Accounts" in proc.stdout and EU in proc.stdout and "#account-not-on-app" in proc.stdout


def test_development_tier_json_names_the_account_and_its_fix(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, analytics=None)
        _analytics_by_account(rsps, {EU: (403, NOT_ON_APP)})
        code, doc = run_json(capsys)
    assert code == ExitCode.FIX and reporting(doc)["problem"] == "account-not-on-app"
    assert "View Ad Accounts" in account(doc, EU)["reporting"]["run"]
    assert account(doc, SANDBOX)["reporting"]["ok"] is True


@pytest.mark.parametrize("mode", [["--json"], ["--verbose"], []])
@pytest.mark.parametrize("answers", [{}, {EU: (403, NOT_ON_APP), SANDBOX: (403, ANALYTICS_DENIED)}], ids=["ok", "403s"])
def test_no_secret_in_the_reporting_output(clean_env, monkeypatch, capsys, mode, answers):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, analytics=None)
        _analytics_by_account(rsps, answers)
        verify.main([*mode, "--retries", "0"])
    out, err = capsys.readouterr()
    assert "urn:li:sponsoredAccount" in out + err
    for piece in fragments(*SECRETS):
        assert piece not in out + err, f"{piece[:4]}… leaked"
