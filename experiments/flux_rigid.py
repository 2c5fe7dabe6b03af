"""The rigid Calabi–Yau toy: exact count of SUSY flux vacua and their τ distribution.

Π = (1, i), W = (F − τH)·ΣΠ, N_flux = F·ΣH. Vacua with N_flux = L modulo SL(2,ℤ) are the
Hermite normal forms of determinant L: σ₁(L) of them (docs/flux.md). Denef–Douglas
(hep-th/0404116, §3) predict τ uniform in the hyperbolic measure dx dy / y² on the
fundamental domain for large L*. This script enumerates every flux vector of the box that
contains a fundamental-domain representative of each orbit, solves D_τW = 0 for each,
reduces, deduplicates, checks the count against Σσ₁ for every L* ≤ L_MAX, and runs KS tests
of Re τ and Im τ against the marginals of dx dy / y².

Run: ``python experiments/flux_rigid.py [L_MAX]`` → experiments/results/flux_rigid.{md,json}.
"""

import json
import math
import pathlib
import sys
import time

import jax
import numpy as np
from scipy import stats

jax.config.update("jax_enable_x64", True)

from jaxvac import flux  # noqa: E402

OUT = pathlib.Path(__file__).parent / "results"


def cdf_x(x):
    """Marginal CDF of Re τ under dx dy/y² on 𝓕 (total measure π/3): density
    (3/π)/√(1−x²) on [−½, ½]."""
    return (3 / math.pi) * (np.arcsin(x) + math.pi / 6)


def _G(s):
    return -1 / s + 2 * np.sqrt(np.clip(1 - s * s, 0, None)) / s + 2 * np.arcsin(np.minimum(s, 1))


def cdf_y(y):
    """Marginal CDF of Im τ under dx dy/y² on 𝓕: density (1 − 2√(1−y²))/y² · 3/π for
    √3/2 ≤ y ≤ 1 and (3/π)/y² above."""
    y = np.asarray(y, float)
    low = (3 / math.pi) * (_G(np.minimum(y, 1.0)) - _G(math.sqrt(3) / 2))
    return np.where(y <= 1.0, low, 1 - (3 / math.pi) / y)


def _fmt(x):
    return "—" if x is None else f"{x:.2e}"


def main(L_max: int = 200):
    t0 = time.perf_counter()
    res = flux.rigid_enumeration(L_max)
    elapsed = time.perf_counter() - t0
    N = res["N"]
    counts = np.bincount(N, minlength=L_max + 1)[1:]
    sig = np.array([flux.sigma1(L) for L in range(1, L_max + 1)])
    exact_every = bool(np.all(np.cumsum(counts) == np.cumsum(sig)))
    per_L_exact = bool(np.all(counts == sig))
    tau = res["tau"]
    ks_x = stats.kstest(tau.real, cdf_x)
    ks_y = stats.kstest(tau.imag, cdf_y)
    # the largest L* half separately: the asymptotic statement is for large L
    big = N > L_max // 2
    ks_x_big = stats.kstest(tau[big].real, cdf_x)
    ks_y_big = stats.kstest(tau[big].imag, cdf_y)
    rows = [
        {
            "quantity": f"number of vacua with 0 < N ≤ {L_max} modulo SL(2,ℤ)",
            "paper": None,
            "reference": int(sig.sum()),
            "jaxvac": int(len(tau)),
            "rel_diff": abs(len(tau) - sig.sum()) / sig.sum(),
            "verdict": "match" if len(tau) == sig.sum() else "mismatch",
            "explanation": "reference Σ_{L≤L*} σ₁(L) (Hermite normal forms), derived in docs/flux.md",
        },
        {
            "quantity": f"count = Σσ₁ for every L* ≤ {L_max}",
            "paper": None,
            "reference": True,
            "jaxvac": exact_every,
            "rel_diff": 0.0 if exact_every else 1.0,
            "verdict": "match" if exact_every else "mismatch",
            "explanation": f"and per L: count(N = L) = σ₁(L) for every L: {per_L_exact}",
        },
        {
            "quantity": "largest SUSY residual |D_τW| / (|∂_τW| + |K_τ W|)",
            "paper": None,
            "reference": None,
            "jaxvac": float(res["residual"].max()),
            "rel_diff": None,
            "verdict": "n/a",
            "explanation": "autodiff residual at the exact τ of each flux vector; "
            f"unconverged flux vectors: {res['unconverged']} of {res['candidates']}",
        },
    ]
    for name, ks, n in (
        ("Re τ", ks_x, len(tau)),
        ("Im τ", ks_y, len(tau)),
        (f"Re τ (N > {L_max // 2})", ks_x_big, int(big.sum())),
        (f"Im τ (N > {L_max // 2})", ks_y_big, int(big.sum())),
    ):
        rows.append(
            {
                "quantity": f"KS test of {name} against dx dy/y² on the fundamental domain",
                "paper": None,
                "reference": "Denef–Douglas hep-th/0404116 §3 (large-L limit)",
                "jaxvac": f"D = {ks.statistic:.4f}, p = {ks.pvalue:.3g}, n = {n}",
                "rel_diff": None,
                "verdict": "match" if ks.pvalue > 0.01 else "mismatch",
                "explanation": "match means p > 0.01 (no significant deviation at this sample size)",
            }
        )
    # atoms: τ ∈ ℚ(i), and whole families sit on Re τ = 0 and on the boundary Re τ = ±½
    for v in (0.0, 0.5, -0.5):
        frac = float(np.mean(np.abs(tau.real - v) < 1e-12))
        rows.append(
            {
                "quantity": f"fraction of vacua with Re τ = {v} exactly",
                "paper": None,
                "reference": 0.0,
                "jaxvac": f"{frac:.4f}",
                "rel_diff": None,
                "verdict": "n/a",
                "explanation": "the continuous measure has no atoms; "
                "these fall as L* grows (Re τ = 0: 23% at L* = 40, 12% at 100) "
                "and make KS reject",
            }
        )
    # coarse-grained check: the fraction with Im τ > Y is 3/(πY) for Y ≥ 1
    for Y in (1.0, 2.0, 5.0):
        frac = float(np.mean(tau.imag > Y))
        want = 3 / (math.pi * Y)
        err = math.sqrt(want * (1 - want) / len(tau))
        rows.append(
            {
                "quantity": f"fraction with Im τ > {Y:g}",
                "paper": None,
                "reference": round(want, 5),
                "jaxvac": round(frac, 5),
                "rel_diff": abs(frac - want) / want,
                "verdict": "match" if abs(frac - want) < 3 * err else "mismatch",
                "explanation": f"3/(πY) from dx dy/y²; binomial σ = {err:.1e}; match within 3σ",
            }
        )
    OUT.mkdir(exist_ok=True)
    header = (
        "# Rigid Calabi–Yau toy: exact vacuum count and τ distribution\n\n"
        f"Π = (1, i), W = (F − τH)·ΣΠ; all flux vectors of `rigid_box({L_max})` "
        f"({res['candidates']} with 0 < N ≤ {L_max} solved) → {len(tau)} vacua modulo "
        f"SL(2,ℤ) in {elapsed:.1f} s (enumeration + solve + reduction + dedup, "
        "CPU shared with other jobs).\n\n"
        "| quantity | reference | jaxvac | rel. diff. | verdict | explanation |\n"
        "|---|---|---|---|---|---|\n"
    )
    lines = [
        f"| {r['quantity']} | {r['reference']} | {r['jaxvac']} | {_fmt(r['rel_diff'])} | "
        f"**{r['verdict']}** | {r['explanation']} |"
        for r in rows
    ]
    (OUT / "flux_rigid.md").write_text(header + "\n".join(lines) + "\n")
    (OUT / "flux_rigid.json").write_text(
        json.dumps(
            {
                "target": "flux-rigid",
                "source": "derived (σ₁ count); hep-th/0404116 §3 (measure)",
                "seconds": elapsed,
                "rows": rows,
            },
            indent=1,
            default=str,
        )
    )
    print(header + "\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
