"""python -m checks.authorize: get a LinkedIn refresh token through a local OAuth flow and save
it into a dotenv file, then verify it. No copy-paste of tokens."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import NoReturn

from checks import cli
from checks.cli import (
    SafeArgumentParser,
    add_common_options,
    credentials_parser,
    make_logger,
    non_negative_int,
    port_number,
    positive_float,
    run_command,
    say,
)

PROG = "python -m checks.authorize"

DESCRIPTION = """\
Run LinkedIn's OAuth 2.0 flow on this machine and save the refresh token:
  1. reads LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET (environment, dotenv file, or a hidden prompt)
  2. opens LinkedIn's consent screen for r_ads and r_ads_reporting; you click Allow
  3. catches LinkedIn's answer on http://127.0.0.1:PORT/callback and exchanges the code
  4. saves LINKEDIN_REFRESH_TOKEN into the dotenv file (atomic; other lines and symlinks kept,
     the file made 0600; a previous token backed up in ~/.config/linkedin-ads-token-checks/backups/),
     and never prints it.
     The file is checked before the browser opens; if it cannot be written after all, the token
     goes to a 0600 file in ~/.config/linkedin-ads-token-checks/ and the command says where
  5. runs the checks of `python -m checks.verify`; exit codes are its

Once per app, add http://127.0.0.1:8765/callback (or your --port) to "Authorized redirect URLs
for your app" on the app's Auth tab. The Advertising API must be approved (guide Step 3).
"""

EXAMPLES = """\
examples:
  python -m checks.authorize                      # opens the browser, saves into ./.env
  python -m checks.authorize --no-browser         # prints the URL; paste back where it lands
  python -m checks.authorize --env-file secrets/linkedin.env --port 8766
  python -m checks.authorize --wait 600            # more time to sign in and click Allow
"""


def build_parser() -> SafeArgumentParser:
    from checks.credentials.oauth import DEFAULT_PORT

    parser = credentials_parser(PROG, DESCRIPTION, EXAMPLES)
    add_common_options(parser,
                       env_file_help="dotenv file to read the client credentials from and save the token into (default: .env)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, metavar="PORT",
                        help="local port for the redirect, 1-65535 (default: %(default)s)")
    parser.add_argument("--no-browser", action="store_true",
                        help="print the authorization URL instead of opening a browser, and accept a pasted redirect URL")
    parser.add_argument("--wait", type=positive_float, default=300.0, metavar="SECONDS",
                        help="give up waiting for your consent (LinkedIn's answer) after SECONDS (default: 300)")
    parser.add_argument("--scope", action="append", metavar="SCOPE",
                        help="scope to request; repeat for several (default: r_ads and r_ads_reporting)")
    parser.add_argument("--warn-days", type=non_negative_int, default=30, metavar="DAYS",
                        help="for the final check: warn when the refresh token expires within DAYS (default: %(default)s)")
    parser.add_argument("--json", action="store_true",
                        help="print the final check as one JSON document on stdout (the URL and progress go to stderr)")
    return parser


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None, guard=None) -> int:
    """The command: errors become one line and an exit code (checks.errors.ExitCode)."""
    return run_command(build_parser, _authorize, argv, prog=PROG, env=env, guard=guard)


def main_entry() -> NoReturn:
    """`python -m checks.authorize` and the `linkedin-authorize` console script."""
    cli.main_entry(main, prog=PROG)


def _authorize(args, ctx: cli.Context) -> int:
    env = ctx.env
    from pathlib import Path

    from checks.credentials.inputs import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, Source, Value, load_inputs
    from checks.credentials.store import check_destination
    from checks.errors import CredentialsError, TransientError

    env_path = Path(args.env_file or ".env")
    # Before anything irreversible: the token must have somewhere to go (exit 2 otherwise).
    check_destination(env_path)
    inputs = load_inputs(env_path if env_path.exists() else None, environ=env, names=(CLIENT_ID, CLIENT_SECRET),
                         discover=False, prompt=False if args.json else None)
    for warning in inputs.warnings:
        say(warning)
    missing = [n for n in (CLIENT_ID, CLIENT_SECRET) if not inputs.get(n)]
    if missing:
        raise CredentialsError(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set. Put them in {env_path} or the "
            "environment, or run this in a terminal to be asked. They are on your app's Auth tab (guide Step 4).")

    from checks.credentials.diagnose import DEFAULT_SCOPES
    from checks.credentials.shape import check_shape

    client_id = check_shape(CLIENT_ID, inputs.get(CLIENT_ID) or "").cleaned
    secret = check_shape(CLIENT_SECRET, inputs.get(CLIENT_SECRET) or "").cleaned
    from checks.credentials.secrets import SHARED

    SHARED.add(secret, inputs.get(CLIENT_SECRET))
    # Raises FlowError (a CredentialsError, exit 1) when the flow ends without a code.
    code = obtain_code(oauth_url=inputs.endpoints.oauth_url, client_id=client_id, port=args.port,
                       scopes=tuple(args.scope) if args.scope else DEFAULT_SCOPES,
                       no_browser=args.no_browser, wait=args.wait, url_stream=sys.stderr if args.json else sys.stdout)
    SHARED.add(code)

    from checks.credentials import client as linkedin
    from checks.credentials.client import LinkedInClient, LinkedInError, OAuthError
    from checks.credentials.oauth import redirect_uri

    redactor = SHARED
    # The code is single-use: the client never retries this exchange.
    client = LinkedInClient(inputs.endpoints, timeout=args.timeout, retries=args.retries,
                            log=make_logger(args.verbose, redactor))
    try:
        grant = client.exchange_code(client_id, secret, code, redirect_uri(args.port))
    except OAuthError as exc:
        hint = (" Check the Client ID and Primary Client Secret on the app's Auth tab."
                if exc.error in ("invalid_client", "invalid_client_id") or exc.status == 401 else "")
        raise CredentialsError(f"LinkedIn refused the code exchange: {exc.error}: {exc.description}.{hint}") from None
    except linkedin.TransientError as exc:
        raise TransientError(f"Could not reach LinkedIn for the code exchange: {exc}. Try again.") from None
    except LinkedInError as exc:
        raise CredentialsError(f"LinkedIn's answer to the code exchange was not usable: {exc}") from None
    if not grant.refresh_token:
        raise CredentialsError(
            "LinkedIn issued an access token but no refresh token. Only apps with programmatic refresh tokens "
            "get one: the Advertising API product must be approved for this app (guide Step 3, "
            "'Request the Advertising API'). Then run this again.")

    from checks.credentials.secrets import mask
    from checks.credentials.store import save_values

    redactor.add(grant.refresh_token, grant.access_token)
    updates = {REFRESH_TOKEN: grant.refresh_token}
    for name, value in ((CLIENT_ID, client_id), (CLIENT_SECRET, secret)):
        if inputs.values[name].source is Source.PROMPT:
            updates[name] = value  # typed in: keep them with the token
    # Raises SavedElsewhere (exit 1, naming the fallback file) if env_path cannot be written after all.
    notes: list[str] = []
    backup = save_values(env_path, updates, backup_keys=(REFRESH_TOKEN, CLIENT_ID, CLIENT_SECRET), notes=notes,
                         guard=ctx.guard)
    saved = ", ".join(updates)
    mode = env_path.stat().st_mode & 0o777
    say(f"Saved {saved} to {env_path} (mode {mode:04o}; refresh token {mask(grant.refresh_token)})."
        + (f" The previous file is kept as {backup}." if backup else "") + "".join(f" Note: {n}." for n in notes))
    if env.get(REFRESH_TOKEN) and env[REFRESH_TOKEN] != grant.refresh_token:
        say(f"Note: {REFRESH_TOKEN} is also set in your environment, and there it wins over {env_path}: update it.")
    say("")

    from checks.credentials.inputs import Inputs
    from checks.credentials.render import print_report
    from checks.credentials.service import VerifyOptions, verify_credentials

    # Verify exactly what was saved: the values used for the flow and the new token, from the file.
    values = dict(inputs.values)
    for name, value in updates.items():
        values[name] = Value(name, value, Source.FILE, env_path)
    checked = Inputs(values=values, endpoints=inputs.endpoints, env_file=env_path)
    options = VerifyOptions(timeout=args.timeout, retries=args.retries, warn_days=args.warn_days, clock=ctx.clock)
    report = verify_credentials(checked, options, redactor=redactor, log=make_logger(args.verbose, redactor),
                                rotated_store=env_path, guard=ctx.guard)
    print_report(report, checked.endpoints, redactor, json_output=args.json)
    return report.exit_code


def obtain_code(*, oauth_url: str, client_id: str, port: int, scopes: tuple[str, ...], no_browser: bool,
                wait: float, url_stream=None) -> str:
    """Run the browser part of the flow and return the code; FlowError (exit 1) says why there is none.

    The authorization URL goes to `url_stream` (stdout; stderr under --json)."""
    import secrets
    import threading

    from checks.credentials.oauth import CallbackServer, FlowError, authorization_url, redirect_uri
    from checks.credentials.secrets import strip_url_credentials

    url_stream = url_stream or sys.stdout
    state = secrets.token_urlsafe(24)
    server = CallbackServer(port, state, on_ignored=lambda why: say(f"Ignored a callback: {why}. Still waiting."))
    url = authorization_url(oauth_url, client_id, redirect_uri(port), scopes, state)
    with server:
        if no_browser:
            say("Open this URL in a browser where you can sign in to LinkedIn, and click Allow:")
            print(strip_url_credentials(url), file=url_stream, flush=True)
            say(f"If that browser is on another machine, it will fail to open {redirect_uri(port)}: "
                "copy the whole address it ends on and paste it here, then press Enter.")
            threading.Thread(target=_read_pasted, args=(server,), daemon=True).start()
        else:
            import webbrowser

            say("Opening LinkedIn's consent screen in your browser. If it does not open, visit:")
            print(strip_url_credentials(url), file=url_stream, flush=True)
            webbrowser.open(url)
        say(f"Waiting up to {wait:g} s for LinkedIn to send you back to {redirect_uri(port)} …")
        result = server.wait(wait)
    if result.error:
        hint = " Run this again and click Allow." if "cancel" in result.error else ""
        raise FlowError(f"LinkedIn says: {result.error}: {result.description or 'no description'}.{hint}")
    if not result.code:
        raise FlowError("LinkedIn sent you back without a code: run this again")
    return result.code


def _read_pasted(server) -> None:
    for line in sys.stdin:
        line = line.strip()
        if line and server.submit(line) is None:
            return


if __name__ == "__main__":
    main_entry()
