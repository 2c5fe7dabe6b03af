"""Built-in models. Each private module ``_*.py`` here may define ``BUILTIN = {name: class}``;
they are collected into :data:`REGISTRY` (the short names of the command line)."""

import importlib
import pkgutil

from ._literature import KKLT, LVS, KahlerUplift, NoScale, Racetrack

REGISTRY: dict[str, type] = {}


def _collect() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, cls in getattr(module, "BUILTIN", {}).items():
            if name in REGISTRY and REGISTRY[name] is not cls:
                raise RuntimeError(f"Built-in model name {name!r} defined twice.")
            REGISTRY[name] = cls
            globals().setdefault(cls.__name__, cls)


_collect()

__all__ = ["REGISTRY", "KKLT", "LVS", "KahlerUplift", "NoScale", "Racetrack"]
