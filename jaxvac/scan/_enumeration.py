"""Enumerated parameter spaces: every integer point of a box, as the parameter points of a
scan (``[enumerate]``; ``docs/scans.md``, "Enumeration").

A configuration's ``[enumerate]`` names integer-valued array (or scalar) parameters with a
range per component, ``NAME = [LOW, HIGH]`` (every component) or ``NAME = [[LOW, HIGH],
...]`` (one pair per component), and optionally ``tadpole = [MIN, MAX]`` for a flux model
(a model with a ``tadpole()`` method: the signed N_flux of its fluxes). The box's points are
numbered in mixed radix — parameters in name order, components in order, the last component
fastest — so point id ``i`` *is* a flux vector, and a chunk (ids ``[k·chunk, (k+1)·chunk)``)
is reproducible from its index alone. Within a chunk only the points inside the tadpole
window are computed (and written); the others are counted as skipped.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from .._errors import InputError
from ._checks import check_keys
from ._sampling import MAX_POINTS


def _pairs(value: Any, where: str) -> tuple[tuple[int, int], ...] | tuple[int, int]:
    """``[LOW, HIGH]`` (one pair for every component) or ``[[LOW, HIGH], ...]``."""

    def pair(v, w):
        if (
            not isinstance(v, list)
            or len(v) != 2
            or any(isinstance(x, bool) or not isinstance(x, int) for x in v)
        ):
            raise InputError(f"{w} must be [LOW, HIGH], two integers (got {v!r}).")
        if not v[0] <= v[1]:
            raise InputError(f"{w}: need LOW <= HIGH (got {v!r}).")
        if max(abs(v[0]), abs(v[1])) > 2**31:
            raise InputError(f"{w}: bounds must be at most 2^31 in size (got {v!r}).")
        return (int(v[0]), int(v[1]))

    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return tuple(pair(v, f"{where}[{i}]") for i, v in enumerate(value))
    return pair(value, where)


@dataclasses.dataclass(frozen=True)
class Enumeration:
    """The box ``low ≤ parameters ≤ high`` (componentwise) with an optional tadpole window;
    ``ranges``: ``((name, lows, highs), ...)`` in name order, ``shapes`` the parameters'
    shapes (``()`` for a scalar)."""

    ranges: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]
    shapes: tuple[tuple[int, ...], ...]
    tadpole: tuple[int, int] | None = None

    @classmethod
    def normalise(cls, table: Any, base_model) -> Enumeration:
        """The ``[enumerate]`` table, checked against the model ``base_model``."""
        where = "enumerate"
        if not isinstance(table, dict) or not table:
            raise InputError(
                "[enumerate] must be a table of NAME = [LOW, HIGH] for integer parameters "
                "(and optionally tadpole = [MIN, MAX])."
            )
        model_cls = type(base_model)
        names = [f.name for f in dataclasses.fields(model_cls)]
        check_keys(table, (*names, "tadpole"), where)
        ranges, shapes = [], []
        for name in sorted(k for k in table if k != "tadpole"):
            shape = np.shape(np.asarray(getattr(base_model, name)))
            if len(shape) > 1 or np.asarray(getattr(base_model, name)).dtype.kind not in "biuf":
                raise InputError(
                    f"{where}.{name}: only numeric scalar or vector parameters can be "
                    f"enumerated ({name!r} of {model_cls.__name__} has shape {shape})."
                )
            n = shape[0] if shape else 1
            got = _pairs(table[name], f"{where}.{name}")
            if isinstance(got[0], tuple):
                if len(got) != n:
                    raise InputError(
                        f"{where}.{name}: {len(got)} ranges for a parameter of {n} components."
                    )
                pairs = got
            else:
                pairs = (got,) * n
            ranges.append(
                (name, tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))  # type: ignore[index]
            )
            shapes.append(tuple(shape))
        if not ranges:
            raise InputError(f"[{where}]: name at least one parameter to enumerate.")
        tadpole = None
        if "tadpole" in table:
            if not callable(getattr(base_model, "tadpole", None)):
                raise InputError(
                    f"{where}.tadpole: {model_cls.__name__} is not a flux model (it has no "
                    "tadpole() of its fluxes)."
                )
            if not {"F", "H"} <= {r[0] for r in ranges}:
                raise InputError(f"{where}.tadpole: enumerate both flux vectors F and H.")
            t = _pairs(table["tadpole"], f"{where}.tadpole")
            if isinstance(t[0], tuple):
                raise InputError(f"{where}.tadpole must be [MIN, MAX], two integers.")
            tadpole = (int(t[0]), int(t[1]))  # type: ignore[arg-type]
        out = cls(tuple(ranges), tuple(shapes), tadpole)
        if out.size > MAX_POINTS:
            raise InputError(f"[{where}]: the box has {out.size} points (at most 2^53).")
        return out

    @property
    def low(self) -> np.ndarray:
        return np.concatenate([np.asarray(r[1], np.int64) for r in self.ranges])

    @property
    def radix(self) -> np.ndarray:
        high = np.concatenate([np.asarray(r[2], np.int64) for r in self.ranges])
        return high - self.low + 1

    @property
    def size(self) -> int:
        return math.prod(int(r) for r in self.radix)

    def to_dict(self) -> dict[str, Any]:
        """The normalised table (JSON data: one [LOW, HIGH] per component)."""
        out: dict[str, Any] = {
            name: [[lo, hi] for lo, hi in zip(lows, highs, strict=True)]
            for name, lows, highs in self.ranges
        }
        if self.tadpole is not None:
            out["tadpole"] = list(self.tadpole)
        return out

    def decode(self, ids) -> dict[str, np.ndarray]:
        """The parameter values (int64) of the box points numbered ``ids``."""
        return split_digits(mixed_radix(ids, self.low, self.radix), self.ranges, self.shapes)


def mixed_radix(ids, low, radix) -> np.ndarray:
    """Rows ``low + digits(ids)`` (int64 (n, len(radix))), the last digit fastest."""
    rest = np.array(ids, np.int64, copy=True)
    out = np.empty((rest.shape[0], len(radix)), np.int64)
    for j in range(len(radix) - 1, -1, -1):
        out[:, j] = rest % radix[j]
        rest //= radix[j]
    return out + np.asarray(low, np.int64)


def split_digits(rows: np.ndarray, ranges, shapes) -> dict[str, np.ndarray]:
    out, j = {}, 0
    for (name, lows, _), shape in zip(ranges, shapes, strict=True):
        k = len(lows)
        out[name] = rows[:, j : j + k].reshape((rows.shape[0], *shape))
        j += k
    return out
