"""Classification on hand-made potentials, Kähler invariance, and bad input."""

import subprocess
import sys
import textwrap
from typing import ClassVar

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxvac
from jaxvac import CriticalType, Vacuum
from jaxvac.models import KKLT, LVS, KahlerUplift


class Quadratic(jaxvac.PotentialModel):
    """V = c + ½ Σ_i k_i φ_i² + q φ_0⁴ with a diagonal kinetic metric g: m_i² = k_i / g_i."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y", "w")
    c: float = 1.0
    kx: float = 1.0
    ky: float = 2.0
    kw: float = 3.0
    q: float = 0.0
    g: float = 1.0

    def potential(self, phi):
        k = jnp.stack([self.kx, self.ky, self.kw])
        return self.c + 0.5 * jnp.sum(k * phi**2) + self.q * phi[0] ** 4

    def field_metric(self, phi):
        return jnp.diag(jnp.stack([self.g, 1.0 + 0.0 * self.g, 1.0 + 0.0 * self.g]))


ORIGIN = np.zeros(3)


@pytest.mark.parametrize(
    "params,ctype,index,n_flat,vacuum,masses",
    [
        (dict(c=1.0), CriticalType.minimum, 0, 0, Vacuum.dS, [1, 2, 3]),
        (dict(c=1.0, ky=-2.0), CriticalType.saddle, 1, 0, Vacuum.dS, [-2, 1, 3]),
        (dict(c=-1.0, kx=-1.0, ky=-2.0), CriticalType.saddle, 2, 0, Vacuum.AdS, [-2, -1, 3]),
        (
            dict(c=1.0, kx=-1.0, ky=-2.0, kw=-3.0),
            CriticalType.maximum,
            3,
            0,
            Vacuum.dS,
            [-3, -2, -1],
        ),
        # A flat direction (quartic only): counted as flat, type decided by the rest.
        (dict(c=-1.0, kx=0.0, q=1.0), CriticalType.minimum, 0, 1, Vacuum.AdS, [0, 2, 3]),
        (dict(c=1.0, kx=0.0, ky=-2.0, kw=-3.0), CriticalType.maximum, 2, 1, Vacuum.dS, [-3, -2, 0]),
        # Canonical normalisation by the kinetic metric: m_x² = k_x / g.
        (dict(c=1.0, kx=2.0, g=4.0), CriticalType.minimum, 0, 0, Vacuum.dS, [0.5, 2, 3]),
        # V = 0 exactly with a vanishing scale: Minkowski.
        (dict(c=0.0), CriticalType.minimum, 0, 0, Vacuum.Minkowski, [1, 2, 3]),
    ],
)
def test_plain_potential_classification(params, ctype, index, n_flat, vacuum, masses):
    rec = jaxvac.check(Quadratic(**params), ORIGIN).to_dict()
    assert rec["result"] == "successful"
    assert rec["type"] == ctype.name
    assert rec["n_negative"] == index and rec["index"] == index
    assert rec["n_flat"] == n_flat
    assert rec["vacuum"] == vacuum.name
    np.testing.assert_allclose(rec["masses_squared"], masses, rtol=1e-14, atol=1e-14)
    if vacuum == Vacuum.dS:
        assert rec["epsilon"] == 0.0
        assert rec["eta"] == pytest.approx(min(masses) / params["c"], rel=1e-14)


def test_not_critical_and_slow_roll():
    # At x = 0.5: ∇V = (0.5, 0, 0), V = 1.125: ε = ½ (0.5)² / V², η = 1 / V... (m² = 1, 2, 3).
    rec = jaxvac.check(Quadratic(), np.array([0.5, 0.0, 0.0])).to_dict()
    assert rec["result"] == "not_critical"
    V = 1.0 + 0.5 * 0.25
    assert rec["V"] == pytest.approx(V, rel=1e-15)
    assert rec["epsilon"] == pytest.approx(0.5 * 0.25 / V**2, rel=1e-14)
    assert rec["eta"] == pytest.approx(1.0 / V, rel=1e-14)
    assert rec["gradient"] == {"x": 0.5, "y": 0.0, "w": 0.0}


class Shifted(jaxvac.SupergravityModel):
    """A model related to another by a Kähler transformation K → K + f + f̄, W → e^{-f} W
    with f(z) = Σ_a (c0_a + c1_a z_a + c2_a z_a²) (written without declared logs)."""

    moduli: ClassVar[tuple[str, ...]] = ("Tb", "Ts")
    saxions: ClassVar[tuple[str, ...]] = ("Tb", "Ts")
    base: LVS
    c0: jax.Array
    c1: jax.Array
    c2: jax.Array

    def _f(self, z):
        return jnp.sum(self.c0 + self.c1 * z + self.c2 * z**2)

    def kahler_potential(self, z, zbar):
        f = self._f(z)
        fbar = jnp.sum(jnp.conj(self.c0) + jnp.conj(self.c1) * zbar + jnp.conj(self.c2) * zbar**2)
        return self.base.kahler_potential(z, zbar) + f + fbar

    def superpotential(self, z):
        return jnp.exp(-self._f(z)) * self.base.superpotential(z)


_complex = st.complex_numbers(max_magnitude=0.05, allow_nan=False, allow_infinity=False)


@pytest.mark.slow  # ~45 s (15 hypothesis examples): run by .ci/run after the default suite
@settings(max_examples=15, deadline=None)
@given(
    c=st.lists(_complex, min_size=6, max_size=6),
    tb=st.floats(80.0, 300.0),
    ts=st.floats(3.0, 8.0),
    ab=st.floats(-3.0, 3.0),
    as_=st.floats(-1.0, 1.0),
)
def test_kahler_invariance(c, tb, ts, ab, as_):
    base = LVS(W0=0.5, A=1.0, a=2 * np.pi / 10, xi=1.0)
    c = np.asarray(c, dtype=np.complex128)
    c2 = c[4:] * 1e-3  # keep e^{-f} moderate over the sampled region
    shifted = Shifted(base=base, c0=c[:2], c1=c[2:4], c2=c2)
    y = np.array([tb, ts, ab, as_])
    a0 = jaxvac.analyse(base, y)
    a1 = jaxvac.analyse(shifted, y)
    S = float(a0.V_scale)
    assert abs(float(a1.V) - float(a0.V)) <= 1e-11 * S
    gs = np.max(np.abs(np.asarray(a0.gradient))) + 1e-300
    np.testing.assert_allclose(
        np.asarray(a1.gradient), np.asarray(a0.gradient), atol=1e-9 * gs, rtol=0
    )
    m0, m1 = np.asarray(a0.masses_squared), np.asarray(a1.masses_squared)
    np.testing.assert_allclose(m1, m0, atol=1e-8 * np.max(np.abs(m0)), rtol=0)


class WrongSign(jaxvac.SupergravityModel):
    """K = +3 log(T + T̄): the Kähler metric is negative definite."""

    moduli: ClassVar[tuple[str, ...]] = ("T",)
    saxions: ClassVar[tuple[str, ...]] = ("T",)

    def kahler_potential(self, z, zbar):
        return 3.0 * jnp.log(z[0] + zbar[0])

    def superpotential(self, z):
        return 1.0 + 0.1 * z[0]


def test_bad_metric_and_left_domain():
    rec = jaxvac.check(WrongSign(), {"T": 2.0}).to_dict()
    assert rec["result"] == "bad_metric"
    assert rec["type"] == "unresolved" and rec["vacuum"] == "unresolved"
    rec = jaxvac.check(KKLT(), {"T": -5.0}).to_dict()
    assert rec["result"] == "left_domain"
    assert rec["V"] is None or np.isnan(rec["V"])
    rec = jaxvac.check(KKLT(), {"T": 0.0}).to_dict()
    assert rec["result"] == "left_domain"


@pytest.mark.parametrize(
    "cls,kwargs,name",
    [
        (KKLT, dict(W0=float("nan")), "W0"),
        (KKLT, dict(A=float("inf")), "A"),
        (KKLT, dict(a=-0.1), "a"),
        (KahlerUplift, dict(xi=-1.0), "xi"),
        (LVS, dict(a=0.0), "a"),
    ],
)
def test_bad_parameters_name_the_parameter(cls, kwargs, name):
    with pytest.raises(ValueError, match=repr(name)):
        cls(**kwargs)


def test_class_declaration_errors():
    with pytest.raises(TypeError, match="saxion"):

        class Bad(jaxvac.SupergravityModel):
            moduli: ClassVar[tuple[str, ...]] = ("T",)
            saxions: ClassVar[tuple[str, ...]] = ("S",)


def test_refuses_float32():
    code = textwrap.dedent(
        """
        import jax, numpy as np
        jax.config.update("jax_enable_x64", False)
        import jaxvac
        try:
            jaxvac.check(jaxvac.models.KKLT(), {"T": 100.0})
        except jaxvac.PrecisionError as e:
            print("REFUSED", "jax_enable_x64" in str(e))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "REFUSED True" in out.stdout, out.stderr


def test_one_compile_serves_every_parameter_point():
    """Parameters are arrays after canonicalisation, so new values do not recompile."""
    from jaxvac._analysis import _analyse_jit

    jaxvac.analyse(KKLT(W0=-1e-4), np.array([100.0, 0.0]))
    before = _analyse_jit.jit._cached._cache_size()
    for w0 in (-2e-4, -3e-4, -5e-5):
        jaxvac.analyse(KKLT(W0=w0, a=0.2), np.array([90.0, 0.1]))
    assert _analyse_jit.jit._cached._cache_size() == before


def test_far_runaway_is_not_a_critical_point_despite_underflow():
    """Seven saxions at 1e30: V ~ 1e-215, so |∇V|²_G ~ 1e-430 underflows float64. The
    gradient norm is formed without squaring tiny numbers: the point is not critical,
    and ε = ½|∇V|²_G/V² = 7 (V ∝ Π 1/t_k with G_tt = 1/(2t²): ½ Σ_k 2 = 7)."""
    from search_models import SevenModuli

    y = np.concatenate([np.full(7, 1e30), np.zeros(7)])
    a = jaxvac.analyse(SevenModuli(), y)
    assert 0 < float(a.V) < 1e-200
    assert jaxvac.Result(int(a.result)) == jaxvac.Result.not_critical
    assert float(a.residual) > 1.0
    assert float(a.epsilon) == pytest.approx(7.0, rel=1e-12, abs=0)


def test_slope_that_passes_the_residual_is_not_critical():
    """KKLT with K = -3 log(T + T̄) written out (not declared): at t = 400 the no-scale
    cancellation leaves V ~ 1e-28, thirteen orders below its terms S, so the scale-free
    residual |∇V|_G / S is ~4e-11 and passes rtol = 1e-9 although t = 400 is on a slope.
    The Newton step still to take decides: its canonical length sqrt(3/2) |V_t / V_tt| / t
    (mpmath, from the hand-written potential) is ~0.03, resolved, so the point is
    not_critical. At the supersymmetric AdS minimum the step is below 1e-6."""
    import mpmath as mp
    from search_models import KKLTPlainK, kklt_critical_points, kklt_potential

    model = KKLTPlainK()
    t = 400.0
    a = jaxvac.analyse(model, np.array([t, 0.0]))
    assert float(a.residual) < 1e-9  # the old test alone would have called it stationary
    mp.mp.dps = 40
    Vt = mp.diff(lambda s: kklt_potential(s, 0), t)
    Vtt = mp.diff(lambda s: kklt_potential(s, 0), t, 2)
    expected = float(mp.sqrt(mp.mpf(3) / 2) * abs(Vt / Vtt) / t)
    assert float(a.newton_step) == pytest.approx(expected, rel=1e-2)
    assert float(a.newton_step) > 1e-6 + 10 * float(a.newton_step_error)
    assert jaxvac.Result(int(a.result)) == jaxvac.Result.not_critical
    assert not bool(a.stationary)

    ((t0, tau0, V0, _, _),) = [p for p in kklt_critical_points() if p[1] == 0 and p[2] < 0]
    b = jaxvac.analyse(model, np.array([float(t0), float(tau0)]))
    assert jaxvac.Result(int(b.result)) == jaxvac.Result.successful
    assert float(b.newton_step) < 1e-6
    assert float(b.V) == pytest.approx(float(V0), rel=1e-6)


def test_floored_newton_step_floors_flat_directions_and_keeps_signs():
    """jaxvac._analysis.floored_newton_step on a hand-made canonical spectrum (Q = L = 1):
    δφ = -g / λ̃ with λ̃ = sign(m²) max(|m²|, 10 m2_err) (sign(0) = +), and the spread
    |e| / |λ̃|: a negative mass² keeps its sign, a zero or unresolved one is floored."""
    from jaxvac._analysis import floored_newton_step

    m2 = jnp.array([-2.0, 0.0, 1e-20, 4.0])
    eye = jnp.eye(4)
    r = floored_newton_step(m2, eye, eye, 1e-3, jnp.ones(4), jnp.full(4, 0.1))
    np.testing.assert_allclose(r.step, [0.5, -100.0, -100.0, -0.25], rtol=1e-15)
    assert float(r.length) == pytest.approx(np.sqrt(0.25 + 2e4 + 0.0625), rel=1e-15)
    (spread,) = r.spread
    np.testing.assert_allclose(spread, [0.05, 10.0, 10.0, 0.025], rtol=1e-15)


def test_analysis_and_search_take_the_same_floored_newton_step():
    """V = c + ½ Σ k_i φ_i² with metric diag(g, 1, 1) and a negative k: the Newton step from
    φ is exactly -φ, of canonical length sqrt(g φ_x² + φ_y² + φ_w²). The analysis reports
    that length, the search (dedup tolerance, step check) the same step in y, and its
    location uncertainty covers the step (it counts the gradient left)."""
    from jaxvac._search import _newton_step_and_uncertainty

    model = Quadratic(kx=-1.0, ky=2.0, kw=3.0, g=4.0)
    y = np.array([0.3, -0.2, 0.1])
    a = jaxvac.analyse(model, y)
    assert float(a.newton_step) == pytest.approx(np.sqrt(4 * 0.09 + 0.04 + 0.01), rel=1e-13)
    assert 0 < float(a.newton_step_error) < 1e-13
    step, sigma_rounding, sigma = _newton_step_and_uncertainty(a)
    np.testing.assert_allclose(step, -y, rtol=1e-13)
    assert np.all(sigma_rounding > 0) and np.all(sigma_rounding < 1e-13)
    np.testing.assert_array_less(np.abs(y) * (1 - 1e-12), np.asarray(sigma))
