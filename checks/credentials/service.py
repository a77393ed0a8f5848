"""The interface the commands call. Plain functions: options in, results out, no printing.

    verify_credentials(inputs, options) -> Report        what `python -m checks.verify` runs
    load_credential_sets(paths) -> [(label, Inputs)]      --env-file given several times / a directory
    verify_many(sets, options) -> [SetResult]             every set checked concurrently
    exchange_code(...) -> TokenGrant                      the code exchange of `checks.authorize`

The command modules (checks/verify.py, checks/authorize.py) parse arguments, call these and
render; they never import each other.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from checks.clock import Clock, system_clock
from checks.credentials.diagnose import DEFAULT_MAX_ACCOUNTS, DEFAULT_SCOPES, Report, run_checks
from checks.credentials.inputs import CREDENTIAL_NAMES, REFRESH_TOKEN, Inputs, Source, load_inputs
from checks.credentials.secrets import Redactor
from checks.errors import ExitCode, UsageError
from checks.interrupts import InterruptGuard

# Credential sets checked at the same time (each one makes its own few calls).
MAX_PARALLEL_SETS = 10


@dataclass(frozen=True)
class VerifyOptions:
    """Every tunable of a verification run (each has a command-line option and an env default)."""

    timeout: float = 10.0
    retries: int = 2
    required_scopes: tuple[str, ...] = DEFAULT_SCOPES
    warn_days: int = 30
    # Seconds to wait before re-trying a freshly issued token LinkedIn refused (it happens).
    fresh_token_grace: float = 5.0
    # Ad accounts probed for reporting (one adAnalytics call each); 0 turns the probe off.
    max_accounts: int = DEFAULT_MAX_ACCOUNTS
    # What "now" is: expiry dates, days left, the version's retirement (tests pass a fixed clock).
    clock: Clock = system_clock


def rotated_token_destination(inputs: Inputs) -> Path | None:
    """Where a new refresh token must go: the dotenv file the old one came from, if any."""
    value = inputs.values.get(REFRESH_TOKEN)
    if inputs.tool in ("airbyte", "singer"):
        return None  # a pipeline tool's own config is never rewritten (tool_configs.keep_rotated_token)
    if value is not None and value.source is Source.FILE:
        return value.path
    return None


def verify_credentials(
    inputs: Inputs,
    options: VerifyOptions = VerifyOptions(),
    *,
    redactor: Redactor | None = None,
    log: Callable[[str], None] | None = None,
    rotated_store: Path | None = None,
    guard: InterruptGuard | None = None,
) -> Report:
    """Run every check on already-loaded inputs and return the Report.

    A refresh token LinkedIn rotates is saved to `rotated_store`, or else to the dotenv file
    the old one came from; the Report says where, or fails loudly when it could not be kept.
    """
    from checks.credentials.client import LinkedInClient

    redactor = redactor or Redactor()
    client = LinkedInClient(inputs.endpoints, timeout=options.timeout, retries=options.retries, log=log)
    target = rotated_store or rotated_token_destination(inputs)

    def store_rotated(new_token: str) -> str | None:
        inputs.rotated_refresh_token = new_token  # what --write-config writes
        if target is None and inputs.tool in ("airbyte", "singer"):
            from checks.credentials.tool_configs import keep_rotated_token

            return keep_rotated_token(inputs, new_token)
        if target is None:
            return None
        from checks.credentials.store import save_values

        notes: list[str] = []  # raises SavedElsewhere (exit 1, names the fallback file) if target is unwritable
        backup = save_values(target, {REFRESH_TOKEN: new_token}, backup_keys=(REFRESH_TOKEN,), notes=notes,
                             guard=guard)
        return (f"saved to {target}" + (f" (previous file kept as {backup})" if backup else "")
                + "".join(f"; {note}" for note in notes))

    return run_checks(
        inputs,
        client,
        required_scopes=options.required_scopes,
        warn_days=options.warn_days,
        redactor=redactor,
        on_rotated=store_rotated,
        fresh_token_grace=options.fresh_token_grace,
        max_accounts=options.max_accounts,
        now=options.clock,
    )


@dataclass
class SetResult:
    """One credential set's outcome, reported under `label` (its file name)."""

    label: str
    inputs: Inputs
    report: Report


def expand_env_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Each --env-file: a dotenv file, or a directory whose `*.env` files are each one set."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.glob("*.env") if p.is_file())
            if not files:
                raise UsageError(f"--env-file {path}: the directory holds no *.env files")
            found += files
        elif not os.path.exists(path):
            raise UsageError(f"--env-file {path}: no such file")
        else:
            # A file, a pipe or /dev/fd/N: load_inputs reads it once and names any problem.
            found.append(path)
    unique: list[Path] = []
    for path in found:
        if not path.is_file() or path.resolve() not in {p.resolve() for p in unique if p.is_file()}:
            unique.append(path)
    return unique


def load_credential_sets(files: list[Path], environ: Mapping[str, str] | None = None) -> list[tuple[str, Inputs]]:
    """One Inputs per file. Each file's own credentials count: LINKEDIN_CLIENT_ID and friends in the
    environment are ignored here (they would override every set), endpoint settings still apply."""
    environ = os.environ if environ is None else environ
    shared = {k: v for k, v in environ.items() if k not in CREDENTIAL_NAMES}
    sets = []
    for path in files:
        try:
            sets.append((str(path), load_inputs(path, environ=shared, prompt=False)))
        except UsageError as exc:
            raise UsageError(f"{path}: {exc}") from None  # say which of the files is wrong
    return sets


def verify_many(
    sets: list[tuple[str, Inputs]],
    options: VerifyOptions = VerifyOptions(),
    *,
    redactor: Redactor | None = None,
    log: Callable[[str], None] | None = None,
    guard: InterruptGuard | None = None,
) -> list[SetResult]:
    """Check every credential set at the same time; results in the order given.

    One Redactor serves all sets, so no set's secret can show in another set's output. A rotated
    refresh token is saved into the file it came from.
    """
    redactor = redactor or Redactor()

    def one(label: str, inputs: Inputs) -> SetResult:
        tagged = (lambda line: log(f"[{label}] {line}")) if log else None
        return SetResult(label, inputs, verify_credentials(inputs, options, redactor=redactor, log=tagged, guard=guard))

    with ThreadPoolExecutor(max_workers=max(1, min(len(sets), MAX_PARALLEL_SETS))) as pool:
        futures = [pool.submit(one, label, inputs) for label, inputs in sets]
        return [f.result() for f in futures]


def worst_exit_code(codes: Iterable[ExitCode]) -> ExitCode:
    """The exit code of several sets: anything to fix, else a temporary failure, else a warning."""
    codes = set(codes)
    for code in (ExitCode.FIX, ExitCode.TRANSIENT, ExitCode.WARNING):
        if code in codes:
            return code
    return ExitCode.OK
