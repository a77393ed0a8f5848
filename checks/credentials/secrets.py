"""Masking and redaction: the one place that decides what a secret looks like in output."""

from __future__ import annotations

import contextlib
import re
import threading

ELLIPSIS = "…"

# `scheme://user:password@host`: everything up to the LAST @ of the authority is a credential and
# is never printed (a password may hold @ itself: `https://user:p@ss@proxy/`, as urlsplit reads it).
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s?#]*@")

# C0 controls (but tab), DEL and C1 controls: what lets text retitle a window, move the cursor or
# fake a line. Shown as `\x1b`, as `gh` does with server data.
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def strip_url_credentials(text: str) -> str:
    """`https://user:pw@proxy/oauth` -> `https://proxy/oauth` (in a URL or in any text holding URLs)."""
    return _URL_USERINFO.sub(r"\1", text)


def display_url(url: str) -> str:
    """`url` rebuilt from scheme, host, port and path only: no credentials, query or fragment."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return strip_url_credentials(url)
    if not parts.netloc:
        return parts.path  # a relative Location: nothing to hide but the query
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{f':{port}' if port else ''}{parts.path}"


def escape_controls(text: str) -> str:
    """Text from outside (LinkedIn, a file, a path) made safe for a terminal: control characters
    shown escaped (`\x1b`, `\x07`, `\n`), everything printable kept."""
    return _CONTROLS.sub(lambda m: repr(m.group())[1:-1] if m.group() in "\n\r" else f"\\x{ord(m.group()):02x}",
                         text)


def _clean(value: str) -> str:
    """What the checks use: whitespace and one pair of wrapping quotes removed (as shape.check_shape)."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"`":
        value = value[1:-1].strip()
    return value


def mask(value: str | None) -> str:
    """Show at most the first and last 3 characters: `AQXabc…xyzk9Q` -> `AQX…k9Q`.

    Values too short to hide anything that way are shown as a bare ellipsis. The value is cleaned
    first (whitespace, wrapping quotes), so a mask never holds a quote or a line break.
    """
    value = _clean(value) if value else value
    if not value:
        return "(empty)"
    if len(value) < 12:
        return ELLIPSIS
    return f"{value[:3]}{ELLIPSIS}{value[-3:]}"


class Redactor:
    """Replaces every registered secret in text with its mask.

    Output layers pass everything through `redact` as a last line of defence: even a message
    built by mistake from a secret, or an exception that quotes a request body, cannot leak one.
    """

    # Fragments shorter than this are too likely to occur in normal text to replace safely.
    MIN_LENGTH = 6

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, *values: str | None) -> None:
        with self._lock:
            for value in values:
                if value and len(value) >= self.MIN_LENGTH:
                    self._secrets.add(value)
                    # Form- and URL-encoded copies travel in request bodies and URLs.
                    from urllib.parse import quote, quote_plus

                    self._secrets.add(quote(value, safe=""))
                    self._secrets.add(quote_plus(value))

    def redact(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, mask(secret))
        return strip_url_credentials(text)

    def clean(self, text: str) -> str:
        """`redact`, then control characters escaped: for a line of plain text (no colours of ours)."""
        return escape_controls(self.redact(text))


# The redactor every command's output goes through: a command adds each secret (and the
# authorization code) as soon as it holds it.
SHARED = Redactor()


_CONTROLS_BUT_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class RedactingStream:
    """A text stream whose every write goes through `redactor` and has its control characters
    (all but newline and tab) escaped: for commands that print what pages and files said."""

    def __init__(self, stream, redactor: Redactor):
        self._stream = stream
        self._redactor = redactor

    def write(self, text: str) -> int:
        cleaned = _CONTROLS_BUT_NEWLINE.sub(lambda m: f"\\x{ord(m.group()):02x}", self._redactor.redact(text))
        self._stream.write(cleaned)
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


SECRET_VARIABLES = ("LINKEDIN_CLIENT_SECRET", "LINKEDIN_REFRESH_TOKEN", "LINKEDIN_ACCESS_TOKEN")


@contextlib.contextmanager
def redacted_output(redactor: Redactor | None = None):
    """stdout and stderr through the shared redactor (knowing the secrets in the environment) for
    the length of a command."""
    import os
    import sys

    redactor = redactor or SHARED
    redactor.add(*(os.environ.get(name) for name in SECRET_VARIABLES))
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = RedactingStream(sys.stdout, redactor), RedactingStream(sys.stderr, redactor)  # type: ignore[assignment]
    try:
        yield redactor
    finally:
        sys.stdout, sys.stderr = saved
