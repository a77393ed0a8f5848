"""How large a screenshot's text appears to a reader: OCR word heights at the size the guide shows it.

A screenshot captured at device scale factor `scale` holds `scale` image pixels per CSS pixel of
the portal. The guide shows it at its CSS size unless the content column is narrower, which
shrinks it by column / CSS width. A word `h` image pixels tall therefore appears
h / scale * shrink CSS pixels tall; compared with the same word in the portal (h / scale), the
picture's text is `shrink` times the portal's own size. The OCR heights make the figure honest
about what is really in the picture (a mostly-heading image is not a mostly-footnote one).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

# The narrowest place the guide shows a picture on a 1280 px wide desktop window (Material for
# MkDocs, measured in the built site by bench/screens_bench.py): 688 CSS px at the top level,
# 658 in a list item, 632 in an admonition inside a list item.
DESKTOP_COLUMN_PX = 632
WANTED_SHARE = 0.85  # of the portal's own text size


@dataclass
class Legibility:
    image: str
    css_width: int
    shown_width: float
    words: int
    portal_word_px: float  # median word-box height at the portal's own size (CSS px)
    shown_word_px: float  # the same, as the reader sees it

    @property
    def share(self) -> float:
        return self.shown_word_px / self.portal_word_px if self.portal_word_px else 0.0


def word_heights(path: Path) -> list[int]:
    """Heights in image pixels of the words tesseract reads with confidence (letters only)."""
    import pytesseract  # type: ignore[import-untyped]
    from PIL import Image

    with Image.open(path) as image:
        data = pytesseract.image_to_data(image.convert("L"), output_type=pytesseract.Output.DICT,
                                         config="--psm 11")
    return [h for text, conf, h in zip(data["text"], data["conf"], data["height"], strict=True)
            if float(conf) >= 70 and len(text.strip()) >= 3 and text.strip().isalpha()]


def measure(path: Path, scale: int, column_px: float = DESKTOP_COLUMN_PX) -> Legibility:
    from PIL import Image

    with Image.open(path) as image:
        css_width = round(image.width / scale)
    shown = min(css_width, column_px)
    heights = word_heights(path)
    portal = statistics.median(heights) / scale if heights else 0.0
    return Legibility(path.name, css_width, shown, len(heights), portal, portal * shown / css_width)
