"""Flux-vacuum targets (``docs/flux.md``): ``flux-rigid``, the exact count of SUSY vacua of
the rigid Calabi–Yau toy (Σ_{L≤L*} σ₁(L) modulo SL(2,ℤ)) by complete enumeration, through
the scan engine and through the direct path, with the Denef–Douglas distribution of τ; and
``flux-pfv``, the perturbatively flat vacuum of arXiv:1912.10047 on the mirror of
P[1,1,1,6,9][18].

Rows declare what they compare; :func:`jaxvac.reproduce._framework.decide` gives verdicts.
Statistical tests (KS, tail fractions) have no declared comparison in the policy: they are
information rows (verdict n/a) with the statistic, p-value and sample size.
"""

from __future__ import annotations

import math
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

from ._framework import (
    Exact,
    Printed,
    Report,
    Row,
    Same,
    input_rounding,
    register,
)

#: L* of the default and the --full runs: the direct enumeration, and the scan engine.
RIGID_L = {False: 60, True: 200}
RIGID_SCAN_L = {False: 3, True: 6}

RIGID_SOURCE = (
    "derived: Σ_{L≤L*} σ₁(L) Hermite normal forms (docs/flux.md); Denef–Douglas, "
    "hep-th/0404116 §3 (τ uniform in dx dy/y² for large L*)"
)


def cdf_re_tau(x):
    """Marginal CDF of Re τ under dx dy/y² on the fundamental domain (measure π/3):
    density (3/π)/√(1−x²) on [−½, ½]."""
    return (3 / math.pi) * (np.arcsin(x) + math.pi / 6)


def _G(s):
    return -1 / s + 2 * np.sqrt(np.clip(1 - s * s, 0, None)) / s + 2 * np.arcsin(np.minimum(s, 1))


def cdf_im_tau(y):
    """Marginal CDF of Im τ under dx dy/y² on the fundamental domain: density
    (3/π)(1 − 2√(1−y²))/y² for √3/2 ≤ y ≤ 1 and (3/π)/y² above."""
    y = np.asarray(y, float)
    low = (3 / math.pi) * (_G(np.minimum(y, 1.0)) - _G(math.sqrt(3) / 2))
    return np.where(y <= 1.0, low, 1 - (3 / math.pi) / y)


def rigid_scan(L: int, out_dir) -> tuple[dict, float]:
    """rigid_box(L) enumerated through jaxvac's scan engine (``[enumerate]`` with the
    tadpole window 1 ≤ N ≤ L, the ``flux-susy`` point solver), into ``out_dir``; returns
    (:func:`jaxvac.flux.scan_vacua` of it, seconds)."""
    from .. import flux
    from ..scan import scan as run_scan

    t0 = time.perf_counter()
    result = run_scan(flux.rigid_scan_config(L), out_dir, progress=False)
    out = flux.scan_vacua(result)
    out["solved"] = result.counts["points"]
    out["chunks"] = result.manifest["chunks_total"]
    return out, time.perf_counter() - t0


def _fluxes(F, H) -> list:
    return sorted(map(tuple, np.concatenate([F, H], 1).tolist()))


@register("flux-rigid", source=RIGID_SOURCE)
def flux_rigid(out_dir: Path, *, full: bool = False) -> Report:
    """Rigid Calabi–Yau toy: exact vacuum count Σσ₁ (enumeration, scan engine) and τ's law."""
    from scipy import stats

    from .. import flux

    L = RIGID_L[full]
    t0 = time.perf_counter()
    res = flux.rigid_enumeration(L)
    seconds = time.perf_counter() - t0
    N, tau = res["N"], res["tau"]
    counts = np.bincount(N, minlength=L + 1)[1:]
    sig = np.array([flux.sigma1(n) for n in range(1, L + 1)])
    Ls = RIGID_SCAN_L[full]
    with tempfile.TemporaryDirectory() as tmp:
        scanned, scan_seconds = rigid_scan(Ls, Path(tmp) / "scan")
    direct_small = flux.rigid_enumeration(Ls)
    rows = [
        Row(
            f"vacua with 0 < N_flux ≤ {L} modulo SL(2,ℤ) (direct enumeration)",
            reference=int(sig.sum()),
            jaxvac=len(tau),
            compare=Same(),
            explanation=f"every flux vector of rigid_box({L}) ({res['candidates']} with "
            "0 < N ≤ L*) solved, reduced to the fundamental domain, deduplicated; reference "
            "Σ_{L≤L*} σ₁(L) (docs/flux.md)",
        ),
        Row(
            f"L* ≤ {L} with count(N ≤ L*) = Σ_{{L≤L*}} σ₁(L)",
            reference=L,
            jaxvac=int(np.sum(np.cumsum(counts) == np.cumsum(sig))),
            compare=Same(),
            explanation="the count is exact for every L* up to the largest; per L, "
            f"count(N = L) = σ₁(L) for {int(np.sum(counts == sig))} of {L} values",
        ),
        Row(
            f"vacua with 0 < N_flux ≤ {Ls} through the scan engine",
            reference=int(sig[:Ls].sum()),
            jaxvac=len(scanned["tau"]),
            compare=Same(),
            explanation=f"jaxvac scan with [enumerate] (rigid_box({Ls}), tadpole window "
            f"[1, {Ls}], {scanned['chunks']} chunks of 1024 box points, "
            f"{scanned['solved']} flux vectors solved by flux-susy), rows reduced by "
            f"jaxvac.flux.scan_vacua; {scan_seconds:.0f} s with compilation",
        ),
        Row(
            f"scan engine = direct path (L* = {Ls}): the same canonical fluxes",
            reference=_fluxes(direct_small["F"], direct_small["H"]),
            jaxvac=_fluxes(scanned["F"], scanned["H"]),
            compare=Same(),
            explanation="the (F, H) of each vacuum after SL(2,ℤ) reduction, as sets",
        ),
        Row(
            "largest SUSY residual |D_τW| / (|∂_τW| + |K_τW|)",
            jaxvac=float(res["residual"].max()),
            explanation="autodiff residual at the exact τ of each flux vector; unconverged "
            f"flux vectors: {res['unconverged']} of {res['candidates']}",
        ),
    ]
    big = N > L // 2
    for name, values, cdf in (
        ("Re τ", tau.real, cdf_re_tau),
        ("Im τ", tau.imag, cdf_im_tau),
        (f"Re τ (N > {L // 2})", tau[big].real, cdf_re_tau),
        (f"Im τ (N > {L // 2})", tau[big].imag, cdf_im_tau),
    ):
        ks = stats.kstest(values, cdf)
        rows.append(
            Row(
                f"KS test of {name} against dx dy/y² on the fundamental domain",
                jaxvac=f"D = {ks.statistic:.4f}, p = {ks.pvalue:.3g}, n = {len(values)}",
                explanation="Denef–Douglas's continuous large-L law; the vacua have atoms "
                "(below), which a KS test at this n detects",
            )
        )
    for v in (0.0, 0.5, -0.5):
        rows.append(
            Row(
                f"fraction of vacua with Re τ = {v} exactly",
                jaxvac=round(float(np.mean(np.abs(tau.real - v) < 1e-12)), 4),
                explanation="τ ∈ ℚ(i): whole families sit on Re τ = 0 and on the boundary; "
                "the continuous measure has none, their share falls as L* grows",
            )
        )
    for Y in (1.0, 2.0, 5.0):
        frac = float(np.mean(tau.imag > Y))
        want = 3 / (math.pi * Y)
        sigma = math.sqrt(want * (1 - want) / len(tau))
        rows.append(
            Row(
                f"fraction with Im τ > {Y:g}",
                jaxvac=round(frac, 5),
                explanation=f"3/(πY) = {want:.5f} from dx dy/y²; binomial σ = {sigma:.1e}, "
                f"difference {(frac - want) / sigma:+.1f}σ",
            )
        )
    notes = (
        f"Direct path: `jaxvac.flux.rigid_enumeration({L})`, {seconds:.1f} s (enumeration, "
        "solve, reduction, dedup). Scan engine: `jaxvac scan` with an `[enumerate]` block "
        "(`examples/flux_enumerate.toml`), resumable like any scan. "
        f"`--full` runs L* = {RIGID_L[True]} directly and L* = {RIGID_SCAN_L[True]} through "
        "the scan engine."
    )
    return Report(
        "flux-rigid",
        RIGID_SOURCE,
        rows,
        title="Rigid Calabi–Yau toy: exact vacuum count and the distribution of τ",
        notes=notes,
        data={
            "L_max": L,
            "counts_per_L": counts.tolist(),
            "sigma1_per_L": sig.tolist(),
            "scan_L": Ls,
            "scan_vacua": len(scanned["tau"]),
        },
    )


PFV_SOURCE = (
    "arXiv:1912.10047 §3 (its example: fluxes, ⟨τ⟩, ⟨U⟩, |W0|, A, c, Q_flux as printed; text read "
    "from a copy of its source, github.com/ndbroadbent/string_theory_project, "
    "research/papers/demirtas_small_W0_1912.10047.tex); data: jaxvac/data/flux/p11169.json"
)


@register("flux-pfv", source=PFV_SOURCE)
def flux_pfv(out_dir: Path, *, full: bool = False) -> Report:
    """Perturbatively flat vacuum of 1912.10047 on the mirror of P[1,1,1,6,9][18]."""
    import mpmath as mp

    import jaxvac

    from .. import flux
    from ..flux._builtin import P11169, load_geometry

    data = load_geometry("p11169")
    M, K = data["pfv"]["M"], data["pfv"]["K"]
    t0 = time.perf_counter()
    out = flux.pfv_vacuum(P11169(), M, K, digits=40)
    # JaxVacua's own vacuum (70 printed digits) is that of the degree-1 classes with single
    # covers only: the same solve with each Li₃ cut to its first term (docs/flux.md)
    single = flux.pfv_vacuum(P11169(li_terms=1), M, K, digits=40)
    jv = data["reference_values"]["jaxvacua_vacuum"]["value"]
    with mp.workdps(80):
        jv_dev = max(
            abs(single["y_hp"][i] / mp.mpf(jv[k]) - 1)
            for i, k in enumerate(("Im z1", "Im z2", "Im tau"))
        )
    seconds = time.perf_counter() - t0
    c, ph = out["conditions"], out["physicality"]
    tau, z = out["tau"], out["z"]
    model = jaxvac.canonical(flux.with_fluxes(P11169(), out["F"], out["H"]))
    # jaxvac check at the 40-digit point rounded to float64 (the float64 Newton point keeps
    # ~1e-10 of rounding noise in Re z, Re τ, where ∇V is not resolved)
    y_hp = np.array([float(v) for v in out["y_hp"]])
    rep = jaxvac.check(model, y_hp).to_dict()
    W0_hp = float(out["W0_hp"])
    pr = data["printed"]
    # the racetrack W_eff = c(e^{2πi p₁τ} + A e^{2πi p₂τ}) of §3: q = (1, 0) carries p₁ = 2/5
    A_terms, lam = flux.racetrack_terms(
        np.asarray(P11169().gv_charges), np.asarray(P11169().gv_values), M, c["p"]
    )
    i1, i2 = int(np.argmin(np.abs(lam - 0.4))), int(np.argmin(np.abs(lam - 0.3)))
    ratio = Fraction(float(A_terms[i2] / A_terms[i1])).limit_denominator(10_000)
    # c = √(2/π)·A_(1,0) with A = −n(q·M)/(2π)² = 8640/(2π)² = −8640/(2πi)² (jaxvac's sign of W)
    c_num = float(A_terms[i1]) * (2 * math.pi) ** 2
    rows = [
        Row(
            "PFV conditions (det N ≠ 0, p in the Kähler cone, K·p = 0, a·M ∈ ℤ, c₂·M/24 ∈ ℤ)",
            jaxvac=str(c["pfv"]),
            explanation=f"N = {c['N'].tolist()}, det N = {c['det_N']:.6g}, p = {c['p'].tolist()}, "
            f"K·p = {c['Kp']:.1e}, R = {c['R'].tolist()}, R0 = {c['R0']}",
        ),
        Row(
            "flat direction p = N⁻¹K",
            paper=pr["p"]["value"],
            jaxvac=[str(Fraction(float(v)).limit_denominator(1000)) for v in c["p"]],
            compare=Same(),
            explanation="the paper's U = τ(K₁ − 3K₂)/M₂ (−K₂/K₁, 1) at M = (−16, 50), K = (3, −4)",
        ),
        Row(
            "fluxes (F, H) from (M, K)",
            jaxvac=[list(map(int, out["F"])), list(map(int, out["H"]))],
            explanation=f"M = {M}, K = {K}; F = (R0, R_a, 0, M^a), H = (0, K_a, 0, 0)",
        ),
        Row(
            "Q_flux = −½M·K",
            paper=pr["Q_flux"]["value"],
            jaxvac=int(round(float(ph["N_flux"]))) // 2,
            compare=Same(),
            explanation=f"N_flux = F·ΣH = {ph['N_flux']:.0f} (signed) = 2 Q_flux",
        ),
        Row(
            "racetrack ratio A (W_eff = c(e^{2πi·2/5·τ} + A e^{2πi·3/10·τ}))",
            paper=pr["A"]["value"],
            jaxvac=f"{ratio.numerator}/{ratio.denominator}",
            compare=Same(),
            explanation="n_(0,1)(q·M) / n_(1,0)(q·M) = 3·50 / (540·(−16)) from the GV data",
        ),
        Row(
            "racetrack prefactor c",
            paper=pr["c"]["value"],
            jaxvac=f"-sqrt(2/pi) {c_num:.0f}/(2 pi i)^2",
            compare=Same(),
            explanation=f"jaxvac: c = √(2/π)·{c_num:.0f}/(2π)² = −√(2/π)·{c_num:.0f}/(2πi)²; the "
            "paper's own eq. for W_eff, √(2/π)Σ A_q(M·q)/(2πi)² e^{2πiτp·q} with (2πi)³F_inst = "
            "−540q₁ − 3q₂, gives +√(2/π)·8640/(2πi)²: the same up to W's overall sign (a phase, "
            "no physics). Cause of the difference: the printed (2πi)³ is a misprint — with it "
            "|c| would be 2π smaller and W0 = 3.24e-9, not the printed 2.037e-8 that jaxvac "
            "reproduces with (2πi)² (row 'W0')",
        ),
        Row(
            "W0 = √(2/π) e^{K/2}|W| (eq. (1) of 1912.10047)",
            paper=pr["W0"]["value"],
            jaxvac=W0_hp,
            compare=Printed(),
            explanation=f"40-digit refinement (max|D_aW| = {float(out['residual_hp']):.1e}); "
            f"float64 W0 = {float(ph['W0']):.10e}; 40-digit W0 = {W0_hp:.10e}",
        ),
        Row(
            "Im τ = 1/g_s",
            paper=pr["tau"]["value"],
            jaxvac=float(tau.imag),
            compare=Printed(),
            explanation=f"Re τ = {tau.real:.1e}; leading two-term racetrack τ₀ = "
            f"{out['tau0']:.4f}; 40 digits: Im τ = {float(out['tau_hp']):.12f}, which rounds "
            "to 6.855, not to the paper's 6.856 (also on JaxVacua's docs page). Cause not "
            "found; what is known: JaxVacua's own vacuum (70 digits in its tests and "
            "notebooks, which write τ ≈ 6.855i) has Im τ = 6.8554018, also 6.855; it keeps the "
            "degree-1 classes with single covers only, and jaxvac with that truncation gives it "
            "to 20 digits (next row). The 1.8e-6 between the two is the multi-cover terms "
            "Li₃ adds. No truncation or convention tried reaches 6.8555 (the paper's F₁ + F₂, "
            "i.e. degree ≤ 2 GV: 6.855457; degree 3: the same; JaxVacua's degree-2 data, GW "
            "numbers summed as GV: 6.855455; D W_eff = 0 on z = pτ: 6.855385; "
            "tests/test_flux_pfv.py); Im U₁, Im U₂ and |W0| agree with the paper to its digits",
        ),
        Row(
            "Im τ, single-cover degree-1 instantons (JaxVacua's truncation), against "
            "JaxVacua's own 70-digit vacuum",
            reference=float(jv["Im tau"]),
            jaxvac=float(single["tau_hp"]),
            compare=Exact(
                tol=4.0 * float(np.finfo(float).eps),
                why="both high-precision values rounded to float64",
            ),
            explanation=f"P11169(li_terms=1), 40 digits: Im τ = {float(single['tau_hp']):.15f}, "
            f"W0 = {float(single['W0_hp']):.10e}; max relative difference of (Im z¹, Im z², "
            f"Im τ) from JaxVacua's 70 digits = {float(jv_dev):.1e}, the same relative shift in "
            "all three (its cause was not traced; the multi-cover terms are 2.6e-7). Source: "
            "JaxVacua tests/test_flux_eft.py, tests/test_css.py, notebook "
            "02_jaxvacua_overview (u1sol, u2sol, tau0)",
        ),
        Row(
            "g_s",
            jaxvac=float(ph["g_s"]),
            explanation="1/Im τ; the paper prints ⟨τ⟩ (row 'Im τ'), not g_s",
        ),
        Row(
            "Im z¹",
            paper=pr["Im z"]["value"][0],
            jaxvac=float(z[0].imag),
            compare=Printed(),
        ),
        Row(
            "Im z²",
            paper=pr["Im z"]["value"][1],
            jaxvac=float(z[1].imag),
            compare=Printed(),
        ),
        Row(
            "jaxvac check at the 40-digit vacuum (rounded to float64)",
            jaxvac=f"{rep['result']}, susy={rep['susy']}, {rep['type']}, {rep['vacuum']}",
            explanation=f"n_flat = {rep['n_flat']} (the racetrack-light directions are flat at "
            f"float64 resolution), digits of V = {rep['digits']:.1f}",
        ),
        Row(
            "physicality (columns, not filters)",
            jaxvac=f"LCS: {bool(ph['lcs'])} (min Im z = {float(ph['im_z_min']):.3f}), "
            f"max|e^(2πi q·z)| = {float(ph['instanton_max_q']):.2e}, |F_inst/F_poly| = "
            f"{float(ph['instanton_ratio']):.1e}, min eig K_ab̄ = "
            f"{float(ph['metric_min_eig']):.2e}",
        ),
        Row(
            "2107.09064 §6.4 (h²¹ = 4, W0 ≈ 2.3e-90)",
            jaxvac="see target flux-pfv-4-214",
            explanation="its own target: toric intersection numbers from the ancillary "
            "triangulation, a 130-digit solve",
        ),
    ]
    return Report(
        "flux-pfv",
        PFV_SOURCE,
        rows,
        title="Perturbatively flat vacuum on the mirror of P[1,1,1,6,9][18] (1912.10047)",
        notes=f"M = {M}, K = {K}; {seconds:.1f} s including compilation.",
        data={
            "M": M,
            "K": K,
            "W0_hp": str(out["W0_hp"]),
            "tau_hp": str(out["tau_hp"]),
            "tau_hp_single_cover": str(single["tau_hp"]),
        },
    )


SMALL_CC_SOURCE = (
    "arXiv:2107.09064 (Demirtas, Kim, McAllister, Moritz, Rios-Tascon), §6.4 and its "
    "ancillary data anc/paper_data/4-214-647/; data: jaxvac/data/flux/dkmmr_4_214_647.json"
)
SMALL_CC_DIGITS = 130


def _fraction_strings(values) -> list[str]:
    return [
        f"{v.numerator}/{v.denominator}" if v.denominator != 1 else str(v.numerator) for v in values
    ]


def covariant_racetrack_gs(A1, l1, A2, l2, c: int, start, digits: int = 60):
    """g_s of the 1-D racetrack W = A₁e^{2πiλ₁τ} + A₂e^{2πiλ₂τ} on the imaginary τ axis with
    D_τW = ∂_τW + K_τW = 0 for K = −c·log Im τ (c = 0: ∂_τW = 0, the leading formula; c = 4:
    the dilaton plus the cubic LCS term of K_cs along z = pτ)."""
    import mpmath as mp

    from ..flux._pfv import mp_fraction

    with mp.workdps(digits):
        A1, A2 = mp.mpf(A1), mp.mpf(A2)
        l1, l2 = mp_fraction(l1), mp_fraction(l2)

        def f(T):
            e1, e2 = mp.exp(-2 * mp.pi * l1 * T), mp.exp(-2 * mp.pi * l2 * T)
            dW = 2j * mp.pi * (l1 * A1 * e1 + l2 * A2 * e2)
            return mp.im(dW + c * 1j / (2 * T) * (A1 * e1 + A2 * e2))

        return 1 / mp.findroot(f, mp.mpf(start))


@register("flux-pfv-4-214", source=SMALL_CC_SOURCE)
def flux_pfv_4_214(out_dir: Path, *, full: bool = False) -> Report:
    """The h²¹ = 4 perturbatively flat vacuum of 2107.09064 §6.4 (W0 ~ 1e-90), at 130 digits."""
    import mpmath as mp

    import jaxvac

    from .. import flux
    from ..flux._builtin import Mirror4214, load_geometry
    from ..flux._pfv import exact_flat_direction, exact_racetrack_terms, mp_fraction

    data = load_geometry("dkmmr_4_214_647")
    printed, anc = data["printed"], data["ancillary"]
    M, K = data["pfv"]["M"], data["pfv"]["K"]
    t0 = time.perf_counter()
    tor = data["toric"]
    rays = tor["points"][1:9]
    cones = [[i - 1 for i in s if i != 0] for s in tor["simplices"]]
    basis = [b - 1 for b in tor["basis_points"]]
    topo = flux.hypersurface_topology(rays, cones, basis)
    model = Mirror4214()
    kappa = np.asarray(model.kappa, float)
    p = exact_flat_direction(kappa, M, K)
    assert p is not None
    Kp = sum((Fraction(k) * v for k, v in zip(K, p)), Fraction(0))
    # the Kähler cone test: every wall curve of the toric ambient space positive on J(p)
    walls = np.array(flux.wall_curves(rays, cones), dtype=object)[:, basis]
    cone = walls.astype(float)
    wall_min = min(sum((Fraction(c) * v for c, v in zip(row, p)), Fraction(0)) for row in walls)
    out = flux.pfv_vacuum(model, M, K, digits=SMALL_CC_DIGITS, cone=cone)
    seconds = time.perf_counter() - t0
    ph, cond = out["physicality"], out["conditions"]
    # the racetrack from the GV data: W_flux = ζ Σ_λ C_λ e^{2πiλτ}, C_λ = −Σ_{q·p=λ} n_q (q·M)
    (l1, C1, cls1), (l2, C2, cls2) = exact_racetrack_terms(
        data["gv"]["charges"], data["gv"]["values"], M, p
    )[:2]
    C1, C2 = int(C1), int(C2)
    leading = sorted(cls1 + cls2)
    printed_leading = sorted(
        zip(map(tuple, printed["leading_charges"]["value"]), printed["leading_gv"]["value"])
    )
    with mp.workdps(SMALL_CC_DIGITS):
        zeta = 1 / (2 ** mp.mpf(1.5) * mp.pi ** mp.mpf(2.5))
        g_formula = 2 * mp.pi / (110 * mp.log(528))
        W_formula = 80 * zeta * mp.mpf(528) ** -33
        g_full = 1 / out["tau_hp"]
        W_flux = mp.sqrt(2 / mp.pi) * abs(out["W_hp"])  # W0 = <|W_flux|> (eq. (6.61))
        W_e = mp.sqrt(2 / mp.pi) * abs(out["W_hp"]) * mp.exp(out["K_hp"] / 2)
        y = out["y_hp"]
        off_valley = max(abs(y[i] / y[4] - mp_fraction(v)) for i, v in enumerate(p))
    g_leading = covariant_racetrack_gs(C1, l1, C2, l2, 0, 1 / float(g_formula))
    g_cov = covariant_racetrack_gs(C1, l1, C2, l2, 4, 1 / float(g_formula))
    # V0 = −3 e^K |W_flux|² with K = −2 log(2^{3/2} V_E) + K_cs + K_τ (eq. (2.25)); V_E is
    # the Kähler sector's (h^{1,1}(X) = 214, not modelled): its printed value is an input
    V_E = float(printed["V_E"]["value"])

    def V0_of(VE: float) -> float:
        return -3 * float(W_e) ** 2 / (8 * VE**2)

    y64 = np.array([float(v) for v in y])
    check = jaxvac.check(
        jaxvac.canonical(flux.with_fluxes(model, out["F"], out["H"])), y64
    ).to_dict()
    rows = [
        Row(
            "h^{1,1}(X̃) = #rays − 4 of the mirror's toric fourfold",
            paper=4,
            jaxvac=topo["h11"],
            compare=Same(),
            explanation="the paper's (h^{2,1}, h^{1,1}) = (4, 214) of X; the fan: rays = "
            "dual_points 1–8, cones = dual_simplices without the origin (ancillary data)",
        ),
        Row(
            "χ(X̃) = ∫c₃ by toric intersection theory",
            reference=2 * (4 - 214),
            jaxvac=int(topo["chi"]),
            compare=Same(),
            explanation="reference 2(h^{1,1}(X̃) − h^{2,1}(X̃)) from the printed Hodge numbers; "
            f"κ̃ in the basis of dual points {tor['basis_points']}: "
            f"{data['computed']['kappa_nonzero']}, c̃₂ = {[int(c) for c in topo['c2']]} "
            "(jaxvac.flux.hypersurface_topology, exact)",
        ),
        Row(
            "p = N⁻¹K, N_ab = κ̃_abc M^c (eq. (6.56))",
            paper=printed["p"]["value"],
            jaxvac=_fraction_strings(p),
            compare=Same(),
            explanation=f"exact rationals from the computed κ̃; det N = {cond['det_N']:.6g}; "
            "tests the toric intersection numbers and the basis (dual points 3, 4, 5, 8)",
        ),
        Row(
            "PFV conditions (N invertible, p in the Kähler cone, K·p = 0, a·M ∈ ℤ, c̃₂·M/24 ∈ ℤ)",
            jaxvac=str(cond["pfv"]),
            explanation=f"K·p = {Kp} exactly; Kähler cone: all {len(walls)} wall curves C of "
            f"the toric ambient space have C·J(p) > 0 (smallest {wall_min}; they generate its "
            "Mori cone, so p is in the Kähler cone of X̃); R = a·M = "
            f"{cond['R'].tolist()}, R0 = {cond['R0']}; F = {list(map(int, out['F']))}, "
            f"H = {list(map(int, out['H']))}; solved: {out['converged_hp']}",
        ),
        Row(
            "D3 charge in fluxes −½M·K",
            paper=printed["Q_flux"]["value"],
            jaxvac=_fraction_strings([Fraction(-int(np.dot(M, K)), 2)])[0],
            compare=Same(),
            explanation=f"N_flux = F·ΣH = {ph['N_flux']:.0f} (signed) for the fluxes built from "
            "(M, K)",
        ),
        Row(
            "mobile D3-branes: tadpole 110 − ½N_flux",
            paper=8.5,
            jaxvac=110 - ph["N_flux"] / 2,
            compare=Same(),
            explanation="paper: 'eight mobile D3-branes and a single half D3-brane'",
        ),
        Row(
            "the leading curves along z = pτ and their GV invariants (eqs. (6.57), (6.58))",
            paper=[list(c) + [g] for c, g in printed_leading],
            jaxvac=[list(c) + [g] for c, g in leading],
            compare=Same(),
            explanation=f"the classes with the two smallest q·p ({_fraction_strings([l1, l2])}) "
            "among dual_curves.dat's 5177 (charges on the basis points), as (q̃, n_q̃)",
        ),
        Row(
            "racetrack coefficients C_λ in W_flux = ζ Σ_λ C_λ e^{2πiλτ} (eq. (6.59))",
            paper=[-5, 5 * 512],
            jaxvac=[C1, C2],
            compare=Same(),
            explanation="C_λ = −Σ_{q·p=λ} n_q (q·M): the printed 5ζ(−e^{2πiτ·32/110} + "
            "512e^{2πiτ·33/110}); the three classes at 33/110 add −2520 − 42 + 2 = −2560",
        ),
        Row(
            "g_s of the two-term racetrack ∂_τW_flux = 0 (eq. (6.60): 2π/(110 log 528))",
            paper=anc["g_s"]["value"],
            jaxvac=float(g_leading),
            compare=Printed(),
            explanation=f"jaxvac solves ∂_τW = 0 for the coefficients above: g_s = "
            f"{mp.nstr(g_leading, 15)}; the printed formula 2π/(110 log 528) = "
            f"{mp.nstr(g_formula, 15)}; paper value: the ancillary g_s.dat (6 digits; the text "
            "prints ≈ 0.009)",
        ),
        Row(
            f"g_s of the full vacuum (D_aW = D_τW = 0, all five moduli, {SMALL_CC_DIGITS} digits)",
            paper=printed["g_s"]["value"],
            jaxvac=float(g_full),
            compare=Printed(),
            explanation=f"g_s = {mp.nstr(g_full, 20)}; max|D_aW| = "
            f"{mp.nstr(out['residual_hp'], 3)}; float64 cannot resolve this vacuum "
            "(pfv_vacuum's high-precision path: Newton with residual and Jacobian at "
            f"{SMALL_CC_DIGITS} digits from z = pτ₀); z/τ − p = {mp.nstr(off_valley, 3)}",
        ),
        Row(
            "g_s of the full vacuum against the ancillary g_s.dat",
            paper=anc["g_s"]["value"],
            jaxvac=float(g_full),
            compare=Printed(),
            explanation=f"Cause of the difference: g_s.dat is the two-term formula (the row 'g_s of "
            "the two-term racetrack') to its 6 digits, not the vacuum — the paper says it "
            "'approximated the F-term D_τW by ∂_τW' (§2.3, before eq. (2.25)). The full F-terms "
            "are Kähler-covariant, D_IW = ∂_IW + K_IW, and the K_IW terms along the valley move "
            f"g_s by {float(abs(g_full / g_leading - 1)):.2e}. The 1-D racetrack with "
            "K = −4 log Im τ along z = pτ (one unit from the dilaton, three from the cubic term "
            f"of K_cs) gives g_s = {mp.nstr(g_cov, 15)}, {float(abs(g_cov / g_full - 1)):.1e} "
            "from the full solution",
        ),
        Row(
            "W0 = |W_flux| of the two-term racetrack (eq. (6.61): 80ζ·528⁻³³)",
            paper=anc["W0"]["value"],
            jaxvac=float(W_formula),
            compare=Printed(),
            explanation=f"80ζ·528⁻³³ = {mp.nstr(W_formula, 15)} (ζ = 1/(2^{{3/2}}π^{{5/2}})); "
            "paper value: the ancillary W_0.dat (the text prints ≈ 2.3 × 10⁻⁹⁰)",
        ),
        Row(
            f"W0 = |W_flux| at the full vacuum ({SMALL_CC_DIGITS} digits)",
            paper=printed["W0"]["value"],
            jaxvac=float(W_flux),
            compare=Printed(),
            explanation=f"W0 = √(2/π)|W| = {mp.nstr(W_flux, 15)} (no e^{{K/2}}: 2107.09064 "
            f"defines W0 = ⟨|W_flux|⟩; with e^{{K/2}}, 1912.10047's eq. (1), it is "
            f"{mp.nstr(W_e, 6)})",
        ),
        Row(
            "W0 at the full vacuum against the ancillary W_0.dat",
            paper=anc["W0"]["value"],
            jaxvac=float(W_flux),
            compare=Printed(),
            explanation="Cause of the difference: W_0.dat is 80ζ·528⁻³³ (the two-term formula, "
            "row 'W0 of the two-term racetrack') to its 6 digits; at the full vacuum's g_s (the "
            "K_IW terms included) |W_flux| is "
            f"{float(abs(W_flux / W_formula - 1)):.2e} smaller (|W_flux| is largest where "
            "∂_τW = 0, so the shift lowers it at second order)",
        ),
        Row(
            "V0 = −3e^K|W_flux|² (eq. (6.63)), with the printed V_E ≈ 5.4 × 10⁶",
            paper=printed["V0"]["value"],
            jaxvac=V0_of(V_E),
            compare=Printed(
                order=input_rounding(V0_of, "5.4e6"), term="the printed V_E (2 digits)"
            ),
            explanation="K = −2 log(2^{3/2}V_E) − log(−i(τ−τ̄)) − log(−iΠ†ΣΠ) (eq. (2.25)); "
            "jaxvac computes K_cs + K_τ and W_flux at the vacuum; V_E belongs to the h^{1,1}(X) "
            "= 214 Kähler sector, not modelled here: its printed value is the input. The paper's "
            "W at the KKLT point is W_flux + W_np, |W| ≈ W0(1 − 3/(2 log W0⁻¹)) ≈ 0.993 W0, "
            "which would lower |V0| by ~1.5%: within the allowed difference, so the closer "
            "agreement is partly coincidence",
        ),
        Row(
            "jaxvac check at the vacuum rounded to float64",
            jaxvac=f"{check['result']}",
            explanation="float64 cannot hold this vacuum: |W| ~ 1e-90 is below the rounding of "
            "D_aW's O(1) terms, so check's verdict there is about a float64 neighbourhood, not "
            "the vacuum; the high-precision rows above are the evidence",
        ),
        Row(
            "physicality (columns, not filters)",
            jaxvac=f"LCS: {bool(ph['lcs'])} (min Im z = {ph['im_z_min']:.2f}), g_s = "
            f"{ph['g_s']:.5f}, min eig K_ab̄ = {ph['metric_min_eig']:.2e}, max|e^(2πi q·z)| = "
            f"{ph['instanton_max_q']:.2e}, |F_inst/F_poly| = {ph['instanton_ratio']:.1e}, "
            f"tadpole: N_flux/2 = {ph['N_flux'] / 2:g} ≤ 110",
        ),
    ]
    return Report(
        "flux-pfv-4-214",
        SMALL_CC_SOURCE,
        rows,
        title="Perturbatively flat vacuum with W0 ~ 10⁻⁹⁰, (h^{2,1}, h^{1,1}) = (4, 214) "
        "(2107.09064 §6.4)",
        notes=f"M = {M}, K = {K}; toric data, κ̃ and the GV classes: "
        f"jaxvac/data/flux/dkmmr_4_214_647.json; {seconds:.1f} s including compilation.",
        data={
            "M": M,
            "K": K,
            "g_s_full": mp.nstr(g_full, 40),
            "W0_full": mp.nstr(W_flux, 30),
            "tau_hp": mp.nstr(out["tau_hp"], 40),
        },
    )
