"""The compiled chunk function: draw parameter points, search each one, classify.

A chunk is ``chunk`` consecutive parameter-point ids. Everything about point ``i`` — its
parameter values and its starting points — is derived from ``(seed, i)`` alone, so any chunk
(or point) can be recomputed independently and identically, whatever the chunk size, the
device or the worker. The whole chunk is one ``vmap`` over points of a ``vmap`` over starts,
compiled once per chunk shape; the last chunk is padded with the points that follow it
(computed, then dropped), so it reuses the same compilation.

In an enumeration (``[enumerate]``, :mod:`jaxvac.scan._enumeration`) point ``i`` is the
``i``-th integer point of a box, decoded on the host; only the points of a chunk inside the
tadpole window are computed, padded to one of four sizes (chunk/8, chunk/4, chunk/2, chunk)
by repeating the first of them (computed, then dropped).
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


def _point(base, seed, sample, solver, pid, given):
    """Parameter point ``pid``: its drawn values (and ``given`` ones: enumerated), and its
    search."""
    values = {**draw_parameters(sample, base, seed, pid), **given}
    model = with_parameters(base, values)
    starts_key = jax.random.fold_in(point_key(seed, pid), 1)
    return values, solver(model, starts_key)


@functools.partial(jax.jit, static_argnames=("static", "sample", "solver"))
def _run_chunk(dynamic, ids, given, seed, static, sample, solver):
    """One chunk: vmap over parameter points of (draw parameters, search). The model's
    arrays (``dynamic``), ``ids`` and ``seed`` are traced; its non-array part
    (``static``), ``sample`` and ``solver`` are static (hashable). Plain ``jax.jit``
    (not ``eqx.filter_jit``, which blocks until the result is ready) so that a call
    returns at once and the host can write one chunk while the device computes the next."""
    base = eqx.combine(dynamic, static)
    return jax.vmap(functools.partial(_point, base, seed, sample, solver))(ids, given)


def _chunk_rows(rows, base, seed, sample, solver, *, batch_size: int):
    """One device's share of a chunk (:func:`jaxvac._parallel.map_on_devices`): its points
    ``rows = (ids, given)`` ``batch_size`` at a time (``jax.lax.map``; one vmap when they
    all fit)."""
    ids, given = rows
    one = functools.partial(_point, base, seed, sample, solver)
    if ids.shape[0] <= batch_size:
        return jax.vmap(one)(ids, given)
    return jax.lax.map(lambda r: one(*r), (ids, given), batch_size=batch_size)


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

    def point_rows(self, index: int) -> tuple[np.ndarray, dict[str, np.ndarray], int]:
        """The parameter points chunk ``index`` computes: (ids, padded; the enumerated
        parameter values of each, ``{}`` for a sampled scan; how many are real, the rest
        being padding)."""
        config = self.config
        enum = config.enumerate
        if enum is None:
            return self.ids(index), {}, config.chunk_points(index)
        chunk = config.chunk
        ids = np.arange(index * chunk, index * chunk + config.chunk_points(index), dtype=np.int64)
        values = enum.decode(ids)
        if enum.tadpole is not None:
            N = np.asarray(self._tadpoles(values))
            keep = (N >= enum.tadpole[0]) & (N <= enum.tadpole[1])
            ids = ids[keep]
            values = {k: v[keep] for k, v in values.items()}
        n = ids.shape[0]
        size = next(s for s in (-(-chunk // 8), -(-chunk // 4), -(-chunk // 2), chunk) if s >= n)
        pad = np.zeros(size - n, np.int64)  # repeat the first real point (or the chunk's first)
        if n == 0:
            ids = np.full(size, index * chunk, np.int64)
            values = {k: np.repeat(v[:1], size, 0) for k, v in enum.decode(ids[:1]).items()}
        else:
            ids = np.concatenate([ids, ids[pad]])
            values = {k: np.concatenate([v, v[pad]]) for k, v in values.items()}
        dtypes = {k: np.asarray(getattr(self.base, k)).dtype for k in values}
        return ids, {k: v.astype(dtypes[k]) for k, v in values.items()}, n

    def _tadpoles(self, values):
        """N_flux of each enumerated point, from the model's own ``tadpole()`` (integer
        arithmetic: the fluxes are int64 here)."""
        return jax.vmap(lambda v: with_parameters(self.base, v).tadpole())(values)  # pyright: ignore[reportAttributeAccessIssue]

    def run(self, index: int, device=None):
        """Dispatch chunk ``index`` (on ``device``, default JAX's; an :class:`AllDevices`
        splits its points over those devices in one program); returns (values, starts)."""
        if isinstance(device, AllDevices):
            base = eqx.combine(self._dynamic, self._static)
            ids, given, _ = self.point_rows(index)
            return map_on_devices(
                _chunk_rows,
                (jnp.asarray(ids), jax.tree.map(jnp.asarray, given)),
                (base, self.seed, self.sample, self.solver),
                batch_size=self.config.chunk,
                devices=device.devices,
            )
        ids, given, _ = self.point_rows(index)
        ids = jnp.asarray(ids)
        given = jax.tree.map(jnp.asarray, given)
        dynamic, seed = self._dynamic, self.seed
        if device is not None:
            if device not in self._placed:
                self._placed[device] = jax.device_put((dynamic, seed), device)
            dynamic, seed = self._placed[device]
            ids, given = jax.device_put((ids, given), device)
        return _run_chunk(dynamic, ids, given, seed, self._static, self.sample, self.solver)
