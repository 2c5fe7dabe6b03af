"""Loading models by name or path, parsing values and points, JSON-safe conversion.

Shared by the command line, scans and experiments; no physics here.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import math
import os
import sys
from typing import Any

import numpy as np

from ._model import AbstractModel, PotentialModel, SupergravityModel


class InputError(ValueError):
    """Bad user input; the message names the offending parameter and what is allowed."""


# ---- models -------------------------------------------------------------------------


def resolve_model_class(spec: str) -> type[AbstractModel]:
    """A built-in short name (``kklt``) or ``path/to/file.py:ClassName``."""
    from .models import REGISTRY

    if spec in REGISTRY:
        return REGISTRY[spec]
    if ":" in spec:
        path, _, name = spec.rpartition(":")
        if not os.path.isfile(path):
            raise InputError(f"MODEL {spec!r}: file {path!r} does not exist.")
        module_name = f"_jaxvac_user_{abs(hash(os.path.abspath(path)))}"
        module = sys.modules.get(module_name)
        if module is None:
            mod_spec = importlib.util.spec_from_file_location(module_name, path)
            module = importlib.util.module_from_spec(mod_spec)
            sys.modules[module_name] = module
            try:
                mod_spec.loader.exec_module(module)
            except Exception as e:  # noqa: BLE001 - report any import failure in one line
                del sys.modules[module_name]
                raise InputError(f"MODEL {spec!r}: importing {path!r} failed: {e}") from e
        cls = getattr(module, name, None)
        if cls is None:
            raise InputError(f"MODEL {spec!r}: {path!r} defines no {name!r}.")
        if not (isinstance(cls, type) and issubclass(cls, (SupergravityModel, PotentialModel))):
            raise InputError(
                f"MODEL {spec!r}: {name} is not a jaxvac.SupergravityModel or "
                "jaxvac.PotentialModel subclass."
            )
        return cls
    known = ", ".join(sorted(REGISTRY))
    raise InputError(
        f"Unknown model {spec!r}: use a built-in name ({known}) or path/to/file.py:ClassName."
    )


def model_name(spec: str) -> str:
    """Short name used in reports: the built-in name or ``ClassName``."""
    return spec.rpartition(":")[2] if ":" in spec else spec


def parse_value(text: str, *, name: str = "value") -> Any:
    """A number from the command line: int, float, complex (``1+2j``), or bool."""
    t = text.strip()
    low = t.lower()
    if low in ("true", "false"):
        return low == "true"
    for conv in (int, float):
        try:
            return conv(t)
        except ValueError:
            pass
    s = t.replace(" ", "")
    if s.endswith("i"):
        s = s[:-1] + "j"
    try:
        return complex(s)
    except ValueError:
        raise InputError(f"{name}: cannot read {text!r} as a number.") from None


def parse_assignments(items, *, what: str) -> dict[str, Any]:
    """``["a=1", "b=2.5"]`` (or comma-separated) into ``{"a": 1, "b": 2.5}``."""
    out: dict[str, Any] = {}
    for item in items or ():
        for piece in _split_commas(item):
            if "=" not in piece:
                raise InputError(f"{what}: expected NAME=VALUE, got {piece!r}.")
            key, _, value = piece.partition("=")
            key = key.strip()
            if not key:
                raise InputError(f"{what}: missing name in {piece!r}.")
            out[key] = value.strip()
    return out


def _split_commas(text: str):
    # Complex numbers never contain commas, so a plain split is safe.
    return [p for p in (s.strip() for s in text.split(",")) if p]


def build_model(cls: type[AbstractModel], params: dict[str, Any]) -> AbstractModel:
    """Instantiate ``cls`` with string or numeric ``params``; errors name the parameter."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, raw in params.items():
        if key not in fields:
            allowed = ", ".join(fields) or "(none)"
            raise InputError(
                f"{cls.__name__} has no parameter {key!r}; its parameters are: {allowed}."
            )
        value = parse_value(raw, name=key) if isinstance(raw, str) else raw
        default = fields[key].default
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(default, int) and not isinstance(default, bool) and isinstance(value, float):
            if not value.is_integer():
                raise InputError(f"{cls.__name__}: parameter {key!r} must be an integer (got {raw!r}).")
            value = int(value)
        kwargs[key] = value
    try:
        return cls(**kwargs)
    except (ValueError, TypeError) as e:
        raise InputError(str(e)) from e


def load_model(spec: str, params: dict[str, Any] | None = None) -> AbstractModel:
    return build_model(resolve_model_class(spec), params or {})


# ---- points -------------------------------------------------------------------------


def point_to_y(model: AbstractModel, point) -> np.ndarray:
    """Real coordinates y from a dict of field values or an array of y.

    Supergravity: ``{"T": 113+0.5j}``, ``{"T": "113+0.5j"}``, ``{"T": {"re": 113, "im": 0.5}}``
    or ``{"T.re": 113, "T.im": 0.5}``; unset imaginary parts are 0. Plain: ``{"x": 1.2}``.
    """
    if not isinstance(point, dict):
        y = np.asarray(point, dtype=np.float64)
        if y.shape != (model.n_real,):
            raise InputError(
                f"point: expected {model.n_real} real coordinates {model.coordinate_names}, "
                f"got shape {y.shape}."
            )
        return y
    if isinstance(model, SupergravityModel):
        names = model.moduli
        re = {m: None for m in names}
        im = {m: 0.0 for m in names}
        for key, raw in point.items():
            base, _, part = key.partition(".")
            if base not in re:
                raise InputError(
                    f"point: {key!r} is not a modulus of {type(model).__name__} (moduli: "
                    f"{', '.join(names)})."
                )
            if part not in ("", "re", "im"):
                raise InputError(f"point: {key!r}: use NAME, NAME.re or NAME.im.")
            if isinstance(raw, dict):
                value = complex(raw.get("re", 0.0), raw.get("im", 0.0))
            else:
                value = parse_value(raw, name=key) if isinstance(raw, str) else raw
            value = complex(value)
            if part == "im":
                im[base] = value.real
            elif part == "re":
                re[base] = value.real
            else:
                re[base], im[base] = value.real, value.imag
        missing = [m for m in names if re[m] is None]
        if missing:
            raise InputError(f"point: missing value for {', '.join(missing)} (give e.g. {missing[0]}=1.0).")
        return np.array([re[m] for m in names] + [im[m] for m in names], dtype=np.float64)
    names = model.fields
    values = {}
    for key, raw in point.items():
        if key not in names:
            raise InputError(
                f"point: {key!r} is not a field of {type(model).__name__} (fields: {', '.join(names)})."
            )
        value = parse_value(raw, name=key) if isinstance(raw, str) else raw
        if isinstance(value, complex):
            raise InputError(f"point: field {key!r} is real; got {raw!r}.")
        values[key] = float(value)
    missing = [f for f in names if f not in values]
    if missing:
        raise InputError(f"point: missing value for {', '.join(missing)}.")
    return np.array([values[f] for f in names], dtype=np.float64)


def y_to_fields(model: AbstractModel, y) -> dict[str, Any]:
    """The JSON ``fields`` object: ``{"T": {"re": .., "im": ..}}`` or ``{"x": ..}``."""
    y = np.asarray(y, dtype=np.float64)
    if isinstance(model, SupergravityModel):
        n = model.n_moduli
        return {m: {"re": float(y[i]), "im": float(y[n + i])} for i, m in enumerate(model.moduli)}
    return {f: float(y[i]) for i, f in enumerate(model.fields)}


def per_field(model: AbstractModel, vec) -> dict[str, Any]:
    """A vector over real coordinates in the ``fields`` layout (e.g. the gradient)."""
    return y_to_fields(model, vec)


# ---- JSON -------------------------------------------------------------------------------


def json_safe(obj):
    """Replace non-finite floats by None and numpy scalars/arrays by Python objects."""
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return json_safe(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
    return obj


def dumps(obj, **kwargs) -> str:
    return json.dumps(json_safe(obj), **kwargs)
