"""jaxvac: find, verify and classify the vacua of 4d N=1 supergravity potentials."""

from ._analysis import PointAnalysis, analyse, analyse_point
from ._classify import CriticalType, Result, Vacuum
from ._config import EPS, PrecisionError, enable_x64, ensure_x64
from ._model import AbstractModel, PotentialModel, SupergravityModel, canonical
from ._potential import (
    FTermParts,
    fterm_parts,
    kinetic_metric,
    potential_and_scale,
    scalar_potential,
    wirtinger,
)
from ._report import CheckReport, check, point_record
from ._precision import (
    HighPrecisionReport,
    Refinement,
    analyse_high_precision,
    at_precision,
    check_high_precision,
    escalate,
    refine,
)
from ._search import (
    FindResult,
    Region,
    SearchResult,
    SolveResult,
    find_critical_points,
    solve_from,
    solve_susy_from,
)
from ._implicit import (
    LocatedCriticalPoint,
    VacuumObservables,
    locate_critical_point,
    vacuum_derivatives,
    vacuum_observables,
)
from ._continuation import ContinuationResult, continue_critical_point
from . import models
from . import special
# `jaxvac.scan` is the function below; the package is `jaxvac.scan` in sys.modules.
from .scan import (
    ScanConfig,
    ScanResult,
    ScanStorageError,
    binomial_interval,
    fit_power_law,
    load_scan,
    log_histogram,
    quantiles,
    scan,
    vacuum_fractions,
)

from ._version import __version__  # the one place the version is written

__all__ = [
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
