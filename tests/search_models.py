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


# ======================================================================================
# A 7-modulus STU-type supergravity model with exponential terms (bench/bench_search.py)
# ======================================================================================

SEVEN_MODULI = ("S", "T1", "T2", "T3", "U1", "U2", "U3")


def seven_moduli_A(W0, a, tstar):
    """Coefficients A_k that put a supersymmetric AdS point at Φ_k = t*_k (axions 0).

    With K = −Σ log(Φ_k + Φ̄_k) and W = W0 + Σ A_k e^{−a_k Φ_k}, D_kW = ∂_kW − W/(2t_k) = 0
    at real Φ_k = t_k reads A_k e^{−a_k t_k} = −W/(2 a_k t_k); summing gives
    W* = W0 / (1 + Σ_k 1/(2 a_k t_k)). Returns (A, W*)."""
    a, tstar = np.asarray(a, float), np.asarray(tstar, float)
    Wst = W0 / (1.0 + np.sum(1.0 / (2 * a * tstar)))
    return -Wst / (2 * a * tstar) * np.exp(a * tstar), Wst


class SevenModuli(jaxvac.SupergravityModel):
    """7-modulus STU-type test model: K = −log(S+S̄) − Σ_i log(T_i+T̄_i) − Σ_i log(U_i+Ū_i),
    W = W0 + Σ_k A_k e^{−a_k Φ_k} over Φ = (S, T1, T2, T3, U1, U2, U3), with A_k chosen
    (:func:`seven_moduli_A`) so that D_kW = 0 at Φ_k = t*_k. Its supersymmetric critical
    points are all known (:func:`seven_moduli_susy_points`); its non-supersymmetric ones
    are not, and are checked independently (:func:`seven_moduli_check`)."""

    moduli: ClassVar[tuple[str, ...]] = SEVEN_MODULI
    saxions: ClassVar[tuple[str, ...]] = SEVEN_MODULI
    W0: float = -0.05
    a: tuple = (0.3, 0.5, 0.6, 0.7, 0.4, 0.8, 0.9)
    tstar: tuple = (10.0, 8.0, 6.0, 5.0, 9.0, 4.0, 3.5)
    #: search region of each saxion: [t*_k / spread, t*_k · spread]
    spread: float = 2.0

    def kahler_logs(self):
        return {m: 1.0 for m in SEVEN_MODULI}

    def kahler_remainder(self, z, zbar):
        return jnp.zeros((), dtype=jnp.float64)

    def _a_A(self):
        a = jnp.stack([jnp.asarray(v, jnp.float64) for v in self.a])
        t = jnp.stack([jnp.asarray(v, jnp.float64) for v in self.tstar])
        Wst = self.W0 / (1.0 + jnp.sum(1.0 / (2 * a * t)))
        return a, -Wst / (2 * a * t) * jnp.exp(a * t)

    def superpotential(self, z):
        a, A = self._a_A()
        return self.W0 + jnp.sum(A * jnp.exp(-a * z))

    def periods(self):
        return {m: 2 * jnp.pi / ak for m, ak in zip(SEVEN_MODULI, self.a)}

    def search_region(self):
        return {m: (t / self.spread, t * self.spread) for m, t in zip(SEVEN_MODULI, self.tstar)}


def seven_moduli_potential(y, W0=-0.05, a=SevenModuli.a, tstar=SevenModuli.tstar):
    """V(y) of :class:`SevenModuli` written out by hand in mpmath (y = (Re Φ, Im Φ)):
    V = e^K (Σ_k 4 t_k² |D_kW|² − 3|W|²), e^K = Π 1/(2t_k), D_kW = −a_k A_k e^{−a_kΦ_k} − W/(2t_k)."""
    import mpmath as mp

    A, _ = seven_moduli_A(W0, a, tstar)
    n = len(a)
    t = [mp.mpf(v) for v in y[:n]]
    th = [mp.mpf(v) for v in y[n:]]
    a = [mp.mpf(v) for v in a]
    A = [mp.mpf(v) for v in A]
    E = [A[k] * mp.exp(-a[k] * mp.mpc(t[k], th[k])) for k in range(n)]
    W = mp.mpf(W0) + mp.fsum(E)
    eK = 1 / mp.fprod(2 * tk for tk in t)
    DW = [-a[k] * E[k] - W / (2 * t[k]) for k in range(n)]
    terms = mp.fsum(4 * t[k] ** 2 * abs(DW[k]) ** 2 for k in range(n))
    return eK * (terms - 3 * abs(W) ** 2), eK * (terms + 3 * abs(W) ** 2)


def seven_moduli_check(y, W0=-0.05, a=SevenModuli.a, tstar=SevenModuli.tstar, dps=30):
    """Independent (mpmath, no JAX) stationarity check of a point y: the largest
    |t_k ∂V/∂t_k|, |∂V/∂θ_k| / a_k over the scale e^K(Σ 4t²|DW|² + 3|W|²) of V's terms,
    derivatives by mpmath central differences at ``dps`` digits. Returns (V, that ratio)."""
    import mpmath as mp

    with mp.workdps(dps):
        y = [mp.mpf(float(v)) for v in y]
        n = len(a)
        V, scale = seven_moduli_potential(y, W0, a, tstar)
        g = []
        for i in range(2 * n):
            h = mp.mpf(10) ** (-dps // 3) * (y[i] if i < n else 1)
            yp, ym = list(y), list(y)
            yp[i] += h
            ym[i] -= h
            d = (
                seven_moduli_potential(yp, W0, a, tstar)[0]
                - seven_moduli_potential(ym, W0, a, tstar)[0]
            ) / (2 * h)
            g.append(abs(d) * (y[i] if i < n else 1 / mp.mpf(a[i - n])))
        return float(V), float(max(g) / scale)


def seven_moduli_susy_points(
    W0=-0.05, a=SevenModuli.a, tstar=SevenModuli.tstar, t_range=(0.0, math.inf)
):
    """All supersymmetric critical points (D_kW = 0) of :class:`SevenModuli` with every
    saxion in ``t_range`` (default: all), axions in one period.

    D_kW = 0 ⇔ a_kA_k e^{−a_kΦ_k} = −W/(2t_k) with A_k > 0: summing over k gives
    W(1 + Σ 1/(2a_kt_k)) = W0, so W is real (sign of W0) and each A_k e^{−a_kΦ_k} is real
    positive, hence every axion is 0 mod its period; x_k = a_kt_k then solves
    x e^{−x} = −W/(2A_k), x = −LambertW_b(W/(2A_k)) on branch b ∈ {0, −1}. For each of the
    2^7 branch choices the remaining scalar equation W(1 + Σ 1/(2x_k)) = W0 is solved by
    bracketing in W (mpmath). Returns [(y, V, -1)] (n_negative not computed)."""
    import mpmath as mp

    mp.mp.dps = 30
    A, _ = seven_moduli_A(W0, a, tstar)
    n = len(a)
    A = [mp.mpf(v) for v in A]
    am = [mp.mpf(v) for v in a]
    W0m = mp.mpf(W0)
    # W in (W0 ... 0) range: -W/(2A_k) must be in (0, 1/e] for a real x_k
    wlim = min(2 * Ak / mp.e for Ak in A)  # |W| <= wlim
    out = []
    for br in itertools.product((0, -1), repeat=n):

        def xs(W, br=br):
            return [-mp.lambertw(W / (2 * A[k]), br[k]).real for k in range(n)]

        def f(W, br=br):
            return W * (1 + mp.fsum(1 / (2 * x) for x in xs(W))) - W0m

        grid = [-(wlim * s) for s in np.linspace(1e-9, 1.0 - 1e-12, 120)]
        vals = [f(mp.mpf(g)) for g in grid]
        for lo, hi, flo, fhi in zip(grid, grid[1:], vals, vals[1:]):
            if flo * fhi < 0:
                W = mp.findroot(f, (mp.mpf(lo), mp.mpf(hi)), solver="anderson")
                t = [x / am[k] for k, x in enumerate(xs(W))]
                if all(t_range[0] <= float(tk) <= t_range[1] for tk in t):
                    y = np.array([float(tk) for tk in t] + [0.0] * n)
                    out.append((y, seven_moduli_potential(y, W0, a, tstar)[0], -1))
    return out
