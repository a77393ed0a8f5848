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
