"""Independent high-precision reference for tests: the F-term potential of a model whose
K and W are written again in mpmath, with every derivative by mpmath's high-precision
numerical differentiation (``mp.diff``). Nothing here uses jaxvac or JAX."""

from __future__ import annotations

import mpmath as mp


def _partial(f, point, orders):
    return mp.diff(lambda *v: f(list(v)), point, orders)


def _order(d, *idx):
    """Derivative orders (0,..,1,..) for the coordinates ``idx`` (repeats allowed)."""
    o = [0] * d
    for i in idx:
        o[i] += 1
    return tuple(o)


def kahler_data(K, r):
    """K, ∂_a K and ∂_a∂_b̄ K at real coordinates r = (x_1..x_n, y_1..y_n).

    ``K(r)`` is a real mpmath function of the real coordinates.
    """
    n = len(r) // 2
    d = 2 * n
    g = [_partial(K, r, _order(d, i)) for i in range(d)]
    h = [[_partial(K, r, _order(d, i, j)) for j in range(d)] for i in range(d)]
    K_a = [0.5 * (g[a] - 1j * g[n + a]) for a in range(n)]
    M = mp.matrix(n, n)
    for a in range(n):
        for b in range(n):
            A = h[a][b]
            C = h[n + a][n + b]
            B_ab = h[a][n + b]
            B_ba = h[b][n + a]
            M[a, b] = 0.25 * ((A + C) + 1j * (B_ab - B_ba))
    return K(r), K_a, M


def fterm_potential(K, W, r):
    """V = e^K (K^{ab̄} D_aW conj(D_bW) − 3|W|²) at real coordinates r.

    ``K(r)``: real function of real coordinates; ``W(z)``: function of a list of complex z.
    """
    n = len(r) // 2
    z = [mp.mpc(r[a], r[n + a]) for a in range(n)]
    Kv, K_a, M = kahler_data(K, r)
    Wv = W(z)
    W_a = []
    for a in range(n):

        def wa(t, a=a):
            zz = list(z)
            zz[a] = t
            return W(zz)

        W_a.append(mp.diff(wa, z[a]))
    F = mp.matrix([W_a[a] + K_a[a] * Wv for a in range(n)])
    Minv_F = mp.lu_solve(M, F)
    FF = sum(mp.conj(F[a]) * Minv_F[a] for a in range(n))
    return mp.exp(Kv) * (mp.re(FF) - 3 * abs(Wv) ** 2)


def gradient_and_hessian(V, r):
    """∂V and ∂²V of a real function V(r) by mp.diff."""
    d = len(r)
    g = [_partial(V, r, _order(d, i)) for i in range(d)]
    H = [[None] * d for _ in range(d)]
    for i in range(d):
        for j in range(i, d):
            H[i][j] = H[j][i] = _partial(V, r, _order(d, i, j))
    return g, H
