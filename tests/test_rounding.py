"""Running error analysis (jaxvac._rounding): the bounds hold against mpmath and are not
absurdly pessimistic; they work under jit/vmap and on gradients and Hessians; and they
give jaxvac.analyse the right verdict on plain potentials.

"Actual error" below is |float64 result - exact result of the same formula at the same
float64 inputs|, the exact result written again by hand in mpmath at 50 digits.
"""

from typing import ClassVar

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

import jaxvac
from jaxvac._interpret import UnsupportedPrimitiveError
from jaxvac._rounding import U, value_and_error

mp.mp.dps = 50
#: "Not absurdly pessimistic": the bound exceeds the worst actual error by at most this.
PESSIMISM = 1e3


def actual_error(computed, exact):
    return float(abs(mp.mpf(float(computed)) - exact))


def assert_bound(computed, bound, exact, *, pessimism=PESSIMISM, floor=0.0):
    """bound >= actual error, and bound <= pessimism * max(actual error, floor)."""
    err = actual_error(computed, exact)
    bound = float(bound)
    assert bound >= err, f"bound {bound:.3e} < actual error {err:.3e}"
    assert bound <= pessimism * max(err, floor), (
        f"bound {bound:.3e} more than {pessimism:g} x actual error {err:.3e}"
    )


# ---- elementary functions, against mpmath, with the measured accuracy of XLA ------------

FUNCTIONS = [
    ("exp", jnp.exp, mp.exp, (-30.0, 30.0)),
    ("log", jnp.log, mp.log, (1e-3, 1e3)),
    ("log1p", jnp.log1p, mp.log1p, (-0.9, 5.0)),
    ("expm1", jnp.expm1, mp.expm1, (-3.0, 3.0)),
    ("sin", jnp.sin, mp.sin, (-20.0, 20.0)),
    ("cos", jnp.cos, mp.cos, (-20.0, 20.0)),
    ("tanh", jnp.tanh, mp.tanh, (-4.0, 4.0)),
    ("sinh", jnp.sinh, mp.sinh, (-4.0, 4.0)),
    ("cosh", jnp.cosh, mp.cosh, (-4.0, 4.0)),
    ("sqrt", jnp.sqrt, mp.sqrt, (0.01, 100.0)),
    ("cbrt", jnp.cbrt, mp.cbrt, (0.01, 100.0)),
    ("pow", lambda x: x**-2.7, lambda x: x ** mp.mpf(-2.7), (0.1, 30.0)),
    ("integer_pow", lambda x: x**7, lambda x: x**7, (-3.0, 3.0)),
    ("atan", jnp.arctan, mp.atan, (-5.0, 5.0)),
    ("erf", jax.scipy.special.erf, mp.erf, (-3.0, 3.0)),
    ("logistic", jax.nn.sigmoid, lambda x: 1 / (1 + mp.exp(-x)), (-10.0, 10.0)),
]


@pytest.mark.parametrize("name,jfun,mfun,interval", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_elementary_functions_bounded(name, jfun, mfun, interval):
    x = np.random.default_rng(1).uniform(*interval, 400)
    values, bounds = jax.jit(jax.vmap(value_and_error(jfun)))(x)
    ratios = []
    for xi, vi, bi in zip(x, np.asarray(values), np.asarray(bounds)):
        exact = mfun(mp.mpf(xi))
        err = actual_error(vi, exact)
        assert bi >= err, f"{name}({xi!r}): bound {bi:.3e} < error {err:.3e}"
        ratios.append(bi / float(abs(exact)))
    # The relative bound is a few units of u (not a loose multiple of |v|).
    assert np.median(ratios) < 20 * U


def test_log1p_bad_region_of_xla_is_covered():
    # XLA's CPU log1p loses ~240 u near x = -0.414: the bound must still hold there.
    x = np.linspace(-0.42, -0.40, 300)
    values, bounds = jax.jit(jax.vmap(value_and_error(jnp.log1p)))(x)
    for xi, vi, bi in zip(x, np.asarray(values), np.asarray(bounds)):
        assert bi >= actual_error(vi, mp.log1p(mp.mpf(xi)))


def test_complex_arithmetic_bounded():
    rng = np.random.default_rng(2)
    z = rng.normal(size=200) + 1j * rng.normal(size=200)
    w = rng.normal(size=200) + 1j * rng.normal(size=200)

    def f(a, b):
        return jnp.real(a * b / (a + 2.0) - jnp.exp(b) * jnp.conj(a)) + jnp.abs(jnp.log(a))

    values, bounds = jax.jit(jax.vmap(value_and_error(f)))(z, w)
    for a, b, vi, bi in zip(z, w, np.asarray(values), np.asarray(bounds)):
        A, B = mp.mpc(a), mp.mpc(b)
        exact = mp.re(A * B / (A + 2) - mp.exp(B) * mp.conj(A)) + abs(mp.log(A))
        assert bi >= actual_error(vi, exact)


# ---- cancellations: bounds hold and stay within 10^3 of the actual error -----------------


def test_cancelling_sum():
    def f(x):
        return (x + 1e8) - 1e8 - x

    for x in (0.1, 0.3, 1.7, 3.14159, 12.345):
        v, e = value_and_error(f)(jnp.asarray(x))
        # Exact value 0; float64 keeps a rounding error of order u * 1e8.
        assert_bound(v, e, mp.mpf(0), floor=U * 1e8 / 8)


def test_cancelling_vector_sum():
    # Σ of large terms of both signs that cancel to a small remainder.
    terms = np.array([1e6 + 0.1, -1e6, 3.3e5, -3.3e5 + 0.25, 7.0, -7.0])

    def f(t):
        return jnp.sum(t * 1.1)

    v, e = value_and_error(f)(jnp.asarray(terms))
    exact = sum(mp.mpf(t) * mp.mpf(1.1) for t in terms)
    assert_bound(v, e, exact, floor=U * 1.1 * np.sum(np.abs(terms)) / 8)


@pytest.mark.parametrize("offset", [0.0, 1e-9, -3e-7, 1e-4])
def test_quartic_near_sqrt2(offset):
    f = lambda x: (x**2 - 2.0) ** 2  # noqa: E731
    x = np.sqrt(2.0) + offset
    X = mp.mpf(x)
    exact = (X**2 - 2) ** 2
    v, e = value_and_error(f)(jnp.asarray(x))
    assert_bound(v, e, exact, floor=U * float(abs(exact)) + U**2 * 4)
    g, eg = value_and_error(jax.grad(f))(jnp.asarray(x))
    assert_bound(g, eg, 4 * X * (X**2 - 2), floor=U * 8)
    h, eh = value_and_error(jax.hessian(f))(jnp.asarray(x))
    assert_bound(h, eh, 12 * X**2 - 8, floor=U * 16)


def _exp_potential(y):
    # A racetrack-like sum of exponentials: V = A e^{-a x} - B e^{-b x} + C e^{-2 a x} cos(y)
    x, t = y[0], y[1]
    return 2.0 * jnp.exp(-0.5 * x) - 3.1 * jnp.exp(-0.7 * x) + 0.8 * jnp.exp(-x) * jnp.cos(t)


def _exp_potential_mp(x, t):
    return (
        2 * mp.exp(-mp.mpf(0.5) * x)
        - mp.mpf(3.1) * mp.exp(-mp.mpf(0.7) * x)
        + mp.mpf(0.8) * mp.exp(-x) * mp.cos(t)
    )


def test_exp_sum_potential_value_gradient_hessian():
    # Near a zero of V, the sum cancels: bounds must follow.
    x0 = float(
        mp.findroot(lambda x: _exp_potential_mp(x, mp.mpf(0.3)), (1.0, 3.0), solver="anderson")
    )
    y = np.array([x0, 0.3])
    X, T = mp.mpf(y[0]), mp.mpf(y[1])
    f = lambda a, b: _exp_potential_mp(a, b)  # noqa: E731
    v, e = value_and_error(_exp_potential)(jnp.asarray(y))
    assert_bound(v, e, f(X, T), floor=U * 0.5)
    g, eg = value_and_error(jax.grad(_exp_potential))(jnp.asarray(y))
    exact_g = [mp.diff(f, (X, T), (1, 0)), mp.diff(f, (X, T), (0, 1))]
    for i in range(2):
        assert_bound(g[i], eg[i], exact_g[i], floor=U * 0.1)
    H, eH = value_and_error(jax.hessian(_exp_potential))(jnp.asarray(y))
    orders = {(0, 0): (2, 0), (0, 1): (1, 1), (1, 0): (1, 1), (1, 1): (0, 2)}
    for (i, j), o in orders.items():
        assert_bound(H[i, j], eH[i, j], mp.diff(f, (X, T), o), floor=U * 0.1)


def test_pi_literal_carries_its_representation_error():
    # jnp.pi is float64(π): the exact program is π·x, and the bound includes |π - fl(π)|x.
    x = 1e10
    v, e = value_and_error(lambda z: jnp.pi * z - 31415926535.897932)(jnp.asarray(x))
    exact = mp.pi * x - mp.mpf(31415926535.897932)
    assert_bound(v, e, exact)


def test_control_flow_and_custom_jvp():
    @jax.custom_jvp
    def softplus(x):
        return jnp.log1p(jnp.exp(x))

    softplus.defjvp(lambda p, t: (softplus(p[0]), t[0] * jax.nn.sigmoid(p[0])))

    def f(x):
        s = jax.lax.fori_loop(0, 5, lambda i, acc: acc * x + 1.0, 0.0)  # Horner, 1+x+..+x⁴
        s = jax.lax.cond(x > 0, lambda z: z - 5.0, lambda z: z + 5.0, s)
        return s + softplus(x)

    x = 1e-3
    v, e = jax.jit(value_and_error(f))(jnp.asarray(x))
    X = mp.mpf(x)
    exact = 1 + X + X**2 + X**3 + X**4 - 5 + mp.log1p(mp.exp(X))
    assert_bound(v, e, exact)


def test_pytree_outputs_and_vmap_agree_with_eager():
    def f(y):
        return {"a": jnp.sum(y**2), "b": (jnp.exp(y), y.astype(jnp.int32))}

    ys = jnp.asarray(np.random.default_rng(3).normal(size=(4, 3)))
    batched = jax.jit(jax.vmap(value_and_error(f)))(ys)
    for i in range(4):
        eager = value_and_error(f)(ys[i])
        for b, ea in zip(jax.tree.leaves(batched), jax.tree.leaves(eager)):
            # Equal up to the summation order XLA picks for the batch.
            np.testing.assert_allclose(np.asarray(b)[i], np.asarray(ea), rtol=4 * U, atol=0)
    assert float(jax.tree.leaves(batched[1]["b"][1])[0].max()) == 0.0


def test_unsupported_primitive_named():
    with pytest.raises(UnsupportedPrimitiveError, match="cholesky"):
        value_and_error(lambda a: jnp.linalg.cholesky(a))(jnp.eye(2))


# ---- the verdict of jaxvac.analyse on plain potentials -----------------------------------


class DoubleWell(jaxvac.PotentialModel):
    """V = (x² - 2)² + (y - 1)²(1 + x²) + c: a minimum at (√2, 1) with V = c."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")
    c: float = 0.0

    def potential(self, phi):
        x, y = phi[0], phi[1]
        return (x**2 - 2.0) ** 2 + (y - 1.0) ** 2 * (1.0 + x**2) + self.c


def test_analyse_minkowski_minimum_is_unresolved():
    a = jaxvac.analyse(DoubleWell(c=0.0), np.array([np.sqrt(2.0), 1.0]))
    # float64 V is a rounding residue (~2e-31); the bound says no digit survives.
    assert float(a.digits) < 0.5
    assert jaxvac.Vacuum(int(a.vacuum)) == jaxvac.Vacuum.unresolved
    assert jaxvac.Result(int(a.result)) == jaxvac.Result.unresolved
    # The masses (m² = 16 and 2(1 + x²) = 6) are still resolved.
    np.testing.assert_allclose(np.asarray(a.masses_squared), [6.0, 16.0], rtol=1e-13)
    assert jaxvac.CriticalType(int(a.critical_type)) == jaxvac.CriticalType.minimum


def test_analyse_de_sitter_minimum_keeps_digits():
    a = jaxvac.analyse(DoubleWell(c=0.25), np.array([np.sqrt(2.0), 1.0]))
    assert float(a.digits) >= 14.0
    assert jaxvac.Vacuum(int(a.vacuum)) == jaxvac.Vacuum.dS
    assert jaxvac.Result(int(a.result)) == jaxvac.Result.successful


def test_gather_scatter_add_in_gradient():
    # Indexing with an integer array makes gather; its gradient is a scatter-add.
    idx = jnp.asarray([0, 2, 0, 1])

    def f(x):
        return jnp.sum(jnp.exp(x[idx]) * x[idx] ** 2)

    x = jnp.asarray([0.3, -1.1, 2.2])
    g, eg = jax.jit(value_and_error(jax.grad(f)))(x)
    X = [mp.mpf(float(v)) for v in x]
    counts = [2, 1, 1]
    for i in range(3):
        exact = counts[i] * mp.exp(X[i]) * (X[i] ** 2 + 2 * X[i])
        assert_bound(g[i], eg[i], exact, floor=U * float(abs(exact)))
