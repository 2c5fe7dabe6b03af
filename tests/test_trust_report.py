"""Issue 13, finding 5: a failed differentiable-vacuum solve says so (a result code, NaN
derivatives) instead of differentiating some other point.

References are independent of jaxvac: closed forms."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxvac
from jaxvac import Result

import search_models as sm

# ---- finding 5: differentiable vacua carry their result code ----------------------------------------


def _double_well():
    model = jaxvac.canonical(sm.DoubleWell(a=0.3, b=-0.2))
    x = float(np.sort(np.roots([4, 0, -4, 0.3]).real)[2])
    y = float(np.sort(np.roots([4, 0, -4, -0.2]).real)[0])
    return model, x, y


def test_locate_critical_point_carries_its_result_and_exact_derivatives():
    # x* solves 4x³ - 4x + a = 0: dx*/da = -1/(12x² - 4)
    from jaxvac._implicit import locate_critical_point, with_parameter

    model, x, y = _double_well()
    y0 = jnp.array([x + 1e-3, y - 1e-3])
    located = locate_critical_point(model, y0)
    assert Result(int(located.result)) == Result.successful and bool(located.ok)
    assert int(located.steps) >= 2
    np.testing.assert_allclose(np.asarray(located), [x, y], rtol=1e-13)  # old access: the point
    assert float(located[0]) == pytest.approx(x, rel=1e-13)
    dx = jax.grad(lambda p: locate_critical_point(with_parameter(model, "a", p), y0).y[0])(0.3)
    assert float(dx) == pytest.approx(-1.0 / (12 * x**2 - 4), rel=1e-10)


def test_failed_locate_critical_point_reports_failure_and_nan_derivatives():
    """One Newton step from 1e-3 away is not converged (the point is 1.6e-6 from x*); Fold
    with p = -1 has no critical point at all (x² = p). Before, both returned a point with
    finite derivatives (-0.14158924 instead of -0.14158999; -0.452 for a critical point
    that does not exist) and no sign of failure."""
    from jaxvac._implicit import locate_critical_point, vacuum_derivatives, vacuum_observables, with_parameter

    model, x, y = _double_well()
    y0 = jnp.array([x + 1e-3, y - 1e-3])
    short = locate_critical_point(model, y0, max_steps=1)
    assert Result(int(short.result)) == Result.max_steps and not bool(short.ok)
    assert abs(float(short.y[0]) - x) > 1e-7  # the value is kept, flagged
    f = lambda p: locate_critical_point(with_parameter(model, "a", p), y0, max_steps=1).y[0]
    assert np.isnan(float(jax.grad(f)(0.3)))
    assert np.isnan(float(jax.jacfwd(f)(0.3)))

    fold = jaxvac.canonical(sm.Fold(p=-1.0))
    start = jnp.array([0.5, 0.0])
    lost = locate_critical_point(fold, start)
    assert Result(int(lost.result)) not in (Result.successful, Result.unresolved)
    g = lambda p: locate_critical_point(with_parameter(fold, "p", p), start).y[0]
    assert np.isnan(float(jax.grad(g)(-1.0)))
    obs = vacuum_observables(fold, start)
    assert Result(int(obs.result)) == Result(int(lost.result))
    assert np.isnan(float(jax.grad(lambda p: vacuum_observables(with_parameter(fold, "p", p), start).V)(-1.0)))
    d = vacuum_derivatives(fold, start, "p")
    assert d["result"] == Result(int(lost.result)).name
    assert np.all(np.isnan(d["dy"])) and np.isnan(d["dV"]) and np.all(np.isnan(d["dmasses_squared"]))
    # the converged solve of the same model class still differentiates exactly: dx*/dp = 1/(2√p)
    d = vacuum_derivatives(sm.Fold(p=1.0), [1.01, 0.0], "p")
    assert d["result"] == "successful" and d["dy"][0] == pytest.approx(0.5, rel=1e-10)


def test_failed_locate_critical_point_can_raise():
    from jaxvac._implicit import locate_critical_point

    fold = jaxvac.canonical(sm.Fold(p=-1.0))
    with pytest.raises(Exception, match="did not end at a critical point"):
        jax.block_until_ready(locate_critical_point(fold, jnp.array([0.5, 0.0]), throw=True).y)


def test_continuation_refuses_a_start_that_is_not_critical():
    from jaxvac._continuation import continue_critical_point

    with pytest.raises(ValueError, match="no critical point found near y0"):
        continue_critical_point(sm.Fold(p=-1.0), [0.5, 0.0], "p", -2.0)
