"""Perturbatively flat vacua: the P[1,1,1,6,9][18] example of arXiv:1912.10047."""

import math

import mpmath as mp
import numpy as np
import pytest

from jaxvac import flux
from jaxvac.flux._builtin import P11169, kappa_array, load_geometry

DATA = load_geometry("p11169")
KAPPA = kappa_array(2, DATA["kappa_nonzero"])


def test_pfv_conditions_of_the_example():
    c = flux.pfv_conditions(KAPPA, DATA["a"], DATA["c2"], DATA["pfv"]["M"], DATA["pfv"]["K"])
    np.testing.assert_allclose(c["N"], [[6, 2], [2, -16]])
    np.testing.assert_allclose(c["p"], [2 / 5, 3 / 10], rtol=1e-14)
    assert c["pfv"] and c["flat"] and c["in_cone"] and c["integral"]
    np.testing.assert_allclose(c["R"], [3, -24])
    assert c["R0"] == 7.0
    F, H = flux.pfv_fluxes(DATA["a"], DATA["c2"], DATA["pfv"]["M"], DATA["pfv"]["K"])
    np.testing.assert_array_equal(F, DATA["pfv"]["F"])  # the printed flux vector
    np.testing.assert_array_equal(H, DATA["pfv"]["H"])
    # signed tadpole F·ΣH = −M·K = 248 = 2 × the printed Q_flux = 124
    assert float(flux.tadpole(F, H)) == 248.0 == -np.dot(DATA["pfv"]["M"], DATA["pfv"]["K"])


def test_pfv_conditions_fail_when_they_should():
    # N singular
    c = flux.pfv_conditions(KAPPA, DATA["a"], DATA["c2"], [-4, 0], [3, -4])
    assert not c["invertible"] and c["p"] is None and not c["pfv"]
    # K·p ≠ 0
    c = flux.pfv_conditions(KAPPA, DATA["a"], DATA["c2"], [-16, 50], [3, -3])
    assert not c["flat"] and not c["pfv"]
    # R_0 = c₂·M/24 not an integer
    c = flux.pfv_conditions(KAPPA, DATA["a"], DATA["c2"], [-16, 51], [3, -4])
    assert not c["integral"]


def test_racetrack_leading_solves_its_equation():
    A, lam = flux.racetrack_terms(
        DATA["gv"]["charges"], DATA["gv"]["values"], DATA["pfv"]["M"], [0.4, 0.3]
    )
    tau0, W = flux.racetrack_leading(A, lam)
    dW = sum(a * 2j * math.pi * l * np.exp(2j * math.pi * l * tau0) for a, l in zip(A, lam))
    assert abs(dW) < 1e-12 * abs(W)
    assert abs(tau0.real) < 1e-12 and 6.8 < tau0.imag < 7.0


@pytest.mark.slow  # ~35-55 s: run by .ci/run after the default suite (10-min budget)
def test_pfv_vacuum_reproduces_the_example():
    out = flux.pfv_vacuum(P11169(), DATA["pfv"]["M"], DATA["pfv"]["K"], digits=40)
    vac, phys = out["vacuum"], out["physicality"]
    assert bool(vac.converged)
    # τ and z of the example (JaxVacua docs print 6.856 i, 2.742 i, 2.057 i; its own vacuum
    # has Im τ = 6.8554018: test_why_jaxvacua_docs_print_im_tau_6_856)
    assert abs(out["tau"].imag - 6.856) < 1e-3 and abs(out["tau"].real) < 1e-8
    np.testing.assert_allclose(out["z"].imag, [2.742, 2.057], atol=1e-3)
    # z = p τ up to instanton corrections
    np.testing.assert_allclose(out["z"].imag / out["tau"].imag, [0.4, 0.3], rtol=1e-5)
    # W0 = √(2/π) e^{K/2}|W|: printed ≈ 2 × 10⁻⁸ (1912.10047), 2.037e-8 (JaxVacua)
    assert abs(phys["W0"] - 2.037e-8) < 1e-11
    assert abs(phys["W0"] - 2e-8) < 0.05e-8
    # the high-precision refinement agrees with float64 and resolves D_aW far below it
    assert out["residual_hp"] < mp.mpf(10) ** -30
    assert abs(float(out["W0_hp"]) / phys["W0"] - 1) < 1e-6
    assert phys["lcs"] and phys["tadpole_ok"] and phys["metric_min_eig"] > 0
    assert phys["instanton_max_q"] < 1e-5


def _im_tau_effective_racetrack(model, p):
    """Im τ where D W_eff = 0 on the flat direction itself (z = pτ held, the 1-d theory
    W_eff(S) = W(pS, S), K_eff = K(pS, S) at real S = Im τ): W_eff' + ½ K_eff' W_eff = 0."""
    import jax
    import jax.numpy as jnp
    from scipy.optimize import brentq

    point = lambda s: jnp.concatenate([jnp.asarray(p) * s, jnp.array([s])])
    w = lambda s: model.superpotential(point(s).astype(jnp.complex128))
    k = lambda s: jnp.real(model.kahler_potential(point(s) + 0j, point(s) + 0j))
    dw = jax.jacfwd(w)

    def f(s):  # W is real up to rounding at Re τ = Re z = 0
        return float(jnp.real(dw(s) + 0.5 * jax.grad(k)(s) * w(s)))

    root = brentq(f, 6.7, 6.95, xtol=1e-13)
    assert isinstance(root, float)
    return root


@pytest.mark.slow  # ~75 s on 2 cores: four 30-digit PFV solves
def test_why_jaxvacua_docs_print_im_tau_6_856():
    """Issue #18: the JaxVacua docs page prints Im τ = 6.856, jaxvac gets 6.855400. JaxVacua's
    code itself does not give 6.856: its own vacuum (70 digits in its tests/notebooks) is that
    of the degree-1 classes with single covers only, Im τ = 6.8554018, and jaxvac with that
    truncation (each Li₃ cut to its first term) reproduces it to 20 digits; the multi-covers
    move it by −1.8e-6 to jaxvac's 6.8554000. No instanton truncation or convention tried
    reaches 6.8555, so none rounds to 6.856."""
    import jaxvac

    jaxvac.enable_x64()
    M, K = DATA["pfv"]["M"], DATA["pfv"]["K"]
    printed = DATA["reference_values"]["jaxvacua_vacuum"]["value"]
    with mp.workdps(80):
        jv = [mp.mpf(printed[k]) for k in ("Im z1", "Im z2", "Im tau")]

    # JaxVacua's truncation: its vacuum to 20 digits (measured: 4.0e-21, the same relative
    # shift in all three coordinates; the multi-cover terms are 2.6e-7)
    single = flux.pfv_vacuum(P11169(li_terms=1), M, K, digits=30)
    assert single["residual_hp"] < mp.mpf(10) ** -25
    with mp.workdps(40):
        dev = [abs(single["y_hp"][i] / jv[i] - 1) for i in range(3)]
    assert max(dev) < mp.mpf("1e-20"), dev

    # the full degree-1 data (jaxvac's target): 6.8553999955 (40-digit value in the report)
    # (high precision: float64 leaves ~3e-8 in Im τ along the racetrack-light direction)
    full = flux.pfv_vacuum(P11169(), M, K, digits=30)
    im_tau = lambda out: float(out["tau_hp"])
    assert abs(im_tau(full) - 6.85539999545586) < 1e-12
    assert abs(float(jv[2]) - im_tau(full) - 1.80233e-6) < 1e-11  # the multi-covers

    # more classes: the true GV invariants to degree 2 (n_(2,0) = 540, n_(0,2) = −6,
    # n_(1,1) = −1080) and JaxVacua's degree-2 model data, whose 'gvs' are GW numbers
    # (607.5 = 540 + 540/8, −5.625 = −6 + 3/8) that it sums with Li₃ as if they were GV
    q2 = ((1.0, 0.0), (0.0, 1.0), (2.0, 0.0), (0.0, 2.0), (1.0, 1.0))
    deg2 = flux.pfv_vacuum(
        P11169(gv_charges=q2, gv_values=(540.0, 3.0, 540.0, -6.0, -1080.0)), M, K, digits=30
    )
    gw2 = flux.pfv_vacuum(
        P11169(gv_charges=q2, gv_values=(540.0, 3.0, 607.5, -5.625, -1080.0)), M, K, digits=30
    )
    assert abs(im_tau(deg2) - 6.85545725771216) < 1e-12
    assert abs(im_tau(gw2) - 6.85545545573037) < 1e-12

    # the 1-d theory on z = pτ (no off-flat-direction shift of z): 6.8553848
    eff = _im_tau_effective_racetrack(P11169(), full["conditions"]["p"])
    assert abs(eff - 6.8553848311) < 1e-8

    # every one of them rounds to 6.855; only the two-term ∂_τW = 0 racetrack (6.909) is
    # above 6.8555, and it is 0.05 away
    values = [float(jv[2]), im_tau(full), im_tau(deg2), im_tau(gw2), eff]
    assert all(6.8545 <= v < 6.8555 for v in values), values
    assert abs(full["tau0"].imag - 6.90924) < 1e-5
