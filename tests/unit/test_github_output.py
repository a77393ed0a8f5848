"""verify's GitHub output as plain functions: workflow-command escaping, the summary's Markdown,
the outputs file, and what a rotated refresh token tells a pipeline owner."""

from __future__ import annotations

import io

from checks.credentials import github
from checks.credentials.client import AdAccount, AdAccountRole
from checks.credentials.diagnose import FAIL, PASS, WARN, AccountProbe, Check, Report
from checks.credentials.inputs import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, Inputs, Source, Value
from checks.credentials.problems import PROBLEMS
from checks.credentials.secrets import Redactor
from checks.errors import ExitCode
from tests.support.actions import COMMAND, read_outputs, unescape

HOSTILE = "Acme | <b>x</b>\n::error title=Fake::all good 100%, ok\r\x1b]0;owned\x07"


def outcome(*checks: Check, accounts=()) -> github.SetOutcome:
    report = Report(checks=list(checks))
    for urn, name in accounts:
        report.ad_accounts.append(AdAccountRole(urn, "VIEWER"))
        details = AdAccount(id=urn.rsplit(":", 1)[1], name=name, status="ACTIVE", currency="EUR")
        report.accounts.append(AccountProbe(urn, "VIEWER", details=details, reporting=True))
    return github.SetOutcome(None, Inputs(), report)


def test_workflow_command_data_and_properties_are_escaped():
    assert github.escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert github.escape_property("a: b, c%") == "a%3A b%2C c%25"
    assert unescape(github.escape_property(HOSTILE)) == HOSTILE


def test_text_from_linkedin_cannot_start_another_workflow_command():
    lines = github.annotation_lines([outcome(Check("ads-api", HOSTILE, FAIL, HOSTILE, PROBLEMS["no-api-access"]))])
    assert len(lines) == 1 and "\n" not in lines[0] and "\r" not in lines[0]
    kind, props, data = COMMAND.match(lines[0]).groups()
    assert kind == "error" and props == "title=" + github.escape_property(HOSTILE)
    assert unescape(data).startswith(HOSTILE + "\nFix: ")


def test_one_error_per_failing_check_and_one_warning_per_warning():
    lines = github.annotation_lines([outcome(
        Check("inputs", "Inputs", PASS, "fine"),
        Check("refresh", "Refresh exchange", FAIL, "LinkedIn rejected the refresh token", PROBLEMS["invalid-refresh-token"]),
        Check("refresh-token-expiry", "Refresh token expiry", WARN, "expires in 9 days", PROBLEMS["expiring-soon"]),
    )])
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning"]
    assert lines[0].startswith("::error title=Refresh exchange::LinkedIn rejected the refresh token%0AFix: ")
    assert "python -m checks.authorize" in unescape(lines[0])


def test_a_temporary_failure_says_so():
    lines = github.annotation_lines([outcome(Check("refresh", "Refresh exchange", FAIL, "HTTP 503",
                                                   PROBLEMS["linkedin-unavailable"]))])
    assert "temporary" in unescape(lines[0])


def test_a_rotated_token_in_ci_says_the_action_cannot_write_a_secret():
    check = Check("refresh-token-rotated", "New refresh token", FAIL, "LinkedIn returned a NEW refresh token",
                  PROBLEMS["refresh-token-rotated"])
    message = unescape(github.annotation_lines([outcome(check)])[0])
    assert "cannot write a repository secret" in message and "gh secret set LINKEDIN_REFRESH_TOKEN" in message
    assert "gh secret set LINKEDIN_REFRESH_TOKEN" in github.summary_markdown([outcome(check)], ExitCode.FIX)


def test_summary_table_cells_hold_no_markup_from_linkedin():
    text = github.summary_markdown([outcome(Check("inputs", "Inputs", PASS, "fine"),
                                            accounts=[("urn:li:sponsoredAccount:1", HOSTILE)])], ExitCode.OK)
    row = next(line for line in text.splitlines() if "sponsoredAccount:1" in line)
    assert row.count("|") == 7, "a | in a name must not add a column"
    assert "<b>" not in text and "\x1b" not in text and "\x07" not in text
    assert "&lt;b&gt;x&lt;/b&gt;" in row and "\\x1b" in row


def test_outputs_file_survives_any_value(tmp_path):
    out = tmp_path / "out"
    github.write_outputs(str(out), {"exit-code": "4", "report": "/tmp/a\nreport=evil"})
    assert read_outputs(out) == {"exit-code": "4", "report": "/tmp/a\nreport=evil"}


def test_only_values_read_from_a_file_are_masked(tmp_path):
    path = tmp_path / "x.env"
    inputs = Inputs(values={
        CLIENT_ID: Value(CLIENT_ID, "86example1234a", Source.ENVIRONMENT),
        CLIENT_SECRET: Value(CLIENT_SECRET, "WPL_AP1.secret,with:chars%", Source.FILE, path),
        REFRESH_TOKEN: Value(REFRESH_TOKEN, "AQXtoken", Source.FILE, path),
    })
    assert github.mask_commands([inputs]) == ["::add-mask::AQXtoken", "::add-mask::WPL_AP1.secret,with:chars%25"]


def test_on_by_default_in_github_actions_only():
    assert github.enabled(False, {"GITHUB_ACTIONS": "true"})
    assert not github.enabled(False, {"GITHUB_ACTIONS": "false"})
    assert github.enabled(True, {})


def test_publish_redacts_and_writes_the_report_owner_only(tmp_path):
    redactor = Redactor()
    redactor.add("AQXsecretvalue123")
    summary, outputs = tmp_path / "summary.md", tmp_path / "out"
    stream = io.StringIO()
    check = Check("refresh", "Refresh exchange", FAIL, "token AQXsecretvalue123 refused", PROBLEMS["invalid-refresh-token"])
    path = github.publish([outcome(check)], ExitCode.FIX, '{"x": "AQXsecretvalue123"}', redactor, stream=stream,
                          environ={"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs),
                                   "RUNNER_TEMP": str(tmp_path)})
    for text in (stream.getvalue(), summary.read_text(), path.read_text()):
        assert "AQXsecretvalue123" not in text and "AQX…123" in text
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_outputs(outputs) == {"exit-code": "1", "refresh-token-days-left": "", "report": str(path)}
