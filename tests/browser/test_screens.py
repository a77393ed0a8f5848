"""Executable docs in a browser: the portal model, drift, capture and login (the checks that need no
browser are in tests/unit/test_screens_offline.py)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checks.screens.capture import capture_all
from checks.screens.drift import check_drift, stale_line
from checks.screens.model import PORTAL_DIR, serve_model
from checks.screens.steps import load_steps
from checks.screens.walk import Portal
from tests.support import ROOT
from tests.support.optional import installed, optional

Image, ImageDraw, ImageFont = optional("PIL.Image", "PIL.ImageDraw", "PIL.ImageFont")  # tests using them skip without Pillow
needs_ocr = pytest.mark.skipif(shutil.which("tesseract") is None or not installed("pytesseract", "PIL"),
                               reason="tesseract-ocr, pytesseract or Pillow is not installed")

STEPS = load_steps()
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def model():
    with serve_model() as sites:
        yield Portal(sites.www, sites.developer, True, dict(STEPS.placeholders))


def altered_model(tmp_path, page_name, old, new):
    root = tmp_path / "portal"
    shutil.copytree(PORTAL_DIR, root)
    page = root / "pages" / f"{page_name}.html"
    text = page.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {page_name}"
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def drift_against(root, browser):
    with serve_model(root) as sites:
        # A short wait for content: the model renders at once, and each missing element waits it out.
        portal = Portal(sites.www, sites.developer, True, dict(STEPS.placeholders), settle_timeout_s=3)
        return check_drift(STEPS, portal, browser=browser)


# ---- drift -------------------------------------------------------------------------------------------
@pytest.mark.browser
def test_drift_passes_against_the_model(model, browser):
    outcomes = check_drift(STEPS, model, browser=browser)
    assert [(o.screen.id, o.problems) for o in outcomes if o.status != "ok"] == []


@pytest.mark.browser
def test_drift_names_a_renamed_button_and_what_replaced_it(tmp_path, browser):
    root = altered_model(tmp_path, "oauth-tools", ">Create token<", ">Generate token<")
    stale = [o for o in drift_against(root, browser) if o.status == "stale"]
    assert [o.screen.id for o in stale] == ["create-token"]
    line = stale_line(stale[0])
    assert line.startswith("create-token (Step 4")
    assert 'expected button/link "Create token"' in line and '"Generate token"' in line


@pytest.mark.browser
def test_drift_catches_a_removed_tab(tmp_path, browser):
    # Markup alone (a tab turned into a plain link) is not drift: a reader sees the same tab.
    tab = '<a role="tab" data-tab="products" href="/developers/apps/{app_id}/products">Products</a>'
    root = altered_model(tmp_path, "_app-header", tab, "")
    stale = {o.screen.id: o for o in drift_against(root, browser) if o.status == "stale"}
    assert set(stale) == {"request-access"}, "only the screen that uses the Products tab goes stale"
    assert 'tab "Products"' in stale_line(stale["request-access"])


@pytest.mark.browser
def test_drift_catches_a_link_moved_to_another_page(tmp_path, browser):
    root = altered_model(tmp_path, "app-auth", '<a href="/developers/tools/oauth">OAuth 2.0 tools</a>', "OAuth 2.0 tools")
    settings = root / "pages" / "app-settings.html"
    settings.write_text(settings.read_text().replace("<aside class=\"aside\">", '<aside class="aside"><a href="/developers/tools/oauth">OAuth 2.0 tools</a>'))
    stale = [o for o in drift_against(root, browser) if o.status == "stale"]
    assert [o.screen.id for o in stale] == ["oauth-tools-link"]
    assert "Step 4" in stale_line(stale[0])


@pytest.mark.browser
def test_drift_command_exit_code_and_report(tmp_path):
    root = altered_model(tmp_path, "consent", ">Allow<", ">Accept<")
    proc = subprocess.run([sys.executable, "-m", "checks.screens", "drift", "--model-dir", str(root), "--wait", "3"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    index = [s.id for s in STEPS.screens].index("allow") + 1
    assert f"[{index:2}/{len(STEPS.screens)}] STALE allow" in proc.stdout
    assert re.search(r"^allow \(Step 4, Consent screen\): expected button \"Allow\"; the page has instead: button \"Cancel\", button \"Accept\"", proc.stdout, re.M)


# ---- capture and freshness ------------------------------------------------------------------------
def pixel_difference(a: Path, b: Path, diff_out: Path) -> float:
    pixelmatch = pytest.importorskip("pixelmatch.contrib.PIL").pixelmatch

    with Image.open(a) as ia, Image.open(b) as ib:
        if ia.size != ib.size:
            return 1.0
        ia, ib = ia.convert("RGBA"), ib.convert("RGBA")
        diff = Image.new("RGBA", ia.size)
        changed = pixelmatch(ia, ib, diff, threshold=0.1)
        if changed:
            diff_out.parent.mkdir(parents=True, exist_ok=True)
            diff.save(diff_out)
        return changed / (ia.width * ia.height)


@pytest.mark.browser
def test_rendering_from_the_model_reproduces_the_committed_screenshots(model, browser, tmp_path):
    results = capture_all(STEPS, model, tmp_path, browser=browser)
    assert all(r.path for r in results), [r.outcome.problems for r in results if not r.path]
    stale = {}
    for result in results:
        committed = ROOT / "res" / result.path.name
        ratio = pixel_difference(result.path, committed, ARTIFACTS / f"diff-{result.path.name}")
        if ratio > 0.002:  # anti-aliasing may differ across machines; layout changes do not hide here
            shutil.copy(result.path, ARTIFACTS / f"new-{result.path.name}")
            stale[result.path.name] = f"{ratio:.2%} of pixels differ"
    assert stale == {}, f"re-run `python -m checks.screens capture` (diffs in {ARTIFACTS}): {stale}"
    sizes = [r.bytes for r in results]
    assert sum(sizes) / len(sizes) <= 120 * 1024


@pytest.mark.browser
def test_capture_fails_clearly_when_a_documented_element_is_missing(tmp_path, browser):
    root = altered_model(tmp_path, "token-generator", ">Request access token<", ">Get token<")
    with serve_model(root) as sites:
        portal = Portal(sites.www, sites.developer, True, dict(STEPS.placeholders))
        results = capture_all(STEPS, portal, tmp_path / "out", only=["request-token"], browser=browser)
    assert results[0].path is None and results[0].outcome.status == "stale"
    assert 'button "Get token"' in stale_line(results[0].outcome)
    assert not (tmp_path / "out" / "request-token.png").exists()


@needs_ocr
@pytest.mark.slow  # OCR of every screenshot: about half a minute
def test_scan_passes_every_committed_screenshot():
    proc = subprocess.run([sys.executable, "-m", "checks.screens", "scan", "res"], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout
    assert f"scanned {len(STEPS.screens)} images: 0 findings" in proc.stdout


# ---- login -----------------------------------------------------------------------------------------
@pytest.mark.browser
def test_login_saves_the_session_private(tmp_path, model):
    out = tmp_path / "state.json"
    proc = subprocess.run(
        [sys.executable, "-m", "checks.screens", "login", "--out", str(out), "--base-url", model.www,
         "--done-url", "**/login", "--timeout", "20", "--headless"],
        capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    assert '"cookies"' in out.read_text()
