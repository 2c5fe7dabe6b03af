"""Landscape scans: batched parameter sweeps, Parquet results that survive crashes,
statistics and figures (``docs/scans.md``)."""

from ._config import ScanConfig, read_config
from ._result import ScanResult, load_scan
from ._run import scan
from ._stats import (
    Fraction,
    LogHistogram,
    PowerLawFit,
    Quantile,
    binomial_interval,
    fit_power_law,
    log_histogram,
    quantiles,
    vacuum_fractions,
)
from ._storage import ScanStorageError

__all__ = [
    "Fraction",
    "LogHistogram",
    "PowerLawFit",
    "Quantile",
    "ScanConfig",
    "ScanResult",
    "ScanStorageError",
    "binomial_interval",
    "fit_power_law",
    "load_scan",
    "log_histogram",
    "quantiles",
    "read_config",
    "scan",
    "vacuum_fractions",
]
