"""Flux batches: sampling under the tadpole bound, enumeration chunks, identification modulo
monodromy and SL(2,ℤ), and the batched SUSY solve with physicality columns."""

import numpy as np
import pytest

import jaxvac
from jaxvac import flux
from jaxvac.flux._builtin import P11169, load_geometry


@pytest.fixture(scope="module")
def template():
    return jaxvac.canonical(P11169())


def test_sample_fluxes_respects_box_and_window():
    box = flux.FluxBox(
        low=np.array([-2] * 12), high=np.array([2] * 12), tadpole_min=0, tadpole_max=5
    )
    F, H = flux.sample_fluxes(box, 500, seed=4)
    N = np.asarray(flux.tadpole(F, H))
    assert F.shape == H.shape == (500, 6)
    assert np.all((N >= 0) & (N <= 5)) and np.all(np.abs(F) <= 2) and np.all(np.abs(H) <= 2)
    F2, _ = flux.sample_fluxes(box, 500, seed=4)
    np.testing.assert_array_equal(F, F2)  # reproducible


def test_enumeration_chunks_cover_the_box_once():
    box = flux.FluxBox(
        low=np.array([-1, -1, -1, -1]),
        high=np.array([1, 2, 1, 1]),
        tadpole_min=-100,
        tadpole_max=100,
    )
    rows = np.concatenate(
        [np.concatenate([F, H], 1) for _, F, H in flux.enumerate_fluxes(box, chunk=7)]
    )
    assert rows.shape[0] == box.size == 3 * 4 * 3 * 3
    assert len({tuple(r) for r in rows}) == box.size
    # resuming from chunk k gives the tail
    tail = np.concatenate(
        [np.concatenate([F, H], 1) for _, F, H in flux.enumerate_fluxes(box, chunk=7, start=3)]
    )
    np.testing.assert_array_equal(tail, rows[21:])


def test_reduction_identifies_dual_vacua(template):
    data = load_geometry("p11169")
    F = np.array(data["pfv"]["F"])
    H = np.array(data["pfv"]["H"])
    z = np.array([0.1 + 2.74215j, -0.3 + 2.05662j])
    tau = 0.2 + 6.8554j
    T = flux.monodromy_generators(template)
    # the same vacuum after z¹ → z¹ + 2, z² → z² − 1 and an SL(2,ℤ) transformation
    g = np.array([[2, 1], [1, 1]])
    G_F, G_H = F.copy(), H.copy()
    for mat in (T[0], T[0], np.round(np.linalg.inv(T[1])).astype(int)):
        G_F, G_H = mat @ G_F, mat @ G_H
    G_F, G_H = flux.act_on_fluxes(g, G_F, G_H)
    z2 = z + np.array([2, -1])
    tau2 = flux.act(g, tau)
    out = flux.reduce_vacua(
        template, np.stack([z, z2]), np.array([tau, tau2]), np.stack([F, G_F]), np.stack([H, G_H])
    )
    zr, tr, Fr, Hr = out
    np.testing.assert_allclose(zr[0], zr[1], atol=1e-12)
    np.testing.assert_allclose(tr[0], tr[1], atol=1e-12)
    np.testing.assert_array_equal(Fr[0], Fr[1])
    np.testing.assert_array_equal(Hr[0], Hr[1])
    # and the transformed fluxes keep the tadpole
    assert float(flux.tadpole(G_F, G_H)) == float(flux.tadpole(F, H)) == 248.0


@pytest.mark.slow
def test_flux_vacua_columns(template):
    data = load_geometry("p11169")
    F = np.array([data["pfv"]["F"]])
    H = np.array([data["pfv"]["H"]])
    # starts: the racetrack estimate z = pτ₀, two displaced copies of it and a far start
    tau0 = 6.909j
    z0 = np.array([0.4, 0.3]) * tau0
    starts = [
        flux.moduli_to_y(z0, tau0),
        flux.moduli_to_y(z0 + np.array([1.0, 0.0]), tau0),
        flux.moduli_to_y(z0, tau0 + 1.0),
        flux.moduli_to_y(z0 * 0.3, 3j),
    ]
    out = flux.flux_vacua(
        template, F, H, starts=4, seed=0, tadpole_max=276, y0=np.asarray(starts)[None]
    )
    assert out["fluxes"] == 1 and out["starts_converged"] + out["starts_failed"] == 4
    n = len(out["tau"])
    assert n >= 1
    pfv = np.argmin(np.abs(out["tau"] - 6.8554j))
    assert abs(out["tau"][pfv] - 6.8554j) < 1e-4 and abs(out["W0"][pfv] - 2.0373e-8) < 1e-11
    for col in ("F", "H", "z", "N_flux", "g_s", "W0", "lcs", "tadpole_ok", "metric_min_eig"):
        assert len(out[col]) == n
    if n:
        assert np.all(flux.in_closed_domain(out["tau"], 1e-9))
        assert np.all(np.abs(out["z"].real) <= 0.5 + 1e-9)
        assert np.all(out["residual"] < 1e-13)
        np.testing.assert_array_equal(out["N_flux"], 248.0)
        np.testing.assert_allclose(out["g_s"], 1 / out["tau"].imag, rtol=1e-12)


@pytest.mark.slow
def test_flux_scan_through_the_scan_engine(tmp_path):
    # examples/flux_scan.toml, smaller: integer flux draws, FluxSolver, chunks and resume
    import pathlib
    import subprocess
    import sys

    import pyarrow.parquet as pq

    root = pathlib.Path(__file__).resolve().parents[1] / "examples"
    text = (root / "flux_scan.toml").read_text().replace("points = 64", "points = 4")
    text = text.replace("chunk = 32", "chunk = 2")
    cfg = tmp_path / "scan.toml"
    cfg.write_text(text)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "jaxvac", "scan", str(cfg), "--out", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-2000:]
    files = sorted(out.glob("chunk-*.parquet"))
    assert len(files) == 2
    rows = sum(pq.read_table(f).num_rows for f in files)
    assert rows == 4 * 4  # points × starts
    F = pq.read_table(files[0]).column("F").to_pylist()
    assert all(len(f) == 6 and all(float(v).is_integer() and -3 <= v <= 3 for v in f) for f in F)
    # the physicality columns of flux-susy: N_flux is the signed tadpole of the row's fluxes
    t = pq.read_table(files[0])
    N = flux.tadpole(np.asarray(F, float), np.asarray(t.column("H").to_pylist(), float))
    np.testing.assert_array_equal(t.column("N_flux").to_numpy(), N)
    assert {"g_s", "W0", "metric_min_eig", "im_z_min"} <= set(t.column_names)
    assert np.all((N >= 1) & (N <= 20))  # the flux distribution's tadpole window
    r2 = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=600)
    assert r2.returncode == 0 and "2/2 chunks complete" in r2.stdout + r2.stderr
