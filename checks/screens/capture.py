"""Render each documented screen: check its contracts, highlight the element the reader uses,
show secrets as dots, optimise."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from checks.errors import PortalError
from checks.screens.edges import cuts, describe_cuts, page_pieces, pixel_cuts, snap
from checks.screens.images import SecretNotHidden, optimise_png
from checks.screens.locate import all_matches, locate
from checks.screens.steps import ElementSpec, Screen, Steps, Viewport, describe
from checks.screens.walk import Outcome, Portal, walk

if TYPE_CHECKING:
    from playwright.sync_api import FloatRect, Page

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


def ring_box(box: dict, screen: Screen) -> dict:
    """What the highlight draws around an element: its ring reaches 6 px out, and the numbered
    badge (drawn when a screen has several highlights) 18 px up and left."""
    badge = 18 if len(screen.highlight) > 1 else 6
    return {"x": box["x"] - badge, "y": box["y"] - badge, "width": box["width"] + badge + 6,
            "height": box["height"] + badge + 6}


# Room kept between every target or highlight ring and the frame's edge.
CONTRACT_MARGIN = 4
# A ring bigger than this share of the picture boxes a whole region, not the element named.
MAX_RING_SHARE = 0.25
# Secrets are shown as the portal shows a hidden value: dots (never a slab, never the value).
DOTS = "\u2022" * 28
URL_DOTS = "\u2022" * 12  # the private last segment of a URL

REDACT_JS = """
(elements, [dots, urlDots]) => elements.forEach((el) => {
  if (el.matches('input, textarea')) { el.value = dots; return; }
  // A URL keeps its path so the reader recognises it; only the last segment is private.
  const text = el.textContent.trim();
  el.textContent = /^https?:[/][/]/.test(text) ? text.replace(/[^/]+$/, urlDots) : dots;
})
"""
SHOWN_JS = "(el) => el.matches('input, textarea') ? el.value : el.textContent.trim()"

# The card or dialog that holds an element: the nearest ancestor drawn as a box of its own.
CONTAINER_JS = """
(el) => {
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    const style = getComputedStyle(node);
    const boxed = style.backgroundColor !== 'rgba(0, 0, 0, 0)' &&
      (parseFloat(style.borderLeftWidth) > 0 || style.boxShadow !== 'none');
    if (node.getAttribute('role') === 'dialog' || node.tagName === 'DIALOG' || boxed) {
      const r = node.getBoundingClientRect();
      return {x: r.x, y: r.y, width: r.width, height: r.height,
              name: node.getAttribute('role') === 'dialog' ? 'dialog' : 'card'};
    }
  }
  return null;
}
"""


class ContractBroken(PortalError):
    """The picture would not show what its step says: the capture fails, naming the screen."""


@dataclass
class Captured:
    outcome: Outcome
    path: Path | None = None
    size: tuple[int, int] | None = None  # CSS pixels (the image holds size x scale pixels)
    bytes: int = 0
    seconds: float = 0.0
    scale: int = 1


CONTENT_BOX_JS = """
(el) => {
  let r = el.getBoundingClientRect();
  // A heading or paragraph is as wide as its column: ring its words, not the empty space.
  const control = el.matches('input, textarea, select, button, [role=button], [role=checkbox], [role=tab]');
  const block = ['block', 'flex', 'grid', 'list-item', 'table-cell'].includes(getComputedStyle(el).display);
  if (!control && block && el.textContent.trim()) {
    const range = document.createRange();
    range.selectNodeContents(el);
    const words = range.getBoundingClientRect();
    if (words.width > 0 && words.height > 0) r = words;
  }
  return {x: r.x, y: r.y, width: r.width, height: r.height};
}
"""


def _box(locator, content: bool = True) -> dict | None:
    """An element's box in viewport coordinates; `content`: the box of its text when it is text."""
    if not locator.count():
        return None
    return locator.evaluate(CONTENT_BOX_JS) if content else locator.bounding_box()


def _union(boxes: list[dict]) -> dict:
    x0 = min(b["x"] for b in boxes)
    y0 = min(b["y"] for b in boxes)
    x1 = max(b["x"] + b["width"] for b in boxes)
    y1 = max(b["y"] + b["height"] for b in boxes)
    return {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}


def _grow(box: dict, by: float) -> dict:
    return {"x": box["x"] - by, "y": box["y"] - by, "width": box["width"] + 2 * by, "height": box["height"] + 2 * by}


def _inside(inner: dict, outer: dict, margin: float = 0) -> bool:
    return (inner["x"] - margin >= outer["x"] - 0.5 and inner["y"] - margin >= outer["y"] - 0.5
            and inner["x"] + inner["width"] + margin <= outer["x"] + outer["width"] + 0.5
            and inner["y"] + inner["height"] + margin <= outer["y"] + outer["height"] + 0.5)


def _page_boxes(page: Page, specs: Sequence[ElementSpec], content: bool = True) -> list[dict]:
    scroll = page.evaluate("[window.scrollX, window.scrollY]")
    boxes = []
    for spec in specs:
        box = _box(locate(page, spec), content)
        if box:
            boxes.append({**box, "x": box["x"] + scroll[0], "y": box["y"] + scroll[1]})
    return boxes


def frame_clip(page: Page, screen: Screen, viewport: Viewport) -> dict:
    """The capture rectangle in viewport coordinates, framed around what the step is about.

    The frame (default: the target), the target and every highlight ring, plus `clip.margin`,
    make the region, widened to the card or dialog holding the target. `clip.width`/`height`
    fix the picture's size (centred on the region); `focus: top` starts the picture at the top
    of the page, so the header and tabs stay in view.
    """
    page.evaluate("window.scrollTo(0, 0)")
    margin = screen.clip.get("margin", 16)
    frame = _page_boxes(page, [screen.frame or screen.target], content=screen.frame is None)
    frame += _page_boxes(page, screen.frame_also)
    rings = [ring_box(b, screen) for b in _page_boxes(page, [screen.target, *screen.highlight])]
    region = _grow(_union(frame + rings), margin)
    # The card or dialog holding the target is kept whole from left to right.
    target = locate(page, screen.target)
    container = target.evaluate(CONTAINER_JS) if target.count() else None
    if container and container["width"] <= viewport["width"] - 2:
        left = max(0, container["x"] - min(margin, 8))
        right = min(viewport["width"], container["x"] + container["width"] + min(margin, 8))
        x0, x1 = min(region["x"], left), max(region["x"] + region["width"], right)
        region = {**region, "x": x0, "width": x1 - x0}
    page_size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    # An explicit width or height is the picture's size; the contracts then check it holds all.
    width = min(screen.clip.get("width", region["width"]), viewport["width"])
    x = region["x"] + region["width"] / 2 - width / 2
    x = max(0, min(x, viewport["width"] - width))
    if screen.clip.get("focus", "target") == "top":
        y = 0
        height = screen.clip.get("height", region["y"] + region["height"])
    else:
        height = screen.clip.get("height", region["height"])
        y = region["y"] + region["height"] / 2 - height / 2
    y = max(0, min(y, page_size[1] - height))
    height = min(height, page_size[1] - y)
    if screen.clip.snap:  # scrolled to the top here: viewport coordinates are page coordinates
        pieces, borders = page_pieces(page)
        borders = (borders[0], borders[1], min(borders[2], viewport["width"]), borders[3])
        snapped = snap(pieces, {"x": x, "y": y, "width": width, "height": height}, borders)
        x, y, width, height = snapped["x"], snapped["y"], snapped["width"], snapped["height"]
    page.evaluate("(y) => window.scrollTo(0, y)", y)
    scroll_y = page.evaluate("window.scrollY")
    return {"x": round(x), "y": round(y - scroll_y), "width": round(width), "height": round(height)}


def check_contracts(page: Page, screen: Screen, clip: dict, viewport: Viewport) -> list[str]:
    """What a reader relies on, checked in the page right before the shot (viewport coordinates)."""
    problems = []
    if screen.frame and locate(page, screen.frame).count() == 0:
        problems.append(f"frame {describe(screen.frame)} is not on the page")
    for spec in screen.frame_also:
        box = _box(locate(page, spec))
        if not box or not _inside(box, clip):
            problems.append(f"frame_also {describe(spec)} is not wholly inside the frame")
    visible = {"x": 0, "y": 0, "width": viewport["width"], "height": viewport["height"]}
    if not _inside(clip, visible):
        problems.append(f"the frame ({clip['width']}x{clip['height']}) does not fit the {viewport['width']}x"
                        f"{viewport['height']} viewport")
    for role, spec in [("target", screen.target)] + [("highlight", h) for h in screen.highlight if h != screen.target]:
        element = locate(page, spec)
        box = _box(element)
        if not box:
            problems.append(f"{role} {describe(spec)} has no box on the page")
            continue
        if not _inside(ring_box(box, screen), clip, CONTRACT_MARGIN):
            problems.append(f"{role} {describe(spec)} is not wholly inside the frame "
                            f"(element at x={box['x']:.0f} y={box['y']:.0f} {box['width']:.0f}x{box['height']:.0f}, "
                            f"frame x={clip['x']} y={clip['y']} {clip['width']}x{clip['height']})")
        elif role == "highlight" and (box["width"] + 12) * (box["height"] + 12) > MAX_RING_SHARE * clip["width"] * clip["height"]:
            problems.append(f"highlight {describe(spec)} boxes {MAX_RING_SHARE:.0%}+ of the picture: "
                            "highlight the element the guide names, not a region")
        if role == "target":
            container = element.evaluate(CONTAINER_JS)
            if container and (container["x"] < clip["x"] - 0.5
                              or container["x"] + container["width"] > clip["x"] + clip["width"] + 0.5):
                problems.append(f"the {container['name']} holding target {describe(screen.target)} is cut by the "
                                f"frame's {'left' if container['x'] < clip['x'] else 'right'} edge")
    # No edge cuts through a line of text, a control or a small box (a notice cut to a strip).
    pieces, borders = page_pieces(page)
    problems += describe_cuts(cuts(pieces, clip, borders))
    for state, want in (("checked", True), ("unchecked", False)):
        for name in getattr(screen.expect, state):
            box_spec = ElementSpec(role=("checkbox",), name=f"/^\\s*{re.escape(name)}\\b/", strict=True)
            checkbox = locate(page, box_spec)
            if checkbox.count() == 0:
                problems.append(f"expected checkbox {name} {state}, but there is no such checkbox")
            elif checkbox.is_checked() != want:
                problems.append(f"expected checkbox {name} {state}, but it is {'checked' if not want else 'unchecked'}")
            elif not _inside(checkbox.bounding_box() or {"x": -1, "y": -1, "width": 0, "height": 0}, clip):
                problems.append(f"checkbox {name} is {state} but outside the frame")
    return problems


def redact(page, screen: Screen) -> list:
    """Replace every secret's text with dots in the page; fail closed when a secret is not found."""
    locators = []
    for spec in screen.secrets:
        locator = all_matches(page, spec)
        if locator.count() == 0:
            raise SecretNotHidden(f"secret {describe(spec)} matches nothing on the page, so it cannot be hidden")
        locator.evaluate_all(REDACT_JS, [DOTS, URL_DOTS])
        locators.append(locator)
    return locators


def assert_redacted(locators: list) -> None:
    """After the shot: every secret element still shows only dots (fail closed)."""
    for locator in locators:
        for shown in locator.evaluate_all(f"(els) => els.map({SHOWN_JS})"):
            url = re.fullmatch(r"https?://\S+/" + URL_DOTS, shown)
            if shown != DOTS and not url:
                raise SecretNotHidden("a secret field showed something other than dots when the picture was taken")


def capture_screen(page: Page, screen: Screen, steps: Steps, portal: Portal, out_dir: Path) -> Captured:
    started = time.monotonic()
    outcome = walk(page, screen, portal)
    if outcome.status != "ok":
        return Captured(outcome, seconds=time.monotonic() - started)
    page.evaluate("document.fonts.ready.then(() => true)")
    try:
        secrets = redact(page, screen)
        clip = frame_clip(page, screen, steps.viewport)
        problems = check_contracts(page, screen, clip, steps.viewport)
        if problems:
            raise ContractBroken("; ".join(problems))
        page.evaluate(OVERLAY_JS, _page_boxes(page, screen.highlight))
        png = page.screenshot(clip=cast("FloatRect", clip), animations="disabled", caret="hide", scale="device")
        page.evaluate("document.getElementById('__docs_highlight').remove()")
        assert_redacted(secrets)
        ragged = pixel_cuts(png)
        if ragged:  # the same rule, seen on the rendered image
            raise ContractBroken("; ".join(f"the picture's {edge} edge runs through {steps} sharp changes "
                                           "(text or an outline cut)" for edge, steps in ragged.items()))
    except (ContractBroken, SecretNotHidden) as exc:
        what = "screenshot contract" if isinstance(exc, ContractBroken) else "secret not hidden"
        return Captured(Outcome(screen, "stale", [f"{what}: {exc}"]), seconds=time.monotonic() - started)
    path = out_dir / screen.image
    size = optimise_png(png, path)
    return Captured(outcome, path, (clip["width"], clip["height"]), size, time.monotonic() - started, steps.scale)


def capture_all(steps: Steps, portal: Portal, out_dir: Path, *, only: list[str] | None = None,
                progress: Callable[[Captured, int, int], None] | None = None, browser=None) -> list[Captured]:
    """Capture the screens; uses `browser` when given, else launches one."""
    from checks.screens.browser import browser_session, new_context

    screens = [s for s in steps.screens if not only or s.id in only]
    results = []
    with browser_session(browser) as browser:
        for index, screen in enumerate(screens, 1):
            context = new_context(browser, steps.viewport, portal.storage_state, steps.scale)
            try:
                result = capture_screen(context.new_page(), screen, steps, portal, out_dir)
            finally:
                context.close()
            results.append(result)
            if progress:
                progress(result, index, len(screens))
    return results
