"""``python -m bench.gpu_check --dry-run`` (bench/gpu_check.py, issue #21): the one-command
GPU check runs on the CPU, tiny, and writes its report. The default test runs one case (the
float64/float32 matrix product, both sides); the slow one runs every case."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _dry_run(tmp_path, *extra, timeout=900):
    out = tmp_path / "gpu.md"
    env = dict(
        os.environ,
        JAX_PLATFORMS="cpu",
        PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]),
    )
    p = subprocess.run(
        [sys.executable, "-m", "bench.gpu_check", "--dry-run", "--out", str(out), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return p, out


def test_dry_run_of_one_case_writes_the_report(tmp_path):
    p, out = _dry_run(tmp_path, "--only", "matmul")
    assert p.returncode == 0, p.stderr[-2000:]
    text = out.read_text()
    assert text.startswith("# GPU check (dry run: both sides on the CPU)")
    assert "execution devices" in text and "execution threads" in text
    row = next(line for line in text.splitlines() if line.startswith("| throughput matmul"))
    # GFLOP/s of a float64 and a float32 64 × 64 product: real, positive numbers
    values = [float(x.replace(",", "")) for x in re.findall(r"f(?:64|32) ([\d,.]+) GFLOP/s", row)]
    assert len(values) == 2 and all(v > 0 for v in values)
    rows = json.loads(out.with_suffix(".json").read_text())
    assert [r["case"] for r in rows] == ["info", "throughput"]
    assert rows[0]["gpu"]["execution"] == "devices" and rows[0]["cpu"]["execution"] == "threads"
    assert rows[0]["gpu"]["linalg"] == rows[0]["cpu"]["linalg"] == "jacobi"


def test_without_a_gpu_the_real_check_stops_after_saying_so(tmp_path):
    """Without ``--dry-run`` on a machine where JAX sees no GPU, the check measures nothing
    (a CPU-vs-CPU table would read as GPU figures) and says why."""
    env = dict(
        os.environ,
        JAX_PLATFORMS="cpu",
        PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]),
    )
    out = tmp_path / "gpu.md"
    p = subprocess.run(
        [sys.executable, "-m", "bench.gpu_check", "--only", "matmul", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 1
    assert "JAX sees no GPU (platform 'cpu')" in p.stderr
    rows = json.loads(out.with_suffix(".json").read_text())
    assert [r["case"] for r in rows] == ["info"]  # nothing measured


def test_bad_arguments_are_one_line_and_exit_2(tmp_path):
    p, _ = _dry_run(tmp_path, "--only", "nosuch", timeout=120)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1
    assert "--only: unknown ['nosuch']" in p.stderr


@pytest.mark.slow  # several minutes on 2 cores: compiles every case twice (both sides)
def test_full_dry_run(tmp_path):
    """Every case, tiny: searches of KKLT + uplift and of the 7-modulus model, the scan, the
    float64 throughputs; each side finds the KKLT + uplift critical points it should."""
    p, out = _dry_run(tmp_path, "--budget", "1500", timeout=1800)
    assert p.returncode == 0, p.stderr[-3000:]
    rows = json.loads(out.with_suffix(".json").read_text())
    by = {(r["case"], r["model"]): r for r in rows}
    for side in ("gpu", "cpu"):
        search = by[("search", "kklt-uplift")][side]["runs"]
        assert all(run["successful"] > 0 and run["distinct"] >= 1 for run in search)
        assert by[("throughput", "seven")][side]["runs"][0]["finite"] == 1.0
        assert by[("scan", "kklt-uplift")][side]["runs"][0]["rows"] > 0
