"""Float64 range errors (issue: no false vacua from overflow or underflow).

Each case here was a confident wrong answer before jaxvac._range: a flushed e^{-aT}
made a "successful" Minkowski vacuum, and JAX's derivative of a quotient overflowed
inside XLA and turned a maximum's m² into a wrong value with 15 digits.
"""

from typing import ClassVar

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxvac
from jaxvac import Result
from jaxvac._range import OVERFLOW, UNDERFLOW, describe, range_checked, safe
from jaxvac.models import KKLT


def _second(f):
    return jax.grad(jax.grad(f))


# ---- the interpreter ---------------------------------------------------------------------


@pytest.mark.parametrize("t", [5e57, 1e100, 1e150])
def test_plain_jax_second_derivative_of_1_over_t2_is_flagged(t):
    # JAX's own rule: -3.2e-231 at 5e57 instead of +9.6e-231 (an inf inside integer_pow).
    value, flags = range_checked(_second(lambda s: 1 / s**2))(t)
    exact = 6.0 * (1.0 / t) ** 2 * (1.0 / t) ** 2  # 6/t⁴ without overflow (0 below range)
    assert int(flags) != 0 or float(value) == pytest.approx(exact, rel=1e-12)
    assert int(flags) != 0  # it is wrong (or below range) at every one of these points


def test_unflagged_where_nothing_leaves_the_range():
    for fun, x in [
        (_second(lambda s: 1 / s**2), 5.0),
        (lambda s: jnp.exp(-s) * 3.0, 700.0),
        (jax.hessian(lambda s: jnp.log(s) + s**-3), 1e50),
    ]:
        _, flags = range_checked(fun)(x)
        assert int(flags) == 0


def test_underflow_and_absorbed_overflow_are_named():
    _, flags = range_checked(lambda s: jnp.exp(-s) + 1.0)(900.0)  # e^-900 flushed to 0
    assert describe(flags) == ["underflow"] and int(flags) == UNDERFLOW
    _, flags = range_checked(lambda s: 1.0 / (s * s * s) + 1.0)(1e200)  # 1/inf = 0
    assert "overflow" in describe(flags) and int(flags) & OVERFLOW
    _, flags = range_checked(lambda s: 1e-300 * (s * 1e-300))(1.0)  # a product below range
    assert int(flags) == UNDERFLOW


def test_branch_not_taken_raises_nothing():
    # the inf of 1/x and the flushed exp in the unselected branches do not count
    f = lambda x: jnp.where(x > 0, 1.0 / jnp.where(x > 0, x, 1.0), jnp.exp(-1000.0 * x))  # noqa: E731
    for x in (0.0, 2.0):
        _, flags = range_checked(f)(x)
        assert int(flags) == 0
    _, flags = range_checked(f)(-1.0)  # ... but they do where they are taken
    assert int(flags) == 0  # exp(+1000) = inf reaches the output unabsorbed: visible, not a flag
    assert not np.isfinite(f(-1.0))


def test_flags_follow_elements_and_loops():
    def fun(x):
        y = jnp.stack([jnp.exp(-x[0]), x[1] * 2.0])
        return jax.lax.fori_loop(0, 3, lambda i, c: c * 1.5, y)

    _, flags = jax.jit(range_checked(fun))(jnp.array([800.0, 1.0]))
    assert list(np.asarray(flags)) == [UNDERFLOW, 0]
    _, flags = jax.vmap(range_checked(lambda x: jnp.exp(-x)))(jnp.array([1.0, 800.0]))
    assert list(np.asarray(flags)) == [0, UNDERFLOW]


# ---- derivatives that stay in range ------------------------------------------------------


@pytest.mark.parametrize("t", [5.0, 5e57, 1e60])
def test_safe_derivatives_of_powers_and_quotients(t):
    f = lambda s: 1 / s**2 - 2.0 / (s * s * s) + s**-3  # noqa: E731
    exact = 6 / t**2 / t**2 - 24 / t**2 / t**3 + 12 / t**2 / t**3
    # forward over forward, as jaxvac differentiates: every intermediate in range
    value, flags = range_checked(jax.jacfwd(jax.jacfwd(safe(f))))(t)
    assert int(flags) == 0
    assert float(value) == pytest.approx(exact, rel=1e-13)
    # reverse mode carries ∂f/∂b = -a/b², which can itself leave the range: then flagged
    value, flags = range_checked(_second(safe(f)))(t)
    assert int(flags) != 0 or float(value) == pytest.approx(exact, rel=1e-13)
    # values are unchanged, and first derivatives agree with JAX's own
    assert float(safe(f)(t)) == float(f(t))
    assert float(jax.grad(safe(f))(t)) == pytest.approx(float(jax.grad(f)(t)), rel=1e-14)


def test_safe_derivatives_complex_and_reverse_mode():
    f = lambda z: 1.0 / (z**2 + 1.0) + z**-2  # noqa: E731
    z = 0.3 + 0.7j
    jax_d = jax.jacfwd(f, holomorphic=True)(z)
    safe_d = jax.jacfwd(safe(f), holomorphic=True)(z)
    assert complex(safe_d) == pytest.approx(complex(jax_d), rel=1e-14)
    g = lambda x: jnp.sum(x[0] / x[1] ** 2)  # noqa: E731
    x = jnp.array([2.0, 3.0])
    np.testing.assert_allclose(jax.hessian(safe(g))(x), jax.hessian(g)(x), rtol=1e-14)


# ---- the analysis: no false vacua ---------------------------------------------------------


class InversePowers(jaxvac.PotentialModel):
    """V = 1/t² - c t⁻³: a maximum at t* = 3c/2 with m² = V''(t*) = -2/t*⁴ (metric 1).

    Written with ``c*t**-3`` (not ``c/t**3``): JAX's second derivative of ``1/t**2`` is
    wrong at t ~ 1e57 while that of ``c*t**-3`` is right, so the errors do not cancel."""

    fields: ClassVar[tuple[str, ...]] = ("t",)
    positive: ClassVar[tuple[str, ...]] = ("t",)
    c: float = 2.0 / 3.0 * 5e57

    def potential(self, phi):
        t = phi[0]
        return 1 / t**2 - self.c * t**-3


def test_maximum_at_t_5e57_has_the_right_mass_or_is_unresolved():
    t_star = 1.5 * InversePowers.c
    a = jaxvac.analyse(InversePowers(), np.array([t_star]))
    m2_exact = -2.0 / t_star**2 / t_star**2
    if int(a.result) == Result.successful:
        assert int(a.critical_type) == jaxvac.CriticalType.maximum
        assert float(a.masses_squared[0]) == pytest.approx(m2_exact, rel=1e-10)
    else:
        assert int(a.result) == Result.unresolved and int(a.range_flags) != 0
    # With range-safe derivatives it is, in fact, resolved:
    assert int(a.result) == Result.successful and int(a.range_flags) == 0


def test_maximum_beyond_the_range_is_unresolved_not_wrong():
    # t* = 1.5e100: m² = -2/t*⁴ ~ 4e-401 is below float64's range.
    model = InversePowers(c=1e100)
    a = jaxvac.analyse(model, np.array([1.5e100]))
    assert int(a.result) != Result.successful
    assert int(a.range_flags) & UNDERFLOW


@pytest.mark.parametrize("point", [{"T": 9000.0}, {"T": 15000.0 + 3.0j}])
def test_kklt_flushed_exponential_is_not_a_minkowski_vacuum(point):
    report = jaxvac.check(KKLT(), point)
    d = report.to_dict()
    assert d["result"] == "unresolved"
    assert d["vacuum"] != "Minkowski"
    assert "underflow" in d["range_errors"]
    assert "underflow" in d["message"] and "--digits" in d["message"]
    assert d["advice"] and "--digits" in d["advice"]


def test_kklt_tiny_w0_is_not_a_minkowski_vacuum():
    d = jaxvac.check(KKLT(W0=-1e-300), {"T": 5000.0}).to_dict()
    assert d["result"] != "successful" and d["vacuum"] != "Minkowski"


@pytest.mark.slow  # ~25 s: a whole search in the underflow region
def test_find_reports_no_vacua_where_everything_underflows():
    # was: 32 "distinct successful" Minkowski vacua
    res = jaxvac.find_critical_points(KKLT(), region={"T": (8000.0, 20000.0)}, starts=32, seed=0)
    assert int(np.sum(res.codes == Result.successful)) == 0
    assert all(r["result"] != "successful" for r in res.records())


def test_genuine_kklt_vacuum_is_untouched():
    d = jaxvac.check(KKLT(), {"T": 113.589124073558}).to_dict()
    assert d["result"] == "successful" and d["range_errors"] == []
    assert d["vacuum"] == "AdS" and d["type"] == "minimum"


class KKLTWithFlushedTerm(jaxvac.SupergravityModel):
    """KKLT plus B e^{-bT} with b T ≈ 1100 at the vacuum: the term is flushed to 0 (and
    its derivatives too) but is negligible there, so it must not cost the vacuum."""

    moduli: ClassVar[tuple[str, ...]] = ("T",)
    saxions: ClassVar[tuple[str, ...]] = ("T",)
    W0: float = -1e-4
    A: float = 1.0
    a: float = 0.1
    B: float = 1.0
    b: float = 10.0

    def kahler_potential(self, z, zbar):
        return -3.0 * jnp.log(z[0] + zbar[0])

    def superpotential(self, z):
        return self.W0 + self.A * jnp.exp(-self.a * z[0]) + self.B * jnp.exp(-self.b * z[0])


def test_a_negligible_flushed_term_does_not_cost_the_vacuum():
    d = jaxvac.check(KKLTWithFlushedTerm(), {"T": 113.589124073558}).to_dict()
    assert d["result"] == "successful" and d["range_errors"] == []
    ref = jaxvac.check(KKLT(), {"T": 113.589124073558}).to_dict()
    assert d["V"] == pytest.approx(ref["V"], rel=1e-14)
    assert d["masses_squared"] == pytest.approx(ref["masses_squared"], rel=1e-12)
    # ... while the same flushed term where it is all there is, is a range error
    d = jaxvac.check(KKLTWithFlushedTerm(W0=0.0, A=0.0), {"T": 113.589124073558}).to_dict()
    assert d["result"] != "successful"


def test_safe_keeps_stop_gradient_and_custom_rules():
    # an earlier version dropped stop_gradient (the identity on values), so reverse mode
    # differentiated 𝓔₃'s modular reduction and returned NaN
    f = lambda x: x * jax.lax.stop_gradient(x) + jnp.sin(x)  # noqa: E731
    assert float(jax.grad(safe(f))(0.7)) == pytest.approx(float(jax.grad(f)(0.7)), rel=1e-15)
    from jaxvac.models._dps import eisenstein_e3

    g = lambda x: jnp.real(eisenstein_e3(x + 0.2j))  # noqa: E731
    for d in (jax.grad, jax.jacfwd):
        assert float(d(safe(g))(1.55)) == pytest.approx(float(d(g)(1.55)), rel=1e-13)
