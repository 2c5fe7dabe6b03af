"""Cost of a scan's certified columns (`[certify]`, docs/scans.md): the same small
KKLT + uplift scan (W0 and D sampled, keep = "successful") without and with
`certify = true`, in the same process after a warm-up scan that compiles the chunk
function once for both.

    python bench/bench_certify_scan.py [--points 32] [--out bench/results]

Reports the wall time of each scan, their ratio, the seconds per certified row (the
`certified_seconds` column: `jaxvac.certify` at 30 digits, doubled up to 120 on failure;
the first row of a process also traces the jaxprs) and the certified rows by status.
Writes certify_scan.json and certify_scan.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

from bench_certify import machine  # noqa: E402  (this folder is on sys.path)

import jaxvac  # noqa: E402


def _config(points: int, chunk: int, certify: bool) -> dict:
    cfg = {
        "model": os.path.join(ROOT, "experiments", "kklt_uplift.py") + ":KKLTUplift",
        "points": points,
        "starts": 8,
        "seed": 1,
        "chunk": chunk,
        "keep": "successful",
        "sample": {
            "W0": {"dist": "uniform", "low": -1.2e-4, "high": -0.8e-4},
            "D": {"dist": "uniform", "low": 2e-11, "high": 4e-11},
        },
        "region": {"T": [50.0, 300.0]},
        "search": {"global_steps": 0},
    }
    if certify:
        cfg["certify"] = True
    return cfg


def _run(cfg: dict, where: str):
    shutil.rmtree(where, ignore_errors=True)
    t0 = time.perf_counter()
    result = jaxvac.run_scan(cfg, where, progress=False)
    return result, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--points", type=int, default=32)
    ap.add_argument("--chunk", type=int, default=8)
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-certify-scan-")
    try:
        _, compile_s = _run(_config(args.chunk, args.chunk, False), os.path.join(tmp, "warm"))
        plain, plain_s = _run(_config(args.points, args.chunk, False), os.path.join(tmp, "plain"))
        cert, cert_s = _run(_config(args.points, args.chunk, True), os.path.join(tmp, "cert"))
        seconds = [s for s in cert.table(["certified_seconds"]).column(0).to_pylist() if s]
        digits = cert.table(["certified_digits"]).column(0).to_pylist()
        rows = dict(
            points=args.points,
            chunk=args.chunk,
            warmup_with_compile_s=compile_s,
            scan_s=plain_s,
            certified_scan_s=cert_s,
            ratio=cert_s / plain_s,
            certified_rows=cert.counts["certified"],
            rows_per_point=cert.counts["certified"]["rows"] / args.points,
            seconds_per_row_median=statistics.median(seconds),
            seconds_per_row_mean=statistics.mean(seconds),
            seconds_per_row_max=max(seconds),
            seconds_per_point=(cert_s - plain_s) / args.points,
            digits=sorted(set(digits)),
            same_rows=plain.table().num_rows == cert.table().num_rows,
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    meta = machine()
    print(rows, flush=True)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "certify_scan.json"), "w") as fh:
        json.dump(dict(meta=meta, rows=rows), fh, indent=2)
    c = rows["certified_rows"]
    lines = [
        "# A scan's certified columns: KKLT + uplift, without and with `certify = true`",
        "",
        f"python {meta['python']}, jax {meta['jax']}, python-flint {meta['flint']}, "
        f"{meta['machine']}, {meta['cpus']} CPUs shared with other jobs (load "
        f"{meta['load']:.1f} at the end). {rows['points']} parameter points, 8 starts, chunk "
        f"{rows['chunk']}, keep = successful; the chunk function compiled once before "
        f"({rows['warmup_with_compile_s']:.1f} s).",
        "",
        "| scan (s) | certified scan (s) | ratio | certified rows (proved/partial/unproved) | "
        "s per certified row: median / mean / max | extra s per parameter point | digits |",
        "|---|---|---|---|---|---|---|",
        f"| {rows['scan_s']:.2f} | {rows['certified_scan_s']:.2f} | {rows['ratio']:.1f} | "
        f"{c['rows']} ({c['proved']}/{c['partial']}/{c['unproved']}) | "
        f"{rows['seconds_per_row_median']:.3f} / {rows['seconds_per_row_mean']:.3f} / "
        f"{rows['seconds_per_row_max']:.3f} | {rows['seconds_per_point']:.3f} | "
        f"{', '.join(map(str, rows['digits']))} |",
    ]
    with open(os.path.join(args.out, "certify_scan.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
