"""Scan throughput: parameter points and vacua per second versus chunk size and versus the
number of Dask workers, against a Python loop of ``jaxvac.find_critical_points`` over the
same parameter points (the baseline: what a physicist writes today, one compiled search
per point); and peak memory as the number of points grows 10×.

    python bench/bench_scan.py [--model experiments/kklt_uplift.py:KKLTUplift]
        [--chunks 16 64 256] [--workers 1 2] [--starts 8] [--out bench/results]

Writes scan.json and scan.md to --out. Compile time is measured separately (a first
one-chunk scan); throughput runs use a warm compilation (in-process jit cache; Dask
workers are warmed by a first small scan). Every run writes a real scan directory (Parquet + manifest).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("JAXVAC_CACHE_DIR", "")  # compile times are measured: no persistent cache

from jaxvac._cli.scan import avoid_cpu_eigen_hang  # noqa: E402

avoid_cpu_eigen_hang()  # as `jaxvac scan` does (docs/scans.md, "CPU hang"); before JAX starts

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import numpy as np  # noqa: E402

import jaxvac  # noqa: E402
from jaxvac.scan import read_config, scan  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def config(model, points, chunk, starts, seed=0, keep="successful"):
    return {
        "model": model,
        "points": points,
        "chunk": chunk,
        "starts": starts,
        "seed": seed,
        "keep": keep,
        "fixed": {"a": 0.1, "A": 1.0},
        "sample": {
            "W0": {"dist": "symmetric", "scale": 1e-3},
            "D": {"dist": "uniform", "low": 0.0, "high": 1e-8},
        },
        "region": {"T": [50.0, 300.0]},
        "search": {"global_steps": 0},  # as the flagship scan (experiments/scan_kklt_uplift.toml)
    }


def timed_scan(cfg, out, **kw):
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    r = scan(cfg, out, progress=False, **kw)
    return time.perf_counter() - t0, r


def baseline_loop(cfg, n_points):
    """find_critical_points on each parameter point in a Python loop (same draws)."""
    import jax.numpy as jnp

    from jaxvac._find import find_critical_points
    from jaxvac._model import canonical
    from jaxvac.scan._sampling import draw_parameters, freeze

    c = read_config(cfg)
    base = canonical(c.base_model())
    draws = jax.jit(jax.vmap(lambda pid: draw_parameters(freeze(c.sample), base, c.seed, pid)))(
        jnp.arange(n_points, dtype=jnp.int64)
    )
    draws = {k: np.asarray(v) for k, v in draws.items()}
    cls = c.model_class
    fixed = c.fixed

    def one(i):
        model = cls(**fixed, **{k: float(v[i]) for k, v in draws.items()})
        return find_critical_points(
            model, region=c.data["region"], starts=c.starts, seed=i, **c.data["search"]
        )

    t0 = time.perf_counter()
    one(0)  # compile
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    vacua = sum(one(i).distinct for i in range(1, n_points))
    run = time.perf_counter() - t0
    return {
        "points": n_points - 1,
        "seconds": run,
        "compile_seconds": compile_s,
        "points_per_s": (n_points - 1) / run,
        "vacua_per_s": vacua / run,
    }


RUN_SCRIPT = """
import json, resource, sys
from jaxvac._cli.scan import avoid_cpu_eigen_hang  # noqa: E402
avoid_cpu_eigen_hang()
import jax
jax.config.update("jax_enable_x64", True)
from jaxvac.scan import scan
r = scan(json.loads(sys.argv[1]), sys.argv[2], progress=False, resume=True)
print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def robust_run(cfg, out, env, stall=120.0, first_stall=900.0):
    """Run a scan in a subprocess (one chunk in flight, so each chunk's recorded seconds are
    its own compute time); when no chunk completes for ``stall`` s (``first_stall`` for the
    first, which compiles) kill it and resume (the XLA CPU hang of docs/scans.md)."""
    from jaxvac.scan._storage import chunk_files, read_chunk_meta

    shutil.rmtree(out, ignore_errors=True)
    env = dict(env, JAXVAC_SCAN_IN_FLIGHT="1")
    t0 = time.perf_counter()
    restarts, rss = 0, []
    while True:
        proc = subprocess.Popen(
            [sys.executable, "-c", RUN_SCRIPT, json.dumps(cfg), out],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        seen, last, first = len(chunk_files(out)), time.monotonic(), True
        while proc.poll() is None:
            time.sleep(0.5)
            n = len(chunk_files(out))
            if n != seen:
                seen, last, first = n, time.monotonic(), False
            if time.monotonic() - last > (first_stall if first else stall):
                proc.kill()
                break
        stdout, stderr = proc.communicate()
        if proc.returncode == 0:
            rss.append(json.loads(stdout.strip().splitlines()[-1])["maxrss_kb"])
            break
        if proc.returncode != -9:
            raise RuntimeError(stderr)
        restarts += 1
    wall = time.perf_counter() - t0
    from jaxvac.scan import load_scan

    r = load_scan(out)
    compute = sum(read_chunk_meta(f)["seconds"] for f in r.files.values())
    return {
        "wall_s": wall,
        "compute_s": compute,
        "restarts": restarts,
        "maxrss_kb": max(rss),
        "counts": r.counts,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--model", default=os.path.join(ROOT, "experiments", "kklt_uplift.py") + ":KKLTUplift"
    )
    p.add_argument("--chunks", type=int, nargs="+", default=[32, 128, 512])
    p.add_argument("--chunk-points", type=int, default=4, help="chunks per throughput run")
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    p.add_argument("--starts", type=int, default=16)
    p.add_argument("--baseline-points", type=int, default=17)
    p.add_argument("--memory-points", type=int, nargs=2, default=[1024, 10240])
    p.add_argument("--out", default=os.path.join(HERE, "results"))
    args = p.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench_scan_")
    # No persistent compilation cache (JAX's or jaxvac's default one): every process (Dask
    # worker, memory run) compiles for itself, so "wall incl. compile" includes compilation.
    env = {k: v for k, v in os.environ.items() if k != "JAX_COMPILATION_CACHE_DIR"}
    env["JAXVAC_CACHE_DIR"] = ""
    report = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "jax": jax.__version__,
            "jaxvac": jaxvac.__version__,
            "devices": [str(d) for d in jax.devices()],
            "cpus": os.cpu_count(),
            "load_average_start": os.getloadavg(),
        },
        "model": args.model,
        "starts": args.starts,
    }
    print(f"model {args.model}, {args.starts} starts/point, devices {jax.devices()}")

    # ---- throughput vs chunk size -------------------------------------------------------
    rows = []
    for chunk in args.chunks:
        n = chunk * args.chunk_points
        cfg = config(args.model, n, chunk, args.starts)
        run = robust_run(cfg, os.path.join(tmp, f"chunk{chunk}"), env)
        vac = run["counts"]["vacua"]["successful"]
        rows.append(
            {
                "chunk": chunk,
                "points": n,
                "compute_s": run["compute_s"],
                "wall_s": run["wall_s"],
                "restarts": run["restarts"],
                "points_per_s": n / run["compute_s"],
                "vacua_per_s": vac / run["compute_s"],
                "maxrss_kb": run["maxrss_kb"],
                "dS_minima": run["counts"]["vacua"]["dS-minima"],
            }
        )
        print(
            f"chunk {chunk:5d}: {n / run['compute_s']:9.1f} points/s  {vac / run['compute_s']:9.1f} vacua/s  "
            f"(wall {run['wall_s']:.0f} s incl. compilation, {run['restarts']} hang restarts)"
        )
    report["chunk_size"] = rows

    # ---- baseline: Python loop of find_critical_points ----------------------------------
    base = baseline_loop(
        config(args.model, args.baseline_points, args.baseline_points, args.starts),
        args.baseline_points,
    )
    report["baseline_find_loop"] = base
    best = max(rows, key=lambda r: r["points_per_s"])
    report["speedup_best_chunk_vs_loop"] = best["points_per_s"] / base["points_per_s"]
    print(
        f"find loop: {base['points_per_s']:.2f} points/s -> scan at chunk {best['chunk']} is "
        f"{report['speedup_best_chunk_vs_loop']:.1f}x"
    )

    # ---- throughput vs Dask workers -------------------------------------------------------
    try:
        import distributed
    except ImportError:
        distributed = None
    wrows = []
    chunk = args.chunks[len(args.chunks) // 2]
    n = chunk * 4 * max(args.workers)
    local = robust_run(
        config(args.model, n, chunk, args.starts, seed=5), os.path.join(tmp, "local"), env
    )
    wrows.append(
        {
            "workers": 0,
            "label": "in-process, 1 chunk in flight (compute time)",
            "points": n,
            "seconds": local["compute_s"],
            "points_per_s": n / local["compute_s"],
        }
    )
    # the default: one thread per core runs chunks concurrently (jaxvac/_parallel.py)
    from jaxvac.scan._run import _in_flight

    width = _in_flight(jax.local_devices())
    timed_scan(config(args.model, chunk, chunk, args.starts, seed=97), os.path.join(tmp, "twarm"))
    wall, r = timed_scan(
        config(args.model, n, chunk, args.starts, seed=5), os.path.join(tmp, "threads")
    )
    same = r.counts == local["counts"]
    wrows.append(
        {
            "workers": 0,
            "label": f"in-process, {width} chunks in flight (default; wall, warm)",
            "points": n,
            "seconds": wall,
            "points_per_s": n / wall,
            "same_counts_as_local": same,
        }
    )
    print(
        f"in-process, {width} in flight: {n / wall:9.1f} points/s (one in flight "
        f"{n / local['compute_s']:.1f}); same counts: {same}"
    )
    if distributed is not None:
        import threading

        for w in args.workers:
            box = {}

            def run_dask(w=w, box=box):
                try:
                    _run_dask(w, box)
                except Exception as e:  # recorded in the report, not hidden as a hang
                    box["error"] = f"{type(e).__name__}: {e}"

            def _run_dask(w, box):
                with (
                    distributed.LocalCluster(
                        n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None
                    ) as cluster,
                    distributed.Client(cluster) as client,
                ):
                    box["cluster"] = cluster
                    # warm every worker's compilation (each worker compiles once)
                    timed_scan(
                        config(args.model, chunk * w, chunk, args.starts, seed=98),
                        os.path.join(tmp, f"dwarm{w}"),
                        workers=client,
                    )
                    box["wall"], box["result"] = timed_scan(
                        config(args.model, n, chunk, args.starts, seed=5),
                        os.path.join(tmp, f"dask{w}"),
                        workers=client,
                    )

            thread = threading.Thread(target=run_dask, daemon=True)
            thread.start()
            thread.join(timeout=1800)
            if "result" not in box:
                what = (
                    f"FAILED ({box['error']})"
                    if "error" in box
                    else "HUNG (no result in 30 min; XLA CPU hang in a worker? docs/scans.md)"
                )
                wrows.append(
                    {
                        "workers": w,
                        "label": f"Dask LocalCluster, {w} workers: {what}",
                        "points": n,
                        "seconds": float("nan"),
                        "points_per_s": float("nan"),
                    }
                )
                print(f"dask {w} workers: {what}")
                if "cluster" in box:
                    box["cluster"].close()
                continue
            wall, r = box["wall"], box["result"]
            same = r.counts == local["counts"]
            wrows.append(
                {
                    "workers": w,
                    "label": f"Dask LocalCluster, {w} workers (wall, warm)",
                    "points": n,
                    "seconds": wall,
                    "points_per_s": n / wall,
                    "same_counts_as_local": same,
                }
            )
            print(
                f"dask {w} workers: {n / wall:9.1f} points/s (local {n / local['compute_s']:.1f}); "
                f"same counts as local: {same}"
            )
    report["workers"] = wrows

    # ---- memory vs points -------------------------------------------------------------------
    mem = []
    for n in args.memory_points:
        run = robust_run(
            config(args.model, n, args.chunks[1], args.starts, seed=3),
            os.path.join(tmp, f"mem{n}"),
            env,
        )
        mem.append(
            {
                "points": n,
                "chunk": args.chunks[1],
                "maxrss_kb": run["maxrss_kb"],
                "seconds": run["wall_s"],
                "restarts": run["restarts"],
            }
        )
        print(
            f"memory: {n} points -> peak RSS {run['maxrss_kb'] / 1024:.0f} MiB "
            f"({run['wall_s']:.0f} s, {run['restarts']} hang restarts)"
        )
    report["memory"] = mem
    report["memory_ratio_10x_points"] = mem[-1]["maxrss_kb"] / mem[0]["maxrss_kb"]
    report["machine"]["load_average_end"] = os.getloadavg()

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "scan.json"), "w") as f:
        json.dump(report, f, indent=1)
    with open(os.path.join(args.out, "scan.md"), "w") as f:
        f.write(markdown(report))
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"wrote {args.out}/scan.json and scan.md")


def markdown(r) -> str:
    m = r["machine"]
    lines = [
        "# Scan throughput (bench/bench_scan.py)",
        "",
        f"Model `{os.path.basename(r['model'])}`, {r['starts']} starts per point, keep = successful. "
        f"{m['platform']}, {m['cpus']} CPUs, devices {m['devices']}, Python {m['python']}, jax "
        f"{m['jax']}, jaxvac {m['jaxvac']}. Load average {m['load_average_start'][0]:.1f} at start, "
        f"{m['load_average_end'][0]:.1f} at end (the machine was shared).",
        "",
        "## Throughput vs chunk size",
        "",
        "| chunk | points | compute s | points/s | vacua/s | wall s (incl. compile) | hang restarts | peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in r["chunk_size"]:
        lines.append(
            f"| {row['chunk']} | {row['points']} | {row['compute_s']:.1f} | "
            f"{row['points_per_s']:.1f} | {row['vacua_per_s']:.1f} | "
            f"{row['wall_s']:.0f} | {row['restarts']} | {row['maxrss_kb'] / 1024:.0f} |"
        )
    b = r["baseline_find_loop"]
    lines += [
        "",
        f"Baseline (a Python loop of `find_critical_points`, one parameter point per call, "
        f"compiled once): {b['points_per_s']:.2f} points/s, {b['vacua_per_s']:.2f} vacua/s "
        f"(compile {b['compile_seconds']:.1f} s). Best scan / loop: "
        f"**{r['speedup_best_chunk_vs_loop']:.1f}×**.",
        "",
        "## Throughput: chunks in flight in-process, and Dask workers",
        "",
        "| run | points | wall s | points/s |",
        "|---|---|---|---|",
    ]
    for row in r["workers"]:
        extra = (
            ""
            if "same_counts_as_local" not in row
            else (" (same counts as local)" if row["same_counts_as_local"] else " (COUNTS DIFFER)")
        )
        lines.append(
            f"| {row['label']}{extra} | {row['points']} | {row['seconds']:.1f} | "
            f"{row['points_per_s']:.1f} |"
        )
    lines += [
        "",
        "## Memory vs number of points",
        "",
        "| points | chunk | peak RSS MiB | wall s |",
        "|---|---|---|---|",
    ]
    for row in r["memory"]:
        lines.append(
            f"| {row['points']} | {row['chunk']} | {row['maxrss_kb'] / 1024:.0f} | "
            f"{row['seconds']:.0f} |"
        )
    lines += ["", f"Peak memory ratio for 10× the points: {r['memory_ratio_10x_points']:.2f}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
