"""LinkedIn mocked with `responses` for unit tests of checks.verify: default answers are the
documented happy path; pass (status, body[, headers]) to change one, None to leave it unmocked."""

from __future__ import annotations

from tests.support.fake_linkedin import ACCOUNT_DETAILS, ACCOUNTS, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN

TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"
INTROSPECT_URL = "https://www.linkedin.com/oauth/v2/introspectToken"
ADS_URL = "https://api.linkedin.com/rest/adAccountUsers"
DETAILS_URL = "https://api.linkedin.com/rest/adAccounts"
ANALYTICS_URL = "https://api.linkedin.com/rest/adAnalytics"
ACCESS_TOKEN = "AQVaccess" + "a" * 300 + "Z9z"
GOOD_GRANT = {
    "access_token": ACCESS_TOKEN,
    "expires_in": 5183999,
    "refresh_token": REFRESH_TOKEN,
    "refresh_token_expires_in": 200 * 86400,
    "scope": "r_ads,r_ads_reporting",
}
GOOD_INTROSPECT = {"active": True, "status": "active", "scope": "r_ads,r_ads_reporting", "client_id": CLIENT_ID,
                   "expires_at": 1900000000, "auth_type": "3L"}
GOOD_ADS = {"elements": ACCOUNTS, "paging": {"count": 2, "start": 0, "total": 2, "links": []}}
GOOD_DETAILS = {"results": dict(ACCOUNT_DETAILS), "statuses": {k: 200 for k in ACCOUNT_DETAILS}, "errors": {}}
GOOD_ANALYTICS = {"elements": [{"impressions": 10}], "paging": {"count": 10, "start": 0, "links": []}}
SECRETS = (CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN, CLIENT_ID)


def set_env(monkeypatch, **overrides):
    values = {"LINKEDIN_CLIENT_ID": CLIENT_ID, "LINKEDIN_CLIENT_SECRET": CLIENT_SECRET,
              "LINKEDIN_REFRESH_TOKEN": REFRESH_TOKEN, **overrides}
    for k, v in values.items():
        if v is None:
            monkeypatch.delenv(k, raising=False)
        else:
            monkeypatch.setenv(k, v)


def linkedin_settings() -> dict[str, str]:
    """The LINKEDIN_* variables `set_env` put in this process's environment, for run_cli(env=...)."""
    import os

    return {k: v for k, v in os.environ.items() if k.startswith("LINKEDIN_")}


def mock_linkedin(rsps, token=(200, GOOD_GRANT), introspect=(200, GOOD_INTROSPECT), ads=(200, GOOD_ADS),
                  details=(200, GOOD_DETAILS), analytics=(200, GOOD_ANALYTICS)):
    for url, method, answer in ((TOKEN_URL, "POST", token), (INTROSPECT_URL, "POST", introspect), (ADS_URL, "GET", ads),
                                (DETAILS_URL, "GET", details), (ANALYTICS_URL, "GET", analytics)):
        if answer is None:
            continue
        status, body, *headers = answer
        kwargs = {"body": body} if isinstance(body, (str, Exception)) else {"json": body}
        rsps.add(method, url, status=status, headers=headers[0] if headers else None, **kwargs)
