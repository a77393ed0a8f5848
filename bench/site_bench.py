"""The site: build wall time per engine; the guide page's first-load bytes, LCP and CLS in
Chromium, served on loopback. Targets (issue 2): build <= 5 s; first view <= 1.0 MB,
LCP <= 1.0 s, CLS = 0."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.loopback import serve_directory  # noqa: E402
from tests.support.site import build_site  # noqa: E402

VITALS_JS = """
() => new Promise(resolve => {
  let lcp = 0, cls = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) lcp = e.startTime; })
    .observe({type: 'largest-contentful-paint', buffered: true});
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value; })
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve({lcp, cls}), 1000);
})
"""


def first_load(site_dir: Path, path: str = "guide/") -> dict:
    from playwright.sync_api import sync_playwright

    from checks.screens.browser import launch

    with serve_directory(site_dir) as base, sync_playwright() as p:
        url = f"{base}/{path}"
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        sizes = []
        cdp.on("Network.loadingFinished", lambda e: sizes.append(e["encodedDataLength"]))
        page.goto(url, wait_until="networkidle")
        vitals = page.evaluate(VITALS_JS)
        browser.close()
    return {"bytes": sum(sizes), "requests": len(sizes), "lcp_ms": round(vitals["lcp"]), "cls": round(vitals["cls"], 4)}


def run(runs: int = 3) -> dict:
    out = {}
    for engine in ("mkdocs", "zensical"):
        times = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                site, seconds = build_site(engine, Path(tmp))
                times.append(seconds)
                if engine == "mkdocs" and len(times) == 1:
                    load = first_load(site)
        out[f"build_{engine}_s"] = round(statistics.median(times), 2)
    out.update({
        "guide_first_load_kb": round(load["bytes"] / 1024),
        "guide_first_load_requests": load["requests"],
        "guide_lcp_ms": load["lcp_ms"],
        "guide_cls": load["cls"],
    })
    return out


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
