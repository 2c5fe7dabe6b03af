"""Built-in flux models: the rigid-CY toy, the P[1,1,1,6,9][18] example of
arXiv:1912.10047 (data in ``jaxvac/data/flux/p11169.json``) and the (h^{2,1}, h^{1,1}) =
(4, 214) example of arXiv:2107.09064 §6.4 (``jaxvac/data/flux/dkmmr_4_214_647.json``), each
data file with its sources."""

from __future__ import annotations

import json
from importlib import resources
from typing import ClassVar

import equinox as eqx
import numpy as np

from ._models import PrepotentialModel, RigidFluxModel, flux_field
from ._toric import a_convention


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


_D = load_geometry("dkmmr_4_214_647")
_K4 = kappa_array(4, _D["computed"]["kappa_nonzero"])


class Mirror4214(PrepotentialModel):
    """The h^{1,1} = 4 mirror X̃ of the (h^{2,1}, h^{1,1}) = (4, 214) orientifold of
    arXiv:2107.09064 §6.4, at large complex structure: κ̃_abc, c̃₂ and χ(X̃) = −420 computed
    by :func:`jaxvac.flux.hypersurface_topology` from the paper's ancillary triangulation
    (basis: the prime toric divisors of dual points 3, 4, 5, 8), a_ab of its eq. (2.3), the
    78 GV classes with q·p ≤ 2; default fluxes its perturbatively flat vacuum
    M = (10, 11, −11, −5), K = (−3, −5, 8, 6), with W0 ≈ 2.3 × 10⁻⁹⁰ (float64 cannot resolve
    it: :func:`jaxvac.flux.pfv_vacuum` solves it at high precision). Sources in the data
    file."""

    moduli: ClassVar[tuple[str, ...]] = ("U1", "U2", "U3", "U4", "S")
    saxions: ClassVar[tuple[str, ...]] = ("U1", "U2", "U3", "U4", "S")
    kappa: tuple = _nested(_K4)
    a: tuple = _nested(a_convention(_K4))
    b: tuple = tuple(float(c) / 24.0 for c in _D["computed"]["c2"])
    chi: float = float(_D["computed"]["chi"])
    gv_charges: tuple = _nested(_D["gv"]["charges"])
    gv_values: tuple = tuple(float(v) for v in _D["gv"]["values"])
    F: tuple = flux_field((5.0, 5.0, 10.0, 10.0, -20.0, 0.0, 10.0, 11.0, -11.0, -5.0))
    H: tuple = flux_field((0.0, -3.0, -5.0, 8.0, 6.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    li_terms: int = eqx.field(static=True, default=4)


BUILTIN = {"flux-rigid": RigidFluxModel, "flux-p11169": P11169, "flux-4-214-647": Mirror4214}
