"""The GitHub Action (action.yml) as a runner runs it: its install step builds a fresh venv from the
action's own folder on the hash-locked runtime, then its verify step runs against the fake
LinkedIn. What a pipeline's owner sees: the job summary, the annotations, the outputs, pass or fail."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.actions import ActionRun, CompositeAction, StepRun
from tests.support.fake_linkedin import ACCOUNTS, FakeLinkedIn, FakeLinkedInServer
from tests.support.packaging import clean_env, shared
from tests.support.verify_cli import fragments

pytestmark = pytest.mark.slow  # the install step creates a venv and builds the package: about 15 s

# What a checkout of the action's repository holds that the action reads.
ACTION_FILES = ("action.yml", "pyproject.toml", "README.md", "checks", ".github/requirements")


def _install(folder: Path) -> dict:
    """The action's folder (a copy: installing from it writes build files) and its install step, run once."""
    action_dir = folder / "action"
    for name in ACTION_FILES:
        source, target = ROOT / name, action_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    workdir = folder / "work"
    workdir.mkdir()
    run = CompositeAction(action_dir).run({}, workdir=workdir, env=clean_env(), only={"install"})
    assert run.code == 0, run.log
    return {"action": str(action_dir), "outputs": run.steps[-1].outputs}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[CompositeAction, ActionRun]:
    done = shared(tmp_path_factory, "action", _install)  # once, whichever xdist worker asks first
    return CompositeAction(Path(done["action"])), ActionRun(steps=[StepRun("install", 0, "", "", done["outputs"])])


def verify(installed, server, inputs, workdir, **env):
    action, install = installed
    environment = clean_env(**server.env, LINKEDIN_FRESH_TOKEN_GRACE="0", **env)
    run = action.run(inputs, workdir=workdir, env=environment, only={"verify"}, previous=install)
    secrets = fragments(server.fake.client_secret, server.fake.refresh_token, inputs.get("refresh-token", ""))
    report = action.outputs(run).get("report")
    # The runner swallows `::add-mask::` lines (they are how a value gets masked); everything else shows.
    log = "".join(line for line in run.log.splitlines(True) if not line.startswith("::add-mask::"))
    seen = log + run.summary + (Path(report).read_text() if report else "")
    for piece in secrets:
        assert piece not in seen, f"{piece[:4]}… leaked"
    return run, action.outputs(run)


def credentials(server) -> dict[str, str]:
    c = server.credentials()
    return {"client-id": c["LINKEDIN_CLIENT_ID"], "client-secret": c["LINKEDIN_CLIENT_SECRET"],
            "refresh-token": c["LINKEDIN_REFRESH_TOKEN"]}


def test_install_uses_a_fresh_venv_and_only_the_locked_runtime(installed):
    _, install = installed
    venv = install.steps[-1].outputs["venv"]
    site = next((Path(venv) / "lib").glob("python3*/site-packages"))
    names = {p.name.split("-")[0].lower() for p in site.glob("*.dist-info")}
    assert "linkedin_ads_token_checks" in names
    assert not names & {"pyyaml", "pydantic", "pydantic_core"}, "verify needs neither: the action must not install them"


def test_valid_credentials_pass_with_a_summary_of_each_account(installed, server, tmp_path):
    run, outputs = verify(installed, server, credentials(server), tmp_path)
    assert run.code == 0, run.log
    assert outputs["exit-code"] == "0"
    assert outputs["refresh-token-days-left"].isdigit() and 290 <= int(outputs["refresh-token-days-left"]) <= 300
    for account in ACCOUNTS:
        assert f"| {account['account']} |" in run.summary
    assert "| ✓ | Refresh exchange |" in run.summary
    document = json.loads(Path(outputs["report"]).read_text())
    assert document["ok"] is True and len(document["ad_accounts"]) == len(ACCOUNTS)
    assert run.annotations("error") == [] and run.annotations("warning") == []


def test_an_invalid_refresh_token_fails_with_an_error_naming_it(installed, server, tmp_path):
    run, outputs = verify(installed, server, {**credentials(server), "refresh-token": "AQX" + "w" * 300 + "zz9"}, tmp_path)
    assert run.code != 0
    assert outputs["exit-code"] == "1"
    errors = run.annotations("error")
    assert len(errors) == 1, errors
    assert errors[0].title == "Refresh exchange"
    assert "refresh token" in errors[0].message and "Fix: Generate a new refresh token" in errors[0].message
    assert "| ✗ | Refresh exchange |" in run.summary and "**Fix**" in run.summary


@pytest.fixture
def expiring():
    with FakeLinkedInServer(FakeLinkedIn(refresh_token_expires_in=10 * 86400)) as s:
        yield s


def test_a_token_expiring_within_warn_days_warns_with_exit_code_4(installed, expiring, tmp_path):
    run, outputs = verify(installed, expiring, {**credentials(expiring), "warn-days": "30"}, tmp_path)
    assert run.code == 0, "a warning passes unless fail-on-warning"
    assert outputs["exit-code"] == "4"
    assert outputs["refresh-token-days-left"] in ("9", "10")
    warnings = run.annotations("warning")
    assert [w.title for w in warnings] == ["Refresh token expiry"] and "10 days left" in warnings[0].message
    assert run.annotations("error") == []


def test_fail_on_warning_fails_the_step(installed, expiring, tmp_path):
    run, outputs = verify(installed, expiring, {**credentials(expiring), "fail-on-warning": "true"}, tmp_path)
    assert run.code != 0 and outputs["exit-code"] == "4"
    assert "fail-on-warning" in run.log


def test_values_from_an_env_file_are_masked(installed, server, tmp_path):
    env_file = tmp_path / "linkedin.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in server.credentials().items()))
    env_file.chmod(0o600)
    run, outputs = verify(installed, server, {"env-file": str(env_file)}, tmp_path)
    assert run.code == 0 and outputs["exit-code"] == "0", run.log
    assert set(run.masks()) >= {server.fake.client_secret, server.fake.refresh_token}
    first = run.steps[-1].stdout.splitlines()[0]
    assert first.startswith("::add-mask::"), "masks come before anything that could print a value"


def test_a_usage_error_still_sets_the_exit_code(installed, server, tmp_path):
    run, outputs = verify(installed, server, {**credentials(server), "api-version": "2026-07"}, tmp_path)
    assert run.code != 0 and outputs["exit-code"] == "2"


def test_a_rotated_refresh_token_in_ci_shows_the_gh_secret_command(installed, tmp_path):
    with FakeLinkedInServer(FakeLinkedIn(rotate_refresh_token=True)) as server:
        old = credentials(server)
        run, outputs = verify(installed, server, old, tmp_path)
        new_token = server.fake.refresh_token
    assert new_token != old["refresh-token"] and new_token not in run.log + run.summary, "the new token is never shown"
    assert outputs["exit-code"] == "1" and run.code != 0
    [error] = [e for e in run.annotations("error") if e.title == "New refresh token"]
    assert "cannot write a repository secret" in error.message and "gh secret set LINKEDIN_REFRESH_TOKEN" in error.message
