"""`python -m checks.verify` in a GitHub Actions job: the summary, annotations and outputs come from
verify itself (GITHUB_ACTIONS=true or --github), and --json output stays one clean document."""

from __future__ import annotations

import json
import stat
import subprocess
import sys

from tests.support.actions import read_outputs
from tests.support.verify_cli import fragments, run_verify, verify_env


def github_env(tmp_path, **extra):
    return {"GITHUB_OUTPUT": str(tmp_path / "out"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
            "RUNNER_TEMP": str(tmp_path), **extra}


def test_github_actions_turns_the_output_on(server, tmp_path):
    proc = run_verify(server, env_extra=github_env(tmp_path, GITHUB_ACTIONS="true"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    outputs = read_outputs(tmp_path / "out")
    assert outputs["exit-code"] == "0" and outputs["refresh-token-days-left"].isdigit()
    report = json.loads((tmp_path / "linkedin-verify-report.json").read_text())
    assert outputs["report"] == str(tmp_path / "linkedin-verify-report.json") and report["ok"] is True
    assert stat.S_IMODE((tmp_path / "linkedin-verify-report.json").stat().st_mode) == 0o600
    assert "| urn:li:sponsoredAccount:516413367 | Acme EU |" in (tmp_path / "summary.md").read_text()


def test_without_github_actions_nothing_is_written(server, tmp_path):
    proc = run_verify(server, env_extra=github_env(tmp_path, GITHUB_ACTIONS="false"), cwd=tmp_path)
    assert proc.returncode == 0 and "::" not in proc.stdout
    assert not (tmp_path / "out").exists() and not (tmp_path / "summary.md").exists()


def test_json_stays_one_document_and_the_annotations_go_to_stderr(server, tmp_path):
    server.fake.refresh_token_expires_in = 5 * 86400
    proc = run_verify(server, "--json", "--github", env_extra=github_env(tmp_path), cwd=tmp_path)
    assert proc.returncode == 4
    assert json.loads(proc.stdout)["exit_code"] == 4
    # stderr: the loopback endpoint warning, then the annotations
    assert any(line.startswith("::warning title=Refresh token expiry::Refresh token expires") for line in proc.stderr.splitlines())


def test_report_writes_the_json_document_beside_the_checklist(server, tmp_path):
    proc = run_verify(server, "--report", str(tmp_path / "r.json"), cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("LinkedIn Ads credentials")
    assert json.loads((tmp_path / "r.json").read_text())["ad_accounts"][0]["urn"] == "urn:li:sponsoredAccount:516413367"


def test_several_sets_each_get_their_section_and_their_label_in_annotations(server, tmp_path):
    sets = tmp_path / "clients"
    sets.mkdir()
    for name, token in (("acme", server.fake.refresh_token), ("globex", "AQX" + "q" * 300 + "zz9")):
        values = {**server.credentials(), "LINKEDIN_REFRESH_TOKEN": token}
        (sets / f"{name}.env").write_text("".join(f"{k}={v}\n" for k, v in values.items()))
        (sets / f"{name}.env").chmod(0o600)
    env = verify_env(server, credentials=False, env_extra=github_env(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "checks.verify", "--github", "--env-file", str(sets)], env=env,
                          capture_output=True, text=True, cwd=tmp_path, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1, proc.stderr
    masks, shown = [], ""
    for line in (proc.stdout + proc.stderr).splitlines(True):
        if line.startswith("::add-mask::"):
            masks.append(line[len("::add-mask::"):].strip())
        else:
            shown += line
    assert {server.fake.client_secret, server.fake.refresh_token, "AQX" + "q" * 300 + "zz9"} <= set(masks)
    for piece in fragments(server.fake.client_secret, server.fake.refresh_token, "AQX" + "q" * 300 + "zz9"):
        assert piece not in shown + (tmp_path / "summary.md").read_text()
    summary = (tmp_path / "summary.md").read_text()
    assert summary.count("\n### ") == 2 and "acme.env" in summary and "globex.env" in summary
    errors = [line for line in proc.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1 and "globex.env%3A Refresh exchange" in errors[0]
    assert read_outputs(tmp_path / "out")["exit-code"] == "1"
