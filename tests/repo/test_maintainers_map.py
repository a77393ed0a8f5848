"""The maintainers' "Where things live" map matches the package: every module it names exists,
and every module under checks/ is named."""

import re

from tests.support import ROOT

PAGE = (ROOT / "docs" / "maintainers.md").read_text(encoding="utf-8")


def map_block() -> str:
    section = PAGE[PAGE.index("## Where things live"):]
    return re.search(r"```text\n(.*?)```", section, re.S).group(1)


def named_paths(block: str) -> set[str]:
    """Paths in the map; an indented line's names are relative to the last folder above it."""
    paths, folder = set(), ""
    for line in block.splitlines():
        if not line.strip():
            continue
        names = line.strip().split("  ")[0] if line.startswith("  ") else line.split()[0]
        if line.startswith("  "):
            paths.update(folder + name.strip() for name in names.split(","))
        else:
            paths.add(names)
            folder = names if names.endswith("/") else ""
    return paths


def test_every_module_named_exists():
    for path in named_paths(map_block()):
        assert (ROOT / path).exists(), f"docs/maintainers.md names {path}, which does not exist"


def test_every_module_under_checks_is_named():
    named = named_paths(map_block())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "checks").rglob("*.py")
               if p.name != "__init__.py" and "portal" not in p.parts}
    missing = sorted(modules - named)
    assert not missing, f"add to the map in docs/maintainers.md: {missing}"


def test_the_map_reader_sees_indented_names():
    # Guards the parser above: a map it misread would pass the two tests vacuously.
    block = "checks/x/                 a folder\n  a.py, b.py                 two\nchecks/y.py   one\n"
    assert named_paths(block) == {"checks/x/", "checks/x/a.py", "checks/x/b.py", "checks/y.py"}
