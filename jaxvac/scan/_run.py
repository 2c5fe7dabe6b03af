"""Driving a scan: directory checks, resume, local devices or a Dask cluster, progress."""

from __future__ import annotations

import collections
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import jax
import numpy as np

from .._config import ensure_x64
from .._io import InputError
from .._parallel import check_threads, default_threads
from ._config import ScanConfig, read_config
from ._engine import ChunkEngine, PointSolver
from ._result import ScanResult, load_scan
from ._storage import (
    MANIFEST,
    ScanStorageError,
    _storage_error,
    check_column_names,
    chunk_files,
    chunk_table,
    new_manifest,
    read_chunk_meta,
    read_manifest,
    remove_temporaries,
    update_manifest,
    write_chunk,
)


#: XLA's CPU runtime can wedge its multi-threaded Eigen pool on large vmapped programs
#: (a chunk never finishes, every thread idle; seen here at chunk 1024-4096 on 2 cores;
#: upstream, unresolved). Single-threaded Eigen avoids it; batching, not Eigen, is what
#: parallelises a scan.
CPU_XLA_FLAG = "--xla_cpu_multi_thread_eigen=false"


def avoid_cpu_eigen_hang() -> bool:
    """Add :data:`CPU_XLA_FLAG` to ``XLA_FLAGS`` unless the user set that option or JAX's
    backends are already initialised (then it could not take effect). Returns whether the
    flag is in force for backends initialised from now on (and for Dask workers started
    from this process)."""
    from jax._src import xla_bridge

    flags = os.environ.get("XLA_FLAGS", "")
    if "xla_cpu_multi_thread_eigen" in flags:
        return CPU_XLA_FLAG in flags
    if xla_bridge.backends_are_initialized():
        return False
    os.environ["XLA_FLAGS"] = f"{flags} {CPU_XLA_FLAG}".strip()
    return True


def _version() -> str:
    from .. import __version__

    return __version__


def _config_diff(old: dict, new: dict, prefix="") -> list[str]:
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key, "<unset>"), new.get(key, "<unset>")
        if isinstance(a, dict) and isinstance(b, dict):
            out += _config_diff(a, b, f"{prefix}{key}.")
        elif a != b:
            out.append(f"{prefix}{key}: {a!r} -> {b!r}")
    return out


def _prepare_directory(config: ScanConfig, out_dir: str, resume: bool, model) -> tuple[dict, set[int]]:
    """Check/create ``out_dir``; return (manifest, completed chunk indices)."""
    fingerprint = config.fingerprint()
    exists = os.path.isdir(out_dir)
    if os.path.exists(out_dir) and not exists:
        raise InputError(f"--out {out_dir!r} exists and is not a directory.")
    entries = [e for e in os.listdir(out_dir) if not e.startswith(".")] if exists else []
    has_manifest = exists and os.path.isfile(os.path.join(out_dir, MANIFEST))
    if entries and not resume:
        raise InputError(
            f"--out {out_dir!r} is not empty; to continue the scan there use --resume, or "
            "choose a new directory."
        )
    if entries and not has_manifest:
        raise InputError(
            f"--resume: {out_dir!r} is not empty and has no {MANIFEST}: it is not a jaxvac "
            "scan directory."
        )
    if has_manifest:
        manifest = read_manifest(out_dir)
        if manifest["config_fingerprint"] != fingerprint:
            diff = _config_diff(manifest["config"], config.data)
            detail = "; ".join(diff) if diff else "the user model's or solver's source file changed"
            hint = ""
            if "solver" in config.data and "solver" not in manifest["config"]:
                hint = (" Its manifest records no point solver: it was made with the default search"
                        " (or with a point_solver= given in Python before jaxvac recorded solvers).")
            raise InputError(
                f"--resume: the configuration differs from the one the scan in {out_dir!r} "
                f"was started with ({detail}).{hint} Resume with the original configuration, or "
                "start a new scan in a new directory."
            )
    else:
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as e:
            raise _storage_error("the scan directory", out_dir, e) from e
        if not os.access(out_dir, os.W_OK):
            raise ScanStorageError(
                f"cannot write to {out_dir!r}: permission denied. Choose a writable directory."
            )
        manifest = new_manifest(config, fingerprint, model, _version())
    remove_temporaries(out_dir)
    done = set()
    for index, path in chunk_files(out_dir).items():
        meta = read_chunk_meta(path)
        if (meta is not None and meta.get("config_fingerprint") == fingerprint
                and meta.get("chunk") == index and index < config.n_chunks):
            done.add(index)
    update_manifest(out_dir, manifest, done)
    return manifest, done


def _progress_bar(config: ScanConfig, done: set[int], progress):
    if progress is None:
        progress = sys.stderr.isatty() and not os.environ.get("CI")
    if not progress:
        return None
    from tqdm.auto import tqdm

    initial = sum(config.chunk_points(i) for i in done)
    return tqdm(total=config.points, initial=initial, unit="pt", unit_scale=True,
                desc="scan", dynamic_ncols=True, smoothing=0.1)


def _select_devices(devices) -> list:
    if devices is None:
        return list(jax.local_devices())
    if isinstance(devices, int):
        local = jax.local_devices()
        if not 1 <= devices <= len(local):
            raise InputError(f"devices must be between 1 and {len(local)} (got {devices}).")
        return local[:devices]
    return list(devices)


def _chunk_meta(config: ScanConfig, fingerprint: str, index: int, counts: dict,
                seconds: float, device: str) -> dict:
    return {
        "chunk": index, "config_fingerprint": fingerprint, "counts": counts,
        "seconds": seconds, "device": device, "jaxvac_version": _version(),
    }


def compute_chunk(engine: ChunkEngine, fingerprint: str, out_dir: str, index: int,
                  device=None) -> dict:
    """Run one chunk to completion and write its file (used by Dask workers)."""
    t0 = time.perf_counter()
    values, starts = jax.device_get(engine.run(index, device))
    return _finish_chunk(engine, fingerprint, out_dir, index, values, starts,
                         time.perf_counter() - t0, device)


def _finish_chunk(engine, fingerprint, out_dir, index, values, starts, seconds, device) -> dict:
    config = engine.config
    starts = {k: np.asarray(v) for k, v in starts.items()}
    values = {k: np.asarray(v) for k, v in values.items()}
    table, counts = chunk_table(config, engine.base, index, values, starts)
    dev = str(device if device is not None else jax.devices()[0])
    meta = _chunk_meta(config, fingerprint, index, counts, seconds, dev)
    write_chunk(out_dir, index, table, meta)
    return meta


#: Chunks in flight per device: 2 lets a device compute while the host writes; 1 runs one
#: execution at a time (env JAXVAC_SCAN_IN_FLIGHT overrides; see docs/scans.md). On the CPU
#: backend at least one per core (jaxvac/_parallel.py: XLA runs an execution on ~one core).
IN_FLIGHT_PER_DEVICE = 2


def _in_flight(devices) -> int:
    env = os.environ.get("JAXVAC_SCAN_IN_FLIGHT")
    if env:
        return len(devices) * check_threads(env, "JAXVAC_SCAN_IN_FLIGHT")
    n = IN_FLIGHT_PER_DEVICE * len(devices)
    if jax.default_backend() == "cpu":
        n = max(n, default_threads())
    return n


def _run_local(engine: ChunkEngine, fingerprint, out_dir, pending, devices, on_done) -> None:
    """Run chunks round-robin over ``devices``, each from its own thread (executions started
    from one thread do not overlap; from several they do), :func:`_in_flight` at a time; the
    first runs alone (it compiles). This thread writes the chunks in order as they complete,
    so an interrupted scan has written a prefix of them and never half a chunk."""
    single = len(devices) == 1
    width = max(1, _in_flight(devices))  # checks JAXVAC_SCAN_IN_FLIGHT before any work
    queue = collections.deque(enumerate(pending))

    def run(index, device):
        out = engine.run(index, None if single else device)  # compiles on the first call
        t0 = time.perf_counter()  # so a chunk's seconds are its execution, not compilation
        values, starts = jax.device_get(out)
        return index, device, values, starts, time.perf_counter() - t0

    def finish(result):
        index, device, values, starts, seconds = result
        on_done(_finish_chunk(engine, fingerprint, out_dir, index, values, starts, seconds, device))

    if not queue:
        return
    k, index = queue.popleft()
    finish(run(index, devices[k % len(devices)]))
    pool = ThreadPoolExecutor(max_workers=width)
    inflight: collections.deque = collections.deque()
    try:
        while queue or inflight:
            while queue and len(inflight) < width:
                k, index = queue.popleft()
                inflight.append(pool.submit(run, index, devices[k % len(devices)]))
            finish(inflight.popleft().result())
    finally:  # on an error or interrupt: start nothing new, write nothing more
        pool.shutdown(wait=False, cancel_futures=True)


def scan(
    config,
    out_dir: str | os.PathLike,
    *,
    resume: bool = False,
    workers=None,
    progress: bool | None = None,
    devices=None,
    point_solver: PointSolver | None = None,
) -> ScanResult:
    """Run (or resume) a landscape scan and write it to ``out_dir`` (``docs/scans.md``).

    Args:
        config: path of a TOML configuration, a dict with the same keys, or a
            :class:`ScanConfig`.
        out_dir: the scan directory (created; must be empty unless ``resume``).
        resume: continue the scan already in ``out_dir`` (same configuration only).
        workers: ``None`` runs in this process; an int ``n`` (or ``"n"``) starts a local
            Dask cluster with ``n`` worker processes; ``"local"`` a default
            ``LocalCluster``; an address (``"tcp://host:8786"``) or a
            ``distributed.Client`` uses that cluster.
        progress: show a progress bar (default: on a terminal, not in CI).
        devices: local JAX devices to spread chunks over (default: all; an int takes the
            first n). Ignored with ``workers``.
        point_solver: replace the per-point computation (advanced; see
            :func:`jaxvac.scan._engine.search_point_solver` for the contract). The
            configuration's ``[solver]`` does the same from TOML. Either way the solver
            (its class and, for a dataclass, its fields) is recorded in the manifest and
            the fingerprint: a resume with another solver is refused.

    Returns the :class:`ScanResult` of the directory. Never raises on a bad parameter
    point: every start carries a result code. Raises ``InputError`` for bad input and
    ``ScanStorageError`` when the directory cannot be written (completed chunks are kept).
    """
    ensure_x64()
    if not isinstance(config, ScanConfig):
        config = read_config(config)
    if point_solver is not None:
        config = config.with_point_solver(point_solver)
    out_dir = os.fspath(out_dir)
    base = config.base_model()
    check_column_names(base, config.sample)
    manifest, done = _prepare_directory(config, out_dir, resume, base)
    fingerprint = manifest["config_fingerprint"]
    pending = [i for i in range(config.n_chunks) if i not in done]
    if pending:
        bar = _progress_bar(config, done, progress)

        found = [0]

        def on_done(meta):
            done.add(meta["chunk"])
            update_manifest(out_dir, manifest, done)
            found[0] += meta["counts"]["vacua"]["successful"]
            if bar is not None:
                bar.set_postfix(vacua=found[0], refresh=False)
                bar.update(meta["counts"]["points"])
        try:
            if workers is None:
                engine = ChunkEngine(config, point_solver)
                _run_local(engine, fingerprint, out_dir, pending, _select_devices(devices), on_done)
            else:
                from ._distributed import run_on_dask

                run_on_dask(config, out_dir, fingerprint, pending, workers, point_solver, on_done)
        finally:
            if bar is not None:
                bar.close()
    return load_scan(out_dir)
