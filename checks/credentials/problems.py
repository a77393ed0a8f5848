"""Every failure the checks can report: a stable id, what it means, how to fix it, where to read more.

The ids are anchors on the site's Troubleshooting page (docs/troubleshooting.md); a test keeps
the two in step. `guide_step` names the step of the guide to redo (linked as `guide`), and `run`
the exact command or portal step that fixes it, like `gh auth status` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks import docs_url
from checks.errors import ExitCode


@dataclass(frozen=True)
class Problem:
    id: str
    title: str
    fix: str
    exit_code: ExitCode = ExitCode.FIX
    guide_step: str | None = None
    run: str | None = None  # a command to run or a portal step to take

    @property
    def docs(self) -> str:
        return f"{docs_url()}troubleshooting/#{self.id}"

    @property
    def guide(self) -> str | None:
        """The guide section of `guide_step`, as a link."""
        anchor = GUIDE_ANCHORS.get(self.guide_step or "")
        return f"{docs_url()}guide/#{anchor}" if anchor else None


GUIDE_ANCHORS = {
    "Step 3": "step-3-request-the-advertising-api",
    "Step 4": "step-4-generate-a-refresh-token",
    "Step 5": "step-5-save-the-refresh-token",
}
AUTHORIZE = "python -m checks.authorize"
APP_PORTAL = "https://www.linkedin.com/developers/apps"


_ALL = [
    Problem(
        "missing-input",
        "A credential is missing",
        "Set LINKEDIN_CLIENT_ID, LINKEDIN_CLIENT_SECRET and LINKEDIN_REFRESH_TOKEN in the "
        "environment or in a .env file (--env-file PATH). The Client ID and Primary Client "
        "Secret are on your app's Auth tab; the refresh token comes from Step 4 of the guide.",
        guide_step="Step 4",
        run=f"put LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET in .env, then {AUTHORIZE}",
    ),
    Problem(
        "malformed-input",
        "A credential is malformed",
        "Store the value exactly as LinkedIn shows it: no quotes, no 'Bearer ' prefix, no "
        "spaces or line breaks, nothing cut off. Copy it again with the portal's copy link.",
        guide_step="Step 5",
        run="copy the value again with the portal's copy link and store it bare",
    ),
    Problem(
        "invalid-client",
        "LinkedIn rejected the Client ID or Primary Client Secret",
        "Copy the Client ID and Primary Client Secret again from the app's Auth tab. If the "
        "secret was regenerated, the old one no longer works.",
        guide_step="Step 4",
        run=f"{APP_PORTAL} > your app > Auth tab: copy the Client ID and Primary Client Secret",
    ),
    Problem(
        "invalid-refresh-token",
        "LinkedIn rejected the refresh token",
        "Generate a new refresh token (Step 4) and copy the Refresh token, not the Access "
        "token (Step 5). Likely causes: an access token was pasted instead of the refresh "
        "token; the token was made for another app than this Client ID; it was revoked; or "
        "365 days have passed since it was first authorized.",
        guide_step="Step 4",
        run=AUTHORIZE,
    ),
    Problem(
        "token-other-app",
        "The token belongs to another app",
        "The token was created for a different app than this Client ID. Use the Client ID and "
        "Primary Client Secret of the app that created it, or select this app in the Token Generator "
        "and create a new token (Step 4).",
        guide_step="Step 4",
        run=AUTHORIZE,
    ),
    Problem(
        "missing-scopes",
        "The token lacks required scopes",
        "Create a new token with r_ads and r_ads_reporting ticked. If those scopes are not "
        "offered, the Advertising API is not approved for the app yet (Step 3).",
        guide_step="Step 3",
        run=AUTHORIZE,
    ),
    Problem(
        "no-api-access",
        "The app has no access to the Advertising API",
        "Request the Advertising API on the app's Products tab and wait for approval (Step 3), "
        "then create a new token (Step 4).",
        guide_step="Step 3",
        run=f"{APP_PORTAL} > your app > Products tab > Advertising API: Request access",
    ),
    Problem(
        "member-restricted",
        "LinkedIn has restricted the member who authorized the token",
        "No retry helps: LinkedIn restricted the LinkedIn account whose consent the token carries. "
        "That member resolves the restriction with LinkedIn (LinkedIn Help), or another member with "
        "a role on the ad accounts authorizes a new token (Step 4).",
        guide_step="Step 4",
        run=f"{AUTHORIZE} (signed in as a member who is not restricted)",
    ),
    Problem(
        "refresh-not-enabled",
        "The app may not use refresh tokens",
        "LinkedIn gives programmatic refresh tokens only to apps with an approved Advertising API. "
        "Check the app's Products tab (Step 3), then create a new token (Step 4).",
        guide_step="Step 3",
        run=f"{APP_PORTAL} > your app > Products tab: Advertising API under Added products",
    ),
    Problem(
        "reporting-empty",
        "Reporting answered, with no rows",
        "If the account ran ads in the last 30 days, check the member's role on it (Campaign Manager > "
        "Account settings > Manage access): LinkedIn answers an empty list both for no delivery and for "
        "no access. Otherwise there is nothing to do.",
        exit_code=ExitCode.OK,
        run="Campaign Manager > the ad account > Account settings > Manage access: check the member's role",
    ),
    Problem(
        "no-ad-account-role",
        "The LinkedIn member has no role on any ad account",
        "Ask an admin of the ad account to add the member who authorized the token "
        "(Campaign Manager > Account settings > Manage access) with at least the Viewer role, "
        "or authorize the token as a member who already has one.",
        guide_step="Step 4",
        run="Campaign Manager > the ad account > Account settings > Manage access: add the member",
    ),
    Problem(
        "api-version-sunset",
        "The LinkedIn-Version is no longer served",
        "Set LINKEDIN_API_VERSION to a current version (YYYYMM, for example the latest one "
        "listed in LinkedIn's Marketing API versioning page) or upgrade this tool.",
        run="LINKEDIN_API_VERSION=<newer version> python -m checks.verify",
    ),
    Problem(
        "api-version-retiring",
        "The LinkedIn-Version retires soon",
        "LinkedIn serves each monthly version for at least a year and then answers 426. Move "
        "LINKEDIN_API_VERSION (and your connector's version setting) to a newer version before "
        "the date shown.",
        exit_code=ExitCode.WARNING,
        run="LINKEDIN_API_VERSION=<newer version> python -m checks.verify",
    ),
    Problem(
        "daily-limit",
        "LinkedIn's daily limit is reached",
        "Nothing is wrong with the credentials: the app or member used up a daily quota of "
        "calls. It resets at midnight UTC; retrying before then only burns calls. The app's "
        "Analytics tab in the Developer Portal shows its limits.",
        exit_code=ExitCode.TRANSIENT,
        run="python -m checks.verify (again, after 00:00 UTC)",
    ),
    Problem(
        "account-no-role",
        "No access to this ad account's reporting",
        "LinkedIn refused this account (403 ACCESS_DENIED) although the token has r_ads_reporting: "
        "the member who authorized the token has no (or no longer a) role on it. An admin of the "
        "account adds the member with at least the Viewer role, then run the check again.",
        guide_step="Step 4",
        run="Campaign Manager > the ad account > Account settings > Manage access: add the member (Viewer)",
    ),
    Problem(
        "account-not-on-app",
        "The ad account is not added to the app (Development tier)",
        "On the Development tier the Advertising API reaches only the ad accounts listed on the "
        "app. Add this account under View Ad Accounts on the app's Products tab, or apply for the "
        "Standard tier.",
        guide_step="Step 3",
        run=f"{APP_PORTAL} > your app > Products tab > Advertising API > View Ad Accounts: add the account",
    ),
    Problem(
        "reporting-scope-missing",
        "The token may not read reporting (r_ads_reporting)",
        "Reporting (adAnalytics) needs the r_ads_reporting scope. Create a new token with "
        "r_ads_reporting ticked.",
        guide_step="Step 4",
        run=AUTHORIZE,
    ),
    Problem(
        "expiring-soon",
        "The refresh token expires soon",
        "Refresh tokens live 365 days from the first consent and do not renew. Create a new "
        "token (Step 4) before it expires and replace it in your pipeline.",
        exit_code=ExitCode.WARNING,
        guide_step="Step 4",
        run=AUTHORIZE,
    ),
    Problem(
        "refresh-token-rotated",
        "LinkedIn issued a different refresh token",
        "Store the new refresh token in place of the old one: the old one may stop working.",
        guide_step="Step 5",
    ),
    Problem(
        "access-token-rejected",
        "LinkedIn rejected the freshly issued access token",
        "LinkedIn sometimes takes a few seconds to accept a new token. Run the check again in "
        "a minute; if it keeps failing, create a new token (Step 4).",
        exit_code=ExitCode.TRANSIENT,
        guide_step="Step 4",
        run="python -m checks.verify (again, in a minute)",
    ),
    Problem(
        "rate-limited",
        "LinkedIn is rate limiting this app",
        "LinkedIn throttled the calls for a short time (a daily quota is reported on its own). "
        "Wait a few minutes and run again; do not run the verifier or the pipeline in a loop.",
        exit_code=ExitCode.TRANSIENT,
        run="python -m checks.verify (again, in a few minutes)",
    ),
    Problem(
        "linkedin-unavailable",
        "LinkedIn is unavailable",
        "LinkedIn answered with a server error. Try again in a few minutes.",
        exit_code=ExitCode.TRANSIENT,
        run="python -m checks.verify (again, in a few minutes)",
    ),
    Problem(
        "network-error",
        "LinkedIn could not be reached",
        "Check the network, DNS, proxy (HTTPS_PROXY) and firewall, and that LINKEDIN_OAUTH_URL "
        "and LINKEDIN_API_URL are right. Then try again.",
        exit_code=ExitCode.TRANSIENT,
        run="python -m checks.verify --verbose",
    ),
    Problem(
        "unexpected-response",
        "LinkedIn's answer was not what it documents",
        "Something between you and LinkedIn (a proxy or captive portal, or a wrong "
        "LINKEDIN_OAUTH_URL / LINKEDIN_API_URL) answered instead, or LinkedIn changed its API. "
        "Run with --verbose to see the requests made.",
        run="python -m checks.verify --verbose",
    ),
]

PROBLEMS: dict[str, Problem] = {p.id: p for p in _ALL}
