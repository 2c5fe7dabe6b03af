"""𝓔₃ summed over the box |p|, |q| ≤ N (jaxvac.special.E3_box): the finite double loop of (141)."""

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

from jaxvac.special import E3, E3_box, E3_box_mp, E3_box_xy


@pytest.mark.parametrize("U, N", [(0.3 + 0.7j, 3), (-0.52 + 3.34j, 5), (0.1 + 0.05j, 4)])
def test_box_sum_matches_mpmath(U, N):
    assert float(E3_box(U, N)) == pytest.approx(float(E3_box_mp(U, N, 30)), rel=1e-13)


def test_box_sum_is_the_asymmetric_loop():
    # the box holds n = 2q+1 from -(2N-1) to 2N+1: the term (p, q) = (0, N) is in, (0, -N-1) not
    U, N = 0.3 + 1.1j, 2
    y = U.imag
    by_hand = sum(
        y**3 / abs(p + (2 * q + 1) * U) ** 6 for p in range(-N, N + 1) for q in range(-N, N + 1)
    )
    assert float(E3_box(U, N)) == pytest.approx(by_hand, rel=1e-14)


def test_box_sum_converges_to_E3_below_and_not_beyond_N():
    U = -0.52 + 3.34j
    exact = float(E3(U))
    d = [exact - float(E3_box(U, N)) for N in (20, 60, 200)]
    assert all(v > 0 for v in d) and d[0] > d[1] > d[2]  # every term is positive
    assert d[2] / exact < 1e-5
    # far beyond the box (Im U >> N) the truncated sum falls like 1/y³, E3 like 1/y²
    r = [float(E3_box(1j * y, 5)) * y**3 for y in (200.0, 400.0)]
    assert r[1] == pytest.approx(r[0], rel=0.02)


def test_box_sum_autodiff_against_finite_differences():
    x, y, N = -0.4, 2.5, 10
    g = jax.grad(lambda p: E3_box_xy(p[0], p[1], N))(jnp.array([x, y]))
    with mp.workdps(30):
        h = mp.mpf("1e-8")
        fd = [
            (E3_box_mp(mp.mpc(x + h, y), N) - E3_box_mp(mp.mpc(x - h, y), N)) / (2 * h),
            (E3_box_mp(mp.mpc(x, y + h), N) - E3_box_mp(mp.mpc(x, y - h), N)) / (2 * h),
        ]
    np.testing.assert_allclose(np.asarray(g), [float(v) for v in fd], rtol=1e-10)


def test_box_sum_rejects_the_lower_half_plane():
    with pytest.raises(ValueError, match="upper half plane"):
        E3_box(0.3 - 0.1j, 3)
