"""The racetrack Kähler uplift (RKU) model of seed paper 000 and its pieces.

Seed 000 (``/work/shared/seeds/000_c8afabef771fe332.txt``), following Sumitomo, Tye, Wong:

- :class:`RKU` — eq. (2.1) with the Kähler modulus T = t + iτ dynamical and the dilaton
  and complex-structure moduli frozen at their supersymmetric values:
  K = -2 log((T+T̄)^{3/2} + ξ/2) + K_cs,  W = W0 + A e^{-aT} + B e^{-bT},
  a = 2π/N1, b = 2π/N2, β = b/a = N1/N2, z = A/B.
- :class:`RKUReduced` — the large-volume potential λ(x, y) of eq. (2.2), x = at, y = aτ.
- :class:`FluxSector2`, :class:`FluxSector3` — the flux superpotential
  W0(U_i, S) = c1 - S c2 + Σ (b_i - S d_i) U_i with K = -log(S+S̄) - Σ log(U_i+Ū_i),
  h^{2,1} = 2 and 3 (solved supersymmetrically by :func:`solve_flux_susy`).
- :class:`RKUDynamical` — (2.1) with T, S, U1, U2 all dynamical (ξ = ξ̂ (Re S)^{3/2}).
- :class:`RKUHiggs` — (2.1) plus the Higgs-like D3-brane separation φ:
  K_H = 3α'|φ|²/(T+T̄) (3.3), W0(φ) = c_φ + μφ² + ρφ³ (3.4).

Conventions (Planck units M_P = 1). Every model declares the no-scale logarithm
-3 log(T+T̄) (and -log for S, U), so jaxvac computes the deficit K^{ab̄}K_aK_b̄ - Σn from
the remainder δK = -2 log(1 + ξ/(2(T+T̄)^{3/2})) alone: at the Table-2 points, where
V ~ 10⁻¹²² and the no-scale terms are ~10⁸ times larger, float64 keeps ~14 digits of V
instead of ~7 (``tests/test_rku_models.py`` checks both against mpmath).
``K_cs`` is the constant value of the frozen -log(S+S̄) - Σ log(U_i+Ū_i); the paper's
normalisation of (2.2) is ``K_cs = 0`` (V ≃ -(a³ A W0/2) λ exactly at leading order).
"""

import math
from typing import ClassVar

import jax
import jax.core
import jax.numpy as jnp
from equinox import AbstractVar

from .._model import PotentialModel, SupergravityModel

TWO_PI = 2.0 * math.pi


def _concrete(x) -> bool:
    return not isinstance(x, jax.core.Tracer)


def _require(cond: bool, model: str, name: str, allowed: str, value) -> None:
    if not cond:
        raise ValueError(f"{model}: parameter {name!r} must be {allowed} (got {value!r}).")


def _check_ranks(model: str, N1, N2) -> None:
    if _concrete(N1) and _concrete(N2):
        _require(float(N1) > 0, model, "N1", "> 0 (rank of SU(N1))", N1)
        _require(float(N2) > 0, model, "N2", "> 0 (rank of SU(N2))", N2)


def _check_xi(model: str, name: str, xi) -> None:
    if _concrete(xi):
        _require(float(xi) >= 0, model, name, ">= 0 (ξ ∝ -χ(M) > 0)", xi)


def uplift_remainder(TT, xi):
    """δK of K = -2 log((T+T̄)^{3/2} + ξ/2) = -3 log(T+T̄) + δK, with TT = T + T̄."""
    return -2.0 * jnp.log1p(0.5 * xi * TT**-1.5)


def racetrack(T, A, B, a, b):
    """W_NP = A e^{-aT} + B e^{-bT} of eq. (2.1)."""
    return A * jnp.exp(-a * T) + B * jnp.exp(-b * T)


def racetrack_period(N1, N2):
    """A period of τ: N1·N2 (a multiple of lcm(N1, N2) for integer ranks)."""
    return N1 * N2


def c_hat(a, W0, xi, A):
    """Ĉ = -3 a^{3/2} W0 ξ / (32 √2 A), eq. (2.2)."""
    return -3.0 * a**1.5 * W0 * xi / (32.0 * math.sqrt(2.0) * A)


class AbstractRKU(SupergravityModel):
    """Fields and conventions shared by :class:`RKU` and :class:`RKUHiggs`.

    Parameters in the paper's terms: ``N1``, ``N2`` (ranks, a = 2π/N1, b = 2π/N2,
    β = N1/N2; the paper's Nmax is N1 = Nmax, N2 = Nmax - 1), ``A``, ``B`` (z = A/B),
    ``W0`` (the flux superpotential at its supersymmetric value), ``xi`` (ξ ≥ 0) and
    ``K_cs`` (the frozen -log(S+S̄) - Σ log(U_i+Ū_i); 0 is the normalisation of (2.2)).
    """

    # float64 arrays once canonical, traced under vmap/grad (a model is its parameters)
    W0: float | jax.Array = 1e-4
    A: float | jax.Array = -1.0
    B: float | jax.Array = 1.0
    N1: float | jax.Array = 10.0
    N2: float | jax.Array = 9.0
    xi: float | jax.Array = 1e-3
    K_cs: float | jax.Array = 0.0

    def __check_init__(self):
        name = type(self).__name__
        _check_ranks(name, self.N1, self.N2)
        _check_xi(name, "xi", self.xi)

    @classmethod
    def from_nmax(cls, Nmax, **params):
        """The model with N1 = Nmax, N2 = Nmax - 1 (the smallest β = Nmax/(Nmax-1), §2)."""
        if not float(Nmax) > 1:
            raise ValueError(f"{cls.__name__}: parameter 'Nmax' must be > 1 (got {Nmax!r}).")
        return cls(N1=float(Nmax), N2=float(Nmax) - 1.0, **params)

    @property
    def a(self):
        return TWO_PI / self.N1

    @property
    def b(self):
        return TWO_PI / self.N2

    @property
    def beta(self):
        return self.N1 / self.N2

    @property
    def z(self):
        return self.A / self.B

    @property
    def C_hat(self):
        """Ĉ of eq. (2.2)."""
        return c_hat(self.a, self.W0, self.xi, self.A)

    def kahler_logs(self):
        return {"T": 3.0}

    def periods(self):
        return {"T": racetrack_period(self.N1, self.N2)}


class RKU(AbstractRKU):
    """Racetrack Kähler uplift, eq. (2.1) of seed 000, T dynamical, S and U_i frozen.

    K = -2 log((T+T̄)^{3/2} + ξ/2) + K_cs,  W = W0 + A e^{-2πT/N1} + B e^{-2πT/N2}.
    Parameters (see :class:`AbstractRKU`) may be real or complex; the paper's are real.
    """

    moduli: ClassVar[tuple[str, ...]] = ("T",)
    saxions: ClassVar[tuple[str, ...]] = ("T",)

    def kahler_remainder(self, z, zbar):
        return uplift_remainder(z[0] + zbar[0], self.xi) + self.K_cs

    def superpotential(self, z):
        return self.W0 + racetrack(z[0], self.A, self.B, self.a, self.b)


class RKUReduced(PotentialModel):
    """Large-volume RKU potential λ(x, y) of eq. (2.2), V ≃ -(a³ A W0/2) λ.

    λ = -e^{-x} cos y / x² - (β/z) e^{-βx} cos(βy) / x² + Ĉ / x^{9/2},
    x = a t, y = a τ, β = N1/N2, z = A/B.

    The field metric is the leading-order Kähler metric in (x, y), G = (3/(2x²)) 𝟙
    (L = K_TT̄ |∂T|², K_TT̄ = 3/(4t²)), so the masses jaxvac reports times
    -(a³ A W0/2) are the canonical masses of the full model at leading order; the
    paper's m_x² of (2.4) is the plain second derivative ∂²_x λ (``analysis.hessian``).
    """

    fields: ClassVar[tuple[str, ...]] = ("x", "y")
    positive: ClassVar[tuple[str, ...]] = ("x",)
    beta: float = 1.1111111111111112
    z: float = -0.5
    C: float = 1e-6

    def __check_init__(self):
        if _concrete(self.beta):
            _require(float(self.beta) > 0, "RKUReduced", "beta", "> 0", self.beta)
        if _concrete(self.z):
            _require(float(self.z) != 0, "RKUReduced", "z", "non-zero (z = A/B)", self.z)

    def terms(self, phi):
        x, y = phi[0], phi[1]
        return (
            -jnp.exp(-x) * jnp.cos(y) / x**2,
            -(self.beta / self.z) * jnp.exp(-self.beta * x) * jnp.cos(self.beta * y) / x**2,
            self.C / x**4.5,
        )

    def potential(self, phi):
        t1, t2, t3 = self.terms(phi)
        return t1 + t2 + t3

    def potential_scale(self, phi):
        t1, t2, t3 = self.terms(phi)
        return jnp.abs(t1) + jnp.abs(t2) + jnp.abs(t3)

    def field_metric(self, phi):
        return jnp.eye(2, dtype=phi.dtype) * 1.5 / phi[0] ** 2


class _FluxSector(SupergravityModel):
    """W0(U_i, S) = c1 - S c2 + Σ (b_i - S d_i) U_i, K = -log(S+S̄) - Σ log(U_i+Ū_i).

    The flux sector of eq. (2.1); its supersymmetric solutions D_S W = D_{U_i} W = 0
    give the W0 of the Kähler-modulus problem (eq. (3.9) for h^{2,1} = 2).
    """

    # Subclasses also declare b1..bh, d1..dh (h = h^{2,1}). Real annotations, not strings:
    # Equinox reads AbstractVar when the class is created.
    c1: AbstractVar[float]
    c2: AbstractVar[float]

    def fluxes(self):
        """(c1, c2, b, d) with b, d arrays of length h^{2,1}."""
        h = len(self.moduli) - 1
        b = jnp.stack([jnp.asarray(getattr(self, f"b{i + 1}")) for i in range(h)])
        d = jnp.stack([jnp.asarray(getattr(self, f"d{i + 1}")) for i in range(h)])
        return self.c1, self.c2, b, d

    def kahler_logs(self):
        return {m: 1.0 for m in self.moduli}

    def kahler_remainder(self, z, zbar):
        return jnp.zeros((), dtype=jnp.float64)

    def superpotential(self, z):
        return flux_superpotential(z[0], z[1:], *self.fluxes())


def flux_superpotential(S, U, c1, c2, b, d):
    """W0(U_i, S) = c1 - S c2 + Σ (b_i - S d_i) U_i, eq. (2.1)."""
    return c1 - S * c2 + jnp.sum((b - S * d) * U)


class FluxSector2(_FluxSector):
    """Flux sector with h^{2,1} = 2: moduli S, U1, U2 (eq. (2.1); solution (3.9))."""

    moduli: ClassVar[tuple[str, ...]] = ("S", "U1", "U2")
    saxions: ClassVar[tuple[str, ...]] = ("S", "U1", "U2")
    c1: float = 2.0
    c2: float = 1.0
    b1: float = 1.0
    b2: float = 1.5
    d1: float = -1.0
    d2: float = -0.5


class FluxSector3(_FluxSector):
    """Flux sector with h^{2,1} = 3: moduli S, U1, U2, U3 (eq. (2.1), end of §3)."""

    moduli: ClassVar[tuple[str, ...]] = ("S", "U1", "U2", "U3")
    saxions: ClassVar[tuple[str, ...]] = ("S", "U1", "U2", "U3")
    c1: float = 2.0
    c2: float = 1.0
    b1: float = 1.0
    b2: float = 1.5
    b3: float = 0.7
    d1: float = -1.0
    d2: float = -0.5
    d3: float = -0.8


class RKUDynamical(SupergravityModel):
    """Eq. (2.1) with T, S, U1, U2 all dynamical (h^{2,1} = 2).

    K = -2 log((T+T̄)^{3/2} + ξ(S)/2) - log(S+S̄) - Σ log(U_i+Ū_i),
    ξ(S) = ξ̂ (Re S)^{3/2} (the paper's ξ ∝ -χ(M)(S+S̄)^{3/2}, ξ̂ = -ζ(3)χ/(2(2π)³)),
    W = c1 - S c2 + Σ (b_i - S d_i) U_i + A e^{-aT} + B e^{-bT}.
    """

    moduli: ClassVar[tuple[str, ...]] = ("T", "S", "U1", "U2")
    saxions: ClassVar[tuple[str, ...]] = ("T", "S", "U1", "U2")
    c1: float = 2.0
    c2: float = 1.0
    b1: float = 1.0
    b2: float = 1.5
    d1: float = -1.0
    d2: float = -0.5
    A: float = -1.0
    B: float = 1.0
    N1: float = 10.0
    N2: float = 9.0
    xi_hat: float = 1e-3

    def __check_init__(self):
        _check_ranks("RKUDynamical", self.N1, self.N2)
        _check_xi("RKUDynamical", "xi_hat", self.xi_hat)

    @property
    def a(self):
        return TWO_PI / self.N1

    @property
    def b(self):
        return TWO_PI / self.N2

    def kahler_logs(self):
        return {"T": 3.0, "S": 1.0, "U1": 1.0, "U2": 1.0}

    def kahler_remainder(self, z, zbar):
        s = 0.5 * (z[1] + zbar[1])
        return uplift_remainder(z[0] + zbar[0], self.xi_hat * s**1.5)

    def superpotential(self, z):
        b = jnp.stack([jnp.asarray(self.b1), jnp.asarray(self.b2)])
        d = jnp.stack([jnp.asarray(self.d1), jnp.asarray(self.d2)])
        flux = flux_superpotential(z[1], z[2:], self.c1, self.c2, b, d)
        return flux + racetrack(z[0], self.A, self.B, self.a, self.b)

    def periods(self):
        return {"T": racetrack_period(self.N1, self.N2)}


class RKUHiggs(AbstractRKU):
    """RKU with the Higgs-like field φ, eqs. (2.1), (3.3), (3.4) of seed 000.

    K = -2 log((T+T̄)^{3/2} + ξ/2) + 3α'|φ|²/(T+T̄) + K_cs,
    W = W0 + c_φ + μφ² + ρφ³ + A e^{-aT} + B e^{-bT}.

    ``alpha_p`` is α' in Planck units (φ = (Φ₁-Φ₂)/2 with Φ = Z/(2πα')); the paper's
    (3.5) m_φ² ≈ 2μ²/(9t) holds for ``alpha_p = 1`` — in general the leading canonical
    mass is 2μ²/(9α'² t).
    """

    moduli: ClassVar[tuple[str, ...]] = ("T", "phi")
    saxions: ClassVar[tuple[str, ...]] = ("T",)
    c_phi: float = 0.0
    mu: float = 1e-3
    rho: float = 1.0
    alpha_p: float = 1.0

    def __check_init__(self):
        if _concrete(self.alpha_p):
            _require(float(self.alpha_p) > 0, "RKUHiggs", "alpha_p", "> 0", self.alpha_p)

    def kahler_remainder(self, z, zbar):
        TT = z[0] + zbar[0]
        higgs = 3.0 * self.alpha_p * z[1] * zbar[1] / TT
        return uplift_remainder(TT, self.xi) + higgs + self.K_cs

    def superpotential(self, z):
        T, phi = z[0], z[1]
        w_phi = self.c_phi + self.mu * phi**2 + self.rho * phi**3
        return self.W0 + w_phi + racetrack(T, self.A, self.B, self.a, self.b)


BUILTIN = {
    "rku": RKU,
    "rku-reduced": RKUReduced,
    "rku-flux2": FluxSector2,
    "rku-flux3": FluxSector3,
    "rku-dynamical": RKUDynamical,
    "rku-higgs": RKUHiggs,
}
