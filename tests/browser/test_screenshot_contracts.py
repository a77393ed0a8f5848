"""Screenshots a reader can trust: each picture shows its step's target, whole, legible, in the
state the text describes, with secrets as dots; and a reviewer gets one sheet of them all."""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest
import yaml
from PIL import Image

from checks.screens.capture import (
    DOTS,
    SecretNotHidden,
    assert_redacted,
    capture_all,
    redact,
)
from checks.screens.drift import stale_line
from checks.screens.edges import pixel_cuts
from checks.screens.example import load_example
from checks.screens.model import serve_model
from checks.screens.review import guide_contexts
from checks.screens.steps import STEPS_FILE, ElementSpec, load_steps
from checks.screens.walk import Portal
from tests.support import ROOT

STEPS = load_steps()
GUIDE = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")


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


# ---- what the committed pictures show ----------------------------------------------------------
def test_no_committed_picture_has_an_edge_through_text_or_a_control():
    ragged = {s.image: pixel_cuts(str(ROOT / "res" / s.image)) for s in STEPS.screens}
    assert {name: edges for name, edges in ragged.items() if edges} == {}


def _text_line(image, vertical: bool) -> int:
    """A row (or column) of `image` that runs through text: the one with the most sharp changes."""
    from checks.screens.edges import SHARP

    grey = image.convert("L")
    data = grey.load()
    width, height = grey.size
    def changes(i):
        line = [data[x, i] for x in range(width)] if not vertical else [data[i, y] for y in range(height)]
        return sum(abs(a - b) > SHARP for a, b in zip(line, line[1:], strict=False))
    return max(range(10, (width if vertical else height) - 10, 3), key=changes)


@pytest.mark.parametrize("edge", ["top", "bottom", "left", "right"])
def test_a_committed_picture_cropped_through_text_fails_naming_the_edge(tmp_path, edge):
    with Image.open(ROOT / "res" / "request-token.png") as image:
        image = image.convert("RGB")
        row, column = _text_line(image, vertical=False), _text_line(image, vertical=True)
        box = {"top": (0, row, image.width, image.height), "bottom": (0, 0, image.width, row),
               "left": (column, 0, image.width, image.height), "right": (0, 0, column, image.height)}[edge]
        bad = tmp_path / "bad.png"
        image.crop(box).save(bad)
    assert edge in pixel_cuts(str(bad)), f"a crop through text at the {edge} edge was not seen"


@pytest.mark.slow  # OCR of one screenshot
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed")
def test_the_token_picture_shows_the_example_expiry_epochs():
    import pytesseract

    example = load_example()
    with Image.open(ROOT / "res" / "copy-refresh-token.png") as image:
        text = pytesseract.image_to_string(image)
    assert re.findall(r"\b1\d{9}\b", text) == [str(example.access_expires_epoch), str(example.refresh_expires_epoch)]
    assert example.refresh_expires_epoch - example.token_created_epoch == 365 * 86400

def test_highlights_are_on_the_elements_the_guide_names():
    contexts = guide_contexts(GUIDE)
    named = {s.id: [h.get("name") for h in s.highlight] for s in STEPS.screens}
    assert ElementSpec(role=("button",), name="Copy") in STEPS.get("credentials").highlight  # "the copy icon"
    assert named["copy-refresh-token"] == ["Copy refresh token"]
    assert named["oauth-tools-link"] == ["OAuth 2.0 tools"]
    # The guide says "Upload an **App logo**"; the button itself is labelled "Upload a logo".
    allowed = {("create-app-submit", "Upload a logo"), ("credentials", "Copy")}
    for screen in STEPS.screens:
        context = contexts[screen.image]
        words = f"{context.text} {context.caption} {context.alt}"
        for spec in screen.highlight:
            name = spec.get("name") or spec.get("text")
            if (screen.id, name) in allowed:
                continue
            found = re.search(name.strip("/").lstrip("^"), words) if name.startswith("/") else name.lower() in words.lower()
            assert found, f"{screen.id}: highlight {name!r} is not what its guide text names"
    assert "copy icon" in contexts["credentials.png"].text


def test_declared_checkbox_states_are_the_ones_the_guide_asks_for():
    for screen_id in ("select-scopes", "request-token"):
        assert {"r_ads", "r_ads_reporting"} <= set(STEPS.get(screen_id).expect.checked)


def test_pictures_are_captured_at_twice_the_css_size_and_declared_at_css_size():
    assert STEPS.scale == 2
    declared = {name: (int(w), int(h)) for name, w, h in
                re.findall(r"\]\(res/([\w.-]+)\)\{ width=\"(\d+)\" height=\"(\d+)\"", GUIDE)}
    assert set(declared) == {s.image for s in STEPS.screens}
    for name, (width, height) in declared.items():
        with Image.open(ROOT / "res" / name) as image:
            assert image.size == (width * 2, height * 2), name


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


def test_no_picture_has_a_solid_slab_where_a_secret_was():
    slab = (0x5B, 0x65, 0x70)  # the old mask colour
    for screen in STEPS.screens:
        with Image.open(ROOT / "res" / screen.image) as image:
            colours = image.convert("RGB").getcolors(1 << 20) or []
        assert not any(c == slab and n > 2000 for n, c in colours), screen.image


# ---- the reviewer's contact sheet ---------------------------------------------------------------
class _Sections(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.images, self.depth = [], 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.ids.append(attrs.get("id"))
        if tag == "img" and (attrs.get("src") or "").startswith("data:image/png;base64,"):
            self.images += 1


def test_review_sheet_lists_every_screen_with_its_picture_and_guide_text(tmp_path):
    out = tmp_path / "review.html"
    proc = subprocess.run([sys.executable, "-m", "checks.screens", "review", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert f"({len(STEPS.screens)} screens)" in proc.stdout
    page = out.read_text(encoding="utf-8")
    parser = _Sections()
    parser.feed(page)
    assert parser.ids == [s.id for s in STEPS.screens]
    assert parser.images == len(STEPS.screens)
    for screen in STEPS.screens:
        assert f"Step {screen.guide_step} · {screen.title}" in page.replace("&#x27;", "'")
    assert "Click **Copy refresh token**" in page  # the guide's own words beside the picture
