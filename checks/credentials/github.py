"""verify's GitHub Actions output: the job summary, one annotation per failing or warning check,
and the step outputs. On when GITHUB_ACTIONS=true or with --github, so any workflow gets it from
`linkedin-verify` alone and the repository's action.yml stays a thin wrapper.

Workflow commands are lines the runner reads from the step's output; their data is escaped as the
runner's own toolkit does (`%`, CR, LF; in properties also `:` and `,`), so text from LinkedIn
cannot end a command early or start another one.
https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, TextIO

from checks.credentials.diagnose import FAIL, PASS, SKIP, WARN, Check, Report
from checks.credentials.inputs import CREDENTIAL_NAMES, Inputs, Source
from checks.credentials.secrets import Redactor
from checks.errors import ExitCode

SYMBOLS = {PASS: "✓", WARN: "!", FAIL: "✗", SKIP: "–"}
HEADLINES = {
    ExitCode.OK: "✓ All checks passed: these credentials work.",
    ExitCode.FIX: "✗ Something needs fixing (exit 1): see Fix below.",
    ExitCode.TRANSIENT: "✗ Could not finish: a temporary problem (exit 3). The next run will likely pass.",
    ExitCode.WARNING: "! Works, but something expires soon (exit 4): see Fix below.",
}
# A workflow cannot write a repository secret: a new refresh token must be stored by a person.
SECRET_COMMAND = "gh secret set LINKEDIN_REFRESH_TOKEN"
ROTATED_IN_CI = ("A workflow cannot write a repository secret: the new token is gone when this job ends. On your "
                 f"machine, get a token with `linkedin-authorize`, then store it: `{SECRET_COMMAND}` (it asks for "
                 "the value; never put a token on a command line).")
REPORT_NAME = "linkedin-verify-report.json"


@dataclass
class SetOutcome:
    """One credential set as GitHub shows it; `label` is its file when several sets ran."""

    label: str | None
    inputs: Inputs
    report: Report


def enabled(flag: bool, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    return flag or environ.get("GITHUB_ACTIONS") == "true"


# -- escaping -------------------------------------------------------------------------------------
def escape_data(text: str) -> str:
    """The message of a workflow command (after `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (`title=...`): also `:` and `,`, which would end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def markdown_cell(text: object) -> str:
    """Text from LinkedIn or a file in a Markdown table cell: no markup, no HTML, one line."""
    value = "" if text is None else str(text)
    value = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value).replace("\r", " ").replace("\n", " ")
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;")
    return re.sub(r"([\\`*_\[\]#~])", r"\\\1", value)


# -- what is said ---------------------------------------------------------------------------------
def _transient(check: Check) -> bool:
    return check.problem is not None and check.problem.exit_code == ExitCode.TRANSIENT


def fix_text(check: Check) -> str:
    """The fix as GitHub shows it; a rotated refresh token gets the one fix a workflow can offer."""
    if check.id == "refresh-token-rotated":
        return ROTATED_IN_CI
    parts = [check.fix or ""]
    if check.run:
        parts.append(f"Run: {check.run}")
    if check.docs:
        parts.append(f"Docs: {check.docs}")
    return "\n".join(p for p in parts if p)


def _plain(text: str) -> str:
    """The project's own sentences in Markdown: kept readable (`code` stays code), no HTML, one line."""
    return " ".join(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split())


def fix_markdown(check: Check) -> str:
    if check.id == "refresh-token-rotated":
        return _plain(ROTATED_IN_CI)
    parts = [_plain(check.fix or "")]
    if check.run:
        parts.append(f"Run: `{check.run.replace('`', '')}`")
    if check.docs:
        parts.append(f"[Troubleshooting]({check.docs})")
    return " · ".join(p for p in parts if p)


def annotation_lines(outcomes: list[SetOutcome], redactor: Redactor | None = None) -> list[str]:
    """`::error` for each failing check, `::warning` for each warning: titled with the check.
    Redacted before escaping, so an escaped secret cannot slip past the redactor."""
    redact = redactor.redact if redactor else (lambda text: text)
    lines = []
    for outcome in outcomes:
        for check in outcome.report.checks:
            if check.status not in (FAIL, WARN):
                continue
            title = f"{outcome.label}: {check.title}" if outcome.label else check.title
            summary = check.summary + (" (temporary: the next run will likely pass)" if _transient(check) else "")
            message = "\n".join(p for p in (summary, f"Fix: {fix_text(check)}") if p)
            kind = "error" if check.status == FAIL else "warning"
            lines.append(f"::{kind} title={escape_property(redact(title))}::{escape_data(redact(message))}")
    return lines


def mask_commands(sets: list[Inputs]) -> list[str]:
    """`::add-mask::` for each credential read from a file: the runner already masks the secrets it
    passed in, but not values a step reads itself."""
    values = {i.values[name].value for i in sets for name in CREDENTIAL_NAMES
              if name in i.values and i.values[name].source is Source.FILE}
    return [f"::add-mask::{escape_data(v)}" for v in sorted(v for v in values if v)]


def summary_markdown(outcomes: list[SetOutcome], exit_code: ExitCode) -> str:
    out = [f"## LinkedIn Ads credentials: {markdown_cell(HEADLINES[exit_code])}", ""]
    for outcome in outcomes:
        report = outcome.report
        if outcome.label:
            out += [f"### {markdown_cell(outcome.label)}: {markdown_cell(HEADLINES[report.exit_code])}", ""]
        out += ["| | Check | Result |", "| --- | --- | --- |"]
        out += [f"| {SYMBOLS[c.status]} | {markdown_cell(c.title)} | {markdown_cell(c.summary)} |" for c in report.checks]
        out.append("")
        if report.refresh_token_days_left is not None:
            out += [f"Refresh token: **{report.refresh_token_days_left} days left**.", ""]
        if report.ad_accounts:
            probes = {p.urn: p for p in report.accounts}
            out += ["| Ad account | Name | Role | Status | Currency | Reporting |", "| --- | --- | --- | --- | --- | --- |"]
            for account in report.ad_accounts:
                probe = probes.get(account.account)
                details = probe.details if probe else None
                reporting = "not probed" if probe is None else "?" if probe.reporting is None else "✓" if probe.reporting else "✗"
                out.append("| " + " | ".join(markdown_cell(v) for v in (
                    account.account, details.name if details else "", account.role, probe.label if probe else "",
                    details.currency if details else "")) + f" | {reporting} |")
            out.append("")
        fixes = [c for c in report.checks if c.status in (FAIL, WARN)]
        if fixes:
            out += ["**Fix**", ""]
            out += [f"- {SYMBOLS[c.status]} **{markdown_cell(c.title)}**: {fix_markdown(c)}" for c in fixes]
            out.append("")
    return "\n".join(out) + "\n"


def step_outputs(outcomes: list[SetOutcome], exit_code: ExitCode, report_path: Path) -> dict[str, str]:
    days = [o.report.refresh_token_days_left for o in outcomes if o.report.refresh_token_days_left is not None]
    return {"exit-code": str(int(exit_code)), "refresh-token-days-left": str(min(days)) if days else "",
            "report": str(report_path)}


# -- where it goes --------------------------------------------------------------------------------
def _append(path: str | None, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)


def write_outputs(path: str | None, values: Mapping[str, str]) -> None:
    """`name<<DELIMITER` blocks: safe whatever a value holds."""
    blocks = []
    for name, value in values.items():
        delimiter = f"ghadelimiter_{uuid.uuid4()}"
        blocks.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    _append(path, "".join(blocks))


def report_path(given: str | None, environ: Mapping[str, str]) -> Path:
    if given:
        return Path(given)
    return Path(environ.get("RUNNER_TEMP") or ".") / REPORT_NAME


def write_report(path: Path, document: str) -> None:
    """The --json document, readable by its owner only (it names the ad accounts)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(document)


def announce_masks(sets: list[Inputs], stream: TextIO) -> None:
    """Before anything else is printed."""
    for line in mask_commands(sets):
        stream.write(line + "\n")
    stream.flush()


def publish(outcomes: list[SetOutcome], exit_code: ExitCode, document: str, redactor: Redactor, *,
            report: str | None = None, github: bool = True, stream: TextIO,
            environ: Mapping[str, str] | None = None) -> Path:
    """The --json document to a file (--report, else $RUNNER_TEMP/linkedin-verify-report.json); with
    `github`, also the annotations on `stream`, the summary to $GITHUB_STEP_SUMMARY and the step
    outputs to $GITHUB_OUTPUT. Everything passes through the redactor."""
    environ = os.environ if environ is None else environ
    path = report_path(report, environ)
    write_report(path, redactor.redact(document))
    if not github:
        return path
    for line in annotation_lines(outcomes, redactor):
        stream.write(line + "\n")
    stream.flush()
    _append(environ.get("GITHUB_STEP_SUMMARY"), redactor.redact(summary_markdown(outcomes, exit_code)))
    write_outputs(environ.get("GITHUB_OUTPUT"), step_outputs(outcomes, exit_code, path))
    return path
