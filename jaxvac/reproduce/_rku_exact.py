"""Exact critical points of the RKU model on the real line τ = 0, and their masses.

With real W0, A, B the potential of :class:`jaxvac.models.RKU` is even in τ, so
∂_τ V = 0 on τ = 0 and the vacua the paper studies are roots of the one-dimensional
equation ∂_t V(t, 0) = 0. :func:`critical_t` solves it with optimistix (Newton in
log t); :func:`line_analysis` classifies the point with :func:`jaxvac.analyse` and
splits the canonical masses into the t and τ directions (the Hessian and the Kähler
metric are both diagonal in (t, τ) at τ = 0).
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optimistix as optx

from .._analysis import analyse
from .._classify import CriticalType, Result, Vacuum
from .._model import canonical
from .._potential import potential_and_scale


def _dv_dlogt(model, u):
    """t ∂_t V(t, 0) at t = e^u."""
    t = jnp.exp(u)
    return t * jax.grad(lambda tt: potential_and_scale(model, jnp.stack([tt, 0.0 * tt]))[0])(t)


@eqx.filter_jit
def _newton_t(model, u0):
    scale = jax.lax.stop_gradient(
        potential_and_scale(model, jnp.stack([jnp.exp(u0), 0.0 * u0]))[1]
    )
    scale = jnp.where(scale > 0, scale, 1.0)

    def fn(u, _):
        return _dv_dlogt(model, u) / scale

    sol = optx.root_find(fn, optx.Newton(rtol=1e-14, atol=1e-14), u0, max_steps=80, throw=False)
    return sol.value, sol.result == optx.RESULTS.successful


def critical_t(model, t0: float) -> tuple[float, bool]:
    """The root of ∂_t V(t, τ=0) = 0 reached by Newton from ``t0`` (in log t).

    Returns ``(t, converged)``; whether ``t`` is a vacuum is decided by
    :func:`line_analysis` (``result == "successful"``).
    """
    model = canonical(model)
    u, ok = _newton_t(model, jnp.log(jnp.asarray(float(t0), dtype=jnp.float64)))
    return float(jnp.exp(u)), bool(ok)


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
