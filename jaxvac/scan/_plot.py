"""The standard figures of a scan (``jaxvac plot DIR``), with matplotlib's object API
(no pyplot state, no display needed). Each figure is written as PNG (default), PDF or SVG
(``formats``), outside the scan directory by default (``DIR.figures/``; see
``jaxvac/_cli/plot.py``): a file inside the Parquet dataset folder would break
``pd.read_parquet(DIR)`` and ``pyarrow.dataset.dataset(DIR)``.

- ``lambda_histogram.png``: P(log10 Λ) of the de Sitter vacua, with Poisson error bars,
  the maximum-likelihood power law near Λ → 0 and an optional analytic exponent;
- ``stable_fraction.png``: the fraction of parameter points with a stable de Sitter vacuum
  (or another kind) over two sampled parameters, as a heat map;
- ``mass_spectra.png``: the distribution of the canonical masses² of the vacua, per
  eigenvalue (lightest to heaviest), in Planck units and, for supergravity models, in
  units of the gravitino mass.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from ._result import ScanResult
from ._stats import fit_power_law, log_histogram, quantiles, vacuum_fractions


def _short(result: ScanResult) -> str:
    """The model's short name: built-in name or ClassName."""
    return result.config["model"].rpartition(":")[2]


def _figure(width=6.4, height=4.6):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=150, layout="constrained")


#: Figure formats ``jaxvac plot --format`` writes (matplotlib's own writers, no display).
FORMATS = ("png", "pdf", "svg")


def _save(fig, path) -> None:
    """Save ``fig`` to ``path``, or to each path of a list (one per format)."""
    for p in ([path] if isinstance(path, (str, os.PathLike)) else path):
        fig.savefig(p)


def _lambda_values(result: ScanResult, kind: str) -> np.ndarray:
    table = result.vacua(kind, columns=["V"])
    return np.asarray(table.column("V").to_numpy(zero_copy_only=False), dtype=np.float64)


def plot_lambda_histogram(result: ScanResult, path: str | list[str], *, kind: str = "dS-minima",
                          bins: int = 30, fit_upper: float | None = None,
                          analytic_exponent: float | None = None, log_power: float = 0.0,
                          analytic_label: str | None = None) -> dict[str, Any]:
    """Histogram of log10 Λ for the vacua of ``kind`` (dS or dS-minima). Returns the
    numbers drawn (histogram, fit, quantiles)."""
    lam = _lambda_values(result, kind)
    lam = lam[np.isfinite(lam) & (lam > 0)]
    fig = _figure()
    ax = fig.add_subplot()
    info: dict[str, Any] = {"kind": kind, "n": int(lam.size)}
    if lam.size == 0:
        ax.text(0.5, 0.5, f"no {kind} vacua in this scan", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        _save(fig, path)
        return info
    lo, hi = lam.min(), lam.max()
    if lo == hi:
        lo, hi = lo / 2, hi * 2
    h = log_histogram(lam, bins=bins, range=(lo, hi))
    x = np.log10(h.centers)
    ok = h.counts > 0
    ax.errorbar(x[ok], h.density_log10[ok], yerr=h.error_log10[ok], fmt="o", ms=3.5,
                capsize=2, color="black", label=f"jaxvac scan: {lam.size} {kind} vacua")
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

    if n_fit >= 10 and (log_power == 0 or upper < 1):
        try:
            fit = fit_power_law(lam, upper=upper, log_power=log_power)
        except ValueError:
            fit = None
        if fit is not None:
            tail = f" (-ln Λ)^-{log_power:g}" if log_power else ""
            ax.plot(np.log10(grid), curve(fit.exponent, log_power), color="C0", lw=1.8,
                    label=f"ML fit Λ^-γ{tail} below {upper:.2g}: γ = {fit.exponent:.3f} ± {fit.error:.3f}")
            info["fit"] = {"exponent": fit.exponent, "error": fit.error, "upper": upper,
                           "log_power": log_power, "n": fit.n, "ks": fit.ks}
    if analytic_exponent is not None:
        label = analytic_label or f"analytic: γ = {analytic_exponent:.3f}"
        ax.plot(np.log10(grid), curve(analytic_exponent, log_power), color="C3", lw=1.5,
                ls="--", label=label)
        info["analytic_exponent"] = analytic_exponent
    if lam.size >= 2:
        qs = quantiles(lam, (0.1, 0.5), n_boot=500)
        info["quantiles"] = {f"Lambda{int(q.y * 100)}": [q.value, q.low, q.high] for q in qs}
        for q, style in zip(qs, (":", "-.")):
            ax.axvline(math.log10(q.value), color="0.4", ls=style, lw=1,
                       label=f"Λ{int(q.y * 100)} = {q.value:.2e} [{q.low:.2e}, {q.high:.2e}]")
    ax.set_yscale("log")
    ax.set_xlabel(r"$\log_{10}(\Lambda / M_P^4)$")
    ax.set_ylabel(r"$P(\log_{10}\Lambda)$  (fraction per unit $\log_{10}\Lambda$)")
    ax.set_title(f"{_short(result)}: vacuum energy of {kind} vacua "
                 f"({result.counts['points']} parameter points)", fontsize=9)
    ax.legend(fontsize=7, loc="best")
    ax.grid(alpha=0.3, which="both", lw=0.4)
    _save(fig, path)
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


def plot_stable_fraction(result: ScanResult, path: str | list[str], *, params: tuple[str, str] | None = None,
                         kind: str = "dS-minima", bins: int = 20) -> dict[str, Any]:
    """Heat map of the fraction of parameter points with at least one vacuum of ``kind``
    over two sampled parameters (default: the first two)."""
    from matplotlib.colors import LogNorm, Normalize

    params = _heat_map_parameters(result, params)
    if params is None:
        return {"skipped": "needs two sampled parameters"}
    allp = _all_parameter_values(result, params)
    has = set(np.asarray(result.vacua(kind, columns=["point"]).column("point")).tolist())
    hit = np.isin(allp["point"], list(has))
    dists = result.config["sample"]
    edges = []
    for p in params:
        v = allp[p]
        log = dists[p]["dist"] == "loguniform" and np.all(v > 0)
        lo, hi = v.min(), v.max()
        e = np.logspace(math.log10(lo), math.log10(hi), bins + 1) if log else np.linspace(lo, hi, bins + 1)
        if lo == hi:
            e = np.array([lo - 0.5, hi + 0.5])
        edges.append((e, log))
    (ex, logx), (ey, logy) = edges
    total, _, _ = np.histogram2d(allp[params[0]], allp[params[1]], bins=[ex, ey])
    good, _, _ = np.histogram2d(allp[params[0]][hit], allp[params[1]][hit], bins=[ex, ey])
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(total > 0, good / total, np.nan)
    fig = _figure(6.4, 5.0)
    ax = fig.add_subplot()
    positive = frac[np.isfinite(frac) & (frac > 0)]
    if positive.size and positive.max() / positive.min() > 100:
        norm = LogNorm(vmin=positive.min(), vmax=positive.max())
        shown = np.where(frac > 0, frac, np.nan)
    else:
        norm = Normalize(vmin=0, vmax=max(float(np.nanmax(frac)) if np.isfinite(frac).any() else 1, 1e-12))
        shown = frac
    mesh = ax.pcolormesh(ex, ey, shown.T, norm=norm, cmap="viridis", shading="flat")
    cb = fig.colorbar(mesh, ax=ax)
    cb.set_label(f"fraction of parameter points with {kind} vacua")
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    for axis, log in ((ax.xaxis, logx), (ax.yaxis, logy)):
        if not log:  # small ranges as a ×10^k offset, so that tick labels never overlap
            axis.get_major_formatter().set_powerlimits((-2, 3))
    ax.set_xlabel(f"{params[0]}  (model units, Planck units M_P = 1)")
    ax.set_ylabel(f"{params[1]}  (model units, Planck units M_P = 1)")
    f = vacuum_fractions(result)[kind]
    ax.set_title(f"{_short(result)}: {kind} in {f.k}/{f.n} points "
                 f"({f.value:.3g}, 95% [{f.low:.3g}, {f.high:.3g}])", fontsize=9)
    _save(fig, path)
    return {"params": list(params), "kind": kind, "fraction": [f.k, f.n, f.low, f.high]}


def plot_mass_spectra(result: ScanResult, path: str | list[str], *, kind: str = "minima",
                      bins: int = 40) -> dict[str, Any]:
    """Distributions of the canonical masses² of the vacua of ``kind``, per eigenvalue."""
    table = result.vacua(kind, columns=["masses_squared", "gravitino_mass"])
    fig = _figure(6.4, 4.6)
    if table.num_rows == 0:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, f"no {kind} vacua in this scan", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        _save(fig, path)
        return {"n": 0}
    m2 = np.stack(table.column("masses_squared").to_numpy(zero_copy_only=False)).astype(np.float64)
    m32 = np.asarray(table.column("gravitino_mass").to_numpy(zero_copy_only=False), dtype=np.float64)
    sugra = np.isfinite(m32).any()
    panels = [("Planck", m2)]
    if sugra:
        panels.append(("gravitino", m2 / (m32[:, None] ** 2)))
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    d = m2.shape[1]
    for ax, (unit, values) in zip(axes, panels):
        mag = np.abs(values[np.isfinite(values) & (values != 0)])
        if mag.size == 0:
            continue
        e = np.logspace(math.log10(mag.min()), math.log10(mag.max()) + 1e-9, bins + 1)
        for i in range(d):
            col = values[:, i]
            col = col[np.isfinite(col) & (col != 0)]
            sign = "" if np.all(col > 0) else " (|m²|)"
            ax.hist(np.abs(col), bins=e, histtype="step", lw=1.3,
                    label=f"m²_{i + 1}{sign}" if d > 1 else f"m²{sign}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylabel("vacua per bin")
        if unit == "Planck":
            ax.set_xlabel(r"$m^2 / M_P^2$ (canonical)")
        else:
            ax.set_xlabel(r"$m^2 / m_{3/2}^2$")
        ax.legend(fontsize=7, title="eigenvalue (ascending)", title_fontsize=7)
        ax.grid(alpha=0.3, which="both", lw=0.4)
    fig.suptitle(f"{_short(result)}: mass spectra of {table.num_rows} {kind} vacua",
                 fontsize=10)
    _save(fig, path)
    return {"n": int(table.num_rows), "kind": kind}


def make_report(result: ScanResult, out_dir: str, *, formats: tuple[str, ...] = ("png",),
                **options) -> dict[str, Any]:
    """Write the three standard figures into ``out_dir``, once per format of ``formats``
    (png, pdf, svg); return what they show (and ``"files"``: the files written)."""
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"--format must be one or more of {', '.join(FORMATS)} (got "
                         f"{','.join(bad or formats) or 'nothing'}).")
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
    summary: dict[str, Any] = {"scan": result.path, "counts": result.counts,
                               "complete": result.complete}
    summary["fractions_per_point"] = {
        k: {"k": f.k, "n": f.n, "value": f.value, "low": f.low, "high": f.high}
        for k, f in vacuum_fractions(result).items()
    }
    summary["lambda_histogram"] = plot_lambda_histogram(
        result, paths("lambda_histogram"), kind=lam_kind, **options)
    summary["stable_fraction"] = plot_stable_fraction(
        result, paths("stable_fraction"), params=params, kind=frac_kind)
    summary["mass_spectra"] = plot_mass_spectra(result, paths("mass_spectra"), kind=mass_kind)
    summary["files"] = [os.path.basename(p)
                        for name in ("lambda_histogram", "stable_fraction", "mass_spectra")
                        if "skipped" not in summary[name] for p in paths(name)]
    return summary
