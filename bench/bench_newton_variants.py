"""Rejected ideas for a faster local phase, measured (docs/search.md, "Performance").

    python bench/bench_newton_variants.py [--pool 1024] [--out bench/results]
    python bench/bench_newton_variants.py --part rku      # ~6 min

``--part rku``: the shallow stable dS minima of seed 000's racetrack Kähler-uplift model
(``rku``, Nmax = 10, ξ = 1e-3): of 200 parameter points drawn with a known stable dS vacuum
from the exact distribution (as the rku-scan report), how many vacua the full search
(default options, 32 starts, T ∈ [1, 200] and the full τ period, as in that report) finds
with jaxvac's local phase and with the step-doubling variant; for scale, with 128 starts and
with the region narrowed to T ∈ [10, 50]. Writes newton_variants_rku.json and .md.

For KKLT and KKLT + uplift (the reference sets of bench_search.py), one pool of starts in
the default region, ``global_steps = 0``: the successful starts (verified ``successful`` on
a reference point), the starts per reference point and the Newton steps of the successful
ones, for jaxvac's local phase (optimistix Newton on ∇_uV) and for two variants meant to
cross exponential and power-law slopes (where Newton advances by a constant amount per
step) in fewer steps:

- Newton on the scale-free residual r = ∇_uV / √(S² + Q²), its step clipped to at most
  CLIP region widths (CLIP = inf: unclipped);
- Newton on ∇_uV whose step is doubled (up to AMAX times the Newton step) while the steps
  keep their direction (cosine > 0.9) and size (ratio in [0.5, 2]), reset at any turn:
  jaxvac's opt-in ``step_doubling = AMAX`` (``SolverOptions``).

Everything after the local phase (runaway test, polish, verification) is jaxvac's. The
scale-free variant's local phase is swapped in by replacing ``jaxvac._search._local_phase``
for the run (private API: an experiment, not a feature). Writes newton_variants.json and .md.
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
        return u, k, jnp.linalg.norm(F(u)), ~done, js._still_marching(u0, u, d, rate, ~done, k)

    return local


def _rku_find_rows(
    samples,
    n,
    strategies=(
        "global-doubling-newton",
        "global-doubled-newton",
        "global-doubled-continue-newton",
    ),
):
    """The same 200 vacua sought the way a user does: ``find_critical_points`` with 32 starts
    over T ∈ [1, 200] at each parameter point (seed k for point k), per strategy; the strategies
    share one compiled program."""
    import time

    import numpy as np

    from jaxvac import CriticalType, Result, find_critical_points
    from jaxvac.models._rku import RKU
    from jaxvac.reproduce._rku_scan import vacuum_hits

    n1, n2, xi = 10.0, 9.0, 1e-3
    period = n1 * n2
    rows = []
    for strategy in strategies:
        t0 = time.perf_counter()
        found = off = 0
        for k in range(n):
            m = RKU(
                W0=float(samples["W0"][k]),
                A=float(samples["A"][k]),
                B=float(samples["B"][k]),
                N1=n1,
                N2=n2,
                xi=xi,
            )
            r = find_critical_points(
                m, region={"T": (1.0, 200.0)}, starts=32, seed=k, strategy=strategy, threads=1
            )
            sol = r.search.solutions
            y = np.asarray(sol.y)
            ok = (
                np.asarray(r.search.representative)
                & (r.codes == Result.successful)
                & (np.asarray(sol.analysis.critical_type) == CriticalType.minimum)
                & (np.asarray(sol.analysis.V) > 0)
            )
            hit, off_line = vacuum_hits(y, ok, samples["t"][k], samples["tau"][k], period)
            found += hit
            off += off_line
        row = {
            "variant": f"find_critical_points, strategy {strategy}",
            "starts": 32,
            "T": [1.0, 200.0],
            "vacua": n,
            "found": found,
            "off_line_dS_minima": off,
            "seconds_incl_compile": time.perf_counter() - t0,
        }
        print(json.dumps(row, ensure_ascii=False), flush=True)
        rows.append(row)
    return rows


def part_rku(out, only=()):
    import time

    from jaxvac.reproduce._rku_scan import BOX, L, _search_finds, scan_config
    from jaxvac.scan._config import read_config
    from jaxvac.scan._engine import search_point_solver

    n1, n2, xi, n = 10.0, 9.0, 1e-3, 200
    ss = L.stable_set(n1, n2, xi, x_lo=2 * math.pi / n1, x_hi=60.0)
    samples = L.sample_vacua(ss, L.Draws(**BOX), n, seed=12)
    runs = [
        ("∇V (single pipeline, the default before issue #20)", 1, 32, (1.0, 200.0), "single"),
        (
            "∇V, step doubled while marching, ≤ 8× (step_doubling = 8)",
            8,
            32,
            (1.0, 200.0),
            "single",
        ),
        (
            "rounds: global + ∇V, doubled ∇V, ∇V (strategy global-doubling-newton, the default before)",
            1,
            32,
            (1.0, 200.0),
            "global-doubling-newton",
        ),
        ("∇V (single pipeline)", 1, 128, (1.0, 200.0), "single"),
        (
            "rounds: global + ∇V, doubled ∇V from the global phase's end, ∇V from the start",
            1,
            32,
            (1.0, 200.0),
            "global-continue-doubling-newton",
        ),
        ("∇V (single pipeline)", 1, 32, (10.0, 50.0), "single"),
        (
            "rounds: global + doubled ∇V, doubled ∇V, ∇V (strategy global-doubled-newton)",
            1,
            32,
            (1.0, 200.0),
            "global-doubled-newton",
        ),
        (
            "rounds: global + doubled ∇V, ∇V from the global phase's end, doubled ∇V, ∇V "
            "(default: strategy global-doubled-continue-newton)",
            1,
            32,
            (1.0, 200.0),
            "global-doubled-continue-newton",
        ),
    ]
    if only:
        runs = [r for k, r in enumerate(runs) if k in only]
    rows = []
    for label, doubling, starts, (lo, hi), strategy in runs:
        cfg = scan_config(n, box=BOX, chunk=n, starts=starts, region={"T": [lo, hi]})
        cfg["search"] = {"strategy": strategy}
        if doubling > 1:
            cfg["search"]["step_doubling"] = doubling
        t0 = time.perf_counter()
        found, off = _search_finds(samples, search_point_solver(read_config(cfg)))
        row = {
            "variant": label,
            "starts": starts,
            "T": [lo, hi],
            "vacua": n,
            "found": found,
            "off_line_dS_minima": off,
            "seconds_incl_compile": time.perf_counter() - t0,
        }
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if not only or any(k >= len(runs) for k in only):
        rows += _rku_find_rows(samples, n)
    path = os.path.join(out, "newton_variants_rku.json")
    earlier = json.load(open(path)).get("rows", []) if os.path.exists(path) else []
    earlier = [
        dict(q, variant=q["variant"] + " [earlier run]")
        for q in earlier
        if "earlier run" not in q["variant"]
    ] + [q for q in earlier if "earlier run" in q["variant"]]
    with open(path, "w") as f:
        json.dump(
            {"platform": bs.platform.platform(), "jax": jax.__version__, "rows": earlier + rows},
            f,
            indent=1,
            ensure_ascii=False,
        )
    lines = [
        "# Shallow RKU dS minima: jaxvac's local phase vs step doubling",
        "",
        "`python bench/bench_newton_variants.py --part rku`: 200 parameter points of seed 000's "
        "model (Nmax = 10, ξ = 1e-3, W0, A, B uniform in the rku-scan box), each with a stable dS "
        "vacuum known from the exact landscape; default search options. Rows naming a local "
        "phase or rounds: the scan's point solver (vmapped: every round for every start); rows "
        "'find_critical_points': that function with 32 starts at each point (seed k for point "
        "k). Rows marked [earlier run] are from earlier runs (git history of this file); the "
        f"others from the latest run ({time.strftime('%Y-%m-%d')}, jax {jax.__version__}).",
        "",
        "| local phase | starts | T range (τ: full period) | vacua found | dS minima off the lines |",
        "|---|---|---|---|---|",
    ]
    for q in earlier + rows:
        lines.append(
            f"| {q['variant']} | {q['starts']} | {q['T'][0]:g}–{q['T'][1]:g} | "
            f"{q['found']} of {q['vacua']} | {q['off_line_dS_minima']} |"
        )
    with open(os.path.join(out, "newton_variants_rku.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool", type=int, default=1024)
    ap.add_argument("--part", choices=("kklt", "rku"), default="kklt")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument(
        "--runs",
        default="",
        help="--part rku: indices of the runs to do (default all; an index past the last run: "
        "the find_critical_points rows)",
    )
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.part == "rku":
        return part_rku(args.out, [int(k) for k in args.runs.split(",") if k])
    refs = bs.reference_sets()
    variants = (
        [("∇V (jaxvac)", PLAIN_LOCAL_PHASE, 1)]
        + [
            (f"∇V/√(S²+Q²), clip {c:g}", scale_free_local_phase(c), 1)
            for c in (math.inf, 0.05, 0.2)
        ]
        + [
            (f"∇V, step doubled while marching, ≤ {a}× (step_doubling = {a})", PLAIN_LOCAL_PHASE, a)
            for a in (8, 64)
        ]
    )
    rows = []
    for name in ("kklt-uplift", "kklt"):
        model, ref, _ = refs[name]
        model = canonical(model)
        region = js.Region.from_model(model)
        y0 = js.sample_starts(model, region, jax.random.key(12345), args.pool)
        for label, local_phase, doubling in variants:
            js._local_phase = local_phase
            opts = js._options(global_steps=0, step_doubling=doubling)
            r, _, t_run = bs.run_pool(model, region, y0, opts, bs._search_fn())
            codes = np.asarray(r.solutions.result)
            lab = bs.label_starts(codes, np.asarray(r.solutions.y), ref, region)
            steps = np.asarray(r.solutions.steps)[lab >= 0]
            row = {
                "model": name,
                "variant": label,
                "pool": args.pool,
                "run_s": t_run,
                "success_rate": float(np.mean(lab >= 0)),
                "spurious": int(np.sum(lab == -1)),
                "basins": [int(np.sum(lab == k)) for k in range(len(ref))],
                "steps_mean": float(steps.mean()) if steps.size else None,
                "steps_max": int(steps.max()) if steps.size else None,
                "results": {
                    res.name: int(np.sum(codes == res)) for res in Result if np.any(codes == res)
                },
            }
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    js._local_phase = PLAIN_LOCAL_PHASE
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "newton_variants.json"), "w") as f:
        json.dump(
            {"platform": bs.platform.platform(), "jax": jax.__version__, "rows": rows},
            f,
            indent=1,
            ensure_ascii=False,
        )
    lines = [
        "# The search's local phase: Newton on ∇V vs two rejected variants",
        "",
        f"`python bench/bench_newton_variants.py --pool {args.pool}` (global_steps = 0; "
        "successful = verified on a reference point).",
        "",
        "| model | local phase | successful starts | starts per reference point | "
        "Newton steps of the successful (mean / max) | result codes |",
        "|---|---|---|---|---|---|",
    ]
    for q in rows:
        st = "—" if q["steps_mean"] is None else f"{q['steps_mean']:.1f} / {q['steps_max']}"
        lines.append(
            f"| {q['model']} | {q['variant']} | {100 * q['success_rate']:.1f}% | "
            f"{q['basins']} | {st} | {q['results']} |"
        )
    with open(os.path.join(args.out, "newton_variants.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
