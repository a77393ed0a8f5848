"""Offline checks of what a credential looks like, so common paste mistakes are named before any request.

LinkedIn documents no format for its tokens; the rules here are what public integrations see:
tokens are opaque, URL-safe, about 500 characters and start with `AQ`; client ids are short
alphanumerics; current client secrets start with `WPL_AP1.`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checks.credentials.inputs import CLIENT_ID, CLIENT_SECRET, LABELS, REFRESH_TOKEN

TOKEN_MIN_LENGTH = 100  # real tokens are ~500 characters; far shorter ones were cut off
TOKEN_CHARS = re.compile(r"^[A-Za-z0-9._~+/=-]+$")
CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9]{8,32}$")
SECRET_PREFIX = "WPL_AP1."


@dataclass
class ShapeReport:
    name: str
    cleaned: str
    issues: list[str] = field(default_factory=list)


def _looks_like_token(value: str) -> bool:
    return value.startswith("AQ") and len(value) >= 60


def check_shape(name: str, raw: str) -> ShapeReport:
    """Clean obvious wrapping (whitespace, quotes, `Bearer `) and describe every oddity found."""
    label = LABELS[name]
    issues: list[str] = []
    value = raw
    if value != value.strip():
        issues.append(f"{label} has spaces or line breaks around it")
        value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"`":
        issues.append(f"{label} is wrapped in quotes")
        value = value[1:-1].strip()
    if value.lower().startswith("bearer "):
        issues.append(f"{label} starts with 'Bearer ': store the bare value")
        value = value[7:].strip()
    if re.search(r"\s", value):
        issues.append(f"{label} contains spaces or line breaks: it was probably copied across lines")
        value = re.sub(r"\s+", "", value)
    report = ShapeReport(name, value, issues)

    if name == REFRESH_TOKEN:
        if value.startswith(SECRET_PREFIX):
            issues.append("Refresh token looks like a client secret: was it pasted into the wrong variable?")
        elif CLIENT_ID_RE.match(value) and len(value) < 20:
            issues.append("Refresh token looks like a Client ID: was it pasted into the wrong variable?")
        elif not TOKEN_CHARS.match(value):
            issues.append("Refresh token contains characters LinkedIn tokens never have")
        elif len(value) < TOKEN_MIN_LENGTH:
            issues.append(
                f"Refresh token is only {len(value)} characters (LinkedIn's are about 500): it looks truncated"
            )
    elif name == CLIENT_SECRET:
        if _looks_like_token(value):
            issues.append("Client secret looks like a LinkedIn token: was it pasted into the wrong variable?")
    elif name == CLIENT_ID:
        if value.startswith(SECRET_PREFIX):
            issues.append("Client ID looks like a client secret: was it pasted into the wrong variable?")
        elif _looks_like_token(value):
            issues.append("Client ID looks like a LinkedIn token: was it pasted into the wrong variable?")
        elif not CLIENT_ID_RE.match(value):
            issues.append("Client ID should be letters and digits only, as shown on the app's Auth tab")
    return report
