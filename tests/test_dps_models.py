"""The seven-moduli model of seed 001 and its reduced potentials (jaxvac/models/_dps.py).

Reference values are the paper's closed-form formulas (67)-(69), (83), (91) and formulas
derived by hand in the test (written independently of the model code)."""

import math

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxvac
from jaxvac.models import REGISTRY
from jaxvac.models._dps import (
    DPS,
    DPSAxions,
    DPSGeneralFlux,
    DPSReduced,
    DPSReducedExact,
    eisenstein_e3,
    flux_w0,
    gravitino_mass,
    k1_from_lambda,
    lambda_pl,
    tree_vevs,
)

FLUXES = [
    dict(h0=1.0, h1=1.0, h2=1.0, q13=2.0, q23=2.0, q123=2.0),  # Tables 2 and 3
    dict(h0=3.0, h1=1.0, h2=2.0, q13=5.0, q23=3.0, q123=7.0),
]


@eqx.filter_jit
def _parts(model, y):
    return jaxvac.fterm_parts(model, y)


@eqx.filter_jit
def _grad_V(model, y):
    return jax.grad(lambda yy: jaxvac.fterm_parts(model, yy).V)(y)


def _tree_model(**fluxes):
    return jaxvac.canonical(DPS(A=0.0, B1=0.0, B2=0.0, B3=0.0, k1=0.0, **fluxes))


def test_builtin_names():
    for name in (
        "dps",
        "dps-general",
        "dps-flux",
        "dps-reduced",
        "dps-reduced-exact",
        "dps-axions",
    ):
        assert name in REGISTRY


@pytest.mark.parametrize("fluxes", FLUXES)
def test_tree_vevs_are_f_flat_and_no_scale(fluxes):
    """(67): D_αW_tree = 0 for α = S, T3, U1, U2; V_tree = 0 (no-scale); (68), (69)."""
    m = _tree_model(**fluxes)
    y = m.point(s=7.3, t1=11.0, t2=23.0, u3=3.1, theta_u3=0.2)
    p = _parts(m, y)
    heavy = np.asarray(p.F)[[0, 3, 4, 5]]
    W = complex(p.W)
    assert np.max(np.abs(heavy)) < 1e-14 * abs(W)
    # The no-scale moduli keep F_a = K_a W: |F_T1|² K^{T1T̄1} = |W|².
    assert abs(abs(complex(p.F[1])) * 11.0 - abs(W)) < 1e-13 * abs(W)
    assert abs(float(p.V)) < 1e-14 * float(p.scale)
    f = (fluxes["h0"], fluxes["h1"], fluxes["h2"], fluxes["q13"], fluxes["q23"], fluxes["q123"])
    # W_tree = W0 s on the vevs (68 with W0 S -> W0 s).
    assert abs(W - complex(flux_w0(*f)) * 7.3) < 1e-13 * abs(W)
    # (69) without √(2/π): e^{K/2}|W| = |W0|/sqrt(z u1 u2 t1 t2 u3); closed form of (69):
    hq = math.sqrt(fluxes["h2"] * fluxes["q13"]) + math.sqrt(fluxes["h1"] * fluxes["q23"])
    closed = math.sqrt(hq**2 + fluxes["h0"] * fluxes["q123"]) * math.sqrt(math.pi / 2)
    closed /= math.sqrt(2 * math.pi) * math.sqrt(11.0 * 23.0 * 3.1)
    assert float(p.gravitino_mass) == pytest.approx(closed, rel=1e-13, abs=0)
    assert float(gravitino_mass(11.0, 23.0, 3.1, *f, w_factor=1.0)) == pytest.approx(
        closed, rel=1e-13, abs=0
    )


def test_general_flux_superpotential_reduces_to_66():
    """(204) with the fluxes of footnote 21 set to zero is (66)."""
    rng = np.random.default_rng(1)
    fl = dict(h0=2.0, h1=3.0, h2=-1.0, h3=5.0, q03=-2.0, q13=7.0, q23=1.0, q123=4.0)
    general = DPSGeneralFlux(
        h_lower=(fl["h0"], fl["h1"], fl["h2"], 0.0),
        h_upper=(0.0, 0.0, 0.0, fl["h3"]),
        q_lower=(
            (0.0, 0.0, fl["q03"]),
            (0.0, 0.0, fl["q13"]),
            (0.0, 0.0, fl["q23"]),
            (0.0, 0.0, 0.0),
        ),
        q_upper=((0.0, 0.0, 0.0),) * 3 + ((0.0, 0.0, fl["q123"]),),
    )
    special = DPS(**fl)
    for _ in range(5):
        z = jnp.asarray(rng.uniform(0.2, 3, 7) + 1j * rng.uniform(-1, 1, 7))
        a, b = complex(general.tree_superpotential(z)), complex(special.tree_superpotential(z))
        assert abs(a - b) < 1e-13 * abs(b)


def test_general_flux_every_term():
    """(204) term by term: one flux at a time against the printed monomials."""
    S, T, U = (
        0.7 + 0.3j,
        jnp.asarray([1.1 - 0.2j, 0.9 + 0.4j, 1.3 + 0.1j]),
        jnp.asarray([0.8 + 0.5j, 1.2 - 0.3j, 0.6 + 0.2j]),
    )
    z = jnp.concatenate([jnp.asarray([S]), T, U])
    U1, U2, U3 = (complex(u) for u in U)
    T1, T2, T3 = (complex(t) for t in T)
    zero4, zero43 = (0.0,) * 4, ((0.0,) * 3,) * 4
    cases = [
        (dict(f_lower=(1.0, 0, 0, 0)), 1.0),
        (dict(f_lower=(0, 0, 1.0, 0)), 1j * U2),
        (dict(f_upper=(0, 1.0, 0, 0)), U2 * U3),
        (dict(f_upper=(1.0, 0, 0, 0)), -1j * U1 * U2 * U3),
        (dict(h_lower=(0, 1.0, 0, 0)), -U1 * S),
        (dict(h_upper=(0, 0, 1.0, 0)), 1j * S * U3 * U1),
        (dict(h_upper=(1.0, 0, 0, 0)), -S * U1 * U2 * U3),
        (dict(q_lower=((0, 1.0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0))), -1j * T2),
        (dict(q_lower=((0, 0, 0), (0, 0, 0), (0, 0, 0), (1.0, 0, 0))), -U3 * T1),
        (dict(q_upper=((0, 0, 0), (0, 0, 1.0), (0, 0, 0), (0, 0, 0))), 1j * U2 * U3 * T3),
        (dict(q_upper=((0, 0, 1.0), (0, 0, 0), (0, 0, 0), (0, 0, 0))), U1 * U2 * U3 * T3),
    ]
    for kwargs, expected in cases:
        params = dict(
            f_lower=zero4,
            f_upper=zero4,
            h_lower=zero4,
            h_upper=zero4,
            q_lower=zero43,
            q_upper=zero43,
        )
        params.update(kwargs)
        got = complex(DPSGeneralFlux(**params).tree_superpotential(z))
        assert abs(got - expected) < 1e-14, kwargs


@pytest.mark.parametrize("s", [20.0, 60.0])
def test_exact_fnp_against_hand_derivation(s):
    """f_np = q123/(4 h0 s²) [|s∂_SW - W|² + |t3∂_TW - W|² + 2|W|²] on the vevs (67)."""
    q, h0, alpha, beta, z = 2.0, 1.0, math.pi, 2 * math.pi, 0.5
    for A, B3, b3 in [(0.3, 0.0, 0.0), (0.0, -0.7, 0.03)]:
        red = DPSReducedExact(A=A, B3=B3, b3=b3)
        a = A * math.exp(-alpha * s / 2)
        b = B3 * math.exp(-beta * z * s / 2)
        hand = (
            q
            / (4 * h0 * s**2)
            * (
                ((1 + alpha * s) * a + (1 + b3 * s / 2) * b) ** 2
                + (a + (1 + beta * z * s) * (1 - b3 * s / 2) * b) ** 2
                + 2 * (a + (1 - b3 * s / 2) * b) ** 2
            )
        )
        assert float(red.fnp(s)) == pytest.approx(hand, rel=1e-12, abs=0)
        # (83) keeps the leading power of s of each square.
        approx = float(DPSReduced(A=A, B3=B3, b3=b3).fnp(s))
        if B3 == 0:
            assert approx == pytest.approx(q * alpha**2 * a**2 / (4 * h0), rel=1e-13, abs=0)
            assert hand / approx == pytest.approx(
                1 + 2 / (alpha * s) + 4 / (alpha * s) ** 2, rel=1e-12, abs=0
            )


def test_one_loop_term_matches_71():
    """With k1 = k1_from_lambda, the F-term potential on the vevs is -λ_pl 𝓔₃/(t1 t2)² (71)."""
    lam = lambda_pl(6.6e-4)
    f = (1.0, 1.0, 1.0, 2.0, 2.0, 2.0)
    m = jaxvac.canonical(DPS(A=0.0, B1=0.0, B2=0.0, B3=0.0, k1=float(k1_from_lambda(lam, *f))))
    # t1 t2 small enough for float64: the terms of V are ~1/(t1 t2 u3), V ~ λ𝓔₃/(t1 t2)²
    t1, t2, u3, th = 30.0, 50.0, 6.68, 0.52
    y = m.point(s=40.0, t1=t1, t2=t2, u3=u3, theta_u3=th)
    V = float(_parts(m, y).V)
    E = float(eisenstein_e3(u3 / 2 + 1j * th))
    # Second order in δK_SS ~ k1 u3 𝓔₃/(t1 t2) ~ 1e-8; abs=0: V ~ 1e-11 is far below approx's default abs.
    assert V == pytest.approx(-lam * E / (t1 * t2) ** 2, rel=1e-7, abs=0)


def test_axion_potential_91_against_full_model():
    """(91) times 2/(t t3 u1 u2 u3) is the B1, B2 part of the full potential."""
    base = dict(A=0.0, B3=0.0, k1=0.0, beta1=1.3, beta2=1.7, B1=0.8, B2=1.1)
    m = jaxvac.canonical(DPS(**base))
    m0 = jaxvac.canonical(DPS(**{**base, "B1": 0.0, "B2": 0.0}))
    s, t1, t2, u3 = 6.0, 30.0, 40.0, 2.5
    u1, u2, z = (float(v) for v in tree_vevs(1.0, 1.0, 1.0, 2.0, 2.0, 2.0))
    W0 = complex(flux_w0(1.0, 1.0, 1.0, 2.0, 2.0, 2.0))
    ax = DPSAxions(
        t=t1 * t2,
        B1=0.8,
        B2=1.1,
        beta1=1.3,
        beta2=1.7,
        W0_abs=abs(W0),
        theta_W0=math.atan2(W0.imag, W0.real),
    )
    pref = 2.0 / (t1 * t2 * z * s * u1 * u2 * u3)
    for th1, th2 in [(0.1, 0.4), (1.0, -0.3)]:
        y = m.point(s=s, t1=t1, t2=t2, u3=u3, theta_t1=th1, theta_t2=th2)
        dV = float(_parts(m, y).V) - float(_parts(m0, y).V)
        V91 = float(ax.potential(jnp.asarray([t1, th1, th2])))
        # corrections: |B e^{-βt/2}|² relative ~ e^{-βt/2} ~ 1e-9
        assert dV == pytest.approx(pref * V91, rel=1e-7, abs=0)
        g = np.asarray(_grad_V(m, jnp.asarray(y)))
        g91 = np.asarray(jax.grad(ax.potential)(jnp.asarray([t1, th1, th2])))
        assert g[8] == pytest.approx(pref * g91[1], rel=1e-7, abs=0)  # ∂/∂θ_t1 = ∂/∂Im T1


def test_bad_parameters_are_named():
    with pytest.raises(ValueError, match="alpha"):
        DPS(alpha=-1.0)
    with pytest.raises(ValueError, match="q_lower"):
        DPSGeneralFlux(q_lower=((1.0, 2.0),))
    with pytest.raises(ValueError, match="lambda_pl"):
        DPSReduced(lambda_pl=0.0)
