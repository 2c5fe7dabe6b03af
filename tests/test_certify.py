"""Certified critical points: Arb ball arithmetic through the jaxpr interpreter, the
Krawczyk test, verified inertia, and branch and bound (jaxvac/_certify, docs/certify.md).

References are computed here without the code under test: mpmath at high precision,
closed forms (the double well's cubics, KKLT's potential written out by hand in
tests/search_models.py)."""

from __future__ import annotations

import json
import math
import os
from typing import ClassVar

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest
import search_models as sm
from flint import arb

import jaxvac
from jaxvac._certify._arb import (
    BallFunction,
    CertifyError,
    UndecidedComparison,
    working_precision,
)
from jaxvac._certify._balls import inertia
from jaxvac._certify._region import krawczyk_box
from jaxvac._interpret import CONSTANTS
from jaxvac.cli import main

HERE = os.path.dirname(os.path.abspath(__file__))
UPLIFT_SPEC = os.path.join(os.path.dirname(HERE), sm.KKLT_UPLIFT)


def _mp(x: arb):
    m, e = x.mid().man_exp()
    return mp.mpf((int(m), int(e)))


def _contains(ball: arb, value) -> bool:
    """ball ∋ value (mpmath number), decided with mpmath at high precision."""
    with working_precision(4000), mp.workdps(1300):  # endpoints are rounded at Arb's precision
        lo, hi = _mp(ball.lower()), _mp(ball.upper())
        return lo <= value <= hi


# ---- the arithmetic ------------------------------------------------------------------------


def _mixed(x):
    z = x[0] + 1j * x[1]
    a = jnp.exp(-0.1 * x[0]) * jnp.log(x[1]) + x[0] ** 3 / x[1] ** 2 + jnp.sqrt(x[0])
    b = jnp.sin(x[0]) * jnp.cos(x[1]) + jnp.power(x[1], 1.5) + jnp.tanh(x[0] / 7)
    c = jnp.real(jnp.exp(-0.3 * z) * jnp.conj(z) / (z + 2.0)) + jnp.abs(jnp.log(z))
    return jnp.stack([a, b, c, jnp.pi * x[0]])


def _mixed_mp(x0, x1):
    z = mp.mpc(x0, x1)
    return [
        mp.exp(-x0 / 10) * mp.log(x1) + x0**3 / x1**2 + mp.sqrt(x0),
        mp.sin(x0) * mp.cos(x1) + mp.power(x1, mp.mpf(3) / 2) + mp.tanh(x0 / 7),
        mp.re(mp.exp(-3 * z / 10) * mp.conj(z) / (z + 2)) + abs(mp.log(z)),
        mp.pi * x0,
    ]


def test_point_values_enclose_mpmath():
    f = BallFunction(_mixed)
    out = f(np.array([1.25, 0.75]), bits=400)
    with mp.workdps(120):
        ref = _mixed_mp(mp.mpf(1.25), mp.mpf(0.75))
    for ball, r in zip(out, ref):
        assert _contains(ball, r)
        assert float(ball.rad().mid()) < 1e-100  # 400 bits: tight
    # constants are exact: 0.1 is 1/10 (the float64 0.1 differs at 1e-18)
    g = BallFunction(lambda x: 0.1 * x[0])
    v = g(np.array([1.0]), bits=300).item()
    with mp.workdps(100):
        assert _contains(v, mp.mpf(1) / 10) and not _contains(v, mp.mpf(0.1))


def test_mpmath_and_decimal_inputs_are_exact():
    from jaxvac._certify._arb import to_ball

    with working_precision(200):
        for v in (mp.mpf(-1.5), mp.mpf(3) / 7, -(mp.mpf(2) ** -70), mp.mpc(-0.25, 0.5)):
            b = to_ball(v)
            parts = [(b.real, v.real), (b.imag, v.imag)] if isinstance(v, mp.mpc) else [(b, v)]
            for ball, x in parts:
                assert ball.is_exact() and _contains(ball, x)
    with working_precision(200), mp.workdps(100):
        assert _contains(to_ball("-0.1"), -mp.mpf(1) / 10)  # an enclosure of the decimal


def test_box_values_enclose_every_point():
    f = BallFunction(_mixed)
    with working_precision(128):
        X = np.array([arb(1.25, 0.05), arb(0.75, 0.05)], dtype=object)
    out = f(X, bits=128)
    rng = np.random.default_rng(0)
    with mp.workdps(60):
        for _ in range(25):
            x0, x1 = 1.25 + 0.1 * (rng.random() - 0.5), 0.75 + 0.1 * (rng.random() - 0.5)
            for ball, r in zip(out, _mixed_mp(mp.mpf(x0), mp.mpf(x1))):
                assert _contains(ball, r)


def test_derivatives_enclose_closed_form():
    # d²/dx² of x^-3 e^{-ax}: the Hessian jaxpr of JAX's autodiff, in balls
    f = BallFunction(lambda x: jax.hessian(lambda y: y[0] ** -3 * jnp.exp(-0.1 * y[0]))(x))
    h = f(np.array([7.0]), bits=300)[0, 0]
    with mp.workdps(100):
        x, a = mp.mpf(7), mp.mpf(1) / 10
        ref = mp.exp(-a * x) * (12 / x**5 + 6 * a / x**4 + a**2 / x**3)
    assert _contains(h, ref)


def test_integer_powers_of_balls_around_zero():
    # python-flint's ** gives nan on a ball holding 0; the rule multiplies out instead
    f = BallFunction(lambda x: jnp.stack([x[0] ** 2, x[0] ** 3, (x[0] + 1j) ** 2, x[0] ** 2.0]))
    with working_precision(100):
        X = np.array([arb(0, 1e-3)], dtype=object)
    out = f(X, bits=100)
    assert all(v.is_finite() for v in out[:2]) and out[2].is_finite() and out[3].is_finite()
    with working_precision(100):
        assert out[0].contains(arb(1e-6)) and out[0].contains(0) and out[1].contains(arb(-1e-9))
        assert abs(out[0]) < arb(1.1e-6)


def test_undecided_comparison_is_refused():
    f = BallFunction(lambda x: jnp.where(x[0] > 0.0, x[0], -x[0]))
    with working_precision(64):
        straddle = np.array([arb(0, 1)], dtype=object)
        positive = np.array([arb(1, 0.5)], dtype=object)
    with pytest.raises(UndecidedComparison, match="not decided"):
        f(straddle, bits=64)
    assert _contains(f(positive, bits=64).item(), mp.mpf(1))


def test_refused_primitives_are_named():
    f = BallFunction(lambda x: jnp.sort(x))
    with pytest.raises(CertifyError, match="'sort'"):
        f(np.array([2.0, 1.0]), bits=64)
    g = BallFunction(lambda x: jnp.linalg.eigh(jnp.diag(x))[0])
    with pytest.raises(CertifyError, match="not supported|refused"):
        g(np.array([2.0, 1.0]), bits=64)


def test_every_exact_constant_has_a_ball():
    from jaxvac._certify._arb import arb_constant

    assert "zeta(5)" in CONSTANTS  # in the table itself: importing jaxvac.special changes nothing

    with working_precision(200), mp.workdps(70):
        for name, value in CONSTANTS.items():
            assert _contains(arb_constant(name), value()), name


def test_inertia_gershgorin():
    with working_precision(128):
        A = np.array([[arb(2), arb(1, 0.01)], [arb(1, 0.01), arb(-3)]], dtype=object)
        res = inertia(A)
        assert res.proved and (res.n_negative, res.n_positive) == (1, 1)
        S = np.array([[arb(1), arb(1)], [arb(1), arb(1, 0.1)]], dtype=object)  # holds singular
        assert not inertia(S).proved


# ---- points -------------------------------------------------------------------------------------


class FlatAxion(jaxvac.PotentialModel):
    """V = (x² − 1)² + 1 with y absent: an exactly flat periodic direction."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")

    def potential(self, phi):
        return (phi[0] ** 2 - 1) ** 2 + 1.0

    def periods(self):
        return {"y": 2 * math.pi}


class Valley(jaxvac.PotentialModel):
    """V = (x − y)² + 1: a flat valley that is not a coordinate direction."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")

    def potential(self, phi):
        return (phi[0] - phi[1]) ** 2 + 1.0


class Cancelling(jaxvac.PotentialModel):
    """V = 10⁴⁰((1 + 10⁻²⁰x)² − 1 − 2·10⁻²⁰x) + (y² − 1)² + ½ = x² + (y² − 1)² + ½, written
    so that ~40 digits cancel: a minimum at (0, ±1) that 30 digits cannot see."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")

    def potential(self, phi):
        x, y = phi[0], phi[1]
        return 1e40 * ((1.0 + 1e-20 * x) ** 2 - 1.0 - 2e-20 * x) + (y**2 - 1) ** 2 + 0.5


def test_precision_is_raised_until_the_proof_goes_through():
    c = jaxvac.certify(Cancelling(), {"x": 0.005, "y": 1.01}, digits=30)
    assert all(c.proved.values()), c.unproved
    assert c.digits == 60 and c.critical_type == "minimum"
    with working_precision(c.bits):
        assert c.enclosure[0].contains(0) and c.enclosure[1].contains(1)
    low = jaxvac.certify(Cancelling(), {"x": 0.005, "y": 1.01}, digits=30, max_digits=30)
    assert not all(low.proved.values()) and low.unproved and low.digits == 30


class NeedsDigits(jaxvac.PotentialModel):
    """V = (e^{εx} − 1 − εx)/ε² + (y² − 1)² + ½ with ε = 3·10⁻³¹ (≈ x²/2 + (y² − 1)² + ½): ∂V/∂x
    is (e^{εx} − 1)/ε, which 30 digits round to noise of size ~1, so Newton's steps in x are
    noise; the minimum is at (0, ±1) exactly."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")
    e: float = 3e-31

    def potential(self, phi):
        e, x, y = self.e, phi[0], phi[1]
        return (jnp.exp(e * x) - 1.0 - e * x) / e**2 + (y**2 - 1) ** 2 + 0.5


@pytest.mark.parametrize("start", [(0.08, 1.05), (0.09, 0.93)])
def test_noisy_newton_raises_the_precision(start):
    # At 30 digits Newton's x-steps are rounding noise: it stopped at a point the Krawczyk
    # test excludes (0.08, 1.05) or moved x beyond the box (0.09, 0.93), and both were
    # reported "not a critical point". The minimum at (0, 1) is proved at 120 digits.
    c = jaxvac.certify(NeedsDigits(), {"x": start[0], "y": start[1]})
    assert all(c.proved.values()), c.unproved
    assert c.digits == 120 and c.critical_type == "minimum" and c.vacuum == "dS"
    with working_precision(c.bits):
        assert c.enclosure[0].contains(0) and c.enclosure[1].contains(1)
        assert float(c.enclosure[0].rad().mid()) < 1e-20


def test_inaccurate_start_is_refined_not_rejected():
    # 136 + 2i is 3% (in t) and 2 (in the axion) from the KKLT + uplift barrier
    # 140.157...: ball Newton stopped half way (its steps grew), and the certificate
    # said "not a critical point". The mpmath Newton of jaxvac.refine reaches the saddle.
    from jaxvac._io import resolve_model_class

    cls = resolve_model_class(UPLIFT_SPEC)
    exact = {"W0": "-1e-4", "A": "1", "a": "0.1", "D": "3e-11"}
    c = jaxvac.certify(cls(D=3e-11), {"T": 136 + 2j}, parameters=exact)
    assert all(c.proved.values()), c.unproved
    (t, _tau, V, _Vtt, _Vxx) = max(sm.kklt_critical_points(D=3e-11, t_range=(50, 300)))
    assert _contains(c.enclosure[0], t) and _contains(c.V, V)
    assert c.critical_type == "saddle" and c.n_negative == 1 and c.start_in_box is False
    # 139 + 8i: no Newton converges from it; nothing is proved, and the failure is not
    # retried at more digits (the steps are determined at 30), nor called "not critical"
    far = jaxvac.certify(cls(D=3e-11), {"T": 139 + 8j}, parameters=exact)
    assert not far.proved["existence"] and far.digits == 30
    assert "not accurate enough" in far.unproved[0] and "mpmath Newton" in far.unproved[0]


def test_double_well_points_against_cubic_roots():
    for p, _V, n_neg in sm.double_well_points():
        c = jaxvac.certify(sm.DoubleWell(), {"x": float(p[0]), "y": float(p[1])})
        assert all(c.proved.values()), c.unproved
        assert c.n_negative == n_neg and c.n_flat == 0
        assert c.vacuum == "dS" and c.start_in_box
        # the enclosure holds the root of 4x³ − 4x + a = 0 (mpmath, 60 digits)
        with mp.workdps(60):
            x = mp.findroot(lambda t: 4 * t**3 - 4 * t + mp.mpf(0.3), p[0])
            assert _contains(c.enclosure[0], x)
            assert float(c.enclosure[0].rad().mid()) < 1e-20


def test_failures_are_reported_not_guessed():
    # not a critical point: Newton leaves the largest box around it
    c = jaxvac.certify(sm.DoubleWell(), {"x": 0.3, "y": 0.5})
    assert not c.proved["existence"] and "not a critical point" in c.unproved[0]
    # a box with no critical point, and one with two (x = ±1.0 minima and the saddle)
    assert krawczyk_box(sm.DoubleWell(), [0.3, 0.3], [0.5, 0.5]) == "none"
    assert krawczyk_box(sm.DoubleWell(), [-1.5, -1.5], [1.5, -0.5]) == "inconclusive"
    assert krawczyk_box(sm.DoubleWell(), [-1.1, -1.1], [-0.9, -0.9]) == "unique"


def test_flat_axion_quotient_and_degenerate_valley():
    c = jaxvac.certify(FlatAxion(), {"x": 1.0, "y": 0.4})
    assert c.proved["existence"] and c.proved["inertia"], c.unproved
    assert c.flat == ["y"] and c.n_flat == 1 and c.n_negative == 0
    assert c.critical_type == "minimum" and c.vacuum == "dS"
    v = jaxvac.certify(Valley(), {"x": 0.5, "y": 0.5})
    assert not v.proved["uniqueness"]
    assert any(u.startswith("degenerate") for u in v.unproved)


class Sorted(jaxvac.PotentialModel):
    """V = (x² − 1)² + y² written with a sort (which ball arithmetic refuses)."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")

    def potential(self, phi):
        return jnp.sum(jnp.sort(jnp.stack([(phi[0] ** 2 - 1) ** 2, phi[1] ** 2])))


def test_refused_primitive_in_a_model_is_reported_unproved():
    c = jaxvac.certify(Sorted(), {"x": 1.0, "y": 0.0})
    assert not any(c.proved.values()) and c.digits == 30  # no escalation: precision can't help
    assert any("'sort'" in u for u in c.unproved)


def test_kklt_susy_ads_minimum():
    # parameters as exact decimals, as the reference reads them
    exact = {"W0": "-1e-4", "A": "1", "a": "0.1"}
    c = jaxvac.certify(jaxvac.models.KKLT(), {"T": 113.589}, parameters=exact)
    assert all(c.proved.values()), c.unproved
    assert c.susy and c.vacuum == "AdS" and c.critical_type == "minimum"
    ((t, tau, V, Vtt, Vxx),) = [r for r in sm.kklt_critical_points(t_range=(50, 300)) if r[1] == 0]
    assert _contains(c.enclosure[0], t) and _contains(c.V, V)


def test_kklt_uplift_ds_minimum_and_barrier():
    from jaxvac._io import resolve_model_class

    cls = resolve_model_class(UPLIFT_SPEC)
    ref = sm.kklt_critical_points(D=3e-11, t_range=(50, 300))
    assert len(ref) == 2
    for t, tau, V, Vtt, Vxx in ref:
        c = jaxvac.certify(
            cls(D=3e-11),
            {"T": complex(float(t), float(tau))},
            parameters={"W0": "-1e-4", "A": "1", "a": "0.1", "D": "3e-11"},
        )
        assert all(c.proved.values()), c.unproved
        assert _contains(c.enclosure[0], t)
        assert c.susy is False  # the uplift breaks supersymmetry: |D_T W| > 0 proved
        assert c.vacuum == ("dS" if V > 0 else "AdS")
        assert c.n_negative == int(Vtt < 0) + int(Vxx < 0)


def test_region_complete_double_well():
    r = jaxvac.certify_region(sm.DoubleWell(), {"x": (-2.0, 2.0), "y": (-2.0, 2.0)})
    assert r.complete and len(r.points) == 9 and not r.undecided
    ref = sm.double_well_points()
    found = sorted(
        (
            float(p["certificate"].center[0].mid()),
            float(p["certificate"].center[1].mid()),
            p["certificate"].n_negative,
        )
        for p in r.points
    )
    expect = sorted((float(p[0]), float(p[1]), n) for p, _, n in ref)
    for (x, y, n), (xe, ye, ne) in zip(found, expect):
        assert abs(x - xe) < 1e-12 and abs(y - ye) < 1e-12 and n == ne


def test_region_points_on_a_splitting_line():
    # a = 0: three critical points on x = 0, the first splitting line of [-2, 2]; only the
    # Newton rescue of small boxes finds them (it unpacked a 2-tuple from _newton, which
    # returns 3 since certify's noise test: ValueError)
    r = jaxvac.certify_region(sm.DoubleWell(a=0.0), {"x": (-2.0, 2.0), "y": (-2.0, 2.0)})
    assert r.complete and len(r.points) == 9 and not r.undecided
    with mp.workdps(30):
        ys = [mp.findroot(lambda t: 4 * t**3 - 4 * t - mp.mpf(0.2), y0) for y0 in (-1, 0, 1)]
    for x in (-1, 0, 1):
        for y in ys:
            assert any(
                _contains(p["certificate"].enclosure[0], x)
                and _contains(p["certificate"].enclosure[1], y)
                for p in r.points
            ), (x, y)


def test_region_complete_cosine_product():
    # one copy of each critical point: x ∈ [-2, 4.2] ⊃ {-π/2, 0, π/2, π}, y ∈ [-1, 2.1]
    r = jaxvac.certify_region(sm.CosineProduct(), {"x": (-2.0, 4.2), "y": (-1.0, 2.1)})
    assert r.complete and len(r.points) == 8
    found = sorted(
        (
            round(float(p["certificate"].center[0].mid()), 9),
            round(float(p["certificate"].center[1].mid()), 9),
            p["certificate"].n_negative,
        )
        for p in r.points
    )
    expect = sorted(
        (round(float(p[0]), 9), round(float(p[1]), 9), n) for p, _, n in sm.cosine_product_points()
    )
    assert found == expect


def test_region_limits_reported():
    r = jaxvac.certify_region(sm.DoubleWell(), {"x": (-2.0, 2.0), "y": (-2.0, 2.0)}, max_boxes=10)
    assert not r.complete and r.stopped == "max_boxes" and r.undecided


@pytest.mark.slow
def test_region_complete_kklt_uplift():
    from jaxvac._io import resolve_model_class

    cls = resolve_model_class(UPLIFT_SPEC)
    P = 2 * math.pi / 0.1
    r = jaxvac.certify_region(cls(D=3e-11), {"T.re": (50.0, 300.0), "T.im": (-P / 4, 3 * P / 4)})
    assert r.complete and len(r.points) == 2
    ts = sorted(float(p["certificate"].center[0].mid()) for p in r.points)
    ref = sorted(float(t) for t, *_ in sm.kklt_critical_points(D=3e-11, t_range=(50, 300)))
    assert np.allclose(ts, ref, rtol=1e-14)


@pytest.mark.slow
def test_seed000_table2_point_is_a_saddle_with_a_tachyonic_axion():
    # jaxvac/reproduce/_rku.py builds the point (W0 from the printed Ĉ, B = A/z, ξ = 1e-3)
    # (as table2_point_in_full_model does, without its search for the stability window)
    from jaxvac.models._rku import RKU
    from jaxvac.reproduce import _rku_formulas as F
    from jaxvac.reproduce._rku import table2_points
    from jaxvac.reproduce._rku_exact import critical_t

    row = table2_points()[0]
    a, x = row["a"], row["x_from_C"]
    W0 = F.w0_from_c_hat(row["C_p"], a, 1e-3, -1.0)
    B = -1.0 * F.inverse_z(x, row["beta"], row["C_p"])
    model = RKU.from_nmax(row["Nmax"], W0=W0, A=-1.0, B=B, xi=1e-3)
    t, ok = critical_t(model, x / a)
    assert ok
    c = jaxvac.certify(model, {"T": t})
    assert all(c.proved.values()), c.unproved
    assert c.critical_type == "saddle" and c.n_negative == 1 and c.negative_curvature == ["T.im"]
    assert c.vacuum == "dS" and c.susy is False
    assert 1e-121 < float(c.V.mid()) < 1e-120  # V ≈ 2.8e-121, proved positive


# ---- command line --------------------------------------------------------------------------------


def test_cli_json_and_bad_input(tmp_path, capsys):
    src = tmp_path / "p.json"
    src.write_text(json.dumps({"fields": {"x": -1.0356, "y": 1.0241}}))
    spec = os.path.join(HERE, "search_models.py:DoubleWell")
    assert main(["certify", spec, "--from", str(src), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["proved"] == {
        "existence": True,
        "uniqueness": True,
        "inertia": True,
        "sign_of_V": True,
        "susy": None,
    }
    assert out["type"] == "minimum" and out["vacuum"] == "dS" and out["precision"] == 30
    assert float(out["fields"]["x"]) == pytest.approx(-1.0355787140888537, rel=1e-15)
    assert (
        main(["certify", spec, "--region", "x=-2:2", "--region", "y=-2:2", "--complete", "--json"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["complete"] and out["distinct"] == 9 and out["undecided"] == []
    assert sorted(cp["n_negative"] for cp in out["critical_points"]) == [0, 0, 0, 0, 1, 1, 1, 1, 2]
    for argv in (
        ["certify", spec, "--from", str(tmp_path / "missing.json")],
        ["certify", spec],
        ["certify", spec, "--from", str(src), "--digits", "2"],
        ["certify", spec, "--region", "x=-1:1", "--complete"],
        ["certify", spec, "--region", "x=1:-1", "--region", "y=0:1", "--complete"],
        ["certify", spec, "--from", str(src), "--region", "x=0:1"],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
