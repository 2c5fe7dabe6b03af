"""One critical point as every job returns it (issue #16): the point, its result code, the
analysis that justifies the code, and the job's own numbers.

:func:`jaxvac.locate_critical_point` returns a :class:`CriticalPoint` (jit-, vmap- and
grad-friendly: every field a pytree of arrays); :meth:`jaxvac.FindResult.critical_points`,
:attr:`jaxvac.Refinement.critical_point`, :meth:`jaxvac.ContinuationResult.critical_points`
and :attr:`jaxvac.CheckReport.critical_point` give the points those jobs reached in the same
form. The job-specific containers keep what is not one point (a search's failed starts, a
branch's events, a refinement's iterates).
"""

from __future__ import annotations

from typing import Any

import equinox as eqx
import jax
import numpy as np

from ._solution import Result, is_stationary


class CriticalPoint(eqx.Module):
    """A critical point and the numbers that justify it.

    - ``y``: the point in real coordinates (float64; under ``vmap`` a batch of points;
      from :func:`jaxvac.refine` an object array of mpmath numbers at its precision).
    - ``result``: its :class:`~jaxvac.Result` code: the verdict of ``analysis`` at ``y``,
      or the solver's failure (``max_steps``, ``diverged``, ...) where it did not get there.
      Only ``successful`` (and, with its caveat, ``unresolved``) is a critical point.
    - ``analysis``: :func:`jaxvac.analyse_point` at ``y`` (float64): V, gradient, masses²,
      type, vacuum, the stationarity test's numbers; None where the job has none.
    - ``stats``: the job's numbers, by name: ``steps`` (Newton steps) from
      :func:`~jaxvac.locate_critical_point` and the search (with ``start``,
      ``basin_starts``), ``parameter`` and ``index`` along a continuation branch,
      ``precision``, ``status``, ``residuals`` and ``newton_steps`` from a refinement.

    ``np.asarray(point)``, ``jnp.asarray(point)`` and ``point[i]`` give ``y`` (the value
    :func:`~jaxvac.locate_critical_point` returned before it returned this type).
    """

    y: Any
    result: Any
    analysis: Any = None
    stats: dict[str, Any] = eqx.field(default_factory=dict)

    @property
    def ok(self) -> jax.Array:
        """True where ``result`` is ``successful`` or ``unresolved`` (a stationary point;
        :func:`~jaxvac.locate_critical_point`'s derivatives are valid there)."""
        return is_stationary(self.result)

    @property
    def steps(self):
        """Newton steps taken (``stats["steps"]``; None where the job does not count them)."""
        return self.stats.get("steps")

    @property
    def code(self) -> Result:
        """``result`` as a :class:`~jaxvac.Result` member (one point, outside ``jit``)."""
        return Result(int(np.asarray(self.result)))

    @property
    def V(self):
        """V at the point (from ``analysis``; None without one)."""
        return None if self.analysis is None else self.analysis.V

    def __jax_array__(self):
        return self.y

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.y, dtype=dtype)

    def __getitem__(self, index):
        return self.y[index]
