"""A module imported on first use: ``mpmath = lazy_module("mpmath")`` at module level costs
nothing until an attribute is read (``import jaxvac`` and ``jaxvac models`` stay without
mpmath; the exact-constant and arbitrary-precision code loads it when it runs)."""

from __future__ import annotations

import importlib
import types


class lazy_module:  # noqa: N801 - used like the module it stands for
    __slots__ = ("_name", "_module")

    def __init__(self, name: str):
        self._name = name
        self._module: types.ModuleType | None = None

    def __getattr__(self, attr: str):
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<lazy module {self._name!r} ({state})>"
