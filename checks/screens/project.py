"""Where `python -m checks.screens` reads and writes: the project checkout, found from the working
directory, and the files the package ships (read with importlib.resources).

A command that writes into the project (capture into res/ and docs/, drift --record, review) needs
the checkout: the nearest folder, from the working directory up, holding both `mkdocs.yml` and
`checks/screens/steps.yaml`, or the folder given with --repo. From an installed package there is
no checkout to guess: writing into site-packages would lose the files at the next install.
Commands that only read (drift, scan, login) use the checkout's steps and portal model when there
is one, else the copies shipped in the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from checks.errors import UsageError

MARKERS = ("mkdocs.yml", "checks/screens/steps.yaml")


def find_project(start: Path) -> Path | None:
    """The nearest folder from `start` up that holds every MARKER, or None."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if all((folder / marker).is_file() for marker in MARKERS):
            return folder
    return None


def packaged(name: str) -> Path:
    """A file or folder shipped inside checks/screens (the package data), as a path on disk."""
    found = resources.files("checks.screens").joinpath(name)
    if not isinstance(found, Path):  # a zipped install: nothing this tool supports
        raise UsageError(f"checks.screens must be installed as files, not zipped (cannot read {name})")
    return found


@dataclass(frozen=True)
class Project:
    """The checkout's paths (root None: no checkout; reads fall back to the package's files)."""

    root: Path | None

    @classmethod
    def locate(cls, repo: str | None, cwd: Path) -> Project:
        if repo:
            root = Path(repo).expanduser()
            missing = [m for m in MARKERS if not (root / m).is_file()]
            if missing:
                raise UsageError(f"--repo {repo}: not the guide's checkout (no {' or '.join(missing)} there)")
            return cls(root.resolve())
        return cls(find_project(cwd))

    def require(self, what: str) -> Path:
        """The checkout's root; a usage error naming `what` needs it when there is none."""
        if self.root is None:
            raise UsageError(f"{what} writes into the guide's checkout: run it inside one (a folder with "
                             f"{' and '.join(MARKERS)}) or give --repo DIR")
        return self.root

    @property
    def steps_file(self) -> Path:
        return self.root / "checks" / "screens" / "steps.yaml" if self.root else packaged("steps.yaml")

    @property
    def portal_dir(self) -> Path:
        return self.root / "checks" / "screens" / "portal" if self.root else packaged("portal")

    @property
    def record_file(self) -> Path:
        return self.require("drift --record") / "checks" / "screens" / "last-checked.json"

    @property
    def snippet_file(self) -> Path:
        return self.require("drift --record") / "docs" / ".snippets" / "last-checked.md"
