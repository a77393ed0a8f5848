"""Serve the portal model on 127.0.0.1 with LinkedIn's own URL paths.

Two sites, as on LinkedIn: the developer landing page (developer.linkedin.com) and the portal
(www.linkedin.com/developers/..., plus the OAuth consent screen). Each is a small HTTP server;
pages are fragments in portal/pages wrapped in one layout, so the header and tabs exist once.
"""

from __future__ import annotations

import html
import mimetypes
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

from checks.screens.example import fill

PORTAL_DIR = Path(__file__).parent / "portal"

WWW_ROUTES = [
    (r"/developers/apps/new", "new-app"),
    (r"/developers/apps/[^/]+/settings", "app-settings"),
    (r"/developers/apps/[^/]+/auth", "app-auth"),
    (r"/developers/apps/[^/]+/products", "app-products"),
    (r"/developers/tools/oauth", "oauth-tools"),
    (r"/developers/tools/oauth/token-generator", "token-generator"),
    (r"/developers/tools/oauth/redirect", "token-result"),
    (r"/oauth/v2/authorization", "consent"),
    # Not LinkedIn's: a web-mail inbox showing the approval e-mail (model only).
    (r"/_model/inbox", "inbox"),
]
DEVELOPER_ROUTES = [(r"/", "developer-home")]

TOPBAR = """<header class="topbar"><span class="brand">DEVELOPERS</span>
<nav aria-label="Main"><a href="#products">Products</a><a href="#docs">Docs and tools</a><a href="#resources">Resources</a><a href="/developers/apps">My apps</a></nav></header>"""

def app_header(root: Path, active: str, app_id: str) -> str:
    """The app's name, Client ID and tabs (pages/_app-header.html), with `active` selected."""
    header = fill((root / "pages" / "_app-header.html").read_text(encoding="utf-8"), html.escape).replace("{app_id}", app_id)
    return re.sub(
        r'data-tab="(\w+)"',
        lambda m: f'{m.group(0)} aria-selected="{str(m.group(1) == active).lower()}"',
        header,
    )


def render_page(root: Path, name: str, path: str, other_site: str) -> str:
    # Every name, ID, date and epoch comes from the one set of example values (example.yaml).
    fragment = fill((root / "pages" / f"{name}.html").read_text(encoding="utf-8"), html.escape)
    title_match = re.match(r"<!--\s*title:\s*(.*?)\s*-->", fragment)
    title = title_match.group(1) if title_match else "LinkedIn Developers"
    app_id = (re.match(r"/developers/apps/([^/]+)/", path) or [None, "0"])[1]
    fragment = fragment.replace("<!--topbar-->", TOPBAR)
    fragment = re.sub(r"<!--app-header:(\w+)-->", lambda m: app_header(root, m.group(1), html.escape(str(app_id))), fragment)
    fragment = fragment.replace("{www}", other_site)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
        '<link rel="stylesheet" href="/_portal/portal.css"></head><body>'
        f'{fragment}<script src="/_portal/portal.js"></script></body></html>'
    )


def _handler(root: Path, routes: list[tuple[str, str]], links: dict):
    compiled = [(re.compile(pattern + r"/?"), name) for pattern, name in routes]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = self.path.split("?")[0].split("#")[0]
            if path.startswith("/_portal/"):
                asset = (root / "assets" / path[len("/_portal/"):]).resolve()
                if asset.is_file() and (root / "assets").resolve() in asset.parents:
                    ctype = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
                    return self._send(200, asset.read_bytes(), ctype)
            elif path == "/favicon.ico":
                return self._send(204, b"", "image/x-icon")
            else:
                for pattern, name in compiled:
                    if pattern.fullmatch(path):
                        page = render_page(root, name, path, links.get("other", ""))
                        return self._send(200, page.encode(), "text/html; charset=utf-8")
            self._send(404, b"<!doctype html><title>Page not found</title><h1>Page not found</h1>", "text/html")

    return Handler


class ModelSites:
    """The two model sites; `www` and `developer` are their base URLs."""

    def __init__(self, www: str, developer: str):
        self.www = www
        self.developer = developer


@contextmanager
def serve_model(root: Path | None = None) -> Iterator[ModelSites]:
    root = Path(root or PORTAL_DIR)
    links_www: dict = {}
    links_dev: dict = {}
    servers = [
        ThreadingHTTPServer(("127.0.0.1", 0), _handler(root, WWW_ROUTES, links_www)),
        ThreadingHTTPServer(("127.0.0.1", 0), _handler(root, DEVELOPER_ROUTES, links_dev)),
    ]
    urls = [f"http://127.0.0.1:{s.server_address[1]}" for s in servers]
    links_dev["other"] = urls[0]
    links_www["other"] = urls[1]
    threads = []
    for server in servers:
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        threads.append(thread)
    try:
        yield ModelSites(www=urls[0], developer=urls[1])
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
