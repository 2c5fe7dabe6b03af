"""Seed 000 (racetrack Kähler uplift): run every RKU reproduction target into
experiments/results/ (``--full`` for the full-size landscape and parameter grids).

    python experiments/rku_reproduce.py [--full] [TARGET ...]

Targets: rku-formulas, rku-table2, rku-table1, rku-landscape, rku-higgs (default), and
rku-scan (brute-force scans, run only when named; see experiments/rku_scan.py).
"""

import argparse
from pathlib import Path

import jaxvac
from jaxvac.reproduce import run_targets

DEFAULT = ["rku-formulas", "rku-table2", "rku-table1", "rku-landscape", "rku-higgs"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("targets", nargs="*", default=DEFAULT)
    p.add_argument("--full", action="store_true", help="full-size grids and landscape")
    p.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = p.parse_args()
    jaxvac.enable_x64()
    run_targets(args.targets, out_dir=args.out, full=args.full)


if __name__ == "__main__":
    main()
