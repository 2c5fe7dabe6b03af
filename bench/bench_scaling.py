"""Throughput against the number of devices, and memory against the batch (issue #21).

- **devices**: a KKLT + uplift search (experiments/kklt_uplift.py, D = 3e-11, 4096 starts) in
  a fresh process with 1, 2 and 4 CPU devices forced by
  ``XLA_FLAGS=--xla_force_host_platform_device_count=N``, run as one program over the devices
  (``JAXVAC_EXECUTION=devices``), against the host-thread path (``JAXVAC_EXECUTION=threads``,
  one thread per core) in the 1-device process. Forced host devices are not hardware: they
  share this machine's cores, so the figures say what the sharded path costs or gains on a
  CPU, not what several GPUs give.
- **memory**: XLA's memory analysis (arguments + outputs + temporaries) of the compiled
  per-device solve program of the same search at several batches (starts per device): the
  bytes per start that :func:`jaxvac._parallel.fit_batch` divides the device's memory by.

Run: python bench/bench_scaling.py [--starts 4096] [--batches 128,1024]
(writes bench/results/scaling.json and scaling.md; a few minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results"

WORKER = r"""
import json, os, sys, time
import jax
jax.config.update("jax_enable_x64", True)
from jaxvac import find_critical_points
from jaxvac._io import resolve_model_class
model = resolve_model_class(sys.argv[1])(D=3e-11)
starts = int(sys.argv[2])
out = {"devices": len(jax.local_devices()), "modes": {}}
for mode in sys.argv[3:]:
    os.environ["JAXVAC_EXECUTION"] = mode
    t0 = time.perf_counter()
    r = find_critical_points(model, starts=starts, seed=0)
    first = time.perf_counter() - t0
    times = []
    for seed in (1, 2, 3):
        t0 = time.perf_counter()
        r = find_critical_points(model, starts=starts, seed=seed)
        times.append(time.perf_counter() - t0)
    out["modes"][mode] = {"first_s": first, "best_s": min(times), "times": times,
                          "successful": int((r.codes == 0).sum()), "distinct": r.distinct}
print(json.dumps(out))
"""

MEMORY = r"""
import json, sys
import jax
jax.config.update("jax_enable_x64", True)
from jaxvac._io import resolve_model_class
from jaxvac._model import canonical
from jaxvac._parallel import compile_on_devices, program_bytes
from jaxvac._region import as_region, sample_starts
from jaxvac._search import _options, _solve_rows
model = canonical(resolve_model_class(sys.argv[1])(D=3e-11))
region = as_region(model, None)
out = {}
for b in [int(x) for x in sys.argv[2].split(",")]:
    y0 = sample_starts(model, region, jax.random.key(0), b)
    p = compile_on_devices(_solve_rows, y0, (model, region, _options()), batch_size=b)
    m = p.compiled.memory_analysis()
    out[b] = {"bytes": program_bytes(p.compiled), "temp": m.temp_size_in_bytes,
              "arguments": m.argument_size_in_bytes, "outputs": m.output_size_in_bytes}
print(json.dumps(out))
"""


def _python(code, *args, devices=1, timeout=1200):
    env = dict(
        os.environ,
        JAX_PLATFORMS="cpu",
        JAXVAC_CACHE_DIR="",
        XLA_FLAGS=f"--xla_force_host_platform_device_count={devices}",
        PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    )
    p = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-3000:])
    return json.loads(p.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--starts", type=int, default=4096)
    ap.add_argument("--batches", default="128,1024")
    args = ap.parse_args()
    spec = str(ROOT / "experiments" / "kklt_uplift.py:KKLTUplift")
    t0 = time.time()
    load0 = os.getloadavg()
    runs = {1: _python(WORKER, spec, args.starts, "threads", "devices", devices=1)}
    for d in (2, 4):
        runs[d] = _python(WORKER, spec, args.starts, "devices", devices=d)
    memory = _python(MEMORY, spec, args.batches)
    data = {
        "starts": args.starts,
        "runs": runs,
        "memory": memory,
        "load_before": load0,
        "load_after": os.getloadavg(),
        "wall_s": time.time() - t0,
        "cores": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "scaling.json").write_text(json.dumps(data, indent=1))
    (OUT / "scaling.md").write_text(markdown(data))
    print(markdown(data))


def markdown(data) -> str:
    runs = data["runs"]
    base = runs[1]["modes"]["threads"]["best_s"]
    n = data["starts"]
    lines = [
        "# Throughput against devices, memory against batch (bench/bench_scaling.py)",
        "",
        f"KKLT + uplift (D = 3e-11), {n} starts, default search settings; best of 3 warm calls "
        f"(seeds 1-3), first call (compilation) apart. {data['cores']} cores, load average "
        f"{data['load_before'][0]:.1f} before and {data['load_after'][0]:.1f} after (the machine is "
        "shared: compare within the table, not with other files).",
        "",
        '**Forced host devices share the same cores**: 4 CPU "devices" here are 4 partitions '
        "of one program run on 2 cores, not 4 processors. The table says what the sharded path "
        "costs on a CPU against the host-thread path it replaces there (which is why the CPU "
        "default stays on threads), not what 4 GPUs give.",
        "",
        "| execution | devices | starts/s | vs threads | first call (s) | verified starts | distinct |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [("threads (JAXVAC_EXECUTION=threads)", 1, runs[1]["modes"]["threads"])]
    rows += [
        ("devices (JAXVAC_EXECUTION=devices)", d, runs[d]["modes"]["devices"]) for d in (1, 2, 4)
    ]
    for label, d, r in rows:
        lines.append(
            f"| {label} | {d} | {n / r['best_s']:,.0f} | {base / r['best_s']:.2f} | "
            f"{r['first_s']:.1f} | {r['successful']} | {r['distinct']} |"
        )
    lines += [
        "",
        "## Memory against batch",
        "",
        "XLA's memory analysis of the compiled solve program (one device, its batch of starts "
        "solved in one vmap): what `jaxvac._parallel.fit_batch` compares with a device's free "
        "memory (`memory_stats()` on a GPU; on the CPU, which reports none, the host's "
        "MemAvailable shared by the local devices; × 0.5).",
        "",
        "| starts per device | program bytes | temporaries | bytes per start |",
        "|---|---|---|---|",
    ]
    for b, m in sorted(data["memory"].items(), key=lambda kv: int(kv[0])):
        lines.append(f"| {b} | {m['bytes']:,} | {m['temp']:,} | {m['bytes'] / int(b):,.0f} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
