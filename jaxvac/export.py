"""Tables of critical points: CSV, pandas and LaTeX (``jaxvac find --out FILE.csv``,
``jaxvac find --latex``, :meth:`jaxvac.FindResult.to_pandas`).

Every function takes the critical points in any of the forms jaxvac gives them:

- a :class:`~jaxvac.FindResult` (:func:`jaxvac.find_critical_points`),
- the JSON object of ``jaxvac find --json`` / ``--out FILE.json`` (or ``FindResult.to_dict()``),
  as a dict, e.g. ``json.load(open("found.json"))``,
- a :class:`~jaxvac.CheckReport` (:func:`jaxvac.check`) or the JSON object of ``jaxvac check``,
- a list of point records (the ``critical_points`` of the above).

**Rows** (:func:`rows`, CSV, DataFrame): one per critical point, in the order listed (by V).
Columns: ``model``; the model's parameters (a number each; an array parameter as JSON text;
a parameter whose name is also a column below is called ``parameter.NAME``); the coordinates as
in a scan's Parquet files — ``T.re``, ``T.im`` for a modulus T, ``x`` for a plain field; then
every field of the point's JSON record in its order (``V``, ``type``, ``n_negative``, ``n_flat``,
``vacuum``, ``susy``, ``bf_stable``, ``masses_squared[0]`` … (one column per entry of a list,
lightest first), ``gravitino_mass``, ``residual``, ``digits``, ``result``, ``message``, …,
``basin_starts``). Lists of names (``range_errors``) are joined with ``;``; a missing value
(JSON ``null``) is an empty cell. Numbers are written with ``repr``, so a CSV file read back
gives the same floats bit for bit.

**LaTeX** (:func:`latex_table`): a ``booktabs`` table of the points for a paper, in the habit of
the m_theory tables: the coordinates, V, type, vacuum, supersymmetry, the lightest mass² and
the digits of V float64 kept; text is escaped.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from typing import IO, Any, cast

__all__ = ["latex_table", "require_pandas", "rows", "to_csv", "to_pandas", "write_csv"]

#: The record fields that are not columns of their own (expanded or dropped).
_SKIP = {"fields", "model", "parameters"}


def require_pandas(what: str):
    """``import pandas``, or ImportError with one line saying how to install it."""
    try:
        import pandas
    except ImportError:
        raise ImportError(
            f"{what} needs pandas, which is not installed: pip install 'jaxvac[analysis]' "
            "(or pip install pandas)."
        ) from None
    return pandas


# ---- the points, whatever form they come in --------------------------------------------------


def _points(result) -> tuple[str | None, dict[str, Any], list[dict[str, Any]]]:
    """(model name, parameters, point records) of any of the accepted forms."""
    if hasattr(result, "to_dict") and not isinstance(result, dict):
        result = result.to_dict()
    if isinstance(result, dict):
        if "critical_points" in result:
            return (
                result.get("model"),
                dict(result.get("parameters") or {}),
                list(result["critical_points"]),
            )
        if "fields" in result:  # one point: check's record
            return result.get("model"), dict(result.get("parameters") or {}), [result]
        raise ValueError(
            "expected a find result (with 'critical_points') or a point record (with 'fields')."
        )
    if isinstance(result, (list, tuple)) and all(
        isinstance(r, dict) and "fields" in r for r in result
    ):
        return None, {}, list(result)
    raise TypeError(
        f"expected a FindResult, CheckReport, their JSON object or a list of point "
        f"records, got {type(result).__name__}."
    )


def _flat(key: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flat(f"{key}.{k}", v, out)
    elif isinstance(value, (list, tuple)):
        if all(isinstance(v, str) for v in value):
            out[key] = ";".join(value)
        else:
            for i, v in enumerate(value):
                _flat(f"{key}[{i}]", v, out)
    else:
        out[key] = value


def _coordinates(fields: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, v in fields.items():
        if isinstance(v, dict):
            out[f"{name}.re"], out[f"{name}.im"] = v["re"], v["im"]
        else:
            out[name] = v
    return out


def _parameter_value(value):
    if isinstance(value, (list, tuple)):
        return json.dumps(value)
    return value


def rows(result) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and the rows (dicts) of the critical points of ``result`` (see the module
    docstring for the columns)."""
    model, parameters, points = _points(result)
    flat_points = []
    for p in points:
        row = _coordinates(p["fields"])
        for key, value in p.items():
            if key not in _SKIP:
                _flat(key, value, row)
        flat_points.append(row)
    point_columns: list[str] = []
    for row in flat_points:
        point_columns += [k for k in row if k not in point_columns]
    head = {"model": model} if model is not None else {}
    for name, value in parameters.items():
        column = f"parameter.{name}" if name in point_columns or name == "model" else name
        head[column] = _parameter_value(value)
    columns = list(head) + point_columns
    return columns, [{**head, **row} for row in flat_points]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # shortest string that reads back to the same float
    return str(value)


def write_csv(result, file: str | os.PathLike | IO[str]) -> None:
    """Write the rows of :func:`rows` as CSV (header line, then one line per point) to a
    path or an open text file."""
    columns, data = rows(result)

    def write(f):
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for row in data:
            w.writerow([_csv_cell(row.get(c)) for c in columns])

    if hasattr(file, "write"):
        write(file)
    else:
        with open(cast("str | os.PathLike", file), "w", newline="") as f:
            write(f)


def to_csv(result) -> str:
    """The CSV text of :func:`write_csv`."""
    buf = io.StringIO()
    write_csv(result, buf)
    return buf.getvalue()


def to_pandas(result):
    """The rows of :func:`rows` as a pandas DataFrame (needs pandas:
    ``pip install 'jaxvac[analysis]'``)."""
    pd = require_pandas("to_pandas()")
    columns, data = rows(result)
    return pd.DataFrame.from_records(data, columns=columns)


# ---- LaTeX -------------------------------------------------------------------------------------

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped (for text mode)."""
    return "".join(_LATEX_SPECIAL.get(c, c) for c in str(text))


def latex_number(x, digits: int = 6) -> str:
    """``$-2.03412\\times 10^{-15}$``; ``$113.589$``; ``nan``/``inf`` as text."""
    if x is None:
        return "--"
    x = float(x)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return r"$\infty$" if x > 0 else r"$-\infty$"
    return f"${_latex_mantissa(x, digits)}$"


def _latex_mantissa(x: float, digits: int) -> str:
    """``-2.03412 \times 10^{-15}``, ``113.589`` (math mode, without the dollars)."""
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


#: The SUSY column of the LaTeX table: a record's ``susy`` (True, False, or None/absent: "--").
_YES_NO: dict[Any, str] = {True: "yes", False: "no"}


def _latex_coordinate(value, digits: int) -> str:
    """A real field, or a modulus a + b i with a component below its resolution dropped
    (the rule of :func:`jaxvac._display.resolved`)."""
    from ._display import resolved

    if not isinstance(value, dict):
        return latex_number(value, digits)
    re, im = resolved(value["re"], value["im"])
    if im == 0:
        return latex_number(re, digits)
    imag = _latex_mantissa(abs(im), digits)
    if re == 0:
        return f"${'-' if im < 0 else ''}{imag}\\,i$"
    return f"${_latex_mantissa(re, digits)} {'-' if im < 0 else '+'} {imag}\\,i$"


def latex_table(
    result,
    *,
    digits: int = 6,
    labels: dict[str, str] | None = None,
    caption: str | None = None,
    label: str | None = None,
    successful_only: bool = False,
) -> str:
    r"""A ``booktabs`` LaTeX table of the critical points of ``result`` (any form the module
    docstring lists), for a paper: ``\usepackage{booktabs}`` in the preamble.

    Columns: ``#``, each field (a modulus as ``a + b\,i``; an imaginary or real part below
    the point's resolution, 10·ε·|z|, is dropped), :math:`V`, type, vacuum, SUSY (supergravity
    models), the lightest canonical mass² :math:`m^2_1`, and the digits of V float64 kept;
    a ``result`` column only if some listed point is not ``successful`` (only successful
    points are vacua; ``successful_only=True`` lists only those). Numbers have ``digits``
    significant digits. Field names are column headings as escaped text; ``labels`` maps a
    field name to a heading written as it is (LaTeX), e.g. ``{"T": "$T$", "theta": r"$\theta$"}``.
    With ``caption`` or ``label`` the tabular is wrapped in a ``table`` environment.
    """
    from ._version import __version__

    model, parameters, points = _points(result)
    if successful_only:
        points = [p for p in points if p.get("result") == "successful"]
    labels = labels or {}
    names = list(points[0]["fields"]) if points else []
    sugra = any("susy" in p for p in points)
    show_result = any(p.get("result") != "successful" for p in points)
    header = [r"\#"] + [labels.get(n, latex_escape(n)) for n in names] + [r"$V$", "type", "vacuum"]
    align = "r" + "r" * len(names) + "rll"
    if sugra:
        header.append("SUSY")
        align += "c"
    header += [r"$m^2_1$", "digits"]
    align += "rr"
    if show_result:
        header.append("result")
        align += "l"
    lines = []
    params = ", ".join(f"{k} = {v}" for k, v in parameters.items())
    about = f"{model or 'critical points'}" + (f" ({params})" if params else "")
    lines.append(f"% jaxvac {__version__}: {about}".replace("\n", " "))
    lines.append(r"% needs \usepackage{booktabs}")
    if caption is not None or label is not None:
        lines += [r"\begin{table}", r"\centering"]
        if caption is not None:
            lines.append(rf"\caption{{{latex_escape(caption)}}}")
        if label is not None:
            lines.append(rf"\label{{{label}}}")
    lines += [
        rf"\begin{{tabular}}{{{align}}}",
        r"\toprule",
        " & ".join(header) + r" \\",
        r"\midrule",
    ]
    for k, p in enumerate(points, start=1):
        cells = [str(k)] + [_latex_coordinate(p["fields"][n], digits) for n in names]
        cells += [latex_number(p["V"], digits), latex_escape(p["type"]), latex_escape(p["vacuum"])]
        if sugra:
            cells.append(_YES_NO.get(p.get("susy"), "--"))
        m2 = p.get("masses_squared") or []
        d = p.get("digits")
        cells += [latex_number(m2[0], 3) if m2 else "--", "--" if d is None else f"{d:.1f}"]
        if show_result:
            cells.append(latex_escape(p.get("result", "")))
        lines.append(" & ".join(cells) + r" \\")
    if not points:
        lines.append(rf"\multicolumn{{{len(header)}}}{{c}}{{no critical point}} \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    if caption is not None or label is not None:
        lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"
