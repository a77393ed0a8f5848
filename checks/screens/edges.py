"""Clean frame edges: no edge of a screenshot cuts through text or a control.

Two views of the same rule. In the page (DOM): every line of text, every control (field, button,
link, checkbox, radio, tab, icon) and every small box drawn on its own (a notice, a chip, the top
bar) is either wholly inside the frame or wholly outside it; `snap` moves the edges outward until
that holds. On the rendered image (pixels): along each edge's outermost lines, sharp luminance
changes mean the edge runs through glyphs or outlines; a clean edge runs through background,
across at most one filled shape (a button's or a bar's sides).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

# Room kept between an edge and the nearest text or control it was moved past (CSS px).
SNAP_PAD = 8
# A box drawn on its own (background or border) at most this tall (or wide, for the side edges)
# must not be cut: a notice cut to an empty strip, half a top bar. Cards and columns are larger.
SMALL_BOX = 160
SNAP_ROUNDS = 12

# Everything an edge must not cut, as rectangles in viewport coordinates, with a short name.
PIECES_JS = """
([smallBox]) => {
  const pieces = [];
  const name = (el) => (el.getAttribute('aria-label') || el.innerText || el.value || el.placeholder
                        || el.tagName.toLowerCase()).trim().replace(/\\s+/g, ' ').slice(0, 40);
  const visible = (el) => {
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && parseFloat(s.opacity || '1') > 0;
  };
  // Behind an open modal dialog the page is dimmed and inert: only the dialog's content counts.
  const modal = [...document.querySelectorAll('[aria-modal=true], dialog[open]')]
    .find((el) => visible(el) && el.getBoundingClientRect().width > 0);
  const root = modal || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || !node.parentElement || !visible(node.parentElement)) continue;
    if (node.parentElement.closest('script, style, template, [aria-hidden=true] svg')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && r.height > 0)
        pieces.push({kind: 'text', name: node.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40),
                     x: r.x, y: r.y, width: r.width, height: r.height});
    }
  }
  const controls = 'input, textarea, select, button, a, img, svg, [role=button], [role=checkbox], ' +
                   '[role=radio], [role=tab], [role=img], [role=link]';
  for (const el of root.querySelectorAll('*')) {
    if (!visible(el) || el.closest('#__docs_highlight')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let kind = null;
    if (el.matches(controls)) kind = 'control';
    else {
      const s = getComputedStyle(el);
      const filled = s.backgroundColor !== 'rgba(0, 0, 0, 0)' && s.backgroundColor !== 'transparent';
      const bordered = parseFloat(s.borderTopWidth) > 0 || parseFloat(s.borderLeftWidth) > 0;
      if ((filled || bordered) && (r.height <= smallBox || r.width <= smallBox)) kind = 'box';
    }
    if (kind) pieces.push({kind, name: name(el), x: r.x, y: r.y, width: r.width, height: r.height,
                           tall: r.height <= smallBox, wide: r.width <= smallBox});
  }
  return pieces;
}
"""


@dataclass(frozen=True)
class Cut:
    edge: str  # top | bottom | left | right
    kind: str  # text | control | box
    name: str
    box: dict

    def __str__(self) -> str:
        return f'the frame\'s {self.edge} edge cuts through {self.kind} "{self.name}"'


def cuts(pieces: list[dict], clip: dict, page: tuple[float, float, float, float]) -> list[Cut]:
    """Which pieces each edge of `clip` runs through. `page` is the page's (left, top, right,
    bottom) in the same coordinates: an edge on the page's own border cuts nothing."""
    left, top, right, bottom = page
    x0, y0 = clip["x"], clip["y"]
    x1, y1 = x0 + clip["width"], y0 + clip["height"]
    found = []
    for p in pieces:
        px0, py0, px1, py1 = p["x"], p["y"], p["x"] + p["width"], p["y"] + p["height"]
        across = px1 > x0 + 0.5 and px0 < x1 - 0.5  # overlaps the frame left to right
        down = py1 > y0 + 0.5 and py0 < y1 - 0.5
        # A box is "small" along the direction the edge cuts it (a wide notice cut by the bottom edge).
        horizontal_ok = p["kind"] != "box" or p.get("tall", True)
        vertical_ok = p["kind"] != "box" or p.get("wide", True)
        if across and horizontal_ok:
            if y0 > top + 0.5 and py0 < y0 - 0.5 < py1 - 1:
                found.append(Cut("top", p["kind"], p["name"], p))
            if y1 < bottom - 0.5 and py0 + 1 < y1 + 0.5 < py1:
                found.append(Cut("bottom", p["kind"], p["name"], p))
        if down and vertical_ok:
            if x0 > left + 0.5 and px0 < x0 - 0.5 < px1 - 1:
                found.append(Cut("left", p["kind"], p["name"], p))
            if x1 < right - 0.5 and px0 + 1 < x1 + 0.5 < px1:
                found.append(Cut("right", p["kind"], p["name"], p))
    return found


def describe_cuts(found: list[Cut], shown: int = 3) -> list[str]:
    """One line per cut edge, naming the first few things it cuts through."""
    lines = []
    for edge in ("top", "bottom", "left", "right"):
        names = list(dict.fromkeys(f'{c.kind} "{c.name}"' for c in found if c.edge == edge))
        if names:
            more = f" (and {len(names) - shown} more)" if len(names) > shown else ""
            lines.append(f"the frame's {edge} edge cuts through {', '.join(names[:shown])}{more}")
    return lines


def snap(pieces: list[dict], clip: dict, page: tuple[float, float, float, float]) -> dict:
    """Move each edge outward past what it cuts (plus SNAP_PAD), until no edge cuts anything or
    the page's border is reached. The frame only grows: what the step is about stays in it."""
    x0, y0 = clip["x"], clip["y"]
    x1, y1 = x0 + clip["width"], y0 + clip["height"]
    for _ in range(SNAP_ROUNDS):
        found = cuts(pieces, {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}, page)
        if not found:
            break
        for cut in found:
            b = cut.box
            if cut.edge == "top":
                y0 = max(page[1], min(y0, b["y"] - SNAP_PAD))
            elif cut.edge == "bottom":
                y1 = min(page[3], max(y1, b["y"] + b["height"] + SNAP_PAD))
            elif cut.edge == "left":
                x0 = max(page[0], min(x0, b["x"] - SNAP_PAD))
            else:
                x1 = min(page[2], max(x1, b["x"] + b["width"] + SNAP_PAD))
    return {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}


PAGE_JS = """() => [-window.scrollX, -window.scrollY,
  Math.min(document.documentElement.scrollWidth, window.innerWidth) - window.scrollX,
  document.documentElement.scrollHeight - window.scrollY]"""


def page_pieces(page) -> tuple[list[dict], tuple[float, float, float, float]]:
    """What must not be cut, and the page's borders, in viewport coordinates."""
    return page.evaluate(PIECES_JS, [SMALL_BOX]), tuple(page.evaluate(PAGE_JS))


# ---- on the rendered image ----------------------------------------------------------------------
# A step in luminance (0-255) between neighbouring pixels this large is an outline or a glyph's side.
SHARP = 60
# Sharp steps allowed along one edge line: the two sides of one filled shape (a button, a bar).
ALLOWED_STEPS = 2
EDGE_LINES = 2  # the outermost device-pixel lines looked at on each side


def _steps(line: list[float]) -> int:
    """Sharp changes along a line of luminances; neighbouring sharp pixels count once."""
    count, inside = 0, False
    for a, b in zip(line, line[1:], strict=False):
        sharp = abs(a - b) > SHARP
        if sharp and not inside:
            count += 1
        inside = sharp
    return count


def pixel_cuts(png: bytes | str, lines: int = EDGE_LINES) -> dict[str, int]:
    """Edges whose outermost lines cross more sharp changes than one filled shape makes:
    {edge: steps}. An empty dict means every edge runs through background."""
    from PIL import Image

    source = io.BytesIO(png) if isinstance(png, bytes) else png
    with Image.open(source) as image:
        grey = image.convert("L")
    width, height = grey.size
    data = grey.tobytes()  # one byte per pixel, row by row
    worst: dict[str, int] = {}
    for edge in ("top", "bottom", "left", "right"):
        for offset in range(min(lines, width, height)):
            if edge in ("top", "bottom"):
                y = offset if edge == "top" else height - 1 - offset
                line = list(data[y * width:(y + 1) * width])
            else:
                x = offset if edge == "left" else width - 1 - offset
                line = list(data[x::width])
            steps = _steps([float(v) for v in line])
            if steps > ALLOWED_STEPS:
                worst[edge] = max(worst.get(edge, 0), steps)
    return worst
