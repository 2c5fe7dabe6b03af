"""PrepotentialModel: periods from the prepotential, K_cs, monodromy and SL(2,ℤ) invariance."""

import math

import equinox as eqx
import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

import jaxvac
from jaxvac import flux
from jaxvac.flux._builtin import P11169

ZETA3 = float(mp.zeta(3))


@pytest.fixture(scope="module")
def model():
    return jaxvac.canonical(P11169())


def _analytic_periods(z, kappa, a, b, chi, charges, values):
    """Π = (2F − z∂F, ∂F, 1, z) written out by hand (mpmath Li₂, Li₃)."""
    z = [mp.mpc(complex(v)) for v in z]
    h = len(z)
    tpi = 2j * mp.pi
    F = mp.mpc(0)
    dF = [mp.mpc(0)] * h
    for i in range(h):
        for j in range(h):
            for k in range(h):
                F -= kappa[i][j][k] * z[i] * z[j] * z[k] / 6
            F += 0.5 * a[i][j] * z[i] * z[j]
        F += b[i] * z[i]
    F += ZETA3 * chi / (2 * tpi**3)
    for i in range(h):
        dF[i] = (
            b[i]
            + sum(a[i][j] * z[j] for j in range(h))
            - sum(kappa[i][j][k] * z[j] * z[k] for j in range(h) for k in range(h)) / 2
        )
    for q, n in zip(charges, values):
        x = mp.exp(tpi * sum(q[i] * z[i] for i in range(h)))
        F -= n * mp.polylog(3, x) / tpi**3
        for i in range(h):
            dF[i] -= n * q[i] * mp.polylog(2, x) / tpi**2
    F0 = 2 * F - sum(z[i] * dF[i] for i in range(h))
    return np.array([complex(v) for v in [F0, *dF, 1, *z]])


def test_periods_from_prepotential(model):
    z = np.array([0.3 + 1.1j, -0.2 + 0.9j])
    Pi = np.asarray(model.cs_periods(jnp.asarray(z)))
    ref = _analytic_periods(
        z,
        np.asarray(model.kappa),
        np.asarray(model.a),
        np.asarray(model.b),
        float(model.chi),
        np.asarray(model.gv_charges),
        np.asarray(model.gv_values),
    )
    np.testing.assert_allclose(Pi, ref, rtol=1e-13, atol=1e-13)
    # the holomorphic derivative by autodiff against a central difference, once
    f = lambda zz: model.prepotential(zz)
    h = 1e-6
    fd = (f(jnp.asarray(z + [h, 0])) - f(jnp.asarray(z - [h, 0]))) / (2 * h)
    np.testing.assert_allclose(Pi[1], complex(fd), rtol=1e-8)


def test_kahler_volume_closed_form(model):
    # without instantons: e^{-K_cs} = (4/3) κ_abc y^a y^b y^c − ζ(3)χ/(4π³), any Re z
    m = eqx.tree_at(
        lambda t: (t.gv_charges, t.gv_values), model, (jnp.zeros((0, 2)), jnp.zeros((0,)))
    )
    z = jnp.asarray([0.37 + 1.3j, -0.21 + 2.2j])
    Pi = m.cs_periods(z)
    y = np.imag(np.asarray(z))
    kappa = np.asarray(model.kappa)
    want = 4 / 3 * np.einsum("abc,a,b,c->", kappa, y, y, y) - ZETA3 * (-540) / (4 * math.pi**3)
    got = float(flux.kahler_volume(Pi, jnp.conj(Pi)))
    np.testing.assert_allclose(got, want, rtol=1e-13)


def test_metric_positive_in_lcs(model):
    rng = np.random.default_rng(1)
    pts = []
    for _ in range(5):
        z = rng.uniform(-0.5, 0.5, 2) + 1j * rng.uniform(1.0, 4.0, 2)
        pts.append(flux.moduli_to_y(z, 0.1 + rng.uniform(1, 10) * 1j))
    metric = jax.jit(jax.vmap(lambda y: jaxvac.fterm_parts(model, y).metric))(jnp.asarray(pts))
    eig = np.linalg.eigvalsh(np.asarray(metric))
    assert np.all(eig > 0)
    # and K_cs alone is not a metric with the wrong sign of χ deep in the interior
    assert np.all(eig[:, 0] > 1e-6)


_V = eqx.filter_jit(jaxvac.scalar_potential)


def _V_at(model, z, tau):
    return float(_V(model, jnp.asarray(flux.moduli_to_y(z, tau))))


def test_monodromy_is_symplectic_and_leaves_V_invariant(model):
    h = 2
    periods = jax.jit(lambda zz: model.cs_periods(zz))
    z = np.array([0.31 + 1.4j, -0.12 + 1.9j])
    tau = 0.2 + 3.1j
    F = np.array([3.0, -2.0, 5.0, 1.0, 4.0, -7.0])
    H = np.array([1.0, 0.0, 2.0, -1.0, 0.0, 3.0])
    m0 = flux.with_fluxes(model, F, H)
    v0 = _V_at(m0, z, tau)
    assert abs(v0) > 1e-8
    Sigma = flux.symplectic_form(2 * h + 2)
    for e in ([1, 0], [0, 1]):
        T, res = flux.monodromy_matrix(periods, h, e)
        assert res < 1e-12
        np.testing.assert_allclose(T, np.round(T), atol=1e-8)  # integral
        T = np.round(T)
        np.testing.assert_allclose(T.T @ Sigma @ T, Sigma, atol=0)  # symplectic
        F2, H2 = flux.transform_fluxes(T, F, H)
        np.testing.assert_allclose(F2, T @ F, atol=1e-12)
        m1 = flux.with_fluxes(model, np.round(F2), np.round(H2))
        v1 = _V_at(m1, z + np.asarray(e), tau)
        np.testing.assert_allclose(v1, v0, rtol=1e-10)


def test_sl2z_doublet_leaves_V_invariant(model):
    z = np.array([0.31 + 1.4j, -0.12 + 1.9j])
    tau = 0.2 + 3.1j
    F = np.array([3.0, -2.0, 5.0, 1.0, 4.0, -7.0])
    H = np.array([1.0, 0.0, 2.0, -1.0, 0.0, 3.0])
    v0 = _V_at(flux.with_fluxes(model, F, H), z, tau)
    for g in (np.array([[1, 1], [0, 1]]), np.array([[0, -1], [1, 0]]), np.array([[2, 1], [3, 2]])):
        F2, H2 = flux.act_on_fluxes(g, F, H)
        v1 = _V_at(flux.with_fluxes(model, F2, H2), z, complex(flux.act(g, tau)))
        np.testing.assert_allclose(v1, v0, rtol=1e-10)
    # a flux vector that is not the transformed doublet changes V (the test can fail)
    v_wrong = _V_at(flux.with_fluxes(model, F, H + 1), z, tau)
    assert abs(v_wrong - v0) > 1e-6 * abs(v0)


def test_fluxes_are_array_parameters_one_compile(model):
    # vmap over flux vectors through one compiled program
    Fs = jnp.asarray([[7.0, 3, -24, 0, -16, 50], [1.0, 2, 3, 4, 5, 6]])
    Hs = jnp.asarray([[0.0, 3, -4, 0, 0, 0], [0.0, 1, 0, 0, 0, 1]])
    tad = jax.jit(jax.vmap(lambda f, h: flux.with_fluxes(model, f, h).tadpole()))(Fs, Hs)
    # N = F·ΣH = F_top·H_bottom − F_bottom·H_top
    want = (1 * 0 + 2 * 0 + 3 * 1) - (4 * 0 + 5 * 1 + 6 * 0)
    np.testing.assert_array_equal(np.asarray(tad), [248.0, want])


def test_prepotential_model_factory():
    cls = flux.prepotential_model(1)
    assert cls.moduli == ("U1", "S")
    m = cls(
        kappa=(((6.0,),),),
        a=((0.0,),),
        b=(0.0,),
        chi=0.0,
        F=(1.0, 0.0, 0.0, 1.0),
        H=(0.0, 1.0, 0.0, 0.0),
    )
    assert float(m.tadpole()) == -1.0  # (1, 0)·(0, 0) − (0, 1)·(0, 1)
    with pytest.raises(ValueError, match="shape"):
        cls(kappa=(((6.0,),),), a=((0.0,),), b=(0.0,), F=(1.0, 0.0), H=(0.0, 1.0, 0.0, 0.0))


def test_flux_vectors_must_have_the_right_length():
    with pytest.raises(ValueError, match="length 2"):
        flux.RigidFluxModel(F=1.0)
    with pytest.raises(ValueError, match=r"length 6|shape \(6,\)"):
        P11169(H=(0.0, 3.0, -4.0))
    # jaxvac check refuses it in one line, exit 2
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-m", "jaxvac", "check", "flux-rigid", "--set", "F=1", "--at", "S=1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "length 2" in r.stderr
