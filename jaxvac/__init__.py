"""jaxvac: find, verify and classify the vacua of 4d N=1 supergravity potentials.

The public names below are imported on first use (PEP 562), so ``import jaxvac`` — and the
command line's ``--help`` — load neither JAX nor matplotlib, pyarrow or mpmath; the first
physics name used loads JAX (and turns on the compilation cache, jaxvac/_cache.py).

``__all__`` is the public API, chosen name by name. A few internals stay reachable as
attributes for code written against earlier releases (:data:`_INTERNAL`), but are not
part of it: import them from their modules. ``jaxvac.run_scan`` runs a scan;
``jaxvac.scan`` is the package of the scan engine (calling it still runs a scan, with a
DeprecationWarning, for one release).
"""

from __future__ import annotations

import importlib
import sys
import types
import warnings
from typing import TYPE_CHECKING

from ._version import __version__ as __version__  # the one place the version is written

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
    "PrecisionError": "._errors",
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
    "newton_at_precision": "._precision",
    "PrecisionNewton": "._precision",
    # ._search
    "FindResult": "._find",
    "Region": "._search",
    "SearchResult": "._search",
    "SolveResult": "._search",
    "find_critical_points": "._find",
    "solve_from": "._search",
    "solve_susy_from": "._search",
    # ._point, ._implicit
    "CriticalPoint": "._point",
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
    "run_scan": ".scan",
    "vacuum_fractions": ".scan",
}
#: subpackages that are public names themselves
_SUBPACKAGES = ("models", "scan", "special", "plot")  # plot: matplotlib only when drawing
#: public name -> the name it has in its module
_RENAMED = {"run_scan": "scan"}
#: reachable as attributes for earlier code, but internal: not in ``__all__``
_INTERNAL = (
    "EPS",
    "canonical",
    "ensure_x64",
    "point_record",
    "wirtinger",
    "LocatedCriticalPoint",  # CriticalPoint's earlier name (the same class)
)

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load on first use
    from . import models, scan, special
    from . import plot as plot
    from ._analysis import PointAnalysis, analyse, analyse_point
    from ._certify import Certificate, RegionCertificate, certify, certify_region
    from ._classify import CriticalType, Result, Vacuum
    from ._config import EPS as EPS
    from ._config import PrecisionError, enable_x64
    from ._config import ensure_x64 as ensure_x64
    from ._continuation import ContinuationResult, continue_critical_point
    from ._find import FindResult, find_critical_points
    from ._implicit import LocatedCriticalPoint as LocatedCriticalPoint
    from ._implicit import (
        VacuumObservables,
        locate_critical_point,
        vacuum_derivatives,
        vacuum_observables,
    )
    from ._model import AbstractModel, PotentialModel, SupergravityModel
    from ._model import canonical as canonical
    from ._point import CriticalPoint
    from ._potential import (
        FTermParts,
        fterm_parts,
        kinetic_metric,
        potential_and_scale,
        scalar_potential,
    )
    from ._potential import wirtinger as wirtinger
    from ._precision import (
        HighPrecisionReport,
        PrecisionNewton,
        Refinement,
        analyse_high_precision,
        at_precision,
        check_high_precision,
        escalate,
        newton_at_precision,
        refine,
    )
    from ._report import CheckReport, check
    from ._report import point_record as point_record
    from ._search import Region, SearchResult, SolveResult, solve_from, solve_susy_from
    from .scan import (
        ScanConfig,
        ScanResult,
        ScanStorageError,
        binomial_interval,
        fit_power_law,
        load_scan,
        log_histogram,
        quantiles,
        vacuum_fractions,
    )
    from .scan import scan as run_scan


def __getattr__(name: str):
    if name in _SUBPACKAGES:
        value = importlib.import_module(f"{__name__}.{name}")
    elif name in _EXPORTS:
        module = importlib.import_module(_EXPORTS[name], __name__)
        value = getattr(module, _RENAMED.get(name, name))
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


class _CallableScanPackage(types.ModuleType):
    """The package ``jaxvac.scan``, callable for one release as the function it used to
    shadow: ``jaxvac.scan(config, out)`` warns and runs :func:`jaxvac.run_scan`."""

    def __call__(self, *args, **kwargs):
        warnings.warn(
            "calling jaxvac.scan(...) is deprecated and will be removed in the next release: "
            "call jaxvac.run_scan(...) (jaxvac.scan is the package of the scan engine).",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.scan(*args, **kwargs)


class _Package(types.ModuleType):
    """Importing the package ``jaxvac.scan`` (``from jaxvac.scan import load_scan``, or a
    first use of ``jaxvac.scan``) binds it here; it is made callable on the way
    (:class:`_CallableScanPackage`)."""

    def __setattr__(self, name, value):
        if name == "scan" and type(value) is types.ModuleType:
            value.__class__ = _CallableScanPackage
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "Certificate",
    "RegionCertificate",
    "certify",
    "certify_region",
    "ContinuationResult",
    "CriticalPoint",
    "FindResult",
    "Region",
    "SearchResult",
    "SolveResult",
    "VacuumObservables",
    "continue_critical_point",
    "find_critical_points",
    "locate_critical_point",
    "solve_from",
    "solve_susy_from",
    "vacuum_derivatives",
    "vacuum_observables",
    "HighPrecisionReport",
    "PrecisionNewton",
    "Refinement",
    "analyse_high_precision",
    "at_precision",
    "check_high_precision",
    "escalate",
    "newton_at_precision",
    "refine",
    "ScanConfig",
    "ScanResult",
    "ScanStorageError",
    "binomial_interval",
    "fit_power_law",
    "load_scan",
    "log_histogram",
    "quantiles",
    "run_scan",
    "scan",
    "vacuum_fractions",
    "AbstractModel",
    "CriticalType",
    "FTermParts",
    "PointAnalysis",
    "PotentialModel",
    "PrecisionError",
    "Result",
    "SupergravityModel",
    "Vacuum",
    "analyse",
    "analyse_point",
    "check",
    "CheckReport",
    "enable_x64",
    "fterm_parts",
    "kinetic_metric",
    "models",
    "potential_and_scale",
    "scalar_potential",
    "special",
]
