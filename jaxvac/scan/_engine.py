"""The compiled chunk function: draw parameter points, search each one, classify.

A chunk is ``chunk`` consecutive parameter-point ids. Everything about point ``i`` — its
parameter values and its starting points — is derived from ``(seed, i)`` alone, so any chunk
(or point) can be recomputed independently and identically, whatever the chunk size, the
device or the worker. The whole chunk is one ``vmap`` over points of a ``vmap`` over starts,
compiled once per chunk shape; the last chunk is padded with the points that follow it
(computed, then dropped), so it reuses the same compilation.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._analysis import PointAnalysis
from .._model import canonical
from ._config import ScanConfig, draw, parameter_salt

#: Per-start arrays returned by a point solver (leading axis: starts). See docs/scans.md.
START_FIELDS = (
    "y", "V", "V_scale", "V_error", "digits", "residual", "gradient_norm",
    "masses_squared", "masses_error", "n_negative", "n_flat", "critical_type", "vacuum",
    "susy", "bf_stable", "gravitino_mass", "epsilon", "eta", "result", "steps", "distinct",
)

PointSolver = Callable[[Any, jax.Array], dict[str, jax.Array]]


def start_results(analysis: PointAnalysis, *, result, steps, distinct) -> dict[str, jax.Array]:
    """The per-start arrays a scan keeps, from a (start-batched) :class:`PointAnalysis`.

    ``result`` is the search's result code (a solver failure overrides the analysis),
    ``distinct`` marks the representative of each distinct critical point.
    """
    a = analysis
    return {
        "y": a.y, "V": a.V, "V_scale": a.V_scale, "V_error": a.V_error, "digits": a.digits,
        "residual": a.residual, "gradient_norm": a.gradient_norm,
        "masses_squared": a.masses_squared, "masses_error": a.masses_error,
        "n_negative": a.n_negative.astype(jnp.int32), "n_flat": a.n_flat.astype(jnp.int32),
        "critical_type": a.critical_type, "vacuum": a.vacuum, "susy": a.susy,
        "bf_stable": a.bf_stable, "gravitino_mass": a.gravitino_mass, "epsilon": a.epsilon,
        "eta": a.eta, "result": jnp.asarray(result, jnp.int32),
        "steps": jnp.asarray(steps, jnp.int32), "distinct": jnp.asarray(distinct, bool),
    }


def _freeze(obj):
    if isinstance(obj, dict):
        return tuple((k, _freeze(v)) for k, v in obj.items())
    if isinstance(obj, list):
        return tuple(_freeze(v) for v in obj)
    return obj


def _thaw_dist(frozen) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in frozen}


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
        from .._search import Region, search

        region = Region.from_model(model, {k: tuple(v) for k, v in self.bounds})
        r = search(model, region, key, starts=self.starts, **dict(self.options))
        s = r.solutions
        return start_results(s.analysis, result=s.result, steps=s.steps,
                             distinct=r.representative)


def search_point_solver(config: ScanConfig) -> PointSolver:
    """The default point solver of ``config`` (see :class:`SearchSolver`)."""
    return SearchSolver(
        bounds=_freeze(config.data["region"]), starts=config.starts,
        options=_freeze(config.data["search"]),
    )


def point_key(seed, pid) -> jax.Array:
    """The PRNG key of parameter point ``pid`` (an int64 id): fold both 32-bit halves."""
    key = jax.random.key(seed)
    pid = jnp.asarray(pid, jnp.int64)
    key = jax.random.fold_in(key, (pid >> 32).astype(jnp.uint32))
    return jax.random.fold_in(key, (pid & 0xFFFFFFFF).astype(jnp.uint32))


def draw_parameters(sample: tuple, base, seed, pid) -> dict[str, jax.Array]:
    """The sampled parameter values of point ``pid`` (pure; jittable, vmappable).
    ``sample``: ``((name, frozen distribution), ...)``."""
    kp = jax.random.fold_in(point_key(seed, pid), 0)
    out = {}
    for name, frozen in sample:
        leaf = getattr(base, name)
        value = draw(_thaw_dist(frozen), jax.random.fold_in(kp, parameter_salt(name)),
                     jnp.shape(leaf))
        out[name] = value.astype(jnp.asarray(leaf).dtype)
    return out


def with_parameters(base, values: dict[str, jax.Array]):
    """``base`` with some parameter leaves replaced (a model is its parameters)."""
    if not values:
        return base
    names = list(values)
    return eqx.tree_at(lambda m: [getattr(m, n) for n in names], base, [values[n] for n in names])


@functools.partial(jax.jit, static_argnames=("static", "sample", "solver"))
def _run_chunk(dynamic, ids, seed, static, sample, solver):
    """One chunk: vmap over parameter points of (draw parameters, search). The model's
    arrays (``dynamic``), ``ids`` and ``seed`` are traced; its non-array part
    (``static``), ``sample`` and ``solver`` are static (hashable). Plain ``jax.jit``
    (not ``eqx.filter_jit``, which blocks until the result is ready) so that a call
    returns at once and the host can write one chunk while the device computes the next."""
    base = eqx.combine(dynamic, static)

    def one_point(pid):
        values = draw_parameters(sample, base, seed, pid)
        model = with_parameters(base, values)
        starts_key = jax.random.fold_in(point_key(seed, pid), 1)
        return values, solver(model, starts_key)

    return jax.vmap(one_point)(ids)


class ChunkEngine:
    """Runs the chunk function of one scan configuration.

    ``run(index, device)`` dispatches chunk ``index`` asynchronously and returns device
    arrays; nothing leaves the device until the caller converts them. Engines with
    equal model class, distributions and search settings share one compilation per
    chunk shape (the seed and parameter values are traced).
    """

    def __init__(self, config: ScanConfig, point_solver: PointSolver | None = None):
        self.config = config
        self.base = canonical(config.base_model())
        self._dynamic, self._static = eqx.partition(self.base, eqx.is_array)
        self.solver = point_solver if point_solver is not None else config.point_solver()
        self.sample = _freeze(config.sample)
        self.seed = jnp.asarray(config.seed, jnp.int64)
        self._placed: dict[Any, Any] = {}

    def ids(self, index: int) -> np.ndarray:
        chunk = self.config.chunk
        return np.arange(index * chunk, (index + 1) * chunk, dtype=np.int64)

    def run(self, index: int, device=None):
        """Dispatch chunk ``index`` (on ``device``, default JAX's); returns (values, starts)."""
        ids = jnp.asarray(self.ids(index))
        dynamic, seed = self._dynamic, self.seed
        if device is not None:
            if device not in self._placed:
                self._placed[device] = jax.device_put((dynamic, seed), device)
            dynamic, seed = self._placed[device]
            ids = jax.device_put(ids, device)
        return _run_chunk(dynamic, ids, seed, self._static, self.sample, self.solver)
