"""First and second call of the default search with the F-term formula traced once (a nested
``jit``), against a baseline checkout (e.g. 89b01f9, where every phase traced it again),
interleaved in one run, each a fresh process, the program store off (so every process traces,
as it does for a user model), cache cold then warm, per code.

    python bench/bench_trace_once.py BASELINE_CHECKOUT [--models 7,K]

writes bench/results/trace_once.md. ``7`` is the 7-modulus benchmark model
(tests/search_models.py:SevenModuli), ``K`` the built-in KKLT; 256 starts, seed 0.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CODE = """
import json, sys, time
sys.path.insert(0, "tests")
import jax
jax.config.update("jax_enable_x64", True)
import jaxvac
from search_models import SevenModuli
model = SevenModuli() if sys.argv[1] == "7" else jaxvac.models.KKLT()
t = time.perf_counter(); r = jaxvac.find_critical_points(model, starts=256, seed=0)
first = time.perf_counter() - t
t = time.perf_counter(); jaxvac.find_critical_points(model, starts=256, seed=1)
second = time.perf_counter() - t
print(json.dumps([jaxvac.__file__, first, second, r.distinct, int((r.codes == 0).sum())]))
"""

NAMES = {"7": "7 moduli (SevenModuli)", "K": "KKLT"}


def run(code_dir: str, model: str, cache: str) -> list:
    # cwd = the checkout: `python -c` puts the cwd first on sys.path, whatever PYTHONPATH says
    env = dict(os.environ, JAX_PLATFORMS="cpu", JAXVAC_CACHE_DIR=cache)
    env.update(JAXVAC_PROGRAM_STORE="0", PYTHONPATH=code_dir)
    out = subprocess.run(
        [sys.executable, "-c", CODE, model], cwd=code_dir, env=env, capture_output=True, text=True
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    if not res[0].startswith(str(Path(code_dir).resolve())):
        raise SystemExit(f"imported {res[0]}, not the code of {code_dir}")
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("baseline")
    ap.add_argument("--models", default="7,K")
    args = ap.parse_args()
    codes = {"baseline": str(Path(args.baseline).resolve()), "this checkout": str(ROOT)}
    rev = subprocess.run(
        ["git", "-C", codes["baseline"], "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    rows = []
    for model in args.models.split(","):
        caches = {label: tempfile.mkdtemp(prefix="trace-once-") for label in codes}
        for mode in ("cold", "warm"):
            for label, code_dir in codes.items():
                load = os.getloadavg()[0]
                _, first, second, distinct, ok = run(code_dir, model, caches[label])
                rows.append((NAMES[model], mode, label, first, second, distinct, ok, load))
                print(rows[-1], flush=True)
    lines = [
        "# The F-term formula traced once: first call of the default search vs the baseline",
        "",
        f"`bench/bench_trace_once.py`, {time.strftime('%Y-%m-%d')}; baseline {rev}; 256 starts, "
        "seed 0, program store off (every process traces, as for a user model), each row a "
        "fresh process, interleaved; cold = empty compilation cache, warm = the same again; "
        "2-core shared machine (load: 1-min average at the row's start).",
        "",
        "| model | cache | code | first call (s) | second call (s) | distinct | successful starts "
        "| load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, mode, label, first, second, distinct, ok, load in rows:
        lines.append(
            f"| {name} | {mode} | {label} | {first:.1f} | {second:.2f} | {distinct} | {ok} "
            f"| {load:.1f} |"
        )
    (HERE / "results" / "trace_once.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
