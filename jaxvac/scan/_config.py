"""Scan configuration: reading and validating the TOML file, and the parameter distributions.

The configuration is plain data (a normalised ``dict`` that goes into the manifest verbatim);
:class:`ScanConfig` wraps it with the resolved model class. Every key is documented in
``docs/scans.md``. Distributions are pure JAX functions of a PRNG key, so parameter draws
happen inside the compiled chunk function (no host round-trip).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import tomllib
import zlib
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .._io import (InputError, build_model, load_file_object, parse_value, resolve_model_class,
                   source_file)
from .._model import AbstractModel
from ._kinds import KEEP

DEFAULTS = {"starts": 16, "seed": 0, "chunk": 1024, "keep": "all"}
TOP_KEYS = ("model", "points", "starts", "seed", "chunk", "keep", "fixed", "sample", "region",
            "search", "solver")

#: jaxvac's own point solvers, by the short name a configuration gives them (``solver =
#: "NAME"``, docs/scans.md, "[solver]"): the only modules a configuration can make jaxvac
#: import (by the short name or by the ``module:Class`` written here, which the manifest
#: records); any other solver is a ``path/to/file.py:Class`` (docs/scans.md, "Safety").
#: ``search`` (the default) is jaxvac's search with ``[search]``.
POINT_SOLVERS = {"search": None, "rku-line": "jaxvac.reproduce._rku_scan:LineSolver"}

#: Largest number of parameter points (point ids are int64; draws fold in both 32-bit halves).
MAX_POINTS = 2**53


# ---- distributions --------------------------------------------------------------------


def _num(table: dict, key: str, where: str, *, required=True, default=None) -> float | None:
    if key not in table:
        if required:
            raise InputError(f"{where}: missing key {key!r}.")
        return default
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}.{key} must be a number (got {value!r}).")
    if not math.isfinite(value):
        raise InputError(f"{where}.{key} must be finite (got {value!r}).")
    return float(value)


def _only(table: dict, allowed: tuple[str, ...], where: str) -> None:
    extra = sorted(set(table) - set(allowed))
    if extra:
        raise InputError(
            f"{where}: unknown key(s) {', '.join(map(repr, extra))}; allowed: "
            f"{', '.join(allowed)}."
        )


def normalise_distribution(table: Any, where: str) -> dict[str, Any]:
    """Validate one ``[sample.NAME]`` table; return it with defaults filled in."""
    if not isinstance(table, dict):
        raise InputError(f"{where} must be a table with a 'dist' key (got {table!r}).")
    dist = table.get("dist")
    if dist not in DISTRIBUTIONS:
        raise InputError(
            f"{where}.dist must be one of {', '.join(DISTRIBUTIONS)} (got {dist!r})."
        )
    return DISTRIBUTIONS[dist][0](dict(table), where)


def _finite_draws(where: str, *extremes: float) -> None:
    """Refuse a law whose draws can overflow float64: ``extremes`` are the largest values
    its draw function computes on the way (e.g. high - low for a uniform law)."""
    if not all(math.isfinite(x) for x in extremes):
        raise InputError(
            f"{where}: draws are not finite in float64 with these bounds (the draw computes "
            f"{' and '.join(f'{x:g}' for x in extremes)}); narrow the range."
        )


def _norm_uniform(t, where):
    _only(t, ("dist", "low", "high"), where)
    low, high = _num(t, "low", where), _num(t, "high", where)
    if not low < high:
        raise InputError(f"{where}: need low < high (got low={low}, high={high}).")
    _finite_draws(where, high - low)  # jax.random.uniform: low + (high - low) u
    return {"dist": "uniform", "low": low, "high": high}


def _norm_symmetric(t, where):
    _only(t, ("dist", "scale"), where)
    scale = _num(t, "scale", where)
    if not scale > 0:
        raise InputError(f"{where}.scale must be > 0 (got {scale}).")
    _finite_draws(where, 2 * scale)
    return {"dist": "symmetric", "scale": scale}


def _norm_loguniform(t, where):
    _only(t, ("dist", "low", "high"), where)
    low, high = _num(t, "low", where), _num(t, "high", where)
    if not 0 < low < high:
        raise InputError(
            f"{where}: {t['dist']} needs 0 < low < high (got low={low}, high={high}); "
            "for ranges through zero use 'uniform' or 'symmetric'."
        )
    return {"dist": t["dist"], "low": low, "high": high}


def _norm_normal(t, where):
    _only(t, ("dist", "mean", "std"), where)
    mean = _num(t, "mean", where, required=False, default=0.0)
    std = _num(t, "std", where)
    if not std > 0:
        raise InputError(f"{where}.std must be > 0 (got {std}).")
    _finite_draws(where, abs(mean) + NORMAL_MAX * std)
    return {"dist": "normal", "mean": mean, "std": std}


def _norm_choice(t, where):
    _only(t, ("dist", "values", "weights"), where)
    values = t.get("values")
    if not isinstance(values, list) or not values:
        raise InputError(f"{where}.values must be a non-empty list of numbers (got {values!r}).")
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise InputError(f"{where}.values must be finite numbers (got {v!r}).")
    out = {"dist": "choice", "values": list(values)}
    weights = t.get("weights")
    if weights is not None:
        if (not isinstance(weights, list) or len(weights) != len(values)
                or any(isinstance(w, bool) or not isinstance(w, (int, float)) for w in weights)):
            raise InputError(f"{where}.weights must be a list of {len(values)} numbers.")
        if any(not (w >= 0 and math.isfinite(w)) for w in weights) or sum(weights) <= 0:
            raise InputError(f"{where}.weights must be >= 0 and not all 0 (got {weights}).")
        out["weights"] = [float(w) for w in weights]
    return out


def _norm_integer(t, where):
    _only(t, ("dist", "low", "high"), where)
    low, high = t.get("low"), t.get("high")
    for key, v in (("low", low), ("high", high)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise InputError(f"{where}.{key} must be an integer (got {v!r}).")
        if not -(2**63) <= v < 2**63 - 1:  # int64 draws of randint(low, high + 1)
            raise InputError(f"{where}.{key} must be an integer between {-(2**63)} and "
                             f"{2**63 - 2} (got {v}).")
    if not low <= high:
        raise InputError(f"{where}: need low <= high (got low={low}, high={high}).")
    return {"dist": "integer", "low": low, "high": high}


#: Largest |z| of jax.random.normal in float64 (sqrt(2) erfinv(1 - 2^-53) = 8.29), rounded up.
NORMAL_MAX = 8.5


def _draw_uniform(d, key, shape):
    return jax.random.uniform(key, shape, jnp.float64, d["low"], d["high"])


def _draw_symmetric(d, key, shape):
    return jax.random.uniform(key, shape, jnp.float64, -d["scale"], d["scale"])


def _draw_loguniform(d, key, shape):
    u = jax.random.uniform(key, shape, jnp.float64, math.log(d["low"]), math.log(d["high"]))
    return jnp.exp(u)


def _draw_signed_loguniform(d, key, shape):
    k1, k2 = jax.random.split(key)
    sign = jnp.where(jax.random.bernoulli(k2, 0.5, shape), 1.0, -1.0)
    return sign * _draw_loguniform(d, k1, shape)


def _draw_normal(d, key, shape):
    return d["mean"] + d["std"] * jax.random.normal(key, shape, jnp.float64)


def _draw_choice(d, key, shape):
    values = jnp.asarray(d["values"])
    weights = d.get("weights")
    p = None if weights is None else jnp.asarray(weights) / sum(weights)
    return jax.random.choice(key, values, shape, replace=True, p=p)


def _draw_integer(d, key, shape):
    return jax.random.randint(key, shape, d["low"], d["high"] + 1, dtype=jnp.int64)


def _support_uniform(d):
    return [d["low"], d["high"]]


def _support_symmetric(d):
    return [-d["scale"], d["scale"]]


def _support_loguniform(d):
    return [d["low"], d["high"]]


def _support_signed(d):
    return [-d["high"], -d["low"], d["low"], d["high"]]


def _support_normal(d):
    return [d["mean"]]


def _support_choice(d):
    return list(d["values"])


def _support_integer(d):
    return [d["low"], d["high"]]


#: name -> (normalise, draw(dist, key, shape), support points to validate against the model,
#: whether the draws are integers)
DISTRIBUTIONS = {
    "uniform": (_norm_uniform, _draw_uniform, _support_uniform, False),
    "symmetric": (_norm_symmetric, _draw_symmetric, _support_symmetric, False),
    "loguniform": (_norm_loguniform, _draw_loguniform, _support_loguniform, False),
    "signed-loguniform": (_norm_loguniform, _draw_signed_loguniform, _support_signed, False),
    "normal": (_norm_normal, _draw_normal, _support_normal, False),
    "choice": (_norm_choice, _draw_choice, _support_choice, None),
    "integer": (_norm_integer, _draw_integer, _support_integer, True),
}


def draw(dist: dict[str, Any], key, shape=()) -> jax.Array:
    """Draw from a normalised distribution table (pure; jittable)."""
    return DISTRIBUTIONS[dist["dist"]][1](dist, key, shape)


def is_integer_valued(dist: dict[str, Any]) -> bool:
    flag = DISTRIBUTIONS[dist["dist"]][3]
    if flag is None:  # choice: integers if every value is one
        return all(isinstance(v, int) for v in dist["values"])
    return flag


def parameter_salt(name: str) -> int:
    """A stable 31-bit number per parameter name: adding or removing a sampled parameter
    leaves the draws of the others unchanged."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


# ---- the configuration ------------------------------------------------------------------


def _int(config: dict, key: str, low: int, high: int, where: str = "") -> int:
    if key not in config:
        raise InputError(f"{where}missing key {key!r}.")
    value = config[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}{key} must be an integer (got {value!r}).")
    if not low <= value <= high:
        raise InputError(f"{where}{key} must be between {low} and {high} (got {value}).")
    return value


def _normalise_region(region: Any) -> dict[str, list[float]]:
    """``{"T": [lo, hi], "T.im": [lo, hi]}``; TOML's ``T.im = [..]`` (a nested table) too.
    Names and bounds are checked against the model by :meth:`jaxvac.Region.from_model`."""
    if not isinstance(region, dict):
        raise InputError(f"[region] must be a table of NAME = [LO, HI] (got {region!r}).")
    flat: dict[str, Any] = {}
    for name, value in region.items():
        if isinstance(value, dict):
            for part, bounds in value.items():
                flat[f"{name}.{part}"] = bounds
        else:
            flat[name] = value
    out = {}
    for name, bounds in flat.items():
        if (not isinstance(bounds, list) or len(bounds) != 2 or any(
                isinstance(b, bool) or not isinstance(b, (int, float)) for b in bounds)):
            raise InputError(f"region.{name} must be [LO, HI], two numbers (got {bounds!r}).")
        key = name[:-3] if name.endswith(".re") else name
        if key in out:
            raise InputError(f"region.{name}: given twice (as {key} and {key}.re).")
        out[key] = [float(bounds[0]), float(bounds[1])]
    return dict(sorted(out.items()))


def _numeric_fields(model_cls) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(model_cls)}


def _fixed_value(name: str, raw: Any):
    if isinstance(raw, str):
        return parse_value(raw, name=f"fixed.{name}")
    if isinstance(raw, bool) or isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise InputError(f"fixed.{name} must be finite (got {raw!r}).")
        return raw
    if isinstance(raw, list):
        return raw
    raise InputError(f"fixed.{name}: cannot use {raw!r} as a parameter value.")


@dataclasses.dataclass(frozen=True)
class ScanConfig:
    """A validated scan configuration.

    ``data`` is the normalised configuration (JSON-serialisable, defaults filled in): the
    manifest stores it and a resume compares it. ``model_spec`` is the model as it can be
    loaded from the current directory (paths of user models resolved against the
    configuration file's folder).
    """

    data: dict[str, Any]
    model_spec: str
    source: str | None = None  # the TOML file it came from, if any
    solver_spec: str | None = None  # the point solver's class as it can be loaded from here

    # -- convenient views --
    @property
    def model_class(self):
        return resolve_model_class(self.model_spec)

    @property
    def points(self) -> int:
        return self.data["points"]

    @property
    def starts(self) -> int:
        return self.data["starts"]

    @property
    def chunk(self) -> int:
        """Parameter points per chunk: ``chunk`` as configured, at most ``points`` (a larger
        value would only allocate padding; the configuration keeps what was written)."""
        return min(self.data["chunk"], self.data["points"])

    @property
    def seed(self) -> int:
        return self.data["seed"]

    @property
    def keep(self) -> str:
        return self.data["keep"]

    @property
    def n_chunks(self) -> int:
        return -(-self.points // self.chunk)

    @property
    def sample(self) -> dict[str, dict[str, Any]]:
        return self.data["sample"]

    @property
    def fixed(self) -> dict[str, Any]:
        return self.data["fixed"]

    def base_model(self) -> AbstractModel:
        """The model with the fixed parameters set (sampled ones at their defaults)."""
        return build_model(self.model_class, self.fixed)

    def fingerprint(self) -> str:
        """sha256 of the normalised configuration, including the point solver (and of the
        source files of a user model or point solver given as ``file.py:Class``)."""
        text = json.dumps(self.data, sort_keys=True, separators=(",", ":"))
        h = hashlib.sha256(text.encode())
        for spec in (self.model_spec, self.solver_spec):
            source = source_file(spec)
            if source is not None:
                with open(source, "rb") as f:
                    h.update(f.read())
        return h.hexdigest()

    def sources(self) -> dict[str, dict[str, str]]:
        """``{"model" / "solver": {"file": absolute path, "sha256": of its content}}`` for a
        user model or point solver given as ``file.py:Class`` (what the fingerprint covers
        besides the configuration; the manifest records it to name what changed)."""
        out = {}
        for kind, spec in (("model", self.model_spec), ("solver", self.solver_spec)):
            source = source_file(spec)
            if source is not None:
                with open(source, "rb") as f:
                    out[kind] = {"file": os.path.abspath(source),
                                 "sha256": hashlib.sha256(f.read()).hexdigest()}
        return out

    def point_solver(self):
        """The per-point computation this configuration names (``[solver]``; default: the
        search with the ``[search]`` options)."""
        from ._engine import search_point_solver

        table = self.data.get("solver")
        if table is None:
            return search_point_solver(self)
        options = {k: v for k, v in table.items() if k != "name"}
        if "repr" in options:
            raise InputError(
                f"solver {table['name']!r} was given in Python (point_solver=) and its options "
                "cannot be rebuilt from the configuration: pass the same point_solver= again."
            )
        return _instantiate_solver(resolve_solver_class(self.solver_spec or table["name"]),
                                   options, table["name"])

    def with_point_solver(self, solver) -> ScanConfig:
        """This configuration with ``solver`` (a Python point solver) recorded in it, so that
        the fingerprint, the manifest and a resume see which solver made the rows. The
        default search solver of this configuration leaves it unchanged."""
        from ._engine import search_point_solver

        if solver == search_point_solver(self):
            return self
        described = describe_solver(solver)
        current = self.data.get("solver")
        if current is not None and current != described:
            raise InputError(
                f"point_solver= {described['name']} differs from the configuration's [solver] "
                f"{current['name']}: give the solver in one place."
            )
        return dataclasses.replace(self, data={**self.data, "solver": described})

    def chunk_points(self, index: int) -> int:
        """Number of parameter points in chunk ``index`` (the last one may be short)."""
        return min(self.chunk, self.points - index * self.chunk)


def manifest_sampling(config: Any, where: str = "manifest: config") -> dict[str, Any]:
    """What a recorded configuration (a manifest's ``config``) says each parameter point
    drew: ``points``, ``chunk`` (as the scan used it), ``seed`` and ``sample``, validated as
    data. Reading a scan needs nothing else: its model is neither imported nor built."""
    if not isinstance(config, dict):
        raise InputError(f"{where} must be a table.")
    points = _int(config, "points", 1, MAX_POINTS, f"{where}.")
    chunk = min(_int(config, "chunk", 1, 10_000_000, f"{where}."), points)
    seed = _int(config, "seed", 0, 2**63 - 1, f"{where}.")
    sample = config.get("sample", {})
    if not isinstance(sample, dict):
        raise InputError(f"{where}.sample must be a table of distributions.")
    sample = {name: normalise_distribution(table, f"{where}.sample.{name}")
              for name, table in sample.items()}
    return {"points": points, "chunk": chunk, "seed": seed, "sample": sample}


# ---- point solvers ----------------------------------------------------------------------


def resolve_solver_class(spec: str):
    """A point-solver class: one of jaxvac's own (:data:`POINT_SOLVERS`, by its short name
    or its ``module:Class``) or ``path/to/file.py:Class``. No other module is imported
    (docs/scans.md, "Safety"), and nothing is called here."""
    import importlib

    builtin = POINT_SOLVERS.get(spec, spec)
    if builtin is not None and builtin in POINT_SOLVERS.values():
        module, _, name = builtin.partition(":")
        return getattr(importlib.import_module(module), name)
    known = ", ".join(POINT_SOLVERS)
    if ":" not in spec:
        raise InputError(f"solver {spec!r}: use a short name ({known}) or path/to/file.py:Class.")
    path, _, name = spec.rpartition(":")
    if not path.endswith(".py"):
        raise InputError(
            f"solver {spec!r}: not a built-in point solver ({known}) nor path/to/file.py:Class; "
            "jaxvac imports no other module named in a configuration (docs/scans.md, 'Safety')."
        )
    cls = load_file_object(spec, "solver")
    if not isinstance(cls, type):
        raise InputError(f"solver {spec!r}: {name} is not a class (a point solver is a class "
                         "constructed with the other keys of [solver]).")
    return cls


def _instantiate_solver(cls, options: dict, name: str):
    try:
        solver = cls(**options)
    except TypeError as e:
        raise InputError(f"[solver] {name}: bad options {sorted(options)}: {e}") from None
    if not callable(solver):
        raise InputError(f"[solver] {name}: an instance of it is not callable as solver(model, key).")
    try:
        hash(solver)
    except TypeError:
        raise InputError(
            f"[solver] {name}: point solvers must be hashable (e.g. a frozen dataclass): "
            "the chunk function is compiled once per solver."
        ) from None
    return solver


def _json_option(value):
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        items = [_json_option(v) for v in value]
        return None if any(i is _NOT_JSON for i in items) else items
    if isinstance(value, np.generic):
        return value.item()
    return _NOT_JSON


_NOT_JSON = object()


def describe_solver(solver, name: str | None = None) -> dict[str, Any]:
    """``{"name": "module:Class", **options}``: a point solver as configuration data (the
    fields of a dataclass solver, defaults included; ``{"repr": ...}`` for others)."""
    cls = type(solver)
    name = name or f"{cls.__module__}:{cls.__qualname__}"
    if dataclasses.is_dataclass(solver):
        options = {f.name: _json_option(getattr(solver, f.name)) for f in dataclasses.fields(solver)}
        if all(v is not _NOT_JSON for v in options.values()):
            return {"name": name, **dict(sorted(options.items()))}
    return {"name": name, "repr": repr(solver)}


def _normalise_solver(raw: Any, base_dir: str | None) -> tuple[dict | None, str | None]:
    """(``data["solver"]`` or None for the default search, the loadable class spec)."""
    if raw is None:
        return None, None
    if isinstance(raw, str):
        table = {"name": raw}
    elif isinstance(raw, dict):
        table = dict(raw)
    else:
        raise InputError(f"solver must be a name or a [solver] table with a 'name' key (got {raw!r}).")
    name = table.pop("name", None)
    if not isinstance(name, str) or not name:
        raise InputError(f"[solver] needs a name: a short name ({', '.join(POINT_SOLVERS)}), "
                         "'package.module:Class' or 'path/to/file.py:Class'.")
    if name == "search":
        if table:
            raise InputError(
                f"[solver]: the search solver takes its options from [search], not [solver] "
                f"(got {', '.join(sorted(table))})."
            )
        return None, None
    spec = POINT_SOLVERS.get(name, name)
    path, _, cls_name = spec.rpartition(":")
    from_file = path.endswith(".py")
    if from_file and base_dir is not None and not os.path.isabs(path):
        spec = f"{os.path.join(base_dir, path)}:{cls_name}"
    solver = _instantiate_solver(resolve_solver_class(spec), table, name)
    # A class from a file is named as written (the module name of a loaded file is not
    # stable; the file's content enters the fingerprint); others by module:Class.
    return describe_solver(solver, name if from_file else None), spec


def read_config(source: str | os.PathLike | dict) -> ScanConfig:
    """Read and validate a scan configuration: a TOML file path or an already-parsed dict.

    Raises :class:`jaxvac._io.InputError` naming the key and what is allowed.
    """
    base_dir = None
    origin = None
    if isinstance(source, dict):
        raw = source
    else:
        origin = os.fspath(source)
        try:
            with open(origin, "rb") as f:
                raw = tomllib.load(f)
        except FileNotFoundError:
            raise InputError(f"CONFIG {origin!r}: no such file.") from None
        except OSError as e:
            raise InputError(f"CONFIG {origin!r}: cannot read it ({e.strerror}).") from None
        except tomllib.TOMLDecodeError as e:
            raise InputError(f"CONFIG {origin!r}: not valid TOML: {e}.") from None
        base_dir = os.path.dirname(os.path.abspath(origin))
    return _validate(raw, base_dir=base_dir, origin=origin)


def _validate(raw: dict, *, base_dir: str | None, origin: str | None) -> ScanConfig:
    if not isinstance(raw, dict):
        raise InputError("scan configuration must be a table (a TOML document or dict).")
    unknown = sorted(set(raw) - set(TOP_KEYS))
    if unknown:
        raise InputError(
            f"unknown configuration key(s) {', '.join(map(repr, unknown))}; allowed: "
            f"{', '.join(TOP_KEYS)}."
        )
    for key in ("model", "points"):
        if key not in raw:
            raise InputError(f"configuration: missing required key {key!r}.")
    config = {**DEFAULTS, **raw}

    spec = config["model"]
    if not isinstance(spec, str) or not spec:
        raise InputError(f"model must be a built-in name or 'path/to/file.py:ClassName' (got {spec!r}).")
    model_spec = spec
    if ":" in spec and base_dir is not None:
        path, _, name = spec.rpartition(":")
        if not os.path.isabs(path):
            candidate = os.path.join(base_dir, path)
            if os.path.isfile(candidate):
                model_spec = f"{candidate}:{name}"
    model_cls = resolve_model_class(model_spec)

    data: dict[str, Any] = {"model": spec}
    data["points"] = _int(config, "points", 1, MAX_POINTS)
    data["starts"] = _int(config, "starts", 1, 1_000_000)
    data["seed"] = _int(config, "seed", 0, 2**63 - 1)
    data["chunk"] = _int(config, "chunk", 1, 10_000_000)
    keep = config["keep"]
    if keep not in KEEP:
        raise InputError(f"keep must be one of {', '.join(KEEP)} (got {keep!r}).")
    data["keep"] = keep

    fields = _numeric_fields(model_cls)
    allowed = ", ".join(fields) or "(none)"
    fixed_raw = config.get("fixed", {})
    if not isinstance(fixed_raw, dict):
        raise InputError("[fixed] must be a table of NAME = VALUE.")
    fixed = {}
    for name, value in fixed_raw.items():
        if name not in fields:
            raise InputError(f"fixed.{name}: {model_cls.__name__} has no parameter {name!r}; its parameters are: {allowed}.")
        fixed[name] = _fixed_value(name, value)
    data["fixed"] = dict(sorted(fixed.items()))

    sample_raw = config.get("sample", {})
    if not isinstance(sample_raw, dict):
        raise InputError("[sample.NAME] tables expected (e.g. [sample.W0] with dist = ...).")
    sample = {}
    for name, table in sample_raw.items():
        where = f"sample.{name}"
        if name not in fields:
            raise InputError(f"{where}: {model_cls.__name__} has no parameter {name!r}; its parameters are: {allowed}.")
        if name in fixed:
            raise InputError(f"{where}: {name!r} is also in [fixed]; a parameter is either fixed or sampled.")
        if fields[name].metadata.get("static"):
            raise InputError(
                f"{where}: {name!r} is a static (structural) parameter of {model_cls.__name__}; "
                "it can be fixed but not sampled (each value would need its own compilation)."
            )
        sample[name] = normalise_distribution(table, where)
    data["sample"] = dict(sorted(sample.items()))
    data["region"] = _normalise_region(config.get("region", {}))
    search = config.get("search", {})
    if not isinstance(search, dict):
        raise InputError("[search] must be a table of search options.")
    data["search"] = dict(sorted(search.items()))
    solver, solver_spec = _normalise_solver(config.get("solver"), base_dir)
    if solver is not None:
        data["solver"] = solver

    cfg = ScanConfig(data=data, model_spec=model_spec, source=origin, solver_spec=solver_spec)
    _check_against_model(cfg, model_cls, fields)
    return cfg


def _check_against_model(cfg: ScanConfig, model_cls, fields) -> None:
    """Build the model at the edges of every sampled range, so that values the model
    refuses are reported now, naming the key, rather than as NaN rows later."""
    from .._search import Region, _options

    base = build_model(model_cls, cfg.fixed)  # errors name the fixed parameter
    Region.from_model(base, cfg.data["region"])  # errors name the region key
    try:
        _options(**cfg.data["search"])
    except (TypeError, ValueError) as e:
        raise InputError(f"[search]: {e}") from None
    for name, dist in cfg.sample.items():
        default = getattr(base, name)
        default_arr = np.asarray(default)
        if default_arr.dtype.kind not in "biuf":
            raise InputError(
                f"sample.{name}: only real numeric parameters can be sampled "
                f"({name!r} of {model_cls.__name__} is {default!r})."
            )
        if default_arr.dtype.kind in "iu" and not is_integer_valued(dist):
            raise InputError(
                f"sample.{name}: {name!r} is an integer parameter; use dist = 'integer' or "
                "'choice' with integer values."
            )
        for value in DISTRIBUTIONS[dist["dist"]][2](dist):
            trial = value
            if default_arr.ndim:
                trial = np.full(default_arr.shape, value, dtype=np.float64).tolist()
            try:
                build_model(model_cls, {**cfg.fixed, name: trial})
            except InputError as e:
                raise InputError(f"sample.{name}: {model_cls.__name__} refuses {name}={value!r} "
                                 f"from the sampled range: {e}") from None
