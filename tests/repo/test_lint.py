"""ruff (the rule set in pyproject.toml) and mypy on checks/ pass: part of `make check` and `make test`."""

import subprocess
import sys

import pytest

from tests.support import ROOT
from tests.support.optional import installed


@pytest.mark.skipif(not installed("ruff"), reason="ruff is not installed (pip install -e '.[test]')")
def test_ruff_passes():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-fix", "checks", "tests", "bench"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(not installed("mypy"), reason="mypy is not installed (pip install -e '.[test]')")
def test_mypy_passes_on_checks():
    proc = subprocess.run([sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
