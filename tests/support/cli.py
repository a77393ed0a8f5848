"""The one way tests run a command: `run_cli("verify", "--json", server=server)`.

In-process by default: the command's `main(argv, env=...)` runs with stdout, stderr and stdin
captured, the environment passed as a mapping (os.environ is not touched), the working directory
changed for the call. That is what a user gets minus the interpreter start-up, and ~20x faster.
A real process (`process=True`, or `shell=` for a bash line) only where a pipe, process
substitution or an inherited variable the product reads from the process environment is the point;
tests of a pty or a signal start their own process from `command_env()` and `argv_for()` and sweep
with `assert_no_secrets()`.

Every run, whatever the mode:
- sweeps stdout and stderr for every secret: the configured ones (environment, fake LinkedIn),
  the issued ones (access tokens the fake saw, a rotated refresh token, authorization codes) and
  `secrets=`, raw, URL-encoded and as the 16-character pieces a bad mask would leave;
- refuses a traceback on stderr unless `bug=True`;
- validates `--json` output of verify and authorize against the published schema
  (docs/verify.schema.json, tests/support/published_schema.py).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from tests.support import ROOT
from tests.support.clock import pinned_env
from tests.support.fake_linkedin import CLIENT_SECRET, REFRESH_TOKEN
from tests.support.linkedin_mocks import ACCESS_TOKEN
from tests.support.published_schema import validate

MODULES = {"verify": "checks.verify", "authorize": "checks.authorize", "screens": "checks.screens.__main__"}
RUN_AS = {"verify": "checks.verify", "authorize": "checks.authorize", "screens": "checks.screens"}
JSON_CONTRACT = ("verify", "authorize")  # commands whose --json output is docs/verify.schema.json
# Read by the product from the process environment, not from the command's env mapping: a test
# that sets one gets a real process.
PROCESS_ONLY = ("XDG_CONFIG_HOME", "HOME", "NO_COLOR")
ALWAYS_SECRET = (CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN)  # the fixtures' own, whoever configured them
SECRET_VARIABLES = ("LINKEDIN_CLIENT_SECRET", "LINKEDIN_REFRESH_TOKEN")


@dataclass
class Result:
    """What a run left behind; shaped like subprocess.CompletedProcess (`returncode`, `stdout`, `stderr`)."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    elapsed: float
    in_process: bool

    def json(self):
        return json.loads(self.stdout)


def command_env(env: Mapping[str, str | None] | None = None, *, server=None, credentials: bool | None = None) -> dict:
    """The environment of a run: the developer's shell minus LinkedIn settings and NO_COLOR, no grace
    wait, the fake LinkedIn's endpoints (and its credentials unless `credentials=False`), then `env`
    (a None value removes the variable)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("LINKEDIN_") and k != "NO_COLOR"}
    full["LINKEDIN_FRESH_TOKEN_GRACE"] = "0"
    if server is not None:
        full.update(server.env)
        if credentials is not False:
            full.update(server.credentials())
    for key, value in (env or {}).items():
        if value is None:
            full.pop(key, None)
        else:
            full[key] = value
    return full


def argv_for(command: str, *args: str) -> list[str]:
    return [sys.executable, "-m", RUN_AS[command], *map(str, args)]


def secrets_of(env: Mapping[str, str], server=None, extra: Iterable[str] = ()) -> set[str]:
    found = {*ALWAYS_SECRET, *extra, *(env.get(name, "") for name in SECRET_VARIABLES)}
    if server is not None:
        fake = server.fake
        found |= {fake.client_secret, fake.refresh_token, *fake.issued_codes}
        found |= {r[3].get("Authorization", "")[7:] for r in fake.requests if r[3].get("Authorization")}
    return {s.strip() for s in found if s and len(s.strip()) >= 8}


def assert_no_secrets(text: str, secrets: Iterable[str]) -> None:
    """No secret, raw or URL-encoded, nor a 16-character piece of one, shows in `text`."""
    for secret in secrets:
        pieces = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}
        if len(secret) > 20:
            pieces |= {secret[:16], secret[-16:]}
        for piece in pieces:
            assert piece not in text, f"a secret leaked: {piece[:3]}…"


def run_cli(command: str, *args: str, env: Mapping[str, str | None] | None = None, cwd: str | Path | None = None,
            stdin: str | None = None, server=None, credentials: bool | None = None, secrets: Iterable[str] = (),
            process: bool = False, shell: str | None = None, bug: bool = False, timeout: float = 60) -> Result:
    """Run `command` (verify, authorize, screens) with `args`; see the module docstring."""
    full_env = command_env(env, server=server, credentials=credentials)
    cwd = Path(cwd) if cwd is not None else ROOT
    own_process = process or shell is not None or any(key in (env or {}) for key in PROCESS_ONLY)
    started = time.monotonic()
    if own_process:
        proc = subprocess.run(shell if shell is not None else argv_for(command, *args), env=pinned_env(full_env),
                              cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                              shell=shell is not None, executable="/bin/bash" if shell is not None else None)
        result = Result(list(args), proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started, False)
    else:
        result = _in_process(command, list(map(str, args)), full_env, cwd, stdin or "")
        result.elapsed = time.monotonic() - started
    assert_no_secrets(result.stdout + result.stderr, secrets_of(full_env, server, secrets))
    if not bug:
        assert "Traceback" not in result.stderr, result.stderr
    if command in JSON_CONTRACT and "--json" in args and result.stdout.strip():
        validate(result.json())
    return result


def _in_process(command: str, args: list[str], env: dict, cwd: Path, stdin: str) -> Result:
    main = importlib.import_module(MODULES[command]).main
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    saved_stdin = sys.stdin
    os.chdir(cwd)
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args, env=env)
    finally:
        sys.stdin = saved_stdin
        os.chdir(previous)
    return Result(args, int(code), out.getvalue(), err.getvalue(), 0.0, True)


def run_verify(server, *args, env_extra=None, credentials=True, cwd=None, extra_secrets=(), timeout=60, **options) -> Result:
    """`python -m checks.verify ARGS` against the fake LinkedIn `server` (kept for existing callers)."""
    return run_cli("verify", *args, server=server, env=env_extra, credentials=credentials, cwd=cwd,
                   secrets=extra_secrets, timeout=timeout, **options)
