"""The interface the commands call. Plain functions: options in, results out, no printing.

    verify_credentials(inputs, options) -> Report        what `python -m checks.verify` runs
    exchange_code(...) -> TokenGrant                      the code exchange of `checks.authorize`

The command modules (checks/verify.py, checks/authorize.py) parse arguments, call these and
render; they never import each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from checks.credentials.diagnose import DEFAULT_SCOPES, Report, run_checks
from checks.credentials.inputs import REFRESH_TOKEN, Inputs, Source
from checks.credentials.secrets import Redactor


@dataclass(frozen=True)
class VerifyOptions:
    """Every tunable of a verification run (each has a command-line option and an env default)."""

    timeout: float = 10.0
    retries: int = 2
    required_scopes: tuple[str, ...] = DEFAULT_SCOPES
    warn_days: int = 30
    # Seconds to wait before re-trying a freshly issued token LinkedIn refused (it happens).
    fresh_token_grace: float = 5.0


def rotated_token_destination(inputs: Inputs) -> Path | None:
    """Where a new refresh token must go: the dotenv file the old one came from, if any."""
    value = inputs.values.get(REFRESH_TOKEN)
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
        if target is None:
            return None
        from checks.credentials.store import save_values

        notes: list[str] = []  # raises SavedElsewhere (exit 1, names the fallback file) if target is unwritable
        backup = save_values(target, {REFRESH_TOKEN: new_token}, backup_keys=(REFRESH_TOKEN,), notes=notes)
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
    )
