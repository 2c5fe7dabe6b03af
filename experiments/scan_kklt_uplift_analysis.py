"""Analysis of the flagship KKLT-uplift scan (experiments/scan_kklt_uplift.toml) against an
independent semi-analytic prediction.

    python experiments/scan_kklt_uplift_analysis.py SCAN_DIR [--out experiments/results]

Prediction (mpmath/numpy only, no jaxvac): along the real direction (Im T = 0 for W0 < 0;
the W0 > 0 case is the same with Im T = π/a) the F-term potential is KKLT's eq. (13),

    V_F(σ) = (a A e^{-aσ} / 2σ²) (σ a A e^{-aσ} / 3 + W0 + A e^{-aσ}),

and V = V_F + D/σ². A critical point at σ needs D(σ) = σ³ V_F'(σ)/2; it is a minimum for
σ between the Minkowski vacuum σ_M (V = 0) and the inflection point σ_up (V'' = 0) — the dS
window D_M(W0) < D < D_up(W0) — with Λ(σ) = V_F(σ) + D(σ)/σ². Since ∂Λ/∂D = 1/σ² at fixed
W0 (Hellmann–Feynman), with D flat on [0, D_max] and W0 flat on [-w, w]:

    P(points with a dS minimum) = E_W0[(min(D_up, D_max) - min(D_M, D_max)) / D_max],
    P(Λ) = E_W0[σ(Λ; W0)² 1{D(σ) ≤ D_max}] / D_max   (density per parameter point),
    P(Λ → 0+) = E_W0[σ_M(W0)²] / D_max  > 0:  exponent 0, not a divergence.

Writes scan_kklt_uplift.md, scan_kklt_uplift.json and scan_kklt_uplift_lambda.png to --out
(and the standard `jaxvac plot` figures to --out/scan_kklt_uplift_figures).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import jax

jax.config.update("jax_enable_x64", True)

import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402

from jaxvac.scan import fit_power_law, load_scan, log_histogram, quantiles, vacuum_fractions  # noqa: E402
from jaxvac.scan._plot import make_report  # noqa: E402

mp.mp.dps = 40


def kklt_curves(w0: float, A: float, a: float, n_sigma: int = 400):
    """For W0 = -|w0|: σ_M, D_M, σ_up, D_up and the curve (σ, D(σ), Λ(σ)) on [σ_M, σ_up]."""
    W0, A, a = -mp.mpf(abs(w0)), mp.mpf(A), mp.mpf(a)

    def VF(s):
        e = A * mp.exp(-a * s)
        return a * e / (2 * s**2) * (s * a * e / 3 + W0 + e)

    def dVF(s):
        return mp.diff(VF, s)

    def D_of(s):  # stationarity of VF + D/σ²
        return s**3 * dVF(s) / 2

    def Lam(s):
        return VF(s) + D_of(s) / s**2

    def d2V(s):  # V'' at the critical point with D = D(σ)
        return mp.diff(VF, s, 2) + 6 * D_of(s) / s**4

    def bisect(f, lo, hi):
        flo = f(lo)
        for _ in range(120):
            mid = (lo + hi) / 2
            if (f(mid) > 0) == (flo > 0):
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    # the SUSY AdS minimum σ_0 solves D_T W = 0: W0 = -A e^{-aσ}(1 + 2aσ/3); V'' > 0 there
    s0 = bisect(
        lambda s: W0 + A * mp.exp(-a * s) * (1 + 2 * a * s / 3), mp.mpf(1) / a, mp.mpf(2000) / a
    )
    hi = s0
    while d2V(hi) > 0:  # walk out to where the critical point with D(σ) is no longer a minimum
        hi *= mp.mpf("1.01")
    sU = bisect(d2V, s0, hi)  # inflection: minimum and barrier merge (D = D_up)
    sM = bisect(Lam, s0, sU)  # Λ(σ_0) = V_AdS < 0 < Λ(σ_up): the Minkowski vacuum
    sig = [sM + (sU - sM) * mp.mpf(k) / (n_sigma - 1) for k in range(n_sigma)]
    return {
        "sigma_0": float(s0),
        "sigma_M": float(sM),
        "D_M": float(D_of(sM)),
        "sigma_up": float(sU),
        "D_up": float(D_of(sU)),
        "Lambda_up": float(Lam(sU)),
        "sigma": np.array([float(s) for s in sig]),
        "D": np.array([float(D_of(s)) for s in sig]),
        "Lambda": np.array([float(Lam(s)) for s in sig]),
    }


class Prediction:
    """Expected fraction of points with a dS minimum, P(Λ→0+) and P(Λ) per point, by
    Gauss–Legendre quadrature over |W0| ∈ (0, w] (|W0| flat): n_w nodes on [w/100, w] and
    n_w nodes in log |W0| on (w/100 e^{-12}, w/100] (below that, negligible weight)."""

    def __init__(self, w: float, D_max: float, A: float, a: float, n_w: int = 48):
        nodes, weights = np.polynomial.legendre.leggauss(n_w)
        xs = 0.5 * (nodes + 1)
        pts = [
            (w / 100 + (w - w / 100) * x, (w - w / 100) * 0.5 * wt / w)
            for x, wt in zip(xs, weights)
        ]
        pts += [
            ((w / 100) * math.exp(-6 * (x + 1)), (w / 100) * math.exp(-6 * (x + 1)) * 6 * wt / w)
            for x, wt in zip(nodes, weights)
        ]
        self.D_max = D_max
        self.abs_w0 = [w0 for w0, _ in pts]
        self.curves = [(weight, kklt_curves(w0, A, a)) for w0, weight in pts]
        self.fraction = sum(
            wt * (min(c["D_up"], D_max) - min(c["D_M"], D_max)) / D_max for wt, c in self.curves
        )
        self.p0 = sum(wt * c["sigma_M"] ** 2 / D_max for wt, c in self.curves if c["D_M"] < D_max)

    def density(self, lam_grid: np.ndarray) -> np.ndarray:
        dens = np.zeros_like(lam_grid)
        for wt, c in self.curves:
            ok = c["D"] <= self.D_max
            if ok.sum() >= 2:
                L, s2 = c["Lambda"][ok], c["sigma"][ok] ** 2
                inside = (lam_grid >= L.min()) & (lam_grid <= L.max())
                dens[inside] += wt * np.interp(lam_grid[inside], L, s2) / self.D_max
        return dens


def main():
    p = argparse.ArgumentParser()
    p.add_argument("scan_dir")
    p.add_argument(
        "--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    )
    p.add_argument("--wall-seconds", type=float, default=None, help="wall time of the scan run")
    args = p.parse_args()

    r = load_scan(args.scan_dir)
    cfg = r.config
    w, D_max = cfg["sample"]["W0"]["scale"], cfg["sample"]["D"]["high"]
    A, a = cfg["fixed"]["A"], cfg["fixed"]["a"]
    assert cfg["sample"]["D"]["low"] == 0.0 and cfg["sample"]["W0"]["dist"] == "symmetric"
    n_points = r.counts["points"]

    lam = r.vacua("dS-minima", columns=["V"]).column("V").to_numpy()
    lam = lam[lam > 0]
    fr = vacuum_fractions(r)
    edges = np.logspace(math.log10(lam.min()) - 0.01, math.log10(lam.max()) + 0.01, 31)
    h = log_histogram(lam, bins=edges, total=n_points)  # density per parameter point
    t0 = time.perf_counter()
    pred = Prediction(w, D_max, A, a)
    t_pred = time.perf_counter() - t0
    frac_pred, p0 = pred.fraction, pred.p0
    fine = np.logspace(math.log10(edges[0]), math.log10(edges[-1]), 2000)
    dens_fine = pred.density(fine)
    # bin-averaged prediction (the density varies within a log bin)
    pred_bins = np.array(
        [
            np.trapezoid(
                np.interp(np.linspace(a_, b_, 50), fine, dens_fine), np.linspace(a_, b_, 50)
            )
            / (b_ - a_)
            for a_, b_ in zip(edges[:-1], edges[1:])
        ]
    )
    ok = h.counts >= 5
    pulls = (h.density[ok] - pred_bins[ok]) / h.error[ok]
    # completeness, point by point: a dS minimum is predicted iff D_M(|W0|) < D < D_up(|W0|)
    from jaxvac.scan._plot import _all_parameter_values

    allp = _all_parameter_values(r, ["W0", "D"])
    nodes = sorted(
        (math.log(abs_w), c["D_M"], c["D_up"]) for (_, c), abs_w in zip(pred.curves, pred.abs_w0)
    )
    lw = np.array([n[0] for n in nodes])
    lDM = np.interp(np.log(np.abs(allp["W0"])), lw, np.log([n[1] for n in nodes]))
    lDU = np.interp(np.log(np.abs(allp["W0"])), lw, np.log([n[2] for n in nodes]))
    with np.errstate(divide="ignore"):
        expected = (np.log(allp["D"]) > lDM) & (np.log(allp["D"]) < lDU)
    found_pts = set(r.vacua("dS-minima", columns=["point"]).column("point").to_numpy().tolist())
    found = np.isin(allp["point"], list(found_pts))
    completeness = {
        "predicted_points": int(expected.sum()),
        "found_points": int(found.sum()),
        "found_and_predicted": int((found & expected).sum()),
        "found_not_predicted": int((found & ~expected).sum()),
        "completeness": float((found & expected).sum() / max(expected.sum(), 1)),
    }
    q = quantiles(lam, (0.1, 0.5))
    upper = float(np.quantile(lam, 0.1))
    fit = fit_power_law(lam, upper=upper)
    low = lam <= upper
    p0_measured = low.sum() / (n_points * upper)  # mean density on (0, Λ10]

    os.makedirs(args.out, exist_ok=True)
    # ---- figure: P(Λ) per parameter point, scan vs prediction ----------------------------
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.6, 4.8), dpi=150, layout="constrained")
    ax = fig.add_subplot()
    sel = h.counts > 0
    ax.errorbar(
        h.centers[sel],
        h.density[sel],
        yerr=h.error[sel],
        fmt="o",
        ms=3.5,
        capsize=2,
        color="black",
        label=f"jaxvac scan: {lam.size} dS minima from {n_points} points",
    )
    ax.plot(
        fine,
        dens_fine,
        color="C3",
        lw=1.6,
        label="prediction: E[σ(Λ)²]/D_max (KKLT eq. (13) + D/σ², mpmath)",
    )
    ax.axhline(p0, color="C0", ls="--", lw=1.2, label=f"P(Λ→0+) = E[σ_M²]/D_max = {p0:.3g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$\Lambda$  [$M_P^4$]")
    ax.set_ylabel(r"$P(\Lambda)$ per parameter point  [$M_P^{-4}$]")
    ax.set_title("KKLT + anti-D3 uplift: W0 ~ U(-1e-3, 1e-3), D ~ U(0, 1e-8)", fontsize=9)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3, which="both", lw=0.4)
    fig.savefig(os.path.join(args.out, "scan_kklt_uplift_lambda.png"))
    make_report(
        r,
        os.path.join(args.out, "scan_kklt_uplift_figures"),
        analytic_exponent=0.0,
        params=("W0", "D"),
        fit_upper=upper,
    )

    summary = {
        "scan": os.path.abspath(args.scan_dir),
        "config": cfg,
        "points": n_points,
        "wall_seconds": args.wall_seconds,
        "compute_seconds": r.seconds,
        "results": r.counts["results"],
        "vacua": r.counts["vacua"],
        "points_with": r.counts["points_with"],
        "fraction_dS_minima": {
            "k": fr["dS-minima"].k,
            "n": fr["dS-minima"].n,
            "value": fr["dS-minima"].value,
            "wilson95": [fr["dS-minima"].low, fr["dS-minima"].high],
        },
        "fraction_dS_minima_predicted": frac_pred,
        "completeness": completeness,
        "P0_predicted": p0,
        "P0_measured_below_Lambda10": p0_measured,
        "histogram_pulls": {
            "n_bins": int(ok.sum()),
            "chi2": float(np.sum(pulls**2)),
            "max_abs": float(np.max(np.abs(pulls))) if pulls.size else None,
        },
        "power_law_below_Lambda10": {
            "exponent": fit.exponent,
            "error": fit.error,
            "n": fit.n,
            "upper": upper,
            "ks": fit.ks,
            "predicted": 0.0,
        },
        "quantiles": {f"Lambda{int(x.y * 100)}": [x.value, x.low, x.high] for x in q},
        "prediction_seconds": t_pred,
    }
    with open(os.path.join(args.out, "scan_kklt_uplift.json"), "w") as f:
        json.dump(summary, f, indent=1)
    with open(os.path.join(args.out, "scan_kklt_uplift.md"), "w") as f:
        f.write(markdown(summary))
    print(
        json.dumps(
            {
                k: summary[k]
                for k in (
                    "fraction_dS_minima",
                    "fraction_dS_minima_predicted",
                    "completeness",
                    "P0_predicted",
                    "P0_measured_below_Lambda10",
                    "histogram_pulls",
                    "power_law_below_Lambda10",
                )
            },
            indent=1,
        )
    )


def markdown(s) -> str:
    f = s["fraction_dS_minima"]
    c = s["completeness"]
    fit = s["power_law_below_Lambda10"]
    q = s["quantiles"]
    cfg = s["config"]
    hp = s["histogram_pulls"]
    res = s["results"]
    return "\n".join(
        [
            "# Flagship scan: KKLT with an anti-D3 uplift",
            "",
            "Configuration `experiments/scan_kklt_uplift.toml` (model `experiments/kklt_uplift.py`): "
            f"K = -3 log(T+T̄), W = W0 + A e^(-aT), V = V_F + D/σ², A = {cfg['fixed']['A']}, "
            f"a = {cfg['fixed']['a']}; W0 flat on [-{cfg['sample']['W0']['scale']:g}, "
            f"{cfg['sample']['W0']['scale']:g}] and D flat on [0, {cfg['sample']['D']['high']:g}] "
            "(smooth distributions that allow the zero value, as seed 000 §2 assumes); "
            f"{cfg['starts']} starts per point in {cfg['region']}, search options {cfg['search']}. "
            "Analysis: `python experiments/scan_kklt_uplift_analysis.py DIR` (figures beside this file).",
            "",
            "| quantity | scan (jaxvac) | independent prediction | verdict |",
            "|---|---|---|---|",
            f"| parameter points | {s['points']} | | |",
            f"| run time | {s['wall_seconds']:.0f} s wall on 2 shared CPU cores ({s['points'] / s['wall_seconds']:.0f} points/s, "
            f"including start-up and compilation) | | |"
            if s["wall_seconds"]
            else f"| compute time | {s['compute_seconds']:.0f} s | | |",
            f"| fraction of points with a metastable dS vacuum | {f['value']:.4f} [{f['wilson95'][0]:.4f}, "
            f"{f['wilson95'][1]:.4f}] (Wilson 95%, {f['k']}/{f['n']}) | {s['fraction_dS_minima_predicted']:.4f} | "
            f"{'match' if f['wilson95'][0] <= s['fraction_dS_minima_predicted'] <= f['wilson95'][1] else 'see completeness'} |",
            f"| completeness: predicted dS points found | {c['found_and_predicted']}/{c['predicted_points']} = "
            f"{c['completeness']:.4f} | 1 | found {c['found_not_predicted']} not predicted |",
            f"| P(Λ → 0+) per point [M_P^-4] (mean density on (0, Λ10]) | {s['P0_measured_below_Lambda10']:.3e} | "
            f"{s['P0_predicted']:.3e} (E[σ_M²]/D_max) | ratio {s['P0_measured_below_Lambda10'] / s['P0_predicted']:.3f} |",
            f"| power-law exponent of P(Λ) below Λ10 = {fit['upper']:.2e} | {fit['exponent']:.3f} ± {fit['error']:.3f} "
            f"({fit['n']} vacua, KS {fit['ks']:.3f}) | 0 (finite, non-zero P(0+)) | "
            f"{'match' if abs(fit['exponent']) <= 3 * fit['error'] else 'mismatch'} |",
            f"| P(Λ) histogram vs E[σ(Λ)²]/D_max | χ² = {hp['chi2']:.1f} over {hp['n_bins']} bins (max pull "
            f"{hp['max_abs']:.1f}) | | |",
            f"| Λ10, Λ50 [M_P^4] (bootstrap 95%) | {q['Lambda10'][0]:.3e} [{q['Lambda10'][1]:.3e}, {q['Lambda10'][2]:.3e}], "
            f"{q['Lambda50'][0]:.3e} [{q['Lambda50'][1]:.3e}, {q['Lambda50'][2]:.3e}] | | |",
            "",
            f"Starts by result: {res}. Distinct critical points: {s['vacua']}.",
            "",
            "**Prediction.** Along Im T = 0 (W0 < 0; Im T = π/a for W0 > 0) V_F is KKLT's eq. (13); a critical "
            "point at σ needs D(σ) = σ³V_F'(σ)/2, and is a minimum between the Minkowski vacuum σ_M (Λ = 0) "
            "and the inflection σ_up where minimum and barrier merge; ∂Λ/∂D = 1/σ² (Hellmann–Feynman), so "
            "with D flat on [0, D_max] the density of Λ per parameter point is E_W0[σ(Λ)²]/D_max, finite at "
            "Λ → 0+: P(Λ) does not diverge for KKLT with a smooth uplift distribution (exponent 0), unlike the "
            "RKU model's Λ^-(β+1)/(2β) of eq. (2.9). Computed with mpmath, independently of jaxvac.",
            "",
            "**Completeness.** With the search's default global phase (Adam) and 12 starts in 20 < Re T < 400 "
            "only 55% of the predicted dS minima were found (most starts run away to σ → ∞ or hit max_steps); "
            "12 starts without the global phase found 87%, 32 starts 99% (on 1024 points). The scan therefore "
            "uses `[search] global_steps = 0` and 32 starts.",
            "",
            "![P(Λ)](scan_kklt_uplift_lambda.png)",
            "",
            "Standard figures (`jaxvac plot`): `scan_kklt_uplift_figures/`.",
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
