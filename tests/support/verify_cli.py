"""Run `python -m checks.verify` as a user does (a subprocess against a fake LinkedIn) and sweep
every output for secrets."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support import ROOT
from tests.support.clock import pinned_env
from tests.support.fake_linkedin import CLIENT_SECRET, REFRESH_TOKEN


def fragments(*secrets: str) -> list[str]:
    """A secret and the pieces of it that must never show either (masking keeps only 3 + 3 characters)."""
    return [piece for s in secrets if s for piece in (s, s[:16], s[-16:])]


def verify_env(server, *, env_extra=None, credentials=True) -> dict:
    """The environment of a `python -m checks.verify` run against the fake LinkedIn `server`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINKEDIN_")}
    env.update(server.env)
    env["LINKEDIN_FRESH_TOKEN_GRACE"] = "0"
    if credentials:
        env.update(server.credentials())
    env.update(env_extra or {})
    return pinned_env(env)


def run_verify(server, *args, env_extra=None, credentials=True, cwd=None, extra_secrets=(), timeout=60):
    env = verify_env(server, env_extra=env_extra, credentials=credentials)
    proc = subprocess.run([sys.executable, "-m", "checks.verify", *args], env=env, capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=timeout, stdin=subprocess.DEVNULL)
    # The access tokens the fake issued (seen in the API calls) and a rotated refresh token count too.
    issued = {r[3].get("Authorization", "")[7:] for r in server.fake.requests if r[3].get("Authorization")}
    for piece in fragments(CLIENT_SECRET, REFRESH_TOKEN, server.fake.refresh_token, *issued, *extra_secrets):
        assert piece not in proc.stdout + proc.stderr, f"{piece[:4]}… leaked"
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc
