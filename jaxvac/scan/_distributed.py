"""Running chunks on a Dask cluster (``jaxvac scan --workers``).

Chunks are the unit of work: each task computes one chunk from the configuration and the
chunk index alone and writes its Parquet file atomically into the scan directory (which
must be on a file system every worker sees, as on a SLURM cluster). Only this process
writes the manifest, as tasks complete. A worker that dies mid-task loses nothing: Dask
re-runs the task elsewhere and the recomputed chunk is identical; a chunk file written
twice is replaced atomically by the same rows.

Dask pickles task payloads and jaxvac configures no TLS or authentication: whoever can reach
a ``tcp://`` scheduler can run code on its workers, so use only a scheduler you trust
(docs/scans.md, "Safety").
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import Any

from .._config import enable_x64
from .._errors import InputError
from ._config import ScanConfig
from ._engine import ChunkEngine
from ._storage import absolute_spec

#: Compiled engines of this worker process, by configuration fingerprint.
_ENGINES: dict[str, Any] = {}

#: ``compute_chunk(engine, fingerprint, out_dir, index) -> chunk record``: what a task runs
#: (:func:`jaxvac.scan._run.compute_chunk`, given to :func:`run_on_dask` by its caller).
ComputeChunk = Callable[[ChunkEngine, str, str, int], dict]


def _chunk_task(payload: dict, index: int) -> dict:
    enable_x64()
    fp = payload["fingerprint"]
    engine = _ENGINES.get(fp)
    if engine is None:
        engine = ChunkEngine(payload["config"], payload["point_solver"])
        _ENGINES.clear()
        _ENGINES[fp] = engine
    return payload["compute_chunk"](engine, fp, payload["out_dir"], index)


def workers_spec(workers) -> tuple[str, Any]:
    """Check a ``workers`` argument before anything runs or is written: ``("client", c)``,
    ``("local", n or None)`` or ``("address", "tcp://...")``.  The value is checked first, so
    a wrong value reads the same with or without dask; then dask.distributed must import."""
    if isinstance(workers, (str, int)) and not isinstance(workers, bool):
        spec = str(workers).strip()
        if spec.isdigit() or (spec.startswith("-") and spec[1:].isdigit()):
            n = int(spec)
            if n < 1:
                raise InputError(f"--workers: need at least 1 worker (got {n}).")
            parsed = ("local", n)
        elif spec == "local":
            parsed = ("local", None)
        elif spec == "gpus" or spec.startswith("gpus:"):
            ids = [g.strip() for g in spec[5:].split(",")] if ":" in spec else None
            if ids is not None and (not all(ids) or len(set(ids)) != len(ids)):
                raise InputError(
                    f"--workers gpus:IDS takes distinct GPU ids, e.g. gpus:0,1 (got {workers!r})."
                )
            parsed = ("gpus", ids)
        elif "://" in spec or ":" in spec:
            parsed = ("address", spec)
        else:
            raise InputError(
                f"--workers must be a number of local workers, 'local', 'gpus' (one worker per "
                f"GPU), 'gpus:0,1', or a scheduler address such as tcp://host:8786 "
                f"(got {workers!r})."
            )
        _require_distributed()
        return parsed
    Client = _require_distributed()
    if isinstance(workers, Client):
        return ("client", workers)
    raise InputError(
        f"--workers must be a number of local workers, 'local', a scheduler address "
        f"or a distributed.Client (got {type(workers).__name__})."
    )


def _require_distributed():
    try:
        from distributed import Client  # optional dependency (jaxvac[distributed])
    except ImportError:
        raise InputError(
            "--workers needs dask.distributed: pip install 'jaxvac[distributed]'."
        ) from None
    return Client


def connect(spec: tuple[str, Any]) -> tuple[Any, Any]:
    """(client, cluster this call started or None) for a :func:`workers_spec`."""
    from distributed import Client, LocalCluster  # optional dependency

    kind, value = spec
    if kind == "client":
        return value, None
    if kind == "gpus":
        from ._cluster import gpu_cluster

        cluster = gpu_cluster(value)
        return Client(cluster), cluster
    if kind == "local":
        extra = {} if value is None else {"n_workers": value}
        cluster = LocalCluster(  # None: no dashboard (documented; annotated str by distributed)
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,  # pyright: ignore[reportArgumentType]
            **extra,
        )
        return Client(cluster), cluster
    try:
        return Client(value, timeout="30s"), None
    except OSError as e:
        raise InputError(f"--workers {value!r}: cannot reach the Dask scheduler ({e}).") from None


def run_on_dask(
    client,
    config: ScanConfig,
    out_dir,
    fingerprint,
    pending,
    point_solver,
    on_done,
    compute_chunk: ComputeChunk,
) -> None:
    """Submit every pending chunk to ``client``, each task running ``compute_chunk``; record
    each in the manifest (``on_done``) as it completes."""
    from distributed import as_completed  # optional dependency (jaxvac[distributed])

    specs = {"model_spec": absolute_spec(config.model_spec)}
    if config.solver_spec:
        specs["solver_spec"] = absolute_spec(config.solver_spec)
    payload = {
        "config": dataclasses.replace(config, **specs),  # loadable from the workers' folder
        "out_dir": os.path.abspath(out_dir),
        "fingerprint": fingerprint,
        "point_solver": point_solver,
        "compute_chunk": compute_chunk,
    }
    # The payload (a few strings, the configuration and two functions) travels inside each
    # task.
    # Not client.scatter(payload, broadcast=True): that names the scattered values by the
    # dict's keys ("config", ...), which collide between scans sharing a scheduler, and
    # its replication lost a key under load ("Key lost during replication", every chunk
    # then cancelled for lost dependencies; seen with 2 local workers, bench_scan.py).
    futures = [
        client.submit(
            _chunk_task,
            payload,
            i,
            key=f"jaxvac-chunk-{fingerprint[:16]}-{i}",
            pure=False,
            retries=2,
        )
        for i in pending
    ]
    try:
        for future in as_completed(futures):
            on_done(future.result())
            future.release()
    except BaseException:
        client.cancel(futures)
        raise
