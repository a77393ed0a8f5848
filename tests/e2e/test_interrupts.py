"""Interrupts and waits: Ctrl-C ends a run with 130 promptly in every state, saving nothing partial;
a silent server produces progress, counted attempts and a total time; retries are visible and
bounded, and never repeat what must not be repeated. (Timing targets live in bench/interrupt_bench.py;
the limits here are generous and only catch a run that waits for its threads or its timeouts.)"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from checks.errors import ExitCode
from tests.support import ROOT
from tests.support.cli import argv_for, assert_no_secrets, command_env, run_cli, secrets_of
from tests.support.clock import pinned_env
from tests.support.fake_linkedin import CLIENT_ID, CLIENT_SECRET, THROTTLED, Canned, FakeLinkedInServer


class SilentServer:
    """Accepts TCP connections and never answers a byte (a hung proxy or load balancer)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.accepted: list[socket.socket] = []
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    @property
    def env(self):
        return {"LINKEDIN_OAUTH_URL": f"http://127.0.0.1:{self.port}/oauth/v2",
                "LINKEDIN_API_URL": f"http://127.0.0.1:{self.port}/rest"}

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def server():
    with FakeLinkedInServer() as s:
        yield s


def base_env(**extra):
    """A real process's environment (signals need one): tests/support/cli.py's, the clock pinned."""
    return pinned_env(command_env(extra))


def start(module, *args, env, cwd=ROOT, **popen):
    return subprocess.Popen(argv_for(module, *args), env=env, cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def read_until(stream, pattern: str, timeout: float = 30) -> str:
    """Lines from `stream` until one matches `pattern` (a reader thread, so a hang fails the test)."""
    seen: list[str] = []
    found = threading.Event()

    def reader():
        for line in stream:
            seen.append(line)
            if re.search(pattern, line):
                found.set()
                return

    threading.Thread(target=reader, daemon=True).start()
    assert found.wait(timeout), "".join(seen)
    return "".join(seen)


@pytest.mark.slow  # waits out three real timeouts (about 5 s)
def test_silent_server_progress_attempts_and_total_time(silent):
    env = {**silent.env, "LINKEDIN_CLIENT_ID": CLIENT_ID, "LINKEDIN_CLIENT_SECRET": CLIENT_SECRET,
           "LINKEDIN_REFRESH_TOKEN": "AQX" + "r" * 300 + "k9Q"}
    proc = run_cli("verify", "--timeout", "1", "--retries", "2", "--verbose", env=env)
    elapsed = proc.elapsed
    assert proc.returncode == ExitCode.TRANSIENT, proc.stdout + proc.stderr
    assert re.search(r"did not answer within 1 s \(3 attempts, [\d.]+ s in all\)", proc.stdout), proc.stdout
    assert "still waiting for 127.0.0.1" in proc.stderr, "a progress line after 2 s of waiting"
    attempts = re.findall(r"POST \S+/accessToken -> .*did not answer.* attempt (\d)/3", proc.stderr)
    assert attempts == ["1", "2", "3"], proc.stderr
    # 3 attempts of 1 s plus backoff (0.5 + 1 s): far less than the old 31 s of silence.
    assert elapsed < 3 * 1 + 1.5 + 5


def test_daily_limit_is_not_retried(server):
    server.fake.queue("token", *[Canned(429, THROTTLED)] * 3)
    proc = run_cli("verify", "--retries", "2", server=server)
    assert proc.returncode == ExitCode.TRANSIENT and server.fake.calls("token") == 1


def test_retry_after_longer_than_the_budget_is_not_waited_for(server):
    burst = {"status": 429, "code": "TOO_MANY_REQUESTS", "message": "Too many requests"}
    server.fake.queue("token", *[Canned(429, burst, {"Retry-After": "25"})] * 3)
    proc = run_cli("verify", "--retries", "1", "--timeout", "2", server=server)
    assert proc.returncode == ExitCode.TRANSIENT and server.fake.calls("token") == 1
    assert proc.elapsed < 20


def test_verbose_shows_every_attempt_including_retries(server):
    server.fake.queue("token", Canned(503, "<html>busy</html>"), Canned(502, "<html>busy</html>"))
    proc = run_cli("verify", "--retries", "2", "--verbose", server=server)
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "/accessToken" in line]
    assert [re.search(r"HTTP (\d+)", line).group(1) for line in lines] == ["503", "502", "200"], proc.stderr
    assert "retrying in" in lines[0] and "attempt 3/3" in lines[2]


def test_ctrl_c_while_the_parallel_checks_wait_on_a_hanging_api(server):
    server.fake.queue("introspect", Canned(200, {}, delay=40))
    server.fake.queue("adAccountUsers", Canned(200, {}, delay=40))
    proc = start("verify", "--verbose", "--timeout", "30", env=base_env(**server.env, **server.credentials()))
    read_until(proc.stderr, r"accessToken -> HTTP 200")
    time.sleep(0.5)  # both parallel requests are in flight
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=15)
    took = time.monotonic() - sent
    assert code == ExitCode.INTERRUPTED
    assert took < 5, f"exit took {took:.1f} s: it waited for the hanging requests"
    err = proc.stderr.read()
    assert "interrupted" in err
    assert_no_secrets(err + proc.stdout.read(), secrets_of(server.credentials(), server))


def test_ctrl_c_while_authorize_waits_for_consent_saves_nothing(server, tmp_path):
    env_file = tmp_path / ".env"
    proc = start("authorize", "--no-browser", "--port", str(_free_port()), "--env-file", str(env_file),
                 env=base_env(**server.env, LINKEDIN_CLIENT_ID=CLIENT_ID, LINKEDIN_CLIENT_SECRET=CLIENT_SECRET),
                 cwd=tmp_path, stdin=subprocess.PIPE)
    read_until(proc.stderr, r"Waiting up to")
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=15) == ExitCode.INTERRUPTED
    assert time.monotonic() - sent < 5
    assert not env_file.exists() and list(tmp_path.iterdir()) == []


def test_code_exchange_is_never_retried(server, tmp_path):
    import requests

    server.fake.queue("token", Canned(503, "<html>busy</html>"))
    proc = start("authorize", "--no-browser", "--port", str(_free_port()), "--retries", "2",
                 "--env-file", str(tmp_path / ".env"),
                 env=base_env(**server.env, LINKEDIN_CLIENT_ID=CLIENT_ID, LINKEDIN_CLIENT_SECRET=CLIENT_SECRET),
                 cwd=tmp_path, stdin=subprocess.DEVNULL)
    url = proc.stdout.readline().strip()
    requests.get(url, timeout=10)
    assert proc.wait(timeout=30) == ExitCode.TRANSIENT
    assert server.fake.calls("token") == 1, "a one-time code must be exchanged once"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ctrl_c_at_a_prompt_stops_and_does_not_ask_the_next_question(server, tmp_path):
    leader, follower = pty.openpty()
    env = base_env(**server.env, LINKEDIN_CLIENT_ID=CLIENT_ID, HOME=str(tmp_path), TERM="xterm")
    proc = subprocess.Popen([sys.executable, "-m", "checks.verify"], stdin=follower, stdout=follower, stderr=follower,
                            env=env, cwd=tmp_path, close_fds=True, start_new_session=True)
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 30
    while b"(input hidden): " not in output and time.monotonic() < deadline:
        if select.select([leader], [], [], 0.2)[0]:
            output += os.read(leader, 4096)
    assert b"Primary Client Secret (input hidden): " in output, output
    sent = time.monotonic()
    os.kill(proc.pid, signal.SIGINT)
    code = proc.wait(timeout=15)
    took = time.monotonic() - sent
    try:
        while select.select([leader], [], [], 0.2)[0]:
            output += os.read(leader, 4096)
    except OSError:
        pass
    os.close(leader)
    text = output.decode(errors="replace")
    assert code == ExitCode.INTERRUPTED, text
    assert "Refresh token (input hidden)" not in text, "Ctrl-C must not move on to the next prompt"
    assert "Refresh exchange" not in text and took < 5
    assert server.fake.calls("token") == 0
