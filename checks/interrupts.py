"""The interrupt guard: sections Ctrl-C must not cut short, and the SIGINT handler that respects them.

`checks.cli.main_entry` owns one InterruptGuard per process: its SIGINT handler asks `defer()`
first, and its watchdog waits on `lock` before ending the process. The command passes the same
guard down to the writer (checks.credentials.store), which runs each save inside `protect()`.
Code called without a guard (tests, library use) gets a fresh one: the save is still atomic, and
no signal handler is waiting on it.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator


class InterruptGuard:
    def __init__(self) -> None:
        self.lock = threading.RLock()  # held while something must finish (a backup and its file)
        self._depth = 0
        self._pending = False

    @contextlib.contextmanager
    def protect(self) -> Iterator[None]:
        """A section Ctrl-C must not cut short: an interrupt deferred meanwhile is raised when it ends."""
        with self.lock:
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                raise
            self._depth -= 1
            if self._depth == 0 and self._pending:
                self._pending = False
                raise KeyboardInterrupt

    def defer(self) -> bool:
        """For a SIGINT handler: True when a protected section is running (the interrupt comes after it)."""
        if self._depth:
            self._pending = True
            return True
        return False
