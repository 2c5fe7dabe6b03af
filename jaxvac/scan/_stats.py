"""Statistics of a scan: fractions with binomial intervals, P(Λ) on log bins, quantiles
Λ_Y with bootstrap intervals, and power-law fits near Λ → 0 (to a sample of Λ, by maximum
likelihood, or to a density known on bins, by least squares). jaxvac's one home of these
(``jaxvac.reproduce`` uses them too).

Host-side numpy (and scipy, a dependency of jax, for special functions and quadrature);
inputs are a :class:`ScanResult`, its ``counts``, or plain arrays of Λ. The formulas are in
``docs/scans.md``, "Statistics".
"""

from __future__ import annotations

import dataclasses
import math
from statistics import NormalDist
from typing import Any, cast

import numpy as np

from ._kinds import KINDS


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1) (got {confidence}).")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def binomial_interval(
    k: int, n: int, confidence: float = 0.95, method: str = "wilson"
) -> tuple[float, float]:
    """Confidence interval for a binomial proportion k/n.

    ``method="wilson"`` (Wilson 1927, the score interval: good coverage down to k = 0) or
    ``"clopper-pearson"`` (exact: the beta quantiles B(α/2; k, n-k+1), B(1-α/2; k+1, n-k),
    conservative).

    **Arguments:**

    - `k`: successes.
    - `n`: trials.
    - `confidence`: the confidence level.
    - `method`: `"wilson"` or `"clopper-pearson"`.

    **Returns:**

    `(low, high)`.
    """
    k, n = int(k), int(n)
    if n < 0 or not 0 <= k <= max(n, 0):
        raise ValueError(f"need 0 <= k <= n (got k={k}, n={n}).")
    if n == 0:
        return (0.0, 1.0)
    if method == "wilson":
        z = _z(confidence)
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        return (max(0.0, centre - half), min(1.0, centre + half))
    if method == "clopper-pearson":
        alpha = 1 - confidence
        if not 0 < alpha < 1:
            raise ValueError(f"confidence must be in (0, 1) (got {confidence}).")
        from scipy.special import betaincinv  # scipy: a dependency of jax

        lo = 0.0 if k == 0 else float(betaincinv(k, n - k + 1, alpha / 2))
        hi = 1.0 if k == n else float(betaincinv(k + 1, n - k, 1 - alpha / 2))
        return (lo, hi)
    raise ValueError(f"method must be 'wilson' or 'clopper-pearson' (got {method!r}).")


@dataclasses.dataclass(frozen=True)
class Fraction:
    """k of n, with a binomial confidence interval."""

    k: int
    n: int
    low: float
    high: float
    confidence: float
    method: str

    @property
    def value(self) -> float:
        return self.k / self.n if self.n else math.nan

    def __str__(self) -> str:
        return (
            f"{self.value:.4g} [{self.low:.4g}, {self.high:.4g}] "
            f"({self.k}/{self.n}, {self.confidence:.0%} {self.method})"
        )


def _counts(source) -> dict[str, Any]:
    counts = getattr(source, "counts", source)
    if not isinstance(counts, dict) or "points" not in counts:
        raise TypeError("expected a ScanResult or its counts dict.")
    return counts


def vacuum_fractions(
    source, *, per: str = "point", confidence: float = 0.95, method: str = "wilson"
) -> dict[str, Fraction]:
    """Fractions by vacuum kind with binomial intervals, from a scan's counts (complete
    whatever ``keep`` dropped).

    ``per="point"``: the fraction of parameter points with at least one distinct vacuum
    of each kind (e.g. ``"dS-minima"``: points with a stable de Sitter vacuum).
    ``per="vacuum"``: the fraction of distinct successful critical points of each kind.
    ``per="start"``: the fraction of starts ending with each result code.

    **Arguments:**

    - `source`: a [`ScanResult`][jaxvac.ScanResult] (or its counts).
    - `per`: `"point"`, `"vacuum"` or `"start"` (above).
    - `confidence`: the confidence level of the intervals.
    - `method`: `"wilson"` or `"clopper-pearson"` ([`jaxvac.binomial_interval`][]).

    **Returns:**

    A dict kind → `Fraction` (`k`, `n`, `value`, `low`, `high`).
    """
    c = _counts(source)
    if per == "point":
        n = c["points"]
        items = {k: c["points_with"][k] for k in KINDS}
    elif per == "vacuum":
        n = c["vacua"]["successful"]
        items = {k: c["vacua"][k] for k in KINDS}
    elif per == "start":
        n = c["starts"]
        items = dict(c["results"])
    else:
        raise ValueError(f"per must be 'point', 'vacuum' or 'start' (got {per!r}).")
    return {
        kind: Fraction(k, n, *binomial_interval(k, n, confidence, method), confidence, method)
        for kind, k in items.items()
    }


# ---- P(Λ) ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LogHistogram:
    """An empirical density on logarithmic bins.

    ``density[i]`` estimates P(Λ) (per unit Λ) in bin i, normalised by ``total``:
    counts / (total · ΔΛ_i); ``error`` its Poisson error sqrt(counts) / (total · ΔΛ_i);
    ``density_log10`` the same per unit log10 Λ. ``centers`` are geometric bin centres.
    """

    edges: np.ndarray
    counts: np.ndarray
    total: int
    density: np.ndarray
    error: np.ndarray
    density_log10: np.ndarray
    error_log10: np.ndarray

    @property
    def centers(self) -> np.ndarray:
        return np.sqrt(self.edges[:-1] * self.edges[1:])


def log_histogram(
    values,
    *,
    bins: int | np.ndarray = 30,
    range: tuple[float, float] | None = None,
    total: int | None = None,
) -> LogHistogram:
    """Histogram of positive ``values`` (e.g. Λ of dS vacua) on ``bins`` log-spaced bins
    over ``range`` (default: min to max). ``total`` normalises the density (default:
    the number of values, so the density integrates to the fraction inside the range);
    pass e.g. the number of parameter points for an absolute rate.

    **Arguments:**

    - `values`: positive values.
    - `bins`: the number of log-spaced bins, or their edges.
    - `range`: `(low, high)` of the bins.
    - `total`: the normalisation of the density (above).

    **Returns:**

    A `LogHistogram`: `edges`, `centers`, `counts`, densities per unit Λ and per unit
    log₁₀ Λ with their Poisson errors.
    """
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if np.any(v <= 0):
        raise ValueError("log_histogram needs positive values (select the dS vacua, V > 0).")
    if np.ndim(bins) == 0:
        if v.size == 0 and range is None:
            raise ValueError("no values and no range: cannot choose bins.")
        lo, hi = range if range is not None else (v.min(), v.max())
        if not 0 < lo < hi:
            raise ValueError(f"range must satisfy 0 < low < high (got {lo}, {hi}).")
        edges = np.logspace(math.log10(lo), math.log10(hi), int(bins) + 1)
        edges[0], edges[-1] = lo, hi
    else:
        edges = np.asarray(bins, dtype=np.float64)
    counts, _ = np.histogram(v, bins=edges)
    total = v.size if total is None else int(total)
    width = np.diff(edges)
    width10 = np.diff(np.log10(edges))
    norm = max(total, 1)
    return LogHistogram(
        edges=edges,
        counts=counts,
        total=total,
        density=counts / (norm * width),
        error=np.sqrt(counts) / (norm * width),
        density_log10=counts / (norm * width10),
        error_log10=np.sqrt(counts) / (norm * width10),
    )


# ---- quantiles -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Quantile:
    """Λ_Y: the value below which a fraction Y of the sample lies, with a bootstrap
    percentile interval."""

    y: float
    value: float
    low: float
    high: float
    confidence: float
    n: int


def quantiles(
    values, ys=(0.1, 0.5), *, confidence: float = 0.95, n_boot: int = 2000, seed: int = 0
) -> list[Quantile]:
    """Empirical quantiles Λ_Y (∫_0^{Λ_Y} P = Y, eq. (2.10) of seed 000) of ``values``
    with bootstrap percentile intervals (``n_boot`` resamples, reproducible from
    ``seed``). Quantiles use numpy's default (linear) interpolation.

    **Arguments:**

    - `values`: the sample.
    - `ys`: the quantile levels Y.
    - `confidence`: the level of the bootstrap intervals.
    - `n_boot`: bootstrap resamples.
    - `seed`: the bootstrap's random seed.

    **Returns:**

    A list of `Quantile` (`y`, `value`, `low`, `high`), one per level.
    """
    v = np.sort(np.asarray(values, dtype=np.float64))
    v = v[np.isfinite(v)]
    if v.size < 2:
        raise ValueError(f"need at least 2 finite values (got {v.size}).")
    ys = [float(y) for y in np.atleast_1d(ys)]
    for y in ys:
        if not 0 < y < 1:
            raise ValueError(f"quantile levels must be in (0, 1) (got {y}).")
    rng = np.random.default_rng(seed)
    boot = np.empty((n_boot, len(ys)))
    block = max(1, 2_000_000 // v.size)  # resamples per block: bounded memory
    for b0 in range(0, n_boot, block):
        b1 = min(n_boot, b0 + block)
        idx = rng.integers(0, v.size, (b1 - b0, v.size))
        boot[b0:b1] = np.quantile(v[idx], ys, axis=1).T
    alpha = 1 - confidence
    lo = np.quantile(boot, alpha / 2, axis=0)
    hi = np.quantile(boot, 1 - alpha / 2, axis=0)
    point = np.quantile(v, ys)
    return [
        Quantile(y, float(p), float(a), float(b), confidence, int(v.size))
        for y, p, a, b in zip(ys, point, lo, hi)
    ]


# ---- power law near zero ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PowerLawFit:
    """P(Λ) ∝ Λ^(-exponent) (-ln Λ)^(-log_power) on 0 < Λ ≤ upper (maximum likelihood).

    ``error`` is the standard error from the Fisher information; ``n`` the number of
    values used; ``ks`` the Kolmogorov–Smirnov distance between the fitted and the
    empirical distribution (a goodness-of-fit measure, ~1/sqrt(n) for a good fit).
    """

    exponent: float
    error: float
    log_power: float
    upper: float
    n: int
    ks: float


def _log_integrals(a: float, c: float, kappa: float):
    """J_j = ∫_0^∞ s^j e^{-s} (1 + s/(a c))^{-κ} ds, j = 0, 1, 2: the moments of
    g(t) ∝ e^{-a t} (t + c)^{-κ} in the scale-free variable s = a t (the integrand is
    below e^{-s} s^j, so the part beyond s = 200 is negligible)."""
    from scipy.integrate import quad  # scipy: a dependency of jax

    ac = a * c
    pieces = [0.0, min(ac, 1.0), 1.0, 10.0, 50.0, 200.0]
    pieces = sorted(set(pieces))
    return [
        sum(
            quad(
                lambda x, j=j: x**j * math.exp(-x) * (1 + x / ac) ** (-kappa),
                lo,
                hi,
                epsabs=0,
                epsrel=1e-11,
                limit=200,
            )[0]
            for lo, hi in zip(pieces[:-1], pieces[1:])
        )
        for j in range(3)
    ]


def _log_moments(a: float, c: float, kappa: float):
    """Mean and variance of t under g(t) ∝ e^{-a t} (t + c)^{-κ} on t ≥ 0."""
    j0, j1, j2 = _log_integrals(a, c, kappa)
    mean = j1 / j0
    return mean / a, (j2 / j0 - mean * mean) / (a * a)


def _log_cdf(t: np.ndarray, a: float, c: float, kappa: float) -> np.ndarray:
    """P(T ≤ t) under g (for the KS distance)."""
    if kappa == 0:
        return 1 - np.exp(-a * t)
    from scipy.integrate import quad

    total = _log_integrals(a, c, kappa)[0]
    grid = np.unique(np.quantile(t, np.linspace(0, 1, 201)))
    f = lambda x: math.exp(-x) * (1 + x / (a * c)) ** (-kappa)  # noqa: E731
    cdf = (
        np.cumsum(
            [0.0]
            + [
                quad(f, a * g0, a * g1, epsabs=0, epsrel=1e-10)[0]
                for g0, g1 in zip(grid[:-1], grid[1:])
            ]
        )
        / total
    )
    cdf += quad(f, 0, a * grid[0], epsabs=0, epsrel=1e-10)[0] / total if grid[0] > 0 else 0.0
    return np.interp(t, grid, cdf)


def fit_power_law(values, *, upper: float, log_power: float = 0.0) -> PowerLawFit:
    """Maximum-likelihood fit of P(Λ) ∝ Λ^{-γ} (-ln Λ)^{-κ} to the ``values`` in (0, upper].

    With t = ln(upper/Λ) the model is g(t) ∝ e^{-(1-γ)t} (t + c)^{-κ}, c = -ln(upper)
    (> 0: ``upper`` < 1): the MLE solves E[t] = mean(t) (for κ = 0, the Hill estimator
    1-γ = 1/mean(t)) and the standard error is 1/sqrt(n Var[t]). ``log_power`` = κ is
    held fixed: 0 for a pure power law, 5/2 for eq. (2.9) of seed 000, whose exponent is
    γ = (β+1)/(2β). Needs γ < 1 (a normalisable density at 0).

    **Arguments:**

    - `values`: the sample (e.g. Λ of the dS vacua of a scan); those in (0, upper] are fitted.
    - `upper`: the upper end of the fitted range.
    - `log_power`: κ, held fixed.

    **Returns:**

    A `PowerLawFit`: `exponent` γ, its standard `error`, the number `n` of values fitted and
    the Kolmogorov–Smirnov distance `ks` of the fit.
    """
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v) & (v > 0) & (v <= upper)]
    n = v.size
    if n < 3:
        raise ValueError(f"need at least 3 values in (0, upper={upper}] (got {n}).")
    kappa = float(log_power)
    c = -math.log(upper)
    if kappa != 0 and not c > 0:
        raise ValueError(f"with log_power != 0, upper must be < 1 (got {upper}).")
    t = np.log(upper / v)
    mean_t = float(np.mean(t))
    if kappa == 0:
        a = 1.0 / mean_t
        var = 1.0 / (a * a)
    else:
        from scipy.optimize import brentq

        # E_a[t] decreases monotonically in a: solve E_a[t] = mean(t) on log a
        def excess(log_a):
            return math.log(_log_moments(math.exp(log_a), c, kappa)[0] / mean_t)

        try:
            root = brentq(excess, math.log(1e-6 / mean_t), math.log(1e3 / mean_t), xtol=1e-12)
            a = math.exp(cast(float, root))  # the root alone (no full_output); scipy is untyped
        except ValueError:
            raise ValueError(
                f"no exponent < 1 fits these {n} values with log_power={kappa}: the mean of "
                "ln(upper/Λ) is out of the model's range (try log_power=0 or another upper)."
            ) from None
        var = _log_moments(a, c, kappa)[1]
    error = 1.0 / math.sqrt(n * var)
    ts = np.sort(t)
    cdf = _log_cdf(ts, a, c, kappa)
    i = np.arange(1, n + 1)
    ks = float(max(np.max(i / n - cdf), np.max(cdf - (i - 1) / n)))
    return PowerLawFit(
        exponent=1.0 - a, error=error, log_power=kappa, upper=float(upper), n=int(n), ks=ks
    )


@dataclasses.dataclass(frozen=True)
class BinnedPowerLawFit:
    """log10 P(Λ) = -exponent · log10 Λ - log_power · log10(-ln Λ) + intercept, fitted by
    least squares over ``bins`` histogram bins (see :func:`fit_binned_power_law`)."""

    exponent: float
    intercept: float
    log_power: float
    bins: int


def fit_binned_power_law(
    log10_edges, density, *, lower: float, upper: float, log_power: float = 0.0
) -> BinnedPowerLawFit:
    """Least-squares fit of P(Λ) ∝ Λ^{-γ} (-ln Λ)^{-κ} to a density given on bins, for a
    density known on a grid rather than as a sample (an exact or Kac–Rice density; for a
    sample of Λ use the maximum-likelihood :func:`fit_power_law`).

    ``log10_edges`` are the bin edges in log10 Λ (so Λ far below float64's range is fine),
    ``density`` the density in each bin. The fit uses the bins whose centre c (in log10 Λ)
    lies in [``lower``, ``upper``] (log10 Λ too) and whose density is > 0: a straight line
    through log10 P + κ log10(-c ln 10) against c, of slope -γ. ``log_power`` = κ is held
    fixed (0: a pure power law; 5/2: eq. (2.9) of seed 000) and needs c < 0 (Λ < 1). A
    density per unit Λ gives the γ of P(Λ); one per unit log10 Λ gives γ - 1.
    """
    edges = np.asarray(log10_edges, dtype=np.float64)
    p = np.asarray(density, dtype=np.float64)
    if edges.ndim != 1 or p.shape != (edges.size - 1,):
        raise ValueError(
            f"need n + 1 edges for n densities (got {edges.size} edges and {p.size} densities)."
        )
    centres = 0.5 * (edges[1:] + edges[:-1])
    sel = (centres >= lower) & (centres <= upper) & (p > 0) & np.isfinite(p)
    if np.count_nonzero(sel) < 2:
        raise ValueError(
            f"need at least 2 bins with density > 0 in [{lower}, {upper}] "
            f"(got {np.count_nonzero(sel)})."
        )
    kappa = float(log_power)
    c = centres[sel]
    y = np.log10(p[sel])
    if kappa != 0:
        if np.any(c >= 0):
            raise ValueError("with log_power != 0, the bins must lie below Λ = 1 (log10 Λ < 0).")
        y = y + kappa * np.log10(-c * math.log(10.0))
    slope, intercept = np.polyfit(c, y, 1)
    return BinnedPowerLawFit(
        exponent=-float(slope), intercept=float(intercept), log_power=kappa, bins=int(c.size)
    )
