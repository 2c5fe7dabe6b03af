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
from .._errors import InputError
from .._parallel import check_threads, default_threads, execution_mode
from .._version import __version__
from ._certified import certify_chunk
from ._config import ScanConfig, read_config
from ._distributed import connect, run_on_dask, workers_spec
from ._engine import AllDevices, ChunkEngine
from ._result import ScanResult, load_scan
from ._solvers import PointSolver
from ._storage import (
    MANIFEST,
    ScanStorageError,
    _storage_error,
    check_column_names,
    chunk_name,
    chunk_table,
    file_sha256,
    lock_directory,
    new_manifest,
    read_manifest,
    recorded_chunks,
    remove_temporaries,
    update_manifest,
    verify_chunk_file,
    write_chunk,
)


def _config_diff(old: dict, new: dict, prefix="") -> list[str]:
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key, "<unset>"), new.get(key, "<unset>")
        if isinstance(a, dict) and isinstance(b, dict):
            out += _config_diff(a, b, f"{prefix}{key}.")
        elif a != b:
            out.append(f"{prefix}{key}: {a!r} -> {b!r}")
    return out


def _fingerprint_difference(manifest: dict, config: ScanConfig) -> str:
    """What differs between a scan's manifest and ``config`` when their fingerprints do:
    the configuration, the source of a user model or solver file, or else the recorded
    fingerprint itself."""
    diff = _config_diff(manifest["config"], config.data)
    if diff:
        return "; ".join(diff)
    current = config.sources()
    recorded = manifest.get("sources")
    if isinstance(recorded, dict):
        changed = []
        for kind in sorted(set(current) | set(recorded)):
            old, new = recorded.get(kind), current.get(kind)
            old_sha = old.get("sha256") if isinstance(old, dict) else None
            new_sha = new["sha256"] if new else None
            if old_sha != new_sha:
                where = src["file"] if isinstance(src := new or old, dict) else "?"
                changed.append(
                    f"the source of the {kind} file {where!r} changed "
                    f"(sha256 {str(old_sha)[:12]}... -> {str(new_sha)[:12]}...)"
                )
        if changed:
            return "; ".join(changed)
    elif current:
        files = ", ".join(f"{kind} {s['file']!r}" for kind, s in sorted(current.items()))
        return (
            f"the source of the {files} changed since the scan started, or its manifest's "
            "config_fingerprint was edited"
        )
    return (
        f"the manifest's config_fingerprint {manifest['config_fingerprint'][:12]}... is not "
        f"the fingerprint of the configuration it records ({config.fingerprint()[:12]}...): "
        f"its {MANIFEST} was edited or damaged"
    )


def _check_directory(
    config: ScanConfig, out_dir: str, resume: bool, fingerprint: str
) -> dict | None:
    """Refuse a directory the scan cannot use, reading only: returns the manifest of the
    scan to resume, or None for a new scan (``out_dir`` absent or without visible entries)."""
    exists = os.path.isdir(out_dir)
    if os.path.exists(out_dir) and not exists:
        raise InputError(f"--out {out_dir!r} exists and is not a directory.")
    entries = [e for e in os.listdir(out_dir) if not e.startswith(".")] if exists else []
    has_manifest = exists and os.path.isfile(os.path.join(out_dir, MANIFEST))
    if not resume:
        if entries:
            raise InputError(
                f"--out {out_dir!r} is not empty; to continue the scan there use --resume, or "
                "choose a new directory."
            )
        return None
    if not has_manifest:
        if entries:
            raise InputError(
                f"--resume: {out_dir!r} is not empty and has no {MANIFEST}: it is not a jaxvac "
                "scan directory."
            )
        raise InputError(
            f"--resume: there is no scan in {out_dir!r} (no {MANIFEST}); run "
            "without --resume to start one."
        )
    manifest = read_manifest(out_dir)
    if manifest["config_fingerprint"] != fingerprint:
        hint = ""
        if "solver" in config.data and "solver" not in manifest["config"]:
            hint = (
                " Its manifest records no point solver: it was made with the default search"
                " (or with a point_solver= given in Python before jaxvac recorded solvers)."
            )
        raise InputError(
            f"--resume: the configuration differs from the one the scan in {out_dir!r} "
            f"was started with ({_fingerprint_difference(manifest, config)}).{hint} Resume "
            "with the original configuration, or start a new scan in a new directory."
        )
    return manifest


def _completed_chunks(config: ScanConfig, out_dir: str, manifest: dict, fingerprint: str) -> dict:
    """The chunks of a resumed scan that need no recomputation: index -> manifest record.
    A recorded chunk counts if its file's sha256 matches (else it is deleted, and said on
    stderr); a chunk file the manifest does not record (written just before a crash, or
    by a jaxvac that recorded no checksums) if it reads completely and is this scan's."""
    done = {}
    recorded = recorded_chunks(manifest)
    legacy = "chunks" not in manifest
    for index in range(config.n_chunks):
        path = os.path.join(out_dir, chunk_name(index))
        record = recorded.get(index)
        if not os.path.isfile(path):
            if index in recorded:
                print(
                    f"jaxvac scan: {chunk_name(index)} is missing; recomputing it", file=sys.stderr
                )
            continue
        if record is not None:
            try:
                ok = file_sha256(path) == record["sha256"]
            except OSError:
                ok = False
            if ok:
                done[index] = record
                continue
        else:
            record = verify_chunk_file(
                path, index, fingerprint, index * config.chunk, config.chunk_points(index)
            )
            if record is not None:
                done[index] = record
                continue
            if not legacy or index not in recorded:  # a torn or foreign file: just replace it
                continue
        print(
            f"jaxvac scan: {chunk_name(index)} is damaged (its sha256 differs from the one "
            f"the manifest records, or it does not read); recomputing it",
            file=sys.stderr,
        )
        try:
            os.unlink(path)
        except OSError as e:
            raise _storage_error("a damaged chunk", out_dir, e) from e
    return done


def _open_directory(
    config: ScanConfig, out_dir: str, manifest: dict | None, fingerprint: str, model
) -> tuple[dict, dict]:
    """With the directory's lock held: write the manifest of a new scan, or check the
    chunks of the one resumed. Returns (manifest, completed chunks)."""
    if manifest is None:
        entries = [e for e in os.listdir(out_dir) if not e.startswith(".")]
        if entries:  # another process started a scan here since _check_directory
            raise InputError(
                f"--out {out_dir!r} is not empty; to continue the scan there use "
                "--resume, or choose a new directory."
            )
        manifest = new_manifest(config, fingerprint, model, __version__)
        done: dict = {}
    else:
        manifest = read_manifest(out_dir)  # as it is now that no one else writes it
        if manifest["config_fingerprint"] != fingerprint:
            raise InputError(
                f"--resume: the scan in {out_dir!r} changed while starting; run again."
            )
        manifest.setdefault("sources", config.sources())
        remove_temporaries(out_dir)
        done = _completed_chunks(config, out_dir, manifest, fingerprint)
    update_manifest(out_dir, manifest, done)
    return manifest, done


def _make_directory(out_dir: str) -> None:
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as e:
        raise _storage_error("the scan directory", out_dir, e) from e
    if not os.access(out_dir, os.W_OK):
        raise ScanStorageError(
            f"cannot write to {out_dir!r}: permission denied. Choose a writable directory."
        )


def _progress_bar(config: ScanConfig, done: set[int], progress):
    if progress is None:
        progress = sys.stderr.isatty() and not os.environ.get("CI")
    if not progress:
        return None
    from tqdm.auto import tqdm

    initial = sum(config.chunk_points(i) for i in done)
    # whole parameter points: "12/40", not tqdm's unit-scaled "12.0/40.0"
    return tqdm(
        total=config.points,
        initial=initial,
        unit="pt",
        unit_scale=False,
        desc="scan",
        dynamic_ncols=True,
        smoothing=0.1,
    )


def _select_devices(devices) -> list:
    if devices is None:
        return list(jax.local_devices())
    if isinstance(devices, int):
        local = jax.local_devices()
        if not 1 <= devices <= len(local):
            raise InputError(
                f"--devices must be between 1 and {len(local)}, the number of "
                f"local JAX devices (got {devices})."
            )
        return local[:devices]
    return list(devices)


def _chunk_meta(
    config: ScanConfig, fingerprint: str, index: int, counts: dict, seconds: float, device: str
) -> dict:
    return {
        "chunk": index,
        "config_fingerprint": fingerprint,
        "counts": counts,
        "seconds": seconds,
        "device": device,
        "jaxvac_version": __version__,
    }


def compute_chunk(
    engine: ChunkEngine, fingerprint: str, out_dir: str, index: int, device=None
) -> dict:
    """Run one chunk to completion and write its file (what a Dask task runs)."""
    t0 = time.perf_counter()
    values, starts = jax.device_get(engine.run(index, device))
    return _finish_chunk(
        engine, fingerprint, out_dir, index, values, starts, time.perf_counter() - t0, device
    )


def _finish_chunk(engine, fingerprint, out_dir, index, values, starts, seconds, device) -> dict:
    """Write chunk ``index``; returns its metadata plus the file's ``sha256`` and ``rows``."""
    config = engine.config
    starts = {k: np.asarray(v) for k, v in starts.items()}
    values = {k: np.asarray(v) for k, v in values.items()}
    ids, _, n_points = engine.point_rows(index)
    table, counts = chunk_table(config, engine.base, index, values, starts, ids, n_points)
    dev = str(device if device is not None else jax.devices()[0])
    meta = _chunk_meta(config, fingerprint, index, counts, seconds, dev)
    if config.certify is not None:  # before the file exists: a chunk is certified or absent
        table, counts["certified"], meta["certify_seconds"] = certify_chunk(
            engine, index, values, table
        )
    record = write_chunk(out_dir, index, table, meta)
    return {**meta, **record}


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
    width = max(1, _in_flight(devices))
    if execution_mode() == "devices":  # each chunk one program over all the devices
        devices = [AllDevices(devices)]
        width = max(1, _in_flight(devices))
    single = len(devices) == 1
    queue = collections.deque(enumerate(pending))

    def run(index, device):
        out = engine.run(index, device if isinstance(device, AllDevices) or not single else None)
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
    """Run (or resume) a landscape scan and write it to ``out_dir`` (``jaxvac scan``;
    ``docs/scans.md``): for each sampled parameter point, every critical point in the
    region, verified and classified, written as Parquet chunks that survive crashes.

    **Arguments:**

    - `config`: path of a TOML configuration, a dict with the same keys (`model`,
      `points`, `starts`, `seed`, `chunk`, `keep`, `fixed`, `sample`, `region`, `search`),
      or a [`ScanConfig`][jaxvac.ScanConfig].
    - `out_dir`: the scan directory (created; must be empty unless `resume`).
    - `resume`: continue the scan already in `out_dir` (same configuration only).
    - `workers`: `None` runs in this process; an int `n` (or `"n"`) starts a local Dask
      cluster with `n` worker processes; `"local"` a default `LocalCluster`; an address
      (`"tcp://host:8786"`) or a `distributed.Client` uses that cluster.
    - `progress`: show a progress bar (default: on a terminal, not in CI).
    - `devices`: local JAX devices to spread chunks over (default: all; an int takes the
      first n). Ignored with `workers`.
    - `point_solver`: replace the per-point computation (advanced; see
      `jaxvac.scan._solvers.search_point_solver` for the contract). The configuration's
      `[solver]` does the same from TOML. Either way the solver (its class and, for a
      dataclass, its fields) is recorded in the manifest and the fingerprint: a resume
      with another solver is refused.

    **Returns:**

    The [`ScanResult`][jaxvac.ScanResult] of the directory. Never raises on a bad
    parameter point: every start carries a result code. Raises `InputError` for bad input
    and [`ScanStorageError`][jaxvac.ScanStorageError] when the directory cannot be written
    (completed chunks are kept).
    """
    ensure_x64()
    if not isinstance(config, ScanConfig):
        config = read_config(config)
    if point_solver is not None:
        config = config.with_point_solver(point_solver)
    out_dir = os.fspath(out_dir)
    base = config.base_model()
    check_column_names(base, config.sample, certified=config.certify is not None)
    # every option is checked, and the directory too, before anything is written
    if workers is None:
        devices = _select_devices(devices)
        _in_flight(devices)  # checks JAXVAC_SCAN_IN_FLIGHT
    else:
        workers = workers_spec(workers)
    fingerprint = config.fingerprint()
    manifest = _check_directory(config, out_dir, resume, fingerprint)
    client = cluster = None
    lock = None
    try:
        if workers is not None:
            client, cluster = connect(workers)
        if manifest is None:
            _make_directory(out_dir)
        lock = lock_directory(out_dir)
        manifest, done = _open_directory(config, out_dir, manifest, fingerprint, base)
        pending = [i for i in range(config.n_chunks) if i not in done]
        if pending:
            _run_pending(
                config,
                out_dir,
                manifest,
                done,
                pending,
                fingerprint,
                progress,
                devices,
                point_solver,
                client,
            )
    finally:
        if client is not None and workers is not None and workers[0] != "client":  # ours to close
            client.close()
        if cluster is not None:
            cluster.close()
        if lock is not None:
            lock.close()  # releases the lock (so does the end of the process, however it ends)
    return load_scan(out_dir)


def _run_pending(
    config, out_dir, manifest, done, pending, fingerprint, progress, devices, point_solver, client
) -> None:
    bar = _progress_bar(config, done, progress)
    found = [0]

    def on_done(meta):
        done[meta["chunk"]] = {"sha256": meta["sha256"], "rows": meta["rows"]}
        update_manifest(out_dir, manifest, done)
        found[0] += meta["counts"]["vacua"]["successful"]
        if bar is not None:
            bar.set_postfix(vacua=found[0], refresh=False)
            bar.update(config.chunk_points(meta["chunk"]))  # box points of an enumeration

    try:
        if client is None:
            engine = ChunkEngine(config, point_solver)
            _run_local(engine, fingerprint, out_dir, pending, devices, on_done)
        else:
            run_on_dask(
                client, config, out_dir, fingerprint, pending, point_solver, on_done, compute_chunk
            )
    finally:
        if bar is not None:
            bar.close()
