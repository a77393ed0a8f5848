"""What `checks.verify` and `checks.authorize` share on the command line. Imports stay light so
`--help` is instant; the HTTP stack is imported only when a check runs."""

from __future__ import annotations

import argparse
import re
import sys

from checks.problems import EXIT_USAGE

EXIT_CODES_HELP = """\
exit codes:
  0  all good
  1  a problem a person must fix (the output says which step of the guide to redo)
  2  usage error (bad option, unreadable --env-file, bad LINKEDIN_API_VERSION)
  3  temporary problem: network, timeout, rate limit (429) or LinkedIn error (5xx); try later
  4  works, but the refresh token expires within --warn-days days
"""

ENVIRONMENT_HELP = """\
environment (also read from the dotenv file; the environment wins):
  LINKEDIN_CLIENT_ID        the app's Client ID (Auth tab)
  LINKEDIN_CLIENT_SECRET    the app's Primary Client Secret (Auth tab)
  LINKEDIN_REFRESH_TOKEN    the refresh token (Steps 4-5 of the guide)
  LINKEDIN_OAUTH_URL        default https://www.linkedin.com/oauth/v2 (proxies, tests)
  LINKEDIN_API_URL          default https://api.linkedin.com/rest
  LINKEDIN_API_VERSION      LinkedIn-Version header, YYYYMM (default {version})
  NO_COLOR                  set to turn colour off
Secrets are never accepted as command-line arguments: they would end up in shell history.

Every problem reported links to its fix: {docs}troubleshooting/
"""


class SafeArgumentParser(argparse.ArgumentParser):
    """argparse echoes unrecognised arguments; if someone passes a secret as one, mask it."""

    def error(self, message: str):  # type: ignore[override]
        from checks.secrets import mask

        message = re.sub(r"[A-Za-z0-9._~+/=-]{12,}", lambda m: mask(m.group(0)), message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def credentials_parser(prog: str, description: str, examples: str) -> SafeArgumentParser:
    """The parser both credential commands start from: same layout, exit codes and environment help."""
    from checks import DOCS_URL
    from checks.inputs import DEFAULT_API_VERSION

    return SafeArgumentParser(
        prog=prog,
        description=description,
        epilog="\n".join([examples, EXIT_CODES_HELP, ENVIRONMENT_HELP.format(version=DEFAULT_API_VERSION, docs=DOCS_URL)]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def add_common_options(parser: argparse.ArgumentParser, *, timeout_flag: str = "--timeout",
                       env_file_help: str = "dotenv file with the credentials (default: .env in the current directory, if present)") -> None:
    parser.add_argument("--env-file", metavar="PATH", help=env_file_help)
    parser.add_argument(timeout_flag, dest="timeout", type=positive_float, default=10.0, metavar="SECONDS",
                        help="timeout for each request to LinkedIn (default: %(default)s)")
    parser.add_argument("--retries", type=non_negative_int, default=2, metavar="N",
                        help="retries for connection errors, 429 and 5xx, with backoff (default: %(default)s)")
    parser.add_argument("--verbose", action="store_true",
                        help="print each request (method, URL, status, time) to stderr; never bodies or secrets")


def make_logger(verbose: bool, redactor):
    if not verbose:
        return None

    def log(line: str) -> None:
        print(redactor.redact(f"  > {line}"), file=sys.stderr, flush=True)

    return log
