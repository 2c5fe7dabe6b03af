"""Geometry of the field space at one point, by autodiff: Wirtinger derivatives, the
F-term potential's pieces, the real kinetic metric, the canonical mass matrix.

The one home of these formulas: models (:mod:`jaxvac._model`), the analysis and the search
call them; none of them dispatches on the kind of model (a model's own methods do).
Every function here is a pure function of one point; batch with ``jax.vmap``.

Supergravity (see ``docs/numerics.md`` for the derivation)::

    V = e^K ( K^{ab̄} D_aW conj(D_bW) - 3|W|^2 ) + V_extra,   D_aW = W_a + K_a W.

With the no-scale logarithms K0 = -Σ n_i log(z_i + z̄_i) declared by the model and
K = K0 + δK, the identity K0^{ab̄} K0_b̄ = -(z_a + z̄_a) =: v0_a gives, exactly,

    K^{ab̄} K_a K_b̄ - Σn = 2 Re(v0·δk) - v0ᵀ δM v0 + s† M⁻¹ s,   s = δk - δM v0,

(δk = ∂δK, δM = ∂∂̄δK, M = K_{ab̄}) so the deficit is computed from δK alone, without
the cancellation of two O(1) numbers. With no declared logarithms v0 = 0, Σn = 0 and
the same formula is the textbook one.

This module imports no model class (models import it), so it sits below
:mod:`jaxvac._model` in the layering (docs/architecture.md).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp

from . import _linalg, _range


class Wirtinger(eqx.Module):
    """A real function of complex variables and its Wirtinger derivatives."""

    value: jax.Array  # f
    d: jax.Array  # ∂_a f, complex (n,)
    dd: jax.Array  # ∂_a ∂_b̄ f, complex (n, n), Hermitian


def wirtinger(fun, y) -> Wirtinger:
    """Value, ∂_a f and ∂_a∂_b̄ f of a real ``fun(y)``, ``y = (Re z, Im z)``.

    Computed from the real gradient and Hessian: ∂_a = ½(∂_{x_a} - i∂_{y_a}).

    **Arguments:**

    - `fun`: a real function of the real coordinates.
    - `y`: the point, `(Re z, Im z)`.

    **Returns:**

    A `Wirtinger`: `value`, `d` (∂_a f, complex (n,)) and `dd` (∂_a∂_b̄ f, complex (n, n)).
    """
    n = y.shape[0] // 2
    value, grad, hess = value_gradient_hessian(fun, y)
    d = 0.5 * (grad[:n] - 1j * grad[n:])
    a, b, c = hess[:n, :n], hess[:n, n:], hess[n:, n:]
    dd = 0.25 * ((a + c) + 1j * (b - b.T))
    return Wirtinger(value, d, dd)


class FTermParts(eqx.Module):
    """The pieces of the F-term potential at one point (supergravity models)."""

    K: jax.Array  # Kähler potential
    K_a: jax.Array  # ∂_a K, complex (n,)
    metric: jax.Array  # K_{ab̄}, complex Hermitian (n, n)
    inverse_metric: jax.Array  # K^{ab̄} as the matrix inverse of ``metric``
    W: jax.Array  # superpotential, complex
    W_a: jax.Array  # ∂_a W, complex (n,)
    F: jax.Array  # D_a W = W_a + K_a W, complex (n,)
    F_norm2: jax.Array  # K^{ab̄} D_aW conj(D_bW), computed from F directly
    K_inv_K: jax.Array  # m = K^{ab̄} K_b̄ (M⁻¹ k), complex (n,): V_F's coefficient of W W_a†
    W2_coefficient_scale: jax.Array  # Σ |terms| of V_F's coefficient of |W|² (e^K aside)
    V_F: jax.Array  # F-term potential
    V_extra: jax.Array  # extra_potential
    V: jax.Array  # V_F + V_extra
    scale: jax.Array  # Σ |terms| of the formula used: the natural scale of V
    eK_W2: jax.Array  # e^K |W|^2 (= m_{3/2}^2)
    gravitino_mass: jax.Array  # e^{K/2} |W|


def _kahler_real(fun, model: Any):
    n = model.n_moduli
    fun = _range.safe(fun)

    def k(y):
        z = y[:n] + 1j * y[n:]
        return jnp.real(fun(z, jnp.conj(z)))

    return k


def _fterm_parts(model: Any, y) -> FTermParts:
    """The body of :func:`fterm_parts` (traced there once, or inline)."""
    n = model.n_moduli
    x, t = y[:n], y[n:]
    z = x + 1j * t
    weights = model.log_weights()
    declared = bool(model.kahler_logs())

    if declared:
        rem = wirtinger(_kahler_real(model.kahler_remainder, model), y)
        log = wirtinger(_kahler_real(model.kahler_log_part, model), y)
        K = log.value + rem.value
        dk, dM = rem.d, rem.dd
        k = log.d + dk
        M = log.dd + dM
        # K0^{ab̄} K0_b̄ = -(z_a + z̄_a) for each declared logarithm (exact identity).
        v0 = jnp.where(weights != 0, -2.0 * x, 0.0)
        n0 = jnp.sum(weights)
    else:
        full = wirtinger(_kahler_real(model.kahler_potential, model), y)
        K, k, M = full.value, full.d, full.dd
        dk, dM = k, M
        v0 = jnp.zeros_like(x)
        n0 = jnp.zeros((), x.dtype)

    superpotential = _range.safe(model.superpotential)
    W = jnp.asarray(superpotential(z), dtype=jnp.complex128)
    W_a = jax.jacfwd(lambda xx: jnp.asarray(superpotential(xx + 1j * t), jnp.complex128))(x)

    solve = hermitian_solver(M)

    s = dk - dM @ v0
    Minv_s = solve(s)
    Minv_dW = solve(W_a)
    m = v0 + Minv_s  # = K^{ab̄} K_b̄ in matrix form M⁻¹ k
    W2 = jnp.real(W * jnp.conj(W))  # |W|², smooth at W = 0 to every order (no sqrt)

    P = jnp.real(jnp.vdot(W_a, Minv_dW))
    cross = 2.0 * jnp.real(W * jnp.vdot(W_a, m))
    d1 = 2.0 * jnp.real(jnp.dot(v0, dk))
    d2 = jnp.real(v0 @ dM @ v0)
    d3 = jnp.real(jnp.vdot(s, Minv_s))
    deficit = d1 - d2 + d3  # K^{ab̄}K_aK_b̄ - Σn
    eK = jnp.exp(K)
    V_F = eK * (P + cross + W2 * deficit + (n0 - 3.0) * W2)
    scale_F = eK * (
        jnp.abs(P)
        + jnp.abs(cross)
        + W2 * (jnp.abs(d1) + jnp.abs(d2) + jnp.abs(d3))
        + jnp.abs(n0 - 3.0) * W2
    )

    V_extra = jnp.asarray(_range.safe(model.extra_potential)(z, jnp.conj(z)))
    V_extra = jnp.real(V_extra).astype(x.dtype)
    F = W_a + k * W
    F_norm2 = jnp.real(jnp.vdot(F, solve(F)))
    return FTermParts(
        K=K,
        K_a=k,
        metric=M,
        inverse_metric=solve(jnp.eye(n, dtype=M.dtype)),
        W=W,
        W_a=W_a,
        F=F,
        F_norm2=F_norm2,
        K_inv_K=m,
        W2_coefficient_scale=jnp.abs(d1) + jnp.abs(d2) + jnp.abs(d3) + jnp.abs(n0 - 3.0),
        V_F=V_F,
        V_extra=V_extra,
        V=V_F + V_extra,
        scale=scale_F + jnp.abs(V_extra),
        eK_W2=eK * W2,
        gravitino_mass=jnp.exp(0.5 * K) * jnp.abs(W),
    )


# One jitted copy per linear-algebra backend: the backend is chosen when tracing
# (jaxvac._linalg), and a jit reuses its trace, so the choice must be part of the key.
_FTERM_PARTS_JIT = {backend: eqx.filter_jit(_fterm_parts) for backend in ("jacobi", "lapack")}
_inline_depth = 0
_inline_lock = threading.Lock()


@contextlib.contextmanager
def inline_fterm_parts():
    """Trace :func:`fterm_parts` inline (no nested ``jit``) inside this block: for the
    N-digit and ball-arithmetic interpreters. Differentiating a nested ``jit`` computes
    derivatives of all its outputs, and the ball arithmetic of ``jaxvac.certify`` then
    meets comparisons (|x| at x ≈ 0 in the natural scale) that the potential itself never
    differentiates, and refuses to decide them."""
    global _inline_depth
    with _inline_lock:
        _inline_depth += 1
    try:
        yield
    finally:
        with _inline_lock:
            _inline_depth -= 1


def fterm_parts(model: Any, y) -> FTermParts:
    """All pieces of the F-term potential of a supergravity model at one point: K, its
    derivatives and metric, W, the F-terms D_aW, V_F and its natural scale.

    Traced once per model class, argument shapes and linear-algebra backend, and that
    trace reused by every program that calls it (the search's phases, the analysis, the
    rounding and range interpreters): a 7-modulus search traced its F-term formula 17
    times before (docs/performance.md).

    **Arguments:**

    - `model`: a [`jaxvac.SupergravityModel`][].
    - `y`: the point in real coordinates (Re z, Im z), float64.

    **Returns:**

    An [`FTermParts`][jaxvac.FTermParts].
    """
    if _inline_depth:
        return _fterm_parts(model, y)
    return _FTERM_PARTS_JIT[_linalg.linalg_backend()](model, y)


def real_metric(M):
    """The real kinetic metric G of complex fields with Kähler metric M = K_{ab̄}, in the
    coordinates y = (Re z, Im z): L = M ∂z ∂z̄ = ½ G ∂y ∂y gives
    G = 2 [[Re M, Im M], [-Im M, Re M]]."""
    R, I = jnp.real(M), jnp.imag(M)
    return 2.0 * jnp.block([[R, I], [-I, R]])


def kahler_metric(model: Any, y):
    """K_{ab̄} at ``y`` from the model's full Kähler potential (complex Hermitian (n, n))."""
    return wirtinger(_kahler_real(model.kahler_potential, model), y).dd


def superpotential_hessian(model: Any, y):
    """∂_a∂_b W at ``y`` (complex (n, n)), holding the imaginary parts fixed."""
    n = model.n_moduli
    x, t = y[:n], y[n:]

    def w(xx):
        return jnp.asarray(model.superpotential(xx + 1j * t), jnp.complex128)

    return jax.jacfwd(jax.jacfwd(w))(x)


def canonical_matrix(H, L):
    """L⁻¹ H L⁻ᵀ (symmetrised) for the Cholesky factor L of the kinetic metric (G = L Lᵀ):
    the canonical mass matrix when H is the Hessian of V."""
    Linv_H = _linalg.solve_triangular(L, H, lower=True)
    A = _linalg.solve_triangular(L, Linv_H.T, lower=True)
    return 0.5 * (A + A.T)


def hermitian_solver(M):
    """``b -> M⁻¹ b`` for a Hermitian positive-definite M (n, n): Cholesky
    (:func:`jaxvac._linalg.cholesky`), and for n = 1 the division by the real pivot M₁₁
    (the same numbers: Cholesky of a 1 × 1 matrix is √M₁₁, and its solve divides by it twice;
    the division costs a fraction of the factorisation's derivatives: bench/results/kernels.md).
    NaN where M has a negative pivot, as Cholesky gives."""
    if M.shape[-1] == 1:
        pivot = jnp.real(M[0, 0])
        pivot = jnp.where(pivot >= 0, pivot, jnp.nan)  # as √pivot: NaN below 0, ±inf at 0
        return lambda b: b / pivot.astype(M.dtype)
    chol = _linalg.cholesky(M)
    return lambda b: _linalg.cho_solve(chol, b)


#: Real dimensions up to which :func:`value_gradient_hessian` differentiates forward over
#: forward; above it forward over reverse (bench/results/kernels.md: with 2 real
#: coordinates the Hessian of the F-term V costs about half as much forward over forward).
FORWARD_HESSIAN_MAX = 4


def value_gradient_hessian(fun, y):
    """``(f, ∇f, ∇²f)`` of a real scalar ``fun`` at ``y`` in one pass of autodiff: forward over
    forward for at most :data:`FORWARD_HESSIAN_MAX` coordinates, forward over reverse above."""

    def first_forward(yy):
        return jax.jacfwd(lambda z: _twice(fun(z)), has_aux=True)(yy)

    def first_reverse(yy):
        value, grad = jax.value_and_grad(fun)(yy)
        return grad, value

    first = first_forward if y.shape[0] <= FORWARD_HESSIAN_MAX else first_reverse

    def outer(yy):
        grad, value = first(yy)
        return grad, (grad, value)

    hess, (grad, value) = jax.jacfwd(outer, has_aux=True)(y)
    return value, grad, hess


def _twice(x):
    return x, x


def gradient_with_hessian_jvp(fun):
    """∇``fun`` as a function whose derivative is the Hessian from
    :func:`value_gradient_hessian`, evaluated once per point: ``jax.linearize`` or ``jax.jacfwd``
    of it (a Newton step's residual and Jacobian) computes the Hessian in one pass instead
    of differentiating the reverse-mode gradient once per direction. Same values as
    ``jax.grad(fun)``; higher derivatives by autodiff of the rule."""

    @jax.custom_jvp
    def gradient(y):
        return jax.grad(fun)(y)

    @gradient.defjvp
    def gradient_jvp(primals, tangents):
        (y,), (t,) = primals, tangents
        _, grad, hess = value_gradient_hessian(fun, y)
        return grad, hess @ t

    return gradient
