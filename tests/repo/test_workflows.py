"""The GitHub Actions workflows: lint, least privilege, pinned actions, secrets only where
needed, and every command they run exists in the project."""

import copy
import re
import shutil
import subprocess
import tomllib

import pytest
import yaml

from tests.support import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def load(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def steps(workflow):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, job, step


def test_expected_workflows_exist():
    assert {p.stem for p in WORKFLOWS} == {"ci", "docs", "portal-drift", "release", "token-expiry", "version-freshness"}


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed (pip install -e '.[test]')")
def test_actionlint_passes():
    exe = shutil.which("actionlint")
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
        if "uses" in step and step["uses"] != "./":  # ./ is this repository's own Action, at the same commit
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"{job_id}: {step['uses']} is not pinned"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.stem)
def test_secrets_only_in_step_env_and_never_echoed(path):
    text = path.read_text(encoding="utf-8")
    for job_id, job, step in steps(load(path)):
        assert "secrets." not in str(job.get("env", "")), f"{job_id}: secrets belong to the steps that need them"
        assert "secrets." not in str(step.get("run", "")), f"{job_id}: a run script must read secrets from env, not inline"
        if step.get("uses") != "./":  # this repository's own Action takes the credentials as inputs
            assert "secrets." not in str(step.get("with", "")), f"{job_id}: secrets are not passed to third-party actions"
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


def declared_distributions() -> set[str]:
    """Every package pyproject.toml asks for (dependencies and extras), by normalised name."""
    specs = [*PYPROJECT["project"]["dependencies"], *sum(PYPROJECT["project"]["optional-dependencies"].values(), [])]
    return {re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0].lower().replace("_", "-") for spec in specs}


def module_problem(name: str) -> str | None:
    """Why `python -m name` would fail on a fresh clone: judged from the project's tree and
    pyproject.toml, not from whatever happens to be installed on this machine."""
    top = name.split(".")[0]
    if top == "checks":
        path = ROOT.joinpath(*name.split("."))
        if path.with_suffix(".py").is_file() or (path / "__main__.py").is_file():
            return None
        return f"no module {name} in the project"
    if top == "pip" or top.replace("_", "-") in declared_distributions():
        return None
    return f"{top} is not declared in pyproject.toml"


def command_problems(path) -> list[str]:
    problems = []
    for job_id, _, step in steps(load(path)):
        for kind, name in _commands(step.get("run", "")):
            where = f"{path.stem}/{job_id}"
            if kind == "module":
                problem = module_problem(name)
                if problem:
                    problems.append(f"{where}: {problem}")
            elif kind == "make":
                if not re.search(rf"^{re.escape(name)}:", MAKEFILE, re.M):
                    problems.append(f"{where}: no make target {name}")
            elif not (ROOT / name).is_file():
                problems.append(f"{where}: no file {name}")
        with_ = step.get("with")
        for script in re.findall(r'require\("\./([^"]+)"\)', with_.get("script", "") if isinstance(with_, dict) else ""):
            if not (ROOT / script).is_file():
                problems.append(f"{path.stem}/{job_id}: no file {script}")
    return problems


def test_every_command_run_exists_in_the_project():
    assert sum(1 for path in WORKFLOWS for _, _, step in steps(load(path)) for _ in _commands(step.get("run", ""))) >= 8
    assert [problem for path in WORKFLOWS for problem in command_problems(path)] == []


def test_command_check_judges_the_project_not_this_machine():
    assert module_problem("checks.screens") is None  # a package run through its __main__
    assert module_problem("mkdocs") is None
    assert module_problem("checks.nope") == "no module checks.nope in the project"
    # Installed here (pytest pulls it in) but not something the project declares: a fresh clone lacks it.
    assert module_problem("pluggy") == "pluggy is not declared in pyproject.toml"


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


DISPATCH_ONLY = "github.event_name == 'workflow_dispatch'"


def signed_in_leaks(workflow) -> list[str]:
    """Steps that could use the signed-in session (`--storage-state`, the LINKEDIN_STORAGE_STATE
    secret) on a scheduled run. A step is safe when its `if` requires a manual dispatch, or when it
    reads the secret only through `inputs.signed_in`, a dispatch input that is empty on a schedule."""
    dispatch_inputs = (workflow["on"].get("workflow_dispatch") or {}).get("inputs") or {}
    leaks = []
    for job_id, _, step in steps(workflow):
        env = " ".join(str(v) for v in (step.get("env") or {}).values())
        if "--storage-state" not in step.get("run", "") and "LINKEDIN_STORAGE_STATE" not in env:
            continue
        if DISPATCH_ONLY in str(step.get("if", "")):
            continue
        secret_reads = re.findall(r"[^{}]*secrets\.LINKEDIN_STORAGE_STATE", env)
        if "signed_in" in dispatch_inputs and secret_reads and all("inputs.signed_in &&" in r for r in secret_reads):
            continue
        leaks.append(f"{job_id}: {step.get('name') or step.get('id')}")
    return leaks


def session_steps(workflow) -> int:
    return sum(1 for _, _, step in steps(workflow) if "--storage-state" in step.get("run", ""))


def test_signed_in_portal_checks_never_run_on_the_schedule():
    workflow = load(ROOT / ".github/workflows/portal-drift.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert session_steps(workflow) >= 1, "the check must see the signed-in steps, or it proves nothing"
    assert signed_in_leaks(workflow) == []
    text = (ROOT / ".github/workflows/portal-drift.yml").read_text()
    assert "aria_snapshot" not in text and "inner_text" not in text


def test_signed_in_check_does_not_depend_on_step_ids():
    # The old check looked only at a step with id `signed_in`: renaming it hid an unguarded step.
    workflow = load(ROOT / ".github/workflows/portal-drift.yml")
    for _, _, step in steps(workflow):
        if "--storage-state" in step.get("run", "") and DISPATCH_ONLY in str(step.get("if", "")):
            step["id"] = "renamed"
            step["if"] = "${{ always() }}"
            break
    else:
        pytest.fail("portal-drift.yml has no dispatch-only signed-in step")
    assert signed_in_leaks(workflow), "an unguarded signed-in step must be caught whatever its id"
    ungated = copy.deepcopy(load(ROOT / ".github/workflows/portal-drift.yml"))
    for _, _, step in steps(ungated):
        for key, value in (step.get("env") or {}).items():
            step["env"][key] = str(value).replace("inputs.signed_in && ", "")
    assert signed_in_leaks(ungated), "a step reading the session secret on any trigger must be caught"
