"""python -m checks.screens {capture,drift,login,scan}: the guide's executable docs."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from contextlib import ExitStack
from pathlib import Path
from typing import Mapping, NoReturn, Sequence

from checks import cli
from checks.cli import SafeArgumentParser, positive_float, run_command
from checks.errors import ExitCode, TransientError, UsageError
from checks.screens.project import Project

PROG = "python -m checks.screens"

DESCRIPTION = """\
The guide's screens are listed once, in checks/screens/steps.yaml. These commands use it:
  capture  render every screenshot into res/ (from the portal model by default)
  drift    check that every documented button, tab, link and label still exists
  login    sign in to LinkedIn once, in a visible browser, and save the session for live runs
  scan     OCR images and fail on anything that looks like a token, secret or e-mail
  review   write one HTML page with every screenshot beside its guide text (for reviewers)

Live runs against linkedin.com are a maintainer's deliberate act: LinkedIn's User Agreement
forbids bots. They load each page once, never submit a form, and skip every screen whose
actions would change the account.
"""
EXAMPLES = """\
examples:
  python -m checks.screens capture                       # model -> res/, then docs sizes synced
  python -m checks.screens drift                         # against the model
  python -m checks.screens drift --base-url https://www.linkedin.com   # public pages only
  python -m checks.screens login --out ~/.config/linkedin-state.json
  python -m checks.screens drift --base-url https://www.linkedin.com \\
      --storage-state ~/.config/linkedin-state.json --app-id 123456789 --client-id 86abc
  python -m checks.screens scan res/

"""


DRIFT_EXIT_CODES = f"""\
exit codes (drift):
  {int(ExitCode.OK):<3} unchanged: every documented element was found
  {int(ExitCode.FIX):<3} the portal changed: a step no longer matches (each one is named, with look-alikes)
  {int(ExitCode.USAGE):<3} usage error: bad option, missing --storage-state file, invalid steps.yaml
  {int(ExitCode.TRANSIENT):<3} could not check: signed out, security check, HTTP 999/429, network, a cookie
      dialog or a non-English interface it could not get past (the cause and the fix are
      printed; never counted as drift)
  {int(ExitCode.BUG):<3} a bug in checks.screens: the traceback is on stderr; please report it
  {int(ExitCode.INTERRUPTED):<3} interrupted (Ctrl-C)
"""
ENVIRONMENT = """\
environment:
  CHECKS_BROWSER    the Chromium to drive (default: Playwright's own, else a system Chromium)
  OMP_THREAD_LIMIT  OpenMP threads per tesseract process for `scan` (default 1: one OCR process per
                    core is faster than Tesseract's own threads on small machines)
"""
OTHER_EXIT_CODES = (f"exit codes (capture, scan, login): {int(ExitCode.OK)} fine · {int(ExitCode.FIX)} failed captures "
                    f"or findings · {int(ExitCode.USAGE)} usage error · {int(ExitCode.TRANSIENT)} could not finish · "
                    f"{int(ExitCode.BUG)} a bug · {int(ExitCode.INTERRUPTED)} Ctrl-C\n")


def _portal_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", metavar="URL", help="portal base, e.g. https://www.linkedin.com (default: the model on 127.0.0.1)")
    parser.add_argument("--developer-url", metavar="URL", help="landing-page base (default: developer.linkedin.com for linkedin.com)")
    parser.add_argument("--storage-state", metavar="FILE", help="signed-in session saved by `login`")
    parser.add_argument("--app-id", metavar="ID", help="your app's id, as in /developers/apps/ID/auth")
    parser.add_argument("--client-id", metavar="ID", help="your app's Client ID (for the consent screen)")
    parser.add_argument("--steps", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", metavar="DIR", help=argparse.SUPPRESS)  # tests: an altered model


def build_parser() -> SafeArgumentParser:
    parser = SafeArgumentParser(prog="python -m checks.screens", description=DESCRIPTION,
                                epilog=EXAMPLES + "\n" + DRIFT_EXIT_CODES + OTHER_EXIT_CODES + "\n" + ENVIRONMENT,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", metavar="DIR",
                        help="the guide's checkout (default: the nearest folder from here up with mkdocs.yml and "
                        "checks/screens/steps.yaml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cap = sub.add_parser("capture", help="render every screenshot", formatter_class=argparse.RawDescriptionHelpFormatter)
    _portal_args(cap)
    cap.add_argument("--out", metavar="DIR", help="where images go (default: res/ in the checkout)")
    cap.add_argument("--only", metavar="ID", action="append", help="capture just this screen id (repeatable)")
    cap.add_argument("--no-sync-docs", action="store_true", help="do not rewrite image sizes in docs/")
    dr = sub.add_parser("drift", help="check the documented elements, no images", epilog=DRIFT_EXIT_CODES,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    _portal_args(dr)
    dr.add_argument("--json", action="store_true", help="print the report as JSON on stdout (progress goes to stderr)")
    dr.add_argument("--record", action="store_true",
                    help="after a live run that found every visited screen, record today's date per screen "
                         "(checks/screens/last-checked.json, shown on the site)")
    dr.add_argument("--wait", type=positive_float, default=10.0, metavar="SECONDS",
                    help="how long a page may take to show its content after loading (default: %(default)g)")
    dr.add_argument("--record-file", metavar="FILE", help=argparse.SUPPRESS)  # tests
    dr.add_argument("--snippet-file", metavar="FILE", help=argparse.SUPPRESS)  # tests
    lg = sub.add_parser("login", help="sign in once and save the session (mode 0600)")
    lg.add_argument("--out", metavar="FILE", required=True)
    lg.add_argument("--base-url", metavar="URL", default="https://www.linkedin.com")
    lg.add_argument("--done-url", metavar="GLOB", default="**/feed/**", help="URL that means signed in (default: %(default)s)")
    lg.add_argument("--timeout", type=float, default=300, metavar="SECONDS")
    lg.add_argument("--headless", action="store_true", help=argparse.SUPPRESS)
    rv = sub.add_parser("review", help="write one HTML contact sheet: every screenshot beside its guide text")
    rv.add_argument("--out", metavar="FILE", help="where the sheet goes (default: build/screens-review.html in the checkout)")
    rv.add_argument("--steps", metavar="FILE", help=argparse.SUPPRESS)
    sc = sub.add_parser("scan", help="OCR images for secrets")
    sc.add_argument("paths", nargs="+", metavar="PATH", help="images or folders")
    return parser


def _portal(args, steps, stack: ExitStack, project: Project):
    """The live portal when --base-url is given, else the model, served until `stack` closes."""
    from checks.screens.walk import Portal

    if args.base_url:
        live = {k: v for k, v in (("app_id", args.app_id), ("client_id", args.client_id)) if v}
        return Portal.live(args.base_url, args.developer_url, live, args.storage_state)
    from checks.screens.model import serve_model

    sites = stack.enter_context(serve_model(Path(args.model_dir) if args.model_dir else project.portal_dir))
    return Portal(sites.www, sites.developer, True, dict(steps.placeholders))


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None, guard=None) -> int:
    """The command: project errors become one line (run_command); a bug exits 70 with its traceback."""
    from checks.credentials.secrets import redacted_output

    with redacted_output():  # the one redactor; what pages and files said is shown escaped
        return run_command(build_parser, _guarded, argv, prog=PROG, env=env, guard=guard)


def main_entry() -> NoReturn:
    """`python -m checks.screens` and the `linkedin-screens` console script."""
    cli.main_entry(main, prog=PROG)


def _guarded(args, ctx: cli.Context) -> int:
    """A browser that fails outside a page walk is "could not finish" (exit 3), not a bug, and not drift."""
    try:
        return _main(args, ctx)
    except Exception as exc:
        if not type(exc).__module__.startswith("playwright"):
            raise  # a bug: run_command prints the traceback and exits 70
        traceback.print_exc(file=sys.stderr)
        first = (str(exc).splitlines() or [""])[0][:120]
        raise TransientError(f"could not finish: the browser failed ({type(exc).__name__}: {first}); "
                             "the traceback is above") from exc


def _main(args, ctx: cli.Context) -> int:
    project = Project.locate(args.repo, Path.cwd())
    if args.command == "scan":
        # Tesseract's own OpenMP threads thrash on small machines (about 4x slower on 2 cores): one
        # thread per OCR process, one process per core. Set here, for the tesseract processes scan starts.
        os.environ.setdefault("OMP_THREAD_LIMIT", ctx.env.get("OMP_THREAD_LIMIT") or "1")
        return _scan(args)
    if args.command == "review":
        return _review(args, project)
    if args.command == "login":
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        from checks.screens.login import login

        try:
            login(Path(args.out), start_url=args.base_url.rstrip("/") + "/login", done_url=args.done_url,
                  timeout_s=args.timeout, headless=args.headless)
        except PlaywrightTimeout:
            raise TransientError(f"not signed in within {args.timeout:g} s (waiting for {args.done_url}): "
                                 "run login again and finish signing in, or raise --timeout") from None
        return ExitCode.OK
    from checks.screens.steps import load_steps

    steps = load_steps(Path(args.steps) if args.steps else project.steps_file)
    if args.storage_state and not Path(args.storage_state).is_file():
        raise UsageError(f"--storage-state {args.storage_state}: no such file (save one with `{PROG} login --out FILE`)")
    if args.command == "drift" and args.record and not args.base_url:
        raise UsageError("--record needs --base-url: only a check against the live portal is worth recording")
    if args.command == "capture" and not args.out:
        args.out = str(project.require("capture") / "res")
    if args.command == "drift" and args.record and not args.record_file:
        project.require("drift --record")  # before the visit, not after it
    with ExitStack() as stack:
        portal = _portal(args, steps, stack, project)
        if args.command == "capture":
            return _capture(args, steps, portal, project)
        return _drift(args, steps, portal, project, ctx)


def _where(portal) -> str:
    return "the portal model" if portal.is_model else portal.www


def _drift(args, steps, portal, project: Project, ctx: cli.Context) -> int:
    from checks.screens.drift import (
        as_json,
        blocked_line,
        check_drift,
        stale_line,
        verdict,
    )

    portal.settle_timeout_s = args.wait
    out = sys.stderr if args.json else sys.stdout  # with --json, stdout holds only the JSON
    started = time.monotonic()
    print(f"Checking {len(steps.screens)} documented screens against {_where(portal)}", file=out, flush=True)

    def progress(outcome, i, n):
        mark = {"ok": "ok", "stale": "STALE", "skipped": "skip", "blocked": "BLOCK"}[outcome.status]
        extra = f" ({outcome.reason})" if outcome.reason else ""
        print(f"  [{i:2}/{n}] {mark:5} {outcome.screen.id}{extra}", file=out, flush=True)

    result = verdict(check_drift(steps, portal, progress=progress))
    counts = {s: sum(o.status == s for o in result.outcomes) for s in ("ok", "stale", "blocked", "skipped")}
    print(f"{counts['ok']} ok, {counts['stale']} stale, {counts['blocked']} not checked, {counts['skipped']} skipped "
          f"in {time.monotonic() - started:.1f} s", file=out)
    if args.json:
        print(json.dumps(as_json(result, _where(portal)), indent=2))
    for outcome in result.changed:
        print(stale_line(outcome), file=out)
    if result.blocks:
        print(blocked_line(result.blocks[0]), file=out)
    if result.outcome == "unchanged":
        print("Outcome: unchanged: every documented element was found.", file=out)
    elif result.outcome == "changed":
        print(f"Outcome: the portal changed: update the guide, steps.yaml and the model for the "
              f"step{'s' if len(result.changed) > 1 else ''} above.", file=out)
    else:
        print("Outcome: could not check (this says nothing about the guide being stale).", file=out)
    if args.record and result.outcome == "unchanged":
        _record(args, steps, portal, result, out, project, ctx)
    elif args.record:
        print("Not recorded: only a run that found every visited screen is recorded.", file=out)
    return result.exit_code


def _record(args, steps, portal, result, out, project: Project, ctx: cli.Context) -> None:
    from checks.screens import record

    record_file = Path(args.record_file) if args.record_file else project.record_file
    snippet_file = Path(args.snippet_file) if args.snippet_file else project.snippet_file
    found = [o.screen.id for o in result.outcomes if o.status == "ok"]
    new = record.updated(record.load_record(record_file), portal.www, found, ctx.clock().date())
    record.write_record(new, len(steps.screens), record_file, snippet_file)
    print(f"Recorded {len(found)} screens in {record_file} and {snippet_file}", file=out)


def _capture(args, steps, portal, project: Project) -> int:
    from checks.screens.capture import capture_all
    from checks.screens.drift import stale_line
    from checks.screens.images import link_into_docs, sync_doc_sizes

    out = Path(args.out)
    started = time.monotonic()
    print(f"Capturing {len(args.only or steps.screens)} screens from {_where(portal)} into {out}", flush=True)

    def progress(result, i, n):
        o = result.outcome
        if o.status == "ok":
            print(f"  [{i:2}/{n}] ok    {o.screen.id} -> {result.path.name} "
                  f"({result.size[0]}x{result.size[1]}, {result.bytes / 1024:.0f} KB, {result.seconds:.1f} s)", flush=True)
        else:
            print(f"  [{i:2}/{n}] {o.status.upper():5} {o.screen.id} {o.reason}", flush=True)

    results = capture_all(steps, portal, out, only=args.only, progress=progress)
    done = [r for r in results if r.path]
    failed = [r for r in results if r.outcome.status == "stale"]
    total = sum(r.bytes for r in done)
    print(f"{len(done)} images, {total / 1024:.0f} KB in all ({total / 1024 / max(1, len(done)):.0f} KB average), "
          f"{time.monotonic() - started:.1f} s")
    root = project.root
    if done and not args.no_sync_docs and root is not None and out.resolve() == (root / "res").resolve():
        for change in link_into_docs(out, root / "docs" / "res"):
            print(f"  docs/res: {change}")
        for md in sync_doc_sizes(root / "docs", out, steps.scale):
            print(f"  updated image sizes in {md.relative_to(root)}")
    for result in failed:
        print(stale_line(result.outcome))
    blocked = [r.outcome for r in results if r.outcome.status == "blocked"]
    if blocked:
        from checks.screens.drift import blocked_line

        print(blocked_line(blocked[0]))
    return ExitCode.FIX if failed else ExitCode.TRANSIENT if blocked else ExitCode.OK


def _review(args, project: Project) -> int:
    from checks.screens.review import build_review
    from checks.screens.steps import load_steps

    root = project.require("review")
    steps = load_steps(Path(args.steps) if args.steps else project.steps_file)
    out = build_review(steps, root / "res", root / "docs" / "guide.md",
                       Path(args.out) if args.out else root / "build" / "screens-review.html")
    print(f"wrote {out} ({len(steps.screens)} screens)")
    return 0


def _scan(args) -> int:
    from checks.screens.scan import expand, scan

    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file: {missing[0]}")
    files = expand(paths)
    findings = scan(paths)
    for finding in findings:
        print(finding)
    print(f"scanned {len(files)} images: {len(findings)} finding{'s' if len(findings) != 1 else ''}")
    return ExitCode.FIX if findings else ExitCode.OK


if __name__ == "__main__":
    main_entry()
