"""Run every benchmark; print a table; with --write, record it in docs/maintainers.md."""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import screens_bench, site_bench, verify_bench  # noqa: E402

ROWS = [
    ("`checks.verify` happy path, two ad accounts, 200 ms latency per request", "verify_happy_path_s", "s", "≤ 0.85 s"),
    ("`checks.verify` ten credential sets, 200 ms latency per request", "verify_ten_sets_s", "s", "≤ 1.5 s"),
    ("`checks.verify --help` start-up", "verify_help_s", "s", "≤ 0.25 s"),
    ("`mkdocs build` (whole site)", "build_mkdocs_s", "s", "≤ 5 s"),
    ("`zensical build` (whole site)", "build_zensical_s", "s", "—"),
    ("Guide page, first load (transferred)", "guide_first_load_kb", "KB", "≤ 1,000 KB"),
    ("Guide page, Largest Contentful Paint (loopback)", "guide_lcp_ms", "ms", "≤ 1,000 ms"),
    ("Guide page, Cumulative Layout Shift", "guide_cls", "", "0"),
    ("Render all screenshots (`capture`)", "capture_all_s", "s", "≤ 30 s"),
    ("Check all steps (`drift`, model)", "drift_s", "s", "≤ 15 s"),
    ("Check all steps, content rendered by script 1.5 s after load (`drift`, model)", "drift_script_rendered_s", "s", "≤ 45 s"),
    ("OCR secret scan of `res/`", "scan_res_s", "s", "—"),
    ("Screenshot size, average", "image_avg_kb", "KB", "≤ 120 KB"),
    ("Guide page, whole, every screenshot loaded (uncompressed)", "guide_whole_page_kb_all_images", "KB", "≤ 1,200 KB"),
    ("Screenshot text vs the portal's own size, 1280 px desktop, worst image", "screenshot_text_share_min", "", "≥ 85 %"),
    ("Screenshot word height on a 1280 px desktop, smallest image median", "screenshot_word_px_min", "px", "≈ 10 px"),
]


def chromium_version() -> str:
    from checks.screens.browser import find_chromium

    try:
        path = find_chromium()
        return subprocess.run([path, "--version"], capture_output=True, text=True).stdout.strip() if path else "Playwright's Chromium"
    except Exception as exc:  # the table is still useful without it
        return f"unknown ({exc})"


def table(results: dict) -> str:
    lines = ["| Measure | Result | Target |", "| --- | --- | --- |"]
    for label, key, unit, target in ROWS:
        value = results.get(key)
        lines.append(f"| {label} | {value}{(' ' + unit) if unit else ''} | {target} |")
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {chromium_version()}"
    return "\n".join(lines) + f"\n\nMeasured {date.today().isoformat()} on {machine} (medians; `make bench`)."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="record the table in docs/maintainers.md")
    args = parser.parse_args()
    results = {}
    for name, module in (("verify", verify_bench), ("site", site_bench), ("screens", screens_bench)):
        print(f"running {name} benchmarks …", file=sys.stderr, flush=True)
        results.update(module.run())
    text = table(results)
    print(text)
    if args.write:
        page = ROOT / "docs" / "maintainers.md"
        content = page.read_text(encoding="utf-8")
        new, count = re.subn(r"(<!-- bench:start -->\n)(?:.*?\n)?(<!-- bench:end -->)",
                             lambda m: m.group(1) + text + "\n" + m.group(2), content, flags=re.S)
        if count != 1:
            print("docs/maintainers.md lacks the <!-- bench:start/end --> markers", file=sys.stderr)
            return 1
        page.write_text(new, encoding="utf-8")
        print(f"recorded in {page.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
