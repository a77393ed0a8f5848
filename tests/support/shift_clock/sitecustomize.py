"""Shift the clock of every Python process to $SHIFT_CLOCK_TO (an ISO date), with time-machine.

The suite must not have a date of death: run it as if it were another day, subprocesses included
(they inherit PYTHONPATH, and with it this file):

    SHIFT_CLOCK_TO=2029-01-15 PYTHONPATH=tests/support/shift_clock make check

or `python tests/support/shift_clock/run.py 2027-06-15 2029-01-15` (what tests/repo/test_suite_dates.py runs).
The clock keeps ticking from that date, so timeouts and backoff behave as usual.
"""

import os

_target = os.environ.get("SHIFT_CLOCK_TO", "").strip()
if _target:
    import time_machine

    _traveller = time_machine.travel(_target + ("" if "T" in _target else "T09:30:00+00:00"), tick=True)
    _traveller.start()
