"""Dask clusters of GPU workers: one worker process per GPU on a node, and SLURM jobs of one
GPU each through dask-jobqueue (``docs/scaling.md``).

Each worker sees exactly one GPU (``CUDA_VISIBLE_DEVICES``), runs one chunk at a time
(``nthreads=1``) and, by :func:`jaxvac._parallel.execution_mode`, runs each chunk as one
program on its GPU. Chunks are computed from the configuration and their index alone
(:mod:`jaxvac.scan._distributed`), so which GPU computes which chunk does not matter.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from typing import Any

from .._errors import InputError

#: Environment of every GPU worker, besides its ``CUDA_VISIBLE_DEVICES``: float64 on, JAX
#: allocating GPU memory as it needs it (not 75% up front, so a worker's memory statistics
#: say what is free: jaxvac/_parallel.py, ``device_memory``).
GPU_WORKER_ENV = {"JAX_ENABLE_X64": "1", "XLA_PYTHON_CLIENT_PREALLOCATE": "false"}


def visible_gpus() -> list[str]:
    """The GPUs this node offers, as ``CUDA_VISIBLE_DEVICES`` entries: that variable's list
    if set, else one index per line of ``nvidia-smi --list-gpus`` (empty without it). JAX is
    not started (it would take memory on every GPU)."""
    env = os.environ.get("CUDA_VISIBLE_DEVICES")
    if env is not None:
        return [g.strip() for g in env.split(",") if g.strip() and g.strip() != "-1"]
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return []
    try:
        out = subprocess.run([smi, "--list-gpus"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return []
    lines = [line for line in out.stdout.splitlines() if line.startswith("GPU ")]
    return [str(i) for i in range(len(lines))]


def gpu_worker_specs(gpus: Sequence[str], *, env: dict[str, str] | None = None) -> dict[str, Any]:
    """The worker specification of a ``distributed.SpecCluster``: one single-threaded
    ``Nanny`` per GPU in ``gpus``, named ``gpu-<id>``, its environment
    :data:`GPU_WORKER_ENV` plus ``CUDA_VISIBLE_DEVICES=<id>`` (and ``env``)."""
    from distributed import Nanny  # optional dependency (jaxvac[distributed])

    gpus = [str(g) for g in gpus]
    if not gpus or len(set(gpus)) != len(gpus):
        raise InputError(f"a GPU cluster needs distinct GPU ids (got {gpus!r}).")
    return {
        f"gpu-{g}": {
            "cls": Nanny,
            "options": {
                "nthreads": 1,
                "env": {**GPU_WORKER_ENV, **(env or {}), "CUDA_VISIBLE_DEVICES": g},
            },
        }
        for g in gpus
    }


def gpu_cluster(gpus: Sequence[str] | None = None, *, env: dict[str, str] | None = None):
    """A ``distributed.SpecCluster`` on this node with one worker per GPU (default: every
    GPU of :func:`visible_gpus`); ``env`` adds to each worker's environment. Use it as
    ``jaxvac.run_scan(config, out, workers=distributed.Client(cluster))``, or from the
    command line ``jaxvac scan CONFIG --out DIR --workers gpus``."""
    from distributed import Scheduler, SpecCluster  # optional dependency

    gpus = visible_gpus() if gpus is None else list(gpus)
    if not gpus:
        raise InputError(
            "--workers gpus: no GPU found (CUDA_VISIBLE_DEVICES is empty or nvidia-smi lists none)."
        )
    scheduler = {"cls": Scheduler, "options": {"dashboard_address": None}}
    return SpecCluster(workers=gpu_worker_specs(gpus, env=env), scheduler=scheduler)


#: dask-jobqueue ``SLURMCluster`` settings of :func:`slurm_gpu_cluster`: one GPU, one Dask
#: worker (one process, one thread) per job; SLURM sets the job's CUDA_VISIBLE_DEVICES.
SLURM_DEFAULTS = {
    "cores": 1,  # Dask threads of the worker: one chunk at a time
    "job_cpu": 4,  # CPU cores booked per job (--cpus-per-task): compilation, Parquet writing
    "memory": "32GB",  # host memory of a job
    "processes": 1,
    "walltime": "04:00:00",
    "job_extra_directives": ["--gres=gpu:1"],
    "job_script_prologue": [f"export {k}={v}" for k, v in GPU_WORKER_ENV.items()],
}


def slurm_gpu_cluster(**options):
    """A dask-jobqueue ``SLURMCluster`` whose jobs each hold one GPU and run one Dask worker
    (:data:`SLURM_DEFAULTS`; ``options`` override them, lists are replaced, e.g.
    ``queue="gpu", account="myproj", job_script_prologue=[..., "module load cuda"]``).
    Nothing is submitted until ``cluster.scale(jobs=N)``; ``cluster.job_script()`` shows
    the batch script. Needs ``pip install 'jaxvac[cluster]'``."""
    try:
        # optional dependency (jaxvac[cluster]); the documented name, not marked as re-exported
        from dask_jobqueue import SLURMCluster  # pyright: ignore[reportPrivateImportUsage]
    except ImportError:
        raise InputError(
            "a SLURM cluster needs dask-jobqueue: pip install 'jaxvac[cluster]'."
        ) from None
    return SLURMCluster(**{**SLURM_DEFAULTS, **options})
