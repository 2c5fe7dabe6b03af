"""The open-string Wilson-line potential of seed 001, Appendix B ((160)-(174)), against
mpmath's Jacobi theta functions (``mp.jtheta``, independent of jaxvac), and its
critical points and Hessian signs through jaxvac's core analysis (``jaxvac.check``)."""

from __future__ import annotations

import itertools

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

import jaxvac
from jaxvac.models._wilson import WilsonLines
from jaxvac.special import theta

EPS = np.finfo(np.float64).eps
DIRS = (4, 5, 6, 7, 8, 9)


# ---- independent reference (mpmath) -----------------------------------------------------


@pytest.fixture(autouse=True)
def _thirty_digits():
    with mp.workdps(30):  # jtheta converges slowly for t ≪ 1 (q → 1): keep guard digits
        yield


def _factor_mp(I, z, t, derivative=0):
    """d^k/dz^k of the one-direction factor of F: ϑ[0;0](2z) for I = 4..7, ϑ[½;0](2z) for
    I = 8, ϑ[½;0](2z) + ϑ[0;0](2z) for I = 9 (mpmath: ϑ[α;0](w, it) = jtheta(·, πw, e^{−πt}))."""
    q = mp.exp(-mp.pi * t)
    w = 2 * mp.pi * mp.mpf(z)
    scale = (2 * mp.pi) ** derivative
    if I <= 7:
        return scale * mp.jtheta(3, w, q, derivative)
    if I == 8:
        return scale * mp.jtheta(2, w, q, derivative)
    return scale * (mp.jtheta(2, w, q, derivative) + mp.jtheta(3, w, q, derivative))


def _brane_mp(z, t, d2=None):
    """F(z), or ∂²F/∂z_{d2}² when d2 is a direction index (0..5)."""
    return mp.fprod(_factor_mp(I, z[k], t[k], 2 if k == d2 else 0) for k, I in enumerate(DIRS))


def _potential_mp(phi, t, v8=1.0):
    return -v8 * (_brane_mp(phi[:6], t) - _brane_mp(phi[6:], t))


_T_SETS = [
    (1.0,) * 6,
    (0.3, 2.0, 0.7, 1.5, 0.45, 0.8),
    (3.0, 0.12, 1.0, 0.05, 2.5, 0.2),
]


def _model(t, v8=1.0):
    return WilsonLines(**{f"t{i}": v for i, v in zip(DIRS, t)}, v8=v8)


_potential = jax.jit(lambda m, y: m.potential(y))
_gradient = jax.jit(lambda m, y: jax.grad(m.potential)(y))
_hessian = jax.jit(lambda m, y: jax.hessian(m.potential)(y))


# ---- theta functions and the potential ----------------------------------------------------


@pytest.mark.parametrize("alpha,k", [(0.0, 3), (0.5, 2)])
def test_theta_against_mpmath(alpha, k):
    rng = np.random.default_rng(1)
    ws = rng.uniform(-3, 3, 40)
    ts = np.exp(rng.uniform(np.log(0.02), np.log(20), 40))
    ts[:3] = [1.0, 1.0 - 1e-12, 1.0 + 1e-12]  # both sides of the switch to the dual series
    got = np.asarray(theta(jnp.asarray(ws), jnp.asarray(ts), alpha))
    for w, t, g in zip(ws, ts, got):
        ref = mp.jtheta(k, mp.pi * w, mp.exp(-mp.pi * t))
        # absolute error relative to the largest term (≈ max(1, t^-1/2))
        assert abs(g - float(ref)) <= 16 * EPS * max(1.0, t**-0.5)
    with pytest.raises(ValueError, match="alpha"):
        theta(0.1, 1.0, 0.25)


@pytest.mark.parametrize("t", _T_SETS)
def test_potential_against_mpmath(t):
    rng = np.random.default_rng(2)
    model = jaxvac.canonical(_model(t, v8=0.7))
    for _ in range(6):
        phi = rng.uniform(-1, 1, 12)
        ref = _potential_mp(phi, t, v8=0.7)
        scale = 0.7 * (abs(_brane_mp(phi[:6], t)) + abs(_brane_mp(phi[6:], t)))
        assert abs(float(_potential(model, jnp.asarray(phi))) - float(ref)) <= 64 * EPS * scale


def test_builtin_name_and_bad_parameters():
    assert jaxvac.models.REGISTRY["wilson-line"] is WilsonLines
    with pytest.raises(ValueError, match="t8"):
        WilsonLines(t8=0.0)
    with pytest.raises(ValueError, match="v8"):
        WilsonLines(v8=-1.0)


# ---- critical points (167) and Hessian signs (171)-(174) -----------------------------------

#: Stationary values of each direction's factor: {0, ¼} (period ½) for I = 4..7,
#: {0, ½} for I = 8, 9. (167) prints {0, ½} for all I.
_CRITICAL_VALUES = [(0.0, 0.25)] * 4 + [(0.0, 0.5)] * 2


def _sample_critical_points(n, seed):
    rng = np.random.default_rng(seed)
    pts = []
    for _ in range(n):
        brane = lambda: [rng.choice(v) for v in _CRITICAL_VALUES]  # noqa: E731
        pts.append(np.array(brane() + brane(), dtype=float))
    return pts


@pytest.mark.parametrize("t", _T_SETS[1:])
def test_critical_points_and_diagonal_hessian(t):
    """Every combination of stationary values is a critical point ((165)-(167)), the
    Hessian is diagonal there (footnote 37), and its diagonal is −v8 ∂²F(a), +v8 ∂²F(b)
    ((170)-(171)) as mpmath computes it."""
    model = jaxvac.canonical(_model(t))
    for phi in _sample_critical_points(6, seed=int(100 * t[0])):
        report = jaxvac.check(model, jnp.asarray(phi))
        assert report.to_dict()["gradient_norm"] <= 1e-13 * report.to_dict()["V_scale"]
        H = np.asarray(_hessian(model, jnp.asarray(phi)))
        scale = np.max(np.abs(np.diag(H)))
        assert np.max(np.abs(H - np.diag(np.diag(H)))) <= 1e-13 * scale
        for k in range(6):
            lam_a = -_brane_mp(phi[:6], t, d2=k)  # λ_a of (171)
            lam_b = +_brane_mp(phi[6:], t, d2=k)  # λ_b of (171)
            assert abs(H[k, k] - float(lam_a)) <= 1e-12 * scale
            assert abs(H[6 + k, 6 + k] - float(lam_b)) <= 1e-12 * scale


def test_quarter_period_points_are_critical_too():
    """For I = 4..7 the factor ϑ[0;0](2z) has period ½: z = ¼ is stationary (a minimum
    of the factor), a point (167) omits; z = ½ is the same point as 0."""
    t = _T_SETS[1]
    model = jaxvac.canonical(_model(t))
    phi = np.zeros(12)
    phi[0] = 0.25
    g = _gradient(model, jnp.asarray(phi))
    assert np.max(np.abs(np.asarray(g))) <= 1e-14
    assert float(_factor_mp(4, 0.25, t[0], 2)) > 0  # the factor's minimum
    shifted = phi.copy()
    shifted[0] = 0.5
    assert (
        abs(
            float(_potential(model, jnp.asarray(shifted))) - float(_potential(model, jnp.zeros(12)))
        )
        <= 1e-14
    )


@pytest.mark.parametrize("t", _T_SETS)
def test_usp8_so_configuration_is_a_saddle_173(t):
    """a = b = 0 (USp(8) × Π SO(N_i)): λ₀^{(I)} > 0 for all I (173), so the USp Wilson
    lines are massive and the SO ones tachyonic: a saddle with 6 negative directions, and
    V = 0 (the open-string vacuum energy cancels)."""
    model = jaxvac.canonical(_model(t))
    d = jaxvac.check(model, jnp.zeros(12)).to_dict()
    assert d["type"] == "saddle" and d["n_negative"] == 6 and d["n_flat"] == 0
    assert abs(d["V"]) <= d["V_error"]
    lam0 = [-_brane_mp([0] * 6, t, d2=k) for k in range(6)]
    assert all(v > 0 for v in lam0)
    H = np.asarray(_hessian(model, jnp.zeros(12)))
    np.testing.assert_allclose(np.diag(H)[:6], [float(v) for v in lam0], rtol=1e-12)
    np.testing.assert_allclose(np.diag(H)[6:], [-float(v) for v in lam0], rtol=1e-12)


@pytest.mark.parametrize("t", _T_SETS)
def test_so_brane_on_the_o3_plus_is_a_minimum_174(t):
    """b = (0,0,0,0,½,0): the SO brane's eigenvalues flip sign (174) and become +λ₀; with
    a = 0 all 12 directions are massive: a local minimum, degenerate in energy with two
    branes at the origin on the USp stack, V = −2 v8 F(0)."""
    model = jaxvac.canonical(_model(t))
    phi = np.zeros(12)
    phi[6 + 4] = 0.5
    d = jaxvac.check(model, jnp.asarray(phi)).to_dict()
    assert d["type"] == "minimum" and d["n_negative"] == 0 and d["result"] == "successful"
    H = np.asarray(_hessian(model, jnp.asarray(phi)))
    np.testing.assert_allclose(np.diag(H)[6:], np.diag(H)[:6], rtol=1e-13)
    np.testing.assert_allclose(d["V"], float(-2 * _brane_mp([0] * 6, t)), rtol=1e-13)


def test_second_derivative_identities_172():
    """(172): −∂²ϑ[0;0](2z) = 16π² Σ m² q^{m²/2} e^{4πimz} as printed; for ϑ[½;0](2z) the
    correct coefficient is 4π² Σ (2m+1)² q^{(m+½)²/2} e^{2πi(2m+1)z}: the printed
    8π² Σ (2m+1)² q^{(m+½)²/2} 2e^{…} is 4 times too large (signs unaffected)."""
    t, z = mp.mpf("0.7"), mp.mpf("0.13")
    q = mp.exp(-2 * mp.pi * t)  # q = e^{2πiτ}, τ = it
    ms = range(-30, 31)
    lhs00 = -_factor_mp(4, z, t, 2)
    rhs00 = (
        16
        * mp.pi**2
        * mp.fsum(m**2 * q ** (m**2 / mp.mpf(2)) * mp.cos(4 * mp.pi * m * z) for m in ms)
    )
    assert abs(lhs00 / rhs00 - 1) < 1e-14
    lhs12 = -_factor_mp(8, z, t, 2)
    series = mp.fsum(
        (2 * m + 1) ** 2 * q ** ((m + mp.mpf(1) / 2) ** 2 / 2) * mp.cos(2 * mp.pi * (2 * m + 1) * z)
        for m in ms
    )
    assert abs(lhs12 / (4 * mp.pi**2 * series) - 1) < 1e-14
    printed = 8 * mp.pi**2 * 2 * series
    assert abs(printed / lhs12 - 4) < 1e-14


def test_sign_rule_over_all_one_brane_critical_points():
    """At each of the 2⁶ = 64 distinct one-brane critical points (values mod the factors'
    periods), the USp-brane Hessian diagonal matches mpmath in sign and size; the index of
    the a-block is the number of directions where −∂²F < 0."""
    t = _T_SETS[1]
    model = jaxvac.canonical(_model(t))
    pts = np.array([list(c) + [0.0] * 6 for c in itertools.product(*_CRITICAL_VALUES)])
    diag = np.array([np.diag(np.asarray(_hessian(model, jnp.asarray(p))))[:6] for p in pts])
    ref = np.array([[float(-_brane_mp(p[:6], t, d2=k)) for k in range(6)] for p in pts])
    np.testing.assert_allclose(diag, ref, rtol=1e-12, atol=1e-13 * np.max(np.abs(ref)))
    # A USp brane is stable (all −∂²F > 0) only at a = 0: elsewhere some factor sits at
    # its minimum, or z⁸ = ½ makes ϑ[½;0] negative and its own second derivative positive.
    n_min = int(np.sum(np.all(ref > 0, axis=1)))
    assert n_min == 1 and np.all(pts[np.all(ref > 0, axis=1)][0] == 0)
