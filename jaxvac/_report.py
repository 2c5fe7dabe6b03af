"""Turning a :class:`~jaxvac.PointAnalysis` into the JSON record of DESIGN.md, and
``jaxvac.check``: the analysis of one given point."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import numpy as np

from . import _range
from ._analysis import DEFAULT_RTOL, PointAnalysis, analyse
from ._config import ensure_x64
from ._io import dumps, per_field, point_to_y, y_to_fields
from ._model import AbstractModel
from ._point import CriticalPoint
from ._solution import NOT_ANALYSED, CriticalType, Result, Vacuum

#: Names of the three ratios in ``stationarity_tests`` (each passes when <= 1): the
#: residual over rtol, the canonical gradient over ten times its resolution, and the Newton
#: step still to take over its bound (docs/numerics.md, "Stationarity").
STATIONARITY_TESTS = ("residual", "resolved_gradient", "newton_step")

#: Digits of V below which a point's vacuum type is not trusted and a high-precision
#: re-check is advised.
ADVICE_DIGITS = 3.0


def _index(analysis: PointAnalysis, i):
    if i is None:
        return jax.tree.map(np.asarray, analysis)
    return jax.tree.map(lambda a: np.asarray(a)[i], analysis)


#: Message of a point whose V, gradient or Hessian depends on a float64 range event.
RANGE_MESSAGE = (
    "float64 range error: {events} in an intermediate of V, its gradient or its Hessian "
    "(values below 2.2e-308 are flushed to 0, an inf divided into gives 0), so these "
    "numbers cannot be trusted here; re-check with --digits N, where there is no range "
    "to leave"
)


def advice(record: dict[str, Any], result: Result | None = None) -> str | None:
    """What to do next: for a point that is not critical, how to find the critical point
    nearby; otherwise an escalation hint when float64 is not enough to classify it.
    ``result``: the point's code (read from ``record["result"]`` when not given)."""
    digits = record.get("digits")
    if result is None:
        result = Result[record["result"]] if "result" in record else None
    if result in NOT_ANALYSED:
        return None
    # decide on codes, not on words: the record's words are the enums' names
    vacuum = Vacuum[record["vacuum"]] if record.get("vacuum") in Vacuum.__members__ else None
    ctype = CriticalType[record["type"]] if record.get("type") in CriticalType.__members__ else None
    if record.get("range_errors"):
        return (
            f"float64 {' and '.join(record['range_errors'])} in the computation of V and its "
            "derivatives at this point: re-check at high precision with `jaxvac check ... "
            "--digits 60` (Python: jaxvac.check(..., digits=60))."
        )
    if result is Result.not_critical:
        return (
            f"not a critical point, so no vacuum (stationarity {record['stationarity']:.2g} > 1; "
            f"its Hessian's signature here, '{record['curvature']}', is only the local "
            f"curvature). The Newton step to the critical point nearby is "
            f"{record['newton_step']:.2e} (canonical field distance): refine it with "
            "`jaxvac check ... --json > p.json; jaxvac refine MODEL --from p.json --digits 30`, "
            "or search around it with `jaxvac find MODEL --region NAME=LO:HI`."
        )
    if digits is not None and digits < ADVICE_DIGITS and vacuum is not Vacuum.Minkowski:
        return (
            f"float64 keeps {digits:.1f} significant digits of V at this point (the terms "
            f"of V are ~{record['V_scale']:.2e}); its sign and the type may not be "
            "trusted: re-check at high precision with `jaxvac check ... --digits 60` "
            "(Python: jaxvac.check(..., digits=60))."
        )
    masses_digits = record.get("masses_digits") or []
    if ctype is CriticalType.unresolved and record.get("n_flat", 0) > 0:
        return (
            "no mass eigenvalue is resolved in float64 here; re-check at high precision "
            "with `jaxvac check ... --digits 60`."
        )
    if masses_digits and min(masses_digits) < 1.0 and record.get("n_flat", 0) > 0:
        return (
            f"{record['n_flat']} direction(s) are flat to float64 resolution "
            f"(|m²| < {record['masses_error'] * 10:.1e}); if their sign matters, re-check "
            "with `jaxvac check ... --digits 60`."
        )
    return None


def point_record(model: AbstractModel, analysis: PointAnalysis, i=None, *, gradient=False):
    """One critical point as the JSON record of ``jaxvac check`` and ``jaxvac find``.

    **Arguments:**

    - `model`: the model the analysis belongs to.
    - `analysis`: a [`PointAnalysis`][jaxvac.PointAnalysis], of one point or of a batch.
    - `i`: with a batch, the index of the point.
    - `gradient`: also include ∇V (as `check` does).

    **Returns:**

    A dict of JSON-ready values: `fields`, `V`, `type`, `vacuum`, `susy`, `masses_squared`,
    `digits`, `residual`, `stationarity`, `result`, `message`, `advice`, ...
    (the field names of DESIGN.md, explained in docs/numerics.md).
    """
    a = _index(analysis, i)
    sugra = model.is_supergravity
    vacuum = Vacuum(int(a.vacuum)).name
    record: dict[str, Any] = {
        "fields": y_to_fields(model, a.y),
        "V": float(a.V),
        "type": CriticalType(int(a.critical_type)).name,
        "curvature": CriticalType(int(a.curvature)).name,
        "index": int(a.n_negative),
        "n_negative": int(a.n_negative),
        "n_flat": int(a.n_flat),
        "vacuum": vacuum,
    }
    if sugra:
        record["susy"] = bool(a.susy)
    record["bf_stable"] = bool(a.bf_stable) if int(a.vacuum) == Vacuum.AdS else None
    record["masses_squared"] = [float(v) for v in a.masses_squared]
    if sugra:
        record["gravitino_mass"] = float(a.gravitino_mass)
    range_errors = _range.describe(a.range_flags)
    message = Result(int(a.result)).message
    if range_errors:
        message = RANGE_MESSAGE.format(events=" and ".join(range_errors))
    record.update(
        {
            "residual": float(a.residual),
            "stationarity": float(a.stationarity),
            "stationarity_tests": dict(zip(STATIONARITY_TESTS, map(float, a.stationarity_tests))),
            "gradient_resolution": float(a.gradient_resolution),
            "digits": float(a.digits),
            "result": Result(int(a.result)).name,
            "message": message,
            "range_errors": range_errors,
            "V_scale": float(a.V_scale),
            "V_error": float(a.V_error),
            "masses_error": float(a.masses_error),
            "masses_digits": [float(v) for v in a.masses_digits],
            "gradient_norm": float(a.gradient_norm),
            "newton_step": float(a.newton_step),
            "newton_step_error": float(a.newton_step_error),
            "epsilon": float(a.epsilon),
            "eta": float(a.eta),
        }
    )
    if sugra:
        record["susy_ratio"] = float(a.susy_ratio)
    if gradient:
        record["gradient"] = per_field(model, a.gradient)
    record["advice"] = advice(record, Result(int(a.result)))
    return record


@dataclasses.dataclass(frozen=True)
class CheckReport:
    """Result of [`jaxvac.check`][]: the model, its name and the
    [`PointAnalysis`][jaxvac.PointAnalysis] of the point.

    `repr(report)` is a one-line summary (type, vacuum, V with its digits, masses²,
    residual, result), `_repr_html_` a table in Jupyter, `to_dict()` / `to_json()` the JSON
    of `jaxvac check --json`; `report.V`, `report.masses_squared`, ... read the analysis,
    `report.result` is the [`Result`][jaxvac.Result] code.
    """

    model: AbstractModel
    analysis: PointAnalysis
    model_name: str

    @property
    def critical_point(self) -> CriticalPoint:
        """The point checked as a :class:`~jaxvac.CriticalPoint` (``y``, ``result``,
        ``analysis``; no ``stats``)."""
        return CriticalPoint(y=self.analysis.y, result=self.analysis.result, analysis=self.analysis)

    def to_dict(self) -> dict[str, Any]:
        out = {"model": self.model_name, "parameters": self.model.parameters()}
        out.update(point_record(self.model, self.analysis, gradient=True))
        return out

    def to_json(self, **kwargs) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        """One line: ``CheckReport(kklt at T=113.58912+0j: AdS minimum, supersymmetric,
        BF-stable • V = -2.03412e-15 (14.0 digits) • m² = [...] • residual 3e-16 •
        successful)``. A component of a complex modulus below 10·ε·|z| prints as 0
        (:mod:`jaxvac._display`)."""
        from ._display import check_summary

        return check_summary(self.to_dict(), type(self).__name__)

    def _repr_html_(self) -> str:
        """The same summary as a table, for Jupyter."""
        from ._display import check_html

        return check_html(self.to_dict(), type(self).__name__)

    @property
    def result(self) -> Result:
        return Result(int(self.analysis.result))

    def __getattr__(self, name):
        # Convenience: report.V, report.masses_squared, ... from the analysis.
        analysis = object.__getattribute__(self, "analysis")
        if hasattr(analysis, name):
            return np.asarray(getattr(analysis, name))
        raise AttributeError(name)


def check(
    model: AbstractModel, point, *, rtol: float = DEFAULT_RTOL, name: str | None = None
) -> CheckReport:
    """Analyse one given point of a model (``jaxvac check``): V with its natural scale and
    the digits float64 keeps, the stationarity residual and the figure that decides it,
    canonical masses², type, vacuum, supersymmetry, BF stability and a result code. The
    point is not moved.

    **Arguments:**

    - `model`: a [`jaxvac.SupergravityModel`][] or [`jaxvac.PotentialModel`][].
    - `point`: the field values, `{"T": 113.589 + 0j}` (complex moduli) or `{"x": 1.0}`
      (real fields), or the real coordinates y as an array.
    - `rtol`: tolerance on the scale-free stationarity residual |∇V|_G / scale.
    - `name`: the model's name in the report (default its class name).

    **Returns:**

    A [`CheckReport`][jaxvac.CheckReport]; its `to_dict()` is the JSON of
    `jaxvac check --json`, gradient included. Never raises on a bad point: the result code
    says what is wrong.
    """
    ensure_x64()
    y = point_to_y(model, point)
    analysis = analyse(model, y, rtol=rtol)
    return CheckReport(model=model, analysis=analysis, model_name=name or type(model).__name__)
