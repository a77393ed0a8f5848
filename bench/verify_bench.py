"""checks.verify against the fake LinkedIn with 200 ms added latency per request.

Targets (issue 12):
- happy path with two ad accounts: <= 3 round trips + 0.25 s = 0.85 s (the floor is
  refresh -> account list || introspection -> account details || one reporting call per account);
- ten credential sets (a directory of *.env files) in one run: <= 1.5 s;
- --help: <= 0.25 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.fake_linkedin import FakeLinkedInServer  # noqa: E402

LATENCY = 0.2
ROUND_TRIPS = 3
SETS = 10


def _time(cmd, env, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return times


def run(runs: int = 7) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINKEDIN_")}
    env["PYTHONPATH"] = str(ROOT)
    verify = [sys.executable, "-m", "checks.verify", "--json"]
    with FakeLinkedInServer() as server, tempfile.TemporaryDirectory() as sets_dir:
        server.fake.latency = LATENCY
        assert len(server.fake.accounts) == 2
        happy = _time(verify, {**env, **server.env, **server.credentials()}, runs)
        for i in range(SETS):
            Path(sets_dir, f"client{i:02d}.env").write_text(
                "".join(f"{k}={v}\n" for k, v in server.credentials().items()))
        many = _time([*verify, "--env-file", sets_dir], {**env, **server.env}, max(3, runs // 2))
    help_times = _time([sys.executable, "-m", "checks.verify", "--help"], env, runs + 3)
    return {
        "verify_happy_path_s": round(statistics.median(happy), 3),
        "verify_happy_path_target_s": ROUND_TRIPS * LATENCY + 0.25,
        "verify_ten_sets_s": round(statistics.median(many), 3),
        "verify_ten_sets_target_s": 1.5,
        "verify_help_s": round(statistics.median(help_times), 3),
        "verify_help_target_s": 0.25,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
