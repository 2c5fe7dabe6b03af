"""The critical-point search (jaxvac._search, ``jaxvac find``), implicit derivatives of
vacua (jaxvac._implicit) and parameter continuation (jaxvac._continuation).

Every expected value comes from outside the code under test (tests/search_models.py):
closed forms (cosine product, fold), numpy polynomial roots (double well), KKLT's
potential written out by hand and solved with mpmath (Kachru, Kallosh, Linde, Trivedi,
hep-th/0301240, eqs. (12)-(14)), the Kallosh-Linde fine-tuning conditions
(hep-th/0411011, eqs. (2.3)-(2.5)) and the generic mpmath F-term potential of
tests/mpref.py.

Compilation dominates the run time (one per model class × solver setting), so each
model's search runs once in a module-scoped fixture and the command-line tests reuse the
same class and shapes in-process.
"""

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

import jaxvac
from jaxvac import CriticalType, Result
from jaxvac._find import find_critical_points
from jaxvac._io import resolve_model_class
from jaxvac._search import DEFAULT_STARTS, Region, deduplicate

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS_FILE = os.path.join(HERE, "search_models.py")
#: the user's-model-file example of the repository (KKLT + anti-D3 uplift D/σ²)
UPLIFT_SPEC = os.path.join(os.path.dirname(HERE), sm.KKLT_UPLIFT)
D_UPLIFT = 3e-11
FAILURES = {
    Result.max_steps,
    Result.diverged,
    Result.left_domain,
    Result.stalled,
    Result.nonfinite,
    Result.not_critical,
    Result.left_region,
}


def model_class(name):
    """The class as a user's model file (the one `jaxvac find FILE.py:Name` loads)."""
    if name == "KKLTUplift":
        return resolve_model_class(UPLIFT_SPEC)
    return resolve_model_class(f"{MODELS_FILE}:{name}")


def vmapped_search(model, starts, seed, **options):
    """The search of ``find_critical_points(model, starts=, seed=)`` as one vmapped program
    over exactly those starts (every round for every start, no padding, no threads)."""
    import equinox as eqx

    from jaxvac._find import _sample_jit
    from jaxvac._model import canonical
    from jaxvac._search import _options, _search_from, as_region

    m = canonical(model)
    region = as_region(m, None)
    y0 = _sample_jit(m, region, jax.random.key(seed), starts)
    return eqx.filter_jit(_search_from)(m, region, y0, _options(**options))


#: Leaves that the vmapped search (its rounds a ``lax.scan``, jaxvac/_search.py:_run_rounds)
#: and the threaded one (each round its own call) compute in differently fused programs: the
#: rounding-error estimate of V (an ulp apart) and Newton's final residual |F| (normalised to
#: 1 at the start; values ~1e-20 of pure rounding noise). Every other leaf is bit for bit.
FUSION_NOISE = {
    ".solutions.analysis.V_error": dict(rtol=1e-15, atol=0.0),
    ".solutions.solver_residual": dict(rtol=0.0, atol=1e-13),
}


def assert_same_leaves(got, want, noise: dict | None = None):
    """Leaf for leaf, bit for bit (shape and dtype included); a leaf named in ``noise`` to
    the tolerances given there."""
    noise = noise or {}
    assert len(jax.tree.leaves(got)) == len(jax.tree.leaves(want))
    for (path, b), a in zip(jax.tree_util.tree_flatten_with_path(want)[0], jax.tree.leaves(got)):
        a, b = np.asarray(a), np.asarray(b)
        name = jax.tree_util.keystr(path)
        assert a.shape == b.shape and a.dtype == b.dtype, path
        if name in noise:
            np.testing.assert_allclose(a, b, err_msg=name, **noise[name])
        else:
            np.testing.assert_array_equal(a, b, err_msg=name, strict=True)


def periodic_diff(d, period):
    period = np.asarray(period, dtype=float)
    safe = np.where(period > 0, period, 1.0)
    return np.where(period > 0, d - safe * np.round(d / safe), d)


def assert_matches(found, reference, period, *, atol, v_rtol):
    """Every listed point is one reference point and every reference point is listed
    exactly once: found.distinct == len(reference), no spurious, none missing."""
    pts = found.points
    assert found.distinct == len(reference), (found.distinct, pts)
    used = set()
    for k in range(found.distinct):
        a = found.analysis(k)
        d = [np.max(np.abs(periodic_diff(pts[k] - yr, period))) for yr, _, _ in reference]
        j = int(np.argmin(d))
        assert d[j] <= atol, f"listed point {pts[k]} is none of the reference points"
        assert j not in used, f"reference point {reference[j][0]} listed twice"
        used.add(j)
        yr, Vr, n_neg = reference[j]
        assert float(a.V) == pytest.approx(Vr, rel=v_rtol, abs=1e-14)
        assert int(a.n_negative) == n_neg
        expected = {0: CriticalType.minimum, len(yr): CriticalType.maximum}.get(
            n_neg, CriticalType.saddle
        )
        assert int(a.critical_type) == expected
        assert int(a.result) == Result.successful
    assert used == set(range(len(reference)))


# ======================================================================================
# Plain potentials with known complete sets, default settings
# ======================================================================================


@pytest.fixture(scope="module")
def double_well():
    return find_critical_points(model_class("DoubleWell")(), seed=0)


@pytest.fixture(scope="module")
def cosine_product():
    return find_critical_points(model_class("CosineProduct")(), seed=0)


@pytest.mark.slow
def test_double_well_complete_with_defaults(double_well):
    # 9 critical points from numpy.roots of 4x³ - 4x + a and 4y³ - 4y + b
    r = double_well
    assert r.starts == DEFAULT_STARTS
    ref = sm.double_well_points()
    assert sorted(n for _, _, n in ref) == [0, 0, 0, 0, 1, 1, 1, 1, 2]
    assert_matches(r, ref, [0.0, 0.0], atol=1e-10, v_rtol=1e-12)
    # listed by V; every start reached some critical point (a polynomial growing at infinity)
    V = [float(r.analysis(k).V) for k in range(r.distinct)]
    assert V == sorted(V)
    assert r.failed_starts == 0


def test_cosine_product_complete_modulo_periods(cosine_product):
    # 8 critical points per cell: 2 minima, 4 saddles, 2 maxima (closed form)
    r = cosine_product
    period = np.asarray(r.region.period)
    np.testing.assert_allclose(period, [2 * math.pi, math.pi], rtol=1e-15)
    assert_matches(r, sm.cosine_product_points(), period, atol=1e-9, v_rtol=1e-12)
    # reported in [lower, lower + period): -π ≤ x < π, -π/2 ≤ y < π/2
    lo = np.asarray(r.region.lower)
    assert np.all(r.points >= lo - 1e-12) and np.all(r.points < lo + period)
    # points on the cell boundary (x = ±π, y = ±π/2) were reached from both sides and merged:
    # the starts that reached the minimum (π, 0) ≡ (-π, 0) lie in one cluster
    ys = np.asarray(r.search.solutions.y)
    near = np.max(np.abs(periodic_diff(ys - np.array([math.pi, 0.0]), period)), axis=1) < 1e-6
    assert near.sum() >= 2
    assert len(set(np.asarray(r.search.cluster)[near].tolist())) == 1
    assert r.failed_starts == 0


def test_deduplicate_modulo_period():
    # hand-made points: a, a + period, a + 2 period - 1e-12, and one distinct point b
    P = 2 * math.pi
    y = jnp.array([[0.5, 1.0], [0.5 + P, 1.0], [0.5 + 2 * P - 1e-12, 1.0], [0.5, 2.0], [9.0, 9.0]])
    ok = jnp.array([True, True, True, True, False])
    quality = jnp.array([3.0, 1.0, 2.0, 1.0, 0.0])
    tol = jnp.full(y.shape, 1e-9)
    rep, cluster = deduplicate(y, ok, quality, tol, jnp.array([P, 0.0]))
    # the best-converged member (index 1) represents the first three; index 4 takes no part
    assert np.asarray(rep).tolist() == [False, True, False, True, False]
    assert np.asarray(cluster).tolist() == [1, 1, 1, 3, -1]
    # without the period they are three different points
    rep, _ = deduplicate(y, ok, quality, tol, jnp.array([0.0, 0.0]))
    assert int(np.sum(rep)) == 4


@pytest.mark.slow
def test_no_critical_point_runaway_codes():
    # V = (2 + cos y)/x², x > 0: ∂_x V < 0 everywhere, no critical point (closed form)
    r = find_critical_points(model_class("PowerSlope")(), starts=64, seed=3)
    codes = r.codes
    assert r.distinct == 0 and r.points.shape == (0, 2)
    assert r.failed_starts == r.starts == 64
    assert set(int(c) for c in codes) <= {int(c) for c in FAILURES}
    # every start marched towards x → ∞: reported as diverged (runaway), not max_steps
    assert np.mean(codes == Result.diverged) >= 0.9, r.result_counts()
    assert r.to_dict()["critical_points"] == []


# ======================================================================================
# KKLT and KKLT + uplift (a user's supergravity model file)
# ======================================================================================


@pytest.fixture(scope="module")
def kklt_reference():
    """mpmath: every critical point of KKLT (+ D/t²) with 0.1 < t < 1000, one period."""
    return {D: sm.kklt_critical_points(D=D) for D in (0.0, D_UPLIFT)}


def _record_of(result, k):
    return result.to_dict()["critical_points"][k]


def test_kklt_exactly_one_susy_ads_minimum(kklt_search, kklt_reference):
    ref = kklt_reference[0.0]
    assert len(ref) == 1  # mpmath: one critical point in the whole region
    t, tau, V, Vtt, Vxx = ref[0]
    # KKLT eq. (14): D_T W = 0  <=>  W0 = -A e^{-aσ}(1 + 2aσ/3), solved independently
    mp.mp.dps = 40
    sigma = mp.findroot(lambda s: mp.mpf("-1e-4") + mp.e ** (-s / 10) * (1 + s / 15), 100)
    assert float(t) == pytest.approx(float(sigma), rel=1e-12)
    r = kklt_search[0.0]
    assert r.distinct == 1
    y = r.points[0]
    assert y[0] == pytest.approx(float(t), rel=1e-10)
    assert abs(y[1]) < 1e-8
    rec = _record_of(r, 0)
    assert rec["V"] == pytest.approx(float(V), rel=1e-9)
    assert (rec["type"], rec["vacuum"], rec["susy"], rec["bf_stable"], rec["result"]) == (
        "minimum",
        "AdS",
        True,
        True,
        "successful",
    )
    # canonical masses: L = K_TT̄ |∂T|² with K_TT̄ = 3/(4t²)  =>  m² = V'' · 2t²/3
    masses = sorted([float(Vtt * 2 * t**2 / 3), float(Vxx * 2 * t**2 / 3)])
    np.testing.assert_allclose(rec["masses_squared"], masses, rtol=1e-6)
    # the starts that failed never reached a critical point; they are not listed
    failed = r.codes != Result.successful
    assert set(int(c) for c in r.codes[failed]) <= {int(c) for c in FAILURES}


def test_kklt_uplift_ds_minimum_and_barrier(kklt_search, kklt_reference):
    ref = kklt_reference[D_UPLIFT]
    assert len(ref) == 2  # mpmath: the dS minimum and the barrier, nothing else
    r = kklt_search[D_UPLIFT]
    assert r.distinct == 2
    by_t = sorted(range(2), key=lambda k: r.points[k][0])
    for k, (t, tau, V, Vtt, Vxx) in zip(by_t, sorted(ref, key=lambda p: p[0])):
        rec = _record_of(r, k)
        assert r.points[k][0] == pytest.approx(float(t), rel=1e-9)
        assert abs(periodic_diff(r.points[k][1] - float(tau), 20 * math.pi)) < 1e-7
        assert rec["V"] == pytest.approx(float(V), rel=1e-8)
        assert rec["vacuum"] == "dS" and rec["susy"] is False
        n_neg = int(Vtt < 0) + int(Vxx < 0)
        assert rec["n_negative"] == n_neg
        assert rec["type"] == ("minimum" if n_neg == 0 else "saddle")
    assert [rec["type"] for rec in r.to_dict()["critical_points"]] == ["minimum", "saddle"]


# ======================================================================================
# Command line: jaxvac find (in-process: the compiled search above is reused)
# ======================================================================================


DESIGN_POINT_FIELDS = {
    "fields",
    "V",
    "type",
    "n_negative",
    "n_flat",
    "vacuum",
    "susy",
    "bf_stable",
    "masses_squared",
    "gravitino_mass",
    "residual",
    "digits",
    "result",
}


def run_cli(argv, capsys, monkeypatch):
    from jaxvac.cli import main

    monkeypatch.setenv("JAXVAC_CACHE_DIR", "")  # no persistent cache from a test
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_find_cli_json_user_model(kklt_search, kklt_reference, tmp_path, capsys, monkeypatch):
    out_file = tmp_path / "found.json"
    spec = UPLIFT_SPEC
    code, out, err = run_cli(
        ["find", spec, "--set", f"D={D_UPLIFT}", "--json", "--out", str(out_file)],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    data = json.loads(out)
    assert json.loads(out_file.read_text()) == data
    assert data["model"] == "KKLTUplift"
    assert data["parameters"] == {"W0": -1e-4, "A": 1.0, "a": 0.1, "D": D_UPLIFT, "n": 2}
    assert data["starts"] == DEFAULT_STARTS
    assert data["distinct"] == len(data["critical_points"]) == 2
    assert data["failed_starts"] == sum(
        v for k, v in data["start_results"].items() if k != "successful"
    )
    for rec in data["critical_points"]:
        assert DESIGN_POINT_FIELDS <= set(rec)
        assert set(rec["fields"]) == {"T"} and set(rec["fields"]["T"]) == {"re", "im"}
        assert rec["bf_stable"] is None  # dS: only meaningful for AdS
        assert rec["masses_squared"] == sorted(rec["masses_squared"])
        assert rec["result"] == "successful" and rec["gravitino_mass"] > 0
    t_ref = sorted(float(p[0]) for p in kklt_reference[D_UPLIFT])
    t_cli = sorted(rec["fields"]["T"]["re"] for rec in data["critical_points"])
    np.testing.assert_allclose(t_cli, t_ref, rtol=1e-9)
    # the same search as the Python API
    assert data == json.loads(kklt_search[D_UPLIFT].to_json())


def test_find_cli_region_and_table(kklt_reference, capsys, monkeypatch):
    spec = UPLIFT_SPEC
    t_min, t_max = sorted(float(p[0]) for p in kklt_reference[D_UPLIFT])  # 114.5, 140.2
    # --region excluding the minimum: only the barrier is listed; starts that converge to
    # the minimum outside the region are left_region, never listed
    code, out, err = run_cli(
        ["find", spec, "--set", f"D={D_UPLIFT}", "--region", "T=120:400", "--json"],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["region"]["T.re"] == {"lo": 120.0, "hi": 400.0, "sampling": "log-uniform"}
    assert data["distinct"] == 1
    assert data["critical_points"][0]["fields"]["T"]["re"] == pytest.approx(t_max, rel=1e-9)
    # a region with no critical point (KKLT without uplift, t in [200, 900]): nothing is
    # listed and every start carries a failure code: runaways towards t → ∞ are
    # diverged, starts that converged to the SUSY minimum at t = 113.6 are left_region
    code, out, err = run_cli(["find", spec, "--region", "T=200:900", "--json"], capsys, monkeypatch)
    assert code == 0, err
    data = json.loads(out)
    assert data["distinct"] == 0 and data["critical_points"] == []
    assert data["failed_starts"] == data["starts"]
    assert "successful" not in data["start_results"]
    assert set(data["start_results"]) <= {r.name for r in FAILURES}
    assert data["start_results"].get("diverged", 0) >= 0.5 * data["starts"]
    # readable table
    code, out, err = run_cli(["find", spec, "--set", f"D={D_UPLIFT}"], capsys, monkeypatch)
    assert code == 0, err
    rows = [line for line in out.splitlines() if "successful" in line and "T=" in line]
    assert len(rows) == 2
    assert "minimum" in rows[0] and "dS" in rows[0] and f"{t_min:.6g}"[:6] in rows[0]
    assert "saddle" in rows[1]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--region", "T=-1:5"], "saxion"),
        (["--region", "X=1:5"], "not a coordinate"),
        (["--region", "T=5"], "NAME=LO:HI"),
        (["--region", "T=9:5"], "lo < hi"),
        (["--starts", "0"], "--starts"),
        (["--set", "nope=1"], "nope"),
    ],
)
def test_find_cli_bad_input(argv, message, capsys, monkeypatch):
    code, out, err = run_cli(["find", UPLIFT_SPEC, *argv], capsys, monkeypatch)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_exports():
    assert jaxvac.find_critical_points is find_critical_points
    assert jaxvac.Region is Region
    for name in (
        "FindResult",
        "solve_from",
        "locate_critical_point",
        "vacuum_derivatives",
        "continue_critical_point",
    ):
        assert hasattr(jaxvac, name), name


# ======================================================================================
# Implicit derivatives and continuation (plain potentials: closed forms)
# ======================================================================================


def test_implicit_derivatives_double_well():
    # x* solves 4x³ - 4x + a = 0: dx*/da = -1/(12x² - 4); dV*/da = x*; m_x² = 12x² - 4
    from jaxvac._implicit import locate_critical_point, vacuum_derivatives, with_parameter

    model = model_class("DoubleWell")(a=0.3, b=-0.2)
    x = float(np.sort(np.roots([4, 0, -4, 0.3]).real)[2])
    y = float(np.sort(np.roots([4, 0, -4, -0.2]).real)[0])
    d = vacuum_derivatives(model, [x + 1e-3, y - 1e-3], "a")
    np.testing.assert_allclose(d["y"], [x, y], rtol=1e-13)
    dx = -1.0 / (12 * x**2 - 4)
    np.testing.assert_allclose(d["dy"], [dx, 0.0], rtol=1e-10, atol=1e-14)
    assert d["dV"] == pytest.approx(x, rel=1e-12)
    # masses ascending: 12y² - 4 and 12x² - 4 (both > 0 here)
    m2 = sorted([12 * x**2 - 4, 12 * y**2 - 4])
    np.testing.assert_allclose(d["masses_squared"], m2, rtol=1e-12)
    i = int(np.argmin(np.abs(np.asarray(d["masses_squared"]) - (12 * x**2 - 4))))
    assert d["dmasses_squared"][i] == pytest.approx(24 * x * dx, rel=1e-9)
    # and against central finite differences of vacua re-solved at a ± h
    h = 1e-5
    ys = [
        np.asarray(
            locate_critical_point(with_parameter(canon(model), "a", 0.3 + s * h), jnp.array([x, y]))
        )
        for s in (1, -1)
    ]
    np.testing.assert_allclose(d["dy"], (ys[0] - ys[1]) / (2 * h), rtol=1e-7, atol=1e-12)


class _Coupled(jaxvac.PotentialModel):
    """V = x⁴/4 - p x y + y², kinetic metric diag(2, 1): coupled, so a point stationary in x
    at fixed y is not a critical point of V (∂V/∂y = 2y - p x)."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")
    p: float = 1.5

    def potential(self, phi):
        x, y = phi[0], phi[1]
        return x**4 / 4 - self.p * x * y + y**2

    def field_metric(self, phi):
        return jnp.diag(jnp.array([2.0, 1.0], phi.dtype))


def test_locate_critical_point_with_a_fixed_coordinate():
    # y held at c: ∂V/∂x = x³ - p c = 0, so x* = (p c)^(1/3); dx*/dp = c/(3x*²);
    # V* = x*⁴/4 - p c x* + c², dV*/dp = -c x*; on the slice m² = V_xx/G_xx = 3x*²/2.
    from jaxvac._implicit import locate_critical_point, vacuum_observables, with_parameter

    p, c = 1.5, 0.8
    x = (p * c) ** (1 / 3)
    model = canon(_Coupled(p=p))
    y0 = jnp.array([1.3 * x, c])

    def solve(q):  # [x*, V*] and, as aux, the record and the same solve with a boolean mask
        m = with_parameter(model, "p", q)
        located = locate_critical_point(m, y0, fixed=[1])
        masked = locate_critical_point(m, y0, fixed=np.array([False, True]))
        return jnp.stack([located.y[0], m.scalar_potential(located.y)]), (located, masked.y)

    # one compile: the values, and the implicit derivatives by forward mode
    (dx, dv), (located, masked) = jax.jit(jax.jacfwd(solve, has_aux=True))(p)
    assert Result(int(located.result)) == Result.successful and bool(located.ok)
    assert float(located.y[1]) == c  # held exactly
    assert float(located.y[0]) == pytest.approx(x, rel=1e-14)
    assert np.asarray(masked).tolist() == np.asarray(located.y).tolist()
    a = located.analysis  # V restricted to the free coordinate x
    assert np.asarray(a.gradient).shape == (1,)
    assert float(a.V) == pytest.approx(x**4 / 4 - p * c * x + c**2, rel=1e-14)
    np.testing.assert_allclose(np.asarray(a.masses_squared), [1.5 * x**2], rtol=1e-13)
    assert CriticalType(int(a.critical_type)) == CriticalType.minimum
    assert float(dx) == pytest.approx(c / (3 * x**2), rel=1e-12)
    assert float(dv) == pytest.approx(-c * x, rel=1e-12)
    # not a critical point of V itself: ∂V/∂y = 2c - p x* ≠ 0 there
    full = jaxvac.analyse_point(model, located.y)
    assert Result(int(full.result)) == Result.not_critical
    with pytest.raises(TypeError, match="does not take fixed="):
        vacuum_observables(model, y0, fixed=[1])
    for bad, message in (
        ([2], "indices must lie in"),
        ([0, 1], "every coordinate is fixed"),
        (np.array([True]), "one entry per real coordinate"),
    ):
        with pytest.raises(ValueError, match=message):
            locate_critical_point(model, y0, fixed=bad)


def canon(model):
    return jaxvac.canonical(model)


def test_continuation_through_fold():
    # V = x³/3 - p x + y²: minimum (√p, 0) and saddle (-√p, 0) merge at p = 0 (closed form)
    from jaxvac._continuation import continue_critical_point

    model = model_class("Fold")(p=1.0)
    c = continue_critical_point(model, [1.0, 0.0], "p", -1.0, max_folds=1)
    assert c.status == "folded"
    folds = c.folds
    assert len(folds) == 1
    f = folds[0]
    assert f["refined"] is True
    assert abs(f["parameter"]) < 1e-10
    assert abs(f["fields"]["x"]) < 1e-6 and abs(f["fields"]["y"]) < 1e-10
    assert set(f["merging"]) == {"minimum", "saddle"}
    # the branch before the fold is the minimum x = √p, after it the saddle x = -√p
    before = c.parameters > 1e-3
    np.testing.assert_allclose(c.points[before, 0], np.sqrt(c.parameters[before]), rtol=1e-9)
    assert all(t == "minimum" for t, b in zip(c.types, before) if b)
    assert c.types[-1] == "saddle" and c.points[-1, 0] < 0
    np.testing.assert_allclose(c.points[-1, 0], -np.sqrt(c.parameters[-1]), rtol=1e-9)
    changes = [e for e in c.events if e["kind"] == "type_change"]
    assert len(changes) == 1 and (changes[0]["from"], changes[0]["to"]) == ("minimum", "saddle")


# ======================================================================================
# Slow: more supergravity models (each is one more compilation of the whole search)
# ======================================================================================


@pytest.mark.slow
def test_no_false_vacua_where_no_scale_cancellation_is_not_declared(kklt_reference):
    # KKLT with K = -3 log(T + T̄) as a plain kahler_potential: at t ≳ 300 V is ~10⁻¹³ of
    # its terms, and starts still marching down the slope there used to end "successful"
    # (12 of 1024 starts, a false vacuum at t ≈ 406 with 2 digits of V). The only
    # successful point must be KKLT's minimum (mpmath).
    r = find_critical_points(model_class("KKLTPlainK")(), starts=1024, seed=5)
    recs = r.to_dict()["critical_points"]
    ok = [rec for rec in recs if rec["result"] == "successful"]
    assert len(ok) == 1, r.result_counts()
    assert ok[0]["fields"]["T"]["re"] == pytest.approx(float(kklt_reference[0.0][0][0]), rel=1e-9)
    for rec in recs:
        if rec is not ok[0]:
            assert rec["result"] == "unresolved" and rec["digits"] < 1, rec


@pytest.mark.slow
def test_susy_solver_path(kklt_reference):
    # D_T W = 0 solved directly: KKLT's SUSY minimum; with the uplift the same D_T W = 0
    # point is no longer a critical point of V, so nothing is listed
    cls = model_class("KKLTUplift")
    r = find_critical_points(cls(D=0.0), susy=True, starts=64, seed=1)
    assert r.distinct == 1
    t = float(kklt_reference[0.0][0][0])
    assert r.points[0][0] == pytest.approx(t, rel=1e-10)
    assert bool(r.analysis(0).susy)
    r = find_critical_points(cls(D=D_UPLIFT), susy=True, starts=64, seed=1)
    assert r.distinct == 0
    assert np.sum(r.codes == Result.not_critical) >= 1


@pytest.mark.slow
def test_implicit_derivatives_kklt_vs_resolved_vacua(kklt_reference):
    # ∂(t*, V*, m²)/∂W0 at KKLT's SUSY minimum vs finite differences of vacua re-solved by
    # mpmath (D_T W = 0 at W0 ± h) — independent of jaxvac
    from jaxvac._implicit import vacuum_derivatives

    model = model_class("KKLTUplift")(D=0.0)
    t0 = float(kklt_reference[0.0][0][0])
    d = vacuum_derivatives(model, [t0 * 1.001, 0.0], "W0")
    mp.mp.dps = 40

    def vacuum(W0):
        t = mp.findroot(lambda s: W0 + mp.e ** (-s / 10) * (1 + s / 15), t0)
        V = sm.kklt_potential(t, 0, W0=W0)
        m2 = [
            mp.diff(lambda s: sm.kklt_potential(s, 0, W0=W0), t, 2) * 2 * t**2 / 3,
            mp.diff(lambda s: sm.kklt_potential(t, s, W0=W0), 0, 2) * 2 * t**2 / 3,
        ]
        return t, V, sorted(m2)

    h = mp.mpf("1e-10")
    hi, lo = vacuum(mp.mpf("-1e-4") + h), vacuum(mp.mpf("-1e-4") - h)
    assert d["dy"][0] == pytest.approx(float((hi[0] - lo[0]) / (2 * h)), rel=1e-7)
    assert abs(d["dy"][1]) < 1e-6 * abs(d["dy"][0])
    assert d["dV"] == pytest.approx(float((hi[1] - lo[1]) / (2 * h)), rel=1e-7)
    dm = [float((a - b) / (2 * h)) for a, b in zip(hi[2], lo[2])]
    np.testing.assert_allclose(d["dmasses_squared"], dm, rtol=1e-5)


@pytest.mark.slow
def test_kallosh_linde_racetrack_susy_minkowski():
    # KL hep-th/0411011: W = W0 + A e^{-aT} + B e^{-bT} has W = ∂_T W = 0 at
    # σ_cr = ln(aA/(-bB))/(a - b) when W0 = -A e^{-aσ_cr} - B e^{-bσ_cr}: a SUSY Minkowski
    # minimum (eqs. (2.3)-(2.5)), computed here from those formulas
    A, B, a, b = 1.0, -1.03, 2 * math.pi / 100, 2 * math.pi / 99
    sigma_cr = math.log(a * A / (-b * B)) / (a - b)
    W0_cr = -A * math.exp(-a * sigma_cr) - B * math.exp(-b * sigma_cr)
    model = jaxvac.models.Racetrack(W0=W0_cr, A=A, B=B, a=a, b=b)
    r = find_critical_points(
        model, region={"T": (20.0, 300.0), "T.im": (-500.0, 500.0)}, starts=128, seed=0
    )
    recs = r.to_dict()["critical_points"]
    mink = [
        k
        for k, rec in enumerate(recs)
        if abs(rec["fields"]["T"]["re"] - sigma_cr) < 1e-6 * sigma_cr
    ]
    assert len(mink) >= 1
    rec = recs[mink[0]]
    assert rec["susy"] is True and rec["type"] == "minimum"
    # V = 0 up to the rounding of W0_cr: |V| ≪ 3 e^K |W0|² (e^K = (2σ_cr)⁻³), the size
    # of the terms that cancel (float64 leaves W(σ_cr) ~ 1e-20, i.e. V ~ -1e-46: "AdS")
    assert abs(rec["V"]) <= 1e-12 * 3 * W0_cr**2 / (2 * sigma_cr) ** 3
    assert rec["vacuum"] in ("Minkowski", "AdS", "unresolved")
    # the model's default W0 is not this tuned value (hep-th/0411011's condition gives
    # W0_cr = -1.98e-4 for A, B, a, b above); with it the SUSY point is AdS, not Minkowski
    assert W0_cr == pytest.approx(-1.9815e-4, rel=1e-4)


@pytest.mark.slow
def test_lvs_minimum_against_mpmath():
    # LVS (hep-th/0502058): a non-supersymmetric AdS minimum at large volume. Every point
    # listed is checked against tests/mpref.py's F-term potential (K and W written again
    # in mpmath, derivatives by mp.diff): V agrees and the mpmath gradient vanishes there
    # relative to the size of V's terms (no spurious points)
    import mpref

    # parameters in the large-volume regime (a τ_s ≈ 7, volume ≈ 10³; with the model's
    # defaults ξ = 1, a = 2π/10 there is no LVS minimum: a τ_s would be < 1)
    W0, A, a, xi = 1.0, 1.0, 2 * math.pi / 3, 10.0
    model = jaxvac.models.LVS(W0=W0, A=A, a=a, xi=xi)
    r = find_critical_points(model, starts=256, seed=0)
    recs = r.to_dict()["critical_points"]
    assert any(
        rec["type"] == "minimum"
        and rec["vacuum"] == "AdS"
        and not rec["susy"]
        and rec["result"] == "successful"
        for rec in recs
    )
    mp.mp.dps = 30

    def K(rr):
        return -2 * mp.log(rr[0] ** 1.5 - rr[1] ** 1.5 + mp.mpf(xi) / 2)

    def W(z):
        return W0 + A * mp.exp(-a * z[1])

    for k, rec in enumerate(recs):
        y = [mp.mpf(float(v)) for v in r.points[k]]
        V = lambda *v: mpref.fterm_potential(K, W, list(v))
        Vy = V(*y)
        assert rec["V"] == pytest.approx(float(Vy), rel=1e-8)
        g = [mpref._partial(lambda rr: V(*rr), y, mpref._order(4, i)) for i in range(4)]
        scaled = max(abs(gi) * max(abs(yi), 1) for gi, yi in zip(g, y)) / abs(Vy)
        assert scaled < 1e-6, (rec["fields"], scaled)

    # examples/lvs_two_moduli.py's region (the same compiled program: the region and the
    # strategy's rounds are arguments): Newton with its step doubled after the global phase
    # flings the starts away — "global-doubled-newton", whose rounds all double the step or
    # skip the global phase, brings 2 of the 256 starts to the minimum (0 of examples/'s
    # 128) — while plain Newton from the same end point of the global phase, the default's
    # second round, brings 17 there, along the flat axion Im T_b (issue #20: that round is
    # why the default has it)
    region = {"Tb": (10.0, 1000.0), "Ts": (1.0, 20.0)}
    default = find_critical_points(model, region=region, starts=256, seed=0)
    minima = [p for p in default.to_dict()["critical_points"] if p["type"] == "minimum"]
    assert minima and all(p["vacuum"] == "AdS" and not p["susy"] for p in minima)
    saxions = {
        (round(p["fields"]["Tb"]["re"], 6), round(p["fields"]["Ts"]["re"], 6)) for p in minima
    }
    assert len(saxions) == 1  # one minimum up to the flat axion
    without = find_critical_points(
        model, region=region, starts=256, seed=0, strategy="global-doubled-newton"
    )
    solved = int(np.sum(default.codes == Result.successful))
    assert solved >= 5 * max(int(np.sum(without.codes == Result.successful)), 1), (default, without)


@pytest.mark.slow  # ~20 s (a DoubleWell compile of its own): the batched path, slow pass
def test_batched_starts_give_the_same_search():
    """``batch_size`` smaller than the number of starts solves them in consecutive vmapped
    batches (lax.map, bounded memory; 10⁴ starts of a 7-modulus model in one vmap needed
    33 GB): 200 starts in batches of 64 (three full batches and a remainder of 8) give
    the same result code per start, the same end points and the same distinct points as
    one vmap over all of them — bit for bit: each batch is its own execution of the
    program for 64 starts (the last padded), and each start is solved on its own."""
    model = model_class("DoubleWell")()
    one = find_critical_points(model, starts=200, seed=3, threads=1)
    batched = find_critical_points(model, starts=200, seed=3, batch_size=64, threads=1)
    np.testing.assert_array_equal(one.codes, batched.codes)
    for a, b in zip(jax.tree.leaves(batched.search), jax.tree.leaves(one.search)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b), strict=True)
    assert one.distinct == batched.distinct == 9
    np.testing.assert_allclose(batched.points, one.points, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        find_critical_points(model, starts=8, batch_size=0)


@pytest.mark.slow  # ~20 s; test_compacted_rounds_* covers threads vs one vmap
def test_threaded_search_gives_the_same_search():
    """``threads``: the starts split into parts run as concurrent executions (XLA's CPU
    backend runs one execution on ~one core; jaxvac/_parallel.py). 200 starts on 3 threads
    (2 parts of 128, the last padded with copies of the first start, dropped) give the same
    result code per start, end points, representatives and distinct points as one thread.
    A bad thread count is refused by name."""
    model = model_class("DoubleWell")()
    one = find_critical_points(model, starts=200, seed=3, threads=1)
    three = find_critical_points(model, starts=200, seed=3, threads=3)
    assert three.starts == 200
    np.testing.assert_array_equal(one.codes, three.codes)
    np.testing.assert_allclose(
        three.search.solutions.y, one.search.solutions.y, rtol=1e-12, atol=1e-12
    )
    np.testing.assert_array_equal(three.search.representative, one.search.representative)
    assert one.indices == three.indices and one.distinct == 9
    # batch_size bounds the starts in flight over all threads: 2 threads × parts of 32
    small = find_critical_points(model, starts=200, seed=3, threads=3, batch_size=64)
    np.testing.assert_array_equal(one.codes, small.codes)
    np.testing.assert_allclose(
        small.search.solutions.y, one.search.solutions.y, rtol=1e-12, atol=1e-12
    )
    assert small.indices == one.indices
    for bad in (0, -1, 1.5, "two", True):
        with pytest.raises(ValueError, match="threads must be an integer >= 1"):
            find_critical_points(model, starts=8, threads=bad)


# ---- shapes bucketed: one compiled program serves nearby numbers of starts (issue #20) --


@pytest.mark.slow  # ~20 s
def test_bucketed_search_is_the_unbucketed_search_bit_for_bit():
    """``find_critical_points`` pads its starts to a bucket (parts of a power of two, at most
    THREAD_PART per thread) and its solutions to a power of two for deduplication, dropping
    the padding. 200 starts on 2 threads give, leaf for leaf and bit for bit (two rounding-
    noise leaves to an ulp: FUSION_NOISE), the search of one program compiled for exactly
    those 200 starts (no padding, no split); and 256 starts
    then compile nothing new in the solver or the deduplication."""
    import equinox as eqx

    from jaxvac._find import _sample_jit
    from jaxvac._model import canonical
    from jaxvac._search import (
        _deduplicated_jit,
        _options,
        _search_from,
        _solve_jit,
        _solve_round_jit,
        as_region,
        bucket,
    )

    assert [bucket(n, 256) for n in (1, 2, 3, 100, 128, 129, 250, 256, 300)] == [
        1,
        2,
        4,
        128,
        128,
        256,
        256,
        256,
        256,
    ]
    assert bucket(300, 1000) == 512 and bucket(600, 1000) == 1000

    model = model_class("DoubleWell")()
    bucketed = find_critical_points(model, starts=200, seed=3, threads=2)
    m = canonical(model)
    region = as_region(m, None)
    y0 = _sample_jit(m, region, jax.random.key(3), 200)
    exact = eqx.filter_jit(_search_from)(m, region, y0, _options())
    assert_same_leaves(bucketed.search, exact, FUSION_NOISE)
    assert bucketed.distinct == 9

    def compiled():
        return (
            _solve_jit.jit._cached._cache_size(),
            _solve_round_jit.jit._cached._cache_size(),
            _deduplicated_jit.jit._cached._cache_size(),
        )

    sizes = compiled()
    more = find_critical_points(model, starts=256, seed=3, threads=2)
    assert compiled() == sizes
    assert more.starts == 256 and more.distinct == 9


def test_thread_count_from_the_environment(monkeypatch):
    """``$JAXVAC_THREADS`` sets the default; a bad value is an error naming the variable;
    without it the CPU backend uses the cores this process may run on."""
    from jaxvac._parallel import THREADS_ENV, default_threads

    monkeypatch.setenv(THREADS_ENV, "3")
    assert default_threads() == 3
    monkeypatch.setenv(THREADS_ENV, "0")
    with pytest.raises(ValueError, match="JAXVAC_THREADS must be an integer >= 1"):
        default_threads()
    monkeypatch.delenv(THREADS_ENV)
    assert default_threads() == len(os.sched_getaffinity(0))


@pytest.mark.slow  # 25-55 s: run by .ci/run after the default suite (10-min budget)
def test_step_doubling_reaches_the_small_basin_barrier(kklt_reference):
    """``step_doubling``: Newton's step doubled while it keeps marching. On KKLT + uplift the
    barrier (a small basin for plain Newton) is reached by several times more starts; every
    successful start still ends on one of the two critical points mpmath finds, and no
    start is a false vacuum. (The price, measured in bench/bench_newton_variants.py: fewer
    starts reach the large-basin dS minimum.)"""
    ref = sorted(kklt_reference[D_UPLIFT], key=lambda p: p[0])  # dS minimum, barrier
    model = model_class("KKLTUplift")(D=D_UPLIFT)
    per_point = {}
    for doubling in (1, 8):
        r = find_critical_points(model, starts=256, seed=5, global_steps=0, step_doubling=doubling)
        ok = r.codes == Result.successful
        ys = np.asarray(r.search.solutions.y)[ok]
        counts = [0, 0]
        for y in ys:
            hits = [
                k
                for k, (t, tau, *_) in enumerate(ref)
                if abs(y[0] - float(t)) < 1e-8 * float(t)
                and abs(periodic_diff(y[1] - float(tau), 20 * math.pi)) < 1e-6
            ]
            assert len(hits) == 1, f"successful start at {y} is no reference point"
            counts[hits[0]] += 1
        per_point[doubling] = counts
        assert r.distinct == 2
    assert per_point[8][1] >= 3 * max(per_point[1][1], 1), per_point
    with pytest.raises(ValueError, match="step_doubling must be >= 1"):
        find_critical_points(model, starts=8, step_doubling=0)


# ---- the search strategy: rounds, compaction (issue #20) --------------------------------


def test_rounds_of_the_strategies():
    """The default runs the global phase and Newton with its step doubled, then plain Newton
    from where the global phase ended, then doubled-step Newton and plain Newton from the
    start, for the starts each earlier round left; every round runs one program: with
    several rounds the global phase is compiled in and each round's global steps are an
    argument, and so is the step-doubling factor where the rounds' factors differ (one
    round: its settings are static options); a round identical to an earlier one is dropped;
    global_steps = 0 is Newton from the start and nothing else, whatever the strategy (the
    flagship scan's setting is unchanged); an unknown strategy is refused with the known ones
    listed."""
    from jaxvac._search import _options, _rounds

    def rounds(**kw):
        program, rs = _rounds(_options(**kw))
        assert program.strategy == "single"
        return (program.global_steps, program.step_doubling), [
            (r.steps, r.factor) + ((True,) if r.cont else ()) for r in rs
        ]

    assert rounds() == ((80, 1), [(80, 8), (0, 1, True), (0, 8), (0, 1)])
    assert rounds(strategy="global-doubling-newton") == ((80, 1), [(80, 1), (0, 8), (0, 1)])
    assert rounds(strategy="global-doubled-newton") == ((80, 1), [(80, 8), (0, 8), (0, 1)])
    assert rounds(strategy="newton-global") == ((80, 1), [(0, None), (80, None)])
    assert rounds(strategy="newton-global", step_doubling=4) == ((80, 4), [(0, None), (80, None)])
    assert rounds(strategy="global-newton", global_steps=0) == ((0, 1), [(None, None)])
    assert rounds(strategy="single") == ((80, 1), [(None, None)])
    assert rounds(global_steps=0) == ((0, 1), [(None, None)])
    assert rounds(strategy="global-continue-doubling-newton") == (
        (80, 1),
        [(80, 1), (0, 8, True), (0, 1)],
    )
    assert rounds(global_steps=0, strategy="newton-global") == ((0, 1), [(None, None)])
    # step_doubling = 8 asked for: the continuing round would be the first round's Newton
    # again, the last round the doubling round again
    assert rounds(step_doubling=8) == ((80, 8), [(80, None), (0, None)])
    assert rounds(strategy="global-doubling-newton", step_doubling=8) == (
        (80, 8),
        [(80, None), (0, None)],
    )
    # continuing with the factor the global round's Newton had would be that round again
    assert rounds(strategy="global-continue-doubling-newton", step_doubling=8) == (
        (80, 8),
        [(80, None), (0, None)],
    )
    with pytest.raises(ValueError, match="strategy must be one of single, global-newton"):
        _options(strategy="fastest")


@pytest.mark.parametrize(
    "strategy",
    [
        "global-doubling-newton",
        pytest.param("global-continue-doubling-newton", marks=pytest.mark.slow),  # ~20 s
    ],
)
def test_compacted_rounds_are_the_vmapped_rounds_bit_for_bit(strategy):
    """V = (2 + cos y)/x² has no critical point, so every start runs both rounds. The
    threaded search, which gathers the starts left after the first round into fewer parts
    (compaction), gives leaf for leaf and bit for bit (FUSION_NOISE aside) the search that
    runs every round for every start in one vmap (as scans do), also when a round continues from where the global
    phase ended; every start is a runaway or another failure, with its last round's
    (Newton-only) result: no global-phase objective recorded."""
    model = model_class("PowerSlope")()
    threaded = find_critical_points(model, starts=100, seed=4, threads=2, strategy=strategy)
    want = vmapped_search(model, 100, 4, strategy=strategy)
    assert_same_leaves(threaded.search, want, FUSION_NOISE)
    y0 = np.asarray(threaded.search.solutions.y0)  # every round reports the start itself
    assert np.all(y0[:, 0] > 0) and len(np.unique(y0[:, 0])) == 100
    assert set(int(c) for c in threaded.codes) <= {int(c) for c in FAILURES}
    assert np.all(np.isnan(np.asarray(threaded.search.solutions.global_objective)))


def test_default_finds_the_shallow_rku_ds_minimum_the_earlier_default_missed():
    """Seed 000's RKU model (Nmax = 10, ξ = 1e-3) at one parameter point of the RKU benchmark
    (bench/bench_newton_variants.py --part rku, sample 5 of 200): its stable dS vacuum is a
    shallow minimum in a chain of dS saddles at t = 23.3449 (τ = 0 mod N1·N2), located by the
    exact landscape (jaxvac/reproduce/_rku_landscape.py, a line solver independent of the
    search). The default strategy's first round doubles Newton's step after the global phase,
    so a start the global phase brought near the chain is carried to the minimum; under the
    earlier default (global phase + plain Newton first) those starts end on a dS saddle and
    are never retried, and the same 32 starts miss the vacuum (bench/results/
    newton_variants_rku.md: the vacua found of the 200, by find_critical_points and by the
    scan's solver, under each strategy)."""
    from jaxvac.models._rku import RKU

    t_exact, period = 23.344892689158407, 90.0
    model = RKU(
        W0=0.8630962801902439,
        A=-0.19464410885136316,
        B=0.7226664855195035,
        N1=10.0,
        N2=9.0,
        xi=1e-3,
    )

    def at_vacuum(r):
        ys = np.asarray(r.search.solutions.y)
        tau = np.abs((ys[:, 1] + period / 2) % period - period / 2)
        return np.flatnonzero(
            (r.codes == Result.successful)
            & (np.abs(ys[:, 0] - t_exact) < 1e-6 * t_exact)
            & (tau < 1e-6)
        )

    found = find_critical_points(model, region={"T": (1.0, 200.0)}, starts=32, seed=5)
    hits = at_vacuum(found)
    assert hits.size >= 1
    a = jaxvac.analyse(model, np.asarray(found.search.solutions.y)[hits[0]])
    assert a.result == Result.successful and a.critical_type == CriticalType.minimum
    assert float(a.V) > 0  # de Sitter
    before = find_critical_points(
        model, region={"T": (1.0, 200.0)}, starts=32, seed=5, strategy="global-doubling-newton"
    )
    assert at_vacuum(before).size == 0
    assert before.distinct >= 1  # it found other critical points (the saddles), not nothing


@pytest.mark.slow
def test_second_round_keeps_every_first_round_vacuum_and_adds(kklt_reference):
    """KKLT + uplift, 128 starts: every start that the global phase + doubled-step Newton
    (the single pipeline with step_doubling = 8) brings to a vacuum ends there under the
    default strategy too (same code, same point), and the later rounds (Newton with its step
    doubled, then plain Newton, from the start) bring many more starts to one of the two
    critical points mpmath finds; the threaded, compacted search is the vmapped one (same codes
    and points; 1-ulp differences where XLA fuses the larger program differently)."""
    ref = kklt_reference[D_UPLIFT]
    model = model_class("KKLTUplift")(D=D_UPLIFT)
    single = find_critical_points(model, starts=128, seed=2, strategy="single", step_doubling=8)
    rounds = find_critical_points(model, starts=128, seed=2)
    first = single.codes == Result.successful
    np.testing.assert_array_equal(rounds.codes[first], single.codes[first])
    np.testing.assert_array_equal(
        np.asarray(rounds.search.solutions.y)[first], np.asarray(single.search.solutions.y)[first]
    )
    ok = rounds.codes == Result.successful
    assert ok.sum() >= first.sum() + 20, (ok.sum(), first.sum())
    for y in np.asarray(rounds.search.solutions.y)[ok]:
        assert any(
            abs(y[0] - float(t)) < 1e-8 * float(t)
            and abs(periodic_diff(y[1] - float(tau), 20 * math.pi)) < 1e-6
            for t, tau, *_ in ref
        ), y
    # the vmapped search compiles every round into one program, where XLA fuses the analysis
    # differently: the same codes, representatives and points, values to the last bits
    exact = vmapped_search(model, 128, 2)
    np.testing.assert_array_equal(rounds.codes, np.asarray(exact.solutions.result))
    np.testing.assert_array_equal(rounds.search.representative, np.asarray(exact.representative))
    for a, b in zip(jax.tree.leaves(rounds.search), jax.tree.leaves(exact)):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype.kind == "f":
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-300)
        else:
            np.testing.assert_array_equal(a, b)
