"""Dask clusters of GPU workers (jaxvac/scan/_cluster.py, docs/scaling.md): one worker per
GPU through ``CUDA_VISIBLE_DEVICES``, stood in for here by CPU workers; the SLURM job
script dask-jobqueue generates (skipped without dask-jobqueue: ``pip install
'jaxvac[cluster]'``)."""

from __future__ import annotations

import os

import pytest

from jaxvac._errors import InputError


def test_workers_spec_for_gpus():
    from jaxvac.scan._distributed import workers_spec

    pytest.importorskip("distributed")
    assert workers_spec("gpus") == ("gpus", None)
    assert workers_spec("gpus:0,3") == ("gpus", ["0", "3"])
    for bad in ("gpus:0,0", "gpus:", "gpus:1,,2"):
        with pytest.raises(InputError, match="takes distinct GPU ids"):
            workers_spec(bad)


def test_visible_gpus_follow_cuda_visible_devices(monkeypatch):
    from jaxvac.scan._cluster import visible_gpus

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "2,5")
    assert visible_gpus() == ["2", "5"]
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert visible_gpus() == []
    from jaxvac.scan._cluster import gpu_cluster

    pytest.importorskip("distributed")
    with pytest.raises(InputError, match="no GPU found"):
        gpu_cluster()


def test_one_worker_per_gpu_each_seeing_its_own():
    """Two "GPU" workers (CPU stand-ins: JAX_PLATFORMS=cpu): each a process of its own with
    one thread, ``CUDA_VISIBLE_DEVICES`` its GPU, float64 on and no preallocation."""
    distributed = pytest.importorskip("distributed")
    from jaxvac.scan._cluster import gpu_cluster

    with (
        gpu_cluster(["0", "1"], env={"JAX_PLATFORMS": "cpu"}) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.wait_for_workers(2, timeout=120)
        seen = client.run(
            lambda: (
                os.getpid(),
                os.environ.get("CUDA_VISIBLE_DEVICES"),
                os.environ.get("JAX_ENABLE_X64"),
                os.environ.get("XLA_PYTHON_CLIENT_PREALLOCATE"),
            )
        )
        threads = {w["name"]: w["nthreads"] for w in client.scheduler_info()["workers"].values()}
    assert sorted(v[1] for v in seen.values()) == ["0", "1"]
    assert len({v[0] for v in seen.values()}) == 2
    assert all(v[2:] == ("1", "false") for v in seen.values())
    assert threads == {"gpu-0": 1, "gpu-1": 1}


def test_slurm_job_script_holds_one_gpu_and_one_worker():
    """The batch script of :func:`slurm_gpu_cluster` (nothing submitted): one GPU
    (``--gres=gpu:1``), the partition and account given, the worker environment, one Dask
    worker process with one thread."""
    pytest.importorskip("dask_jobqueue")
    from jaxvac.scan._cluster import slurm_gpu_cluster

    cluster = slurm_gpu_cluster(
        queue="gpu",
        account="myproj",
        walltime="01:30:00",
        scheduler_options={"dashboard_address": ":0"},
    )
    try:
        script = cluster.job_script()
    finally:
        cluster.close()
    lines = script.splitlines()
    assert lines[0].startswith("#!")
    for directive in (
        "#SBATCH -p gpu",
        "#SBATCH -A myproj",
        "#SBATCH -t 01:30:00",
        "#SBATCH --gres=gpu:1",
        "#SBATCH --cpus-per-task=4",
    ):
        assert directive in lines, directive
    assert (
        "export JAX_ENABLE_X64=1" in lines and "export XLA_PYTHON_CLIENT_PREALLOCATE=false" in lines
    )
    worker = [line for line in lines if "distributed.cli.dask_worker" in line]
    assert len(worker) == 1 and worker[0].count("--nthreads") == 1 and "--nthreads 1" in worker[0]
    assert "--nworkers" not in worker[0]  # one worker process per job


@pytest.mark.slow  # ~1 min: each worker process compiles the scan
def test_scan_on_the_gpu_cluster_stand_in_has_the_local_rows(tmp_path):
    """A scan run on two "GPU" workers (``--workers gpus:0,1``'s cluster, CPU stand-ins)
    writes the rows a local run writes, bit for bit (each chunk is computed from the
    configuration and its index alone)."""
    distributed = pytest.importorskip("distributed")
    import numpy as np
    from test_scaling import QUARTIC

    from jaxvac.scan import scan
    from jaxvac.scan._cluster import gpu_cluster

    (tmp_path / "quartic.py").write_text(QUARTIC)
    cfg = {
        "model": f"{tmp_path / 'quartic.py'}:Quartic",
        "points": 12,
        "starts": 4,
        "seed": 7,
        "chunk": 4,
        "keep": "all",
        "fixed": {"lam": 0.5},
        "sample": {
            "c": {"dist": "symmetric", "scale": 1.0},
            "v": {"dist": "uniform", "low": 0.5, "high": 2.0},
        },
        "region": {"x": [-3.0, 3.0]},
    }
    local = scan(cfg, tmp_path / "local", progress=False).table().to_pandas()
    env = {"JAX_PLATFORMS": "cpu", "JAXVAC_CACHE_DIR": ""}
    with gpu_cluster(["0", "1"], env=env) as cluster, distributed.Client(cluster) as client:
        remote = scan(cfg, tmp_path / "gpus", workers=client, progress=False).table().to_pandas()
    assert len(remote) == len(local) > 0
    for col in local.columns:
        a, b = remote[col].to_numpy(), local[col].to_numpy()
        if a.dtype == object:
            a, b = np.stack(a), np.stack(b)
        np.testing.assert_array_equal(a, b, err_msg=col)
