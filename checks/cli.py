"""What `checks.verify` and `checks.authorize` share on the command line. Imports stay light so
`--help` is instant; the HTTP stack is imported only when a check runs."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, NoReturn, Sequence, TypeVar

from checks.clock import Clock, system_clock
from checks.errors import ExitCode, UsageError
from checks.interrupts import InterruptGuard

CREDENTIAL_EXIT_CODES = tuple(ExitCode)

def exit_codes_help(codes) -> str:
    """The `exit codes:` block of an epilog, from checks.errors.ExitCode (one source for help and docs)."""
    return "\n".join(["exit codes:", *(f"  {int(code):<3} {code.meaning}" for code in codes)]) + "\n"


ENVIRONMENT_HELP = """\
environment (also read from the dotenv file; the environment wins; the two URLs come from a
dotenv file only when it also holds the secrets, and http:// only to 127.0.0.1, ::1, localhost):
  LINKEDIN_CLIENT_ID        the app's Client ID (Auth tab)
  LINKEDIN_CLIENT_SECRET    the app's Primary Client Secret (Auth tab)
  LINKEDIN_REFRESH_TOKEN    the refresh token (Steps 4-5 of the guide)
  LINKEDIN_OAUTH_URL        default https://www.linkedin.com/oauth/v2 (proxies, tests)
  LINKEDIN_API_URL          default https://api.linkedin.com/rest
  LINKEDIN_API_VERSION      LinkedIn-Version header, YYYYMM or YYYYMM.NN (default {version})
  NO_COLOR                  set to turn colour off
{settings}Secrets are never accepted as command-line arguments: they would end up in shell history.

Every problem reported links to its fix: {docs}troubleshooting/
"""


class ParseError(UsageError):
    """argparse refused the command line; `usage` is the refusing parser's usage line. Then a typed
    `--json` asks for a JSON error document: the one case where argv, not the parsed options,
    decides the output format (run_command)."""

    def __init__(self, message: str, usage: str):
        super().__init__(message)
        self.usage = usage


class SafeArgumentParser(argparse.ArgumentParser):
    """argparse echoes unrecognised arguments; if someone passes a secret as one, mask it.

    Only what the user typed is masked (a long argument, or the value after `--name=`): argparse's
    own words ("unrecognized arguments", "invalid positive_float value") stay readable. Options are
    never abbreviated (`--js` is not `--json`). A parse error is raised as ParseError for
    run_command to report, not printed here.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # type: ignore[override]
        raise ParseError(message, self.format_usage())


# Client IDs are 14 characters; anything the user typed that is this long may be a credential.
SECRET_MIN_LENGTH = 8


def mask_typed_secrets(message: str, typed: list[str]) -> str:
    from checks.credentials.secrets import mask

    for token in typed:
        candidate = token.split("=", 1)[1] if token.startswith("-") and "=" in token else token
        if candidate.startswith("-") or len(candidate) < SECRET_MIN_LENGTH or _looks_like_path(candidate):
            continue
        message = message.replace(candidate, mask(candidate))
    return message


def _looks_like_path(text: str) -> bool:
    """A file name the user typed (--env-file, --out): shown as is, so the error names the file.

    Secrets may contain `/` too, but never end in a file extension of ours nor sit in a folder
    that exists.
    """
    if text.endswith((".env", ".json", ".yaml", ".yml", ".html", ".png")):
        return True
    return "/" in text and Path(text).parent.is_dir()


def print_json_error(message: str, code: ExitCode) -> None:
    """The JSON document for a run that could not check anything (`ok` false, `error` says why)."""
    document = {"schema": 1, "ok": False, "exit_code": int(code), "error": message, "checks": []}
    try:
        print(json.dumps(document, indent=2, ensure_ascii=False), flush=True)
    except BrokenPipeError:
        _silence_stdout()


def credentials_parser(prog: str, description: str, examples: str) -> SafeArgumentParser:
    """The parser both credential commands start from: same layout, exit codes and environment help."""
    from checks import DOCS_URL, __version__
    from checks.credentials.inputs import DEFAULT_API_VERSION

    parser = SafeArgumentParser(
        prog=prog,
        description=description,
        epilog="\n".join([examples, exit_codes_help(CREDENTIAL_EXIT_CODES), ENVIRONMENT_HELP.format(version=DEFAULT_API_VERSION, docs=DOCS_URL, settings=PROCESS_SETTINGS)]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number of seconds")
    return value


def positive_float(text: str) -> float:
    value = _finite(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def non_negative_float(text: str) -> float:
    value = _finite(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def port_number(text: str) -> int:
    """A TCP port to listen on: 1-65535 (0 would pick a random port nobody registered on the app)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port: use 1-65535, e.g. 8765")
    return value


T = TypeVar("T")


def env_default(name: str, fallback: T, parse: Callable[[str], T], env: Mapping[str, str]) -> T:
    """An option's value from the environment variable `name`, else `fallback`. Called after
    parsing (never while the parser is built: `--help` must not read or fail on the environment).

    A malformed value is a usage error naming the variable, not a traceback.
    """
    raw = env.get(name, "").strip()
    if not raw:
        return fallback
    try:
        return parse(raw)
    except (ValueError, argparse.ArgumentTypeError) as exc:
        raise UsageError(f"{name}={raw!r}: {exc}") from None


@dataclass(frozen=True)
class Context:
    """What a command's body gets besides its options: the process-wide things, made explicit.

    env    the environment the command reads (os.environ, or a mapping in tests)
    clock  what "now" is (checks/clock.py)
    guard  the interrupt guard main_entry owns; the writer runs its saves inside it
    """

    env: Mapping[str, str]
    clock: Clock
    guard: InterruptGuard


Body = Callable[[argparse.Namespace, Context], int]

# The process-wide settings a run makes, each listed in the commands' environment help.
PROCESS_SETTINGS = """  LINKEDIN_CHECKS_DOCS_URL  environment only: base of the Docs: and Guide: links (default: the
                            published guide; e.g. a mirror or a local `make serve`)
python-dotenv's own warnings are silenced: this tool reports a malformed line itself.
"""


def configure(env: Mapping[str, str]) -> None:
    """CLI setup, after parsing (`--help` reads nothing): the process-wide settings of a run."""
    import logging

    import checks

    # A malformed dotenv line is reported once, by this tool (checks/credentials/inputs.py).
    logging.getLogger("dotenv.main").setLevel(logging.ERROR)
    checks.use_docs_url(env.get("LINKEDIN_CHECKS_DOCS_URL"))


def run_command(build_parser: Callable[[], argparse.ArgumentParser], body: Body, argv: Sequence[str] | None = None,
                *, prog: str, env: Mapping[str, str] | None = None, guard: InterruptGuard | None = None,
                clock: Clock = system_clock) -> int:
    """Parse `argv`, run `body(args, env)`, and keep the one command contract:

    - every project error becomes one `prog: error: ...` line on stderr and its exit code
      (checks.errors); a usage error from parsing is preceded by the usage line;
    - with `--json` (read from the parsed options; from argv only when parsing itself failed), a
      run that ends in an error also prints a JSON error document on stdout;
    - Ctrl-C exits 130; a closed stdout (`| head`, `| true`) ends quietly;
    - any other exception is a bug: its traceback (secrets masked) goes to stderr, exit 70.

    `env` is the environment the command reads (default: os.environ); tests pass a mapping.
    `guard` is main_entry's interrupt guard (a fresh one in-process).
    """
    from checks.errors import ChecksError

    env = os.environ if env is None else env
    typed = list(sys.argv[1:] if argv is None else argv)
    json_mode = False
    _interrupted_said.clear()  # one "interrupted" line per run (the watchdog may race the main thread)
    try:
        try:
            args = build_parser().parse_args(typed)
        except SystemExit as done:  # --help, --version
            _flush_quietly()
            return int(done.code or 0) if isinstance(done.code, int) or done.code is None else int(ExitCode.USAGE)
        json_mode = bool(getattr(args, "json", False))
        configure(env)
        return int(body(args, Context(env, clock, guard or InterruptGuard())))
    except ParseError as exc:
        json_mode = "--json" in typed and _knows_json(build_parser())
        sys.stderr.write(exc.usage)
        return _report_error(prog, mask_typed_secrets(str(exc), typed), exc.exit_code, json_mode)
    except ChecksError as exc:
        return _report_error(prog, mask_typed_secrets(str(exc), typed), exc.exit_code, json_mode)
    except KeyboardInterrupt:
        _say_interrupted(prog)
        if json_mode:
            print_json_error("interrupted (Ctrl-C); nothing partial was saved", ExitCode.INTERRUPTED)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        return int(ExitCode.OK)
    except Exception as exc:  # noqa: BLE001 - a bug: say so loudly, keep the traceback
        return _report_bug(prog, exc, typed, env, json_mode)


def _knows_json(parser: argparse.ArgumentParser) -> bool:
    """Whether `--json` is an option of this parser or of one of its subcommands."""
    if "--json" in parser._option_string_actions:
        return True
    return any(_knows_json(sub) for action in parser._actions if isinstance(action, argparse._SubParsersAction)
               for sub in action.choices.values())


def _report_error(prog: str, message: str, code: ExitCode, json_mode: bool) -> int:
    from checks.credentials.secrets import SHARED  # the one redactor; escapes what files and LinkedIn said

    message = SHARED.redact(message)
    with contextlib.suppress(OSError, ValueError):
        print(f"{prog}: error: {SHARED.clean(message)}", file=sys.stderr, flush=True)
    if json_mode:
        print_json_error(message, code)
    return int(code)


# Values a traceback must never show, whatever the bug: the configured secrets.
SECRET_VARIABLES = ("LINKEDIN_CLIENT_SECRET", "LINKEDIN_REFRESH_TOKEN")


def _report_bug(prog: str, exc: BaseException, typed: list[str], env: Mapping[str, str], json_mode: bool) -> int:
    import traceback

    from checks.credentials.secrets import SHARED

    redactor = SHARED  # knows every secret the run has seen (codes and issued tokens too)
    redactor.add(*(env.get(name) for name in SECRET_VARIABLES))
    text = mask_typed_secrets(redactor.redact("".join(traceback.format_exception(exc))), typed)
    first = mask_typed_secrets(redactor.redact((str(exc).splitlines() or [""])[0][:160]), typed)
    message = f"a bug in {prog} ({type(exc).__name__}: {first}); the traceback is above: please report it"
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(text)
    return _report_error(prog, message, ExitCode.BUG, json_mode)


def say(text: str = "") -> None:
    """A progress line for the person at the terminal: stderr, so stdout stays the command's result.
    Through the one redactor: no secret or code shows, and control characters are escaped."""
    from checks.credentials.secrets import SHARED

    print(SHARED.clean(text), file=sys.stderr, flush=True)


def _silence_stdout() -> None:
    # The reader went away; point stdout at /dev/null so the interpreter's final flush is quiet.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


_interrupted_said = threading.Event()


def _say_interrupted(prog: str) -> None:
    if not _interrupted_said.is_set():
        _interrupted_said.set()
        with contextlib.suppress(OSError, ValueError):
            print(f"{prog}: interrupted; nothing was saved after the interruption", file=sys.stderr, flush=True)


# After Ctrl-C, the main thread unwinds (restoring the terminal at a hidden prompt); if it is held
# up (joining threads that wait on a hanging API), the process ends anyway after this long.
INTERRUPT_GRACE = 0.25


def main_entry(main: Callable[..., int], *, prog: str) -> NoReturn:
    """The process's entry point (`python -m` and the console scripts): run `main(guard=...)`, and
    make Ctrl-C end the process within a second.

    This owns the process's InterruptGuard (checks/interrupts.py) and hands it to the command,
    which passes it to the writer. The first Ctrl-C raises KeyboardInterrupt as usual, unless a
    save is in progress (it finishes first), and arms a watchdog: if the command has not ended
    INTERRUPT_GRACE seconds later, it waits for the save in progress (so nothing is left
    half-written) and exits 130. Worker threads waiting on the network are not joined.
    """
    from checks.interrupts import InterruptGuard

    guard = InterruptGuard()
    armed = threading.Event()

    def on_sigint(signum, frame):
        if not armed.is_set():
            armed.set()
            threading.Thread(target=_watchdog, args=(prog, guard), daemon=True).start()
        if guard.defer():
            return  # a token is being saved: it finishes first, then the interrupt is raised
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, on_sigint)
    code = main(guard=guard)
    _flush_quietly()
    if code == ExitCode.INTERRUPTED:
        os._exit(code)  # skip joining worker threads still blocked on a socket
    sys.exit(code)


def _watchdog(prog: str, guard) -> None:
    import time

    time.sleep(INTERRUPT_GRACE)
    guard.lock.acquire(timeout=2)  # a save in progress finishes first (milliseconds, normally)
    _say_interrupted(prog)
    _flush_quietly()
    os._exit(int(ExitCode.INTERRUPTED))


def _flush_quietly() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            _silence_stdout()


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
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
