"""The package as `pip install linkedin-ads-token-checks` gives it: the wheel installs alone (base
dependencies, no extras, no checkout on the path), its two commands and both `python -m` forms
run, and one verify passes against the fake LinkedIn. The release workflow runs this file on the
dists it uploads (LINKEDIN_CHECKS_DIST)."""

from __future__ import annotations

import email
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.fake_linkedin import FakeLinkedInServer
from tests.support.packaging import build_dists, clean_env, fresh_venv, pip_install, shared
from tests.support.verify_cli import fragments

pytestmark = pytest.mark.slow  # builds and installs: about 15-20 s

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SCRIPTS = PYPROJECT["project"]["scripts"]


def _build_and_install(folder: Path) -> dict[str, str]:
    sdist, wheel = build_dists(folder)
    venv = fresh_venv(folder / "venv")
    pip_install(venv, str(wheel))  # the wheel and its base dependencies, nothing else
    return {"sdist": str(sdist), "wheel": str(wheel), "venv": str(venv)}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, str]:
    return shared(tmp_path_factory, "wheel", _build_and_install)  # once, whichever worker asks first


@pytest.fixture
def dists(built):
    return Path(built["sdist"]), Path(built["wheel"])


@pytest.fixture
def installed(built):
    return Path(built["venv"])


def run(venv, *args, cwd, env_extra=None):
    """A command from the venv's bin (`python` is the venv's), outside the checkout."""
    return subprocess.run([str(venv / "bin" / args[0]), *args[1:]], capture_output=True, text=True, cwd=cwd, timeout=120,
                          env=clean_env(venv, **(env_extra or {})), stdin=subprocess.DEVNULL)


def test_the_wheel_carries_the_commands_and_nothing_of_the_tests(dists):
    names = zipfile.ZipFile(dists[1]).namelist()
    assert "checks/verify.py" in names and "checks/authorize.py" in names and "checks/credentials/service.py" in names
    assert not [n for n in names if n.startswith(("tests/", "bench/", "docs/", "res/"))]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(dists[1]).read(entry_points).decode()
    assert "linkedin-verify = checks.verify:main_entry" in text
    assert "linkedin-authorize = checks.authorize:main_entry" in text


def test_metadata_has_one_version_and_only_the_base_dependencies(dists):
    from checks import __version__

    meta = email.message_from_bytes(zipfile.ZipFile(dists[1]).read(
        next(n for n in zipfile.ZipFile(dists[1]).namelist() if n.endswith(".dist-info/METADATA"))))
    assert meta["Version"] == __version__
    base = [r for r in meta.get_all("Requires-Dist") if "extra ==" not in r]
    assert sorted(re.split(r"[<>=!~ ]", r)[0].lower() for r in base) == sorted(
        re.split(r"[<>=!~ ]", r)[0].lower() for r in PYPROJECT["project"]["dependencies"])


def test_twine_check_passes(dists):
    proc = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dists)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("command", [("linkedin-verify", "--help"), ("linkedin-authorize", "--help"),
                                     ("python", "-m", "checks.verify", "--help"),
                                     ("python", "-m", "checks.authorize", "--help")], ids=" ".join)
def test_commands_run_from_the_wheel(installed, tmp_path, command):
    proc = run(installed, *command, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage:") and "exit codes:" in proc.stdout


def test_version_comes_from_the_package(installed, tmp_path):
    from checks import __version__

    proc = run(installed, "linkedin-verify", "--version", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.split()[-1] == __version__, proc.stdout + proc.stderr
    where = run(installed, "python", "-c", "import checks; print(checks.__file__)", cwd=tmp_path)
    assert str(installed) in where.stdout, "the command must run from the wheel, not the checkout"


def test_one_verify_passes_against_the_fake_linkedin(installed, tmp_path):
    with FakeLinkedInServer() as server:
        proc = run(installed, "linkedin-verify", "--json", cwd=tmp_path,
                   env_extra={**server.env, **server.credentials(), "LINKEDIN_FRESH_TOKEN_GRACE": "0"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"ok": true' in proc.stdout and "urn:li:sponsoredAccount:516413367" in proc.stdout
    for piece in fragments(server.fake.client_secret, server.fake.refresh_token):
        assert piece not in proc.stdout + proc.stderr
