"""Where the credentials and endpoints come from: environment, a dotenv file, or a hidden prompt.

Secrets are never taken from command-line arguments: they would leak into shell history and `ps`.
"""

from __future__ import annotations

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
API_VERSION_RE = re.compile(r"^20\d\d(0[1-9]|1[0-2])$")


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

    @property
    def origin(self) -> str:
        """For people and JSON: "environment", "prompt", "missing" or the file's path."""
        return str(self.path) if self.source is Source.FILE else self.source.value


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
                f"LINKEDIN_API_VERSION={version!r} is not a LinkedIn version: use YYYYMM, e.g. {DEFAULT_API_VERSION}"
            )
        return cls(
            oauth_url=(env.get("LINKEDIN_OAUTH_URL", "").strip() or DEFAULT_OAUTH_URL).rstrip("/"),
            api_url=(env.get("LINKEDIN_API_URL", "").strip() or DEFAULT_API_URL).rstrip("/"),
            api_version=version,
        )


@dataclass
class Inputs:
    values: dict[str, Value] = field(default_factory=dict)
    endpoints: Endpoints = field(default_factory=Endpoints)
    env_file: Path | None = None  # the dotenv file that was read, if any

    def get(self, name: str) -> str | None:
        v = self.values.get(name)
        return v.value if v else None


def read_dotenv(path: Path) -> dict[str, str]:
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


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
        if not path.is_file():
            raise UsageError(f"--env-file {path}: no such file")
        file_values = read_dotenv(path)
    elif discover and (cwd / ".env").is_file():
        path = cwd / ".env"
        file_values = read_dotenv(path)

    # Endpoint settings may live in the dotenv file too; the environment still wins.
    endpoints = Endpoints.from_env({**file_values, **environ})
    inputs = Inputs(endpoints=endpoints, env_file=path)
    for name in names:
        if environ.get(name):
            inputs.values[name] = Value(name, environ[name], Source.ENVIRONMENT)
        elif file_values.get(name):
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
                if answer:
                    inputs.values[name] = Value(name, answer, Source.PROMPT)
    return inputs


def _ask_terminal(label: str, hidden: bool) -> str:
    try:
        if hidden:
            return getpass.getpass(f"{label} (input hidden): ")
        print(f"{label}: ", end="", file=sys.stderr, flush=True)
        return sys.stdin.readline().strip()
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        return ""
