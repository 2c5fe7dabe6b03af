"""Seed 000 (RKU) brute-force landscape scans with the [scans] engine, checked against the
exact Kac–Rice landscape: target ``rku-scan`` into experiments/results/.

    python experiments/rku_scan.py [--full]      # --full: 40k box + 50k cube draws (~12 min on 2 cores)

The flagship configuration for ``jaxvac scan`` is experiments/scan_rku.toml (same draws);
this script runs it with the line solver (``jaxvac.reproduce._rku_scan.LineSolver``) and
compares a subset with jaxvac's general 2-D search.
"""

import argparse
from pathlib import Path

import jaxvac
from jaxvac.reproduce import run_targets


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--full", action="store_true")
    p.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = p.parse_args()
    jaxvac.enable_x64()
    run_targets(["rku-scan"], out_dir=args.out, full=args.full)


if __name__ == "__main__":
    main()
