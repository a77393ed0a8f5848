"""python -m checks.screens {capture,drift,login,scan}: the guide's executable docs."""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from checks.cli import SafeArgumentParser, exit_codes_help, run_command
from checks.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
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
# drift: stale steps; capture: failed screens; scan: findings -> FIX
SCREENS_EXIT_CODES = (ExitCode.OK, ExitCode.FIX, ExitCode.USAGE, ExitCode.INTERRUPTED)


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
                                epilog=EXAMPLES + "\n" + exit_codes_help(SCREENS_EXIT_CODES),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cap = sub.add_parser("capture", help="render every screenshot", formatter_class=argparse.RawDescriptionHelpFormatter)
    _portal_args(cap)
    cap.add_argument("--out", metavar="DIR", default=str(ROOT / "res"), help="where images go (default: res/)")
    cap.add_argument("--only", metavar="ID", action="append", help="capture just this screen id (repeatable)")
    cap.add_argument("--no-sync-docs", action="store_true", help="do not rewrite image sizes in docs/")
    dr = sub.add_parser("drift", help="check the documented elements, no images")
    _portal_args(dr)
    lg = sub.add_parser("login", help="sign in once and save the session (mode 0600)")
    lg.add_argument("--out", metavar="FILE", required=True)
    lg.add_argument("--base-url", metavar="URL", default="https://www.linkedin.com")
    lg.add_argument("--done-url", metavar="GLOB", default="**/feed/**", help="URL that means signed in (default: %(default)s)")
    lg.add_argument("--timeout", type=float, default=300, metavar="SECONDS")
    lg.add_argument("--headless", action="store_true", help=argparse.SUPPRESS)
    rv = sub.add_parser("review", help="write one HTML contact sheet: every screenshot beside its guide text")
    rv.add_argument("--out", metavar="FILE", default=str(ROOT / "build" / "screens-review.html"),
                    help="where the sheet goes (default: build/screens-review.html)")
    rv.add_argument("--steps", metavar="FILE", help=argparse.SUPPRESS)
    sc = sub.add_parser("scan", help="OCR images for secrets")
    sc.add_argument("paths", nargs="+", metavar="PATH", help="images or folders")
    return parser


def _portal(args, steps, stack: ExitStack):
    """The live portal when --base-url is given, else the model, served until `stack` closes."""
    from checks.screens.walk import Portal

    if args.base_url:
        live = {k: v for k, v in (("app_id", args.app_id), ("client_id", args.client_id)) if v}
        return Portal.live(args.base_url, args.developer_url, live, args.storage_state)
    from checks.screens.model import serve_model

    sites = stack.enter_context(serve_model(args.model_dir))
    return Portal(sites.www, sites.developer, True, dict(steps.placeholders))


def main(argv: list[str] | None = None) -> int:
    """Every ChecksError (a bad steps file, no browser, a failed mask) ends as one line and its exit code."""
    return run_command(_main, argv, prog="python -m checks.screens")


def _main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "scan":
        return _scan(args)
    if args.command == "review":
        return _review(args)
    if args.command == "login":
        from checks.screens.login import login

        login(Path(args.out), start_url=args.base_url.rstrip("/") + "/login", done_url=args.done_url,
              timeout_s=args.timeout, headless=args.headless)
        return 0
    from checks.screens.steps import load_steps

    steps = load_steps(Path(args.steps) if args.steps else None)
    if args.storage_state and not Path(args.storage_state).is_file():
        print(f"--storage-state {args.storage_state}: no such file", file=sys.stderr)
        return 2
    with ExitStack() as stack:
        portal = _portal(args, steps, stack)
        return _capture(args, steps, portal) if args.command == "capture" else _drift(steps, portal)


def _where(portal) -> str:
    return "the portal model" if portal.is_model else portal.www


def _drift(steps, portal) -> int:
    from checks.screens.drift import check_drift, stale_line

    started = time.monotonic()
    print(f"Checking {len(steps.screens)} documented screens against {_where(portal)}", flush=True)

    def progress(outcome, i, n):
        mark = {"ok": "ok", "stale": "STALE", "skipped": "skip"}[outcome.status]
        extra = f" ({outcome.reason})" if outcome.reason else ""
        print(f"  [{i:2}/{n}] {mark:5} {outcome.screen.id}{extra}", flush=True)

    outcomes = check_drift(steps, portal, progress=progress)
    stale = [o for o in outcomes if o.status == "stale"]
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ok", "stale", "skipped")}
    print(f"{counts['ok']} ok, {counts['stale']} stale, {counts['skipped']} skipped in {time.monotonic() - started:.1f} s")
    for outcome in stale:
        print(stale_line(outcome))
    return 1 if stale else 0


def _capture(args, steps, portal) -> int:
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
    if done and not args.no_sync_docs and out.resolve() == (ROOT / "res").resolve():
        for change in link_into_docs(out, ROOT / "docs" / "res"):
            print(f"  docs/res: {change}")
        for md in sync_doc_sizes(ROOT / "docs", out, steps.scale):
            print(f"  updated image sizes in {md.relative_to(ROOT)}")
    for result in failed:
        print(stale_line(result.outcome))
    return 1 if failed else 0


def _review(args) -> int:
    from checks.screens.review import build_review
    from checks.screens.steps import load_steps

    steps = load_steps(Path(args.steps) if args.steps else None)
    out = build_review(steps, ROOT / "res", ROOT / "docs" / "guide.md", Path(args.out))
    print(f"wrote {out} ({len(steps.screens)} screens)")
    return 0


def _scan(args) -> int:
    from checks.screens.scan import expand, scan

    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"no such file: {missing[0]}", file=sys.stderr)
        return 2
    files = expand(paths)
    findings = scan(paths)
    for finding in findings:
        print(finding)
    print(f"scanned {len(files)} images: {len(findings)} finding{'s' if len(findings) != 1 else ''}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
