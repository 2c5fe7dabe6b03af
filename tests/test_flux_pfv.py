"""Perturbatively flat vacua: the P[1,1,1,6,9][18] example of arXiv:1912.10047."""

import math

import mpmath as mp
import numpy as np

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


def test_pfv_vacuum_reproduces_the_example():
    out = flux.pfv_vacuum(P11169(), DATA["pfv"]["M"], DATA["pfv"]["K"], digits=40)
    vac, phys = out["vacuum"], out["physicality"]
    assert bool(vac.converged)
    # τ and z of the example (JaxVacua's printed 6.856 i, 2.742 i, 2.057 i: 4 digits)
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
