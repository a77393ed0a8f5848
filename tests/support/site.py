"""Build the guide with MkDocs or Zensical from a copy of the sources, for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support import ROOT

ENGINES = ("mkdocs", "zensical")
# Every page of the site, as paths under its root.
PAGES = ["", "guide/", "connect/", "cli/", "verify/", "troubleshooting/", "errors/", "maintainers/"]


@dataclass
class Site:
    engine: str
    root: Path
    url: str
    build_seconds: float

    @property
    def netloc(self) -> str:
        return self.url.split("//", 1)[1].rstrip("/")


def build_site(engine: str, workdir: Path) -> tuple[Path, float]:
    """Build the site with `engine` from a copy of the sources; returns the output folder and seconds."""
    src = workdir / "src"
    src.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", src / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", src / "docs", symlinks=True)
    shutil.copytree(ROOT / "res", src / "res")
    shutil.copytree(ROOT / "overrides", src / "overrides")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if engine == "mkdocs":
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(src / "site")]
    else:
        cmd = [sys.executable, "-m", "zensical", "build", "--clean"]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=src, env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise AssertionError(f"{engine} build failed:\n{proc.stdout}\n{proc.stderr}")
    return src / "site", time.monotonic() - started


def load_everything(page, url):
    page.goto(url, wait_until="load")
    # Screenshots load lazily: make them load now so every image is checked.
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    page.wait_for_function("[...document.images].every(i => i.complete)", timeout=10000)
    page.wait_for_load_state("networkidle")


def site_search(page, site, query):
    """Type `query` into the site search (either engine) and return the result links."""
    page.goto(site.url, wait_until="networkidle")
    page.keyboard.press("/")  # both engines' shortcut to open search
    page.get_by_placeholder("Search").first.press_sequentially(query, delay=20)  # typing, not fill()
    # Material lists .md-search-result__link; Zensical's newer UI lists role=option links.
    results = page.locator(".md-search-result__link, a[role=option][href]")
    results.first.wait_for(timeout=10000)
    return results
