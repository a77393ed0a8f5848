"""Executable docs: time to render every screenshot and to check drift, and image weight.
Targets (issue 4): capture <= 30 s, drift <= 15 s, images <= 120 KB each on average."""

from __future__ import annotations

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


def run() -> dict:
    steps = load_steps()
    with serve_model() as sites, tempfile.TemporaryDirectory() as tmp:
        portal = Portal(sites.www, sites.developer, True, dict(steps.placeholders))
        started = time.perf_counter()
        results = capture_all(steps, portal, Path(tmp))
        capture_s = time.perf_counter() - started
        started = time.perf_counter()
        check_drift(steps, portal)
        drift_s = time.perf_counter() - started
    sizes = [p.stat().st_size for p in (ROOT / "res").glob("*.png")]
    started = time.perf_counter()
    scan([ROOT / "res"])
    scan_s = time.perf_counter() - started
    return {
        "capture_all_s": round(capture_s, 1),
        "capture_images": len([r for r in results if r.path]),
        "drift_s": round(drift_s, 1),
        "scan_res_s": round(scan_s, 1),
        "image_avg_kb": round(sum(sizes) / len(sizes) / 1024, 1),
        "image_total_kb": round(sum(sizes) / 1024),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
