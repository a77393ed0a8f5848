"""Token answers as LinkedIn sends them: expires_in 5183999 (60 days less a second),
refresh_token_expires_in in seconds counting down from the first consent, scopes separated by
commas, the same refresh token handed back unchanged, and refresh answers without the
refresh-token fields at all."""

import json

import pytest
import responses

from checks import verify
from checks.errors import ExitCode
from tests.support.fake_linkedin import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN
from tests.support.linkedin_mocks import ACCESS_TOKEN, GOOD_INTROSPECT, mock_linkedin
from tests.support.published_schema import validate

# The shape LinkedIn's refresh answers have (values as seen: 5183999 = 60 days - 1 s; 31536059 s
# is 365 days and a minute, right after the first consent; scope comma-separated).
AS_SENT = {"access_token": ACCESS_TOKEN, "expires_in": 5183999, "refresh_token": REFRESH_TOKEN,
           "refresh_token_expires_in": 31536059, "scope": "r_ads,r_ads_reporting"}


def env_file(folder, token_line=f"LINKEDIN_REFRESH_TOKEN={REFRESH_TOKEN}"):
    path = folder / ".env"
    path.write_text(f"LINKEDIN_CLIENT_ID={CLIENT_ID}\nLINKEDIN_CLIENT_SECRET={CLIENT_SECRET}\n{token_line}\n")
    path.chmod(0o600)
    return path


def run(capsys, grant, introspect=(200, GOOD_INTROSPECT)):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, token=(200, grant), introspect=introspect)
        code = verify.main(["--json", "--retries", "0"])
    doc = json.loads(capsys.readouterr().out)
    validate(doc)
    return code, doc, {c["id"]: c for c in doc["checks"]}


def test_an_answer_as_linkedin_sends_it_reads_right(clean_env, capsys):
    env_file(clean_env)
    code, doc, checks = run(capsys, AS_SENT, introspect=(200, {"active": True, "status": "active"}))
    assert code == ExitCode.OK
    assert "valid for 60 days" in checks["refresh"]["summary"]
    assert doc["refresh_token_days_left"] == 365 and checks["refresh-token-expiry"]["status"] == "pass"
    assert doc["scopes"] == ["r_ads", "r_ads_reporting"]  # from the comma-separated refresh answer


@pytest.mark.parametrize("token_line", [f"LINKEDIN_REFRESH_TOKEN={REFRESH_TOKEN}",
                                        f'LINKEDIN_REFRESH_TOKEN="{REFRESH_TOKEN}"'], ids=["bare", "quoted"])
def test_the_same_refresh_token_handed_back_is_not_new_and_not_rewritten(clean_env, capsys, token_line):
    path = env_file(clean_env, token_line)
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    code, doc, checks = run(capsys, AS_SENT)
    assert code == ExitCode.OK and "refresh-token-rotated" not in checks
    assert "NEW" not in json.dumps(doc)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp
    assert not list(clean_env.glob(".env.bak-*"))


def test_a_refresh_answer_without_refresh_token_fields(clean_env, capsys):
    path = env_file(clean_env)
    before = path.read_bytes()
    grant = {"access_token": ACCESS_TOKEN, "expires_in": 5183999, "scope": "r_ads,r_ads_reporting"}
    code, doc, checks = run(capsys, grant)
    assert code == ExitCode.OK and "refresh-token-rotated" not in checks
    assert checks["refresh-token-expiry"]["status"] == "warn"
    assert "did not say when the refresh token expires" in checks["refresh-token-expiry"]["summary"]
    assert doc["refresh_token_expires_at"] is None and path.read_bytes() == before
