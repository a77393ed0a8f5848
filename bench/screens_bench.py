"""Executable docs: time to render every screenshot and to check drift, image weight, and how
the screenshots read in the guide on a 1280 px desktop.
Targets (issue 4): capture <= 30 s, drift <= 15 s, images <= 120 KB each on average.
Targets (issue 10): screenshot text >= 85 % of the portal's own size on a 1280 px desktop, for
every image; the whole guide page, every screenshot loaded, <= 1.2 MB.
Targets (issue 11): drift over every screen of the model <= 15 s; with content rendered by script
1.5 s after each page loads (as LinkedIn's single-page app does) <= 45 s.

    python bench/screens_bench.py            # everything
    python bench/screens_bench.py drift      # the drift figures only"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checks.screens.capture import capture_all  # noqa: E402
from checks.screens.drift import check_drift  # noqa: E402
from checks.screens.model import serve_model  # noqa: E402
from checks.screens.scan import scan  # noqa: E402
from checks.screens.steps import load_steps  # noqa: E402
from checks.screens.walk import Portal  # noqa: E402

SCROLL_ALL_JS = """
async () => {
  for (let y = 0; y < document.body.scrollHeight; y += 400) {
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, 30));
  }
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  return [...document.querySelectorAll('article img[src*="res/"]')].map(img => ({
    name: img.getAttribute('src').split('/').pop(),
    shown: img.getBoundingClientRect().width,
    declared: Number(img.getAttribute('width')),
  }));
}
"""


# Detach the page's content at DOMContentLoaded and put it back 1.5 s later: the model, rendered
# the way a single-page app renders, without touching the model's pages.
SCRIPT_RENDERED_JS = """
document.addEventListener('DOMContentLoaded', () => {
  const parked = document.createDocumentFragment();
  while (document.body.firstChild) parked.appendChild(document.body.firstChild);
  setTimeout(() => document.body.appendChild(parked), 1500);
});
"""


def drift_timings() -> dict:
    import checks.screens.browser as browser_module

    steps = load_steps()
    figures = {}
    with serve_model() as sites:
        portal = Portal(sites.www, sites.developer, True, dict(steps.placeholders))
        started = time.perf_counter()
        outcomes = check_drift(steps, portal)
        figures["drift_s"] = round(time.perf_counter() - started, 1)
        assert all(o.status == "ok" for o in outcomes), [o.problems for o in outcomes]
        plain = browser_module.new_context

        def slow_context(*args, **kwargs):
            context = plain(*args, **kwargs)
            context.add_init_script(SCRIPT_RENDERED_JS)
            return context

        browser_module.new_context = slow_context
        try:
            started = time.perf_counter()
            outcomes = check_drift(steps, portal)
            figures["drift_script_rendered_s"] = round(time.perf_counter() - started, 1)
        finally:
            browser_module.new_context = plain
        assert all(o.status == "ok" for o in outcomes), [o.problems for o in outcomes]
    return figures


def guide_in_a_desktop_browser(width: int = 1280) -> dict:
    """Build the site, open the guide at `width`, scroll through it: bytes loaded, image widths."""
    from playwright.sync_api import sync_playwright

    from checks.screens.browser import launch
    from tests.support.loopback import serve_directory
    from tests.support.site import build_site

    with tempfile.TemporaryDirectory() as tmp:
        site_dir, _ = build_site("mkdocs", Path(tmp))
        with serve_directory(site_dir) as url, sync_playwright() as p:
            browser = launch(p)
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            sizes: list[int] = []
            cdp.on("Network.loadingFinished", lambda e: sizes.append(e["encodedDataLength"]))
            page.goto(url + "/guide/", wait_until="networkidle")
            first_view = sum(sizes)
            images = page.evaluate(SCROLL_ALL_JS)
            page.wait_for_load_state("networkidle")
            whole = sum(sizes)
            browser.close()
    return {"first_view": first_view, "whole": whole, "images": images}


def legibility(shown: dict[str, float]) -> list:
    """Each screenshot's text size as shown in the guide (`shown`: image name -> CSS px wide)."""
    from checks.screens.legibility import measure

    steps = load_steps()
    return [measure(ROOT / "res" / s.image, steps.scale, shown[s.image]) for s in steps.screens]


def run() -> dict:
    steps = load_steps()
    with serve_model() as sites, tempfile.TemporaryDirectory() as tmp:
        portal = Portal(sites.www, sites.developer, True, dict(steps.placeholders))
        started = time.perf_counter()
        results = capture_all(steps, portal, Path(tmp))
        capture_s = time.perf_counter() - started
    sizes = [p.stat().st_size for p in (ROOT / "res").glob("*.png")]
    started = time.perf_counter()
    scan([ROOT / "res"])
    scan_s = time.perf_counter() - started
    page = guide_in_a_desktop_browser()
    column = max(i["shown"] for i in page["images"])  # the widest image fills the column
    figures = legibility({i["name"]: i["shown"] for i in page["images"]})
    worst = min(figures, key=lambda f: f.share)
    return {
        "guide_column_px_at_1280": round(column),
        "guide_first_view_kb": round(page["first_view"] / 1024),
        "guide_whole_page_kb_all_images": round(page["whole"] / 1024),
        "screenshot_text_share_min": f"{worst.share:.0%} ({worst.image})",
        "screenshot_word_px_min": round(min(f.shown_word_px for f in figures), 1),
        "screenshot_word_px_median": round(statistics.median(f.shown_word_px for f in figures), 1),
        "capture_all_s": round(capture_s, 1),
        "capture_images": len([r for r in results if r.path]),
        **drift_timings(),
        "scan_res_s": round(scan_s, 1),
        "image_avg_kb": round(sum(sizes) / len(sizes) / 1024, 1),
        "image_total_kb": round(sum(sizes) / 1024),
    }


if __name__ == "__main__":
    figures = drift_timings() if sys.argv[1:] == ["drift"] else run()
    for key, value in figures.items():
        print(f"{key}: {value}")
