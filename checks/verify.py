"""python -m checks.verify: prove that a LinkedIn Ads Client ID, Primary Client Secret and
Refresh Token work, and say exactly what to fix when they don't."""

from __future__ import annotations

import os
import sys

from checks.cli import ENVIRONMENT_HELP, EXIT_CODES_HELP, SafeArgumentParser, add_common_options, make_logger, non_negative_int

DESCRIPTION = """\
Check LinkedIn Ads API credentials, in order:
  1. inputs      all three values present and shaped like LinkedIn's (offline)
  2. refresh     exchange the refresh token for an access token; report both expiries
  3. scopes      the token carries r_ads and r_ads_reporting (token introspection)
  4. ads-api     the Advertising API answers and lists the ad accounts (URN, role) reachable
Each failure names its cause, the fix, and the guide's Troubleshooting section.
"""

EXAMPLES = """\
examples:
  python -m checks.verify                          # reads ./.env or the environment
  python -m checks.verify --env-file secrets/linkedin.env
  python -m checks.verify --json | jq .ad_accounts # for CI and cron
  python -m checks.verify --warn-days 45           # exit 4 when < 45 days are left
"""


def build_parser() -> SafeArgumentParser:
    import argparse

    from checks import DOCS_URL
    from checks.inputs import DEFAULT_API_VERSION

    parser = SafeArgumentParser(
        prog="python -m checks.verify",
        description=DESCRIPTION,
        epilog="\n".join([EXAMPLES, EXIT_CODES_HELP, ENVIRONMENT_HELP.format(version=DEFAULT_API_VERSION, docs=DOCS_URL)]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_common_options(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout instead of the checklist")
    parser.add_argument("--require-scope", action="append", metavar="SCOPE",
                        help="a scope the token must have; repeat for several (default: r_ads and r_ads_reporting)")
    parser.add_argument("--warn-days", type=non_negative_int, default=30, metavar="DAYS",
                        help="warn (exit 4) when the refresh token expires within DAYS days (default: %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    from checks.inputs import UsageError, load_inputs

    try:
        inputs = load_inputs(args.env_file, prompt=None if not args.json else False)
    except UsageError as exc:
        print(f"python -m checks.verify: error: {exc}", file=sys.stderr)
        return 2
    return run_verify(inputs, args)


def run_verify(inputs, args, *, rotated_store=None) -> int:
    """Run the checks for already-loaded inputs and print the result; returns the exit code."""
    from checks.diagnose import DEFAULT_SCOPES, run_checks
    from checks.inputs import REFRESH_TOKEN
    from checks.linkedin import LinkedInClient
    from checks.render import render_json, render_text, use_colour
    from checks.secrets import Redactor

    redactor = Redactor()
    client = LinkedInClient(inputs.endpoints, timeout=args.timeout, retries=args.retries,
                            log=make_logger(args.verbose, redactor))

    def store_rotated(new_token: str) -> str | None:
        # A new refresh token must not be lost: keep it where the old one came from.
        source = inputs.values[REFRESH_TOKEN].source
        target = rotated_store or (inputs.env_file if inputs.env_file and source == str(inputs.env_file) else None)
        if not target:
            return None
        from checks.dotenv_store import save_values

        backup = save_values(target, {REFRESH_TOKEN: new_token}, backup_keys=(REFRESH_TOKEN,))
        return f"saved to {target}" + (f" (previous file kept as {backup})" if backup else "")

    report = run_checks(
        inputs,
        client,
        required_scopes=tuple(args.require_scope) if args.require_scope else DEFAULT_SCOPES,
        warn_days=args.warn_days,
        redactor=redactor,
        on_rotated=store_rotated,
        # Seconds to wait before re-trying a freshly issued token LinkedIn refused (it happens).
        fresh_token_grace=float(os.environ.get("LINKEDIN_FRESH_TOKEN_GRACE", "5")),
    )
    if getattr(args, "json", False):
        sys.stdout.write(render_json(report, inputs.endpoints, redactor))
    else:
        sys.stdout.write(render_text(report, inputs.endpoints, redactor, colour=use_colour(sys.stdout)))
    sys.stdout.flush()
    return report.exit_code


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
