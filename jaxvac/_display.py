"""Summaries of jaxvac's results that read well in a REPL and in Jupyter: the ``repr`` and
``_repr_html_`` of :class:`~jaxvac.CheckReport`, :class:`~jaxvac.FindResult` and
:class:`~jaxvac.ScanResult`, in the style of HomotopyContinuation.jl's
``Result with 4 solutions • 4 non-singular (2 real)``::

    FindResult(kklt: 1 critical point from 256 starts • 1 AdS minimum (supersymmetric) • 12 failed starts (diverged 12))

Numbers are printed without rounding noise. The rule (:func:`format_complex`): a complex
modulus z = x + iy is known to about ``RESOLUTION_ULPS`` (10) units in the last place of its
size, so a component smaller than 10·ε·|z| (ε = 2⁻⁵², float64's unit roundoff) is below the
resolution of the point and prints as 0 — ``T=62.409502+4.526e-31j`` prints as
``T=62.409502+0j``. Real fields of plain potentials have no second component to compare with
and print as they are. Coordinates print with 8 significant digits, V with 6.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import Any

from ._config import EPS

#: A component of a complex modulus below RESOLUTION_ULPS·EPS·|z| prints as 0.
RESOLUTION_ULPS = 10

#: Rows of a critical-point table shown by ``_repr_html_`` (the rest: ``to_pandas()``).
HTML_ROWS = 50

_PLURAL = {
    "minimum": "minima",
    "maximum": "maxima",
    "saddle": "saddles",
    "point": "points",
    "critical point": "critical points",
}


def plural(n: int, noun: str) -> str:
    """``1 minimum``, ``2 minima``."""
    return f"{n} {noun if n == 1 else _PLURAL.get(noun, noun + 's')}"


def format_real(x: float, digits: int = 8) -> str:
    x = float(x)
    if math.isnan(x):
        return "nan"
    if x == 0:
        return "0"  # also -0.0
    return f"{x:.{digits}g}"


def resolved(re: float, im: float) -> tuple[float, float]:
    """z = re + i·im with each component below the resolution of z set to 0: a component c
    with ``|c| <= RESOLUTION_ULPS * EPS * |z|`` is rounding noise of the other one (float64
    keeps |z| to about EPS·|z|; Newton polishes to a few ulps)."""
    re, im = float(re), float(im)
    resolution = RESOLUTION_ULPS * EPS * math.hypot(re, im)
    return (0.0 if abs(re) <= resolution else re), (0.0 if abs(im) <= resolution else im)


def format_complex(re: float, im: float, digits: int = 8) -> str:
    """``re+imj`` with ``digits`` significant digits and the components below the
    resolution of z printed as 0 (:func:`resolved`): ``62.409502+0j``."""
    re, im = resolved(re, im)
    sign = "-" if im < 0 else "+"
    return f"{format_real(re, digits)}{sign}{format_real(abs(im), digits)}j"


def format_fields(fields: dict[str, Any], digits: int = 8) -> str:
    """``T=113.58912+0j, U=...`` from a record's ``fields`` (``{"T": {"re", "im"}}`` for
    moduli, ``{"x": value}`` for plain potentials)."""
    return ", ".join(
        f"{name}={format_complex(v['re'], v['im'], digits)}"
        if isinstance(v, dict)
        else f"{name}={format_real(v, digits)}"
        for name, v in fields.items()
    )


def kind_label(record: dict[str, Any]) -> str:
    """``dS minimum``, ``AdS saddle``, ``Minkowski maximum``; ``unresolved`` parts said so."""
    t, v = record.get("type", "unresolved"), record.get("vacuum", "unresolved")
    if t == "unresolved" and v == "unresolved":
        return "unresolved"
    if t == "unresolved":
        return f"{v} point (type unresolved)"
    if v == "unresolved":
        return f"{t} (sign of V unresolved)"
    return f"{v} {t}"


def _count_label(label: str, n: int) -> str:
    if label == "unresolved":
        return f"{n} unresolved"
    head, _, tail = label.partition(" (")
    *adjectives, noun = head.split(" ")
    head = " ".join(adjectives + [plural(n, noun).split(" ", 1)[1]])
    return f"{n} {head}" + (f" ({tail}" if tail else "")


def classification(records: Iterable[dict[str, Any]]) -> str:
    """``1 dS minimum, 2 AdS saddles`` in the order of the records (lowest V first), and
    how many are supersymmetric."""
    counts: dict[str, int] = {}
    susy = 0
    for r in records:
        label = kind_label(r)
        counts[label] = counts.get(label, 0) + 1
        susy += bool(r.get("susy"))
    total = sum(counts.values())
    text = ", ".join(_count_label(label, n) for label, n in counts.items())
    if susy == total:
        text += " (supersymmetric)" if total == 1 else " (all supersymmetric)"
    elif susy:
        text += f" ({susy} supersymmetric)"
    return text


def failures(counts: dict[str, int]) -> str:
    """``17 failed starts (max_steps 12, diverged 5)`` from starts by result code."""
    failed = {k: v for k, v in counts.items() if k != "successful" and v}
    n = sum(failed.values())
    if n == 0:
        return "no failed start"
    detail = ", ".join(
        f"{k} {v}" for k, v in sorted(failed.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return f"{plural(n, 'failed start')} ({detail})"


def format_V(V: float) -> str:
    return "nan" if V is None or (isinstance(V, float) and math.isnan(V)) else f"{V:.6g}"


# ---- check -------------------------------------------------------------------------------------


def check_summary(record: dict[str, Any], cls: str = "CheckReport") -> str:
    """One line: where, what kind of point, V and its digits, masses, residual, result."""
    parts = [kind_label(record)]
    if record.get("susy"):
        parts.append("supersymmetric")
    if record.get("bf_stable") is not None:
        parts.append("BF-stable" if record["bf_stable"] else "BF-unstable")
    head = f"{record.get('model', '')} at {format_fields(record['fields'])}: {', '.join(parts)}"
    items = [head]
    if record.get("V_decimal") is not None:
        certified = record.get("certified_digits", {}).get("V")
        items.append(
            f"V = {record['V_decimal']} ({certified:.0f} digits certified at "
            f"{record.get('precision')})"
            if certified is not None
            else f"V = {record['V_decimal']}"
        )
    else:
        items.append(f"V = {format_V(record['V'])} ({record['digits']:.1f} digits)")
    m2 = record.get("masses_squared") or []
    if m2:
        items.append(
            "m² = ["
            + ", ".join(f"{m:.3g}" for m in m2[:4])
            + (f", … {len(m2) - 4} more" if len(m2) > 4 else "")
            + "]"
        )
    items.append(f"residual {record['residual']:.2g}")
    result = record["result"]
    if record.get("range_errors"):
        result += f" (float64 {' and '.join(record['range_errors'])})"
    items.append(result)
    return f"{cls}({' • '.join(items)})"


def check_html(record: dict[str, Any], cls: str = "CheckReport") -> str:
    rows = [
        ("point", format_fields(record["fields"])),
        ("V", record.get("V_decimal") or format_V(record["V"])),
        ("digits of V", f"{record['digits']:.1f}"),
        ("type", f"{record['type']} ({record['n_negative']} negative, {record['n_flat']} flat)"),
        ("vacuum", record["vacuum"]),
    ]
    if "susy" in record:
        rows.append(("supersymmetric", str(record["susy"])))
    if record.get("bf_stable") is not None:
        rows.append(("BF-stable", str(record["bf_stable"])))
    rows.append(("masses²", ", ".join(f"{m:.6g}" for m in record.get("masses_squared") or [])))
    if record.get("gravitino_mass") is not None:
        rows.append(("m_3/2", f"{record['gravitino_mass']:.6g}"))
    rows += [
        ("residual", f"{record['residual']:.3g}"),
        ("result", f"{record['result']}: {record.get('message', '')}"),
    ]
    if record.get("advice"):
        rows.append(("advice", record["advice"]))
    title = f"{cls}: {record.get('model', '')} {record.get('parameters', '')}"
    return _html_block(title, [], _html_table(None, rows))


# ---- find --------------------------------------------------------------------------------------


def find_summary(record: dict[str, Any], cls: str = "FindResult") -> str:
    """``FindResult(kklt: 2 critical points from 256 starts • 1 dS minimum, 1 dS saddle •
    17 failed starts (max_steps 12, diverged 5))`` from the ``to_dict()`` record."""
    points = record["critical_points"]
    n = len(points)
    found = plural(n, "critical point") if n else "no critical point"
    items = [f"{record['model']}: {found} from {plural(record['starts'], 'start')}"]
    if n:
        items.append(classification(points))
    items.append(failures(record["start_results"]))
    return f"{cls}({' • '.join(items)})"


def find_html(record: dict[str, Any], cls: str = "FindResult") -> str:
    points = record["critical_points"]
    sugra = any("susy" in p for p in points)
    header = (
        ["#", "fields", "V", "type", "vacuum"]
        + (["susy"] if sugra else [])
        + ["digits", "residual", "starts", "result"]
    )
    rows = []
    for k, p in enumerate(points[:HTML_ROWS]):
        row = [str(k), format_fields(p["fields"]), format_V(p["V"]), p["type"], p["vacuum"]]
        if sugra:
            row.append(str(p.get("susy")))
        row += [
            f"{p['digits']:.1f}",
            f"{p['residual']:.2g}",
            str(p.get("basin_starts", "")),
            p["result"],
        ]
        rows.append(row)
    notes = []
    if len(points) > HTML_ROWS:
        notes.append(f"… and {len(points) - HTML_ROWS} more (to_pandas() lists them all)")
    summary = find_summary(record, cls)[len(cls) + 1 : -1]
    return _html_block(
        f"{cls}: {record['model']} {record['parameters']}",
        summary.split(" • "),
        _html_table(header, rows) if rows else "",
        notes,
    )


# ---- scan --------------------------------------------------------------------------------------


def scan_summary(result, cls: str = "ScanResult") -> str:
    """``ScanResult('runs/x': kklt, 40 parameter points × 6 starts, 5/5 chunks • 57 critical
    points: 25 minima (20 dS, 5 AdS), 30 saddles, 2 maxima • 18/40 points with a dS minimum
    • 183 failed starts (...))``."""
    c = result.counts
    total = result.manifest.get("chunks_total", 0)
    model = str(result.config.get("model", "?")).rpartition(":")[2]
    state = "complete" if result.complete else "incomplete"
    head = f"{result.path!r}: {model}, {len(result.files)}/{total} chunks ({state})"
    if not c:
        return f"{cls}({head} • no completed chunk yet)"
    items = [head, f"{plural(c['points'], 'parameter point')}, {plural(c['starts'], 'start')}"]
    v, w = c.get("vacua", {}), c.get("points_with", {})
    if "successful" in v:
        parts = []
        for noun, kind, subs in (
            ("minimum", "minima", ("dS-minima", "AdS-minima")),
            ("saddle", "saddles", ()),
            ("maximum", "maxima", ()),
        ):
            n = v.get(kind, 0)
            if n:
                sub = ", ".join(f"{v[s]} {s.split('-')[0]}" for s in subs if v.get(s))
                parts.append(plural(n, noun) + (f" ({sub})" if sub else ""))
        found = plural(v["successful"], "critical point")
        items.append(f"{found}: {', '.join(parts)}" if parts else found)
        if "dS-minima" in w:
            items.append(f"{w['dS-minima']}/{c['points']} points with a dS minimum")
    items.append(failures(c.get("results", {})))
    return f"{cls}({' • '.join(items)})"


def scan_html(result, cls: str = "ScanResult") -> str:
    c = result.counts
    summary = scan_summary(result, cls)[len(cls) + 1 : -1].split(" • ")
    if not c:
        return _html_block(f"{cls}: {result.path}", summary[1:], "")
    v, w = c.get("vacua", {}), c.get("points_with", {})
    rows = [[k, str(v.get(k, "")), f"{w[k]}/{c['points']}" if k in w else ""] for k in v]
    table = _html_table(["kind", "distinct critical points", "parameter points with one"], rows)
    notes = [f"sampled: {', '.join(result.parameters)}; {result.seconds:.1f} s of compute"]
    return _html_block(f"{cls}: {result.path}", summary[1:], table, notes)


# ---- HTML --------------------------------------------------------------------------------------


def _html_table(header, rows) -> str:
    e = html.escape
    out = ['<table style="border-collapse: collapse; font-size: 90%">']
    if header:
        out.append(
            "<thead><tr>"
            + "".join(f'<th style="text-align: left; padding: 0 .6em">{e(h)}</th>' for h in header)
            + "</tr></thead>"
        )
    out.append("<tbody>")
    for row in rows:
        out.append(
            "<tr>"
            + "".join(
                f'<td style="text-align: left; padding: 0 .6em">{e(str(x))}</td>' for x in row
            )
            + "</tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def _html_block(title: str, bullets: list[str], table: str, notes: Iterable[str] = ()) -> str:
    e = html.escape
    parts = [f'<div class="jaxvac-result"><strong>{e(title)}</strong>']
    if bullets:
        parts.append(
            '<ul style="margin: .2em 0">' + "".join(f"<li>{e(b)}</li>" for b in bullets) + "</ul>"
        )
    parts.append(table)
    parts += [f"<div><em>{e(n)}</em></div>" for n in notes]
    parts.append("</div>")
    return "".join(parts)
