"""Where to search: the :class:`Region` (bounds, log/periodic sampling, unit coordinates),
the starting points sampled in it, and the tolerance within which two points of a region
are the same critical point.

A region is built from the model's own defaults (``model.search_region()``) and the
caller's bounds; reading bounds from the command line (``--region NAME=LO:HI``) is the
command line's job (jaxvac/_cli/find.py). Bad bounds raise :class:`jaxvac._errors.InputError`
naming their source.
"""

from __future__ import annotations

import math
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from ._config import ensure_x64
from ._errors import InputError
from ._model import AbstractModel

#: Default search range of a saxion or positive field (log-uniform).
DEFAULT_POSITIVE_RANGE = (0.1, 1000.0)
#: Default search range of any other non-periodic coordinate (uniform).
DEFAULT_RANGE = (-10.0, 10.0)


class Region(eqx.Module):
    """Where to search: bounds and sampling of every real coordinate.

    One entry per real coordinate of the model (``model.coordinate_names``):

    - ``lower``, ``upper``: the bounds;
    - ``log``: True for saxions and positive fields (sampled log-uniformly, solved in
      log coordinates);
    - ``period``: the declared period of an axion (0 if none). A periodic coordinate is
      sampled uniformly, and critical points are identified modulo the period and
      reported in ``[lower, lower + period)``.

    All fields are arrays, so a batch of regions (one per parameter point) is a batch
    of Modules, like a batch of models. Build one with :meth:`from_model`.
    """

    lower: jax.Array
    upper: jax.Array
    log: jax.Array
    period: jax.Array
    names: tuple[str, ...] = eqx.field(static=True, default=())

    @classmethod
    def from_model(cls, model: AbstractModel, bounds: dict[str, Any] | None = None) -> Region:
        """The default region of ``model``, with per-field overrides.

        Defaults, in increasing priority: saxions/positive fields
        :data:`DEFAULT_POSITIVE_RANGE` (log-uniform), declared axion periods
        ``[-P/2, P/2)`` (see ``model.periods()``), other coordinates
        :data:`DEFAULT_RANGE`; then the model's ``search_region()``; then
        ``bounds``. Both map names to ``(lo, hi)``: for supergravity models ``"T"`` (or
        ``"T.re"``) is Re T and ``"T.im"`` is Im T; for plain potentials the field name.
        """
        names = tuple(model.coordinate_names)
        d = len(names)
        positive = set(model.positive_indices)
        periods = model.real_periods()
        lower: list[Any] = []
        upper: list[Any] = []
        period: list[Any] = []
        for i in range(d):
            if i in positive:
                lo, hi = DEFAULT_POSITIVE_RANGE
                p = 0.0
            elif i in periods:
                p = periods[i]
                lo, hi = -0.5 * p, 0.5 * p
            else:
                lo, hi = DEFAULT_RANGE
                p = 0.0
            lower.append(lo)
            upper.append(hi)
            period.append(p)
        overrides: dict[int, tuple[float, float]] = {}
        for source, table in (("search_region()", model.search_region()), ("region", bounds)):
            for key, value in (table or {}).items():
                i = model.coordinate_index(key, source)
                overrides[i] = check_bounds(model, key, value, i in positive, source)
        for i, (lo, hi) in overrides.items():
            lower[i], upper[i] = lo, hi
        dtype = jnp.float64
        return cls(
            lower=jnp.stack([jnp.asarray(v, dtype) for v in lower]),
            upper=jnp.stack([jnp.asarray(v, dtype) for v in upper]),
            log=jnp.asarray([i in positive for i in range(d)]),
            period=jnp.stack([jnp.asarray(v, dtype) for v in period]),
            names=names,
        )

    # ---- maps between y and unit coordinates u ---------------------------------

    def _width(self):
        return jnp.where(self.log, jnp.log(self.upper / self.lower), self.upper - self.lower)

    def to_unit(self, y):
        """Unit coordinates u of the point y (width 1 across the region)."""
        w = self._width()
        safe = jnp.where(self.log, jnp.where(y > 0, y, 1.0), 1.0)
        return jnp.where(self.log, jnp.where(y > 0, jnp.log(safe) / w, -jnp.inf), y / w)

    def from_unit(self, u):
        """The point y with unit coordinates u."""
        w = self._width()
        return jnp.where(self.log, jnp.exp(u * w), u * w)

    def jacobian_diagonal(self, u):
        """dy/du (the map is diagonal)."""
        w = self._width()
        return jnp.where(self.log, w * jnp.exp(u * w), w)

    def unit_bounds(self):
        """(u_lo, u_hi): the region in unit coordinates."""
        return self.to_unit(self.lower), self.to_unit(self.upper)

    def wrap(self, y):
        """Periodic coordinates mapped into ``[lower, lower + period)``."""
        p = self.period
        periodic = p > 0
        safe_p = jnp.where(periodic, p, 1.0)
        wrapped = self.lower + jnp.mod(y - self.lower, safe_p)
        return jnp.where(periodic, wrapped, y)

    def contains(self, y):
        """True if (the wrapped) y lies in the region, up to a relative 1e-9 slack."""
        y = self.wrap(y)
        slack = 1e-9 * jnp.abs(self.upper - self.lower)
        return jnp.all((y >= self.lower - slack) & (y <= self.upper + slack))

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{name: {"lo", "hi", "sampling", "period"}}``."""
        out = {}
        lo, hi = np.asarray(self.lower), np.asarray(self.upper)
        log, per = np.asarray(self.log), np.asarray(self.period)
        for i, name in enumerate(self.names or [str(i) for i in range(len(lo))]):
            kind = "log-uniform" if log[i] else ("periodic" if per[i] > 0 else "uniform")
            out[name] = {"lo": float(lo[i]), "hi": float(hi[i]), "sampling": kind}
            if per[i] > 0:
                out[name]["period"] = float(per[i])
        return out


def check_bounds(model, key, value, positive, source) -> tuple[float, float]:
    """``value`` read as finite bounds ``lo < hi`` (in (0, inf) for a ``positive``
    coordinate), or an :class:`InputError` naming ``source`` and ``key``."""
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        raise InputError(f"{source}: {key!r} needs two numbers (lo, hi); got {value!r}.") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise InputError(
            f"{source}: {key!r} must satisfy finite lo < hi; got lo={lo!r}, hi={hi!r}."
        )
    if positive and lo <= 0:
        raise InputError(
            f"{source}: {key!r} is a saxion/positive field of {type(model).__name__}: its "
            f"range must lie in (0, inf); got lo={lo!r}."
        )
    return lo, hi


def as_region(model: AbstractModel, region) -> Region:
    """``None`` (model default), a dict of bounds, or a :class:`Region`."""
    if region is None or isinstance(region, dict):
        return Region.from_model(model, region)
    if isinstance(region, Region):
        if region.lower.shape[-1] != model.n_real:
            raise ValueError(
                f"region has {region.lower.shape[-1]} coordinates, but "
                f"{type(model).__name__} has {model.n_real} ({model.coordinate_names})."
            )
        return region
    raise TypeError(f"region must be None, a dict or a jaxvac.Region; got {type(region).__name__}.")


# ---- starting points ---------------------------------------------------------------


def sample_starts(model: AbstractModel, region: Region, key, n: int):
    """``n`` starting points, shape (n, d), uniform in the region's unit coordinates
    (log-uniform for saxions and positive fields). Pure and reproducible from ``key``."""
    ensure_x64()
    d = model.n_real
    u01 = jax.random.uniform(key, (n, d), dtype=jnp.float64)
    u_lo, u_hi = region.unit_bounds()
    u = u_lo + u01 * (u_hi - u_lo)
    y = jax.vmap(region.from_unit)(u)
    # log-uniform endpoints: keep exactly inside [lower, upper]
    return jnp.clip(y, region.lower, region.upper)


# ---- deduplication tolerance --------------------------------------------------------


#: Two converged points are the same critical point when every coordinate agrees to
#: this relative tolerance (of |y| for log coordinates, of the region width otherwise)
#: plus DEDUP_SIGMAS times the sum of their location uncertainties.
DEDUP_RTOL = 1e-6
DEDUP_SIGMAS = 10.0


def point_tolerance(y, sigma, region: Region):
    """Per-coordinate tolerance within which two points ``y`` (one point, location
    uncertainty ``sigma``) are the same critical point: :data:`DEDUP_RTOL` of the
    coordinate's scale (|y| for log coordinates, the period or the region's width
    otherwise) plus :data:`DEDUP_SIGMAS` times ``sigma``."""
    scale = jnp.where(
        region.log,
        jnp.abs(y),
        jnp.where(region.period > 0, region.period, region.upper - region.lower),
    )
    tol = DEDUP_RTOL * scale + DEDUP_SIGMAS * sigma
    return jnp.where(jnp.isfinite(tol), tol, 0.0)
