"""The compiled chunk function: draw parameter points, search each one, classify.

A chunk is ``chunk`` consecutive parameter-point ids. Everything about point ``i`` — its
parameter values and its starting points — is derived from ``(seed, i)`` alone, so any chunk
(or point) can be recomputed independently and identically, whatever the chunk size, the
device or the worker. The whole chunk is one ``vmap`` over points of a ``vmap`` over starts,
compiled once per chunk shape; the last chunk is padded with the points that follow it
(computed, then dropped), so it reuses the same compilation.
"""

from __future__ import annotations

import functools
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._model import canonical
from .._parallel import map_on_devices
from ._config import ScanConfig
from ._sampling import draw_parameters, freeze, point_key

# re-exported: jaxvac.reproduce's point solvers import them from here (their home: _solvers)
from ._solvers import START_FIELDS as START_FIELDS
from ._solvers import PointSolver
from ._solvers import search_point_solver as search_point_solver
from ._solvers import start_results as start_results


def with_parameters(base, values: dict[str, jax.Array]):
    """``base`` with some parameter leaves replaced (a model is its parameters)."""
    if not values:
        return base
    names = list(values)
    return eqx.tree_at(lambda m: [getattr(m, n) for n in names], base, [values[n] for n in names])


def _point(base, seed, sample, solver, pid):
    """Parameter point ``pid``: its drawn values and its search."""
    values = draw_parameters(sample, base, seed, pid)
    model = with_parameters(base, values)
    starts_key = jax.random.fold_in(point_key(seed, pid), 1)
    return values, solver(model, starts_key)


@functools.partial(jax.jit, static_argnames=("static", "sample", "solver"))
def _run_chunk(dynamic, ids, seed, static, sample, solver):
    """One chunk: vmap over parameter points of (draw parameters, search). The model's
    arrays (``dynamic``), ``ids`` and ``seed`` are traced; its non-array part
    (``static``), ``sample`` and ``solver`` are static (hashable). Plain ``jax.jit``
    (not ``eqx.filter_jit``, which blocks until the result is ready) so that a call
    returns at once and the host can write one chunk while the device computes the next."""
    base = eqx.combine(dynamic, static)
    return jax.vmap(functools.partial(_point, base, seed, sample, solver))(ids)


def _chunk_rows(ids, base, seed, sample, solver, *, batch_size: int):
    """One device's share of a chunk (:func:`jaxvac._parallel.map_on_devices`): its points
    ``batch_size`` at a time (``jax.lax.map``; one vmap when they all fit)."""
    one = functools.partial(_point, base, seed, sample, solver)
    if ids.shape[0] <= batch_size:
        return jax.vmap(one)(ids)
    return jax.lax.map(one, ids, batch_size=batch_size)


class AllDevices:
    """The "device" of a chunk run as one program over several devices (the parameter points
    split between them; :func:`jaxvac._parallel.map_on_devices`)."""

    def __init__(self, devices):
        self.devices = tuple(devices)

    def __str__(self) -> str:
        kinds = sorted({d.platform for d in self.devices})
        return f"{len(self.devices)} × {'/'.join(kinds)} (sharded)"


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
        self.sample = freeze(config.sample)
        self.seed = jnp.asarray(config.seed, jnp.int64)
        self._placed: dict[Any, Any] = {}

    def ids(self, index: int) -> np.ndarray:
        chunk = self.config.chunk
        return np.arange(index * chunk, (index + 1) * chunk, dtype=np.int64)

    def run(self, index: int, device=None):
        """Dispatch chunk ``index`` (on ``device``, default JAX's; an :class:`AllDevices`
        splits its points over those devices in one program); returns (values, starts)."""
        if isinstance(device, AllDevices):
            base = eqx.combine(self._dynamic, self._static)
            return map_on_devices(
                _chunk_rows,
                jnp.asarray(self.ids(index)),
                (base, self.seed, self.sample, self.solver),
                batch_size=self.config.chunk,
                devices=device.devices,
            )
        ids = jnp.asarray(self.ids(index))
        dynamic, seed = self._dynamic, self.seed
        if device is not None:
            if device not in self._placed:
                self._placed[device] = jax.device_put((dynamic, seed), device)
            dynamic, seed = self._placed[device]
            ids = jax.device_put(ids, device)
        return _run_chunk(dynamic, ids, seed, self._static, self.sample, self.solver)
