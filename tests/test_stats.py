"""Scan statistics on synthetic samples with known answers: binomial intervals against
scipy and by their coverage, P(Λ) histograms against the exact density, bootstrap
quantile intervals against the exact quantiles, power-law fits against the exponent the
sample was drawn with (pure power law and the (-ln Λ)^{-5/2} law of eq. (2.9))."""

import math

import numpy as np
import pytest
from scipy import stats as sps

from jaxvac.scan._stats import (
    binomial_interval,
    fit_power_law,
    log_histogram,
    quantiles,
    vacuum_fractions,
)


@pytest.mark.parametrize("k, n", [(0, 10), (3, 10), (10, 10), (1, 1000), (517, 1000), (4, 123456)])
@pytest.mark.parametrize("confidence", [0.68, 0.95])
def test_binomial_intervals_match_scipy(k, n, confidence):
    res = sps.binomtest(k, n)
    for method, sp_method in (("wilson", "wilson"), ("clopper-pearson", "exact")):
        ci = res.proportion_ci(confidence_level=confidence, method=sp_method)
        lo, hi = binomial_interval(k, n, confidence, method)
        # scipy finds the exact bounds by root finding to ~1e-8 relative
        np.testing.assert_allclose([lo, hi], [ci.low, ci.high], rtol=1e-7, atol=1e-14)
    if 0 < k < n:  # the exact bounds solve I_lo(k, n-k+1) = α/2, I_hi(k+1, n-k) = 1-α/2
        lo, hi = binomial_interval(k, n, confidence, "clopper-pearson")
        alpha = 1 - confidence
        assert sps.beta.cdf(lo, k, n - k + 1) == pytest.approx(alpha / 2, rel=1e-9)
        assert sps.beta.cdf(hi, k + 1, n - k) == pytest.approx(1 - alpha / 2, rel=1e-9)


def test_binomial_interval_coverage():
    """Over 4000 experiments with p = 0.03, n = 200, the 95% intervals cover p about 95%
    of the time (Clopper-Pearson at least 95%)."""
    rng = np.random.default_rng(1)
    p, n = 0.03, 200
    ks = rng.binomial(n, p, 4000)
    for method, low_ok in (("wilson", 0.92), ("clopper-pearson", 0.95)):
        cover = np.mean(
            [lo <= p <= hi for lo, hi in (binomial_interval(k, n, 0.95, method) for k in ks)]
        )
        assert low_ok <= cover <= 0.99, (method, cover)


def test_binomial_bad_input():
    with pytest.raises(ValueError, match="0 <= k <= n"):
        binomial_interval(5, 3)
    with pytest.raises(ValueError, match="method must be"):
        binomial_interval(1, 3, method="agresti")
    with pytest.raises(ValueError, match="confidence must be in"):
        binomial_interval(1, 3, confidence=1.5)


def test_vacuum_fractions_from_counts():
    counts = {
        "points": 1000,
        "starts": 16000,
        "results": {"successful": 12000, "max_steps": 4000},
        "vacua": {
            "successful": 3000,
            "minima": 1500,
            "dS": 900,
            "dS-minima": 30,
            "AdS": 2100,
            "AdS-minima": 1470,
            "Minkowski": 0,
            "saddles": 1500,
            "maxima": 0,
        },
        "points_with": {
            "successful": 990,
            "minima": 950,
            "dS": 600,
            "dS-minima": 25,
            "AdS": 980,
            "AdS-minima": 940,
            "Minkowski": 0,
            "saddles": 800,
            "maxima": 0,
        },
    }
    f = vacuum_fractions(counts)
    assert f["dS-minima"].k == 25 and f["dS-minima"].n == 1000 and f["dS-minima"].value == 0.025
    lo, hi = sps.binomtest(25, 1000).proportion_ci(method="wilson")
    assert f["dS-minima"].low == pytest.approx(lo) and f["dS-minima"].high == pytest.approx(hi)
    g = vacuum_fractions(counts, per="vacuum", method="clopper-pearson")
    assert g["dS-minima"].n == 3000 and g["dS-minima"].value == 0.01
    s = vacuum_fractions(counts, per="start")
    assert s["max_steps"].value == 0.25
    assert "0.025 [" in str(f["dS-minima"])


def _power_law_sample(rng, gamma, upper, n):
    """Λ with density ∝ Λ^{-γ} on (0, upper]: inverse CDF Λ = upper·U^{1/(1-γ)}."""
    return upper * rng.uniform(size=n) ** (1 / (1 - gamma))


def test_log_histogram_density_matches_the_exact_density():
    rng = np.random.default_rng(2)
    gamma, upper, n = 0.6, 1e-3, 200_000
    lam = _power_law_sample(rng, gamma, upper, n)
    h = log_histogram(lam, bins=20, range=(1e-10, 1e-3))
    # exact probability of each bin: (b^{1-γ} - a^{1-γ}) / upper^{1-γ}
    a, b = h.edges[:-1], h.edges[1:]
    prob = (b ** (1 - gamma) - a ** (1 - gamma)) / upper ** (1 - gamma)
    exact = prob / (b - a)
    pull = (h.density - exact) / h.error
    assert np.all(np.abs(pull) < 5)
    assert 0.4 < np.mean(pull**2) < 2.0  # errors are the right size
    np.testing.assert_allclose(h.density_log10, h.density * (b - a) / np.diff(np.log10(h.edges)))
    assert h.counts.sum() == np.sum((lam >= 1e-10) & (lam <= 1e-3))
    with pytest.raises(ValueError, match="positive values"):
        log_histogram([-1.0, 2.0])


def test_quantiles_with_bootstrap_intervals_cover_the_exact_values():
    rng = np.random.default_rng(3)
    gamma, upper = 0.75, 1.0
    exact = {y: upper * y ** (1 / (1 - gamma)) for y in (0.1, 0.5)}  # CDF (Λ/upper)^{1-γ}
    covered = {0.1: 0, 0.5: 0}
    reps = 40
    for r in range(reps):
        lam = _power_law_sample(rng, gamma, upper, 2000)
        for q in quantiles(lam, (0.1, 0.5), confidence=0.9, n_boot=300, seed=r):
            covered[q.y] += q.low <= exact[q.y] <= q.high
            assert q.low <= q.value <= q.high
    for y, c in covered.items():  # 90% intervals: expect 36 of 40; binomial 5σ band
        assert c >= 29, (y, c)
    q = quantiles(_power_law_sample(rng, gamma, upper, 20000), (0.5,))[0]
    # the interval width matches the asymptotic standard error sqrt(Y(1-Y)/n)/f(Λ_Y)
    f = (1 - gamma) * exact[0.5] ** -gamma
    sigma = math.sqrt(0.25 / 20000) / f
    assert 0.7 < (q.high - q.low) / (2 * 1.96 * sigma) < 1.3


def test_power_law_fit_recovers_the_exponent():
    rng = np.random.default_rng(4)
    pulls = []
    for _ in range(30):
        lam = _power_law_sample(rng, 0.75, 1e-2, 3000)
        fit = fit_power_law(lam, upper=1e-2)
        pulls.append((fit.exponent - 0.75) / fit.error)
    pulls = np.array(pulls)
    assert abs(pulls.mean()) < 4 / math.sqrt(30)
    assert 0.6 < pulls.std() < 1.5
    assert fit.error == pytest.approx(0.25 / math.sqrt(3000), rel=0.1)
    assert fit.ks < 3 / math.sqrt(3000)
    # values above `upper` are ignored
    fit2 = fit_power_law(np.concatenate([lam, [0.5, 0.9]]), upper=1e-2)
    assert fit2.exponent == fit.exponent and fit2.n == 3000


def _log_law_sample(rng, gamma, kappa, upper, n):
    """Λ with density ∝ Λ^{-γ} (-ln Λ)^{-κ} on (0, upper], by rejection: t = ln(upper/Λ)
    is exponential with rate 1-γ times the factor ((t + c)/c)^{-κ} ≤ 1, c = -ln upper."""
    c = -math.log(upper)
    out = []
    while len(out) < n:
        t = rng.exponential(1 / (1 - gamma), 4 * n)
        keep = rng.uniform(size=t.size) < ((t + c) / c) ** -kappa
        out.extend(t[keep])
    return upper * np.exp(-np.array(out[:n]))


def test_power_law_fit_with_the_log_factor_of_eq_2_9():
    """P(Λ) ∝ Λ^{-(β+1)/(2β)} (-ln Λ)^{-5/2} (seed 000, eq. (2.9)) with β = 1.2."""
    beta = 1.2
    gamma = (beta + 1) / (2 * beta)
    rng = np.random.default_rng(5)
    lam = _log_law_sample(rng, gamma, 2.5, 1e-20, 4000)
    fit = fit_power_law(lam, upper=1e-20, log_power=2.5)
    assert abs(fit.exponent - gamma) < 4 * fit.error
    assert fit.error < 0.03
    assert fit.ks < 3 / math.sqrt(4000)
    # ignoring the log factor biases the exponent: the fit must see it
    plain = fit_power_law(lam, upper=1e-20)
    assert abs(plain.exponent - gamma) > 4 * plain.error


def test_binned_power_law_fit_recovers_an_exact_density():
    """The exact density P(Λ) = Λ^{-γ} (-ln Λ)^{-κ} of eq. (2.9) (β = 1.2: γ = 11/12,
    κ = 5/2), integrated over decades far below float64's range (Λ ~ 10^-400), is fitted
    to its exponent; without the log factor the exponent is biased, and the bins outside
    [lower, upper] or with zero density are not used."""
    from jaxvac.scan._stats import fit_binned_power_law

    gamma, kappa = 11 / 12, 2.5
    edges = np.arange(-420.0, -9.0, 1.0)  # log10 Λ
    # the mean density over each decade: ∫ Λ^{-γ} (-ln Λ)^{-κ} dΛ / ΔΛ, by the substitution
    # Λ = 10^x (mpmath-free: in log space, 400 points per decade, relative error < 1e-9)
    x = np.linspace(edges[:-1], edges[1:], 401)
    ln = math.log(10.0)
    log_integrand = (1 - gamma) * x * ln - kappa * np.log(-x * ln) + math.log(ln)
    peak = log_integrand.max(axis=0)
    integral = np.trapezoid(np.exp(log_integrand - peak), x, axis=0) * np.exp(peak)
    log10_width = edges[1:] + np.log10(1 - 10.0 ** (edges[:-1] - edges[1:]))
    log10_density = np.log10(integral) - log10_width
    # divided by a constant (the median) to stay within float64: 356 decades from end to end
    density = 10.0 ** (log10_density - np.median(log10_density))
    density[0] = 0.0  # an empty bin is skipped
    fit = fit_binned_power_law(edges, density, lower=-400.0, upper=-20.0, log_power=kappa)
    assert fit.bins == 380 and fit.log_power == kappa  # centres -399.5 ... -20.5
    assert fit.exponent == pytest.approx(gamma, abs=1e-4)
    plain = fit_binned_power_law(edges, density, lower=-400.0, upper=-20.0)
    assert abs(plain.exponent - gamma) > 5e-3
    with pytest.raises(ValueError, match="at least 2 bins"):
        fit_binned_power_law(edges, density, lower=-419.9, upper=-419.1)
    with pytest.raises(ValueError, match="below"):
        fit_binned_power_law(
            np.array([-1.0, 0.0, 1.0, 2.0]), np.ones(3), lower=-1, upper=2, log_power=1.0
        )
