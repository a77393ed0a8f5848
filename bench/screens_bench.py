"""Executable docs: time to render every screenshot and to check drift, and image weight.
Targets (issue 4): capture <= 30 s, drift <= 15 s, images <= 120 KB each on average.
Targets (issue 11): drift over every screen of the model <= 15 s; with content rendered by script
1.5 s after each page loads (as LinkedIn's single-page app does) <= 45 s.

    python bench/screens_bench.py            # everything
    python bench/screens_bench.py drift      # the drift figures only"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checks.screens.capture import capture_all
from checks.screens.drift import check_drift
from checks.screens.model import serve_model
from checks.screens.scan import scan
from checks.screens.steps import load_steps
from checks.screens.walk import Portal

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
    return {
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
