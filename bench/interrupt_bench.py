"""Interrupts and silence in the credential commands (issue 14).

Targets: Ctrl-C to exit <= 1 s in every state; no run silent for longer than
--timeout x attempts + 1 s (with a server that accepts connections and never answers).

    python bench/interrupt_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.fake_linkedin import CLIENT_ID, CLIENT_SECRET, Canned, FakeLinkedInServer  # noqa: E402

TOKEN = "AQX" + "r" * 300 + "k9Q"


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINKEDIN_")}
    env.update(PYTHONPATH=str(ROOT), LINKEDIN_FRESH_TOKEN_GRACE="0", **extra)
    return env


def _wait_for(stream_fd: int, marker: bytes, timeout: float = 30) -> None:
    seen, deadline = b"", time.monotonic() + timeout
    while marker not in seen:
        if time.monotonic() > deadline:
            raise RuntimeError(f"never saw {marker!r}: {seen[-400:]!r}")
        if select.select([stream_fd], [], [], 0.1)[0]:
            chunk = os.read(stream_fd, 4096)
            if not chunk:
                raise RuntimeError(f"ended before {marker!r}: {seen[-400:]!r}")
            seen += chunk


def _interrupt(cmd: list[str], env: dict, marker: bytes, *, pty_stdin: bool = False, cwd: str | None = None) -> float:
    """Seconds from SIGINT (sent once `marker` is on stderr/tty) to the exit; asserts exit 130."""
    if pty_stdin:
        leader, follower = pty.openpty()
        proc = subprocess.Popen(cmd, stdin=follower, stdout=follower, stderr=follower, env=env, cwd=cwd or ROOT,
                                close_fds=True, start_new_session=True)
        os.close(follower)
        out_fd = leader
    else:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=env, cwd=cwd or ROOT)
        out_fd = proc.stderr.fileno()
    try:
        _wait_for(out_fd, marker)
        time.sleep(0.3)
        sent = time.perf_counter()
        os.kill(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=60)
        took = time.perf_counter() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
        if pty_stdin:
            os.close(leader)
    assert code == 130, f"exit {code}"
    return took


class Silent:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.conns.append(self.sock.accept()[0])
            except OSError:
                return

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()


def longest_silence(timeout: float, retries: int) -> dict:
    """Run verify against a silent server; the longest stretch without a line on stdout/stderr."""
    silent = Silent()
    try:
        env = _env(LINKEDIN_OAUTH_URL=f"{silent.url}/oauth/v2", LINKEDIN_API_URL=f"{silent.url}/rest",
                   LINKEDIN_CLIENT_ID=CLIENT_ID, LINKEDIN_CLIENT_SECRET=CLIENT_SECRET, LINKEDIN_REFRESH_TOKEN=TOKEN)
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "checks.verify", "--timeout", str(timeout), "--retries",
                                 str(retries)], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        last, gap = started, 0.0
        for _line in proc.stdout:
            now = time.perf_counter()
            gap, last = max(gap, now - last), now
        proc.wait()
        total = time.perf_counter() - started
    finally:
        silent.close()
    return {"longest_silence_s": round(gap, 2), "total_s": round(total, 2),
            "budget_s": timeout * (retries + 1) + 1, "exit": proc.returncode}


def run(runs: int = 3) -> dict:
    results: dict[str, object] = {}
    with FakeLinkedInServer() as server:
        creds = server.credentials()
        verify = [sys.executable, "-m", "checks.verify", "--verbose"]
        states = {}
        tmp = tempfile.mkdtemp(prefix="i14-bench-")

        def at_prompt():
            env = _env(**server.env, LINKEDIN_CLIENT_ID=CLIENT_ID, HOME=tmp, TERM="xterm")
            return _interrupt([sys.executable, "-m", "checks.verify"], env, b"(input hidden): ", pty_stdin=True, cwd=tmp)

        def during_refresh():
            server.fake.queue("token", Canned(200, {}, delay=30))
            return _interrupt(verify + ["--timeout", "60"], _env(**server.env, **creds), b"still waiting")

        def parallel_checks():
            server.fake.queue("introspect", Canned(200, {}, delay=30))
            server.fake.queue("adAccountUsers", Canned(200, {}, delay=30))
            return _interrupt(verify + ["--timeout", "60"], _env(**server.env, **creds), b"accessToken -> HTTP 200")

        def during_backoff():
            server.fake.queue("token", Canned(503, "<html>busy</html>", {"Retry-After": "20"}))
            return _interrupt(verify + ["--timeout", "30"], _env(**server.env, **creds), b"retrying in")

        def consent_wait():
            port = _free_port()
            env = _env(**server.env, LINKEDIN_CLIENT_ID=CLIENT_ID, LINKEDIN_CLIENT_SECRET=CLIENT_SECRET)
            return _interrupt([sys.executable, "-m", "checks.authorize", "--no-browser", "--port", str(port),
                               "--env-file", os.path.join(tmp, "b.env")], env, b"Waiting up to")

        for name, fn in [("hidden prompt", at_prompt), ("refresh request in flight", during_refresh),
                         ("parallel checks on a hanging API", parallel_checks), ("backoff before a retry", during_backoff),
                         ("authorize waiting for consent", consent_wait)]:
            times = [fn() for _ in range(runs)]
            states[name] = {"median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}
        server.fake.queued.clear()
    results["ctrl_c_to_exit"] = states
    results["silent_server_timeout_2_retries_2"] = longest_silence(2, 2)
    return results


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    print(json.dumps(run(parser.parse_args().runs), indent=2))
