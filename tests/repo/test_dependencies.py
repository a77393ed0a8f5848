"""Every third-party module the project imports is declared in pyproject.toml.

A package installed by hand passes every local run and fails on a fresh machine (README's `make test`
once failed there on `hypothesis`). This judges the import statements in checks/, tests/ and bench/
against pyproject.toml's dependency lists, not against what happens to be installed here.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from tests.support import ROOT

FOLDERS = ("checks", "tests", "bench")
# Import names whose distribution is not installed here (so packages_distributions cannot tell).
ALIASES = {"PIL": "pillow", "yaml": "pyyaml", "dotenv": "python-dotenv"}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(spec: str) -> str:
    return norm(re.split(r"[\s\[<>=!~;(]", spec.strip(), maxsplit=1)[0])


def declared(project: dict) -> set[str]:
    """Every distribution pyproject.toml lists (dependencies and every extra), but the project itself."""
    specs = [*project.get("dependencies", []), *sum(project.get("optional-dependencies", {}).values(), [])]
    return {requirement_name(s) for s in specs} - {norm(project["name"])}


def with_requirements(names: set[str]) -> set[str]:
    """The declared distributions and what they require in turn (as installed here): a module that
    comes with a declared package, such as `urllib3` with requests, is installed wherever it is."""
    closure, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in closure:
            continue
        closure.add(name)
        with contextlib.suppress(metadata.PackageNotFoundError):
            todo += [requirement_name(r) for r in metadata.requires(name) or [] if "extra ==" not in r]
    return closure


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


@functools.cache
def _distributions() -> dict[str, list[str]]:
    return dict(metadata.packages_distributions())  # slow (every installed package's RECORD): once


def undeclared_imports(root: Path, project: dict) -> dict[str, str]:
    """Third-party import name -> the first file importing it, for those no dependency list covers."""
    files = sorted(p for folder in FOLDERS for p in (root / folder).rglob("*.py") if "__pycache__" not in p.parts)
    local = set(FOLDERS) | {p.stem for p in files}  # bench scripts import their siblings by name
    allowed = with_requirements(declared(project))
    dists = _distributions()
    missing: dict[str, str] = {}
    for path in files:
        for top in sorted(imported_modules(path)):
            if top in sys.stdlib_module_names or top in local or top == "__future__":
                continue
            names = {norm(d) for d in dists.get(top, [])} or {norm(ALIASES.get(top, top))}
            if not names & allowed:
                missing.setdefault(top, str(path.relative_to(root)))
    return missing


def test_every_imported_package_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    missing = undeclared_imports(ROOT, project)
    assert missing == {}, "declare these in pyproject.toml (base dependencies or an extra): " + ", ".join(
        f"{name} (imported in {where})" for name, where in missing.items())


def _tree(tmp_path: Path, code: str) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(code, encoding="utf-8")
    return tmp_path


def test_an_undeclared_import_is_caught(tmp_path):
    # hypothesis is installed here (the shared venv has it), so only the declaration check can catch it.
    root = _tree(tmp_path, "import json\nfrom hypothesis import given\nimport requests\nfrom tests import x\n")
    project = {"name": "demo", "dependencies": ["requests>=2"], "optional-dependencies": {"test": ["pytest"]}}
    assert undeclared_imports(root, project) == {"hypothesis": "tests/test_x.py"}
    project["optional-dependencies"]["test"].append("hypothesis>=6")
    assert undeclared_imports(root, project) == {}


def test_a_declared_packages_own_requirements_count(tmp_path):
    # urllib3 comes with requests wherever requests is installed; a bare `yaml` does not.
    root = _tree(tmp_path, "import urllib3\nimport yaml\n")
    assert undeclared_imports(root, {"name": "demo", "dependencies": ["requests"]}) == {"yaml": "tests/test_x.py"}
