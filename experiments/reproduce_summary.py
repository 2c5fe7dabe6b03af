"""Regenerate the per-equation tables of experiments/results/rku_summary.md and
dps_summary.md from rku_equations.toml / dps_equations.toml and the committed reports.

    python experiments/reproduce_summary.py           # check, then rewrite the tables
    python experiments/reproduce_summary.py --check   # only check (exit 1 on a problem)

The prose above the tables is kept; only the text between the markers is rewritten.
"""

import sys
from pathlib import Path

from jaxvac.reproduce._summary import check, load_equations, load_rows, render, splice

RESULTS = Path(__file__).resolve().parent / "results"
SEEDS = {"rku": "rku_summary.md", "dps": "dps_summary.md"}


def main(argv: list[str]) -> int:
    only_check = "--check" in argv
    rows = load_rows(RESULTS)
    bad = 0
    for seed, summary in SEEDS.items():
        data = load_equations(RESULTS / f"{seed}_equations.toml")
        data["file"] = f"experiments/results/{seed}_equations.toml"
        problems = check(data, rows)
        for p in problems:
            print(f"{seed}: {p}", file=sys.stderr)
        bad += len(problems)
        if problems or only_check:
            continue
        path = RESULTS / summary
        path.write_text(splice(path.read_text(), render(data, rows)))
        print(f"wrote {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
