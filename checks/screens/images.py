"""Image helpers: optimise PNGs, prove masks covered what they should, keep docs' sizes in step."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

from checks.errors import PortalError


class MaskNotApplied(PortalError):
    pass


class SecretNotHidden(PortalError):
    """A secret could not be proven hidden: no image is written."""


def optimise_png(data: bytes, out: Path) -> int:
    """Write `data` as a small PNG: pngquant when installed (about 40% of raw), else Pillow's palette."""
    out.parent.mkdir(parents=True, exist_ok=True)
    pngquant = shutil.which("pngquant")
    if pngquant:
        proc = subprocess.run([pngquant, "--quality=70-95", "--speed=1", "--strip", "-"], input=data,
                              capture_output=True, check=False)
        if proc.returncode == 0 and proc.stdout:
            out.write_bytes(proc.stdout)
            return len(proc.stdout)
    from PIL import Image  # imported when needed: the fast test loop runs without Pillow

    image = Image.open(io.BytesIO(data)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(out, optimize=True)
    return out.stat().st_size


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def assert_masked(png: bytes, boxes: list[dict], colour: str, tolerance: int = 6) -> None:
    """Fail closed: every pixel sampled inside each masked box must be the mask colour.

    Playwright's `mask` has regressed before; a secret must never reach an image because of it.
    """
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    want = hex_to_rgb(colour)
    for box in boxes:
        x0, y0 = max(0, int(box["x"]) + 2), max(0, int(box["y"]) + 2)
        x1, y1 = min(image.width, int(box["x"] + box["width"]) - 2), min(image.height, int(box["y"] + box["height"]) - 2)
        if x1 <= x0 or y1 <= y0:
            continue
        for fx in (0.0, 0.25, 0.5, 0.75, 1.0):
            for fy in (0.0, 0.5, 1.0):
                px = image.getpixel((int(x0 + (x1 - x0 - 1) * fx), int(y0 + (y1 - y0 - 1) * fy)))
                assert isinstance(px, tuple)  # an RGB image gives (r, g, b)
                if any(abs(a - b) > tolerance for a, b in zip(px, want, strict=False)):
                    raise MaskNotApplied(f"pixel at {box} is {px}, not the mask colour {want}")


_IMG_ATTRS = re.compile(r'(!\[[^\]]*\]\(res/(?P<name>[\w.-]+)\))\{(?P<attrs>[^}]*)\}')


def display_size(width: int, height: int, scale: int = 1) -> tuple[int, int]:
    """The CSS size an image captured at `scale` device pixels per CSS pixel is shown at:
    the portal's own size (a narrower column scales it down, keeping the ratio)."""
    return round(width / scale), round(height / scale)


def sync_doc_sizes(docs_dir: Path, res_dir: Path, scale: int = 1) -> list[Path]:
    """Rewrite width/height attributes of every `res/` image in the docs to its CSS size.

    Explicit sizes let the browser reserve space (no layout shift); they must match the image.
    """
    from PIL import Image

    changed = []
    for md in sorted(docs_dir.rglob("*.md")):
        text = md.read_text(encoding="utf-8")

        def fix(match: re.Match) -> str:
            path = res_dir / match.group("name")
            if not path.is_file():
                return match.group(0)
            with Image.open(path) as image:
                w, h = display_size(*image.size, scale)
            attrs = re.sub(r'\s*(width|height)="\d+"', "", match.group("attrs")).strip()
            return f'{match.group(1)}{{ width="{w}" height="{h}" {attrs} }}'.replace("  ", " ")

        new = _IMG_ATTRS.sub(fix, text)
        if new != text:
            md.write_text(new, encoding="utf-8")
            changed.append(md)
    return changed


def link_into_docs(res_dir: Path, docs_res: Path) -> list[str]:
    """Mirror res/ into docs/res/ as one relative symlink per image.

    The images live in top-level res/ (the project's layout). MkDocs would follow a symlinked
    folder, Zensical does not, but both follow symlinked files: so link file by file, and drop
    links whose image is gone. Returns the names added or removed.
    """
    docs_res.mkdir(parents=True, exist_ok=True)
    changed = []
    wanted = {p.name for p in res_dir.iterdir() if p.suffix.lower() in {".png", ".webp"}}
    for link in docs_res.iterdir():
        if link.name not in wanted and link.is_symlink():
            link.unlink()
            changed.append(f"-{link.name}")
    for name in sorted(wanted):
        link = docs_res / name
        target = Path("..") / ".." / res_dir.name / name
        if not link.is_symlink() or Path(link.readlink()) != target:
            if link.exists() or link.is_symlink():
                link.unlink()
            link.symlink_to(target)
            changed.append(f"+{name}")
    return changed
