"""A frame edge never cuts through text or a control: the DOM rule (cuts, snap) on made-up page
pieces, and the pixel rule on drawn images."""

import io

import pytest

from checks.screens.edges import SNAP_PAD, cuts, describe_cuts, pixel_cuts, snap
from tests.support.optional import optional

Image, ImageDraw, ImageFont = optional("PIL.Image", "PIL.ImageDraw", "PIL.ImageFont")
PAGE = (0, 0, 1000, 2000)  # left, top, right, bottom


def text(name, x, y, w=200, h=18):
    return {"kind": "text", "name": name, "x": x, "y": y, "width": w, "height": h}


def test_an_edge_through_a_line_of_text_is_named_and_a_gap_between_lines_is_not():
    pieces = [text("Client credential (2-legged)", 40, 100), text("Select scopes:", 40, 140)]
    found = cuts(pieces, {"x": 20, "y": 110, "width": 600, "height": 300}, PAGE)
    assert [str(c) for c in found] == ['the frame\'s top edge cuts through text "Client credential (2-legged)"']
    assert cuts(pieces, {"x": 20, "y": 125, "width": 600, "height": 300}, PAGE) == []
    many = [text(f"word {i}", 40 + 60 * i, 100, w=50) for i in range(5)]
    assert describe_cuts(cuts(many, {"x": 0, "y": 110, "width": 600, "height": 300}, PAGE)) == [
        'the frame\'s top edge cuts through text "word 0", text "word 1", text "word 2" (and 2 more)']


def test_a_small_box_cut_to_an_empty_strip_is_a_cut_but_a_large_card_is_not():
    notice = {"kind": "box", "name": "This app is not verified", "x": 50, "y": 460, "width": 560, "height": 64,
              "tall": True, "wide": False}
    card = {"kind": "box", "name": "card", "x": 30, "y": 200, "width": 600, "height": 700, "tall": False, "wide": False}
    found = cuts([notice, card], {"x": 0, "y": 0, "width": 700, "height": 480}, PAGE)
    assert [(c.edge, c.name) for c in found] == [("bottom", "This app is not verified")]


def test_an_edge_on_the_pages_own_border_cuts_nothing():
    bar = {"kind": "box", "name": "top bar", "x": 0, "y": 0, "width": 1000, "height": 56, "tall": True, "wide": False}
    assert cuts([bar], {"x": 0, "y": 0, "width": 700, "height": 400}, PAGE) == []
    assert [c.edge for c in cuts([bar], {"x": 0, "y": 20, "width": 700, "height": 400}, PAGE)] == ["top"]


def test_snap_moves_edges_outward_past_what_they_cut_and_only_outward():
    pieces = [text("radio label", 40, 100), text("next line", 40, 124), text("far below", 40, 900)]
    frame = snap(pieces, {"x": 20, "y": 130, "width": 600, "height": 300}, PAGE)
    assert frame["y"] == 100 - SNAP_PAD, "past the line it cut, then past the one that made it cut again"
    assert frame["y"] + frame["height"] == 430, "the bottom cut nothing and stays"
    assert cuts(pieces, frame, PAGE) == []
    at_top = snap([text("header", 40, 4)], {"x": 0, "y": 10, "width": 600, "height": 100}, PAGE)
    assert at_top["y"] == 0, "never past the page's own border"


# ---- on the image -------------------------------------------------------------------------------
def picture(lines, size=(600, 300)):
    """A white picture with lines of black text at the given y positions."""
    from checks.screens.model import PORTAL_DIR

    font = ImageFont.truetype(str(PORTAL_DIR / "assets" / "fonts" / "DejaVuSans.ttf"), 28)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for y in lines:
        draw.text((20, y), "Member authorization code (3-legged)", fill="black", font=font)
    draw.rounded_rectangle([420, 200, 560, 250], radius=6, fill="#0a66c2")  # a button: two sides
    return image


def png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_pixels_a_clean_picture_passes_and_each_cut_edge_is_named():
    image = picture([60, 120])
    assert pixel_cuts(png(image)) == {}
    assert set(pixel_cuts(png(image.crop((0, 70, 600, 300))))) == {"top"}
    assert set(pixel_cuts(png(image.crop((0, 0, 600, 135))))) == {"bottom"}
    assert set(pixel_cuts(png(image.crop((100, 0, 600, 300))))) == {"left"}
    assert set(pixel_cuts(png(image.crop((0, 0, 300, 300))))) == {"right"}


def test_pixels_an_edge_across_one_button_is_not_a_cut():
    image = picture([60])
    assert pixel_cuts(png(image.crop((0, 0, 600, 225)))) == {}, "a filled shape's two sides are allowed"


@pytest.mark.parametrize("lines", [1, 2])
def test_pixels_look_at_the_outermost_lines(lines):
    image = picture([60])
    cut = image.crop((0, 71, 600, 300))  # glyphs' lower halves reach the very top row
    assert "top" in pixel_cuts(png(cut), lines)
