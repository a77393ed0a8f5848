"""The site: build wall time per engine; the guide page's weight, LCP and CLS in Chromium; Lighthouse
scores of every page in the light and the dark scheme. The site is served on 127.0.0.1 with gzip, as
GitHub Pages serves it (text gzipped, PNGs as they are).

Targets (issues 2 and 10): build <= 5 s; guide page first view <= 1.0 MB, whole page including
every screenshot <= 1.2 MB, LCP <= 1.0 s, CLS 0; Lighthouse performance >= 98 and accessibility,
best practices and SEO 100, light and dark. Reads whatever screenshots are in res/.

    python bench/site_bench.py            # print the figures
    python bench/site_bench.py --write    # also record them on docs/maintainers.md (Benchmarks)

Lighthouse comes from npm (`npm install lighthouse` in an ignored folder); point LIGHTHOUSE at its
`node_modules/.bin/lighthouse` when it is not on PATH. Chromium: CHROME_PATH, else /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from base64 import b64decode
from datetime import date
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.loopback import serve  # noqa: E402
from tests.support.site import PAGES, build_site  # noqa: E402  (every page of the site, the tests' list)

SCHEMES = ("light", "dark")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
FIRST_VIEW_BUDGET_KB = 1000
WHOLE_PAGE_BUDGET_KB = 1200

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


class _PagesLikeHandler(SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: text gzipped when the client accepts it."""

    COMPRESSED: frozenset[str] = frozenset({".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"})

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.is_file() and path.suffix in self.COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def serve_like_pages(site_dir: Path):
    """The built site on 127.0.0.1, gzipped as GitHub Pages serves it; yields the base URL with '/'."""
    return _with_slash(serve(functools.partial(_PagesLikeHandler, directory=str(site_dir))))


@contextlib.contextmanager
def _with_slash(server):
    with server as url:
        yield url + "/"


def page_weight(base_url: str, path: str = "guide/") -> dict:
    """Bytes transferred for the first view (lazy screenshots as a 1280x800 window loads them), then
    for the whole page with every screenshot loaded; LCP and CLS of the first view."""
    from playwright.sync_api import sync_playwright

    from checks.screens.browser import launch

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        sizes: dict[str, int] = {}
        urls: dict[str, str] = {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.goto(base_url + path, wait_until="networkidle")
        vitals = page.evaluate(VITALS_JS)
        first_view = sum(sizes.values())
        first_requests = len(sizes)
        page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
        page.wait_for_function("[...document.images].every(i => i.complete)", timeout=20000)
        page.wait_for_load_state("networkidle")
        images = sum(size for rid, size in sizes.items() if "/res/" in urls.get(rid, ""))
        browser.close()
    return {
        "first_view_kb": round(first_view / 1024),
        "first_view_requests": first_requests,
        "whole_page_kb": round(sum(sizes.values()) / 1024),
        "screenshots_kb": round(images / 1024),
        "lcp_ms": round(vitals["lcp"]),
        "cls": round(vitals["cls"], 4),
    }


def find_lighthouse() -> str | None:
    for candidate in (os.environ.get("LIGHTHOUSE"), shutil.which("lighthouse"), str(ROOT / "node_modules/.bin/lighthouse")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _mean_brightness(data_uri: str) -> float:
    from PIL import Image, ImageStat

    image = Image.open(io.BytesIO(b64decode(data_uri.split(",", 1)[1]))).convert("L")
    return ImageStat.Stat(image).mean[0]


def lighthouse(base_url: str, pages=PAGES, schemes=SCHEMES, preset: str = "mobile", runs: int = 1) -> dict:
    """Lighthouse on each page per scheme, the median of `runs` runs. `mobile` is Lighthouse's default
    (a mid-range phone on slow 4G, simulated, CPU slowed 4x); `desktop` its desktop preset.
    Dark: Chromium's --force-dark-mode sets prefers-color-scheme, which Material follows; the final
    screenshot's brightness confirms the page really was dark. Lighthouse's own CPU benchmark of the
    host (benchmarkIndex) is kept: on a busy machine the simulated times, and so the performance
    score, come out worse than on an idle one."""
    cli = find_lighthouse()
    if not cli:
        return {"error": "Lighthouse not found: npm install lighthouse, then set LIGHTHOUSE=node_modules/.bin/lighthouse"}
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    scores: dict[str, dict[str, int]] = {}
    failures: dict[str, list[str]] = {}
    host_index: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for scheme in schemes:
            flags = "--headless=new --no-sandbox" + (" --force-dark-mode" if scheme == "dark" else "")
            for path in pages:
                per_run = []
                for _ in range(runs):
                    out = Path(tmp) / "report.json"
                    proc = subprocess.run(
                        [cli, base_url + path, "--quiet", "--output=json", f"--output-path={out}",
                         f"--chrome-flags={flags}", "--only-categories=" + ",".join(CATEGORIES),
                         *(["--preset=desktop"] if preset == "desktop" else [])],
                        check=False, env={**os.environ, "CHROME_PATH": chrome}, capture_output=True, text=True, timeout=300,
                    )
                    if proc.returncode != 0 or not out.exists():
                        return {"error": f"Lighthouse failed on {path or '/'} ({scheme}): {proc.stderr.strip()[-400:]}"}
                    report = json.loads(out.read_text(encoding="utf-8"))
                    if report.get("runtimeError"):
                        return {"error": f"Lighthouse: {report['runtimeError']}"}
                    shot = report["audits"].get("final-screenshot", {}).get("details", {}).get("data")
                    if shot and (_mean_brightness(shot) < 128) != (scheme == "dark"):
                        return {"error": f"{path or '/'} did not render in the {scheme} scheme under Lighthouse"}
                    host_index.append(report.get("environment", {}).get("benchmarkIndex", 0))
                    per_run.append({c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES})
                    key = f"{path or '/'} {scheme}"
                    failures[key] = sorted(
                        a["id"] for c in CATEGORIES if c != "performance" for ref in report["categories"][c]["auditRefs"]
                        if ref["weight"] and (a := report["audits"][ref["id"]])["score"] is not None and a["score"] < 1
                    )
                scores[key] = {c: round(statistics.median(r[c] for r in per_run)) for c in CATEGORIES}
        version = report.get("lighthouseVersion", "?")
    return {"version": version, "preset": preset, "runs": runs, "scores": scores,
            "benchmark_index": [round(min(host_index)), round(max(host_index))],
            "failed_audits": {k: v for k, v in failures.items() if v}}


def run(runs: int = 3, with_lighthouse: bool = False, lighthouse_runs: int = 1, desktop_runs: int = 1) -> dict:
    out: dict = {"load_average": round(os.getloadavg()[0], 1)}  # Lighthouse's performance score suffers on a busy host
    with tempfile.TemporaryDirectory() as tmp:
        for engine in ("mkdocs", "zensical"):
            times = []
            for n in range(runs):
                workdir = Path(tmp) / f"{engine}-{n}"
                workdir.mkdir()
                site, seconds = build_site(engine, workdir)
                times.append(seconds)
            out[f"build_{engine}_s"] = round(statistics.median(times), 2)
            if engine == "mkdocs":
                published = site  # what the docs workflow publishes
        with serve_like_pages(published) as base_url:
            weight = page_weight(base_url)
            if with_lighthouse:
                out["lighthouse"] = lighthouse(base_url, runs=lighthouse_runs)
                out["lighthouse_desktop"] = lighthouse(base_url, preset="desktop", runs=desktop_runs)
    out.update({
        "guide_first_load_kb": weight["first_view_kb"],
        "guide_first_load_requests": weight["first_view_requests"],
        "guide_whole_page_kb": weight["whole_page_kb"],
        "guide_screenshots_kb": weight["screenshots_kb"],
        "guide_lcp_ms": weight["lcp_ms"],
        "guide_cls": weight["cls"],
    })
    return out


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def table(results: dict) -> str:
    rows = [
        "| Measure | Result | Target | Met |", "| --- | --- | --- | --- |",
        f"| Guide page, first view (transferred, gzip) | {results['guide_first_load_kb']:,} KB in {results['guide_first_load_requests']} requests | ≤ {FIRST_VIEW_BUDGET_KB:,} KB | {verdict(results['guide_first_load_kb'] <= FIRST_VIEW_BUDGET_KB)} |",
        f"| Guide page, whole page with every screenshot | {results['guide_whole_page_kb']:,} KB (screenshots {results['guide_screenshots_kb']:,} KB) | ≤ {WHOLE_PAGE_BUDGET_KB:,} KB | {verdict(results['guide_whole_page_kb'] <= WHOLE_PAGE_BUDGET_KB)} |",
        f"| Guide page, Largest Contentful Paint (loopback) | {results['guide_lcp_ms']} ms | ≤ 1,000 ms | {verdict(results['guide_lcp_ms'] <= 1000)} |",
        f"| Guide page, Cumulative Layout Shift | {results['guide_cls']} | 0 | {verdict(results['guide_cls'] == 0)} |",
    ]
    notes = []
    for key in ("lighthouse", "lighthouse_desktop"):
        lh = results.get(key)
        if not lh:
            continue
        if "error" in lh:
            notes.append(f"Lighthouse ({key}): not measured ({lh['error']}).")
            continue
        for category in CATEGORIES:
            values = {page: s[category] for page, s in lh["scores"].items()}
            low = min(values.values())
            worst = ", ".join(k for k, v in values.items() if v == low)
            shown = f"{low}" + ("" if low == 100 else f" (lowest: {worst})")
            rows.append(f"| Lighthouse {lh['preset']}: {category.replace('-', ' ')}, every page, light and dark | {shown} | "
                        f"{'≥ ' if TARGETS[category] < 100 else ''}{TARGETS[category]} | {verdict(low >= TARGETS[category])} |")
        perf = ", ".join(f"{page} {s['performance']}" for page, s in lh["scores"].items())
        note = (f"Lighthouse {lh['version']} {lh['preset']} ({'default: a mid-range phone on slow 4G, CPU slowed 4x, simulated' if lh['preset'] == 'mobile' else 'desktop preset'}), "
                f"median of {lh['runs']} run(s) per page; host benchmarkIndex {lh['benchmark_index'][0]}–{lh['benchmark_index'][1]}. "
                f"Performance per page: {perf}.")
        if lh["failed_audits"]:
            note += " Audits below 100 outside performance: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in lh["failed_audits"].items()) + "."
        notes.append(note)
    if notes:
        notes.insert(0, "Lighthouse runs against the MkDocs build served with gzip on 127.0.0.1; dark via Chromium's `--force-dark-mode`.")
    note = "\n\n" + "\n\n".join(notes) if notes else ""
    runs = ""
    if any(results.get(k, {}).get("runs", 1) > 1 for k in ("lighthouse", "lighthouse_desktop")):
        runs = f" --lighthouse-runs {results['lighthouse'].get('runs', 1)} --desktop-runs {results['lighthouse_desktop'].get('runs', 1)}"
    return "\n".join(rows) + note + f"\n\nMeasured {date.today().isoformat()} on {os.cpu_count()} cores, load average {results.get('load_average', '?')} at the start (`python bench/site_bench.py --lighthouse{runs} --write`)."


def record(text: str, page: Path = ROOT / "docs" / "maintainers.md") -> None:
    start, end = "<!-- site-bench:start -->", "<!-- site-bench:end -->"
    content = page.read_text(encoding="utf-8")
    if start not in content:
        raise SystemExit(f"{page}: no {start} … {end} block to write into")
    content = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: f"{start}\n{text}\n{end}", content, flags=re.DOTALL)
    page.write_text(content, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse on every page, light and dark (a few minutes)")
    parser.add_argument("--runs", type=int, default=3, help="builds per engine (median)")
    parser.add_argument("--lighthouse-runs", type=int, default=1, help="Lighthouse mobile runs per page and scheme (median)")
    parser.add_argument("--desktop-runs", type=int, default=1, help="Lighthouse desktop runs per page and scheme (median)")
    parser.add_argument("--write", action="store_true", help="record the table on docs/maintainers.md")
    args = parser.parse_args()
    results = run(args.runs, with_lighthouse=args.lighthouse, lighthouse_runs=args.lighthouse_runs, desktop_runs=args.desktop_runs)
    print(json.dumps(results, indent=2))
    text = table(results)
    print(text)
    if args.write:
        record(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
