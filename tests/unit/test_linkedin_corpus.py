"""Every body in tests/fixtures/linkedin/ (LinkedIn's real answers, each naming its public source)
runs through `python -m checks.verify`: the exit code and the problem named are what a user needs,
nothing crashes, and no secret shows in the checklist or in --json."""

import json
import re
from pathlib import Path

import pytest
import responses

from checks import verify
from checks.credentials.secrets import mask
from checks.errors import ExitCode
from tests.support.fake_linkedin import CLIENT_ID
from tests.support.linkedin_mocks import ADS_URL, ANALYTICS_URL, SECRETS, TOKEN_URL, mock_linkedin, set_env
from tests.support.published_schema import validate
from tests.support.verify_cli import fragments

CORPUS = Path(__file__).parents[1] / "fixtures" / "linkedin"
FILES = sorted(CORPUS.glob("*.json"))

# What each body must make verify say: exit code, the failing (or warning) check, its problem id,
# and words the user must read (case-insensitive).
EXPECTED = {
    "token-refresh_token_client_mismatch": (ExitCode.FIX, "refresh", "token-other-app",
                                            ["different app than client id " + mask(CLIENT_ID).lower()]),
    "token-invalid_request-refresh_token-missing": (ExitCode.FIX, "refresh", "malformed-input", ["missing"]),
    "token-invalid_client_id-documented": (ExitCode.FIX, "refresh", "invalid-client", ["client id"]),
    "api-RESTRICTED_MEMBER-65608": (ExitCode.FIX, "ads-api", "member-restricted", ["restricted"]),
    "api-REVOKED_ACCESS_TOKEN-65601": (ExitCode.TRANSIENT, "ads-api", "access-token-rejected", ["revoked"]),
    "api-EXPIRED_ACCESS_TOKEN-65602": (ExitCode.TRANSIENT, "ads-api", "access-token-rejected", ["has expired"]),
    "api-INVALID_ACCESS_TOKEN-65600-older-shape": (ExitCode.TRANSIENT, "ads-api", "access-token-rejected",
                                                   ["invalid access token"]),
    "api-NONEXISTENT_VERSION-426": (ExitCode.FIX, "ads-api", "api-version-sunset", ["no longer serves"]),
    "api-ACCESS_DENIED-100-older-shape": (ExitCode.FIX, "ads-api", "no-api-access", ["not enough permissions"]),
    "api-RESOURCE_NOT_FOUND-404": (ExitCode.FIX, "ads-api", "unexpected-response", ["no virtual resource found"]),
    "api-message-status-400-java-long": (ExitCode.FIX, "ads-api", "unexpected-response", ["java.lang.long"]),
    "api-message-status-400-parameter-required": (ExitCode.FIX, "ads-api", "unexpected-response",
                                                  ["parameter 'account' is required"]),
    "api-ILLEGAL_ARGUMENT-400-gateway-shape": (ExitCode.FIX, "ads-api", "unexpected-response", ["illegal_argument"]),
    "api-TOO_MANY_REQUESTS-101-throttle-older-shape": (ExitCode.TRANSIENT, "ads-api", "rate-limited",
                                                       ["rate limiting"]),
    "api-TOO_MANY_REQUESTS-101-APPLICATION_AND_MEMBER-DAY": (ExitCode.TRANSIENT, "ads-api", "daily-limit",
                                                             ["00:00 utc", "daily limit"]),
    "analytics-empty-elements": (ExitCode.OK, "reporting", "reporting-empty", ["no rows", "no delivery"]),
}
URLS = {"token": ("token", TOKEN_URL), "adAccountUsers": ("ads", ADS_URL), "adAnalytics": ("analytics", ANALYTICS_URL)}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_body_names_its_public_source_and_kind():
    assert len(FILES) >= 12
    for path in FILES:
        doc = load(path)
        source = doc["source"]
        assert source["url"].startswith("https://") and source["note"], path.name
        if "repository" in source:  # a file in a public repository: pinned to a commit
            assert re.fullmatch(r"[0-9a-f]{40}", source["commit"]) and source["path"], path.name
        assert doc["kind"] in ("recorded", "documented"), path.name
        assert doc["endpoint"] and doc["replay"] in URLS and isinstance(doc["status"], int), path.name
    assert sorted(p.stem for p in FILES) == sorted(EXPECTED), "every corpus file needs an expectation, and back"


def test_the_corpus_holds_every_error_shape_linkedin_uses():
    bodies = [load(p)["body"] for p in FILES]
    shapes = {frozenset(b) for b in bodies if isinstance(b, dict)}
    assert frozenset({"status", "serviceErrorCode", "code", "message"}) in shapes
    assert frozenset({"serviceErrorCode", "message", "status"}) in shapes
    assert frozenset({"status", "code", "message"}) in shapes
    assert frozenset({"message", "status"}) in shapes
    assert frozenset({"error", "error_description"}) in shapes


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_body_gets_its_verdict(path, clean_env, monkeypatch, capsys):
    doc = load(path)
    code_expected, check_id, problem, words = EXPECTED[path.stem]
    name, url = URLS[doc["replay"]]
    answer = (doc["status"], doc["body"], doc["headers"]) if doc["headers"] else (doc["status"], doc["body"])
    set_env(monkeypatch)
    monkeypatch.setattr("checks.credentials.client.time.sleep", lambda seconds: None)  # backoff, not waited
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, **{name: answer})
        code = verify.main(["--json", "--retries", "1"])
        calls = sum(1 for c in rsps.calls if c.request.url.split("?")[0] == url)
        as_json, err_json = capsys.readouterr()
        text_code = verify.main(["--retries", "1"])
        text, err_text = capsys.readouterr()
    report = json.loads(as_json)
    validate(report)
    failing = next(c for c in report["checks"] if c["id"] == check_id)
    assert code == text_code == code_expected == report["exit_code"]
    assert failing["problem"] == problem and failing["status"] in ("fail", "warn")
    said = (failing["summary"] + " " + " ".join(failing["details"])).lower()
    assert all(w in said for w in words), said
    assert f"#{problem}" in text  # the Docs: line links to the problem's section
    for out in (as_json + err_json, text + err_text):
        assert "Traceback" not in out
        for piece in fragments(*SECRETS):
            assert piece not in out, f"{piece[:4]}… leaked"
    if problem == "daily-limit":  # a daily limit is never retried: it resets at 00:00 UTC
        assert calls == 1
    if problem == "rate-limited":  # a short throttle is (--retries 1: two calls)
        assert calls == 2


def test_empty_reporting_draws_no_check_mark(clean_env, monkeypatch, capsys):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, analytics=(200, load(CORPUS / "analytics-empty-elements.json")["body"]))
        code = verify.main(["--json"])
        doc = json.loads(capsys.readouterr().out)
        assert verify.main([]) == code
    out = capsys.readouterr().out
    validate(doc)
    for account in doc["ad_accounts"]:  # each account says so in --json too
        assert account["reporting"]["problem"] == "reporting-empty" and "no rows" in account["reporting"]["reason"]
    reporting = [line for line in out.splitlines() if "Reporting" in line][0]
    assert code == ExitCode.OK
    assert not reporting.startswith("✓") and "works" not in reporting
    rows = [line for line in out.splitlines() if "urn:li:sponsoredAccount:" in line and "ACCOUNT_BILLING_ADMIN" in line]
    assert rows and all("✓" not in r and "no rows (30 days)" in r for r in rows)
