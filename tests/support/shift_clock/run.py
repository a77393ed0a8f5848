"""Run `make check` with every Python process's clock shifted to each date given (default: two
dates past the default LinkedIn-Version's retirement). Exits non-zero when any run fails.

    python tests/support/shift_clock/run.py                 # 2027-06-15 and 2029-01-15
    python tests/support/shift_clock/run.py 2030-12-31
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DATES = ("2027-06-15", "2029-01-15")


def run(day: str, *pytest_args: str) -> int:
    env = dict(os.environ, SHIFT_CLOCK_TO=day,
               PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), str(ROOT), os.environ.get("PYTHONPATH", "")])))
    # time-machine is imported by sitecustomize before pytest could rewrite its plugin: say nothing of it.
    args = pytest_args or ("-q", "-p", "no:cacheprovider", "-n", "4", "-m", "not browser and not slow",
                           "-W", "ignore::pytest.PytestAssertRewriteWarning")
    print(f"== clock at {day}: pytest {' '.join(args)}", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    days = argv or list(DATES)
    failed = [day for day in days if run(day) != 0]
    if failed:
        print(f"the suite fails with the clock at {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
