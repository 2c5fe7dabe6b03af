"""Periods of type IIB flux compactifications: the symplectic form, the period vector of a
prepotential, the large-complex-structure (LCS) prepotential with its α′ and worldsheet-instanton
terms, and the monodromy z → z + e of the LCS periods.

Conventions (written out once in ``docs/flux.md``; they are those of JaxVacua and of
Demirtas–Kim–McAllister–Moritz, arXiv:1912.10047, eq. (4)):

- period vector Π = (F_0, F_a, X^0, X^a) with X^0 = 1, X^a = z^a and F_I = ∂F/∂X^I, i.e.
  F_a = ∂_a F(z), F_0 = 2F − z^a ∂_a F;
- Σ = [[0, 1], [−1, 0]] in blocks of size h+1 (h = h^{2,1});
- e^{−K_cs} = −i Π†ΣΠ (> 0 inside the moduli space), W = (F − τH)·ΣΠ, N_flux = F·ΣH.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

#: ζ(3) to float64.
ZETA3 = 1.2020569031595942


def symplectic_form(n_periods: int):
    """Σ = [[0, 1], [−1, 0]] for a period vector of length ``n_periods`` (= 2h + 2)."""
    m = n_periods // 2
    eye = np.eye(m)
    zero = np.zeros((m, m))
    return np.block([[zero, eye], [-eye, zero]])


def holomorphic_gradient(fun, z):
    """∂f/∂z^a of a holomorphic f at complex z, by autodiff along the real directions."""
    x, y = jnp.real(z), jnp.imag(z)
    return jax.jacfwd(lambda xx: jnp.asarray(fun(xx + 1j * y), jnp.complex128))(x)


def period_vector(prepotential, z):
    """Π = (2F − z·∂F, ∂F, 1, z) of an affine prepotential F(z) (X^0 = 1).

    **Arguments:**

    - ``prepotential``: holomorphic function of the h complex moduli z.
    - ``z``: complex array (h,).

    **Returns:** complex array (2h + 2,).
    """
    z = jnp.asarray(z, jnp.complex128)
    F = jnp.asarray(prepotential(z), jnp.complex128)
    dF = holomorphic_gradient(prepotential, z)
    F0 = 2.0 * F - jnp.dot(z, dF)
    one = jnp.ones((1,), jnp.complex128)
    return jnp.concatenate([F0[None], dF, one, z])


def kahler_volume(Pi, Pibar):
    """e^{−K_cs} = −i Π̄·ΣΠ (real part; positive inside the moduli space)."""
    n = Pi.shape[0] // 2
    # Π̄ᵀ Σ Π = Π̄_top·Π_bottom − Π̄_bottom·Π_top
    val = jnp.dot(Pibar[:n], Pi[n:]) - jnp.dot(Pibar[n:], Pi[:n])
    return jnp.real(-1j * val)


def flux_superpotential(F, H, tau, Pi):
    """W = (F − τH)·ΣΠ (Gukov–Vafa–Witten; eq. (4) of arXiv:1912.10047 without √(2/π))."""
    n = Pi.shape[0] // 2
    G = jnp.asarray(F, jnp.complex128) - tau * jnp.asarray(H, jnp.complex128)
    return jnp.dot(G[:n], Pi[n:]) - jnp.dot(G[n:], Pi[:n])


def tadpole(F, H):
    """N_flux = F·ΣH (signed; positive for imaginary-self-dual flux in these conventions)."""
    F = jnp.asarray(F)
    H = jnp.asarray(H)
    n = F.shape[-1] // 2
    return jnp.sum(F[..., :n] * H[..., n:], -1) - jnp.sum(F[..., n:] * H[..., :n], -1)


def polylog(s: int, x, terms: int):
    """Li_s(x) = Σ_{m=1}^{terms} x^m / m^s (truncated; |x| < 1 in the LCS region)."""
    m = jnp.arange(1, terms + 1, dtype=jnp.float64)
    return jnp.sum(x[..., None] ** m / m**s, -1)


def polylog_exp(s: int, w, terms: int):
    """Li_s(e^w) = Σ_{m=1}^{terms} e^{mw} / m^s (truncated; Re w < 0 in the LCS region).

    Written with e^{mw} rather than (e^w)^m: where e^w underflows to 0 (deep in the LCS
    region, e.g. e^{−1379} at arXiv:2107.09064's vacuum) the power's derivative is
    0·log 0 = NaN, the exponential's is 0.
    """
    m = jnp.arange(1, terms + 1, dtype=jnp.float64)
    return jnp.sum(jnp.exp(w[..., None] * m) / m**s, -1)


def lcs_prepotential(z, kappa, a, b, chi, gv_charges, gv_values, terms: int):
    """The LCS prepotential (affine, X^0 = 1):

    F = −(1/6) κ_abc z^a z^b z^c + ½ a_ab z^a z^b + b_a z^a + ζ(3)χ/(2(2πi)³)
        − (2πi)^{−3} Σ_q n_q Li₃(e^{2πi q·z}),

    with χ the Euler characteristic of the mirror X̃ whose intersection numbers are κ
    (eq. (2.3) of arXiv:1912.10047; b_a = c_a/24 with c_a = ∫c₂ ∧ J_a).
    """
    z = jnp.asarray(z, jnp.complex128)
    cubic = jnp.einsum("abc,a,b,c->", kappa, z, z, z)
    quad = jnp.einsum("ab,a,b->", a, z, z)
    two_pi_i = 2j * math.pi
    const = ZETA3 * chi / (2.0 * two_pi_i**3)
    F = -cubic / 6.0 + 0.5 * quad + jnp.dot(b, z) + const
    if gv_values.shape[0]:
        w = two_pi_i * (gv_charges @ z)
        F = F - jnp.sum(gv_values * polylog_exp(3, w, terms)) / two_pi_i**3
    return F


def monodromy_matrix(periods_at, h: int, shift, *, seed: int = 0):
    """The matrix T with Π(z + e) = T Π(z) for an integer shift e, fitted from the periods
    themselves at 2h + 2 generic points (least squares; exact for polynomial periods).

    **Returns:** (T, residual): T real (2h+2, 2h+2) as fitted (not rounded) and the largest
    |Π(z+e) − TΠ(z)| over the fit points relative to |Π|.
    """
    rng = np.random.default_rng(seed)
    n = 2 * h + 2
    pts = rng.uniform(0.5, 1.5, (2 * n, h)) + 1j * rng.uniform(1.0, 2.0, (2 * n, h))
    e = np.asarray(shift, float)
    P0 = np.stack([np.asarray(periods_at(p)) for p in pts])
    P1 = np.stack([np.asarray(periods_at(p + e)) for p in pts])
    # P1ᵀ = T P0ᵀ: solve with real unknowns from real and imaginary parts together
    A = np.concatenate([np.real(P0), np.imag(P0)])
    B = np.concatenate([np.real(P1), np.imag(P1)])
    Tt, *_ = np.linalg.lstsq(A, B, rcond=None)
    T = Tt.T
    res = np.max(np.abs(P1 - P0 @ T.T)) / np.max(np.abs(P1))
    return T, float(res)


def transform_fluxes(T, F, H):
    """Fluxes (F', H') with W(TΠ; F', H') = W(Π; F, H), G = F, H: the solution of
    TᵀΣᵀG' = ΣᵀG, which is G' = T G when T is symplectic (TᵀΣT = Σ)."""
    n = T.shape[0]
    S = symplectic_form(n)
    A = T.T @ S.T
    Fp = np.linalg.solve(A, S.T @ np.asarray(F, float).T).T
    Hp = np.linalg.solve(A, S.T @ np.asarray(H, float).T).T
    return Fp, Hp
