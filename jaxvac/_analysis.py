"""Analysis of one point: V, gradient, Hessian, canonical masses, classification, trust.

:func:`analyse_point` is a pure function of one point (batch it with ``jax.vmap``); it
never raises on a bad point: every outcome is a :class:`~jaxvac.Result` code.
The numerical criteria are documented in ``docs/numerics.md``.
"""

from __future__ import annotations

from typing import NamedTuple, cast

import equinox as eqx
import jax
import jax.numpy as jnp

from . import _linalg, _range, _rounding
from ._config import EPS, MAX_DIGITS, ensure_x64
from ._geometry import canonical_matrix, fterm_parts, real_metric
from ._model import AbstractModel, SupergravityModel, canonical
from ._potential import _check_point, potential_and_scale, superpotential_rounding
from ._programs import stored_jit
from ._solution import CriticalType, Result, Vacuum, first_true

#: Rounding errors per term assumed for supergravity potentials (in units of EPS·S).
ULPS_PER_TERM = 16.0
#: A quantity is *resolved* when it exceeds its rounding error by this factor (1 digit).
RESOLVED_FACTOR = 10.0
#: Default tolerance on the scale-free stationarity residual.
DEFAULT_RTOL = 1e-9
#: A point is supersymmetric when sqrt(e^K |DW|^2 / S) is below this.
SUSY_TOL = 1e-7
#: A stationary point must also be where Newton has converged: the canonical length of
#: the step -H⁻¹∇V still to take (field distance, Planck units) must be at most this
#: plus RESOLVED_FACTOR times its rounding uncertainty (docs/numerics.md).
STEP_ATOL = 1e-6


class PointAnalysis(eqx.Module):
    """Everything jaxvac knows about one point, as returned by [`jaxvac.analyse_point`][].
    All fields are arrays (vmap-able; a batch of points has a leading batch axis).

    The main fields: `y` (real coordinates), `V`, `V_scale` (the natural scale S),
    `V_error` and `digits` (significant digits of V kept), `gradient`, `residual`
    (|∇V|_G / S), `stationarity` (≤ 1 iff stationary) and `stationarity_tests`, `hessian`,
    `metric` (the kinetic metric G), `masses_squared` (eigenvalues of G⁻¹H, ascending) with
    `masses_error` and `masses_digits`, `n_negative` / `n_flat` / `n_positive`,
    `critical_type` ([`CriticalType`][jaxvac.CriticalType]), `curvature`, `vacuum`
    ([`Vacuum`][jaxvac.Vacuum]), `susy`, `gravitino_mass`, `epsilon`, `eta`, and `result`
    ([`Result`][jaxvac.Result]). What each means: docs/numerics.md.
    """

    y: jax.Array  # real coordinates
    V: jax.Array  # scalar potential (Planck units)
    V_scale: jax.Array  # natural scale S: size of the terms that make up V
    V_error: jax.Array  # rounding-error estimate of V
    digits: jax.Array  # significant digits of V kept at this precision
    gradient: jax.Array  # ∂V/∂y
    gradient_error: jax.Array  # rounding-error estimate of each component
    gradient_norm: jax.Array  # sqrt(∇Vᵀ G⁻¹ ∇V): canonical gradient norm
    residual: jax.Array  # gradient_norm / V_scale: scale-free stationarity residual
    gradient_resolution: jax.Array  # canonical norms of ∇V's rounding error + position term
    newton_step: jax.Array  # canonical length of the Newton step -H⁻¹∇V still to take
    newton_step_error: jax.Array  # its rounding uncertainty (same units)
    stationarity_tests: jax.Array  # (3,) ratios, each passing when <= 1: residual / rtol,
    #   gradient_norm / (RESOLVED_FACTOR * gradient_resolution),
    #   newton_step / (STEP_ATOL + RESOLVED_FACTOR * newton_step_error)
    stationarity: jax.Array  # max(min(tests[0], tests[1]), tests[2]): <= 1 iff stationary
    stationary: jax.Array  # bool: (residual <= rtol or gradient below its resolution)
    #   and newton_step <= STEP_ATOL + RESOLVED_FACTOR * newton_step_error
    hessian: jax.Array  # ∂²V/∂y∂y
    metric: jax.Array  # kinetic metric G (L = ½ G ∂y ∂y)
    masses_squared: jax.Array  # eigenvalues of G⁻¹ H, ascending (Planck units)
    masses_error: jax.Array  # rounding-error estimate of the mass eigenvalues
    masses_digits: jax.Array  # significant digits of each mass eigenvalue
    n_negative: jax.Array
    n_flat: jax.Array
    n_positive: jax.Array
    critical_type: jax.Array  # CriticalType code (not_critical where not stationary)
    curvature: jax.Array  # CriticalType code of the Hessian's signature, stationary or not
    vacuum: jax.Array  # Vacuum code (not_critical where not stationary)
    susy: jax.Array  # bool (supergravity only)
    susy_ratio: jax.Array  # sqrt(e^K K^{ab̄} D_aW D_bW̄ / S)
    bf_stable: jax.Array  # bool: all m² >= 3V/4 (meaningful for AdS)
    gravitino_mass: jax.Array  # e^{K/2}|W| (NaN for plain potentials)
    epsilon: jax.Array  # ½ ∇Vᵀ G⁻¹ ∇V / V²
    eta: jax.Array  # min m² / V
    range_flags: jax.Array  # uint8 bit mask of the float64 range events (jaxvac._range:
    #   1 underflow, 2 absorbed overflow) in the intermediates of V, ∇V or H that can
    #   matter here (see _range_limits); 0 at N digits. Such a point is never successful.
    result: jax.Array  # Result code


def _derivatives(f, y):
    """Values, gradients and Hessians of a tuple-valued ``f`` in one pass."""

    def grads_and_values(yy):
        grads = jax.jacfwd(f)(yy)
        return grads, (grads, f(yy))

    hessians, (grads, values) = jax.jacfwd(grads_and_values, has_aux=True)(y)
    return values, grads, hessians


def _test_ratio(value, bound):
    """``value / bound``, which is <= 1 exactly when ``value <= bound`` (up to the rounding
    of one division): 0 / 0 is 0, x / 0 is inf for x > 0, NaN stays NaN."""
    positive = bound > 0
    return jnp.where(
        positive,
        value / jnp.where(positive, bound, 1.0),
        jnp.where(value == 0, 0.0, jnp.where(value > 0, jnp.inf, jnp.nan)),
    )


def _generalised_eigh(H, L):
    """Eigenvalues of H relative to G = L Lᵀ (H v = m² G v), ascending."""
    return _linalg.eigvalsh(canonical_matrix(H, L))


def _norm(v):
    """Euclidean norm of ``v``, scaled so that squares cannot underflow or overflow."""
    big = jnp.max(jnp.abs(v))
    unit = jnp.where(big > 0, big, 1.0)
    return big * jnp.sqrt(jnp.sum((v / unit) ** 2))


class FlooredNewtonStep(NamedTuple):
    """What :func:`floored_newton_step` returns (canonical frame φ = Lᵀy)."""

    step: jax.Array  # δφ = -Q diag(1/λ̃) Qᵀ g_c: the Newton step still to take
    length: jax.Array  # |δφ|, as |Q diag(1/|λ̃|) Qᵀ g_c| (see floored_newton_step)
    spread: tuple[jax.Array, ...]  # σ = |Q| diag(1/|λ̃|) |Q|ᵀ |L⁻¹e|, one per error e


def floored_newton_step(m2, Q, L, m2_err, gradient, *errors) -> FlooredNewtonStep:
    """The *floored Newton step*: the Newton step -H⁻¹∇V still to take at a point, with
    the curvature floored at its resolution, and its uncertainty. The one definition,
    used by :func:`analyse_point` (its ``newton_step`` and ``newton_step_error``: the
    stationarity test) and by the search (:func:`jaxvac._search._newton_step_and_uncertainty`:
    the step a verified point must not exceed and the dedup tolerance); written in array
    operations, so :mod:`jaxvac._precision` evaluates it at N digits inside
    ``analyse_point`` through the jaxpr interpreter (:mod:`jaxvac._mpjaxpr`).

    In the canonical frame φ = Lᵀy (G = L Lᵀ the kinetic metric) the mass matrix is
    A = L⁻¹ H L⁻ᵀ = Q diag(m²) Qᵀ (``canonical_matrix`` and ``eigh``) and the gradient is
    g_c = L⁻¹∇V. The step is δφ = -Q diag(1/λ̃) Qᵀ g_c with λ̃ = sign(m²) max(|m²|, floor)
    (sign(0) = +1) and floor = max(RESOLVED_FACTOR · ``m2_err``, tiny): directions flat to
    the working precision give bounded steps. The uncertainty of the step from a
    gradient error e ≥ 0 (y frame) is σ = |Q| diag(1/|λ̃|) |Q|ᵀ |L⁻¹e|, through the same
    floored spectrum (one σ per vector in ``errors``). Non-finite entries of ``gradient``
    and ``errors`` count as 0; ``m2`` and ``Q`` are taken as given.

    ``length`` is |δφ| computed as |Q diag(1/|λ̃|) Qᵀ g_c| (the saddle-free step: Q is
    orthogonal, so the same length in exact arithmetic, not the same rounding): it is
    the form ``analyse_point`` has always reported, kept so that float64 results do not
    change in their last bits.

    **Not the same thing** as the Newton step of :func:`jaxvac.refine`
    (:func:`jaxvac._precision._newton_step`): that one drops (pseudo-inverse) instead of
    flooring, the directions with |m²| below a *relative* cutoff 10^(5-N) · max|m²|,
    because it is taken, iterated to convergence, and must not move along exactly flat
    axions; this one is a bounded *measure* of how far Newton would still move, whose
    floor is the absolute resolution of the masses.
    """
    floor = jnp.maximum(RESOLVED_FACTOR * m2_err, jnp.finfo(m2.dtype).tiny)
    lam = jnp.maximum(jnp.abs(m2), floor)

    def canonical(v):  # L⁻¹ v, non-finite entries as 0
        return _linalg.solve_triangular(L, jnp.where(jnp.isfinite(v), v, 0.0), lower=True)

    along = (Q.T @ canonical(gradient)) / lam  # the step's components, up to their signs
    step = -(Q @ (along / (jnp.sign(m2) + (m2 == 0))))
    spread = tuple(jnp.abs(Q) @ ((jnp.abs(Q).T @ jnp.abs(canonical(e))) / lam) for e in errors)
    return FlooredNewtonStep(step, _norm(Q @ along), spread)


def _point_errors(model: AbstractModel, y, V, S, grad_V, grad_S, H_V, H_S, eps=EPS):
    """Rounding-error estimates (V_error, gradient_error, hessian_error) in an arithmetic
    with machine epsilon ``eps`` (float64: EPS; mpmath at N digits: ~10^-N)."""
    potential = model.error_analysed_potential(y)  # range-safe: what analyse_point uses
    if potential is None:  # V's rounding is bounded by its natural scale S
        c = ULPS_PER_TERM * eps
        V_err = c * S
        g_err = c * (jnp.abs(grad_S) + jnp.abs(grad_V))
        H_err = c * (jnp.abs(H_S) + jnp.abs(H_V))
        return V_err, g_err, H_err
    # First-order running error bounds are proportional to the unit roundoff.
    ratio = eps / EPS
    _, V_err = _rounding.value_and_error(potential)(y)
    _, g_err = _rounding.value_and_error(jax.grad(potential))(y)
    _, H_err = _rounding.value_and_error(jax.hessian(potential))(y)
    return ratio * V_err, ratio * g_err, ratio * H_err


def _range_limits(*quantities):
    """The range events that can matter, as one bit mask, from ``(flags, rounding_error)``
    pairs of V, ∇V and H (element-wise arrays).

    An absorbed overflow always matters. An underflow matters where the quantity's
    rounding error (its largest component's: components that vanish by symmetry have
    none) is below 2.2e-308/ε ≈ 1e-292: there what was flushed (at most 2.2e-308 per
    flushed intermediate) can be comparable to what float64 resolves, e.g. V, ∇V and H
    all exactly 0 because every term was flushed. Elsewhere a flushed term is below the
    rounding error unless the model itself multiplies it by more than 1/ε afterwards —
    jaxvac's own derivative rules no longer do (jaxvac._range.safe)."""
    mask = jnp.asarray(0, jnp.uint8)
    for flags, err in quantities:
        over = (flags & _range.OVERFLOW) != 0
        under = ((flags & _range.UNDERFLOW) != 0) & (jnp.max(err) < _range.SMALL_TERMS)
        mask = mask | jnp.where(jnp.any(over), _range.OVERFLOW, 0).astype(jnp.uint8)
        mask = mask | jnp.where(jnp.any(under), _range.UNDERFLOW, 0).astype(jnp.uint8)
    return mask


def analyse_point(
    model: AbstractModel, y, rtol: float | jax.Array = DEFAULT_RTOL, eps=EPS
) -> PointAnalysis:
    """Analyse one point ``y`` (real coordinates) of ``model``. Pure; never raises.

    ``eps`` is the machine epsilon of the arithmetic the analysis runs in (float64's by
    default); jaxvac._precision evaluates this same function with mpmath at N digits,
    passing eps ~ 10^-N.

    **Arguments:**

    - `model`: a jaxvac model.
    - `y`: the point in real coordinates, float64, shape (d,).
    - `rtol`: tolerance on the scale-free stationarity residual.
    - `eps`: the unit roundoff of the arithmetic (float64's by default).

    **Returns:**

    A [`PointAnalysis`][jaxvac.PointAnalysis]: V and its scale, digits, gradient and
    residual, canonical masses², type, vacuum, supersymmetry and the result code.
    """
    y = _check_point(model, y)
    dtype = y.dtype
    max_digits = MAX_DIGITS if eps is EPS else -jnp.log10(jnp.asarray(eps, dtype))
    pos = jnp.asarray(model.positive_indices, dtype=jnp.int32)
    in_domain = jnp.all(y[pos] > 0) if len(model.positive_indices) else jnp.asarray(True)
    # Evaluate at a safe point outside the domain, so NaNs cannot poison gradients.
    safe_y = jnp.where(in_domain, y, jnp.ones_like(y))

    def derivatives(yy):
        return _derivatives(lambda y3: potential_and_scale(model, y3), yy)

    if eps is EPS:
        # float64: every intermediate is watched for overflow and underflow (jaxvac._range).
        derivs, flags = _range.range_checked(derivatives)(safe_y)
        # V, ∇V and H (not the natural scale S: for plain potentials S is a rounding
        # bound, whose products of tiny errors may underflow harmlessly).
        (flags_V, _), (flags_g, _), (flags_H, _) = flags
    else:  # N digits (mpmath): no float64 range to leave
        derivs = derivatives(safe_y)
        flags_V = flags_g = flags_H = None
    (V, S), (grad_V, grad_S), (H_V, H_S) = derivs
    H_V = 0.5 * (H_V + H_V.T)
    is_sugra = model.is_supergravity
    if is_sugra:  # F-terms, gravitino mass and supersymmetry are defined
        parts = fterm_parts(model, safe_y)
        G = real_metric(parts.metric)
        gravitino = parts.gravitino_mass
        fterm_energy = jnp.exp(parts.K) * jnp.maximum(parts.F_norm2, 0.0)
    else:
        G = model.kinetic_metric(safe_y)
        gravitino = jnp.asarray(jnp.nan, dtype)
        fterm_energy = jnp.asarray(jnp.nan, dtype)
    G = 0.5 * (G + G.T)
    L_G = _linalg.cholesky(G)
    metric_ok = jnp.all(jnp.diag(L_G) > 0)  # NaN (not > 0) when G is not positive definite
    L = jnp.where(metric_ok, L_G, jnp.eye(G.shape[0], dtype=dtype))

    def G_norm(v):  # sqrt(vᵀ G⁻¹ v), scaled so that squares cannot underflow
        return _norm(_linalg.solve_triangular(L, v, lower=True))

    V_err, g_err, H_err = _point_errors(model, safe_y, V, S, grad_V, grad_S, H_V, H_S, eps)
    # A float64 point is itself only known to EPS·|y|: at a critical point whose terms
    # all vanish (e.g. a supersymmetric Minkowski vacuum, W = ∂W = 0) this, not the
    # rounding of V, limits how small ∇V, V - V* and the F-terms can be made.
    dy = eps * jnp.abs(safe_y)
    g_pos = jnp.abs(H_V) @ dy
    V_pos_err = jnp.dot(jnp.abs(grad_V), dy) + 0.5 * jnp.dot(dy, jnp.abs(H_V) @ dy)
    V_err = V_err + V_pos_err
    range_flags = jnp.asarray(0, jnp.uint8)
    if eps is EPS:
        range_flags = _range_limits(
            (flags_V, V_err), (flags_g, g_err + g_pos), (flags_H, 0.5 * (H_err + H_err.T))
        )
        # V computed from flushed terms is known to TINY at best (V = 0 because every
        # term underflowed is not a resolved zero, not Minkowski); so is V whose rounding
        # bound 16 ε S fell below the range itself (S < 1e-292).
        below = (range_flags != 0) | (S > 0)
        V_err = jnp.where(below, jnp.maximum(V_err, _range.TINY), V_err)

    # --- stationarity -------------------------------------------------------------
    gnorm = G_norm(grad_V)
    g_err_norm = G_norm(g_err)
    residual = jnp.where(
        S > 0, gnorm / jnp.where(S > 0, S, 1.0), jnp.where(gnorm > 0, jnp.inf, 0.0)
    )
    g_pos_norm = G_norm(g_pos)
    gradient_resolution = g_err_norm + g_pos_norm
    # Each test as a ratio that passes when <= 1, so that the figure reported beside a
    # result is the one the rule tested (docs/numerics.md, "Stationarity").
    residual_test = _test_ratio(residual, rtol)
    resolution_test = _test_ratio(gnorm, RESOLVED_FACTOR * gradient_resolution)
    small_gradient = jnp.fmin(residual_test, resolution_test) <= 1.0

    # --- masses ----------------------------------------------------------------------
    m2, Q = _linalg.eigh(canonical_matrix(H_V, L))
    # Spectral norm of the canonical Hessian error, bounded by its Frobenius norm (at most
    # sqrt(d) times larger: conservative, and no second eigendecomposition).
    m2_err = jnp.sqrt(jnp.sum(canonical_matrix(0.5 * (H_err + H_err.T), L) ** 2))

    # --- converged: the Newton step still to take is within resolution ------------------
    # The residual alone is fooled where V is far below its terms' size S for a reason
    # other than rounding (e.g. a no-scale K written out undeclared): a slope can pass
    # residual <= rtol. A critical point is also where Newton would not move measurably.
    newton = floored_newton_step(
        jnp.where(jnp.isfinite(m2), m2, 0.0),
        jnp.where(jnp.isfinite(Q), Q, 0.0),
        L,
        m2_err,
        grad_V,
        g_err + g_pos,
    )
    newton_step, newton_step_err = newton.length, _norm(newton.spread[0])
    step_test = _test_ratio(newton_step, STEP_ATOL + RESOLVED_FACTOR * newton_step_err)
    converged = step_test <= 1.0
    stationary = small_gradient & converged
    stationarity_tests = jnp.stack([residual_test, resolution_test, step_test])
    stationarity = jnp.maximum(jnp.fmin(residual_test, resolution_test), step_test)
    threshold = RESOLVED_FACTOR * m2_err
    n_neg = jnp.sum(m2 < -threshold)
    n_pos = jnp.sum(m2 > threshold)
    n_flat = m2.shape[0] - n_neg - n_pos
    m2_digits = jnp.clip(
        jnp.log10(jnp.abs(m2) / jnp.where(m2_err > 0, m2_err, 1.0)), 0.0, max_digits
    )
    m2_digits = jnp.where(m2_err > 0, m2_digits, max_digits)
    ctype = first_true(
        [
            (n_neg + n_pos == 0, CriticalType.unresolved),
            (n_neg == 0, CriticalType.minimum),
            (n_pos == 0, CriticalType.maximum),
        ],
        CriticalType.saddle,
    )

    # --- vacuum energy --------------------------------------------------------------
    if is_sugra:  # rounding inside W and ∂_aW, which S does not see (docs/numerics.md)
        sugra = cast(SupergravityModel, model)  # is_supergravity: a SupergravityModel
        V_err = V_err + superpotential_rounding(sugra, safe_y, parts, eps)
    V_resolved = jnp.abs(V) > RESOLVED_FACTOR * V_err
    exact_zero = (V_err == 0) & (V == 0)
    vacuum = first_true(
        [
            (V_resolved & (V > 0), Vacuum.dS),
            (V_resolved, Vacuum.AdS),
            (exact_zero, Vacuum.Minkowski),
        ],
        Vacuum.unresolved,
    )
    digits = jnp.where(
        V_err > 0,
        jnp.clip(jnp.log10(jnp.abs(V) / jnp.where(V_err > 0, V_err, 1.0)), 0.0, max_digits),
        max_digits,
    )

    # --- supersymmetry, BF bound, slow roll -------------------------------------------
    if is_sugra:
        susy_ratio = jnp.where(
            S > 0,
            jnp.sqrt(fterm_energy / jnp.where(S > 0, S, 1.0)),
            jnp.where(fterm_energy > 0, jnp.inf, 0.0),
        )
        # F-terms below what the position resolution allows (e^K|DW|² ~ δyᵀHδy) count too.
        susy = (susy_ratio <= SUSY_TOL) | (
            fterm_energy <= RESOLVED_FACTOR**2 * jnp.dot(dy, jnp.abs(H_V) @ dy)
        )
    else:
        susy_ratio = jnp.asarray(jnp.nan, dtype)
        susy = jnp.asarray(False)
    bf_stable = m2[0] >= 0.75 * V - m2_err
    epsilon = 0.5 * (gnorm / V) ** 2
    eta = m2[0] / V

    # --- result -------------------------------------------------------------------------
    finite = (
        jnp.isfinite(V)
        & jnp.isfinite(S)
        & jnp.all(jnp.isfinite(grad_V))
        & jnp.all(jnp.isfinite(H_V))
        & jnp.all(jnp.isfinite(m2))
    )
    # Outside the domain, or where the metric or V is unusable, nothing is classified.
    invalid = ~in_domain | ~metric_ok | ~finite
    nan = jnp.asarray(jnp.nan, dtype)
    ctype = jnp.where(invalid, CriticalType.unresolved, ctype)
    vacuum = jnp.where(invalid, Vacuum.unresolved, vacuum)
    # A point that is not stationary has no critical-point or vacuum type: its Hessian's
    # signature is kept as its curvature only.
    curvature = ctype
    off_critical = ~invalid & ~stationary
    ctype = jnp.where(off_critical, CriticalType.not_critical, ctype)
    vacuum = jnp.where(off_critical, Vacuum.not_critical, vacuum)
    V = jnp.where(in_domain, V, nan)
    S = jnp.where(in_domain, S, nan)
    digits = jnp.where(invalid, 0.0, digits)
    susy = susy & ~invalid
    bf_stable = bf_stable & ~invalid & ~off_critical
    result = first_true(
        [  # the first that holds, top to bottom
            (~in_domain, Result.left_domain),
            (~metric_ok, Result.bad_metric),
            (~finite, Result.nonfinite),
            (~stationary, Result.not_critical),
            ((vacuum == Vacuum.unresolved) | (range_flags != 0), Result.unresolved),
        ],
        Result.successful,
    )
    return PointAnalysis(
        y=y,
        V=V,
        V_scale=S,
        V_error=V_err,
        digits=digits,
        gradient=grad_V,
        gradient_error=g_err,
        gradient_norm=gnorm,
        residual=residual,
        gradient_resolution=gradient_resolution,
        newton_step=newton_step,
        newton_step_error=newton_step_err,
        stationarity_tests=stationarity_tests,
        stationarity=stationarity,
        stationary=stationary,
        hessian=H_V,
        metric=G,
        masses_squared=m2,
        masses_error=m2_err,
        masses_digits=m2_digits,
        n_negative=n_neg,
        n_flat=n_flat,
        n_positive=n_pos,
        critical_type=ctype.astype(jnp.int32),
        curvature=curvature.astype(jnp.int32),
        vacuum=vacuum.astype(jnp.int32),
        susy=susy,
        susy_ratio=susy_ratio,
        bf_stable=bf_stable,
        gravitino_mass=gravitino,
        epsilon=epsilon,
        eta=eta,
        range_flags=range_flags,
        result=result.astype(jnp.int32),
    )


def _analyse_one(model, y, rtol):
    return analyse_point(model, y, rtol)


def _analyse_batch(model, ys, rtol):
    return jax.vmap(lambda yy: analyse_point(model, yy, rtol))(ys)


# kept in the program store (jaxvac/_programs.py): a later process skips their tracing
_analyse_jit = stored_jit(_analyse_one)
_analyse_batch_jit = stored_jit(_analyse_batch)


def analyse(model: AbstractModel, y, *, rtol: float | jax.Array = DEFAULT_RTOL) -> PointAnalysis:
    """Compiled :func:`analyse_point` for one point (``y`` shape (d,)) or a batch
    (shape (b, d)) of points of one model. One compilation per model class and shape.

    **Arguments:**

    - `model`: a jaxvac model.
    - `y`: real coordinates, shape (d,) or a batch (b, d).
    - `rtol`: tolerance on the scale-free stationarity residual.

    **Returns:**

    A [`PointAnalysis`][jaxvac.PointAnalysis] (batched like `y`).
    """
    ensure_x64()
    model = canonical(model)
    y = jnp.asarray(y, dtype=jnp.float64)
    rtol = jnp.asarray(rtol, dtype=jnp.float64)
    if y.ndim == 2:
        return _analyse_batch_jit(model, y, rtol)
    return _analyse_jit(model, y, rtol)
