"""Pipeline tools' own config files: read the credentials from them, write a ready one from verified values.

    read_tool_config(path) -> Inputs          --from-config: an Airbyte source config, a Singer/Meltano
                                              config.json or a dotenv file, recognised from its content
    check_write_target(tool, path)            --write-config, before any call: exit 2 if it cannot work
    write_tool_config(tool, path, ...)        --write-config, after a passing run: merged, 0600, atomic
    owox_lines(...)                           OWOX Data Marts is a UI: the values to paste, field by field
    load_for_run / write_configs / paste_lines   what `python -m checks.verify` calls before and after its run

Where each tool keeps the values (docs/connect.md links every field to its source):
- Airbyte source-linkedin-ads (connectionSpecification, tests/fixtures/airbyte/spec.json): `credentials`
  {auth_method "oAuth2.0", client_id, client_secret, refresh_token}, `account_ids` (array of integers),
  `start_date` (YYYY-MM-DD, required).
- Singer tap-linkedin-ads (REQUIRED_CONFIG_KEYS in tap_linkedin_ads/__init__.py): client_id, client_secret,
  refresh_token, accounts (comma-separated IDs), start_date (RFC 3339), user_agent.
- OWOX Data Marts LinkedIn Ads connector: Client ID, Primary Client Secret, Refresh Token, Account URNs
  (comma- or semicolon-separated; URNs or numbers).

A tool's config is never rewritten behind the user's back: a refresh token LinkedIn rotates during a
`--from-config` run goes to a 0600 fallback file and the message names the file and key to update.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Mapping

from checks.clock import system_clock
from checks.credentials.inputs import (
    CLIENT_ID,
    CLIENT_SECRET,
    CREDENTIAL_NAMES,
    REFRESH_TOKEN,
    Endpoints,
    Inputs,
    Source,
    Value,
    parse_dotenv_text,
)
from checks.errors import CredentialsError, UsageError

URN_PREFIX = "urn:li:sponsoredAccount:"
# The dotenv key for the ad accounts (comma-separated URNs); the credentials keep their usual names.
ACCOUNTS_KEY = "LINKEDIN_AD_ACCOUNTS"
WRITABLE = ("airbyte", "singer", "dotenv")
FORMAT_NAMES = {
    "airbyte": "Airbyte source-linkedin-ads config",
    "singer": "Singer/Meltano tap-linkedin-ads config.json",
    "dotenv": "dotenv file",
}
SUPPORTED = ("an Airbyte source-linkedin-ads config (JSON: credentials.client_id, credentials.client_secret, "
             "credentials.refresh_token, account_ids), a Singer/Meltano tap-linkedin-ads config.json (client_id, "
             "client_secret, refresh_token, accounts) or a dotenv file (LINKEDIN_CLIENT_ID=...)")
# Where each value lives, in the tool's own words.
KEYS = {
    "airbyte": {CLIENT_ID: "credentials.client_id", CLIENT_SECRET: "credentials.client_secret",
                REFRESH_TOKEN: "credentials.refresh_token"},
    "singer": {CLIENT_ID: "client_id", CLIENT_SECRET: "client_secret", REFRESH_TOKEN: "refresh_token"},
    "dotenv": {name: name for name in CREDENTIAL_NAMES},
}
ACCOUNT_KEYS = {"airbyte": "account_ids", "singer": "accounts", "dotenv": ACCOUNTS_KEY}
SINGER_KEYS = {"client_id", "client_secret", "refresh_token", "accounts", "user_agent"}
START_DATE_DAYS = 30
# The tap sends it as the User-Agent header; its README asks for "tap-linkedin-ads <your email>".
DEFAULT_USER_AGENT = "tap-linkedin-ads (config written by linkedin-ads-token-checks)"


# -- ad account IDs ----------------------------------------------------------------------------
def account_urn(raw: object, where: str) -> str:
    """`516413367`, `"516413367"` or `"urn:li:sponsoredAccount:516413367"` -> the URN; else exit 2."""
    text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
    number = text[len(URN_PREFIX):] if text.startswith(URN_PREFIX) else text
    if not (number.isascii() and number.isdigit()):
        from checks.credentials.secrets import mask

        # Quoted only when short or URN-shaped: a secret pasted into the wrong field is never echoed.
        shown = repr(text) if len(text) <= 16 or text.startswith("urn:") and len(text) <= 48 else mask(text)
        raise UsageError(f"{where}: {shown} is not an ad account ID: write a number (516413367) "
                         f"or a URN ({URN_PREFIX}516413367)")
    return f"{URN_PREFIX}{int(number)}"


def parse_accounts(raw: object, where: str) -> tuple[str, ...]:
    """A tool's account setting -> URNs. Empty, null or "null" (Singer's sample) means every account."""
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("", "null")):
        return ()
    if isinstance(raw, str):
        items: list[object] = [part for part in re.split(r"[,;\s]+", raw) if part]
    elif isinstance(raw, list):
        items = list(raw)
    else:
        items = [raw]
    return tuple(dict.fromkeys(account_urn(item, where) for item in items))


def account_number(urn: str) -> int:
    return int(urn.rsplit(":", 1)[1])


# -- reading -----------------------------------------------------------------------------------
def _read_text(path: Path, shown: str) -> str:
    from checks.credentials.inputs import read_secret_text

    return read_secret_text(path, shown, what="config file")


def detect_format(text: str, shown: str) -> tuple[str, dict]:
    """("airbyte" | "singer" | "dotenv", the parsed content), from the content alone; else exit 2."""
    if text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:  # the message quotes no content, only where
            raise UsageError(f"{shown}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        if isinstance(data, dict) and (isinstance(data.get("credentials"), dict) or "account_ids" in data):
            return "airbyte", data
        if isinstance(data, dict) and SINGER_KEYS & data.keys():
            return "singer", data
    else:
        values = parse_dotenv_text(text)
        if any(key.startswith("LINKEDIN_") for key in values):
            return "dotenv", values
    raise UsageError(f"{shown}: unknown format: supported are {SUPPORTED}")


def read_tool_config(path: str | os.PathLike, environ: Mapping[str, str] | None = None,
                     *, label: str = "--from-config") -> Inputs:
    """The credentials and ad accounts in a tool's config; each value says file and key.

    Credentials in the environment are ignored (the file is what is being checked); endpoint settings
    (LINKEDIN_API_URL, ...) still apply. A missing value is a usage error naming the key in the tool's words.
    """
    path = Path(path)
    shown = f"{label} {path}"
    environ = os.environ if environ is None else environ
    shared = {k: v for k, v in environ.items() if k not in CREDENTIAL_NAMES}
    tool, data = detect_format(_read_text(path, shown), shown)
    shown = f"{shown} ({FORMAT_NAMES[tool]})"
    if tool == "airbyte":
        credentials = data.get("credentials")
        if not isinstance(credentials, dict):
            raise UsageError(f"{shown}: credentials is missing: add credentials with auth_method \"oAuth2.0\", "
                             "client_id, client_secret and refresh_token")
        if credentials.get("auth_method") == "access_token" or ("access_token" in credentials and "refresh_token" not in credentials):
            raise UsageError(f"{shown}: credentials.auth_method is \"access_token\", which expires after 60 days: "
                             "switch the source to OAuth2.0 (credentials.client_id, credentials.client_secret, "
                             "credentials.refresh_token)")
        raw = {CLIENT_ID: credentials.get("client_id"), CLIENT_SECRET: credentials.get("client_secret"),
               REFRESH_TOKEN: credentials.get("refresh_token")}
    elif tool == "singer":
        raw = {name: data.get(KEYS["singer"][name]) for name in CREDENTIAL_NAMES}
    else:
        raw = {name: data.get(name) for name in CREDENTIAL_NAMES}
    try:
        endpoints = Endpoints.from_env({**(data if tool == "dotenv" else {}), **shared})
    except UsageError as exc:
        raise UsageError(f"{shown}: {exc}") from None
    for name in CREDENTIAL_NAMES:
        value = raw[name]
        if value is None or (isinstance(value, str) and not value.strip()):
            raise UsageError(f"{shown}: {KEYS[tool][name]} is missing or empty")
        if not isinstance(value, str):
            raise UsageError(f"{shown}: {KEYS[tool][name]} must be a string, not {type(value).__name__}")
    inputs = Inputs(endpoints=endpoints, env_file=path if tool == "dotenv" else None, tool=tool,
                    accounts=parse_accounts(data.get(ACCOUNT_KEYS[tool]), f"{shown}: {ACCOUNT_KEYS[tool]}"))
    for name in CREDENTIAL_NAMES:
        inputs.values[name] = Value(name, raw[name], Source.FILE, path, key=KEYS[tool][name])
    return inputs


def describe(inputs: Inputs) -> str:
    """One line naming what was read: the file, its format, the accounts it names."""
    path = inputs.values[REFRESH_TOKEN].path
    tool = inputs.tool or "dotenv"
    accounts = (f"{len(inputs.accounts)} ad account{'s' if len(inputs.accounts) != 1 else ''} in {ACCOUNT_KEYS[tool]}"
                if inputs.accounts else f"no {ACCOUNT_KEYS[tool]}: every account the token reaches")
    return f"Read {path}: {FORMAT_NAMES[tool]} ({accounts})"


# -- a rotated refresh token ---------------------------------------------------------------------
def keep_rotated_token(inputs: Inputs, new_token: str) -> str:
    """Save a refresh token LinkedIn rotated to the 0600 fallback file; say which file and key to update."""
    from checks.credentials.store import fallback_directory, save_fallback

    value = inputs.values[REFRESH_TOKEN]
    intended = value.path or Path("config.json")
    try:
        fallback = save_fallback({REFRESH_TOKEN: new_token}, intended=intended)
    except OSError as exc:
        raise CredentialsError(f"could not keep it in {fallback_directory()} ({exc.strerror or exc}): "
                               "nothing was saved; create a new token (Step 4)") from None
    return (f"kept in {fallback} (mode 0600); {intended} is not rewritten: "
            f"put the new token in its {value.key} yourself")


# -- writing -----------------------------------------------------------------------------------
def parse_write_target(text: str) -> tuple[str, Path]:
    """`airbyte=PATH` -> ("airbyte", Path); an argparse type (its errors are exit 2)."""
    import argparse

    tool, sep, path = text.partition("=")
    tool = tool.strip().lower()
    if tool == "owox":
        raise argparse.ArgumentTypeError("OWOX Data Marts is set up in its UI: a passing run ends with the values "
                                         "to paste, field by field; write airbyte=PATH, singer=PATH or dotenv=PATH")
    if not sep or tool not in WRITABLE or not path:
        raise argparse.ArgumentTypeError(f"{text!r}: write TOOL=PATH with TOOL one of {', '.join(WRITABLE)}")
    return tool, Path(path)


def _existing_json(target: Path, shown: str, tool: str) -> dict:
    if not target.exists() or target.stat().st_size == 0:
        return {}
    found, data = detect_format(_read_text(target, shown), shown)
    if found != tool:
        raise UsageError(f"{shown}: the file holds a {FORMAT_NAMES[found]}, not what {tool}= writes: name another file")
    return data


def check_write_target(tool: str, path: Path) -> Path:
    """Before any call to LinkedIn: the destination can be written and, if it exists, merged into."""
    from checks.credentials.store import check_destination

    shown = f"--write-config {tool}={path}"
    try:
        target = check_destination(path, label=f"--write-config {tool}=")
    except UsageError as exc:  # the dotenv writer's words, with TOOL=PATH written as the user typed it
        raise UsageError(str(exc).replace(f"--write-config {tool}= {path}", shown, 1)) from None
    if tool != "dotenv":
        _existing_json(target, shown, tool)
    elif target.exists() and target.stat().st_size:
        text = _read_text(target, shown)
        if text.lstrip().startswith(("{", "[")):
            raise UsageError(f"{shown}: the file is JSON, not a dotenv file: name another file")
    return target


def start_date(today: date) -> date:
    return today - timedelta(days=START_DATE_DAYS)


def airbyte_config(existing: dict, values: Mapping[str, str], accounts: list[str], today: date) -> dict:
    """`existing` with the OAuth2.0 credentials and account_ids set; its other keys (and start_date) kept."""
    config = dict(existing)
    old = existing.get("credentials")
    old = old if isinstance(old, dict) else {}
    credentials = {k: v for k, v in old.items() if k != "access_token"}  # a stale secret of the other method
    credentials.update(auth_method="oAuth2.0", client_id=values[CLIENT_ID], client_secret=values[CLIENT_SECRET],
                       refresh_token=values[REFRESH_TOKEN])
    config["credentials"] = credentials
    config["account_ids"] = [account_number(urn) for urn in accounts]
    config.setdefault("start_date", start_date(today).isoformat())
    return config


def singer_config(existing: dict, values: Mapping[str, str], accounts: list[str], today: date) -> dict:
    """`existing` with client_id, client_secret, refresh_token and accounts set; start_date and user_agent
    added when absent; other keys kept."""
    config = {k: v for k, v in existing.items() if k != "access_token"}
    config.update(client_id=values[CLIENT_ID], client_secret=values[CLIENT_SECRET], refresh_token=values[REFRESH_TOKEN],
                  accounts=", ".join(str(account_number(urn)) for urn in accounts))
    config.setdefault("start_date", f"{start_date(today).isoformat()}T00:00:00Z")
    config.setdefault("user_agent", DEFAULT_USER_AGENT)
    return config


def dotenv_updates(values: Mapping[str, str], accounts: list[str]) -> dict[str, str]:
    return {CLIENT_ID: values[CLIENT_ID], CLIENT_SECRET: values[CLIENT_SECRET], REFRESH_TOKEN: values[REFRESH_TOKEN],
            ACCOUNTS_KEY: ",".join(accounts)}


def _save_json(target: Path, shown: str, config: dict) -> None:
    from checks.credentials.store import SavedElsewhere, _utc_stamp, fallback_directory, write_private

    text = json.dumps(config, indent=2, ensure_ascii=False) + "\n"
    try:
        write_private(target, text)
        return
    except OSError as exc:
        reason = exc.strerror or str(exc)
    fallback = fallback_directory() / f"{target.name}.unsaved-{_utc_stamp()}.json"
    try:
        fallback.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(fallback, text)
    except OSError as again:
        raise CredentialsError(f"could not write {shown} ({reason}) nor {fallback} ({again.strerror}): nothing was "
                               "saved; fix the permissions and run again") from None
    raise SavedElsewhere(f"could not write {shown} ({reason}): the config was saved to {fallback} (mode 0600) "
                         f"instead: move it to {target}", fallback)


def write_tool_config(tool: str, path: Path, values: Mapping[str, str], accounts: list[str],
                      *, today: date | None = None) -> str:
    """Write (merge) the config for `tool` at `path`, mode 0600; return one sentence saying what was written.

    `values` are the verified credentials (LINKEDIN_* names), `accounts` the URNs that passed the probe.
    If the file cannot be written, everything goes to a 0600 fallback file and SavedElsewhere (exit 1) names it.
    """
    from checks.credentials.store import resolve_target, save_values

    today = today or system_clock().date()
    shown = f"--write-config {tool}={path}"
    target = resolve_target(path)
    if tool == "dotenv":
        save_values(path, dotenv_updates(values, accounts), backup_keys=(REFRESH_TOKEN,))
        os.chmod(target, 0o600)
        written = f"{', '.join(CREDENTIAL_NAMES)}, {ACCOUNTS_KEY}"
    else:
        existing = _existing_json(target, shown, tool)
        config = (airbyte_config if tool == "airbyte" else singer_config)(existing, values, accounts, today)
        _save_json(target, shown, config)
        written = ", ".join([*KEYS[tool].values(), ACCOUNT_KEYS[tool], "auth_method" if tool == "airbyte" else "user_agent"])
    count = f"{len(accounts)} ad account{'s' if len(accounts) != 1 else ''}"
    return f"Wrote {path} ({FORMAT_NAMES[tool]}, mode 0600): {written}; {count}"


# -- a verify run -----------------------------------------------------------------------------
def load_for_run(from_config: list[str], targets: list[tuple[str, Path]], *, env_files: int,
                 max_accounts: int, environ: Mapping[str, str] | None = None) -> list[tuple[str, Inputs]]:
    """Everything --from-config and --write-config check before any call to LinkedIn (exit 2 on bad input):
    the destinations can be written, and each config reads. Returns (label, Inputs) per config."""
    if targets and max_accounts == 0:
        raise UsageError("--write-config writes the ad accounts that pass the reporting probe: drop --max-accounts 0")
    for tool, path in targets:
        check_write_target(tool, path)
    configs = [(str(path), read_tool_config(path, environ)) for path in from_config]
    if targets and env_files + len(configs) > 1:
        raise UsageError("--write-config writes one credential set: name one --from-config or --env-file")
    return configs


def run_passed(report) -> bool:
    """Works (exit 0), or works with a warning about an expiry (exit 4): worth writing into a config."""
    from checks.errors import ExitCode

    return report.exit_code in (ExitCode.OK, ExitCode.WARNING)


def write_configs(targets: list[tuple[str, Path]], inputs: Inputs, report):
    """Write each --write-config destination after a passing run, yielding one line each as it is written;
    after a failing run, say that nothing was written."""
    for tool, path in targets:
        if not run_passed(report):
            yield f"Not written: {path} (the checks did not pass; the file is left as it was)"
            continue
        yield write_tool_config(tool, path, verified_values(inputs), passed_accounts(report),
                                today=report.checked_at.date())  # the run's own clock


def paste_lines(inputs: Inputs, report) -> list[str]:
    """After a passing run, the OWOX Data Marts fields to paste (nothing when no account passed)."""
    accounts = passed_accounts(report)
    return owox_lines(inputs, accounts) if run_passed(report) and accounts else []


# -- OWOX Data Marts (a UI) --------------------------------------------------------------------
OWOX_FIELDS = (("Client ID", CLIENT_ID), ("Primary Client Secret", CLIENT_SECRET), ("Refresh Token", REFRESH_TOKEN))


def owox_lines(inputs: Inputs, accounts: list[str]) -> list[str]:
    """The LinkedIn Ads connector's fields with what goes in each: secrets masked (and where to copy them
    from), Account URNs in full, comma-separated (the connector splits on , or ;)."""
    from checks.credentials.secrets import mask

    rows = []
    for label, name in OWOX_FIELDS:
        value = inputs.values[name]
        shown_value = mask(inputs.rotated_refresh_token if name == REFRESH_TOKEN and inputs.rotated_refresh_token
                           else value.value)
        rows.append((label, f"{shown_value}  (copy it from: {value.origin})"))
    rows.append(("Account URNs", ", ".join(accounts) if accounts else "(no ad account passed the reporting probe)"))
    width = max(len(label) for label, _ in rows)
    return ["OWOX Data Marts > LinkedIn Ads connector, field by field:",
            *(f"  {label.ljust(width)}  {text}" for label, text in rows)]


def passed_accounts(report) -> list[str]:
    """The ad accounts (URNs) whose reporting probe succeeded, in the order probed."""
    return [probe.urn for probe in report.accounts if probe.reporting]


def verified_values(inputs: Inputs) -> dict[str, str]:
    """The values as checked (whitespace and wrapping quotes removed), with a rotated refresh token."""
    from checks.credentials.shape import check_shape

    values = {name: check_shape(name, inputs.get(name) or "").cleaned for name in CREDENTIAL_NAMES}
    if inputs.rotated_refresh_token:
        values[REFRESH_TOKEN] = inputs.rotated_refresh_token
    return values
