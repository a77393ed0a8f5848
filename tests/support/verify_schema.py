"""The JSON document `python -m checks.verify --json` prints, written down independently of
checks/credentials/render.py so a change to the output shape fails a test.

`validate(doc)` checks one document; `validate_many(docs)` the list printed for several sets.
"""

from __future__ import annotations

import jsonschema

_NULLABLE_STR = {"type": ["string", "null"]}
_ISO_UTC = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"}
_DOCS = {"type": ["string", "null"], "pattern": r"/troubleshooting/#[a-z-]+$"}

CHECK = {
    "type": "object",
    "required": ["id", "title", "status", "summary", "problem", "fix", "docs", "run", "guide", "details"],
    "additionalProperties": False,
    "properties": {
        "id": {"enum": ["inputs", "api-version", "refresh", "refresh-token-expiry", "refresh-token-rotated", "scopes",
                        "ads-api", "reporting"]},
        "title": {"type": "string"},
        "status": {"enum": ["pass", "warn", "fail", "skip"]},
        "summary": {"type": "string", "minLength": 1},
        "problem": _NULLABLE_STR,
        "fix": _NULLABLE_STR,
        "docs": _DOCS,
        "run": _NULLABLE_STR,
        "guide": {"type": ["string", "null"], "pattern": r"/guide/#step-\d-[a-z0-9-]+$"},
        "details": {"type": "array", "items": {"type": "string"}},
    },
}

REPORTING = {
    "type": ["object", "null"],
    "required": ["ok", "reason", "problem", "fix", "run", "docs"],
    "additionalProperties": False,
    "properties": {
        "ok": {"type": ["boolean", "null"]},
        "reason": _NULLABLE_STR,
        "problem": _NULLABLE_STR,
        "fix": _NULLABLE_STR,
        "run": _NULLABLE_STR,
        "docs": _DOCS,
    },
}

ACCOUNT = {
    "type": "object",
    "required": ["urn", "role", "name", "status", "currency", "test", "reporting"],
    "additionalProperties": False,
    "properties": {
        "urn": {"type": "string", "pattern": r"^urn:li:sponsoredAccount:\d+$"},
        "role": {"type": "string"},
        "name": _NULLABLE_STR,
        "status": _NULLABLE_STR,
        "currency": _NULLABLE_STR,
        "test": {"type": ["boolean", "null"]},
        "reporting": REPORTING,
    },
}

DOCUMENT = {
    "type": "object",
    "required": ["schema", "ok", "exit_code", "checked_at", "endpoints", "inputs", "checks", "access_token_expires_at",
                 "refresh_token_expires_at", "refresh_token_days_left", "scopes", "ad_accounts", "api_version_life"],
    "additionalProperties": False,
    "properties": {
        "env_file": {"type": "string"},
        "schema": {"const": 1},
        "ok": {"type": "boolean"},
        "exit_code": {"enum": [0, 1, 3, 4]},
        "checked_at": _ISO_UTC,
        "endpoints": {
            "type": "object",
            "required": ["oauth_url", "api_url", "api_version"],
            "properties": {"api_version": {"type": "string", "pattern": r"^\d{6}(\.\d\d)?$"}},
        },
        "inputs": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["source", "masked"],
                "additionalProperties": False,
                "properties": {"source": {"type": "string"}, "masked": {"type": "string", "maxLength": 12}},
            },
        },
        "checks": {"type": "array", "items": CHECK, "minItems": 1},
        "access_token_expires_at": {"anyOf": [_ISO_UTC, {"type": "null"}]},
        "refresh_token_expires_at": {"anyOf": [_ISO_UTC, {"type": "null"}]},
        "refresh_token_days_left": {"type": ["integer", "null"]},
        "scopes": {"type": "array", "items": {"type": "string"}},
        "ad_accounts": {"type": "array", "items": ACCOUNT},
        "api_version_life": {
            "type": ["object", "null"],
            "required": ["version", "retires_on", "announced", "days_left"],
            "additionalProperties": False,
            "properties": {
                "version": {"type": "string"},
                "retires_on": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\d$"},
                "announced": {"type": "boolean"},
                "days_left": {"type": "integer"},
            },
        },
    },
}


def validate(doc: dict) -> None:
    jsonschema.validate(doc, DOCUMENT)
    # ok and exit_code agree; fix/docs are given exactly for failures and warnings
    assert doc["ok"] == (doc["exit_code"] == 0)
    for check in doc["checks"]:
        if check["status"] in ("pass", "skip"):
            assert check["fix"] is None and check["docs"] is None and check["run"] is None, check


def validate_many(docs: list) -> None:
    assert isinstance(docs, list) and len(docs) > 1
    for doc in docs:
        assert "env_file" in doc
        validate(doc)
