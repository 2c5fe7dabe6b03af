"""``jaxvac scan CONFIG --out DIR [--resume] [--workers SPEC]``."""

from __future__ import annotations

import sys

from .._io import InputError


def register(sub) -> None:
    p = sub.add_parser(
        "scan",
        help="landscape scan: draw parameter points, find and classify their vacua, "
        "write a Parquet dataset",
        description="Run a landscape scan described by a TOML configuration (keys in "
        "docs/scans.md) and write one Parquet file per chunk plus a manifest to DIR. "
        "An interrupted scan continues with --resume.",
    )
    p.add_argument("config", metavar="CONFIG", help="scan configuration (TOML)")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="scan directory (created; must be empty unless --resume)")
    p.add_argument("--resume", action="store_true",
                   help="continue the scan in DIR (the configuration must be the same)")
    p.add_argument("--workers", default=None, metavar="SPEC",
                   help="run chunks on Dask: N local worker processes, 'local', or a "
                   "scheduler address tcp://HOST:PORT (default: this process, all local "
                   "JAX devices)")
    p.add_argument("--devices", type=int, default=None, metavar="N",
                   help="use the first N local JAX devices (default: all)")
    p.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="always show the progress bar (default: on a terminal only)")
    p.add_argument("--no-progress", dest="progress", action="store_false",
                   help="never show the progress bar")
    p.set_defaults(func=cmd_scan)


def cmd_scan(args) -> int:
    from ..scan._run import avoid_cpu_eigen_hang, scan
    from ..scan._storage import ScanStorageError

    avoid_cpu_eigen_hang()  # before any JAX backend starts (docs/scans.md, "CPU hang")

    if args.devices is not None and args.devices < 1:
        raise InputError(f"--devices must be >= 1 (got {args.devices}).")
    try:
        result = scan(args.config, args.out, resume=args.resume, workers=args.workers,
                      progress=args.progress, devices=args.devices)
    except ScanStorageError as e:
        print(f"jaxvac scan: error: {e}", file=sys.stderr)
        return 1
    c = result.counts
    vacua = c.get("vacua", {})
    print(
        f"{result.path}: {c.get('points', 0)} parameter points, {c.get('starts', 0)} starts, "
        f"{vacua.get('successful', 0)} distinct critical points ({vacua.get('minima', 0)} "
        f"minima, {vacua.get('dS-minima', 0)} dS minima); "
        f"{len(result.files)}/{result.manifest['chunks_total']} chunks complete"
    )
    return 0
