"""Checks for LinkedIn Ads API credentials and for the guide that explains how to get them.

`checks.verify` proves a Client ID, Primary Client Secret and Refresh Token work.
`checks.authorize` obtains a refresh token through a local OAuth flow.
`checks.screens` keeps the guide's screenshots and the Developer Portal in sync.
"""

import os

__version__ = "1.0.0"  # the one source: pyproject.toml, --version, the release tag (vX.Y.Z) and CHANGELOG.md

# Where the published guide lives; every failure links into its Troubleshooting page.
# Keep in sync with `site_url` in mkdocs.yml (a test checks this).
DOCS_URL = os.environ.get(
    "LINKEDIN_CHECKS_DOCS_URL", "https://linkedin-ads-token-guide.github.io/"
).rstrip("/") + "/"
