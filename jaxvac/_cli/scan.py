"""``jaxvac scan CONFIG --out DIR [--resume] [--workers SPEC]``."""

from __future__ import annotations

import os
import sys

from .._errors import InputError

#: XLA's CPU runtime can wedge its multi-threaded Eigen pool on large vmapped programs
#: (a chunk never finishes, every thread idle; seen here at chunk 1024-4096 on 2 cores;
#: upstream, unresolved). Single-threaded Eigen avoids it; batching, not Eigen, is what
#: parallelises a scan.
CPU_XLA_FLAG = "--xla_cpu_multi_thread_eigen=false"


def avoid_cpu_eigen_hang() -> bool:
    """Add :data:`CPU_XLA_FLAG` to ``XLA_FLAGS`` unless the user set that option.

    XLA reads ``XLA_FLAGS`` once, when JAX starts its first backend, and JAX has no
    public way to ask whether that has happened (jax-ml/jax#23320). So this is called
    where it is early enough by construction: ``jaxvac scan`` runs it as its
    ``before_jax`` hook, which :func:`jaxvac.cli.main` calls before anything imports JAX.
    Processes started from here (the ``--stall-timeout`` child, Dask workers) inherit
    the variable.

    **Returns:**

    True when the flag is in force for this process: it is in ``XLA_FLAGS`` and JAX was
    not yet imported when this ran (so no backend can have started).
    """
    flags = os.environ.get("XLA_FLAGS", "")
    early = "jax" not in sys.modules
    if "xla_cpu_multi_thread_eigen" in flags:
        return early and CPU_XLA_FLAG in flags
    os.environ["XLA_FLAGS"] = f"{flags} {CPU_XLA_FLAG}".strip()
    return early


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
    p.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="scan directory (created; must be empty unless --resume)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue the scan in DIR (the configuration must be the same)",
    )
    p.add_argument(
        "--workers",
        default=None,
        metavar="SPEC",
        help="run chunks on Dask: N local worker processes, 'local', 'gpus' "
        "(one worker per GPU of this node; 'gpus:0,1' names them), or a "
        "scheduler address tcp://HOST:PORT (default: this process, all local "
        "JAX devices)",
    )
    p.add_argument(
        "--devices",
        type=int,
        default=None,
        metavar="N",
        help="use the first N local JAX devices (default: all)",
    )
    p.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="always show the progress bar (default: on a terminal only)",
    )
    p.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show the progress bar"
    )
    p.add_argument(
        "--stall-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="run the scan in a child process and restart it with --resume when no "
        "chunk completes for SECONDS (the first chunk, which compiles, gets 4x as "
        "long); a guard against XLA CPU runtime hangs (docs/scans.md)",
    )
    p.add_argument(
        "--max-restarts",
        type=int,
        default=20,
        metavar="N",
        help="with --stall-timeout: give up after N restarts (default 20)",
    )
    # before JAX is imported: docs/scans.md, "A scan that stops making progress on CPU"
    p.set_defaults(func=cmd_scan, before_jax=avoid_cpu_eigen_hang)


def cmd_scan(args) -> int:
    from ..scan._run import scan
    from ..scan._storage import ScanStorageError

    if args.devices is not None and args.devices < 1:
        raise InputError(f"--devices must be >= 1 (got {args.devices}).")
    if args.stall_timeout is not None:
        if not args.stall_timeout > 0:
            raise InputError(f"--stall-timeout must be > 0 seconds (got {args.stall_timeout}).")
        if args.max_restarts < 0:
            raise InputError(f"--max-restarts must be >= 0 (got {args.max_restarts}).")
        return supervise(args)
    try:
        result = scan(
            args.config,
            args.out,
            resume=args.resume,
            workers=args.workers,
            progress=args.progress,
            devices=args.devices,
        )
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
    cert = c.get("certified")
    if cert is not None:
        print(
            f"certified ({result.config['certify']['kind']}): {cert.get('proved', 0)} proved, "
            f"{cert.get('partial', 0)} partial, {cert.get('unproved', 0)} unproved of "
            f"{cert.get('rows', 0)} rows"
        )
    return 0


def _child_command(args, resume: bool) -> list[str]:
    cmd = [sys.executable, "-m", "jaxvac", "scan", args.config, "--out", args.out]
    if resume:
        cmd.append("--resume")
    if args.workers is not None:
        cmd += ["--workers", str(args.workers)]
    if args.devices is not None:
        cmd += ["--devices", str(args.devices)]
    if args.progress is not None:
        cmd.append("--progress" if args.progress else "--no-progress")
    return cmd


def restart_environment() -> dict:
    """The environment of a scan restarted after a stall: jaxvac's persistent compilation
    cache off (``JAXVAC_CACHE_DIR=``), so the restarted process compiles its program instead
    of loading the one the stalled process ran. An executable loaded from JAX's cache was
    reported to hang on CPU (docs/scans.md, "CPU hang"; not reproduced since, see
    docs/performance.md); this way such a hang cannot repeat in every restart. A cache the
    user configured for JAX itself (``JAX_COMPILATION_CACHE_DIR``) is left alone."""
    return dict(os.environ, JAXVAC_CACHE_DIR="")


def supervise(args) -> int:
    """Run the scan in a child process; SIGKILL and resume it whenever no chunk file
    appears for ``--stall-timeout`` seconds. Safe because chunks are written atomically
    and a resumed scan recomputes exactly the missing ones."""
    import signal
    import subprocess
    import time

    from ..scan._storage import MANIFEST, chunk_files

    resume = args.resume
    env = None  # the child inherits this environment until it stalls once
    for attempt in range(args.max_restarts + 1):
        child = subprocess.Popen(_child_command(args, resume), env=env)
        seen = len(chunk_files(args.out))
        first = True
        last = time.monotonic()
        while child.poll() is None:
            time.sleep(1.0)
            n = len(chunk_files(args.out))
            if n != seen:
                seen, last, first = n, time.monotonic(), False
            limit = args.stall_timeout * (4 if first else 1)
            if time.monotonic() - last > limit:
                child.kill()
                child.wait()
                env = restart_environment()
                print(
                    f"jaxvac scan: no chunk completed for {limit:.0f} s; restarting with "
                    f"--resume without jaxvac's compilation cache ({attempt + 1}/"
                    f"{args.max_restarts})",
                    file=sys.stderr,
                )
                break
        else:
            code = child.returncode
            if code >= 0 or code == -signal.SIGINT:
                return code
            # killed by a signal (out of memory, an operator's kill): resume too
            print(
                f"jaxvac scan: the scan process was killed by signal {-code}; restarting "
                f"with --resume ({attempt + 1}/{args.max_restarts})",
                file=sys.stderr,
            )
        # resume what the killed process started (--resume is refused where it wrote nothing)
        resume = args.resume or os.path.isfile(os.path.join(args.out, MANIFEST))
    print(
        f"jaxvac scan: error: gave up after {args.max_restarts} restarts; the completed "
        "chunks are intact (run again with --resume).",
        file=sys.stderr,
    )
    return 1
