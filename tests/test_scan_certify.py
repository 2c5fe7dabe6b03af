"""Scans with ``[certify]`` (docs/scans.md, "Certified columns"): every written row of the
configured kind carries jaxvac.certify's verdict, the same as certify called directly;
chunks stay atomic and resumable; without the option the rows, the configuration data and
its fingerprint are those of a scan written before the option existed."""

import json
import os

import numpy as np
import pyarrow.parquet as pq
import pytest
from scanlib import assert_same_rows, base_config, to_toml

import jaxvac
from jaxvac._errors import InputError
from jaxvac._io import resolve_model_class
from jaxvac.cli import main
from jaxvac.scan import _run, load_scan, scan
from jaxvac.scan._config import read_config
from jaxvac.scan._storage import CERTIFIED_COLUMNS, ROW_COLUMNS

POINTS, CHUNK = 24, 8  # 3 chunks, the chunk shape of the shared reference scan (one compilation)


def _config(quartic_file, **certify):
    return base_config(
        quartic_file, points=POINTS, chunk=CHUNK, certify=certify or True, keep="all"
    )


@pytest.fixture(scope="module")
def certified(quartic_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("certify") / "scan"
    return scan(_config(quartic_file, kind="successful"), out, progress=False)


def test_certified_rows_agree_with_certify(certified, quartic_file):
    table = certified.table()
    assert table.schema.names[-len(CERTIFIED_COLUMNS) :] == list(CERTIFIED_COLUMNS)
    rows = table.to_pylist()
    done = [r for r in rows if r["certified"] is not None]
    # exactly the distinct successful critical points are certified; the rest are null
    want = [r for r in rows if r["result"] == "successful" and r["distinct"]]
    assert [r["start"] for r in done] == [r["start"] for r in want] and len(done) >= 2 * POINTS
    assert all(r["certified_proved"] is None for r in rows if r["certified"] is None)
    cls = resolve_model_class(f"{quartic_file}:Quartic")
    for r in done:
        model = cls(c=r["c"], lam=r["lam"], v=r["v"])
        cert = jaxvac.certify(model, np.array([r["x"]]), digits=30, max_digits=120)
        d = cert.to_dict()
        assert r["certified"] == "proved" == ("proved" if all(cert.proved.values()) else "")
        assert r["certified_type"] == d["type"] and r["certified_vacuum"] == d["vacuum"]
        assert r["certified_n_negative"] == d["n_negative"] and r["certified_V"] == d["V_ball"]
        assert r["certified_digits"] == d["precision"] and r["certified_susy"] is None
        assert r["certified_proved"] == ["existence", "uniqueness", "inertia", "sign_of_V"]
        assert r["certified_unproved"] == [] and r["certified_reasons"] == []
        # closed form: V = c + λ(x² − v²)²: minima at ±v (V = c), a maximum at 0 (V = c + λv⁴)
        at_zero = abs(r["x"]) < 1e-6 * r["v"]
        assert r["certified_type"] == ("maximum" if at_zero else "minimum")
        V = r["c"] + (r["lam"] * r["v"] ** 4 if at_zero else 0.0)
        assert r["certified_vacuum"] == ("dS" if V > 0 else "AdS")
    c = certified.counts["certified"]
    assert c == {"rows": len(done), "proved": len(done), "partial": 0, "unproved": 0}
    assert certified.manifest["config"]["certify"] == {
        "digits": 30,
        "kind": "successful",
        "max_digits": 120,
    }
    # the reading paths keep the columns
    assert certified.vacua("minima", columns=["certified_type"]).column(0).to_pylist() == [
        "minimum"
    ] * sum(r["type"] == "minimum" and r["distinct"] for r in want)
    assert list(certified.to_pandas()["certified"].dropna()) == ["proved"] * len(done)


def test_only_the_configured_kind_is_certified(quartic_file, tmp_path):
    r = scan(_config(quartic_file, kind="maxima"), tmp_path / "scan", progress=False)
    rows = r.table().to_pylist()
    got = [x["certified_type"] for x in rows if x["certified"] is not None]
    assert got == ["maximum"] * sum(
        x["type"] == "maximum" and x["distinct"] and x["result"] == "successful" for x in rows
    )
    assert got


def test_interrupted_certification_resumes(certified, quartic_file, tmp_path, monkeypatch):
    real = _run.certify_chunk

    def stop_at_chunk_1(engine, index, values, table):
        if index == 1:
            raise KeyboardInterrupt  # killed while certifying chunk 1
        return real(engine, index, values, table)

    monkeypatch.setattr(_run, "certify_chunk", stop_at_chunk_1)
    out = tmp_path / "scan"
    cfg = _config(quartic_file, kind="successful")
    with pytest.raises(KeyboardInterrupt):
        scan(cfg, out, progress=False)
    partial = load_scan(out)
    assert sorted(partial.files) == [0]  # chunk 1 was never written, not half written
    assert not [f for f in os.listdir(out) if f.endswith(".tmp")]
    monkeypatch.setattr(_run, "certify_chunk", real)
    resumed = scan(cfg, out, resume=True, progress=False)
    assert resumed.complete
    keep = [n for n in certified.table().schema.names if n != "certified_seconds"]
    assert_same_rows(resumed.table(keep), certified.table(keep))
    assert resumed.counts["certified"] == certified.counts["certified"]


def test_schema_and_fingerprint_unchanged_without_certify(quartic_file, reference):
    plain = base_config(quartic_file)
    assert read_config(plain).data == read_config({**plain, "certify": False}).data
    assert "certify" not in read_config(plain).data
    assert (
        read_config(plain).fingerprint() == read_config({**plain, "certify": False}).fingerprint()
    )
    on = read_config({**plain, "certify": True})
    assert on.fingerprint() != read_config(plain).fingerprint()
    names = reference.table().schema.names
    assert not set(names) & set(CERTIFIED_COLUMNS) and names[-len(ROW_COLUMNS) + 2 :] == list(
        ROW_COLUMNS[2:]
    )
    for f in reference.files.values():
        meta = json.loads(pq.read_schema(f).metadata[b"jaxvac"])
        assert "certified" not in meta["counts"] and "certify_seconds" not in meta


@pytest.mark.parametrize(
    "value, message",
    [
        ('"yes"', "certify must be true, false or a [certify] table"),
        ('{ kind = "bogus" }', "certify.kind must be one of successful, minima"),
        ("{ digits = 3 }", "certify.digits must be between 5 and 1000"),
        ("{ digits = 60, max_digits = 30 }", "certify.max_digits must be between 60 and 1000"),
        ("{ levels = 2 }", "certify: unknown key(s) 'levels'"),
    ],
)
def test_bad_certify_value(quartic_file, tmp_path, capsys, value, message):
    text = to_toml(base_config(quartic_file)).replace("[fixed]", f"certify = {value}\n[fixed]", 1)
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=None):
        read_config(path)
    code = main(["scan", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and message in err, err
    assert not os.path.exists(tmp_path / "out")


def test_cli_prints_certified_counts_and_plot_reads_the_scan(quartic_file, tmp_path, capsys):
    cfg = base_config(quartic_file, points=8, chunk=8, keep="successful")
    path = tmp_path / "scan.toml"
    path.write_text(to_toml(cfg) + '[certify]\nkind = "minima"\nmax_digits = 60\n')
    out = tmp_path / "scan"
    assert main(["scan", str(path), "--out", str(out), "--no-progress"]) == 0
    text = capsys.readouterr().out
    r = load_scan(out)
    n = r.counts["certified"]["rows"]
    assert n == r.counts["vacua"]["minima"] > 0
    assert f"certified (minima): {n} proved, 0 partial, 0 unproved of {n} rows" in text
    assert r.manifest["config"]["certify"] == {"digits": 30, "kind": "minima", "max_digits": 60}
    assert main(["plot", str(out), "--out", str(tmp_path / "figures")]) == 0
    assert os.path.isfile(tmp_path / "figures" / "summary.json")


@pytest.mark.slow
def test_kklt_uplift_scan_certified_rows(tmp_path):
    """A few KKLT + uplift parameter points (W0 sampled near -1e-4, D = 3e-11): the dS
    minimum and the barrier of each, certified in the scan as jaxvac.certify certifies them
    directly, at the closed-form critical points (tests/search_models.py)."""
    import search_models as sm

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cfg = {
        "model": os.path.join(root, sm.KKLT_UPLIFT),
        "points": 3,
        "starts": 8,
        "seed": 2,
        "chunk": 3,
        "keep": "successful",
        "fixed": {"D": 3e-11},
        "sample": {"W0": {"dist": "uniform", "low": -1.02e-4, "high": -0.98e-4}},
        "region": {"T": [50.0, 300.0]},
        "search": {"global_steps": 0},
        "certify": True,
    }
    result = scan(cfg, tmp_path / "scan", progress=False)
    rows = result.table().to_pylist()
    assert rows and all(r["certified"] == "proved" for r in rows)
    assert {(r["certified_type"], r["certified_vacuum"]) for r in rows} == {
        ("minimum", "dS"),
        ("saddle", "dS"),
    }
    cls = resolve_model_class(cfg["model"])
    for r in rows:
        model = cls(W0=r["W0"], D=3e-11)
        cert = jaxvac.certify(model, np.array([r["T.re"], r["T.im"]]), max_digits=120)
        d = cert.to_dict()
        assert (r["certified_type"], r["certified_vacuum"], r["certified_n_negative"]) == (
            d["type"],
            d["vacuum"],
            d["n_negative"],
        )
        assert r["certified_V"] == d["V_ball"] and r["certified_susy"] is False
        ref = sm.kklt_critical_points(W0=r["W0"], D=3e-11, t_range=(50, 300))
        t, _tau, V, Vtt, Vxx = min(ref, key=lambda p: abs(float(p[0]) - r["T.re"]))
        assert abs(float(cert.center[0].mid()) - float(t)) < 1e-9 * float(t)
        assert r["certified_type"] == ("minimum" if Vtt > 0 and Vxx > 0 else "saddle")
        assert r["certified_vacuum"] == ("dS" if V > 0 else "AdS")
