"""A second portal, written independently of checks/screens/portal from the reference screens.

It looks the same to a reader and differs in markup where a reader would not notice: tabs are
plain links in a list (with a Webhooks tab the model lacks), labels end in a colon, headings are
sometimes `role=heading` divs, nesting differs. It can also behave like the live portal does
towards an automated visitor, one condition at a time (see CONDITIONS), and carry the classic
mutations (a renamed button, a removed tab, a moved link).

    with serve_replica({"script"}) as sites:  # sites.www, sites.developer
        ...
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from tests.support.loopback import serve

PAGES = Path(__file__).parent / "pages"
CONTENT_DELAY_MS = 1500
CLIENT_ID = "86example1234a"
AD_ACCOUNT_ID = "512345678"  # what the guide's example values name (checks/screens/example.yaml)

CONDITIONS = {
    "script": "content is rendered by script 1.5 s after load (a single-page app)",
    "consent": "a cookie-consent dialog covers the page until answered (Accept / Reject)",
    "consent-no-decline": "a cookie-consent dialog that offers only Accept",
    "authwall": "signed-in pages redirect to /authwall (an expired session)",
    "login-redirect": "signed-in pages redirect to /login",
    "checkpoint": "signed-in pages redirect to a security check (/checkpoint/challenge/...)",
    "999": "every answer is HTTP 999 (LinkedIn's reply to suspected bots)",
    "429": "every answer is HTTP 429 (rate limited)",
    "german": "German interface when the lang cookie (or Accept-Language) asks for it",
    "german-only": "German interface whatever the visitor asks for",
    "renamed-button": "Create token is now Generate token",
    "removed-tab": "the Products tab is gone",
    "moved-link": "the OAuth 2.0 tools link moved from the Auth tab to the Settings tab",
}

ROUTES = [
    (r"/developers/apps/new", "new-app", None),
    (r"/developers/apps/[^/]+/settings", "settings", "Settings"),
    (r"/developers/apps/[^/]+/auth", "auth", "Auth"),
    (r"/developers/apps/[^/]+/products", "products", "Products"),
    (r"/developers/apps/[^/]+/webhooks", "products", "Webhooks"),
    (r"/developers/tools/oauth", "oauth-tools", None),
    (r"/developers/tools/oauth/token-generator", "token-generator", None),
    (r"/developers/tools/oauth/redirect", "token-result", None),
    (r"/oauth/v2/authorization", "consent", None),
]
PUBLIC = ("/authwall", "/login", "/checkpoint/", "/_replica/")
TABS = ["Settings", "Auth", "Products", "Webhooks", "Analytics", "Team members"]

GERMAN = {
    "Create app": "App erstellen", "App name": "App-Name", "LinkedIn Page": "LinkedIn-Seite",
    "Settings": "Einstellungen", "Products": "Produkte", "Auth": "Authentifizierung",
    "Verify": "Bestätigen", "Request access token": "Zugriffstoken anfordern", "Request access": "Zugriff anfordern",
    "Available products": "Verfügbare Produkte", "Application credentials": "Anmeldedaten der Anwendung",
    "Primary Client Secret": "Primärer Client-Schlüssel", "Create token": "Token erstellen",
    "Inspect token": "Token prüfen", "Select scopes": "Berechtigungen auswählen", "Allow": "Zulassen",
    "Cancel": "Abbrechen", "OAuth 2.0 tools": "OAuth 2.0-Tools", "Selected app": "Ausgewählte App",
    "Legal agreement": "Rechtliche Vereinbarung", "Upload a logo": "Logo hochladen", "App logo": "App-Logo",
    "I have read and agree to these terms": "Ich habe diese Bedingungen gelesen und stimme zu",
    "Generate a new Client Secret": "Neuen Client-Schlüssel erzeugen", "Refresh token": "Aktualisierungstoken",
}

STYLE = """
body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#1d1d1d;background:#f3f2ef}
header{display:flex;gap:24px;align-items:center;background:#fff;padding:10px 28px;border-bottom:1px solid #ddd}
header a{color:#555;text-decoration:none}.wordmark{font-weight:700;letter-spacing:.12em;color:#0a66c2}
.apphead{background:#fff;padding:18px 28px 0}.apphead .meta{color:#666;font-size:14px}
.tabs ul{list-style:none;display:flex;gap:30px;margin:12px 0 0;padding:0}
.tabs a{display:block;padding:10px 0;color:#666;font-weight:600;text-decoration:none}
.tabs a[aria-current]{color:#0a66c2;border-bottom:3px solid #0a66c2}
.wrap{padding:24px 28px}.grid{display:grid;grid-template-columns:2fr 1fr;gap:20px}
.panel{background:#fff;border-radius:6px;box-shadow:0 0 0 1px #e0e0e0;margin-bottom:16px}
.panel-h{margin:0;padding:16px 20px;border-bottom:1px solid #e0e0e0;font-size:18px}.panel-b{padding:16px 20px}
.pill{display:inline-block;border:1px solid #0a66c2;color:#0a66c2;background:#fff;border-radius:20px;padding:6px 16px;
font-weight:600;text-decoration:none;cursor:pointer}.pill-primary{background:#0a66c2;color:#fff}
.narrow{max-width:760px;margin:0 auto;background:#fff;padding:24px}.row{margin:12px 0}
.row label,.lbl{display:block;font-weight:600}input,select,textarea{width:100%;padding:6px;box-sizing:border-box}
.inline input{width:auto}.muted{color:#666}.overlay{position:fixed;inset:0;background:#0008;display:grid;place-items:center}
.dialog{background:#fff;padding:24px;border-radius:8px;width:520px}.overlay[hidden]{display:none}
.cards{list-style:none;padding:0;display:grid;grid-template-columns:1fr 1fr 1fr;gap:16px}.card2{background:#fff;padding:16px}
.consent{display:grid;place-items:center;min-height:80vh}.consent-box{background:#fff;padding:32px;width:420px}
.cookie-banner{position:fixed;left:0;right:0;bottom:0;background:#fff;padding:16px 28px;box-shadow:0 -2px 8px #0003}
.spinner{padding:60px;text-align:center;color:#666}
"""

SCRIPT = """
document.addEventListener('click', (e) => {
  const open = e.target.closest('[data-open]');
  if (open) document.getElementById(open.dataset.open).hidden = false;
  const close = e.target.closest('[data-close]');
  if (close) document.getElementById(close.dataset.close).hidden = true;
  const consent = e.target.closest('[data-consent]');
  if (consent) {
    document.cookie = 'li_gc=' + consent.dataset.consent + '; path=/';
    consent.closest('.cookie-banner').remove();
    document.getElementById('page').removeAttribute('aria-hidden');
  }
});
document.addEventListener('input', (e) => {
  if (e.target.id !== 'aa-q') return;
  const q = e.target.value.trim();
  const rows = JSON.parse(e.target.dataset.accounts).filter(([id, name]) => q && (id.includes(q) || name.includes(q)));
  document.getElementById('aa-rows').innerHTML = rows.map(([id, name]) =>
    `<tr><td>${name}</td><td>${id}</td><td><button type="button" class="pill">Add</button></td></tr>`).join('');
});
const later = document.getElementById('later');
if (later) setTimeout(() => {
  const root = document.getElementById('app-root');
  root.replaceChildren(later.content.cloneNode(true));
  root.removeAttribute('aria-busy');
}, DELAY);
"""


@dataclass
class ReplicaSites:
    www: str
    developer: str


def _scopes(state: str | None) -> str:
    if state == "no-products":
        return ('<p class="muted" role="status">There aren\'t any scopes available for this app. '
                "Request access to a product on the Products tab first.</p>")
    scopes = [("r_ads_reporting", "Retrieve reporting for your advertising accounts"),
              ("r_liteprofile", "Use your name and photo"),
              ("rw_organization_admin", "Manage your organization's pages and retrieve reporting data"),
              ("r_ads", "Retrieve your advertising accounts"),
              ("rw_ads", "Manage your advertising accounts")]
    items = "".join(f'<li><label class="inline"><input type="checkbox" name="scope"> <strong>{n}</strong>'
                    f'<br><small class="muted">{d}</small></label></li>' for n, d in scopes)
    return (f'<h2 class="subtle">Select scopes:</h2><ul class="scopes" style="list-style:none;padding:0">{items}</ul>'
            '<p><button type="button" class="pill pill-primary">Request access token</button></p>')


# View Ad Accounts, written for the replica: a search field labelled with a colon, results in a
# table that fills in as the visitor types (the model uses a list it filters instead).
AD_ACCOUNTS_DIALOG = f"""
<div id="ad-accounts" class="overlay" hidden><div role="dialog" aria-modal="true" aria-label="Ad Accounts" class="dialog">
<h2>Ad Accounts</h2>
<p class="row"><label for="aa-q">Search by ad account name or ID:</label>
<input id="aa-q" type="search" data-accounts='[["500123456", "Replica Brand Ads"], ["{AD_ACCOUNT_ID}", "Example Company Ads"]]'></p>
<table class="muted" style="width:100%"><tbody id="aa-rows"></tbody></table>
<p class="actions"><button type="button" class="pill pill-primary" data-close="ad-accounts">Done</button></p>
</div></div>"""


def _fill(name: str, state: str | None, conditions: set[str], app_id: str) -> str:
    body = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    if name == "settings" and state == "verified":
        body = re.sub(r"<!--verified:-->.*?<!--:verified-->", "<p><b>Verified:</b> Nov 3, 2026 by a Page admin</p>",
                      body, flags=re.DOTALL)
    if name == "settings" and "moved-link" in conditions:
        body = body.replace("<!--moved-link-->", '<p><a href="/developers/tools/oauth">OAuth 2.0 tools</a></p>')
    if name == "auth" and "moved-link" not in conditions:
        body = body.replace("<!--oauth-link-->", '<p>Use the <a href="/developers/tools/oauth">OAuth 2.0 tools</a> '
                            "to create and inspect tokens.</p>")
    if name == "auth" and "moved-link" in conditions:
        body = body.replace("<!--oauth-link-->", "<p>Use the OAuth 2.0 tools to create and inspect tokens.</p>")
    if name == "products":
        if state == "approved":
            # As the 2025 reference shows it: Share on LinkedIn first, the Advertising API on the
            # Development tier with its "View Ad Accounts" link (written here, not taken from the model).
            body = body.replace("<!--added:-->", '<section class="panel"><div class="panel-b"><h2>Added products</h2>'
                                "<div><h3>Share on LinkedIn</h3><p>Default Tier</p>"
                                '<p><a href="#docs">View docs</a> | <a href="#endpoints">Endpoints</a></p></div>'
                                "<div><h3>Advertising API</h3><p>Development Tier</p>"
                                '<p><a href="#docs">View docs</a> | <a href="#endpoints">Endpoints</a> | '
                                '<a href="#ad-accounts" data-open="ad-accounts">View Ad Accounts</a></p></div></div></section>'
                                + AD_ACCOUNTS_DIALOG)
            body = body.replace("<!--ads-button-->", '<span class="muted">Added</span>')
        else:
            body = body.replace("<!--ads-button-->", '<button type="button" class="pill">Request access</button>')
    if name == "token-generator":
        body = body.replace("<!--scopes-->", _scopes(state))
    if name == "oauth-tools" and "renamed-button" in conditions:
        body = body.replace(">Create token<", ">Generate token<")
    return body.replace("{client_id}", CLIENT_ID).replace("{app_id}", app_id)


def _app_header(active: str, app_id: str, conditions: set[str]) -> str:
    slugs = {"Team members": "team"}
    items = []
    for tab in TABS:
        if tab == "Products" and "removed-tab" in conditions:
            continue
        current = ' aria-current="page"' if tab == active else ""
        href = f"/developers/apps/{app_id}/{slugs.get(tab, tab.lower())}"
        items.append(f'<li><a href="{href}"{current}>{tab}</a></li>')
    return (f'<div class="apphead"><div role="heading" aria-level="1" style="font-size:24px">Example Ads Connector</div>'
            f'<p class="meta"><b>Client ID:</b> {CLIENT_ID} · <b>Created:</b> Nov 2, 2026 · <b>App type:</b> Standalone app</p>'
            f'<nav class="tabs" aria-label="App sections"><ul>{"".join(items)}</ul></nav></div>')


def _german(page: str) -> str:
    for english in sorted(GERMAN, key=len, reverse=True):
        page = re.sub(rf"(?<=[>\s]){re.escape(english)}(?=[<:*\s])", GERMAN[english], page)
    return page.replace('<html lang="en">', '<html lang="de">')


def _wants_german(headers, conditions: set[str]) -> bool:
    if "german-only" in conditions:
        return True
    if "german" not in conditions:
        return False
    lang = re.search(r"(?:^|;\s*)lang=\"?v=2&lang=([a-z]{2})", headers.get("Cookie", "") or "")
    if lang:
        return lang.group(1) == "de"
    return (headers.get("Accept-Language", "") or "").lower().startswith("de")


def _handler(site: str, conditions: set[str], links: dict):
    compiled = [(re.compile(pattern + r"/?"), name, tab) for pattern, name, tab in ROUTES]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status: int, body: str, location: str | None = None) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(data)

        def _page(self, inner: str, title: str, with_nav: bool = True) -> str:
            cookies = self.headers.get("Cookie", "") or ""
            consent = ({"consent", "consent-no-decline"} & conditions) and "li_gc=" not in cookies
            buttons = '<button type="button" class="pill pill-primary" data-consent="accept">Accept</button>'
            if "consent-no-decline" not in conditions:
                buttons += ' <button type="button" class="pill" data-consent="reject">Reject</button>'
            banner = (f'<div class="cookie-banner" role="dialog" aria-modal="true" aria-label="Cookie consent">'
                      f'<p>LinkedIn and 3rd parties use essential and non-essential cookies to provide, secure, '
                      f'analyze and improve our Services. Learn more in our Cookie Policy.</p>{buttons}</div>') if consent else ""
            if "script" in conditions:
                inner = (f'<div id="app-root" aria-busy="true"><div class="spinner">Loading…</div></div>'
                         f'<template id="later">{inner}</template>')
            nav = ('<header><span class="wordmark">DEVELOPERS</span><a href="#products">Products</a>'
                   '<a href="#docs">Docs and tools</a><a href="#resources">Resources</a>'
                   '<a href="/developers/apps">My apps</a></header>') if with_nav else ""
            hidden = ' aria-hidden="true"' if consent else ""
            return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
                    f"<style>{STYLE}</style></head><body><div id=\"page\"{hidden}>{nav}{inner}</div>{banner}"
                    f"<script>{SCRIPT.replace('DELAY', str(CONTENT_DELAY_MS))}</script></body></html>")

        def do_GET(self):
            parts = urlsplit(self.path)
            path = parts.path
            for status in ("999", "429"):
                if status in conditions:
                    return self._send(int(status), "<html><body><script>/* request denied */</script></body></html>")
            if path == "/favicon.ico":
                return self._send(404, "")
            if site == "developer":
                if path == "/":
                    page = self._page(PAGES.joinpath("home.html").read_text().replace("{www}", links["www"]),
                                      "LinkedIn Developer Solutions")
                    return self._finish(page)
                return self._send(404, "<h1>Not found</h1>")
            if path.startswith(PUBLIC):
                title = "Security Verification | LinkedIn" if path.startswith("/checkpoint/") else "Sign In | LinkedIn"
                body = ('<main class="narrow"><h1>Let\'s do a quick security check</h1></main>' if "checkpoint" in path
                        else '<main class="narrow"><h1>Sign in</h1><label for="u">Email or phone</label><input id="u"></main>')
                return self._send(200, self._page(body, title, with_nav=False))
            back = quote(self.path, safe="")
            if "authwall" in conditions:
                return self._send(302, "", f"/authwall?trk=bf&sessionRedirect={back}")
            if "login-redirect" in conditions:
                return self._send(302, "", f"/login?session_redirect={back}")
            if "checkpoint" in conditions:
                return self._send(302, "", "/checkpoint/challenge/AgF3replica?ut=0x")
            for pattern, name, tab in compiled:
                if pattern.fullmatch(path):
                    state = (parse_qs(parts.query).get("model") or [None])[0]
                    app_id = (re.match(r"/developers/apps/([^/]+)/", path) or [None, "0"])[1]
                    inner = _fill(name, state, conditions, html.escape(app_id))
                    head = _app_header(tab, html.escape(app_id), conditions) if tab else ""
                    content = f'{head}<main class="wrap">{inner}</main>'
                    return self._finish(self._page(content, f"{name} | LinkedIn Developers",
                                                   with_nav=name != "consent"))
            self._send(404, self._page("<main class='narrow'><h1>Page not found</h1></main>", "Not found"))

        def _finish(self, page: str) -> None:
            if _wants_german(self.headers, conditions):
                page = _german(page)
            self._send(200, page)

    return Handler


@contextmanager
def serve_replica(conditions: set[str] | frozenset[str] = frozenset()) -> Iterator[ReplicaSites]:
    unknown = set(conditions) - set(CONDITIONS)
    assert not unknown, f"unknown replica conditions: {unknown}"
    links: dict = {}
    with ExitStack() as stack:
        www = stack.enter_context(serve(_handler("www", set(conditions), links)))
        links["www"] = www
        developer = stack.enter_context(serve(_handler("developer", set(conditions), links)))
        yield ReplicaSites(www, developer)
