"""The GitHub Actions workflows: lint, least privilege, pinned actions, secrets only where
needed, and every command they run exists in the project."""

import importlib.util
import re
import shutil
import subprocess

import pytest
import yaml

from tests.support import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def load(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def steps(workflow):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, job, step


def test_expected_workflows_exist():
    assert {p.stem for p in WORKFLOWS} == {"ci", "docs", "portal-drift", "token-expiry"}


def test_actionlint_passes():
    exe = shutil.which("actionlint")
    assert exe, "actionlint is part of the test extras (pip install -e '.[test]')"
    proc = subprocess.run([exe, "-color=false", *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.stem)
def test_least_privilege_everywhere(path):
    workflow = load(path)
    assert workflow.get("permissions") == {}, "the workflow grants nothing by default"
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, f"{job_id} states its own permissions"
        assert job.get("timeout-minutes"), f"{job_id} has a timeout"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.stem)
def test_actions_are_pinned_by_commit(path):
    for job_id, _, step in steps(load(path)):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"{job_id}: {step['uses']} is not pinned"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.stem)
def test_secrets_only_in_step_env_and_never_echoed(path):
    text = path.read_text(encoding="utf-8")
    for job_id, job, step in steps(load(path)):
        assert "secrets." not in str(job.get("env", "")), f"{job_id}: secrets belong to the steps that need them"
        assert "secrets." not in str(step.get("run", "")), f"{job_id}: a run script must read secrets from env, not inline"
        assert "secrets." not in str(step.get("with", "")), f"{job_id}: secrets are not passed to actions"
        run = step.get("run", "")
        assert not re.search(r"echo\s+\"?\$(LINKEDIN_|STORAGE_STATE)", run), f"{job_id}: echoes a secret"
    assert "checkout" not in text or "persist-credentials: false" in text


def _commands(run: str):
    for line in run.splitlines():
        line = line.strip()
        for match in re.finditer(r"python -m ([\w.]+)", line):
            yield "module", match.group(1)
        for match in re.finditer(r"\bmake ([\w-]+)", line):
            yield "make", match.group(1)
        for match in re.finditer(r"bash (scripts/[\w.-]+)", line):
            yield "file", match.group(1)


def test_every_command_run_exists_in_the_project():
    checked = 0
    for path in WORKFLOWS:
        for job_id, _, step in steps(load(path)):
            for kind, name in _commands(step.get("run", "")):
                checked += 1
                if kind == "module":
                    assert importlib.util.find_spec(name) is not None, f"{path.stem}/{job_id}: no module {name}"
                elif kind == "make":
                    assert re.search(rf"^{re.escape(name)}:", MAKEFILE, re.M), f"{path.stem}/{job_id}: no make target {name}"
                else:
                    assert (ROOT / name).is_file(), f"{path.stem}/{job_id}: no file {name}"
            uses_script = re.findall(r'require\("\./([^"]+)"\)', step.get("with", {}).get("script", "") if isinstance(step.get("with"), dict) else "")
            for script in uses_script:
                assert (ROOT / script).is_file(), script
    assert checked >= 8


def test_ci_runs_the_readme_test_command():
    test_command = re.search(r"```(?:bash|sh)\n(?:.*\n)*?(make test)\n", README)
    assert test_command, "README shows `make test`"
    runs = [s.get("run", "") for _, _, s in steps(load(ROOT / ".github/workflows/ci.yml"))]
    assert "make test" in runs
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_docs_build_is_strict_and_never_verbose():
    runs = " ".join(s.get("run", "") for _, _, s in steps(load(ROOT / ".github/workflows/docs.yml")))
    assert "mkdocs build --strict" in runs
    assert not re.search(r"mkdocs build[^\n]*\s(-v|--verbose)\b", runs)


def test_signed_in_portal_checks_never_run_on_the_schedule():
    workflow = load(ROOT / ".github/workflows/portal-drift.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    for _, _, step in steps(workflow):
        if "--storage-state" in step.get("run", "") and step.get("id") == "signed_in":
            assert "github.event_name == 'workflow_dispatch'" in step["if"]
    text = (ROOT / ".github/workflows/portal-drift.yml").read_text()
    assert "aria_snapshot" not in text and "inner_text" not in text
