"""Run code as an unprivileged user (tests run as root, who can write anywhere): the only way to
test what a user who cannot read or write a file sees."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support import ROOT

NOBODY = 65534


def _drop_privileges():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def run_as_nobody(code: str, **env) -> subprocess.CompletedProcess:
    """Run `code` as the unprivileged user `nobody`, with this checkout and python-dotenv importable.

    The interpreter and site-packages may live where `nobody` cannot go (/root/.pyenv): the
    system Python is used then, with copies of the two packages in a directory it can read.
    """
    import shutil

    import dotenv

    if os.geteuid() != 0:
        pytest.skip("needs root to switch to an unprivileged user (and a non-root user cannot bypass permissions)")
    python = next((p for p in (sys.executable, "/usr/bin/python3", shutil.which("python3") or "")
                   if p and _nobody_can_run(p)), None)
    if python is None:
        pytest.skip("no Python interpreter the unprivileged user can run")
    site = Path(tempfile.mkdtemp(prefix="i14-site-"))
    try:
        site.chmod(0o755)
        shutil.copytree(ROOT / "checks", site / "checks", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(Path(dotenv.__file__).parent, site / "dotenv", ignore=shutil.ignore_patterns("__pycache__"))
        subprocess.run(["chmod", "-R", "a+rX", str(site)], check=True)
        return subprocess.run([python, "-c", code], preexec_fn=_drop_privileges, capture_output=True, text=True,
                              timeout=60, cwd="/",
                              env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1", **env})
    finally:
        shutil.rmtree(site, ignore_errors=True)


def _nobody_can_run(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "pass"], preexec_fn=_drop_privileges, capture_output=True,
                              timeout=30).returncode == 0
    except OSError:
        return False

