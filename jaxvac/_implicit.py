"""Differentiable vacua: a critical point and its V and masses as functions of the model
parameters, by implicit differentiation.

At a non-degenerate critical point φ*(p) of V(φ; p), ∇V(φ*(p); p) = 0 gives

    ∂φ*/∂p = -H⁻¹ ∂_p∇V,      dV*/dp = ∂_pV  (the ∇V·∂φ*/∂p term vanishes),

and the masses follow by the chain rule. :func:`locate_critical_point` is a Newton
root-find (optimistix) whose derivative with respect to the model is this formula
(``optx.ImplicitAdjoint`` with an SVD linear solve, so exactly flat directions get the
minimum-norm answer): wrap it in ``jax.grad``/``jax.jacfwd``/``eqx.filter_grad``.
"""

from __future__ import annotations

from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import lineax as lx
import optimistix as optx

from ._linalg import JacobiSymmetricSVD, cholesky

from ._analysis import _generalised_eigh
from ._config import ensure_x64
from ._model import AbstractModel, SupergravityModel
from ._potential import fterm_parts, kinetic_metric


def _gradient(model: AbstractModel, y):
    if isinstance(model, SupergravityModel):
        return jax.grad(lambda z: fterm_parts(model, z).V)(y)
    return jax.grad(lambda z: jnp.asarray(model.potential(z), z.dtype))(y)


def _potential(model: AbstractModel, y):
    if isinstance(model, SupergravityModel):
        return fterm_parts(model, y).V
    return jnp.asarray(model.potential(y), y.dtype)


def locate_critical_point(model: AbstractModel, y_guess, *, max_steps: int = 32, tol: float = 1e-13):
    """The critical point of V near ``y_guess`` (Newton, SVD linear solve).

    Pure and jittable; differentiable with respect to ``model`` (its array parameters)
    by the implicit function theorem, ∂y*/∂p = -H⁻¹ ∂_p∇V (module docstring). Start
    from a converged point (e.g. from :func:`jaxvac.find_critical_points`); the result
    is not re-verified here (use :func:`jaxvac.analyse_point`).
    """
    ensure_x64()
    y_guess = jnp.asarray(y_guess, jnp.float64)

    def fn(y, m):
        return _gradient(m, y)

    solver = optx.Newton(rtol=tol, atol=tol, linear_solver=JacobiSymmetricSVD())
    sol = optx.root_find(
        fn, solver, y_guess, args=model, max_steps=max_steps, throw=False,
        adjoint=optx.ImplicitAdjoint(linear_solver=JacobiSymmetricSVD()),
    )
    return sol.value


def canonical_masses(model: AbstractModel, y):
    """Canonically normalised mass² eigenvalues at y (ascending): H v = m² G v.

    Differentiable (for non-degenerate eigenvalues)."""
    H = jax.hessian(lambda z: _potential(model, z))(y)
    G = kinetic_metric(model, y)
    return _generalised_eigh(0.5 * (H + H.T), cholesky(0.5 * (G + G.T)))


class VacuumObservables(eqx.Module):
    """Location, V and masses of a critical point (differentiable in the parameters)."""

    y: jax.Array
    V: jax.Array
    masses_squared: jax.Array


def vacuum_observables(model: AbstractModel, y_guess, **kwargs) -> VacuumObservables:
    """:func:`locate_critical_point`, then V and the canonical masses there — all
    differentiable with respect to the model's parameters."""
    y = locate_critical_point(model, y_guess, **kwargs)
    return VacuumObservables(y=y, V=_potential(model, y), masses_squared=canonical_masses(model, y))


def with_parameter(model: AbstractModel, name: str, value) -> AbstractModel:
    """``model`` with parameter ``name`` replaced by ``value`` (a traced value is fine)."""
    if name not in model.parameter_names():
        raise ValueError(
            f"{type(model).__name__} has no parameter {name!r}; its parameters are: "
            f"{', '.join(model.parameter_names())}."
        )
    return eqx.tree_at(lambda m: getattr(m, name), model, jnp.asarray(value, jnp.float64))


def _observables_of(model, name, y_guess, p):
    return vacuum_observables(with_parameter(model, name, p), y_guess)


@eqx.filter_jit
def _derivatives_jit(model, name_holder, y_guess, p):
    name = name_holder.name
    obs, tangent = jax.jvp(
        lambda q: _observables_of(model, name, y_guess, q), (p,), (jnp.ones_like(p),)
    )
    return obs, tangent


class _Name(eqx.Module):
    name: str = eqx.field(static=True)


def vacuum_derivatives(model: AbstractModel, y_guess, parameter: str) -> dict[str, Any]:
    """The critical point near ``y_guess`` and the derivatives of its location, V and
    masses with respect to one (real, scalar) parameter, by implicit differentiation.

    Returns ``{"y", "V", "masses_squared", "dy", "dV", "dmasses_squared"}`` (numpy)."""
    import numpy as np

    from ._model import canonical

    ensure_x64()
    model = canonical(model)
    value = getattr(model, parameter, None)
    if value is None or parameter not in model.parameter_names():
        raise ValueError(
            f"{type(model).__name__} has no parameter {parameter!r}; its parameters are: "
            f"{', '.join(model.parameter_names())}."
        )
    p = jnp.asarray(value, jnp.float64)
    if p.ndim != 0 or jnp.iscomplexobj(value):
        raise ValueError(f"parameter {parameter!r} must be a real scalar to differentiate by.")
    obs, tan = _derivatives_jit(model, _Name(parameter), jnp.asarray(y_guess, jnp.float64), p)
    return {
        "y": np.asarray(obs.y), "V": float(obs.V), "masses_squared": np.asarray(obs.masses_squared),
        "dy": np.asarray(tan.y), "dV": float(tan.V), "dmasses_squared": np.asarray(tan.masses_squared),
    }
