"""Float64 range errors in a JAX function: overflow and underflow in any intermediate.

A float64 result can be wrong without being inaccurate in the rounding sense: an
intermediate that *overflows* to ±inf and is then divided into (``x / inf = 0``), or
that *underflows* (XLA flushes subnormals to zero on CPU, so anything below
2.2e-308 becomes 0) and is then multiplied by a large factor, changes the answer by far
more than any rounding bound says, while the final numbers look finite and clean. Two
examples that motivated this module:

- ``jax.grad(jax.grad(lambda t: 1 / t**2))(5e57)`` is -3.2e-231 instead of +9.6e-231:
  JAX's derivative of a quotient divides by a power of the denominator, (t²)³ = inf
  inside XLA's ``integer_pow``, so a term becomes 0 and is then multiplied by t⁴;
- KKLT at T = 9000: e^{-aT} underflows to 0, so V, ∇V and the natural scale of V are
  exactly 0 and the point looks like a perfect Minkowski vacuum.

``range_checked(fun)(*args) -> (outputs, flags)`` evaluates ``fun`` (traced with
``jax.make_jaxpr``, walked by :class:`RangeInterpreter`; framework:
:mod:`jaxvac._interpret`) and returns, for every output element, a bit mask of the
range events in the intermediates it depends on:

- :data:`OVERFLOW` (2): a non-finite value (inf/NaN) was *absorbed* into a finite
  one: a quotient, a power, ``rsqrt``, ``exp``, a saturating function (``tanh``,
  ``logistic``, ``atan``, ``erf``), ``min``/``max``/``clamp`` or a comparison received
  a non-finite operand and gave a finite result. (A non-finite value that reaches an
  output unabsorbed is visible there, and callers treat it as non-finite.)
- :data:`UNDERFLOW` (1): an operation whose exact result is non-zero returned a value
  below the smallest normal float64, 0 included: a product or quotient of non-zero
  finite numbers, a power of a non-zero number, ``exp``/``exp2``/``logistic``/``erfc``
  of a finite number, a dot product of non-zero vectors whose terms are all below
  2.2e-308/ε. Sums are not watched: a sum that cancels below 2.2e-308 has a rounding
  error of at least ε times its terms, which the rounding model already counts.

Flags propagate like data: element-wise operations combine their operands' flags
element by element, ``select_n`` (``jnp.where``) takes the flags of the case it selects
(and those of its predicate), structural operations move flags with their elements,
and any other operation (dot products, reductions, linear algebra, sorts) gives every
output element the flags of all its operands; loops carry flags with their state. So
an inf or an underflow in the branch of a ``jnp.where`` that is not taken raises
nothing, while one that any output depends on is never lost.

A flag says that something was lost, not that it mattered — a term flushed to 0 may
have been negligible. :func:`jaxvac.analyse_point` decides that: an absorbed overflow
always matters, an underflow where the quantity it feeds has a rounding error below
2.2e-308/ε (docs/numerics.md, "Range errors"); the remedy for such a point is the same
computation at N digits (``--digits``), where there is no range to leave.
"""

from __future__ import annotations

import functools
from functools import partial
from typing import NamedTuple

import jax
import jax.core
import numpy as np
from jax import lax

from ._config import EPS
from ._interpret import IDENTITY, Interpreter, is_inexact

#: Bit set where an intermediate with a non-zero exact value underflowed (< TINY).
UNDERFLOW = 1
#: Bit set where a non-finite intermediate was absorbed into a finite value.
OVERFLOW = 2
#: Smallest normal float64: anything smaller is flushed to 0 by XLA on CPU.
TINY = float(np.finfo(np.float64).tiny)
#: Dot products whose terms are all below this cannot be told from flushed ones.
SMALL_TERMS = TINY / EPS
#: Names of the bits, for messages.
NAMES = {OVERFLOW: "overflow", UNDERFLOW: "underflow"}

_FLAG = np.uint8

#: Primitives computed element by element: flags combine element by element.
ELEMENTWISE = frozenset(
    {
        "add",
        "add_any",
        "sub",
        "mul",
        "div",
        "rem",
        "pow",
        "integer_pow",
        "max",
        "min",
        "neg",
        "abs",
        "sign",
        "exp",
        "exp2",
        "log",
        "log1p",
        "expm1",
        "sqrt",
        "rsqrt",
        "cbrt",
        "square",
        "sin",
        "cos",
        "tan",
        "asin",
        "acos",
        "atan",
        "atan2",
        "sinh",
        "cosh",
        "tanh",
        "asinh",
        "acosh",
        "atanh",
        "logistic",
        "erf",
        "erfc",
        "erf_inv",
        "lgamma",
        "digamma",
        "real",
        "imag",
        "conj",
        "complex",
        "convert_element_type",
        "floor",
        "ceil",
        "round",
        "is_finite",
        "nextafter",
        "clamp",
        "reduce_precision",
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
        "copysign",
    }
)

#: Element-wise primitives that can turn a non-finite operand into a finite result.
ABSORBING = frozenset(
    {
        "div",
        "rem",
        "pow",
        "integer_pow",
        "rsqrt",
        "exp",
        "exp2",
        "tanh",
        "logistic",
        "atan",
        "atan2",
        "erf",
        "erfc",
        "max",
        "min",
        "clamp",
        "sign",
        "is_finite",
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
    }
)

#: Primitives whose exact result is non-zero when their operands are finite and the
#: listed ones non-zero.
NONZERO_RESULT = {
    "mul": (0, 1),
    "div": (0,),
    "integer_pow": (0,),
    "pow": (0,),
    "square": (0,),
    "exp": (),
    "exp2": (),
    "logistic": (),
    "erfc": (),
}


class Ranged(NamedTuple):
    """A value and the range flags of its elements (None: none can be set)."""

    value: jax.Array | np.ndarray
    flags: jax.Array | None


def _shape(x) -> tuple[int, ...]:
    return tuple(np.shape(x))


def _zeros(shape):
    return lax.full(shape, 0, _FLAG)


def _flags(x: Ranged, shape) -> jax.Array:
    if x.flags is None:
        return _zeros(shape)
    return lax.broadcast_in_dim(x.flags, shape, ()) if np.ndim(x.flags) == 0 and shape else x.flags


def _or(first, *rest) -> jax.Array:
    """Bitwise OR of flags of one shape."""
    out = first
    for f in rest:
        out = lax.bitwise_or(out, f)
    return out


def _combine(*flags) -> jax.Array | None:
    """Bitwise OR of flags of one shape (None ignored; None if all are None)."""
    present = [f for f in flags if f is not None]
    return _or(*present) if present else None


def _any(flags):
    """All bits set anywhere in ``flags``, as a scalar."""
    if np.ndim(flags) == 0:
        return flags
    return lax.reduce(flags, np.array(0, _FLAG), lax.bitwise_or, tuple(range(np.ndim(flags))))


def _bit(condition, bit):
    """``bit`` where ``condition`` holds, else 0 (uint8, the shape of ``condition``)."""
    flag = lax.convert_element_type(condition, _FLAG)
    return flag if bit == 1 else lax.shift_left(flag, np.array(bit.bit_length() - 1, _FLAG))


def _dtype(x):
    return x.dtype if hasattr(x, "dtype") else np.result_type(x)


def _magnitude(x):
    return lax.abs(x)


def _is_finite(x):
    """Element-wise finiteness of a real or complex array."""
    if np.issubdtype(_dtype(x), np.complexfloating):
        return lax.bitwise_and(lax.is_finite(lax.real(x)), lax.is_finite(lax.imag(x)))
    return lax.is_finite(x)


class RangeInterpreter(Interpreter):
    """Propagates :class:`Ranged` values through a jaxpr (see the module docstring)."""

    name = "range check"
    concrete = False

    def __init__(self):
        self.rules = _Rules(self._rule)

    def literal(self, value, aval):
        if isinstance(value, jax.core.Tracer):
            return Ranged(value, None)
        return Ranged(np.asarray(value, aval.dtype), None)

    def raw(self, val):
        return val.value

    def normalise(self, val, aval):
        return Ranged(val.value, _flags(val, aval.shape))

    def structural(self, eqn, invals, positions):
        values = [x.value for x in invals]
        multiple = eqn.primitive.multiple_results
        outs = eqn.primitive.bind(*values, **eqn.params)
        outs = outs if multiple else [outs]
        if all(invals[i].flags is None for i in positions):
            flags = [None] * len(outs)
        else:
            operands = list(values)
            for i in positions:
                operands[i] = _flags(invals[i], _shape(values[i]))
            flags = eqn.primitive.bind(*operands, **eqn.params)
            flags = flags if multiple else [flags]
        # select_n's predicate, gather's and dynamic_slice's indices: flags spread.
        extra = [
            _any(x.flags)
            for i, x in enumerate(invals)
            if i not in positions and x.flags is not None
        ]
        if extra:
            spread = _or(*extra)
            flags = [
                _combine(f, lax.broadcast_in_dim(spread, _shape(o), ()))
                for f, o in zip(flags, outs)
            ]
        res = [Ranged(o, f) for o, f in zip(outs, flags)]
        return res if multiple else res[0]

    def _rule(self, eqn, *invals):
        name = eqn.primitive.name
        values = [x.value for x in invals]
        outs = eqn.primitive.bind(*values, **eqn.params)
        multiple = eqn.primitive.multiple_results
        out_list = outs if multiple else [outs]
        if name in ELEMENTWISE and not multiple:
            v = out_list[0]
            shape = _shape(v)
            inherited = [_flags(x, shape) for x in invals if x.flags is not None]
            return Ranged(v, _combine(*inherited, _elementwise_events(name, values, v)))
        # Any other operation: each output element depends on every operand element.
        spread = _combine(
            *[_any(x.flags) for x in invals if x.flags is not None],
            _global_events(eqn, values, out_list),
        )
        res = [
            Ranged(o, None if spread is None else lax.broadcast_in_dim(spread, _shape(o), ()))
            for o in out_list
        ]
        return res if multiple else res[0]


class _Rules(dict):
    """Every primitive that is not structural or control flow goes to one rule."""

    def __init__(self, rule):
        super().__init__()
        self._rule = rule

    def get(self, name, default=None):
        return self._rule


def _inexact(x) -> bool:
    return is_inexact(_dtype(x))


def _literal(x):
    """The value of a literal operand (a concrete scalar), else None."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        return x.item()
    return None


def _cannot_underflow(name, values) -> bool:
    """Statically safe: a factor that is a literal of size >= 1 (a divisor <= 1) cannot
    take a result below TINY unless the other operand already is (flagged there)."""
    if name == "mul":
        return any(c is not None and abs(c) >= 1 for c in map(_literal, values))
    if name == "div":
        c = _literal(values[1])
        return c is not None and 0 < abs(c) <= 1
    return False


def _elementwise_events(name, values, v):
    """Range-event flags of one element-wise operation (None when none can occur)."""
    events = None
    if name in ABSORBING:
        nonfinite_in = [lax.bitwise_not(_is_finite(x)) for x in values if _inexact(x)]
        if nonfinite_in:
            absorbed = nonfinite_in[0]
            for m in nonfinite_in[1:]:
                absorbed = lax.bitwise_or(absorbed, m)
            if _inexact(v):
                absorbed = lax.bitwise_and(absorbed, _is_finite(v))
            events = _bit(absorbed, OVERFLOW)
    if name in NONZERO_RESULT and _inexact(v) and not _cannot_underflow(name, values):
        # Exact result non-zero (the listed operands non-zero; a non-finite operand
        # either gives a non-finite result or is flagged as absorbed), computed as one
        # below the smallest normal number.
        cond = lax.lt(_magnitude(v), np.array(TINY, np.float64))
        for i in NONZERO_RESULT[name]:
            c = _literal(values[i])
            if c is None:
                cond = lax.bitwise_and(cond, lax.ne(values[i], np.zeros((), _dtype(values[i]))))
            elif c == 0:
                return events
        events = _combine(events, _bit(cond, UNDERFLOW))
    return events


def _global_events(eqn, values, outs):
    """Range events of a non-element-wise operation, as a scalar (None if none)."""
    if eqn.primitive.name != "dot_general" or not all(_inexact(x) for x in values):
        return None
    (v,) = outs
    a, b = values
    if np.size(v) == 0:
        return None
    params = dict(eqn.params, preferred_element_type=np.float64)

    def dot(x, y):
        return eqn.primitive.bind(
            lax.convert_element_type(x, np.float64),
            lax.convert_element_type(y, np.float64),
            **params,
        )

    # Flushed products: an entry below TINY whose terms are all small, from non-zero
    # operand pairs.
    zero_a = np.zeros((), _dtype(a))
    zero_b = np.zeros((), _dtype(b))
    flushed = lax.bitwise_and(
        lax.bitwise_and(
            lax.lt(_magnitude(v), np.array(TINY, np.float64)),
            lax.lt(dot(_magnitude(a), _magnitude(b)), np.array(SMALL_TERMS, np.float64)),
        ),
        lax.gt(dot(lax.ne(a, zero_a), lax.ne(b, zero_b)), np.array(0.0)),
    )
    return _bit(_any(flushed), UNDERFLOW)


_INTERPRETER: RangeInterpreter | None = None


def _interpreter() -> RangeInterpreter:
    global _INTERPRETER
    if _INTERPRETER is None:
        _INTERPRETER = RangeInterpreter()
    return _INTERPRETER


def range_checked(fun):
    """``range_checked(fun)(*args) -> (outputs, flags)``: ``fun``'s outputs and, for each
    output element, the bit mask (uint8) of range events (:data:`OVERFLOW`,
    :data:`UNDERFLOW`) in the intermediates it depends on. The outputs are computed by
    the same primitives as ``fun``'s. Works under ``jit``/``vmap``."""

    def wrapped(*args):
        closed, out_shape = jax.make_jaxpr(fun, return_shape=True)(*args)
        ins = [Ranged(x, None) for x in jax.tree.leaves(args)]
        outs = _interpreter().run(closed, *ins)
        treedef = jax.tree.structure(out_shape)
        values = [o.value for o in outs]
        flags = [_flags(o, _shape(o.value)) for o in outs]
        return jax.tree.unflatten(treedef, values), jax.tree.unflatten(treedef, flags)

    return wrapped


def any_flags(flags) -> jax.Array:
    """The bits set anywhere in a pytree of flag arrays, as one uint8 scalar."""
    leaves = [_any(f) for f in jax.tree.leaves(flags)]
    return _or(*leaves) if leaves else _zeros(())


def describe(mask) -> list[str]:
    """Names of the range events in a flag mask: e.g. ``["overflow", "underflow"]``."""
    mask = int(np.asarray(mask))
    return [name for bit, name in NAMES.items() if mask & bit]


# ---- derivatives that do not leave the range ------------------------------------------------
#
# JAX differentiates a / b as ȧ/b - a ḃ b⁻² and x**n (n < 0) as n x^(n-1) ẋ. Both raise
# the denominator to a higher power than the value itself contains: at t = 5e57 the
# second derivative of 1/t² needs (t²)³ = inf inside XLA's integer_pow, and the term
# becomes 0. The same derivatives written as (ȧ - v ḃ)/b and n v (ẋ/x), with v the
# value, only ever divide by what the value already divided by, so every intermediate
# of a derivative of order k stays near the size of that derivative. :func:`safe`
# rewrites a function's divisions and negative integer powers into these forms; the
# values are computed by the same primitives, only the derivative rules change.


@jax.custom_jvp
def _safe_div(a, b):
    return lax.div(a, b)


@_safe_div.defjvp
def _safe_div_jvp(primals, tangents):
    a, b = primals
    da, db = tangents
    v = _safe_div(a, b)
    return v, _safe_div(da - v * db, b)


def _safe_integer_pow(x, n: int):
    return _safe_integer_pow_rule(n, x)


@partial(jax.custom_jvp, nondiff_argnums=(0,))
def _safe_integer_pow_rule(n, x):
    return lax.integer_pow(x, n)


@_safe_integer_pow_rule.defjvp
def _safe_integer_pow_jvp(n, primals, tangents):
    (x,), (dx,) = primals, tangents
    v = _safe_integer_pow_rule(n, x)
    return v, n * v * _safe_div(dx, x)


def _bind_plain(eqn, *values):
    return eqn.primitive.bind(*values, **eqn.primitive.get_bind_params(eqn.params))


def _safe_rule(eqn, *values):
    name = eqn.primitive.name
    if _inexact(eqn.outvars[0].aval.dtype) if eqn.outvars else False:
        if name == "div":
            return _safe_div(*values)
        if name == "integer_pow" and eqn.params["y"] < 0:
            return _safe_integer_pow(values[0], eqn.params["y"])
    return _bind_plain(eqn, *values)


class SafeInterpreter(Interpreter):
    """Evaluates a jaxpr as written except for divisions and negative integer powers,
    which get range-safe derivative rules; functions with custom derivative rules are
    bound as they are (their rules are their authors')."""

    name = "range-safe derivatives"
    concrete = False
    #: Bound as they are: custom derivative rules, and the primitives that are the identity
    #: on values but not on derivatives (stop_gradient).
    OPAQUE = (
        frozenset(
            {"custom_jvp_call", "custom_vjp_call", "custom_vjp_call_jaxpr", "custom_linear_solve"}
        )
        | IDENTITY
    )

    def __init__(self):
        self.rules = _Rules(_safe_rule)

    def literal(self, value, aval):
        return value

    def raw(self, val):
        return val

    def structural(self, eqn, invals, positions):
        return _bind_plain(eqn, *invals)

    def apply(self, eqn, invals):
        if eqn.primitive.name in self.OPAQUE:
            return _bind_plain(eqn, *invals)
        return super().apply(eqn, invals)


_SAFE = SafeInterpreter()


def safe(fun):
    """``fun`` with derivative rules that do not leave float64's range (see above).

    Values are unchanged (the same primitives compute them); first and higher
    derivatives of divisions and negative integer powers are computed as
    (ȧ - v ḃ)/b and n v (ẋ/x), also inside ``lax`` control flow; functions with custom
    derivative rules are left as written."""

    @functools.wraps(fun)
    def wrapped(*args):
        closed, out_shape = jax.make_jaxpr(fun, return_shape=True)(*args)
        outs = _SAFE.run(closed, *jax.tree.leaves(args))
        return jax.tree.unflatten(jax.tree.structure(out_shape), outs)

    return wrapped
