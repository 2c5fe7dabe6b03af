"""Figures of a landscape scan for papers: each function draws one figure on a matplotlib
Axes (yours, or a new Figure's) and returns it; :func:`save` writes a figure as PNG and
PDF/SVG. ``jaxvac plot DIR`` draws the same figures (:func:`report`).

```python
import matplotlib.pyplot as plt
import jaxvac.plot

result = jaxvac.load_scan("runs/kklt")
fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
jaxvac.plot.lambda_histogram(result, ax=a)
jaxvac.plot.mass_spectra(result, ax=b, units="gravitino")
jaxvac.plot.save(fig, "figures/kklt", formats=("png", "pdf"))
```

As everywhere in jaxvac, turn on JAX's 64-bit mode first
(``jax.config.update("jax_enable_x64", True)``; the command line does it for you).

Without ``ax`` a new :class:`matplotlib.figure.Figure` is made with matplotlib's object
API (no pyplot: nothing is shown, nothing stays alive after you drop it); ``ax.figure`` is
that Figure. matplotlib is imported when a function is called, not with ``jaxvac``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .scan._result import ScanResult

__all__ = ["FORMATS", "lambda_histogram", "mass_spectra", "report", "save", "stable_fraction"]

#: The file formats :func:`save` and :func:`report` write.
FORMATS = ("png", "pdf", "svg")


def _scan(result) -> ScanResult:
    """A ScanResult, or the scan directory ``result`` loaded (data only, nothing run).
    Refuses to go on without JAX's 64-bit mode: the heat map redraws each point's
    parameters from its 64-bit id, bit for bit as the scan drew them."""
    from ._config import ensure_x64
    from .scan._result import ScanResult, load_scan

    ensure_x64()

    if isinstance(result, ScanResult):
        return result
    if isinstance(result, (str, os.PathLike)):
        return load_scan(os.fspath(result))
    raise TypeError(f"expected a ScanResult or a scan directory, got {type(result).__name__}.")


def lambda_histogram(
    result: ScanResult | str,
    *,
    ax: Axes | None = None,
    kind: str = "dS-minima",
    bins: int | None = None,
    fit_upper: float | None = None,
    log_power: float = 0.0,
    analytic_exponent: float | None = None,
    analytic_label: str | None = None,
) -> Axes:
    r"""The distribution of the vacuum energy, P(log₁₀ Λ), of the vacua of a scan.

    Points with Poisson error bars over the histogram; the maximum-likelihood power law
    P ∝ Λ^-γ (−ln Λ)^-κ fitted below ``fit_upper`` (at least 10 vacua there), and the
    quantiles Λ₁₀ and Λ₅₀ with bootstrap 95% intervals as vertical lines, all named in a
    legend under the axes.

    **Arguments:**

    - `result`: a [`jaxvac.ScanResult`][] or the path of a scan directory.
    - `ax`: the matplotlib Axes to draw on; default a new Figure's.
    - `kind`: which vacua: `"dS-minima"` (default) or `"dS"` (Λ > 0 only).
    - `bins`: number of logarithmic bins; default 2 n^(1/3) for n vacua, 4 to 40.
    - `fit_upper`: fit the power law to Λ ≤ `fit_upper`; default the median Λ.
    - `log_power`: κ of the fitted form (2.5 for eq. (2.9) of Andriolo, Li and Tye,
      arXiv:1812.04873); default 0.
    - `analytic_exponent`: also draw an analytic P ∝ Λ^-γ with this γ (dashed).
    - `analytic_label`: the legend text of that curve.

    **Returns:**

    The Axes drawn on (`ax.figure` is its Figure).
    """
    from .scan._plot import draw_lambda_histogram, new_axes

    ax = new_axes(ax)
    draw_lambda_histogram(
        ax,
        _scan(result),
        kind=kind,
        bins=bins,
        fit_upper=fit_upper,
        analytic_exponent=analytic_exponent,
        log_power=log_power,
        analytic_label=analytic_label,
    )
    return ax


def stable_fraction(
    result: ScanResult | str,
    *,
    ax: Axes | None = None,
    params: tuple[str, str] | None = None,
    kind: str = "dS-minima",
    bins: int | None = None,
) -> Axes:
    """Heat map of the fraction of parameter points that have a vacuum of ``kind``, over
    two sampled parameters, with a colour bar.

    Every sampled point counts, also those whose rows ``keep`` did not store: their
    parameter values are drawn again from the scan's seed (data only; the model is not
    built). A colour scale spanning more than two decades is logarithmic.

    **Arguments:**

    - `result`: a [`jaxvac.ScanResult`][] or the path of a scan directory.
    - `ax`: the matplotlib Axes to draw on; default a new Figure's.
    - `params`: the two sampled parameters (x, y); default the first two.
    - `kind`: which vacua count: `"dS-minima"` (default), `"minima"`, `"AdS"`, ...
    - `bins`: cells per side; default about four points per cell, 3 to 20.

    **Returns:**

    The Axes drawn on. A scan with fewer than two sampled parameters gets a note instead
    of a map.
    """
    from .scan._plot import draw_stable_fraction, new_axes

    ax = new_axes(ax, height=5.0)
    try:
        draw_stable_fraction(ax, _scan(result), params=params, kind=kind, bins=bins)
    except ValueError as e:  # an unknown parameter: the same words as the command line
        raise ValueError(str(e).replace("--params: ", "params: ")) from None
    return ax


def mass_spectra(
    result: ScanResult | str,
    *,
    ax: Axes | None = None,
    kind: str = "minima",
    units: str = "planck",
    bins: int | None = None,
) -> Axes:
    """Histograms of the canonical masses² of the vacua of a scan, one per eigenvalue
    (m²₁ the lightest), on a logarithmic axis.

    An eigenvalue that is negative in some vacua (saddles) is drawn as |m²| and says so.

    **Arguments:**

    - `result`: a [`jaxvac.ScanResult`][] or the path of a scan directory.
    - `ax`: the matplotlib Axes to draw on; default a new Figure's.
    - `kind`: which vacua: `"minima"` (default), `"dS-minima"`, `"saddles"`, ...
    - `units`: `"planck"` (m²/M_P², default) or `"gravitino"` (m²/m₃/₂², supergravity
      models).
    - `bins`: number of logarithmic bins; default 2 n^(1/3) for n vacua, 4 to 40.

    **Returns:**

    The Axes drawn on.
    """
    from .scan._plot import draw_mass_spectra, new_axes

    ax = new_axes(ax)
    draw_mass_spectra(ax, _scan(result), kind=kind, units=units, bins=bins)
    return ax


def save(
    figure: Figure | Axes,
    path: str | os.PathLike,
    formats: Sequence[str] | None = None,
    **savefig_kwargs: Any,
) -> list[str]:
    """Write a figure to files, one per format.

    **Arguments:**

    - `figure`: a matplotlib Figure, or an Axes (its Figure is saved).
    - `path`: the file name. Without `formats`, its suffix says the format (`.png`, `.pdf`,
      `.svg`; none: PNG and PDF). With `formats`, a suffix of one of them is dropped and
      one file per format is written next to it. Missing folders are made.
    - `formats`: e.g. `("png", "pdf")`: raster for slides and vector for the paper.
    - `savefig_kwargs`: passed to `Figure.savefig` (e.g. `dpi=300`).

    **Returns:**

    The paths written, in the order of `formats`.
    """
    # Duck-typed (anything with savefig): Any, since a type checker cannot narrow on hasattr.
    fig: Any = getattr(figure, "figure", None) if not hasattr(figure, "savefig") else figure
    if fig is None or not hasattr(fig, "savefig"):
        raise TypeError(f"expected a matplotlib Figure or Axes, got {type(figure).__name__}.")
    path = os.fspath(path)
    stem, suffix = os.path.splitext(path)
    suffix = suffix.lower().lstrip(".")
    if formats is None:
        formats = (suffix,) if suffix in FORMATS else ("png", "pdf")
    if isinstance(formats, str):
        formats = (formats,)
    formats = tuple(f.lower().lstrip(".") for f in formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(
            f"formats must be some of {', '.join(FORMATS)} (got {', '.join(bad) or 'nothing'})."
        )
    if suffix not in FORMATS:
        stem = path
    folder = os.path.dirname(stem)
    if folder:
        os.makedirs(folder, exist_ok=True)
    written = []
    for fmt in formats:
        target = f"{stem}.{fmt}"
        fig.savefig(target, format=fmt, **savefig_kwargs)
        written.append(target)
    return written


def report(
    result: ScanResult | str,
    out_dir: str | os.PathLike,
    *,
    formats: Sequence[str] = ("png",),
    **options: Any,
) -> dict[str, Any]:
    """The three standard figures of ``jaxvac plot`` (``lambda_histogram``,
    ``stable_fraction``, ``mass_spectra``, the last with a Planck-unit and a gravitino-unit
    panel) written into a folder, and the numbers they show.

    **Arguments:**

    - `result`: a [`jaxvac.ScanResult`][] or the path of a scan directory.
    - `out_dir`: where to write (made if missing). Keep it outside the scan directory, which
      must stay a Parquet dataset for pandas and pyarrow.
    - `formats`: some of `"png"`, `"pdf"`, `"svg"`.
    - `options`: `lambda_kind`, `fraction_kind`, `mass_kind`, `params`, `bins`,
      `fit_upper`, `log_power`, `analytic_exponent`, `analytic_label` (as in the functions
      above).

    **Returns:**

    A dict: vacuum fractions per parameter point, the histogram, fit and quantiles drawn,
    and `"files"`, the file names written.
    """
    from .scan._plot import make_report

    result = _scan(result)
    out = os.path.realpath(os.fspath(out_dir))
    scan_dir = os.path.realpath(result.path)
    if out == scan_dir or out.startswith(scan_dir.rstrip(os.sep) + os.sep):
        raise ValueError(
            f"out_dir {os.fspath(out_dir)!r} is inside the scan directory: files "
            "there make pd.read_parquet(DIR) and pyarrow.dataset.dataset(DIR) "
            "fail; choose a folder outside it."
        )
    return make_report(result, os.fspath(out_dir), formats=tuple(formats), **options)
