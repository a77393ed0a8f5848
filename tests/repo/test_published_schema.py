"""The JSON contract is published: docs/verify.schema.json is generated from the pydantic models,
the site serves it, and it is strict enough to catch a document that breaks the contract."""

import copy
import json

import jsonschema
import pytest

from checks.credentials.report_schema import SCHEMA_FILE, schema_text
from tests.support import ROOT
from tests.support.docs_from_code import verify_sample
from tests.support.published_schema import PUBLISHED, validate


def test_the_published_schema_is_generated_from_the_models():
    assert PUBLISHED.read_text(encoding="utf-8") == schema_text(), "docs/verify.schema.json is stale: run `make docs`"


def test_the_docs_sample_is_real_output_that_the_schema_accepts():
    validate(json.loads(verify_sample(json_output=True)))


@pytest.mark.parametrize("breakage", ["unknown field", "bad status", "ok disagrees", "fix on a pass", "error and checks"])
def test_the_schema_refuses_documents_outside_the_contract(breakage):
    doc = json.loads(verify_sample(json_output=True))
    broken = copy.deepcopy(doc)
    if breakage == "unknown field":
        broken["github_output"] = "x"  # a new field must be added to report_schema.py first
    elif breakage == "bad status":
        broken["checks"][0]["status"] = "ok"
    elif breakage == "ok disagrees":
        broken["ok"] = True
    elif breakage == "fix on a pass":
        broken["checks"][0]["fix"] = "do something"
    else:
        broken = {"schema": 1, "ok": False, "exit_code": 2, "error": "bad option", "checks": doc["checks"]}
    with pytest.raises((jsonschema.ValidationError, ValueError)):
        validate(broken)


@pytest.mark.slow  # builds the site
def test_the_site_serves_the_schema(site):
    served = site.root / SCHEMA_FILE
    assert served.is_file(), f"{site.engine} did not copy docs/{SCHEMA_FILE}"
    assert json.loads(served.read_text(encoding="utf-8")) == json.loads((ROOT / "docs" / SCHEMA_FILE).read_text())
