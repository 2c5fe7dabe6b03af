"""Model base classes: a model is an ``equinox.Module`` whose fields are its parameters.

Two kinds of model, with one real-coordinate layout each:

- :class:`SupergravityModel`: complex moduli ``z``; real coordinates
  ``y = (Re z_1, ..., Re z_n, Im z_1, ..., Im z_n)``.
- :class:`PotentialModel`: real fields ``phi``; real coordinates ``y = phi``.

Only K and W (or a plain V) are written by hand; everything else is autodiff.
"""

from __future__ import annotations

import abc
import dataclasses
import math
import numbers
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import equinox as eqx
import jax
import jax.core
import jax.numpy as jnp
import numpy as np

from . import _linalg, _range, _rounding
from ._config import EPS
from ._errors import InputError
from ._geometry import fterm_parts, kahler_metric, real_metric, value_gradient_hessian


class AbstractModel(eqx.Module):
    """Common interface of all models. Subclass :class:`SupergravityModel` or
    :class:`PotentialModel`, not this.

    A model answers for itself: the solvers, the analysis and the search ask it for its
    potential, natural scale, kinetic metric and search region through the methods below
    (each kind implements them once), never by testing which kind of model it is. All take
    the real coordinates ``y`` of one point (shape ``(n_real,)``, float64).
    """

    def __check_init__(self):
        # Every numeric parameter must be a number of the field's kind, in 64 bits, and
        # finite. Only concrete values are checked (cheap, and nothing here is traced):
        # traced values (models built inside jit/vmap) are checked by whoever built them.
        for f in dataclasses.fields(self):
            problem = parameter_problem(f, getattr(self, f.name, None))
            if problem:
                raise ValueError(f"{type(self).__name__}: parameter {f.name!r} {problem}.")

    # ---- layout -------------------------------------------------------------------

    @property
    def coordinate_names(self) -> tuple[str, ...]:
        """Names of the real coordinates, in the order of ``y``."""
        raise NotImplementedError

    @property
    def n_real(self) -> int:
        return len(self.coordinate_names)

    @property
    def positive_indices(self) -> tuple[int, ...]:
        """Indices of real coordinates that must stay strictly positive."""
        raise NotImplementedError

    def periods(self) -> dict[str, Any]:
        """Periods of periodic directions (axions), by field name. Default: none."""
        return {}

    def real_periods(self) -> dict[int, float]:
        """Periods keyed by real-coordinate index (see :meth:`periods`)."""
        raise NotImplementedError

    @property
    @abc.abstractmethod
    def is_supergravity(self) -> bool:
        """True for supergravity models (F-terms, gravitino mass and SUSY are defined):
        what the analysis, the certificates and the point parser ask instead of testing
        the model's class. Answered once by each kind (``SupergravityModel``,
        ``PotentialModel``)."""

    # ---- physics the model answers for (implemented once per kind) -------------------

    @abc.abstractmethod
    def scalar_potential(self, y) -> jax.Array:
        """V(y) in Planck units, with range-safe derivatives (:func:`jaxvac._range.safe`)."""

    @abc.abstractmethod
    def natural_scale(self, y) -> jax.Array:
        """S: the size of the terms whose sum is V at y, cheaply (the search's measure of
        how small ∇V is; the analysis uses :meth:`potential_and_scale`)."""

    @abc.abstractmethod
    def potential_and_scale(self, y) -> tuple[jax.Array, jax.Array]:
        """``(V, S)`` for the digits estimate: S is the scale whose rounding V carries."""

    @abc.abstractmethod
    def error_analysed_potential(self, y) -> Callable[[jax.Array], jax.Array] | None:
        """The function of ``y`` whose rounding errors (of V, ∇V and H) jaxvac bounds by
        running error analysis (:mod:`jaxvac._rounding`), range-safe as the analysis
        differentiates it; or None where V's rounding is bounded by its natural scale S
        (16 ε S, docs/numerics.md): supergravity, and a potential model that supplies
        :meth:`PotentialModel.potential_scale` at y."""

    @abc.abstractmethod
    def kinetic_metric(self, y) -> jax.Array:
        """The real kinetic metric G (L_kin = ½ G_ij ∂y^i ∂y^j) at y."""

    @abc.abstractmethod
    def stationarity_terms(self, y) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
        """``(g, G, S, Q)`` at y for the search's scale-free objective (jaxvac/_search.py):
        ∇V, the kinetic metric, the natural scale of V and the size of the canonical
        curvature (0 where the model has none of its own to offer)."""

    @abc.abstractmethod
    def fields_of(self, y) -> dict[str, Any]:
        """The point ``y`` (or a vector over the real coordinates, e.g. a gradient) in the
        JSON ``fields`` layout (DESIGN.md), as Python floats."""

    def search_region(self) -> dict[str, Any]:
        """Default search bounds of this model, ``{coordinate: (lo, hi)}`` (keys as
        :meth:`coordinate_index` reads them). Default: none (jaxvac's defaults apply)."""
        return {}

    def coordinate_index(self, key: str, source: str = "region") -> int:
        """Index in ``y`` of the real coordinate ``key`` (an :class:`InputError` naming
        ``source`` and the allowed names when there is none)."""
        names = list(self.coordinate_names)
        if key in names:
            return names.index(key)
        raise InputError(
            f"{source}: {key!r} is not a coordinate of {type(self).__name__}; use one of: "
            f"{', '.join(names)}."
        )

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls) if not f.metadata.get("static"))

    def parameters(self) -> dict[str, Any]:
        """The model's parameters as plain Python values (for reports)."""
        out = {}
        for f in dataclasses.fields(self):
            out[f.name] = _to_python(getattr(self, f.name))
        return out


#: Inexact dtypes narrower than float64: a parameter given in one has already lost digits.
_NARROW = ("float16", "bfloat16", "float32", "complex64")


def _scalar_field(f: dataclasses.Field) -> bool:
    """A parameter declared as one number: its default is an int, float or complex (not a
    bool), or, without a default, its annotation says so."""
    default = f.default
    if default is dataclasses.MISSING:
        return f.type in ("float", "int", "complex", float, int, complex)
    return isinstance(default, (int, float, complex)) and not isinstance(default, bool)


def parameter_problem(f: dataclasses.Field, value) -> str | None:
    """What is wrong with ``value`` for the model parameter ``f`` (None if nothing): a
    string, a bool or a list where a number is declared, a non-numeric array, a float32
    value, or a value that is not finite. Tracers and numbers it does not know (mpmath,
    Fraction, Decimal: exact values for the high-precision code) pass; so do parameters with
    no numeric default."""
    if value is None or isinstance(value, jax.core.Tracer):
        return None
    scalar = _scalar_field(f)
    if isinstance(value, (bool, np.bool_)):
        return f"must be a number (got {value!r})" if scalar else None
    if isinstance(value, (str, bytes)):
        return f"must be a number (got {value!r})" if scalar or _numeric_field(f) else None
    if isinstance(value, (list, tuple, dict)) and scalar:
        return f"must be a number (got {value!r})"
    if isinstance(value, (int, float, complex, np.ndarray, np.generic, jax.Array)):
        arr = np.asarray(value)
        if arr.dtype.kind not in "biufc":
            return f"must be numeric (got {value!r})"
        if scalar and arr.ndim:
            return f"must be a number (got an array of shape {arr.shape})"
        if arr.dtype.name in _NARROW:
            return (
                f"is {arr.dtype.name} ({value!r}): jaxvac computes in float64; give it "
                "as a Python number or a float64 array"
            )
        if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
            return f"must be finite (got {value!r})"
    elif isinstance(value, (list, tuple)) and _numeric_field(f):
        leaves = jax.tree.leaves(value)
        if any(isinstance(x, (str, bytes, bool, np.bool_)) for x in leaves):
            return f"must be numeric (got {value!r})"
        if any(isinstance(x, float) and not math.isfinite(x) for x in leaves):
            return f"must be finite (got {value!r})"
    return None


def _numeric_field(f: dataclasses.Field) -> bool:
    """A parameter whose default is an array or a (nested) tuple of numbers."""
    default = f.default
    if isinstance(default, (np.ndarray, jax.Array)):
        return np.asarray(default).dtype.kind in "biufc"
    if isinstance(default, (list, tuple)) and default:
        leaves = jax.tree.leaves(default)
        return bool(leaves) and all(
            isinstance(x, numbers.Number) and not isinstance(x, bool) for x in leaves
        )
    return False


def _to_python(value):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001 - non-numeric field: report its repr
        return repr(value)
    if arr.dtype.kind in "biuf" and arr.ndim == 0:
        return arr.item()
    if arr.dtype.kind == "c" and arr.ndim == 0:
        v = complex(arr.item())
        return {"re": v.real, "im": v.imag}
    if arr.dtype.kind in "biufc":
        return (
            arr.tolist()
            if arr.dtype.kind != "c"
            else [{"re": complex(v).real, "im": complex(v).imag} for v in arr.ravel()]
        )
    return repr(value)


class SupergravityModel(AbstractModel):
    """A 4d N=1 supergravity model: Kähler potential K(z, z̄) and superpotential W(z).

    Subclasses declare ``moduli`` (names of the complex fields, in order), optionally
    ``saxions`` (moduli whose real part must stay positive), their parameters as
    dataclass fields with defaults, and implement :meth:`kahler_potential` and
    :meth:`superpotential` (see ``docs/models.md``).

    **Hierarchy-safe Kähler potentials.** A model whose K contains no-scale logarithms
    may declare them: :meth:`kahler_logs` returns ``{name: n}`` and
    :meth:`kahler_remainder` returns δK, so that ``K = -Σ n log(z+z̄) + δK``. The
    F-term potential is then computed from δK without the cancellation
    ``K^{ab̄} K_a K_b̄ - Σn ≈ 0`` (see ``docs/numerics.md``). Such a model need not
    (and must not) override :meth:`kahler_potential`.
    """

    moduli: ClassVar[tuple[str, ...]] = ()
    saxions: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls.saxions:
            if name not in cls.moduli:
                raise TypeError(
                    f"{cls.__name__}: saxion {name!r} is not one of moduli {cls.moduli}."
                )
        if len(set(cls.moduli)) != len(cls.moduli):
            raise TypeError(f"{cls.__name__}: moduli names must be distinct: {cls.moduli}.")
        declares_logs = _defined_below(cls, "kahler_logs", SupergravityModel)
        overrides_k = _defined_below(cls, "kahler_potential", SupergravityModel)
        if (
            declares_logs
            and overrides_k
            and _defined_in_same_or_later(cls, "kahler_potential", "kahler_logs")
        ):
            raise TypeError(
                f"{cls.__name__} declares kahler_logs() and also overrides "
                "kahler_potential(): with declared logarithms, K is -Σ n log(z+z̄) + "
                "kahler_remainder(z, zbar); define kahler_remainder instead."
            )

    # ---- to be written by the user ----------------------------------------------

    def kahler_potential(self, z, zbar):
        """Real Kähler potential K(z, z̄); ``z``, ``zbar`` complex arrays of shape (n,)."""
        logs = self.kahler_logs()
        if not logs:
            raise NotImplementedError(
                f"{type(self).__name__} must define kahler_potential(self, z, zbar) "
                "(or kahler_logs() and kahler_remainder())."
            )
        return self.kahler_log_part(z, zbar) + self.kahler_remainder(z, zbar)

    def superpotential(self, z):
        """Holomorphic superpotential W(z); complex scalar."""
        raise NotImplementedError(f"{type(self).__name__} must define superpotential(self, z).")

    def extra_potential(self, z, zbar):
        """Real terms added to the F-term potential (uplifts, D-terms, loops). Default 0."""
        return 0.0

    def kahler_logs(self) -> dict[str, float]:
        """No-scale logarithms of K: ``{modulus: n}`` for ``-n log(z + z̄)``. Default none."""
        return {}

    def kahler_remainder(self, z, zbar):
        """δK = K + Σ n log(z + z̄); required when :meth:`kahler_logs` is non-empty."""
        raise NotImplementedError(
            f"{type(self).__name__} declares kahler_logs() but not kahler_remainder()."
        )

    # ---- derived ---------------------------------------------------------------

    def kahler_log_part(self, z, zbar):
        """K0 = -Σ n log(z_i + z̄_i) over the declared logarithms.

        Computed as the real logarithm of Re(z_i + z̄_i) (jaxvac always calls K with
        z̄ = conj(z), where z + z̄ = 2 Re z is real): the complex logarithm would compute
        the same value through a phase and a modulus, and its autodiff derivatives up to
        the fourth order (the Hessian of V) through complex arithmetic. Measured on KKLT:
        V 2.1× and the search's Newton phase 1.2× faster (docs/search.md)."""
        total = 0.0
        for name, n in self.kahler_logs().items():
            i = self.moduli.index(name)
            total = total - n * jnp.log(jnp.real(z[i] + zbar[i]))
        return total

    def log_weights(self):
        """Array (n_moduli,) of declared log weights n_i (0 for undeclared moduli)."""
        logs = self.kahler_logs()
        unknown = set(logs) - set(self.moduli)
        if unknown:
            raise ValueError(
                f"{type(self).__name__}.kahler_logs() names unknown moduli {sorted(unknown)}."
            )
        return jnp.asarray([float(logs.get(m, 0.0)) for m in self.moduli])

    @property
    def n_moduli(self) -> int:
        return len(self.moduli)

    @property
    def coordinate_names(self) -> tuple[str, ...]:
        return tuple(f"{m}.re" for m in self.moduli) + tuple(f"{m}.im" for m in self.moduli)

    @property
    def positive_indices(self) -> tuple[int, ...]:
        return tuple(self.moduli.index(s) for s in self.saxions)

    def real_periods(self) -> dict[int, float]:
        out = {}
        for name, period in self.periods().items():
            if name not in self.moduli:
                raise ValueError(
                    f"{type(self).__name__}.periods() names {name!r}, which is not a "
                    f"modulus (moduli: {self.moduli})."
                )
            out[self.n_moduli + self.moduli.index(name)] = period
        return out

    def split(self, y):
        """Complex moduli z from real coordinates y."""
        n = self.n_moduli
        return y[:n] + 1j * y[n:]

    @property
    def is_supergravity(self) -> bool:
        return True

    def error_analysed_potential(self, y):
        return None  # S, the size of the F-term formula's terms, bounds V's rounding

    def fields_of(self, y) -> dict[str, Any]:
        """``{"T": {"re": .., "im": ..}}``."""
        y = np.asarray(y, dtype=np.float64)
        n = self.n_moduli
        return {m: {"re": float(y[i]), "im": float(y[n + i])} for i, m in enumerate(self.moduli)}

    def coordinate_index(self, key: str, source: str = "region") -> int:
        """``"T"`` or ``"T.re"`` is Re T, ``"T.im"`` is Im T."""
        base, _, part = key.partition(".")
        if base in self.moduli and part in ("", "re", "im"):
            return list(self.coordinate_names).index(f"{base}.{part or 're'}")
        allowed = ", ".join(f"{m}, {m}.im" for m in self.moduli)
        raise InputError(
            f"{source}: {key!r} is not a coordinate of {type(self).__name__}; use one of: "
            f"{allowed}."
        )

    # ---- the physics, once, through the F-term formula (jaxvac._geometry) -------------

    def scalar_potential(self, y):
        return fterm_parts(self, y).V

    def natural_scale(self, y):
        return fterm_parts(self, y).scale

    def potential_and_scale(self, y):
        parts = fterm_parts(self, y)
        return parts.V, parts.scale

    def kinetic_metric(self, y):
        return real_metric(kahler_metric(self, y))

    def stationarity_terms(self, y):
        def f(yy):
            p = fterm_parts(self, yy)
            return p.V, (p.scale, p.metric)

        (_, (S, M)), g = jax.value_and_grad(f, has_aux=True)(y)
        return g, real_metric(M), S, jnp.zeros((), y.dtype)


class PotentialModel(AbstractModel):
    """A plain real potential V(φ) of real fields, with an optional kinetic metric.

    Subclasses declare ``fields``, optionally ``positive`` (fields that must stay > 0),
    parameters as dataclass fields, and implement :meth:`potential`.
    """

    fields: ClassVar[tuple[str, ...]] = ()
    positive: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls.positive:
            if name not in cls.fields:
                raise TypeError(f"{cls.__name__}: positive field {name!r} not in {cls.fields}.")
        if len(set(cls.fields)) != len(cls.fields):
            raise TypeError(f"{cls.__name__}: field names must be distinct: {cls.fields}.")

    def potential(self, phi):
        """Real scalar V(φ); ``phi`` a real array of shape (n,)."""
        raise NotImplementedError(f"{type(self).__name__} must define potential(self, phi).")

    def fields_of(self, y) -> dict[str, Any]:
        """``{"x": ..}``."""
        y = np.asarray(y, dtype=np.float64)
        return {f: float(y[i]) for i, f in enumerate(self.fields)}

    # ---- the physics, once, from the user's V (range-safe derivatives) ---------------

    def scalar_potential(self, y):
        return jnp.asarray(_range.safe(self.potential)(y), y.dtype)

    def natural_scale(self, y):
        V = jnp.abs(self.scalar_potential(y))
        custom = self.potential_scale(y)
        return V if custom is None else V + jnp.abs(jnp.asarray(custom, y.dtype))

    def potential_and_scale(self, y):
        potential = _range.safe(self.potential)
        V = jnp.asarray(potential(y), y.dtype)
        custom = self.potential_scale(y)
        if custom is not None:
            return V, jnp.asarray(custom, y.dtype)
        _, err = _rounding.value_and_error(potential)(y)
        return V, err / EPS

    def kinetic_metric(self, y):
        return jnp.asarray(self.field_metric(y), y.dtype)

    @property
    def is_supergravity(self) -> bool:
        return False

    def error_analysed_potential(self, y):
        return _range.safe(self.potential) if self.potential_scale(y) is None else None

    def stationarity_terms(self, y):
        V, g, H = value_gradient_hessian(self.scalar_potential, y)
        G = self.kinetic_metric(y)
        custom = self.potential_scale(y)
        S = jnp.abs(V) if custom is None else jnp.abs(jnp.asarray(custom, y.dtype)) + jnp.abs(V)
        L = _linalg.cholesky(0.5 * (G + G.T))
        A = _linalg.solve_triangular(L, H, lower=True)
        A = _linalg.solve_triangular(L, A.T, lower=True)
        return g, G, S, jnp.sqrt(jnp.sum(A**2))

    def field_metric(self, phi):
        """Kinetic metric G_ij(φ) with L_kin = ½ G_ij ∂φ^i ∂φ^j. Default: identity."""
        return jnp.eye(len(self.fields), dtype=phi.dtype)

    def potential_scale(self, phi):
        """Optional: size of the terms whose sum is V (for the digits estimate).

        By default jaxvac bounds the rounding error of V itself by running error
        analysis of :meth:`potential` (``docs/numerics.md``); override only to supply
        a sharper, model-specific scale.
        """
        return None

    @property
    def coordinate_names(self) -> tuple[str, ...]:
        return tuple(self.fields)

    @property
    def positive_indices(self) -> tuple[int, ...]:
        return tuple(self.fields.index(p) for p in self.positive)

    def real_periods(self) -> dict[int, float]:
        out = {}
        for name, period in self.periods().items():
            if name not in self.fields:
                raise ValueError(
                    f"{type(self).__name__}.periods() names {name!r}, which is not a "
                    f"field (fields: {self.fields})."
                )
            out[self.fields.index(name)] = period
        return out


def _defined_below(cls, name, base) -> bool:
    for klass in cls.__mro__:
        if klass is base:
            return False
        if name in klass.__dict__:
            return True
    return False


def _defined_in_same_or_later(cls, first, second) -> bool:
    """True if ``first`` is defined in the same class as, or a subclass of, ``second``'s."""

    def owner(name):
        for i, klass in enumerate(cls.__mro__):
            if name in klass.__dict__:
                return i
        return math.inf

    return owner(first) <= owner(second)


# ---- canonical form: every numeric parameter is a float64/int64/complex128 array --------


def _canonical_leaf(x):
    if isinstance(x, (bool, np.bool_)):
        return jnp.asarray(x)
    if isinstance(x, (numbers.Number, np.ndarray, np.generic)) or (
        isinstance(x, jax.Array) and not isinstance(x, jax.core.Tracer)
    ):
        arr = np.asarray(x)
        if arr.dtype.kind == "f":
            return jnp.asarray(arr, dtype=jnp.float64)
        if arr.dtype.kind == "c":
            return jnp.asarray(arr, dtype=jnp.complex128)
        if arr.dtype.kind in "iu":
            return jnp.asarray(arr, dtype=jnp.int64)
        return jnp.asarray(arr)
    if isinstance(x, jax.Array):
        if x.dtype == jnp.float32:
            return x.astype(jnp.float64)
        return x
    return x


_Model = TypeVar("_Model", bound=AbstractModel)


def canonical(model: _Model) -> _Model:
    """Return ``model`` with every numeric parameter as a 64-bit JAX array.

    Python floats in a Module are static under ``eqx.filter_jit``; turning them into
    arrays makes one compiled function serve every parameter point.

    **Arguments:**

    - `model`: any jaxvac model.

    **Returns:**

    The same model with float64 (or complex128) JAX arrays for its numeric fields.
    """
    return jax.tree.map(_canonical_leaf, model)
