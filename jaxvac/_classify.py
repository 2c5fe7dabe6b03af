"""Classification of a point as data: result codes, critical-point types, vacuum types.

Codes are small integers (``IntEnum``) stored in JAX arrays, so a batch of points is
classified inside ``jit``/``vmap``; words appear only at the edges (CLI, JSON, Parquet).
"""

from __future__ import annotations

import enum


class Result(enum.IntEnum):
    """The result code of one point (a check, a search start, a solve). Only
    ``successful`` points are vacua; every other code says why not, and ``.message`` says
    it in words:

    - `successful`: a critical point, verified (stationary within tolerance, V resolved);
    - `max_steps`: the solver ran out of steps;
    - `diverged`: the solver ran away (a runaway direction of V);
    - `left_domain`: a saxion or positive field is no longer > 0;
    - `stalled`: stuck at a non-zero minimum of |∇V|²: not a critical point;
    - `nonfinite`: V, ∇V or the Hessian is not finite;
    - `unresolved`: stationary, but float64 keeps no digit of V: re-check at more digits;
    - `not_critical`: the gradient is not zero within tolerance;
    - `bad_metric`: the kinetic (Kähler) metric is not positive definite;
    - `left_region`: converged to a critical point outside the search region.
    """

    successful = 0
    max_steps = 1
    diverged = 2
    left_domain = 3
    stalled = 4
    nonfinite = 5
    unresolved = 6
    not_critical = 7
    bad_metric = 8
    left_region = 9

    @property
    def message(self) -> str:
        return _RESULT_MESSAGES[self]


_RESULT_MESSAGES = {
    Result.successful: "a critical point, verified: stationarity residual within "
    "tolerance and V resolved at this precision",
    Result.max_steps: "the solver ran out of steps before converging",
    Result.diverged: "the solver ran away (step or field values grew without bound)",
    Result.left_domain: "the point left the model's domain (a saxion or positive field "
    "is not > 0)",
    Result.stalled: "the solver stalled at a non-zero minimum of |grad V|^2: not a "
    "critical point",
    Result.nonfinite: "V, its gradient or its Hessian is not finite here",
    Result.unresolved: "stationary to tolerance, but float64 keeps no significant digit "
    "of V here: its sign cannot be trusted (re-check with --digits N)",
    Result.not_critical: "the gradient is not zero within tolerance: not a critical point",
    Result.bad_metric: "the kinetic (Kähler) metric is not positive definite here",
    Result.left_region: "the search converged to a critical point outside the search "
    "region (not listed; widen --region to include it)",
}


class CriticalType(enum.IntEnum):
    """Type of a critical point, from the resolved mass eigenvalues.

    ``not_critical``: the point is not stationary (result ``not_critical``), so it has no
    critical-point type; the Hessian's signature there is reported as its *curvature*
    (:attr:`jaxvac.PointAnalysis.curvature`, one of the other four codes)."""

    minimum = 0
    saddle = 1
    maximum = 2
    unresolved = 3
    not_critical = 4


class Vacuum(enum.IntEnum):
    """Sign of the vacuum energy, within resolution. ``not_critical``: the point is not
    stationary, so it is no vacuum of any kind (V is still reported)."""

    dS = 0
    AdS = 1
    Minkowski = 2
    unresolved = 3
    not_critical = 4


def result_name(code) -> str:
    return Result(int(code)).name


def type_name(code) -> str:
    return CriticalType(int(code)).name


def vacuum_name(code) -> str:
    return Vacuum(int(code)).name
