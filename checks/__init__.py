"""Checks for LinkedIn Ads API credentials and for the guide that explains how to get them.

`checks.verify` proves a Client ID, Primary Client Secret and Refresh Token work.
`checks.authorize` obtains a refresh token through a local OAuth flow.
`checks.screens` keeps the guide's screenshots and the Developer Portal in sync.
"""

__version__ = "1.0.0"  # the one source: pyproject.toml, --version, the release tag (vX.Y.Z) and CHANGELOG.md

# Where the published guide lives; every failure links into its Troubleshooting page.
# Keep in sync with `site_url` in mkdocs.yml (a test checks this). Help texts and docs show this;
# a run may point its links elsewhere (LINKEDIN_CHECKS_DOCS_URL, read in CLI setup: checks/cli.py).
DOCS_URL = "https://linkedin-ads-token-guide.github.io/"
_docs_url = DOCS_URL


def docs_url() -> str:
    """The base of the Docs: and Guide: links of this run."""
    return _docs_url


def use_docs_url(url: str | None) -> None:
    """Point this run's links at `url` (a mirror, a local `make serve`); None or "" restores DOCS_URL."""
    global _docs_url
    _docs_url = (url.strip().rstrip("/") + "/") if url and url.strip() else DOCS_URL
