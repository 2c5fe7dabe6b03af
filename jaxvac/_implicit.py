"""Differentiable vacua: a critical point and its V and masses as functions of the model
parameters, by implicit differentiation.

At a non-degenerate critical point φ*(p) of V(φ; p), ∇V(φ*(p); p) = 0 gives

    ∂φ*/∂p = -H⁻¹ ∂_p∇V,      dV*/dp = ∂_pV  (the ∇V·∂φ*/∂p term vanishes),

and the masses follow by the chain rule. :func:`locate_critical_point` is a Newton
root-find (optimistix) whose derivative with respect to the model is this formula
(``optx.ImplicitAdjoint`` with an SVD linear solve, so exactly flat directions get the
minimum-norm answer): wrap it in ``jax.grad``/``jax.jacfwd``/``eqx.filter_grad``.

The formula holds only at a critical point. Every solve therefore carries a
:class:`~jaxvac.Result` code (the solver's outcome, then :func:`jaxvac.analyse_point`'s
verdict at the point it returns), and the derivatives of a solve that did not end at a
critical point are NaN, never the derivative of some other point (docs/search.md,
"Differentiable vacua").
"""

from __future__ import annotations

from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import optimistix as optx

from ._analysis import DEFAULT_RTOL, _generalised_eigh, analyse_point
from ._config import ensure_x64
from ._linalg import JacobiSymmetricSVD, cholesky
from ._model import AbstractModel
from ._point import CriticalPoint
from ._slice import fixed_indices, restrict
from ._solution import STATIONARY, Result, first_true, from_optimistix, is_stationary


def _gradient(model: AbstractModel, y):
    """∇V at y (the equations of the root-find)."""
    return jax.grad(model.scalar_potential)(y)


#: Result codes after which the implicit-function derivatives hold: the solve ended at a
#: stationary point (``unresolved``: stationary, only the sign of V is not resolved).
STATIONARY_RESULTS = STATIONARY


@jax.custom_jvp
def _derivative_valid_only_if(y, ok, parameters):
    """``y`` itself. Its tangent is y's own where ``ok``; elsewhere it is NaN times the
    tangents of ``parameters`` (the model's array leaves) and y's own is dropped. Linear in
    the tangents, so reverse mode transposes it: the cotangents of the parameters become
    NaN, while the one passed back into the root-find's implicit solve is 0 (lineax
    rejects non-finite right-hand sides)."""
    return y


@_derivative_valid_only_if.defjvp
def _derivative_valid_only_if_jvp(primals, tangents):
    y, ok, parameters = primals
    ty, _, tp = tangents
    moved = sum((jnp.sum(jnp.real(t)) for t in jax.tree.leaves(tp)), jnp.zeros((), y.dtype))
    return y, ty * jnp.where(ok, 1.0, 0.0) + jnp.where(ok, 0.0, jnp.nan) * moved


def _solver_result(sol_result, analysis_result, finite):
    """jaxvac Result code of a root-find: the solver's failure if it failed, else the
    analysis' verdict at the point it returned."""
    return first_true([(~finite, Result.nonfinite)], from_optimistix(sol_result, analysis_result))


#: The type :func:`locate_critical_point` returned before it returned
#: :class:`~jaxvac.CriticalPoint` (the same class now; ``steps`` is ``stats["steps"]``).
LocatedCriticalPoint = CriticalPoint


def locate_critical_point(
    model: AbstractModel,
    y_guess,
    *,
    max_steps: int = 32,
    tol: float = 1e-13,
    rtol: float = DEFAULT_RTOL,
    throw: bool = False,
    fixed=None,
) -> CriticalPoint:
    """The critical point of V near ``y_guess`` (Newton, SVD linear solve).

    Pure and jittable; differentiable with respect to ``model`` (its array parameters)
    by the implicit function theorem, ∂y*/∂p = -H⁻¹ ∂_p∇V (module docstring). Start
    from a converged point (e.g. from :func:`jaxvac.find_critical_points`).

    Returns a :class:`~jaxvac.CriticalPoint`: the point ``y``, its ``result`` code,
    ``analysis`` and ``stats={"steps": ...}``. The Newton solve's outcome is checked (``max_steps``, ``diverged``, ...)
    and so is the point it returns (:func:`jaxvac.analyse_point` with ``rtol``: a point
    where Newton stopped that is not stationary is ``not_critical``). Where the result is
    neither ``successful`` nor ``unresolved``, the derivatives of ``y`` (and of everything
    computed from it) are NaN; ``throw=True`` raises instead (an ``equinox`` runtime error,
    also under ``jit``; under ``vmap`` one failed element raises for the whole batch).

    With ``fixed``, the coordinates it names stay at their values in ``y_guess`` and the
    solve is for ∂V/∂y_free = 0 in the others: the critical point of V *restricted to the
    slice* (a staged solve: heavy fields at given values of light ones). Newton's gradient
    and Hessian are those of the restriction (autodiff in the free coordinates only), and
    ``result`` and ``analysis`` are :func:`jaxvac.analyse_point` of the restriction: V, its
    gradient, Hessian and canonical masses² (with the free block of the kinetic metric) in
    the free coordinates, so ``successful`` means stationary on the slice, not in the fixed
    directions. ``y`` is the whole point; its derivatives along the fixed coordinates are
    those of ``y_guess``'s.

    **Arguments:**

    - `model`: a jaxvac model; differentiate with respect to it (`eqx.filter_grad`).
    - `y_guess`: a point near the critical point, real coordinates.
    - `max_steps`: Newton steps at most.
    - `tol`: Newton's tolerance on the step.
    - `rtol`: tolerance on the scale-free stationarity residual of the final check.
    - `throw`: raise instead of returning NaN derivatives when the solve fails.
    - `fixed`: coordinates held at their values in `y_guess`: their indices, or a boolean
        mask over the real coordinates (concrete, not traced: it fixes what is compiled).
        Default: none.

    **Returns:**

    A [`CriticalPoint`][jaxvac.CriticalPoint] (``steps``: Newton steps taken).
    """
    ensure_x64()
    y_guess = jnp.asarray(y_guess, jnp.float64)
    if fixed is not None:
        fixed_index = fixed_indices(model, fixed)
        sliced = restrict(model, fixed_index, y_guess[jnp.array(fixed_index)])
        free = jnp.array(sliced.free_index)
        located = locate_critical_point(
            sliced, y_guess[free], max_steps=max_steps, tol=tol, rtol=rtol, throw=throw
        )
        return CriticalPoint(
            y=sliced.full(located.y),
            result=located.result,
            analysis=located.analysis,
            stats={"steps": located.steps},
        )

    def fn(y, m):
        return _gradient(m, y)

    solver = optx.Newton(rtol=tol, atol=tol, linear_solver=JacobiSymmetricSVD())
    sol = optx.root_find(
        fn,
        solver,
        y_guess,
        args=model,
        max_steps=max_steps,
        throw=False,
        adjoint=optx.ImplicitAdjoint(linear_solver=JacobiSymmetricSVD()),
    )
    y_stop = jax.lax.stop_gradient(sol.value)
    finite = jnp.all(jnp.isfinite(y_stop))
    constant_model = jax.tree.map(
        lambda x: jax.lax.stop_gradient(x) if eqx.is_array(x) else x, model
    )
    analysis = analyse_point(
        constant_model, jnp.where(finite, y_stop, y_guess), jnp.asarray(rtol, jnp.float64)
    )
    result = _solver_result(sol.result, analysis.result, finite)
    ok = is_stationary(result)
    if throw:
        ok = eqx.error_if(
            ok,
            ~ok,
            "locate_critical_point: the solve did not end at a critical point (its result "
            "code is not successful or unresolved: Newton ran out of steps, diverged, or "
            "stopped where the gradient is not zero). Start closer to a critical point, "
            "e.g. from jaxvac.find_critical_points, or raise max_steps.",
        )
    parameters = [x for x in jax.tree.leaves(model) if eqx.is_inexact_array(x)]
    y = _derivative_valid_only_if(sol.value, ok, parameters)
    return CriticalPoint(
        y=y,
        result=result,
        analysis=analysis,
        stats={"steps": jnp.asarray(sol.stats["num_steps"], jnp.int32)},
    )


def canonical_masses(model: AbstractModel, y):
    """Canonically normalised mass² eigenvalues at y (ascending): H v = m² G v.

    Differentiable (for non-degenerate eigenvalues)."""
    H = jax.hessian(model.scalar_potential)(y)
    G = model.kinetic_metric(y)
    return _generalised_eigh(0.5 * (H + H.T), cholesky(0.5 * (G + G.T)))


class VacuumObservables(eqx.Module):
    """Location, V and masses of a critical point (differentiable in the parameters), and
    the :class:`~jaxvac.Result` code of the solve that found it: derivatives are NaN
    unless ``result`` is ``successful`` or ``unresolved``."""

    y: jax.Array
    V: jax.Array
    masses_squared: jax.Array
    result: jax.Array


def vacuum_observables(model: AbstractModel, y_guess, **kwargs) -> VacuumObservables:
    """:func:`locate_critical_point` (``kwargs`` go to it), then V and the canonical masses
    there — all differentiable with respect to the model's parameters; all derivatives
    NaN when the solve did not end at a critical point (see ``result``).

    **Arguments:**

    - `model`: a jaxvac model.
    - `y_guess`: a point near the critical point, real coordinates.
    - `kwargs`: passed to [`jaxvac.locate_critical_point`][].

    **Returns:**

    A [`VacuumObservables`][jaxvac.VacuumObservables] (y, V, masses², result).
    """
    if kwargs.get("fixed") is not None:
        raise TypeError(
            "vacuum_observables does not take fixed=: its masses are those of V in every "
            "coordinate, not of V restricted to a slice. Call locate_critical_point(..., "
            "fixed=...) and read its analysis."
        )
    located = locate_critical_point(model, y_guess, **kwargs)
    y = located.y
    return VacuumObservables(
        y=y,
        V=model.scalar_potential(y),
        masses_squared=canonical_masses(model, y),
        result=located.result,
    )


def with_parameter(model: AbstractModel, name: str, value) -> AbstractModel:
    """``model`` with parameter ``name`` replaced by ``value`` (a traced value is fine)."""
    if name not in model.parameter_names():
        raise ValueError(
            f"{type(model).__name__} has no parameter {name!r}; its parameters are: "
            f"{', '.join(model.parameter_names())}."
        )
    return eqx.tree_at(lambda m: getattr(m, name), model, jnp.asarray(value, jnp.float64))


def _observables_of(model, name, y_guess, p, max_steps, tol):
    return vacuum_observables(with_parameter(model, name, p), y_guess, max_steps=max_steps, tol=tol)


@eqx.filter_jit
def _derivatives_jit(model, name, y_guess, p, max_steps, tol):
    obs, tangent = jax.jvp(
        lambda q: _observables_of(model, name, y_guess, q, max_steps, tol),
        (p,),
        (jnp.ones_like(p),),
    )
    return obs, tangent


def vacuum_derivatives(
    model: AbstractModel, y_guess, parameter: str, *, max_steps: int = 32, tol: float = 1e-13
) -> dict[str, Any]:
    """The critical point near ``y_guess`` and the derivatives of its location, V and
    masses with respect to one (real, scalar) parameter, by implicit differentiation.

    Returns ``{"y", "V", "masses_squared", "dy", "dV", "dmasses_squared", "result"}``
    (numpy; ``result`` the :class:`~jaxvac.Result` name of the solve). The derivatives are
    NaN unless ``result`` is ``"successful"`` or ``"unresolved"``.

    **Arguments:**

    - `model`: a jaxvac model.
    - `y_guess`: a point near the critical point, real coordinates.
    - `parameter`: the name of a real scalar parameter of the model.
    - `max_steps`: Newton steps at most.
    - `tol`: Newton's tolerance on the step.

    **Returns:**

    The dict above.
    """
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
    obs, tan = _derivatives_jit(
        model, parameter, jnp.asarray(y_guess, jnp.float64), p, max_steps, tol
    )
    return {
        "y": np.asarray(obs.y),
        "V": float(obs.V),
        "masses_squared": np.asarray(obs.masses_squared),
        "dy": np.asarray(tan.y),
        "dV": float(tan.V),
        "dmasses_squared": np.asarray(tan.masses_squared),
        "result": Result(int(obs.result)).name,
    }
