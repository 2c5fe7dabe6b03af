"""One critical-point type across the jobs (issue #16): search, locate, check, refine and
continuation give the points they reached as :class:`jaxvac.CriticalPoint`."""

from typing import ClassVar

import jax
import jax.numpy as jnp
import numpy as np

import jaxvac
from jaxvac import CriticalPoint, Result


class Quartic(jaxvac.PotentialModel):
    """V = x⁴/4 − x²/2 + (y − x)² + p x: minima near (±1, ±1), a saddle near 0."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")
    p: float = 0.0

    def potential(self, phi):
        x, y = phi[0], phi[1]
        return x**4 / 4 - x**2 / 2 + (y - x) ** 2 + self.p * x


def test_find_gives_its_points_as_critical_points():
    res = jaxvac.find_critical_points(
        Quartic(), starts=32, seed=1, region={"x": (-2, 2), "y": (-2, 2)}
    )
    pts = res.critical_points()
    assert len(pts) == res.distinct == 3
    assert all(isinstance(p, CriticalPoint) for p in pts)
    np.testing.assert_array_equal(np.stack([p.y for p in pts]), res.points)
    for k, (p, rec) in enumerate(zip(pts, res.records())):
        assert p.code is Result.successful and bool(p.ok)
        assert float(p.V) == rec["V"] == float(res.analysis(k).V)
        assert p.stats["basin_starts"] == rec["basin_starts"] >= 1
        assert res.codes[p.stats["start"]] == Result.successful
        assert p.steps == p.stats["steps"] >= 0
    assert sum(p.stats["basin_starts"] for p in pts) <= res.starts


def test_locate_returns_a_critical_point_and_stays_differentiable():
    located = jaxvac.locate_critical_point(Quartic(), jnp.array([0.9, 0.9]))
    assert isinstance(located, CriticalPoint) and jaxvac.LocatedCriticalPoint is CriticalPoint
    assert located.code is Result.successful and int(located.steps) == int(located.stats["steps"])
    np.testing.assert_allclose(np.asarray(located), [1.0, 1.0], atol=1e-12)
    assert float(located[0]) == float(located.y[0])

    # ∂x*/∂p at the minimum (1, 1): ∇V = (x³ − x − 2(y − x) + p, 2(y − x)) = 0 gives y = x,
    # x³ − x + p = 0, so dx/dp = −1/(3x² − 1) = −1/2
    def x_star(p):
        return jaxvac.locate_critical_point(Quartic(p=p), jnp.array([0.9, 0.9])).y[0]

    np.testing.assert_allclose(jax.grad(x_star)(0.0), -0.5, rtol=1e-10)
    batch = jax.vmap(lambda y0: jaxvac.locate_critical_point(Quartic(), y0))(
        jnp.array([[0.9, 0.9], [-0.9, -0.9]])
    )
    assert isinstance(batch, CriticalPoint) and batch.y.shape == (2, 2)
    assert np.all(np.asarray(batch.result) == Result.successful)


def test_check_and_refine_give_their_point():
    report = jaxvac.check(Quartic(), [1.0, 1.0])
    cp = report.critical_point
    assert cp.code is Result.successful and cp.analysis is report.analysis
    np.testing.assert_array_equal(np.asarray(cp), [1.0, 1.0])

    good = jaxvac.refine(Quartic(), {"x": 1.03, "y": 0.98}, digits=40)
    cp = good.critical_point
    assert cp is not None and cp.code is Result.successful
    assert cp.y.dtype == object and abs(float(cp.y[0]) - 1.0) < 1e-15  # mpmath values
    assert cp.stats["precision"] == 40 and cp.stats["status"] == "converged"
    assert cp.stats["residuals"] == list(good.residuals)
    unchecked = jaxvac.refine(Quartic(), {"x": 1.03, "y": 0.98}, digits=40, check=False)
    assert unchecked.critical_point is None  # nothing says what an unchecked point is


def test_continuation_gives_its_branch_as_critical_points():
    c = jaxvac.continue_critical_point(Quartic(), [1.0, 1.0], "p", 0.1)
    pts = c.critical_points()
    assert len(pts) == len(c.points) >= 2
    for k, p in enumerate(pts):
        assert p.code is Result.successful and p.stats["index"] == k
        assert p.stats["parameter"] == float(c.parameters[k])
        assert float(p.V) == float(c.V[k])
        np.testing.assert_array_equal(p.y, c.points[k])
