"""A model restricted to a slice: some real coordinates held at fixed values.

The slice is a plain potential (:class:`~jaxvac.PotentialModel`) in the other ("free")
coordinates, with the base model's V, its natural scale (for the digits estimate) and the
free block of its kinetic metric. Its critical
points are those of V *restricted to the slice* (∂V/∂y_free = 0); they are critical points
of V only where, in addition, ∂V vanishes along the fixed coordinates.

Two users: :func:`jaxvac.locate_critical_point` with ``fixed=`` (a staged solve: the heavy
fields at fixed values of the light ones), and :func:`jaxvac.certify_region` for
coordinates given as ``LO = HI`` (e.g. the volume axion Im T_b of LVS, along which V is
flat: ball arithmetic over a box does not see that flatness, because the autodiff
derivative along it is a difference of equal complex terms, which balls do not cancel).
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar

import jax.numpy as jnp
import numpy as np

from ._model import AbstractModel, PotentialModel


class SliceModel(PotentialModel):
    """Base of the slice classes :func:`restrict` makes (one per model class and fixed
    set): ``base`` the model, ``values`` the fixed coordinates' values."""

    base: AbstractModel
    values: Any  # the fixed coordinates' values (float64)
    free_index: ClassVar[tuple[int, ...]] = ()
    fixed_index: ClassVar[tuple[int, ...]] = ()

    def full(self, phi):
        """The base model's real coordinates y of the slice point ``phi``."""
        n = len(self.free_index) + len(self.fixed_index)
        y = jnp.zeros((n,), dtype=phi.dtype)
        y = y.at[jnp.array(self.free_index)].set(phi)
        return y.at[jnp.array(self.fixed_index)].set(jnp.asarray(self.values, phi.dtype))

    def potential(self, phi):
        return self.base.scalar_potential(self.full(phi))

    def potential_scale(self, phi):
        """The base model's natural scale at the point (V of the slice is the base's V, and
        carries the rounding of the same terms)."""
        return self.base.potential_and_scale(self.full(phi))[1]

    def field_metric(self, phi):
        G = self.base.kinetic_metric(self.full(phi))
        idx = jnp.array(self.free_index)
        return G[idx][:, idx]


@functools.cache
def _slice_class(base: type, names: tuple[str, ...], positive: tuple[int, ...], fixed_index):
    """One class per (model class, coordinates, fixed set): compiled programs are reused."""
    free_index = tuple(i for i in range(len(names)) if i not in fixed_index)
    return type(
        f"{base.__name__}Slice",
        (SliceModel,),
        {
            "fields": tuple(names[i] for i in free_index),
            "positive": tuple(names[i] for i in free_index if i in positive),
            "free_index": free_index,
            "fixed_index": tuple(fixed_index),
            "__module__": __name__,
        },
    )


def fixed_indices(model: AbstractModel, fixed) -> tuple[int, ...]:
    """``fixed`` — indices of real coordinates, or a boolean mask over them (a concrete
    sequence or NumPy array) — as a sorted tuple of distinct indices. A ``ValueError``
    when an index is out of range, the mask has the wrong length, or nothing is left free."""
    n = model.n_real
    arr = np.asarray(fixed)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(
                f"fixed: a boolean mask needs one entry per real coordinate ({n}; got shape "
                f"{arr.shape})."
            )
        index = tuple(int(i) for i in np.flatnonzero(arr))
    else:
        if arr.ndim > 1 or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
            raise ValueError(f"fixed: give coordinate indices or a boolean mask (got {fixed!r}).")
        index = tuple(sorted({int(i) for i in arr.reshape(-1)}))
        if any(not 0 <= i < n for i in index):
            raise ValueError(f"fixed: indices must lie in [0, {n}) (got {list(index)}).")
    if len(index) == n:
        raise ValueError("fixed: every coordinate is fixed; nothing is left to solve for.")
    return index


def restrict(model: AbstractModel, fixed_index: tuple[int, ...], values) -> SliceModel:
    """``model`` with the real coordinates ``fixed_index`` held at ``values`` (in that
    order; a traced array is fine): a plain potential in the other coordinates, with
    their names and positivity."""
    cls = _slice_class(
        type(model), tuple(model.coordinate_names), tuple(model.positive_indices), fixed_index
    )
    return cls(base=model, values=values)


def fix_coordinates(model: AbstractModel, fixed: dict[str, float]) -> SliceModel:
    """``model`` with the real coordinates ``fixed`` ({name: value}) held at their values:
    a plain potential in the other coordinates (same names, same positivity)."""
    names = tuple(model.coordinate_names)
    order = sorted((names.index(k), float(v)) for k, v in fixed.items())
    return restrict(
        model,
        tuple(i for i, _ in order),
        np.asarray([v for _, v in order], dtype=np.float64),
    )
