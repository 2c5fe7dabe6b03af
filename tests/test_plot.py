"""The public plotting API (jaxvac.plot): figure objects, files and formats, and what a referee
checks on a small scan (issue #17): mathtext labels, titles that name the physics, legends
outside the data, bins chosen from the sample size, tick labels that do not overlap.

Figures are drawn from test_scan's reference scan of V = c + λ(x² − v²)² (40 points), whose
vacua are counted here from the Parquet rows, independently of the plotting code."""

import math
import os
import subprocess
import sys

import numpy as np
import pytest

import jaxvac.plot as jplot
from jaxvac.scan._plot import auto_bins, draw_lambda_histogram, draw_mass_spectra, tex_name

matplotlib = pytest.importorskip("matplotlib")
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402


def n_vacua(result, kind):
    v = result.vacua(kind, columns=["V"]).column("V").to_numpy()
    return v


def drawn(ax):
    """Lay the figure out and draw it (positions are final only after a draw)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(ax.figure)
    canvas.draw()
    return canvas.get_renderer()


def overlaps(boxes) -> bool:
    boxes = [b for b in boxes if b.width > 0]
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_lambda_histogram_returns_axes_with_mathtext_and_the_sample(reference):
    lam = n_vacua(reference, "dS-minima")
    lam = lam[lam > 0]
    assert lam.size >= 5  # c symmetric around 0: about half the points have a dS minimum
    ax = jplot.lambda_histogram(reference)
    assert isinstance(ax, Axes) and isinstance(ax.figure, Figure)
    assert ax.get_xlabel() == r"$\log_{10}(\Lambda / M_P^4)$"
    assert "de Sitter minima" in ax.get_title() and "Quartic" in ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(r"\Lambda_{10}" in t for t in labels) and any(r"\Lambda_{50}" in t for t in labels)
    assert any(f"scan: {lam.size} de Sitter minima" in t for t in labels)


def test_lambda_histogram_bins_follow_the_sample_size(reference):
    """A few dozen vacua get a handful of bins (Rice: 2 n^(1/3)), not 30 bins of one value;
    the counts drawn add up to the vacua in the rows."""
    lam = n_vacua(reference, "dS-minima")
    lam = lam[lam > 0]
    info = draw_lambda_histogram(Figure().add_subplot(), reference)
    assert info["bins"] == math.ceil(2 * lam.size ** (1 / 3)) < 30
    assert sum(info["histogram"]["counts"]) == lam.size
    assert [auto_bins(n) for n in (1, 8, 100, 10**6)] == [4, 4, 10, 40]
    assert draw_lambda_histogram(Figure().add_subplot(), reference, bins=7)["bins"] == 7


def test_legends_sit_outside_the_data(reference):
    for ax in (jplot.lambda_histogram(reference), jplot.mass_spectra(reference)):
        r = drawn(ax)
        legend = ax.get_legend().get_window_extent(r)
        assert not legend.overlaps(ax.get_window_extent(r)), ax.get_title()


def test_user_axes_are_drawn_on(reference):
    fig = Figure(layout="constrained")
    a, b, c = fig.subplots(1, 3)
    assert jplot.lambda_histogram(reference, ax=a) is a
    assert jplot.stable_fraction(reference, ax=b, params=("v", "c")) is b
    assert jplot.mass_spectra(reference, ax=c) is c
    assert a.containers and b.collections and c.patches


def test_stable_fraction_heat_map(reference):
    ax = jplot.stable_fraction(reference, params=("v", "c"), kind="minima")
    assert ax.get_xlabel().startswith("$v$") and ax.get_ylabel().startswith("$c$")
    assert ax.get_title().startswith("Parameter points with minima: 40/40")  # λ > 0: always
    assert len(ax.figure.axes) == 2  # the map and its colour bar
    mesh = ax.collections[0]
    assert mesh.get_array().shape == (3, 3)  # 40 points: about 4 per cell -> 3 x 3
    r = drawn(ax)
    for axis in (ax.xaxis, ax.yaxis):
        assert not overlaps([t.get_window_extent(r) for t in axis.get_ticklabels() if t.get_text()])
    with pytest.raises(ValueError, match="params: 'x' is not a sampled parameter"):
        jplot.stable_fraction(reference, params=("x", "c"))


def test_mass_spectra_counts_and_ticks(reference):
    m2 = np.stack(
        reference.vacua("minima", columns=["masses_squared"])
        .column("masses_squared")
        .to_numpy(zero_copy_only=False)
    )
    info = draw_mass_spectra(Figure().add_subplot(), reference)
    assert info["bins"] == auto_bins(m2.shape[0])
    assert info["counts"] == [m2.shape[0]] * m2.shape[1]  # every vacuum in each histogram
    ax = jplot.mass_spectra(reference)
    assert ax.get_xlabel().startswith(r"$m^2 / M_P^2$")
    assert ax.get_xscale() == "log"
    lo, hi = ax.get_xlim()
    assert lo <= np.abs(m2).min() and hi >= np.abs(m2).max()
    assert math.log10(lo) == int(math.log10(lo)) and math.log10(hi) == int(math.log10(hi))
    r = drawn(ax)
    ticks = [
        t for t in ax.xaxis.get_ticklabels() + ax.xaxis.get_ticklabels(minor=True) if t.get_text()
    ]
    assert len(ticks) >= 2 and not overlaps([t.get_window_extent(r) for t in ticks])
    # a plain potential has no gravitino mass: said on the figure, not a wrong histogram
    g = jplot.mass_spectra(reference, units="gravitino")
    assert "not a supergravity model" in g.texts[0].get_text()
    with pytest.raises(ValueError, match="units must be 'planck' or 'gravitino'"):
        jplot.mass_spectra(reference, units="GeV")


def test_save_writes_each_format(reference, tmp_path):
    ax = jplot.lambda_histogram(reference.path)  # a path is loaded as a scan
    paths = jplot.save(ax, tmp_path / "figs" / "lam", formats=("png", "pdf", "svg"))
    assert paths == [str(tmp_path / "figs" / f"lam.{f}") for f in ("png", "pdf", "svg")]
    data = [open(p, "rb").read() for p in paths]
    assert data[0][:8] == b"\x89PNG\r\n\x1a\n" and data[1][:5] == b"%PDF-"
    assert b"<svg" in data[2][:2000]
    assert jplot.save(ax.figure, tmp_path / "one.svg") == [str(tmp_path / "one.svg")]
    assert jplot.save(ax, tmp_path / "two") == [
        str(tmp_path / "two.png"),
        str(tmp_path / "two.pdf"),
    ]
    assert jplot.save(ax, tmp_path / "x.pdf", formats="png") == [str(tmp_path / "x.png")]
    with pytest.raises(ValueError, match="formats must be some of png, pdf, svg"):
        jplot.save(ax, tmp_path / "bad", formats=("jpg",))
    with pytest.raises(TypeError):
        jplot.save("not a figure", tmp_path / "bad.png")


def test_report_writes_outside_the_scan_only(reference, tmp_path):
    summary = jplot.report(reference, tmp_path / "r", formats=("pdf",), params=("v", "c"))
    assert sorted(os.listdir(tmp_path / "r")) == [
        "lambda_histogram.pdf",
        "mass_spectra.pdf",
        "stable_fraction.pdf",
    ]
    assert summary["lambda_histogram"]["n"] == int(np.sum(n_vacua(reference, "dS-minima") > 0))
    with pytest.raises(ValueError, match="inside the scan directory"):
        jplot.report(reference, os.path.join(reference.path, "figs"))


def test_tex_names():
    assert tex_name("W0") == "$W_{0}$"
    assert tex_name("beta") == r"$\beta$"
    assert tex_name("N_max") == r"$N_{\mathrm{max}}$"
    assert tex_name("T.im") == r"$\mathrm{Im}\,T$"
    assert tex_name("x") == "$x$"
    assert tex_name("g-s") == "g-s"  # not a name mathtext can hold: left as it is


def test_import_does_not_load_matplotlib():
    code = (
        "import sys, jaxvac\n"
        "assert callable(jaxvac.plot.lambda_histogram)\n"  # no import jaxvac.plot needed
        "assert not [m for m in sys.modules if m.split('.')[0] == 'matplotlib']\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "JAX_PLATFORMS": "cpu"},
        timeout=120,
    )
    assert r.returncode == 0, r.stderr


def test_without_x64_a_clear_error_not_a_jax_overflow(reference):
    """The heat map redraws each point's parameters from its 64-bit id: without JAX's 64-bit
    mode this failed deep in JAX (OverflowError on 0xFFFFFFFF); now PrecisionError says how
    to fix it, before anything is drawn."""
    code = (
        "import jaxvac, jaxvac.plot\n"
        "try:\n"
        f"    jaxvac.plot.stable_fraction({reference.path!r})\n"
        "except jaxvac.PrecisionError as e:\n"
        "    assert \"jax.config.update('jax_enable_x64', True)\" in str(e)\n"
        "else:\n"
        "    raise SystemExit('no error')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "JAX_ENABLE_X64"}
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**env, "JAX_PLATFORMS": "cpu"},
        timeout=120,
    )
    assert r.returncode == 0, r.stderr[-2000:]
