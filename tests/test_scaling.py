"""Multi-device execution (issue #21, docs/scaling.md): a search's starts and a scan chunk's
parameter points split over every local device in one program (``JAXVAC_EXECUTION=devices``,
jaxvac/_parallel.py), on 1, 2 and 4 CPU devices forced with
``XLA_FLAGS=--xla_force_host_platform_device_count=N`` (each count a fresh process: the
flag is read when the backend starts).

What "the same" means (docs/scaling.md, "Same results on any number of devices"): every
start's result code, Newton steps, representative and cluster, and every scan row's
integer columns, are identical; 2 and 4 devices agree bit for bit (the same partitioned
program, each device running it on its own rows); one device runs the unpartitioned program,
which XLA fuses differently, so its floats differ from the partitioned one's in the last
bits (relative 1e-13 on V, 1e-12 on coordinates here), far below every point's location
uncertainty.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

WORKER = textwrap.dedent("""
    import json, os, sys
    import jax
    jax.config.update("jax_enable_x64", True)
    import numpy as np
    from jaxvac import find_critical_points
    from jaxvac._io import resolve_model_class
    from jaxvac.scan import scan

    out, quartic = sys.argv[1], sys.argv[2]
    model = resolve_model_class(os.path.join({here!r}, "search_models.py:DoubleWell"))()
    info = {{"devices": len(jax.local_devices()), "modes": {{}}}}
    for tag in sys.argv[3:]:  # "threads", "devices", or "devicesN": a scan on the first N only
        mode = tag.rstrip("0123456789")
        os.environ["JAXVAC_EXECUTION"] = mode
        meta = {{}}
        if tag == mode:
            r = find_critical_points(model, starts=100, seed=3)
            leaves, _ = jax.tree_util.tree_flatten_with_path(r.search)
            np.savez(os.path.join(out, f"search-{{mode}}.npz"),
                     **{{jax.tree_util.keystr(p): np.asarray(x) for p, x in leaves}})
            meta["distinct"] = r.distinct
        cfg = {{"model": quartic, "points": 10, "starts": 4, "seed": 7, "chunk": 5,
               "keep": "all", "fixed": {{"lam": 0.5}},
               "sample": {{"c": {{"dist": "symmetric", "scale": 1.0}},
                          "v": {{"dist": "uniform", "low": 0.5, "high": 2.0}}}},
               "region": {{"x": [-3.0, 3.0]}}}}
        d = int(tag[len(mode):]) if tag != mode else None
        s = scan(cfg, os.path.join(out, f"scan-{{tag}}"), progress=False, devices=d)
        s.table().to_pandas().to_parquet(os.path.join(out, f"scan-{{tag}}.parquet"))
        manifest = json.load(open(os.path.join(out, f"scan-{{tag}}", "_manifest.json")))
        info["modes"][tag] = dict(meta, chunks=manifest["completed_chunks"])
    json.dump(info, open(os.path.join(out, "info.json"), "w"))
""").format(here=HERE)

QUARTIC = textwrap.dedent('''
    from typing import ClassVar
    import jaxvac

    class Quartic(jaxvac.PotentialModel):
        """V = c + lam (x^2 - v^2)^2."""
        fields: ClassVar[tuple[str, ...]] = ("x",)
        c: float = 0.5
        lam: float = 1.0
        v: float = 1.0

        def potential(self, phi):
            return self.c + self.lam * (phi[0] ** 2 - self.v ** 2) ** 2
''')


def _run(tmp, devices: int, modes: tuple[str, ...]) -> dict:
    out = tmp / f"dev{devices}"
    out.mkdir()
    quartic = tmp / "quartic.py"
    if not quartic.exists():
        quartic.write_text(QUARTIC)
    env = dict(
        os.environ,
        JAX_PLATFORMS="cpu",
        JAXVAC_CACHE_DIR="",
        XLA_FLAGS=f"--xla_force_host_platform_device_count={devices}",
        PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]),
    )
    p = subprocess.run(
        [sys.executable, "-c", WORKER, str(out), f"{quartic}:Quartic", *modes],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    info = json.loads((out / "info.json").read_text())
    assert info["devices"] == devices
    import pandas as pd

    runs = {}
    for tag, meta in info["modes"].items():
        search = out / f"search-{tag}.npz"
        runs[tag] = {
            "search": dict(np.load(search)) if search.exists() else None,
            "scan": pd.read_parquet(out / f"scan-{tag}.parquet"),
            **meta,
        }
    return runs


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    """One process with 4 CPU devices: the host-thread path (one device), and the devices
    path (a search and a scan on 4 devices)."""
    return _run(tmp_path_factory.mktemp("scaling4"), 4, ("threads", "devices"))


INTEGER_FIELDS = (
    ".solutions.result",
    ".solutions.steps",
    ".representative",
    ".cluster",
    ".solutions.analysis.n_negative",
    ".solutions.analysis.critical_type",
)


def _same_search(a: dict, b: dict, *, exact: bool) -> None:
    assert a.keys() == b.keys()
    for name in a:
        x, y = a[name], b[name]
        assert x.shape == y.shape and x.dtype == y.dtype, name
        if exact or x.dtype.kind != "f" or name.endswith("y0"):
            np.testing.assert_array_equal(x, y, err_msg=name, strict=True)
    for name in INTEGER_FIELDS:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
    for name in (".solutions.y", ".solutions.analysis.V"):
        np.testing.assert_allclose(a[name], b[name], rtol=1e-11, atol=1e-13, err_msg=name)


def _same_rows(t, ref, *, exact: bool) -> None:
    assert list(t.columns) == list(ref.columns) and len(t) == len(ref)
    for col in t.columns:
        a, b = t[col].to_numpy(), ref[col].to_numpy()
        if a.dtype == object:  # list columns (masses_squared...): one array per row
            a, b = np.stack(a), np.stack(b)
        if a.dtype.kind == "f" and not exact:
            np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-13, err_msg=col)
        else:
            np.testing.assert_array_equal(a, b, err_msg=col)


def _check_quartic_rows(t) -> None:
    """Every successful row a critical point of V = c + λ(x² − v²)², λ = 0.5: x = ±v with
    V = c, or x = 0 with V = c + λv⁴."""
    ok = t[t["result_code"] == 0]
    assert len(ok) >= 10 and np.all(ok["lam"] == 0.5)
    x, c, v, V = (ok[k].to_numpy() for k in ("x", "c", "v", "V"))
    at_min = np.isclose(np.abs(x), v, rtol=1e-9)
    at_max = np.abs(x) < 1e-9
    assert np.all(at_min | at_max) and at_min.any() and at_max.any()
    np.testing.assert_allclose(V[at_min], c[at_min], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(V[at_max], (c + 0.5 * v**4)[at_max], rtol=1e-12)


@pytest.mark.slow  # ~60-80 s: a subprocess compiling the search and the scan on 4 devices
def test_search_and_scan_on_4_devices(four):
    """100 starts of the tilted double well (its nine critical points: numpy roots in
    tests/search_models.py) split over 4 devices, and a 10-point scan in chunks of 5 (padded
    to 8 points on 4 devices, the padding dropped), against the host-thread path:
    the same decisions start by start and row by row, floats to the last bits."""
    threads, devices = four["threads"], four["devices"]
    assert threads["distinct"] == devices["distinct"] == 9
    _same_search(devices["search"], threads["search"], exact=False)
    assert threads["chunks"] == devices["chunks"] == [0, 1]
    _same_rows(devices["scan"], threads["scan"], exact=False)
    _check_quartic_rows(threads["scan"])


@pytest.mark.slow  # ~2 min: two more processes, each compiling the search and the scan
def test_search_and_scan_on_1_and_2_devices(four, tmp_path_factory):
    """The same in processes with 1 and 2 devices, and a scan on the first 2 of 4 devices
    (6 points a chunk): one device runs the thread path's program (bit for bit), two the
    4-device one's (bit for bit)."""
    tmp = tmp_path_factory.mktemp("scaling12")
    one, two = _run(tmp, 1, ("devices",)), _run(tmp, 2, ("devices",))
    first2 = _run(tmp, 4, ("devices2",))["devices2"]
    assert first2["chunks"] == [0, 1]
    _same_rows(first2["scan"], four["devices"]["scan"], exact=True)
    _same_search(one["devices"]["search"], four["threads"]["search"], exact=True)
    _same_rows(one["devices"]["scan"], four["threads"]["scan"], exact=True)
    _same_search(two["devices"]["search"], four["devices"]["search"], exact=True)
    _same_rows(two["devices"]["scan"], four["devices"]["scan"], exact=True)


# ---- the linear-algebra switch (jaxvac/_linalg.py, $JAXVAC_LINALG) ---------------------


def test_linalg_switch_by_platform_and_environment(monkeypatch):
    """``auto`` is the Jacobi kernels on the CPU backend (the LAPACK deadlock) and
    ``jnp.linalg`` elsewhere; ``$JAXVAC_LINALG`` overrides; a bad value names the variable."""
    import jax

    from jaxvac import _linalg as la

    monkeypatch.delenv(la.LINALG_ENV, raising=False)
    assert jax.default_backend() == "cpu" and la.linalg_backend() == "jacobi"
    monkeypatch.setenv(la.LINALG_ENV, "LAPACK")
    assert la.uses_lapack()
    monkeypatch.setenv(la.LINALG_ENV, "jacobi")
    assert not la.uses_lapack()
    monkeypatch.setenv(la.LINALG_ENV, "cusolver")
    with pytest.raises(ValueError, match="JAXVAC_LINALG must be one of auto, jacobi, lapack"):
        la.uses_lapack()


def _analyse_both_ways(monkeypatch, model, ys):
    import jax

    from jaxvac import _linalg as la
    from jaxvac import analyse_point

    out = {}
    for kernels in ("jacobi", "lapack"):
        monkeypatch.setenv(la.LINALG_ENV, kernels)
        # a fresh function: traces are cached by function, and the switch is read when tracing
        out[kernels] = jax.jit(jax.vmap(lambda y: analyse_point(model, y)))(ys)
    a, b = out["jacobi"], out["lapack"]
    np.testing.assert_array_equal(a.n_negative, b.n_negative)
    np.testing.assert_array_equal(a.critical_type, b.critical_type)
    np.testing.assert_array_equal(a.result, b.result)
    np.testing.assert_allclose(a.V, b.V, rtol=1e-14)
    scale = np.max(np.abs(np.asarray(a.masses_squared)), axis=-1, keepdims=True)
    assert np.all(np.abs(np.asarray(a.masses_squared) - b.masses_squared) <= 1e-12 * scale)
    return b


def test_analysis_is_the_same_with_either_kernels(monkeypatch):
    """The nine critical points of the tilted double well (numpy roots, tests/search_models.py)
    analysed with the Jacobi kernels and with ``jnp.linalg`` (LAPACK here, cuSOLVER on a
    GPU): the same types, result codes, masses and V to the resolution of float64, and
    each the reference's."""
    import jax.numpy as jnp
    import search_models as sm

    ref = sm.double_well_points()
    well = _analyse_both_ways(
        monkeypatch, sm.DoubleWell(), jnp.asarray(np.stack([p for p, _, _ in ref]))
    )
    assert np.all(np.asarray(well.result) == 0)
    np.testing.assert_array_equal(well.n_negative, [n for _, _, n in ref])
    np.testing.assert_allclose(well.V, [v for _, v, _ in ref], rtol=1e-13)


@pytest.mark.slow  # ~30-50 s: compiles KKLT's analysis twice
def test_supergravity_analysis_is_the_same_with_either_kernels(monkeypatch):
    """KKLT's supersymmetric AdS minimum (mpmath, tests/search_models.py), whose analysis
    factors the Kähler metric (Cholesky) and diagonalises the mass matrix, both ways."""
    import jax.numpy as jnp
    import search_models as sm

    from jaxvac.models import KKLT

    ((t, tau, V_ref, _, _),) = [c for c in sm.kklt_critical_points() if c[2] < 0 and c[1] == 0]
    kklt = _analyse_both_ways(monkeypatch, KKLT(), jnp.asarray([[float(t), float(tau)]]))
    np.testing.assert_allclose(kklt.V[0], float(V_ref), rtol=1e-12)
    assert int(kklt.n_negative[0]) == 0 and bool(kklt.susy[0])


# ---- memory and host round trips (jaxvac/_parallel.py) ---------------------------------


def _one_row(r, w):
    import jax.numpy as jnp

    M = jnp.outer(r, w) + jnp.eye(64)
    return jnp.sum(jnp.tanh(jnp.sort(M @ M, axis=1) @ M), axis=1)


def _rows_program(rows, w, *, batch_size):
    """A stand-in for a solve: each row has its own (64 × 64) temporaries (64 KB a row in
    XLA's memory analysis), ``batch_size`` rows at a time."""
    import jax

    return jax.lax.map(lambda r: _one_row(r, w), rows, batch_size=batch_size)


def test_batch_is_halved_until_the_program_fits_in_device_memory(monkeypatch):
    """``$JAXVAC_DEVICE_MEMORY`` (here; a GPU's ``memory_stats()``, the host's available
    memory on CPU) bounds the compiled program's own memory estimate (XLA's memory analysis):
    a limit a third of the 64-rows program's needs halves the batch until it fits, and the
    rows' results do not change. A bad value names the variable."""
    import jax
    import jax.numpy as jnp

    from jaxvac import _parallel as par

    rows = jnp.asarray(np.random.default_rng(0).normal(size=(64, 64)))
    w = jnp.linspace(0.0, 1.0, 64)
    monkeypatch.delenv(par.MEMORY_ENV, raising=False)
    free = par.compile_on_devices(_rows_program, rows, (w,), batch_size=64)
    full = par.program_bytes(free.compiled)
    assert free.batch == 64 and full > 64 * 64 * 64 * 8  # a row's (64 × 64) matrix each
    monkeypatch.setenv(par.MEMORY_ENV, str(full // 3))
    small = par.compile_on_devices(_rows_program, rows, (w,), batch_size=64)
    assert small.batch < 64 and par.program_bytes(small.compiled) <= full // 3
    monkeypatch.delenv(par.MEMORY_ENV)
    twice = par.compile_on_devices(_rows_program, rows, (w,), batch_size=2 * small.batch)
    assert twice.batch == 2 * small.batch and par.program_bytes(twice.compiled) > full // 3
    monkeypatch.setenv(par.MEMORY_ENV, str(full // 3))
    np.testing.assert_array_equal(
        par.map_on_devices(_rows_program, rows, (w,), batch_size=64),
        jax.jit(jax.vmap(lambda r: _one_row(r, w)))(rows),
    )
    monkeypatch.setenv(par.MEMORY_ENV, "lots")
    with pytest.raises(ValueError, match="JAXVAC_DEVICE_MEMORY must be a number of bytes"):
        par.device_memory()
    monkeypatch.delenv(par.MEMORY_ENV)
    assert par.device_memory() is None or par.device_memory() > 0


def test_host_round_trips_are_found():
    """The detector of host round trips finds a ``jax.pure_callback`` and a
    ``jax.debug.callback`` in a compiled program, and nothing in the same program without
    them (so the test below can fail)."""
    import jax
    import jax.numpy as jnp

    from jaxvac._parallel import host_round_trips

    x = jnp.arange(4.0)

    def plain(v):
        return jnp.sin(v) * 2

    def with_callback(v):
        y = jax.pure_callback(lambda a: np.cos(a), jax.ShapeDtypeStruct(v.shape, v.dtype), v)
        jax.debug.callback(lambda a: None, y)
        return plain(y)

    assert host_round_trips(jax.jit(plain).lower(x).compile().as_text()) == []
    found = host_round_trips(jax.jit(with_callback).lower(x).compile().as_text())
    assert len(found) >= 2 and all("callback" in line for line in found)


@pytest.mark.parametrize("name", ["DoubleWell", pytest.param("KKLT", marks=pytest.mark.slow)])
def test_compiled_search_has_no_host_round_trips(name):
    """The program a search runs on the devices (global phase, Newton, polish, analysis, for
    every start of a device's share) stays on the device from start to end: no Python
    callback, in/outfeed or host send/recv in its compiled text."""
    import jax
    import search_models as sm

    from jaxvac._model import canonical
    from jaxvac._parallel import compile_on_devices, host_round_trips
    from jaxvac._region import as_region, sample_starts
    from jaxvac._search import _options, _solve_rows
    from jaxvac.models import KKLT

    model = canonical(KKLT() if name == "KKLT" else getattr(sm, name)())
    region = as_region(model, None)
    y0 = sample_starts(model, region, jax.random.key(0), 8)
    program = compile_on_devices(_solve_rows, y0, (model, region, _options()), batch_size=8)
    text = program.compiled.as_text()
    assert "while" in text  # the solve loops are in this program
    assert host_round_trips(text) == []


def test_bad_execution_variable_is_refused_by_name(monkeypatch):
    """A bad ``$JAXVAC_EXECUTION`` is an ``InputError`` naming the variable and its values
    (the command line prints it as one line and exits 2, as every ``InputError``)."""
    import search_models as sm

    from jaxvac import find_critical_points
    from jaxvac._errors import InputError

    monkeypatch.setenv("JAXVAC_EXECUTION", "gpu-please")
    with pytest.raises(InputError) as e:
        find_critical_points(sm.DoubleWell(), starts=8)
    assert str(e.value) == (
        "JAXVAC_EXECUTION must be one of auto, threads, devices (got 'gpu-please')."
    )
