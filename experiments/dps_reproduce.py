"""Seed 001 (dark dimensions), section 4 stage by stage: run the DPS reproduction targets into
experiments/results/.

    python experiments/dps_reproduce.py [TARGET ...]

Default: dps-tree, dps-u3, dps-dilaton, dps-tables, dps-identity, dps-strings (fast); dps-full (the printed vacua in the full
seven-moduli potential at 100 digits, ~40-80 s on 2 cores) runs only when named.
"""

import argparse
from pathlib import Path

import jaxvac
from jaxvac.reproduce import run_targets

DEFAULT = ["dps-tree", "dps-u3", "dps-dilaton", "dps-tables", "dps-identity", "dps-strings"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("targets", nargs="*", default=DEFAULT)
    p.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = p.parse_args()
    jaxvac.enable_x64()
    run_targets(args.targets, out_dir=args.out)


if __name__ == "__main__":
    main()
