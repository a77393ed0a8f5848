"""Kept so tests written against the old helper keep working: everything lives in tests/support/cli.py.

    run_verify(server, *args, env_extra=..., credentials=..., cwd=..., extra_secrets=...)
    verify_env(server, env_extra=..., credentials=...)   the environment of a real process
"""

from __future__ import annotations

from tests.support.cli import command_env, run_cli, run_verify
from tests.support.clock import pinned_env

__all__ = ["run_cli", "run_verify", "verify_env", "fragments"]


def verify_env(server, *, env_extra=None, credentials=True) -> dict:
    """The environment of a real `python -m checks.verify` process against the fake LinkedIn `server`."""
    return pinned_env(command_env(env_extra, server=server, credentials=credentials))


def fragments(*secrets: str) -> list[str]:
    """A secret and the pieces of it that must never show either (masking keeps only 3 + 3 characters)."""
    return [piece for s in secrets if s for piece in (s, s[:16], s[-16:])]
