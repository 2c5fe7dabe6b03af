"""Evaluating a float64 JAX function at arbitrary precision with mpmath.

The function is traced once to a jaxpr (``jax.make_jaxpr``); :class:`MPInterpreter`
(framework: :mod:`jaxvac._interpret`) evaluates that jaxpr with mpmath numbers at the
working precision (``mpmath.workdps``). Derivatives stay JAX's: the jaxpr of
``jax.hessian(f)`` is evaluated like any other, so ∇V and the Hessian at 100 digits
come from the same model code as V in float64. No second copy of K, W or V is written.

Values are numpy arrays: ``object`` arrays of ``mpf``/``mpc`` for float and complex
dtypes, ordinary integer/boolean arrays otherwise (indices, masks: exact, evaluated by
JAX itself). Structural primitives (reshape, gather, select_n, pad, scatter...) are
applied by running the primitive on arrays of element indices and gathering the mpmath
elements; linear algebra (cholesky, triangular_solve, eigh, lu) uses mpmath routines.

What is taken as exact (see docs/precision.md):

- inputs (the point, the model's parameters): the float64 values given, exactly (their
  binary values), unless mpmath numbers are passed instead;
- float64 *literals and constants* inside the jaxpr (``jnp.pi``, ``1/3``, ``0.1``,
  ``jnp.log(2.0)`` evaluated at trace time): the exact number they stand for, when
  :func:`jaxvac._interpret.exact_constant` recognises one (π, rationals, short decimals,
  r·√2, r·log 2, ...); otherwise their binary value. ``exact_constants=False`` turns this
  off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.core
import jax.numpy as jnp
import mpmath as mp
import numpy as np

from ._interpret import Interpreter, constant_value, is_inexact

# ---- array helpers --------------------------------------------------------------------------

#: The exact zero. Every exact zero created here is this one object, in real and complex
#: arrays alike (complex arrays may hold mpf elements: numbers with zero imaginary part),
#: so the arithmetic can skip the many structural zeros of derivative code by identity.
ZERO = mp.mpf(0)

#: ``mp.mpc``, typed for a type checker: mpmath has no annotations, and from its
#: ``__new__(cls, real=0, imag=0)`` pyright infers that both parts must be ``int``.
mpc: Callable[..., Any] = mp.mpc


def _add(a, b):
    if a is ZERO:
        return b
    if b is ZERO:
        return a
    return a + b


def _sub(a, b):
    if b is ZERO:
        return a
    if a is ZERO:
        return -b
    return a - b


def _mul(a, b):
    if a is ZERO or b is ZERO:
        return ZERO
    return a * b


def _neg(a):
    return ZERO if a is ZERO else -a


def _conj(a):
    return a if a is ZERO or isinstance(a, mp.mpf) else mp.conj(a)


def _sum(values):
    """Sum of an iterable of mpmath numbers (zeros skipped; ZERO when empty)."""
    terms = [v for v in values if v is not ZERO]
    if not terms:
        return ZERO
    if len(terms) == 1:
        return terms[0]
    return mp.fsum(terms)


def _dot(xs, ys):
    """Σ x·y over pairs with both factors non-zero (one rounding: mpmath fdot)."""
    pairs = [(x, y) for x, y in zip(xs, ys) if x is not ZERO and y is not ZERO]
    if not pairs:
        return ZERO
    if len(pairs) == 1:
        return pairs[0][0] * pairs[0][1]
    return mp.fdot(pairs)


def _nonzero(x: np.ndarray) -> np.ndarray:
    """Boolean mask of the elements that are not :data:`ZERO`."""
    return np.asarray(_IS_NONZERO(x), dtype=bool) if x.size else np.zeros(x.shape, dtype=bool)


_IS_NONZERO = np.frompyfunc(lambda v: v is not ZERO, 1, 1)


def _obj(x) -> np.ndarray:
    """``x`` as a numpy object array (0-d for scalars)."""
    if isinstance(x, np.ndarray) and x.dtype == object:
        return x
    out = np.empty(np.shape(x), dtype=object)
    out[...] = x
    return out


def _map(fn: Callable, *arrays) -> np.ndarray:
    """Elementwise ``fn`` over object arrays (numpy broadcasting)."""
    return _obj(np.frompyfunc(fn, len(arrays), 1)(*arrays))


def _is_complex_dtype(dtype) -> bool:
    return np.issubdtype(np.dtype(dtype), np.complexfloating)


def to_mp(x, dtype=None) -> np.ndarray:
    """Numbers (float64/complex128/int arrays, mpmath numbers, decimal strings, Fractions)
    as an object array of mpf/mpc, exactly (zeros: :data:`ZERO`; complex numbers with
    zero imaginary part may be mpf). ``dtype`` is accepted for symmetry and unused."""
    arr = x if isinstance(x, np.ndarray) else np.asarray(x, dtype=object if _has_mp(x) else None)

    def one(v):
        if isinstance(v, (mp.mpf, mp.mpc)):
            return ZERO if v == 0 else v
        if isinstance(v, str):  # a decimal, read at the working precision
            x = mp.mpmathify(v.strip())
        elif (
            hasattr(v, "numerator")
            and hasattr(v, "denominator")
            and not isinstance(v, (int, np.integer))
        ):
            x = mp.mpf(v.numerator) / v.denominator  # fractions.Fraction: exact ratio
        elif isinstance(v, (complex, np.complexfloating)):
            x = mpc(float(v.real), float(v.imag)) if v.imag != 0 else mp.mpf(float(v.real))
        elif isinstance(v, (bool, np.bool_, int, np.integer)):
            x = mp.mpf(int(v))
        else:
            x = mp.mpf(float(v))
        return ZERO if x == 0 else x

    return _map(one, arr)


def _has_mp(x) -> bool:
    if isinstance(x, (mp.mpf, mp.mpc)):
        return True
    if isinstance(x, (list, tuple)):
        return any(_has_mp(v) for v in x)
    return False


def to_float(x) -> np.ndarray:
    """An object array of mpmath numbers (or decimal strings, Fractions) rounded to
    float64 (complex128 if any is complex)."""
    arr = _obj(x)
    if any(isinstance(v, mp.mpc) for v in arr.flat):
        return np.array([complex(v) for v in arr.flat], dtype=np.complex128).reshape(arr.shape)
    return np.array(
        [float(mp.mpf(v) if isinstance(v, str) else v) for v in arr.flat], dtype=np.float64
    ).reshape(arr.shape)


def _real_result(fn):
    """A real-valued function with JAX semantics: NaN where mpmath would go complex."""

    def wrapped(*args):
        try:
            out = fn(*args)
        except (ZeroDivisionError, ValueError):
            return mp.nan
        if isinstance(out, mp.mpc):
            return out.real if out.imag == 0 else mp.nan
        return out

    return wrapped


def _complex_result(fn):
    def wrapped(*args):
        try:
            return fn(*args)
        except (ZeroDivisionError, ValueError):
            return mpc(mp.nan, mp.nan)

    return wrapped


def _div(a, b):
    if a is ZERO and b is not ZERO:
        return ZERO
    try:
        return a / b
    except ZeroDivisionError:
        if isinstance(a, mp.mpc) or isinstance(b, mp.mpc):
            return mpc(mp.nan, mp.nan)
        if a == 0 or mp.isnan(a):
            return mp.nan
        return mp.inf if (a > 0) == (not _negative_zero(b)) else -mp.inf


def _negative_zero(b) -> bool:
    # mpmath has no signed zero: 1/0 is +inf (JAX's 1/+0).
    return False


def _canonical(x):
    """mpmath number with zeros as :data:`ZERO` and real complex numbers as mpf."""
    if x == 0:
        return ZERO
    if isinstance(x, mp.mpc) and x.imag == 0:
        return x.real
    return x


def _cbrt(x):
    if isinstance(x, mp.mpc):
        return mp.cbrt(x)
    return mp.sign(x) * mp.cbrt(abs(x))


def _trunc(x):
    return mp.floor(x) if x >= 0 else mp.ceil(x)


def _rem(a, b):
    # C fmod: a - b * trunc(a / b), sign of a.
    if b == 0:
        return mp.nan
    return a - b * _trunc(a / b)


def _round(x, method):
    if method == 0:  # away from zero
        return mp.sign(x) * mp.floor(abs(x) + mp.mpf(0.5))
    return mp.nint(x)  # to nearest even


def _logistic(x):
    return 1 / (1 + mp.exp(-x))


# ---- linear algebra (batched over leading axes) -----------------------------------------


def _batched(fn, *arrays, core_ndims):
    """Apply ``fn`` to the trailing ``core_ndims`` axes of each array, looping over the rest."""
    batch_shape = arrays[0].shape[: arrays[0].ndim - core_ndims[0]]
    results = []
    for idx in np.ndindex(*batch_shape):
        results.append(fn(*[a[idx] for a in arrays]))
    if not batch_shape:
        return results[0]
    multiple = isinstance(results[0], tuple)
    if not multiple:
        results = [(r,) for r in results]
    outs = []
    for k in range(len(results[0])):
        part = np.stack([r[k] for r in results])
        outs.append(part.reshape(batch_shape + part.shape[1:]))
    return tuple(outs) if multiple else outs[0]


def _matrix(a: np.ndarray) -> mp.matrix:
    m = mp.matrix(a.shape[0], a.shape[1])
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            m[i, j] = a[i, j]
    return m


def _array(m: mp.matrix, complex_: bool) -> np.ndarray:
    out = np.empty((m.rows, m.cols), dtype=object)
    for i in range(m.rows):
        for j in range(m.cols):
            out[i, j] = _canonical(m[i, j])
    return out


def _cholesky(a: np.ndarray, complex_: bool) -> np.ndarray:
    n = a.shape[0]
    try:
        L = _array(mp.cholesky(_matrix(a)), complex_)
    except (ValueError, ZeroDivisionError):
        nan = mpc(mp.nan, mp.nan) if complex_ else mp.nan
        return _obj(np.full((n, n), nan, dtype=object))
    for i in range(n):
        for j in range(i + 1, n):
            L[i, j] = ZERO
    return L


def _triangular_solve(a, b, *, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    """Solve op(a) x = b (left) or x op(a) = b (right), a triangular."""
    A = a
    if conjugate_a:
        A = _map(_conj, A)
    if transpose_a:
        A = A.T
        lower = not lower
    if not left_side:
        # x A = b  <=>  Aᵀ xᵀ = bᵀ
        return _triangular_solve(
            A.T,
            b.T,
            left_side=True,
            lower=not lower,
            transpose_a=False,
            conjugate_a=False,
            unit_diagonal=unit_diagonal,
        ).T
    n, m = b.shape
    x = np.empty((n, m), dtype=object)
    rows = range(n) if lower else range(n - 1, -1, -1)
    for col in range(m):
        for i in rows:
            others = list(range(i) if lower else range(i + 1, n))
            s = _sub(b[i, col], _dot(A[i, others], x[others, col]))
            x[i, col] = s if unit_diagonal else _div(s, A[i, i])
    return x


def _eigh(a: np.ndarray, complex_: bool, sort: bool):
    n = a.shape[0]
    M = _matrix(a)
    try:
        E, Q = mp.eighe(M) if complex_ else mp.eigsy(M)
    except (RuntimeError, ValueError, ZeroDivisionError):
        # No convergence (e.g. NaN entries): NaN results, as LAPACK gives in JAX.
        nan = np.full(n, mp.nan, dtype=object)
        return _obj(np.full((n, n), mp.nan, dtype=object)), _obj(nan)
    w = [mp.re(E[i]) for i in range(n)]
    order = sorted(range(n), key=lambda i: w[i]) if sort else list(range(n))
    v = np.empty((n, n), dtype=object)
    for new, old in enumerate(order):
        for i in range(n):
            v[i, new] = _canonical(Q[i, old])
    return v, _obj(np.array([w[i] for i in order], dtype=object))


def _lu(a: np.ndarray):
    """LU with partial pivoting, LAPACK getrf conventions (as JAX's ``lu``)."""
    m, n = a.shape
    A = a.copy()
    k = min(m, n)
    pivots = np.zeros(k, dtype=np.int32)
    perm = np.arange(m, dtype=np.int32)
    for j in range(k):
        p = max(range(j, m), key=lambda i: abs(A[i, j]))
        pivots[j] = p
        if p != j:
            A[[j, p], :] = A[[p, j], :]
            perm[[j, p]] = perm[[p, j]]
        if A[j, j] != 0:
            for i in range(j + 1, m):
                A[i, j] = A[i, j] / A[j, j]
                for c in range(j + 1, n):
                    A[i, c] = A[i, c] - A[i, j] * A[j, c]
    return A, pivots, perm


# ---- structural primitives on numpy arrays (object or integer) -------------------------


def _broadcast_in_dim(x, *, shape, broadcast_dimensions, **_):
    expanded = [1] * len(shape)
    for src, dst in enumerate(broadcast_dimensions):
        expanded[dst] = x.shape[src]
    return np.broadcast_to(x.reshape(expanded), shape)


def _pad(x, value, *, padding_config, **_):
    for axis, (lo, hi, interior) in enumerate(padding_config):
        n = x.shape[axis]
        if interior > 0 and n > 1:
            shape = list(x.shape)
            shape[axis] = n + (n - 1) * interior
            y = np.empty(shape, dtype=x.dtype)
            y[...] = value
            index = [slice(None)] * x.ndim
            index[axis] = slice(None, None, interior + 1)
            y[tuple(index)] = x
            x = y
        parts = []
        for amount in (lo, hi):
            shape = list(x.shape)
            shape[axis] = max(amount, 0)
            block = np.empty(shape, dtype=x.dtype)
            block[...] = value
            parts.append(block)
        x = np.concatenate([parts[0], x, parts[1]], axis=axis)
        index = [slice(None)] * x.ndim
        index[axis] = slice(max(-lo, 0), x.shape[axis] - max(-hi, 0))
        x = x[tuple(index)]
    return x


def _clamped_starts(shape, sizes, starts):
    return [min(max(int(s), 0), n - k) for s, n, k in zip(starts, shape, sizes)]


def _dynamic_slice(x, *starts, slice_sizes, **_):
    starts = _clamped_starts(x.shape, slice_sizes, starts)
    return x[tuple(slice(s, s + k) for s, k in zip(starts, slice_sizes))]


def _dynamic_update_slice(x, update, *starts, **_):
    starts = _clamped_starts(x.shape, update.shape, starts)
    out = x.copy()
    out[tuple(slice(s, s + k) for s, k in zip(starts, update.shape))] = update
    return out


def _select_n(pred, *cases, **_):
    pred = np.asarray(pred)
    if pred.dtype == bool:
        pred = pred.astype(np.int32)
    return np.choose(pred, np.broadcast_arrays(*cases)) if pred.ndim else cases[int(pred)]


def _split(x, *, sizes, axis, **_):
    return list(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


#: numpy implementations of structural primitives (others use index maps through JAX).
NUMPY_STRUCTURAL: dict[str, Callable] = {
    "broadcast_in_dim": _broadcast_in_dim,
    "reshape": lambda x, *, new_sizes, **_: np.reshape(x, new_sizes),
    "squeeze": lambda x, *, dimensions, **_: np.squeeze(x, axis=tuple(dimensions)),
    "expand_dims": lambda x, *, dimensions, **_: np.expand_dims(x, tuple(dimensions)),
    "transpose": lambda x, *, permutation, **_: np.transpose(x, permutation),
    "slice": lambda x, *, start_indices, limit_indices, strides, **_: x[
        tuple(
            slice(a, b, c) for a, b, c in zip(start_indices, limit_indices, strides or [1] * x.ndim)
        )
    ],
    "rev": lambda x, *, dimensions, **_: np.flip(x, axis=tuple(dimensions)),
    "concatenate": lambda *xs, dimension, **_: np.concatenate(xs, axis=dimension),
    "pad": _pad,
    "dynamic_slice": _dynamic_slice,
    "dynamic_update_slice": _dynamic_update_slice,
    "select_n": _select_n,
    "split": _split,
    "copy": lambda x, **_: x,
    "copy_p": lambda x, **_: x,
}


def _iota(*, dtype, shape, dimension, **_):
    ar = np.arange(shape[dimension], dtype=dtype)
    expanded = [1] * len(shape)
    expanded[dimension] = shape[dimension]
    return np.broadcast_to(ar.reshape(expanded), shape)


def _int_div(a, b):
    q = np.abs(a) // np.where(b == 0, 1, np.abs(b))
    return np.where(b == 0, 0, np.sign(a) * np.sign(b) * q)


#: numpy implementations of integer/boolean primitives (others run through JAX).
NUMPY_INTEGER: dict[str, Callable] = {
    "iota": _iota,
    "add": lambda a, b, **_: a + b,
    "sub": lambda a, b, **_: a - b,
    "mul": lambda a, b, **_: a * b,
    "div": lambda a, b, **_: _int_div(a, b),
    "rem": lambda a, b, **_: np.fmod(a, np.where(b == 0, 1, b)),
    "neg": lambda a, **_: -a,
    "abs": lambda a, **_: np.abs(a),
    "sign": lambda a, **_: np.sign(a),
    "max": lambda a, b, **_: np.maximum(a, b),
    "min": lambda a, b, **_: np.minimum(a, b),
    "clamp": lambda lo, x, hi, **_: np.minimum(np.maximum(x, lo), hi),
    "eq": lambda a, b, **_: a == b,
    "ne": lambda a, b, **_: a != b,
    "lt": lambda a, b, **_: a < b,
    "le": lambda a, b, **_: a <= b,
    "gt": lambda a, b, **_: a > b,
    "ge": lambda a, b, **_: a >= b,
    "and": lambda a, b, **_: a & b,
    "or": lambda a, b, **_: a | b,
    "xor": lambda a, b, **_: a ^ b,
    "not": lambda a, **_: ~a,
    "convert_element_type": lambda a, *, new_dtype, **_: a.astype(new_dtype),
}


# ---- the interpreter ------------------------------------------------------------------------------


class MPInterpreter(Interpreter):
    """Evaluates jaxprs on mpmath numbers at the current mpmath precision."""

    name = "mpmath evaluation"
    concrete = True

    def __init__(self, *, exact_constants: bool = True):
        self.exact_constants = exact_constants
        self.rules = _rules(self)
        self._index_maps: dict[Any, Any] = {}

    # ---- values ----------------------------------------------------------------------------

    def literal(self, value, aval):
        if isinstance(value, jax.core.Tracer):
            raise TypeError(
                "mpmath evaluation needs concrete values, but the traced function closes "
                "over a JAX tracer: call it outside jit/vmap."
            )
        dtype = aval.dtype
        arr = np.asarray(value, dtype=dtype)
        if not is_inexact(dtype):
            return arr
        if not self.exact_constants:
            return to_mp(arr, dtype)
        with np.errstate(invalid="ignore"):
            if _is_complex_dtype(dtype):
                return _map(
                    lambda z: _canonical(mp.mpc(constant_value(z.real), constant_value(z.imag))),
                    arr,
                )
            return _map(lambda x: _canonical(constant_value(x)), arr)

    def raw(self, val):
        return val

    def take(self, val, i):
        return val[i]

    def stack(self, vals, aval):
        if not vals:
            return np.empty(aval.shape, dtype=object if is_inexact(aval.dtype) else aval.dtype)
        return np.stack(vals)

    def structural(self, eqn, invals, positions):
        out_avals = [v.aval for v in eqn.outvars]
        fast = NUMPY_STRUCTURAL.get(eqn.primitive.name)
        if fast is not None:
            out = fast(*[np.asarray(v) for v in invals], **eqn.params)
            return out if eqn.primitive.multiple_results else np.asarray(out)
        if not is_inexact(out_avals[0].dtype):
            return self.exact_integer(eqn, invals)
        key = (id(eqn),) + tuple(
            (i, np.asarray(v).tobytes()) for i, v in enumerate(invals) if i not in positions
        )
        cached = self._index_maps.get(key)
        if cached is None:
            operands = list(invals)
            offset = 1  # 0 marks "no element" (fill values of gathers out of bounds)
            for i in positions:
                size = int(np.prod(np.shape(invals[i]), dtype=np.int64))
                operands[i] = np.arange(offset, offset + size, dtype=np.int64).reshape(
                    np.shape(invals[i])
                )
                offset += size
            params = dict(eqn.params)
            if eqn.primitive.name == "gather":
                params["fill_value"] = 0
            outs = eqn.primitive.bind(*operands, **params)
            outs = outs if eqn.primitive.multiple_results else [outs]
            cached = (eqn, [np.asarray(o) for o in outs])
            self._index_maps[key] = cached
        _, maps = cached
        nan = mpc(mp.nan, mp.nan) if _is_complex_dtype(out_avals[0].dtype) else mp.nan
        flat = np.concatenate(
            [np.array([nan], dtype=object)] + [_obj(invals[i]).ravel() for i in positions]
        )
        res = [_obj(flat[m]) for m in maps]
        return res if eqn.primitive.multiple_results else res[0]

    def exact_integer(self, eqn, invals):
        """Integer/boolean equations: numpy, or JAX itself (exact)."""
        fast = NUMPY_INTEGER.get(eqn.primitive.name)
        if fast is not None and not is_inexact(eqn.outvars[0].aval.dtype):
            out = fast(*[np.asarray(v) for v in invals], **eqn.params)
            return np.asarray(out, dtype=eqn.outvars[0].aval.dtype)
        out = eqn.primitive.bind(*[np.asarray(v) for v in invals], **eqn.params)
        if eqn.primitive.multiple_results:
            return [self._from_jax(o, v.aval) for o, v in zip(out, eqn.outvars)]
        return self._from_jax(out, eqn.outvars[0].aval)

    def _from_jax(self, out, aval):
        arr = np.asarray(out)
        if is_inexact(aval.dtype):
            return to_mp(arr, aval.dtype)  # exact: computed from integers only
        return arr

    def apply(self, eqn, invals):
        name = eqn.primitive.name
        if (
            name not in ("cond", "while", "scan", "custom_linear_solve")
            and name not in _CALLS
            and not any(is_inexact(v.aval.dtype) for v in eqn.invars)
        ):
            return self.exact_integer(eqn, invals)
        return super().apply(eqn, invals)


_CALLS = frozenset(
    {
        "jit",
        "pjit",
        "remat",
        "remat2",
        "checkpoint",
        "closed_call",
        "core_call",
        "custom_jvp_call",
        "custom_vjp_call",
        "custom_vjp_call_jaxpr",
    }
)


def _rules(interp: MPInterpreter) -> dict[str, Callable]:
    r: dict[str, Callable] = {}

    def out_complex(eqn, k=0):
        return _is_complex_dtype(eqn.outvars[k].aval.dtype)

    def elementwise(real_fn, complex_fn=None):
        real = _real_result(real_fn)
        cplx = _complex_result(complex_fn or real_fn)

        def rule(eqn, *invals):
            fn = cplx if out_complex(eqn) else real
            return _map(fn, *[_obj(v) for v in invals])

        return rule

    def fast(fn):
        # Arithmetic that cannot fail: no NaN wrapper, zeros skipped by identity.
        ufunc = np.frompyfunc(fn, fn.__code__.co_argcount, 1)
        return lambda eqn, *invals: _obj(ufunc(*invals))

    r["add"] = r["add_any"] = fast(_add)
    r["sub"] = fast(_sub)
    r["mul"] = fast(_mul)
    r["div"] = elementwise(_div)
    r["neg"] = fast(_neg)
    r["max"] = elementwise(lambda a, b: a if a >= b else b)
    r["min"] = elementwise(lambda a, b: a if a <= b else b)
    r["clamp"] = elementwise(lambda lo, x, hi: lo if x < lo else (hi if x > hi else x))
    r["rem"] = elementwise(_rem)
    r["exp"] = elementwise(mp.exp)
    r["exp2"] = elementwise(lambda x: mp.power(2, x))
    r["log"] = elementwise(mp.log)
    r["log1p"] = elementwise(mp.log1p)
    r["expm1"] = elementwise(mp.expm1)
    r["sin"] = elementwise(mp.sin)
    r["cos"] = elementwise(mp.cos)
    r["tan"] = elementwise(mp.tan)
    r["asin"] = elementwise(mp.asin)
    r["acos"] = elementwise(mp.acos)
    r["atan"] = elementwise(mp.atan)
    r["sinh"] = elementwise(mp.sinh)
    r["cosh"] = elementwise(mp.cosh)
    r["tanh"] = elementwise(mp.tanh)
    r["asinh"] = elementwise(mp.asinh)
    r["acosh"] = elementwise(mp.acosh)
    r["atanh"] = elementwise(mp.atanh)
    r["atan2"] = elementwise(mp.atan2)
    r["sqrt"] = elementwise(mp.sqrt)
    r["rsqrt"] = elementwise(lambda x: 1 / mp.sqrt(x))
    r["cbrt"] = elementwise(_cbrt)
    r["logistic"] = elementwise(_logistic)
    r["erf"] = elementwise(mp.erf)
    r["erfc"] = elementwise(mp.erfc)
    r["lgamma"] = elementwise(lambda x: mp.loggamma(x).real if x > 0 else mp.log(abs(mp.gamma(x))))
    r["digamma"] = elementwise(mp.digamma)
    r["square"] = elementwise(lambda x: x * x)
    r["pow"] = elementwise(lambda a, b: mp.power(a, b))
    r["sign"] = elementwise(mp.sign)
    r["floor"] = elementwise(mp.floor)
    r["ceil"] = elementwise(mp.ceil)
    r["conj"] = fast(_conj)
    r["abs"] = elementwise(abs)

    def integer_pow(eqn, a):
        n = eqn.params["y"]
        fn = _complex_result if out_complex(eqn) else _real_result
        return _map(fn(lambda x: x**n), _obj(a))

    r["integer_pow"] = integer_pow

    def round_(eqn, a):
        method = int(eqn.params.get("rounding_method", 0))
        return _map(lambda x: _round(x, method), _obj(a))

    r["round"] = round_

    def real_part(z):
        return z if z is ZERO or isinstance(z, mp.mpf) else _canonical(z.real)

    def imag_part(z):
        return ZERO if z is ZERO or isinstance(z, mp.mpf) else _canonical(z.imag)

    r["real"] = fast(real_part)
    r["imag"] = fast(imag_part)

    def make_complex(x, y):
        return x if y is ZERO else mp.mpc(x, y)

    r["complex"] = fast(make_complex)

    def compare(op):
        def rule(eqn, a, b):
            return np.asarray(_map(op, _obj(a), _obj(b)), dtype=bool)

        return rule

    r["eq"] = compare(lambda a, b: a == b)
    r["ne"] = compare(lambda a, b: a != b)
    r["lt"] = compare(lambda a, b: a < b)
    r["le"] = compare(lambda a, b: a <= b)
    r["gt"] = compare(lambda a, b: a > b)
    r["ge"] = compare(lambda a, b: a >= b)
    r["is_finite"] = lambda eqn, a: np.asarray(
        _map(lambda x: bool(mp.isfinite(x)), _obj(a)), dtype=bool
    )

    def convert(eqn, a):
        new = np.dtype(eqn.params["new_dtype"])
        if a.dtype != object:  # integers and booleans
            return to_mp(a, new) if is_inexact(new) else a.astype(new)
        if _is_complex_dtype(new):
            return a
        if is_inexact(new):
            return _map(
                lambda v: v if v is ZERO or isinstance(v, mp.mpf) else _canonical(mp.re(v)), a
            )
        if np.dtype(new) == np.bool_:
            return np.asarray(_map(lambda v: bool(v != 0), a), dtype=bool)
        return np.asarray(
            _map(lambda v: int(_trunc(mp.re(v))) if mp.isfinite(v) else 0, a), dtype=new
        )

    r["convert_element_type"] = convert

    def dot_general(eqn, a, b):
        (ca, cb), (ba, bb) = eqn.params["dimension_numbers"]
        a, b = _obj(a), _obj(b)
        fa = [i for i in range(a.ndim) if i not in ca and i not in ba]
        fb = [i for i in range(b.ndim) if i not in cb and i not in bb]
        A = np.transpose(a, list(ba) + fa + list(ca))
        B = np.transpose(b, list(bb) + list(cb) + fb)
        nb = int(np.prod([a.shape[i] for i in ba], dtype=np.int64))
        m = int(np.prod([a.shape[i] for i in fa], dtype=np.int64))
        k = int(np.prod([a.shape[i] for i in ca], dtype=np.int64))
        n = int(np.prod([b.shape[i] for i in fb], dtype=np.int64))
        A = A.reshape(nb, m, k)
        B = B.reshape(nb, k, n)
        C = np.empty((nb, m, n), dtype=object)
        C[...] = ZERO
        if k:
            nz_a, nz_b = _nonzero(A), _nonzero(B)
            # Only the outputs that receive a product of two non-zeros are computed.
            hits = np.matmul(nz_a.astype(np.int64), nz_b.astype(np.int64))
            for bi, i, j in zip(*np.nonzero(hits)):
                ks = np.nonzero(nz_a[bi, i] & nz_b[bi, :, j])[0]
                C[bi, i, j] = _dot(A[bi, i, ks], B[bi, ks, j])
        shape = [a.shape[i] for i in ba] + [a.shape[i] for i in fa] + [b.shape[i] for i in fb]
        return C.reshape(shape)

    r["dot_general"] = dot_general

    def reduction(np_fn, empty):
        def rule(eqn, a):
            a = _obj(a)
            axes = tuple(eqn.params["axes"])
            if not axes:
                return a
            if a.size == 0:
                shape = [s for i, s in enumerate(a.shape) if i not in axes]
                return _obj(np.full(shape, empty(eqn), dtype=object))
            return _obj(np_fn(a, axis=axes))

        return rule

    zero = lambda eqn: ZERO  # noqa: E731

    def sum_axes(a, axis):
        keep = [i for i in range(a.ndim) if i not in axis]
        moved = np.transpose(a, keep + list(axis)).reshape([a.shape[i] for i in keep] + [-1])
        out = np.empty(moved.shape[:-1], dtype=object)
        for idx in np.ndindex(*out.shape):
            out[idx] = _sum(moved[idx])
        return out

    r["reduce_sum"] = reduction(sum_axes, zero)
    r["reduce_prod"] = reduction(np.prod, lambda eqn: mp.mpf(1))
    r["reduce_max"] = reduction(np.max, lambda eqn: -mp.inf)
    r["reduce_min"] = reduction(np.min, lambda eqn: mp.inf)

    def arg_reduction(np_fn):
        def rule(eqn, a):
            axis = eqn.params["axes"][0]
            return np.asarray(np_fn(_obj(a), axis=axis), dtype=eqn.params["index_dtype"])

        return rule

    r["argmax"], r["argmin"] = arg_reduction(np.argmax), arg_reduction(np.argmin)

    def cumulative(np_fn):
        def rule(eqn, a):
            a = _obj(a)
            axis, reverse = eqn.params["axis"], eqn.params["reverse"]
            if reverse:
                a = np.flip(a, axis)
            out = _obj(np_fn(a, axis=axis))
            return np.flip(out, axis) if reverse else out

        return rule

    r["cumsum"] = cumulative(np.cumsum)
    r["cumprod"] = cumulative(np.cumprod)
    r["cummax"] = cumulative(lambda a, axis: np.maximum.accumulate(a, axis=axis))
    r["cummin"] = cumulative(lambda a, axis: np.minimum.accumulate(a, axis=axis))

    def sort(eqn, *invals):
        if eqn.params["num_keys"] != 1:
            from ._interpret import UnsupportedPrimitiveError

            raise UnsupportedPrimitiveError(
                f"{interp.name}: 'sort' with num_keys={eqn.params['num_keys']} is not supported."
            )
        dim = eqn.params["dimension"]
        keys = invals[0]
        order = np.argsort(keys, axis=dim, kind="stable")
        return [np.take_along_axis(v, order, axis=dim) for v in invals]

    r["sort"] = sort

    def scatter_add(eqn, operand, indices, updates):
        # Where each update lands: the transpose of scatter-add (a gather) applied to
        # the operand's element numbers 1..size (0: dropped out of bounds).
        operand, updates = _obj(operand), _obj(updates)
        p = eqn.primitive

        def lin(u):
            return p.bind(jnp.zeros(operand.shape), indices, u, **eqn.params)

        numbers = jnp.arange(1, operand.size + 1, dtype=jnp.float64).reshape(operand.shape)
        (dest,) = jax.linear_transpose(lin, jnp.zeros(updates.shape))(numbers)
        dest = np.asarray(dest).astype(np.int64).ravel()
        out = operand.copy().ravel()
        for u, d in zip(updates.ravel(), dest):
            if d > 0:
                out[d - 1] = out[d - 1] + u
        return out.reshape(operand.shape)

    r["scatter-add"] = r["scatter_add"] = scatter_add

    def cholesky(eqn, a):
        complex_ = out_complex(eqn)
        return _batched(lambda m: _cholesky(m, complex_), _obj(a), core_ndims=(2,))

    r["cholesky"] = cholesky

    def triangular_solve(eqn, a, b):
        p = eqn.params
        kw = dict(
            left_side=p["left_side"],
            lower=p["lower"],
            transpose_a=p["transpose_a"],
            conjugate_a=p["conjugate_a"],
            unit_diagonal=p["unit_diagonal"],
        )
        res = _batched(
            lambda A, B: _triangular_solve(A, B, **kw), _obj(a), _obj(b), core_ndims=(2, 2)
        )
        return res

    r["triangular_solve"] = triangular_solve

    def eigh(eqn, a):
        # JAX reads one triangle (``lower``); mpmath reads the whole matrix.
        complex_ = _is_complex_dtype(eqn.invars[0].aval.dtype)
        sort_ = eqn.params.get("sort_eigenvalues", True)
        a = _obj(a)
        tri = np.tril(np.ones(a.shape[-2:], dtype=bool))
        if not eqn.params.get("lower", True):
            tri = tri.T

        def one(m):
            herm = np.where(tri, m, _map(mp.conj, m).T)
            return _eigh(_obj(herm), complex_, sort_)

        return list(_batched(one, a, core_ndims=(2,)))

    r["eigh"] = eigh

    def lu(eqn, a):
        return list(_batched(_lu, _obj(a), core_ndims=(2,)))

    r["lu"] = lu
    return r


# ---- evaluating a function ------------------------------------------------------------------


def evaluate(closed_jaxpr, args, *, dps: int, exact_constants: bool = True, interpreter=None):
    """Evaluate ``closed_jaxpr`` on ``args`` (float64 arrays or mpmath object arrays)
    at ``dps`` significant digits. Returns the flat list of outputs (object arrays)."""
    interp = interpreter or MPInterpreter(exact_constants=exact_constants)
    with mp.workdps(dps):
        ins = []
        for x, var in zip(args, closed_jaxpr.jaxpr.invars):
            dtype = var.aval.dtype
            ins.append(to_mp(x, dtype) if is_inexact(dtype) else np.asarray(x, dtype=dtype))
        return interp.run(closed_jaxpr, *ins)
