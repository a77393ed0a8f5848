"""The published contract of `python -m checks.verify --json` (and `checks.authorize --json`).

These pydantic models are the ONE place the JSON document is described. `make docs` writes their
JSON Schema to docs/verify.schema.json, which the site serves; the tests validate every `--json`
output they see against that file (tests/support/cli.py). A new field in the output starts here:
add it to the model (with a default when older documents lack it), then fill it in render.py.
Unknown fields are refused, so a field added to the output alone fails the tests.

What stdout holds under `--json`:
    a VerifyReport                  one credential set
    a list of VerifyReport          several sets (each with `env_file`)
    a VerifyError                   the run stopped before checking (usage error, Ctrl-C, bug)
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

SCHEMA_VERSION = 1
SCHEMA_FILE = "verify.schema.json"  # under docs/, served at the site's root

CheckId = Literal["inputs", "api-version", "refresh", "refresh-token-expiry", "refresh-token-rotated", "scopes",
                  "ads-api", "reporting"]
Status = Literal["pass", "warn", "fail", "skip"]
IsoUtc = Annotated[str, Field(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", description="ISO 8601 UTC, seconds")]
DocsLink = Annotated[str, Field(pattern=r"/troubleshooting/#[a-z-]+$", description="its Troubleshooting section")]
GuideLink = Annotated[str, Field(pattern=r"/guide/#step-\d-[a-z0-9-]+$", description="the guide step to redo")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Endpoints(_Strict):
    oauth_url: str
    api_url: str
    api_version: Annotated[str, Field(pattern=r"^\d{6}(\.\d\d)?$", description="LinkedIn-Version: YYYYMM or YYYYMM.NN")]


class InputSource(_Strict):
    source: str = Field(description='"environment", "prompt", "missing" or the dotenv file\'s path')
    masked: str = Field(max_length=12, description="first and last three characters at most, or (not set)")


class Check(_Strict):
    id: CheckId
    title: str
    status: Status
    summary: str = Field(min_length=1)
    problem: str | None = Field(description="the Troubleshooting anchor of the problem found")
    fix: str | None
    docs: DocsLink | None
    run: str | None = Field(description="the command to run or the portal step to take")
    guide: GuideLink | None
    details: list[str]

    @model_validator(mode="after")
    def _fix_only_when_something_is_wrong(self) -> Check:
        if self.status in ("pass", "skip") and (self.fix or self.docs or self.run):
            raise ValueError(f"check {self.id}: a {self.status} check has no fix, docs or run")
        return self


class AccountReporting(_Strict):
    ok: bool | None = Field(description="null: the call could not finish (network, rate limit)")
    reason: str | None
    problem: str | None
    fix: str | None
    run: str | None
    docs: DocsLink | None


class AdAccount(_Strict):
    urn: Annotated[str, Field(pattern=r"^urn:li:sponsoredAccount:\d+$")]
    role: str
    name: str | None
    status: str | None
    currency: str | None
    test: bool | None
    reporting: AccountReporting | None = Field(description="null: not probed (beyond --max-accounts)")


class VersionLife(_Strict):
    version: str
    retires_on: Annotated[str, Field(pattern=r"^\d{4}-\d\d-\d\d$")]
    announced: bool = Field(description="false: retires_on is the earliest possible date (release month + 12 months)")
    days_left: int


class VerifyReport(_Strict):
    """One credential set checked."""

    schema_: Literal[1] = Field(alias="schema")
    env_file: str | None = Field(default=None, description="the dotenv file of this set (several sets only)")
    ok: bool
    exit_code: Literal[0, 1, 3, 4]
    checked_at: IsoUtc
    endpoints: Endpoints
    inputs: dict[str, InputSource]
    checks: list[Check] = Field(min_length=1)
    access_token_expires_at: IsoUtc | None
    refresh_token_expires_at: IsoUtc | None
    refresh_token_days_left: int | None
    scopes: list[str]
    ad_accounts: list[AdAccount]
    api_version_life: VersionLife | None

    @model_validator(mode="after")
    def _ok_is_exit_0(self) -> VerifyReport:
        if self.ok != (self.exit_code == 0):
            raise ValueError("ok is true exactly when exit_code is 0")
        return self


class VerifyError(_Strict):
    """The run stopped before any check: `error` says why, `exit_code` is the command's."""

    schema_: Literal[1] = Field(alias="schema")
    ok: Literal[False]
    exit_code: Literal[1, 2, 3, 70, 130]
    error: str = Field(min_length=1)
    checks: list[Check] = Field(max_length=0)


class VerifyOutput(RootModel[VerifyReport | list[VerifyReport] | VerifyError]):
    """Everything `--json` may print on stdout."""

    @model_validator(mode="after")
    def _sets_name_their_file(self) -> VerifyOutput:
        if isinstance(self.root, list) and any(r.env_file is None for r in self.root):
            raise ValueError("with several sets, every document names its env_file")
        return self


def json_schema() -> dict:
    """The JSON Schema of VerifyOutput, as published at docs/verify.schema.json."""
    schema = VerifyOutput.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://linkedin-ads-token-guide.github.io/{SCHEMA_FILE}",
            **schema, "title": "python -m checks.verify --json"}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def parse_output(text: str) -> VerifyOutput:
    """Read what `--json` printed, refusing anything outside the contract (ValueError)."""
    return VerifyOutput.model_validate_json(text)
