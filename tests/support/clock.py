"""The date the tests live on. The suite owns its clock, so it passes on any day from now to 2030+.

- In-process: tests in unit/, cli/ and e2e/ run under time-machine at FIXED_NOW (tests/conftest.py),
  and code that takes a clock gets `fixed_clock(FIXED_NOW)` or a date of its own.
- Subprocesses: `pinned_env(env)` is the one test-only hook. It puts tests/support/shift_clock on
  PYTHONPATH, whose sitecustomize starts time-machine at $SHIFT_CLOCK_TO in the child. The product
  reads no test variable: `python -m checks.verify` knows nothing of it.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Mapping

from tests.support import ROOT

# A working morning well inside the default LinkedIn-Version's life (202607: served until at
# least 2027-07-01), far from midnight UTC (the daily-limit messages count the hours to it).
FIXED_NOW = datetime(2026, 9, 15, 9, 30, tzinfo=timezone.utc)
SHIFT_CLOCK_DIR = ROOT / "tests" / "support" / "shift_clock"


def pinned_env(env: Mapping[str, str], now: datetime = FIXED_NOW) -> dict[str, str]:
    """`env` for a child Python that imports this checkout and lives at `now` (ticking from there)."""
    extra = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p not in (str(ROOT), str(SHIFT_CLOCK_DIR))]
    return {**env, "PYTHONPATH": os.pathsep.join([str(SHIFT_CLOCK_DIR), str(ROOT), *extra]),
            "SHIFT_CLOCK_TO": now.isoformat()}
