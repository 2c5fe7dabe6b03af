"""Toric intersection theory (``jaxvac.flux.hypersurface_topology``) and the perturbatively
flat vacuum of arXiv:2107.09064 §6.4 (h^{2,1} = 4, W0 ≈ 2.3e-90), which float64 cannot see."""

import itertools
from fractions import Fraction

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

from jaxvac import flux
from jaxvac._errors import InputError
from jaxvac.flux._builtin import P11169, Mirror4214, load_geometry

jax.config.update("jax_enable_x64", True)

D4 = load_geometry("dkmmr_4_214_647")


def _fan_4_214():
    tor = D4["toric"]
    rays = tor["points"][1:9]  # point 0 is the origin; points 9-11 are interior to facets
    cones = [[i - 1 for i in s if i != 0] for s in tor["simplices"]]
    return rays, cones, [b - 1 for b in tor["basis_points"]]


def _p11169_fan():
    """X_18(1,1,1,6,9): P(1,1,1,6,9) with the Z₃ curve blown up (ray (v₁+v₂+v₃)/3)."""
    rays = [
        (-1, -1, -6, -9),
        (1, 0, 0, 0),
        (0, 1, 0, 0),
        (0, 0, 1, 0),
        (0, 0, 0, 1),
        (0, 0, -2, -3),
    ]
    base = [c for c in itertools.combinations(range(5), 4) if not {0, 1, 2} <= set(c)]
    star = [(a, b, 5, x) for a, b in itertools.combinations((0, 1, 2), 2) for x in (3, 4)]
    return rays, base + star


def test_quintic():
    rays = [(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (-1, -1, -1, -1)]
    t = flux.hypersurface_topology(rays, list(itertools.combinations(range(5), 4)), [0])
    assert t["kappa"] == [[[5]]] and t["c2"] == [50] and t["chi"] == -200 and t["h11"] == 1


def test_p11169_mirror_topology_is_that_of_1912_10047():
    rays, cones = _p11169_fan()
    # the paper's basis J₁ = 3D₀ + D₅ (weight-1 divisor ×3 + exceptional), J₂ = D₀
    t = flux.hypersurface_topology(rays, cones, [[3, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0]])
    np.testing.assert_array_equal(np.array(t["kappa"], float), np.asarray(P11169().kappa))
    assert [int(c) for c in t["c2"]] == [102, 36] == [int(round(24 * b)) for b in P11169().b]
    assert t["chi"] == -540 == P11169().chi  # 2(h¹¹ − h²¹) = 2(2 − 272)
    # a of 2107.09064's convention differs from 1912.10047's printed ½[[9, 3], [3, 0]] by an
    # integral symplectic change (a₁₂: ½κ₁₂₂ = ½ vs 3/2): both keep R = a·M integral
    assert t["a"] == [[Fraction(9, 2), Fraction(1, 2)], [Fraction(1, 2), 0]]


def test_4_214_topology_from_the_ancillary_triangulation():
    rays, cones, basis = _fan_4_214()
    t = flux.hypersurface_topology(rays, cones, basis)
    assert t["h11"] == 4
    assert t["chi"] == 2 * (4 - 214) == D4["computed"]["chi"]
    assert [int(c) for c in t["c2"]] == D4["computed"]["c2"]
    nonzero = {
        f"{a + 1}{b + 1}{c + 1}": int(t["kappa"][a][b][c])
        for a, b, c in itertools.combinations_with_replacement(range(4), 3)
        if t["kappa"][a][b][c]
    }
    assert nonzero == D4["computed"]["kappa_nonzero"]
    # the printed flat direction p = N⁻¹K (eq. (6.56)) follows exactly from these κ̃
    M, K = D4["pfv"]["M"], D4["pfv"]["K"]
    p = flux.exact_flat_direction(np.array(t["kappa"], float), M, K)
    assert p == [Fraction(v) for v in D4["printed"]["p"]["value"]]
    assert sum(Fraction(k) * v for k, v in zip(K, p)) == 0


def test_curves_in_basis_reads_the_charges_on_the_basis():
    glsm = np.array([[0, 0, 0, 1, -1, -1, 0, 0, 1], [-6, 2, 3, -1, 1, 1, 0, 0, 0]])[:, 1:]
    _, _, basis = _fan_4_214()
    np.testing.assert_array_equal(
        flux.curves_in_basis(glsm, basis), [[1, -1, -1, 1], [-1, 1, 1, 0]]
    )
    np.testing.assert_array_equal(
        flux.curves_in_basis(glsm, [[1, 0, 0, 0, 0, 0, 0, 1]]), [[1], [2]]
    )


QUINTIC_RAYS = [(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (-1, -1, -1, -1)]
QUINTIC_CONES = [list(c) for c in itertools.combinations(range(5), 4)]


@pytest.mark.parametrize(
    "rays, cones, basis, message",
    [
        (QUINTIC_RAYS, [[0, 1, 2]], [0], "must name 4 distinct rays"),
        (QUINTIC_RAYS, [[0, 1, 2, 9]], [0], "must name 4 distinct rays"),
        (QUINTIC_RAYS, QUINTIC_CONES, [0, 0], "basis must name distinct rays"),
        # a cone missing: χ came out −120 instead of −200, without an error
        (QUINTIC_RAYS, QUINTIC_CONES[1:], [0], "not complete"),
        # a ray in no cone (a point interior to a facet left in the rays)
        (QUINTIC_RAYS + [(1, 1, 0, 0)], QUINTIC_CONES, [0], "lie in no cone"),
        # a non-primitive ray: κ came out 9/16
        ([(2, 0, 0, 0)] + QUINTIC_RAYS[1:], QUINTIC_CONES, [0], "not primitive"),
    ],
)
def test_bad_fans_are_input_errors(rays, cones, basis, message):
    with pytest.raises(InputError, match=message):
        flux.hypersurface_topology(rays, cones, basis)


def test_wall_curves_generate_the_kahler_cone_test():
    # P⁴: every wall curve is a line, C·D_i = 1 for every ray
    w = flux.wall_curves(QUINTIC_RAYS, QUINTIC_CONES)
    assert len(w) == 10 and all(v == 1 for row in w for v in row)
    # 2107.09064: p is in the Kähler cone — all 30 wall curves positive on J(p)
    rays, cones, basis = _fan_4_214()
    walls = [[row[b] for b in basis] for row in flux.wall_curves(rays, cones)]
    p = [Fraction(v) for v in D4["printed"]["p"]["value"]]
    values = [sum((c * v for c, v in zip(row, p)), Fraction(0)) for row in walls]
    assert len(values) == 30 and min(values) == Fraction(1, 20)
    # and pfv_conditions with that cone (the orthant is not the Kähler cone in this basis:
    # the leading curve (1, −1, −1, 1) has negative entries)
    M, K = D4["pfv"]["M"], D4["pfv"]["K"]
    m = Mirror4214()
    c = flux.pfv_conditions(m.kappa, m.a, 24 * np.asarray(m.b), M, K, cone=np.array(walls, float))
    assert c["in_cone"] and c["pfv"]
    assert not flux.pfv_conditions(
        m.kappa, m.a, 24 * np.asarray(m.b), M, K, cone=-np.array(walls, float)
    )["in_cone"]


def test_non_simplicial_cone_is_an_input_error():
    rays = [(1, 0, 0, 0), (0, 1, 0, 0), (1, 1, 0, 0), (0, 0, 0, 1), (-1, -1, -1, -1)]
    with pytest.raises(InputError, match="not full-dimensional"):
        flux.hypersurface_topology(rays, [[0, 1, 2, 3]], [0])


def test_prepotential_derivatives_stay_finite_where_instantons_underflow():
    # deep in the LCS region e^{2πi q·z} underflows to 0; (e^w)^m had derivative 0·log 0 = NaN
    # there (the Kähler metric of the 2107.09064 vacuum came out NaN), e^{mw} has 0
    m = Mirror4214()
    z = 1j * jnp.asarray([290.0, 162.0, 162.0, 65.0])
    q, n = m.gv_arrays()
    assert float(jnp.min(jnp.abs(jnp.exp(2j * jnp.pi * (q @ z))))) == 0.0  # some underflow

    def F(zr):
        return jnp.real(m.prepotential(zr[:4] + 1j * zr[4:]))

    g = jax.grad(F)(jnp.concatenate([jnp.real(z), jnp.imag(z)]))
    h = jax.hessian(F)(jnp.concatenate([jnp.real(z), jnp.imag(z)]))
    assert bool(jnp.all(jnp.isfinite(g))) and bool(jnp.all(jnp.isfinite(h)))


def test_racetrack_terms_merge_classes_with_the_same_exponent():
    q, n = D4["gv"]["charges"], D4["gv"]["values"]
    p = [float(Fraction(v)) for v in D4["printed"]["p"]["value"]]
    A, lam = flux.racetrack_terms(q, n, D4["pfv"]["M"], p)
    assert np.all(np.diff(lam) > 0)  # one term per exponent
    np.testing.assert_allclose(lam[:2] * 110, [32, 33], rtol=1e-13)
    # eq. (6.59): W_flux = 5ζ(−e^{32} + 512 e^{33}); A = −n(q·M)/(2π)², ζ = √(2/π)/(2π)²
    np.testing.assert_allclose(A[:2] * (2 * np.pi) ** 2, [-5, 2560], rtol=1e-13)


def test_the_h21_4_vacuum_at_130_digits():
    """2107.09064 §6.4: g_s and W0 of the full vacuum, which float64 cannot resolve."""
    M, K = D4["pfv"]["M"], D4["pfv"]["K"]
    out = flux.pfv_vacuum(Mirror4214(), M, K, digits=130)
    assert out["path"] == "high-precision" and out["vacuum"] is None and out["converged_hp"]
    assert out["residual_hp"] < mp.mpf(10) ** -120
    with mp.workdps(130):
        g_s = 1 / out["tau_hp"]
        W0 = mp.sqrt(2 / mp.pi) * abs(out["W_hp"])  # 2107.09064's W0 = |W_flux|
        # the leading formulas of eqs. (6.60), (6.61), which the ancillary g_s.dat and
        # W_0.dat hold to 6 digits
        g_lead = 2 * mp.pi / (110 * mp.log(528))
        W_lead = 80 / (2 ** mp.mpf(1.5) * mp.pi ** mp.mpf(2.5)) * mp.mpf(528) ** -33
        assert abs(g_lead / mp.mpf("0.00911134") - 1) < 5.5e-7
        assert abs(W_lead / mp.mpf("2.30012e-90") - 1) < 2.2e-6
        # jaxvac's own two-term racetrack from the GV data gives that formula
        tau0 = out["tau0"]
        assert abs(1 / tau0.imag / g_lead - 1) < 1e-13
        # the full vacuum differs from them by the Kähler-covariant K_τW term: 4.8e-5; the
        # 1-D racetrack D_τW = 0 with K = −4 log Im τ reproduces it (independent solve)
        from jaxvac.reproduce._flux import covariant_racetrack_gs

        l1, l2 = Fraction(32, 110), Fraction(33, 110)
        g_cov = covariant_racetrack_gs(-5, l1, 2560, l2, 4, 109.75)
        assert abs(g_s / g_cov - 1) < 1e-9
        assert 4e-5 < abs(g_s / g_lead - 1) < 6e-5 and 4e-5 < abs(W0 / W_lead - 1) < 6e-5
        # the vacuum sits on the flat valley z = pτ up to the instanton-sized shift
        p = [Fraction(v) for v in D4["printed"]["p"]["value"]]
        y = out["y_hp"]
        assert (
            max(abs(y[i] / y[4] - mp.mpf(v.numerator) / v.denominator) for i, v in enumerate(p))
            < 1e-85
        )
    ph = out["physicality"]
    assert ph["lcs"] and ph["metric_min_eig"] > 0 and ph["N_flux"] == 203
    assert 0 < ph["instanton_ratio"] < 1e-90  # from the high-precision point, not rounding


@pytest.mark.parametrize("digits", [None, 40, 100])
def test_too_few_digits_are_refused(digits):
    # W ~ 2.3e-90: below ~110 digits the flat valley's Jacobian is noise at that precision too
    # (at 40 digits the solve kept the start, the two-term formula, and looked fine)
    with pytest.raises(ValueError, match="below float64's resolution.*give digits >= 1"):
        flux.pfv_vacuum(Mirror4214(), D4["pfv"]["M"], D4["pfv"]["K"], digits=digits)


@pytest.mark.slow  # ~2 min (130-digit solve, jaxvac check of a 5-modulus model)
def test_flux_pfv_4_214_target(tmp_path):
    """The report: everything the paper prints matches; the only mismatches are the full
    vacuum against the 6-digit ancillary values (the two-term formula), with their cause."""
    from jaxvac.reproduce._flux import flux_pfv_4_214

    report = flux_pfv_4_214(tmp_path)
    bad = [r.quantity for r in report.rows if r.verdict == "mismatch"]
    assert bad == [
        "g_s of the full vacuum against the ancillary g_s.dat",
        "W0 at the full vacuum against the ancillary W_0.dat",
    ]
    rows = {r.quantity: r for r in report.rows}
    assert all("Cause of the difference" in rows[q].explanation for q in bad)
    assert report.counts()["match"] == 12
    assert rows["jaxvac check at the vacuum rounded to float64"].jaxvac != "successful"


@pytest.mark.slow  # ~1 min
def test_flux_pfv_target(tmp_path):
    """1912.10047's printed values: only c (a misprint) and Im τ (8.75e-5) are mismatches."""
    from jaxvac.reproduce._flux import flux_pfv

    report = flux_pfv(tmp_path)
    bad = [r.quantity for r in report.rows if r.verdict == "mismatch"]
    assert bad == ["racetrack prefactor c", "Im τ = 1/g_s"]
    rows = {r.quantity: r for r in report.rows}
    for q in ("flat direction p = N⁻¹K", "Q_flux = −½M·K", "Im z¹", "Im z²"):
        assert rows[q].verdict == "match", q
    assert rows["W0 = √(2/π) e^{K/2}|W| (eq. (1) of 1912.10047)"].verdict == "match"
    assert (
        rows["racetrack ratio A (W_eff = c(e^{2πi·2/5·τ} + A e^{2πi·3/10·τ}))"].verdict == "match"
    )
