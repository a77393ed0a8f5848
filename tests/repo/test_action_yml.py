"""The Action's definition, the workflows that hold secrets, and the sample workflow users copy:
the inputs and outputs the docs promise, a hash-locked runtime, actionlint and zizmor clean.
(tests/e2e/test_action.py runs the Action's steps.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.support import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
LOCK = ROOT / ".github" / "requirements" / "verify.txt"
VERIFY_DOC = (ROOT / "docs" / "verify.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
ACTIONLINT = shutil.which("actionlint")
# A binary from PyPI: in the venv's bin, which need not be on PATH.
ZIZMOR = shutil.which("zizmor") or shutil.which("zizmor", path=str(Path(sys.executable).parent))


def sample_workflow() -> str:
    """The workflow docs/verify.md tells users to copy."""
    blocks = re.findall(r"```yaml\n(.*?)```", VERIFY_DOC, re.S)
    found = [b for b in blocks if "linkedin-ads-token-guide/linkedin-ads-token-guide@v1" in b]
    assert len(found) == 1, "docs/verify.md shows one workflow using the Action"
    return found[0]


def test_inputs_and_outputs_are_the_promised_ones():
    inputs = ACTION["inputs"]
    assert set(inputs) == {"client-id", "client-secret", "refresh-token", "env-file", "warn-days", "api-version",
                           "fail-on-warning"}
    assert inputs["warn-days"]["default"] == "30" and inputs["fail-on-warning"]["default"] == "false"
    assert set(ACTION["outputs"]) == {"exit-code", "refresh-token-days-left", "report"}
    assert ACTION["runs"]["using"] == "composite"


def test_secret_inputs_reach_the_command_only_through_the_environment():
    for step in ACTION["runs"]["steps"]:
        assert "inputs." not in step.get("run", ""), "an input inlined into a script is a template injection"
    verify = next(s for s in ACTION["runs"]["steps"] if s.get("id") == "verify")
    assert verify["env"]["LINKEDIN_REFRESH_TOKEN"] == "${{ inputs.refresh-token }}"
    assert "--github" in verify["run"], "the GitHub output comes from verify itself"


def test_the_action_installs_from_its_own_folder_on_the_hash_locked_runtime():
    install = next(s for s in ACTION["runs"]["steps"] if s.get("id") == "install")
    run = install["run"]
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert "--require-hashes" in run and ".github/requirements/verify.txt" in run
    assert re.search(r'--no-deps --no-build-isolation \\\n\s+"\$ACTION_PATH"', run)
    assert "git clone" not in run and "curl" not in run and "wget" not in run


LOCKS = sorted((ROOT / ".github" / "requirements").glob("*.txt"))


def lock_pins(lock=LOCK) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+)", lock.read_text(), re.M)}


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_every_locked_package_is_pinned_with_hashes(lock):
    entries = [e for e in re.split(r"\n(?=[A-Za-z])", "\n" + lock.read_text()) if re.match(r"[A-Za-z]", e)]
    assert entries
    for entry in entries:
        assert re.match(r"[A-Za-z0-9_.-]+==\S+", entry) and "--hash=sha256:" in entry, f"not locked: {entry.splitlines()[0]}"
    wanted = {m.group(1).lower() for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", lock.with_suffix(".in").read_text(), re.M)}
    assert wanted <= set(lock_pins(lock)), f"{lock.name} is stale: regenerate it from {lock.with_suffix('.in').name}"


def test_the_verify_lock_holds_nothing_verify_does_not_need():
    pins = lock_pins()
    assert {"requests", "python-dotenv", "setuptools", "urllib3", "idna", "certifi", "charset-normalizer"} == set(pins)
    assert "pyyaml" not in pins and "pydantic" not in pins


@pytest.mark.parametrize("lock, extras", [("verify.txt", []), ("screens.txt", ["screens"])])
def test_the_locks_satisfy_pyproject(lock, extras):
    from packaging.requirements import Requirement

    pins = lock_pins(ROOT / ".github" / "requirements" / lock)
    specs = [*PYPROJECT["project"]["dependencies"], *(s for e in extras for s in PYPROJECT["project"]["optional-dependencies"][e])]
    for spec in specs:
        req = Requirement(spec)
        name = req.name.lower()
        if extras or name in ("requests", "python-dotenv"):
            assert name in pins, f"{lock} lacks {name}"
        if name in pins:
            assert req.specifier.contains(pins[name]), f"{name}=={pins[name]} is outside {spec}"
    backend = Requirement(PYPROJECT["build-system"]["requires"][0])
    assert backend.specifier.contains(pins["setuptools"]), "the locked setuptools must build the package"


def _jobs():
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for job_id, job in yaml.safe_load(path.read_text())["jobs"].items():
            yield f"{path.stem}/{job_id}", job


def test_jobs_holding_secrets_install_only_hash_locked_packages():
    holding = 0
    for where, job in _jobs():
        if "secrets." not in str(job.get("steps")):
            continue
        holding += 1
        for step in job["steps"]:
            for line in re.findall(r"pip install[^\n]*", step.get("run", "")):
                assert "--require-hashes" in line or "--no-deps" in line, f"{where}: unlocked install: {line}"
    assert holding >= 2, "token-expiry and portal-drift hold secrets"


def test_verify_imports_only_what_the_lock_installs():
    # The lock leaves out PyYAML and pydantic; verify (and authorize) must never need them.
    code = ("import sys; sys.modules['yaml'] = None; sys.modules['pydantic'] = None\n"
            "import checks.verify, checks.authorize, checks.credentials.service, checks.credentials.github\n"
            "import checks.credentials.client, checks.credentials.store, checks.credentials.render")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(ACTIONLINT is None, reason="actionlint is not installed (pip install -e '.[test]')")
def test_actionlint_passes_on_the_sample_workflow_against_this_action(tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    shutil.copy2(ROOT / "action.yml", tmp_path / "action.yml")
    (tmp_path / ".git").mkdir()  # actionlint resolves `./` from the repository root it finds
    as_published = tmp_path / ".github" / "workflows" / "published.yml"
    as_published.write_text(sample_workflow())
    # The same workflow on this folder's action.yml: actionlint then checks the inputs and outputs it uses.
    local = tmp_path / ".github" / "workflows" / "local.yml"
    local.write_text(sample_workflow().replace("linkedin-ads-token-guide/linkedin-ads-token-guide@v1", "./"))
    proc = subprocess.run([ACTIONLINT, "-color=false", str(as_published), str(local)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.write_text(local.read_text().replace("warn-days:", "warn-dayz:"))
    proc = subprocess.run([ACTIONLINT, "-color=false", str(broken)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode != 0 and "warn-dayz" in proc.stdout, "actionlint must see the action's inputs"


@pytest.mark.skipif(ZIZMOR is None, reason="zizmor is not installed (pip install -e '.[test]')")
def test_zizmor_reports_nothing_above_low(tmp_path):
    # The sample as a careful user keeps it: zizmor wants third-party actions pinned by commit, as
    # docs/verify.md suggests ("pin a commit SHA instead"); `@v1` itself is what the docs show.
    sample = tmp_path / ".github" / "workflows" / "linkedin-credentials.yml"
    sample.parent.mkdir(parents=True)
    sample.write_text(sample_workflow().replace("linkedin-ads-token-guide@v1", "linkedin-ads-token-guide@" + "0" * 40 + " # v1"))
    targets = [*sorted((ROOT / ".github" / "workflows").glob("*.yml")), ROOT / "action.yml", sample]
    proc = subprocess.run([str(ZIZMOR), "--offline", "--no-progress", "--no-config", "--min-severity", "medium",
                           *map(str, targets)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings to report" in proc.stdout + proc.stderr or "0 medium, 0 high" in proc.stdout + proc.stderr


def test_token_expiry_uses_this_repositorys_action():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "token-expiry.yml").read_text())
    steps = workflow["jobs"]["verify"]["steps"]
    check = next(s for s in steps if s.get("uses") == "./")
    assert set(check["with"]) >= {"client-id", "client-secret", "refresh-token"}
    assert not any("pip install" in s.get("run", "") for s in steps), "only the Action installs, hash-locked"
