"""Exact critical points of the RKU model on the real line τ = 0, and their masses.

With real W0, A, B the potential of :class:`jaxvac.models.RKU` is even in τ, so
∂_τ V = 0 on τ = 0 and the vacua the paper studies are roots of the one-dimensional
equation ∂_t V(t, 0) = 0. :func:`critical_t` solves it by Newton in log t;
:func:`line_analysis` classifies the point with :func:`jaxvac.analyse` and splits the
canonical masses into the t and τ directions (the Hessian and the Kähler metric are both
diagonal in (t, τ) at τ = 0).
"""

from __future__ import annotations

import math

import numpy as np

from .._analysis import analyse
from .._classify import CriticalType, Result, Vacuum
from .._model import canonical


def critical_t(model, t0: float, *, rtol: float = 1e-14, max_steps: int = 80) -> tuple[float, bool]:
    """The root of ∂_t V(t, τ=0) = 0 reached by Newton from ``t0`` (in u = log t).

    Newton on f(u) = t ∂_t V with f'(u) = t ∂_t V + t² ∂²_t V, both from the autodiff
    gradient and Hessian of :func:`jaxvac.analyse`: the one compiled function per model
    class that :func:`line_analysis` needs anyway. Returns ``(t, converged)``; whether
    ``t`` is a vacuum is decided by :func:`line_analysis` (``result == "successful"``).
    """
    model = canonical(model)
    u = math.log(float(t0))
    for _ in range(max_steps):
        t = math.exp(u)
        a = analyse(model, np.array([t, 0.0]))
        g, h = float(a.gradient[0]), float(a.hessian[0, 0])
        step = t * g / (t * g + t * t * h)
        if not math.isfinite(step):
            return t, False
        u -= step
        if abs(step) <= rtol + rtol * abs(u):
            return math.exp(u), True
    return math.exp(u), False


def line_analysis(model, t: float) -> dict:
    """Classification of the point T = t (τ = 0) with direction-resolved masses.

    ``m2_t``, ``m2_tau``: canonical masses² of Re T and Im T (Planck units), i.e.
    ∂²V/∂t² / (2K_TT̄) and ∂²V/∂τ² / (2K_TT̄).
    """
    a = analyse(model, np.array([float(t), 0.0]))
    H = np.asarray(a.hessian)
    G = np.asarray(a.metric)
    return {
        "t": float(t),
        "V": float(a.V),
        "m2_t": float(H[0, 0] / G[0, 0]),
        "m2_tau": float(H[1, 1] / G[1, 1]),
        "masses_squared": [float(v) for v in np.asarray(a.masses_squared)],
        "digits": float(a.digits),
        "masses_digits": [float(v) for v in np.asarray(a.masses_digits)],
        "residual": float(a.residual),
        "type": CriticalType(int(a.critical_type)).name,
        "vacuum": Vacuum(int(a.vacuum)).name,
        "result": Result(int(a.result)).name,
        "gravitino_mass": float(a.gravitino_mass),
    }


def vacuum_near(model, t0: float) -> dict:
    """:func:`critical_t` from ``t0`` followed by :func:`line_analysis`."""
    t, ok = critical_t(model, t0)
    out = line_analysis(model, t)
    out["newton_converged"] = ok
    return out
