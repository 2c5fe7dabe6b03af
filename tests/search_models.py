"""Test models for the critical-point search, each with its complete set of critical
points computed here *without* jaxvac (closed forms, numpy polynomial roots, mpmath).

Used by tests/test_search.py and bench/bench_search.py. Load the classes with
``jaxvac._io.resolve_model_class("path/to/search_models.py:Name")`` (as ``jaxvac find``
loads a user's model file), so that the command line and the tests share one class and
one compilation.
"""

from __future__ import annotations

import itertools
import math
from typing import ClassVar

import jax.numpy as jnp
import numpy as np

import jaxvac


# ======================================================================================
# Plain potentials with known complete sets
# ======================================================================================


class DoubleWell(jaxvac.PotentialModel):
    """V = (x² − 1)² + (y² − 1)² + a x + b y + c: a tilted product of double wells.

    ∂V = 0 separates into 4x³ − 4x + a = 0 and 4y³ − 4y + b = 0, three real roots each
    for |a|, |b| < 8/(3√3): nine critical points — four minima, four saddles, one
    maximum (V'' = 12x² − 4 decides each direction).
    """

    fields: ClassVar[tuple[str, ...]] = ("x", "y")
    a: float = 0.3
    b: float = -0.2
    c: float = 1.0

    def potential(self, phi):
        x, y = phi[0], phi[1]
        return (x**2 - 1) ** 2 + (y**2 - 1) ** 2 + self.a * x + self.b * y + self.c


def double_well_points(a=0.3, b=-0.2, c=1.0):
    """The nine critical points of :class:`DoubleWell`: list of (point, V, n_negative),
    from numpy.roots of the two cubics."""
    rx = np.sort(np.roots([4.0, 0.0, -4.0, a]).real)
    ry = np.sort(np.roots([4.0, 0.0, -4.0, b]).real)
    out = []
    for x, y in itertools.product(rx, ry):
        V = (x**2 - 1) ** 2 + (y**2 - 1) ** 2 + a * x + b * y + c
        n_neg = int(12 * x**2 - 4 < 0) + int(12 * y**2 - 4 < 0)
        out.append((np.array([x, y]), V, n_neg))
    return out


class CosineProduct(jaxvac.PotentialModel):
    """V = V0 + cos x · cos 2y, periodic in x (2π) and y (π).

    In one cell: ∂_x V = −sin x cos 2y, ∂_y V = −2 cos x sin 2y vanish at
    (sin x = 0, sin 2y = 0): x ∈ {0, π}, y ∈ {0, π/2} — two maxima (V0 + 1) and two
    minima (V0 − 1) — and at (cos x = 0, cos 2y = 0): x = ±π/2, y = ±π/4 — four saddles
    (V0, Hessian eigenvalues ±2). Eight critical points.
    """

    fields: ClassVar[tuple[str, ...]] = ("x", "y")
    V0: float = 3.0

    def potential(self, phi):
        return self.V0 + jnp.cos(phi[0]) * jnp.cos(2.0 * phi[1])

    def periods(self):
        return {"x": 2 * math.pi, "y": math.pi}


def cosine_product_points(V0=3.0):
    """The eight critical points of :class:`CosineProduct` in one cell (closed form)."""
    pi = math.pi
    out = []
    for x, y in itertools.product((0.0, pi), (0.0, pi / 2)):
        V = V0 + math.cos(x) * math.cos(2 * y)
        out.append((np.array([x, y]), V, 2 if V > V0 else 0))
    for x, y in itertools.product((-pi / 2, pi / 2), (-pi / 4, pi / 4)):
        out.append((np.array([x, y]), V0, 1))
    return out


class PowerSlope(jaxvac.PotentialModel):
    """V = (2 + cos y) / x², x > 0: no critical point anywhere (∂_x V < 0); every
    start runs away towards x → ∞ (a power-law decompactification-like slope)."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")
    positive: ClassVar[tuple[str, ...]] = ("x",)

    def potential(self, phi):
        return (2.0 + jnp.cos(phi[1])) / phi[0] ** 2

    def periods(self):
        return {"y": 2 * math.pi}


class Fold(jaxvac.PotentialModel):
    """V = x³/3 − p x + y²: a minimum at (√p, 0) and a saddle at (−√p, 0) for p > 0,
    which merge at p = 0 (a fold) and disappear for p < 0."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")
    p: float = 1.0

    def potential(self, phi):
        return phi[0] ** 3 / 3 - self.p * phi[0] + phi[1] ** 2


# ======================================================================================
# KKLT with an anti-D3 uplift
# ======================================================================================


# The supergravity test model is the repository's user-model example
# experiments/kklt_uplift.py:KKLTUplift (K = -3 log(T + T̄) as a declared no-scale
# logarithm, W = W0 + A e^{-aT}, uplift D/σ^n with n = 2); D = 0 is KKLT.
KKLT_UPLIFT = "experiments/kklt_uplift.py:KKLTUplift"


class KKLTPlainK(jaxvac.SupergravityModel):
    """KKLT written as DESIGN.md's model contract writes it: K = -3 log(T + T̄) as a plain
    ``kahler_potential`` (no declared no-scale logarithm). At large t the no-scale
    cancellation leaves V many orders below the size of its terms, so the scale-free
    stationarity test is weak there — the hard case for "no false vacua"."""

    moduli: ClassVar[tuple[str, ...]] = ("T",)
    saxions: ClassVar[tuple[str, ...]] = ("T",)
    W0: float = -1e-4
    A: float = 1.0
    a: float = 0.1

    def kahler_potential(self, z, zbar):
        return -3.0 * jnp.log(z[0] + zbar[0])

    def superpotential(self, z):
        return self.W0 + self.A * jnp.exp(-self.a * z[0])

    def periods(self):
        return {"T": 2 * jnp.pi / self.a}


def kklt_potential(t, tau, W0=-1e-4, A=1.0, a=0.1, D=0.0):
    """V(T = t + iτ) of KKLT + D/t², written out by hand (mpmath numbers in, out):

    V = a A e^{−at} / (2t²) · [a A t e^{−at} / 3 + A e^{−at} + W0 cos(aτ)] + D / t²,

    KKLT eq. (13) with the axion restored (e^K = 1/(8t³), K^{TT̄} = 4t²/3).
    """
    import mpmath as mp

    e = mp.e ** (-a * t)
    return a * A * e / (2 * t**2) * (a * A * t * e / 3 + A * e + W0 * mp.cos(a * tau)) + D / t**2


def kklt_critical_points(W0=-1e-4, A=1.0, a=0.1, D=0.0, t_range=(0.1, 1000.0)):
    """All critical points of :func:`kklt_potential` with t in ``t_range``, one axion
    period: ∂_τV ∝ W0 sin(aτ) vanishes only at τ = 0 and τ = π/a, and on each of these
    lines the roots of ∂_tV are bracketed on a fine log grid and refined by mpmath.
    Returns [(t, τ, V, V_tt, V_ττ)] (mpmath numbers)."""
    import mpmath as mp

    mp.mp.dps = 40
    W0, A, a, D = (mp.mpf(str(v)) for v in (W0, A, a, D))
    out = []
    for tau in (mp.mpf(0), mp.pi / a):
        dV = lambda t, tau=tau: mp.diff(lambda s: kklt_potential(s, tau, W0, A, a, D), t)
        grid = [mp.mpf(x) for x in np.geomspace(t_range[0], t_range[1], 240)]
        vals = [dV(g) for g in grid]
        for lo, hi, flo, fhi in zip(grid, grid[1:], vals, vals[1:]):
            if flo * fhi < 0:
                t = mp.findroot(dV, (lo, hi), solver="illinois", tol=mp.mpf(10) ** -60)
                V = kklt_potential(t, tau, W0, A, a, D)
                Vtt = mp.diff(lambda s: kklt_potential(s, tau, W0, A, a, D), t, 2)
                Vxx = mp.diff(lambda s: kklt_potential(t, s, W0, A, a, D), tau, 2)
                out.append((t, tau, V, Vtt, Vxx))
    return out
