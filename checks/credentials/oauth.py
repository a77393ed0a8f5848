"""The OAuth 2.0 authorization-code flow on the user's machine, as `gcloud auth login` does it.

A tiny HTTP server on 127.0.0.1 waits for LinkedIn to send the browser back to
http://127.0.0.1:{port}/callback. It answers 404 to any other path (browsers ask for
/favicon.ico), ignores callbacks whose `state` does not match (they are not ours), and reports
LinkedIn's `error` (a user who clicks Cancel). A URL pasted by the user (browser on another
machine) goes through the same checks.
"""

from __future__ import annotations

import hmac
import html
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from checks.errors import CredentialsError

DEFAULT_PORT = 8765
CALLBACK_PATH = "/callback"


class FlowError(CredentialsError):
    """The flow ended without a code: cancelled, timed out, or the port is taken."""


class StateMismatch(FlowError):
    """A callback that is not the answer to this login attempt (ignored, the flow keeps waiting)."""


@dataclass
class Callback:
    code: str | None = None
    error: str | None = None
    description: str | None = None


def redirect_uri(port: int) -> str:
    return f"http://127.0.0.1:{port}{CALLBACK_PATH}"


def authorization_url(oauth_url: str, client_id: str, redirect: str, scopes: tuple[str, ...], state: str) -> str:
    from checks.credentials.secrets import strip_url_credentials

    # The browser never gets credentials meant for a proxy: it would send them on, and show them.
    oauth_url = strip_url_credentials(oauth_url)
    query = urlencode(
        {"response_type": "code", "client_id": client_id, "redirect_uri": redirect, "state": state,
         "scope": " ".join(scopes)},
        quote_via=quote,  # spaces as %20, as LinkedIn's documentation writes the scope list
    )
    return f"{oauth_url}/authorization?{query}"


def parse_callback(url: str, expected_state: str) -> Callback:
    """Read LinkedIn's answer from a callback URL; a wrong or missing state raises StateMismatch."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(url.strip()).query).items()}
    # Constant time: the comparison must not tell a guesser how much of the state was right.
    if not hmac.compare_digest(query.get("state", "").encode(), expected_state.encode()):
        raise StateMismatch("the state in the URL does not match this login attempt")
    if query.get("error"):
        return Callback(error=query["error"], description=query.get("error_description", ""))
    if not query.get("code"):
        raise StateMismatch("the URL carries neither a code nor an error")
    return Callback(code=query["code"])


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1d2226}}
h1{{font-size:1.4rem}}</style></head><body><h1>{title}</h1><p>{text}</p></body></html>"""


class CallbackServer:
    """Waits on 127.0.0.1 for the one callback that carries our state."""

    def __init__(self, port: int, state: str, on_ignored=None):
        self.state = state
        self.on_ignored = on_ignored or (lambda reason: None)
        self._result: Callback | None = None
        self._done = threading.Event()
        try:
            self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        except OSError as exc:
            raise FlowError(f"Port {port} on 127.0.0.1 is in use ({exc.strerror}). Stop what uses it, or pick "
                            f"--port and register http://127.0.0.1:PORT/callback on the app's Auth tab.") from None
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> "CallbackServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _read(self, url: str) -> Callback | None:
        try:
            return parse_callback(url, self.state)
        except StateMismatch as exc:
            self.on_ignored(str(exc))
            return None

    def _accept(self, result: Callback) -> None:
        if not self._done.is_set():
            self._result = result
            self._done.set()

    def submit(self, url: str) -> str | None:
        """Offer a pasted callback URL; returns why it was ignored, if it was."""
        result = self._read(url)
        if result is None:
            return "the URL is not LinkedIn's answer to this login"
        self._accept(result)
        return None

    def wait(self, timeout: float) -> Callback:
        if not self._done.wait(timeout):
            raise FlowError(f"Nothing came back from LinkedIn within {timeout:g} s. If the browser is on another "
                            "machine, run with --no-browser and paste the URL it ends on.")
        assert self._result is not None
        return self._result

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _page(self, status: int, title: str, text: str) -> None:
                body = PAGE.format(title=html.escape(title), text=html.escape(text)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()

            def do_GET(self):
                if urlsplit(self.path).path != CALLBACK_PATH:
                    return self._page(404, "Not found", "This address only receives LinkedIn's answer.")
                result = server._read(f"http://127.0.0.1{self.path}")
                if result is None:
                    return self._page(400, "Not this login", "Ignored: this is not LinkedIn's answer to the "
                                      "login the terminal started. The terminal is still waiting.")
                if result.error:
                    self._page(200, "Authorization not granted",
                               f"LinkedIn says: {result.error}. You can close this tab; the terminal says what to do.")
                else:
                    self._page(200, "Authorized", "LinkedIn sent the authorization back. You can close this tab and "
                                                  "return to the terminal.")
                # Only now wake the waiting command: it may shut this server down and exit at once,
                # and the browser must already have the whole page.
                server._accept(result)

        return Handler
