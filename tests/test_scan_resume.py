"""Crash safety: `jaxvac scan` killed with SIGKILL at random moments, then resumed, gives
exactly the rows of an uninterrupted run — none lost, none duplicated; and the same scan
spread over two (host) devices gives the same rows.

The subprocesses share a persistent JAX compilation cache: only the first one compiles, and
all of them run the same compiled program, so their rows are equal bit for bit (rows from
separately compiled programs can differ in the last bits; docs/scans.md, "Reproducibility").
"""

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from scanlib import assert_same_rows, base_config, to_toml

from jaxvac.scan import load_scan
from jaxvac.scan._storage import chunk_files

POINTS, CHUNK = 120, 8  # 15 chunks


@pytest.fixture(scope="module")
def config_file(quartic_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("resume") / "scan.toml"
    path.write_text(to_toml(base_config(quartic_file, points=POINTS, chunk=CHUNK)))
    return path


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    cache = tmp_path_factory.mktemp("jax-cache")
    env = dict(os.environ)
    env.update(
        JAX_PLATFORMS="cpu",
        JAX_COMPILATION_CACHE_DIR=str(cache),
        JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS="0",
        JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES="0",
    )
    env.pop("XLA_FLAGS", None)
    return env


@pytest.fixture(scope="module")
def uninterrupted(config_file, env, tmp_path_factory):
    out = tmp_path_factory.mktemp("resume") / "uninterrupted"
    finish(_cmd(config_file, out, False), env)
    return load_scan(out)


def _cmd(config_file, out, resume):
    cmd = [sys.executable, "-m", "jaxvac", "scan", str(config_file), "--out", str(out)]
    return cmd + (["--resume"] if resume else [])


def run_and_kill(cmd, env, out, after_chunks: int, delay: float) -> bool:
    """Start ``cmd``; SIGKILL it ``delay`` s after ``after_chunks`` chunk files exist.
    Returns True if it was killed (False if it finished first)."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 420
    try:
        while proc.poll() is None:
            assert time.time() < deadline, "the scan made no progress for 7 minutes"
            if len(chunk_files(out)) >= after_chunks:
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return proc.returncode == -signal.SIGKILL
            time.sleep(0.002)
        assert proc.returncode == 0, proc.stderr.read().decode()
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def finish(cmd, env):
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done


def check_same(out, uninterrupted):
    result = load_scan(out)
    assert result.complete and result.manifest["complete"]
    assert result.manifest["completed_chunks"] == list(range(POINTS // CHUNK))
    assert not [n for n in os.listdir(out) if n.endswith(".tmp")]
    assert result.counts == uninterrupted.counts
    assert_same_rows(result.table(), uninterrupted.table())
    t = result.to_pandas()
    assert not t.duplicated(["point", "start"]).any()


def test_kill_and_resume(config_file, env, uninterrupted, tmp_path):
    out = tmp_path / "out"
    killed = run_and_kill(_cmd(config_file, out, False), env, out, after_chunks=2, delay=0.0)
    n_before = len(chunk_files(out))
    assert killed and 2 <= n_before < POINTS // CHUNK
    finish(_cmd(config_file, out, True), env)
    check_same(out, uninterrupted)


@pytest.mark.slow
def test_killed_many_times_at_random_moments(config_file, env, uninterrupted, tmp_path):
    rng = random.Random(20240601)
    out = tmp_path / "out"
    kills = 0
    for attempt in range(6):
        # kill at a random moment: after a random number of chunks, plus a random delay
        # that lands anywhere inside a chunk's compute or write
        after = rng.randint(0, POINTS // CHUNK - 1) if attempt else 0
        # --resume once a manifest exists (it is refused where a kill came before one)
        started = (out / "_manifest.json").exists()
        killed = run_and_kill(
            _cmd(config_file, out, started), env, out, after, delay=rng.uniform(0.0, 0.3)
        )
        kills += killed
    assert kills >= 4
    finish(_cmd(config_file, out, True), env)
    check_same(out, uninterrupted)


@pytest.mark.slow
def test_two_host_devices_same_rows(config_file, env, uninterrupted, tmp_path):
    out = tmp_path / "out"
    env2 = dict(env, XLA_FLAGS="--xla_force_host_platform_device_count=2")
    finish(_cmd(config_file, out, False), env2)
    check_same(out, uninterrupted)
    result = load_scan(out)
    devices = {m["device"] for m in _metas(result)}
    assert devices == {"cpu:0", "cpu:1"}  # chunks alternate between the two devices


def _metas(result):
    from jaxvac.scan._storage import read_chunk_meta

    return [read_chunk_meta(p) for p in result.files.values()]


@pytest.mark.slow
def test_dask_worker_killed_mid_scan_same_rows(
    config_file, env, uninterrupted, tmp_path, monkeypatch
):
    """A 2-worker LocalCluster; one worker is SIGKILLed once the first chunk is written.
    Dask re-runs its task elsewhere; the rows equal the local run's."""
    distributed = pytest.importorskip("distributed")
    import threading

    from jaxvac.scan import scan

    for key, value in env.items():  # the workers share the compilation cache
        monkeypatch.setenv(key, value)
    out = tmp_path / "out"
    killed = {}
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        pids = client.run(os.getpid)

        def killer():
            deadline = time.time() + 300
            while time.time() < deadline and not chunk_files(out):
                time.sleep(0.002)
            killed["files"] = len(chunk_files(out))
            os.kill(next(iter(pids.values())), signal.SIGKILL)

        thread = threading.Thread(target=killer)
        thread.start()
        result = scan(str(config_file), out, workers=client, progress=False)
        thread.join()
    assert 1 <= killed["files"] < POINTS // CHUNK  # killed mid-scan
    assert result.complete
    check_same(out, uninterrupted)


@pytest.mark.slow
def test_dask_scan_on_a_shared_scheduler_uses_its_own_configuration(
    config_file, env, uninterrupted, tmp_path, monkeypatch
):
    """Another client's data already held on the scheduler under the names of a scan's
    settings ("config", "out_dir", ...): the scan still computes its own chunks into its own
    directory. (It once scattered its settings as a dict, whose keys are global on the
    scheduler: a second scatter under the same keys silently got the first one's values.)"""
    distributed = pytest.importorskip("distributed")
    from jaxvac.scan import scan

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out, other = tmp_path / "out", tmp_path / "other"
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        held = client.scatter(  # noqa: F841 - keeps the scattered data alive
            {
                "config": {"points": 1},
                "out_dir": str(other),
                "fingerprint": "0" * 64,
                "model_spec": "elsewhere.py:Other",
                "point_solver": None,
                "solver_spec": None,
            },
            broadcast=True,
        )
        result = scan(str(config_file), out, workers=client, progress=False)
    assert result.complete
    assert not other.exists()
    check_same(out, uninterrupted)


@pytest.mark.slow
def test_cli_workers_spec_starts_a_local_cluster(config_file, env, uninterrupted, tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    done = finish(_cmd(config_file, out, False) + ["--workers", "2"], env)
    assert "15/15 chunks complete" in done.stdout
    check_same(out, uninterrupted)


@pytest.mark.slow
def test_stall_timeout_restarts_a_hung_scan(config_file, env, uninterrupted, tmp_path):
    """A scan that stops making progress (its process frozen with SIGSTOP, as an XLA CPU
    hang freezes it) is killed and resumed by --stall-timeout; rows equal the reference."""
    psutil = pytest.importorskip("psutil")
    out = tmp_path / "out"
    cmd = _cmd(config_file, out, False) + ["--stall-timeout", "10"]
    sup = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while not chunk_files(out):
        assert time.time() < deadline and sup.poll() is None
        time.sleep(0.002)
    children = psutil.Process(sup.pid).children()
    assert len(children) == 1
    children[0].suspend()  # SIGSTOP: no chunk will complete any more
    stdout, stderr = sup.communicate(timeout=600)
    assert sup.returncode == 0, stderr
    assert "restarting with --resume" in stderr
    check_same(out, uninterrupted)
