"""What `checks.verify` and `checks.authorize` share on the command line. Imports stay light so
`--help` is instant; the HTTP stack is imported only when a check runs."""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Callable, TypeVar

from checks.errors import ExitCode

CREDENTIAL_EXIT_CODES = tuple(ExitCode)

def exit_codes_help(codes) -> str:
    """The `exit codes:` block of an epilog, from checks.errors.ExitCode (one source for help and docs)."""
    return "\n".join(["exit codes:", *(f"  {int(code):<3} {code.meaning}" for code in codes)]) + "\n"


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
        from checks.credentials.secrets import mask

        message = re.sub(r"[A-Za-z0-9._~+/=-]{12,}", lambda m: mask(m.group(0)), message)
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message}\n")


def credentials_parser(prog: str, description: str, examples: str) -> SafeArgumentParser:
    """The parser both credential commands start from: same layout, exit codes and environment help."""
    from checks import DOCS_URL
    from checks.credentials.inputs import DEFAULT_API_VERSION

    return SafeArgumentParser(
        prog=prog,
        description=description,
        epilog="\n".join([examples, exit_codes_help(CREDENTIAL_EXIT_CODES), ENVIRONMENT_HELP.format(version=DEFAULT_API_VERSION, docs=DOCS_URL)]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def non_negative_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


T = TypeVar("T")


def env_default(name: str, fallback: T, parse: Callable[[str], T]) -> T:
    """An option's default from the environment variable `name`, else `fallback`.

    A malformed value is a usage error naming the variable, not a traceback.
    """
    from checks.errors import UsageError

    raw = os.environ.get(name, "").strip()
    if not raw:
        return fallback
    try:
        return parse(raw)
    except (ValueError, argparse.ArgumentTypeError) as exc:
        raise UsageError(f"{name}={raw!r}: {exc}") from None


def run_command(command: Callable[[list[str] | None], int], argv: list[str] | None = None, *, prog: str) -> int:
    """Run a command's body; every project error becomes one line on stderr and its exit code.

    Ctrl-C exits 130; a closed stdout (`| head`) ends quietly. Any other exception is a bug in
    this project and keeps its traceback.
    """
    from checks.errors import ChecksError, ExitCode

    try:
        return int(command(argv))
    except ChecksError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr, flush=True)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr, flush=True)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # The reader went away; point stdout at /dev/null so the interpreter's final flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return int(ExitCode.OK)


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def add_common_options(parser: argparse.ArgumentParser, *, timeout_flag: str = "--timeout",
                       env_file_help: str = "dotenv file with the credentials (default: .env in the current directory, if present)",
                       env_file_action: str = "store") -> None:
    parser.add_argument("--env-file", metavar="PATH", action=env_file_action, help=env_file_help)
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
        # One write per line: concurrent requests (and credential sets) log from several threads.
        sys.stderr.write(redactor.redact(f"  > {line}") + "\n")
        sys.stderr.flush()

    return log
