"""Where `jaxvac plot` writes, in which formats, and what a scan directory looks like to its
readers afterwards (issue #17: figures written inside the Parquet dataset folder made
``pd.read_parquet(DIR)`` and ``pyarrow.dataset.dataset(DIR)`` fail); the repr of a
ScanResult; ScanResult.to_pandas without pandas. Copies of test_scan's reference scan.
The refusals (a folder inside the scan, an unknown format) are rows of test_cli_bad_input."""

import os
import shutil
import sys

import pyarrow.dataset as pads
import pytest

from jaxvac.cli import main
from jaxvac.scan import load_scan

FIGURES = ("lambda_histogram", "stable_fraction", "mass_spectra")


def names(folder):
    return sorted(os.listdir(folder))


def test_plot_writes_next_to_the_scan_which_stays_a_dataset(reference, tmp_path, capsys):
    pd = pytest.importorskip("pandas")
    scan_dir = tmp_path / "x"
    shutil.copytree(reference.path, scan_dir)
    before = names(scan_dir)
    assert main(["plot", str(scan_dir), "--params", "v", "c"]) == 0
    printed = capsys.readouterr().out
    figures = tmp_path / "x.figures"  # DIR.figures, next to DIR
    assert names(figures) == sorted([f"{f}.png" for f in FIGURES] + ["summary.json"])
    assert (
        f"figures in {figures}: lambda_histogram.png, stable_fraction.png, mass_spectra.png"
        in printed
    )
    assert names(scan_dir) == before  # nothing written into the dataset folder
    rows = reference.table().num_rows
    assert len(pd.read_parquet(scan_dir)) == rows
    assert pads.dataset(scan_dir, format="parquet").to_table().num_rows == rows
    assert pads.dataset(str(scan_dir)).count_rows() == rows


def test_plot_formats_pdf_and_svg(reference, tmp_path, capsys):
    out = tmp_path / "figs"
    assert (
        main(
            ["plot", reference.path, "--out", str(out), "--format", "pdf,svg", "--params", "v", "c"]
        )
        == 0
    )
    capsys.readouterr()
    expected = [f"{f}.{ext}" for f in FIGURES for ext in ("pdf", "svg")]
    assert names(out) == sorted(expected + ["summary.json"])
    for f in FIGURES:
        assert (out / f"{f}.pdf").read_bytes()[:5] == b"%PDF-"
        assert b"<svg" in (out / f"{f}.svg").read_bytes()[:2000]


def test_readers_ignore_files_that_are_not_chunks(reference, tmp_path, capsys):
    """A scan plotted by an earlier jaxvac has DIR/figures/*.png: load_scan (and all of
    jaxvac's readers, which read the chunks the manifest records) ignore it and other files;
    plot says how to make the folder readable by pandas again."""
    scan_dir = tmp_path / "old"
    shutil.copytree(reference.path, scan_dir)
    (scan_dir / "figures").mkdir()
    (scan_dir / "figures" / "mass_spectra.png").write_bytes(b"\x89PNG\r\n\x1a\n not parquet")
    (scan_dir / "notes.txt").write_text("my notes\n")
    result = load_scan(scan_dir)
    assert result.table().num_rows == reference.table().num_rows
    assert result.vacua("minima").num_rows == reference.counts["vacua"]["minima"]
    # pyarrow itself needs to be told (docs/scans.md): only *.parquet, or skip invalid files
    t = pads.dataset(scan_dir, format="parquet", exclude_invalid_files=True).to_table()
    assert t.num_rows == reference.table().num_rows
    assert main(["plot", str(scan_dir), "--out", str(tmp_path / "f"), "--params", "v", "c"]) == 0
    assert (
        f"note: {scan_dir / 'figures'} (written there by an earlier jaxvac plot)"
        in capsys.readouterr().out
    )


def test_scan_result_repr_is_a_summary(reference):
    c = reference.counts
    text = repr(reference)
    assert text.startswith(
        f"ScanResult({reference.path!r}: Quartic, 5/5 chunks (complete) • "
        "40 parameter points, 240 starts • "
    )
    v = c["vacua"]
    assert f"{v['successful']} critical points: {v['minima']} minima" in text
    assert f"{c['points_with']['dS-minima']}/40 points with a dS minimum" in text
    assert "\n" not in text and "config" not in text and "sha256" not in text and len(text) < 400
    html = reference._repr_html_()
    assert "<table" in html and html.count("<tr>") == 1 + len(v)


def test_scan_to_pandas_without_pandas_is_one_clear_line(reference, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` fails
    with pytest.raises(ImportError) as e:
        reference.to_pandas()
    assert str(e.value) == (
        "ScanResult.to_pandas() needs pandas, which is not installed: "
        "pip install 'jaxvac[analysis]' (or pip install pandas)."
    )
