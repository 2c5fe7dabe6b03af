"""The plain-JAX small linear algebra against numpy/LAPACK, and its derivatives against
finite differences."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxvac import _linalg as la


@pytest.mark.parametrize("n", [1, 2, 3, 7, 14, 15])
def test_eigh_matches_lapack(n):
    rng = np.random.default_rng(n)
    A = rng.normal(size=(n, n))
    A = A + A.T
    w, V = la.eigh(jnp.asarray(A))
    np.testing.assert_allclose(w, np.linalg.eigvalsh(A), rtol=0, atol=1e-14 * np.abs(A).max() * n)
    np.testing.assert_allclose(np.asarray(V).T @ np.asarray(V), np.eye(n), atol=1e-14 * n)
    np.testing.assert_allclose(A @ np.asarray(V), np.asarray(V) * np.asarray(w), atol=1e-13 * n)


def test_eigh_graded_spectrum():
    """Eigenvalues spanning 60 orders of magnitude (a positive-definite graded matrix
    D^½ B D^½): Jacobi keeps the small ones to high relative accuracy."""
    rng = np.random.default_rng(1)
    d = 10.0 ** -np.arange(0, 60, 10.0)
    B = rng.normal(size=(6, 6))
    B = B @ B.T + 6 * np.eye(6)
    A = np.sqrt(d)[:, None] * B * np.sqrt(d)[None, :]
    import mpmath as mp

    with mp.workdps(80):
        ref = sorted(float(x) for x in mp.eigsy(mp.matrix(A.tolist()), eigvals_only=True))
    w = np.asarray(la.eigvalsh(jnp.asarray(A)))
    np.testing.assert_allclose(w, ref, rtol=1e-12)


def test_eigvalsh_derivative_matches_finite_differences():
    rng = np.random.default_rng(2)
    A = rng.normal(size=(6, 6))
    A = A + A.T
    dA = rng.normal(size=(6, 6))
    dA = dA + dA.T
    f = lambda t: la.eigvalsh(jnp.asarray(A) + t * dA)
    _, tangent = jax.jvp(f, (0.0,), (1.0,))
    h = 1e-6
    np.testing.assert_allclose(tangent, (f(h) - f(-h)) / (2 * h), rtol=1e-7, atol=1e-8)
    g = jax.grad(lambda a: la.eigvalsh(a)[0])(jnp.asarray(A))
    np.testing.assert_allclose(jnp.sum(g * dA), tangent[0], rtol=1e-10)


# sizes on both sides of UNROLL_MAX: unrolled rows and the fori_loop
SIZES = sorted({1, la.UNROLL_MAX, la.UNROLL_MAX + 1, 7})


@pytest.mark.parametrize("n", SIZES)
def test_cholesky_and_solves_complex_hermitian(n):
    rng = np.random.default_rng(3)
    M = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    M = M @ M.conj().T + n * np.eye(n)
    L = la.cholesky(jnp.asarray(M))
    np.testing.assert_allclose(np.asarray(L) @ np.asarray(L).conj().T, M, atol=1e-13)
    assert np.allclose(np.triu(np.asarray(L), 1), 0)
    b = rng.normal(size=n) + 1j * rng.normal(size=n)
    np.testing.assert_allclose(M @ np.asarray(la.cho_solve(L, jnp.asarray(b))), b, atol=1e-13)
    X = la.cho_solve(L, jnp.eye(n, dtype=complex))
    np.testing.assert_allclose(M @ np.asarray(X), np.eye(n), atol=1e-13)
    upper = la.solve_triangular(L, jnp.asarray(b), lower=True, conjugate_transpose=True)
    np.testing.assert_allclose(np.asarray(L).conj().T @ np.asarray(upper), b, atol=1e-13)
    R = np.triu(rng.normal(size=(n, n))) + 3 * np.eye(n)  # a real upper-triangular solve
    x = la.solve_triangular(jnp.asarray(R), jnp.asarray(b.real), lower=False)
    np.testing.assert_allclose(R @ np.asarray(x), b.real, atol=1e-13)


@pytest.mark.parametrize("n", [2, la.UNROLL_MAX + 2])
def test_cholesky_flags_indefinite(n):
    L = la.cholesky(jnp.asarray(np.diag([1.0, -2.0] + [3.0] * (n - 2))))
    assert not np.all(np.asarray(jnp.diag(L)) > 0)


@pytest.mark.parametrize("n", [la.UNROLL_MAX, la.UNROLL_MAX + 3])
def test_solve_derivative_matches_finite_differences(n):
    rng = np.random.default_rng(4)
    A = rng.normal(size=(n, n))
    A = A @ A.T + n * np.eye(n)
    dA = rng.normal(size=(n, n))
    dA = dA + dA.T
    b = rng.normal(size=n)
    f = lambda t: la.cho_solve(la.cholesky(jnp.asarray(A) + t * dA), jnp.asarray(b))
    _, tangent = jax.jvp(f, (0.0,), (1.0,))
    h = 1e-6
    np.testing.assert_allclose(tangent, (f(h) - f(-h)) / (2 * h), rtol=1e-7, atol=1e-9)


def test_batched_under_vmap():
    """A batch of independent eigen-decompositions and solves inside one vmap (the
    pattern that deadlocks jaxlib 0.10's batched LAPACK on a 2-core CPU)."""
    rng = np.random.default_rng(5)
    As = rng.normal(size=(64, 8, 8))
    As = As @ np.swapaxes(As, 1, 2) + 8 * np.eye(8)

    @jax.jit
    @jax.vmap
    def both(A):
        L = la.cholesky(A)
        return (
            la.eigvalsh(A),
            la.cho_solve(L, jnp.ones(8)),
            jax.hessian(lambda s: jnp.sum(la.eigvalsh(A * (1 + s[0] ** 2))))(jnp.ones(1)),
        )

    w, x, h = both(jnp.asarray(As))
    np.testing.assert_allclose(w, np.linalg.eigvalsh(As), rtol=1e-12)
    np.testing.assert_allclose(np.einsum("bij,bj->bi", As, x), 1.0, atol=1e-12)
    # d²/ds² Σλ(A(1+s²)) = 2 tr(A) at s = 1... (Σλ = tr A (1+s²))
    np.testing.assert_allclose(h[:, 0, 0], 2 * np.trace(As, axis1=1, axis2=2), rtol=1e-10)


def test_symmetric_svd_solver_matches_lstsq_under_vmap():
    """JacobiSymmetricSVD (SVD of a symmetric matrix from its n × n eigen-decomposition):
    the factorisation reproduces A with s descending, and the lineax solve is numpy's
    least-squares (minimum-norm) solution for indefinite, singular and 1 × 1 matrices,
    batched under vmap; its transpose solve (the implicit adjoint's) agrees too."""
    import lineax as lx

    rng = np.random.default_rng(11)
    B = rng.normal(size=(32, 6, 6))
    As = B + np.swapaxes(B, 1, 2)  # indefinite
    As[::4, :, 0] = 0.0  # every fourth: singular (a zero row and column)
    As[::4, 0, :] = 0.0
    bs = rng.normal(size=(32, 6))

    @jax.jit
    @jax.vmap
    def solve(A, b):
        U, s, Vt = la.symmetric_svd(A)
        op = lx.MatrixLinearOperator(A)
        x = lx.linear_solve(op, b, la.JacobiSymmetricSVD()).value
        xt = lx.linear_solve(op.T, b, la.JacobiSymmetricSVD()).value
        return U, s, Vt, x, xt

    U, s, Vt, x, xt = solve(jnp.asarray(As), jnp.asarray(bs))
    np.testing.assert_allclose(np.einsum("bij,bj,bjk->bik", U, s, Vt), As, atol=1e-12)
    assert np.all(np.diff(np.asarray(s), axis=1) <= 0)
    ref = np.stack([np.linalg.lstsq(A, b, rcond=None)[0] for A, b in zip(As, bs)])
    np.testing.assert_allclose(x, ref, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(xt, ref, rtol=1e-9, atol=1e-10)
    one = lx.linear_solve(
        lx.MatrixLinearOperator(jnp.array([[-4.0]])), jnp.array([2.0]), la.JacobiSymmetricSVD()
    ).value
    np.testing.assert_allclose(one, [-0.5], rtol=1e-15)


def test_argsort_matches_numpy_stable_order():
    """The comparison-count argsort (short vectors) and XLA's sort (longer ones) give
    numpy's stable ascending order, with ties, infinities and NaNs (last)."""
    rng = np.random.default_rng(6)
    f = jax.jit(la.argsort)
    for n in range(1, la.SORT_BY_RANK_MAX + 3):
        for _ in range(40):
            k = rng.choice([-1.5, 0.0, 0.5, 2.0], size=n) + (rng.random(n) < 0.5) * rng.normal(
                size=n
            )
            k[rng.random(n) < 0.2] = np.nan
            k[rng.random(n) < 0.1] = -np.inf
            k[rng.random(n) < 0.1] = np.inf
            np.testing.assert_array_equal(f(jnp.asarray(k)), np.argsort(k, kind="stable"))


def test_lapack_path_off_cpu_agrees(monkeypatch):
    """Off the CPU backend the kernels are jnp.linalg / jax.scipy (module docstring of
    jaxvac._linalg): same factors, solves, spectrum and eigenvalue derivatives as LAPACK
    (numpy) here, with the backend test forced; on the CPU no LAPACK custom call is traced."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(5, 5))
    A = X @ X.T + 5 * np.eye(5)
    b = jnp.asarray(rng.normal(size=5))

    def all_kernels(M):
        L = la.cholesky(M)
        return L, la.cho_solve(L, b), la.eigh(M)[0]

    def primitives(jaxpr):
        out = set()
        for eqn in jaxpr.eqns:
            out.add(eqn.primitive.name)
            for v in eqn.params.values():
                for sub in v if isinstance(v, (tuple, list)) else (v,):
                    inner = getattr(sub, "jaxpr", sub)
                    if hasattr(inner, "eqns"):
                        out |= primitives(inner)
        return out

    lapack = {"cholesky", "eigh", "triangular_solve"}
    assert not primitives(jax.make_jaxpr(all_kernels)(jnp.asarray(A)).jaxpr) & lapack
    monkeypatch.setattr(la, "uses_lapack", lambda: True)
    # a new function: make_jaxpr caches traces by function
    lapack_jaxpr = jax.make_jaxpr(lambda M: all_kernels(M))(jnp.asarray(A)).jaxpr
    assert primitives(lapack_jaxpr) >= lapack
    L, x, w = all_kernels(jnp.asarray(A))
    np.testing.assert_allclose(L, np.linalg.cholesky(A), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-12)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(A), rtol=1e-12)
    dA = rng.normal(size=(5, 5))
    dA = dA + dA.T
    _, dw = jax.jvp(lambda M: la.eigh(M)[0], (jnp.asarray(A),), (jnp.asarray(dA),))
    _, V = np.linalg.eigh(A)
    np.testing.assert_allclose(dw, np.diag(V.T @ dA @ V), rtol=1e-10, atol=1e-12)
    assert bool(jnp.all(jnp.isnan(jnp.diag(la.cholesky(-jnp.asarray(A))))))  # what callers test
