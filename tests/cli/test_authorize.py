"""`python -m checks.authorize` end to end: a fake LinkedIn OAuth server on loopback standing in
for the user's browser and LinkedIn, and a real .env file. The flow runs as a process (reading the
URL it prints while it waits on a pipe is the point); one-shot runs go through run_cli."""

import os
import socket
import subprocess
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from checks.credentials.oauth import StateMismatch, authorization_url, parse_callback
from tests.support.cli import argv_for, assert_no_secrets, command_env, run_cli, secrets_of
from tests.support.clock import pinned_env
from tests.support.fake_linkedin import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Run:
    """The command running in the background; `url` is the authorization URL it printed."""

    def __init__(self, server, tmp_path, *args, env_file=None, stdin=subprocess.DEVNULL, credentials=True):
        self.port = free_port()
        self.env_file = env_file or tmp_path / ".env"
        self.server = server
        self.env = command_env({**({"LINKEDIN_CLIENT_ID": CLIENT_ID, "LINKEDIN_CLIENT_SECRET": CLIENT_SECRET}
                                   if credentials else {}), "XDG_CONFIG_HOME": str(tmp_path / "config")},
                               server=server, credentials=False)
        self.proc = subprocess.Popen(
            argv_for("authorize", "--no-browser", "--port", str(self.port), "--env-file", str(self.env_file), *args),
            env=pinned_env(self.env), cwd=tmp_path, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        self.url = self.proc.stdout.readline().strip()

    def finish(self, timeout=60):
        out, err = self.proc.communicate(timeout=timeout)
        self.out, self.err = self.url + "\n" + out, err
        assert_no_secrets(self.out + self.err, secrets_of(self.env, self.server))
        assert "Traceback" not in self.err
        return self.proc.returncode


def consent(url):
    """What the browser does: open the URL; LinkedIn (fake) redirects to the local callback."""
    return requests.get(url, timeout=10)


def test_success_saves_the_token_privately_keeps_other_lines_and_verifies(server, tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# my settings\nOTHER=kept\nLINKEDIN_REFRESH_TOKEN=AQold" + "o" * 200 + "\n")
    os.chmod(env_file, 0o644)
    run = Run(server, tmp_path)
    assert run.url.startswith(server.url + "/oauth/v2/authorization?")
    query = parse_qs(urlsplit(run.url).query)
    assert query["scope"] == ["r_ads r_ads_reporting"] and query["response_type"] == ["code"]
    assert query["redirect_uri"] == [f"http://127.0.0.1:{run.port}/callback"]
    page = consent(run.url)
    assert page.status_code == 200 and "Authorized" in page.text
    assert run.finish() == 0, run.out + run.err
    text = env_file.read_text()
    assert f"LINKEDIN_REFRESH_TOKEN={REFRESH_TOKEN}" in text and "OTHER=kept" in text and "# my settings" in text
    # A file holding a secret becomes its owner's alone, and the user is told (issues 17 and 21).
    assert env_file.stat().st_mode & 0o777 == 0o600 and "was open to other users (mode 0644): now 0600" in run.err
    # The previous file is kept in the private config directory, not beside the .env (issue 21).
    backups = list((tmp_path / "config").rglob(".env.*.bak-*.env"))
    assert len(backups) == 1 and "AQold" in backups[0].read_text() and backups[0].stat().st_mode & 0o777 == 0o600
    assert "✓ Advertising API" in run.out and "previous file is kept" in run.err


def test_other_paths_get_404_and_a_wrong_state_is_ignored(server, tmp_path):
    run = Run(server, tmp_path)
    base = f"http://127.0.0.1:{run.port}"
    assert requests.get(base + "/favicon.ico", timeout=5).status_code == 404
    forged = requests.get(base + "/callback?code=AQTforged&state=not-ours", timeout=5)
    assert forged.status_code == 400 and "still waiting" in forged.text
    assert run.proc.poll() is None, "a forged callback must not end the flow"
    consent(run.url)
    assert run.finish() == 0
    assert "Ignored a callback" in run.err


def test_user_cancel_is_reported(server, tmp_path):
    server.fake.consent = "cancel"
    run = Run(server, tmp_path)
    consent(run.url)
    assert run.finish() == 1
    assert "user_cancelled_authorize" in run.err and "click Allow" in run.err
    assert not (tmp_path / ".env").exists()


def test_gives_up_after_timeout(server, tmp_path):
    started = time.monotonic()
    run = Run(server, tmp_path, "--wait", "1")
    assert run.finish() == 1
    assert "Nothing came back from LinkedIn within 1 s" in run.err
    assert time.monotonic() - started < 15


def test_no_refresh_token_explains_the_advertising_api(server, tmp_path):
    server.fake.return_refresh_token_on_code = False
    run = Run(server, tmp_path)
    consent(run.url)
    assert run.finish() == 1
    assert "no refresh token" in run.err and "Advertising API" in run.err and "Step 3" in run.err
    assert not (tmp_path / ".env").exists()


def test_pasted_redirect_url_from_another_machine(server, tmp_path):
    run = Run(server, tmp_path, stdin=subprocess.PIPE)
    # The remote browser ends on a URL it cannot open; the user pastes it.
    landed = requests.get(run.url, allow_redirects=False, timeout=5).headers["Location"]
    run.proc.stdin.write("not a url\n" + landed + "\n")
    run.proc.stdin.flush()
    assert run.finish() == 0, run.err
    assert f"LINKEDIN_REFRESH_TOKEN={REFRESH_TOKEN}" in (tmp_path / ".env").read_text()


def test_port_in_use(server, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run_cli("authorize", "--no-browser", "--port", str(port), server=server, credentials=False,
                       env={"LINKEDIN_CLIENT_ID": CLIENT_ID, "LINKEDIN_CLIENT_SECRET": CLIENT_SECRET}, cwd=tmp_path)
    assert proc.returncode == 1 and f"Port {port} on 127.0.0.1 is in use" in proc.stderr


def test_missing_client_credentials_without_a_terminal(server, tmp_path):
    proc = run_cli("authorize", "--no-browser", cwd=tmp_path)
    assert proc.returncode == 1 and "LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET are not set" in proc.stderr


def test_parse_callback_checks_state():
    assert parse_callback("http://127.0.0.1:8765/callback?code=abc&state=s1", "s1").code == "abc"
    cancelled = parse_callback("http://127.0.0.1:8765/callback?error=user_cancelled_login&error_description=x&state=s1", "s1")
    assert cancelled.error == "user_cancelled_login"
    with pytest.raises(StateMismatch):
        parse_callback("http://127.0.0.1:8765/callback?code=abc&state=other", "s1")


def test_authorization_url_matches_linkedins_documented_form():
    url = authorization_url("https://www.linkedin.com/oauth/v2", "86example1234a", "http://127.0.0.1:8765/callback",
                            ("r_ads", "r_ads_reporting"), "xyz")
    assert url == ("https://www.linkedin.com/oauth/v2/authorization?response_type=code&client_id=86example1234a"
                   "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&state=xyz&scope=r_ads%20r_ads_reporting")
