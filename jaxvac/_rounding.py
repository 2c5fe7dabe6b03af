"""Running error analysis of a JAX function in float64.

``value_and_error(fun)(*args)`` evaluates ``fun`` and, alongside every float64
intermediate, a first-order bound on its absolute rounding error: the difference
between the computed value and the exact (real-number) result of the same program on
the same float64 inputs (Higham, *Accuracy and Stability of Numerical Algorithms*,
2nd ed., §3.3 "running error analysis"; Wilkinson's model fl(a∘b) = (a∘b)(1+δ),
|δ| ≤ u). The program is ``jax.make_jaxpr(fun)``, interpreted by
:class:`RoundingInterpreter` (framework: :mod:`jaxvac._interpret`), which emits
ordinary ``jnp`` code: it works under ``jit`` and ``vmap`` and on the jaxprs of
``jax.grad``/``jax.hessian`` of a potential.

Rules (u = 2⁻⁵³, e_x the bound carried by x, v the computed result):

- a ± b: e = e_a + e_b + u|v|
- a·b: e = |a|e_b + |b|e_a + e_a e_b + u|v| (complex: √5 u|v|)
- a/b: e = (e_a + |v|e_b)/(|b| - e_b) + u|v| (complex: 3u|v|)
- f(a) for exp, log, log1p, expm1, pow, integer_pow, sqrt, rsqrt, cbrt, trig and
  hyperbolic functions, atan2, logistic, erf: e = |f'(a)| e_a + c_f u|v|, with c_f the
  measured accuracy of XLA's implementation with a safety factor (:data:`FUNCTION_ULPS`;
  XLA's CPU log1p near -0.4 and complex log near |z| = 1 are much worse than 1 ulp,
  and are bounded separately)
- dot_general, reduce_sum, cumsum over n terms: propagated errors plus γ_n Σ|terms|,
  γ_n = nu/(1 - nu) (valid for any summation order, blocked or pairwise)
- max, min, clamp, reduce_max/min, sort: the largest error involved
- structural operations (broadcast, reshape, slice, gather, concatenate, select_n,
  transpose, pad...) are applied to the errors as to the values; comparisons,
  integers and booleans carry no error (branches are assumed to be decided as they
  would be in exact arithmetic: first-order analysis)
- float64 literals standing for exact constants (π, 1/3, 0.1: see
  :func:`jaxvac._interpret.exact_constant`) carry their representation error;
  inputs are exact.

Linear-algebra primitives (cholesky, triangular_solve, eigh, lu) are not supported
and raise :class:`~jaxvac._interpret.UnsupportedPrimitiveError` naming the primitive.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.core
import jax.numpy as jnp
import numpy as np
from jax import lax

from ._config import EPS
from ._interpret import Interpreter, constant_error, is_inexact

#: Unit roundoff of float64: |fl(x) - x| <= U |x| for correctly rounded operations.
U = EPS / 2

#: Accuracy assumed for XLA's elementary functions, in units of U (relative to the
#: result). Measured on CPU against mpmath (max observed: exp 1.5, log 1.0, sin/cos 1.0,
#: tanh 3.2, sinh 4.0, cosh 2.9, expm1 3.6, cbrt 3.6, erf 1.3, logistic 2.1, complex
#: exp 2.5, complex sqrt 1.8; see tests/test_rounding.py) and doubled.
FUNCTION_ULPS = {
    "exp": 4.0,
    "exp2": 4.0,
    "log": 4.0,
    "expm1": 8.0,
    "log1p": 8.0,
    "sin": 4.0,
    "cos": 4.0,
    "tan": 4.0,
    "asin": 4.0,
    "acos": 4.0,
    "atan": 4.0,
    "atan2": 4.0,
    "sinh": 8.0,
    "cosh": 8.0,
    "tanh": 8.0,
    "asinh": 8.0,
    "acosh": 8.0,
    "atanh": 8.0,
    "sqrt": 2.0,
    "rsqrt": 4.0,
    "cbrt": 8.0,
    "pow": 4.0,
    "logistic": 8.0,
    "erf": 4.0,
    "erfc": 8.0,
}
#: XLA's CPU log1p loses up to ~240 U for -0.42 < x < -0.2 (measured): the bound
#: there uses this many U.
LOG1P_BAD_ULPS = 512.0
LOG1P_BAD_RANGE = (-0.45, -0.15)
#: XLA's CPU complex log loses up to ~55 U *absolute* in its real part log|z| for |z|
#: near 1 (measured): complex log (and complex pow) add this many U, absolute.
COMPLEX_LOG_ABS_ULPS = 128.0


class Bounded(NamedTuple):
    """A value and a bound on its absolute rounding error (None: exact, or not a float)."""

    value: jax.Array | np.ndarray
    error: jax.Array | None


def _gamma(n) -> float:
    """γ_n = n u / (1 - n u) (Higham, Lemma 3.1)."""
    nu = n * U
    return nu / (1.0 - nu) if nu < 0.5 else math.inf


def _err(x: Bounded):
    if x.error is None:
        return jnp.zeros(jnp.shape(x.value), dtype=_real_dtype(x.value))
    return x.error


def _real_dtype(v):
    dt = jnp.result_type(v)
    if jnp.issubdtype(dt, jnp.complexfloating):
        return jnp.finfo(dt).dtype
    if jnp.issubdtype(dt, jnp.floating):
        return dt
    return jnp.float64


def _exact(x: Bounded) -> bool:
    return x.error is None


def _mag(v):
    return jnp.abs(v)


def _is_complex(v) -> bool:
    return jnp.issubdtype(jnp.result_type(v), jnp.complexfloating)


class RoundingInterpreter(Interpreter):
    """Propagates :class:`Bounded` values through a jaxpr (see the module docstring)."""

    name = "running error analysis"
    concrete = False

    def __init__(self):
        self.rules = _rules()

    def literal(self, value, aval):
        if isinstance(value, jax.core.Tracer):
            return Bounded(value, None)
        arr = np.asarray(value, dtype=aval.dtype)
        if not is_inexact(aval.dtype):
            return Bounded(arr, None)
        if np.iscomplexobj(arr):
            errs = np.vectorize(lambda z: constant_error(z.real) + constant_error(z.imag))(arr)
        else:
            errs = np.vectorize(constant_error, otypes=[np.float64])(arr) if arr.size else arr
        errs = np.asarray(errs, dtype=np.float64)
        return Bounded(arr, None if not np.any(errs) else jnp.asarray(errs))

    def raw(self, val):
        return val.value

    def normalise(self, val, aval):
        if is_inexact(aval.dtype):
            return Bounded(val.value, _err(val))
        return Bounded(val.value, None)

    def structural(self, eqn, invals, positions):
        values = [x.value for x in invals]
        out = eqn.primitive.bind(*values, **eqn.params)
        multiple = eqn.primitive.multiple_results
        outs = out if multiple else [out]
        if all(invals[i].error is None for i in positions) or not is_inexact(
            eqn.outvars[0].aval.dtype
        ):
            errs = [None] * len(outs)
        else:
            operands = list(values)
            for i in positions:
                operands[i] = _err(invals[i])
            errs = eqn.primitive.bind(*operands, **eqn.params)
            errs = errs if multiple else [errs]
        res = [Bounded(v, e) for v, e in zip(outs, errs)]
        return res if multiple else res[0]


def _bind(eqn, *invals):
    return eqn.primitive.bind(*[x.value for x in invals], **eqn.params)


# ---- rules ---------------------------------------------------------------------------------


def _rules():
    r = {}

    def exact_output(eqn, *invals):
        out = _bind(eqn, *invals)
        if eqn.primitive.multiple_results:
            return [Bounded(o, None) for o in out]
        return Bounded(out, None)

    for name in (
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
        "and",
        "or",
        "not",
        "xor",
        "iota",
        "argmax",
        "argmin",
        "is_finite",
        "shift_left",
        "shift_right_logical",
        "shift_right_arithmetic",
        "population_count",
        "clz",
        "sign",
        "floor",
        "ceil",
        "round",
        "reduce_and",
        "reduce_or",
        "reduce_xor",
    ):
        r[name] = exact_output

    def integer_or(rule):
        # Integer arithmetic (indices) is exact; inexact operands go to ``rule``.
        def wrapped(eqn, *invals):
            if not is_inexact(eqn.outvars[0].aval.dtype):
                return exact_output(eqn, *invals)
            return rule(eqn, *invals)

        return wrapped

    def add(eqn, a, b):
        v = _bind(eqn, a, b)
        if _exact(a) and _exact(b) and not is_inexact(eqn.outvars[0].aval.dtype):
            return Bounded(v, None)
        return Bounded(v, _err(a) + _err(b) + U * _mag(v))

    r["add"] = r["sub"] = r["add_any"] = integer_or(add)

    def neg(eqn, a):
        return Bounded(_bind(eqn, a), a.error)

    r["neg"] = r["conj"] = r["real"] = r["imag"] = neg

    def complex_(eqn, a, b):
        v = _bind(eqn, a, b)
        if _exact(a) and _exact(b):
            return Bounded(v, None)
        return Bounded(v, _err(a) + _err(b))

    r["complex"] = complex_

    def mul(eqn, a, b):
        v = _bind(eqn, a, b)
        ea, eb = _err(a), _err(b)
        c = math.sqrt(5.0) if _is_complex(v) else 1.0
        return Bounded(v, _mag(a.value) * eb + _mag(b.value) * ea + ea * eb + c * U * _mag(v))

    r["mul"] = integer_or(mul)

    def div(eqn, a, b):
        v = _bind(eqn, a, b)
        ea, eb = _err(a), _err(b)
        mb = _mag(b.value)
        c = 3.0 if _is_complex(v) else 1.0
        denom = mb - eb
        prop = jnp.where(denom > 0, (ea + _mag(v) * eb) / jnp.where(denom > 0, denom, 1.0), jnp.inf)
        return Bounded(v, prop + c * U * _mag(v))

    r["div"] = integer_or(div)

    def rem(eqn, a, b):
        v = _bind(eqn, a, b)
        n = jnp.trunc(a.value / b.value)
        return Bounded(v, _err(a) + jnp.abs(n) * _err(b))

    r["rem"] = integer_or(rem)

    def minmax(eqn, *invals):
        v = _bind(eqn, *invals)
        if all(_exact(x) for x in invals):
            return Bounded(v, None)
        e = _err(invals[0])
        for x in invals[1:]:
            e = jnp.maximum(e, _err(x))
        return Bounded(v, e)

    r["max"] = r["min"] = r["clamp"] = integer_or(minmax)

    def abs_(eqn, a):
        v = _bind(eqn, a)
        if not is_inexact(eqn.outvars[0].aval.dtype):
            return Bounded(v, None)
        if _is_complex(a.value):
            return Bounded(v, _err(a) + 3.0 * U * v)
        return Bounded(v, a.error)

    r["abs"] = abs_

    def unary(name, deriv, ulps: float | Callable[[Any], Any] | None = None, absolute=None):
        """|f'(a)| e_a + c u |v| (+ an absolute term for complex log)."""

        def rule(eqn, a):
            v = _bind(eqn, a)
            c = (
                ulps(a.value)
                if callable(ulps)
                else (FUNCTION_ULPS.get(name, 4.0) if ulps is None else ulps)
            )
            e = c * U * _mag(v)
            if absolute is not None and _is_complex(v):
                e = e + absolute * U
            if not _exact(a):
                d = _mag(deriv(a.value, v, eqn.params))
                e = e + jnp.where(a.error > 0, d * a.error, 0.0)
            return Bounded(v, e)

        return rule

    def _safe_recip(x):
        return 1.0 / x

    r["exp"] = unary("exp", lambda a, v, p: v)
    r["exp2"] = unary("exp2", lambda a, v, p: v * math.log(2.0))
    r["log"] = unary("log", lambda a, v, p: _safe_recip(a), absolute=COMPLEX_LOG_ABS_ULPS)
    r["log1p"] = unary(
        "log1p",
        lambda a, v, p: _safe_recip(1.0 + a),
        ulps=lambda a: jnp.where(
            (jnp.real(a) > LOG1P_BAD_RANGE[0]) & (jnp.real(a) < LOG1P_BAD_RANGE[1])
            | jnp.iscomplexobj(a),
            LOG1P_BAD_ULPS,
            FUNCTION_ULPS["log1p"],
        ),
    )
    r["expm1"] = unary("expm1", lambda a, v, p: v + 1.0)
    r["sin"] = unary("sin", lambda a, v, p: jnp.cos(a))
    r["cos"] = unary("cos", lambda a, v, p: jnp.sin(a))
    r["tan"] = unary("tan", lambda a, v, p: 1.0 + v * v)
    r["asin"] = unary("asin", lambda a, v, p: lax.rsqrt(1.0 - a * a))
    r["acos"] = unary("acos", lambda a, v, p: lax.rsqrt(1.0 - a * a))
    r["atan"] = unary("atan", lambda a, v, p: 1.0 / (1.0 + a * a))
    r["sinh"] = unary("sinh", lambda a, v, p: jnp.cosh(a))
    r["cosh"] = unary("cosh", lambda a, v, p: jnp.sinh(a))
    r["tanh"] = unary("tanh", lambda a, v, p: 1.0 - v * v)
    r["asinh"] = unary("asinh", lambda a, v, p: lax.rsqrt(1.0 + a * a))
    r["acosh"] = unary("acosh", lambda a, v, p: lax.rsqrt(a * a - 1.0))
    r["atanh"] = unary("atanh", lambda a, v, p: 1.0 / (1.0 - a * a))
    r["logistic"] = unary("logistic", lambda a, v, p: v * (1.0 - v))
    r["erf"] = unary("erf", lambda a, v, p: 2.0 / math.sqrt(math.pi) * jnp.exp(-a * a))
    r["erfc"] = unary("erfc", lambda a, v, p: 2.0 / math.sqrt(math.pi) * jnp.exp(-a * a))
    r["rsqrt"] = unary("rsqrt", lambda a, v, p: 0.5 * v / a)
    r["cbrt"] = unary("cbrt", lambda a, v, p: v / (3.0 * a))
    r["square"] = unary("square", lambda a, v, p: 2.0 * a, ulps=1.0)

    def sqrt(eqn, a):
        v = _bind(eqn, a)
        e = FUNCTION_ULPS["sqrt"] * U * _mag(v)
        if not _exact(a):
            mv = _mag(v)
            # |sqrt(x) - sqrt(y)| <= |x - y| / (2 sqrt(x)) to first order, and <= sqrt|x - y|.
            e = e + jnp.where(
                mv > 0,
                jnp.minimum(a.error / (2.0 * jnp.where(mv > 0, mv, 1.0)), jnp.sqrt(a.error)),
                jnp.sqrt(a.error),
            )
        return Bounded(v, e)

    r["sqrt"] = sqrt

    def integer_pow(eqn, a):
        v = _bind(eqn, a)
        n = eqn.params["y"]
        # XLA computes x**n by repeated squaring: at most 2 log2|n| products (+1 division).
        roundings = 2 * max(abs(n), 1).bit_length() + (1 if n < 0 else 0)
        e = _gamma(roundings) * _mag(v)
        if not _exact(a):
            d = abs(n) * (_mag(lax.integer_pow(a.value, n - 1)) if n != 1 else 1.0)
            e = e + d * a.error
        return Bounded(v, e)

    r["integer_pow"] = integer_or(integer_pow)

    def pow_(eqn, a, b):
        v = _bind(eqn, a, b)
        mv = _mag(v)
        e = FUNCTION_ULPS["pow"] * U * mv
        if _is_complex(v):
            # a^b = exp(b log a): the absolute error of log a, times |b v|.
            e = e + COMPLEX_LOG_ABS_ULPS * U * _mag(b.value) * mv
        if not _exact(a):
            # |d(a^b)/da| = |b a^(b-1)| = |b v / a|
            ma = _mag(a.value)
            d = jnp.where(
                ma > 0,
                _mag(b.value) * mv / jnp.where(ma > 0, ma, 1.0),
                jnp.where(a.error > 0, jnp.inf, 0.0),
            )
            e = e + jnp.where(a.error > 0, d * a.error, 0.0)
        if not _exact(b):
            e = e + jnp.where(b.error > 0, mv * _mag(jnp.log(a.value)) * b.error, 0.0)
        return Bounded(v, e)

    r["pow"] = pow_

    def atan2(eqn, y, x):
        v = _bind(eqn, y, x)
        r2 = y.value**2 + x.value**2
        prop = (jnp.abs(x.value) * _err(y) + jnp.abs(y.value) * _err(x)) / jnp.where(
            r2 > 0, r2, 1.0
        )
        prop = jnp.where(r2 > 0, prop, jnp.where(_err(x) + _err(y) > 0, jnp.pi, 0.0))
        return Bounded(v, prop + FUNCTION_ULPS["atan2"] * U * jnp.abs(v))

    r["atan2"] = atan2

    def convert(eqn, a):
        v = _bind(eqn, a)
        new = eqn.params["new_dtype"]
        if not is_inexact(new):
            return Bounded(v, None)
        if not is_inexact(a.value.dtype):
            # Integers above 2^53 are rounded on conversion.
            big = jnp.abs(v) > 2.0**53
            return Bounded(v, jnp.where(big, U * jnp.abs(v), 0.0).astype(_real_dtype(v)))
        e = a.error
        if e is not None:
            e = e.astype(_real_dtype(v))
            if np.dtype(new).itemsize < np.dtype(a.value.dtype).itemsize:
                e = e + jnp.finfo(new).eps * _mag(v)
        return Bounded(v, e)

    r["convert_element_type"] = convert

    def dot_general(eqn, a, b):
        v = _bind(eqn, a, b)
        dims = eqn.params["dimension_numbers"]
        (ca, _), _ = dims
        n = int(np.prod([a.value.shape[i] for i in ca])) if ca else 1
        c = n + 2 if (_is_complex(a.value) or _is_complex(b.value)) else n

        def dot(x, y):
            return lax.dot_general(
                x, y, dims, precision=lax.Precision.HIGHEST, preferred_element_type=jnp.float64
            )

        ma, mb = _mag(a.value).astype(jnp.float64), _mag(b.value).astype(jnp.float64)
        e = _gamma(c) * dot(ma, mb)
        if not _exact(a):
            e = e + dot(_err(a), mb)
        if not _exact(b):
            e = e + dot(ma, _err(b))
        if not _exact(a) and not _exact(b):
            e = e + dot(_err(a), _err(b))
        return Bounded(v, e.astype(_real_dtype(v)))

    r["dot_general"] = integer_or(dot_general)

    def summation(total, count):
        """Sums of n terms (reduce_sum, cumsum): Σe + γ_{n-1} Σ|x|."""

        def rule(eqn, a):
            v = _bind(eqn, a)
            n = count(a.value.shape, eqn.params)
            e = _gamma(max(n - 1, 0)) * total(_mag(a.value), eqn.params)
            if not _exact(a):
                e = e + total(a.error, eqn.params)
            return Bounded(v, e)

        return integer_or(rule)

    def n_reduced(shape, p):
        return int(np.prod([shape[i] for i in p["axes"]])) if p["axes"] else 1

    r["reduce_sum"] = summation(lambda x, p: jnp.sum(x, axis=p["axes"]), n_reduced)
    r["cumsum"] = summation(
        lambda x, p: lax.cumsum(x, axis=p["axis"], reverse=p["reverse"]),
        lambda shape, p: shape[p["axis"]],
    )

    def largest(reduce):
        """max/min-type reductions are 1-Lipschitz: the largest error involved."""

        def rule(eqn, a):
            v = _bind(eqn, a)
            return Bounded(v, None if _exact(a) else reduce(a.error, eqn.params))

        return integer_or(rule)

    r["reduce_max"] = r["reduce_min"] = largest(lambda e, p: jnp.max(e, axis=p["axes"]))
    r["cummax"] = r["cummin"] = largest(
        lambda e, p: lax.cummax(e, axis=p["axis"], reverse=p["reverse"])
    )

    def reduce_prod(eqn, a):
        v = _bind(eqn, a)
        n = n_reduced(a.value.shape, eqn.params)
        axes = eqn.params["axes"]
        e = _gamma(max(n - 1, 0)) * _mag(v)
        if not _exact(a):
            ma = _mag(a.value)
            rel = jnp.sum(
                jnp.where(ma > 0, a.error / jnp.where(ma > 0, ma, 1.0), jnp.inf), axis=axes
            )
            e = e + jnp.where(a.error.max(axis=axes) > 0, _mag(v) * rel, 0.0)
        return Bounded(v, e)

    r["reduce_prod"] = integer_or(reduce_prod)

    def sort(eqn, *invals):
        outs = _bind(eqn, *invals)
        dim = eqn.params["dimension"]
        res = []
        for x, o in zip(invals, outs):
            if _exact(x):
                res.append(Bounded(o, None))
            else:
                # Sorting can permute: every sorted value is within the largest error.
                m = jnp.max(x.error, axis=dim, keepdims=True)
                res.append(Bounded(o, jnp.broadcast_to(m, o.shape)))
        return res

    r["sort"] = sort

    def scatter_add(eqn, operand, indices, updates):
        v = _bind(eqn, operand, indices, updates)
        if not is_inexact(eqn.outvars[0].aval.dtype):
            return Bounded(v, None)
        p = eqn.primitive

        def scatter(x, y):
            return p.bind(x, indices.value, y, **eqn.params)

        # Each element receives k updates: k roundings, γ_k times the sum of magnitudes.
        count = scatter(jnp.ones(jnp.shape(v)), jnp.ones(jnp.shape(updates.value)))
        gamma = count * U / (1.0 - count * U)
        mag = scatter(_mag(operand.value), _mag(updates.value))
        return Bounded(
            v, scatter(_err(operand), _err(updates)) + (gamma * mag).astype(_real_dtype(v))
        )

    r["scatter-add"] = r["scatter_add"] = scatter_add
    return r


_INTERPRETER = None


def _interpreter() -> RoundingInterpreter:
    global _INTERPRETER
    if _INTERPRETER is None:
        _INTERPRETER = RoundingInterpreter()
    return _INTERPRETER


def value_and_error(fun):
    """``value_and_error(fun)(*args) -> (value, error_bound)``, pytrees like ``fun``'s output.

    ``error_bound`` bounds |computed - exact| of each float64 output to first order in u
    (complex outputs: the modulus of the error); integer/boolean outputs get 0. The
    inputs are taken as exact. Works under ``jit``/``vmap``; raises
    :class:`~jaxvac._interpret.UnsupportedPrimitiveError` for primitives without a rule.
    """

    def wrapped(*args):
        closed, out_shape = jax.make_jaxpr(fun, return_shape=True)(*args)
        flat_args = jax.tree.leaves(args)
        ins = [Bounded(x, None) for x in flat_args]
        outs = _interpreter().run(closed, *ins)
        treedef = jax.tree.structure(out_shape)
        values = [o.value for o in outs]
        errors = [
            _err(o) if is_inexact(jnp.result_type(o.value)) else jnp.zeros(jnp.shape(o.value))
            for o in outs
        ]
        return jax.tree.unflatten(treedef, values), jax.tree.unflatten(treedef, errors)

    return wrapped
