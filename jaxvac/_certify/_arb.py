"""Ball arithmetic for jaxprs: Arb (python-flint) balls through jaxvac's jaxpr interpreter.

The third arithmetic of :mod:`jaxvac._interpret`, next to float64 running error analysis
(:mod:`jaxvac._rounding`) and mpmath (:mod:`jaxvac._mpjaxpr`). A float64 JAX function —
V, ∇V, the Hessian, D_aW, all by JAX's autodiff — is traced once to a jaxpr and evaluated
with ``flint.arb`` (real) and ``flint.acb`` (complex) balls at a chosen precision. Every
rule returns a ball that contains the exact result of the primitive for every point of its
input balls (Arb's functions are rigorous), so the output of the whole jaxpr contains the
exact value of the function the jaxpr writes, for every input in the input balls: an
*enclosure*.

What that covers, and what is refused (:class:`CertifyError`, one line naming it):

- Comparisons (``lt``, ``eq``...) are decided over balls: ``x < y`` is True when every
  point of x is below every point of y, False when none is, and *undecided* otherwise. An
  undecided comparison is refused (:class:`UndecidedComparison`), never resolved by picking
  a branch: callers split the box or report the point as unproved. ``while`` loops and
  ``cond`` need decided predicates for the same reason.
- Primitives whose result is an order or a choice among balls (``sort``, ``argmax``,
  ``argmin``), LAPACK-style linear algebra (``eigh``, ``cholesky``, ``lu``,
  ``triangular_solve``: jaxvac's own ``_linalg`` is written with elementwise operations,
  which are enclosed), and anything without a rule below are refused by name.
- Functions with a discontinuity (``sign``, ``floor``, ``ceil``, ``round``) return a ball
  that holds every value on the input ball (e.g. [-1, 1] for the sign of a ball around 0).
- Complex ``log``, ``sqrt``, ``pow`` follow the principal branch as JAX does; on a ball that
  meets the branch cut Arb returns a ball holding the values on both sides.

Exact constants among float64 literals are recognised as in the mpmath path
(:func:`jaxvac._interpret.exact_constant`): ``0.1`` is 1/10, ``jnp.pi`` is π (enclosed at
the working precision). Inputs are exact: float64 values are their binary values,
decimal strings are enclosed by Arb, mpmath numbers are converted exactly, balls pass
through. Integer and boolean equations run exactly, as in the mpmath path.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from fractions import Fraction
from types import ModuleType
from typing import Any

import jax
import jax.core
import mpmath as mp
import numpy as np

from .._errors import InputError
from .._interpret import UnsupportedPrimitiveError, exact_constant, is_inexact
from .._mpjaxpr import MPInterpreter
from .._precision import PrecisionFunction

try:  # python-flint is a dependency; keep the import error readable if it is missing
    import flint
    from flint import acb, arb, fmpq, fmpz
except ImportError:  # pragma: no cover - depends on the environment
    flint = None

#: How to install the arithmetic when python-flint is missing (one line).
INSTALL_HINT = "certification needs python-flint: pip install python-flint"


class CertifyError(UnsupportedPrimitiveError):
    """The ball arithmetic cannot enclose an operation of the traced function."""


class UndecidedComparison(CertifyError):
    """A comparison (or a branch, or a conversion) is not decided over the input balls."""


def require_flint() -> ModuleType:
    """The ``flint`` module (an :class:`InputError` with :data:`INSTALL_HINT` without it)."""
    if flint is None:
        raise InputError(INSTALL_HINT)
    return flint


@contextlib.contextmanager
def working_precision(bits: int):
    """Arb's working precision (bits) inside the block (python-flint's context is global)."""
    ctx = require_flint().ctx
    old = ctx.prec
    ctx.prec = int(bits)
    try:
        yield
    finally:
        ctx.prec = old


def digits_to_bits(digits: int) -> int:
    return int(digits * 3.3219280948873626) + 8


# ---- numbers -----------------------------------------------------------------------------

#: The constants of :data:`jaxvac._interpret.CONSTANTS` as Arb balls (same names).
ARB_CONSTANTS: dict[str, Callable[[], Any]] = {
    "1": lambda: arb(1),
    "pi": lambda: arb.pi(),
    "pi^2": lambda: arb.pi() ** 2,
    "sqrt(pi)": lambda: arb.const_sqrt_pi(),
    "1/pi": lambda: 1 / arb.pi(),
    "1/sqrt(pi)": lambda: 1 / arb.const_sqrt_pi(),
    "sqrt(2)": lambda: arb(2).sqrt(),
    "sqrt(3)": lambda: arb(3).sqrt(),
    "sqrt(5)": lambda: arb(5).sqrt(),
    "e": lambda: arb.const_e(),
    "log(2)": lambda: arb.const_log2(),
    "log(3)": lambda: arb(3).log(),
    "log(10)": lambda: arb.const_log10(),
    "1/log(10)": lambda: 1 / arb.const_log10(),
    "euler_gamma": lambda: arb.const_euler(),
    "zeta(3)": lambda: arb(3).zeta(),
    "zeta(5)": lambda: arb(5).zeta(),
}


def arb_constant(name: str):
    """The constant ``name`` of :data:`jaxvac._interpret.CONSTANTS` as a ball (refused by
    name when it has no Arb version: its mpmath value carries no error bound)."""
    fn = ARB_CONSTANTS.get(name)
    if fn is None:
        raise CertifyError(
            f"ball arithmetic: the exact constant {name!r} has no Arb enclosure; add it to "
            "jaxvac._certify._arb.ARB_CONSTANTS"
        )
    return fn()


def _fraction(r: Fraction):
    return arb(fmpq(r.numerator, r.denominator)) if r.denominator != 1 else arb(fmpz(r.numerator))


def constant_ball(x: float, exact_constants: bool = True):
    """A float64 literal as a ball: the exact constant it stands for, else its binary value."""
    x = float(x)
    if not exact_constants or not np.isfinite(x):
        return arb(x) if np.isfinite(x) else arb.nan()
    found = exact_constant(x)
    if found is None:
        return arb(x)
    r, name = found
    value = _fraction(r)
    return value if name == "1" else value * arb_constant(name)


def _mpf_ball(v) -> arb:
    """An mpmath real as an Arb ball, exactly."""
    if not mp.isfinite(v):
        return arb.nan()
    man, exp = v.man_exp  # mpmath's mantissa here is unsigned
    if not man:
        return arb(0)
    return (-1 if v < 0 else 1) * arb(fmpz(int(man))) * arb(2) ** int(exp)


def to_ball(v):
    """One number as an Arb ball, exactly where it can be (floats, ints, Fractions, mpmath
    numbers) and enclosed where it cannot (decimal strings); balls pass through."""
    if isinstance(v, (arb, acb)):
        return v
    if isinstance(v, mp.mpc):
        return acb(_mpf_ball(v.real), _mpf_ball(v.imag))
    if isinstance(v, mp.mpf):
        return _mpf_ball(v)
    if isinstance(v, str):
        return arb(v.strip())
    if isinstance(v, Fraction):
        return _fraction(v)
    if isinstance(v, (bool, np.bool_, int, np.integer)):
        return arb(fmpz(int(v)))
    if isinstance(v, (complex, np.complexfloating)):
        return acb(arb(float(v.real)), arb(float(v.imag)))
    return arb(float(v))


_TO_BALL = np.frompyfunc(to_ball, 1, 1)


def to_balls(x, dtype=None) -> np.ndarray:
    """An array of numbers as an object array of balls (acb for complex dtypes)."""
    arr = x if isinstance(x, np.ndarray) else np.asarray(x, dtype=object)
    out = _obj(_TO_BALL(arr)) if arr.size else np.empty(arr.shape, dtype=object)
    if dtype is not None and np.issubdtype(np.dtype(dtype), np.complexfloating):
        out = _obj(_AS_ACB(out)) if out.size else out
    return out


_AS_ACB = np.frompyfunc(lambda v: v if isinstance(v, acb) else acb(v), 1, 1)


def _obj(x) -> np.ndarray:
    if isinstance(x, np.ndarray) and x.dtype == object:
        return x
    out = np.empty(np.shape(x), dtype=object)
    out[...] = x
    return out


def _map(fn, *arrays) -> np.ndarray:
    arrays = [_obj(a) for a in arrays]
    if not all(a.size for a in arrays):
        return np.empty(np.broadcast_shapes(*[a.shape for a in arrays]), dtype=object)
    return _obj(np.frompyfunc(fn, len(arrays), 1)(*arrays))


# ---- decided comparisons ------------------------------------------------------------------


def _decide(name: str, a, b) -> bool:
    """``a OP b`` for every point of the balls, or :class:`UndecidedComparison`."""
    if name == "eq":
        if a != b:
            return False
        if a.is_exact() and b.is_exact() and a == b:
            return True
    elif name == "ne":
        return not _decide("eq", a, b)
    else:
        yes = {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[name]
        no = {"lt": a >= b, "le": a > b, "gt": a <= b, "ge": a < b}[name]
        if yes:
            return True
        if no:
            return False
    raise UndecidedComparison(
        f"ball arithmetic: the comparison {name}({a.str(5)}, {b.str(5)}) is not decided over "
        "the box (its operands overlap); refusing to pick a branch"
    )


def _sign(x):
    if isinstance(x, acb):
        raise CertifyError("ball arithmetic: 'sign' of a complex number is not supported")
    if x > 0:
        return arb(1)
    if x < 0:
        return arb(-1)
    if x.is_exact() and x == 0:
        return arb(0)
    return arb(0, 1)  # holds -1, 0 and 1


def _cbrt(x):
    if isinstance(x, acb):
        return x ** (arb(1) / 3)
    if x > 0:
        return x.root(3)
    if x < 0:
        return -((-x).root(3))
    return arb(0, abs(x).upper().root(3).upper())


def _ipow(x, n: int):
    """x**n for an integer n. python-flint's ``**`` returns nan for a ball holding 0 (it
    goes through the real power), so such balls are multiplied out."""
    if n < 0:
        return 1 / _ipow(x, -n)
    if n == 0:
        return acb(1) if isinstance(x, acb) else arb(1)
    if (isinstance(x, arb) and (x > 0 or x < 0)) or (isinstance(x, acb) and not x.contains(0)):
        return x**n
    base = x  # n >= 1: square up to the lowest set bit of n, then multiply in the others
    while not n & 1:
        base = base * base
        n >>= 1
    out = base
    n >>= 1
    while n:
        base = base * base
        if n & 1:
            out = out * base
        n >>= 1
    return out


def _pow(a, b):
    if isinstance(b, arb) and b.is_exact() and b.is_integer():
        return _ipow(a, int(b.unique_fmpz()))
    return a**b


def _max(a, b):
    return a.max(b)


def _min(a, b):
    return a.min(b)


def _to_int(v) -> int:
    """The integer that truncating ``v`` gives, when it is the same over the ball."""
    if isinstance(v, acb):
        v = v.real
    if not v.is_finite():
        raise UndecidedComparison(f"ball arithmetic: cannot convert {v.str(5)} to an integer")
    lo = int(v.lower().floor().unique_fmpz()) if v >= 0 else int(v.lower().ceil().unique_fmpz())
    hi = int(v.upper().floor().unique_fmpz()) if v >= 0 else int(v.upper().ceil().unique_fmpz())
    if v >= 0 or v <= 0:
        if lo == hi:
            return lo
    raise UndecidedComparison(
        f"ball arithmetic: converting {v.str(5)} to an integer is not decided over the box"
    )


def _round(x, method: int):
    # Away from zero (0) or to nearest even (1): decided where the ball holds one result.
    cands = set()
    for end in (x.lower(), x.upper()):
        fl = end.floor()
        f = fl.unique_fmpz()
        if f is None:
            break
        frac = end - fl
        if frac < 0.5:
            cands.add(int(f))
        elif frac > 0.5:
            cands.add(int(f) + 1)
        else:
            break
    if len(cands) == 1 and (x.upper() - x.lower()) < 1:
        return arb(fmpz(cands.pop()))
    return x.floor().union(x.ceil())


def _logistic(x):
    return 1 / (1 + (-x).exp())


def _is_complex_dtype(dtype) -> bool:
    return np.issubdtype(np.dtype(dtype), np.complexfloating)


# ---- the interpreter -------------------------------------------------------------------------


class ArbInterpreter(MPInterpreter):
    """Evaluates jaxprs on Arb balls at Arb's working precision (:func:`working_precision`).

    Structural primitives (reshape, gather, select_n, pad...) and integer/boolean equations
    are the mpmath interpreter's (they only move elements or are exact); the arithmetic
    rules are Arb's. Values: numpy object arrays of ``arb`` (real dtypes) and ``acb``
    (complex dtypes); integer and boolean arrays as numpy arrays.
    """

    name = "ball arithmetic"
    concrete = True
    skip_dead = True  # dead comparisons (abs's derivative of unused scales) are not decided

    def __init__(self, *, exact_constants: bool = True):
        require_flint()
        super().__init__(exact_constants=exact_constants)
        generic = {k: self.rules[k] for k in ("scatter-add", "scatter_add")}  # only + on elements
        self.rules = _rules() | generic

    def literal(self, value, aval):
        if isinstance(value, jax.core.Tracer):
            raise TypeError(
                "ball arithmetic needs concrete values, but the traced function closes over "
                "a JAX tracer: call it outside jit/vmap."
            )
        dtype = aval.dtype
        arr = np.asarray(value, dtype=dtype)
        if not is_inexact(dtype):
            return arr
        if _is_complex_dtype(dtype):
            return _map(
                lambda z: acb(
                    constant_ball(z.real, self.exact_constants),
                    constant_ball(z.imag, self.exact_constants),
                ),
                arr,
            )
        return _map(lambda x: constant_ball(x, self.exact_constants), arr)

    def _from_jax(self, out, aval):
        arr = np.asarray(out)
        if is_inexact(aval.dtype):
            return to_balls(arr, aval.dtype)  # computed from integers only: exact
        return arr

    def structural(self, eqn, invals, positions):
        out = super().structural(eqn, invals, positions)
        if eqn.primitive.name != "gather":
            return out
        # Out-of-bounds fills of the index-map path are mpmath NaNs: make them balls.
        complex_ = _is_complex_dtype(eqn.outvars[0].aval.dtype)
        nan = acb(arb.nan(), arb.nan()) if complex_ else arb.nan()
        return _map(lambda v: nan if isinstance(v, (mp.mpf, mp.mpc)) else v, out)

    def index(self, val) -> int:
        arr = np.asarray(val)
        if arr.dtype == object:
            return _to_int(arr.item())
        return int(arr)


def _zero(complex_: bool):
    return acb(0) if complex_ else arb(0)


def _rules() -> dict[str, Callable]:
    r: dict[str, Callable] = {}

    def out_complex(eqn, k=0):
        return _is_complex_dtype(eqn.outvars[k].aval.dtype)

    def elementwise(fn):
        return lambda eqn, *invals: _map(fn, *invals)

    def method(name, real_only=False):
        def fn(x):
            if real_only and isinstance(x, acb):
                raise CertifyError(f"ball arithmetic: {name!r} of a complex ball is not supported")
            return getattr(x, name)()

        return elementwise(fn)

    r["add"] = r["add_any"] = elementwise(lambda a, b: a + b)
    r["sub"] = elementwise(lambda a, b: a - b)
    r["mul"] = elementwise(lambda a, b: a * b)
    r["div"] = elementwise(lambda a, b: a / b)  # a ball holding 0 in b gives nan: not finite
    r["neg"] = elementwise(lambda a: -a)
    r["max"] = elementwise(_max)
    r["min"] = elementwise(_min)
    r["clamp"] = elementwise(lambda lo, x, hi: _min(_max(x, lo), hi))
    for name in (
        "exp",
        "log",
        "sin",
        "cos",
        "tan",
        "sinh",
        "cosh",
        "tanh",
        "asin",
        "acos",
        "atan",
        "asinh",
        "acosh",
        "atanh",
        "sqrt",
        "rsqrt",
        "erf",
        "erfc",
        "expm1",
        "log1p",
        "digamma",
    ):
        r[name] = method(name)
    r["lgamma"] = method("lgamma", real_only=True)
    r["exp2"] = elementwise(lambda x: arb(2) ** x)
    r["atan2"] = elementwise(lambda y, x: arb.atan2(y, x))
    r["cbrt"] = elementwise(_cbrt)
    r["logistic"] = elementwise(_logistic)
    r["square"] = elementwise(lambda x: x * x)
    r["pow"] = elementwise(_pow)
    r["sign"] = elementwise(_sign)
    r["floor"] = method("floor", real_only=True)
    r["ceil"] = method("ceil", real_only=True)
    r["conj"] = elementwise(lambda z: z.conjugate() if isinstance(z, acb) else z)
    r["abs"] = elementwise(abs)
    r["real"] = elementwise(lambda z: z.real if isinstance(z, acb) else z)
    r["imag"] = elementwise(lambda z: z.imag if isinstance(z, acb) else arb(0))
    r["complex"] = elementwise(lambda x, y: acb(x, y))

    def integer_pow(eqn, a):
        n = int(eqn.params["y"])
        return _map(lambda x: _ipow(x, n), a)

    r["integer_pow"] = integer_pow

    def round_(eqn, a):
        m = int(eqn.params.get("rounding_method", 0))
        return _map(lambda x: _round(x, m), a)

    r["round"] = round_

    def compare(name):
        def rule(eqn, a, b):
            out = _map(lambda x, y: _decide(name, x, y), a, b)
            return np.asarray(out, dtype=bool).reshape(out.shape)

        return rule

    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        r[name] = compare(name)

    def is_finite(eqn, a):
        def one(x):
            if x.is_finite():
                return True
            raise UndecidedComparison(
                "ball arithmetic: is_finite of a ball that is not finite is not decided"
            )

        out = _map(one, a)
        return np.asarray(out, dtype=bool).reshape(out.shape)

    r["is_finite"] = is_finite

    def convert(eqn, a):
        new = np.dtype(eqn.params["new_dtype"])
        a = np.asarray(a)
        if a.dtype != object:  # integers and booleans: exact
            return to_balls(a, new) if is_inexact(new) else a.astype(new)
        if _is_complex_dtype(new):
            return _map(lambda v: v if isinstance(v, acb) else acb(v), a)
        if is_inexact(new):
            return _map(lambda v: v.real if isinstance(v, acb) else v, a)
        if np.dtype(new) == np.bool_:
            out = _map(lambda v: _decide("ne", v, arb(0)), a)
            return np.asarray(out, dtype=bool).reshape(out.shape)
        out = _map(_to_int, a)
        return np.asarray(out, dtype=new).reshape(out.shape)

    r["convert_element_type"] = convert

    def dot_general(eqn, a, b):
        # One einsum: batch letters shared, contracted letters shared, free letters kept.
        (ca, cb), (ba, bb) = eqn.params["dimension_numbers"]
        a, b = _obj(a), _obj(b)
        letters = iter("abcdefghijklmnopqrstuvwxyz")
        sa = [next(letters) for _ in range(a.ndim)]
        sb = [next(letters) for _ in range(b.ndim)]
        for i, j in list(zip(ca, cb)) + list(zip(ba, bb)):
            sb[j] = sa[i]
        out_ix = (
            [sa[i] for i in ba]
            + [sa[i] for i in range(a.ndim) if i not in ca and i not in ba]
            + [sb[j] for j in range(b.ndim) if j not in cb and j not in bb]
        )
        spec = f"{''.join(sa)},{''.join(sb)}->{''.join(out_ix)}"
        out = _obj(np.einsum(spec, a, b))
        zero = _zero(out_complex(eqn))
        # empty contractions give the integer 0: make it a ball
        return _map(lambda v: zero if isinstance(v, (int, np.integer)) else v, out)

    r["dot_general"] = dot_general

    def reduction(combine, empty):
        def rule(eqn, a):
            a = _obj(a)
            axes = tuple(eqn.params["axes"])
            if not axes:
                return a
            keep = [i for i in range(a.ndim) if i not in axes]
            moved = np.transpose(a, keep + list(axes)).reshape([a.shape[i] for i in keep] + [-1])
            out = np.empty(moved.shape[:-1], dtype=object)
            for idx in np.ndindex(*out.shape):
                vals = list(moved[idx])
                if not vals:
                    out[idx] = empty(out_complex(eqn))
                    continue
                acc = vals[0]
                for v in vals[1:]:
                    acc = combine(acc, v)
                out[idx] = acc
            return out

        return rule

    r["reduce_sum"] = reduction(lambda x, y: x + y, _zero)
    r["reduce_prod"] = reduction(lambda x, y: x * y, lambda c: acb(1) if c else arb(1))
    r["reduce_max"] = reduction(_max, lambda c: arb.neg_inf())
    r["reduce_min"] = reduction(_min, lambda c: arb.pos_inf())

    def cumulative(combine):
        def rule(eqn, a):
            a = _obj(a)
            axis, reverse = eqn.params["axis"], eqn.params["reverse"]
            if reverse:
                a = np.flip(a, axis)
            out = np.moveaxis(a.copy(), axis, 0)
            for i in range(1, out.shape[0]):
                out[i] = _map(combine, out[i - 1], out[i])
            out = np.moveaxis(out, 0, axis)
            return np.flip(out, axis) if reverse else out

        return rule

    r["cumsum"] = cumulative(lambda x, y: x + y)
    r["cumprod"] = cumulative(lambda x, y: x * y)
    r["cummax"] = cumulative(_max)
    r["cummin"] = cumulative(_min)

    return r


#: Primitives refused on purpose (documented in docs/certify.md), with the reason.
REFUSED = {
    "sort": "an order of balls is not decided where they overlap",
    "argmax": "an order of balls is not decided where they overlap",
    "argmin": "an order of balls is not decided where they overlap",
    "eigh": "eigenvectors of a matrix of balls are not enclosed elementwise",
    "cholesky": "use jaxvac's _linalg (elementwise operations), which is enclosed",
    "lu": "pivoting is a choice among balls",
    "triangular_solve": "use jaxvac's _linalg (elementwise operations), which is enclosed",
}


def _refuse(name, why):
    def rule(eqn, *invals):
        raise CertifyError(f"ball arithmetic: the JAX primitive {name!r} is refused ({why})")

    return rule


# ---- evaluating a function ----------------------------------------------------------------


class BallFunction(PrecisionFunction):
    """``fun`` evaluated in ball arithmetic: ``f(*args, bits=P)``.

    Array leaves of ``args`` are the inputs: float64 arrays (exact binary values), object
    arrays of real ``arb`` balls, mpmath numbers or decimal strings. The jaxpr is traced
    once per structure and shape (as :class:`jaxvac._precision.PrecisionFunction`).
    Returns the output pytree with object arrays of balls (integers, booleans as numpy).
    """

    def __init__(self, fun, *, exact_constants: bool = True):
        super().__init__(fun, exact_constants=exact_constants)
        self.interpreter = ArbInterpreter(exact_constants=exact_constants)
        for name, why in REFUSED.items():
            self.interpreter.rules[name] = _refuse(name, why)

    def __call__(self, *args, bits: int):  # type: ignore[override]
        from .._config import ensure_x64

        ensure_x64()
        (closed, out_tree), leaves = self._trace(args)
        with working_precision(bits):
            ins = []
            for x, var in zip(leaves, closed.jaxpr.invars):
                dtype = var.aval.dtype
                if is_inexact(dtype):
                    ins.append(to_balls(np.asarray(x), dtype))
                else:
                    ins.append(np.asarray(x, dtype=dtype))
            outs = self.interpreter.run(closed, *ins)
        return jax.tree.unflatten(out_tree, outs)
