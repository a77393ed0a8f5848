"""Turn a Report into the human checklist or the stable JSON document. Every line is redacted."""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO

from checks.credentials.diagnose import FAIL, PASS, SKIP, WARN, Report, iso_utc
from checks.credentials.inputs import Endpoints
from checks.credentials.secrets import Redactor
from checks.errors import ExitCode

JSON_SCHEMA_VERSION = 1
SYMBOLS = {PASS: "✓", WARN: "!", FAIL: "X", SKIP: "-"}
COLOURS = {PASS: "32", WARN: "33", FAIL: "31", SKIP: "2"}
VERDICTS = {
    ExitCode.OK: "All checks passed: these credentials work.",
    ExitCode.FIX: "Something needs fixing (exit 1): see the Fix lines above.",
    ExitCode.TRANSIENT: "Could not finish: a temporary problem (exit 3). Try again later.",
    ExitCode.WARNING: "Works, but the refresh token expires soon (exit 4).",
}


def use_colour(stream: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def render_text(report: Report, endpoints: Endpoints, redactor: Redactor, colour: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if colour else text

    out = [
        paint("1", "LinkedIn Ads credentials"),
        f"  OAuth {endpoints.oauth_url} · API {endpoints.api_url} · LinkedIn-Version {endpoints.api_version}",
        "",
    ]
    for check in report.checks:
        symbol = paint(COLOURS[check.status], SYMBOLS[check.status])
        out.append(f"{symbol} {check.title}: {check.summary}")
        for detail in check.details:
            out.append(f"    {detail}")
        if check.status in (FAIL, WARN) and check.fix:
            out.append(f"    Fix: {check.fix}")
            if check.docs:
                out.append(f"    Docs: {check.docs}")
    out += ["", paint("1", VERDICTS[report.exit_code])]
    return redactor.redact("\n".join(out)) + "\n"


def report_dict(report: Report, endpoints: Endpoints) -> dict:
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
                "details": c.details,
            }
            for c in report.checks
        ],
        "access_token_expires_at": iso_utc(report.access_token_expires_at) if report.access_token_expires_at else None,
        "refresh_token_expires_at": iso_utc(report.refresh_token_expires_at) if report.refresh_token_expires_at else None,
        "refresh_token_days_left": report.refresh_token_days_left,
        "scopes": report.scopes,
        "ad_accounts": [{"urn": a.account, "role": a.role} for a in report.ad_accounts],
    }


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
