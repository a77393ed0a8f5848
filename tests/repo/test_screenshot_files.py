"""The committed screenshots keep their contracts without a browser: highlights on the elements
the guide names, checkbox states, 2x captures declared at CSS size, no solid slab where a secret
was, and the reviewers' sheet."""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from PIL import Image

from checks.screens.edges import pixel_cuts
from checks.screens.example import load_example
from checks.screens.review import guide_contexts
from checks.screens.steps import ElementSpec, load_steps
from tests.support import ROOT

STEPS = load_steps()
GUIDE = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")


# ---- what the committed pictures show ----------------------------------------------------------
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
