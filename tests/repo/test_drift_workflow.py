"""The portal-drift workflow acts on drift's outcome: exit 1 opens or updates the "portal changed"
issue, exit 3 a separate "could not run" issue naming the cause, exit 0 closes both.

Tested as the workflow tests do (the YAML and actionlint), plus by running the workflow's own
shell steps with a stand-in `python`, and its issue script under node against an in-memory GitHub."""

import os
import shutil
import subprocess

import pytest
import yaml

from checks.errors import ExitCode
from tests.support import ROOT
from tests.support.github_script import issues_after as run_issue_script
from tests.support.github_script import run_script

WORKFLOW = ROOT / ".github" / "workflows" / "portal-drift.yml"
SCRIPT = ROOT / ".github" / "scripts" / "drift-issues.js"


def workflow():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def step(step_id=None, name=None):
    for s in workflow()["jobs"]["drift"]["steps"]:
        if (step_id and s.get("id") == step_id) or (name and s.get("name", "").startswith(name)):
            return s
    raise AssertionError(f"no step {step_id or name}")


def test_actionlint_passes_on_the_drift_workflow():
    exe = shutil.which("actionlint")
    assert exe, "actionlint is part of the test extras"
    proc = subprocess.run([exe, "-color=false", str(WORKFLOW)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("code, outcome", [(ExitCode.OK, "unchanged"), (ExitCode.FIX, "changed"),
                                           (ExitCode.TRANSIENT, "blocked"), (ExitCode.USAGE, "error"),
                                           (ExitCode.BUG, "bug")])
def test_the_check_step_records_drifts_exit_code_and_the_outcome_step_names_it(tmp_path, code, outcome):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "python"
    fake.write_text(f"#!/bin/sh\necho 'drift report line'\nexit {int(code)}\n")
    fake.chmod(0o755)
    output = tmp_path / "github_output"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "GITHUB_OUTPUT": str(output)}
    # GitHub runs `run:` with bash -e -o pipefail: the check step must survive drift's exit code.
    check = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step("public")["run"]], cwd=tmp_path, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0 and "drift report line" in check.stdout
    assert output.read_text().strip() == f"code={int(code)}"
    env["CODE"] = str(int(code))
    subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step("outcome")["run"]], cwd=tmp_path, env=env, check=True)
    assert output.read_text().strip().splitlines()[-1] == f"outcome={outcome}"
    assert (tmp_path / "drift-report.txt").read_text().strip() == "drift report line"


def test_a_bug_keeps_its_traceback_as_an_artifact():
    keep = step(name="Keep the traceback")
    assert keep["if"] == "${{ steps.outcome.outputs.outcome == 'bug' }}"
    assert keep["with"]["path"] == "drift-report.txt"  # drift's stdout and stderr: the traceback is there


def test_the_steps_that_act_are_gated_on_the_outcome():
    assert "steps.public.outputs.code || steps.signed_in.outputs.code" in step("outcome")["env"]["CODE"]
    assert step(name="Capture")["if"] == "${{ steps.outcome.outputs.outcome == 'changed' }}"
    issues = step(name="Open, update or close")
    assert all(o in issues["if"] for o in ("changed", "blocked", "unchanged"))
    assert 'require("./.github/scripts/drift-issues.js")' in issues["with"]["script"]
    assert step(name="Fail unless")["if"] == "${{ steps.outcome.outputs.outcome != 'unchanged' }}"
    for check in (step("public"), step("signed_in")):
        assert "continue-on-error" not in check, "the check reports its code instead of failing"


CHANGED = "1 ok, 1 stale\ncreate-token (Step 4, OAuth 2.0 tools): expected button/link \"Create token\"\nOutcome: the portal changed"
BLOCKED = ("0 ok\ncould not check: signed out: LinkedIn redirected to its sign-in wall (/authwall). "
           "Fix: your saved session has expired: run `python -m checks.screens login --out FILE` again\n"
           "Outcome: could not check")

CALL = "script({ github, context, outcome: run[0], report: run[1] })"


def issues_after(tmp_path, *runs):
    return run_issue_script(tmp_path, SCRIPT, list(runs), CALL)


def test_changed_opens_the_portal_changed_issue_and_updates_it_next_time(tmp_path):
    issues = issues_after(tmp_path, ["changed", CHANGED], ["changed", CHANGED.replace("Create token", "Inspect token")])
    assert len(issues) == 1 and issues[0]["labels"] == ["portal-drift"] and issues[0]["state"] == "open"
    assert "no longer matches" in issues[0]["title"] and "Inspect token" in issues[0]["body"]


def test_blocked_opens_a_separate_issue_naming_the_cause_without_claiming_drift(tmp_path):
    issues = issues_after(tmp_path, ["changed", CHANGED], ["blocked", BLOCKED])
    changed, blocked = issues
    assert changed["state"] == "open" and changed["body"].count("Create token") == 1, "the drift issue is untouched"
    assert blocked["labels"] == ["portal-drift-blocked"] and blocked["state"] == "open"
    assert "could not run: signed out" in blocked["title"]
    assert "your saved session has expired" in blocked["body"] and "says nothing about the guide being stale" in blocked["body"]
    assert "no longer matches" not in blocked["body"]


def test_unchanged_closes_both(tmp_path):
    issues = issues_after(tmp_path, ["changed", CHANGED], ["blocked", BLOCKED], ["unchanged", "16 ok"])
    assert [i["state"] for i in issues] == ["closed", "closed"]
    assert all("passed" in i["comments"][0] for i in issues)


def test_an_unknown_outcome_fails_loudly(tmp_path):
    proc = run_script(tmp_path, SCRIPT, [["error", ""]], CALL)
    assert proc.returncode == 2 and "unknown drift outcome" in proc.stderr
