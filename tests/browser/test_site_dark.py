"""The site in the dark (slate) scheme and on a phone: accessible in both colour schemes, screenshots
that do not glare, and a zoom that makes a screenshot readable on a 375 px screen."""

import io

import pytest
import yaml
from PIL import Image, ImageStat

from tests.support import ROOT
from tests.support.site import PAGES, load_everything

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}
# Mean brightness (0-255) of a screenshot as shown on the slate page. Unfiltered, the portal's white
# pages measure 217-245: a glare beside the page's dark grey.
MAX_DARK_BRIGHTNESS = 180
STEPS_FILE = yaml.safe_load((ROOT / "checks/screens/steps.yaml").read_text(encoding="utf-8"))


def open_in_scheme(page, url, scheme):
    """A first visit by a reader whose system is set to `scheme`: Material follows the system."""
    page.emulate_media(color_scheme=scheme)
    load_everything(page, url)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations_in_either_scheme(page, site, path, scheme):
    from axe_playwright_python.sync_playwright import Axe

    open_in_scheme(page, site.url + path, scheme)
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)


def shown_brightness(page, image) -> float:
    image.scroll_into_view_if_needed()
    shot = Image.open(io.BytesIO(image.screenshot(animations="disabled"))).convert("L")
    return ImageStat.Stat(shot).mean[0]


def test_screenshots_are_dimmed_in_dark_mode_and_full_brightness_when_zoomed(page, site):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_in_scheme(page, site.url + "guide/", "dark")
    page.mouse.move(0, 0)  # hovering restores full brightness: keep the pointer away
    images = page.locator(".md-content img[src*='res/']")
    assert images.count() >= 10
    glaring = {}
    for i in range(images.count()):
        mean = shown_brightness(page, images.nth(i))
        if mean > MAX_DARK_BRIGHTNESS:
            glaring[images.nth(i).get_attribute("src")] = round(mean)
    assert glaring == {}, f"screenshots glare on the slate page (mean brightness > {MAX_DARK_BRIGHTNESS}): {glaring}"

    # Zoomed, the reader studies the picture: the same image at full brightness.
    first = images.first
    first.click()
    zoomed = page.locator("dialog.zoom[open] img")
    zoomed.wait_for(state="visible")
    page.wait_for_function("document.querySelector('dialog.zoom img').complete")
    assert zoomed.evaluate("e => getComputedStyle(e).filter") == "none"
    page.keyboard.press("Escape")


def contrast(foreground: str, background: str) -> float:
    def luminance(css: str) -> float:
        r, g, b = (int(float(v)) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
        def channel(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_home_page_buttons_are_readable_in_both_schemes(page, site, scheme):
    open_in_scheme(page, site.url, scheme)
    page.mouse.move(0, 0)
    buttons = page.locator(".md-content a.md-button")
    assert buttons.count() >= 4
    page_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    for i in range(buttons.count()):
        button = buttons.nth(i)
        style = button.evaluate("e => ({fg: getComputedStyle(e).color, bg: getComputedStyle(e).backgroundColor})")
        background = style["bg"] if not style["bg"].endswith(", 0)") and style["bg"] != "transparent" else page_background
        ratio = contrast(style["fg"], background)
        assert ratio >= 4.5, f"{button.inner_text()!r} in {scheme}: {ratio:.2f}:1"


def test_zoom_on_a_phone_shows_the_natural_size_with_panning_and_a_clear_close_button(page, site):
    page.set_viewport_size({"width": 375, "height": 740})
    load_everything(page, site.url + "guide/")
    scale = STEPS_FILE.get("scale", 1)  # image pixels per CSS pixel, as captured
    page.locator(".md-content img[src*='res/']").first.click()
    zoomed = page.locator("dialog.zoom[open] img")
    zoomed.wait_for(state="visible")
    page.wait_for_function("(() => { const i = document.querySelector('dialog.zoom img'); return i.complete && i.style.width; })()")
    natural = zoomed.evaluate("e => e.naturalWidth")
    box = zoomed.bounding_box()
    assert abs(box["width"] - natural / scale) <= 1, f"zoomed to {box['width']} CSS px, natural size is {natural / scale}"
    assert box["width"] > 375, "the zoomed picture is wider than the phone: it must pan, not shrink"

    pane = page.locator("dialog.zoom[open] .zoom__pane")
    assert pane.evaluate("e => e.scrollWidth > e.clientWidth"), "the zoomed picture cannot be panned"
    assert page.get_by_text("Drag or scroll to see the rest").is_visible(), "nothing tells the reader the picture pans"
    close = page.get_by_role("button", name="Close")
    close_box = close.bounding_box()
    assert close_box["width"] >= 44 and close_box["height"] >= 44, "close button smaller than a fingertip"
    assert close_box["y"] + close_box["height"] <= box["y"], "the close button covers the top of the picture"
    assert close_box["x"] + close_box["width"] <= 375 and close_box["y"] >= 0, "close button off screen"

    # Panning moves the picture under a close button that stays put.
    pane.evaluate("e => e.scrollBy(200, 0)")
    assert zoomed.bounding_box()["x"] < box["x"] - 150
    assert close.bounding_box() == close_box
    # The open dialog passes axe too (a scrollable pane must be reachable by keyboard, and so on).
    from axe_playwright_python.sync_playwright import Axe

    violations = [v["id"] for v in Axe().run(page, context="dialog.zoom").response["violations"] if v["impact"] in ("serious", "critical")]
    assert violations == []
    close.click()
    zoomed.wait_for(state="hidden")


def test_every_screenshot_zooms_to_its_natural_size(page, site):
    page.set_viewport_size({"width": 375, "height": 740})
    load_everything(page, site.url + "guide/")
    scale = STEPS_FILE.get("scale", 1)
    images = page.locator(".md-content img[src*='res/']")
    wrong = {}
    for i in range(images.count()):
        images.nth(i).click()
        page.wait_for_function("(() => { const i = document.querySelector('dialog.zoom[open] img'); return i && i.complete && i.style.width; })()")
        zoomed = page.locator("dialog.zoom[open] img")
        natural = zoomed.evaluate("e => e.naturalWidth") / scale
        if abs(zoomed.bounding_box()["width"] - natural) > 1:
            wrong[images.nth(i).get_attribute("src")] = (zoomed.bounding_box()["width"], natural)
        page.keyboard.press("Escape")
        zoomed.wait_for(state="hidden")
    assert wrong == {}, f"zoomed width != natural CSS width (image pixels / scale {scale}): {wrong}"


def test_zoom_on_a_desktop_fits_the_window(page, site):
    page.set_viewport_size({"width": 1280, "height": 800})
    load_everything(page, site.url + "guide/")
    page.locator(".md-content img[src*='res/']").first.click()
    zoomed = page.locator("dialog.zoom[open] img")
    zoomed.wait_for(state="visible")
    page.wait_for_function("(() => { const i = document.querySelector('dialog.zoom img'); return i.complete && i.style.width; })()")
    box = zoomed.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    assert page.locator("dialog.zoom[open] .zoom__pane").evaluate("e => e.scrollWidth <= e.clientWidth")
    assert not page.get_by_text("Drag or scroll to see the rest").is_visible()
    close_box = page.get_by_role("button", name="Close").bounding_box()
    assert close_box["y"] + close_box["height"] <= box["y"]


def test_no_next_link_leads_readers_into_the_maintainers_page(page, site):
    page.goto(site.url + "troubleshooting/")
    footer_links = page.locator(".md-footer a:visible, nav.md-footer__inner a:visible")
    assert not any("maintainers/" in (footer_links.nth(i).get_attribute("href") or "") for i in range(footer_links.count()))
    # ...while its own navigation section still reaches it.
    assert page.locator(".md-nav a[href$='maintainers/']").count() >= 1
