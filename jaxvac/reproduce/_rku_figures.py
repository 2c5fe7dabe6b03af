"""Figures of the seed-000 (RKU) reproduction: the stability window, V(t) and λ(x)
through a vacuum, and P(Λ). Each function writes one PNG into ``out_dir`` and returns its
file name."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from . import _rku_formulas as F


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def window_figure(out_dir: Path, cases, table2=None, name="rku_window.png") -> str:
    """The stable window in the (x, Ĉ) plane, as Ĉ/Ĉ0(x) (Ĉ0 of (2.6)), for the βs of
    ``cases``: exact edges of λ (2.2) (lines), (2.5)'s edges mapped to Ĉ (dashed), the
    full model's exact window (bars), and the Table 2 points."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.0, 4.4))
    betas = sorted({(c["N1"], c["N2"]) for c in cases}, key=lambda p: -p[0])
    colours = ["C0", "C1", "C2", "C3"]
    xs = np.linspace(3.2, 210, 600)
    for (N1, N2), col in zip(betas, colours):
        beta = N1 / N2
        cy, cx, _ = F.window_c_exact(xs, beta)
        c0 = F.c_lo(xs, beta)
        ax.fill_between(xs, cy / c0, cx / c0, color=col, alpha=0.25, lw=0)
        ax.plot(xs, cy / c0, color=col, lw=1.2, label=f"exact λ window, Nmax={N1}")
        ax.plot(xs, cx / c0, color=col, lw=1.2)
        lmin, lmax = F.window_lo(xs, beta)
        e = np.exp(-xs)
        # λ at the extremum is linear in Ĉ: invert lam_at_extremum
        to_c = lambda lam: (
            (lam * xs**2 * (beta * xs + 2) + e * (beta - 1) * xs)
            * 2
            * xs**2.5
            / (2 * beta * xs - 5)
        )
        ax.plot(xs, to_c(lmax) / c0, color=col, lw=1.0, ls="--")
        for c in cases:
            if (c["N1"], c["N2"]) != (N1, N2) or c["window"] is None:
                continue
            lo = c["window"]["lo"]["C_hat"] / c["C0"]
            hi = c["window"]["hi"]["C_hat"] / c["C0"]
            ax.plot([c["x"], c["x"]], [lo, hi], color=col, lw=4, solid_capstyle="butt")
    ax.axhline(1.0, color="k", lw=0.8, ls=":", label="(2.6): Ĉ = Ĉ0")
    if table2:
        for row in table2:
            ax.errorbar(
                row["x_from_C"],
                row["C_over_C0"],
                xerr=row["x_err"],
                fmt="k*",
                ms=10,
                label="Table 2" if row is table2[0] else None,
            )
    ax.plot([], [], color="gray", ls="--", label="(2.5) upper edge")
    ax.plot([], [], color="gray", lw=4, label="full model, exact")
    ax.set_xlabel("x = a t")
    ax.set_ylabel("Ĉ / Ĉ0(x)")
    ax.set_ylim(0.9, 1.6)
    ax.set_xlim(0, 210)
    ax.legend(fontsize=7, loc="upper right")
    ax.set_title("RKU stability window (minimum of V with V > 0)")
    fig.tight_layout()
    fig.savefig(Path(out_dir) / name, dpi=110)
    plt.close(fig)
    return name


def potential_figure(out_dir: Path, panels, name="rku_potential.png") -> str:
    """V(t) of the full model and -(a³AW0/2) λ(x) of (2.2) through a vacuum (top), and
    (V - Λ)/Λ zoomed on the vacuum (bottom).

    ``panels``: dicts with title, t, V, V_lambda, t_zoom, V_zoom, V_lambda_zoom, t_vac, V_vac.
    """
    from matplotlib.ticker import MaxNLocator

    plt = _pyplot()
    fig, axes = plt.subplots(2, len(panels), figsize=(5.2 * len(panels), 6.4), squeeze=False)
    for j, p in enumerate(panels):
        scale = abs(p["V_vac"])
        ax = axes[0, j]
        ax.plot(p["t"], p["V"] / scale, "C0", lw=1.6, label="full model V(t), τ = 0")
        ax.plot(p["t"], p["V_lambda"] / scale, "C1--", lw=1.2, label="-(a³AW0/2) λ(x, 0), (2.2)")
        ax.plot([p["t_vac"]], [1.0], "k.", ms=9, label="exact vacuum")
        ax.set_ylim(0, 3)
        ax.set_ylabel("V / Λ")
        ax.set_title(p["title"], fontsize=9)
        ax.legend(fontsize=7)
        ax = axes[1, j]
        ax.plot(p["t_zoom"], p["V_zoom"] / scale - 1, "C0", lw=1.6)
        ax.plot(p["t_zoom"], p["V_lambda_zoom"] / scale - 1, "C1--", lw=1.2)
        ax.plot([p["t_vac"]], [0.0], "k.", ms=9)
        ax.set_xlabel("t = Re T")
        ax.set_ylabel(r"$(V - \Lambda)/\Lambda$  (zoom: the barrier)")
        ax.xaxis.set_major_locator(MaxNLocator(5))  # long tick labels must not overlap
    fig.tight_layout()
    fig.savefig(Path(out_dir) / name, dpi=110)
    plt.close(fig)
    return name


def p_lambda_figure(
    out_dir: Path, curves, samples=None, paper=None, zoom_curves=None, name="rku_p_lambda.png"
) -> str:
    """P(Λ) per unit log10 Λ: exact curves, a histogram of sampled vacua, (2.9)'s slope.

    Two panels: the whole range of the exact curves (their tails reach 10⁻²⁰⁰), and a zoom
    on the decades where the sampled vacua lie (samples' edges), with the y range set by
    the data there, so that the comparison of samples and curves is readable.
    ``zoom_curves``: the same curves on the samples' bins (so that a sparse histogram is
    compared with the exact mass of the same bins); default ``curves``."""
    plt = _pyplot()
    fig, (ax_all, ax_zoom) = plt.subplots(
        1, 2, figsize=(10.0, 4.2), gridspec_kw=dict(width_ratios=[1.0, 1.25])
    )
    zoom = (samples["edges"][0], samples["edges"][-1]) if samples is not None else (-30.0, 0.5)
    shown = []  # (values in the zoom window) for the y range of the zoom
    for ax, group in ((ax_all, curves), (ax_zoom, zoom_curves or curves)):
        for c in group:
            centres, dens = np.asarray(c["centres"]), np.asarray(c["per_decade"])
            ax.step(centres, dens, where="mid", lw=1.4, label=c["label"])
            if ax is ax_zoom:
                shown.append(dens[(centres >= zoom[0]) & (centres <= zoom[1])])
    if samples is not None:
        h, e = np.histogram(samples["log10_lambda"], bins=samples["edges"])
        centres = 0.5 * (e[1:] + e[:-1])
        dens = h / (len(samples["log10_lambda"]) * np.diff(e))
        err = np.sqrt(np.maximum(h, 1)) / (len(samples["log10_lambda"]) * np.diff(e))
        sel = h > 0
        low = np.minimum(err[sel], 0.9 * dens[sel])
        ax_zoom.errorbar(
            centres[sel], dens[sel], yerr=[low, err[sel]], fmt="k.", ms=4, label=samples["label"]
        )
        shown.append(dens[sel])
    if paper is not None:
        for ax in (ax_all, ax_zoom):
            ax.plot(
                paper["centres"],
                paper["per_decade"],
                "r:",
                lw=1.6,
                label=paper["label"] if ax is ax_zoom else None,
            )
    values = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in shown] or [np.ones(1)])
    for ax in (ax_all, ax_zoom):
        ax.set_yscale("log")
        ax.set_xlabel(r"$\log_{10}\Lambda$  (Planck units)")
    ax_zoom.set_xlim(*zoom)
    ax_zoom.set_ylim(values.min() / 3.0, values.max() * 3.0)
    ax_all.axvspan(*zoom, color="0.85", lw=0, zorder=0)
    ax_all.set_ylabel(r"probability per decade of $\Lambda$")
    ax_all.set_title("whole range (shaded: the zoom)", fontsize=9)
    ax_zoom.set_title("zoom on the sampled vacua", fontsize=9)
    ax_zoom.legend(fontsize=7, loc="lower right")
    fig.suptitle(
        r"RKU landscape, $N_{\max} = 10$: distribution of $\Lambda$ over stable dS vacua",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(Path(out_dir) / name, dpi=110)
    plt.close(fig)
    return name


def log10(v):
    return math.log10(v) if v > 0 else float("nan")
