"""Scan configuration: reading and validating the TOML file into a typed :class:`ScanConfig`.

Every key is documented in ``docs/scans.md``, "Configuration"; every refusal is one
:class:`~jaxvac._errors.InputError` line naming the key. The distributions are
:mod:`jaxvac.scan._sampling`'s, the point solvers :mod:`jaxvac.scan._solvers`'.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import tomllib
from typing import Any

import numpy as np

from .._errors import InputError
from .._io import build_model, parse_value, resolve_model_class, source_file
from .._model import AbstractModel
from ._checks import check_int, check_keys
from ._enumeration import Enumeration
from ._kinds import KEEP, KINDS
from ._sampling import MAX_POINTS, Distribution, normalise_distribution
from ._solvers import (
    PointSolver,
    check_search,
    describe_solver,
    instantiate_solver,
    normalise_solver,
    resolve_solver_class,
    search_point_solver,
)

#: The keys of a configuration, in the order the manifest records them.
TOP_KEYS = (
    "model",
    "points",
    "starts",
    "seed",
    "chunk",
    "keep",
    "fixed",
    "sample",
    "region",
    "search",
    "solver",
    "certify",
    "enumerate",
)
DEFAULTS = {"starts": 16, "seed": 0, "chunk": 1024, "keep": "all"}
#: The field of ScanConfig that holds a key, where their names differ.
_FIELD = {"chunk": "configured_chunk"}


@dataclasses.dataclass(frozen=True)
class ScanConfig:
    """A validated scan configuration: one field per key of the TOML file (defaults filled
    in), plus where its model and point solver load from.

    :attr:`data` is the configuration as JSON data: the manifest stores it and a resume
    compares it (and :meth:`fingerprint`). ``model_spec`` is the model as it can be loaded
    from the current directory (paths of user models resolved against the configuration
    file's folder), ``solver_spec`` the same for a point solver, ``source`` the TOML file.
    """

    model: str  # as written
    points: int
    starts: int
    seed: int
    configured_chunk: int  # ``chunk`` as written; see the property chunk
    keep: str  # one of KEEP
    fixed: dict[str, Any]
    sample: dict[str, Distribution]
    region: dict[str, list[float]]
    search: dict[str, Any]
    solver: dict[str, Any] | None  # the point solver as data; None: the search
    model_spec: str
    source: str | None = None
    solver_spec: str | None = None
    certify: dict[str, Any] | None = None  # the [certify] options; None: no certified columns
    #: ``[enumerate]``: the parameter points are the integer points of a box (``points``
    #: is its size); None: they are drawn from ``sample``.
    enumerate: Enumeration | None = None

    @property
    def data(self) -> dict[str, Any]:
        """The normalised configuration (JSON data, keys in :data:`TOP_KEYS` order; no
        ``solver`` for the default search, no ``certify`` unless it is on, no ``enumerate`` for a
        sampled scan: the data, and so the fingerprint, of a configuration without them is what it
        always was)."""
        out = {key: getattr(self, _FIELD.get(key, key)) for key in TOP_KEYS}
        out["sample"] = {name: dist.to_dict() for name, dist in self.sample.items()}
        for key in ("solver", "certify"):
            if out[key] is None:
                del out[key]
        if self.enumerate is None:
            del out["enumerate"]
        else:
            out["enumerate"] = self.enumerate.to_dict()
        return out

    @property
    def model_class(self):
        return resolve_model_class(self.model_spec)

    @property
    def chunk(self) -> int:
        """Parameter points per chunk: ``chunk`` as configured, at most ``points`` (a larger
        value would only allocate padding; the configuration keeps what was written)."""
        return min(self.configured_chunk, self.points)

    @property
    def n_chunks(self) -> int:
        return -(-self.points // self.chunk)

    def chunk_points(self, index: int) -> int:
        """Number of parameter points in chunk ``index`` (the last one may be short)."""
        return min(self.chunk, self.points - index * self.chunk)

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
                    out[kind] = {
                        "file": os.path.abspath(source),
                        "sha256": hashlib.sha256(f.read()).hexdigest(),
                    }
        return out

    def point_solver(self) -> PointSolver:
        """The per-point computation this configuration names (``[solver]``; default: the
        search with the ``[search]`` options)."""
        if self.solver is None:
            return search_point_solver(self)
        options = {k: v for k, v in self.solver.items() if k != "name"}
        name = self.solver["name"]
        if "repr" in options:
            raise InputError(
                f"solver {name!r} was given in Python (point_solver=) and its options "
                "cannot be rebuilt from the configuration: pass the same point_solver= again."
            )
        return instantiate_solver(resolve_solver_class(self.solver_spec or name), options, name)

    def with_point_solver(self, solver: PointSolver) -> ScanConfig:
        """This configuration with ``solver`` (a Python point solver) recorded in it, so that
        the fingerprint, the manifest and a resume see which solver made the rows. The
        default search solver of this configuration leaves it unchanged."""
        if solver == search_point_solver(self):
            return self
        described = describe_solver(solver)
        if self.solver is not None and self.solver != described:
            raise InputError(
                f"point_solver= {described['name']} differs from the configuration's [solver] "
                f"{self.solver['name']}: give the solver in one place."
            )
        return dataclasses.replace(self, solver=described)


# ---- reading ------------------------------------------------------------------------------


def read_config(source: str | os.PathLike | dict) -> ScanConfig:
    """Read and validate a scan configuration: a TOML file path or an already-parsed dict.

    Raises :class:`jaxvac._errors.InputError` naming the key and what is allowed.
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
    for key in ("model",) if "enumerate" in raw else ("model", "points"):
        if key not in raw:
            raise InputError(f"configuration: missing required key {key!r}.")
    config = {**DEFAULTS, **raw}

    spec = config["model"]
    if not isinstance(spec, str) or not spec:
        raise InputError(
            f"model must be a built-in name or 'path/to/file.py:ClassName' (got {spec!r})."
        )
    model_spec = spec
    if ":" in spec and base_dir is not None:
        path, _, name = spec.rpartition(":")
        if not os.path.isabs(path):
            candidate = os.path.join(base_dir, path)
            if os.path.isfile(candidate):
                model_spec = f"{candidate}:{name}"
    model_cls = resolve_model_class(model_spec)

    starts = check_int(config, "starts", 1, 1_000_000)
    seed = check_int(config, "seed", 0, 2**63 - 1)
    chunk = check_int(config, "chunk", 1, 10_000_000)
    keep = config["keep"]
    if not isinstance(keep, str) or keep not in KEEP:
        raise InputError(f"keep must be one of {', '.join(KEEP)} (got {keep!r}).")

    fields = {f.name: f for f in dataclasses.fields(model_cls)}
    allowed = ", ".join(fields) or "(none)"
    fixed_raw = config.get("fixed", {})
    if not isinstance(fixed_raw, dict):
        raise InputError("[fixed] must be a table of NAME = VALUE.")
    fixed = {}
    for name, value in fixed_raw.items():
        if name not in fields:
            raise InputError(
                f"fixed.{name}: {model_cls.__name__} has no parameter {name!r}; "
                f"its parameters are: {allowed}."
            )
        fixed[name] = _fixed_value(name, value)

    enumeration = None
    if "enumerate" in config:
        enumeration = Enumeration.normalise(config["enumerate"], build_model(model_cls, fixed))
        clash = sorted(set(fixed) & {r[0] for r in enumeration.ranges})
        if clash:
            raise InputError(
                f"enumerate.{clash[0]}: {clash[0]!r} is also in [fixed]; a parameter is "
                "either fixed or enumerated."
            )
        if "points" in config and config["points"] != enumeration.size:
            raise InputError(
                f"points: an [enumerate] scan has one point per box point, {enumeration.size} "
                f"here (got {config['points']!r}); leave points out."
            )
        config["points"] = enumeration.size
    points = check_int(config, "points", 1, MAX_POINTS)

    sample_raw = config.get("sample", {})
    if not isinstance(sample_raw, dict):
        raise InputError("[sample.NAME] tables expected (e.g. [sample.W0] with dist = ...).")
    sample = {}
    for name, table in sample_raw.items():
        where = f"sample.{name}"
        if name not in fields:
            raise InputError(
                f"{where}: {model_cls.__name__} has no parameter {name!r}; its "
                f"parameters are: {allowed}."
            )
        if name in fixed:
            raise InputError(
                f"{where}: {name!r} is also in [fixed]; a parameter is either fixed or sampled."
            )
        if enumeration is not None and name in {r[0] for r in enumeration.ranges}:
            raise InputError(
                f"{where}: {name!r} is also in [enumerate]; a parameter is either "
                "enumerated or sampled."
            )
        if fields[name].metadata.get("static"):
            raise InputError(
                f"{where}: {name!r} is a static (structural) parameter of {model_cls.__name__}; "
                "it can be fixed but not sampled (each value would need its own compilation)."
            )
        sample[name] = normalise_distribution(table, where)
        partner = getattr(sample[name], "partner", None)
        if partner is not None:  # a joint law (dist = "flux"): draws `partner` too
            taken = (
                set(fixed)
                | set(sample_raw)
                | ({r[0] for r in enumeration.ranges} if enumeration is not None else set())
            )
            if name != "F" or partner not in fields or partner in taken:
                raise InputError(
                    f"{where}: dist = {table['dist']!r} is given on F of a flux model and draws "
                    f"{partner} too ({partner} must be a parameter neither fixed, sampled nor "
                    "enumerated)."
                )
    region = _normalise_region(config.get("region", {}))
    search = config.get("search", {})
    if not isinstance(search, dict):
        raise InputError("[search] must be a table of search options.")
    solver, solver_spec = normalise_solver(config.get("solver"), base_dir)
    certify = normalise_certify(config.get("certify"))

    cfg = ScanConfig(
        model=spec,
        points=points,
        starts=starts,
        seed=seed,
        configured_chunk=chunk,
        keep=keep,
        fixed=dict(sorted(fixed.items())),
        sample=dict(sorted(sample.items())),
        region=region,
        search=dict(sorted(search.items())),
        solver=solver,
        model_spec=model_spec,
        source=origin,
        solver_spec=solver_spec,
        certify=certify,
        enumerate=enumeration,
    )
    _check_against_model(cfg, model_cls)
    return cfg


def _check_against_model(cfg: ScanConfig, model_cls) -> None:
    """Build the model at the edges of every sampled range, so that values the model
    refuses are reported now, naming the key, rather than as NaN rows later."""
    base = build_model(model_cls, cfg.fixed)  # errors name the fixed parameter
    check_search(base, cfg.region, cfg.search)  # errors name the region key or [search]
    for name, dist in cfg.sample.items():
        default = getattr(base, name)
        default_arr = np.asarray(default)
        if default_arr.dtype.kind not in "biuf":
            raise InputError(
                f"sample.{name}: only real numeric parameters can be sampled "
                f"({name!r} of {model_cls.__name__} is {default!r})."
            )
        if default_arr.dtype.kind in "iu" and not dist.integer_valued():
            raise InputError(
                f"sample.{name}: {name!r} is an integer parameter; use dist = 'integer' or "
                "'choice' with integer values."
            )
        for value in dist.support():
            trial = value
            if default_arr.ndim:
                trial = np.full(default_arr.shape, value, dtype=np.float64).tolist()
            try:
                build_model(model_cls, {**cfg.fixed, name: trial})
            except InputError as e:
                raise InputError(
                    f"sample.{name}: {model_cls.__name__} refuses {name}={value!r} "
                    f"from the sampled range: {e}"
                ) from None


#: ``[certify]`` defaults (docs/scans.md, "Certified columns").
CERTIFY_DEFAULTS = {"kind": "successful", "digits": 30, "max_digits": 120}


def normalise_certify(raw: Any) -> dict[str, Any] | None:
    """``certify = true`` / ``false`` or a ``[certify]`` table (``kind``, ``digits``,
    ``max_digits``) as ``{"digits", "kind", "max_digits"}``; None when off."""
    if raw is None or raw is False:
        return None
    if raw is True:
        raw = {}
    if not isinstance(raw, dict):
        raise InputError(
            f"certify must be true, false or a [certify] table (kind, digits, max_digits); "
            f"got {raw!r}."
        )
    check_keys(raw, tuple(CERTIFY_DEFAULTS), "certify")
    out = {**CERTIFY_DEFAULTS, **raw}
    if not isinstance(out["kind"], str) or out["kind"] not in KINDS:
        raise InputError(f"certify.kind must be one of {', '.join(KINDS)} (got {out['kind']!r}).")
    from .._certify._arb import require_flint

    require_flint()  # python-flint is needed: say so now, before anything runs
    from .._certify._point import MAX_DIGITS

    digits = check_int(out, "digits", 5, MAX_DIGITS, where="certify.")
    check_int(out, "max_digits", digits, MAX_DIGITS, where="certify.")
    return dict(sorted(out.items()))


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
        if (
            not isinstance(bounds, list)
            or len(bounds) != 2
            or any(isinstance(b, bool) or not isinstance(b, (int, float)) for b in bounds)
        ):
            raise InputError(f"region.{name} must be [LO, HI], two numbers (got {bounds!r}).")
        key = name[:-3] if name.endswith(".re") else name
        if key in out:
            raise InputError(f"region.{name}: given twice (as {key} and {key}.re).")
        out[key] = [float(bounds[0]), float(bounds[1])]
    return dict(sorted(out.items()))


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
