"""A model restricted to a slice: some real coordinates fixed at exact values.

Used by :func:`jaxvac.certify_region` for coordinates given as ``LO = HI`` (e.g. the
volume axion Im T_b of LVS, along which V is flat: ball arithmetic over a box does not
see that flatness, because the autodiff derivative along it is a difference of equal
complex terms, which balls do not cancel). The slice is a plain potential in the other
coordinates with the base model's V and the sub-block of its kinetic metric; its
critical points are those of V *restricted to the slice* — critical points of V when,
in addition, ∂V vanishes along the fixed coordinates (for a shift-symmetric axion a
property of the model's formulas, not something the interval computation proves).
"""

from __future__ import annotations

from typing import Any, ClassVar

import jax.numpy as jnp
import numpy as np

from .._model import AbstractModel, PotentialModel
from .._potential import kinetic_metric, scalar_potential


class _SliceBase(PotentialModel):
    base: AbstractModel
    values: Any  # the fixed coordinates' values (float64)
    free_index: ClassVar[tuple[int, ...]] = ()
    fixed_index: ClassVar[tuple[int, ...]] = ()

    def _full(self, phi):
        n = len(self.free_index) + len(self.fixed_index)
        y = jnp.zeros((n,), dtype=phi.dtype)
        y = y.at[jnp.array(self.free_index)].set(phi)
        return y.at[jnp.array(self.fixed_index)].set(jnp.asarray(self.values, phi.dtype))

    def potential(self, phi):
        return scalar_potential(self.base, self._full(phi))

    def field_metric(self, phi):
        G = kinetic_metric(self.base, self._full(phi))
        idx = jnp.array(self.free_index)
        return G[idx][:, idx]


def fix_coordinates(model: AbstractModel, fixed: dict[str, float]) -> PotentialModel:
    """``model`` with the real coordinates ``fixed`` ({name: value}) held at their values:
    a plain potential in the other coordinates (same names, same positivity)."""
    names = tuple(model.coordinate_names)
    fixed_index = tuple(names.index(k) for k in fixed)
    free_index = tuple(i for i in range(len(names)) if i not in fixed_index)
    pos = set(model.positive_indices)
    cls = type(
        f"{type(model).__name__}Slice",
        (_SliceBase,),
        {
            "fields": tuple(names[i] for i in free_index),
            "positive": tuple(names[i] for i in free_index if i in pos),
            "free_index": free_index,
            "fixed_index": fixed_index,
            "__module__": __name__,
        },
    )
    return cls(base=model, values=np.asarray([float(v) for v in fixed.values()], dtype=np.float64))
