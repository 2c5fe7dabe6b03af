"""jaxvac's one result vocabulary: what happened to a point, a refinement or a continuation.

- :class:`Result`: the outcome of one point (a start of the search, a checked point, a
  located critical point), with its message;
- :class:`CriticalType`, :class:`Vacuum`: the classification of a point;
- :class:`RefineStatus`, :class:`ContinuationStatus`: the outcomes of the host-side loops
  :func:`jaxvac.refine` and :func:`jaxvac.continue_critical_point`, with their messages;
- :func:`first_true`: a priority table of (condition, code) pairs, the one way outcomes
  are fused inside ``jit`` (instead of nested ``jnp.where`` chains);
- :func:`from_optimistix`: an optimistix root-find's outcome in this vocabulary.

**Why ``enum.IntEnum`` and not ``eqx.Enumeration``.** The integer values and names of
:class:`Result`, :class:`CriticalType` and :class:`Vacuum` are a stored contract: they are
the int32 fields of :class:`jaxvac.PointAnalysis` (batched by ``vmap``), the dictionary
columns of a scan's Parquet files and the words of the JSON records (shared/DESIGN.md).
An ``eqx.Enumeration`` numbers its members in declaration order and, subclassing
``optx.RESULTS``, would put optimistix's members first, renumbering every stored code;
its items are not plain integers either, so every stored field would change type. An
``IntEnum`` member *is* its stored integer, usable in ``jnp`` comparisons and in numpy on
the host alike; messages live beside the codes, here and nowhere else. The host-side
statuses are ``str`` enums: each member equals its JSON word, so records keep their strings
while the library compares members, never strings read back from a record.

Imports nothing of jaxvac (a leaf: docs/architecture.md).
"""

from __future__ import annotations

import enum


class Result(enum.IntEnum):
    """Outcome for one point. Only ``successful`` points are vacua."""

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
        """What the code means, in words (the ``message`` of a JSON record)."""
        return _MESSAGES[self]


_MESSAGES = {
    Result.successful: "a critical point, verified: stationarity residual within "
    "tolerance and V resolved at this precision",
    Result.max_steps: "the solver ran out of steps before converging",
    Result.diverged: "the solver ran away (step or field values grew without bound)",
    Result.left_domain: "the point left the model's domain (a saxion or positive field is not > 0)",
    Result.stalled: "the solver stalled at a non-zero minimum of |grad V|^2: not a critical point",
    Result.nonfinite: "V, its gradient or its Hessian is not finite here",
    Result.unresolved: "stationary to tolerance, but float64 keeps no significant digit "
    "of V here: its sign cannot be trusted (re-check with --digits N)",
    Result.not_critical: "the gradient is not zero within tolerance: not a critical point",
    Result.bad_metric: "the kinetic (Kähler) metric is not positive definite here",
    Result.left_region: "the search converged to a critical point outside the search "
    "region (not listed; widen --region to include it)",
}

#: Stationary points: a critical point (``unresolved``: only the sign of V is unknown).
STATIONARY = (Result.successful, Result.unresolved)
#: Points where nothing could be analysed (outside the domain, metric or V unusable).
NOT_ANALYSED = (Result.left_domain, Result.bad_metric, Result.nonfinite)


def is_stationary(code):
    """True where ``code`` (an int array or a :class:`Result`) is a stationary outcome."""
    return (code == Result.successful) | (code == Result.unresolved)


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


class RefineStatus(str, enum.Enum):
    """Outcome of :func:`jaxvac.refine` (its ``status``; equal to the JSON word)."""

    converged = "converged"
    rejected_radius = "rejected_radius"
    rejected_contraction = "rejected_contraction"
    max_steps = "max_steps"
    singular = "singular"
    nonfinite = "nonfinite"

    def __str__(self) -> str:
        return self.value


class ContinuationStatus(str, enum.Enum):
    """How :func:`jaxvac.continue_critical_point` ended (its ``status``; the JSON word)."""

    reached = "reached"  # the parameter reached ``stop``
    max_points = "max_points"  # ``max_points`` points were taken
    folded = "folded"  # ``max_folds`` folds were passed
    lost = "lost"  # the corrector failed at the smallest step, or the solve at ``stop``

    def __str__(self) -> str:
        return self.value


def first_true(cases, default):
    """The code of the first ``(condition, code)`` pair whose condition holds (element-wise,
    as int32), else ``default``: a priority table, read top to bottom. Codes are
    :class:`Result` members or int arrays. Jittable."""
    import jax.numpy as jnp  # loaded by whoever traces; this module stays a leaf

    conditions = [jnp.asarray(c, bool) for c, _ in cases]
    codes = [jnp.asarray(code).astype(jnp.int32) for _, code in cases]
    return jnp.select(conditions, codes, jnp.asarray(default).astype(jnp.int32))


def from_optimistix(result, otherwise):
    """:class:`Result` code of an optimistix root-find's ``result``: ``otherwise`` (an int
    array, e.g. the analysis' verdict at the point returned) where it succeeded, else the
    failure in jaxvac's words (``max_steps``, ``diverged``, ``nonfinite``; any other
    failure of the solver is ``stalled``)."""
    import optimistix as optx

    R = optx.RESULTS
    return first_true(
        [
            (result == R.successful, otherwise),
            (
                (result == R.nonlinear_max_steps_reached) | (result == R.max_steps_reached),
                Result.max_steps,
            ),
            (result == R.nonlinear_divergence, Result.diverged),
            ((result == R.nonfinite) | (result == R.nonfinite_input), Result.nonfinite),
        ],
        Result.stalled,
    )
