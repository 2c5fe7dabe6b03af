"""Re-interpreting jaxprs: one walker for every non-standard arithmetic.

A float64 function (V, ∇V, the Hessian, the kinetic metric...) is traced once with
``jax.make_jaxpr``; an :class:`Interpreter` then evaluates that jaxpr with values of
its own kind. jaxvac has two:

- :mod:`jaxvac._rounding`: float64 values paired with a bound on their rounding error
  (running error analysis; values are JAX arrays, so it works under ``jit``/``vmap``);
- :mod:`jaxvac._mpjaxpr`: mpmath numbers at any precision (values are concrete).

This module holds what both share: the walk over equations, the recursion into
nested jaxprs (``jit``, ``closed_call``, ``custom_jvp_call``, ``custom_vjp_call``,
``remat``, ``custom_linear_solve``), control flow (``cond``, ``while``, ``scan``),
the list of *structural* primitives (those that only move, copy or select elements)
and the recognition of exact constants among float64 literals
(:func:`exact_constant`). An interpreter supplies only its arithmetic rules.
Derivatives stay JAX's: the jaxpr of ``jax.grad(f)`` is interpreted like any other.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Literal

import jax.extend.core as jex
import numpy as np
from jax import lax

from ._lazy import lazy_module

mpmath = lazy_module("mpmath")  # loaded by the first exact constant that needs it


class UnsupportedPrimitiveError(NotImplementedError):
    """A jaxpr contains a primitive the interpreter has no rule for."""


#: Primitives that only move, copy or select elements of their data operands.
#: Value -> positions of the data operands (None: all operands; "cases": all but the first).
STRUCTURAL: dict[str, tuple[int, ...] | Literal["cases"] | None] = {
    "broadcast_in_dim": None,
    "reshape": None,
    "squeeze": None,
    "expand_dims": None,
    "transpose": None,
    "slice": None,
    "rev": None,
    "concatenate": None,
    "stack": None,
    "unstack": None,
    "tile": None,
    "pad": None,  # (operand, padding_value)
    "split": None,
    "copy": None,
    "copy_p": None,
    "dynamic_slice": (0,),  # (operand, *start_indices)
    "dynamic_update_slice": (0, 1),  # (operand, update, *start_indices)
    "gather": (0,),  # (operand, indices)
    "scatter": (0, 2),  # (operand, indices, updates): plain replacement only
    "select_n": "cases",  # (predicate, *cases)
}

#: Primitives that return their operands unchanged (for value purposes).
IDENTITY = frozenset({"stop_gradient", "optimization_barrier", "pvary"})


def data_positions(name: str, n_operands: int) -> tuple[int, ...]:
    """Positions of the operands of a structural primitive whose elements are moved."""
    spec = STRUCTURAL[name]
    if spec is None:
        return tuple(range(n_operands))
    if spec == "cases":
        return tuple(range(1, n_operands))
    return spec


def is_inexact(dtype) -> bool:
    return np.issubdtype(np.dtype(dtype), np.inexact)


def _closed(jaxpr) -> jex.ClosedJaxpr:
    if isinstance(jaxpr, jex.ClosedJaxpr):
        return jaxpr
    return jex.ClosedJaxpr(jaxpr, ())


class Interpreter:
    """Evaluate jaxprs with values of the subclass's kind.

    Subclasses implement :meth:`literal` (a float64/int literal or constant of the
    jaxpr as a value), :meth:`structural` (apply a structural primitive), and
    ``rules``: a dict ``primitive name -> rule(eqn, *invals)`` returning the output
    value (or a list of them for multiple-result primitives). ``concrete = True``
    interpreters run control flow in Python (:meth:`index`, :meth:`take`,
    :meth:`stack` needed); others use ``lax.switch``/``while_loop``/``scan`` on
    pytrees of values (:meth:`raw` and :meth:`normalise` needed).
    """

    #: Used in error messages ("running error analysis", "mpmath evaluation"...).
    name: str = "interpreter"
    #: Values are concrete (True) or JAX arrays/tracers (False).
    concrete: bool = False
    #: Skip equations no output depends on (:func:`live_equations`), e.g. the forward
    #: computations that a derivative's jaxpr keeps but never reads.
    skip_dead: bool = False
    rules: dict[str, Callable[..., Any]]

    # ---- hooks --------------------------------------------------------------------

    def literal(self, value, aval):
        """A literal or closed-over constant of the jaxpr as an interpreter value."""
        raise NotImplementedError

    def structural(self, eqn, invals, positions):
        """Apply a structural primitive; ``positions``: the data operands."""
        raise NotImplementedError

    def raw(self, val):
        """The plain array behind an integer/boolean value (indices, predicates)."""
        raise NotImplementedError

    def normalise(self, val, aval):
        """Canonical form of a value carried through ``lax`` control flow."""
        return val

    def index(self, val) -> int:
        """A concrete integer/boolean scalar value as a Python int."""
        return int(np.asarray(self.raw(val)))

    def take(self, val, i):
        """Element ``i`` along the leading axis (``scan`` over ``xs``, concrete only)."""
        raise NotImplementedError

    def stack(self, vals, aval):
        """Stack values along a new leading axis (``scan`` outputs, concrete only)."""
        raise NotImplementedError

    # ---- walking --------------------------------------------------------------------

    def run(self, closed_jaxpr: jex.ClosedJaxpr, *args) -> list:
        """Evaluate ``closed_jaxpr`` on interpreter values ``args``."""
        consts = [
            self.literal(c, v.aval)
            for c, v in zip(closed_jaxpr.consts, closed_jaxpr.jaxpr.constvars)
        ]
        return self.eval_jaxpr(closed_jaxpr.jaxpr, consts, list(args))

    def run_closed(self, jaxpr, args) -> list:
        """Evaluate a nested (closed or open) jaxpr of an equation's parameters."""
        return self.run(_closed(jaxpr), *args)

    def eval_jaxpr(self, jaxpr: jex.Jaxpr, consts, args) -> list:
        env: dict[Any, Any] = {}

        def read(atom):
            if isinstance(atom, jex.Literal):
                return self.literal(atom.val, atom.aval)
            return env[atom]

        if len(args) != len(jaxpr.invars):
            raise TypeError(
                f"{self.name}: jaxpr takes {len(jaxpr.invars)} inputs, got {len(args)}."
            )
        for var, val in zip(jaxpr.constvars, consts):
            env[var] = val
        for var, val in zip(jaxpr.invars, args):
            env[var] = val
        live = live_equations(jaxpr) if self.skip_dead else None
        for k, eqn in enumerate(jaxpr.eqns):
            if live is not None and k not in live:
                continue
            invals = [read(a) for a in eqn.invars]
            outs = self.apply(eqn, invals)
            if not eqn.primitive.multiple_results:
                outs = [outs]
            for var, val in zip(eqn.outvars, outs):
                if not isinstance(var, jex.DropVar):
                    env[var] = val
        return [read(v) for v in jaxpr.outvars]

    def apply(self, eqn, invals):
        """One equation: nested jaxprs, control flow, structural ops, or a rule."""
        name = eqn.primitive.name
        params = eqn.params
        if name in ("jit", "pjit", "remat", "remat2", "checkpoint"):
            return self.run_closed(params["jaxpr"], invals)
        if name in ("closed_call", "core_call", "custom_jvp_call", "custom_vjp_call"):
            return self.run_closed(params["call_jaxpr"], invals)
        if name == "custom_vjp_call_jaxpr":
            return self.run_closed(params["fun_jaxpr"], invals)
        if name == "custom_linear_solve":
            # Operands: consts of (matvec, vecmat, solve, transpose_solve), then b.
            lengths = params["const_lengths"]
            start = lengths.matvec + lengths.vecmat
            solve_consts = invals[start : start + lengths.solve]
            b = invals[sum(lengths) :]
            return self.run_closed(params["jaxprs"].solve, list(solve_consts) + list(b))
        if name == "cond":
            return self._cond(eqn, invals)
        if name == "while":
            return self._while(eqn, invals)
        if name == "scan":
            return self._scan(eqn, invals)
        if name in IDENTITY:
            return invals if eqn.primitive.multiple_results else invals[0]
        if name in STRUCTURAL:
            return self.structural(eqn, invals, data_positions(name, len(invals)))
        rule = self.rules.get(name)
        if rule is None:
            raise UnsupportedPrimitiveError(
                f"{self.name}: the JAX primitive {name!r} is not supported (no rule for it). "
                f"It appears in the traced function as: {_describe(eqn)}. Rewrite that part "
                "of the model with supported operations, or add a rule for it."
            )
        return rule(eqn, *invals)

    # ---- control flow ------------------------------------------------------------------

    def _cond(self, eqn, invals):
        branches = eqn.params["branches"]
        index, operands = invals[0], invals[1:]
        if self.concrete:
            i = min(max(self.index(index), 0), len(branches) - 1)
            return self.run_closed(branches[i], operands)
        avals = [v.aval for v in eqn.outvars]
        fns = [functools.partial(self._run_normalised, br, avals) for br in branches]
        return lax.switch(self.raw(index), fns, *operands)

    def _run_normalised(self, jaxpr, avals, *args):
        outs = self.run_closed(jaxpr, list(args))
        return [self.normalise(o, a) for o, a in zip(outs, avals)]

    def _while(self, eqn, invals):
        p = eqn.params
        cond_consts = invals[: p["cond_nconsts"]]
        body_consts = invals[p["cond_nconsts"] : p["cond_nconsts"] + p["body_nconsts"]]
        carry = invals[p["cond_nconsts"] + p["body_nconsts"] :]
        avals = [v.aval for v in eqn.outvars]

        def cond_fun(c):
            return self.run_closed(p["cond_jaxpr"], list(cond_consts) + list(c))[0]

        def body_fun(c):
            outs = self.run_closed(p["body_jaxpr"], list(body_consts) + list(c))
            return [self.normalise(o, a) for o, a in zip(outs, avals)]

        if self.concrete:
            while self.index(cond_fun(carry)):
                carry = self.run_closed(p["body_jaxpr"], list(body_consts) + list(carry))
            return carry
        carry = [self.normalise(c, a) for c, a in zip(carry, avals)]
        return lax.while_loop(lambda c: self.raw(cond_fun(c)), body_fun, carry)

    def _scan(self, eqn, invals):
        p = eqn.params
        nc, nk = p["num_consts"], p["num_carry"]
        consts, carry, xs = invals[:nc], invals[nc : nc + nk], invals[nc + nk :]
        out_avals = [v.aval for v in eqn.outvars]
        if self.concrete:
            length = p["length"]
            ys_acc = []
            order = range(length - 1, -1, -1) if p["reverse"] else range(length)
            for i in order:
                x_i = [self.take(x, i) for x in xs]
                outs = self.run_closed(p["jaxpr"], list(consts) + list(carry) + x_i)
                carry, y = outs[:nk], outs[nk:]
                ys_acc.append(y)
            if p["reverse"]:
                ys_acc.reverse()
            ys = [
                self.stack([y[k] for y in ys_acc], out_avals[nk + k])
                for k in range(len(out_avals) - nk)
            ]
            return list(carry) + ys
        carry_avals = out_avals[:nk]
        y_avals = [a.update(shape=a.shape[1:]) for a in out_avals[nk:]]

        def body(c, x):
            outs = self.run_closed(p["jaxpr"], list(consts) + list(c) + list(x))
            c2 = [self.normalise(o, a) for o, a in zip(outs[:nk], carry_avals)]
            y = [self.normalise(o, a) for o, a in zip(outs[nk:], y_avals)]
            return c2, y

        carry = [self.normalise(c, a) for c, a in zip(carry, carry_avals)]
        carry, ys = lax.scan(body, carry, list(xs), length=p["length"], reverse=p["reverse"])
        return list(carry) + list(ys)


def live_equations(jaxpr: jex.Jaxpr) -> frozenset[int]:
    """Indices of the equations of ``jaxpr`` that its outputs depend on (cached)."""
    key = id(jaxpr)
    hit = _LIVE.get(key)
    if hit is not None and hit[0] is jaxpr:
        return hit[1]
    needed = {v for v in jaxpr.outvars if not isinstance(v, jex.Literal)}
    live = set()
    for k in range(len(jaxpr.eqns) - 1, -1, -1):
        eqn = jaxpr.eqns[k]
        if any(v in needed for v in eqn.outvars if not isinstance(v, jex.DropVar)):
            live.add(k)
            needed.update(v for v in eqn.invars if not isinstance(v, jex.Literal))
    result = frozenset(live)
    _LIVE[key] = (jaxpr, result)
    return result


_LIVE: dict[int, tuple] = {}


def _describe(eqn) -> str:
    ins = ", ".join(str(getattr(v, "aval", v)) for v in eqn.invars)
    outs = ", ".join(str(v.aval) for v in eqn.outvars)
    src = ""
    info = getattr(eqn, "source_info", None)
    if info is not None:
        try:
            from jax.extend import source_info_util

            src = " at " + source_info_util.summarize(info)
        except Exception:  # noqa: BLE001 - the location is only a courtesy
            src = ""
    return f"{eqn.primitive.name}({ins}) -> {outs}{src}"


# ---- exact constants among float64 literals ---------------------------------------------

#: Irrational constants that a float64 literal may stand for: name -> mpmath value
#: (a function of the working precision). A literal equal to float64(r * c) for a
#: rational r with small denominator is taken as r * c exactly (see docs/precision.md).
CONSTANTS: dict[str, Callable[[], Any]] = {
    "1": lambda: mpmath.mpf(1),
    "pi": lambda: +mpmath.pi,
    "pi^2": lambda: mpmath.pi**2,
    "sqrt(pi)": lambda: mpmath.sqrt(mpmath.pi),
    "1/pi": lambda: 1 / mpmath.pi,
    "1/sqrt(pi)": lambda: 1 / mpmath.sqrt(mpmath.pi),
    "sqrt(2)": lambda: mpmath.sqrt(2),
    "sqrt(3)": lambda: mpmath.sqrt(3),
    "sqrt(5)": lambda: mpmath.sqrt(5),
    "e": lambda: +mpmath.e,
    "log(2)": lambda: +mpmath.ln2,
    "log(3)": lambda: mpmath.log(3),
    "log(10)": lambda: +mpmath.ln10,
    "1/log(10)": lambda: 1 / mpmath.ln10,
    "euler_gamma": lambda: +mpmath.euler,
    "zeta(3)": lambda: mpmath.zeta(3),
    "zeta(5)": lambda: mpmath.zeta(5),  # E3's series (jaxvac.special), b_row = r π ζ(5)
}
#: Largest denominator of the rational multiple r in r * c.
MAX_DENOMINATOR = 1000
#: Largest numerator of the rational multiple r in r * c.
MAX_NUMERATOR = 10**6
#: Short decimals (at most this many significant digits) are taken as exact decimals.
SHORT_DECIMAL_DIGITS = 8


@functools.lru_cache(maxsize=65536)
def exact_constant(x: float) -> tuple[Fraction, str] | None:
    """The exact number a float64 literal ``x`` stands for, as ``(r, name)`` meaning
    ``r * CONSTANTS[name]``; None when ``x`` is taken as its own binary value.

    Recognised, in order (each checked by rounding the candidate back to ``x``):
    a short decimal (``0.1`` is 1/10), then ``r * c`` for ``c`` in :data:`CONSTANTS`
    and ``r = p/q`` with ``q <= MAX_DENOMINATOR`` (``1/3``, ``2*pi/5``, ``log(2)``).
    Binary fractions (0.5, 3.0, 0.75) are recognised as themselves.
    """
    if not math.isfinite(x) or x == 0.0:
        return (Fraction(0), "1") if x == 0.0 else None
    exact = Fraction(x)
    if exact.denominator <= MAX_DENOMINATOR:
        return exact, "1"
    text = repr(float(x))
    mantissa = text.lower().split("e")[0].replace("-", "").replace(".", "").lstrip("0")
    if len(mantissa) <= SHORT_DECIMAL_DIGITS:
        return Fraction(text), "1"
    with mpmath.workdps(40):
        for name, value in CONSTANTS.items():
            c = value()
            r = Fraction(float(mpmath.mpf(x) / c)).limit_denominator(MAX_DENOMINATOR)
            if r == 0 or abs(r.numerator) > MAX_NUMERATOR:
                continue
            if float(mpmath.mpf(r.numerator) / r.denominator * c) == x:
                return r, name
    return None


def constant_value(x: float):
    """``x`` as an mpmath number at the current precision: the exact constant it
    stands for (:func:`exact_constant`) or its exact binary value."""
    found = exact_constant(float(x))
    if found is None:
        return mpmath.mpf(float(x))
    r, name = found
    if name == "1":
        return mpmath.mpf(r.numerator) / r.denominator
    return mpmath.mpf(r.numerator) / r.denominator * CONSTANTS[name]()


@functools.lru_cache(maxsize=65536)
def constant_error(x: float) -> float:
    """|float64 literal - the exact constant it stands for| (0 for binary values)."""
    found = exact_constant(float(x))
    if found is None:
        return 0.0
    r, name = found
    if name == "1":  # a rational: the error is exact in Fractions (and needs no mpmath)
        return float(abs(r - Fraction(float(x))))
    with mpmath.workdps(40):
        return float(abs(constant_value(x) - mpmath.mpf(float(x))))
