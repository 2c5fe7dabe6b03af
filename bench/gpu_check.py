"""One command to measure jaxvac on a GPU against the CPU of the same machine (issue #21).

    python -m bench.gpu_check              # on a GPU node: < 8 min, writes bench/results/gpu.md
    python -m bench.gpu_check --dry-run    # everything tiny on the CPU (tests/test_bench_gpu.py)

Each measurement runs in a fresh process on one platform (``JAX_PLATFORMS=cuda`` or ``cpu``;
jaxvac's switches, ``JAXVAC_EXECUTION`` and ``JAXVAC_LINALG``, then follow the platform unless
a case sets them), times the first call (compilation + run) and the best of two warm calls,
and prints one JSON line. The cases:

- **search**: ``find_critical_points`` of KKLT + uplift (D = 3e-11; experiments/kklt_uplift.py)
  and of the 7-modulus STU model (tests/search_models.py:SevenModuli) at 10⁴ and 10⁵ starts on
  the GPU (10³/10⁴ on the CPU: its rate per start does not depend on the number); verified
  critical points per second. On the GPU also with ``JAXVAC_LINALG=jacobi`` (jaxvac's
  kernels instead of cuSOLVER) and ``batch_size=8192``: the measurements behind the defaults.
- **scan**: a scan of KKLT + uplift (experiments/scan_kklt_uplift.toml's sampling, 8 starts a
  point) of 10⁵ parameter points on the GPU (2·10³ on the CPU); points per second.
- **throughput**: float64 evaluations per second of ``jaxvac.special.E3`` and of V, ∇V and
  the Hessian of the 7-modulus model, batched (10⁵ points on the GPU, 10⁴ on the CPU); and
  a float64 vs float32 matrix product (4096², GFLOP/s): the card's float64 rate (consumer
  cards: 1/32-1/64 of float32).

The report compares each GPU figure with the CPU figure of the same case (a ratio) and
records the device, its memory, the versions and the wall time. A case that fails or runs
out of its time is reported as such; the others still run. ``--budget`` (s) stops starting
new cases once spent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

#: (case, model, sizes on the GPU, sizes on the CPU, extra settings); sizes are starts or
#: points; the sizes of one side run in one process (one compilation: a search compiles its
#: program for one call of ``batch_size`` starts per device, whatever the number of starts).
FULL = [
    ("info", None, [0], [0], {}),
    ("throughput", "matmul", [4096], [1024], {}),
    ("throughput", "e3", [100_000], [10_000], {}),
    ("throughput", "seven", [100_000], [10_000], {}),
    ("search", "kklt-uplift", [10_000, 100_000], [10_000], {}),
    ("search", "seven", [10_000, 100_000], [1_000], {}),
    ("scan", "kklt-uplift", [100_000], [2_000], {}),
    ("search", "kklt-uplift", [100_000], None, {"batch_size": 8192}),
    ("search", "seven", [10_000], None, {"linalg": "jacobi"}),
]
#: The same cases, tiny, for ``--dry-run`` (both "platforms" the CPU; the "GPU" side runs
#: the devices path, JAXVAC_EXECUTION=devices, so that path is exercised too).
DRY = [
    ("info", None, [0], [0], {}),
    ("throughput", "matmul", [64], [64], {}),
    ("throughput", "e3", [256], [256], {}),
    ("throughput", "seven", [16], [16], {}),
    ("search", "kklt-uplift", [64, 128], [64], {}),
    ("search", "seven", [8], [8], {}),
    ("scan", "kklt-uplift", [8], [8], {}),
]


# ---- one measurement, in its own process ------------------------------------------------


def _best(fn, repeat=2):
    times = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def _model(name):
    sys.path.insert(0, str(ROOT / "tests"))
    from jaxvac._io import resolve_model_class

    if name == "kklt-uplift":
        return resolve_model_class(str(ROOT / "experiments" / "kklt_uplift.py:KKLTUplift"))(D=3e-11)
    return resolve_model_class(str(ROOT / "tests" / "search_models.py:SevenModuli"))()


def _info():
    import jax

    d = jax.devices()[0]
    try:
        stats = d.memory_stats() or {}
    except Exception:
        stats = {}
    from jaxvac._linalg import linalg_backend
    from jaxvac._parallel import device_memory, execution_mode

    return {
        "platform": d.platform,
        "device": getattr(d, "device_kind", str(d)),
        "devices": len(jax.devices()),
        "memory_limit": stats.get("bytes_limit"),
        "program_memory": device_memory(d),
        "execution": execution_mode(),
        "linalg": linalg_backend(),
        "jax": jax.__version__,
    }


def _throughput(model, n):
    import jax
    import jax.numpy as jnp
    import numpy as np

    rng = np.random.default_rng(0)
    if model == "matmul":
        out = {}
        for dtype in ("float32", "float64"):
            a = jnp.asarray(rng.normal(size=(n, n)), dtype)
            f = jax.jit(lambda x: x @ x)
            t0 = time.perf_counter()
            f(a).block_until_ready()
            compile_s = time.perf_counter() - t0
            run, _ = _best(lambda: f(a).block_until_ready(), 3)
            out[dtype] = {"compile_s": compile_s, "run_s": run, "gflops": 2 * n**3 / run / 1e9}
        out["f64_over_f32"] = out["float64"]["gflops"] / out["float32"]["gflops"]
        return out
    if model == "e3":
        from jaxvac.special import E3

        U = jnp.asarray(rng.uniform(-2, 2, n) + 1j * np.exp(rng.uniform(np.log(0.5), np.log(5), n)))
        f = jax.jit(E3)
        x = U
    else:
        from jaxvac._region import as_region, sample_starts

        m = _model("seven")
        x = sample_starts(m, as_region(m, None), jax.random.key(0), n)  # the search's starts
        V = m.scalar_potential
        f = jax.jit(jax.vmap(lambda p: (V(p), jax.grad(V)(p), jax.hessian(V)(p))))
    t0 = time.perf_counter()
    jax.block_until_ready(f(x))
    compile_s = time.perf_counter() - t0
    run, out = _best(lambda: jax.block_until_ready(f(x)), 3)
    finite = float(np.mean(np.isfinite(np.asarray(jax.tree.leaves(out)[0]))))
    return {"compile_s": compile_s, "run_s": run, "per_s": n / run, "finite": finite}


def _search(model, sizes, batch_size=None):
    from jaxvac import find_critical_points

    m = _model(model)
    opts = {} if batch_size is None else {"batch_size": batch_size}
    t0 = time.perf_counter()
    find_critical_points(m, starts=sizes[0], seed=0, **opts)
    out = {"first_s": time.perf_counter() - t0, "runs": []}
    for n in sizes:
        run, r = _best(lambda: find_critical_points(m, starts=n, seed=1, **opts))
        ok = int(sum(r.codes == 0))
        out["runs"].append(
            {
                "n": n,
                "run_s": run,
                "starts_per_s": n / run,
                "successful": ok,
                "successful_per_s": ok / run,
                "distinct": r.distinct,
            }
        )
    return out


def _scan(sizes):
    from jaxvac.scan import scan

    cfg = {
        "model": str(ROOT / "experiments" / "kklt_uplift.py:KKLTUplift"),
        "points": 0,
        "starts": 8,
        "seed": 2026,
        "chunk": min(max(sizes), 4096),
        "keep": "successful",
        "fixed": {"A": 1.0, "a": 0.1, "n": 2},
        "sample": {
            "W0": {"dist": "symmetric", "scale": 1e-3},
            "D": {"dist": "uniform", "low": 0.0, "high": 1e-8},
        },
        "region": {"T": [50.0, 300.0]},
        "search": {"global_steps": 0},
    }
    out = {"runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        scan(dict(cfg, points=cfg["chunk"]), os.path.join(tmp, "warm"), progress=False)
        out["first_s"] = time.perf_counter() - t0  # one chunk, compilation included
        for n in sizes:
            t0 = time.perf_counter()
            result = scan(dict(cfg, points=n), os.path.join(tmp, f"run{n}"), progress=False)
            run = time.perf_counter() - t0
            out["runs"].append(
                {"n": n, "run_s": run, "points_per_s": n / run, "rows": len(result.table())}
            )
    return out


def worker(spec: dict) -> dict:
    import jax

    jax.config.update("jax_enable_x64", True)
    case, model, sizes = spec["case"], spec["model"], spec["sizes"]
    if case == "info":
        return _info()
    if case == "throughput":
        return {"runs": [dict(_throughput(model, n), n=n) for n in sizes]}
    if case == "search":
        return _search(model, sizes, spec.get("batch_size"))
    return _scan(sizes)


# ---- the driver --------------------------------------------------------------------------


def _run_case(spec: dict, env: dict, timeout: float) -> dict:
    cmd = [sys.executable, "-m", "bench.gpu_check", "--worker", json.dumps(spec)]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=max(1.0, timeout)
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - t0
    lines = [line for line in p.stdout.splitlines() if line.startswith("{")]
    if p.returncode != 0 or not lines:
        tail = (p.stderr or p.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"error": f"exit {p.returncode}: {tail[0][:200]}"}
    out = json.loads(lines[-1])
    out["wall_s"] = wall
    return out


def _platform_env(side: str, dry: bool, extra: dict) -> dict:
    env = dict(
        os.environ,
        JAXVAC_CACHE_DIR="",
        PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    )
    env.pop("JAXVAC_EXECUTION", None)
    env.pop("JAXVAC_LINALG", None)
    if side == "cpu" or dry:
        env["JAX_PLATFORMS"] = "cpu"
    else:
        env.pop("JAX_PLATFORMS", None)  # JAX's default: the GPU
    if side == "gpu" and dry:
        env["JAXVAC_EXECUTION"] = "devices"
    if extra.get("linalg"):
        env["JAXVAC_LINALG"] = extra["linalg"]
    return env


def _label(case, model, extra):
    tail = "".join(f", {k}={v}" for k, v in extra.items())
    return f"{case} {model or ''}{tail}".strip()


def run_all(cases, dry: bool, budget: float) -> list[dict]:
    t_start = time.perf_counter()
    rows = []
    for case, model, gpu_sizes, cpu_sizes, extra in cases:
        row = {"case": case, "model": model, "extra": extra}
        for side, sizes in (("gpu", gpu_sizes), ("cpu", cpu_sizes)):
            if sizes is None:
                continue
            left = budget - (time.perf_counter() - t_start)
            if left < 5:
                row[side] = {"error": "not run: --budget spent"}
                continue
            spec = {
                "case": case,
                "model": model,
                "sizes": sizes,
                **{k: v for k, v in extra.items() if k != "linalg"},
            }
            row[side] = _run_case(spec, _platform_env(side, dry, extra), left)
            print(
                f"{_label(case, model, extra)} [{side}, {sizes}]: {json.dumps(row[side])}",
                file=sys.stderr,
                flush=True,
            )
        rows.append(row)
        if case == "info" and not dry and row["gpu"].get("platform") not in ("gpu", "cuda", "rocm"):
            row["gpu"]["error"] = (
                f"JAX sees no GPU (platform {row['gpu'].get('platform')!r}): "
                "install jaxvac[gpu] (jax[cuda12]) or use --dry-run"
            )
            break
    return rows


def _rate(result: dict, case: str, model, first) -> tuple[str, float | None]:
    if "error" in result:
        return result["error"], None
    compile_note = f"; first call {first:.1f} s" if first is not None else ""
    if case == "search":
        v = result["successful_per_s"]
        return (
            f"{v:,.0f} verified/s ({result['starts_per_s']:,.0f} starts/s, "
            f"{result['distinct']} distinct{compile_note})"
        ), v
    if case == "scan":
        v = result["points_per_s"]
        return f"{v:,.0f} points/s ({result['rows']} rows{compile_note})", v
    if model == "matmul":
        v = result["float64"]["gflops"]
        return (
            f"f64 {v:,.1f} GFLOP/s, f32 {result['float32']['gflops']:,.1f} "
            f"(f64/f32 = {result['f64_over_f32']:.3f})"
        ), v
    v = result["per_s"]
    return f"{v:,.0f} points/s (compile {result['compile_s']:.1f} s)", v


def _runs(result: dict | None) -> list:
    if result is None:
        return []
    if "error" in result:
        return [result]
    return result["runs"]


def report(rows: list[dict], dry: bool, wall: float) -> str:
    info = next((r for r in rows if r["case"] == "info"), {})
    gpu, cpu = info.get("gpu", {}), info.get("cpu", {})
    lines = [
        "# GPU check" + (" (dry run: both sides on the CPU)" if dry else ""),
        "",
        "Written by `python -m bench.gpu_check" + (" --dry-run" if dry else "") + "` "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, wall {wall:.0f} s). Each figure "
        "is the best of two or three warm calls in a fresh process per case and side; the "
        "ratio is the accelerator's rate over the CPU's (the CPU at its own size: rates per "
        "start or point do not depend on it). docs/scaling.md reads them.",
        "",
        f"- accelerator side: {gpu.get('device', '?')} × {gpu.get('devices', '?')} "
        f"({gpu.get('platform', '?')}; memory limit {gpu.get('memory_limit')}; "
        f"execution {gpu.get('execution')}, linalg {gpu.get('linalg')})",
        f"- CPU side: {cpu.get('device', '?')} ({os.cpu_count()} logical cores; "
        f"execution {cpu.get('execution')}, linalg {cpu.get('linalg')})",
        f"- jax {gpu.get('jax', cpu.get('jax', '?'))}, Python {platform.python_version()}, "
        f"{platform.machine()}",
        "",
        "| case | n | accelerator | CPU (n) | ratio |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        if r["case"] == "info":
            continue
        g, c = r.get("gpu", {}), r.get("cpu")
        cruns = _runs(c)
        ctext, cv = (
            _rate(cruns[-1], r["case"], r["model"], c.get("first_s")) if cruns else ("—", None)
        )
        cn = cruns[-1].get("n", "") if cruns else ""
        for k, run in enumerate(_runs(g)):
            gtext, gv = _rate(run, r["case"], r["model"], g.get("first_s") if k == 0 else None)
            ratio = f"{gv / cv:.2f}" if gv and cv else "—"
            lines.append(
                f"| {_label(r['case'], r['model'], r['extra'])} | {run.get('n', '—')} "
                f"| {gtext} | {ctext} ({cn}) | {ratio} |"
            )
    lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.gpu_check", description=__doc__.split("\n")[0]
    )
    p.add_argument("--dry-run", action="store_true", help="everything tiny, on the CPU")
    p.add_argument(
        "--out",
        default=None,
        help="report (default bench/results/gpu.md; gpu-dry-run.md with --dry-run)",
    )
    p.add_argument(
        "--budget",
        type=float,
        default=450.0,
        help="seconds the cases may take in all: no case starts after, and a case "
        "running then is stopped and reported (default 450: the check ends in "
        "under 8 minutes)",
    )
    p.add_argument(
        "--only",
        default=None,
        metavar="NAMES",
        help="comma-separated case or model names to run (e.g. matmul,e3,search)",
    )
    p.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(worker(json.loads(args.worker))), flush=True)
        return 0
    if args.budget <= 0:
        print("python -m bench.gpu_check: --budget must be > 0", file=sys.stderr)
        return 2
    cases = DRY if args.dry_run else FULL
    if args.only:
        names = {x.strip() for x in args.only.split(",") if x.strip()}
        known = {c for c, *_ in cases} | {m for _, m, *_ in cases if m}
        if not names <= known:
            print(
                f"python -m bench.gpu_check: --only: unknown {sorted(names - known)}; "
                f"choose from {sorted(known)}",
                file=sys.stderr,
            )
            return 2
        cases = [c for c in cases if c[0] == "info" or c[0] in names or c[1] in names]
    t0 = time.perf_counter()
    rows = run_all(cases, args.dry_run, args.budget)
    text = report(rows, args.dry_run, time.perf_counter() - t0)
    out = Path(args.out) if args.out else RESULTS / ("gpu-dry-run.md" if args.dry_run else "gpu.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    (out.with_suffix(".json")).write_text(json.dumps(rows, indent=1, default=str))
    print(text)
    if "error" in rows[0].get("gpu", {}):
        print(f"python -m bench.gpu_check: {rows[0]['gpu']['error']}", file=sys.stderr)
        return 1
    failed = [r for r in rows for side in ("gpu", "cpu") if "error" in r.get(side, {})]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
