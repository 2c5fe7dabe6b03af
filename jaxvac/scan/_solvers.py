"""Point solvers: the per-point computation of a scan (``docs/scans.md``, "The point solver").

A point solver is a hashable callable ``solver(model, key) -> dict`` of per-start arrays
(:data:`START_FIELDS`, built with :func:`start_results`). The default is
:class:`SearchSolver`, jaxvac's search with a configuration's ``[search]`` options; a
configuration may name a built-in one (:data:`POINT_SOLVERS`) or a class in a file. This
module is the scan's only door to the search (``jaxvac._search``: ``Region``,
``SolverOptions``, ``search``).
"""

from __future__ import annotations

import dataclasses
import importlib
import os
from collections.abc import Callable
from typing import Any, cast

import jax
import jax.numpy as jnp
import numpy as np

from .._analysis import PointAnalysis
from .._errors import InputError
from .._io import load_file_object
from .._search import Region, SolverOptions, search
from ._sampling import freeze

# ---- what a point solver returns -----------------------------------------------------------

#: Fields of :class:`jaxvac.PointAnalysis` a scan does not keep per start: the matrices
#: (n² numbers a start) and the intermediates of the stationarity and mass tests.
NOT_KEPT = frozenset(
    {
        "gradient",
        "gradient_error",
        "gradient_resolution",
        "newton_step",
        "newton_step_error",
        "stationarity_tests",
        "stationarity",
        "stationary",
        "hessian",
        "metric",
        "masses_digits",
        "n_positive",
        "curvature",
        "susy_ratio",
        "range_flags",
    }
)

#: Per-start arrays returned by a point solver (leading axis: starts): every other field of
#: :class:`jaxvac.PointAnalysis` (``result`` being the solver's result code), then the
#: solver's ``steps`` and ``distinct`` (the representative of each distinct critical point).
START_FIELDS = tuple(
    f.name for f in dataclasses.fields(PointAnalysis) if f.name not in NOT_KEPT
) + ("steps", "distinct")

#: The dtype of the start fields whose dtype a scan fixes.
START_DTYPES = {
    "n_negative": jnp.int32,
    "n_flat": jnp.int32,
    "result": jnp.int32,
    "steps": jnp.int32,
    "distinct": jnp.bool_,
}

PointSolver = Callable[[Any, jax.Array], dict[str, jax.Array]]


def start_results(analysis: PointAnalysis, *, result, steps, distinct) -> dict[str, jax.Array]:
    """The per-start arrays a scan keeps (:data:`START_FIELDS`), from a (start-batched)
    :class:`PointAnalysis`.

    ``result`` is the solver's result code (a solver failure overrides the analysis),
    ``distinct`` marks the representative of each distinct critical point.
    """
    out = {name: getattr(analysis, name) for name in START_FIELDS[:-2]}
    out.update(result=result, steps=steps, distinct=distinct)
    return {
        name: jnp.asarray(value, START_DTYPES[name]) if name in START_DTYPES else value
        for name, value in out.items()
    }


# ---- the default: jaxvac's search -------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SearchSolver:
    """The scan's per-point computation: jaxvac's whole search for one parameter point
    (:func:`jaxvac._search.search`: ``sample_starts`` in the configured region,
    ``solve_from`` on every start, deduplication) with the ``[search]`` options.

    The region is built from the (traced) model inside the chunk function, so regions
    that depend on parameters (axion periods 2π/a) follow the sampled values. Hashable
    by value, so equal configurations share one compilation.
    """

    bounds: tuple
    starts: int
    options: tuple

    def __call__(self, model, key) -> dict[str, jax.Array]:
        region = Region.from_model(model, {k: tuple(v) for k, v in self.bounds})
        r = search(model, region, key, starts=self.starts, **dict(self.options))
        s = r.solutions
        return start_results(s.analysis, result=s.result, steps=s.steps, distinct=r.representative)


def search_point_solver(config) -> PointSolver:
    """The default point solver of a :class:`~jaxvac.scan._config.ScanConfig` (see
    :class:`SearchSolver`)."""
    return SearchSolver(
        bounds=freeze(config.region), starts=config.starts, options=freeze(config.search)
    )


def check_search(base_model, region: dict[str, list[float]], options: dict[str, Any]) -> None:
    """Refuse a ``[region]`` the model does not have (errors name the key) or ``[search]``
    options the search does not take."""
    Region.from_model(base_model, region)
    try:
        SolverOptions(**options)
    except TypeError as e:
        allowed = ", ".join(f.name for f in dataclasses.fields(SolverOptions))
        raise InputError(f"[search]: {e}; solver options are: {allowed}.") from None
    except ValueError as e:
        raise InputError(f"[search]: {e}") from None


# ---- other point solvers, named in a configuration --------------------------------------

#: jaxvac's own point solvers, by the short name a configuration gives them (``solver =
#: "NAME"``, docs/scans.md, "[solver]"): the only modules a configuration can make jaxvac
#: import (by the short name or by the ``module:Class`` written here, which the manifest
#: records); any other solver is a ``path/to/file.py:Class`` (docs/scans.md, "Safety").
#: ``search`` (the default) is jaxvac's search with ``[search]``; ``flux-susy`` the SUSY
#: solver of flux models (:class:`jaxvac.flux.FluxSolver`, docs/flux.md).
POINT_SOLVERS = {
    "search": None,
    "rku-line": "jaxvac.reproduce._rku_scan:LineSolver",
    "flux-susy": "jaxvac.flux._batch:FluxSolver",
}


def resolve_solver_class(spec: str):
    """A point-solver class: one of jaxvac's own (:data:`POINT_SOLVERS`, by its short name
    or its ``module:Class``) or ``path/to/file.py:Class``. No other module is imported
    (docs/scans.md, "Safety"), and nothing is called here."""
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
        raise InputError(
            f"solver {spec!r}: {name} is not a class (a point solver is a class "
            "constructed with the other keys of [solver])."
        )
    return cls


def instantiate_solver(cls, options: dict, name: str) -> PointSolver:
    """``cls(**options)``, checked to be a hashable callable (errors name ``[solver]``)."""
    try:
        solver = cls(**options)
    except TypeError as e:
        raise InputError(f"[solver] {name}: bad options {sorted(options)}: {e}") from None
    if not callable(solver):
        raise InputError(
            f"[solver] {name}: an instance of it is not callable as solver(model, key)."
        )
    try:
        hash(solver)
    except TypeError:
        raise InputError(
            f"[solver] {name}: point solvers must be hashable (e.g. a frozen dataclass): "
            "the chunk function is compiled once per solver."
        ) from None
    return cast(PointSolver, solver)  # callable, checked above; its signature is unchecked


_NOT_JSON = object()


def _json_option(value):
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        items = [_json_option(v) for v in value]
        return None if any(i is _NOT_JSON for i in items) else items
    if isinstance(value, np.generic):
        return value.item()
    return _NOT_JSON


def describe_solver(solver, name: str | None = None) -> dict[str, Any]:
    """``{"name": "module:Class", **options}``: a point solver as configuration data (the
    fields of a dataclass solver, defaults included; ``{"repr": ...}`` for others)."""
    cls = type(solver)
    name = name or f"{cls.__module__}:{cls.__qualname__}"
    if dataclasses.is_dataclass(solver):
        options = {
            f.name: _json_option(getattr(solver, f.name)) for f in dataclasses.fields(solver)
        }
        if all(v is not _NOT_JSON for v in options.values()):
            return {"name": name, **dict(sorted(options.items()))}
    return {"name": name, "repr": repr(solver)}


def normalise_solver(raw: Any, base_dir: str | None) -> tuple[dict | None, str | None]:
    """A configuration's ``solver`` / ``[solver]``: (its normalised table, or None for the
    default search; the loadable class spec, a file's path resolved against ``base_dir``)."""
    if raw is None:
        return None, None
    if isinstance(raw, str):
        table = {"name": raw}
    elif isinstance(raw, dict):
        table = dict(raw)
    else:
        raise InputError(
            f"solver must be a name or a [solver] table with a 'name' key (got {raw!r})."
        )
    name = table.pop("name", None)
    if not isinstance(name, str) or not name:
        raise InputError(
            f"[solver] needs a name: a short name ({', '.join(POINT_SOLVERS)}), "
            "'package.module:Class' or 'path/to/file.py:Class'."
        )
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
    solver = instantiate_solver(resolve_solver_class(spec), table, name)
    # A class from a file is named as written (the module name of a loaded file is not
    # stable; the file's content enters the fingerprint); others by module:Class.
    return describe_solver(solver, name if from_file else None), spec
