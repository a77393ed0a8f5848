"""The package as users get it: built dists and fresh virtual environments holding nothing else.

    build_dists(out)        sdist + wheel of the checkout (only what a build reads is copied, so the
                            checkout gets no build/ or egg-info); LINKEDIN_CHECKS_DIST=<folder> uses
                            dists built already (the release workflow tests the files it uploads)
    fresh_venv(path)        a new venv without pip; `pip_install(venv, ...)` drives the outer pip
    clean_env(venv)         an environment with no PYTHONPATH, no LinkedIn or GitHub variables
    shared(factory, name, make)  build something once per test run, whichever pytest-xdist worker
                            asks first; the others wait and reuse it (builds and venvs are slow)
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

from tests.support import ROOT

# What `python -m build` reads from the checkout.
BUILD_INPUTS = ("pyproject.toml", "README.md", "checks")


def build_dists(out: Path) -> tuple[Path, Path]:
    """(sdist, wheel): from LINKEDIN_CHECKS_DIST when set, else built from a copy of the checkout."""
    given = os.environ.get("LINKEDIN_CHECKS_DIST")
    folder = Path(given) if given else _build(out)
    sdists, wheels = sorted(folder.glob("*.tar.gz")), sorted(folder.glob("*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1, f"expected one sdist and one wheel in {folder}: {sorted(folder.iterdir())}"
    return sdists[0], wheels[0]


def _build(out: Path) -> Path:
    src = out / "src"
    src.mkdir(parents=True)
    for name in BUILD_INPUTS:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    dist = out / "dist"
    proc = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(src)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return dist


def fresh_venv(path: Path) -> Path:
    """A new virtual environment at `path` (no pip in it: `pip_install` uses this interpreter's pip)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, timeout=120)
    return path


def pip_install(venv: Path, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                           "--quiet", *args], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def clean_env(venv: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a user's shell: no PYTHONPATH pointing at the checkout, no LinkedIn or
    GitHub variables from the developer's or CI's own, and the venv's bin first on PATH."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LINKEDIN_", "GITHUB_", "RUNNER_", "PYTHON", "VIRTUAL_ENV"))}
    if venv is not None:
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def shared(tmp_path_factory, name: str, make: Callable[[Path], Any]) -> Any:
    """`make(folder)` once per test run (JSON-able result), shared by every xdist worker."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the workers' base folders sit side by side in one run folder
    done = root / f"{name}.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if make() fails
        if done.exists():
            return json.loads(done.read_text())
        folder = root / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        value = make(folder)
        done.write_text(json.dumps(value))
        return value
