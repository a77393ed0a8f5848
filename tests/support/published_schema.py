"""The JSON contract as users get it: docs/verify.schema.json, the file the site publishes.

`validate(doc)` checks one `--json` document (or an error document), `validate_many(docs)` the list
printed for several sets. Both check the published JSON Schema with jsonschema (what a consumer
in any language would do) and the rules a JSON Schema cannot say (`ok` is exit 0; a passed check
has no fix) with the pydantic models it is generated from (checks/credentials/report_schema.py).
"""

from __future__ import annotations

import functools
import json

import jsonschema

from checks.credentials.report_schema import SCHEMA_FILE, VerifyOutput
from tests.support import ROOT

PUBLISHED = ROOT / "docs" / SCHEMA_FILE


@functools.cache
def published_schema() -> dict:
    return json.loads(PUBLISHED.read_text(encoding="utf-8"))


def validate(doc) -> None:
    """One `--json` output (a document, a list of documents, or an error document)."""
    jsonschema.validate(doc, published_schema(), cls=jsonschema.Draft202012Validator)
    VerifyOutput.model_validate(doc)


def validate_many(docs: list) -> None:
    assert isinstance(docs, list) and len(docs) > 1
    validate(docs)
