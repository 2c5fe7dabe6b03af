"""The standard figures of a scan, drawn with matplotlib's object API (no pyplot state, no
display needed). The public face is :mod:`jaxvac.plot` (one Axes per function, for papers)
and ``jaxvac plot DIR`` (:func:`make_report`: the three figures in PNG, PDF or SVG, written
outside the scan directory by default, ``DIR.figures/``; a file inside the Parquet dataset
folder would break ``pd.read_parquet(DIR)`` and ``pyarrow.dataset.dataset(DIR)``).

- ``lambda_histogram``: P(log10 Λ) of the de Sitter vacua, with Poisson error bars, the
  maximum-likelihood power law near Λ → 0 and an optional analytic exponent;
- ``stable_fraction``: the fraction of parameter points with a stable de Sitter vacuum (or
  another kind) over two sampled parameters, as a heat map;
- ``mass_spectra``: the distribution of the canonical masses² of the vacua, per eigenvalue
  (lightest to heaviest), in Planck units and, for supergravity models, in units of the
  gravitino mass.

What a referee expects is built in: mathtext labels, titles that name the physics, legends
outside the data, bins chosen from the sample size, and tick labels that cannot overlap.
matplotlib is imported inside the functions only (Dask workers, ``find`` and ``check`` never
load it).
"""

from __future__ import annotations

import math
import os
import re
from typing import Any

import numpy as np

from ._result import ScanResult
from ._stats import fit_power_law, log_histogram, quantiles, vacuum_fractions

#: Figure formats ``jaxvac plot --format`` and :func:`jaxvac.plot.save` write (matplotlib's
#: own writers, no display).
FORMATS = ("png", "pdf", "svg")

#: The physics each vacuum kind of a scan names, for titles and labels.
KIND_WORDS = {
    "successful": "critical points",
    "minima": "minima",
    "dS": "de Sitter critical points",
    "dS-minima": "de Sitter minima",
    "AdS": "anti-de Sitter critical points",
    "AdS-minima": "anti-de Sitter minima",
    "Minkowski": "Minkowski critical points",
    "saddles": "saddle points",
    "maxima": "maxima",
}

_GREEK = {
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "pi",
    "rho",
    "sigma",
    "tau",
    "phi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Pi",
    "Sigma",
    "Phi",
    "Psi",
    "Omega",
}


def kind_words(kind: str) -> str:
    """The physics name of a vacuum kind (``"dS-minima"`` -> ``"de Sitter minima"``)."""
    return KIND_WORDS.get(kind, kind)


def tex_name(name: str) -> str:
    """A parameter or field name as mathtext: ``W0`` -> ``$W_{0}$``, ``beta`` -> ``$\\beta$``,
    ``N_max`` -> ``$N_{max}$``, ``T.im`` -> ``$\\mathrm{Im}\\,T$``."""
    im = name.endswith(".im")
    base = name[:-3] if im else name
    m = re.fullmatch(r"([A-Za-z]+?)_?(\d+|_[A-Za-z0-9]+)?", base)
    if m is None:
        return name
    letters, sub = m.group(1), (m.group(2) or "").lstrip("_")
    body = f"\\{letters}" if letters in _GREEK else letters
    if sub:
        body += "_{" + (sub if sub.isdigit() else f"\\mathrm{{{sub}}}") + "}"
    return f"$\\mathrm{{Im}}\\,{body}$" if im else f"${body}$"


def auto_bins(n: int, *, low: int = 4, high: int = 40) -> int:
    """Bins for a histogram of ``n`` values: Rice's rule 2 n^(1/3), kept in [low, high], so
    that a small sample is not spread one value per bin."""
    return int(min(high, max(low, math.ceil(2.0 * max(n, 1) ** (1.0 / 3.0)))))


def _short(result: ScanResult) -> str:
    """The model's short name: built-in name or ClassName."""
    return result.config["model"].rpartition(":")[2]


def _figure(width=6.4, height=4.6):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=150, layout="constrained")


def new_axes(ax=None, *, width=6.4, height=4.6):
    """``ax``, or the Axes of a new Figure (no pyplot: nothing is shown or kept alive)."""
    if ax is not None:
        return ax
    return _figure(width, height).add_subplot()


def _save(fig, path) -> None:
    """Save ``fig`` to ``path``, or to each path of a list (one per format)."""
    for p in [path] if isinstance(path, (str, os.PathLike)) else path:
        fig.savefig(p)


def _log_axis(axis, lo: float, hi: float) -> None:
    """A log axis whose limits are whole decades around [lo, hi] (so at least two labelled
    major ticks) and whose minor ticks carry no label (they overlapped on narrow ranges)."""
    from matplotlib.ticker import LogLocator, NullFormatter

    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if b <= a:
        b = a + 1
    axis.set_major_locator(LogLocator(base=10, numticks=7))
    axis.set_minor_formatter(NullFormatter())
    (axis.axes.set_xlim if axis is axis.axes.xaxis else axis.axes.set_ylim)(10.0**a, 10.0**b)


def _count_axis(axis, counts) -> None:
    """Counts per bin: a linear axis with integer ticks when they are few, else log."""
    from matplotlib.ticker import MaxNLocator

    top = float(np.max(counts)) if np.size(counts) else 0.0
    if top <= 50:
        axis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    else:
        (axis.axes.set_xscale if axis is axis.axes.xaxis else axis.axes.set_yscale)("log")


def _legend_below(ax, **kwargs) -> None:
    """A legend under the axes, outside the data (constrained layout makes room)."""
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            fontsize=7,
            frameon=False,
            ncols=1,
            **kwargs,
        )


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _lambda_values(result: ScanResult, kind: str) -> np.ndarray:
    table = result.vacua(kind, columns=["V"])
    return np.asarray(table.column("V").to_numpy(zero_copy_only=False), dtype=np.float64)


def _exp10(x: float) -> str:
    """``x`` as mathtext a × 10^b."""
    if not np.isfinite(x) or x == 0:
        return f"{x:g}"
    b = math.floor(math.log10(abs(x)))
    a = x / 10.0**b
    return f"{a:.2f}\\times10^{{{b}}}" if b not in (0, 1, -1) else f"{x:.3g}"


def draw_lambda_histogram(
    ax,
    result: ScanResult,
    *,
    kind: str = "dS-minima",
    bins: int | None = None,
    fit_upper: float | None = None,
    analytic_exponent: float | None = None,
    log_power: float = 0.0,
    analytic_label: str | None = None,
) -> dict[str, Any]:
    """Draw P(log10 Λ) of the vacua of ``kind`` on ``ax``; return the numbers drawn
    (histogram, fit, quantiles)."""
    lam = _lambda_values(result, kind)
    lam = lam[np.isfinite(lam) & (lam > 0)]
    info: dict[str, Any] = {"kind": kind, "n": int(lam.size)}
    if lam.size == 0:
        _empty(ax, f"no {kind_words(kind)} (Λ > 0) in this scan")
        return info
    bins = auto_bins(lam.size) if bins is None else int(bins)
    info["bins"] = bins
    lo, hi = lam.min(), lam.max()
    if lo == hi:
        lo, hi = lo / 2, hi * 2
    h = log_histogram(lam, bins=bins, range=(lo, hi))
    x = np.log10(h.centers)
    ok = h.counts > 0
    ax.errorbar(
        x[ok],
        h.density_log10[ok],
        yerr=h.error_log10[ok],
        fmt="o",
        ms=3.5,
        capsize=2,
        color="black",
        label=f"scan: {lam.size} {kind_words(kind)}, {bins} bins (Poisson errors)",
    )
    ax.stairs(h.density_log10, np.log10(h.edges), color="0.6", lw=0.8)
    info["histogram"] = {"edges": h.edges.tolist(), "counts": h.counts.tolist()}
    # power law near Λ → 0, fitted below fit_upper (default: the median)
    upper = float(np.median(lam)) if fit_upper is None else float(fit_upper)
    n_fit = int(np.sum(lam <= upper))
    grid = np.logspace(math.log10(lo), math.log10(upper), 100)
    frac = n_fit / lam.size

    def curve(gamma, kappa):
        # density per unit log10 Λ of ∝ Λ^{-γ}(-ln Λ)^{-κ}, normalised to the fraction
        # of the sample below `upper` (integrated on a fine log grid)
        fine = np.logspace(math.log10(lo) - 3, math.log10(upper), 4000)
        shape = fine ** (1 - gamma) * (-np.log(fine)) ** (-kappa) if kappa else fine ** (1 - gamma)
        norm = np.trapezoid(shape, np.log10(fine))
        g = grid ** (1 - gamma) * ((-np.log(grid)) ** (-kappa) if kappa else 1.0)
        return frac * g / norm

    tail = f"(-\\ln\\Lambda)^{{-{log_power:g}}}" if log_power else ""
    if n_fit >= 10 and (log_power == 0 or upper < 1):
        try:
            fit = fit_power_law(lam, upper=upper, log_power=log_power)
        except ValueError:
            fit = None
        if fit is not None:
            ax.plot(
                np.log10(grid),
                curve(fit.exponent, log_power),
                color="C0",
                lw=1.8,
                label=f"maximum-likelihood fit $P \\propto \\Lambda^{{-\\gamma}}{tail}$ "
                f"for $\\Lambda < {_exp10(upper)}$: "
                f"$\\gamma = {fit.exponent:.3f} \\pm {fit.error:.3f}$",
            )
            info["fit"] = {
                "exponent": fit.exponent,
                "error": fit.error,
                "upper": upper,
                "log_power": log_power,
                "n": fit.n,
                "ks": fit.ks,
            }
    if analytic_exponent is not None:
        label = analytic_label or (
            f"analytic: $P \\propto \\Lambda^{{-\\gamma}}{tail}$, "
            f"$\\gamma = {analytic_exponent:.3f}$"
        )
        ax.plot(
            np.log10(grid),
            curve(analytic_exponent, log_power),
            color="C3",
            lw=1.5,
            ls="--",
            label=label,
        )
        info["analytic_exponent"] = analytic_exponent
    if lam.size >= 2:
        qs = quantiles(lam, (0.1, 0.5), n_boot=500)
        info["quantiles"] = {f"Lambda{int(q.y * 100)}": [q.value, q.low, q.high] for q in qs}
        for q, style in zip(qs, (":", "-.")):
            p = int(q.y * 100)
            ax.axvline(
                math.log10(q.value),
                color="0.4",
                ls=style,
                lw=1,
                label=f"quantile $\\Lambda_{{{p}}} = {_exp10(q.value)}$, 95% CI "
                f"$[{_exp10(q.low)}, {_exp10(q.high)}]$",
            )
    dens = h.density_log10[ok]
    if dens.size and dens.max() / dens.min() > 10:
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
    ax.set_xlabel(r"$\log_{10}(\Lambda / M_P^4)$")
    ax.set_ylabel(r"$P(\log_{10}\Lambda)$ per unit $\log_{10}\Lambda$")
    ax.set_title(
        f"Vacuum energy of {kind_words(kind)}\n{_short(result)}, "
        f"{result.counts['points']} parameter points",
        fontsize=9,
    )
    _legend_below(ax)
    ax.grid(alpha=0.3, which="both", lw=0.4)
    return info


def plot_lambda_histogram(result: ScanResult, path: str | list[str], **options) -> dict[str, Any]:
    """Histogram of log10 Λ for the vacua of ``kind`` (dS or dS-minima) written to
    ``path`` (one file or a list); returns the numbers drawn."""
    ax = new_axes()
    info = draw_lambda_histogram(ax, result, **options)
    _save(ax.figure, path)
    return info


def _all_parameter_values(result: ScanResult, names) -> dict[str, np.ndarray]:
    """The sampled values of every parameter point of the scan (rows may hold only some
    points with ``keep``): recomputed from (seed, point id), as the scan drew them.

    Only data is read: the distributions, seed and chunking from the manifest (validated
    as data) and each parameter's shape and type from the chunk files' columns. The
    model is neither imported nor built (docs/scans.md, "Safety")."""
    import types

    import jax

    from ._sampling import draw_parameters, manifest_sampling
    from ._sampling import freeze as _freeze

    s = manifest_sampling(result.config)
    leaves = _parameter_leaves(result, s["sample"])
    frozen = _freeze(s["sample"])
    base = types.SimpleNamespace(**leaves)  # all draw_parameters reads: shapes and dtypes
    fn = jax.jit(jax.vmap(lambda pid: draw_parameters(frozen, base, s["seed"], pid)))
    chunk = s["chunk"]
    out = {n: [] for n in names}
    for index in sorted(result.files):
        n_pts = min(chunk, s["points"] - index * chunk)
        ids = np.arange(index * chunk, index * chunk + n_pts, dtype=np.int64)
        values = fn(ids)
        for n in names:
            out[n].append(np.asarray(values[n]))
        out.setdefault("point", []).append(ids)
    return {k: np.concatenate(v) if v else np.array([]) for k, v in out.items()}


def _parameter_leaves(result: ScanResult, sample) -> dict[str, np.ndarray]:
    """A zero of each sampled parameter's shape and dtype, from its column in the chunk
    files (a number, or a fixed-size list for an array parameter)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(result.files[min(result.files)])
    out = {}
    for name in sample:
        if name not in schema.names:
            raise ValueError(f"the manifest samples {name!r}, which is not a column of the scan.")
        t = schema.field(name).type
        shape = ()
        if pa.types.is_fixed_size_list(t):
            shape, t = (t.list_size,), t.value_type
        try:
            dtype = np.dtype(t.to_pandas_dtype())
        except NotImplementedError:
            dtype = np.dtype(object)
        if dtype.kind not in "biuf":
            raise ValueError(f"column {name!r} of the scan is not numeric ({t}).")
        out[name] = np.zeros(shape, dtype)
    return out


def _heat_map_parameters(result: ScanResult, params) -> tuple[str, str] | None:
    """The two sampled parameters of the heat map (default: the first two; None if there
    are not two); ValueError names a requested one that is not sampled."""
    sampled = result.parameters
    if params is None:
        return (sampled[0], sampled[1]) if len(sampled) >= 2 else None
    for p in params:
        if p not in sampled:
            raise ValueError(f"--params: {p!r} is not a sampled parameter ({', '.join(sampled)}).")
    return tuple(params)


def draw_stable_fraction(
    ax,
    result: ScanResult,
    *,
    params: tuple[str, str] | None = None,
    kind: str = "dS-minima",
    bins: int | None = None,
) -> dict[str, Any]:
    """Draw on ``ax`` the heat map of the fraction of parameter points with at least one
    vacuum of ``kind`` over two sampled parameters (default: the first two)."""
    from matplotlib.colors import LogNorm, Normalize

    params = _heat_map_parameters(result, params)
    if params is None:
        _empty(ax, "the heat map needs two sampled parameters")
        return {"skipped": "needs two sampled parameters"}
    allp = _all_parameter_values(result, params)
    has = set(np.asarray(result.vacua(kind, columns=["point"]).column("point")).tolist())
    hit = np.isin(allp["point"], list(has))
    n = int(allp["point"].size)
    # about 4 points per cell on average, 3 to 20 cells a side
    bins = int(min(20, max(3, round(math.sqrt(n / 4))))) if bins is None else int(bins)
    dists = result.config["sample"]
    edges = []
    for p in params:
        v = allp[p]
        log = dists[p]["dist"] == "loguniform" and np.all(v > 0)
        lo, hi = v.min(), v.max()
        e = (
            np.logspace(math.log10(lo), math.log10(hi), bins + 1)
            if log
            else np.linspace(lo, hi, bins + 1)
        )
        if lo == hi:
            e = np.array([lo - 0.5, hi + 0.5])
        edges.append((e, log))
    (ex, logx), (ey, logy) = edges
    total, _, _ = np.histogram2d(allp[params[0]], allp[params[1]], bins=[ex, ey])
    good, _, _ = np.histogram2d(allp[params[0]][hit], allp[params[1]][hit], bins=[ex, ey])
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(total > 0, good / total, np.nan)
    positive = frac[np.isfinite(frac) & (frac > 0)]
    if positive.size and positive.max() / positive.min() > 100:
        norm = LogNorm(vmin=positive.min(), vmax=positive.max())
        shown = np.where(frac > 0, frac, np.nan)
    else:
        norm = Normalize(
            vmin=0, vmax=max(float(np.nanmax(frac)) if np.isfinite(frac).any() else 1, 1e-12)
        )
        shown = frac
    mesh = ax.pcolormesh(ex, ey, shown.T, norm=norm, cmap="viridis", shading="flat")
    cb = ax.figure.colorbar(mesh, ax=ax)
    cb.set_label(f"fraction of points with {kind_words(kind)}", fontsize=8)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    from matplotlib.ticker import MaxNLocator

    for axis, log in ((ax.xaxis, logx), (ax.yaxis, logy)):
        if not log:  # few ticks, small ranges as a ×10^k offset: labels never overlap
            axis.set_major_locator(MaxNLocator(nbins=5))
            axis.get_major_formatter().set_powerlimits((-2, 3))
    ax.set_xlabel(f"{tex_name(params[0])}  (model parameter)")
    ax.set_ylabel(f"{tex_name(params[1])}  (model parameter)")
    f = vacuum_fractions(result)[kind]
    ax.set_title(
        f"Parameter points with {kind_words(kind)}: {f.k}/{f.n}\n"
        f"{_short(result)}; fraction {f.value:.3g}, 95% CI [{f.low:.3g}, {f.high:.3g}]; "
        f"{bins}×{bins} cells",
        fontsize=9,
        pad=14,
    )
    return {
        "params": list(params),
        "kind": kind,
        "bins": bins,
        "fraction": [f.k, f.n, f.low, f.high],
    }


def plot_stable_fraction(result: ScanResult, path: str | list[str], **options) -> dict[str, Any]:
    """The heat map of :func:`draw_stable_fraction` written to ``path``."""
    ax = new_axes(width=6.4, height=5.0)
    info = draw_stable_fraction(ax, result, **options)
    if "skipped" not in info:
        _save(ax.figure, path)
    return info


def _mass_table(result: ScanResult, kind: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(m², m_3/2) of the vacua of ``kind`` (None: there are none)."""
    table = result.vacua(kind, columns=["masses_squared", "gravitino_mass"])
    if table.num_rows == 0:
        return None
    m2 = np.stack(table.column("masses_squared").to_numpy(zero_copy_only=False)).astype(np.float64)
    m32 = np.asarray(
        table.column("gravitino_mass").to_numpy(zero_copy_only=False), dtype=np.float64
    )
    return m2, m32


def draw_mass_spectra(
    ax, result: ScanResult, *, kind: str = "minima", units: str = "planck", bins: int | None = None
) -> dict[str, Any]:
    """Draw on ``ax`` the distribution of each canonical mass² (lightest to heaviest) of
    the vacua of ``kind``, in Planck units (``units="planck"``) or in units of the
    gravitino mass squared (``units="gravitino"``, supergravity models)."""
    if units not in ("planck", "gravitino"):
        raise ValueError(f"units must be 'planck' or 'gravitino' (got {units!r}).")
    masses = _mass_table(result, kind)
    if masses is None:
        _empty(ax, f"no {kind_words(kind)} in this scan")
        return {"n": 0, "kind": kind}
    m2, m32 = masses
    if units == "gravitino":
        if not np.isfinite(m32).any():
            _empty(ax, "no gravitino mass: not a supergravity model")
            return {"n": int(m2.shape[0]), "kind": kind, "skipped": "no gravitino mass"}
        values = m2 / (m32[:, None] ** 2)
    else:
        values = m2
    mag = np.abs(values[np.isfinite(values) & (values != 0)])
    n, d = values.shape
    info = {"n": int(n), "kind": kind, "units": units}
    if mag.size == 0:
        _empty(ax, "no finite non-zero mass²")
        return info
    bins = auto_bins(n) if bins is None else int(bins)
    info["bins"] = bins
    lo, hi = mag.min(), mag.max()
    if lo == hi:
        lo, hi = lo / 2, hi * 2
    e = np.logspace(math.log10(lo), math.log10(hi) + 1e-9, bins + 1)
    top, totals = [], []
    for i in range(d):
        col = values[:, i]
        col = col[np.isfinite(col) & (col != 0)]
        absolute = not np.all(col > 0)
        name = f"m^2_{{{i + 1}}}" if d > 1 else "m^2"
        label = f"$|{name}|$ (some negative)" if absolute else f"${name}$"
        counts, _, _ = ax.hist(np.abs(col), bins=e, histtype="step", lw=1.3, label=label)
        top.append(np.max(counts) if np.size(counts) else 0)
        totals.append(int(np.sum(counts)))
    info["counts"] = totals
    ax.set_xscale("log")
    _log_axis(ax.xaxis, lo, hi)
    _count_axis(ax.yaxis, top)
    ax.set_ylabel("vacua per bin")
    ax.set_xlabel(
        r"$m^2 / M_P^2$ (canonically normalised)" if units == "planck" else r"$m^2 / m_{3/2}^2$"
    )
    ax.grid(alpha=0.3, which="major", lw=0.4)
    ax.legend(
        fontsize=7,
        title="mass² (ascending)",
        title_fontsize=7,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
    )
    return info


def plot_mass_spectra(
    result: ScanResult, path: str | list[str], *, kind: str = "minima", bins: int | None = None
) -> dict[str, Any]:
    """Mass spectra of the vacua of ``kind``: one panel in Planck units and, for
    supergravity models, one in units of m_3/2² (stacked, so that log axes keep room for
    their labels); written to ``path``."""
    masses = _mass_table(result, kind)
    m2, m32 = masses if masses is not None else (None, None)
    sugra = m32 is not None and np.isfinite(m32).any()
    fig = _figure(6.4, 6.4 if sugra else 4.0)
    axes = fig.subplots(2 if sugra else 1, 1, squeeze=False)[:, 0]
    info = draw_mass_spectra(axes[0], result, kind=kind, units="planck", bins=bins)
    if sugra:
        draw_mass_spectra(axes[1], result, kind=kind, units="gravitino", bins=bins)
    if m2 is not None:
        fig.suptitle(
            f"Canonical mass spectra of {m2.shape[0]} {kind_words(kind)} — {_short(result)}",
            fontsize=10,
        )
    _save(fig, path)
    return info


def make_report(
    result: ScanResult, out_dir: str, *, formats: tuple[str, ...] = ("png",), **options
) -> dict[str, Any]:
    """Write the three standard figures into ``out_dir``, once per format of ``formats``
    (png, pdf, svg); return what they show (and ``"files"``: the files written)."""
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(
            f"--format must be one or more of {', '.join(FORMATS)} (got "
            f"{','.join(bad or formats) or 'nothing'})."
        )
    # refuse bad --params, or a manifest whose draws cannot be recomputed, before writing
    if _heat_map_parameters(result, options.get("params")) is not None:
        from ._sampling import manifest_sampling

        manifest_sampling(result.config)
    os.makedirs(out_dir, exist_ok=True)

    def paths(name):
        return [os.path.join(out_dir, f"{name}.{fmt}") for fmt in formats]

    lam_kind = options.pop("lambda_kind", "dS-minima")
    params = options.pop("params", None)
    frac_kind = options.pop("fraction_kind", "dS-minima")
    mass_kind = options.pop("mass_kind", "minima")
    summary: dict[str, Any] = {
        "scan": result.path,
        "counts": result.counts,
        "complete": result.complete,
    }
    summary["fractions_per_point"] = {
        k: {"k": f.k, "n": f.n, "value": f.value, "low": f.low, "high": f.high}
        for k, f in vacuum_fractions(result).items()
    }
    summary["lambda_histogram"] = plot_lambda_histogram(
        result, paths("lambda_histogram"), kind=lam_kind, **options
    )
    summary["stable_fraction"] = plot_stable_fraction(
        result, paths("stable_fraction"), params=params, kind=frac_kind
    )
    summary["mass_spectra"] = plot_mass_spectra(result, paths("mass_spectra"), kind=mass_kind)
    summary["files"] = [
        os.path.basename(p)
        for name in ("lambda_histogram", "stable_fraction", "mass_spectra")
        if "skipped" not in summary[name]
        for p in paths(name)
    ]
    return summary
