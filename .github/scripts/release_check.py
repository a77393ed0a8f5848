#!/usr/bin/env python3
"""Before a release: the tag, the package version and CHANGELOG.md agree.

    release_check.py TAG [--root DIR] [--dist DIR] [--notes FILE] [--major-tag-file FILE]

TAG is `vX.Y.Z`; the version is `__version__` in checks/__init__.py (pyproject.toml reads it from
there); CHANGELOG.md needs a dated `## [X.Y.Z] - YYYY-MM-DD` section with some text. With --dist,
every file in DIR carries X.Y.Z in its name. --notes writes that section (the GitHub release's
notes); --major-tag-file writes `vX`, the tag the Action's users follow. Exit 1 with one line per
disagreement. Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TAG = re.compile(r"v(\d+)\.(\d+)\.(\d+)")
VERSION = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.M)
HEADING = re.compile(r"^## \[?(?P<version>[^\]\s]+)\]?(?: - (?P<date>\S+))?\s*$", re.M)


def package_version(root: Path) -> str:
    match = VERSION.search((root / "checks" / "__init__.py").read_text(encoding="utf-8"))
    if not match:
        raise SystemExit("checks/__init__.py sets no __version__")
    return match.group(1)


def changelog_section(root: Path, version: str) -> tuple[str | None, str]:
    """(date, text) of the version's section; date None when the section is missing."""
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = list(HEADING.finditer(text))
    for i, heading in enumerate(headings):
        if heading.group("version") == version:
            end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
            return heading.group("date") or "", text[heading.end():end].strip()
    return None, ""


def problems(tag: str, root: Path, dist: Path | None = None) -> list[str]:
    found = []
    match = TAG.fullmatch(tag)
    if not match:
        return [f"tag {tag!r} is not vMAJOR.MINOR.PATCH"]
    version = tag[1:]
    package = package_version(root)
    if package != version:
        found.append(f"tag {tag} but the package version is {package} (checks/__init__.py)")
    date, notes = changelog_section(root, version)
    if date is None:
        found.append(f"CHANGELOG.md has no section for {version}")
    else:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            found.append(f"CHANGELOG.md: the {version} section is not dated (## [{version}] - YYYY-MM-DD), it says {date!r}")
        if not notes:
            found.append(f"CHANGELOG.md: the {version} section is empty")
    if dist is not None:
        files = sorted(p.name for p in dist.iterdir())
        if not files:
            found.append(f"{dist} holds no dists")
        found += [f"{name} is not version {version}" for name in files if f"-{version}" not in name]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tag")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--dist", type=Path)
    parser.add_argument("--notes", type=Path)
    parser.add_argument("--major-tag-file", type=Path)
    args = parser.parse_args(argv)
    found = problems(args.tag, args.root, args.dist)
    for line in found:
        print(f"release check: {line}", file=sys.stderr)
    if found:
        return 1
    version = args.tag[1:]
    if args.notes:
        args.notes.write_text(changelog_section(args.root, version)[1] + "\n", encoding="utf-8")
    if args.major_tag_file:
        args.major_tag_file.write_text(f"v{version.split('.')[0]}\n", encoding="utf-8")
    print(f"release check: tag {args.tag}, package {version} and CHANGELOG.md agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
