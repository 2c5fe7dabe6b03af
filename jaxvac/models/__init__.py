"""Built-in models. Each private module ``_*.py`` here may define ``BUILTIN = {name: class}``;
they are collected into :data:`REGISTRY` (the short names of the command line)."""

import importlib
import pkgutil

from ._literature import KKLT, LVS, KahlerUplift, NoScale, Racetrack

REGISTRY: dict[str, type] = {}
#: class name -> class, for every built-in model (``jaxvac.models.RKU``; :func:`__getattr__`)
CLASSES: dict[str, type] = {}


def _collect() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, cls in getattr(module, "BUILTIN", {}).items():
            if name in REGISTRY and REGISTRY[name] is not cls:
                raise RuntimeError(f"Built-in model name {name!r} defined twice.")
            REGISTRY[name] = cls
            CLASSES.setdefault(cls.__name__, cls)


_collect()


def __getattr__(name: str):
    """The built-in model classes by class name (``jaxvac.models.RKUHiggs``)."""
    try:
        return CLASSES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__():
    return sorted(set(globals()) | set(CLASSES))


__all__ = ["REGISTRY", "KKLT", "LVS", "KahlerUplift", "NoScale", "Racetrack"]
