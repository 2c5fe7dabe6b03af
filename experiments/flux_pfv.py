"""Perturbatively flat vacuum of Demirtas–Kim–McAllister–Moritz (arXiv:1912.10047) on the
mirror of P[1,1,1,6,9][18]: run the ``flux-pfv`` reproduction target into
experiments/results/.

    python experiments/flux_pfv.py

PFV conditions → leading racetrack τ₀ → full SUSY solve → 40-digit refinement → ``jaxvac
check``; rows under the verdict policy (jaxvac/reproduce/_flux.py, docs/flux.md).
"""

import argparse
from pathlib import Path

import jaxvac
from jaxvac.reproduce import run_targets


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = p.parse_args()
    jaxvac.enable_x64()
    run_targets(["flux-pfv"], out_dir=args.out)


if __name__ == "__main__":
    main()
