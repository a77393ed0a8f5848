"""The example values (example.yaml): loaded once, with the dates and epochs derived from them.

The portal model fills `{{name}}` in its pages from `Example.values()`, the steps file's
placeholders (app id, client id, ad account) come from here, and a test holds the guide to them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from checks.errors import UsageError

EXAMPLE_FILE = Path(__file__).parent / "example.yaml"
DAY = 86400


def _date(value: dt.date) -> str:
    """As the portal writes a date: Nov 2, 2026."""
    return f"{value:%b} {value.day}, {value.year}"


@dataclass(frozen=True)
class Example:
    app_name: str
    app_initials: str
    app_id: str
    client_id: str
    client_secret: str
    company_page: str
    company_initials: str
    company_details: str
    privacy_url: str
    member_email: str
    ad_account_id: str
    ad_account_name: str
    second_ad_account_id: str
    second_ad_account_name: str
    crm_number: str
    app_created: dt.date
    verified_on: dt.date
    verification_link_days: int
    approved_on: dt.date
    token_created: dt.datetime
    access_token_days: int
    refresh_token_days: int

    @property
    def token_created_epoch(self) -> int:
        return int(self.token_created.timestamp())

    @property
    def access_expires_epoch(self) -> int:
        return self.token_created_epoch + self.access_token_days * DAY

    @property
    def refresh_expires_epoch(self) -> int:
        return self.token_created_epoch + self.refresh_token_days * DAY

    @property
    def verification_link_expires(self) -> dt.date:
        return self.verified_on + dt.timedelta(days=self.verification_link_days)

    def placeholders(self) -> dict[str, str]:
        """What steps.yaml paths and actions may name as {app_id}, {client_id}, {ad_account_id}."""
        return {"app_id": self.app_id, "client_id": self.client_id, "ad_account_id": self.ad_account_id}

    def values(self) -> dict[str, str]:
        """Every value as the pages show it, for `{{name}}` in the model's pages."""
        expires = self.verification_link_expires
        shown = {name: str(getattr(self, name)) for name in self.__dataclass_fields__}
        return {
            **shown,
            "app_created": _date(self.app_created),
            "verified_on": _date(self.verified_on),
            "verification_link_expires": f"{expires.day} {expires:%b}, {expires.year}",
            "approved_on": f"{self.approved_on:%b} {self.approved_on.day}",
            "mail_before": _short(self.approved_on - dt.timedelta(days=1)),
            "mail_after": _short(self.approved_on + dt.timedelta(days=1)),
            "access_expires_epoch": str(self.access_expires_epoch),
            "refresh_expires_epoch": str(self.refresh_expires_epoch),
            "access_expires_in": f"{round(self.access_token_days / 30.4)} months",
            "refresh_expires_in": f"{round(self.refresh_token_days / 30.4)} months",
        }


def _short(value: dt.date) -> str:
    return f"{value:%b} {value.day}"


@cache
def load_example(path: Path = EXAMPLE_FILE) -> Example:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = set(Example.__dataclass_fields__)
    if set(raw) != fields:
        raise UsageError(f"{path.name}: unknown keys {sorted(set(raw) - fields)}, missing {sorted(fields - set(raw))}")
    created = raw["token_created"]
    if isinstance(created, dt.datetime) and created.tzinfo is None:  # YAML reads ...Z as naive UTC in some versions
        raw["token_created"] = created.replace(tzinfo=dt.timezone.utc)
    return Example(**raw)


TEMPLATE = re.compile(r"\{\{(\w+)\}\}")


def fill(text: str, escape=lambda s: s) -> str:
    """Replace every {{name}} with its example value; an unknown name is an error, not a blank."""
    values = load_example().values()

    def one(match: re.Match) -> str:
        if match.group(1) not in values:
            raise UsageError(f"{{{{{match.group(1)}}}}} is not an example value (checks/screens/example.yaml)")
        return escape(values[match.group(1)])

    return TEMPLATE.sub(one, text)
