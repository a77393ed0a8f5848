"""No parsed-but-unused data: every field of the credential results is read somewhere in checks/
outside the module that defines it (a field nobody reads is a promise nobody keeps)."""

import dataclasses
import inspect
import re

import pytest

from checks.credentials.client import Introspection
from checks.credentials.diagnose import Report
from tests.support import ROOT

SOURCES = {p: p.read_text(encoding="utf-8") for p in (ROOT / "checks").rglob("*.py")}


def unused_members(cls) -> list[str]:
    home = inspect.getsourcefile(cls)
    names = [f.name for f in dataclasses.fields(cls)] if dataclasses.is_dataclass(cls) else []
    names += [n for n, _ in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")]
    names += [n for n, v in vars(cls).items() if isinstance(v, property)]
    elsewhere = "\n".join(text for path, text in SOURCES.items() if str(path) != home)
    return [n for n in names if not re.search(rf"\.{n}\b", elsewhere)]


@pytest.mark.parametrize("cls", [Introspection, Report], ids=lambda c: c.__name__)
def test_every_field_is_used(cls):
    assert unused_members(cls) == []


def test_the_check_sees_an_unused_field():
    @dataclasses.dataclass
    class Parsed:
        active: bool
        never_read_anywhere_xyz: int = 0

    assert unused_members(Parsed) == ["never_read_anywhere_xyz"]
