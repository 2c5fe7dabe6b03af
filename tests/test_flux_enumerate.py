"""Complete flux enumeration as a scan (``[enumerate]``, docs/flux.md "Enumeration"): the
box's mixed-radix numbering, the rigid-CY count Σσ₁ through the scan engine (equal to the
direct path jaxvac.flux.rigid_enumeration), resume after a kill, and bad configurations."""

import os
import subprocess
import sys

import numpy as np
import pytest
from scanlib import assert_same_rows, to_toml

import jaxvac
from jaxvac import flux
from jaxvac._errors import InputError
from jaxvac.scan import load_scan
from jaxvac.scan._config import read_config
from jaxvac.scan._engine import ChunkEngine


def test_points_are_the_box_in_mixed_radix():
    cfg = read_config(flux.rigid_scan_config(3, chunk=64))
    box = flux.rigid_box(3)
    assert cfg.points == box.size == 7 * 7 * 3 * 3  # |F_i| <= 3, |H_i| <= 1
    assert "points" not in flux.rigid_scan_config(3, chunk=64)  # derived from the box
    engine = ChunkEngine(cfg)
    ids, given, n = engine.point_rows(5)
    # the same numbering as jaxvac.flux.FluxBox (last component fastest), F then H
    F, H = box.chunk_fluxes(5, 64)
    assert n == F.shape[0] > 0
    np.testing.assert_array_equal(given["F"][:n], F)
    np.testing.assert_array_equal(given["H"][:n], H)
    np.testing.assert_array_equal(box.decode(ids[:n]), np.concatenate([F, H], 1))
    N = flux.tadpole(given["F"][:n], given["H"][:n])
    assert np.all((np.asarray(N) >= 1) & (np.asarray(N) <= 3))
    # padding repeats the first real point, to one of chunk/8, /4, /2, chunk rows
    assert ids.shape[0] in (8, 16, 32, 64) and np.all(ids[n:] == ids[0])
    total = sum(engine.point_rows(k)[2] for k in range(cfg.n_chunks))
    assert total == sum(box.chunk_fluxes(k, 64)[0].shape[0] for k in range(box.n_chunks(64)))


def test_sampled_scans_keep_their_fingerprint():
    # computed with jaxvac before [enumerate] existed (main at 66b321a): old scan
    # directories must resume
    cfg = {
        "model": "kklt",
        "points": 100,
        "seed": 3,
        "chunk": 10,
        "sample": {"W0": {"dist": "uniform", "low": -1e-3, "high": -1e-4}},
        "region": {"T": [50.0, 300.0]},
    }
    config = read_config(cfg)
    assert "enumerate" not in config.data
    assert config.fingerprint() == (
        "4cc1dbffed732f18bda7a049da96b4aac52819e644020b8851cef4b9474abf37"
    )


@pytest.mark.parametrize(
    "change,message",
    [
        ({"enumerate": {"F": [-2, 2], "Q": [0, 1]}}, "unknown key(s) 'Q'"),
        ({"enumerate": {"F": [2, -2], "H": [-1, 1]}}, "need LOW <= HIGH"),
        ({"enumerate": {"F": [-2.5, 2], "H": [-1, 1]}}, "two integers"),
        ({"enumerate": {"F": [[-2, 2]], "H": [-1, 1]}}, "1 ranges for a parameter of 2"),
        ({"enumerate": {"F": [-2, 2], "tadpole": [1, 3]}}, "enumerate both flux vectors"),
        ({"enumerate": {}}, "[enumerate] must be a table"),
        ({"points": 7}, "leave points out"),
        ({"sample": {"F": {"dist": "integer", "low": 0, "high": 1}}}, "either enumerated"),
        ({"fixed": {"H": [0, 1]}}, "either fixed or enumerated"),
    ],
)
def test_bad_enumeration_is_refused(change, message):
    cfg = {**flux.rigid_scan_config(3, chunk=64), **change}
    with pytest.raises(InputError) as e:
        read_config(cfg)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_tadpole_needs_a_flux_model():
    cfg = {"model": "kklt", "enumerate": {"W0": [0, 1], "tadpole": [0, 1]}}
    with pytest.raises(InputError, match="not a flux model"):
        read_config(cfg)


def test_bad_enumeration_cli_exit_2(tmp_path):
    cfg = flux.rigid_scan_config(3, chunk=64)
    cfg["enumerate"]["tadpole"] = [3, 1]
    path = tmp_path / "bad.toml"
    path.write_text(to_toml(cfg))
    out = tmp_path / "out"
    r = subprocess.run(
        [sys.executable, "-m", "jaxvac", "scan", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "enumerate.tadpole" in r.stderr
    assert not out.exists()


@pytest.mark.slow
def test_rigid_count_through_the_scan_engine_and_resume(tmp_path):
    """Σ_{L≤4} σ₁(L) = 15 vacua modulo SL(2,ℤ), the same flux representatives as the
    direct path; a scan killed after some chunks and resumed writes the same rows."""
    from test_scan_resume import finish, run_and_kill

    L = 4
    cfg = tmp_path / "enum.toml"
    cfg.write_text(to_toml(flux.rigid_scan_config(L, chunk=128)))  # 2025 box points, 16 chunks
    env = dict(os.environ)
    env.update(
        JAX_PLATFORMS="cpu",
        JAX_COMPILATION_CACHE_DIR=str(tmp_path / "cache"),
        JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS="0",
        JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES="0",
    )
    cmd = [sys.executable, "-m", "jaxvac", "scan", str(cfg), "--out"]
    whole = tmp_path / "whole"
    finish(cmd + [str(whole)], env)
    ref = load_scan(whole)
    assert ref.complete and ref.manifest["chunks_total"] == 16
    got = flux.scan_vacua(ref)
    assert len(got["tau"]) == sum(flux.sigma1(n) for n in range(1, L + 1)) == 15
    np.testing.assert_array_equal(
        np.bincount(got["N_flux"], minlength=L + 1)[1:], [flux.sigma1(n) for n in (1, 2, 3, 4)]
    )
    assert np.all(flux.in_closed_domain(got["tau"], 1e-9))
    direct = flux.rigid_enumeration(L)
    key = lambda F, H: sorted(map(tuple, np.concatenate([F, H], 1).tolist()))  # noqa: E731
    assert key(got["F"], got["H"]) == key(direct["F"], direct["H"])
    # every solved flux vector is a row (keep = successful: all converge), N_flux in window
    t = ref.table()
    assert t.num_rows == ref.counts["points"] == direct["candidates"]
    assert set(np.unique(t.column("N_flux").to_numpy())) == {1.0, 2.0, 3.0, 4.0}
    # killed after 3 chunks, resumed: the same rows
    part = tmp_path / "part"
    assert run_and_kill(cmd + [str(part)], env, part, after_chunks=3, delay=0.0)
    assert not load_scan(part).complete
    finish(cmd + [str(part), "--resume"], env)
    resumed = load_scan(part)
    assert resumed.complete and resumed.counts == ref.counts
    assert_same_rows(resumed.table(), t)
    assert jaxvac.__file__.startswith(os.path.dirname(os.path.dirname(__file__)))


def test_flux_distribution_draws_inside_the_tadpole_window():
    """dist = "flux" on F: integer (F, H) in the box with 0 <= N_flux <= L, reproducible from
    (seed, point id); the window is met by every draw."""
    import jax

    from jaxvac.scan._sampling import draw_parameters, freeze

    cfg = read_config(
        {
            "model": "flux-p11169",
            "points": 64,
            "sample": {"F": {"dist": "flux", "low": -3, "high": 3, "tadpole": [0, 10]}},
        }
    )
    base = cfg.base_model()
    draw = jax.jit(jax.vmap(lambda pid: draw_parameters(freeze(cfg.sample), base, 0, pid)))
    v = draw(np.arange(64))
    F, H = np.asarray(v["F"]), np.asarray(v["H"])
    assert F.shape == H.shape == (64, 6)
    assert np.all(np.isfinite(F)) and np.all(F == np.round(F)) and np.all(np.abs(H) <= 3)
    N = np.asarray(flux.tadpole(F, H))
    assert np.all((N >= 0) & (N <= 10))
    assert len({tuple(r) for r in np.concatenate([F, H], 1)}) > 60  # not one vector repeated
    again = draw(np.arange(64))
    np.testing.assert_array_equal(np.asarray(again["H"]), H)
    assert cfg.data["sample"]["F"]["tadpole"] == [0, 10]


def test_flux_distribution_marks_a_missed_window_nan():
    import jax

    from jaxvac.scan._sampling import Flux

    # N = F·ΣH of length-2 vectors with entries in {0} is 0: the window [1, 1] is never met
    F, H = Flux(0, 0, (1, 1), tries=3).draw(jax.random.key(0), (2,))
    assert np.all(np.isnan(F)) and np.all(np.isnan(H))


@pytest.mark.parametrize(
    "sample,message",
    [
        ({"F": {"dist": "flux", "low": -1, "high": 1, "tadpole": [2, 1]}}, "MIN <= MAX"),
        ({"F": {"dist": "flux", "low": -1, "high": 1}}, "tadpole must be"),
        (
            {
                "F": {"dist": "flux", "low": -1, "high": 1, "tadpole": [0, 1]},
                "H": {"dist": "integer", "low": 0, "high": 1},
            },
            "draws H too",
        ),
        ({"H": {"dist": "flux", "low": -1, "high": 1, "tadpole": [0, 1]}}, "given on F"),
    ],
)
def test_bad_flux_distribution_is_refused(sample, message):
    with pytest.raises(InputError) as e:
        read_config({"model": "flux-rigid", "points": 4, "sample": sample})
    assert message in str(e.value) and "\n" not in str(e.value)


@pytest.mark.slow
def test_enumeration_split_over_two_devices(tmp_path):
    """The sharded path (one program over several devices, as on GPUs): an enumeration's
    chunk rows (ids and enumerated values) split over two host devices give the same vacua."""
    code = (
        "import numpy as np, jax; from jaxvac import flux; from jaxvac.scan import scan\n"
        "assert len(jax.devices()) == 2\n"
        f"r = scan(flux.rigid_scan_config(3, chunk=64), {str(tmp_path / 'out')!r}, progress=False)\n"
        "v = flux.scan_vacua(r); d = flux.rigid_enumeration(3)\n"
        "key = lambda a: sorted(map(tuple, np.concatenate([a['F'], a['H']], 1).tolist()))\n"
        "assert len(v['tau']) == 8 and key(v) == key(d) and r.counts['points'] == d['candidates']\n"
    )
    env = dict(os.environ)
    env.update(
        JAX_PLATFORMS="cpu",
        JAX_ENABLE_X64="1",  # the library refuses float32 (CI does not set it)
        JAXVAC_EXECUTION="devices",
        XLA_FLAGS="--xla_force_host_platform_device_count=2",
    )
    r = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stderr[-2000:]
