"""What docs/ shows of the code, rendered from the code: `--help` texts and exit-code tables.

Used by the `[[[cog ... ]]]` blocks in docs/*.md (inside HTML comments, so MkDocs and Zensical
render nothing of the markers). `make docs` rewrites them; tests/repo/test_docs_generated.py fails
when they are stale. The help text is formatted at a fixed width so it reads the same everywhere.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
from collections.abc import Iterable

from checks.errors import ExitCode

WIDTH = 100
# argparse lays help out a little differently from one Python to the next; the committed texts
# come from CI's Python (.github/workflows/ci.yml), and only that one checks them.
DOCS_PYTHON = (3, 11)


def help_text(module: str, subcommand: str | None = None) -> str:
    """`python -m <module> [<subcommand>] --help`, as argparse prints it at WIDTH columns."""
    code = importlib.import_module(module)
    if not hasattr(code, "build_parser"):  # a package run with -m: its __main__ builds the parser
        code = importlib.import_module(f"{module}.__main__")
    parser: argparse.ArgumentParser = code.build_parser()
    if subcommand:
        actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = actions[0].choices[subcommand]
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(WIDTH)
    try:
        return parser.format_help().rstrip() + "\n"
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def help_block(module: str, subcommand: str | None = None) -> str:
    """A fenced block with the help text, ready for a cog block in Markdown."""
    command = " ".join(["python -m", module, *([subcommand] if subcommand else []), "--help"])
    return f"\n```text\n$ {command}\n{help_text(module, subcommand)}```\n\n"


def exit_code_table(codes: Iterable[ExitCode] = tuple(ExitCode)) -> str:
    """The Markdown table of exit codes, from checks.errors.ExitCode."""
    rows = ["| Code | Meaning |", "| --- | --- |"]
    rows += [f"| {int(code)} | {code.meaning[0].upper()}{code.meaning[1:]} |" for code in codes]
    return "\n" + "\n".join(rows) + "\n\n"


def error_reference() -> str:
    """docs/errors.md: one entry per row of LinkedIn's answers (checks.credentials.linkedin_errors),
    its heading the literal code so the site search finds `65601` or `refresh_token_client_mismatch`."""
    from checks.credentials.linkedin_errors import ORIGINS, documented

    parts = []
    for answer in documented():
        problem = answer.problem
        status = answer.status
        shown = (f"HTTP {status} " if isinstance(status, int) else
                 f"HTTP {status[0]}–{status[1]} " if isinstance(status, tuple) else "")
        if len(answer.origins) == len(ORIGINS):
            where = "on any call"
        else:
            where = " or ".join(f"from {ORIGINS[o][0]}, `{ORIGINS[o][1]}`" for o in answer.origins)
        if answer.words.startswith("("):  # no body on record: say so rather than invent words
            says = [f"**LinkedIn says** ({shown}{where}): no words on record {answer.words}."]
        else:
            says = [f"**LinkedIn says** ({shown}{where}):", "", f"> {answer.words}"]
        lines = [f"## {answer.heading} {{ #{answer.anchor} }}", "", *says, "",
                 f"**What it means for a pipeline.** {answer.meaning}", "",
                 f"**Fix.** {answer.fix or problem.fix}", ""]
        if problem.run:
            command, _, note = problem.run.partition(" (")
            setting, _, rest = command.partition(" python ")
            if command.startswith("LINKEDIN_") and rest:  # `NAME=value python …` is bash only: say it for every system
                name, _, value = setting.partition("=")
                powershell = f'$env:{name}="{value}"'
                shown_run = (f"put `{setting}` in the `.env` file, then run `python {rest}` "
                             f"(in PowerShell, for one session: `{powershell}`)")
            elif command.startswith("python"):
                shown_run = f"`{command}`" + (f" ({note}" if note else "")
            else:
                shown_run = problem.run
            lines += [f"**Run:** {shown_run}", ""]
        lines += [f"`python -m checks.verify` reports it as [{problem.title}](troubleshooting.md#{problem.id}) "
                  f"(exit {int(problem.exit_code)}).", ""]
        parts.append("\n".join(lines))
    return "\n" + "\n".join(parts) + "\n"
# -- the sample outputs on docs/verify.md: a real run against a fixed fixture and clock ----------
# A Tuesday morning, three weeks after the example's first consent (checks/screens/example.yaml, the
# values the screenshots show): its ad account reports; the second is a test account not added to
# the app on the Development tier (LinkedIn's verbatim 403 body). The refresh token expires when the
# screenshots' token result page says it does.
SAMPLE_NOW = "2026-11-24T09:12:40+00:00"
SAMPLE_ENV_FILE = "/home/you/pipeline/.env"


def verify_sample(json_output: bool = False) -> str:
    """What `python -m checks.verify [--json]` prints for the sample setup, run for real (HTTP mocked)."""
    import io
    from datetime import datetime
    from pathlib import Path

    import responses

    from checks.clock import fixed_clock
    from checks.credentials.inputs import CREDENTIAL_NAMES, Endpoints, Inputs, Source, Value
    from checks.credentials.render import print_report
    from checks.credentials.secrets import Redactor
    from checks.credentials.service import VerifyOptions, verify_credentials
    from checks.screens.example import load_example
    from tests.support.fake_linkedin import ACCOUNT_DETAILS, ACCOUNTS, CLIENT_ID, CLIENT_SECRET, NOT_ON_APP, REFRESH_TOKEN
    from tests.support.linkedin_mocks import ANALYTICS_URL, GOOD_ANALYTICS, GOOD_GRANT, mock_linkedin

    env_file = Path(SAMPLE_ENV_FILE)
    given = dict(zip(CREDENTIAL_NAMES, (CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN), strict=True))
    inputs = Inputs(values={n: Value(n, v, Source.FILE, env_file) for n, v in given.items()}, endpoints=Endpoints(),
                    env_file=env_file)

    example = load_example()
    now = datetime.fromisoformat(SAMPLE_NOW)
    # The fixture's two accounts (their roles, statuses, currencies) under the example's IDs and names.
    shown = {str(ACCOUNT_DETAILS[str(urn_id(a))]["id"]): (ids, name) for a, ids, name in zip(
        ACCOUNTS, (example.ad_account_id, example.second_ad_account_id),
        (example.ad_account_name, example.second_ad_account_name), strict=True)}
    details = {ids: {**ACCOUNT_DETAILS[old], "id": int(ids), "name": name} for old, (ids, name) in shown.items()}
    users = [{**a, "account": f"urn:li:sponsoredAccount:{shown[str(urn_id(a))][0]}"} for a in ACCOUNTS]
    grant = {**GOOD_GRANT, "refresh_token_expires_in": example.refresh_expires_epoch - int(now.timestamp())}

    def analytics(request):
        denied = example.second_ad_account_id in request.url
        return (403, {}, json.dumps(NOT_ON_APP)) if denied else (200, {}, json.dumps(GOOD_ANALYTICS))

    options = VerifyOptions(retries=0, fresh_token_grace=0, clock=fixed_clock(now))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, token=(200, grant), analytics=None,
                      ads=(200, {"elements": users, "paging": {"count": 2, "start": 0, "total": 2, "links": []}}),
                      details=(200, {"results": details, "statuses": dict.fromkeys(details, 200), "errors": {}}))
        rsps.add_callback("GET", ANALYTICS_URL, callback=analytics)
        report = verify_credentials(inputs, options)
    out = io.StringIO()
    print_report(report, inputs.endpoints, Redactor(), json_output=json_output, stream=out)
    return out.getvalue()


def urn_id(account_user: dict) -> int:
    return int(account_user["account"].rsplit(":", 1)[1])


def sample_block(json_output: bool = False) -> str:
    """The sample as a fenced block for a cog block in Markdown."""
    return f"\n```{'json' if json_output else 'text'}\n{verify_sample(json_output)}```\n\n"


def write_schema() -> None:
    """`make docs`: write docs/verify.schema.json from checks/credentials/report_schema.py (the site
    serves it; tests/repo/test_published_schema.py fails when the committed file is stale)."""
    from checks.credentials.report_schema import SCHEMA_FILE, schema_text
    from tests.support import ROOT

    (ROOT / "docs" / SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")
