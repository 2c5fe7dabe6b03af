"""Issue #16's benchmark criterion: the search at batch 10⁴ before and after the redesign, on
the same machine in the same run.

    python bench/bench_redesign.py BASELINE_CHECKOUT [--starts 10000] [--repeats 3]
        [--threads 1,2] [--out bench/results]

BASELINE_CHECKOUT is a worktree of the commit before the redesign (``git worktree add
/tmp/pre16 56eef11^``). Each checkout runs in its own process (cwd and ``sys.path`` = that
checkout, no persistent compilation cache, no program store) and times
:func:`jaxvac.find_critical_points` on the KKLT + uplift and double-well models of
tests/search_models.py with fixed solver settings that mean the same in both versions (the
default strategy changed after the redesign, issue #20, so "default" is not compared): the
single pipeline (global phase + Newton), Newton alone (``global_steps=0``), and the single
pipeline with ``step_doubling=8``. Reported per checkout, model, setting and thread count:
first call (compile included), best of ``--repeats`` warm calls, verified critical points (starts
ending ``successful``) and distinct points. The two checkouts alternate setting by setting, so
a change of machine load hits both, and the whole alternation runs ``--rounds`` times (each a
fresh process): the table keeps each version's best warm time and first call over the rounds
(on a shared 2-core machine one process's warm time varied by up to 35%). Writes
redesign.json and redesign.md to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

#: settings -> (options in the baseline, options now)
SETTINGS = {
    "single (global + Newton)": ({}, {"strategy": "single"}),
    "Newton alone": ({"global_steps": 0}, {"strategy": "single", "global_steps": 0}),
    "single, step_doubling 8": ({"step_doubling": 8}, {"strategy": "single", "step_doubling": 8}),
}

WORKER = r"""
import json, os, sys, time
os.environ["JAXVAC_CACHE_DIR"] = ""
os.environ["JAXVAC_PROGRAM_STORE"] = "0"
sys.path.insert(0, os.getcwd()); sys.path.insert(0, os.path.join(os.getcwd(), "tests"))
import jax
jax.config.update("jax_enable_x64", True)
import numpy as np
import jaxvac
try:
    from jaxvac._cli.scan import avoid_cpu_eigen_hang
except ImportError:  # before the redesign
    from jaxvac.scan._run import avoid_cpu_eigen_hang
avoid_cpu_eigen_hang()
import search_models as sm
from jaxvac._io import resolve_model_class
job = json.loads(sys.argv[1])
if job["model"] == "kklt-uplift":
    model = resolve_model_class(sm.KKLT_UPLIFT)(D=3e-11)
else:
    model = resolve_model_class("tests/search_models.py:DoubleWell")()
def run():
    t = time.perf_counter()
    res = jaxvac.find_critical_points(model, starts=job["starts"], seed=0, threads=job["threads"], **job["options"])
    return time.perf_counter() - t, res
first, res = run()
warm = min(run()[0] for _ in range(job["repeats"]))
sol = res.search.solutions
codes = np.asarray(sol.result)
print(json.dumps({"first_s": first, "warm_s": warm,
                  "verified": int(np.sum(codes == int(jaxvac.Result.successful))),
                  "distinct": len(res.indices)}))
"""


def _has_strategies(checkout) -> bool:
    """Whether the checkout's SolverOptions has ``strategy`` (issue #20, after the redesign)."""
    with open(os.path.join(checkout, "jaxvac", "_search.py"), encoding="utf-8") as f:
        return "strategy:" in f.read()


def run_job(checkout, job):
    env = dict(os.environ, JAX_PLATFORMS="cpu", PYTHONPATH=checkout)
    out = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(job)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise RuntimeError(f"{checkout}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("baseline")
    p.add_argument("--starts", type=int, default=10_000)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--models", default="kklt-uplift,double-well")
    p.add_argument("--out", default=os.path.join(HERE, "results"))
    p.add_argument(
        "--after",
        default=ROOT,
        help="checkout measured as 'after' (default: this one); e.g. a worktree of the last "
        "commit of the redesign before later work",
    )
    p.add_argument("--name", default="redesign", help="file name of the results (.json, .md)")
    a = p.parse_args()
    baseline = os.path.abspath(a.baseline)
    after = os.path.abspath(a.after)
    head = subprocess.run(
        ["git", "-C", baseline, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    now = subprocess.run(
        ["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    rows = []
    for model in a.models.split(","):
        for threads in [int(t) for t in a.threads.split(",")]:
            for name, (opts_before, opts_now) in SETTINGS.items():
                best: dict[str, dict] = {}
                for _ in range(a.rounds):
                    for label, checkout, opts in (
                        ("before", baseline, opts_before),
                        ("after", after, opts_now if _has_strategies(after) else opts_before),
                    ):
                        job = dict(
                            model=model,
                            starts=a.starts,
                            repeats=a.repeats,
                            threads=threads,
                            options=opts,
                        )
                        load = os.getloadavg()[0]
                        r = run_job(checkout, job)
                        r.update(load_before=load, warm_all=[r["warm_s"]])
                        print(json.dumps(dict(r, version=label, setting=name)), flush=True)
                        if label in best:
                            b = best[label]
                            r["warm_all"] = b["warm_all"] + r["warm_all"]
                            r["warm_s"] = min(b["warm_s"], r["warm_s"])
                            r["first_s"] = min(b["first_s"], r["first_s"])
                            r["load_before"] = max(b["load_before"], r["load_before"])
                            assert (r["verified"], r["distinct"]) == (b["verified"], b["distinct"])
                        best[label] = r
                for label in ("before", "after"):
                    rows.append(
                        dict(best[label], model=model, threads=threads, setting=name, version=label)
                    )
    os.makedirs(a.out, exist_ok=True)
    meta = {
        "baseline": head,
        "after": now,
        "starts": a.starts,
        "repeats": a.repeats,
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    with open(os.path.join(a.out, f"{a.name}.json"), "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)
    lines = [
        "# Issue #16: the search before and after the redesign (same machine, same run)",
        "",
        f"Baseline {head} (the commit before the redesign), after: {now}; {a.starts} starts; "
        f"warm: best of {a.repeats} warm calls in each of {a.rounds} alternating processes per "
        f"version (all of them in redesign.json, `warm_all`); first call: the fastest process's; "
        f"{meta['machine']}, {meta['cpus']} CPUs, {meta['date']}; load: the highest 1-min load "
        "average seen before a process. `python bench/bench_redesign.py BASELINE`.",
        "",
        "| model | threads | setting | warm before (s) | warm after (s) | after/before | "
        "warm, each process (before; after) | first call before (s) | first call after (s) | "
        "verified before | verified after | distinct before | distinct after | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i in range(0, len(rows), 2):
        b, n = rows[i], rows[i + 1]
        lines.append(
            f"| {b['model']} | {b['threads']} | {b['setting']} | {b['warm_s']:.2f} | "
            f"{n['warm_s']:.2f} | {n['warm_s'] / b['warm_s']:.2f} | "
            f"{', '.join(f'{w:.2f}' for w in b['warm_all'])}; "
            f"{', '.join(f'{w:.2f}' for w in n['warm_all'])} | {b['first_s']:.1f} | "
            f"{n['first_s']:.1f} | {b['verified']} | {n['verified']} | {b['distinct']} | "
            f"{n['distinct']} | {b['load_before']:.1f}/{n['load_before']:.1f} |"
        )
    with open(os.path.join(a.out, f"{a.name}.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
