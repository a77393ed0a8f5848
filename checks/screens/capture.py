"""Render each documented screen: highlight the element the reader uses, mask secrets, optimise."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from checks.screens.images import assert_masked, optimise_png
from checks.screens.locate import all_matches, locate
from checks.screens.steps import ElementSpec, Screen, Steps, Viewport
from checks.screens.walk import Outcome, Portal, walk

OVERLAY_JS = """
(boxes) => {
  const layer = document.createElement('div');
  layer.id = '__docs_highlight';
  layer.setAttribute('aria-hidden', 'true');
  boxes.forEach((b, i) => {
    const r = document.createElement('div');
    Object.assign(r.style, {position: 'absolute', left: (b.x - 6) + 'px', top: (b.y - 6) + 'px',
      width: (b.width + 12) + 'px', height: (b.height + 12) + 'px', border: '3px solid #d11124',
      borderRadius: '8px', boxSizing: 'border-box', zIndex: 2147483646, pointerEvents: 'none'});
    layer.appendChild(r);
    if (boxes.length > 1) {
      const n = document.createElement('div');
      n.textContent = String(i + 1);
      Object.assign(n.style, {position: 'absolute', left: (b.x - 18) + 'px', top: (b.y - 18) + 'px',
        width: '24px', height: '24px', borderRadius: '12px', background: '#d11124', color: '#fff',
        font: '700 14px/24px "Portal Sans", sans-serif', textAlign: 'center', zIndex: 2147483647});
      layer.appendChild(n);
    }
  });
  document.body.appendChild(layer);
}
"""


@dataclass
class Captured:
    outcome: Outcome
    path: Path | None = None
    size: tuple[int, int] | None = None
    bytes: int = 0
    seconds: float = 0.0


def _page_box(page, spec: ElementSpec) -> dict | None:
    box = locate(page, spec).bounding_box()
    if not box:
        return None
    scroll = page.evaluate("[window.scrollX, window.scrollY]")
    return {"x": box["x"] + scroll[0], "y": box["y"] + scroll[1], "width": box["width"], "height": box["height"]}


def _clip(page, screen: Screen, viewport: Viewport) -> dict:
    """The capture rectangle in viewport coordinates, scrolled so the highlighted part is inside."""
    width = min(screen.clip.get("width", viewport["width"]), viewport["width"])
    height = min(screen.clip.get("height", viewport["height"]), viewport["height"])
    if screen.clip.get("focus", "top") == "top":
        page.evaluate("window.scrollTo(0, 0)")
        return {"x": 0, "y": 0, "width": width, "height": height}
    locate(page, screen.target).scroll_into_view_if_needed()
    boxes = [b for b in (locate(page, s).bounding_box() for s in screen.highlight) if b]
    top = min(b["y"] for b in boxes)
    bottom = max(b["y"] + b["height"] for b in boxes)
    # Centre the highlighted elements vertically, scrolling the page if the clip would leave it.
    wanted_top = (top + bottom) / 2 - height / 2
    page.evaluate("(dy) => window.scrollBy(0, dy)", wanted_top)
    boxes = [b for b in (locate(page, s).bounding_box() for s in screen.highlight) if b]
    top = min(b["y"] for b in boxes)
    bottom = max(b["y"] + b["height"] for b in boxes)
    y = max(0, min((top + bottom) / 2 - height / 2, viewport["height"] - height))
    return {"x": 0, "y": round(y), "width": width, "height": height}


def capture_screen(page, screen: Screen, steps: Steps, portal: Portal, out_dir: Path) -> Captured:
    started = time.monotonic()
    outcome = walk(page, screen, portal)
    if outcome.status != "ok":
        return Captured(outcome, seconds=time.monotonic() - started)
    page.evaluate("document.fonts.ready.then(() => true)")
    clip = _clip(page, screen, steps.viewport)
    boxes = [b for b in (_page_box(page, s) for s in screen.highlight) if b]
    page.evaluate(OVERLAY_JS, boxes)
    masks = [all_matches(page, s) for s in screen.secrets]
    png = page.screenshot(clip=clip, mask=masks, mask_color=steps.mask_color, animations="disabled",
                          caret="hide", scale="css")
    page.evaluate("document.getElementById('__docs_highlight').remove()")
    mask_boxes = []
    for locator in masks:
        for i in range(locator.count()):
            box = locator.nth(i).bounding_box()
            if box:
                mask_boxes.append({"x": box["x"] - clip["x"], "y": box["y"] - clip["y"],
                                   "width": box["width"], "height": box["height"]})
    assert_masked(png, mask_boxes, steps.mask_color)
    path = out_dir / screen.image
    size = optimise_png(png, path)
    return Captured(outcome, path, (clip["width"], clip["height"]), size, time.monotonic() - started)


def capture_all(steps: Steps, portal: Portal, out_dir: Path, *, only: list[str] | None = None,
                progress: Callable[[Captured, int, int], None] | None = None, browser=None) -> list[Captured]:
    """Capture the screens; uses `browser` when given, else launches one."""
    from checks.screens.browser import browser_session, new_context

    screens = [s for s in steps.screens if not only or s.id in only]
    results = []
    with browser_session(browser) as browser:
        for index, screen in enumerate(screens, 1):
            context = new_context(browser, steps.viewport, portal.storage_state)
            try:
                result = capture_screen(context.new_page(), screen, steps, portal, out_dir)
            finally:
                context.close()
            results.append(result)
            if progress:
                progress(result, index, len(screens))
    return results
