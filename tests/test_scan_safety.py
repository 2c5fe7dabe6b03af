"""Issue #14: a scan directory is data — reading it runs no code; its chunks are checked
against the sha256 the manifest records; one process writes it at a time; jaxvac deletes
only its own temporaries; and models refuse parameters that are not numbers.

The refusals on the command line (one line, exit 2, nothing written) are in
``test_cli_bad_input.py``; these are the behaviours that need a scan to look at.
"""

import fcntl
import json
import os
import re
import shutil
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scanlib import QUARTIC, assert_same_rows, base_config, to_toml

from jaxvac._io import InputError
from jaxvac.cli import main
from jaxvac.models import KKLT
from jaxvac.scan import load_scan, read_config, scan
from jaxvac.scan._storage import LOCK, lock_directory, new_manifest, update_manifest


def copy_scan(reference, path):
    shutil.copytree(reference.path, path)
    return path


def edit_manifest(path, change):
    manifest = json.loads((path / "_manifest.json").read_text())
    change(manifest)
    (path / "_manifest.json").write_text(json.dumps(manifest))


def cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


# ---- reading a scan runs no code --------------------------------------------------------------


def test_plot_and_load_scan_run_nothing_the_manifest_names(reference, tmp_path, capsys):
    """A manifest naming os:system as its solver and a Python file as its model: plotting the
    scan (heat map included, whose draws are recomputed) imports and calls neither."""
    marker = tmp_path / "PWNED"
    evil = tmp_path / "evil.py"
    evil.write_text(f"open({str(marker)!r}, 'w').write('model imported')\n" + QUARTIC)
    out = copy_scan(reference, tmp_path / "shared")

    def change(m):
        m["config"]["solver"] = {"name": "os:system", "command": f"touch {marker}"}
        m["config"]["model"] = m["model_spec"] = f"{evil}:Quartic"

    edit_manifest(out, change)
    result = load_scan(out)
    assert result.complete and result.counts == reference.counts
    code, printed, err = cli(capsys, "plot", out, "--params", "v", "c")
    assert code == 0, err
    assert "parameter points with dS-minima vacua" in printed
    summary = json.loads((tmp_path / "shared.figures" / "summary.json").read_text())  # DIR.figures
    assert summary["stable_fraction"]["params"] == ["v", "c"]
    assert not marker.exists()
    assert not any(getattr(m, "__file__", None) == str(evil) for m in list(sys.modules.values()))


# ---- integrity --------------------------------------------------------------------------------


def test_manifest_records_each_chunk_checksum_and_rows(reference):
    import hashlib

    m = reference.manifest
    assert sorted(m["chunks"]) == ["0", "1", "2", "3", "4"]
    for index, file in reference.files.items():
        record = m["chunks"][str(index)]
        assert record["sha256"] == hashlib.sha256(open(file, "rb").read()).hexdigest()
        assert record["rows"] == 8 * 6  # keep = all: every start of the chunk's 8 points
    assert m["sources"]["model"]["sha256"] and m["sources"]["model"]["file"].endswith("quartic.py")


def test_damaged_chunk_is_named_on_load_and_recomputed_on_resume(
    reference, quartic_file, tmp_path, capsys
):
    out = copy_scan(reference, tmp_path / "out")
    chunk = out / "chunk-000001.parquet"
    data = bytearray(chunk.read_bytes())
    mid = len(data) // 2
    data[mid - 2048 : mid + 2048] = b"\x5a" * 4096  # 4 KB of garbage, footer intact
    chunk.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"chunk-000001.parquet is damaged \(its sha256 differs"):
        load_scan(out)
    toml = tmp_path / "scan.toml"
    toml.write_text(to_toml(base_config(quartic_file)))
    code, printed, err = cli(capsys, "scan", toml, "--out", out, "--resume")
    assert code == 0, err
    assert err.splitlines() == [
        "jaxvac scan: chunk-000001.parquet is damaged (its sha256 differs from "
        "the one the manifest records, or it does not read); recomputing it"
    ]
    assert "5/5 chunks complete" in printed
    assert_same_rows(load_scan(out).table(), reference.table())


def test_stray_chunk_files_are_not_part_of_the_scan(reference, quartic_file, tmp_path, capsys):
    out = copy_scan(reference, tmp_path / "out")
    shutil.copy(out / "chunk-000001.parquet", out / "chunk-000099.parquet")
    shutil.copy(out / "chunk-000001.parquet", out / "chunk-0000001.parquet")
    result = load_scan(out)
    assert sorted(result.files) == [0, 1, 2, 3, 4]
    assert not result.to_pandas().duplicated(["point", "start"]).any()
    assert result.counts == reference.counts
    toml = tmp_path / "scan.toml"
    toml.write_text(to_toml(base_config(quartic_file)))
    code, printed, err = cli(capsys, "scan", toml, "--out", out, "--resume")
    assert code == 0 and err == ""
    assert "5/5 chunks complete" in printed
    assert (out / "chunk-000099.parquet").exists()  # not jaxvac's: left alone


def test_scan_from_before_checksums_loads_and_resume_records_them(
    reference, quartic_file, tmp_path
):
    out = copy_scan(reference, tmp_path / "out")
    edit_manifest(out, lambda m: (m.pop("chunks"), m.pop("sources")))
    assert load_scan(out).counts == reference.counts  # as jaxvac read it before
    resumed = scan(base_config(quartic_file), out, resume=True, progress=False)
    assert resumed.manifest["chunks"] == reference.manifest["chunks"]  # verified, then recorded
    assert_same_rows(resumed.table(), reference.table())


def test_a_second_writer_is_refused_and_the_lock_is_released(reference, quartic_file, tmp_path):
    out = copy_scan(reference, tmp_path / "out")
    held = lock_directory(str(out))  # as a running scan holds it
    try:
        with pytest.raises(
            InputError, match=rf"is being written by another jaxvac process \(pid {os.getpid()}\)"
        ):
            scan(base_config(quartic_file), out, resume=True, progress=False)
    finally:
        held.close()
    scan(base_config(quartic_file), out, resume=True, progress=False)
    with open(out / LOCK) as f:  # released when the scan returned
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_only_jaxvac_temporaries_are_deleted(reference, quartic_file, tmp_path):
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / ".notes.tmp").write_text("my notes")
    (fresh / ".git").mkdir()
    scan(base_config(quartic_file), fresh, progress=False)
    assert (fresh / ".notes.tmp").read_text() == "my notes" and (fresh / ".git").is_dir()
    out = copy_scan(reference, tmp_path / "out")
    (out / ".notes.tmp").write_text("my notes")
    (out / ".chunk-000002.parquet.0123456789ab.tmp").write_bytes(b"half a chunk")
    (out / "._manifest.json.ba9876543210.tmp").write_bytes(b"half a manifest")
    scan(base_config(quartic_file), out, resume=True, progress=False)
    assert sorted(n for n in os.listdir(out) if n.startswith(".")) == [".jaxvac.lock", ".notes.tmp"]


def test_resume_names_what_changed_in_the_fingerprint(quartic_file, tmp_path):
    def started(config, out):
        """A scan directory as a scan leaves it before its first chunk."""
        cfg = read_config(config)
        manifest = new_manifest(cfg, cfg.fingerprint(), cfg.base_model(), "test")
        out.mkdir()
        update_manifest(str(out), manifest, {})
        return out

    kklt = {"model": "kklt", "points": 4, "region": {"T": [50.0, 300.0]}}
    out = started(kklt, tmp_path / "kklt")
    edit_manifest(out, lambda m: m.update(config_fingerprint="0" * 64))
    with pytest.raises(
        InputError,
        match=r"config_fingerprint 000000000000\.\.\. is not the fingerprint "
        r"of the configuration it records .*edited or damaged",
    ):
        scan(kklt, out, resume=True, progress=False)
    model = tmp_path / "quartic.py"
    model.write_text(QUARTIC)
    user = base_config(str(model))
    out = started(user, tmp_path / "user")
    model.write_text(QUARTIC + "\n# edited\n")
    with pytest.raises(
        InputError, match=rf"the source of the model file '{model}' changed \(sha256 "
    ):
        scan(user, out, resume=True, progress=False)


# ---- configuration and models -------------------------------------------------------------------


def test_chunk_larger_than_points_is_clamped(quartic_file):
    from jaxvac.scan._engine import ChunkEngine

    cfg = read_config(base_config(quartic_file, points=10, chunk=10_000_000))
    assert cfg.data["chunk"] == 10_000_000  # the configuration as written (and fingerprinted)
    assert cfg.chunk == 10 and cfg.n_chunks == 1
    assert ChunkEngine(cfg).ids(0).shape == (10,)  # was 10^7 padded points (53.7 GB)


@pytest.mark.parametrize(
    "value, message",
    [
        ("abc", "parameter 'W0' must be a number (got 'abc')"),
        ([1.0, 2.0], "parameter 'W0' must be a number (got [1.0, 2.0])"),
        (True, "parameter 'W0' must be a number (got True)"),
        (np.array([1.0, 2.0]), "parameter 'W0' must be a number (got an array of shape (2,))"),
        (np.float32(-1e-4), "parameter 'W0' is float32"),
        (np.complex64(1j), "parameter 'W0' is complex64"),
        (float("nan"), "parameter 'W0' must be finite"),
    ],
)
def test_model_refuses_a_parameter_that_is_not_a_float64_number(value, message):
    with pytest.raises(ValueError, match=re.escape(f"KKLT: {message}")):
        KKLT(W0=value)


def test_model_accepts_numbers_arrays_and_tracers():
    assert KKLT(W0=np.float64(-2e-4)).W0 == -2e-4
    assert KKLT(W0=-1e-4 + 1e-5j).W0 == -1e-4 + 1e-5j
    assert float(KKLT(W0=jnp.asarray(-3e-4)).W0) == -3e-4
    import fractions

    import mpmath

    assert KKLT(W0=mpmath.mpf("-1e-4")).W0 == mpmath.mpf("-1e-4")  # exact values pass
    assert KKLT(W0=fractions.Fraction(-1, 10000)).W0 == fractions.Fraction(-1, 10000)
    ws = jnp.asarray([-1e-4, -2e-4])
    np.testing.assert_array_equal(jax.vmap(lambda w: KKLT(W0=w).W0)(ws), ws)  # traced: not checked
    from jaxvac.models import REGISTRY

    general = REGISTRY["dps-general"]
    assert general(f_lower=(1.0, 0.0, 0.0, 0.0)).f_lower[0] == 1.0
    with pytest.raises(ValueError, match="parameter 'f_lower' must be"):
        general(f_lower=("a", 0.0, 0.0, 0.0))
