"""python -m checks.authorize: get a LinkedIn refresh token through a local OAuth flow and save
it into a dotenv file, then verify it. No copy-paste of tokens."""

from __future__ import annotations

import os
import sys

from checks.cli import (
    SafeArgumentParser,
    add_common_options,
    credentials_parser,
    non_negative_int,
    positive_float,
)

DESCRIPTION = """\
Run LinkedIn's OAuth 2.0 flow on this machine and save the refresh token:
  1. reads LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET (environment, dotenv file, or a hidden prompt)
  2. opens LinkedIn's consent screen for r_ads and r_ads_reporting; you click Allow
  3. catches LinkedIn's answer on http://127.0.0.1:PORT/callback and exchanges the code
  4. saves LINKEDIN_REFRESH_TOKEN into the dotenv file (atomic, mode 0600, other lines kept,
     a previous token backed up), and never prints it
  5. runs the checks of `python -m checks.verify`; exit codes are its

Once per app, add http://127.0.0.1:8765/callback (or your --port) to "Authorized redirect URLs
for your app" on the app's Auth tab. The Advertising API must be approved (guide Step 3).
"""

EXAMPLES = """\
examples:
  python -m checks.authorize                      # opens the browser, saves into ./.env
  python -m checks.authorize --no-browser         # prints the URL; paste back where it lands
  python -m checks.authorize --env-file secrets/linkedin.env --port 8766
"""


def build_parser() -> SafeArgumentParser:
    from checks.oauth_flow import DEFAULT_PORT

    parser = credentials_parser("python -m checks.authorize", DESCRIPTION, EXAMPLES)
    add_common_options(parser, timeout_flag="--request-timeout",
                       env_file_help="dotenv file to read the client credentials from and save the token into (default: .env)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="local port for the redirect (default: %(default)s)")
    parser.add_argument("--no-browser", action="store_true",
                        help="print the authorization URL instead of opening a browser, and accept a pasted redirect URL")
    parser.add_argument("--timeout", dest="wait", type=positive_float, default=300.0, metavar="SECONDS",
                        help="give up waiting for LinkedIn's answer after SECONDS (default: 300)")
    parser.add_argument("--scope", action="append", metavar="SCOPE",
                        help="scope to request; repeat for several (default: r_ads and r_ads_reporting)")
    parser.add_argument("--warn-days", type=non_negative_int, default=30, metavar="DAYS",
                        help="for the final check: warn when the refresh token expires within DAYS (default: %(default)s)")
    return parser


def say(text: str = "") -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from pathlib import Path

    from checks.inputs import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, UsageError, Value, load_inputs

    env_path = Path(args.env_file or ".env")
    try:
        inputs = load_inputs(env_path if env_path.is_file() else None, names=(CLIENT_ID, CLIENT_SECRET),
                             discover=False)
    except UsageError as exc:
        say(f"python -m checks.authorize: error: {exc}")
        return 2
    missing = [n for n in (CLIENT_ID, CLIENT_SECRET) if not inputs.get(n)]
    if missing:
        say(f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set. Put them in {env_path} or the "
            "environment, or run this in a terminal to be asked. They are on your app's Auth tab (guide Step 4).")
        return 1

    from checks.shape import check_shape

    client_id = check_shape(CLIENT_ID, inputs.get(CLIENT_ID)).cleaned
    secret = check_shape(CLIENT_SECRET, inputs.get(CLIENT_SECRET)).cleaned
    code, error = obtain_code(args, inputs.endpoints.oauth_url, client_id)
    if error:
        say(error)
        return 1

    from checks.linkedin import LinkedInClient, LinkedInError, OAuthError, TransientError
    from checks.oauth_flow import redirect_uri
    from checks.problems import EXIT_TRANSIENT

    client = LinkedInClient(inputs.endpoints, timeout=args.timeout, retries=args.retries)
    try:
        grant = client.exchange_code(client_id, secret, code, redirect_uri(args.port))
    except OAuthError as exc:
        say(f"LinkedIn refused the code exchange: {exc.error}: {exc.description}")
        if exc.error in ("invalid_client", "invalid_client_id") or exc.status == 401:
            say("Check the Client ID and Primary Client Secret on the app's Auth tab.")
        return 1
    except TransientError as exc:
        say(f"Could not reach LinkedIn for the code exchange: {exc}. Try again.")
        return EXIT_TRANSIENT
    except LinkedInError as exc:
        say(f"LinkedIn's answer to the code exchange was not usable: {exc}")
        return 1
    if not grant.refresh_token:
        say("LinkedIn issued an access token but no refresh token. Only apps with programmatic refresh tokens "
            "get one: the Advertising API product must be approved for this app (guide Step 3, "
            "'Request the Advertising API'). Then run this again.")
        return 1

    from checks.dotenv_store import save_values
    from checks.secrets import mask

    updates = {REFRESH_TOKEN: grant.refresh_token}
    for name, value in ((CLIENT_ID, client_id), (CLIENT_SECRET, secret)):
        if inputs.values[name].source == "prompt":
            updates[name] = value  # typed in: keep them with the token
    backup = save_values(env_path, updates, backup_keys=(REFRESH_TOKEN, CLIENT_ID, CLIENT_SECRET))
    saved = ", ".join(updates)
    say(f"Saved {saved} to {env_path} (mode 0600; refresh token {mask(grant.refresh_token)})."
        + (f" The previous file is kept as {backup}." if backup else ""))
    if os.environ.get(REFRESH_TOKEN) and os.environ[REFRESH_TOKEN] != grant.refresh_token:
        say(f"Note: {REFRESH_TOKEN} is also set in your environment, and there it wins over {env_path}: update it.")
    say("")

    from checks.verify import run_verify

    inputs.values[REFRESH_TOKEN] = Value(REFRESH_TOKEN, grant.refresh_token, str(env_path))
    for name in (CLIENT_ID, CLIENT_SECRET):
        inputs.values[name].value = updates.get(name, inputs.values[name].value)
    return run_verify(inputs, timeout=args.timeout, retries=args.retries, verbose=args.verbose,
                      warn_days=args.warn_days, rotated_store=env_path)


def obtain_code(args, oauth_url: str, client_id: str) -> tuple[str | None, str | None]:
    """Run the browser part of the flow; returns (code, None) or (None, message)."""
    import secrets
    import threading

    from checks.diagnose import DEFAULT_SCOPES
    from checks.oauth_flow import CallbackServer, FlowError, authorization_url, redirect_uri

    state = secrets.token_urlsafe(24)
    scopes = tuple(args.scope) if args.scope else DEFAULT_SCOPES
    try:
        server = CallbackServer(args.port, state, on_ignored=lambda why: say(f"Ignored a callback: {why}. Still waiting."))
    except FlowError as exc:
        return None, str(exc)
    url = authorization_url(oauth_url, client_id, redirect_uri(args.port), scopes, state)
    with server:
        if args.no_browser:
            say("Open this URL in a browser where you can sign in to LinkedIn, and click Allow:")
            print(url, flush=True)
            say(f"If that browser is on another machine, it will fail to open {redirect_uri(args.port)}: "
                "copy the whole address it ends on and paste it here, then press Enter.")
            threading.Thread(target=_read_pasted, args=(server,), daemon=True).start()
        else:
            import webbrowser

            say("Opening LinkedIn's consent screen in your browser. If it does not open, visit:")
            print(url, flush=True)
            webbrowser.open(url)
        say(f"Waiting up to {args.wait:g} s for LinkedIn to send you back to {redirect_uri(args.port)} …")
        try:
            result = server.wait(args.wait)
        except FlowError as exc:
            return None, str(exc)
    if result.error:
        hint = " Run this again and click Allow." if "cancel" in result.error else ""
        return None, f"LinkedIn says: {result.error}: {result.description or 'no description'}.{hint}"
    return result.code, None


def _read_pasted(server) -> None:
    for line in sys.stdin:
        line = line.strip()
        if line and server.submit(line) is None:
            return


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
