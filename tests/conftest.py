import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No LinkedIn variables from the developer's shell, no stray .env: a fresh user's setup."""
    for name in list(os.environ):
        if name.startswith("LINKEDIN_") or name in ("NO_COLOR",):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LINKEDIN_FRESH_TOKEN_GRACE", "0")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---- browser: the project's own discovery (configured path, Playwright's, system Chromium) ----
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    from checks.screens.browser import LAUNCH_ARGS, find_chromium

    args = {**browser_type_launch_args, "args": LAUNCH_ARGS, "headless": True}
    path = find_chromium(playwright)
    if path:
        args["executable_path"] = path
    return args


@pytest.fixture(scope="session", autouse=False)
def browser_version(browser, pytestconfig):
    pytestconfig.stash.setdefault("browser_version", browser.version)
    return browser.version


def pytest_terminal_summary(terminalreporter, config):
    version = config.stash.get("browser_version", None) if hasattr(config, "stash") else None
    if version:
        terminalreporter.write_line(f"browser tests ran in Chromium {version} (pixel baselines can shift when it updates)")


# ---- the built site, served on 127.0.0.1 --------------------------------------------------------
ENGINES = ("mkdocs", "zensical")


class Site:
    def __init__(self, engine: str, root: Path, url: str, build_seconds: float):
        self.engine, self.root, self.url, self.build_seconds = engine, root, url, build_seconds

    @property
    def netloc(self) -> str:
        return self.url.split("//", 1)[1].rstrip("/")


def build_site(engine: str, workdir: Path) -> tuple[Path, float]:
    """Build the site with `engine` from a copy of the sources; returns the output folder."""
    import shutil
    import subprocess
    import time

    src = workdir / "src"
    src.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", src / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", src / "docs", symlinks=True)
    shutil.copytree(ROOT / "res", src / "res")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if engine == "mkdocs":
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(src / "site")]
    else:
        cmd = [sys.executable, "-m", "zensical", "build", "--clean"]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=src, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{engine} build failed:\n{proc.stdout}\n{proc.stderr}"
    return src / "site", time.monotonic() - started


@pytest.fixture(scope="session", params=ENGINES)
def site(request, tmp_path_factory):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    engine = request.param
    if engine == "zensical":
        pytest.importorskip("zensical", reason="zensical is not installed")
    out, seconds = build_site(engine, tmp_path_factory.mktemp(f"site-{engine}"))

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Site(engine, out, f"http://127.0.0.1:{server.server_address[1]}/", seconds)
    server.shutdown()
    server.server_close()
