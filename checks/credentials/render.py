"""Turn a Report into the human checklist or the stable JSON document. Every line is redacted, and
in the checklist every piece of text (account names, LinkedIn's words, paths) has its control
characters escaped: only this module's own colours reach the terminal as escape sequences.

Several credential sets: each set's checklist under its file name, then a summary table; with
--json a list of documents (one set keeps the single document).
"""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO

from checks.credentials.diagnose import FAIL, PASS, SKIP, WARN, AccountProbe, Report, iso_utc
from checks.credentials.inputs import Endpoints
from checks.credentials.secrets import Redactor, display_url, escape_controls
from checks.errors import ExitCode

JSON_SCHEMA_VERSION = 1
SYMBOLS = {PASS: "✓", WARN: "!", FAIL: "X", SKIP: "-"}
COLOURS = {PASS: "32", WARN: "33", FAIL: "31", SKIP: "2"}
VERDICTS = {
    ExitCode.OK: "All checks passed: these credentials work.",
    ExitCode.FIX: "Something needs fixing (exit 1): see the Fix lines above.",
    ExitCode.TRANSIENT: "Could not finish: a temporary problem (exit 3). Try again later.",
    ExitCode.WARNING: "Works, but something expires soon: see the ! lines (exit 4).",
}


def use_colour(stream: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def render_text(report: Report, endpoints: Endpoints, redactor: Redactor, colour: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if colour else text

    def safe(text: str) -> str:
        # Redacted first (a secret split by an escape would slip through), then escaped.
        return escape_controls(redactor.redact(text))

    out = [
        paint("1", "LinkedIn Ads credentials"),
        safe(f"  OAuth {display_url(endpoints.oauth_url)} · API {display_url(endpoints.api_url)} · "
             f"LinkedIn-Version {endpoints.api_version}"),
        "",
    ]
    for check in report.checks:
        symbol = paint(COLOURS[check.status], SYMBOLS[check.status])
        out.append(f"{symbol} {safe(check.title)}: {safe(check.summary)}")
        for detail in check.details:
            out.append(f"    {safe(detail)}")
        if check.status in (FAIL, WARN) and check.fix:
            out.append(f"    Fix: {safe(check.fix)}")
            if check.run:
                out.append(f"    Run: {safe(check.run)}")
            if check.guide:
                out.append(f"    Guide: {safe(check.guide)}")
            if check.docs:
                out.append(f"    Docs: {safe(check.docs)}")
    verdict = VERDICTS[report.exit_code]
    if report.exit_code == ExitCode.OK and any(c.status == WARN for c in report.checks):
        verdict = "These credentials work; read the ! lines."  # e.g. reporting answered with no rows
    out += ["", paint("1", verdict)]
    return redactor.redact("\n".join(out)) + "\n"


def report_dict(report: Report, endpoints: Endpoints) -> dict:
    probes = {p.urn: p for p in report.accounts}
    return {
        "schema": JSON_SCHEMA_VERSION,
        "ok": report.ok,
        "exit_code": int(report.exit_code),
        "checked_at": iso_utc(report.checked_at),
        "endpoints": {
            "oauth_url": endpoints.oauth_url,
            "api_url": endpoints.api_url,
            "api_version": endpoints.api_version,
        },
        "inputs": report.inputs,
        "checks": [
            {
                "id": c.id,
                "title": c.title,
                "status": c.status,
                "summary": c.summary,
                "problem": c.problem.id if c.problem else None,
                "fix": c.fix if c.status in (FAIL, WARN) else None,
                "docs": c.docs if c.status in (FAIL, WARN) else None,
                "run": c.run if c.status in (FAIL, WARN) else None,
                "guide": c.guide if c.status in (FAIL, WARN) else None,
                "details": c.details,
            }
            for c in report.checks
        ],
        "access_token_expires_at": iso_utc(report.access_token_expires_at) if report.access_token_expires_at else None,
        "refresh_token_expires_at": iso_utc(report.refresh_token_expires_at) if report.refresh_token_expires_at else None,
        "refresh_token_days_left": report.refresh_token_days_left,
        "scopes": report.scopes,
        "ad_accounts": [_account_dict(a.account, a.role, probes.get(a.account)) for a in report.ad_accounts],
        "api_version_life": _version_dict(report),
    }


def _account_dict(urn: str, role: str, probe: AccountProbe | None) -> dict:
    details = probe.details if probe else None
    entry: dict = {
        "urn": urn,
        "role": role,
        "name": details.name if details else None,
        "status": details.status if details else None,
        "currency": details.currency if details else None,
        "test": details.test if details else None,
        "reporting": None,  # not probed (--max-accounts)
    }
    if probe is not None:
        problem = probe.problem
        entry["reporting"] = {
            "ok": probe.reporting,
            "reason": probe.reason or None,
            "problem": problem.id if problem else None,
            "fix": problem.fix if problem else None,
            "run": problem.run if problem else None,
            "docs": problem.docs if problem else None,
        }
    return entry


def _version_dict(report: Report) -> dict | None:
    life = report.api_version_life
    if life is None:
        return None
    return {"version": life.version, "retires_on": life.retires_on.isoformat(), "announced": life.announced,
            "days_left": life.days_left}


def render_json(report: Report, endpoints: Endpoints, redactor: Redactor) -> str:
    return redactor.redact(json.dumps(report_dict(report, endpoints), indent=2, ensure_ascii=False)) + "\n"


def print_report(report: Report, endpoints: Endpoints, redactor: Redactor, *, json_output: bool = False,
                 stream: TextIO | None = None) -> None:
    """Write the report to stdout (or `stream`) as the checklist or as JSON."""
    stream = stream or sys.stdout
    if json_output:
        stream.write(render_json(report, endpoints, redactor))
    else:
        stream.write(render_text(report, endpoints, redactor, colour=use_colour(stream)))
    stream.flush()


# -- several credential sets ---------------------------------------------------------------------
SUMMARY_WORDS = {
    ExitCode.OK: "works",
    ExitCode.FIX: "needs fixing",
    ExitCode.TRANSIENT: "could not finish (try again later)",
    ExitCode.WARNING: "works; something expires soon",
}


def summary_table(results) -> list[str]:
    """One line per credential set: its file, verdict, exit code and the problems to look at."""
    width = max(len(r.label) for r in results)
    lines = []
    for r in results:
        code = r.report.exit_code
        problems = sorted({c.problem.id for c in r.report.checks if c.status in (FAIL, WARN) and c.problem})
        symbol = SYMBOLS[PASS] if code == ExitCode.OK else SYMBOLS[WARN] if code == ExitCode.WARNING else SYMBOLS[FAIL]
        tail = f": {', '.join(problems)}" if problems else ""
        lines.append(f"  {symbol} {escape_controls(r.label).ljust(width)}  {SUMMARY_WORDS[code]} (exit {int(code)}){tail}")
    return lines


def render_many_text(results, redactor: Redactor, colour: bool = False) -> str:
    from checks.credentials.service import worst_exit_code

    parts = []
    for r in results:
        heading = f"== {escape_controls(r.label)} =="
        parts.append((f"\033[1m{heading}\033[0m" if colour else heading) + "\n")
        parts.append(render_text(r.report, r.inputs.endpoints, redactor, colour=colour) + "\n")
    worst = worst_exit_code([r.report.exit_code for r in results])
    parts.append("\n".join([f"Summary of {len(results)} credential sets (exit {int(worst)}):", *summary_table(results)]) + "\n")
    return redactor.redact("".join(parts))


def render_many_json(results, redactor: Redactor) -> str:
    docs = [{"env_file": r.label, **report_dict(r.report, r.inputs.endpoints)} for r in results]
    return redactor.redact(json.dumps(docs, indent=2, ensure_ascii=False)) + "\n"


def print_many(results, redactor: Redactor, *, json_output: bool = False, stream: TextIO | None = None) -> None:
    """Several sets: the checklists and a summary table, or a JSON list (one document per set)."""
    stream = stream or sys.stdout
    if json_output:
        stream.write(render_many_json(results, redactor))
    else:
        stream.write(render_many_text(results, redactor, colour=use_colour(stream)))
    stream.flush()
