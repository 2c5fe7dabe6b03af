"""The analytic formulas of seed 000 (RKU), written as printed, plus exact results for (2.2).

Every function cites its equation. Paper conventions: x = a t, y = a τ, β = b/a = N1/N2,
z = A/B, Ĉ of (2.2); V ≃ -(a³ A W0 / 2) λ(x, y). Typos fixed and stated:

- (2.3) prints ``e^{β-1}``; the exponent is (β-1)x (dimensionally and by Table 2's z).

Also here (not in the paper): the *exact* extremum and stability window of the reduced
potential λ of (2.2) at y = 0 — λ is linear in Ĉ and in 1/z, so the window edges are
closed-form (:func:`window_c_exact`); the leading-order formulas (2.4)-(2.6) are their
large-x expansions.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np

SQRT2 = math.sqrt(2.0)
LN10 = math.log(10.0)


# ---- parameters -----------------------------------------------------------------------


def a_of(N):
    """a = 2π/N (gaugino condensation in SU(N)), below (2.1)."""
    return 2.0 * np.pi / np.asarray(N, dtype=float)


def beta_of_nmax(Nmax):
    """The smallest β = N1/N2 with N ≤ Nmax: Nmax/(Nmax - 1) (§2, after (2.9))."""
    Nmax = np.asarray(Nmax, dtype=float)
    return Nmax / (Nmax - 1.0)


# ---- (2.2)-(2.8) ------------------------------------------------------------------------


def lam(x, y, beta, z, C):
    """λ(x, y) of eq. (2.2)."""
    return (
        -np.exp(-x) * np.cos(y) / x**2
        - (beta / z) * np.exp(-beta * x) * np.cos(beta * y) / x**2
        + C / x**4.5
    )


def c_hat(a, W0, xi, A):
    """Ĉ = -3 a^{3/2} W0 ξ / (32 √2 A), eq. (2.2)."""
    return -3.0 * a**1.5 * W0 * xi / (32.0 * SQRT2 * A)


def w0_from_c_hat(C, a, xi, A):
    """W0 from Ĉ of (2.2)."""
    return -32.0 * SQRT2 * A * C / (3.0 * a**1.5 * xi)


def inverse_z(x, beta, C):
    """1/z at an extremum of λ at y = 0, eq. (2.3) (exponent (β-1)x; exact for λ)."""
    return (
        np.exp((beta - 1.0) * x)
        * (9.0 * C * np.exp(x) - 2.0 * x**2.5 * (2.0 + x))
        / (2.0 * x**2.5 * beta * (2.0 + beta * x))
    )


def hessian_lo(x, beta, lam_value):
    """(∂²_x λ, ∂²_y λ) at the extremum to the order printed in eq. (2.4)."""
    e = np.exp(-x)
    lxx = e * ((beta - 1.0) / x**2 - 5.0 * (beta - 1.0) / (2.0 * x**3)) + lam_value * (
        -9.0 * beta / (2.0 * x) - 9.0 / (2.0 * x**2)
    )
    lyy = -lxx + lam_value * 27.0 / (4.0 * x**2)
    return lxx, lyy


def lam0(x, beta):
    """Leading-order λ = e^{-x} 2(β-1)/(9βx), eq. (2.6)."""
    return np.exp(-x) * 2.0 * (beta - 1.0) / (9.0 * beta * x)


def window_lo(x, beta):
    """(λ_min, λ_max) of eq. (2.5)."""
    l0 = lam0(x, beta)
    lmin = l0 * (1.0 - 5.0 * (beta + 1.0) / (2.0 * beta * x))
    lmax = l0 * (1.0 - 5.0 * (beta + 1.0) / (2.0 * beta * x) + 3.0 / (2.0 * beta * x))
    return lmin, lmax


def c_lo(x, beta):
    """Leading-order Ĉ = e^{-x} 2(β-1) x^{7/2}/(9β), eq. (2.6)."""
    return np.exp(-x) * 2.0 * (beta - 1.0) * x**3.5 / (9.0 * beta)


def w0_lo(x, beta, a, A, xi):
    """W0 ≈ -64√2 A (β-1) e^{-x} x^{7/2} / (27 a^{3/2} β ξ), eq. (2.7)."""
    return -64.0 * SQRT2 * A * (beta - 1.0) * np.exp(-x) * x**3.5 / (27.0 * a**1.5 * beta * xi)


def lambda_lo(x, beta, a, A, xi):
    """Λ ≈ 64√2 a^{3/2} A² (β-1)² e^{-2x} x^{5/2} / (243 β² ξ), eq. (2.8), first form."""
    return (
        64.0
        * SQRT2
        * a**1.5
        * A**2
        * (beta - 1.0) ** 2
        * np.exp(-2.0 * x)
        * x**2.5
        / (243.0 * beta**2 * xi)
    )


def lambda_xi(W0, t, xi):
    """Λ ≈ 3 ξ W0² / (4 (2t)^{9/2}), eq. (2.8), second form."""
    return 3.0 * xi * W0**2 / (4.0 * (2.0 * t) ** 4.5)


def x_of_lambda_lo(Lambda, beta, a, A, xi):
    """Invert (2.8): the x at which the leading-order Λ equals ``Lambda`` (x > 5/4)."""
    k = 64.0 * SQRT2 * a**1.5 * A**2 * (beta - 1.0) ** 2 / (243.0 * beta**2 * xi)
    target = math.log(Lambda / k)
    x = -0.5 * target  # e^{-2x} dominates
    for _ in range(60):
        f = -2.0 * x + 2.5 * math.log(x) - target
        x -= f / (-2.0 + 2.5 / x)
    return x


def x_of_c_lo(C, beta):
    """Invert (2.6): the x > 7/2 at which the leading-order Ĉ equals ``C``."""
    target = math.log(C * 9.0 * beta / (2.0 * (beta - 1.0)))
    x = -target
    for _ in range(80):
        x = max(x, 3.6)
        f = -x + 3.5 * math.log(x) - target
        x -= f / (-1.0 + 3.5 / x)
    return x


# ---- exact extremum and window of λ (2.2) at y = 0 -------------------------------------


def lam_at_extremum(x, beta, C):
    """λ at the y = 0 extremum of (2.2) with 1/z from (2.3) (exact for λ).

    λ = [-e^{-x}(β-1)x + Ĉ x^{-5/2}(2βx - 5)/2] / (x² (βx + 2)).
    """
    return (-np.exp(-x) * (beta - 1.0) * x + C * x**-2.5 * (2.0 * beta * x - 5.0) / 2.0) / (
        x**2 * (beta * x + 2.0)
    )


def hessian_exact(x, beta, C):
    """(∂²_x λ, ∂²_y λ) at the y = 0 extremum of (2.2), 1/z from (2.3): exact for λ."""
    e = np.exp(-x)
    w_be = (4.5 * C * x**-2.5 - e * (x + 2.0)) / (beta * x + 2.0)  # (β/z) e^{-βx}
    lxx = (
        -e * (x**2 + 4 * x + 6) / x**4
        - w_be * (beta**2 * x**2 + 4 * beta * x + 6) / x**4
        + 99.0 / 4.0 * C * x**-6.5
    )
    lyy = e / x**2 + beta**2 * w_be / x**2
    return lxx, lyy


def window_c_exact(x, beta):
    """Exact stability window of λ (2.2) at the y = 0 extremum: (Ĉ_y, Ĉ_x, x_is_upper).

    ∂²_y λ ≥ 0  ⇔  Ĉ ≥ Ĉ_y = (2/9) e^{-x} x^{5/2} (β-1)(βx + 2β + 2)/β².
    ∂²_x λ ≥ 0  ⇔  Ĉ·D ≤ Ĉ_x·D with D = β²x² - 3βx/2 - 5 and
    Ĉ_x = (2/9) e^{-x} x^{7/2} (β-1)(βx² + 2(β+1)x + 2)/D; for D > 0 (x ≳ 3/β) Ĉ_x is an
    upper bound and the window is [Ĉ_y, Ĉ_x]; ``x_is_upper`` = D > 0.
    Large x: Ĉ_y ≈ Ĉ0 (1 + 2(β+1)/(βx)), Ĉ_x ≈ Ĉ0 (1 + (2β + 7/2)/(βx)), Ĉ0 of (2.6).
    """
    e = np.exp(-x)
    cy = 2.0 / 9.0 * e * x**2.5 * (beta - 1.0) * (beta * x + 2.0 * beta + 2.0) / beta**2
    D = beta**2 * x**2 - 1.5 * beta * x - 5.0
    cx = 2.0 / 9.0 * e * x**3.5 * (beta - 1.0) * (beta * x**2 + 2.0 * (beta + 1.0) * x + 2.0) / D
    return cy, cx, D > 0


# ---- (2.9), (2.10) ---------------------------------------------------------------------


def p_lambda_29(Lambda, beta):
    """P(Λ) ≈ 243 β^{1/2} / (16 (β-1)) Λ^{-(β+1)/(2β)} (-ln Λ)^{-5/2}, eq. (2.9)."""
    Lambda = np.asarray(Lambda, dtype=float)
    return (
        243.0
        * np.sqrt(beta)
        / (16.0 * (beta - 1.0))
        * Lambda ** (-(beta + 1.0) / (2.0 * beta))
        * (-np.log(Lambda)) ** -2.5
    )


def exponent_29(beta):
    """The power of Λ in (2.9): -(β+1)/(2β)."""
    return -(beta + 1.0) / (2.0 * beta)


def quantiles_210(Nmax):
    """(log10 Λ10, log10 Λ50) of eq. (2.10)."""
    return 1.57 - 1.91 * Nmax, -2.61 - 0.59 * Nmax


class Distribution29:
    """(2.9) as a distribution on (0, Λc]: exact CDF and moments with mpmath.

    With ε = 1 - (β+1)/(2β) = (β-1)/(2β) and L = -ln Λ,
    ∫_0^Λ Λ'^{-(β+1)/(2β)} (-ln Λ')^{-5/2} dΛ' = ε^{3/2} Γ(-3/2, εL)  (upper incomplete Γ),
    ∫_0^Λ Λ'·(same) dΛ' = (1+ε)^{3/2} Γ(-3/2, (1+ε)L).
    ``cutoff=None`` picks the Λc at which the printed prefactor 243√β/(16(β-1)) makes
    ∫_0^{Λc} P = 1 ("properly normalised"); the formula cannot be integrated up to Λ = 1
    ((-ln Λ)^{-5/2} is not integrable there), so some Λc < 1 is always needed.
    """

    def __init__(self, beta, cutoff=None, dps=40):
        self.dps = dps
        with mp.workdps(dps):
            self.beta = mp.mpf(beta)
            self.eps = (self.beta - 1) / (2 * self.beta)
            self.prefactor = 243 * mp.sqrt(self.beta) / (16 * (self.beta - 1))
            if cutoff is None:
                Lc = mp.findroot(lambda L: self.prefactor * self._mass(L) - 1, 10.0)
            else:
                Lc = -mp.log(mp.mpf(cutoff))
            self.Lc = Lc

    def _mass(self, L):
        return self.eps**1.5 * mp.gammainc(-1.5, self.eps * L)

    @property
    def log10_cutoff(self) -> float:
        return float(-self.Lc / mp.log(10))

    @property
    def normalisation(self) -> float:
        """∫_0^{Λc} P(Λ) dΛ with the printed prefactor."""
        with mp.workdps(self.dps):
            return float(self.prefactor * self._mass(self.Lc))

    def cdf_log10(self, log10_lambda) -> float:
        with mp.workdps(self.dps):
            L = -mp.mpf(log10_lambda) * mp.log(10)
            return float(self._mass(L) / self._mass(self.Lc))

    def _dmass(self, L):
        """d/dL of :meth:`_mass`: -ε^{5/2} (εL)^{-5/2} e^{-εL} (∂_x Γ(s, x) = -x^{s-1}e^{-x})."""
        x = self.eps * L
        return -(self.eps**2.5) * x**-2.5 * mp.exp(-x)

    def log10_quantile(self, q) -> float:
        """log10 Λ_q with ∫_0^{Λ_q} P = q ∫_0^{Λc} P: the root in -ln Λ, bracketed, then
        Newton (the mass is monotonic and convex in L) to the working precision."""
        with mp.workdps(self.dps):
            target = q * self._mass(self.Lc)
            lo, hi = self.Lc, self.Lc + 10
            while self._mass(hi) > target:
                lo, hi = hi, 2 * hi
            # g(L) = mass(L) - target is decreasing and convex: Newton from the left end
            # of the bracket increases monotonically to the root.
            L = lo
            for _ in range(100):
                step = (self._mass(L) - target) / self._dmass(L)
                L = L - step
                if abs(step) <= mp.mpf(10) ** (-self.dps + 3) * L:
                    break
            return float(-L / mp.log(10))

    def mean(self) -> float:
        with mp.workdps(self.dps):
            k = 1 + self.eps
            first = k**1.5 * mp.gammainc(-1.5, k * self.Lc)
            return float(first / self._mass(self.Lc))


# ---- §3: the Higgs-like field and the flux sector ----------------------------------------


def m_phi2_lo(mu, t, alpha_p=1.0):
    """m_φ² ≈ 2μ²/(9t), eq. (3.5) (α' = 1); 2μ²/(9α'² t) with α' kept (canonical φ)."""
    return 2.0 * mu**2 / (9.0 * alpha_p**2 * t)


def phi_ssb(mu, rho):
    """The SSB branch φ = -2μ/(3ρ) of D_φW ≈ ∂_φ W0(φ) = 0, below (3.5)."""
    return -2.0 * mu / (3.0 * rho)


def w0_phi_ssb(c_phi, mu, rho):
    """W0(φ) at φ = -2μ/(3ρ): c_φ + 4μ³/(27ρ²), below (3.7)."""
    return c_phi + 4.0 * mu**3 / (27.0 * rho**2)


def d_36(alpha_p, mu, a, xi, rho):
    """d = 16√2 α' μ² / (9 a^{1/2} ξ ρ²), eq. (3.6)."""
    return 16.0 * SQRT2 * alpha_p * mu**2 / (9.0 * math.sqrt(a) * xi * rho**2)


def c_36(x, beta, d):
    """Ĉ → e^{-x} x^{7/2} 2(β-1)/((8d√x + 9)β), eq. (3.6)."""
    return np.exp(-x) * x**3.5 * 2.0 * (beta - 1.0) / ((8.0 * d * np.sqrt(x) + 9.0) * beta)


def inverse_z_37(x, beta, C, d):
    """1/z of eq. (3.7) (exponent (β-1)x as in (2.3))."""
    return (
        np.exp(x * (beta - 1.0))
        * ((9.0 + 8.0 * d * np.sqrt(x)) * C * np.exp(x) - 2.0 * x**2.5 * (2.0 + x))
        / (2.0 * x**2.5 * beta * (2.0 + beta * x))
    )


def flux_solution_39(c, c2, b1, b2, d1, d2):
    """(s, W0) of eq. (3.9): s = c/ĉ2, W0 = (c + sĉ2)(b1 - sd1)(b2 - sd2)/(s²d1d2 - b1b2).

    The real supersymmetric solution of W0(U, S) = c - S ĉ2 + Σ (b_i - S d_i) U_i with
    K = -log(S+S̄) - Σ log(U_i+Ū_i), h^{2,1} = 2; there u_i = W0/(2(b_i - s d_i)).
    """
    s = c / c2
    W0 = (c + s * c2) * (b1 - s * d1) * (b2 - s * d2) / (s**2 * d1 * d2 - b1 * b2)
    u = (W0 / (2.0 * (b1 - s * d1)), W0 / (2.0 * (b2 - s * d2)))
    return s, W0, u
