"""Where the credentials and endpoints come from: environment, a dotenv file, or a hidden prompt.

Secrets are never taken from command-line arguments: they would leak into shell history and `ps`.
"""

from __future__ import annotations

import errno
import getpass
import os
import re
import sys
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable, Mapping

from checks.errors import UsageError

CLIENT_ID = "LINKEDIN_CLIENT_ID"
CLIENT_SECRET = "LINKEDIN_CLIENT_SECRET"
REFRESH_TOKEN = "LINKEDIN_REFRESH_TOKEN"
CREDENTIAL_NAMES = (CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
LABELS = {CLIENT_ID: "Client ID", CLIENT_SECRET: "Primary Client Secret", REFRESH_TOKEN: "Refresh token"}

DEFAULT_OAUTH_URL = "https://www.linkedin.com/oauth/v2"
DEFAULT_API_URL = "https://api.linkedin.com/rest"
# A Marketing API version LinkedIn serves until about mid-2027 (versions live >= 12 months).
DEFAULT_API_VERSION = "202607"
# YYYYMM, or a point version YYYYMM.NN (LinkedIn ships fixes as e.g. 202607.01).
API_VERSION_RE = re.compile(r"^20\d\d(0[1-9]|1[0-2])(\.\d\d)?$")


class Source(Enum):
    """Where a value came from. A value from a file also carries the file's path."""

    ENVIRONMENT = "environment"
    FILE = "file"
    PROMPT = "prompt"
    MISSING = "missing"


@dataclass
class Value:
    name: str
    value: str | None
    source: Source
    path: Path | None = None  # the dotenv file, when source is FILE
    key: str | None = None  # the key inside `path` (a tool's config: `credentials.refresh_token`)

    @property
    def origin(self) -> str:
        """For people and JSON: "environment", "prompt", "missing", the file's path, or `path (key)`."""
        if self.source is not Source.FILE:
            return self.source.value
        return f"{self.path} ({self.key})" if self.key else str(self.path)


@dataclass
class Endpoints:
    oauth_url: str = DEFAULT_OAUTH_URL
    api_url: str = DEFAULT_API_URL
    api_version: str = DEFAULT_API_VERSION

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Endpoints":
        version = env.get("LINKEDIN_API_VERSION", "").strip() or DEFAULT_API_VERSION
        if not API_VERSION_RE.match(version):
            raise UsageError(
                f"LINKEDIN_API_VERSION={version!r} is not a LinkedIn version: use YYYYMM or YYYYMM.NN, "
                f"e.g. {DEFAULT_API_VERSION}"
            )
        return cls(
            oauth_url=base_url(env, "LINKEDIN_OAUTH_URL", DEFAULT_OAUTH_URL),
            api_url=base_url(env, "LINKEDIN_API_URL", DEFAULT_API_URL),
            api_version=version,
        )


@dataclass
class Inputs:
    values: dict[str, Value] = field(default_factory=dict)
    endpoints: Endpoints = field(default_factory=Endpoints)
    env_file: Path | None = None  # the dotenv file that was read, if any
    warnings: list[str] = field(default_factory=list)  # for the user before anything is sent
    # From a pipeline tool's config (checks.credentials.tool_configs): its format, the ad accounts
    # it names (URNs, checked and probed first), and a refresh token LinkedIn rotated during the run.
    tool: str | None = None
    accounts: tuple[str, ...] = ()
    rotated_refresh_token: str | None = None

    def get(self, name: str) -> str | None:
        v = self.values.get(name)
        return v.value if v else None


# Plain http is fine only where nobody can listen in: this machine.
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
ENDPOINT_NAMES = ("LINKEDIN_OAUTH_URL", "LINKEDIN_API_URL")


def base_url(env: Mapping[str, str], name: str, default: str) -> str:
    """A base URL from `env[name]`: https with a host (http only to loopback), else a usage error
    naming the variable."""
    from urllib.parse import urlsplit

    raw = env.get(name, "").strip()
    if not raw:
        return default
    from checks.credentials.secrets import display_url, escape_controls

    shown = escape_controls(display_url(raw))
    try:
        parts = urlsplit(raw)
        _ = parts.port  # raises ValueError when out of range or not a number
    except ValueError as exc:
        raise UsageError(f"{name}={shown!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{name}={shown!r} is not an http(s) URL with a host: write it like {default}")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        # RFC 6749 3.2: the token endpoint needs TLS; the secrets would cross the network in clear.
        raise UsageError(f"{name}={shown}: plain http would send the secrets unencrypted to {parts.hostname}: "
                         "use https:// (http is accepted only for 127.0.0.1, ::1 and localhost)")
    return raw.rstrip("/")


def endpoint_warnings(endpoints: "Endpoints") -> list[str]:
    """A visible line for every endpoint whose host is not LinkedIn's: the secrets go there."""
    from urllib.parse import urlsplit

    hosts: dict[str, list[str]] = {}
    for name, url in (("LINKEDIN_OAUTH_URL", endpoints.oauth_url), ("LINKEDIN_API_URL", endpoints.api_url)):
        host = (urlsplit(url).hostname or "").lower()
        if host != "linkedin.com" and not host.endswith(".linkedin.com"):
            hosts.setdefault(host, []).append(name)
    return [f"Warning: {' and '.join(names)} {'point' if len(names) > 1 else 'points'} at {host}, not LinkedIn: "
            "the secrets are sent there." for host, names in hosts.items()]


def decode_env_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Text of a dotenv file and the codec to write it back with.

    UTF-8 (with or without BOM) and UTF-16 with a BOM (PowerShell's `>`) are read; anything else
    is a usage error that names what the file seems to be.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        codec = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    else:
        codec = "utf-8"
        if b"\x00" in data:  # valid UTF-8 for ASCII text, but no dotenv file holds NUL bytes
            what = "UTF-16 without a byte-order mark" if data.count(b"\x00") * 3 >= len(data) else "binary"
            raise UsageError(f"{name}: the file is {what}: save it as UTF-8 (e.g. iconv -f UTF-16LE -t UTF-8)")
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as exc:
        what = "not UTF-8 (Latin-1 or Windows-1252?)" if codec == "utf-8" else f"not valid {codec.upper()}"
        raise UsageError(f"{name}: the file is {what}: byte {exc.start} cannot be decoded; "
                         "save it as UTF-8 (e.g. iconv -t UTF-8)") from None


def parse_dotenv_text(text: str) -> dict[str, str]:
    """python-dotenv's reading of `text`, never interpolated: `${HOME}` stays `${HOME}` whatever
    the quotes (a file must not pull other variables of the environment into a URL or a log).
    The last definition of a key wins."""
    import io
    import logging

    from dotenv import dotenv_values

    logging.getLogger("dotenv.main").setLevel(logging.ERROR)
    return {k: v for k, v in dotenv_values(stream=io.StringIO(text), interpolate=False).items() if v is not None}


def read_secret_text(path: Path, shown: str, *, what: str = "dotenv file") -> str:
    """Read a file that holds credentials, once: a regular file, a pipe, /dev/fd/N or `<(sops -d ...)`;
    never through a symlink planted in a sticky directory. UTF-16 and BOMs are decoded.

    Every way it can fail is a usage error (exit 2) with one line that names the fix; `shown` is how
    the user named it (escaped), `what` names the kind of file in the directory hint.
    """
    from checks.credentials.store import open_no_planted_link

    try:
        with open_no_planted_link(path, os.O_RDONLY) as handle:
            data = handle.read()
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except IsADirectoryError:
        hint = f", e.g. {path / '.env'}" if what == "dotenv file" else ""
        raise UsageError(f"{shown} is a directory: name the {what} in it{hint}") from None
    except PermissionError:
        raise UsageError(f"{shown}: permission denied: make it readable by you (chmod u+r)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(f"{shown} is a symlink in a directory every user can write (sticky, like /tmp): "
                             "not followed; name the file it points to") from None
        raise UsageError(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    return decode_env_bytes(data, shown)[0]


def read_env_file(path: Path, *, label: str = "--env-file") -> dict[str, str]:
    """Read and parse a dotenv file (see read_secret_text for what it accepts and how it fails)."""
    from checks.credentials.secrets import escape_controls

    return parse_dotenv_text(read_secret_text(path, escape_controls(f"{label} {path}")))


def read_dotenv(path: Path) -> dict[str, str]:
    return read_env_file(Path(path))


def _present(value: str | None) -> bool:
    """Blank values (`"   \n"`) are missing values."""
    return bool(value and value.strip())


def load_inputs(
    env_file: str | os.PathLike | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    names: tuple[str, ...] = CREDENTIAL_NAMES,
    prompt: bool | None = None,
    ask: Callable[[str, bool], str] | None = None,
    discover: bool = True,
) -> Inputs:
    """Collect credentials: the environment wins over the dotenv file; a prompt fills the gaps.

    `env_file` given explicitly must exist; otherwise `.env` in `cwd` is read when present
    (unless `discover` is false).
    The prompt is used only when stdin is a terminal (or `prompt=True`).
    """
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    path: Path | None = None
    file_values: dict[str, str] = {}
    if env_file is not None:
        path = Path(env_file)
        file_values = read_env_file(path)
    elif discover and (cwd / ".env").exists() and not (cwd / ".env").is_dir():
        # A directory named .env is usually a virtualenv: not ours to read.
        path = cwd / ".env"
        file_values = read_env_file(path, label="./.env")

    # Endpoint settings decide where the secrets go: a dotenv file may set them only when it also
    # holds every secret this command sends (its owner chose both); otherwise a stray .env in a
    # cloned repository could send the environment's secrets anywhere. The environment wins.
    warnings: list[str] = []
    trusted = {k: v for k, v in file_values.items() if k not in ENDPOINT_NAMES}
    named = [k for k in ENDPOINT_NAMES if _present(file_values.get(k))]
    if named and all(_present(file_values.get(n)) for n in names):
        trusted = file_values
    elif named:
        from checks.credentials.secrets import escape_controls

        warnings.append(escape_controls(
            f"Warning: {' and '.join(named)} in {path} ignored: a dotenv file names the endpoints only when it "
            f"also holds {', '.join(names)}. Set {'them' if len(named) > 1 else 'it'} in the environment instead."))
    if path is not None:
        from checks.credentials.store import ownership_problems

        warnings += ownership_problems(path)
    endpoints = Endpoints.from_env({**trusted, **environ})
    warnings += endpoint_warnings(endpoints)
    inputs = Inputs(endpoints=endpoints, env_file=path, warnings=warnings)
    for name in names:
        if _present(environ.get(name)):
            inputs.values[name] = Value(name, environ[name], Source.ENVIRONMENT)
        elif _present(file_values.get(name)):
            inputs.values[name] = Value(name, file_values[name], Source.FILE, path)
        else:
            inputs.values[name] = Value(name, None, Source.MISSING)

    if prompt is None:
        prompt = sys.stdin is not None and sys.stdin.isatty()
    if prompt:
        ask = ask or _ask_terminal
        for name in names:
            if inputs.values[name].value is None:
                answer = ask(LABELS[name], name != CLIENT_ID)
                if _present(answer):
                    inputs.values[name] = Value(name, answer, Source.PROMPT)
    return inputs


def _ask_terminal(label: str, hidden: bool) -> str:
    try:
        if hidden:
            return getpass.getpass(f"{label} (input hidden): ")
        print(f"{label}: ", end="", file=sys.stderr, flush=True)
        return sys.stdin.readline().strip()
    except EOFError:  # Ctrl-D: skip this value
        print(file=sys.stderr)
        return ""
    except KeyboardInterrupt:  # Ctrl-C: stop the whole run, do not move on to the next prompt
        print(file=sys.stderr)
        raise
