"""A rejected idea, measured: Newton on the scale-free residual r = ∇_uV / √(S² + Q²)
instead of ∇_uV in the search's local phase (docs/search.md, "Performance").

    python bench/bench_scale_free_newton.py [--pool 1024] [--out bench/results]

For KKLT and KKLT + uplift (the reference sets of bench_search.py), one pool of starts in
the default region, ``global_steps = 0``: the successful starts (verified ``successful`` on
a reference point), the starts per reference point and the Newton steps of the successful
ones, for jaxvac's local phase (optimistix Newton on ∇_uV) and for a Newton loop on r with
its step clipped to at most CLIP region widths (CLIP = inf: unclipped). Everything after the
local phase (runaway test, polish, verification) is jaxvac's. The variant's local phase is
swapped in by replacing ``jaxvac._search._local_phase`` for the run (private API: this is
an experiment, not a feature). Writes scale_free_newton.json and .md to --out.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_search as bs  # noqa: E402  (enables x64, reference sets, pool runner)

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import lineax as lx  # noqa: E402
import numpy as np  # noqa: E402

import jaxvac._search as js  # noqa: E402
from jaxvac._classify import Result  # noqa: E402
from jaxvac._linalg import JacobiSVD  # noqa: E402
from jaxvac._model import canonical  # noqa: E402

PLAIN_LOCAL_PHASE = js._local_phase


def scale_free_local_phase(clip):
    """A drop-in for _local_phase: Newton on r(u) = ∇_uV / √(S² + Q²) (Jacobian by autodiff,
    non-symmetric: JacobiSVD pseudo-inverse), each step scaled down to max-norm ≤ clip."""

    def residual(model, region, u):
        y = region.from_unit(u)
        _, _, S, Q = js._stationarity_terms(model, y)
        return js._local_residual(model, region, u, False) / jnp.sqrt(S**2 + Q**2)

    def local(model, region, u0, opts):
        n0 = jnp.linalg.norm(residual(model, region, u0))
        n0 = jnp.where(jnp.isfinite(n0) & (n0 > 0), n0, 1.0)
        F = lambda u: residual(model, region, u) / n0

        def cond(c):
            return (c[1] < opts.max_steps) & ~c[4]

        def body(c):
            u, k, d, _, _ = c
            r, J = F(u), jax.jacfwd(F)(u)
            delta = -lx.linear_solve(lx.MatrixLinearOperator(J), r, JacobiSVD(), throw=False).value
            m = jnp.max(jnp.abs(delta))
            delta = jnp.where(m > clip, delta * (clip / m), delta)
            finite = jnp.all(jnp.isfinite(delta))
            small = jnp.max(jnp.abs(delta)) <= opts.solver_tol * (1 + jnp.max(jnp.abs(u)))
            done = ~finite | (small & (jnp.linalg.norm(r) < 1e-6))
            return jnp.where(finite, u + delta, u), k + 1, delta, d, done

        z = jnp.zeros_like(u0)
        u, k, d, dprev, done = jax.lax.while_loop(cond, body, (u0, 0, z, z, False))
        rate = jnp.linalg.norm(d) / jnp.linalg.norm(dprev)
        path = u - u0
        cos = jnp.dot(d, path) / jnp.maximum(jnp.linalg.norm(d) * jnp.linalg.norm(path), 1e-300)
        marching = (jnp.isfinite(rate) & (rate >= js.RUNAWAY_RATE) & (cos >= js.RUNAWAY_COSINE)
                    & (k >= 2) & ~done)
        return u, k, jnp.linalg.norm(F(u)), ~done, marching

    return local


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool", type=int, default=1024)
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    args = ap.parse_args()
    refs = bs.reference_sets()
    variants = [("∇V (jaxvac)", None)] + [(f"∇V/S, clip {c:g}", c) for c in (math.inf, 0.05, 0.2)]
    rows = []
    for name in ("kklt-uplift", "kklt"):
        model, ref, _ = refs[name]
        model = canonical(model)
        region = js.Region.from_model(model)
        y0 = js.sample_starts(model, region, jax.random.key(12345), args.pool)
        opts = js._options(global_steps=0)
        for label, clip in variants:
            js._local_phase = PLAIN_LOCAL_PHASE if clip is None else scale_free_local_phase(clip)
            r, _, t_run = bs.run_pool(model, region, y0, opts, bs._search_fn())
            codes = np.asarray(r.solutions.result)
            lab = bs.label_starts(codes, np.asarray(r.solutions.y), ref, region)
            steps = np.asarray(r.solutions.steps)[lab >= 0]
            row = {"model": name, "variant": label, "pool": args.pool, "run_s": t_run,
                   "success_rate": float(np.mean(lab >= 0)), "spurious": int(np.sum(lab == -1)),
                   "basins": [int(np.sum(lab == k)) for k in range(len(ref))],
                   "steps_mean": float(steps.mean()) if steps.size else None,
                   "steps_max": int(steps.max()) if steps.size else None,
                   "results": {res.name: int(np.sum(codes == res)) for res in Result
                               if np.any(codes == res)}}
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    js._local_phase = PLAIN_LOCAL_PHASE
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "scale_free_newton.json"), "w") as f:
        json.dump({"platform": bs.platform.platform(), "jax": jax.__version__, "rows": rows}, f,
                  indent=1, ensure_ascii=False)
    lines = ["# Newton on ∇V vs on the scale-free residual ∇V/√(S²+Q²)", "",
             f"`python bench/bench_scale_free_newton.py --pool {args.pool}` (global_steps = 0; "
             "successful = verified on a reference point).", "",
             "| model | local phase | successful starts | starts per reference point | "
             "Newton steps of the successful (mean / max) | result codes |", "|---|---|---|---|---|---|"]
    for q in rows:
        st = "—" if q["steps_mean"] is None else f"{q['steps_mean']:.1f} / {q['steps_max']}"
        lines.append(f"| {q['model']} | {q['variant']} | {100 * q['success_rate']:.1f}% | "
                     f"{q['basins']} | {st} | {q['results']} |")
    with open(os.path.join(args.out, "scale_free_newton.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
