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

    # the SUSY AdS minimum σ_0 solves D_T W = 0: W0 = -A e^{-aσ}(1 + 2aσ/3)
    s0 = mp.findroot(lambda s: W0 + A * mp.exp(-a * s) * (1 + 2 * a * s / 3), 1 / a * mp.log(-A / W0 * 10))
    sM = mp.findroot(Lam, s0 * 1.05)
    for guess in (sM * 1.02, sM * 1.05, sM * 1.1):
        try:
            sU = mp.findroot(d2V, guess)
        except (ValueError, ZeroDivisionError):
            continue
        if sU > sM:
            break
    sig = [sM + (sU - sM) * mp.mpf(k) / (n_sigma - 1) for k in range(n_sigma)]
    return {
        "sigma_0": float(s0), "sigma_M": float(sM), "D_M": float(D_of(sM)),
        "sigma_up": float(sU), "D_up": float(D_of(sU)), "Lambda_up": float(Lam(sU)),
        "sigma": np.array([float(s) for s in sig]),
        "D": np.array([float(D_of(s)) for s in sig]),
        "Lambda": np.array([float(Lam(s)) for s in sig]),
    }


def prediction(w: float, D_max: float, A: float, a: float, lam_grid: np.ndarray, n_w: int = 64):
    """Expected fraction of points with a dS minimum and P(Λ) per point on ``lam_grid``,
    by Gauss–Legendre quadrature over |W0| ∈ (0, w] (in log |W0| below w/100)."""
    # |W0| flat on (0, w]: split (0, w] at w/100; the small-|W0| part contributes ~1%
    nodes, weights = np.polynomial.legendre.leggauss(n_w)
    xs = 0.5 * (nodes + 1)
    pts = [(w / 100 + (w - w / 100) * x, (w - w / 100) * 0.5 * wt / w) for x, wt in zip(xs, weights)]
    # (0, w/100]: substitute |W0| = (w/100) e^{-u}, u ∈ [0, 12] (below e^-12 negligible)
    pts += [((w / 100) * math.exp(-6 * (x + 1)), (w / 100) * math.exp(-6 * (x + 1)) * 6 * wt / w)
            for x, wt in zip(nodes, weights)]
    frac = 0.0
    dens = np.zeros_like(lam_grid)
    p0 = 0.0
    for w0, weight in pts:
        c = kklt_curves(w0, A, a)
        lo, hi = min(c["D_M"], D_max), min(c["D_up"], D_max)
        frac += weight * (hi - lo) / D_max
        p0 += weight * c["sigma_M"] ** 2 / D_max if c["D_M"] < D_max else 0.0
        ok = c["D"] <= D_max
        if ok.sum() >= 2:
            L, s2 = c["Lambda"][ok], c["sigma"][ok] ** 2
            inside = (lam_grid >= L.min()) & (lam_grid <= L.max())
            dens[inside] += weight * np.interp(lam_grid[inside], L, s2) / D_max
    return frac, dens, p0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("scan_dir")
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results"))
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
    frac_pred, dens_pred, p0 = prediction(w, D_max, A, a, h.centers)
    t_pred = time.perf_counter() - t0
    fine = np.logspace(math.log10(edges[0]), math.log10(edges[-1]), 400)
    _, dens_fine, _ = prediction(w, D_max, A, a, fine)
    # bin-averaged prediction (the density varies within a log bin)
    pred_bins = np.array([np.trapezoid(np.interp(np.linspace(a_, b_, 50), fine, dens_fine),
                                       np.linspace(a_, b_, 50)) / (b_ - a_)
                          for a_, b_ in zip(edges[:-1], edges[1:])])
    ok = h.counts >= 5
    pulls = (h.density[ok] - pred_bins[ok]) / h.error[ok]
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
    ax.errorbar(h.centers[sel], h.density[sel], yerr=h.error[sel], fmt="o", ms=3.5, capsize=2,
                color="black", label=f"jaxvac scan: {lam.size} dS minima from {n_points} points")
    ax.plot(fine, dens_fine, color="C3", lw=1.6,
            label="prediction: E[σ(Λ)²]/D_max (KKLT eq. (13) + D/σ², mpmath)")
    ax.axhline(p0, color="C0", ls="--", lw=1.2, label=f"P(Λ→0+) = E[σ_M²]/D_max = {p0:.3g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$\Lambda$  [$M_P^4$]")
    ax.set_ylabel(r"$P(\Lambda)$ per parameter point  [$M_P^{-4}$]")
    ax.set_title("KKLT + anti-D3 uplift: W0 ~ U(-1e-3, 1e-3), D ~ U(0, 1e-8)", fontsize=9)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3, which="both", lw=0.4)
    fig.savefig(os.path.join(args.out, "scan_kklt_uplift_lambda.png"))
    make_report(r, os.path.join(args.out, "scan_kklt_uplift_figures"), analytic_exponent=0.0,
                params=("W0", "D"), fit_upper=upper)

    summary = {
        "scan": os.path.abspath(args.scan_dir), "config": cfg, "points": n_points,
        "wall_seconds": args.wall_seconds, "compute_seconds": r.seconds,
        "results": r.counts["results"], "vacua": r.counts["vacua"],
        "points_with": r.counts["points_with"],
        "fraction_dS_minima": {"k": fr["dS-minima"].k, "n": fr["dS-minima"].n,
                               "value": fr["dS-minima"].value, "wilson95": [fr["dS-minima"].low, fr["dS-minima"].high]},
        "fraction_dS_minima_predicted": frac_pred,
        "P0_predicted": p0, "P0_measured_below_Lambda10": p0_measured,
        "histogram_pulls": {"n_bins": int(ok.sum()), "chi2": float(np.sum(pulls**2)),
                            "max_abs": float(np.max(np.abs(pulls))) if pulls.size else None},
        "power_law_below_Lambda10": {"exponent": fit.exponent, "error": fit.error, "n": fit.n,
                                     "upper": upper, "ks": fit.ks, "predicted": 0.0},
        "quantiles": {f"Lambda{int(x.y * 100)}": [x.value, x.low, x.high] for x in q},
        "prediction_seconds": t_pred,
    }
    with open(os.path.join(args.out, "scan_kklt_uplift.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps({k: summary[k] for k in ("fraction_dS_minima", "fraction_dS_minima_predicted",
                                               "P0_predicted", "P0_measured_below_Lambda10",
                                               "histogram_pulls", "power_law_below_Lambda10")}, indent=1))


if __name__ == "__main__":
    sys.exit(main())
