"""Parameter continuation: follow a critical point as one parameter moves.

Pseudo-arclength continuation of the branch {(φ, p): ∇V(φ; p) = 0}:

- **tangent**: the null vector of the d × (d+1) matrix [H | ∂_p∇V] (SVD). Away from
  folds it is (∂φ*/∂p, 1) normalised — the implicit derivative −H⁻¹∂_p∇V — but it stays
  defined where H is singular, so the branch can be followed *through* a fold;
- **predictor**: a step of length h along the tangent;
- **corrector**: Newton (optimistix, SVD linear solve) on the d+1 equations
  ∇V(φ; p) = 0, t·(z − z_pred) = 0;
- **step control**: h halves when the corrector fails and grows when it converges fast.

Events are reported between consecutive points: a **fold** (the tangent's p-component
changes sign: the branch turns back, i.e. this critical point merges with another one
— e.g. a minimum with a saddle — and both disappear beyond the fold), refined by Newton
on the fold system ∇V = 0, H v = 0, |v| = 1; and a **type change** (the number of
negative canonical mass² eigenvalues changes). Coordinates and the parameter are scaled
by their size at the start so that the arclength treats them alike.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optimistix as optx

from ._analysis import PointAnalysis, analyse
from ._config import ensure_x64
from ._implicit import _gradient, locate_critical_point, with_parameter
from ._linalg import JacobiSVD
from ._model import AbstractModel, canonical
from ._point import CriticalPoint
from ._solution import ContinuationStatus, CriticalType, Result

#: A corrector step is accepted if it moves the point by at most this fraction of the
#: arclength step, and if the tangent turns by less than arccos(MIN_TANGENT_COSINE).
CORRECTION_FRACTION = 0.3
MIN_TANGENT_COSINE = 0.98


def _g(model, name, z, scale):
    """∇V at the scaled point z = (y, p) / scale."""
    x = z * scale
    return _gradient(with_parameter(model, name, x[-1]), x[:-1])


def _tangent(model, name, z, scale, previous):
    J = jax.jacfwd(lambda zz: _g(model, name, zz, scale))(z)  # (d, d+1)
    _, _, vt = jnp.linalg.svd(J, full_matrices=True)
    t = vt[-1]
    return jnp.where(jnp.dot(t, previous) < 0, -t, t)


_tangent_jit = eqx.filter_jit(_tangent)  # the parameter's name (a str) is static


@eqx.filter_jit
def _correct_jit(model, name, z_pred, t, scale, max_steps):
    def fn(z, _):
        return jnp.concatenate([_g(model, name, z, scale), jnp.dot(t, z - z_pred)[None]])

    sol = optx.root_find(
        fn,
        optx.Newton(rtol=1e-11, atol=1e-11, linear_solver=JacobiSVD()),
        z_pred,
        max_steps=max_steps,
        throw=False,
        adjoint=optx.RecursiveCheckpointAdjoint(),
    )
    F = fn(sol.value, None)
    ok = (sol.result == optx.RESULTS.successful) & jnp.all(jnp.isfinite(sol.value))
    return sol.value, ok, sol.stats["num_steps"], jnp.linalg.norm(F)


@eqx.filter_jit
def _fold_jit(model, name, z0, v0, scale):
    """Newton on the fold system ∇V = 0, H v = 0, v·v = 1 (scaled variables)."""
    d = v0.shape[0]

    def fn(w, _):
        z, v = w[: d + 1], w[d + 1 :]
        g = _g(model, name, z, scale)
        Hv = jax.jvp(
            lambda yy: _g(model, name, jnp.concatenate([yy, z[-1:]]), scale), (z[:-1],), (v,)
        )[1]
        return jnp.concatenate([g, Hv, (jnp.dot(v, v) - 1.0)[None]])

    w0 = jnp.concatenate([z0, v0])
    sol = optx.root_find(
        fn,
        optx.Newton(rtol=1e-12, atol=1e-12, linear_solver=JacobiSVD()),
        w0,
        max_steps=40,
        throw=False,
        adjoint=optx.RecursiveCheckpointAdjoint(),
    )
    ok = (sol.result == optx.RESULTS.successful) & jnp.all(jnp.isfinite(sol.value))
    return sol.value[: d + 1], ok, jnp.linalg.norm(fn(sol.value, None))


@dataclasses.dataclass(frozen=True)
class ContinuationResult:
    """The branch followed by [`jaxvac.continue_critical_point`][]: for each point of the
    branch the parameter value (`parameters`), the critical point in real coordinates
    (`points`), `V`, the number of negative mass² directions (`n_negative`) and the type
    (`types`); `events` lists folds and changes of type where they happen; `status` is
    `"reached"`, `"max_points"`, `"folded"` or `"lost"`. `to_dict()` gives it as JSON."""

    model: AbstractModel
    parameter: str
    parameters: np.ndarray  # (k,)
    points: np.ndarray  # (k, d) real coordinates
    V: np.ndarray  # (k,)
    n_negative: np.ndarray  # (k,)
    types: tuple[str, ...]
    events: tuple[dict[str, Any], ...]
    status: ContinuationStatus  # a str enum, equal to its JSON word
    #: jaxvac.analyse of each branch point at its parameter value (what V, types and
    #: n_negative are read from)
    analyses: tuple[PointAnalysis, ...] = ()

    @property
    def folds(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e["kind"] == "fold"]

    def critical_points(self) -> list[CriticalPoint]:
        """The branch's points as :class:`~jaxvac.CriticalPoint` s: ``y``, the ``result``
        and ``analysis`` of :func:`jaxvac.analyse` at the point with the model at that
        parameter value (so a point where the corrector failed says so), ``stats`` =
        ``parameter`` (its value) and ``index`` along the branch."""
        return [
            CriticalPoint(
                y=y, result=a.result, analysis=a, stats={"parameter": float(p), "index": k}
            )
            for k, (y, p, a) in enumerate(zip(self.points, self.parameters, self.analyses))
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "status": str(self.status),
            "branch": [
                {
                    "parameter": float(p),
                    "fields": self.model.fields_of(y),
                    "V": float(v),
                    "type": t,
                    "n_negative": int(k),
                }
                for p, y, v, t, k in zip(
                    self.parameters, self.points, self.V, self.types, self.n_negative
                )
            ],
            "events": list(self.events),
        }


def continue_critical_point(
    model: AbstractModel,
    y0,
    parameter: str,
    stop: float,
    *,
    step: float | None = None,
    max_points: int = 400,
    min_step: float = 1e-9,
    max_step: float | None = None,
    max_folds: int | None = None,
) -> ContinuationResult:
    """Follow the critical point near ``y0`` of ``model`` as ``parameter`` moves from its
    current value towards ``stop`` (module docstring for the method).

    The branch is followed through folds; after a fold the parameter moves back (the
    critical point has merged with another one, whose branch is then followed). It ends
    when the parameter reaches ``stop`` (``status="reached"``), after ``max_points``
    points, after ``max_folds`` folds (``"folded"``; e.g. ``max_folds=1`` follows a
    vacuum until it disappears and one step beyond), or when the corrector fails at the
    smallest step or the final solve at ``stop`` does not end at a critical point
    (``"lost"``). Raises ValueError when ``y0`` is not near a critical point
    (:func:`jaxvac.locate_critical_point` fails from it).
    ``step``: initial arclength step in scaled units (default 1% of |stop − start|
    relative to the parameter's size).

    **Arguments:**

    - `model`: a jaxvac model at the branch's starting parameter value.
    - `y0`: a critical point (or a point near one), real coordinates.
    - `parameter`: the name of the real scalar parameter to move.
    - `stop`: the parameter value to reach.
    - `step`: initial arclength step (above).
    - `max_points`: points of the branch at most.
    - `min_step`: the smallest step before the branch is declared lost.
    - `max_step`: the largest step (default unbounded).
    - `max_folds`: folds to pass before stopping (default any number).

    **Returns:**

    A [`ContinuationResult`][jaxvac.ContinuationResult].
    """
    ensure_x64()
    model = canonical(model)
    p0 = float(np.asarray(getattr(model, parameter)))
    if not math.isfinite(stop) or stop == p0:
        raise ValueError(
            f"stop must be a finite value different from {parameter}={p0} (got {stop!r})."
        )
    start = locate_critical_point(model, jnp.asarray(y0, jnp.float64))
    if not bool(start.ok):
        raise ValueError(
            f"continue_critical_point: no critical point found near y0 (the Newton solve "
            f"ended with result {Result(int(start.result)).name}); start from a critical "
            "point, e.g. one from jaxvac.find_critical_points."
        )
    y0 = np.asarray(start.y)
    scale = np.concatenate([np.maximum(np.abs(y0), 1.0), [abs(p0) if p0 != 0 else abs(stop)]])
    scale = jnp.asarray(scale)
    direction = np.zeros(len(y0) + 1)
    direction[-1] = math.copysign(1.0, stop - p0)
    span = abs(stop - p0) / float(scale[-1])
    h = step if step is not None else min(0.01 * span, 0.01)
    h_max = max_step if max_step is not None else min(0.05 * span, 0.05)
    z = jnp.asarray(np.concatenate([y0, [p0]]) / np.asarray(scale))
    t = _tangent_jit(model, parameter, z, scale, jnp.asarray(direction))
    points = [np.asarray(z * scale)]
    tangents = [np.asarray(t)]
    status = ContinuationStatus.max_points
    n_folds = 0
    while len(points) < max_points:
        z_pred = z + h * t
        z_new, ok, nsteps, _ = _correct_jit(model, parameter, z_pred, t, scale, 8)
        # Accept only a small correction and a small turn of the tangent: larger ones
        # mean the corrector may have jumped to another branch.
        ok = bool(ok) and float(jnp.linalg.norm(z_new - z_pred)) <= CORRECTION_FRACTION * h
        if ok:
            t_new = _tangent_jit(model, parameter, z_new, scale, t)
            ok = float(jnp.dot(t_new, t)) >= MIN_TANGENT_COSINE
        if not ok:
            h *= 0.5
            if h < min_step:
                status = ContinuationStatus.lost
                break
            continue
        p_new = float(z_new[-1] * scale[-1])
        p_old = float(z[-1] * scale[-1])
        # Land exactly on `stop` when it is crossed.
        if (p_new - stop) * (p_old - stop) <= 0 and p_new != p_old:
            y_stop = locate_critical_point(
                with_parameter(model, parameter, stop),
                jnp.asarray(z[:-1] * scale[:-1])
                + (stop - p_old) / (p_new - p_old) * (z_new[:-1] - z[:-1]) * scale[:-1],
            )
            if not bool(y_stop.ok):  # the branch is not continued to `stop` by a failed solve
                status = ContinuationStatus.lost
                break
            points.append(np.concatenate([np.asarray(y_stop.y), [stop]]))
            tangents.append(np.asarray(t_new))
            status = ContinuationStatus.reached
            break
        folded = np.sign(float(t_new[-1])) != np.sign(float(t[-1]))
        z, t = z_new, t_new
        points.append(np.asarray(z * scale))
        tangents.append(np.asarray(t))
        n_folds += int(folded)
        if max_folds is not None and n_folds >= max_folds:
            status = ContinuationStatus.folded
            break
        if int(nsteps) <= 3:
            h = min(1.5 * h, h_max)
    pts = np.array(points)
    ys, ps = pts[:, :-1], pts[:, -1]
    analyses = [analyse(with_parameter(model, parameter, p), y) for y, p in zip(ys, ps)]
    n_neg = np.array([int(a.n_negative) for a in analyses])
    types = tuple(CriticalType(int(a.critical_type)).name for a in analyses)
    V = np.array([float(a.V) for a in analyses])
    events: list[dict[str, Any]] = []
    tps = np.array([tt[-1] for tt in tangents])
    for k in range(1, len(pts)):
        if np.sign(tps[k]) != np.sign(tps[k - 1]) and tps[k] != 0:
            events.append(_fold_event(model, parameter, pts, tangents, types, k, scale))
        if n_neg[k] != n_neg[k - 1]:
            events.append(
                {
                    "kind": "type_change",
                    "between": [float(ps[k - 1]), float(ps[k])],
                    "from": types[k - 1],
                    "to": types[k],
                    "n_negative": [int(n_neg[k - 1]), int(n_neg[k])],
                }
            )
    return ContinuationResult(
        model=model,
        parameter=parameter,
        parameters=ps,
        points=ys,
        V=V,
        n_negative=n_neg,
        types=types,
        events=tuple(events),
        status=status,
        analyses=tuple(analyses),
    )


def _fold_event(model, parameter, pts, tangents, types, k, scale):
    """Locate the fold between points k-1 and k (Newton on the fold system)."""
    scale_np = np.asarray(scale)
    za, zb = pts[k - 1] / scale_np, pts[k] / scale_np
    ta, tb = tangents[k - 1][-1], tangents[k][-1]
    w = ta / (ta - tb)
    z_guess = za + w * (zb - za)
    v_guess = np.asarray(tangents[k - 1][:-1] + w * (tangents[k][:-1] - tangents[k - 1][:-1]))
    v_guess = v_guess / max(np.linalg.norm(v_guess), 1e-300)
    z_fold, ok, res = _fold_jit(model, parameter, jnp.asarray(z_guess), jnp.asarray(v_guess), scale)
    z_fold = np.asarray(z_fold) * scale_np
    refined = bool(ok)
    if not refined:
        z_fold = z_guess * scale_np
    return {
        "kind": "fold",
        "parameter": float(z_fold[-1]),
        "fields": model.fields_of(z_fold[:-1]),
        "refined": refined,
        "between": [float(pts[k - 1][-1]), float(pts[k][-1])],
        "merging": [types[k - 1], types[k]],
    }
