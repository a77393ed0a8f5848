"""checks.verify: happy path with 200 ms added latency per request, and --help start-up time.

Targets (issue 3): happy path <= 2 x 200 ms + 0.4 s = 0.8 s (two sequential phases: the refresh,
then introspection and the API call side by side); --help <= 0.25 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.fake_linkedin import FakeLinkedInServer  # noqa: E402

LATENCY = 0.2


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
    with FakeLinkedInServer() as server:
        server.fake.latency = LATENCY
        full = {**env, **server.env, **server.credentials()}
        happy = _time([sys.executable, "-m", "checks.verify", "--json"], full, runs)
    help_times = _time([sys.executable, "-m", "checks.verify", "--help"], env, runs + 3)
    return {
        "verify_happy_path_s": round(statistics.median(happy), 3),
        "verify_happy_path_target_s": 2 * LATENCY + 0.4,
        "verify_help_s": round(statistics.median(help_times), 3),
        "verify_help_target_s": 0.25,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
