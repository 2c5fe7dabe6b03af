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
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ._models import PrepotentialModel


def pfv_conditions(kappa, a, c2, M, K, *, cone=None, tol: float = 1e-9) -> dict:
    """The PFV conditions for fluxes (M, K).

    **Arguments:** κ (h,h,h), a (h,h), c₂·J (h,), integer M, K (h,); ``cone``: the Kähler
    cone as {p : C p > 0} for a matrix C whose rows are curve classes (generators of the
    Mori cone, or of a subcone of it: e.g. the wall curves of the toric ambient space,
    :func:`jaxvac.flux.wall_curves`, in the basis). Default: the positive orthant — right
    only when the basis divisors' dual curves generate the Mori cone; for a basis of
    prime toric divisors pass the wall curves.

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
    A = −n_q (q·M)/(2π)², λ = q·p, sorted by λ (the leading terms first); classes with the
    same λ (to 1e-12) are merged into one term (their A summed), so the two leading entries
    are the two leading exponents (arXiv:2107.09064 eq. (6.59) has three classes at 33/110)."""
    q = np.asarray(gv_charges, float).reshape(-1, len(M))
    n = np.asarray(gv_values, float)
    A = -n * (q @ np.asarray(M, float)) / (2 * math.pi) ** 2
    lam = q @ np.asarray(p, float)
    order = np.argsort(lam, kind="stable")
    A, lam = A[order], lam[order]
    if len(lam) == 0:
        return A, lam
    new_term = np.concatenate([[True], np.diff(lam) > 1e-12 * np.maximum(1.0, np.abs(lam[1:]))])
    groups = np.cumsum(new_term) - 1
    return np.bincount(groups, weights=A), lam[new_term]


def _exact_rationals(x) -> list[Fraction]:
    return [Fraction(float(v)) for v in np.asarray(x, float).ravel()]


def exact_flat_direction(kappa, M, K) -> list[Fraction] | None:
    """p = N⁻¹K with N_ab = κ_abc M^c in exact rational arithmetic (κ, M, K as the float64
    numbers they are — integers and halves in practice); None if N is singular."""
    from ._toric import _solve_exact

    kappa = np.asarray(kappa, float)
    h = len(M)
    kq = np.array(_exact_rationals(kappa), dtype=object).reshape(kappa.shape)
    Mq, Kq = _exact_rationals(M), _exact_rationals(K)
    N = [
        [sum((kq[a, b, c] * Mq[c] for c in range(h)), Fraction(0)) for b in range(h)]
        for a in range(h)
    ]
    try:
        return _solve_exact(N, Kq)
    except (StopIteration, ZeroDivisionError):
        return None


def mp_fraction(x: Fraction):
    """A rational as an mpmath number at the working precision."""
    import mpmath as mp

    return mp.mpf(x.numerator) / x.denominator


def exact_racetrack_terms(
    gv_charges, gv_values, M, p_exact
) -> list[tuple[Fraction, Fraction, list]]:
    """:func:`racetrack_terms` exactly, for a rational p: (λ, C_λ, classes) sorted by λ, with
    C_λ = −Σ_{q·p=λ} n_q (q·M) (W_eff = (2π)⁻² Σ_λ C_λ Li₂(e^{2πiλτ})) and the classes
    (q, n_q) of each exponent; exponents whose classes cancel are kept (C_λ = 0)."""
    q = np.asarray(gv_charges, float).reshape(-1, len(M))
    n = _exact_rationals(gv_values)
    Mq = _exact_rationals(M)
    terms: dict[Fraction, tuple[Fraction, list]] = {}
    for row, nq in zip(q, n):
        rq = _exact_rationals(row)
        lam = sum((a * b for a, b in zip(rq, p_exact)), Fraction(0))
        C, classes = terms.get(lam, (Fraction(0), []))
        terms[lam] = (C - nq * sum((a * m for a, m in zip(rq, Mq)), Fraction(0)), classes)
        classes.append((tuple(int(a) for a in rq), int(nq)))
    return [(lam, C, classes) for lam, (C, classes) in sorted(terms.items())]


def racetrack_tau_high_precision(gv_charges, gv_values, M, p_exact, digits: int):
    """τ₀ of the two-term racetrack (:func:`racetrack_leading`) at ``digits`` digits, with
    the exponents λ = q·p exact (p rational) and classes of equal λ merged exactly."""
    import mpmath as mp

    terms = [(lam, C) for lam, C, _ in exact_racetrack_terms(gv_charges, gv_values, M, p_exact)]
    (l1, A1), (l2, A2) = [t for t in terms if t[1] != 0][:2]
    with mp.workdps(digits):
        ratio = -mp_fraction(l1 * A1) / mp_fraction(l2 * A2)
        return mp.log(mp.mpc(ratio)) / (2j * mp.pi * mp_fraction(l2 - l1))


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


#: Below this |W| of the leading racetrack (√(2/π)|W|), float64 cannot resolve the vacuum:
#: D_aW's perturbative terms are O(1) and cancel to ~1e-16 along the flat valley.
FLOAT64_W_FLOOR = 1e-12


def pfv_vacuum(
    model: PrepotentialModel,
    M,
    K,
    *,
    cone=None,
    digits: int | None = 40,
    max_steps: int = 40,
    float64: bool | None = None,
) -> dict[str, Any]:
    """The perturbatively flat vacuum of a :class:`~jaxvac.flux.PrepotentialModel` for
    fluxes (M, K): the PFV conditions, the leading racetrack estimate τ₀ (z = pτ₀), then the
    full SUSY solve D_aW = 0 of the model (all moduli, instantons included) from there,
    its physicality columns and, with ``digits``, a refinement with D_aW at that many
    digits (jaxvac's mpmath path) for W0.

    Two paths (``path`` in the result): ``"float64"`` — a float64 Newton solve, then the
    refinement with a float64 Jacobian; ``"high-precision"`` — when √(2/π)|W| of the
    racetrack is below :data:`FLOAT64_W_FLOOR` (float64 cannot see the vacuum: W0 ~ 1e-90
    in arXiv:2107.09064 §6.4), Newton entirely at ``digits`` (residual and autodiff
    Jacobian) from z = pτ₀ with p = N⁻¹K exact and τ₀ at ``digits``; ``digits`` must then
    exceed −log₁₀ W0 by the digits wanted. ``float64`` forces one path (None: automatic).

    **Returns:** dict with ``conditions``, ``tau0``, ``W_racetrack``, ``path``,
    ``vacuum`` (:class:`~jaxvac.flux.FluxVacuum`; None on the high-precision path), ``z``,
    ``tau``, ``physicality`` (its ``W``, ``W0`` and ``instanton_ratio`` from the
    high-precision point when there is one), and with digits ``W0_hp``, ``tau_hp``,
    ``residual_hp``, ``y_hp`` (the refined point, mpmath), ``W_hp``, ``K_hp`` and
    ``converged_hp`` (max|D_aW| ≤ 1e-10 |W|). On the high-precision path ``digits`` below
    −log₁₀(√(2/π)|W_racetrack|) + 20 is refused (ValueError).
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
    w_rt = math.sqrt(2 / math.pi) * abs(W_rt)
    use_float64 = bool(w_rt > FLOAT64_W_FLOOR) if float64 is None else float64
    out.update(
        tau0=tau0, W_racetrack=W_rt, F=F, H=H, path="float64" if use_float64 else "high-precision"
    )
    if use_float64:
        y0 = moduli_to_y(cond["p"] * tau0, tau0)
        vac = eqx.filter_jit(solve_flux_vacuum)(model, y0, max_steps=max_steps)
        y64 = np.asarray(vac.y)
        out["vacuum"] = vac
    else:
        need = math.ceil(-math.log10(w_rt)) + 20 if w_rt > 0 else None
        if not digits or need is None or digits < need:
            raise ValueError(
                "this vacuum is below float64's resolution (√(2/π)|W_racetrack| = "
                f"{w_rt:.1e}): give digits >= {need} (−log10 W plus 20 digits of W; with "
                "fewer, the flat valley's Jacobian is noise at that precision too)."
            )
        p_exact = exact_flat_direction(kappa, M, K)
        if p_exact is None:  # pragma: no cover - pfv_conditions checked N is invertible
            return out
        tau_hp0 = racetrack_tau_high_precision(q, n, M, p_exact, digits)
        with mp.workdps(digits):
            # m = −i(z, τ) = −i(p τ₀, τ₀): y = (Re m, Im m)
            m0 = [-1j * mp_fraction(v) * tau_hp0 for v in p_exact]
            m0.append(-1j * tau_hp0)
            y_start = [mp.re(v) for v in m0] + [mp.im(v) for v in m0]
        ymp, res, W, Kp = refine_high_precision(
            model, y_start, digits=digits, steps=max_steps, jacobian="high"
        )
        y64 = np.array([float(v) for v in ymp])
        out["vacuum"] = None
    z, tau = y_to_moduli(y64)
    out.update(z=z, tau=tau, physicality=physicality(model, y64))
    if digits:
        if use_float64:
            ymp, res, W, Kp = refine_high_precision(model, y64, digits=digits)
        with mp.workdps(digits):
            out["W0_hp"] = mp.sqrt(2 / mp.pi) * mp.exp(Kp / 2) * abs(W)
            out["tau_hp"] = ymp[model.n_moduli - 1]  # Re S = Im τ
            out["residual_hp"] = res
            out["y_hp"] = ymp
            out["W_hp"] = W
            out["K_hp"] = Kp
            # solved: every D_aW far below W itself (D_aW = ∂_aW + K_aW has terms of W's size
            # where it is not solved, O(1) terms that cancel off the valley)
            out["converged_hp"] = bool(res <= mp.mpf(10) ** -10 * abs(W))
        if not use_float64:
            ph = out["physicality"]
            ph["W"] = complex(W)
            ph["W0"] = float(out["W0_hp"])
            ph["instanton_ratio"] = float(_instanton_ratio_hp(model, ymp, digits))
    return out


def _instanton_ratio_hp(model, ymp, digits: int):
    """|F − F_poly| / |F_poly| at ``digits`` (in float64 the difference is rounding noise
    when F_inst/F_poly is below 1e-16)."""
    from .._precision import at_precision

    n = model.n_moduli

    def ratio(yy):
        m = yy[:n] + 1j * yy[n:]
        z, _ = model.split_moduli(m)
        return model.instanton_diagnostics(z)["instanton_ratio"]

    return np.asarray(
        at_precision(ratio, digits=digits)(np.array(ymp, dtype=object)), dtype=object
    ).item()
