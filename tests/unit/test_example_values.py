"""One set of example values (checks/screens/example.yaml): the dates agree with each other, the
portal model draws exactly these values, and the guide's examples are these values."""

import datetime as dt
import re

import pytest

from checks.errors import UsageError
from checks.screens.example import DAY, fill, load_example
from checks.screens.model import PORTAL_DIR, WWW_ROUTES, render_page
from checks.screens.steps import load_steps
from tests.support import ROOT

EXAMPLE = load_example()
GUIDE = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
PAGES = {name: render_page(PORTAL_DIR, name, f"/developers/apps/{EXAMPLE.app_id}/x", "http://dev.example")
         for _, name in WWW_ROUTES} | {"developer-home": render_page(PORTAL_DIR, "developer-home", "/", "http://w")}


def utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def test_the_story_happens_in_order():
    assert EXAMPLE.app_created <= EXAMPLE.verified_on <= EXAMPLE.approved_on
    assert EXAMPLE.token_created > utc(EXAMPLE.approved_on), "the token is created after the app is approved"
    assert EXAMPLE.token_created > utc(EXAMPLE.app_created)
    assert EXAMPLE.verification_link_expires > EXAMPLE.verified_on


def test_the_token_lives_as_long_as_linkedin_says():
    # Refresh tokens: 365 days from the consent; access tokens: 60 days (linkedin-facts, Auth tab TTLs).
    assert EXAMPLE.refresh_expires_epoch - EXAMPLE.token_created_epoch == 365 * DAY
    assert EXAMPLE.access_expires_epoch - EXAMPLE.token_created_epoch == 60 * DAY
    expires = dt.datetime.fromtimestamp(EXAMPLE.refresh_expires_epoch, dt.timezone.utc)
    assert expires - EXAMPLE.token_created == dt.timedelta(days=365)


def test_the_result_page_shows_the_example_epochs_and_no_others():
    page = PAGES["token-result"]
    epochs = set(re.findall(r"\b1\d{9}\b", page))
    assert epochs == {str(EXAMPLE.access_expires_epoch), str(EXAMPLE.refresh_expires_epoch)}
    assert f"in 12 months ({EXAMPLE.refresh_expires_epoch} epoch seconds UTC)" in page
    assert f"in 2 months ({EXAMPLE.access_expires_epoch} epoch seconds UTC)" in page
    for epoch in epochs:
        assert int(epoch) > utc(EXAMPLE.app_created).timestamp(), "a token cannot expire before the app existed"


def test_every_model_page_draws_only_the_example_values():
    values = EXAMPLE.values()
    for name, page in PAGES.items():
        assert "{{" not in page, f"{name}: an unfilled example value"
        for client_id in re.findall(r"\b86[a-z0-9]{12}\b", page):
            assert client_id == EXAMPLE.client_id, name
        for date in re.findall(r"\b[A-Z][a-z]{2} \d{1,2}, 20\d\d\b", page):
            assert date in (values["app_created"], values["verified_on"]), f"{name}: {date}"
        for account in re.findall(r"\b5\d{8}\b", page):
            assert account == EXAMPLE.ad_account_id, name
    assert f"<b>Created:</b> {values['app_created']}" in PAGES["app-settings"]
    assert EXAMPLE.app_name in PAGES["consent"] and EXAMPLE.company_page in PAGES["app-settings"]


def test_the_steps_file_uses_the_example_ids():
    assert load_steps().placeholders == EXAMPLE.placeholders()


def test_an_unknown_example_name_in_a_page_is_an_error_not_a_blank():
    assert fill("{{app_name}}") == EXAMPLE.app_name
    with pytest.raises(UsageError, match=r"\{\{app_nmae\}\} is not an example value"):
        fill("<h1>{{app_nmae}}</h1>")


# ---- the guide's sentences take the same values ------------------------------------------------
def test_the_guide_names_the_example_app_client_id_and_lifetimes():
    app = re.search(r'\*\*App name\*\*[^\n]{0,60}?"([^"]+)"', GUIDE)
    assert app and app.group(1) == EXAMPLE.app_name, "Step 1's example app name"
    assert set(re.findall(r"LINKEDIN_CLIENT_ID=(\S+)", GUIDE)) == {EXAMPLE.client_id}
    days = {"access": str(EXAMPLE.access_token_days), "refresh": str(EXAMPLE.refresh_token_days)}
    lifetimes = re.findall(r"(access|refresh) token\**[^.]{0,60}?lives (\d+) days", GUIDE, re.IGNORECASE)
    assert lifetimes, "the guide says how long each token lives"
    for kind, number in lifetimes:
        assert number == days[kind.lower()], f"the guide says the {kind} token lives {number} days"
    for months in re.findall(r"(\d+) months from now", GUIDE):
        assert f"{months} months" == EXAMPLE.values()["refresh_expires_in"]


def test_every_example_looking_value_in_the_docs_is_the_example_values():
    values = EXAMPLE.values()
    names = {EXAMPLE.app_name, EXAMPLE.company_page, EXAMPLE.ad_account_name, EXAMPLE.second_ad_account_name}
    accounts = (EXAMPLE.ad_account_id, EXAMPLE.second_ad_account_id)
    dates = {values["app_created"], values["verified_on"]}
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for client_id in re.findall(r"\b86[a-z0-9]{12}\b", text):
            assert client_id == EXAMPLE.client_id, f"{page.name}: Client ID {client_id}"
        for urn in re.findall(r"urn:li:sponsoredAccount:(\d+)", text):
            assert urn in accounts, f"{page.name}: ad account URN {urn}"
        if page.name not in ("guide.md", "verify.md", "connect.md"):
            continue
        for name in re.findall(r"\bExample(?: [A-Z][a-z]+)+", text):
            assert name in names, f"{page.name}: {name!r} is not an example name in example.yaml"
        for number in re.findall(r"\b\d{9}\b", text):
            assert number in (*accounts, EXAMPLE.app_id), f"{page.name}: ID {number}"
        if page.name != "guide.md":
            continue  # the verifier's sample runs print ISO dates of their own clock
        for epoch in re.findall(r"\b1[78]\d{8}\b", text):
            assert epoch in (str(EXAMPLE.access_expires_epoch), str(EXAMPLE.refresh_expires_epoch)), f"guide.md: epoch {epoch}"
        for date in re.findall(r"\b[A-Z][a-z]{2} \d{1,2}, 20\d\d\b", text):
            assert date in dates, f"guide.md: date {date}"
        for email in re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text):
            assert email == EXAMPLE.member_email, f"guide.md: e-mail {email}"


def test_the_verify_sample_reports_the_example_accounts_and_token():
    from tests.support.docs_from_code import verify_sample

    sample = verify_sample()
    assert f"urn:li:sponsoredAccount:{EXAMPLE.ad_account_id}  {EXAMPLE.ad_account_name}" in sample
    expires = dt.datetime.fromtimestamp(EXAMPLE.refresh_expires_epoch, dt.timezone.utc)
    assert f"Refresh token expires {expires:%Y-%m-%dT%H:%M:%SZ}" in sample, "the date the token result page shows"
