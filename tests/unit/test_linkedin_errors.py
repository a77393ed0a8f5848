"""The table of LinkedIn's answers (checks/credentials/linkedin_errors.py): it covers the codes
LinkedIn uses, every shape of answer is read, and one nobody recorded is quoted, never a crash."""

import json
import re

import pytest
import responses

from checks import verify
from checks.credentials.linkedin_errors import API, TABLE, TOKEN, Said, documented, is_daily_limit, look_up
from checks.credentials.problems import PROBLEMS
from checks.errors import ExitCode
from tests.support.linkedin_mocks import mock_linkedin, set_env

THROTTLE = "Resource level throttle {} DAY limit for calls to this resource is reached."


def test_the_table_covers_the_codes_linkedin_uses():
    keys = {str(k) for a in TABLE for k in a.codes}
    for code in ("65600", "65601", "65602", "65604", "65608", "100", "NONEXISTENT_VERSION", "VERSION_MISSING",
                 "RESOURCE_NOT_FOUND", "ACCESS_DENIED", "invalid_grant", "invalid_request", "invalid_client",
                 "unauthorized_client", "refresh_token_client_mismatch"):
        assert code in keys, code
    headings = " ".join(a.heading for a in documented())
    assert "TOO_MANY_REQUESTS 101" in headings and "NONEXISTENT_VERSION 426" in headings
    assert all(a.problem_id in PROBLEMS for a in TABLE)
    anchors = [a.anchor for a in documented()]
    assert len(anchors) == len(set(anchors))


def test_every_documented_row_says_what_linkedin_said_and_what_it_means():
    for answer in documented():
        assert answer.words and answer.meaning and answer.problem.fix, answer.heading
        for code in answer.codes:  # the literal code is in the heading, so a search for it lands there
            if isinstance(code, int) or code.isupper() or "_" in code:
                assert str(code) in answer.heading or any(str(c) in answer.heading for c in answer.codes)


@pytest.mark.parametrize("who", ["APPLICATION", "MEMBER", "APPLICATION_AND_MEMBER"])
def test_the_daily_limit_is_known_by_its_words_in_every_form(who):
    assert is_daily_limit(429, THROTTLE.format(who))
    said = Said(API, 429, "TOO_MANY_REQUESTS", 101, THROTTLE.format(who))
    assert look_up(said).problem_id == "daily-limit"


def test_a_short_throttle_is_not_a_daily_limit():
    words = "Resource level throttle limit for calls to this resource is reached."
    assert not is_daily_limit(429, words)
    assert look_up(Said(API, 429, None, 101, words)).problem_id == "rate-limited"


def test_a_restricted_member_is_not_a_token_to_wait_for():
    said = Said(API, 401, "RESTRICTED_MEMBER", 65608, "Member is restricted")
    answer = look_up(said)
    assert answer.problem_id == "member-restricted" and answer.problem.exit_code == ExitCode.FIX


def test_another_401_of_linkedins_is_a_refused_token_but_a_proxys_is_not():
    assert look_up(Said(API, 401, "UNAUTHORIZED", None, "bad token")).problem_id == "access-token-rejected"
    assert look_up(Said(API, 401, message="(an HTML page)", quoted=True)).problem_id == "unexpected-response"


def test_an_answer_nobody_recorded_falls_to_the_catch_all():
    assert look_up(Said(TOKEN, 400, "brand_new_error", None, "x")).problem_id == "unexpected-response"
    assert look_up(Said(API, 409, None, None, "x")).problem_id == "unexpected-response"


# Bodies with none of LinkedIn's fields: the status and the words are quoted, nothing crashes.
ODD = [
    (401, ""),
    (403, "<html><head><title>Access Denied</title></head><body>Proxy says no</body></html>"),
    (400, {"unexpected": "shape"}),
    (400, ["a", "list"]),
    (418, "I'm a teapot"),
    (403, {"status": "403", "serviceErrorCode": "100", "message": "Not enough permissions to access: x"}),
]


@pytest.mark.parametrize("where", ["token", "ads"])
@pytest.mark.parametrize("status, body", ODD, ids=[f"{s}-{type(b).__name__}-{i}" for i, (s, b) in enumerate(ODD)])
def test_odd_bodies_are_quoted_not_crashed_on(clean_env, monkeypatch, capsys, where, status, body):
    set_env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        if isinstance(body, str):
            rsps.add("POST" if where == "token" else "GET",
                     "https://www.linkedin.com/oauth/v2/accessToken" if where == "token"
                     else "https://api.linkedin.com/rest/adAccountUsers",
                     status=status, body=body, content_type="text/html" if "<html" in body else "text/plain")
            mock_linkedin(rsps, **{where: None})
        else:
            mock_linkedin(rsps, **{where: (status, body)})
        code = verify.main(["--json", "--retries", "0"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    doc = json.loads(out)
    failed = next(c for c in doc["checks"] if c["status"] == "fail")
    said = failed["summary"] + " " + " ".join(failed["details"])
    assert code in (ExitCode.FIX, ExitCode.TRANSIENT) and f"HTTP {status}" in said
    if isinstance(body, dict) and "message" in body:
        assert failed["problem"] == ("no-api-access" if where == "ads" else "unexpected-response")
    elif "<title>" in str(body):  # a proxy's page, not LinkedIn's ACCESS_DENIED
        assert "an HTML page: Access Denied" in said and failed["problem"] == "unexpected-response"
    elif body == "":
        assert "an empty body" in said
    else:
        words = body if isinstance(body, str) else json.dumps(body)
        assert re.sub(r"\s+", " ", words)[:20] in said.replace('", "', '","') or words[:5] in said
