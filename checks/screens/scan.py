"""OCR images and flag anything that looks like a LinkedIn secret or an e-mail address.

Looks for: long `AQ…` runs (tokens), any visible fragment of 16+ token characters that mixes
upper case, lower case and digits (a partly blurred token), `WPL_AP1.` (client secrets), and
e-mail addresses. Needs the tesseract program (Debian: tesseract-ocr) and pytesseract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TOKEN_AQ = re.compile(r"AQ[A-Za-z0-9_\-]{14,}")
TOKEN_FRAGMENT = re.compile(r"[A-Za-z0-9_\-]{16,}")
CLIENT_SECRET = re.compile(r"WPL[_ ]?AP1[.,]", re.IGNORECASE)
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
IMAGE_SUFFIXES = {".png", ".webp", ".jpg", ".jpeg"}


@dataclass
class Finding:
    path: Path
    kind: str
    text: str

    def __str__(self) -> str:
        # Show only the start of what was found: enough to find it, not enough to use it.
        return f"{self.path}: {self.kind}: {self.text[:6]}…"


def _mixed(fragment: str) -> bool:
    return bool(re.search(r"[A-Z]", fragment) and re.search(r"[a-z]", fragment) and re.search(r"\d", fragment))


def findings_in_text(path: Path, text: str) -> list[Finding]:
    found = []
    for match in TOKEN_AQ.finditer(text):
        found.append(Finding(path, "LinkedIn token", match.group(0)))
    for match in TOKEN_FRAGMENT.finditer(text):
        if _mixed(match.group(0)) and not any(f.text == match.group(0) for f in found):
            found.append(Finding(path, "token-like fragment", match.group(0)))
    for match in CLIENT_SECRET.finditer(text):
        found.append(Finding(path, "client secret", match.group(0)))
    for match in EMAIL.finditer(text):
        found.append(Finding(path, "e-mail address", match.group(0)))
    return found


def ocr(path: Path) -> str:
    import pytesseract
    from PIL import Image

    with Image.open(path) as image:
        grey = image.convert("L")
        # Screenshot text is small; OCR reads it far better at twice the size.
        big = grey.resize((grey.width * 2, grey.height * 2))
        return pytesseract.image_to_string(big, config="--psm 11")


def expand(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
        else:
            files.append(path)
    return files


def scan(paths: list[Path]) -> list[Finding]:
    import os
    from concurrent.futures import ThreadPoolExecutor

    # One OCR process per core; each should run one OpenMP thread (OMP_THREAD_LIMIT=1, set by the
    # command's setup: checks/screens/__main__.py, and by the test suite).
    files = expand(paths)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        texts = list(pool.map(ocr, files))
    findings = []
    for path, text in zip(files, texts, strict=True):
        findings += findings_in_text(path, text)
    return findings
