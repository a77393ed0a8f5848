"""What docs/ shows of the code, rendered from the code: `--help` texts and exit-code tables.

Used by the `[[[cog ... ]]]` blocks in docs/*.md (inside HTML comments, so MkDocs and Zensical
render nothing of the markers). `make docs` rewrites them; tests/repo/test_docs_generated.py fails
when they are stale. The help text is formatted at a fixed width so it reads the same everywhere.
"""

from __future__ import annotations

import argparse
import importlib
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
            shown_run = (f"`{command}`" + (f" ({note}" if note else "")) if command.startswith(("python", "LINKEDIN_")) \
                else problem.run
            lines += [f"**Run:** {shown_run}", ""]
        lines += [f"`python -m checks.verify` reports it as [{problem.title}](troubleshooting.md#{problem.id}) "
                  f"(exit {int(problem.exit_code)}).", ""]
        parts.append("\n".join(lines))
    return "\n" + "\n".join(parts) + "\n"
