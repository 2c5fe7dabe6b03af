"""First call of the default search with its rounds in one compiled program, against a
baseline checkout (e.g. the commit before, where round 2 had its own program), interleaved in
one run, each a fresh process with the compilation cache off.

    python bench/bench_rounds_program.py BASELINE_CHECKOUT [--repeats 2]

writes bench/results/rounds_program.md. KKLT + uplift sends most starts to round 2 (its second
program compiled there); KKLT's first round solves every start, so round 2 never runs.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CODE = """
import json, sys, time
import jax
jax.config.update("jax_enable_x64", True)
sys.path.insert(0, sys.argv[1] + "/tests")
import jaxvac
from test_search import model_class, D_UPLIFT
out = {}
for name, model in (("KKLT + uplift", model_class("KKLTUplift")(D=D_UPLIFT)),
                    ("KKLT", jaxvac.models.KKLT())):
    t = time.perf_counter(); r = jaxvac.find_critical_points(model, starts=256, seed=0)
    first = time.perf_counter() - t
    t = time.perf_counter(); jaxvac.find_critical_points(model, starts=256, seed=1)
    out[name] = [first, time.perf_counter() - t, r.distinct, int((r.codes == 0).sum())]
out["file"] = jaxvac.__file__
print(json.dumps(out))
"""


def run(checkout: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(checkout), JAXVAC_CACHE_DIR="", JAX_PLATFORMS="cpu")
    p = subprocess.run(
        [sys.executable, "-c", CODE, str(checkout)],
        env=env,
        capture_output=True,
        text=True,
        cwd=checkout,  # `python -c` puts the working directory first on sys.path
    )
    if p.returncode:
        raise SystemExit(p.stderr)
    out = json.loads(p.stdout.strip().splitlines()[-1])
    if not out.pop("file").startswith(str(checkout.resolve())):
        raise SystemExit(f"jaxvac was not imported from {checkout}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("baseline", type=Path)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    rows = []
    for k in range(args.repeats):
        for label, checkout in (("baseline", args.baseline.resolve()), ("this checkout", ROOT)):
            load = os.getloadavg()[0]
            for model, (first, second, distinct, ok) in run(checkout).items():
                rows.append((k + 1, label, model, first, second, distinct, ok, load))
    head = subprocess.run(
        ["git", "-C", str(args.baseline), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    lines = [
        "# The default search's first call: rounds in one program vs the baseline",
        "",
        f"`bench/bench_rounds_program.py`, {time.strftime('%Y-%m-%d')}; baseline {head}; "
        "256 starts, seed 0, cache off, each row a fresh process, interleaved; "
        "2-core shared machine (load: 1-min average at the row's start).",
        "",
        "| repeat | code | model | first call (s) | second call (s) | distinct | successful starts | load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.1f} | {r[4]:.3f} | {r[5]} | {r[6]} | {r[7]:.1f} |"
        )
    out = HERE / "results" / "rounds_program.md"
    out.write_text("\n".join(lines) + "\n")
    print(out.read_text())


if __name__ == "__main__":
    main()
