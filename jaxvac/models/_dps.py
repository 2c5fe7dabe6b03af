"""The seven-moduli model of seed paper 001 (§4; App. C, D) and its reduced potentials.

Seed 001 (``/work/shared/seeds/001_faca987a686c96b8.txt``): type IIB on the freely acting
T⁶/Z₂'×Z₂' orientifold with Scherk–Schwarz breaking, 7 complex moduli S, T1..3, U1..3.

- :class:`DPS` — eq. (77): K = K_tree (55) + δK_SS (73), W = W_tree (66) + W_np (76)
  with the optional B1, B2 instantons of (90). Built-in name ``dps``.
- :class:`DPSGeneralFlux` — the same K and W_np with the general flux superpotential
  (204) of App. C (all H3, F3 and non-geometric Q fluxes). Built-in ``dps-general``.
- :class:`DPSFluxSector` — the tree-level heavy sector (S, U1, U2, T3) with K_tree and
  W_tree: its supersymmetric points D_αW_tree = 0 are the tree-level vevs (67).
- :class:`DPSReduced` / :class:`DPSReducedExact` — the leading-order potential (81) of
  (s, t = t1 t2, u3, θ_u3) with f_np of (83) (large-s form) or the exact first term of
  (80) (``dps-reduced``, ``dps-reduced-exact``).
- :class:`DPSAxions` — the potential (91) of t1, θ_t1, θ_t2 at fixed t (``dps-axions``).

Conventions (decided from the paper's own formulas; ``docs/dps.md`` has the derivations):

- Fields: S = s/2 + iθ_s, T_i = t_i/2 + iθ_ti, U_i = u_i/2 + iθ_ui (54), so
  K_tree = -Σ log(2 Re Φ) = -log s - Σ log t_i - Σ log u_i exactly as (55) and (77).
- W is (77) verbatim: the overall √(2/π) of (64)-(66) is *not* included. Only the
  tree-level gravitino mass (69) depends on that factor (:func:`gravitino_mass`); every
  number of §4.3-4.4 is computed from (81), (83) and (88)-(89), which hold for W as in (77).
- 𝓔₃ enters as 𝓔₃(iU₃) (footnote 23: U_string = i U_sugra), computed by
  :func:`jaxvac.special.E3` in the string convention: Im(iU₃) = Re U₃ = u₃/2.
- On the tree-level vevs W_tree = W0·s with W0 of (68) (not W0·S as (68) prints: the
  factor 2 is needed for (69) to follow from (62)).
- The one-loop coefficient: Ξ(δK_SS) = -6 δK_SS (App. D with the eigen-equation of 𝓔₃), so
  the matching of V_ss (71) gives k1 = λ_pl ⟨z u1 u2⟩ / (6|W0|²) (:func:`k1_from_lambda`),
  not (74) as printed (:func:`k1_eq74`); see ``experiments/results/dps-identity.md``.
"""

from __future__ import annotations

import math
from typing import ClassVar

import equinox as eqx
import jax
import jax.core
import jax.numpy as jnp
import numpy as np

from .._model import PotentialModel, SupergravityModel

PI = math.pi
TWO_PI = 2.0 * math.pi
SQRT_2_OVER_PI = math.sqrt(2 / PI)

#: λ_s of Tables 2 and 3 ("we have used λ_s = 6.6×10⁻⁴").
LAMBDA_S_TABLES = 6.6e-4
#: Moduli of :class:`DPS`, in the order of the real coordinates.
MODULI = ("S", "T1", "T2", "T3", "U1", "U2", "U3")


def _concrete(x) -> bool:
    return not isinstance(x, jax.core.Tracer)


def _require(cond: bool, model: str, name: str, allowed: str, value) -> None:
    if not cond:
        raise ValueError(f"{model}: parameter {name!r} must be {allowed} (got {value!r}).")


def _xp(*args):
    """numpy for plain numbers (exact float64 at import time), jax.numpy otherwise."""
    return jnp if any(isinstance(a, jax.Array) for a in args) else np


def _require_positive(model: str, obj, names) -> None:
    for name in names:
        value = getattr(obj, name)
        if _concrete(value):
            _require(float(np.asarray(value)) > 0, model, name, "> 0", value)


# ---- formulas of §4.2 ----------------------------------------------------------------


def eisenstein_e3(U3):
    """𝓔₃(iU₃) of eqs. (71), (73): :func:`jaxvac.special.E3` at U_string = iU₃."""
    from ..special import E3

    return E3(1j * U3)


def lambda_pl(lambda_s):
    """λ_pl = (4π)² λ_s^{ℓs} = (4π)² λ_s/(2π)⁴ = λ_s/π², eqs. (57), (71)."""
    return lambda_s / PI**2


def tree_vevs(h0, h1, h2, q13, q23, q123):
    """The tree-level vevs (67): ``(u1, u2, z)`` with z = t3/s (all axions vanish)."""
    xp = _xp(h0, h1, h2, q13, q23, q123)
    u1 = 2.0 * xp.sqrt(h0 * q23 / (h1 * q123))
    u2 = 2.0 * xp.sqrt(h0 * q13 / (h2 * q123))
    z = xp.sqrt(h1 * h2 / (q13 * q23))
    return u1, u2, z


def flux_w0(h0, h1, h2, q13, q23, q123):
    """W0 of (68): W_tree = W0·s on the tree-level vevs (complex)."""
    xp = _xp(h0, h1, h2, q13, q23, q123)
    return xp.sqrt(h0 / q123) * (1j * xp.sqrt(h0 * q123) - xp.sqrt(h2 * q13) - xp.sqrt(h1 * q23))


def gravitino_mass(t1, t2, u3, h0, h1, h2, q13, q23, q123, *, w_factor=SQRT_2_OVER_PI):
    """M_3/2 = e^{K/2}|W_tree| on the tree-level vevs (62), in M_Pl units.

    With ``w_factor = √(2/π)`` (the normalisation of (64)-(66)) this is the first
    expression of (69): (2π)^{-1/2} √(q123/h0) |W0| / √(t1 t2 u3).
    """
    u1, u2, z = tree_vevs(h0, h1, h2, q13, q23, q123)
    W0 = flux_w0(h0, h1, h2, q13, q23, q123)
    xp = _xp(t1, t2, u3, u1)
    return w_factor * xp.abs(W0) / xp.sqrt(z * u1 * u2 * t1 * t2 * u3)


def k1_from_lambda(lam_pl, h0, h1, h2, q13, q23, q123):
    """k1 that makes the one-loop term of V equal -λ_pl 𝓔₃/(t1 t2)² (71).

    From (224)-(233): V ⊃ Ξ(δK_SS) e^{K_tree}|W_tree|² with Ξ(δK_SS) = -6 δK_SS and
    e^{K_tree}|W_tree|² = |W0|²/(z u1 u2 · t1 t2 u3), so k1 = λ_pl z u1 u2 / (6|W0|²).
    """
    u1, u2, z = tree_vevs(h0, h1, h2, q13, q23, q123)
    W0 = flux_w0(h0, h1, h2, q13, q23, q123)
    return lam_pl * z * u1 * u2 / (6.0 * abs(W0) ** 2)


def k1_eq74(lam_pl, h0, h1, h2, q13, q23, q123, t3):
    """k1 as printed in (74): λ_pl |W0|⁻² / (6 u1 u2 t3) (kept to show it does not match)."""
    u1, u2, _ = tree_vevs(h0, h1, h2, q13, q23, q123)
    W0 = flux_w0(h0, h1, h2, q13, q23, q123)
    return lam_pl / (6.0 * abs(W0) ** 2 * u1 * u2 * t3)


def fnp_eq83(s, A, B3, b3, alpha, beta3, z, h0, q123):
    """f_np(s) in the weak-coupling form printed in (83)."""
    zb = z * beta3
    return (
        q123
        / (16.0 * h0 * s)
        * (
            4.0 * A**2 * jnp.exp(-alpha * s) * alpha**2 * s
            + B3**2 * jnp.exp(-zb * s) * zb**2 * s * (b3 * s - 2.0) ** 2
            + 4.0
            * A
            * B3
            * jnp.exp(-0.5 * (alpha + zb) * s)
            * ((2.0 + b3 * s) * alpha + (2.0 - b3 * s) * zb)
        )
    )


#: k1 of Tables 2 and 3: λ_s = 6.6×10⁻⁴ and fluxes (h0, h1, h2, q13, q23, q123) = (1, 1, 1, 2, 2, 2).
_K1_DEFAULT = float(k1_from_lambda(lambda_pl(LAMBDA_S_TABLES), 1.0, 1.0, 1.0, 2.0, 2.0, 2.0))


# ---- flux superpotentials -------------------------------------------------------------


def flux_superpotential_66(S, T3, U1, U2, h0, h1, h2, h3, q03, q13, q23, q123):
    """√(π/2) W_tree of eq. (66) (the factor √(2/π) is left out, see module doc)."""
    return S * (1j * h0 - h1 * U1 - h2 * U2 + 1j * h3 * U1 * U2) + T3 * (
        -1j * q03 - U1 * q13 - U2 * q23 + 1j * q123 * U1 * U2
    )


def flux_superpotential_204(S, T, U, f_lower, f_upper, h_lower, h_upper, q_lower, q_upper):
    """√(π/2) W_tree of eq. (204), general H3, F3 and Q fluxes on T⁶/Z₂×Z₂.

    ``f_lower = (f_0, f_1, f_2, f_3)``, ``f_upper = (f^0, f^1, f^2, f^3)`` and the same
    for h; ``q_lower[K, i] = q_K^i`` and ``q_upper[K, i] = q^{Ki}`` (K = 0..3, i = 1..3).
    ``T``, ``U``: arrays of the three T_i and U_i. σ_{ljk} = 1 for {l,j,k} = {1,2,3}.
    """
    fl, fu = jnp.asarray(f_lower), jnp.asarray(f_upper)
    hl, hu = jnp.asarray(h_lower), jnp.asarray(h_upper)
    ql, qu = jnp.asarray(q_lower), jnp.asarray(q_upper)
    # Coefficient of each period: c_K = f + i h S + i q·T (with the signs of (204)).
    lower = fl + 1j * hl * S + 1j * (ql @ T)  # (f_K + i h_K S + i q_K^k T_k)
    upper = fu + 1j * hu * S + 1j * (qu @ T)  # (f^K + i h^K S + i q^{Km} T_m)
    U1, U2, U3 = U[0], U[1], U[2]
    pairs = jnp.stack([U2 * U3, U3 * U1, U1 * U2])  # ½ σ_{ljk} U_j U_k for l = 1, 2, 3
    return (
        fl[0]
        + 1j * hl[0] * S
        - 1j * (ql[0] @ T)
        + 1j * jnp.sum(U * lower[1:])
        + jnp.sum(pairs * upper[1:])
        + 1j * U1 * U2 * U3 * (-fu[0] + 1j * hu[0] * S - 1j * (qu[0] @ T))
    )


# ---- the seven-moduli models -----------------------------------------------------------


class AbstractDPS(SupergravityModel):
    """K = K_tree + δK_SS (55), (73) and W = W_tree + W_np (76), (90) on S, T1..3, U1..3.

    Subclasses define :meth:`tree_superpotential` (the flux part). Defaults are the
    non-perturbative parameters of Table 2 and k1 matched to λ_s = 6.6×10⁻⁴.
    """

    moduli: ClassVar[tuple[str, ...]] = MODULI
    saxions: ClassVar[tuple[str, ...]] = MODULI
    A: float = 9.99e-3
    alpha: float = PI
    B1: float = 1.0
    B2: float = 1.0
    B3: float = -0.70
    b1: float = 0.0
    b2: float = 0.0
    b3: float = 0.048
    beta1: float = TWO_PI
    beta2: float = TWO_PI
    beta3: float = TWO_PI
    k1: float = _K1_DEFAULT

    def __check_init__(self):
        super().__check_init__()
        _require_positive(type(self).__name__, self, ("alpha", "beta1", "beta2", "beta3"))

    def kahler_logs(self):
        """K_tree = -Σ log(Φ + Φ̄) over the seven moduli (55): all no-scale logs."""
        return {m: 1.0 for m in MODULI}

    def kahler_remainder(self, z, zbar):
        """δK_SS = k1 (U3+Ū3) 𝓔₃(iU3) / ((T1+T̄1)(T2+T̄2)), eq. (73)."""
        t1 = jnp.real(z[1] + zbar[1])
        t2 = jnp.real(z[2] + zbar[2])
        u3 = jnp.real(z[6] + zbar[6])
        return self.k1 * u3 * eisenstein_e3(z[6]) / (t1 * t2)

    def tree_superpotential(self, z):
        raise NotImplementedError

    def np_superpotential(self, z):
        """W_np = A e^{-αS} + Σ_i B_i (1 - b_i S) e^{-β_i T_i}, eqs. (76), (90)."""
        S, T1, T2, T3 = z[0], z[1], z[2], z[3]
        return (
            self.A * jnp.exp(-self.alpha * S)
            + self.B1 * (1.0 - self.b1 * S) * jnp.exp(-self.beta1 * T1)
            + self.B2 * (1.0 - self.b2 * S) * jnp.exp(-self.beta2 * T2)
            + self.B3 * (1.0 - self.b3 * S) * jnp.exp(-self.beta3 * T3)
        )

    def superpotential(self, z):
        return self.tree_superpotential(z) + self.np_superpotential(z)

    def periods(self):
        # W depends on T1, T2 only through e^{-β T}; K on U3 through 𝓔₃(iU3), period 1.
        return {"T1": TWO_PI / self.beta1, "T2": TWO_PI / self.beta2, "U3": 1.0}


class _Fluxes66(eqx.Module):
    """The flux integers of (66) (defaults: Tables 2 and 3) and W_tree."""

    h0: float = 1.0
    h1: float = 1.0
    h2: float = 1.0
    h3: float = 0.0
    q03: float = 0.0
    q13: float = 2.0
    q23: float = 2.0
    q123: float = 2.0

    def flux_superpotential(self, S, T3, U1, U2):
        return flux_superpotential_66(
            S,
            T3,
            U1,
            U2,
            self.h0,
            self.h1,
            self.h2,
            self.h3,
            self.q03,
            self.q13,
            self.q23,
            self.q123,
        )


class DPS(AbstractDPS, _Fluxes66):
    """The full model of eq. (77) of seed 001 (built-in ``dps``).

    K = -Σ_i log(U_i+Ū_i) - Σ_i log(T_i+T̄_i) - log(S+S̄) + k1 (U3+Ū3) 𝓔₃(iU3)/((T1+T̄1)(T2+T̄2)),
    W = S(i h0 - h1 U1 - h2 U2 + i h3 U1U2) + T3(-i q03 - q13 U1 - q23 U2 + i q123 U1U2)
        + A e^{-αS} + Σ_i B_i (1 - b_i S) e^{-β_i T_i}.

    Flux integers are ``h0, h1, h2, h3`` (h_0, h_1, h_2, h^3) and ``q03, q13, q23, q123``
    (q_0^3, q_1^3, q_2^3, q_12^3) of (66); the defaults are Tables 2 and 3. The
    tree-level F-terms D_αW = 0 need h3 = q03 = 0 (67). ``k1`` defaults to
    :func:`k1_from_lambda` at λ_s = 6.6×10⁻⁴; :meth:`from_lambda` sets it for any λ_pl.
    """

    def tree_superpotential(self, z):
        return self.flux_superpotential(z[0], z[3], z[4], z[5])

    @classmethod
    def from_lambda(cls, lambda_pl_value=None, **params) -> DPS:
        """DPS with k1 = :func:`k1_from_lambda` (λ_pl defaults to λ_s = 6.6×10⁻⁴ / π²)."""
        if "k1" in params:
            raise ValueError("DPS.from_lambda: give lambda_pl_value, not k1.")
        lam = lambda_pl(LAMBDA_S_TABLES) if lambda_pl_value is None else lambda_pl_value
        probe = cls(**params)
        k1 = float(k1_from_lambda(lam, *probe.flux_integers()))
        return cls(k1=k1, **params)

    def flux_integers(self):
        """(h0, h1, h2, q13, q23, q123): the fluxes entering (67)-(69)."""
        return self.h0, self.h1, self.h2, self.q13, self.q23, self.q123

    def tree_vevs(self):
        """(u1, u2, z) of (67)."""
        return tree_vevs(*self.flux_integers())

    def w0(self):
        """W0 of (68)."""
        return flux_w0(*self.flux_integers())

    def flux_sector(self) -> DPSFluxSector:
        """The tree-level heavy sector (S, U1, U2, T3) with this model's fluxes."""
        return DPSFluxSector(
            h0=self.h0,
            h1=self.h1,
            h2=self.h2,
            h3=self.h3,
            q03=self.q03,
            q13=self.q13,
            q23=self.q23,
            q123=self.q123,
        )

    def point(self, *, s, t1, t2, u3, theta_u3=0.0, theta_t1=0.0, theta_t2=0.0):
        """Real coordinates y of the point with the heavy moduli on their tree-level vevs
        (67) (θ_s = θ_t3 = θ_u1 = θ_u2 = 0, t3 = z s) and the given light moduli."""
        u1, u2, z = (float(v) for v in self.tree_vevs())
        re = [s / 2, t1 / 2, t2 / 2, z * s / 2, u1 / 2, u2 / 2, u3 / 2]
        im = [0.0, theta_t1, theta_t2, 0.0, 0.0, 0.0, theta_u3]
        return np.asarray(re + im, dtype=np.float64)


def _zeros(n):
    return tuple(0.0 for _ in range(n))


class DPSGeneralFlux(AbstractDPS):
    """K and W_np of (77) with the general flux superpotential (204) (built-in ``dps-general``).

    Flux arrays (tuples): ``f_lower = (f_0, f_1, f_2, f_3)``, ``f_upper = (f^0, .., f^3)``,
    ``h_lower``, ``h_upper`` likewise, ``q_lower[K][i] = q_K^i``, ``q_upper[K][i] = q^{Ki}``
    (K = 0..3, i = 1..3). The defaults are the fluxes of Tables 2 and 3 written in (204):
    h_0 = 1, h_1 = h_2 = 1, q_1^3 = q_2^3 = 2, q^{33} = q_12^3 = 2, so that the model equals
    :class:`DPS` (footnote 21 lists the fluxes that (66) sets to zero).
    """

    f_lower: tuple = _zeros(4)
    f_upper: tuple = _zeros(4)
    h_lower: tuple = (1.0, 1.0, 1.0, 0.0)
    h_upper: tuple = _zeros(4)
    q_lower: tuple = ((0.0, 0.0, 0.0), (0.0, 0.0, 2.0), (0.0, 0.0, 2.0), (0.0, 0.0, 0.0))
    q_upper: tuple = ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0), (0.0, 0.0, 0.0), (0.0, 0.0, 2.0))

    def __check_init__(self):
        super().__check_init__()
        shapes = {
            "f_lower": (4,),
            "f_upper": (4,),
            "h_lower": (4,),
            "h_upper": (4,),
            "q_lower": (4, 3),
            "q_upper": (4, 3),
        }
        for name, shape in shapes.items():
            value = getattr(self, name)
            if all(_concrete(v) for v in jax.tree.leaves(value)):
                try:
                    got = np.shape(np.array(value, dtype=np.float64))
                except (TypeError, ValueError):
                    got = None
                _require(
                    got == shape, "DPSGeneralFlux", name, f"a real array of shape {shape}", value
                )

    def tree_superpotential(self, z):
        S = z[0]
        T = jnp.stack([z[1], z[2], z[3]])
        U = jnp.stack([z[4], z[5], z[6]])
        arr = lambda v: jnp.asarray(jax.tree.map(jnp.asarray, v), dtype=jnp.float64)  # noqa: E731
        return flux_superpotential_204(
            S,
            T,
            U,
            arr(self.f_lower),
            arr(self.f_upper),
            arr(self.h_lower),
            arr(self.h_upper),
            arr(self.q_lower),
            arr(self.q_upper),
        )


class DPSFluxSector(SupergravityModel, _Fluxes66):
    """The tree-level sector (S, U1, U2, T3): K = -log(S+S̄) - Σ log(U_j+Ū_j) - log(T3+T̄3),
    W = W_tree (66). Its supersymmetric points D_αW = 0 are the vevs (67)
    (built-in ``dps-flux``); in :class:`DPS` they are the F-flat heavy directions."""

    moduli: ClassVar[tuple[str, ...]] = ("S", "U1", "U2", "T3")
    saxions: ClassVar[tuple[str, ...]] = ("S", "U1", "U2", "T3")

    def kahler_logs(self):
        return {m: 1.0 for m in self.moduli}

    def kahler_remainder(self, z, zbar):
        return jnp.zeros((), dtype=jnp.float64)

    def superpotential(self, z):
        return self.flux_superpotential(z[0], z[3], z[1], z[2])


# ---- reduced potentials ------------------------------------------------------------------


class AbstractDPSReduced(PotentialModel):
    """V(s, t, u3, θ_u3) = f_np(s)/(t u3) - λ_pl 𝓔₃(iU3)/t², eq. (81), t = t1 t2,
    U3 = u3/2 + iθ_u3, heavy moduli on their tree-level vevs (67).

    The kinetic metric is that of K_tree with t1 = t2 = √t:
    L = (∂s)²/(4s²) + (∂t)²/(8t²) + (∂u3)²/(4u3²) + (∂θ)²/u3².
    """

    fields: ClassVar[tuple[str, ...]] = ("s", "t", "u3", "theta_u3")
    positive: ClassVar[tuple[str, ...]] = ("s", "t", "u3")
    h0: float = 1.0
    h1: float = 1.0
    h2: float = 1.0
    q13: float = 2.0
    q23: float = 2.0
    q123: float = 2.0
    A: float = 9.99e-3
    alpha: float = PI
    B3: float = -0.70
    b3: float = 0.048
    beta3: float = TWO_PI
    lambda_pl: float = LAMBDA_S_TABLES / PI**2

    def __check_init__(self):
        super().__check_init__()
        _require_positive(type(self).__name__, self, ("alpha", "beta3", "lambda_pl"))

    def fnp(self, s):
        raise NotImplementedError

    def potential(self, phi):
        s, t, u3, theta = phi[0], phi[1], phi[2], phi[3]
        e3 = eisenstein_e3(0.5 * u3 + 1j * theta)
        return self.fnp(s) / (t * u3) - self.lambda_pl * e3 / t**2

    def field_metric(self, phi):
        s, t, u3 = phi[0], phi[1], phi[2]
        return jnp.diag(jnp.stack([0.5 / s**2, 0.25 / t**2, 0.5 / u3**2, 2.0 / u3**2]))

    def periods(self):
        return {"theta_u3": 1.0}

    def tree_vevs(self):
        return tree_vevs(self.h0, self.h1, self.h2, self.q13, self.q23, self.q123)


class DPSReduced(AbstractDPSReduced):
    """Eq. (81) with f_np(s) in the weak-coupling form (83) (built-in ``dps-reduced``)."""

    def fnp(self, s):
        _, _, z = self.tree_vevs()
        return fnp_eq83(s, self.A, self.B3, self.b3, self.alpha, self.beta3, z, self.h0, self.q123)


class DPSReducedExact(AbstractDPSReduced):
    """Eq. (81) with the exact f_np(s) (built-in ``dps-reduced-exact``).

    f_np(s) = t1 t2 u3 · e^{K_tree} K_tree^{αβ̄} D_α^{(0)}W_np D̄_β̄^{(0)}W̄_np (the first term
    of (80)) on the vevs (67), computed by autodiff as t1 t2 u3 times the F-term
    potential of :class:`DPS` with W = W_np and K = K_tree (the no-scale moduli add
    exactly 3|W_np|², cancelling -3|W_np|²).
    """

    def fnp(self, s):
        return fnp_exact(s, self)


def fnp_exact(s, reduced: AbstractDPSReduced):
    """The exact f_np(s) of :class:`DPSReducedExact` (independent of t1, t2, u3)."""
    from .._potential import fterm_parts

    u1, u2, z = reduced.tree_vevs()
    np_only = DPS(
        h0=0.0,
        h1=0.0,
        h2=0.0,
        h3=0.0,
        q03=0.0,
        q13=0.0,
        q23=0.0,
        q123=0.0,
        A=reduced.A,
        alpha=reduced.alpha,
        B1=0.0,
        B2=0.0,
        B3=reduced.B3,
        b3=reduced.b3,
        beta3=reduced.beta3,
        k1=0.0,
    )
    one = jnp.ones_like(s)
    re = jnp.stack([s / 2, one / 2, one / 2, z * s / 2, u1 / 2 * one, u2 / 2 * one, one / 2])
    y = jnp.concatenate([re, jnp.zeros_like(re)])
    return fterm_parts(np_only, y).V_F  # t1 = t2 = u3 = 1


class DPSAxions(PotentialModel):
    """V(t1, θ_t1, θ_t2) of eq. (91) at fixed t = t1 t2 (built-in ``dps-axions``):

    V = |W0| [B1 β1 t1 e^{-β1 t1/2} cos(β1 θ_t1 + θ_W0) + B2 β2 (t/t1) e^{-β2 t/(2 t1)} cos(β2 θ_t2 + θ_W0)].

    The full potential gives this up to the positive constant factor
    2/(t ⟨t3 u1 u2 u3⟩) (``docs/dps.md``). Defaults: Table 2 (t = (6.4×10²⁸)², W0 = -2 + i);
    there V ~ e^{-10²⁹}, far below float64: evaluate with the high-precision path.
    """

    fields: ClassVar[tuple[str, ...]] = ("t1", "theta_t1", "theta_t2")
    positive: ClassVar[tuple[str, ...]] = ("t1",)
    t: float = 4.096e57
    B1: float = 1.0
    B2: float = 1.0
    beta1: float = TWO_PI
    beta2: float = TWO_PI
    W0_abs: float = math.sqrt(5.0)
    theta_W0: float = math.atan2(1.0, -2.0)

    def __check_init__(self):
        super().__check_init__()
        _require_positive("DPSAxions", self, ("t", "beta1", "beta2", "W0_abs"))

    def potential(self, phi):
        t1, th1, th2 = phi[0], phi[1], phi[2]
        t2 = self.t / t1
        return self.W0_abs * (
            self.B1
            * self.beta1
            * t1
            * jnp.exp(-0.5 * self.beta1 * t1)
            * jnp.cos(self.beta1 * th1 + self.theta_W0)
            + self.B2
            * self.beta2
            * t2
            * jnp.exp(-0.5 * self.beta2 * t2)
            * jnp.cos(self.beta2 * th2 + self.theta_W0)
        )

    def periods(self):
        return {"theta_t1": TWO_PI / self.beta1, "theta_t2": TWO_PI / self.beta2}


BUILTIN = {
    "dps": DPS,
    "dps-general": DPSGeneralFlux,
    "dps-flux": DPSFluxSector,
    "dps-reduced": DPSReduced,
    "dps-reduced-exact": DPSReducedExact,
    "dps-axions": DPSAxions,
}
