import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No LinkedIn variables from the developer's shell, no stray .env: a fresh user's setup."""
    for name in list(os.environ):
        if name.startswith("LINKEDIN_") or name in ("NO_COLOR",):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LINKEDIN_FRESH_TOKEN_GRACE", "0")
    monkeypatch.chdir(tmp_path)
    return tmp_path
