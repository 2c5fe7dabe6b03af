"""The scalar potential of a model at one point, with its natural scale, and the rounding
bound of the superpotential.

Everything here is a pure function of ``(model, y)`` for one point, with ``y`` the real
coordinates of :mod:`jaxvac._model`. Batch with ``jax.vmap``; compile with ``jax.jit``.
Each public function checks the point and asks the model (``model.scalar_potential``,
``model.potential_and_scale``, ``model.kinetic_metric``): no dispatch on the kind of model
here. The F-term formula itself lives in :mod:`jaxvac._geometry` (re-exported here).
"""

from __future__ import annotations

import warnings

import equinox as eqx
import jax
import jax.numpy as jnp

from . import _rounding
from ._config import EPS, ensure_x64
from ._geometry import FTermParts as FTermParts
from ._geometry import Wirtinger as Wirtinger
from ._geometry import fterm_parts as fterm_parts
from ._geometry import wirtinger as wirtinger
from ._interpret import UnsupportedPrimitiveError
from ._model import AbstractModel, SupergravityModel


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
    A = jnp.block(
        [
            [jnp.reshape(parts.W2_coefficient_scale, (1, 1)), m[None, :]],
            [m[:, None], jnp.abs(parts.inverse_metric)],
        ]
    )
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
    return model.potential_and_scale(_check_point(model, y))


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
    return model.scalar_potential(_check_point(model, y))


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
    return model.kinetic_metric(_check_point(model, y))
