"""jaxvac: find, verify and classify the vacua of 4d N=1 supergravity potentials.

The public names below are imported on first use (PEP 562), so ``import jaxvac`` — and the
command line's ``--help`` — load neither JAX nor matplotlib, pyarrow or mpmath; the first
physics name used loads JAX (and turns on the compilation cache, jaxvac/_cache.py).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

from ._version import __version__  # the one place the version is written

#: public name -> module defining it (relative to this package)
_EXPORTS: dict[str, str] = {
    # ._analysis
    "PointAnalysis": "._analysis",
    "analyse": "._analysis",
    "analyse_point": "._analysis",
    # ._classify
    "CriticalType": "._classify",
    "Result": "._classify",
    "Vacuum": "._classify",
    # ._config
    "EPS": "._config",
    "PrecisionError": "._config",
    "enable_x64": "._config",
    "ensure_x64": "._config",
    # ._model
    "AbstractModel": "._model",
    "PotentialModel": "._model",
    "SupergravityModel": "._model",
    "canonical": "._model",
    # ._potential
    "FTermParts": "._potential",
    "fterm_parts": "._potential",
    "kinetic_metric": "._potential",
    "potential_and_scale": "._potential",
    "scalar_potential": "._potential",
    "wirtinger": "._potential",
    # ._report
    "CheckReport": "._report",
    "check": "._report",
    "point_record": "._report",
    # ._precision
    "HighPrecisionReport": "._precision",
    "Refinement": "._precision",
    "analyse_high_precision": "._precision",
    "at_precision": "._precision",
    "check_high_precision": "._precision",
    "escalate": "._precision",
    "refine": "._precision",
    # ._search
    "FindResult": "._search",
    "Region": "._search",
    "SearchResult": "._search",
    "SolveResult": "._search",
    "find_critical_points": "._search",
    "solve_from": "._search",
    "solve_susy_from": "._search",
    # ._implicit
    "LocatedCriticalPoint": "._implicit",
    "VacuumObservables": "._implicit",
    "locate_critical_point": "._implicit",
    "vacuum_derivatives": "._implicit",
    "vacuum_observables": "._implicit",
    # ._continuation
    "ContinuationResult": "._continuation",
    "continue_critical_point": "._continuation",
    # ._certify
    "Certificate": "._certify",
    "RegionCertificate": "._certify",
    "certify": "._certify",
    "certify_region": "._certify",
    # .scan
    "ScanConfig": ".scan",
    "ScanResult": ".scan",
    "ScanStorageError": ".scan",
    "binomial_interval": ".scan",
    "fit_power_law": ".scan",
    "load_scan": ".scan",
    "log_histogram": ".scan",
    "quantiles": ".scan",
    "scan": ".scan",
    "vacuum_fractions": ".scan",
}
#: subpackages that are public names themselves
_SUBPACKAGES = ("models", "special")

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load on first use
    from ._analysis import PointAnalysis, analyse, analyse_point
    from ._classify import CriticalType, Result, Vacuum
    from ._config import EPS, PrecisionError, enable_x64, ensure_x64
    from ._model import AbstractModel, PotentialModel, SupergravityModel, canonical
    from ._potential import FTermParts, fterm_parts, kinetic_metric, potential_and_scale, scalar_potential, wirtinger
    from ._report import CheckReport, check, point_record
    from ._precision import HighPrecisionReport, Refinement, analyse_high_precision, at_precision, check_high_precision, escalate, refine
    from ._search import FindResult, Region, SearchResult, SolveResult, find_critical_points, solve_from, solve_susy_from
    from ._implicit import LocatedCriticalPoint, VacuumObservables, locate_critical_point, vacuum_derivatives, vacuum_observables
    from ._continuation import ContinuationResult, continue_critical_point
    from ._certify import Certificate, RegionCertificate, certify, certify_region
    from .scan import ScanConfig, ScanResult, ScanStorageError, binomial_interval, fit_power_law, load_scan, log_histogram, quantiles, scan, vacuum_fractions
    from . import models, special


def __getattr__(name: str):
    if name in _SUBPACKAGES:
        value = importlib.import_module(f"{__name__}.{name}")
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """``jaxvac.scan`` is the function :func:`jaxvac.scan.scan`; the package of the same name
    is ``sys.modules["jaxvac.scan"]``. Importing a module of that package (``from
    jaxvac.scan import load_scan``) makes Python bind the package to ``jaxvac.scan``; this
    keeps the function there instead."""

    def __setattr__(self, name, value):
        if name == "scan" and isinstance(value, types.ModuleType):
            value = getattr(value, "scan", value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "Certificate",
    "RegionCertificate",
    "certify",
    "certify_region",
    "ContinuationResult",
    "FindResult",
    "Region",
    "SearchResult",
    "SolveResult",
    "LocatedCriticalPoint",
    "VacuumObservables",
    "continue_critical_point",
    "find_critical_points",
    "locate_critical_point",
    "solve_from",
    "solve_susy_from",
    "vacuum_derivatives",
    "vacuum_observables",
    "HighPrecisionReport",
    "Refinement",
    "analyse_high_precision",
    "at_precision",
    "check_high_precision",
    "escalate",
    "refine",
    "ScanConfig",
    "ScanResult",
    "ScanStorageError",
    "binomial_interval",
    "fit_power_law",
    "load_scan",
    "log_histogram",
    "quantiles",
    "scan",
    "vacuum_fractions",
    "AbstractModel",
    "CriticalType",
    "EPS",
    "FTermParts",
    "PointAnalysis",
    "PotentialModel",
    "PrecisionError",
    "Result",
    "SupergravityModel",
    "Vacuum",
    "analyse",
    "analyse_point",
    "canonical",
    "check",
    "CheckReport",
    "point_record",
    "enable_x64",
    "ensure_x64",
    "fterm_parts",
    "kinetic_metric",
    "models",
    "potential_and_scale",
    "scalar_potential",
    "special",
    "wirtinger",
]
