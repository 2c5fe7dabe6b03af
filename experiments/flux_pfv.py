"""Perturbatively flat vacuum of Demirtas–Kim–McAllister–Moritz (arXiv:1912.10047) on the
mirror of P[1,1,1,6,9][18], with the data in jaxvac/data/flux/p11169.json (sources there).

PFV conditions → leading racetrack τ₀ → full SUSY solve of the model (all three moduli,
instantons kept) → physicality columns → 40-digit refinement (jaxvac's mpmath path) →
``jaxvac check`` at the vacuum. Rows follow the reproduction verdict policy: ``paper`` holds
only values printed in 1912.10047 that we could read (its abstract, via the stored ar5iv
copy); values printed elsewhere are in ``reference`` with where they come from.

Run: ``python experiments/flux_pfv.py`` → experiments/results/flux_pfv.{md,json}.
"""

import json
import pathlib
import time

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)

import jaxvac  # noqa: E402
from jaxvac import flux  # noqa: E402
from jaxvac.flux._builtin import P11169, load_geometry  # noqa: E402

OUT = pathlib.Path(__file__).parent / "results"


def row(quantity, jv, *, paper=None, reference=None, where="", tol=None, explanation=""):
    target = paper if paper is not None else reference
    rel = None
    verdict = "n/a"
    if target is not None and isinstance(jv, (int, float)):
        rel = abs(jv - target) / abs(target)
        verdict = "match" if rel <= tol else "mismatch"
    return {
        "quantity": quantity,
        "paper": paper,
        "reference": reference,
        "where": where,
        "jaxvac": jv,
        "rel_diff": rel,
        "verdict": verdict,
        "explanation": explanation,
    }


def main():
    data = load_geometry("p11169")
    M, K = data["pfv"]["M"], data["pfv"]["K"]
    t0 = time.perf_counter()
    out = flux.pfv_vacuum(P11169(), M, K, digits=40)
    seconds = time.perf_counter() - t0
    c, ph = out["conditions"], out["physicality"]
    tau, z = out["tau"], out["z"]
    jv_where = "JaxVacua docs intro/pfv.md (example of 1912.10047)"
    ab = "1912.10047 abstract (stored ar5iv copy): W0 ≈ 2 × 10⁻⁸"
    m = jaxvac.canonical(flux.with_fluxes(P11169(), out["F"], out["H"]))
    # at the 40-digit point rounded to float64 (the float64 Newton point keeps Re z, Re τ
    # ~1e-10 of rounding noise, where ∇V is not resolved: check calls that not critical)
    y_hp = np.array([float(v) for v in out["y_hp"]])
    rep = jaxvac.check(m, y_hp).to_dict()
    rows = [
        row(
            "PFV conditions (det N ≠ 0, p in Kähler cone, K·p = 0, a·M ∈ ℤ, c₂·M/24 ∈ ℤ)",
            str(c["pfv"]),
            explanation=f"N = {c['N'].tolist()}, det N = {c['det_N']:.6g}, "
            f"p = {c['p'].tolist()}, K·p = {c['Kp']:.1e}, R = {c['R'].tolist()}, R0 = {c['R0']}",
        ),
        row(
            "flux vector F, H from (M, K)",
            f"{out['F'].tolist()}, {out['H'].tolist()}",
            explanation="equal to the printed vector in the JaxVacua overview notebook",
        ),
        row(
            "N_flux = F·ΣH (signed)",
            ph["N_flux"],
            reference=2 * 124,
            tol=0,
            where=jv_where + ": Q_flux = 124 = −M·K/2",
            explanation="N_flux = −M·K = 2 Q_flux",
        ),
        row(
            "W0 = √(2/π) e^{K/2}|W| (eq. (1) of 1912.10047)",
            ph["W0"],
            paper=2e-8,
            tol=0.25,
            where=ab,
            explanation="the paper prints one significant digit: tolerance ±0.5e-8",
        ),
        row(
            "W0 (40 digits)",
            float(out["W0_hp"]),
            reference=2.037e-8,
            tol=5e-4,
            where=jv_where,
            explanation=f"refined: max|D_aW| = {float(out['residual_hp']):.1e}; float64 "
            f"W0 = {ph['W0']:.10e}; 40-digit W0 = {float(out['W0_hp']):.10e}",
        ),
        row(
            "Im τ",
            float(tau.imag),
            reference=6.856,
            tol=1e-4,
            where=jv_where,
            explanation=f"Re τ = {tau.real:.1e}; leading racetrack τ₀ = {out['tau0']:.4f} "
            "(∂_τW_eff = 0, two terms); 40 digits: "
            f"Im τ = {float(out['tau_hp']):.12f}",
        ),
        row(
            "g_s = 1/Im τ",
            ph["g_s"],
            reference=1 / 6.856,
            tol=1e-4,
            where=jv_where,
            explanation="1912.10047's printed g_s is not in what we could read (abstract only)",
        ),
        row("Im z¹", float(z[0].imag), reference=2.742, tol=2e-4, where=jv_where),
        row("Im z²", float(z[1].imag), reference=2.057, tol=2e-4, where=jv_where),
        row(
            "jaxvac check at the 40-digit vacuum (rounded to float64)",
            f"{rep['result']}, susy={rep['susy']}, {rep['type']}, {rep['vacuum']}",
            explanation=f"n_flat = {rep['n_flat']} (the two "
            "racetrack-light directions are flat at float64 resolution), digits of V = "
            f"{rep['digits']:.1f}",
        ),
        row(
            "physicality",
            f"LCS: {ph['lcs']} (min Im z = {ph['im_z_min']:.3f}), "
            f"max|e^(2πi q·z)| = {ph['instanton_max_q']:.2e}, |F_inst/F_poly| = "
            f"{ph['instanton_ratio']:.1e}, min eig K_ab̄ = {ph['metric_min_eig']:.2e}",
            explanation="columns, not filters",
        ),
        row(
            "2107.09064 §6 (h²¹ = 4; g_s = 2π/(110 log 528) ≈ 0.00911134, W0 ≈ 2.30012e-90)",
            "not reproduced",
            explanation="its data are not obtainable here: the h²¹ = 4 mirror's "
            "triple intersection numbers, c₂·J, the GV invariants to the degree that sets the "
            "racetrack, the orientifold and the fluxes (M, K) are not in any stored copy we "
            "could read; the 40-digit path above is what W0 ~ 1e-90 would need",
        ),
    ]
    OUT.mkdir(exist_ok=True)
    head = (
        "# Perturbatively flat vacuum on the mirror of P[1,1,1,6,9][18] (1912.10047)\n\n"
        f"M = {M}, K = {K}; data: jaxvac/data/flux/p11169.json (sources listed there); "
        f"{seconds:.1f} s including compilation (CPU shared).\n\n"
        "| quantity | paper | reference | jaxvac | rel. diff. | verdict | explanation |\n"
        "|---|---|---|---|---|---|---|\n"
    )

    def fmt(x):
        if x is None:
            return "—"
        return f"{x:.6g}" if isinstance(x, float) else str(x)

    def rel(x):
        return "—" if x is None else f"{x:.1e}"

    lines = [
        f"| {r['quantity']} | {fmt(r['paper'])} | {fmt(r['reference'])}"
        f"{' (' + r['where'] + ')' if r['where'] else ''} | {fmt(r['jaxvac'])} | "
        f"{rel(r['rel_diff'])} | **{r['verdict']}** | {r['explanation']} |"
        for r in rows
    ]
    (OUT / "flux_pfv.md").write_text(head + "\n".join(lines) + "\n")
    (OUT / "flux_pfv.json").write_text(
        json.dumps(
            {
                "target": "flux-pfv",
                "source": "arXiv:1912.10047 (abstract; example data via JaxVacua)",
                "rows": rows,
            },
            indent=1,
            default=str,
        )
    )
    print(head + "\n".join(lines))


if __name__ == "__main__":
    main()
