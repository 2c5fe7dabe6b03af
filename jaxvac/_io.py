"""Loading models by name or path, parsing values and points, JSON-safe conversion.

Shared by the command line, scans and experiments; no physics here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import numbers
import os
import sys
import types
from typing import Any, cast

import numpy as np

from ._errors import InputError  # noqa: F401 - defined without imports; re-exported here
from ._model import AbstractModel, PotentialModel, SupergravityModel, parameter_problem

# ---- models and other user code ------------------------------------------------------
#
# jaxvac runs code from two places only (docs/scans.md, "Safety"): its own registries of
# built-in models and point solvers, and a ``path/to/file.py:Class`` that the user names on
# the command line or in the configuration file they run. Nothing read from a data file (a
# scan manifest, a JSON point) is ever imported or called. :func:`load_file_object` is the
# one loader of user files.

#: path (absolute) -> (modification time ns, size, module)
_USER_MODULES: dict[str, tuple[int, int, types.ModuleType]] = {}


def _module_of_file(path: str, what: str) -> types.ModuleType:
    """The module of the Python file ``path``, executed once per version of the file (its
    modification time and size), under a private name in ``sys.modules`` (so dataclasses and
    pickling find it), without writing a bytecode cache next to the user's file."""
    path = os.path.abspath(path)
    st = os.stat(path)
    cached = _USER_MODULES.get(path)
    if cached is not None and cached[:2] == (st.st_mtime_ns, st.st_size):
        return cached[2]
    name = f"_jaxvac_user_{hashlib.sha256(path.encode()).hexdigest()[:16]}"
    module = types.ModuleType(name)
    module.__file__ = path
    previous = sys.modules.get(name)
    sys.modules[name] = module
    try:
        with open(path, "rb") as f:
            source = f.read()
        exec(compile(source, path, "exec", dont_inherit=True), module.__dict__)
    except Exception as e:  # noqa: BLE001 - report any failure of the user's file in one line
        if previous is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = previous
        raise InputError(f"{what}: importing {path!r} failed: {type(e).__name__}: {e}") from e
    _USER_MODULES[path] = (st.st_mtime_ns, st.st_size, module)
    return module


def split_file_spec(spec: str, what: str) -> tuple[str, str]:
    """``("path/to/file.py", "Class")`` from ``path/to/file.py:Class``; anything else (a
    module name, a path to a file that is not Python) is refused."""
    path, sep, name = spec.rpartition(":")
    if not sep or not path.endswith(".py") or not name:
        raise InputError(f"{what} {spec!r}: expected path/to/file.py:ClassName.")
    return path, name


def load_file_object(spec: str, what: str):
    """The object ``Class`` defined by ``path/to/file.py:Class`` (dotted names reach nested
    attributes); the file runs at most once per version. ``what`` starts the messages."""
    path, name = split_file_spec(spec, what)
    if not os.path.isfile(path):
        raise InputError(f"{what} {spec!r}: file {path!r} does not exist.")
    obj = _module_of_file(path, f"{what} {spec!r}")
    for part in name.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            raise InputError(f"{what} {spec!r}: {path!r} defines no {name!r}.")
    return obj


def source_file(spec: str | None) -> str | None:
    """The Python file of a ``path/to/file.py:Class`` spec, if it is one and exists."""
    if not spec or ":" not in spec:
        return None
    path = spec.rpartition(":")[0]
    return path if path.endswith(".py") and os.path.isfile(path) else None


def resolve_model_class(spec: str) -> type[AbstractModel]:
    """A built-in short name (``kklt``) or ``path/to/file.py:ClassName``."""
    from .models import REGISTRY

    if spec in REGISTRY:
        return REGISTRY[spec]
    if ":" in spec:
        cls = load_file_object(spec, "MODEL")
        name = spec.rpartition(":")[2]
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
            if key in out:
                raise InputError(f"{what}: {key} given twice.")
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
        problem = parameter_problem(fields[key], value)
        if problem:  # before the model's own checks, which may not expect such a value
            raise InputError(f"{cls.__name__}: parameter {key!r} {problem}.")
        default = fields[key].default
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(default, int) and not isinstance(default, bool) and isinstance(value, float):
            if not value.is_integer():
                raise InputError(
                    f"{cls.__name__}: parameter {key!r} must be an integer (got {raw!r})."
                )
            value = int(value)
        kwargs[key] = value
    try:
        return cls(**kwargs)
    except (ValueError, TypeError) as e:
        raise InputError(str(e)) from e


def load_model(spec: str, params: dict[str, Any] | None = None) -> AbstractModel:
    return build_model(resolve_model_class(spec), params or {})


# ---- points -------------------------------------------------------------------------


def _coordinate(raw, name: str) -> Any:
    """One coordinate value of a point, as given: a finite number, or a numeric string
    (``"113+0.5j"``) read as one. Typed ``Any``: it is a ``numbers.Number`` or a 0-d numeric
    array, and ``numbers.Number`` declares no ``__complex__``/``__float__`` to a type checker."""
    value = parse_value(raw, name=name) if isinstance(raw, str) else raw
    if isinstance(value, (bool, np.bool_)) or not (
        isinstance(value, numbers.Number)
        or (isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iufc")
    ):
        raise InputError(f"point: {name}: expected a number (got {raw!r}).")
    z = complex(cast(complex, value))  # a Number (or 0-d array) converts; see above
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        raise InputError(f"point: {name}: must be finite (got {raw!r}).")
    return value


def point_to_y(model: AbstractModel, point) -> np.ndarray:
    """Real coordinates y from a dict of field values or an array of y.

    Supergravity: ``{"T": 113+0.5j}``, ``{"T": "113+0.5j"}``, ``{"T": {"re": 113, "im": 0.5}}``
    or ``{"T.re": 113, "T.im": 0.5}``; unset imaginary parts are 0. Plain: ``{"x": 1.2}``.
    Every value must be a finite number, each given once.
    """
    if not isinstance(point, dict):
        try:
            y = np.asarray(point, dtype=np.float64)
        except (TypeError, ValueError):
            raise InputError(
                f"point: expected {model.n_real} real numbers {model.coordinate_names} "
                f"(got {point!r})."
            ) from None
        if y.shape != (model.n_real,):
            raise InputError(
                f"point: expected {model.n_real} real coordinates {model.coordinate_names}, "
                f"got shape {y.shape}."
            )
        return y
    if model.is_supergravity:  # complex moduli: NAME, NAME.re, NAME.im
        names = cast(SupergravityModel, model).moduli
        re: dict[str, float | None] = {m: None for m in names}
        im = {m: 0.0 for m in names}
        given: set[tuple[str, str]] = set()
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
                extra = set(raw) - {"re", "im"}
                if extra:
                    raise InputError(
                        f"point: {key}: use only the keys 're' and 'im' (got "
                        f"{', '.join(map(repr, sorted(extra)))})."
                    )
                value = complex(
                    complex(_coordinate(raw.get("re", 0.0), f"{key}.re")).real,
                    complex(_coordinate(raw.get("im", 0.0), f"{key}.im")).real,
                )
            else:
                value = complex(_coordinate(raw, key))
            for p in ("re", "im") if part == "" else (part,):
                if (base, p) in given:
                    what = "real" if p == "re" else "imaginary"
                    raise InputError(f"point: {key}: the {what} part of {base} is given twice.")
                given.add((base, p))
            if part == "im":
                im[base] = value.real
            elif part == "re":
                re[base] = value.real
            else:
                re[base], im[base] = value.real, value.imag
        missing = [m for m in names if re[m] is None]
        if missing:
            raise InputError(
                f"point: missing value for {', '.join(missing)} (give e.g. {missing[0]}=1.0)."
            )
        return np.array([re[m] for m in names] + [im[m] for m in names], dtype=np.float64)
    names = model.coordinate_names  # a potential model's real coordinates are its fields
    values = {}
    for key, raw in point.items():
        if key not in names:
            raise InputError(
                f"point: {key!r} is not a field of {type(model).__name__} (fields: {', '.join(names)})."
            )
        value = _coordinate(raw, key)
        if np.iscomplexobj(value):
            raise InputError(f"point: field {key!r} is real; got {raw!r}.")
        values[key] = float(value)
    missing = [f for f in names if f not in values]
    if missing:
        raise InputError(f"point: missing value for {', '.join(missing)}.")
    return np.array([values[f] for f in names], dtype=np.float64)


def y_to_fields(model: AbstractModel, y) -> dict[str, Any]:
    """The JSON ``fields`` object: ``{"T": {"re": .., "im": ..}}`` or ``{"x": ..}``."""
    return model.fields_of(y)


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
