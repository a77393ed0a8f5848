"""Screenshots a reader can trust: each picture shows its step's target, whole, legible, in the
state the text describes, with secrets as dots; and a reviewer gets one sheet of them all."""

import re
import shutil

import pytest
import yaml

from checks.screens.capture import (
    DOTS,
    SecretNotHidden,
    assert_redacted,
    capture_all,
    redact,
)
from checks.screens.drift import stale_line
from checks.screens.model import serve_model
from checks.screens.steps import STEPS_FILE, load_steps
from checks.screens.walk import Portal
from tests.support import ROOT

STEPS = load_steps()


@pytest.fixture(scope="module")
def model():
    with serve_model() as sites:
        yield Portal(sites.www, sites.developer, True, dict(STEPS.placeholders))


def broken_steps(tmp_path, screen_id, change):
    """A copy of steps.yaml where one screen is deliberately broken."""
    data = yaml.safe_load(STEPS_FILE.read_text(encoding="utf-8"))
    screen = next(s for s in data["screens"] if s["id"] == screen_id)
    change(screen)
    path = tmp_path / "steps.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_steps(path)


def capture_broken(steps, screen_id, model, browser, tmp_path):
    out = tmp_path / "out"
    [result] = capture_all(steps, model, out, only=[screen_id], browser=browser)
    assert result.path is None and result.outcome.status == "stale", "a broken picture must not be written"
    assert not (out / f"{screen_id}.png").exists()
    return stale_line(result.outcome)


# ---- a deliberately broken steps entry makes capture fail, naming the screen ---------------------
@pytest.mark.browser
def test_target_scrolled_out_of_the_frame_fails_naming_the_screen(tmp_path, model, browser):
    def crop_above_the_button(screen):
        screen["frame"] = {"text": "Selected app"}
        screen["clip"] = {"height": 220, "focus": "top"}

    line = capture_broken(broken_steps(tmp_path, "request-token", crop_above_the_button),
                          "request-token", model, browser, tmp_path)
    assert line.startswith("request-token (Step 4, Token generator, Request access token): screenshot contract")
    assert 'target button "Request access token" is not wholly inside the frame' in line


@pytest.mark.browser
def test_a_card_cut_by_the_frame_fails_naming_the_screen(tmp_path, model, browser):
    def too_narrow(screen):
        screen["clip"] = {"width": 400}

    steps = broken_steps(tmp_path, "no-scopes-error", too_narrow)
    line = capture_broken(steps, "no-scopes-error", model, browser, tmp_path)
    assert line.startswith("no-scopes-error (Step 4, ")
    assert re.search(r"the card holding target .* is cut by the frame's (left|right) edge", line)


@pytest.mark.browser
def test_a_box_unticked_that_expect_says_is_checked_fails_naming_the_screen(tmp_path, model, browser):
    def forget_to_tick_r_ads(screen):
        screen["actions"] = [a for a in screen["actions"] if "(?!_)" not in a["check"]["name"]]

    line = capture_broken(broken_steps(tmp_path, "select-scopes", forget_to_tick_r_ads),
                          "select-scopes", model, browser, tmp_path)
    assert line.startswith("select-scopes (Step 4, Token generator, scopes): ")
    assert "expected checkbox r_ads checked, but it is unchecked" in line


@pytest.mark.browser
def test_a_highlight_boxing_a_whole_section_fails(tmp_path, model, browser):
    def box_the_section(screen):
        screen["highlight"] = [{"role": "region", "name": "Refresh token"}]

    line = capture_broken(broken_steps(tmp_path, "copy-refresh-token", box_the_section),
                          "copy-refresh-token", model, browser, tmp_path)
    assert 'highlight region "Refresh token" boxes' in line and "not a region" in line


@pytest.mark.browser
def test_a_secret_that_cannot_be_found_fails_closed(tmp_path, model, browser):
    def rename_the_secret(screen):
        screen["secrets"] = [{"role": "textbox", "name": "Client Secret (renamed)"}]

    line = capture_broken(broken_steps(tmp_path, "credentials", rename_the_secret), "credentials", model, browser, tmp_path)
    assert "secret not hidden" in line and "Client Secret (renamed)" in line


@pytest.mark.browser
def test_secrets_show_as_dots_and_a_leak_after_redaction_is_caught(model, browser):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(model.www + "/developers/apps/123/auth")
        [locator] = redact(page, STEPS.get("credentials"))
        assert locator.input_value() == DOTS
        assert_redacted([locator])
        locator.evaluate("(el) => { el.value = 'WPL_AP1.real-looking-secret' }")
        with pytest.raises(SecretNotHidden):
            assert_redacted([locator])
    finally:
        context.close()


@pytest.mark.browser
def test_a_crop_through_a_radio_button_fails_naming_the_screen_and_the_edge(tmp_path, model, browser):
    def crop_through_the_flows(screen):
        # The frame the old picture had: its top edge ran through "Client credential (2-legged)".
        screen["clip"] = {"margin": 40, "snap": False}
        screen.pop("frame_also", None)

    line = capture_broken(broken_steps(tmp_path, "request-token", crop_through_the_flows),
                          "request-token", model, browser, tmp_path)
    assert line.startswith("request-token (Step 4, Token generator, Request access token): screenshot contract")
    assert re.search(r"the frame's top edge cuts through (text|control) \"Client credential", line), line


@pytest.mark.browser
@pytest.mark.parametrize("screen_id, old_clip, edge, cut", [
    # The frames these pictures had before edges were checked: half a top bar, a notice cut to a strip.
    ("app-name", {"height": 436, "snap": False}, "top", 'text "DEVELOPERS", text "Products"'),
    ("verify-button", {"height": 480, "focus": "top", "snap": False}, "bottom", 'text "This app is not verified'),
])
def test_the_old_ragged_frames_fail_naming_the_edge(tmp_path, model, browser, screen_id, old_clip, edge, cut):
    def old_frame(screen):
        screen["clip"] = old_clip

    line = capture_broken(broken_steps(tmp_path, screen_id, old_frame), screen_id, model, browser, tmp_path)
    assert line.startswith(f"{screen_id} (Step ") and "screenshot contract" in line
    assert re.search(rf"the frame's {edge} edge cuts through {cut}", line), line


@pytest.mark.slow  # OCR of every screenshot: make test runs it, make check leaves it out
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed")
@pytest.mark.parametrize("screen", STEPS.screens, ids=lambda s: s.id)
def test_picture_text_is_legible_at_the_size_a_desktop_reader_sees(screen):
    from checks.screens.legibility import DESKTOP_COLUMN_PX, WANTED_SHARE, measure

    figure = measure(ROOT / "res" / screen.image, STEPS.scale, DESKTOP_COLUMN_PX)
    assert figure.words >= 3, f"{screen.image}: OCR reads almost no words"
    assert figure.share >= WANTED_SHARE, (
        f"{screen.image}: text shown at {figure.share:.0%} of the portal's size "
        f"({figure.css_width} CSS px wide in a {DESKTOP_COLUMN_PX} px column): frame it narrower")
    assert figure.shown_word_px >= 9, f"{screen.image}: words {figure.shown_word_px:.1f} px tall on a desktop"


