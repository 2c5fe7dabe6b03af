"""Critical-point search: completeness versus the number of starts, and throughput against
a baseline, on models whose complete set of critical points is known independently
(tests/search_models.py: closed forms, numpy roots, mpmath).

    python bench/bench_search.py [--part completeness|strategies|throughput|all] [--pool 1024]
        [--settings default,no-global,...] [--labels-dir DIR] [--out bench/results]

**Completeness.** For each model and solver setting, one pool of ``--pool`` starts is
sampled in the default region and solved once (one compilation per model × setting);
each start is labelled with the reference critical point it reached (verified
``successful`` and within 1e-6 of it), as *spurious* (``successful`` but no reference
point there — a false vacuum; must be 0) or as a failure (its result code). The
completeness for N starts is the mean, over 400 random subsets of N starts of the pool,
of the fraction of reference points found, and P(all) the fraction of subsets that
found every point.

**Strategies.** With ``--labels-dir``, the completeness part saves every start's label; ``--part
strategies`` then evaluates orders of rounds (:data:`CHAINS`; ``SolverOptions.strategy``) on
the same starts: a start's label is that of its first round that ended on a verified critical
point — exact, since each round of a start is the same function of that start.

**Throughput.** Verified critical points (starts that end on one) per second of
jaxvac's batched search (compile time reported separately) against the baseline a
physicist writes today: a Python loop over the same starts of
``scipy.optimize.root(grad, y0, jac=hess, method="hybr")`` on jitted JAX gradient and
Hessian of the same V, each end point verified by the same :func:`jaxvac.analyse`. The
ratio is the number to read; absolute times depend on the machine's load. Both sides
are timed as the best of ``--repeats`` (3) warm runs. jaxvac runs on ``--threads``
concurrent executions (default: the cores, as :func:`jaxvac.find_critical_points` does;
rows are kept per thread count), the scipy loop on one — it is a plain Python loop.
``--throughput-models seven-moduli`` adds a 7-modulus STU-type supergravity model with
exponential terms (tests/search_models.py:SevenModuli; its reference set is its complete
set of supersymmetric points, and any other end point is verified by the model's own
mpmath gradient, independent of JAX). Throughput rows of earlier runs are kept (a row
with the same model, setting and batch is replaced).

Writes search.json, search.md and search_completeness.png to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

os.environ.setdefault("JAXVAC_CACHE_DIR", "")  # compile times are measured: no persistent cache

from jaxvac._cli.scan import avoid_cpu_eigen_hang  # noqa: E402

avoid_cpu_eigen_hang()  # large vmapped batches on XLA CPU (docs/scans.md, "CPU hang")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import jaxvac  # noqa: E402
from jaxvac._classify import Result  # noqa: E402
from jaxvac._io import resolve_model_class  # noqa: E402
from jaxvac._model import canonical  # noqa: E402
from jaxvac._parallel import default_threads  # noqa: E402
from jaxvac._search import (  # noqa: E402
    DEFAULT_STARTS,
    Region,
    _options,
    _search_from,
    sample_starts,
    search_threaded,
)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODELS_FILE = os.path.join(ROOT, "tests", "search_models.py")
sys.path.insert(0, os.path.join(ROOT, "tests"))
import search_models as sm  # noqa: E402  (reference sets; classes are loaded via jaxvac below)

D_UPLIFT = 3e-11

#: Solver settings compared (SolverOptions overrides; "default" is SolverOptions()). The
#: settings with the global phase on other than "default" are single rounds (strategy
#: "single"), as they were before strategies existed.
SETTINGS = {
    "default": {},
    "single": {"strategy": "single"},  # the default before the strategies (global + Newton once)
    "newton-first": {"strategy": "newton-first"},
    "global-first": {"strategy": "global-first"},
    "global-first-doubling": {"strategy": "global-first-doubling"},
    "no-global": {"global_steps": 0},
    "steps24": {"max_steps": 24, "strategy": "single"},
    "no-global-steps24": {"global_steps": 0, "max_steps": 24},
    "steps64": {"max_steps": 64, "strategy": "single"},
    "no-global-steps64": {"global_steps": 0, "max_steps": 64},
    "doubling8": {"step_doubling": 8, "strategy": "single"},
    "global-doubling-newton": {"strategy": "global-doubling-newton"},  # the default before
    "global-doubled-continue-newton": {"strategy": "global-doubled-continue-newton"},
    "no-global-doubling8": {"global_steps": 0, "step_doubling": 8},
}


def _cls(name):
    if name == "KKLTUplift":
        return resolve_model_class(os.path.join(ROOT, sm.KKLT_UPLIFT))
    return resolve_model_class(f"{MODELS_FILE}:{name}")


def reference_sets():
    """name -> (model, [(y, V, n_negative)], period array)."""
    out = {}
    out["double-well"] = (_cls("DoubleWell")(), sm.double_well_points(), None)
    out["cosine-product"] = (_cls("CosineProduct")(), sm.cosine_product_points(), None)
    for label, D in (("kklt", 0.0), ("kklt-uplift", D_UPLIFT)):
        pts = [
            (np.array([float(t), float(tau)]), float(V), int(Vtt < 0) + int(Vxx < 0))
            for t, tau, V, Vtt, Vxx in sm.kklt_critical_points(D=D)
        ]
        out[label] = (_cls("KKLTUplift")(D=D), pts, None)
    return out


def _lazy_seven():
    """The 7-modulus STU-type model (tests/search_models.py:SevenModuli): its one
    supersymmetric AdS point in the region (every SUSY point found by Lambert-W branches
    and mpmath), and an independent mpmath stationarity check for any other end point."""
    return _cls("SevenModuli")(), sm.seven_moduli_susy_points(), None


#: Models benchmarked only in the throughput part, built on demand (reference sets slow).
LAZY_MODELS = {"seven-moduli": _lazy_seven}
#: name -> independent check y -> (V, relative gradient) for end points that match no
#: reference point (the reference set lists only the SUSY points); at most CHECK_TOL.
CHECKS = {"seven-moduli": sm.seven_moduli_check}
CHECK_TOL = 1e-6


def _match(y, ref, region):
    """Index of the reference point within 1e-6 (relative, modulo periods) or -1."""
    per = np.asarray(region.period)
    for k, (yr, _, _) in enumerate(ref):
        d = y - yr
        d = np.where(per > 0, d - per * np.round(d / np.where(per > 0, per, 1.0)), d)
        if np.all(np.abs(d) <= 1e-6 * np.maximum(1.0, np.abs(yr))):
            return k
    return -1


def label_starts(codes, ys, ref, region):
    lab = np.full(len(codes), -2)  # -2 failure, -1 spurious, k >= 0 reference point
    for i, (c, y) in enumerate(zip(codes, ys)):
        if c == Result.successful:
            lab[i] = _match(y, ref, region)
    return lab


def check_unlisted(lab, ys, ref, region, check, clusters):
    """Relabel successful end points that match no reference point (-1) with an
    independent check: a point whose relative gradient is <= CHECK_TOL is a verified
    critical point outside the reference set (label len(ref) + its cluster index, shared
    through ``clusters`` between jaxvac and the baseline); otherwise it stays spurious."""
    per = np.asarray(region.period)
    lab = lab.copy()
    for i in np.flatnonzero(lab == -1):
        y = ys[i]
        for k, (yc, ok) in enumerate(clusters):
            d = y - yc
            d = np.where(per > 0, d - per * np.round(d / np.where(per > 0, per, 1.0)), d)
            if np.all(np.abs(d) <= 1e-6 * np.maximum(1.0, np.abs(yc))):
                lab[i] = len(ref) + k if ok else -1
                break
        else:
            ok = check(y)[1] <= CHECK_TOL
            clusters.append((y, ok))
            lab[i] = len(ref) + len(clusters) - 1 if ok else -1
    return lab


def completeness_curve(labels, n_ref, ns, rng, reps=400):
    rows = []
    for n in ns:
        frac, allf = [], []
        for _ in range(reps):
            sub = rng.choice(len(labels), size=n, replace=False)
            found = len(set(int(v) for v in labels[sub] if v >= 0))
            frac.append(found / n_ref)
            allf.append(found == n_ref)
        rows.append(
            {"starts": int(n), "completeness": float(np.mean(frac)), "p_all": float(np.mean(allf))}
        )
    return rows


def _search_fn():
    import equinox as eqx

    @eqx.filter_jit
    def run(model, region, y0, opts):
        return _search_from(model, region, y0, opts)

    return run


def run_pool(model, region, y0, opts, run, repeats=1):
    """(result, first call's time, best of ``repeats`` warm calls)."""
    t0 = time.perf_counter()
    r = run(model, region, y0, opts)
    jax.block_until_ready(r)
    t1 = time.perf_counter()
    warm, cpu = [], []
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        r = run(model, region, y0, opts)
        jax.block_until_ready(r)
        warm.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    _LAST_CPU[0] = min(cpu)
    return jax.tree.map(np.asarray, r), t1 - t0, min(warm)


#: Process CPU time of the last best-of-repeats call timed (run_pool, baseline_loop): on a
#: shared machine the wall time includes waiting for a core; the CPU time counts the work
#: (summed over threads).
_LAST_CPU = [float("nan")]


def _earlier(out, key, empty):
    """The ``key`` results of earlier runs in ``out``/search.json (kept, so that a run of some
    models or settings does not drop the others' rows)."""
    path = os.path.join(out, "search.json")
    try:
        return json.load(open(path)).get(key, empty) if os.path.exists(path) else empty
    except ValueError:
        return empty


def part_completeness(args, out):
    refs = reference_sets()
    run = _search_fn()
    rng = np.random.default_rng(0)
    ns = [n for n in (1, 2, 4, 8, 16, 32, 64, 128, 256) if n <= args.pool]
    results = dict(_earlier(out, "completeness", {}))  # other models / settings
    for name, (model, ref, _) in refs.items():
        if args.models and name not in args.models:
            continue
        model = canonical(model)
        region = Region.from_model(model)
        y0 = sample_starts(model, region, jax.random.key(12345), args.pool)
        for sname in args.settings:
            opts = _options(**SETTINGS[sname])
            r, t_first, t_run = run_pool(model, region, y0, opts, run)
            codes = np.asarray(r.solutions.result)
            lab = label_starts(codes, np.asarray(r.solutions.y), ref, region)
            counts = {res.name: int(np.sum(codes == res)) for res in Result if np.any(codes == res)}
            row = {
                "model": name,
                "setting": sname,
                "options": SETTINGS[sname],
                "n_reference": len(ref),
                "pool": args.pool,
                "compile_s": t_first - t_run,
                "run_s": t_run,
                "success_rate": float(np.mean(lab >= 0)),
                "spurious_starts": int(np.sum(lab == -1)),
                "found_in_pool": len(set(int(v) for v in lab if v >= 0)),
                "distinct_listed": int(np.sum(r.representative)),
                "start_results": counts,
                "basins": [int(np.sum(lab == k)) for k in range(len(ref))],
                "curve": completeness_curve(lab, len(ref), ns, rng),
            }
            results[f"{name}/{sname}"] = row
            if args.labels_dir:  # per-start labels: strategies are compared on the same starts
                os.makedirs(args.labels_dir, exist_ok=True)
                np.savez(
                    os.path.join(args.labels_dir, f"{name}__{sname}.npz"),
                    labels=lab,
                    codes=codes,
                    run_s=t_run,
                    steps=np.asarray(r.solutions.steps),
                )
            print(
                f"{name:15s} {sname:18s} compile {row['compile_s']:6.1f}s run {t_run:6.2f}s "
                f"success {row['success_rate']:.3f} spurious {row['spurious_starts']} "
                f"found {row['found_in_pool']}/{len(ref)} listed {row['distinct_listed']} "
                f"{counts}",
                flush=True,
            )
            print(
                "   "
                + "  ".join(
                    f"N={c['starts']}:{c['completeness']:.3f}/{c['p_all']:.2f}"
                    for c in row["curve"]
                ),
                flush=True,
            )
            _save(out, "completeness", results)
    return results


# ---- strategies: orders of rounds, evaluated on the same starts ---------------------------

#: Orders of rounds evaluated by ``--part strategies`` from the labels of single-round settings
#: (``--labels-dir``): a start's label in a chain is that of its first round that ended on a
#: verified critical point (exact: each round of a start is the same function of the start).
CHAINS = {
    "single": ["single"],
    "no-global": ["no-global"],
    "no-global-doubling8": ["no-global-doubling8"],
    "newton-global": ["no-global", "single"],
    "global-newton": ["single", "no-global"],
    "global-doubling-newton": ["single", "no-global-doubling8", "no-global"],
    # the doubling round continuing from the global phase's end point = "doubling8" per start
    "global-continue-doubling-newton": ["single", "doubling8", "no-global"],
    "newton-doubling-global": ["no-global", "no-global-doubling8", "single"],
    "doubling-global": ["no-global-doubling8", "single"],
    "global-doubled-newton": ["doubling8", "no-global-doubling8", "no-global"],
    # the default; round 2 = plain Newton from round 1's global-phase end = "single" per start
    "global-doubled-continue-newton": ["doubling8", "single", "no-global-doubling8", "no-global"],
}


def part_strategies(args, out):
    """Completeness and cost of every order of rounds in :data:`CHAINS`, from the per-start
    labels (and single-thread run times) that ``--part completeness --labels-dir`` saved for
    the single-round settings. Cost: the first round's run time plus, for each later round,
    its run time times the fraction of starts left (compaction; indicative: under vmap a part
    lasts as long as its slowest start)."""
    ns = [n for n in (1, 2, 4, 8, 16, 32, 64, 128, 256) if n <= args.pool]
    results = dict(_earlier(out, "strategies", {}))
    n_ref = {name: len(ref) for name, (_, ref, _) in reference_sets().items()}
    for name in args.models or list(n_ref):
        runs = {}
        for setting in {s for chain in CHAINS.values() for s in chain}:
            path = os.path.join(args.labels_dir, f"{name}__{setting}.npz")
            if os.path.exists(path):
                runs[setting] = np.load(path)
        for chain, settings in CHAINS.items():
            if not all(s in runs for s in settings):
                continue
            lab = runs[settings[0]]["labels"].copy()
            code = runs[settings[0]]["codes"].copy()
            cost = float(runs[settings[0]]["run_s"])
            for s in settings[1:]:
                left = ~((code == Result.successful) | (code == Result.unresolved))
                cost += float(left.mean()) * float(runs[s]["run_s"])
                lab = np.where(left, runs[s]["labels"], lab)
                code = np.where(left, runs[s]["codes"], code)
            results[f"{name}/{chain}"] = {
                "model": name,
                "chain": chain,
                "rounds": settings,
                "n_reference": n_ref[name],
                "success_rate": float(np.mean(lab >= 0)),
                "spurious_starts": int(np.sum(lab == -1)),
                "cost_s": cost,
                "cost_vs_single": cost / float(runs["single"]["run_s"])
                if "single" in runs
                else float("nan"),
                # the same subsets for every chain: equal labels give equal curves
                "curve": completeness_curve(lab, n_ref[name], ns, np.random.default_rng(0)),
            }
            r = results[f"{name}/{chain}"]
            print(
                f"{name:15s} {chain:24s} success {r['success_rate']:.3f} cost x{r['cost_vs_single']:.2f} "
                + "  ".join(
                    f"N={c['starts']}:{c['completeness']:.3f}/{c['p_all']:.2f}" for c in r["curve"]
                ),
                flush=True,
            )
    _save(out, "strategies", results)
    return results


# ---- throughput -----------------------------------------------------------------------


def baseline_loop(model, y0s, region, repeats=1, polish_steps=2):
    """scipy.optimize.root (hybr) on jitted JAX gradient and Hessian, one start at a time
    (best time of ``repeats`` passes over the starts). Its end points are polished by
    ``polish_steps`` of jaxvac's Newton polish (as jaxvac's own are; untimed) before the
    same verification, so that scipy's default xtol does not count against it."""
    from scipy.optimize import root

    grad = jax.jit(jax.grad(model.scalar_potential))
    hess = jax.jit(jax.hessian(model.scalar_potential))
    grad(y0s[0]).block_until_ready()
    hess(y0s[0]).block_until_ready()
    times, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        ends = []
        for y0 in y0s:
            sol = root(
                lambda y: np.asarray(grad(y)), y0, jac=lambda y: np.asarray(hess(y)), method="hybr"
            )
            ends.append(sol.x)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    t = min(times)
    _LAST_CPU[0] = min(cpu)
    ends = np.asarray(ends)
    if polish_steps:  # fair to scipy: its end points get jaxvac's polish before verification
        from jaxvac._search import polish

        finite = np.all(np.isfinite(ends), axis=1)
        safe = jnp.asarray(np.where(finite[:, None], ends, y0s))
        polished = np.asarray(
            jax.jit(jax.vmap(lambda y: polish(model, y, steps=polish_steps)))(safe)
        )
        ends = np.where(finite[:, None], polished, ends)
    ends = np.asarray(jax.vmap(region.wrap)(jnp.asarray(ends)))
    a = jaxvac.analyse(model, ends)
    inside = np.asarray(jax.vmap(region.contains)(jnp.asarray(ends)))
    ok = (np.asarray(a.result) == Result.successful) & inside
    return t, ends, ok


def part_throughput(args, out):
    refs = reference_sets()
    threads = args.threads or default_threads()

    def run(model, region, y0, opts):
        return search_threaded(model, region, y0, opts, threads)

    rows = list(_earlier(out, "throughput", []))  # other models / settings / sizes
    for name in args.throughput_models:
        if name in LAZY_MODELS and name not in refs:
            refs[name] = LAZY_MODELS[name]()
        model, ref, _ = refs[name]
        check = CHECKS.get(name)
        clusters: list = []
        model = canonical(model)
        region = Region.from_model(model)
        opts = _options(**SETTINGS[args.best])
        for n in args.sizes:
            y0 = sample_starts(model, region, jax.random.key(7), n)
            r, t_first, t_run = run_pool(model, region, y0, opts, run, args.repeats)
            cpu_run = _LAST_CPU[0]
            lab = label_starts(
                np.asarray(r.solutions.result), np.asarray(r.solutions.y), ref, region
            )
            if check is not None:
                lab = check_unlisted(lab, np.asarray(r.solutions.y), ref, region, check, clusters)
            row = {
                "model": name,
                "setting": args.best,
                "batch": n,
                "threads": threads,
                "compile_s": t_first - t_run,
                "jaxvac_s": t_run,
                "jaxvac_success": float(np.mean(lab >= 0)),
                "jaxvac_found": len(set(int(v) for v in lab if v >= 0)),
                "jaxvac_spurious": int(np.sum(lab == -1)),
                "jaxvac_results": {
                    res.name: int(np.sum(np.asarray(r.solutions.result) == res))
                    for res in Result
                    if np.any(np.asarray(r.solutions.result) == res)
                },
            }
            nb = min(n, args.baseline_max)
            tb, ends, ok = baseline_loop(
                model, np.asarray(y0[:nb]), region, args.repeats, args.baseline_polish
            )
            labb = label_starts(
                np.where(ok, Result.successful, Result.not_critical), ends, ref, region
            )
            if check is not None:
                labb = check_unlisted(labb, ends, ref, region, check, clusters)
            row.update(
                {
                    "jaxvac_cpu_s": cpu_run,
                    "baseline_cpu_s": _LAST_CPU[0],
                    "load": os.getloadavg()[0],
                }
            )
            row.update(
                {
                    "baseline_starts": nb,
                    "baseline_s": tb,
                    "baseline_polish_steps": args.baseline_polish,
                    "baseline_success": float(np.mean(labb >= 0)),
                    "baseline_found": len(set(int(v) for v in labb if v >= 0)),
                    "baseline_spurious": int(np.sum(labb == -1)),
                }
            )
            rate_j = row["jaxvac_success"] * n / t_run
            rate_b = (
                row["baseline_success"] * nb / tb if row["baseline_success"] > 0 else float("nan")
            )
            row.update(
                {
                    "jaxvac_points_per_s": rate_j,
                    "baseline_points_per_s": rate_b,
                    "starts_per_s_ratio": (n / t_run) / (nb / tb),
                }
            )
            if row["baseline_success"] > 0:  # verified points per CPU second, jaxvac / scipy
                row["cpu_points_ratio"] = (row["jaxvac_success"] * n / cpu_run) / (
                    row["baseline_success"] * nb / row["baseline_cpu_s"]
                )
            if check is not None:
                row["reference_points"] = len(ref)
                row["jaxvac_found_reference"] = len(set(int(v) for v in lab if 0 <= v < len(ref)))
                row["baseline_found_reference"] = len(
                    set(int(v) for v in labb if 0 <= v < len(ref))
                )
                row["independent_check_tol"] = CHECK_TOL
            rows = [
                q
                for q in rows
                if (q["model"], q["setting"], q["batch"], q.get("threads", 1))
                != (name, args.best, n, threads)
            ]
            rows.append(row)
            print(
                f"{name:12s} batch {n:6d}: compile {row['compile_s']:6.1f}s jaxvac {t_run:8.3f}s "
                f"({row['jaxvac_success']:.3f} ok, {rate_j:9.1f} pts/s) | scipy loop {nb} starts "
                f"{tb:7.2f}s ({row['baseline_success']:.3f} ok, {rate_b:7.1f} pts/s) | "
                f"starts/s ratio {row['starts_per_s_ratio']:.0f}x",
                flush=True,
            )
            _save(out, "throughput", rows)
    return rows


# ---- output ---------------------------------------------------------------------------

_STATE: dict = {}


def _save(out, key, value):
    _STATE[key] = value
    _STATE["machine"] = {
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load": os.getloadavg()[0],
        "jax": jax.__version__,
        "device": str(jax.devices()[0]),
        "default_starts": DEFAULT_STARTS,
    }
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "search.json")
    old = {}
    if os.path.exists(path):
        try:
            old = json.load(open(path))
        except ValueError:
            old = {}
    old.update(_STATE)
    with open(path, "w") as f:
        json.dump(old, f, indent=1)
    _write_md(out, old)


def _write_md(out, data):
    lines = ["# Search benchmark (bench/bench_search.py)", ""]
    if data.get("note"):
        lines += [data["note"], ""]
    m = data.get("machine", {})
    lines.append(
        f"Machine: {m.get('platform')}, {m.get('cpus')} CPUs, load {m.get('load', 0):.1f}, "
        f"JAX {m.get('jax')} on {m.get('device')}."
    )
    comp = data.get("completeness", {})
    if comp:
        ns = [c["starts"] for c in next(iter(comp.values()))["curve"]]
        lines += [
            "",
            "## Completeness (fraction of the known critical points found / P(all found))",
            "",
            "| model | setting | points | success rate | spurious | compile s | "
            + " | ".join(f"N={n}" for n in ns)
            + " |",
            "|---|---|---|---|---|---|" + "---|" * len(ns),
        ]
        for row in comp.values():
            lines.append(
                f"| {row['model']} | {row['setting']} | {row['n_reference']} | "
                f"{row['success_rate']:.3f} | {row['spurious_starts']} | {row['compile_s']:.0f} | "
                + " | ".join(f"{c['completeness']:.3f}/{c['p_all']:.2f}" for c in row["curve"])
                + " |"
            )
    strat = data.get("strategies", {})
    if strat:
        ns = [c["starts"] for c in next(iter(strat.values()))["curve"]]
        lines += [
            "",
            "## Strategies: orders of rounds on the same starts (`--part strategies`)",
            "",
            "A start's label is that of its first round that ended on a verified critical point "
            "(from the per-start labels of the single-round rows above, same pool). Cost: single-"
            "thread run time of the first round plus each later round's times the fraction of "
            "starts left, relative to `single` (indicative; shared machine).",
            "",
            "| model | rounds | success rate | spurious | cost × single | "
            + " | ".join(f"N={n}" for n in ns)
            + " |",
            "|---|---|---|---|---|" + "---|" * len(ns),
        ]
        for r in strat.values():
            lines.append(
                f"| {r['model']} | {r['chain']} ({' → '.join(r['rounds'])}) | "
                f"{r['success_rate']:.3f} | {r['spurious_starts']} | {r['cost_vs_single']:.2f} | "
                + " | ".join(f"{c['completeness']:.3f}/{c['p_all']:.2f}" for c in r["curve"])
                + " |"
            )
    thr = data.get("throughput", [])
    if thr:
        lines += [
            "",
            "## Throughput: verified critical points per second",
            "",
            "jaxvac runs its search on `threads` concurrent executions (jaxvac/_parallel.py; "
            "default: the cores; a search of fewer than 32 starts per thread uses fewer threads, so "
            "batch 1 runs on one); the scipy loop is one Python loop, as a physicist writes it.",
            "",
            "| model | setting | batch | threads | compile s | jaxvac s | jaxvac ok | jaxvac pts/s "
            "| scipy starts | scipy s | scipy ok | scipy pts/s | pts/s ratio | starts/s ratio "
            "| pts per CPU s ratio | load |",
            "|---" * 16 + "|",
        ]
        for r in thr:
            ratio = (
                r["jaxvac_points_per_s"] / r["baseline_points_per_s"]
                if r["baseline_points_per_s"] > 0
                else float("nan")
            )
            lines.append(
                f"| {r['model']} | {r['setting']} | {r['batch']} | {r.get('threads', 1)} | "
                f"{r['compile_s']:.1f} | {r['jaxvac_s']:.3f} | "
                f"{r['jaxvac_success']:.3f} | {r['jaxvac_points_per_s']:.1f} | {r['baseline_starts']} | "
                f"{r['baseline_s']:.2f} | {r['baseline_success']:.3f} | {r['baseline_points_per_s']:.1f} | "
                f"{ratio:.1f} | {r['starts_per_s_ratio']:.1f} | "
                + (
                    f"{r['cpu_points_ratio']:.1f} | {r['load']:.1f} |"
                    if "cpu_points_ratio" in r
                    else " | |"
                )
            )
        chk = [r for r in thr if "reference_points" in r]
        if chk:
            lines += [
                "",
                "Models checked independently (reference set = supersymmetric points only; "
                "other end points verified by the model's own mpmath gradient):",
                "",
                "| model | setting | batch | threads | jaxvac distinct points (reference) | jaxvac spurious "
                "| jaxvac start results | scipy distinct points (reference) |",
                "|---" * 8 + "|",
            ]
            for r in chk:
                lines.append(
                    f"| {r['model']} | {r['setting']} | {r['batch']} | {r.get('threads', 1)} | {r['jaxvac_found']} "
                    f"({r['jaxvac_found_reference']}/{r['reference_points']}) | {r['jaxvac_spurious']} | "
                    + ", ".join(f"{k} {v}" for k, v in r.get("jaxvac_results", {}).items())
                    + f" | {r['baseline_found']} ({r['baseline_found_reference']}/{r['reference_points']}) |"
                )
    with open(os.path.join(out, "search.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if comp:
        _plot(out, comp)


def _plot(out, comp):
    """P(all reference critical points found) against the number of starts, one panel per
    model, one line per solver setting; the legend below the panels (it covered the curves)."""
    from matplotlib.figure import Figure

    models = sorted({r["model"] for r in comp.values()})
    fig = Figure(figsize=(3.2 * len(models), 3.4), dpi=110, layout="constrained")
    axes = fig.subplots(1, len(models), squeeze=False, sharey=True)[0]
    for ax, name in zip(axes, models):
        rows = [row for row in comp.values() if row["model"] == name]
        for row in rows:
            ns = [c["starts"] for c in row["curve"]]
            ax.plot(ns, [c["p_all"] for c in row["curve"]], marker="o", ms=3, label=row["setting"])
        ax.set_xscale("log", base=2)
        ax.set_ylim(-0.02, 1.02)
        ax.set_title(f"{name}\n({rows[0]['n_reference']} critical points)", fontsize=9)
        ax.set_xlabel("starts $N$")
        ax.grid(alpha=0.3, lw=0.4)
    axes[0].set_ylabel(r"$P(\mathrm{all\ critical\ points\ found} \mid N)$")
    handles, labels = axes[-1].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=len(labels),
        fontsize=8,
        title="search setting",
        title_fontsize=8,
        frameon=False,
    )
    fig.savefig(os.path.join(out, "search_completeness.png"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--part", choices=["completeness", "strategies", "throughput", "all"], default="all"
    )
    p.add_argument("--pool", type=int, default=1024)
    p.add_argument("--settings", default=",".join(SETTINGS))
    p.add_argument("--models", default="")
    p.add_argument("--throughput-models", default="kklt-uplift,double-well")
    p.add_argument("--sizes", default="1,100,10000")
    p.add_argument("--baseline-max", type=int, default=300)
    p.add_argument("--best", default="default", help="setting used for the throughput part")
    p.add_argument(
        "--repeats", type=int, default=3, help="throughput: best of this many timed runs"
    )
    p.add_argument(
        "--baseline-polish",
        type=int,
        default=2,
        help="throughput: Newton polish steps on scipy's end points before verification",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=0,
        help="concurrent executions of jaxvac's search (default: the cores, as jaxvac does)",
    )
    p.add_argument("--out", default=os.path.join(HERE, "results"))
    p.add_argument(
        "--labels-dir",
        default="",
        help="completeness: also save every start's label per model and setting here",
    )
    args = p.parse_args()
    args.settings = [s for s in args.settings.split(",") if s]
    args.models = [s for s in args.models.split(",") if s]
    args.throughput_models = [s for s in args.throughput_models.split(",") if s]
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.part in ("completeness", "all"):
        part_completeness(args, args.out)
    if args.part == "strategies" or (args.part == "all" and args.labels_dir):
        part_strategies(args, args.out)
    if args.part in ("throughput", "all"):
        part_throughput(args, args.out)


if __name__ == "__main__":
    main()
