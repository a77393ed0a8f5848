"""Issue 21's reproductions, run as a user runs the commands: a secret goes only where its owner
sent it, and nothing from outside writes to the terminal.

Each test stands a capture server on 127.0.0.1 where a secret must never arrive, and checks what
reached it and what the command printed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import requests

from tests.support import ROOT
from tests.support.capture import Seen, capture_server
from tests.support.fake_linkedin import ACCOUNT_DETAILS, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN
from tests.support.verify_cli import fragments, run_verify

SECRETS = {"LINKEDIN_CLIENT_ID": CLIENT_ID, "LINKEDIN_CLIENT_SECRET": CLIENT_SECRET,
           "LINKEDIN_REFRESH_TOKEN": REFRESH_TOKEN}
# Nothing may leave the machine: LinkedIn's real hosts go to a closed port.
NOWHERE = "http://127.0.0.1:9"


def base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LINKEDIN_") and k.lower() not in ("http_proxy", "https_proxy", "no_proxy", "all_proxy")}
    env.update(PYTHONPATH=str(ROOT), LINKEDIN_FRESH_TOKEN_GRACE="0", XDG_CONFIG_HOME=str(tmp_path / "config"),
               HTTPS_PROXY=NOWHERE, NO_PROXY="", NO_COLOR="1")
    env.update(extra)
    return env


def run(module: str, cwd: Path, env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_no_secret(text: str, *extra: str) -> None:
    for piece in fragments(CLIENT_SECRET, REFRESH_TOKEN, *extra):  # the Client ID is not a secret
        assert piece not in text, f"{piece[:4]}… leaked"


# 1. A .env the user never wrote decides where the secrets go ------------------------------------------
def test_a_stray_env_file_that_only_names_endpoints_does_not_redirect_the_secrets(tmp_path):
    with capture_server() as capture:
        (tmp_path / ".env").write_text(f"LINKEDIN_OAUTH_URL={capture.url}/oauth/v2\n"
                                       f"LINKEDIN_API_URL={capture.url}/rest\n")
        proc = run("checks.verify", tmp_path, base_env(tmp_path, **SECRETS), "--retries", "0", "--timeout", "3")
    assert capture.seen == [], "the secrets went where a stray .env pointed"
    assert "LINKEDIN_OAUTH_URL" in proc.stderr and "ignored" in proc.stderr, proc.stderr
    assert_no_secret(proc.stdout + proc.stderr)


def test_authorize_does_not_take_its_consent_page_from_a_stray_env_file(tmp_path):
    with capture_server() as capture:
        (tmp_path / ".env").write_text(f"LINKEDIN_OAUTH_URL={capture.url}/oauth/v2\n")
        env = base_env(tmp_path, LINKEDIN_CLIENT_ID=CLIENT_ID, LINKEDIN_CLIENT_SECRET=CLIENT_SECRET)
        proc = run("checks.authorize", tmp_path, env, "--no-browser", "--port", str(free_port()), "--wait", "0.5")
    assert capture.url not in proc.stdout and "https://www.linkedin.com/oauth/v2/authorization?" in proc.stdout
    assert capture.seen == []


def test_a_dotenv_file_that_holds_all_three_secrets_may_name_its_endpoints(tmp_path):
    """The owner of the secrets chose the endpoint: honoured (a proxy, a test server)."""
    with capture_server() as capture:
        lines = [f"{k}={v}" for k, v in SECRETS.items()] + [f"LINKEDIN_OAUTH_URL={capture.url}/oauth/v2"]
        (tmp_path / ".env").write_text("\n".join(lines) + "\n")
        run("checks.verify", tmp_path, base_env(tmp_path), "--retries", "0")
    assert [s.path for s in capture.seen] == ["/oauth/v2/accessToken"]


# 2. ${VAR} in a dotenv value is expanded from the environment ---------------------------------------
def test_dollar_braces_in_a_dotenv_value_stay_literal(tmp_path):
    leaked = "aws-secret-Zq8vX2mN4kP7"
    with capture_server() as capture:
        lines = [f"{k}={v}" for k, v in SECRETS.items()]
        lines.append(f"LINKEDIN_OAUTH_URL={capture.url}/x${{AWS_SECRET_ACCESS_KEY}}/oauth/v2")
        (tmp_path / ".env").write_text("\n".join(lines) + "\n")
        proc = run("checks.verify", tmp_path, base_env(tmp_path, AWS_SECRET_ACCESS_KEY=leaked), "--retries", "0")
    assert capture.seen, "the check ran against the file's endpoint"
    assert leaked not in capture.text() and leaked not in proc.stdout + proc.stderr
    assert "AWS_SECRET_ACCESS_KEY" in capture.seen[0].path


# 3. Plain http:// to any host -------------------------------------------------------------------------
def test_plain_http_to_a_host_other_than_loopback_is_refused_before_anything_is_sent(tmp_path):
    with capture_server() as capture:
        env = base_env(tmp_path, **SECRETS, LINKEDIN_OAUTH_URL="http://linkedin.example/oauth/v2",
                       LINKEDIN_API_URL="http://linkedin.example/rest", HTTP_PROXY=capture.url)
        proc = run("checks.verify", tmp_path, env, "--retries", "0")
    assert capture.seen == [], "a secret went out over plain http"
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "http://" in lines[0] and "linkedin.example" in lines[0], proc.stderr


# 4. Redirects are followed with the secrets -----------------------------------------------------------
def test_a_307_from_the_token_endpoint_is_not_followed(tmp_path):
    def answer(seen: Seen):
        if seen.path.endswith("/accessToken") and not seen.path.startswith("/stolen"):
            return 307, {"Location": f"{capture.url}/stolen/accessToken"}, b""
        return 400, {}, {"error": "invalid_request", "error_description": "captured"}

    with capture_server(answer) as capture:
        env = base_env(tmp_path, **SECRETS, LINKEDIN_OAUTH_URL=f"{capture.url}/oauth/v2",
                       LINKEDIN_API_URL=f"{capture.url}/rest")
        proc = run("checks.verify", tmp_path, env, "--retries", "0", "--verbose")
    assert [s.path for s in capture.seen] == ["/oauth/v2/accessToken"], "the redirect was followed"
    assert "/stolen/accessToken" in proc.stdout + proc.stderr, "the Location is named"
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert_no_secret(proc.stdout + proc.stderr)


# 5. Control sequences from LinkedIn's data reach the terminal raw --------------------------------------
def test_control_characters_in_an_account_name_are_shown_escaped(server):
    evil = "Acme\x1b]0;owned-title\x07\x1b[1A\x1b[2K\x1b[32m✓ all good\x9b2J"
    server.fake.account_details["516413367"] = {**ACCOUNT_DETAILS["516413367"], "name": evil}
    proc = run_verify(server)
    out = proc.stdout + proc.stderr
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "Acme\\x1b]0;owned-title\\x07" in proc.stdout, proc.stdout


# 6. Backups escape .gitignore --------------------------------------------------------------------------
def test_after_a_rotation_git_offers_no_new_file_holding_a_secret(server, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    (repo / ".gitignore").write_text(".env\n*.env\n")
    subprocess.run([*git, "add", ".gitignore"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "ignore secrets"], cwd=repo, check=True)
    env_file = repo / ".env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in server.credentials().items()))
    env_file.chmod(0o644)
    old = server.fake.refresh_token
    server.fake.rotate_refresh_token = True
    config = tmp_path / "config"
    proc = run_verify(server, credentials=False, cwd=repo, env_extra={"XDG_CONFIG_HOME": str(config)},
                      extra_secrets=(old,))
    assert "NEW" in proc.stdout and server.fake.refresh_token in env_file.read_text(), proc.stdout
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo,
                            capture_output=True, text=True, check=True).stdout
    assert status == "", f"git offers files for commit:\n{status}"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    backups = [p for p in config.rglob("*") if p.is_file()]
    assert len(backups) == 1 and old in backups[0].read_text() and stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(backups[0].parent.stat().st_mode) == 0o700


# 7. authorize prints LinkedIn's error text unredacted ------------------------------------------------
def test_authorize_errors_show_no_secret_and_no_code(tmp_path):
    code = "AQTcode" + "c" * 60 + "Xy9"

    def answer(seen: Seen):
        if "/authorization?" in seen.path:
            from urllib.parse import parse_qs, urlencode, urlsplit

            query = {k: v[0] for k, v in parse_qs(urlsplit(seen.path).query).items()}
            target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
            return 302, {"Location": target}, b""
        # A token endpoint that echoes the request it got (a proxy's error page does this).
        return 400, {}, {"error": "invalid_request", "error_description": f"bad request: {seen.body}"}

    with capture_server(answer) as capture:
        env = base_env(tmp_path, LINKEDIN_CLIENT_ID=CLIENT_ID, LINKEDIN_CLIENT_SECRET=CLIENT_SECRET,
                       LINKEDIN_OAUTH_URL=f"{capture.url}/oauth/v2", LINKEDIN_API_URL=f"{capture.url}/rest")
        proc = subprocess.Popen([sys.executable, "-m", "checks.authorize", "--no-browser", "--port", str(free_port()),
                                 "--env-file", str(tmp_path / ".env"), "--verbose"],
                                cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        url = proc.stdout.readline().strip()
        requests.get(url, timeout=10)
        out, err = proc.communicate(timeout=60)
    assert any(s.path.endswith("/accessToken") and code in s.body for s in capture.seen), "the exchange happened"
    assert proc.returncode == 1 and "invalid_request" in err, err
    from urllib.parse import quote, quote_plus

    assert_no_secret(out + err, code, quote(CLIENT_SECRET, safe=""), quote_plus(CLIENT_SECRET))
