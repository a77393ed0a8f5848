"""The committed screenshots keep their contracts without a browser: highlights on the elements
the guide names, checkbox states, 2x captures declared at CSS size, no solid slab where a secret
was, and the reviewers' sheet."""

import re
import subprocess
import sys
from html.parser import HTMLParser

from PIL import Image

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
