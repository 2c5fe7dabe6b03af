"""The one-loop coefficients λ of seed 001 ((45), (47), (57), (71), (140), (152), (153))
against mpmath evaluations of their formulas and the paper's printed numbers (kept here
as data, with their equation). Mismatches are asserted as mismatches, with the values
the paper's own definitions give."""

from __future__ import annotations

import mpmath as mp
import pytest

from jaxvac import special
from jaxvac.special import _loop

PI = mp.pi  # mpmath constant: evaluated at the working precision of each use


@pytest.fixture(autouse=True)
def _thirty_digits():
    with mp.workdps(30):
        yield


def _zeta5():
    return mp.zeta(5)


#: Printed decimals (seed 001): value per unit n_b⁰ − n_f⁰ for (45), (47); λ_pl of (71)
#: (the plain text reads "6.68×10^-5"; its LaTeX alt text is garbled to "68×0^{-5}").
PRINTED_45 = 4.3e-5
PRINTED_47 = 1.5e-4
PRINTED_71 = 6.68e-5


def _rel(a, b):
    return abs(mp.mpf(a) / mp.mpf(b) - 1)


def test_lambda_2led_45_formula_and_its_printed_decimal():
    exact = 1 / (8 * PI**7)
    assert _rel(special.lambda_2led(1), exact) < 1e-15
    assert _rel(special.lambda_2led(), 16 * exact) < 1e-15
    # The printed 4.3e-5 is not 1/(2³π⁷) = 4.139e-5 rounded (3.9% off).
    assert abs(exact - mp.mpf(PRINTED_45)) > mp.mpf("0.05e-5")
    assert abs(exact - mp.mpf("4.1e-5")) < mp.mpf("0.05e-5")


def test_prefactor_140_follows_from_110_and_134():
    """(140)'s 16/(2³π⁷) from 𝒯_deg (134) and V = −M_s⁴𝒯/(2(2π)⁴) (110) after R₉ → 2R₉."""
    assert _rel(special.casimir_prefactor_134(), 16 / (2**3 * PI**7)) < 1e-15


def test_lambda_1led_47_and_153():
    """(47) and (153) against λ_{s,2LED} × lim y²𝓔₃ (the 1LED limit of (140))."""
    implied = 93 * _zeta5() / (2**10 * PI**6)  # per unit n_b⁰ − n_f⁰
    assert _rel(special.lambda_1led(1), implied) < 1e-15
    assert _rel(special.E3_ASYMPTOTIC, 93 * PI * _zeta5() / 128) < 1e-15
    # The printed formula of (47) evaluates to its printed decimal ...
    printed_formula = 93 * _zeta5() / (2048 * PI**5)
    assert _rel(special.lambda_1led_printed(1), printed_formula) < 1e-15
    assert abs(printed_formula - mp.mpf(PRINTED_47)) < mp.mpf("0.05e-4")
    # ... but is π/2 times the value implied by (45) and the series (141).
    assert _rel(printed_formula / implied, PI / 2) < 1e-25
    # (153) prints 93ζ(5)/(32π⁵): 2π times λ_{s,1LED}(16), and 4 times (47)·16.
    assert _rel(_loop.coefficient_153_printed(), 93 * _zeta5() / (32 * PI**5)) < 1e-15
    assert _rel(_loop.coefficient_153_printed() / special.lambda_1led(), 2 * PI) < 1e-14
    assert _rel(_loop.coefficient_153_printed() / special.lambda_1led_printed(), 4) < 1e-14


def test_asymptotic_coefficient_152_as_printed_is_pi_over_8_too_small():
    assert _rel(_loop.E3_ASYMPTOTIC_PRINTED, 3 * PI**2 / 64 * 31 * _zeta5() / 16) < 1e-15
    assert _rel(_loop.E3_ASYMPTOTIC_PRINTED / special.E3_ASYMPTOTIC, PI / 8) < 1e-14


def test_lambda_string_units_57_and_planck_71():
    assert _rel(special.lambda_string_units(1.0), 1 / (2 * PI) ** 4) < 1e-15
    exact = 2 / PI**9  # (4π)²/(2π)⁴ · 16/(2³π⁷)
    assert _rel(special.lambda_planck(), exact) < 1e-15
    # Printed 6.68e-5; the formula gives 6.709e-5 (0.44% higher): not a rounding.
    assert _rel(exact, PRINTED_71) == pytest.approx(0.00439, abs=2e-5)
    assert abs(exact - mp.mpf(PRINTED_71)) > mp.mpf("0.005e-5")
