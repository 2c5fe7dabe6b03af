"""The scalar potential of a model at one point, by autodiff, with its natural scale.

Everything here is a pure function of ``(model, y)`` for one point, with ``y`` the real
coordinates of :mod:`jaxvac._model`. Batch with ``jax.vmap``; compile with ``jax.jit``.

Supergravity (see ``docs/numerics.md`` for the derivation)::

    V = e^K ( K^{ab̄} D_aW conj(D_bW) - 3|W|^2 ) + V_extra,   D_aW = W_a + K_a W.

With the no-scale logarithms K0 = -Σ n_i log(z_i + z̄_i) declared by the model and
K = K0 + δK, the identity K0^{ab̄} K0_b̄ = -(z_a + z̄_a) =: v0_a gives, exactly,

    K^{ab̄} K_a K_b̄ - Σn = 2 Re(v0·δk) - v0ᵀ δM v0 + s† M⁻¹ s,   s = δk - δM v0,

(δk = ∂δK, δM = ∂∂̄δK, M = K_{ab̄}) so the deficit is computed from δK alone, without
the cancellation of two O(1) numbers. With no declared logarithms v0 = 0, Σn = 0 and
the same formula is the textbook one.
"""

from __future__ import annotations

import warnings

import equinox as eqx
import jax
import jax.numpy as jnp

from ._config import EPS, ensure_x64
from ._model import AbstractModel, PotentialModel, SupergravityModel
from . import _linalg, _range, _rounding
from ._interpret import UnsupportedPrimitiveError


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

    def value_and_grad(yy):
        value, grad = jax.value_and_grad(fun)(yy)
        return grad, (value, grad)

    hess, (value, grad) = jax.jacfwd(value_and_grad, has_aux=True)(y)
    d = 0.5 * (grad[:n] - 1j * grad[n:])
    a, b, c = hess[:n, :n], hess[:n, n:], hess[n:, n:]
    dd = 0.25 * ((a + c) + 1j * (b - b.T))
    return Wirtinger(value, d, dd)


class FTermParts(eqx.Module):
    """The pieces of the F-term potential at one point (supergravity models), as returned by
    [`jaxvac.fterm_parts`][]: K, ∂_aK, the Kähler metric K_{ab̄} and its inverse, W, ∂_aW,
    the F-terms D_aW = ∂_aW + K_a W, |F|², V_F, the extra potential, V and its scale."""

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


def _kahler_real(fun, model: SupergravityModel):
    n = model.n_moduli
    fun = _range.safe(fun)

    def k(y):
        z = y[:n] + 1j * y[n:]
        return jnp.real(fun(z, jnp.conj(z)))

    return k


def fterm_parts(model: SupergravityModel, y) -> FTermParts:
    """All pieces of the F-term potential of a supergravity model at one point: K, its
    derivatives and metric, W, the F-terms D_aW, V_F and its natural scale.

    **Arguments:**

    - `model`: a [`jaxvac.SupergravityModel`][].
    - `y`: the point in real coordinates (Re z, Im z), float64.

    **Returns:**

    An [`FTermParts`][jaxvac.FTermParts].
    """
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

    chol = _linalg.cholesky(M)

    def solve(b):
        return _linalg.cho_solve(chol, b)

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
        jnp.abs(P) + jnp.abs(cross) + W2 * (jnp.abs(d1) + jnp.abs(d2) + jnp.abs(d3))
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


def superpotential_rounding(model: SupergravityModel, y, parts: FTermParts, eps=EPS):
    """Bound on the error of V_F that comes from the rounding of W and ∂_aW themselves
    (cancellations *inside* the superpotential, which the natural scale S cannot see: S is
    formed from the computed W and ∂_aW).

    V_F = e^K u† A u with u = (W, ∂_aW) and A = [[c, m†], [m, M⁻¹]] (c the coefficient of
    |W|², m = M⁻¹k), so errors δu of u change V_F by at most
    e^K (2 |u|ᵀ|A| δu + δuᵀ|A| δu), with |c| taken term by term. δW and δ(∂_aW) are running
    error bounds of the model's superpotential and its autodiff derivative in float64
    (:func:`jaxvac._rounding.value_and_error`; the model's array parameters are exact
    inputs), scaled by ``eps / EPS`` for another arithmetic. At Kallosh–Linde's racetrack
    point (W, ∂W ≈ 0 from terms ~0.02) this is ~10⁻³⁷ while V ≈ 10⁻⁴⁰ (docs/numerics.md).
    A superpotential with an operation the analysis has no rule for gets 0 and a warning.
    """
    n = model.n_moduli
    params, static = eqx.partition(model, eqx.is_inexact_array)

    def superpotential_and_derivative(p, yy):
        m = eqx.combine(p, static)
        x, t = yy[:n], yy[n:]

        def w(xx):
            return jnp.asarray(m.superpotential(xx + 1j * t), jnp.complex128)

        return w(x), jax.jacfwd(w)(x)

    try:
        _, (dW, dW_a) = _rounding.value_and_error(superpotential_and_derivative)(params, y)
    except UnsupportedPrimitiveError as e:  # raised while tracing: once per model class
        warnings.warn(
            f"{type(model).__name__}.superpotential uses an operation the rounding analysis has "
            f"no rule for ({e}); cancellations inside W are not counted in V_error. If W's "
            "terms may cancel, re-check points with `jaxvac check --digits N`.",
            stacklevel=2,
        )
        return jnp.zeros((), y.dtype)
    ratio = eps / EPS
    du = ratio * jnp.concatenate([jnp.reshape(dW, (1,)), dW_a])
    u = jnp.concatenate([jnp.reshape(jnp.abs(parts.W), (1,)), jnp.abs(parts.W_a)])
    m = jnp.abs(parts.K_inv_K)
    A = jnp.block([
        [jnp.reshape(parts.W2_coefficient_scale, (1, 1)), m[None, :]],
        [m[:, None], jnp.abs(parts.inverse_metric)],
    ])
    return jnp.exp(parts.K) * (2.0 * jnp.dot(u, A @ du) + jnp.dot(du, A @ du))


def _check_point(model: AbstractModel, y):
    ensure_x64()
    y = jnp.asarray(y)
    if y.dtype != jnp.float64:
        if jnp.issubdtype(y.dtype, jnp.floating) or jnp.issubdtype(y.dtype, jnp.integer):
            y = y.astype(jnp.float64)
        else:
            raise TypeError(f"Real coordinates y must be real; got dtype {y.dtype}.")
    if y.shape != (model.n_real,):
        raise ValueError(
            f"Point y must have shape ({model.n_real},) for {type(model).__name__} "
            f"(coordinates {model.coordinate_names}); got shape {y.shape}."
        )
    return y


def potential_and_scale(model: AbstractModel, y):
    """``(V, S)``: the potential and its natural scale (``V`` loses digits as ``S/|V|``).

    For supergravity models, ``S`` is the sum of the magnitudes of the terms that
    the formula adds (``docs/numerics.md``). For plain potentials it is the model's
    ``potential_scale`` if defined, else a running error bound of V divided by the
    unit roundoff.

    **Arguments:**

    - `model`: a jaxvac model.
    - `y`: the point in real coordinates.

    **Returns:**

    `(V, S)`, two float64 scalars.
    """
    y = _check_point(model, y)
    if isinstance(model, SupergravityModel):
        parts = fterm_parts(model, y)
        return parts.V, parts.scale
    if isinstance(model, PotentialModel):
        potential = _range.safe(model.potential)
        V = jnp.asarray(potential(y), y.dtype)
        custom = model.potential_scale(y)
        if custom is not None:
            return V, jnp.asarray(custom, y.dtype)
        _, err = _rounding.value_and_error(potential)(y)
        return V, err / EPS
    raise TypeError(f"Not a jaxvac model: {type(model).__name__}.")


def scalar_potential(model: AbstractModel, y):
    """The scalar potential V at one point, in Planck units (M_P = 1).

    For a supergravity model V = e^K (K^{ab̄} D_aW D̄_b̄W̄ − 3|W|²) plus the model's
    ``extra_potential``, every derivative by autodiff; for a plain potential the model's
    ``potential``. Pure and jittable; batch points with `jax.vmap`, differentiate with
    `jax.grad`.

    **Arguments:**

    - `model`: a [`jaxvac.SupergravityModel`][] or [`jaxvac.PotentialModel`][].
    - `y`: the point in real coordinates, a float64 array: (Re z, Im z) of the moduli for
      supergravity models, the fields for plain potentials.

    **Returns:**

    V, a float64 scalar array.
    """
    y = _check_point(model, y)
    if isinstance(model, SupergravityModel):
        return fterm_parts(model, y).V
    return jnp.asarray(_range.safe(model.potential)(y), y.dtype)


def kinetic_metric(model: AbstractModel, y):
    """Real kinetic metric G_ij with L_kin = ½ G_ij ∂y^i ∂y^j.

    Supergravity: L = K_{ab̄} ∂z^a ∂z̄^b, so G = 2 [[Re K, Im K], [-Im K, Re K]] with
    K = K_{ab̄}. Plain potentials: ``model.field_metric``.

    **Arguments:**

    - `model`: a jaxvac model.
    - `y`: the point in real coordinates.

    **Returns:**

    G, a real symmetric (d, d) array.
    """
    y = _check_point(model, y)
    if isinstance(model, SupergravityModel):
        M = wirtinger(_kahler_real(model.kahler_potential, model), y).dd
        R, I = jnp.real(M), jnp.imag(M)
        return 2.0 * jnp.block([[R, I], [-I, R]])
    return jnp.asarray(model.field_metric(y), y.dtype)
