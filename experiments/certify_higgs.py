"""Certified seed-000 Higgs vacua (jaxvac.models.RKUHiggs: T and φ, 4 real coordinates):
the points of ``jaxvac reproduce rku-higgs`` (built by jaxvac/reproduce/_rku_higgs.py,
not edited here), proved with ``jaxvac.certify``; writes
experiments/results/certify_higgs.md.

Run: ``JAX_PLATFORMS=cpu python experiments/certify_higgs.py`` (a few minutes: the base
vacuum's stability window is searched first).
"""

from __future__ import annotations

import os
import sys
import time

import jax

jax.config.update("jax_enable_x64", True)


HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from certify_seeds import _row  # noqa: E402


def main() -> None:
    from jaxvac.reproduce._rku_higgs import base_vacuum, certify_case, higgs_case

    t0 = time.time()
    vac = base_vacuum()
    lines = [
        "# Certified seed-000 Higgs vacua (RKUHiggs: T, φ)",
        "",
        "Produced by `experiments/certify_higgs.py`. The points are those of `jaxvac "
        "reproduce rku-higgs` (Nmax = 10, x = 20, window centre; μ, ρ, α' as listed; "
        "branch φ = 0 or the SSB branch with c_φ = -4μ³/(27ρ²)), certified at their float64 "
        "parameters (exact binary values). Columns as in certify_seeds.md.",
        "",
        "| point | fields (enclosure midpoint) | type; inertia; SUSY | V | box radius | proved "
        "| not proved | digits | s | reference |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mu, rho, ap in [(1e-2, 1.0, 1.0), (1e-4, 1.0, 1.0)]:
        for branch in ("phi=0", "SSB"):
            case = higgs_case(mu, rho, ap, branch, vac)
            cert = certify_case(case, vac)
            info = case["info"]
            lines.append(
                _row(
                    f"Higgs μ={mu:g}, ρ={rho:g}, α'={ap:g}, {branch}",
                    cert,
                    f"float64: {info['type']} ({info['vacuum']})",
                )
            )
    lines += [
        "",
        "The derivative of |z| at z = 0 is a branch in JAX (`select(z == 0, ...)`), "
        "which ball arithmetic refuses over a box around φ = 0; jaxvac's Cholesky "
        "(jaxvac/_linalg.py) computes |row|² as Re(row·conj(row)) so that the φ = 0 "
        "points can be certified.",
        "",
        f"Total time {time.time() - t0:.0f} s on the shared 2-core machine.",
    ]
    out = os.path.join(HERE, "results", "certify_higgs.md")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
