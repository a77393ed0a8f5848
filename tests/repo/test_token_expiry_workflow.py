"""The token-expiry workflow's issue: opened, updated and closed from the Action's exit code and
report, and on a public repository it shows only check names and the run's link: no ad-account
URN, no account name, none of LinkedIn's text. Its script runs under node against an in-memory GitHub."""

from __future__ import annotations

import yaml

from tests.support import ROOT
from tests.support.fake_linkedin import ANALYTICS_DENIED, INVALID_GRANT
from tests.support.github_script import issues_after as run_issue_script

SCRIPT = ROOT / ".github" / "scripts" / "credentials-issue.js"
WORKFLOW = ROOT / ".github" / "workflows" / "token-expiry.yml"

URN = "urn:li:sponsoredAccount:516413367"
# What a real --json report of a broken setup holds: LinkedIn's words, account URNs and names.
BROKEN = {
    "exit_code": 1, "refresh_token_days_left": None,
    "checks": [
        {"id": "refresh", "title": "Refresh exchange", "status": "fail",
         "summary": f"LinkedIn said: {INVALID_GRANT['error_description']}", "details": [URN], "fix": "Generate a new token"},
        {"id": "reporting", "title": "Reporting", "status": "fail", "summary": ANALYTICS_DENIED["message"],
         "details": [f"{URN} Acme EU"]},
        {"id": "inputs", "title": "Inputs", "status": "pass", "summary": "ok"},
    ],
    "ad_accounts": [{"urn": URN, "name": "Acme EU"}],
}
EXPIRING = {"exit_code": 4, "refresh_token_days_left": 9, "refresh_token_expires_at": "2026-12-09T07:23:00Z",
            "checks": [{"id": "refresh-token-expiry", "title": "Refresh token expiry", "status": "warn",
                        "summary": "Refresh token expires 2026-12-09T07:23:00Z (9 days left)"}],
            "ad_accounts": [{"urn": URN, "name": "Acme EU"}]}

CALL = "script({ github, context, code: run[0], report: run[1] })"


def issues_after(tmp_path, *runs):
    return run_issue_script(tmp_path, SCRIPT, list(runs), CALL)


def test_a_broken_setup_opens_an_issue_naming_only_the_checks_and_the_run(tmp_path):
    [issue] = issues_after(tmp_path, [1, BROKEN])
    assert issue["state"] == "open" and issue["labels"] == ["linkedin-credentials"]
    text = issue["title"] + issue["body"]
    assert "Refresh exchange (`refresh`)" in text and "Reporting (`reporting`)" in text and "Inputs" not in text
    assert "https://github.com/o/r/actions/runs/7" in text
    for secret_ish in ("urn:li:", "516413367", "Acme", INVALID_GRANT["error_description"], "Not enough permissions",
                       "Generate a new token"):
        assert secret_ish not in text


def test_an_expiring_token_says_how_many_days_and_nothing_else(tmp_path):
    [issue] = issues_after(tmp_path, [4, EXPIRING])
    assert issue["title"] == "LinkedIn refresh token expires in 9 days"
    assert "urn:li:" not in issue["body"] and "Refresh token expiry" in issue["body"]


def test_a_title_or_id_that_is_not_ours_is_left_out(tmp_path):
    odd = {"checks": [{"id": "refresh", "title": f"Refresh {URN}: see https://evil.example", "status": "fail"}]}
    [issue] = issues_after(tmp_path, [1, odd])
    assert "urn:li:" not in issue["body"] and "evil" not in issue["body"]


def test_passing_again_closes_it_and_temporary_problems_leave_it_alone(tmp_path):
    issues = issues_after(tmp_path, [1, BROKEN], [3, {}], [2, {}])
    assert issues[0]["state"] == "open" and issues[0]["comments"] == []
    [issue] = issues_after(tmp_path, [1, BROKEN], [0, {"refresh_token_days_left": 300, "checks": []}])
    assert issue["state"] == "closed" and "300 days left" in issue["comments"][0]


def test_the_issue_step_runs_after_a_failed_check_and_reads_the_actions_outputs():
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["verify"]["steps"]
    step = next(s for s in steps if "credentials-issue.js" in s.get("with", {}).get("script", ""))
    assert "!cancelled()" in step["if"], "the Action fails the job on exit 1-3: the issue must still be written"
    assert step["env"] == {"CODE": "${{ steps.check.outputs.exit-code }}", "REPORT": "${{ steps.check.outputs.report }}"}
