"""Jacobi theta functions with characteristics at real argument and imaginary modulus,
eq. (162) of seed 001:

    ϑ[α; 0](w, τ) = Σ_n q^{(n+α)²/2} e^{2πi(n+α)w},   q = e^{2πiτ},   τ = i t (t > 0).

For real w this is real: Σ_n e^{−πt(n+α)²} cos(2π(n+α)w). For t ≥ 1 that series is
summed directly; for t < 1 its Poisson (Jacobi) dual

    ϑ[α; 0](w, it) = t^{−1/2} Σ_k e^{2πiαk} e^{−π(k − w)²/t}

is used, with w reduced to [−½, ½] first (ϑ[α;0](w+1) = e^{2πiα} ϑ[α;0](w)). Either way
the first omitted term is below e^{−π·8.5²} ≈ 1e-99 of the leading one.
"""

from __future__ import annotations

import jax
import jax.core
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from .._config import ensure_x64

_N = np.arange(-8, 9, dtype=np.float64)


def theta(w, t, alpha: ArrayLike = 0.0, *, absolute: bool = False):
    """ϑ[α; 0](w, it) of eq. (162) for real ``w``, ``t > 0`` and α ∈ {0, ½} (real).

    Elementwise over ``w``, ``t`` and ``alpha`` (broadcast together). α = 0 gives
    θ₃(πw, e^{−πt}), α = ½ gives θ₂(πw, e^{−πt}) (mpmath's ``jtheta``). With
    ``absolute=True``: the sum of the magnitudes of the terms of the series used (the
    natural scale of its rounding error).
    """
    ensure_x64()
    if not isinstance(alpha, jax.core.Tracer) and not np.all(
        np.isin(np.asarray(alpha), (0.0, 0.5))
    ):
        raise ValueError(f"theta: alpha must be 0 or 1/2 (got {alpha!r}).")
    w, t, alpha = jnp.broadcast_arrays(
        jnp.asarray(w, jnp.float64), jnp.asarray(t, jnp.float64), jnp.asarray(alpha, jnp.float64)
    )
    alpha = alpha[..., None]
    size = jnp.abs if absolute else (lambda v: v)
    n = jnp.asarray(_N) + alpha
    direct = jnp.sum(
        jnp.exp(-jnp.pi * t[..., None] * n**2) * size(jnp.cos(2 * jnp.pi * n * w[..., None])),
        axis=-1,
    )
    j = jnp.round(w)
    wr = w - j
    sign = jnp.cos(2 * jnp.pi * alpha[..., 0] * j)  # e^{2πiα j}: ±1 for α = ½
    k = jnp.asarray(_N)
    ts = jnp.where(t < 1.0, t, 1.0)  # keep the unused branch finite
    phase = jnp.cos(2 * jnp.pi * alpha * k)
    dual = (
        size(sign)
        * jnp.sum(
            size(phase) * jnp.exp(-jnp.pi * (k - wr[..., None]) ** 2 / ts[..., None]), axis=-1
        )
        / jnp.sqrt(ts)
    )
    return jnp.where(t >= 1.0, direct, dual)
