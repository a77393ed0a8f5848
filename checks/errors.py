"""The one error tree and the one table of exit codes, shared by every command.

    ChecksError                     exit 1 unless a subclass says otherwise
    ├── UsageError                  exit 2: bad option, unreadable file, malformed setting
    ├── TransientError              exit 3: try again later (network, rate limit, 5xx, blocked)
    ├── CredentialsError            exit 1: credentials that do not work or could not be kept
    │   └── (checks.credentials.client.LinkedInError and its tree)
    └── PortalError                 exit 1: the executable docs (checks.screens)

Each command's `main` lets these propagate to `checks.cli.run_command`, which prints one line
and returns `error.exit_code`; docs tables and tests read `ExitCode` rather than literals.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a command's exit status means; the same numbers for every command."""

    OK = 0
    """Everything checked passed."""
    FIX = 1
    """A problem a person must fix (credentials: the output names the guide step; drift: the portal changed)."""
    USAGE = 2
    """Usage error: bad option, unreadable or malformed input file or setting."""
    TRANSIENT = 3
    """Could not finish: network, timeout, rate limit, LinkedIn error or a blocked visit. Try again later."""
    WARNING = 4
    """Works, with a warning that needs action soon (refresh token or API version about to expire)."""
    BUG = 70
    """A bug in this project (EX_SOFTWARE): the traceback is on stderr. Please report it."""
    INTERRUPTED = 130
    """Interrupted with Ctrl-C; nothing partial was saved."""

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "all good",
    ExitCode.FIX: "a problem a person must fix (the output says which step of the guide to redo)",
    ExitCode.USAGE: "usage error: bad option, unreadable or malformed input file or setting",
    ExitCode.TRANSIENT: "could not finish: network, timeout, rate limit or a LinkedIn error; try again later",
    ExitCode.WARNING: "works, but something expires soon (refresh token or LinkedIn-Version)",
    ExitCode.BUG: "a bug in this tool: the traceback is on stderr; please report it",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C); nothing partial was saved",
}


class ChecksError(Exception):
    """Base of every error the project raises on purpose. Its message is one line for a person."""

    exit_code: ExitCode = ExitCode.FIX


class UsageError(ChecksError):
    """Wrong invocation or configuration."""

    exit_code = ExitCode.USAGE


class TransientError(ChecksError):
    """Worth trying again later: nothing is wrong with what the user supplied."""

    exit_code = ExitCode.TRANSIENT


class CredentialsError(ChecksError):
    """Credentials that do not work, or a token that could not be kept."""


class PortalError(ChecksError):
    """The executable docs: steps file, browser, screenshots, the portal itself."""
