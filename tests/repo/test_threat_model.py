"""The threat model on the maintainers' page: every rule names a test, and every test it names exists."""

from __future__ import annotations

import re

from tests.support import ROOT


def _section() -> str:
    text = (ROOT / "docs" / "maintainers.md").read_text()
    start = text.index("## Threat model")
    return text[start:text.index("\n## ", start + 1)]


def test_every_rule_names_a_test_that_exists():
    rows = [line for line in _section().splitlines() if line.startswith("| ") and not line.startswith("| Rule")
            and not line.startswith("| ---")]
    assert len(rows) >= 10
    for row in rows:
        names = re.findall(r"`((?:tests/[\w/]+\.py)?::\w+)`", row)
        assert names, f"a rule without a test: {row[:80]}"
        current = None
        for name in names:
            path, _, function = name.partition("::")
            current = path or current
            assert current, name
            source = (ROOT / current).read_text()
            assert re.search(rf"^def {function}\(", source, re.M), f"{current}::{function} does not exist"
