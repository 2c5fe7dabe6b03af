"""Seed 001: `jaxvac reproduce dps-wilson` — writes experiments/results/dps-wilson.md, .json and figure.

Run: python experiments/dps_wilson.py [OUT_DIR]
"""

import sys
from pathlib import Path

from jaxvac import enable_x64
from jaxvac.reproduce import run_targets

if __name__ == "__main__":
    enable_x64()
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "results"
    run_targets(["dps-wilson"], out)
