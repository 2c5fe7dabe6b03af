"""Built-in flux models: the rigid-CY toy and the P[1,1,1,6,9][18] example of
arXiv:1912.10047 (data in ``jaxvac/data/flux/p11169.json`` with their sources)."""

from __future__ import annotations

import json
from importlib import resources
from typing import ClassVar

import numpy as np

from ._models import PrepotentialModel, RigidFluxModel, flux_field


def load_geometry(name: str) -> dict:
    """The JSON data file ``jaxvac/data/flux/NAME.json`` (read, never executed)."""
    text = resources.files("jaxvac").joinpath("data", "flux", f"{name}.json").read_text()
    return json.loads(text)


def kappa_array(h: int, nonzero: dict[str, float]) -> np.ndarray:
    """The symmetric κ_abc (h, h, h) from ``{"abc": value}`` (1-based indices)."""
    kappa = np.zeros((h, h, h))
    for key, value in nonzero.items():
        a, b, c = (int(ch) - 1 for ch in key)
        for i, j, k in {(a, b, c), (a, c, b), (b, a, c), (b, c, a), (c, a, b), (c, b, a)}:
            kappa[i, j, k] = value
    return kappa


def _nested(x):
    arr = np.asarray(x, float)
    return tuple(_nested(v) for v in arr) if arr.ndim > 1 else tuple(arr.tolist())


_P = load_geometry("p11169")


class P11169(PrepotentialModel):
    """Mirror of P[1,1,1,6,9][18] at large complex structure, h^{2,1} = 2 (arXiv:1912.10047):
    κ₁₁₁ = 9, κ₁₁₂ = 3, κ₁₂₂ = 1, χ(X̃) = −540, n_(1,0) = 540, n_(0,1) = 3; default fluxes
    the perturbatively flat vacuum M = (−16, 50), K = (3, −4) (sources in the data file)."""

    moduli: ClassVar[tuple[str, ...]] = ("U1", "U2", "S")
    saxions: ClassVar[tuple[str, ...]] = ("U1", "U2", "S")
    kappa: tuple = _nested(kappa_array(2, _P["kappa_nonzero"]))
    a: tuple = _nested(_P["a"])
    b: tuple = tuple(float(c) / 24.0 for c in _P["c2"])
    chi: float = float(_P["chi"])
    gv_charges: tuple = _nested(_P["gv"]["charges"])
    gv_values: tuple = tuple(float(v) for v in _P["gv"]["values"])
    F: tuple = flux_field(_P["pfv"]["F"])
    H: tuple = flux_field(_P["pfv"]["H"])


BUILTIN = {"flux-rigid": RigidFluxModel, "flux-p11169": P11169}
