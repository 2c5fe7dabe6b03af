"""The rigid Calabi–Yau toy: run the ``flux-rigid`` reproduction target into
experiments/results/ (the committed report is the ``--full`` run: L* = 200 by the direct
enumeration, L* = 6 through the scan engine).

    python experiments/flux_rigid.py [--full]

Exact count Σ_{L≤L*} σ₁(L) of SUSY vacua modulo SL(2,ℤ), the scan engine against the direct
path, and the distribution of τ against Denef–Douglas (jaxvac/reproduce/_flux.py,
docs/flux.md).
"""

import argparse
from pathlib import Path

import jaxvac
from jaxvac.reproduce import run_targets


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--full", action="store_true", help="L* = 200 (and 6 through the scan engine)")
    p.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = p.parse_args()
    jaxvac.enable_x64()
    run_targets(["flux-rigid"], out_dir=args.out, full=args.full)


if __name__ == "__main__":
    main()
