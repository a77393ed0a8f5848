"""checks.screens without a browser: the steps file, the guide and res/ agree, the live-portal
guards, the OCR secret scan and the masks on the committed screenshots."""

import io
import os
import re
import shutil
from pathlib import Path

import pytest

from checks.screens.images import MaskNotApplied, assert_masked, display_size
from checks.screens.model import PORTAL_DIR
from checks.screens.scan import findings_in_text, scan
from checks.screens.steps import StepsError, load_steps
from checks.screens.walk import Portal
from tests.support import ROOT
from tests.support.optional import installed, optional

Image, ImageDraw, ImageFont = optional("PIL.Image", "PIL.ImageDraw", "PIL.ImageFont")  # tests using them skip without Pillow

needs_ocr = pytest.mark.skipif(shutil.which("tesseract") is None or not installed("pytesseract", "PIL"),
                               reason="tesseract-ocr, pytesseract or Pillow is not installed")

STEPS = load_steps()
GUIDE = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")


# ---- the guide and the steps file agree (no browser) ---------------------------------------------
def guide_steps_text() -> str:
    """Steps 1-5 of the guide, where the reader is told what to click."""
    start = GUIDE.index("## Step 1")
    return GUIDE[start:GUIDE.index("## Step 6")]


# Bold text in the steps that is emphasis or names something outside the Developer Portal.
NOT_PORTAL_LABELS = {
    "Copy the Refresh token, not the Access token.",  # an instruction
    "Data privacy", "Permitted services",  # LinkedIn member settings, not the portal
    "Access token",  # a heading of the result page, named in a warning
}


def test_every_bold_ui_label_in_the_guide_is_a_documented_element():
    documented = set()
    for screen in STEPS.screens:
        documented.update(screen.labels)
        for spec in [screen.target, *screen.highlight]:
            if isinstance(spec.get("name"), str):
                documented.add(spec["name"])
    def norm(label):
        return label.rstrip(":*").strip()

    documented = {norm(d) for d in documented}
    bold = {norm(b) for b in re.findall(r"\*\*([^*]+)\*\*", guide_steps_text())}
    missing = sorted(b for b in bold - {norm(n) for n in NOT_PORTAL_LABELS} if b not in documented)
    assert missing == [], f"bold labels in the guide that steps.yaml does not check: {missing}"


def test_every_guide_screenshot_comes_from_a_step_and_res_has_no_orphans():
    shown = re.findall(r"\]\(res/([\w.-]+)\)", GUIDE)
    produced = [s.image for s in STEPS.screens]
    assert sorted(shown) == sorted(produced)
    in_res = sorted(p.name for p in (ROOT / "res").iterdir())
    assert in_res == sorted(produced), "res/ holds an image no step produces, or lacks one"


def test_docs_res_mirrors_res_with_relative_links():
    links = sorted((ROOT / "docs" / "res").iterdir())
    assert [p.name for p in links] == sorted(p.name for p in (ROOT / "res").iterdir())
    for link in links:
        assert link.is_symlink() and os.readlink(link) == f"../../res/{link.name}"


def test_docs_declare_each_screenshots_real_proportions():
    for name, width, height in re.findall(r"\]\(res/([\w.-]+)\)\{ width=\"(\d+)\" height=\"(\d+)\"", GUIDE):
        with Image.open(ROOT / "res" / name) as image:
            assert (int(width), int(height)) == display_size(*image.size, STEPS.scale), name


def test_each_step_has_its_guide_step_and_account_changing_actions_are_marked():
    assert {s.guide_step for s in STEPS.screens} == {1, 2, 3, 4, 5}
    # Opening the verification dialog and clicking Allow change a real account.
    assert STEPS.get("verify-dialog").changes_account and STEPS.get("copy-refresh-token").changes_account
    assert not STEPS.get("create-token").changes_account


def test_steps_file_errors_are_explained(tmp_path):
    bad = tmp_path / "steps.yaml"
    bad.write_text("version: 1\nscreens:\n  - {id: x, guide_step: 1, path: /, image: x.png, target: {css: '#x'}}\n")
    with pytest.raises(StepsError, match=r'steps.yaml: screen "x", key "target.css": unknown key'):
        load_steps(bad)


def test_live_portal_skips_what_it_must_not_do():
    from checks.screens.walk import skip_reason

    public = Portal.live("https://www.linkedin.com", None, {}, None)
    assert public.developer == "https://developer.linkedin.com"
    assert skip_reason(STEPS.get("create-app"), public) is None
    assert "signed-in" in skip_reason(STEPS.get("credentials"), public)
    signed_in = Portal.live("https://www.linkedin.com", None, {"app_id": "1"}, "state.json")
    assert "change the account" in skip_reason(STEPS.get("copy-refresh-token"), signed_in)
    assert "account state" in skip_reason(STEPS.get("verified"), signed_in)
    assert "--client-id" in skip_reason(STEPS.get("allow"), signed_in)


def test_mask_check_fails_closed():
    image = Image.new("RGB", (100, 60), "white")
    ImageDraw.Draw(image).rectangle([10, 10, 60, 40], fill="#5b6570")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    assert_masked(buf.getvalue(), [{"x": 10, "y": 10, "width": 50, "height": 30}], "#5b6570")
    with pytest.raises(MaskNotApplied):
        assert_masked(buf.getvalue(), [{"x": 40, "y": 10, "width": 50, "height": 30}], "#5b6570")


def test_secret_fields_show_dots_not_values_in_the_images():
    """The Primary Client Secret and both tokens show as dots, as the portal shows a hidden value."""
    import pytesseract

    if shutil.which("tesseract") is None:
        pytest.skip("tesseract-ocr is not installed")
    with Image.open(ROOT / "res" / "copy-refresh-token.png") as image:
        text = pytesseract.image_to_string(image)
    assert "EXAMPLE" not in text and "AQ" not in text, "the token boxes show their (fake) values"
    assert "Copy refresh token" in text


# ---- scan ------------------------------------------------------------------------------------------
def synthetic(tmp_path, text, name="leak.png"):
    font = ImageFont.truetype(str(PORTAL_DIR / "assets" / "fonts" / "DejaVuSans.ttf"), 22)
    image = Image.new("RGB", (1100, 80), "white")
    ImageDraw.Draw(image).text((10, 25), text, fill="black", font=font)
    path = tmp_path / name
    image.save(path)
    return path


@needs_ocr
def test_scan_flags_a_token_a_secret_and_an_email_in_an_image(tmp_path):
    synthetic(tmp_path, "Refresh token: AQXv8Rk2LmQ9zT4pWy7N3bHc", "token.png")
    synthetic(tmp_path, "Secret WPL_AP1.Kd93jfL2mQp0.Xy7w9Q==", "secret.png")
    synthetic(tmp_path, "Contact: jane.doe@example.com", "email.png")
    synthetic(tmp_path, "Nothing to see: r_ads, r_ads_reporting, w_organization_social", "clean.png")
    findings = scan([tmp_path])
    by_file = {f.path.name: f.kind for f in findings}
    assert by_file.get("token.png") == "LinkedIn token"
    assert by_file.get("secret.png") == "client secret"
    assert by_file.get("email.png") == "e-mail address"
    assert "clean.png" not in by_file
    assert all("AQXv8Rk2LmQ9" not in str(f) for f in findings), "a finding never prints the whole secret"


def test_scan_sees_a_partly_blurred_token_fragment():
    kinds = [f.kind for f in findings_in_text(Path("x.png"), "token ░░░░ v8Rk2LmQ9zT4pWy7N3bHc ░░")]
    assert kinds == ["token-like fragment"]
    assert findings_in_text(Path("x.png"), "rw_organization_admin r_ads_reporting urn:li:sponsoredAccount") == []
