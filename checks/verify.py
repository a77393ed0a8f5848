"""python -m checks.verify: prove that a LinkedIn Ads Client ID, Primary Client Secret and
Refresh Token work, and say exactly what to fix when they don't."""

from __future__ import annotations

import os
import sys

from checks.cli import SafeArgumentParser, add_common_options, credentials_parser, make_logger, non_negative_int

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
    parser = credentials_parser("python -m checks.verify", DESCRIPTION, EXAMPLES)
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
    return run_verify(inputs, timeout=args.timeout, retries=args.retries, verbose=args.verbose,
                      json_output=args.json, required_scopes=args.require_scope, warn_days=args.warn_days)


def run_verify(inputs, *, timeout: float = 10.0, retries: int = 2, verbose: bool = False, json_output: bool = False,
               required_scopes: list[str] | None = None, warn_days: int = 30, rotated_store=None) -> int:
    """Run the checks for already-loaded inputs and print the result; returns the exit code.

    `rotated_store`: the dotenv file a new refresh token goes to (default: the one it came from).
    """
    from checks.diagnose import DEFAULT_SCOPES, run_checks
    from checks.inputs import REFRESH_TOKEN
    from checks.linkedin import LinkedInClient
    from checks.render import render_json, render_text, use_colour
    from checks.secrets import Redactor

    redactor = Redactor()
    client = LinkedInClient(inputs.endpoints, timeout=timeout, retries=retries, log=make_logger(verbose, redactor))

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
        required_scopes=tuple(required_scopes) if required_scopes else DEFAULT_SCOPES,
        warn_days=warn_days,
        redactor=redactor,
        on_rotated=store_rotated,
        # Seconds to wait before re-trying a freshly issued token LinkedIn refused (it happens).
        fresh_token_grace=float(os.environ.get("LINKEDIN_FRESH_TOKEN_GRACE", "5")),
    )
    if json_output:
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
