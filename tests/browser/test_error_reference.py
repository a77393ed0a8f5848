"""The LinkedIn error reference (docs/errors.md) is found by what people paste into the search box:
a serviceErrorCode, a code, an OAuth error. Under both engines, a result leads to its entry."""

import pytest

from tests.support.site import site_search

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("query, anchor", [
    ("65601", "revoked_access_token-65601"),
    ("REVOKED_ACCESS_TOKEN", "revoked_access_token-65601"),
    ("refresh_token_client_mismatch", "refresh_token_client_mismatch"),
])
def test_search_finds_the_code_on_the_error_reference(page, site, query, anchor):
    results = site_search(page, site, query)
    hit = results.and_(page.locator("[href*='errors/']")).first
    hit.wait_for(timeout=10000)
    hit.click()
    page.wait_for_load_state()
    assert "/errors/" in page.url
    assert page.locator(f"[id='{anchor}']").count() == 1
    assert query.lower() in page.locator(f"[id='{anchor}']").inner_text().lower()


def test_troubleshooting_links_into_the_reference(page, site):
    page.goto(site.url + "troubleshooting/", wait_until="networkidle")
    page.locator("a[href*='errors/#restricted_member-65608']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("errors/#restricted_member-65608")
    assert page.locator("[id='restricted_member-65608']").is_visible()
