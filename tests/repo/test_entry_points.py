"""Every way to start a command goes through main_entry (the Ctrl-C guard and the exit-code
contract): the console scripts in pyproject.toml and each `python -m` module."""

import ast
import importlib
import tomllib

import pytest

from tests.support import ROOT

SCRIPTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
MODULES = ["checks/verify.py", "checks/authorize.py", "checks/screens/__main__.py", "checks/credentials/versions.py"]


def test_the_three_commands_have_console_scripts():
    assert set(SCRIPTS) >= {"linkedin-verify", "linkedin-authorize", "linkedin-screens"}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_each_console_script_is_a_main_entry(name):
    module, function = SCRIPTS[name].split(":")
    assert function == "main_entry", f"{name} must start through main_entry, not {function}"
    assert callable(getattr(importlib.import_module(module), function))


@pytest.mark.parametrize("path", MODULES)
def test_each_python_m_block_calls_main_entry(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    blocks = [n for n in tree.body if isinstance(n, ast.If) and "__main__" in ast.unparse(n.test)]
    assert len(blocks) == 1, f"{path} has one `if __name__ == '__main__':` block"
    calls = [ast.unparse(c.func) for c in ast.walk(blocks[0]) if isinstance(c, ast.Call)]
    assert any(call.endswith("main_entry") for call in calls), f"{path}: {calls}"
    assert not any(call in ("sys.exit", "main") for call in calls), f"{path} bypasses main_entry: {calls}"
