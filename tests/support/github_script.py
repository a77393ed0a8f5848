"""Run one of the workflows' github-script files (.github/scripts/*.js) under node against a fake
`github` client, as actions/github-script would, and return the issues it left behind."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest


def issues_after(tmp_path: Path, harness: str, script: Path, runs: list) -> list[dict]:
    """`harness` is the node source of the fake client; `runs` the (outcome, text) of each run in order."""
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed")
    path = tmp_path / "harness.js"
    path.write_text(harness)
    proc = subprocess.run([node, str(path), str(script), json.dumps(list(runs))], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
