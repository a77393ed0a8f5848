"""python -m checks.verify: prove that a LinkedIn Ads Client ID, Primary Client Secret and
Refresh Token work, and say exactly what to fix when they don't."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import NoReturn

from checks import cli
from checks.cli import (
    SafeArgumentParser,
    add_common_options,
    credentials_parser,
    env_default,
    make_logger,
    non_negative_float,
    non_negative_int,
    run_command,
)

PROG = "python -m checks.verify"

DESCRIPTION = """\
Check LinkedIn Ads API credentials, in order:
  1. inputs       all three values present and shaped like LinkedIn's (offline)
  2. api-version  when LinkedIn retires the pinned LinkedIn-Version (offline; warns within --warn-days)
  3. refresh      exchange the refresh token for an access token; report both expiries
  4. scopes       the token carries r_ads and r_ads_reporting (token introspection)
  5. ads-api      the Advertising API answers and lists the ad accounts (URN, role) reachable
  6. reporting    per ad account: name, status, currency, and one minimal reporting call
Each failure names its cause, the fix (a command to run or a portal step), and its
Troubleshooting section.

Calls per run, per credential set: 4 + one per ad account probed (at most --max-accounts):
refresh, introspection, account list, one batch of account details, one reporting call per
account. Connection errors, short 429s and 5xx are retried (--retries); a daily-limit 429
("APPLICATION DAY") never is: it resets at 00:00 UTC.
"""

EXAMPLES = """\
examples:
  python -m checks.verify                          # reads ./.env or the environment
  python -m checks.verify --env-file secrets/linkedin.env
  python -m checks.verify --env-file clients/       # every clients/*.env, checked concurrently
  python -m checks.verify --json | jq .ad_accounts # for CI and cron
  python -m checks.verify --warn-days 45           # exit 4 when < 45 days are left
  python -m checks.verify --from-config airbyte-source.json   # what the pipeline tool really holds
  python -m checks.verify --write-config singer=tap-config.json  # a ready config from verified values
"""


def build_parser() -> SafeArgumentParser:
    parser = credentials_parser(PROG, DESCRIPTION, EXAMPLES)
    add_common_options(parser, env_file_action="append",
                       env_file_help="dotenv file with the credentials, or a directory of *.env files; repeat to "
                       "check several sets at once (default: .env in the current directory, if present)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON document on stdout instead of the checklist (several sets: a list)")
    parser.add_argument("--require-scope", action="append", metavar="SCOPE",
                        help="a scope the token must have; repeat for several (default: r_ads and r_ads_reporting)")
    parser.add_argument("--warn-days", type=non_negative_int, default=30, metavar="DAYS",
                        help="warn (exit 4) when the refresh token or the LinkedIn-Version expires within DAYS days "
                        "(default: %(default)s)")
    parser.add_argument("--max-accounts", type=non_negative_int, default=10, metavar="N",
                        help="ad accounts to probe for reporting, one call each; 0 skips the probe (default: %(default)s)")
    parser.add_argument("--fresh-token-grace", type=non_negative_float, metavar="SECONDS",
                        help="LinkedIn sometimes refuses a token it has just issued: wait SECONDS, then try it once "
                        f"more (default: {FRESH_TOKEN_GRACE:g}, or env LINKEDIN_FRESH_TOKEN_GRACE)")
    parser.add_argument("--from-config", action="append", metavar="FILE",
                        help="check the credentials in a pipeline tool's own config: an Airbyte source config, a "
                        "Singer/Meltano config.json or a dotenv file, recognised from its content; the ad accounts it "
                        "names are checked too; repeat for several; the file is never rewritten")
    parser.add_argument("--write-config", action="append", metavar="TOOL=PATH", type=_write_target,
                        help="after a passing run, write a ready config for TOOL (airbyte, singer or dotenv) to PATH, "
                        "mode 0600, merged into an existing file: the values checked and the ad accounts that passed")
    parser.add_argument("--github", action="store_true",
                        help="GitHub Actions output: job summary, an ::error or ::warning per problem, step outputs "
                        "exit-code, refresh-token-days-left and report (on by default when GITHUB_ACTIONS=true)")
    parser.add_argument("--report", metavar="PATH",
                        help="also write the --json document to PATH (with --github: default "
                        "$RUNNER_TEMP/linkedin-verify-report.json)")
    return parser


def _write_target(text: str):
    from checks.credentials.tool_configs import parse_write_target

    return parse_write_target(text)


FRESH_TOKEN_GRACE = 5.0


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None, guard=None) -> int:
    """The command: errors become one line and an exit code (checks.errors.ExitCode)."""
    return run_command(build_parser, _verify, argv, prog=PROG, env=env, guard=guard)


def main_entry() -> NoReturn:
    """`python -m checks.verify` and the `linkedin-verify` console script."""
    cli.main_entry(main, prog=PROG)


def _verify(args, ctx: cli.Context) -> int:
    env = ctx.env
    fresh_token_grace = args.fresh_token_grace
    if fresh_token_grace is None:  # resolved after parsing: --help never reads the environment
        fresh_token_grace = env_default("LINKEDIN_FRESH_TOKEN_GRACE", FRESH_TOKEN_GRACE, non_negative_float, env)

    from checks.credentials import github, tool_configs
    from checks.credentials.inputs import load_inputs
    from checks.credentials.render import print_many, print_report, render_json, render_many_json
    from checks.credentials.secrets import SHARED
    from checks.credentials.service import (
        VerifyOptions,
        expand_env_files,
        load_credential_sets,
        verify_credentials,
        verify_many,
        worst_exit_code,
    )

    files = expand_env_files(args.env_file or [])
    configs = tool_configs.load_for_run(args.from_config or [], args.write_config or [], env_files=len(files),
                                        max_accounts=args.max_accounts, environ=env)
    if configs and not args.json:
        print("\n".join(tool_configs.describe(inputs) for _, inputs in configs), flush=True)
    options = VerifyOptions(
        timeout=args.timeout,
        retries=args.retries,
        required_scopes=tuple(args.require_scope) if args.require_scope else VerifyOptions.required_scopes,
        warn_days=args.warn_days,
        fresh_token_grace=fresh_token_grace,
        max_accounts=args.max_accounts,
        clock=ctx.clock,
    )
    redactor = SHARED  # the one redactor: the error line of run_command masks what it knows too
    log = make_logger(args.verbose, redactor)
    on_github = github.enabled(args.github, env)
    commands = sys.stderr if args.json else sys.stdout  # workflow commands never mix into the JSON
    if len(files) + len(configs) > 1:
        sets = load_credential_sets(files, environ=env) + configs
        _warn(*(w for _, inputs in sets for w in inputs.warnings))
        if on_github:
            github.announce_masks([inputs for _, inputs in sets], commands)
        results = verify_many(sets, options, redactor=redactor, log=log, guard=ctx.guard)
        print_many(results, redactor, json_output=args.json)
        code = worst_exit_code(r.report.exit_code for r in results)
        if on_github or args.report:
            github.publish([github.SetOutcome(r.label, r.inputs, r.report) for r in results], code,
                           render_many_json(results, redactor), redactor, report=args.report, github=on_github, stream=commands,
                           environ=env)
        return code

    inputs = configs[0][1] if configs else load_inputs(files[0] if files else None, environ=env,
                                                       prompt=None if not args.json else False)
    _warn(*inputs.warnings)
    if on_github:
        github.announce_masks([inputs], commands)
    report = verify_credentials(inputs, options, redactor=redactor, log=log, guard=ctx.guard)
    print_report(report, inputs.endpoints, redactor, json_output=args.json)
    for line in tool_configs.write_configs(args.write_config or [], inputs, report):  # under --json stdout is the document
        print(redactor.redact(line), file=sys.stderr if args.json else sys.stdout, flush=True)
    paste = tool_configs.paste_lines(inputs, report)
    if paste and not args.json:
        print("\n" + redactor.redact("\n".join(paste)), flush=True)
    if on_github or args.report:
        github.publish([github.SetOutcome(None, inputs, report)], report.exit_code,
                       render_json(report, inputs.endpoints, redactor), redactor, report=args.report, github=on_github,
                       stream=commands, environ=env)
    return report.exit_code


def _warn(*lines: str) -> None:
    """Endpoint and file-ownership warnings: on stderr before anything is sent, also under --json."""
    for line in dict.fromkeys(lines):
        print(line, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main_entry()
