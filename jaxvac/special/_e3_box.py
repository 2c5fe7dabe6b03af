"""𝓔₃ truncated to a box of the lattice, |p|, |q| ≤ N: what a finite double loop over
(141) computes. Not the function of the paper (that is :func:`jaxvac.special.E3`, the
whole lattice); used to test where the printed (85)-(86) come from (``dps-u3``).

    𝓔₃^(N)(U) = Σ_{p=−N..N} Σ_{q=−N..N} (Im U)³ / |p + (2q+1)U|⁶

The box is not symmetric in n = 2q+1 (it holds n = −(2N−1) .. 2N+1), exactly as the loop
``for p in -N..N, q in -N..N`` is. Each term is ≥ 0, so 𝓔₃^(N) < 𝓔₃ and
𝓔₃^(N) → 𝓔₃ as N → ∞; the tail is O(Im U³ / N⁴) near the origin of the plane but the
truncation changes the function qualitatively for Im U ≳ N/|2q+1|: there
𝓔₃^(N) ~ (2N+1) Σ_q |2q+1|⁻⁶ / (Im U)³ falls faster than 𝓔₃ ~ 1/(Im U)².
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from .._config import ensure_x64


@functools.partial(jax.jit, static_argnums=2)
def _box(x, y, N: int):
    p = jnp.arange(-N, N + 1, dtype=jnp.float64)
    n = 2.0 * jnp.arange(-N, N + 1, dtype=jnp.float64) + 1.0
    re = p[:, None] + n[None, :] * x
    im = n[None, :] * y
    return jnp.sum(y**3 / (re**2 + im**2) ** 3)


def E3_box(U, N: int):
    """𝓔₃ of (141) summed over the box |p|, |q| ≤ ``N`` only (float64, JAX).

    **Arguments:**

    - `U`: complex scalar in the upper half plane, string convention (as :func:`E3`;
      the supergravity potential uses ``E3_box(1j * U3, N)``). For autodiff call
      :func:`E3_box_xy` with real coordinates.
    - `N`: the box half-width (a Python int; one compile per N).

    **Returns:**

    The truncated sum, a float64 scalar.
    """
    ensure_x64()
    U = complex(U)
    if not U.imag > 0:
        raise ValueError("E3_box: U must lie in the upper half plane (Im U > 0).")
    return _box(jnp.float64(U.real), jnp.float64(U.imag), int(N))


def E3_box_xy(x, y, N: int):
    """:func:`E3_box` at U = x + iy in real coordinates: traceable and differentiable
    (exact autodiff of the finite sum)."""
    return _box(x, y, int(N))


def E3_box_mp(U, N: int, dps: int = 30):
    """The same box sum in mpmath at ``dps`` digits (reference for tests)."""
    import mpmath as mp

    with mp.workdps(dps):
        U = mp.mpc(U)
        y3 = U.imag**3
        return mp.fsum(
            y3 / abs(p + (2 * q + 1) * U) ** 6 for p in range(-N, N + 1) for q in range(-N, N + 1)
        )


__all__ = ["E3_box", "E3_box_mp", "E3_box_xy"]
