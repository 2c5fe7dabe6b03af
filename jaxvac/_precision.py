"""Arbitrary precision for any model: re-check a point and refine a critical point at
N significant digits, from the same float64 JAX code.

The float64 functions of the library — :func:`jaxvac.analyse_point` (V, its natural
scale, ∇V, the Hessian, the kinetic metric, the classification) and the Newton data
(∇V, Hessian, metric) — are traced to jaxprs once and evaluated by
:class:`jaxvac._mpjaxpr.MPInterpreter` with mpmath numbers at the working precision.
No second copy of K, W, V or of the classification is written: the analysis at N
digits is ``analyse_point`` itself, with the machine epsilon of the arithmetic
(``eps``) set to mpmath's at N digits.

Certification (docs/precision.md): every point is analysed at N and at 2N digits; the
digits of V and of each mass² that agree between the two are reported as
``certified_digits``. The a-priori error model of the float64 analysis, with eps ~ 10^-N,
gives ``digits`` and decides resolution, as in float64.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import equinox as eqx
import jax
import jax.core
import mpmath as mp
import numpy as np

from ._analysis import DEFAULT_RTOL, PointAnalysis, analyse_point
from ._config import ensure_x64
from ._errors import InputError
from ._geometry import inline_fterm_parts
from ._interpret import is_inexact
from ._io import dumps, point_to_y
from ._model import AbstractModel, canonical
from ._mpjaxpr import MPInterpreter, to_float, to_mp
from ._point import CriticalPoint
from ._potential import kinetic_metric, potential_and_scale
from ._report import CheckReport
from ._solution import NOT_ANALYSED, CriticalType, RefineStatus, Result, Vacuum

#: The precision used by escalation and suggested by advice.
DEFAULT_DIGITS = 60
#: Precision allowed (decimal digits).
MIN_DIGITS, MAX_DIGITS_ALLOWED = 16, 10000


# ---- evaluating any float64 function at N digits ------------------------------------------


def _is_dynamic(x) -> bool:
    return isinstance(x, (jax.Array, np.ndarray)) and not isinstance(x, jax.core.Tracer)


def _placeholder(x):
    """A float64 stand-in with the shape and dtype used for tracing."""
    if isinstance(x, np.ndarray) and x.dtype == object:
        return to_float(x) if x.size else np.zeros(x.shape)
    return x


class PrecisionFunction:
    """``fun`` evaluated at ``digits`` significant digits: ``f(*args, digits=N)``.

    ``fun`` is an ordinary float64 JAX function. Array leaves of ``args`` (JAX or
    numpy arrays, including numpy object arrays of mpmath numbers or decimal strings)
    are its inputs; everything else is static. Float64 inputs are taken as their exact
    binary values; object arrays give inputs beyond float64 (decimal strings are read
    at the working precision). The jaxpr is traced once per structure and shape and
    reused. Returns the output pytree with numpy object arrays of mpf/mpc (integers and
    booleans as numpy arrays).
    """

    def __init__(self, fun, *, exact_constants: bool = True):
        self.fun = fun
        self.interpreter = MPInterpreter(exact_constants=exact_constants)
        self._cache: dict[Any, Any] = {}

    def _trace(self, args):
        # Models' float parameters become inputs (exact binary values), not literals.
        args = jax.tree.map(
            lambda x: (
                canonical(x) if isinstance(x, AbstractModel) and not _has_object_leaves(x) else x
            ),
            args,
            is_leaf=lambda x: isinstance(x, AbstractModel),
        )
        dyn, static = eqx.partition(args, _is_dynamic)
        leaves, treedef = jax.tree.flatten(dyn)
        placeholders = [_placeholder(x) for x in leaves]
        avals = tuple((np.shape(p), np.asarray(p).dtype) for p in placeholders)
        try:
            key = (treedef, avals, hash(static))
        except TypeError:  # unhashable static part: no cache
            key = None
        cached = self._cache.get(key) if key is not None else None
        if cached is None:

            def flat_fun(*flat):
                full = eqx.combine(jax.tree.unflatten(treedef, list(flat)), static)
                return self.fun(*full)

            with inline_fterm_parts():  # the interpreters' jaxprs as before (docstring)
                closed, out_shape = jax.make_jaxpr(flat_fun, return_shape=True)(*placeholders)
            cached = (closed, jax.tree.structure(out_shape))
            if key is not None:
                self._cache[key] = cached
        return cached, leaves

    def __call__(self, *args, digits: int):
        ensure_x64()
        (closed, out_tree), leaves = self._trace(args)
        with mp.workdps(int(digits)):
            ins = []
            for x, var in zip(leaves, closed.jaxpr.invars):
                dtype = var.aval.dtype
                ins.append(
                    to_mp(np.asarray(x), dtype) if is_inexact(dtype) else np.asarray(x, dtype=dtype)
                )
            outs = self.interpreter.run(closed, *ins)
        return jax.tree.unflatten(out_tree, outs)


def at_precision(fun, *, digits: int, exact_constants: bool = True):
    """``at_precision(fun, digits=N)(*args)``: a float64 JAX function evaluated with mpmath
    at N significant digits (see :class:`PrecisionFunction`).

    **Arguments:**

    - `fun`: a function of float64 JAX arrays (traced once to a jaxpr).
    - `digits`: significant digits of the mpmath evaluation.
    - `exact_constants`: read float64 constants of the function that jaxvac recognises
      (π, rationals, short decimals such as 0.1, r·√2, r·log 2, ...) as the exact numbers
      they stand for rather than their binary values.

    **Returns:**

    A function taking the same arguments (float64, mpmath numbers or decimal strings) and
    returning mpmath values.
    """
    pf = PrecisionFunction(fun, exact_constants=exact_constants)
    return lambda *args: pf(*args, digits=digits)


@dataclasses.dataclass(frozen=True)
class PrecisionNewton:
    """What :func:`newton_at_precision` returns: ``y``, the iterate with the smallest max|F|
    (object array of mpmath numbers), max|F| at every iterate (``residuals``), the max-norm
    of every step taken (``steps``), and ``floor``: True when it stopped because max|F| no
    longer fell (the precision's floor reached), False when it ran out of steps."""

    y: np.ndarray
    residuals: list
    steps: list
    floor: bool


def newton_at_precision(
    fun, y0, *args, digits: int, max_steps: int = 40, patience: int = 3
) -> PrecisionNewton:
    """Newton's method on ``fun(y, *args) = 0`` entirely at ``digits`` significant digits:
    the residual and its Jacobian (autodiff, ``jax.jacfwd``) both through jaxvac's mpmath
    interpreter, so nothing is limited by float64.

    For solves float64 cannot do at all — a vacuum whose superpotential is 1e-90 of the
    terms that cancel in its F-terms (:func:`jaxvac.flux.pfv_vacuum`), or masses² 1e62
    apart (the staged seven-modulus point of ``dps-full``) — and for starts that are only
    approximate. Unlike :func:`refine` there is no guard against wandering to another
    solution (no trust radius, no contraction test) and no check of what the point is:
    the caller decides what the solution means (:func:`check_high_precision`).

    Stops at the floor — after ``patience`` steps in a row that did not halve the smallest
    max|F| so far: the best point ``digits`` allow, where cancellations leave fewer digits
    than ``digits`` — or after ``max_steps`` steps; returns the iterate with the smallest
    max|F|.

    **Arguments:**

    - `fun`: a float64 JAX function of ``(y, *args)`` returning a vector (as many entries
      as ``y``).
    - `y0`: the start (float64, decimal strings or mpmath numbers).
    - `args`: further arguments of ``fun``: arrays (numpy object arrays of mpmath numbers
      for exact values), mpmath numbers, models.
    - `digits`: working digits.
    - `max_steps`: Newton steps at most.
    - `patience`: steps without progress before stopping.

    **Returns:** a :class:`PrecisionNewton`.
    """
    digits = _check_digits(digits)
    # mpmath scalars are inputs too (PrecisionFunction reads arrays as inputs)
    args = tuple(
        np.asarray(a, dtype=object) if isinstance(a, (mp.mpf, mp.mpc)) else a for a in args
    )
    F = PrecisionFunction(fun)
    J = PrecisionFunction(jax.jacfwd(fun))
    with mp.workdps(digits):
        y = np.array([mp.mpf(v) for v in np.asarray(y0, dtype=object).ravel()], dtype=object)
        residuals: list = []
        steps: list = []
        best_norm, best_y, since, floor = mp.inf, y, 0, False
        for k in range(max_steps + 1):
            r = [mp.mpf(v) for v in np.asarray(F(y, *args, digits=digits), dtype=object).ravel()]
            norm = max(abs(v) for v in r)
            residuals.append(norm)
            if norm == 0:  # an exact root at this precision
                best_y, floor = y, True
                break
            if norm <= best_norm / 2:
                best_norm, best_y, since = norm, y, 0
            else:
                since += 1
                if norm < best_norm:
                    best_norm, best_y = norm, y
                if since >= patience:
                    floor = True
                    break
            if k == max_steps:
                break
            Jm = mp.matrix(np.asarray(J(y, *args, digits=digits), dtype=object).tolist())
            dy = mp.lu_solve(Jm, mp.matrix([-v for v in r]))
            steps.append(max(abs(dy[i]) for i in range(len(y))))
            y = np.array([y[i] + dy[i] for i in range(len(y))], dtype=object)
    return PrecisionNewton(y=best_y, residuals=residuals, steps=steps, floor=floor)


def _check_digits(digits) -> int:
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)):
        raise InputError(
            f"digits must be an integer between {MIN_DIGITS} and {MAX_DIGITS_ALLOWED} (got {digits!r})."
        )
    if not MIN_DIGITS <= digits <= MAX_DIGITS_ALLOWED:
        raise InputError(
            f"digits must be between {MIN_DIGITS} and {MAX_DIGITS_ALLOWED} (got {digits})."
        )
    return int(digits)


def _epsilon(digits: int):
    with mp.workdps(digits):
        return +mp.eps


# ---- models with exact parameters ------------------------------------------------------------


def with_parameters(model: AbstractModel, parameters: dict[str, Any] | None) -> AbstractModel:
    """``model`` (canonical) with some parameters given beyond float64: values are decimal
    strings (read at the working precision, so "0.1" is 1/10), mpmath numbers or
    Fractions. Used by the high-precision functions only."""
    model = canonical(model)
    for name, value in (parameters or {}).items():
        if name not in type(model).parameter_names():
            raise InputError(
                f"{type(model).__name__} has no parameter {name!r}; its parameters are: "
                f"{', '.join(type(model).parameter_names())}."
            )
        current = getattr(model, name)
        if not (_is_dynamic(current) and is_inexact(np.asarray(current).dtype)):
            raise InputError(
                f"parameter {name!r} is not a float parameter; it cannot be given exactly."
            )
        arr = np.empty(np.shape(current), dtype=object)
        arr[...] = value if np.ndim(value) == 0 else np.asarray(value, dtype=object)
        _validate_exact(name, arr)
        model = eqx.tree_at(lambda m, name=name: getattr(m, name), model, arr)
    return model


def decimal_parameters(model: AbstractModel, raw: dict[str, Any]) -> dict[str, str]:
    """The float parameters among ``raw`` (``--set NAME=VALUE`` strings), to be read as
    exact decimals at high precision; integer, boolean and complex ones are left out."""
    out = {}
    for name, value in raw.items():
        current = getattr(canonical(model), name, None)
        if (
            isinstance(value, str)
            and _is_dynamic(current)
            and np.asarray(current).dtype.kind == "f"
        ):
            out[name] = value.strip()
    return out


def _validate_exact(name, arr):
    for v in arr.flat:
        if hasattr(v, "numerator") or isinstance(v, (mp.mpf, mp.mpc)):
            continue
        try:
            mp.mpmathify(v.strip() if isinstance(v, str) else v)
        except (ValueError, TypeError):
            raise InputError(f"parameter {name!r}: cannot read {v!r} as a number.") from None


# ---- analysis at N digits ------------------------------------------------------------------------

_ANALYSE = PrecisionFunction(lambda model, y, rtol, eps: analyse_point(model, y, rtol, eps))


def analyse_high_precision(
    model: AbstractModel, y, *, digits: int, rtol: float = DEFAULT_RTOL
) -> PointAnalysis:
    """:func:`jaxvac.analyse_point` evaluated at ``digits`` significant digits.

    ``y``: real coordinates (float64, or an object array of mpmath numbers / decimal
    strings). Returns a :class:`PointAnalysis` whose float fields are numpy object arrays
    of mpmath numbers. The a-priori rounding model is float64's with ``eps`` = mpmath's
    machine epsilon at ``digits`` (~10^-digits).

    **Arguments:**

    - `model`: the model.
    - `y`: real coordinates (above).
    - `digits`: significant digits.
    - `rtol`: tolerance on the scale-free stationarity residual.

    **Returns:**

    A [`PointAnalysis`][jaxvac.PointAnalysis] of mpmath numbers.
    """
    model = canonical(model) if not _has_object_leaves(model) else model
    y = _as_point_array(y)
    eps = np.array(_epsilon(digits), dtype=object)
    return _ANALYSE(model, y, np.asarray(float(rtol)), eps, digits=digits)


def _has_object_leaves(model) -> bool:
    return any(isinstance(x, np.ndarray) and x.dtype == object for x in jax.tree.leaves(model))


def _as_point_array(y) -> np.ndarray:
    if isinstance(y, np.ndarray) and y.dtype == object:
        return y
    return np.asarray(y, dtype=np.float64)


def _to_float_analysis(a: PointAnalysis) -> PointAnalysis:
    def conv(x):
        if isinstance(x, np.ndarray) and x.dtype == object:
            return to_float(x)
        return np.asarray(x)

    return jax.tree.map(conv, a)


def _digits_agreeing(x, ref, cap: float) -> float:
    """Significant digits of ``x`` confirmed by the higher-precision ``ref``."""
    x, ref = mp.mpmathify(x), mp.mpmathify(ref)
    if not (mp.isfinite(x) and mp.isfinite(ref)):
        return 0.0
    diff = abs(x - ref)
    if diff == 0:
        return float(cap)
    if ref == 0:
        return 0.0
    return float(min(max(mp.log10(abs(ref) / diff), 0), cap))


def _agree(a: PointAnalysis, b: PointAnalysis) -> bool:
    fields = ("critical_type", "vacuum", "n_negative", "n_flat", "result")
    return all(int(np.asarray(getattr(a, f))) == int(np.asarray(getattr(b, f))) for f in fields)


def _critical_shift(a: PointAnalysis):
    """½ |∇Vᵀ H⁺ ∇V|: how much V changes from this point to the critical point nearby
    (one Newton step, flat directions left out); None where the metric is unusable."""
    try:
        L = mp.cholesky(_mp_matrix(a.metric))
    except (ValueError, ZeroDivisionError):
        return None
    g = _mp_vector(a.gradient)
    cutoff = mp.mpf(10) ** (5 - mp.mp.dps)
    s, _, _ = _newton_step(_mp_matrix(a.hessian), g, L, cutoff)
    return abs(sum(g[i] * s[i] for i in range(g.rows))) / 2


@dataclasses.dataclass(frozen=True, repr=False)  # CheckReport's summary repr
class HighPrecisionReport(CheckReport):
    """Result of :func:`check_high_precision`. ``analysis`` holds the N-digit values
    rounded to float64 (for the JSON fields of ``jaxvac check``); ``exact`` and
    ``reference`` the N- and 2N-digit analyses as mpmath numbers."""

    precision: int
    exact: PointAnalysis
    reference: PointAnalysis

    def certified_digits(self) -> dict[str, Any]:
        cap = float(self.precision)
        a, b = self.exact, self.reference
        return {
            "V": _digits_agreeing(a.V.item(), b.V.item(), cap),
            "masses_squared": [
                _digits_agreeing(x, y, cap)
                for x, y in zip(a.masses_squared.ravel(), b.masses_squared.ravel())
            ],
            "gradient_norm": _digits_agreeing(a.gradient_norm.item(), b.gradient_norm.item(), cap),
        }

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        certified = self.certified_digits()
        a = self.exact
        with mp.workdps(self.precision):
            out["V_decimal"] = _decimal(a.V.item(), certified["V"])
            out["masses_squared_decimal"] = [
                _decimal(x, d)
                for x, d in zip(a.masses_squared.ravel(), certified["masses_squared"])
            ]
            shift = _critical_shift(a)
        out["precision"] = self.precision
        out["certified_digits"] = certified
        out["consistent"] = _agree(self.exact, self.reference)
        out["V_shift_to_critical"] = None if shift is None else float(shift)
        out["advice"] = _high_precision_advice(out, shift, Result(int(self.analysis.result)))
        return out


def _decimal(x, digits: float) -> str:
    """``x`` with its certified digits (at least one), as a string."""
    n = max(int(math.floor(digits)), 1)
    return mp.nstr(mp.mpmathify(x), n, min_fixed=-4, max_fixed=6)


def _high_precision_advice(record, shift, result: Result) -> str | None:
    n = record["precision"]
    if result in NOT_ANALYSED:
        return None
    if not record["consistent"]:
        return (
            f"the classifications at {n} and {2 * n} digits disagree: nothing here is "
            f"resolved at {n} digits; re-check with --digits {4 * n}."
        )
    if record["certified_digits"]["V"] < 3 and record["vacuum"] != Vacuum.Minkowski.name:
        return (
            f"{n} digits keep {record['certified_digits']['V']:.1f} certified digits of V here: "
            f"re-check with --digits {2 * n}."
        )
    V_err = record["V_error"] or 0.0
    if shift is not None and float(shift) > max(10 * V_err, 1e-3 * abs(record["V"] or 0.0)):
        return (
            f"this point is stationary only to its given precision: V at the critical point "
            f"nearby differs by ~{float(shift):.2e} (relative {float(shift) / max(abs(record['V'] or 0), 1e-300):.1e}); "
            "refine the point first: `jaxvac refine MODEL --from POINT.json --digits N`."
        )
    return None


def check_high_precision(
    model: AbstractModel,
    point,
    *,
    digits: int,
    rtol: float = DEFAULT_RTOL,
    name: str | None = None,
    parameters: dict[str, Any] | None = None,
) -> HighPrecisionReport:
    """[`jaxvac.check`][] at N significant digits (``jaxvac check --digits N``): the same
    JAX functions traced and evaluated in mpmath, for vacua where float64 keeps no digit.

    The point is analysed at `digits` and at `2*digits`; what agrees between the two is
    certified.

    **Arguments:**

    - `model`: the model (any jaxvac model: its JAX code is what runs in mpmath).
    - `point`: field values as for [`jaxvac.check`][] (decimal strings are read at full
      precision), or real coordinates (float64 or mpmath).
    - `digits`: significant digits of the arithmetic (16 to 10000).
    - `rtol`: tolerance on the scale-free stationarity residual.
    - `name`: the model's name in the report.
    - `parameters`: parameters to take beyond float64 (decimal strings, mpmath numbers).

    **Returns:**

    A [`HighPrecisionReport`][jaxvac.HighPrecisionReport]: `to_dict()` has the fields of
    `jaxvac check` plus `precision`, `certified_digits` (digits of V, masses and gradient
    norm that agree between the two precisions), `consistent`, `V_decimal`,
    `masses_squared_decimal` and `V_shift_to_critical`.
    """
    ensure_x64()
    digits = _check_digits(digits)
    base = model
    model = with_parameters(model, parameters)
    y = point_to_mp(base, point)
    exact = analyse_high_precision(model, y, digits=digits, rtol=rtol)
    reference = analyse_high_precision(model, y, digits=2 * digits, rtol=rtol)
    analysis = _to_float_analysis(exact)
    if not _agree(exact, reference):
        analysis = eqx.tree_at(
            lambda a: (a.critical_type, a.vacuum, a.result),
            analysis,
            (
                np.asarray(CriticalType.unresolved),
                np.asarray(Vacuum.unresolved),
                np.asarray(Result.unresolved),
            ),
        )
    return HighPrecisionReport(
        model=base,
        analysis=analysis,
        model_name=name or type(base).__name__,
        precision=digits,
        exact=exact,
        reference=reference,
    )


# ---- points beyond float64 ------------------------------------------------------------------------


def point_to_mp(model: AbstractModel, point) -> np.ndarray:
    """Real coordinates from a point given as in :func:`jaxvac.check`, keeping decimal
    strings and mpmath numbers beyond float64 (an object array); float64 otherwise."""
    if isinstance(point, np.ndarray) and point.dtype == object:
        if point.shape != (model.n_real,):
            raise InputError(
                f"point: expected {model.n_real} real coordinates, got shape {point.shape}."
            )
        return point
    if not isinstance(point, dict):
        return point_to_y(model, point)
    y64 = point_to_y(model, _floats_only(point))
    exact = _exact_coordinates(model, point)
    if not exact:
        return y64
    y = np.empty(model.n_real, dtype=object)
    for i, name in enumerate(model.coordinate_names):
        y[i] = exact.get(name, float(y64[i]))
    return y


def _floats_only(point: dict) -> dict:
    def conv(v, inner=False):
        if isinstance(v, dict):
            return {k: conv(x, inner=True) for k, x in v.items()}
        if isinstance(v, (mp.mpf, mp.mpc)):
            return complex(v) if isinstance(v, mp.mpc) else float(v)
        if inner and isinstance(v, str):  # {"re": "113.58...", "im": "0"}
            try:
                return float(mp.mpf(v.strip()))
            except (ValueError, TypeError):
                raise InputError(f"point: cannot read {v!r} as a number.") from None
        return v

    return {k: conv(v) for k, v in point.items()}


def _exact_coordinates(model: AbstractModel, point: dict) -> dict[str, Any]:
    """Coordinates given as strings or mpmath numbers: {coordinate name: value}."""
    out: dict[str, Any] = {}
    sugra = model.is_supergravity

    def beyond(v):
        return isinstance(v, (str, mp.mpf, mp.mpc))

    for key, v in point.items():
        base, _, part = key.partition(".")
        if isinstance(v, dict):
            for p in ("re", "im"):
                if beyond(v.get(p)):
                    out[f"{base}.{p}"] = _real_text(v[p])
        elif beyond(v):
            if not sugra:
                out[key] = _real_text(v)
            elif part:
                out[key] = _real_text(v)
            else:
                re, im = _complex_text(v)
                out[f"{base}.re"] = re
                if im is not None:
                    out[f"{base}.im"] = im
    return out


def _real_text(v):
    if isinstance(v, str):
        mp.mpmathify(v.strip())  # validate now; read at the working precision later
        return v.strip()
    return v


def _complex_text(v):
    """(re, im) of a complex number given as text ``a+bj`` (im None when absent)."""
    if isinstance(v, (mp.mpf, mp.mpc)):
        return mp.re(v), (mp.im(v) if isinstance(v, mp.mpc) else None)
    t = v.strip().replace(" ", "")
    if t.endswith(("j", "i")):
        body = t[:-1]
        cut = max(body.rfind("+"), body.rfind("-"))
        while cut > 0 and body[cut - 1] in "eE":
            cut = max(body.rfind("+", 0, cut - 1), body.rfind("-", 0, cut - 1))
        if cut <= 0:
            return "0", body or "1"
        re, im = body[:cut], body[cut:]
        return re, (im if im not in ("+", "-") else im + "1")
    return t, None


# ---- escalation --------------------------------------------------------------------------------------


def needs_high_precision(record: dict[str, Any]) -> bool:
    """True when a float64 record advises a high-precision re-check (a point that is not
    critical is advised to be refined instead)."""
    return bool(record.get("advice")) and record.get("result") not in (
        "left_domain",
        "bad_metric",
        "nonfinite",
        "not_critical",
    )


def escalate(
    model: AbstractModel,
    records: Sequence[dict[str, Any]],
    *,
    digits: int = DEFAULT_DIGITS,
    rtol: float = DEFAULT_RTOL,
    name: str | None = None,
) -> list[dict[str, Any]]:
    """Re-check at ``digits`` every float64 record (``check``/``find`` JSON) whose advice asks
    for it; others are returned unchanged. Escalated records carry ``"escalated": true``.

    **Arguments:**

    - `model`: the model of the records.
    - `records`: `check` or `find` JSON records (dicts).
    - `digits`: significant digits of the re-check.
    - `rtol`: tolerance on the scale-free stationarity residual.
    - `name`: the model's name in the records.

    **Returns:**

    A list of records, in the same order.
    """
    out = []
    for rec in records:
        if not needs_high_precision(rec):
            out.append(rec)
            continue
        report = check_high_precision(model, rec["fields"], digits=digits, rtol=rtol, name=name)
        new = report.to_dict()
        for key in ("model", "parameters"):
            if key not in rec:
                new.pop(key, None)
        new["escalated"] = True
        new["float64"] = {k: rec.get(k) for k in ("V", "type", "vacuum", "digits", "result")}
        out.append(new)
    return out


# ---- refinement by Newton's method at N digits -----------------------------------------------------


def _newton_data(model, y):
    """(V, S, ∇V, Hessian, kinetic metric G) at y: what one Newton step needs."""

    def grad_and_aux(z):
        (V, S), g = jax.value_and_grad(lambda w: potential_and_scale(model, w), has_aux=True)(z)
        return g, (g, V, S)

    H, (g, V, S) = jax.jacfwd(grad_and_aux, has_aux=True)(y)
    return V, S, g, 0.5 * (H + H.T), kinetic_metric(model, y)


_NEWTON = PrecisionFunction(_newton_data)


def _mp_matrix(a) -> mp.matrix:
    return mp.matrix(
        [[x for x in row] for row in np.asarray(a, dtype=object).reshape(a.shape[0], -1)]
    )


def _mp_vector(v) -> mp.matrix:
    return mp.matrix([x for x in np.asarray(v, dtype=object).ravel()])


def _whitened(H, L):
    """L⁻¹ H L⁻ᵀ for the Cholesky factor L of the metric, symmetrised."""
    Linv = mp.inverse(L)
    A = Linv * H * Linv.T
    n = A.rows
    for i in range(n):
        for j in range(i + 1, n):
            A[i, j] = A[j, i] = (A[i, j] + A[j, i]) / 2
    return A


def _metric_norm(L, v) -> Any:
    """sqrt(vᵀ G v) = |Lᵀ v|."""
    w = L.T * v
    return mp.sqrt(sum(w[i] ** 2 for i in range(w.rows)))


def _newton_step(H, g, L, cutoff):
    """s = -H⁺ g in the metric's frame (directions with |m²| < cutoff·max|m²| dropped).

    Returns (s, number of dropped directions, 1 / min kept |m²|).

    Not the floored Newton step of :func:`jaxvac._analysis.floored_newton_step` (the
    ``newton_step`` of an analysis, which at N digits is evaluated by the jaxpr
    interpreter inside ``analyse_point``), on purpose: this is the step :func:`refine`
    *takes*, iterated to quadratic convergence, so directions flat relative to the
    largest mass (exactly flat axions: |m²| ≤ ``cutoff``·max|m²|, cutoff = 10^(5-N)) are
    dropped, not floored (a floored flat direction would still be stepped along), and it
    reports what Kantorovich's test needs (the dropped count, 1/min kept |m²|). It
    stays in mpmath because refine's loop branches on mpmath values at every iterate;
    only ∇V, H and G come from the interpreter (``_NEWTON``)."""
    A = _whitened(H, L)
    E, Q = mp.eigsy(A)
    n = A.rows
    h = mp.inverse(L) * g  # g in the whitened frame: L⁻¹ g
    top = max(abs(E[i]) for i in range(n)) if n else 0
    u = mp.matrix(n, 1)
    dropped, smallest = 0, None
    for i in range(n):
        if top == 0 or abs(E[i]) <= cutoff * top:
            dropped += 1
            continue
        c = sum(Q[k, i] * h[k] for k in range(n)) / E[i]
        smallest = abs(E[i]) if smallest is None else min(smallest, abs(E[i]))
        for k in range(n):
            u[k] -= c * Q[k, i]
    # y-step: s = L⁻ᵀ u
    s = mp.inverse(L.T) * u
    return s, dropped, (1 / smallest if smallest else mp.inf)


@dataclasses.dataclass(frozen=True)
class Refinement:
    """Result of [`jaxvac.refine`][] for one starting point: the refined point (exact
    mpmath values), whether and why Newton stopped (`status`, `message`), the residual and
    step of every iterate, the trust radius, and the [`HighPrecisionReport`][jaxvac.HighPrecisionReport]
    of the refined point (`report`). `to_dict()` is the JSON of `jaxvac refine --json`
    (decimal strings for the point and V, `convergence_orders`, `shift` from the start)."""

    model: AbstractModel
    model_name: str
    precision: int
    start: np.ndarray  # object array: the starting point (exact values used)
    point: np.ndarray  # object array: the refined point (the start unless converged)
    converged: bool
    status: RefineStatus  # a str enum: equal to its JSON word ("converged", ...)
    message: str
    residuals: list  # scale-free residual |∇V|_G⁻¹ / S at each iterate (mpf)
    steps: list  # metric norm of each Newton step (mpf)
    radius: Any  # the trust radius: radius_factor × the first step
    kantorovich_h: Any  # β L η of the first step (h <= 1/2: a unique root within the radius)
    dropped_directions: int  # flat directions left out of the Newton steps
    report: HighPrecisionReport | None  # check_high_precision at the refined point

    def shift(self) -> np.ndarray:
        return np.array([p - s for p, s in zip(self.point, self.start)], dtype=object)

    @property
    def critical_point(self) -> CriticalPoint | None:
        """The refined point as a :class:`~jaxvac.CriticalPoint`: ``y`` the exact point
        (mpmath, object array), ``result`` and ``analysis`` the N-digit check's (rounded to
        float64), ``stats`` = ``precision``, ``status`` (:class:`RefineStatus`),
        ``residuals``, ``newton_steps`` (metric norm of each step) and
        ``dropped_directions``. None when the point was not checked (``check=False``, or
        Newton stopped on a non-finite value or a singular Hessian): nothing then says
        what it is."""
        if self.report is None:
            return None
        a = self.report.analysis
        return CriticalPoint(
            y=self.point,
            result=a.result,
            analysis=a,
            stats={
                "precision": self.precision,
                "status": self.status,
                "residuals": list(self.residuals),
                "newton_steps": list(self.steps),
                "dropped_directions": self.dropped_directions,
            },
        )

    def convergence_orders(self) -> list[float]:
        """log(s_{k+1}/s_k) / log(s_k/s_{k-1}): about 2 for quadratic convergence."""
        s = [x for x in self.steps]
        out = []
        for k in range(1, len(s) - 1):
            if s[k - 1] > 0 and s[k] > 0 and s[k + 1] > 0 and s[k] != s[k - 1]:
                out.append(float(mp.log(s[k + 1] / s[k]) / mp.log(s[k] / s[k - 1])))
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.report is not None:
            out.update(self.report.to_dict())
        else:
            out.update({"model": self.model_name, "parameters": self.model.parameters()})
        digits = self.precision
        with mp.workdps(digits):
            out["fields_decimal"] = _fields_decimal(self.model, self.point, digits)
            out["start_fields"] = _fields_decimal(self.model, self.start, 17)
            out["shift"] = _fields_decimal(self.model, self.shift(), 6)
        out["refine"] = {
            "status": str(self.status),
            "converged": self.converged,
            "message": self.message,
            "precision": digits,
            "residuals": [float(r) for r in self.residuals],
            "steps": [float(s) for s in self.steps],
            "convergence_orders": self.convergence_orders(),
            "radius": float(self.radius),
            "shift_norm": float(sum(self.steps)) if self.steps else 0.0,
            "kantorovich_h": None if self.kantorovich_h is None else float(self.kantorovich_h),
            "dropped_directions": self.dropped_directions,
        }
        return out

    def to_json(self, **kwargs) -> str:
        return dumps(self.to_dict(), **kwargs)


def _fields_decimal(model, y, digits):
    """The ``fields`` layout with decimal strings."""
    names = model.coordinate_names
    text = {
        n: mp.nstr(mp.mpmathify(v), digits, min_fixed=-4, max_fixed=8) for n, v in zip(names, y)
    }
    if model.is_supergravity:
        return {m: {"re": text[f"{m}.re"], "im": text[f"{m}.im"]} for m in model.moduli}
    return {f: text[f] for f in model.fields}


def refine(
    model: AbstractModel,
    point,
    *,
    digits: int,
    rtol: float = DEFAULT_RTOL,
    max_steps: int = 50,
    radius_factor: float = 2.0,
    name: str | None = None,
    parameters: dict[str, Any] | None = None,
    check: bool = True,
):
    """Newton's method on ∇V = 0 at ``digits`` significant digits, from ``point``.

    ``point``: field values or real coordinates (float64, decimal strings, mpmath), a
    ``check``/``find`` JSON record (its ``fields``), or a list of these (a batch: returns
    a list). Guard against wandering to a different critical point (docs/precision.md):

    - the trust radius R = ``radius_factor`` × |s₀| (metric norm of the first Newton
      step; by Kantorovich's theorem the root is within 2|s₀| when h = β L |s₀| <= ½):
      an iterate farther than R from the start is rejected (``rejected_radius``);
    - every step above the noise floor must shrink at least by half
      (``rejected_contraction``); quadratic convergence shows in ``convergence_orders``.

    Directions with |m²| below 10^-(digits-5) of the largest (exactly flat axions) are
    left out of the steps. A point that does not converge stays at its start. The
    refined point is then checked with
    :func:`check_high_precision` (``check=False`` skips it).

    **Arguments:**

    - `model`: the model (its JAX code is traced and run in mpmath).
    - `point`: the start (above); a list of starts refines each.
    - `digits`: significant digits of the arithmetic (16 to 10000).
    - `rtol`: tolerance on the scale-free stationarity residual of the final check.
    - `max_steps`: Newton steps at most.
    - `radius_factor`: the trust radius in units of the first Newton step (≥ 1).
    - `name`: the model's name in the result.
    - `parameters`: parameters to take beyond float64 (decimal strings, mpmath numbers).
    - `check`: check the refined point at `digits` and `2*digits`.

    **Returns:**

    A [`Refinement`][jaxvac.Refinement] (a list of them for a list of starts);
    `converged` says whether to trust it, `status` and `message` why not.
    """
    ensure_x64()
    digits = _check_digits(digits)
    if (
        isinstance(point, (list, tuple))
        and point
        and isinstance(point[0], (dict, np.ndarray, list, tuple))
    ):
        return [
            refine(
                model,
                p,
                digits=digits,
                rtol=rtol,
                max_steps=max_steps,
                radius_factor=radius_factor,
                name=name,
                parameters=parameters,
                check=check,
            )
            for p in point
        ]
    if not radius_factor >= 1.0:
        raise InputError(f"radius_factor must be >= 1 (got {radius_factor}).")
    if isinstance(point, dict) and "fields" in point:
        point = point["fields"]
    base = model
    model = with_parameters(model, parameters)
    y0 = point_to_mp(base, point)
    name = name or type(base).__name__
    pos = base.positive_indices

    with mp.workdps(digits):
        y = to_mp(y0)
        start = y.copy()
        residuals, steps = [], []
        cutoff = mp.mpf(10) ** (5 - digits)
        noise = mp.mpf(10) ** (10 - digits)
        status, message = RefineStatus.max_steps, f"no convergence in {max_steps} steps"
        h, dropped, L0, H_prev = None, 0, None, None
        radius = mp.mpf(0)  # set by step 0 (stays 0 if the first iterate fails)
        s_prev = mp.inf  # set by each step before the next one reads it
        for k in range(max_steps + 1):
            V, S, g, H, G = _NEWTON(model, y, digits=digits)
            if not all(mp.isfinite(x) for x in np.concatenate([g.ravel(), H.ravel(), G.ravel()])):
                status, message = (
                    RefineStatus.nonfinite,
                    "∇V, the Hessian or the metric is not finite at an iterate",
                )
                break
            try:
                L = mp.cholesky(_mp_matrix(G))
            except (ValueError, ZeroDivisionError):
                status, message = (
                    RefineStatus.singular,
                    "the kinetic metric is not positive definite at an iterate",
                )
                break
            gv, Hm = _mp_vector(g), _mp_matrix(H)
            ginv = mp.inverse(L) * gv
            gnorm = mp.sqrt(sum(ginv[i] ** 2 for i in range(ginv.rows)))
            S = S.item()
            residuals.append(gnorm / S if S > 0 else gnorm)
            s, dropped, beta = _newton_step(Hm, gv, L, cutoff)
            snorm = _metric_norm(L, s)
            if k == 0:
                L0 = L
                radius = radius_factor * snorm
            elif k == 1 and steps[0] > 0:
                # Kantorovich: h = β L η with L ~ |H1 - H0| / |s0| (estimated).
                dH = _whitened(Hm - H_prev, L0)
                lip = max(abs(e) for e in mp.eigsy(dH)[0]) / steps[0]
                h = beta * lip * steps[0]
            # The noise floor: relative precision times the size of the point (metric norm).
            scale_y = _metric_norm(L0, mp.matrix(list(y))) + _metric_norm(
                L0, mp.matrix(list(start))
            )
            if snorm <= noise * scale_y or (k > 0 and snorm == 0):
                # At the noise level: take this last step (harmless) and stop.
                steps.append(snorm)
                y = np.array([y[i] + s[i] for i in range(len(y))], dtype=object)
                status, message = (
                    RefineStatus.converged,
                    f"converged in {k + 1} steps: the last Newton step was at the noise level",
                )
                break
            if k > 0 and snorm > s_prev / 2 and s_prev > noise * scale_y:
                steps.append(snorm)
                status, message = (
                    RefineStatus.rejected_contraction,
                    f"step {k} did not contract (|s_{k}| = {mp.nstr(snorm, 3)} > |s_{k - 1}|/2 = "
                    f"{mp.nstr(s_prev / 2, 3)}): Newton is not converging to a critical point near the start",
                )
                break
            y_new = np.array([y[i] + s[i] for i in range(len(y))], dtype=object)
            moved = _metric_norm(L0, mp.matrix([y_new[i] - start[i] for i in range(len(y))]))
            if moved > radius * (1 + mp.mpf(10) ** -10) + noise * scale_y:
                steps.append(snorm)
                status, message = (
                    RefineStatus.rejected_radius,
                    f"iterate {k + 1} is {mp.nstr(moved, 3)} from the start, beyond the trust radius "
                    f"{mp.nstr(radius, 3)} = {radius_factor} x the first Newton step",
                )
                break
            if any(y_new[i] <= 0 for i in pos):
                steps.append(snorm)
                status, message = (
                    RefineStatus.rejected_radius,
                    f"iterate {k + 1} left the domain (a saxion or positive field <= 0)",
                )
                break
            steps.append(snorm)
            y, H_prev, s_prev = y_new, Hm, snorm
        converged = status is RefineStatus.converged
        if not converged:
            # The iterates are not trusted: the point stays where it started.
            y = start
            message += "; the point is left at its start"
    report = None
    if check and status not in (RefineStatus.nonfinite, RefineStatus.singular):
        report = check_high_precision(
            base, y, digits=digits, rtol=rtol, name=name, parameters=parameters
        )
    return Refinement(
        model=base,
        model_name=name,
        precision=digits,
        start=start,
        point=y,
        converged=converged,
        status=status,
        message=message,
        residuals=residuals,
        steps=steps,
        radius=radius,
        kantorovich_h=h,
        dropped_directions=int(dropped),
        report=report,
    )
