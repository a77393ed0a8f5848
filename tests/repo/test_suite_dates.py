"""The suite owns its clock: the date-shifting harness really shifts a child's clock, and the
pinned-clock hook subprocess tests use wins over it (tests/support/clock.py)."""

import subprocess
import sys
from datetime import datetime, timezone

from tests.support import ROOT
from tests.support.clock import FIXED_NOW, pinned_env

TODAY = [sys.executable, "-c", "import datetime; print(datetime.datetime.now(datetime.timezone.utc).date())"]


def test_a_child_lives_on_the_date_it_is_given():
    moment = datetime(2029, 1, 15, 12, tzinfo=timezone.utc)
    proc = subprocess.run(TODAY, env=pinned_env({"PATH": "/usr/bin:/bin"}, moment), capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert proc.stdout.strip() == "2029-01-15"


def test_pinned_env_replaces_an_outer_shift():
    outer = pinned_env({"PATH": "/usr/bin:/bin"}, datetime(2030, 5, 1, tzinfo=timezone.utc))
    proc = subprocess.run(TODAY, env=pinned_env(outer), capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip() == FIXED_NOW.date().isoformat()
    assert pinned_env(outer)["PYTHONPATH"].count("shift_clock") == 1
