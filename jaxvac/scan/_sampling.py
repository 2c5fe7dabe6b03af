"""What each parameter point draws: the distributions of ``[sample.NAME]`` and the
derivation of every draw from ``(seed, point id)`` (``docs/scans.md``, "Distributions" and
"Reproducibility").

A distribution is a small frozen class: :meth:`Distribution.normalise` reads and checks its
TOML table, :meth:`Distribution.draw` is a pure JAX function of a PRNG key (so parameter
draws happen inside the compiled chunk function), :meth:`Distribution.support` names the
values a configuration is checked against the model with, and :meth:`Distribution.to_dict`
is the normalised table the manifest records. Adding a law is adding a class with
:func:`register`. Reading a scan's draws back (:func:`manifest_sampling`) needs this module
only: no model, no solver.
"""

from __future__ import annotations

import abc
import dataclasses
import math
import zlib
from typing import Any, ClassVar, TypeVar, dataclass_transform

import jax
import jax.numpy as jnp

from .._errors import InputError
from ._checks import check_int, check_keys, check_number

#: Largest number of parameter points (point ids are int64; draws fold in both 32-bit halves).
MAX_POINTS = 2**53

#: Largest |z| of jax.random.normal in float64 (sqrt(2) erfinv(1 - 2^-53) = 8.29), rounded up.
NORMAL_MAX = 8.5


class Distribution(abc.ABC):
    """The law of one sampled parameter. A concrete law is a class decorated with
    :func:`register`: a frozen dataclass, hashable, so that the chunk function is compiled
    once per set of laws."""

    #: The ``dist`` name of the TOML table.
    name: ClassVar[str]

    @classmethod
    @abc.abstractmethod
    def normalise(cls, table: dict[str, Any], where: str) -> Distribution:
        """The distribution a ``[sample.NAME]`` table (``where``) describes, its keys checked
        (unknown keys, types, bounds whose draws would not be finite in float64)."""

    @abc.abstractmethod
    def draw(self, key: jax.Array, shape: tuple[int, ...] = ()) -> jax.Array:
        """Values of ``shape`` (pure; jittable)."""

    @abc.abstractmethod
    def support(self) -> tuple[float, ...]:
        """Values the model must accept: the edges of the range (the mean of a normal law)."""

    def integer_valued(self) -> bool:
        """Whether every draw is an integer (an integer parameter may be sampled)."""
        return False

    def to_dict(self) -> dict[str, Any]:
        """The normalised table, as the manifest records it (JSON data)."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore
        return {"dist": self.name, **fields}


#: dist name -> class, in the order the docs and the error message list them.
DISTRIBUTIONS: dict[str, type[Distribution]] = {}


_Law = TypeVar("_Law", bound=Distribution)


@dataclass_transform()  # so that a type checker sees the dataclass fields and __init__
def register(cls: type[_Law]) -> type[_Law]:
    """Class decorator of a law: makes ``cls`` a frozen dataclass (its fields are the keys
    of its table) and available as ``dist = cls.name``."""
    cls = dataclasses.dataclass(frozen=True)(cls)
    DISTRIBUTIONS[cls.name] = cls
    return cls


def _finite_draws(where: str, *extremes: float) -> None:
    """Refuse a law whose draws can overflow float64: ``extremes`` are the largest values
    its draw function computes on the way (e.g. high - low for a uniform law)."""
    if not all(math.isfinite(x) for x in extremes):
        raise InputError(
            f"{where}: draws are not finite in float64 with these bounds (the draw computes "
            f"{' and '.join(f'{x:g}' for x in extremes)}); narrow the range."
        )


def _low_high(table, where) -> tuple[float, float]:
    """The numbers ``low`` and ``high`` of a table with no other key but ``dist``."""
    check_keys(table, ("dist", "low", "high"), where)
    return check_number(table, "low", where), check_number(table, "high", where)


@register
class Uniform(Distribution):
    """Flat on [low, high]."""

    name: ClassVar[str] = "uniform"
    low: float
    high: float

    @classmethod
    def normalise(cls, table, where):
        low, high = _low_high(table, where)
        if not low < high:
            raise InputError(f"{where}: need low < high (got low={low}, high={high}).")
        _finite_draws(where, high - low)  # jax.random.uniform: low + (high - low) u
        return cls(low, high)

    def draw(self, key, shape=()):
        return jax.random.uniform(key, shape, jnp.float64, self.low, self.high)

    def support(self):
        return (self.low, self.high)


@register
class Symmetric(Distribution):
    """Flat on [-scale, scale]: the seed papers' "uniform allowing zero"."""

    name: ClassVar[str] = "symmetric"
    scale: float

    @classmethod
    def normalise(cls, table, where):
        check_keys(table, ("dist", "scale"), where)
        scale = check_number(table, "scale", where)
        if not scale > 0:
            raise InputError(f"{where}.scale must be > 0 (got {scale}).")
        _finite_draws(where, 2 * scale)
        return cls(scale)

    def draw(self, key, shape=()):
        return jax.random.uniform(key, shape, jnp.float64, -self.scale, self.scale)

    def support(self):
        return (-self.scale, self.scale)


@register
class LogUniform(Uniform):
    """Flat in log x on [low, high], 0 < low."""

    name: ClassVar[str] = "loguniform"

    @classmethod
    def normalise(cls, table, where):
        low, high = _low_high(table, where)
        if not 0 < low < high:
            raise InputError(
                f"{where}: {cls.name} needs 0 < low < high (got low={low}, high={high}); "
                "for ranges through zero use 'uniform' or 'symmetric'."
            )
        return cls(low, high)

    def draw(self, key, shape=()):
        u = jax.random.uniform(key, shape, jnp.float64, math.log(self.low), math.log(self.high))
        return jnp.exp(u)


@register
class SignedLogUniform(LogUniform):
    """A random sign times a :class:`LogUniform` magnitude."""

    name: ClassVar[str] = "signed-loguniform"

    def draw(self, key, shape=()):
        k1, k2 = jax.random.split(key)
        sign = jnp.where(jax.random.bernoulli(k2, 0.5, shape), 1.0, -1.0)
        return sign * super().draw(k1, shape)

    def support(self):
        return (-self.high, -self.low, self.low, self.high)


@register
class Normal(Distribution):
    """Gaussian with ``mean`` (default 0) and ``std``."""

    name: ClassVar[str] = "normal"
    mean: float
    std: float

    @classmethod
    def normalise(cls, table, where):
        check_keys(table, ("dist", "mean", "std"), where)
        mean = check_number(table, "mean", where, default=0.0)
        std = check_number(table, "std", where)
        if not std > 0:
            raise InputError(f"{where}.std must be > 0 (got {std}).")
        _finite_draws(where, abs(mean) + NORMAL_MAX * std)
        return cls(mean, std)

    def draw(self, key, shape=()):
        return self.mean + self.std * jax.random.normal(key, shape, jnp.float64)

    def support(self):
        return (self.mean,)


def _is_number(v) -> bool:
    return not isinstance(v, bool) and isinstance(v, (int, float))


@register
class Choice(Distribution):
    """One of ``values`` (numbers as written), with ``weights`` (default: equal)."""

    name: ClassVar[str] = "choice"
    values: tuple
    weights: tuple[float, ...] | None = None

    @classmethod
    def normalise(cls, table, where):
        check_keys(table, ("dist", "values", "weights"), where)
        values = table.get("values")
        if not isinstance(values, list) or not values:
            raise InputError(
                f"{where}.values must be a non-empty list of numbers (got {values!r})."
            )
        for v in values:
            if not _is_number(v) or not math.isfinite(v):
                raise InputError(f"{where}.values must be finite numbers (got {v!r}).")
        weights = table.get("weights")
        if weights is not None:
            if (
                not isinstance(weights, list)
                or len(weights) != len(values)
                or not all(_is_number(w) for w in weights)
            ):
                raise InputError(f"{where}.weights must be a list of {len(values)} numbers.")
            if any(not (w >= 0 and math.isfinite(w)) for w in weights) or sum(weights) <= 0:
                raise InputError(f"{where}.weights must be >= 0 and not all 0 (got {weights}).")
            weights = tuple(float(w) for w in weights)
        return cls(tuple(values), weights)

    def draw(self, key, shape=()):
        values = jnp.asarray(self.values)
        p = None if self.weights is None else jnp.asarray(self.weights) / sum(self.weights)
        return jax.random.choice(key, values, shape, replace=True, p=p)

    def support(self):
        return self.values

    def integer_valued(self):
        return all(isinstance(v, int) for v in self.values)

    def to_dict(self):
        out: dict[str, Any] = {"dist": self.name, "values": list(self.values)}
        if self.weights is not None:
            out["weights"] = list(self.weights)
        return out


@register
class Integer(Distribution):
    """Uniform on the integers {low, ..., high} (int64)."""

    name: ClassVar[str] = "integer"
    low: int
    high: int

    @classmethod
    def normalise(cls, table, where):
        check_keys(table, ("dist", "low", "high"), where)
        bounds: list[int] = []
        for key in ("low", "high"):
            v = table.get(key)
            if isinstance(v, bool) or not isinstance(v, int):
                raise InputError(f"{where}.{key} must be an integer (got {v!r}).")
            if not -(2**63) <= v < 2**63 - 1:  # int64 draws of randint(low, high + 1)
                raise InputError(
                    f"{where}.{key} must be an integer between {-(2**63)} and "
                    f"{2**63 - 2} (got {v})."
                )
            bounds.append(v)
        low, high = bounds
        if not low <= high:
            raise InputError(f"{where}: need low <= high (got low={low}, high={high}).")
        return cls(low, high)

    def draw(self, key, shape=()):
        return jax.random.randint(key, shape, self.low, self.high + 1, dtype=jnp.int64)

    def support(self):
        return (self.low, self.high)

    def integer_valued(self):
        return True


@register
class Flux(Distribution):
    """Integer flux vectors (F, H), every component uniform on {low, ..., high}, conditioned
    on the signed tadpole ``tadpole[0] ≤ N_flux = F·ΣH ≤ tadpole[1]`` (docs/flux.md,
    conventions: N = Σ_{i<n} F_i H_{n+i} − F_{n+i} H_i for vectors of length 2n), by
    rejection: up to ``tries`` draws of the pair per point, each from its own key. Given on
    ``F`` (``[sample.F]``), it draws ``H`` too (same length). A point whose ``tries`` draws
    all miss the window gets NaN fluxes (its starts then fail with a result code, never
    a silent point outside the window)."""

    name: ClassVar[str] = "flux"
    low: int
    high: int
    tadpole: tuple[int, int]
    tries: int = 256
    #: The parameter drawn with this one.
    partner: ClassVar[str] = "H"

    @classmethod
    def normalise(cls, table, where):
        check_keys(table, ("dist", "low", "high", "tadpole", "tries"), where)
        low, high = (Integer.normalise({k: table.get(k) for k in ("low", "high")}, where)).support()
        window = table.get("tadpole")
        if (
            not isinstance(window, list)
            or len(window) != 2
            or any(isinstance(v, bool) or not isinstance(v, int) for v in window)
            or window[0] > window[1]
        ):
            raise InputError(f"{where}.tadpole must be [MIN, MAX], two integers with MIN <= MAX.")
        tries = check_int(table, "tries", 1, 1_000_000, f"{where}.") if "tries" in table else 256
        return cls(int(low), int(high), (int(window[0]), int(window[1])), tries)

    def draw(self, key, shape=()):
        n = shape[-1] // 2 if shape else 0

        def pair(k):
            return jax.random.randint(k, (2, *shape), self.low, self.high + 1, dtype=jnp.int64)

        def inside(G):
            F, H = G[0], G[1]
            N = jnp.sum(F[:n] * H[n:]) - jnp.sum(F[n:] * H[:n])
            return (N >= self.tadpole[0]) & (N <= self.tadpole[1])

        def cond(state):
            i, G = state
            return (i < self.tries) & ~inside(G)

        def body(state):
            i, _ = state
            return i + 1, pair(jax.random.fold_in(key, i + 1))

        _, G = jax.lax.while_loop(cond, body, (jnp.asarray(0), pair(jax.random.fold_in(key, 0))))
        G = jnp.where(inside(G), G.astype(jnp.float64), jnp.nan)
        return G[0], G[1]

    def support(self):
        return (self.low, self.high)

    def integer_valued(self):
        return True

    def to_dict(self):
        out = super().to_dict()
        out["tadpole"] = list(self.tadpole)
        return out


def normalise_distribution(table: Any, where: str) -> Distribution:
    """The distribution of one ``[sample.NAME]`` table (``where`` names it in errors)."""
    if not isinstance(table, dict):
        raise InputError(f"{where} must be a table with a 'dist' key (got {table!r}).")
    dist = table.get("dist")
    if not isinstance(dist, str) or dist not in DISTRIBUTIONS:
        raise InputError(f"{where}.dist must be one of {', '.join(DISTRIBUTIONS)} (got {dist!r}).")
    return DISTRIBUTIONS[dist].normalise(dict(table), where)


# ---- draws of a parameter point ------------------------------------------------------------


def freeze(obj):
    """Configuration data in a hashable form (dicts and lists as tuples): a static argument
    of the chunk function."""
    if isinstance(obj, dict):
        return tuple((k, freeze(v)) for k, v in obj.items())
    if isinstance(obj, list):
        return tuple(freeze(v) for v in obj)
    return obj


def parameter_salt(name: str) -> int:
    """A stable 31-bit number per parameter name: adding or removing a sampled parameter
    leaves the draws of the others unchanged."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def point_key(seed, pid) -> jax.Array:
    """The PRNG key of parameter point ``pid`` (an int64 id): fold both 32-bit halves."""
    key = jax.random.key(seed)
    pid = jnp.asarray(pid, jnp.int64)
    key = jax.random.fold_in(key, (pid >> 32).astype(jnp.uint32))
    return jax.random.fold_in(key, (pid & 0xFFFFFFFF).astype(jnp.uint32))


def draw_parameters(sample: tuple, base, seed, pid) -> dict[str, jax.Array]:
    """The sampled parameter values of point ``pid`` (pure; jittable, vmappable).
    ``sample``: ``((name, distribution), ...)`` (:func:`freeze` of a configuration's
    ``sample``); ``base`` has a leaf of each parameter's shape and dtype."""
    kp = jax.random.fold_in(point_key(seed, pid), 0)
    out = {}
    for name, dist in sample:
        leaf = getattr(base, name)
        value = dist.draw(jax.random.fold_in(kp, parameter_salt(name)), jnp.shape(leaf))
        dtype = jnp.asarray(leaf).dtype
        if isinstance(value, tuple):  # a joint law (Flux): this parameter and its partner
            value, out[dist.partner] = value[0], value[1].astype(dtype)  # type: ignore[attr-defined]
        out[name] = value.astype(dtype)
    return out


def manifest_sampling(config: Any, where: str = "manifest: config") -> dict[str, Any]:
    """What a recorded configuration (a manifest's ``config``) says each parameter point
    drew: ``points``, ``chunk`` (as the scan used it), ``seed`` and ``sample`` (name ->
    :class:`Distribution`), validated as data. Reading a scan needs nothing else: its model
    is neither imported nor built."""
    if not isinstance(config, dict):
        raise InputError(f"{where} must be a table.")
    points = check_int(config, "points", 1, MAX_POINTS, f"{where}.")
    chunk = min(check_int(config, "chunk", 1, 10_000_000, f"{where}."), points)
    seed = check_int(config, "seed", 0, 2**63 - 1, f"{where}.")
    sample = config.get("sample", {})
    if not isinstance(sample, dict):
        raise InputError(f"{where}.sample must be a table of distributions.")
    sample = {
        name: normalise_distribution(table, f"{where}.sample.{name}")
        for name, table in sample.items()
    }
    return {"points": points, "chunk": chunk, "seed": seed, "sample": sample}
