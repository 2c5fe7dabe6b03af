"""Landscape scans: batched parameter sweeps, Parquet results that survive crashes,
statistics and figures (``docs/scans.md``)."""

from ._config import ScanConfig, read_config
from ._result import ScanResult, load_scan
from ._run import scan
from ._storage import ScanStorageError

__all__ = ["ScanConfig", "ScanResult", "ScanStorageError", "load_scan", "read_config", "scan"]
