"""Masking and redaction: the one place that decides what a secret looks like in output."""

from __future__ import annotations

import re
import threading

ELLIPSIS = "…"

# `scheme://user:password@host`: the part before @ is a credential and is never printed.
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]+@")


def strip_url_credentials(text: str) -> str:
    """`https://user:pw@proxy/oauth` -> `https://proxy/oauth` (in a URL or in any text holding URLs)."""
    return _URL_USERINFO.sub(r"\1", text)


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
