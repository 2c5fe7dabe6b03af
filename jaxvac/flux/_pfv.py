"""Perturbatively flat vacua (Demirtas–Kim–McAllister–Moritz, arXiv:1912.10047).

Fluxes F = (R_0, R_a, 0, M^a), H = (0, K_a, 0, 0) in the ordering Π = (F_0, F_a, X^0, X^a)
give W_poly = ½N_ab z^a z^b − τK_a z^a + (R_a − a_abM^b) z^a + (R_0 − c_aM^a/24) with
N_ab = κ_abc M^c. With R_a = a_ab M^b, R_0 = c_aM^a/24 (integers), N invertible,
p = N⁻¹K in the Kähler cone and K·p = 0, W_poly and all its derivatives vanish along
z = pτ, and the instanton terms give the effective racetrack

    W_eff(τ) = −(2π)^{−2} Σ_q n_q (q·M) Li₂(e^{2πi (q·p) τ})        (eq. (2.16) ibid.)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ._models import PrepotentialModel


def pfv_conditions(kappa, a, c2, M, K, *, cone=None, tol: float = 1e-9) -> dict:
    """The PFV conditions for fluxes (M, K).

    **Arguments:** κ (h,h,h), a (h,h), c₂·J (h,), integer M, K (h,); ``cone``: generators
    of the Kähler cone as rows of a matrix C with cone = {p : C p ≥ 0} (default: the
    positive orthant).

    **Returns:** dict with ``N``, ``det_N``, ``p`` (None if N is singular),
    ``invertible``, ``in_cone``, ``Kp`` (K·p), ``flat`` (|K·p| ≤ tol), ``R`` (a·M),
    ``R0`` (c₂·M/24), ``integral`` (R and R0 integers) and ``pfv`` (all of them).
    """
    kappa, a = np.asarray(kappa, float), np.asarray(a, float)
    c2, M, K = (np.asarray(v, float) for v in (c2, M, K))
    N = np.einsum("abc,c->ab", kappa, M)
    det = float(np.linalg.det(N))
    invertible = abs(det) > tol * max(1.0, float(np.max(np.abs(N))) ** N.shape[0])
    p = np.linalg.solve(N, K) if invertible else None
    C = np.eye(len(M)) if cone is None else np.asarray(cone, float)
    in_cone = bool(p is not None and np.all(C @ p > tol))
    Kp = float(K @ p) if p is not None else float("nan")
    flat = bool(p is not None and abs(Kp) <= tol)
    R = a @ M
    R0 = float(c2 @ M / 24.0)
    integral = bool(np.all(np.abs(R - np.round(R)) <= tol) and abs(R0 - round(R0)) <= tol)
    return {
        "N": N,
        "det_N": det,
        "p": p,
        "invertible": bool(invertible),
        "in_cone": in_cone,
        "Kp": Kp,
        "flat": flat,
        "R": R,
        "R0": R0,
        "integral": integral,
        "pfv": bool(invertible and in_cone and flat and integral),
    }


def pfv_fluxes(a, c2, M, K):
    """(F, H) = ((R_0, R_a, 0, M^a), (0, K_a, 0, 0)) with R = a·M, R_0 = c₂·M/24 (rounded;
    check :func:`pfv_conditions` ``integral`` first)."""
    a, c2, M, K = (np.asarray(v, float) for v in (a, c2, M, K))
    h = len(M)
    R = np.round(a @ M)
    R0 = round(float(c2 @ M) / 24.0)
    F = np.concatenate([[R0], R, [0.0], M])
    H = np.concatenate([[0.0], K, [0.0], np.zeros(h)])
    return F, H


def racetrack_terms(gv_charges, gv_values, M, p):
    """The racetrack W_eff(τ) = Σ_j A_j Li₂(e^{2πi λ_j τ}) as arrays (A_j, λ_j):
    A = −n_q (q·M)/(2π)², λ = q·p, sorted by λ (the leading terms first)."""
    q = np.asarray(gv_charges, float).reshape(-1, len(M))
    n = np.asarray(gv_values, float)
    A = -n * (q @ np.asarray(M, float)) / (2 * math.pi) ** 2
    lam = q @ np.asarray(p, float)
    order = np.argsort(lam)
    return A[order], lam[order]


def racetrack_leading(A, lam):
    """The two-term racetrack W ≈ A₁e^{2πiλ₁τ} + A₂e^{2πiλ₂τ} (single covers of the two
    leading classes): ∂_τW = 0 at e^{2πi(λ₂−λ₁)τ} = −λ₁A₁/(λ₂A₂), i.e.

        τ₀ = log(−λ₁A₁/(λ₂A₂)) / (2πi(λ₂ − λ₁)),   W(τ₀) = A₁e^{2πiλ₁τ₀}(1 − λ₁/λ₂).

    **Returns:** (τ₀ complex, W(τ₀) complex); Im τ₀ > 0 needs −λ₁A₁/(λ₂A₂) ∈ (0, 1)."""
    (A1, A2), (l1, l2) = A[:2], lam[:2]
    ratio = complex(-l1 * A1 / (l2 * A2))
    tau0 = np.log(ratio) / (2j * math.pi * (l2 - l1))
    W = A1 * np.exp(2j * math.pi * l1 * tau0) * (1 - l1 / l2)
    return complex(tau0), complex(W)


def pfv_vacuum(
    model: PrepotentialModel, M, K, *, cone=None, digits: int | None = 40, max_steps: int = 40
) -> dict[str, Any]:
    """The perturbatively flat vacuum of a :class:`~jaxvac.flux.PrepotentialModel` for
    fluxes (M, K): the PFV conditions, the leading racetrack estimate τ₀ (z = pτ₀), then the
    full SUSY solve D_aW = 0 of the model (all moduli, instantons included) from there,
    its physicality columns and, with ``digits``, a refinement with D_aW at that many
    digits (jaxvac's mpmath path) for W0.

    **Returns:** dict with ``conditions``, ``tau0``, ``W_racetrack``, ``vacuum``
    (:class:`~jaxvac.flux.FluxVacuum`), ``z``, ``tau``, ``physicality``, and with digits
    ``W0_hp``, ``tau_hp``, ``residual_hp`` and ``y_hp`` (the refined point, mpmath).
    """
    import equinox as eqx
    import mpmath as mp

    from .._model import canonical
    from ._models import with_fluxes
    from ._solve import (
        moduli_to_y,
        physicality,
        refine_high_precision,
        solve_flux_vacuum,
        y_to_moduli,
    )

    kappa = np.asarray(model.kappa, float)
    a = np.asarray(model.a, float)
    c2 = 24.0 * np.asarray(model.b, float)
    cond = pfv_conditions(kappa, a, c2, M, K, cone=cone)
    out: dict[str, Any] = {"conditions": cond}
    if not cond["pfv"]:
        return out
    F, H = pfv_fluxes(a, c2, M, K)
    model = canonical(with_fluxes(model, F, H))
    q, n = (np.asarray(x) for x in model.gv_arrays())
    A, lam = racetrack_terms(q, n, M, cond["p"])
    tau0, W_rt = racetrack_leading(A, lam)
    out.update(tau0=tau0, W_racetrack=W_rt, F=F, H=H)
    y0 = moduli_to_y(cond["p"] * tau0, tau0)
    vac = eqx.filter_jit(solve_flux_vacuum)(model, y0, max_steps=max_steps)
    z, tau = y_to_moduli(np.asarray(vac.y))
    out.update(vacuum=vac, z=z, tau=tau, physicality=physicality(model, vac.y))
    if digits:
        ymp, res, W, Kp = refine_high_precision(model, vac.y, digits=digits)
        with mp.workdps(digits):
            out["W0_hp"] = mp.sqrt(2 / mp.pi) * mp.exp(Kp / 2) * abs(W)
            out["tau_hp"] = ymp[model.n_moduli - 1]  # Re S = Im τ
            out["residual_hp"] = res
            out["y_hp"] = ymp
    return out
