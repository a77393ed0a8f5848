"""`python -m checks.screens review`: one HTML contact sheet of every screenshot for a reviewer.

Each screen shows its picture at the size the guide shows it (and sharp, from the 2x file), its
guide step and title, the image's alt text and caption, and the guide text that leads to it, so
a reviewer can check in one page that every picture shows what its words say. The sheet is
self-contained (images inlined) and is written outside the docs (default: build/).
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path

from checks.screens.images import display_size
from checks.screens.steps import Screen, Steps

_IMAGE_LINE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(res/(?P<name>[\w.-]+)\)")


@dataclass
class GuideContext:
    heading: str = ""
    alt: str = ""
    caption: str = ""
    text: str = ""  # the guide's words that lead to the picture


def guide_contexts(guide: str) -> dict[str, GuideContext]:
    """For each `res/` image in the guide: its section heading, alt text, caption and lead-in text."""
    contexts: dict[str, GuideContext] = {}
    lines = guide.splitlines()
    heading, in_caption, last = "", False, None
    lead: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            heading, lead = re.sub(r"\s*\{[^}]*\}\s*$", "", stripped.lstrip("# ")), []
            continue
        if stripped == "/// caption":
            in_caption = True
            continue
        if in_caption:
            if stripped == "///":
                in_caption = False
            elif last:
                contexts[last].caption = (contexts[last].caption + " " + stripped).strip()
            continue
        match = _IMAGE_LINE.search(line)
        if match:
            last = match.group("name")
            text = "\n".join(lead).strip("\n")
            contexts[last] = GuideContext(heading, match.group("alt"), "", text)
            lead = []
            continue
        lead.append(stripped)
    return contexts


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _card(screen: Screen, res_dir: Path, context: GuideContext | None, scale: int) -> str:
    path = res_dir / screen.image
    esc = html.escape
    if path.is_file():
        from PIL import Image

        with Image.open(path) as image:
            width, height = display_size(*image.size, scale)
            pixels = f"{image.width}×{image.height} px"
        picture = (f'<img src="{_data_uri(path)}" width="{width}" height="{height}" alt="{esc(context.alt if context else "")}">'
                   f'<p class="meta">{esc(screen.image)} · shown at {width}×{height} CSS px · {pixels} · '
                   f'{path.stat().st_size / 1024:.0f} KB</p>')
    else:
        picture = f'<p class="missing">{esc(screen.image)} has not been rendered: run `python -m checks.screens capture`</p>'
    if context:
        words = (f'<h3>{esc(context.heading)}</h3><pre>{esc(context.text)}</pre>'
                 f'<p><b>Alt text:</b> {esc(context.alt)}</p><p><b>Caption:</b> {esc(context.caption)}</p>')
    else:
        words = '<p class="missing">The guide does not show this picture.</p>'
    return (f'<section id="{esc(screen.id)}"><h2>Step {screen.guide_step} · {esc(screen.title)} '
            f'<code>{esc(screen.id)}</code></h2><div class="pair"><div class="words">{words}</div>'
            f'<div class="picture">{picture}</div></div></section>')


STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 24px; color: #1d2226; background: #fafafa; }
section { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 16px 20px; margin: 0 0 24px; }
h2 { font-size: 18px; margin: 0 0 12px; } h2 code { font-weight: 400; color: #5e5e5e; }
h3 { font-size: 15px; margin: 0 0 8px; color: #5e5e5e; }
.pair { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; }
.words { flex: 1 1 320px; } .picture { flex: 0 1 auto; }
pre { white-space: pre-wrap; font: 14px/1.5 ui-monospace, monospace; background: #f3f3f3; padding: 10px; border-radius: 4px; }
img { max-width: 100%; height: auto; border: 1px solid #ccc; }
.meta { color: #5e5e5e; font-size: 13px; } .missing { color: #b3261e; font-weight: 700; }
"""


def build_review(steps: Steps, res_dir: Path, guide_path: Path, out: Path) -> Path:
    contexts = guide_contexts(guide_path.read_text(encoding="utf-8"))
    cards = "\n".join(_card(s, res_dir, contexts.get(s.image), steps.scale) for s in steps.screens)
    index = "".join(f'<li><a href="#{html.escape(s.id)}">Step {s.guide_step}: {html.escape(s.title)}</a></li>'
                    for s in steps.screens)
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Screenshot review</title>'
            f'<style>{STYLE}</style></head><body><h1>Screenshot review: {len(steps.screens)} screens</h1>'
            f'<p>Each picture beside the guide text that leads to it. Check that the picture shows what the '
            f'words say, whole and legible.</p><ol>{index}</ol>{cards}</body></html>')
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
