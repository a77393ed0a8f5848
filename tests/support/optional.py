"""Optional test tools (Pillow, pixelmatch, zensical, ...): a test that needs one skips without it.

`make check` runs on a bare checkout with only the base dependencies, pytest and responses.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

import pytest


class Optional:
    """A module imported on first use; a test touching it skips when it is not installed."""

    def __init__(self, name: str):
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str):
        if attr.startswith("_"):  # pytest's collector probes module attributes: answer without importing
            raise AttributeError(attr)
        if self._module is None:
            self._module = pytest.importorskip(self._name, reason=f"{self._name} is not installed")
        return getattr(self._module, attr)


def optional(*names: str) -> tuple[Optional, ...]:
    """`Image, ImageDraw = optional("PIL.Image", "PIL.ImageDraw")`"""
    return tuple(Optional(name) for name in names)


def installed(*names: str) -> bool:
    """True when every named module can be imported (for skipif markers)."""
    return all(importlib.util.find_spec(name) is not None for name in names)
