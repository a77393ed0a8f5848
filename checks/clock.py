"""The one place the product reads the date and time of day.

Every function that needs "now" takes a `Clock` (a callable returning an aware UTC datetime):
`VerifyOptions.clock`, `run_checks(now=...)`, the dotenv writer's fallback file name, the drift
record. The commands pass `system_clock`; tests pass a fixed one, or run under time-machine.
Durations (timeouts, backoff) use `time.monotonic`, which no clock change affects.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in UTC, from the system clock."""
    return datetime.now(timezone.utc)


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always says `moment` (an aware datetime): for tests and reproducible docs."""
    if moment.tzinfo is None:
        raise ValueError("fixed_clock needs an aware datetime (e.g. tzinfo=timezone.utc)")
    return lambda: moment
