"""Batched critical-point search: regions, starting points, the two-phase solver and
deduplication. Everything below :func:`find_critical_points` is a pure function of one
start (or of one parameter point's starts) and is batched with ``jax.vmap``.

The method (``docs/search.md`` has the details and the measurements behind the defaults):

1. **Coordinates.** The solver works in *unit coordinates* u of the search region: for a
   saxion or positive field u = log(y) / log(hi/lo) (so the field can never leave its
   domain), for any other coordinate u = y / (hi - lo). The region has width 1 in every
   direction.
2. **Global phase** (optax Adam, ``global_steps`` steps): descent on the squashed,
   scale-free stationarity objective ``asinh(q / δ²)`` with
   ``q = |∇V|²_G / (S² + Q²)``, where |∇V|_G is the canonical gradient norm,
   S the natural scale of V (the size of its terms) and Q the size of the canonical
   curvature (for supergravity the supersymmetric mass scale e^K |∂∂W|²_K, for plain
   potentials the Frobenius norm of the canonical Hessian). q is 0 exactly at critical
   points of every type, tends to a non-zero constant along exponential or power-law
   runaways (so they do not attract the descent), and stays small near critical points
   where V and S vanish (Minkowski vacua), thanks to Q.
3. **Local phase** (optimistix Newton with a pure-JAX SVD linear solve): the
   root of ∇_u V, normalised by its size at the start of the phase. The SVD gives the
   minimum-norm step, well defined at saddles and along flat directions (axions
   without a potential). A start whose last Newton steps keep their size and direction
   while the scale of V falls by orders of magnitude is a runaway (:func:`_marching`).
4. **Polish** (optimistix Newton, SVD solve, a few steps in the original coordinates y,
   each kept only if it lowers |∇V|): removes the precision lost to the change of
   coordinates.
5. **Verification**: :func:`jaxvac.analyse_point` decides whether the final point is a
   critical point and classifies it; the start's result code combines its verdict with
   the solver's state (:func:`_result_code`).
6. **Deduplication** of the verified points modulo axion periods, within each point's
   own location uncertainty (:func:`deduplicate`).

Steps 2–5 are one *round*. The default strategy (:data:`STRATEGIES`,
``SolverOptions.strategy``) gives a start that did not end on a verified critical point
further rounds from its own start — Newton with its step doubled, then plain Newton — and
keeps the first success; :func:`search_threaded` solves each round only for the starts left
(compaction).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, NamedTuple, cast

import equinox as eqx
import jax
import jax.numpy as jnp
import lineax as lx
import numpy as np
import optax
import optimistix as optx

from ._analysis import DEFAULT_RTOL, PointAnalysis, analyse_point, floored_newton_step
from ._config import EPS, ensure_x64
from ._geometry import (
    canonical_matrix,
    fterm_parts,
    gradient_with_hessian_jvp,
    superpotential_hessian,
)
from ._linalg import JacobiSVD, JacobiSymmetricSVD, cho_solve, cholesky, eigh, solve_triangular
from ._model import AbstractModel, SupergravityModel
from ._parallel import call_signature, execution_mode, map_concurrently, map_on_devices
from ._programs import stored_jit
from ._region import DEDUP_RTOL as DEDUP_RTOL
from ._region import DEDUP_SIGMAS as DEDUP_SIGMAS
from ._region import DEFAULT_POSITIVE_RANGE as DEFAULT_POSITIVE_RANGE
from ._region import DEFAULT_RANGE as DEFAULT_RANGE
from ._region import Region as Region
from ._region import as_region as as_region
from ._region import point_tolerance
from ._region import sample_starts as sample_starts
from ._solution import Result, first_true, is_stationary

# ======================================================================================
# The solver
# ======================================================================================


#: The rounds of each strategy, in order: (global-phase steps, step doubling) of each round —
#: "all": ``global_steps``, 0: Newton straight from the start; None: ``step_doubling``. A start
#: runs the next round only if it has not yet ended on a verified critical point, from its
#: own start again; its result is that of its last round. Every round runs one compiled
#: program (:func:`_rounds`: the steps and the doubling factor are its arguments).
STRATEGIES = {
    "single": (("all", None),),
    "global-newton": (("all", None), (0, None)),
    "newton-global": ((0, None), ("all", None)),
    "global-doubling-newton": (("all", None), (0, 8), (0, None)),
    # the doubling round continues from where the first round's global phase ended
    "global-continue-doubling-newton": (("all", None), ("continue", 8), (0, None)),
    # the default: the first round's Newton already doubles its step (what the shallow RKU
    # dS minima need), the second is plain Newton from where the first round's global phase
    # ended (what LVS needs), then doubled and plain Newton from the start (docs/search.md)
    "global-doubled-continue-newton": (("all", 8), ("continue", None), (0, 8), (0, None)),
    # the same without the second round (finds no LVS minimum)
    "global-doubled-newton": (("all", 8), (0, 8), (0, None)),
}


@dataclasses.dataclass(frozen=True)
class SolverOptions:
    """Static settings of :func:`solve_from` (hashable: one compilation per setting).

    - ``global_steps``: Adam steps of the global phase (0 skips it);
    - ``learning_rate``: initial Adam step, in units of the region's width; it decays
      exponentially to ``learning_rate * final_lr_fraction``;
    - ``max_steps``: Newton steps of the local phase;
    - ``polish_steps``: Newton steps in the original coordinates;
    - ``rtol``: tolerance on the scale-free stationarity residual for verification
      (:func:`jaxvac.analyse_point`);
    - ``solver_tol``: relative/absolute tolerance of the local phase;
    - ``susy``: solve D_aW = 0 instead of ∇V = 0 (supergravity models only);
    - ``batch_size``: starts solved together in one ``vmap``; more starts than this are
      solved in consecutive batches of at most this size (``jax.lax.map`` inside a scan's
      program; one execution per batch in :func:`find_critical_points`), so memory stays bounded
      (batched autodiff of a supergravity potential needs ~3 MB per start for 7 moduli:
      10⁴ starts at once asked for 33 GB). A threaded search (:func:`search_threaded`)
      keeps at most this many starts in flight over all its threads. Results do not depend
      on it;
    - ``step_doubling``: the largest multiple of the Newton step the local phase may take:
      while successive Newton steps keep their direction (cosine > 0.9) and size (ratio in
      [0.5, 2]) the step is doubled, up to this factor, and reset at any turn. 1 (default):
      plain Newton. 8 finds ~3× more shallow minima in narrow basins at equal cost (seed 000's
      RKU dS vacua) but flings starts past large-basin minima (KKLT's); see docs/search.md.
    - ``strategy``: how a start spends its rounds (:data:`STRATEGIES`; docs/search.md,
      "Strategy"): ``"single"`` (the default before issue #20) runs the global phase (if
      ``global_steps`` > 0) and Newton once. ``"global-doubled-continue-newton"`` (default)
      runs the global phase and Newton with ``step_doubling = 8`` from where it ended; a
      start that did not end on a verified critical point runs a second round, plain Newton
      from that same end point of the global phase (the single pipeline's Newton), then a
      third, Newton with ``step_doubling = 8`` straight from the start, and a start still
      left a fourth, plain Newton from the start. ``"global-doubled-newton"`` skips the
      second round; ``"global-doubling-newton"`` (the default of issue #20's first version)
      runs the global phase and plain Newton first, then the third and fourth rounds.
      ``"global-newton"`` skips the doubling round;
      ``"newton-global"`` runs plain Newton first and the global phase for the starts left;
      ``"global-continue-doubling-newton"`` runs the doubling round from where the first
      round's global phase ended instead of from the start.
      With ``global_steps = 0`` every strategy is one round: Newton from the start, as before.
      A threaded search (:func:`search_threaded`) gathers the starts left for a round into
      fewer parts (compaction: solved starts cost nothing more); a vmapped one
      (:func:`search`, scans) computes every round for every start and keeps the first
      success — the same codes and points (values may differ in the last bit: XLA fuses the
      larger program differently). Measurements behind the default: bench/results/search.md.
    """

    global_steps: int = 80
    learning_rate: float = 0.05
    final_lr_fraction: float = 0.01
    max_steps: int = 48
    polish_steps: int = 2
    rtol: float = DEFAULT_RTOL
    solver_tol: float = 1e-10
    susy: bool = False
    batch_size: int = 1024
    step_doubling: int = 1
    strategy: str = "global-doubled-continue-newton"

    def __post_init__(self):
        if self.strategy not in STRATEGIES:
            raise ValueError(
                f"strategy must be one of {', '.join(STRATEGIES)} (got {self.strategy!r})."
            )
        for name in ("global_steps", "max_steps", "polish_steps", "batch_size", "step_doubling"):
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"{name} must be an integer >= 0 (got {value!r}).")
        for name in ("max_steps", "batch_size", "step_doubling"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1 (got {getattr(self, name)!r}).")
        for name in ("learning_rate", "rtol", "solver_tol"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and value > 0 and math.isfinite(value)):
                raise ValueError(f"{name} must be a finite number > 0 (got {value!r}).")
        if not 0 < self.final_lr_fraction <= 1:
            raise ValueError(
                f"final_lr_fraction must be in (0, 1] (got {self.final_lr_fraction!r})."
            )


#: δ² of the squashed objective asinh(q/δ²): below q ~ δ² the objective is quadratic.
OBJECTIVE_DELTA2 = 1e-20
#: A point more than this many region widths outside the region (in unit coordinates)
#: and not converged is a runaway (``Result.diverged``).
DIVERGE_MARGIN = 1.0
#: A start is a runaway (``Result.diverged``) when the local phase's last step was at
#: least RUNAWAY_RATE times the one before, pointed along the phase's whole path
#: (cosine ≥ RUNAWAY_COSINE; :func:`_marching`), and the natural scale S of V fell by
#: more than the factor RUNAWAY_SCALE_DROP on the way: Newton on ∇V follows slopes
#: towards where V flattens out (T → ∞ in KKLT) — a decompactification-like runaway.
RUNAWAY_RATE = 0.8
RUNAWAY_COSINE = 0.9
RUNAWAY_SCALE_DROP = 1e-2
#: The global phase keeps its iterate within this many widths of the region.
BOX_MARGIN = 3.0
#: A start whose local phase did not converge is *stalled* (at a non-zero local minimum
#: of |∇V|², not a critical point) if the global phase ended inside the region with the
#: objective q above STALL_Q and |∇_u q| / q below STALL_TOL (a flat, non-zero minimum).
STALL_Q = 1e-8
STALL_TOL = 1e-2


class SolveResult(eqx.Module):
    """Outcome of one start. All fields are arrays (a batch of starts is a batch of
    SolveResults)."""

    y0: jax.Array  # the start
    y: jax.Array  # the final point (periodic coordinates wrapped into the region)
    analysis: PointAnalysis  # jaxvac.analyse_point at y
    result: jax.Array  # Result code of the start
    steps: jax.Array  # Newton steps taken in the local phase
    global_objective: jax.Array  # q at the end of the global phase
    solver_residual: jax.Array  # |F| at the end of the local phase (F = ∇_uV/|∇_uV(start)|)
    stall: jax.Array  # |∇_u q| / q at the end of the global phase
    in_region: jax.Array  # bool
    y_global: jax.Array  # where the global phase ended (the start where it did not run)


def _stationarity_terms(model: AbstractModel, y):
    """(g, |g|²_G, S, Q) at y: gradient, canonical gradient norm², natural scale of V and
    the curvature scale Q (module docstring), from :meth:`AbstractModel.stationarity_terms`."""
    g, G, S, Q = model.stationarity_terms(y)
    gG2 = jnp.maximum(jnp.dot(g, cho_solve(cholesky(0.5 * (G + G.T)), g)), 0.0)
    return g, gG2, S, Q


def _susy_terms(model: SupergravityModel, y):
    """(F, |F|², N): e^{K/2} D_aW as 2n real numbers, its K-norm², and the scale it is
    measured against (e^K(|∂W|²_K + 3|W|²) + Q)."""
    p = fterm_parts(model, y)
    eK = jnp.exp(p.K)
    F = jnp.exp(0.5 * p.K) * p.F
    vec = jnp.concatenate([jnp.real(F), jnp.imag(F)])
    F2 = eK * jnp.maximum(p.F_norm2, 0.0)
    Minv = cho_solve(cholesky(p.metric), jnp.eye(p.metric.shape[0], dtype=p.metric.dtype))
    Wab = superpotential_hessian(model, y)
    Q = eK * jnp.abs(jnp.einsum("ac,bd,ab,cd->", Minv, Minv, Wab, jnp.conj(Wab)))
    Wa2 = jnp.abs(jnp.real(jnp.vdot(p.W_a, Minv @ p.W_a)))
    N = eK * (Wa2 + 3.0 * jnp.abs(p.W) ** 2) + Q
    return vec, F2, N


def _objective(model, region, u, susy: bool):
    """The scale-free objective q ≥ 0 of the global phase at unit coordinates u."""
    y = region.from_unit(u)
    tiny = jnp.finfo(jnp.float64).tiny
    if susy:
        _, F2, N = _susy_terms(model, y)
        q = F2 / jnp.maximum(N, tiny)
    else:
        _, gG2, S, Q = _stationarity_terms(model, y)
        q = gG2 / jnp.maximum(S**2 + Q**2, tiny)
    return jnp.where(jnp.isfinite(q), q, jnp.finfo(jnp.float64).max)


def _local_residual(model, region, u, susy: bool):
    """The equations of the local phase in unit coordinates (unnormalised)."""
    y = region.from_unit(u)
    if susy:
        vec, _, _ = _susy_terms(model, y)
        return vec
    g = gradient_with_hessian_jvp(model.scalar_potential)(y)
    return g * region.jacobian_diagonal(u)


def _global_phase(model, region, u0, opts: SolverOptions, steps=None):
    """Adam on f = asinh(q/δ²). Returns (u, q, stall) at the best point visited, with
    stall = |∇_u f| (≈ |∇_u q| / q where q ≫ δ²): small at a non-zero local minimum.
    ``steps`` (an integer array, at most ``opts.global_steps``): run only that many steps of
    the schedule (a loop of dynamic length: rounds with and without the global phase share
    one compiled program)."""
    u_lo, u_hi = region.unit_bounds()
    box_lo, box_hi = u_lo - BOX_MARGIN, u_hi + BOX_MARGIN

    def objective(u):
        q = _objective(model, region, u, opts.susy)
        return jnp.arcsinh(q / OBJECTIVE_DELTA2), q

    schedule = optax.exponential_decay(
        opts.learning_rate,
        transition_steps=max(opts.global_steps, 1),
        decay_rate=opts.final_lr_fraction,
    )
    optimiser = optax.adam(schedule)

    def body(carry):
        u, state, best = carry
        (f, q), grad = jax.value_and_grad(objective, has_aux=True)(u)
        ok = jnp.isfinite(f) & jnp.all(jnp.isfinite(grad))
        better = ok & (f < best[1])
        best = jax.tree.map(
            lambda new, old: jnp.where(better, new, old),
            (u, f, q, jnp.linalg.norm(grad)),
            best,
        )
        grad = jnp.where(ok, grad, 0.0)
        updates, state = optimiser.update(grad, state, u)
        u = jnp.clip(u + updates, box_lo, box_hi)
        return u, state, best

    dtype = u0.dtype
    best0 = (u0, jnp.asarray(jnp.inf, dtype), jnp.asarray(1.0, dtype), jnp.asarray(jnp.inf, dtype))
    init = (u0, optimiser.init(u0), best0)
    if steps is None:
        (_, _, best), _ = jax.lax.scan(
            lambda c, _: (body(c), None), init, None, length=opts.global_steps
        )
    else:
        _, _, best = jax.lax.fori_loop(0, steps, lambda _, c: body(c), init)
    u, _, q, stall = best
    return u, q, stall


def _newton_linear_solver(susy: bool):
    """The Newton steps' linear solve: a pseudo-inverse (SVD; singular and indefinite
    Jacobians are the rule at flat axions and saddles). The Jacobian of ∇V = 0 is a
    Hessian (in unit coordinates D H D + diag(D' ∇V), still symmetric), so its SVD comes
    from an n × n eigen-decomposition; D_aW = 0 has a general Jacobian (2n × 2n SVD)."""
    return JacobiSVD() if susy else JacobiSymmetricSVD()


def _local_phase(model, region, u0, opts: SolverOptions, factor=None):
    """Newton (optimistix, SVD linear solve) on ∇_u V = 0 (or D_aW = 0), normalised by
    the equations' size at the start. Returns (u, steps, |F|, hit_max_steps, marching).

    ``factor`` (an integer array; None: ``opts.step_doubling``): the step-doubling factor
    as an argument, so that rounds with and without step doubling run one compiled program
    (a ``lax.cond`` on an unbatched predicate: each round executes only its own branch)."""
    r0 = _local_residual(model, region, u0, opts.susy)
    n0 = jnp.linalg.norm(r0)
    n0 = jnp.where(jnp.isfinite(n0) & (n0 > 0), n0, 1.0)

    def fn(u, args):
        return _local_residual(model, region, u, opts.susy) / args

    def newton(u_start):
        solver = optx.Newton(
            rtol=opts.solver_tol,
            atol=opts.solver_tol,
            linear_solver=_newton_linear_solver(opts.susy),
        )
        sol = optx.root_find(
            fn,
            solver,
            u_start,
            args=n0,
            max_steps=opts.max_steps,
            throw=False,
            adjoint=optx.RecursiveCheckpointAdjoint(),
        )
        u = sol.value
        normF = jnp.linalg.norm(fn(u, n0))
        hit_max = sol.result == optx.RESULTS.nonlinear_max_steps_reached
        steps = jnp.asarray(sol.stats["num_steps"], jnp.int32)
        return u, steps, normF, hit_max, _marching(u_start, u, sol.state)

    def doubling(u_start, max_factor):
        return _doubling_newton(lambda u: fn(u, n0), u_start, opts, max_factor)

    if factor is None:
        if opts.step_doubling > 1:
            return doubling(u0, float(opts.step_doubling))
        return newton(u0)
    factor = jnp.asarray(factor)
    return jax.lax.cond(
        factor > 1,
        lambda uu: doubling(uu, factor.astype(uu.dtype)),
        newton,
        u0,
    )


def _marching(u_start, u, state):
    """True if Newton's last two steps had about the same size (the ratio is < 1 and
    shrinking near a root; ~1 along exponential or power-law slopes in log coordinates,
    > 1 for power laws in linear ones) and the last one points along the whole path of
    the local phase: Newton was still marching in one direction when it stopped."""
    # diffsize is the step in units of the solver's tolerance: > 1 means Newton had not
    # converged in its own norm (a linearly converging degenerate root stops with tiny
    # steps and is not marching)
    return _still_marching(
        u_start,
        u,
        -state.diff,  # optimistix: y_new = y - diff
        state.diffsize / state.diffsize_prev,
        state.diffsize > 1,
        state.step,
    )


def _still_marching(u_start, u, step, rate, unconverged, steps):
    path = u - u_start
    cos = jnp.dot(step, path) / jnp.maximum(
        jnp.linalg.norm(step) * jnp.linalg.norm(path), jnp.finfo(u.dtype).tiny
    )
    steady = jnp.isfinite(rate) & (rate >= RUNAWAY_RATE) & unconverged
    return steady & (cos >= RUNAWAY_COSINE) & (steps >= 2)


class _DoublingNewtonState(eqx.Module):
    """State of :class:`DoublingNewton` (public fields; read by :func:`_local_phase`)."""

    step: jax.Array  # the step taken last (alpha × the Newton step)
    step_prev: jax.Array  # the one before
    alpha: jax.Array  # the multiple of the Newton step taken last
    count: jax.Array  # steps taken
    done: jax.Array  # converged, or the step was not finite (the point is kept)


class DoublingNewton(optx.AbstractRootFinder):
    """Newton on F(u) = 0 whose step is doubled (up to ``max_factor`` times the Newton step)
    while successive Newton steps keep direction (cosine > 0.9) and size (ratio in
    [0.5, 2]), and reset to the Newton step at any turn: crosses exponential and power-law
    slopes, where Newton advances by a constant amount per step, in logarithmically many
    steps. An optimistix root finder of its own because ``optx.Newton`` has no step
    scaling. Converged when the Newton step is within ``atol + rtol |u|`` (max norms) and
    |F| < 1e-6 (F is normalised by its size at the start); a non-finite step stops it where
    it is."""

    rtol: float
    atol: float
    linear_solver: lx.AbstractLinearSolver
    max_factor: float | jax.Array = 8.0
    norm: Any = optx.max_norm

    def init(self, fn, y, args, options, f_struct, aux_struct, tags):
        del fn, args, options, f_struct, aux_struct, tags
        zero = jnp.zeros_like(y)
        return _DoublingNewtonState(
            step=zero,
            step_prev=zero,
            alpha=jnp.ones((), y.dtype),
            count=jnp.asarray(0),
            done=jnp.asarray(False),
        )

    def step(self, fn, y, args, options, state, tags):
        del options, tags
        r, aux = fn(y, args)
        J = jax.jacfwd(lambda u: fn(u, args)[0])(y)
        # the operator's structures are read from y (not from J's shape): inside shard_map they
        # carry the device mesh like r does, and lineax compares them (tests/test_scaling.py)
        operator = lx.FunctionLinearOperator(lambda v: J @ v, jax.eval_shape(lambda: y))
        newton = -lx.linear_solve(operator, r, self.linear_solver, throw=False).value
        size = jnp.linalg.norm(newton)
        size_prev = jnp.linalg.norm(state.step) / state.alpha
        tiny = jnp.finfo(y.dtype).tiny
        cos = jnp.dot(newton, state.step) / jnp.maximum(size * jnp.linalg.norm(state.step), tiny)
        ratio = size / jnp.maximum(size_prev, tiny)
        steady = (cos > 0.9) & (ratio > 0.5) & (ratio < 2.0) & (state.count >= 1)
        alpha = jnp.where(steady, jnp.minimum(2.0 * state.alpha, self.max_factor), 1.0)
        new_step = alpha * newton
        finite = jnp.all(jnp.isfinite(new_step))
        converged = (self.norm(newton) <= self.atol + self.rtol * self.norm(y)) & (
            jnp.linalg.norm(r) < 1e-6
        )
        new_state = _DoublingNewtonState(
            step=new_step,
            step_prev=state.step,
            alpha=alpha,
            count=state.count + 1,
            done=~finite | converged,
        )
        return jnp.where(finite, y + new_step, y), new_state, aux

    def terminate(self, fn, y, args, options, state, tags):
        del fn, y, args, options, tags
        return state.done, optx.RESULTS.successful

    def postprocess(self, fn, y, aux, args, options, state, tags, result):
        del fn, args, options, state, tags, result
        return y, aux, {}


def _doubling_newton(F, u0, opts: SolverOptions, max_factor):
    """:class:`DoublingNewton` on F(u) = 0 (tolerance ``opts.solver_tol``, at most
    ``max_factor`` times the Newton step: a number or an array). Returns what
    :func:`_local_phase` returns."""
    tol = opts.solver_tol
    solver = DoublingNewton(
        rtol=tol,
        atol=tol,
        linear_solver=_newton_linear_solver(opts.susy),
        max_factor=max_factor,
    )
    sol = optx.root_find(
        lambda u, _: F(u),
        solver,
        u0,
        max_steps=opts.max_steps,
        throw=False,
        adjoint=optx.RecursiveCheckpointAdjoint(),
    )
    u, state = sol.value, sol.state
    rate = jnp.linalg.norm(state.step) / jnp.linalg.norm(state.step_prev)
    marching = _still_marching(u0, u, state.step, rate, ~state.done, state.count)
    steps = jnp.asarray(state.count, jnp.int32)
    return u, steps, jnp.linalg.norm(F(u)), ~state.done, marching


def polish(model: AbstractModel, y, *, steps: int = 3, susy: bool = False):
    """A few Newton steps (optimistix, SVD linear solve) in the original coordinates y,
    each kept only if the point stays in the domain and |∇V| (or |DW|) decreases."""
    pos = jnp.asarray(model.positive_indices, dtype=jnp.int32)

    def equations(yy, _):
        if susy:
            vec, _, _ = _susy_terms(cast(SupergravityModel, model), yy)  # susy: sugra only
            return vec
        return gradient_with_hessian_jvp(model.scalar_potential)(yy)

    def size(yy):
        return jnp.sum(equations(yy, None) ** 2)

    def one(y_cur, _):
        sol = optx.root_find(
            equations,
            optx.Newton(rtol=0.0, atol=0.0, linear_solver=_newton_linear_solver(susy)),
            y_cur,
            max_steps=1,
            throw=False,
            adjoint=optx.RecursiveCheckpointAdjoint(),
        )
        y_new = sol.value
        in_domain = jnp.all(y_new[pos] > 0) if len(model.positive_indices) else True
        ok = jnp.all(jnp.isfinite(y_new)) & in_domain
        n_new = size(jnp.where(ok, y_new, y_cur))
        n_cur = size(y_cur)
        better = ok & jnp.isfinite(n_new) & (n_new < n_cur)
        return jnp.where(better, y_new, y_cur), None

    if steps == 0:
        return y
    y, _ = jax.lax.scan(one, y, None, length=steps)
    return y


def _result_code(
    a: PointAnalysis,
    y,
    region: Region,
    in_region,
    hit_max,
    stalled,
    runaway=False,
    unfinished=False,
):
    """Combine the analysis verdict with the solver state (docs/search.md, table).

    A runaway (Newton still marching outward at an undiminished pace, see
    :func:`_marching`, with V's scale falling) is ``diverged`` even where the end point passes the
    stationarity test: along a power-law slope V ∝ x^-p the scale-free residual p/x
    falls below any tolerance far enough out, but no critical point is there. Likewise
    a start ``unfinished`` (Newton stopped while still marching) is not converged:
    ``max_steps`` (or ``stalled``/``diverged`` by the usual rules)."""
    r = a.result
    u = region.to_unit(y)
    u_lo, u_hi = region.unit_bounds()
    periodic = region.period > 0
    outside = ((u < u_lo - DIVERGE_MARGIN) | (u > u_hi + DIVERGE_MARGIN)) & ~periodic
    far = jnp.any(outside)
    y_nan = jnp.any(jnp.isnan(y))
    y_inf = jnp.any(jnp.isinf(y))
    converged = is_stationary(r) & ~unfinished
    return first_true(
        [  # the first that holds, top to bottom (docs/search.md, table)
            (y_nan, Result.nonfinite),
            (y_inf | runaway, Result.diverged),
            ((r == Result.left_domain) | (r == Result.bad_metric) | (r == Result.nonfinite), r),
            (converged & in_region, r),
            (converged, Result.left_region),
            (far, Result.diverged),
            (stalled, Result.stalled),
            (hit_max | unfinished, Result.max_steps),
        ],
        Result.not_critical,
    )


def _solve(
    model: AbstractModel, y0, region: Region, opts: SolverOptions, global_steps=None, factor=None
) -> SolveResult:
    """One start, one round. ``global_steps`` and ``factor`` (integer arrays) override the
    number of global-phase steps and the step-doubling factor without a new compilation
    (:func:`_global_phase`, :func:`_local_phase`)."""
    y0 = jnp.asarray(y0, jnp.float64)
    u0 = region.to_unit(y0)
    if opts.global_steps > 0 and global_steps is not None:
        u1, q1, stall = _global_phase(model, region, u0, opts, global_steps)
        ran = global_steps > 0
        q1 = jnp.where(ran, q1, jnp.nan)
        stall = jnp.where(ran, stall, jnp.inf)
    elif opts.global_steps > 0:
        u1, q1, stall = _global_phase(model, region, u0, opts)
    else:
        u1, q1, stall = u0, jnp.asarray(jnp.nan), jnp.asarray(jnp.inf)
    u2, steps, normF, hit_max, marching = _local_phase(model, region, u1, opts, factor)
    y2 = region.from_unit(u2)
    # a runaway: still marching, down a slope whose scale fell by orders of magnitude
    S1, S2 = model.natural_scale(region.from_unit(u1)), model.natural_scale(y2)
    runaway = marching & (S2 < RUNAWAY_SCALE_DROP * S1)
    # stopped while still marching (out of steps, or optimistix's Cauchy test fooled by
    # a step ratio ≥ 1): not converged, whatever the analysis says at the last point
    # (where V's terms cancel, e.g. a no-scale K written out as -3 log(T + T̄), a slope
    # can pass the scale-free stationarity test)
    unfinished = marching & ~runaway
    finite = jnp.all(jnp.isfinite(y2))
    y3 = polish(model, jnp.where(finite, y2, y0), steps=opts.polish_steps, susy=opts.susy)
    y3 = jnp.where(finite, y3, y2)
    y3 = jnp.where(jnp.isfinite(y3), region.wrap(y3), y3)
    a = analyse_point(model, jnp.where(jnp.all(jnp.isfinite(y3)), y3, y0), opts.rtol)
    a = eqx.tree_at(lambda t: t.y, a, y3)
    # a verified point must also be where Newton has converged: the step it would still
    # take must lie within the point's own location uncertainty (the dedup tolerance)
    step, sigma, _ = _newton_step_and_uncertainty(a)
    tol = point_tolerance(y3, sigma, region)
    unfinished = unfinished | (is_stationary(a.result) & jnp.any(jnp.abs(step) > tol))
    in_region = region.contains(y3)
    stalled = (q1 > STALL_Q) & (stall < STALL_TOL) & region.contains(region.from_unit(u1))
    code = _result_code(a, y3, region, in_region, hit_max, stalled, runaway, unfinished)
    return SolveResult(
        y0=y0,
        y=y3,
        analysis=a,
        result=code,
        steps=steps,
        global_objective=q1,
        solver_residual=normF,
        stall=stall,
        in_region=in_region,
        y_global=region.from_unit(u1),
    )


def _options(**kwargs) -> SolverOptions:
    try:
        return SolverOptions(**kwargs)
    except TypeError as e:
        allowed = ", ".join(f.name for f in dataclasses.fields(SolverOptions))
        raise TypeError(f"{e}; solver options are: {allowed}.") from None


def solve_from(
    model: AbstractModel, y0, *, region: Region | dict | None = None, **options
) -> SolveResult:
    """Search for a critical point of V from one start ``y0`` (real coordinates).

    Pure, jit- and vmap-able (over starts, and over models = parameter points, with a
    matching batch of regions), fixed shapes, no host round-trips. ``options`` are the
    fields of :class:`SolverOptions` (static: one compilation per setting). The result
    code is a :class:`jaxvac.Result`; only ``successful`` points are vacua.

    **Arguments:**

    - `model`: a jaxvac model (parameters as arrays: see [`jaxvac.canonical`][]).
    - `y0`: the start in real coordinates, shape (d,).
    - `region`: the search region (leaving it ends the start with `left_region`).
    - `options`: solver settings (`rtol`, `global_steps`, `max_steps`, ...).

    **Returns:**

    A [`SolveResult`][jaxvac.SolveResult]: the final point, its analysis and result code.
    """
    ensure_x64()
    region = as_region(model, region)
    opts = _options(**options)
    y0 = jnp.asarray(y0, jnp.float64)
    program, rounds = _rounds(opts)  # the strategy's rounds, the first success kept

    def one_round(starts, steps, factor):
        return _solve(model, starts, region, program, steps, factor)

    return _run_rounds(one_round, y0, rounds)


def solve_susy_from(
    model: SupergravityModel, y0, *, region: Region | dict | None = None, **options
) -> SolveResult:
    """Like :func:`solve_from`, but solves the supersymmetry conditions D_aW = 0
    (n complex equations) directly; the final point is verified as a critical point of
    V by :func:`jaxvac.analyse_point` (``analysis.susy`` says whether it is SUSY).

    **Arguments:**

    - `model`: a [`jaxvac.SupergravityModel`][].
    - `y0`: the start in real coordinates.
    - `region`: the search region.
    - `options`: solver settings.

    **Returns:**

    A [`SolveResult`][jaxvac.SolveResult].
    """
    if not model.is_supergravity:
        raise TypeError(
            f"solve_susy_from needs a supergravity model; {type(model).__name__} is a "
            "plain potential."
        )
    return solve_from(model, y0, region=region, susy=True, **options)


# ======================================================================================
# Deduplication
# ======================================================================================


def _newton_step_and_uncertainty(a: PointAnalysis):
    """(δy, σ_rounding, σ): the floored Newton step of
    :func:`jaxvac._analysis.floored_newton_step` (the one definition, the same as the
    analysis's ``newton_step``, here as a vector in the y frame), and its spread through
    the same floored spectrum: the location uncertainty from rounding alone (of ∇V and of
    the position), and the per-coordinate location uncertainty of
    :func:`location_uncertainty`, which also counts the gradient left at the point. Read
    from a :class:`PointAnalysis` (metric, Hessian, gradient and their errors), with the
    metric's factor and the eigen-decomposition recomputed (the analysis keeps neither)."""
    G = 0.5 * (a.metric + a.metric.T)
    G = jnp.where(jnp.all(jnp.isfinite(G)), G, jnp.eye(G.shape[0]))
    L = cholesky(G)
    L = jnp.where(jnp.all(jnp.isfinite(L)), L, jnp.eye(G.shape[0]))
    H = jnp.where(jnp.isfinite(a.hessian), a.hessian, 0.0)
    lam, Q = eigh(canonical_matrix(H, L))
    rounding = jnp.abs(a.gradient_error) + jnp.abs(H) @ (EPS * jnp.abs(a.y))
    newton = floored_newton_step(
        lam, Q, L, a.masses_error, a.gradient, rounding, rounding + jnp.abs(a.gradient)
    )
    Linv_T = solve_triangular(L, jnp.eye(L.shape[0], dtype=L.dtype), lower=True).T
    sigma_rounding, sigma = (jnp.abs(Linv_T) @ s for s in newton.spread)
    return Linv_T @ newton.step, sigma_rounding, sigma


def location_uncertainty(a: PointAnalysis):
    """Per-coordinate uncertainty of a critical point's location (one point).

    The Newton step that the gradient's resolution (rounding error of ∇V, the residual
    left, and the position resolution EPS·|y|) allows, through the canonical mass
    matrix with eigenvalues floored at their resolution: directions that are flat to
    float64 get a large uncertainty, so points spread along them are identified.
    """
    return _newton_step_and_uncertainty(a)[2]


def deduplicate(y, ok, quality, tol, period):
    """Representatives of the distinct points among one parameter point's starts.

    Fixed shapes, jittable, vmap-able (over parameter points). ``y`` (n, d) points;
    ``ok`` (n,) which points take part; ``quality`` (n,) lower is better (e.g. the
    residual); ``tol`` (n, d) per-point, per-coordinate tolerance; ``period`` (d,)
    periods (0 = none; differences are taken modulo the period).

    Greedy: the best remaining point becomes a representative and claims every
    remaining point within ``tol_i + tol_rep`` in every coordinate; repeat. The loop
    runs once per distinct point. Returns ``(representative, cluster)``: a bool mask
    (n,) and, for each point, the index of its representative (-1 if not ``ok``).
    """
    n = y.shape[0]
    periodic = period > 0
    safe_p = jnp.where(periodic, period, 1.0)
    score = jnp.where(ok, jnp.where(jnp.isnan(quality), jnp.inf, quality), jnp.inf)

    def cond(state):
        cluster, _ = state
        return jnp.any(ok & (cluster < 0))

    def body(state):
        cluster, rep = state
        free = ok & (cluster < 0)
        i = jnp.argmin(jnp.where(free, score, jnp.inf))
        # when every free point has an infinite score, argmin still picks a free one
        i = jnp.where(free[i], i, jnp.argmax(free))
        diff = y - y[i]
        diff = jnp.where(periodic, diff - safe_p * jnp.round(diff / safe_p), diff)
        same = jnp.all(jnp.abs(diff) <= tol + tol[i], axis=1) & free
        same = same.at[i].set(True)
        cluster = jnp.where(same, i.astype(cluster.dtype), cluster)
        rep = rep.at[i].set(True)
        return cluster, rep

    init = (jnp.full((n,), -1, dtype=jnp.int32), jnp.zeros((n,), dtype=bool))
    cluster, rep = jax.lax.while_loop(cond, body, init)
    return rep, cluster


def dedup_tolerance(solutions: SolveResult, region: Region):
    """Per-point, per-coordinate tolerances for :func:`deduplicate` (one point)."""
    return point_tolerance(solutions.y, location_uncertainty(solutions.analysis), region)


def is_critical(code):
    """Starts that ended on a verified critical point (successful, or stationary with
    the sign of V unresolved)."""
    return is_stationary(code)


class SearchResult(eqx.Module):
    """One parameter point's search: every start's :class:`SolveResult`, and which
    starts represent the distinct critical points."""

    solutions: SolveResult  # batch over starts
    representative: jax.Array  # bool (n,)
    cluster: jax.Array  # int (n,): index of the representative, -1 for failed starts


def search(model: AbstractModel, region: Region, key, *, starts: int, **options) -> SearchResult:
    """Sample ``starts`` points, solve from each, and deduplicate: the whole search for
    one parameter point as one pure function (vmap it over models, regions and keys)."""
    opts = _options(**options)
    y0 = sample_starts(model, region, key, starts)
    return _search_from(model, region, y0, opts)


def _search_from(model, region, y0, opts: SolverOptions) -> SearchResult:
    return _deduplicated(_solve_starts(model, region, y0, opts), region)


class _Round(NamedTuple):
    """One round of a strategy: its global-phase steps and step-doubling factor, passed to
    the round's program as arguments (None: the program's own options), and whether it
    continues from where the previous round's global phase ended."""

    steps: int | None
    factor: int | None
    cont: bool


def _rounds(opts: SolverOptions) -> tuple[SolverOptions, tuple[_Round, ...]]:
    """The options of the one program every round of ``opts.strategy`` runs, and the rounds
    (a round identical to an earlier one is dropped: it would end where that one ended).

    With several rounds, each round's global steps are an argument of the program (the
    global phase is compiled in once; a round without it runs 0 steps), and so is its
    step-doubling factor when the rounds' factors differ (Newton and doubled-step Newton
    are the two branches of one ``lax.cond``). One round: its settings are the program's
    static options, nothing is an argument. Compiling one program for all rounds, not one
    per kind of round, halves the default search's first-call compilation
    (docs/performance.md)."""
    base = dataclasses.replace(opts, strategy="single")
    if opts.global_steps == 0:  # "Newton straight from the start", and nothing else
        return base, (_Round(None, None, False),)
    specs: list[tuple[int, int, bool]] = []
    for steps, doubling in STRATEGIES[opts.strategy]:
        cont = steps == "continue"
        steps = (
            opts.global_steps
            if steps == "all"
            else 0
            if cont
            else min(int(steps), opts.global_steps)
        )
        spec = (steps, int(doubling or opts.step_doubling), cont)
        # continuing with the factor the previous round's Newton had: that round again
        same = cont and specs and specs[-1][0] > 0 and specs[-1][1] == spec[1]
        if spec not in specs and not same:
            specs.append(spec)
    if len(specs) == 1:  # one round: its settings as static options, nothing dynamic
        steps, factor, _ = specs[0]
        one = dataclasses.replace(base, global_steps=steps, step_doubling=factor)
        return one, (_Round(None, None, False),)
    factors = {factor for _, factor, _ in specs}
    if len(factors) == 1:
        program = dataclasses.replace(base, step_doubling=factors.pop())
        return program, tuple(_Round(steps, None, cont) for steps, _, cont in specs)
    return base, tuple(_Round(steps, factor, cont) for steps, factor, cont in specs)


def _round_arguments(rnd: _Round):
    """A round's dynamic settings as the program's arguments (None where static)."""
    return (
        None if rnd.steps is None else jnp.asarray(rnd.steps, jnp.int32),
        None if rnd.factor is None else jnp.asarray(rnd.factor, jnp.int32),
    )


def _run_rounds(solve_round, y0, rounds: tuple[_Round, ...]):
    """Every start of ``y0`` through ``rounds`` (``solve_round(starts, steps, factor)``
    solves one), the first verified critical point of each start kept, every result reporting
    its own start. Several rounds run as a ``lax.scan`` over the rounds' arguments: one copy
    of the round in the program, not one per round."""
    if len(rounds) == 1:
        return solve_round(y0, *_round_arguments(rounds[0]))
    steps = jnp.asarray([r.steps for r in rounds], jnp.int32)
    factors = (
        None if rounds[0].factor is None else jnp.asarray([r.factor for r in rounds], jnp.int32)
    )
    conts = jnp.asarray([r.cont for r in rounds])
    shape = jax.eval_shape(solve_round, y0, steps[0], None if factors is None else factors[0])
    # nothing solved yet: the first round's result replaces every leaf of this
    nothing = jax.tree.map(lambda x: jnp.zeros(x.shape, x.dtype), shape)
    nothing = eqx.tree_at(
        lambda t: t.result,
        nothing,
        jnp.full(shape.result.shape, int(Result.not_critical), shape.result.dtype),
    )

    def body(sols, xs):
        st, fa, cont = xs
        starts = jnp.where(cont, sols.y_global, y0)
        sol = solve_round(starts, st, fa)
        return _keep_first_success(sols, _restart(sol, y0)), None

    sols, _ = jax.lax.scan(body, nothing, (steps, factors, conts))
    return sols


def _restart(sol: SolveResult, y0) -> SolveResult:
    """``sol`` with its start set back to ``y0`` (a continuing round started elsewhere)."""
    xp = np if isinstance(sol.y0, np.ndarray) else jnp  # NumPy between a search's programs
    return eqx.tree_at(lambda t: t.y0, sol, xp.asarray(y0, sol.y0.dtype))


def _solve_round(model, region, y0, opts: SolverOptions, global_steps, factor=None) -> SolveResult:
    """Every start of ``y0`` through one round (``global_steps`` global-phase steps and
    step-doubling ``factor``, integer arrays; None: ``opts``' own)."""

    def solve(yy):
        return _solve(model, yy, region, opts, global_steps, factor)

    if y0.shape[0] > opts.batch_size:  # consecutive vmapped batches: bounded memory
        return jax.lax.map(solve, y0, batch_size=opts.batch_size)
    return jax.vmap(solve)(y0)


def _keep_first_success(earlier: SolveResult, later: SolveResult) -> SolveResult:
    """Per start: ``earlier`` where it ended on a verified critical point, else ``later``."""
    done = is_critical(earlier.result)

    def pick(a, b):
        return jnp.where(done.reshape(done.shape + (1,) * (a.ndim - 1)), a, b)

    return jax.tree.map(pick, earlier, later)


def _solve_starts(model, region, y0, opts: SolverOptions) -> SolveResult:
    """Every start through the rounds of ``opts.strategy``, all of them in every round
    (fixed shapes: pure, vmap-able); :func:`search_threaded` compacts instead."""
    program, rounds = _rounds(opts)

    def one_round(starts, steps, factor):
        return _solve_round(model, region, starts, program, steps, factor)

    return _run_rounds(one_round, y0, rounds)


def _solve_rows(y0, model, region, opts: SolverOptions, round_args=None, *, batch_size: int):
    """One device's share of a search (:func:`jaxvac._parallel.map_on_devices`), ``batch_size``
    starts at a time: every round of ``opts.strategy`` (``round_args`` None), or the one
    round with those (global steps, factor) arguments (a round of a compacted search; ``opts``
    the rounds' program options)."""
    opts = dataclasses.replace(opts, batch_size=batch_size)
    if round_args is None:
        return _solve_starts(model, region, y0, opts)
    return _solve_round(model, region, y0, opts, *round_args)


def _deduplicated(sols: SolveResult, region: Region) -> SearchResult:
    ok = is_critical(sols.result)
    tol = jax.vmap(lambda s: dedup_tolerance(s, region))(sols)
    rep, cluster = deduplicate(sols.y, ok, sols.analysis.residual, tol, region.period)
    return SearchResult(solutions=sols, representative=rep, cluster=cluster)


# kept in the program store (jaxvac/_programs.py): a later process skips their tracing
_solve_jit = stored_jit(_solve_starts)
_solve_round_jit = stored_jit(_solve_round)
_deduplicated_jit = stored_jit(_deduplicated)

#: Fewest starts per thread when :func:`search_threaded` splits a search.
MIN_STARTS_PER_THREAD = 32
#: Most starts per part of a threaded search. Measured on KKLT + uplift, 10⁴ starts, 2
#: threads (best of 6): parts of 64: 0.88 s, 128: 0.73 s, 256: 0.61 s, 512: 0.65 s,
#: 1024: 0.72 s (one thread, batches of 1024: 1.07 s).
THREAD_PART = 256


def bucket(n: int, cap: int) -> int:
    """The smallest power of two >= ``n``, at most ``cap``: the sizes programs are compiled
    for, so that nearby numbers of starts share one compiled program."""
    return max(1, min(int(cap), 1 << max(0, int(n) - 1).bit_length()))


def _pad_rows(tree, total: int):
    """Every leaf of ``tree`` (as a NumPy array) padded along its first axis to ``total`` rows
    with copies of its first row."""

    def pad(x):
        x = np.asarray(x)
        extra = total - x.shape[0]
        if extra <= 0:
            return x
        return np.concatenate([x, np.broadcast_to(x[:1], (extra,) + x.shape[1:])])

    return jax.tree.map(pad, tree)


def _on_host(tree):
    """Every leaf of ``tree`` as a NumPy array: the bookkeeping between a search's programs
    (padding, compaction, slicing) then runs in NumPy instead of compiling one small XLA
    program per leaf shape (~1 s of a warm ``jaxvac find``)."""
    return jax.tree.map(np.asarray, tree)


def search_threaded(model, region, y0, opts: SolverOptions, threads: int) -> SearchResult:
    """:func:`_search_from` with the starts split over ``threads`` concurrent executions
    (jaxvac/_parallel.py: XLA's CPU backend runs one execution on one core). Equal parts
    share one compilation; deduplication runs once over all starts. Same result for any
    ``threads``.

    Shapes are bucketed (:func:`bucket`) so one compiled program serves nearby numbers of
    starts (200 and 256 starts: the same two programs): a part holds a power of two of starts
    (at most ``THREAD_PART``, or ``batch_size`` on one thread), deduplication sees a power
    of two of solutions. Padding rows are copies of the first start (its solution, for
    deduplication), placed after the real ones and dropped: each start is solved on its own,
    and a copy always joins its original's cluster after it, so the real starts' results are
    the same as without padding.

    With ``$JAXVAC_EXECUTION=devices`` (the default off the CPU) the parts are instead calls of
    one program over every local device (:func:`jaxvac._parallel.map_on_devices`)."""
    n = int(y0.shape[0])
    y0 = np.asarray(y0)
    program, rounds = _rounds(opts)
    if len(rounds) == 1:
        sols, _ = _solve_threaded(model, region, y0, opts, threads, None)
    else:
        # compaction: each round solves only the starts that no earlier round solved, gathered
        # into the fewest parts; every round runs one compiled program (its global steps and
        # step-doubling factor are arguments, not compile-time constants: _rounds)
        sols, size = _solve_threaded(model, region, y0, program, threads, rounds[0])
        for rnd in rounds[1:]:
            left = np.flatnonzero(~np.asarray(is_critical(sols.result)))
            if left.size == 0:
                break
            # parts of the first round's size: fewer parts, no new shape to compile
            starts = (sols.y_global if rnd.cont else y0)[left]
            redo, _ = _solve_threaded(model, region, starts, program, threads, rnd, size)
            redo = _restart(redo, y0[left])

            def put(a, b, left=left):
                a = a.copy()
                a[left] = b
                return a

            sols = jax.tree.map(put, sols, redo)
    result = _deduplicated_jit(_pad_rows(sols, bucket(n, n << 1)), region)
    return jax.tree.map(lambda x: x[:n], _on_host(result))


def _solve_threaded(
    model,
    region,
    y0,
    opts: SolverOptions,
    threads: int,
    rnd: _Round | None,
    size: int | None = None,
):
    """Every start of ``y0`` through one round (``rnd``, run by the program of ``opts``; None:
    every round of ``opts.strategy``, which then has one round), in bucketed parts (of ``size`` starts if given) on ``threads`` concurrent
    executions, or as one program over every local device (``$JAXVAC_EXECUTION=devices``,
    the default off the CPU: :func:`jaxvac._parallel.map_on_devices`); the padding dropped.
    Returns the solutions and the part size."""
    n = int(y0.shape[0])
    devices = execution_mode() == "devices"
    # at most batch_size starts in memory over all threads, at least MIN_STARTS_PER_THREAD each
    threads = (
        1
        if devices
        else max(
            1,
            min(int(threads), n // MIN_STARTS_PER_THREAD, opts.batch_size // MIN_STARTS_PER_THREAD),
        )
    )
    # equal parts of at most `cap` starts, handed out to the threads as they finish (balances
    # the load: a part's Newton loop lasts as long as its slowest start); one thread (and an
    # accelerator) runs parts of up to batch_size, one after the other
    cap = opts.batch_size if threads == 1 else min(THREAD_PART, opts.batch_size // threads)
    if size is None:
        size = bucket(-(-n // max(threads, -(-n // cap))), cap)
    parts = -(-n // size)
    padded = _pad_rows(y0, parts * size)
    if devices:  # one program over every local device (_parallel.py)
        args = (
            (model, region, opts) if rnd is None else (model, region, opts, _round_arguments(rnd))
        )
        sols = map_on_devices(_solve_rows, padded, args, batch_size=size)
        return jax.tree.map(lambda x: x[:n], _on_host(sols)), size
    if rnd is None:  # the strategy's only round, its settings static
        fun = _solve_jit
        calls = [(model, region, padded[k * size : (k + 1) * size], opts) for k in range(parts)]
    else:
        fun = _solve_round_jit
        args = _round_arguments(rnd)
        calls = [
            (model, region, padded[k * size : (k + 1) * size], opts, *args) for k in range(parts)
        ]
    sols = [_on_host(s) for s in map_concurrently(fun, calls, threads, call_signature(*calls[0]))]
    sols = jax.tree.map(lambda *xs: np.concatenate(xs), *sols) if parts > 1 else sols[0]
    return jax.tree.map(lambda x: x[:n], sols), size


#: Default number of starts of :func:`find_critical_points` (docs/search.md: the
#: completeness measurement behind it).
DEFAULT_STARTS = 256


def __getattr__(name):
    """``FindResult`` and ``find_critical_points`` moved to :mod:`jaxvac._find` (the search
    with its report, one layer up); ``from jaxvac._search import find_critical_points``
    keeps working for code written against earlier releases."""
    if name in ("FindResult", "find_critical_points"):
        import importlib

        return getattr(importlib.import_module("._find", __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
