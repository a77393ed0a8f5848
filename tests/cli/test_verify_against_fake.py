"""`python -m checks.verify` as a user runs it, against a fake LinkedIn on 127.0.0.1 (in-process:
tests/support/cli.py; the secret sweep and the JSON contract are checked on every run)."""

import json
import re

from tests.support.cli import run_cli
from tests.support.fake_linkedin import INVALID_GRANT, Canned


def run(server, *args, env_extra=None, credentials=True, cwd=None, timeout=60):
    return run_cli("verify", *args, server=server, env=env_extra, credentials=credentials, cwd=cwd, timeout=timeout)


def test_happy_path(server):
    proc = run(server, "--json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0 and doc["ok"]
    assert [a["urn"] for a in doc["ad_accounts"]] == ["urn:li:sponsoredAccount:516413367", "urn:li:sponsoredAccount:508774356"]
    # Introspection and the API both saw the freshly minted token, not the refresh token.
    assert server.fake.calls("introspect") == 1 and server.fake.calls("adAccountUsers") == 1


def test_reads_env_file_and_names_it(server, tmp_path):
    env_file = tmp_path / "linkedin.env"
    env_file.write_text("\n".join(f"{k}={v}" for k, v in server.credentials().items()))
    proc = run(server, "--env-file", str(env_file), credentials=False)
    assert proc.returncode == 0, proc.stdout
    assert f"Refresh token AQX…k9Q ({env_file})" in proc.stdout


def test_dot_env_in_working_directory_is_used(server, tmp_path):
    (tmp_path / ".env").write_text("\n".join(f"{k}={v}" for k, v in server.credentials().items()))
    proc = run(server, credentials=False, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout


def test_missing_values_without_terminal_do_not_prompt(server, tmp_path):
    proc = run(server, credentials=False, cwd=tmp_path)
    assert proc.returncode == 1
    assert "LINKEDIN_CLIENT_ID, LINKEDIN_CLIENT_SECRET, LINKEDIN_REFRESH_TOKEN are not set" in proc.stdout


def test_wrong_refresh_token(server):
    proc = run(server, env_extra={"LINKEDIN_REFRESH_TOKEN": "AQX" + "w" * 400})
    assert proc.returncode == 1
    assert "rejected the refresh token" in proc.stdout and "#invalid-refresh-token" in proc.stdout


def test_slow_answer_times_out_as_transient(server):
    server.fake.queue("token", Canned(200, {}, delay=3))
    proc = run(server, "--timeout", "0.5", "--retries", "0")
    assert proc.returncode == 3
    assert "did not answer within 0.5 s" in proc.stdout
    assert proc.elapsed < 3


def test_dropped_connection_is_retried(server):
    server.fake.queue("token", Canned(0, drop=True))
    proc = run(server, "--retries", "1")
    assert proc.returncode == 0, proc.stdout
    assert server.fake.calls("token") == 2


def test_dropped_connections_give_up_as_transient(server):
    server.fake.queue("token", *[Canned(0, drop=True)] * 3)
    proc = run(server, "--retries", "1")
    assert proc.returncode == 3 and "network-error" in proc.stdout


def test_rate_limit_honours_retry_after_then_reports(server):
    # A short-term throttle (not THROTTLED's daily quota, which is never retried: see test_interrupts.py).
    burst = {"status": 429, "serviceErrorCode": 101, "code": "TOO_MANY_REQUESTS", "message": "Too many requests"}
    server.fake.queue("token", Canned(429, burst, {"Retry-After": "1"}), Canned(429, burst, {"Retry-After": "1"}))
    proc = run(server, "--retries", "1")
    assert proc.returncode == 3 and "#rate-limited" in proc.stdout
    assert proc.elapsed >= 1.0  # it waited as asked before the retry


def test_server_error_then_success(server):
    server.fake.queue("adAccountUsers", Canned(504, "<html>Gateway Time-out</html>"))
    proc = run(server, "--retries", "2")
    assert proc.returncode == 0, proc.stdout


def test_refused_connection(server):
    proc = run(server, "--retries", "0", env_extra={"LINKEDIN_OAUTH_URL": "http://127.0.0.1:9/oauth/v2"})
    assert proc.returncode == 3 and "refused the connection" in proc.stdout


def test_expiring_token_exits_4(server):
    server.fake.refresh_token_expires_in = 5 * 86400
    proc = run(server, "--json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 4 and doc["refresh_token_days_left"] == 5


def test_sunset_version(server):
    proc = run(server, env_extra={"LINKEDIN_API_VERSION": "202401"})
    assert proc.returncode == 1 and "no longer serves LinkedIn-Version 202401" in proc.stdout


def test_help_documents_exit_codes_and_variables(server):
    proc = run(server, "--help")
    assert proc.returncode == 0
    from checks.errors import ExitCode

    for text in ("exit codes:", "LINKEDIN_OAUTH_URL", "--warn-days"):
        assert text in proc.stdout
    for code in ExitCode:
        assert f"  {int(code):<3} {code.meaning}" in proc.stdout


def test_invalid_grant_body_verbatim(server):
    server.fake.queue("token", Canned(400, INVALID_GRANT))
    proc = run(server, "--json")
    doc = json.loads(proc.stdout)
    refresh = next(c for c in doc["checks"] if c["id"] == "refresh")
    assert refresh["problem"] == "invalid-refresh-token"
    assert any("access token was pasted" in d.lower() or "Access token was pasted" in d for d in refresh["details"])


def test_verbose_traces_requests_without_bodies(server):
    proc = run(server, "--verbose")
    assert proc.returncode == 0
    assert re.search(r"> POST http://127\.0\.0\.1:\d+/oauth/v2/accessToken -> HTTP 200 \(\d+ ms\)", proc.stderr)
    assert re.search(r"> GET http://127\.0\.0\.1:\d+/rest/adAccountUsers -> HTTP 200", proc.stderr)
    assert "client_secret" not in proc.stderr and "refresh_token=" not in proc.stderr
