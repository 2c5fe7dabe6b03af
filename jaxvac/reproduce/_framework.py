"""Target registry, report rows, the verdict policy and the writers of ``TARGET.md`` /
``TARGET.json``.

The verdict policy (documented in ``docs/reproduce.md``) is decided here and only here.
A row declares *what* it compares — a number as the paper prints it, an approximate formula
with its order, an exact identity, a discrete fact — and :func:`decide` gives the verdict:

- :class:`Printed`: a number printed with k significant digits matches when the computed
  value agrees to the printed rounding, |value − printed| ≤ ½ unit in the k-th digit
  (plus, when the printed number is itself the value of a leading-order formula, the
  declared size of its first neglected term).
- :class:`Formula`: an approximate formula matches when it agrees to its stated order:
  the relative difference is at most the size of the first neglected term, computed by
  the row (with its coefficient where the expansion is known).
- :class:`Exact`: an identity or an exact value, to a declared numerical tolerance.
- :class:`Same`: a discrete outcome (a count, a sign, a type) matches when it is equal.
- :class:`Magnitude`: a number the paper prints as an order of magnitude matches when
  the two agree within a factor √10 (half a decade).
- :class:`Proved`: claims about a critical point (its type, the number of negative
  Hessian directions, the sign of V, ...) against what an interval proof
  (:func:`jaxvac.certify`) established. Verdict ``proved`` when every claim is proved
  and equal; ``mismatch`` when one is proved otherwise; ``unproved`` when none is
  proved otherwise but some is not proved (an unproved property is never guessed).

Everything else is a mismatch, and the framework says why in the row's ``reason``. Only
what the paper prints goes into the ``paper`` column; values jaxvac computes itself (a
formula evaluated, an exact value, jaxvac's own earlier result) go into ``reference``.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import math
import os
import pkgutil
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .._io import json_safe

#: Verdict of a row: reproduced, not reproduced, or nothing to compare with (``n/a``);
#: for :class:`Proved` rows, every claim proved by interval arithmetic (``proved``) or
#: some claim not proved (``unproved``).
VERDICTS = ("match", "mismatch", "n/a", "proved", "unproved")


def relative_difference(expected, value) -> float | None:
    """|value − expected| / |expected| for numbers (|value| when expected == 0); None
    otherwise. Lists: the largest element-wise difference."""
    if isinstance(expected, (list, tuple)) and isinstance(value, (list, tuple)):
        if len(expected) != len(value):
            return None
        ds = [relative_difference(e, v) for e, v in zip(expected, value)]
        known = [d for d in ds if d is not None]
        return None if len(known) < len(ds) else max(known, default=0.0)
    try:
        p, v = _number(expected), _number(value)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(p) and math.isfinite(v)):
        return None
    if p == 0:
        return abs(v)
    return abs(v - p) / abs(p)


def _number(x) -> float:
    if isinstance(x, bool):
        raise TypeError("a bool is not a number here")
    return float(x)


def _decimal(printed) -> Decimal:
    text = printed if isinstance(printed, str) else repr(float(printed))
    try:
        return Decimal(text.strip().replace("−", "-"))
    except InvalidOperation:
        raise ValueError(f"{printed!r} is not a printed number") from None


def significant_digits(printed) -> int:
    """Significant digits of a number as printed: ``"0.70"`` → 2, ``"6.4e28"`` → 2,
    ``41`` → 2, ``7.21e-121`` → 3. A float is read from its shortest repr, so a trailing
    zero the paper prints (0.70) is lost: give such numbers as strings or declare the
    digits. Trailing zeros of an integer (``100``) are not counted."""
    t = _decimal(printed).as_tuple()
    s = "".join(map(str, t.digits)).lstrip("0")
    if not isinstance(printed, str) or int(t.exponent) >= 0:
        s = s.rstrip("0")
    return max(len(s), 1)


def rounding_half_unit(printed, digits: int | None = None) -> float:
    """Half a unit in the last printed digit of ``printed`` (absolute)."""
    d = _decimal(printed)
    if d == 0:
        return 0.5 * 10.0 ** (-(digits or 1))
    k = digits if digits is not None else significant_digits(printed)
    return 0.5 * 10.0 ** (d.adjusted() - k + 1)


def input_rounding(func: Callable[..., float], *printed) -> float:
    """How much the printed rounding of a formula's *inputs* moves its value: the sum over
    the inputs of max |Δf|/|f| when one input moves by ± half a unit in its last printed
    digit (linear worst case). Used as ``Printed(order=...)`` when a printed number is
    recomputed from other printed numbers."""
    vals = [float(_decimal(p)) for p in printed]
    f0 = func(*vals)
    total = 0.0
    for i, p in enumerate(printed):
        h = rounding_half_unit(p)
        moved = []
        for sgn in (-1.0, 1.0):
            v = list(vals)
            v[i] += sgn * h
            moved.append(abs(func(*v) - f0))
        total += max(moved)
    return total / abs(f0) if f0 != 0 else total


# ======================================================================================
# What a row compares (declared per row); the verdict is decided by `decide` alone
# ======================================================================================


@dataclasses.dataclass(frozen=True)
class Printed:
    """The paper prints a number (or a list of numbers) with ``digits`` significant
    digits (read from the printed value when None). ``order``/``term``: when the printed
    number is the value of a leading-order formula, the relative size of its first
    neglected term and its name (e.g. ``1/t``), added to the rounding."""

    digits: int | None = None
    order: float = 0.0
    term: str = ""
    #: jaxvac's value is given as log10 (numbers below float64's range): the comparison is
    #: in decades, ``order`` too, and ``rel_diff`` is the difference in decades.
    log10: bool = False
    kind = "printed"


@dataclasses.dataclass(frozen=True)
class Formula:
    """An approximate formula compared with an exact (or higher-order) value: agrees when
    the relative difference is at most ``order``, the computed relative size of the
    formula's first neglected term ``term`` (e.g. ``2(β+1)/(βx)``)."""

    order: float
    term: str
    kind = "formula"


@dataclasses.dataclass(frozen=True)
class Exact:
    """An identity or exact value, to the numerical tolerance ``tol`` (relative; absolute
    when the exact value is 0) for the reason ``why`` (e.g. float64 rounding)."""

    tol: float
    why: str = ""
    kind = "exact"


@dataclasses.dataclass(frozen=True)
class Same:
    """A discrete outcome — a count, a sign, a type, a set of labels — equal or not."""

    kind = "same"


@dataclasses.dataclass(frozen=True)
class Magnitude:
    """A number printed as an order of magnitude (``~1e-7``, ``≲ 1e-8``): agrees within a
    factor √10."""

    kind = "magnitude"


@dataclasses.dataclass(frozen=True)
class Proved:
    """Claims about a critical point (``{name: value}``: ``type``, ``n_negative``,
    ``vacuum``, ...) against what an interval proof established: the row's ``jaxvac``
    value maps each claim's name to its proved value, or None when it was not proved
    (:func:`certified_claims` builds it from a :class:`jaxvac.certify` certificate)."""

    kind = "proved"


Comparison = Printed | Formula | Exact | Same | Magnitude | Proved
#: Comparisons against what the paper prints (the ``paper`` column) and against a value
#: jaxvac computes itself (the ``reference`` column).
ON_PAPER = (Printed, Magnitude, Same, Proved)
ON_REFERENCE = (Formula, Exact, Same, Proved)


def certified_claims(cert) -> dict[str, Any]:
    """What a :class:`jaxvac.certify` certificate proved, as the ``jaxvac`` value of a
    :class:`Proved` row: each property's proved value, None where it was not proved.
    ``negative curvature``: the coordinates along which ∂²V/∂yᵢ² < 0 was proved (an empty
    list proves nothing about the others)."""
    p = cert.proved
    return {
        "critical point": "exists, unique in box" if p["existence"] and p["uniqueness"] else None,
        "type": cert.critical_type,
        "n_negative": cert.n_negative if p["inertia"] else None,
        "negative curvature": list(cert.negative_curvature) if p["uniqueness"] else None,
        "vacuum": cert.vacuum,
        "susy": cert.susy if p.get("susy") else None,
    }


def _digits20(text) -> str:
    """A decimal string to 20 significant digits, its exponent kept."""
    d = _decimal(str(text))
    return format(d, ".20g") if d != 0 else "0"


def certificate_text(cert) -> str:
    """One line for a :class:`Proved` row's explanation: where the critical point is (the
    enclosure's midpoint, 22 characters a coordinate), the radii of the enclosure and of
    the uniqueness box, the ball holding V, the digits and seconds, and what failed.
    ``cert``: a certificate or its ``to_dict()``."""
    d = cert if isinstance(cert, dict) else cert.to_dict()

    def flat(tree):
        out = {}
        for k, v in (tree or {}).items():
            if isinstance(v, dict):
                out.update({f"{k}.{p}": w for p, w in v.items()})
            else:
                out[k] = v
        return out

    where = "no certified box"
    if d["fields"]:
        enc, box = flat(d["enclosure_radius"]), flat(d["box_radius"])
        where = (
            ", ".join(f"{k} = {_digits20(v)}" for k, v in flat(d["fields"]).items())
            + f"; enclosure radius ≤ {max(enc.values()):.1g}; unique in the box of radius "
            + ", ".join(f"{k}: {v:.2g}" for k, v in box.items())
        )
    missing = "; not proved: " + "; ".join(d["unproved"]) if d["unproved"] else ""
    return f"{where}; V ∈ {d['V_ball']}; {d['precision']} digits, {d['seconds']:.1f} s" + missing


def _decide_proved(expected, value) -> Decision:
    if not isinstance(expected, dict) or not isinstance(value, dict):
        return Decision("mismatch", None, None, "no claims to compare")
    other, unproved = [], []
    for k, want in expected.items():
        got = value.get(k)
        if got is None:
            unproved.append(k)
        elif k == "negative curvature" and isinstance(want, (list, tuple)):
            if not set(want) <= set(got):  # listed only where proved
                unproved.append(k)
        elif not _same(want, got):
            other.append(f"{k} = {got}")
    if other:
        return Decision("mismatch", None, None, "proved otherwise: " + ", ".join(other))
    if unproved:
        return Decision("unproved", None, None, "not proved: " + ", ".join(unproved))
    return Decision("proved", None, None, "interval proof of " + ", ".join(expected))


@dataclasses.dataclass(frozen=True)
class Decision:
    verdict: str
    rel_diff: float | None
    allowed: float | None  # the relative difference the comparison allows
    reason: str


def _fmt_rel(x: float) -> str:
    return f"{x:.2g}"


def decide(compare: Comparison | None, expected, value) -> Decision:
    """The verdict policy: ``expected`` (the paper's printed value or jaxvac's reference)
    against ``value`` (what jaxvac computed), as ``compare`` declares."""
    if compare is None or expected is None:
        return Decision("n/a", None, None, "nothing to compare with")
    if isinstance(compare, Proved):
        return _decide_proved(expected, value)
    rel = (
        None
        if isinstance(compare, Printed) and compare.log10
        else relative_difference(expected, value)
    )
    if isinstance(compare, Same):
        ok = _same(expected, value)
        return Decision(
            "match" if ok else "mismatch",
            rel,
            0.0 if rel is not None else None,
            "equal" if ok else "not equal",
        )
    if isinstance(compare, Printed) and compare.log10:
        d = _decimal(expected)
        k = compare.digits or significant_digits(expected)
        mantissa = abs(float(d.scaleb(-d.adjusted())))  # in [1, 10): no underflow at 1e-384
        allowed = math.log10(1 + 0.5 * 10.0 ** (1 - k) / mantissa) + compare.order
        dec = abs(_number(value) - float(d.copy_abs().log10()))
        what = f"printed to {k} digit{'s' * (k > 1)}"
        if compare.order:
            what += f" + {_fmt_rel(compare.order)} decades ({compare.term})"
        ok = dec <= allowed * (1 + 1e-12)
        return Decision(
            "match" if ok else "mismatch",
            dec,
            allowed,
            f"{dec:.2g} decades: "
            + (f"agrees to the {what}" if ok else f"beyond the {what} (allowed {allowed:.2g})"),
        )
    if rel is None:
        return Decision("mismatch", None, None, "no number to compare")
    if isinstance(compare, Printed):
        exp = list(expected) if isinstance(expected, (list, tuple)) else [expected]
        val = list(value) if isinstance(value, (list, tuple)) else [value]
        allowed, ok = 0.0, True
        for e, v in zip(exp, val):
            half = rounding_half_unit(e, compare.digits)
            p = float(_decimal(e))
            a = half / abs(p) if p != 0 else half
            a += compare.order
            # an absolute test (1e-12 slack for the decimal → binary rounding of the bound)
            ok &= abs(_number(v) - p) <= (half + compare.order * abs(p)) * (1 + 1e-12)
            allowed = max(allowed, a)
        k = compare.digits or min(significant_digits(e) for e in exp)
        what = f"printed to {k} digit{'s' * (k > 1)}"
        if compare.order:
            what += f" + O({compare.term or 'neglected term'}) = {_fmt_rel(compare.order)}"
        if ok:
            return Decision("match", rel, allowed, f"agrees to the {what}")
        return Decision(
            "mismatch", rel, allowed, f"differs beyond the {what} (allowed {_fmt_rel(allowed)})"
        )
    if isinstance(compare, Formula):
        ok = rel <= compare.order * (1 + 1e-12)  # slack for the rounding of the difference
        tail = f"O({compare.term}) = {_fmt_rel(compare.order)}"
        return Decision(
            "match" if ok else "mismatch",
            rel,
            compare.order,
            f"agrees to its order, {tail}" if ok else f"differs beyond its order, {tail}",
        )
    if isinstance(compare, Exact):
        ok = rel <= compare.tol * (1 + 1e-12)
        why = f" ({compare.why})" if compare.why else ""
        return Decision(
            "match" if ok else "mismatch",
            rel,
            compare.tol,
            f"equal to {_fmt_rel(compare.tol)}{why}"
            if ok
            else f"not equal to {_fmt_rel(compare.tol)}{why}",
        )
    if isinstance(compare, Magnitude):
        exp = list(expected) if isinstance(expected, (list, tuple)) else [expected]
        val = list(value) if isinstance(value, (list, tuple)) else [value]
        dec = max(
            abs(math.log10(abs(_number(v)) / abs(_number(e))))
            if _number(v) * _number(e) > 0
            else math.inf
            for e, v in zip(exp, val)
        )
        ok = dec <= 0.5
        return Decision(
            "match" if ok else "mismatch",
            rel,
            None,
            f"{dec:.2g} decades apart: "
            + ("same order of magnitude" if ok else "not the same order of magnitude"),
        )
    raise TypeError(f"unknown comparison {compare!r}")


def _same(a, b) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    # a list against a number compares with == (float() of it would fail)
    if isinstance(a, (str, bool, list, tuple)) or isinstance(b, (str, bool, list, tuple)):
        return a == b
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return a == b


@dataclasses.dataclass
class Row:
    """One compared quantity.

    **Arguments:**

    - `quantity`: what is compared (with its equation number).
    - `paper`: only what the paper prints (a number as printed, a string, a list), or None.
    - `jaxvac`: what jaxvac computes.
    - `explanation`: how it was computed, and what a difference means.
    - `compare`: the declared :data:`Comparison`; required when `paper` or `reference` is
      given (a row with neither is information: verdict ``n/a``).
    - `reference`: a value jaxvac computes itself (a formula evaluated, an exact value)
      when the row does not compare with the paper.

    The verdict, the relative difference and the reason come from :func:`decide`.
    """

    quantity: str
    paper: Any = None
    jaxvac: Any = None
    explanation: str = ""
    compare: Comparison | None = None
    reference: Any = None
    verdict: str = dataclasses.field(init=False)
    rel_diff: float | None = dataclasses.field(init=False)
    allowed: float | None = dataclasses.field(init=False)
    reason: str = dataclasses.field(init=False)

    def __post_init__(self):
        if self.paper is not None and self.reference is not None:
            raise ValueError(f"Row {self.quantity!r}: give paper= or reference=, not both.")
        if self.paper is not None or self.reference is not None:
            if self.compare is None:
                raise ValueError(
                    f"Row {self.quantity!r}: declare compare= (Printed, Formula, "
                    "Exact, Same, Magnitude or Proved)."
                )
            allowed = ON_PAPER if self.paper is not None else ON_REFERENCE
            if not isinstance(self.compare, allowed):
                col = "paper" if self.paper is not None else "reference"
                raise ValueError(
                    f"Row {self.quantity!r}: {type(self.compare).__name__} does not "
                    f"compare with the {col} column."
                )
        expected = self.paper if self.paper is not None else self.reference
        d = decide(self.compare, expected, self.jaxvac)
        self.verdict, self.rel_diff, self.allowed, self.reason = (
            d.verdict,
            d.rel_diff,
            d.allowed,
            d.reason,
        )

    def to_dict(self) -> dict[str, Any]:
        c = self.compare
        return {
            "quantity": self.quantity,
            "paper": self.paper,
            "reference": self.reference,
            "jaxvac": self.jaxvac,
            "rel_diff": self.rel_diff,
            "allowed": self.allowed,
            "verdict": self.verdict,
            "reason": self.reason,
            "explanation": self.explanation,
            "comparison": None if c is None else dict(kind=c.kind, **dataclasses.asdict(c)),
        }


def comparison_from_dict(d: dict | None) -> Comparison | None:
    """The :data:`Comparison` a report's JSON row records (inverse of ``Row.to_dict``)."""
    if d is None:
        return None
    d = dict(d)
    cls = {c.kind: c for c in (Printed, Formula, Exact, Same, Magnitude, Proved)}[d.pop("kind")]
    return cls(**d)


@dataclasses.dataclass
class Report:
    """What a target produced. ``notes`` is Markdown placed after the table;
    ``figures`` are file names (relative to the output directory)."""

    target: str
    source: str
    rows: list[Row]
    title: str = ""
    notes: str = ""
    figures: list[str] = dataclasses.field(default_factory=list)
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    seconds: float | None = None

    def counts(self) -> dict[str, int]:
        return {v: sum(r.verdict == v for r in self.rows) for v in VERDICTS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "source": self.source,
            "title": self.title,
            "rows": [r.to_dict() for r in self.rows],
            "counts": self.counts(),
            "figures": self.figures,
            "data": self.data,
            "seconds": self.seconds,
        }


@dataclasses.dataclass(frozen=True)
class Target:
    name: str
    source: str
    func: Callable[..., Report]
    default: bool = True
    description: str = ""


TARGETS: dict[str, Target] = {}
_LOADED = False


def register(name: str, *, source: str, default: bool = True, description: str = ""):
    """Decorator: register ``func(out_dir: Path, *, full: bool) -> Report`` as a target.

    ``default=False`` targets run only when named explicitly.
    """

    def deco(func):
        if name in TARGETS and TARGETS[name].func is not func:
            raise RuntimeError(f"Reproduction target {name!r} registered twice.")
        doc = description or (func.__doc__ or "").strip().split("\n")[0]
        TARGETS[name] = Target(name, source, func, default, doc)
        return func

    return deco


def load_targets() -> dict[str, Target]:
    global _LOADED
    if not _LOADED:
        from . import __path__ as pkg_path

        for info in sorted(pkgutil.iter_modules(pkg_path), key=lambda m: m.name):
            if info.name.startswith("_") and info.name != "_framework":
                importlib.import_module(f"{__package__}.{info.name}")
        _LOADED = True
    return TARGETS


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value == 0 or (1e-3 <= abs(value) < 1e6):
            return f"{value:.6g}"
        return f"{value:.4e}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, dict):  # claims of a Proved row: 'not proved' for None
        return "; ".join(f"{k}: {'not proved' if v is None else _fmt(v)}" for k, v in value.items())
    return str(value).replace("|", "\\|").replace("\n", " ")


def _fmt_printed(value) -> str:
    """A paper value as printed: floats by their shortest repr (7.21e-121, not 7.2100e-121)."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_fmt_printed(v) for v in value) + "]"
    return _fmt(value)


def render_markdown(report: Report) -> str:
    counts = report.counts()
    lines = [
        f"# {report.title or report.target}",
        "",
        f"Source: {report.source}  ",
        f"Target: `{report.target}`; rows: {counts['match']} match, {counts['mismatch']} mismatch, "
        f"{counts['n/a']} without a paper value"
        + (
            f"; interval proofs: {counts['proved']} proved, {counts['unproved']} unproved"
            if counts["proved"] or counts["unproved"]
            else ""
        )
        + (f"; computed in {report.seconds:.1f} s." if report.seconds is not None else "."),
        "",
        "Verdicts follow the policy of docs/reproduce.md: *paper* holds only what the paper "
        "prints; *reference* a value jaxvac computes itself (a formula evaluated, an exact "
        "value); *allowed* is the relative difference the declared comparison allows.",
        "",
        "| quantity | paper | reference | jaxvac | rel. diff. | allowed | verdict | why | "
        "explanation |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report.rows:
        rd = "—" if r.rel_diff is None else f"{r.rel_diff:.2e}"
        al = "—" if r.allowed is None else f"{r.allowed:.2g}"
        lines.append(
            f"| {_fmt(r.quantity)} | {_fmt_printed(r.paper)} | {_fmt(r.reference)} | {_fmt(r.jaxvac)} | "
            f"{rd} | {al} | **{r.verdict}** | {_fmt(r.reason)} | {_fmt(r.explanation)} |"
        )
    if report.notes:
        lines += ["", report.notes.strip()]
    for fig in report.figures:
        lines += ["", f"![{Path(fig).stem}]({fig})"]
    return "\n".join(lines) + "\n"


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_report(report: Report, out_dir) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / f"{report.target}.md"
    js = out_dir / f"{report.target}.json"
    _atomic_write(md, render_markdown(report))
    _atomic_write(js, json.dumps(json_safe(report.to_dict()), indent=2) + "\n")
    return md, js


def run_targets(names=None, out_dir="jaxvac-reproduce", *, full: bool = False, echo=print):
    """Run targets (all default ones when ``names`` is empty) and write their reports."""
    targets = load_targets()
    if names:
        unknown = [n for n in names if n not in targets]
        if unknown:
            from .._errors import InputError

            raise InputError(
                f"unknown reproduction target(s) {', '.join(unknown)}; known: "
                f"{', '.join(sorted(targets))}."
            )
        selected = [targets[n] for n in names]
    else:
        selected = [t for t in sorted(targets.values(), key=lambda t: t.name) if t.default]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    reports = []
    for target in selected:
        start = time.perf_counter()
        report = target.func(out_dir, full=full)
        report.seconds = time.perf_counter() - start
        write_report(report, out_dir)
        c = report.counts()
        proofs = (
            f" {c['proved']:>3} proved {c['unproved']:>3} unproved"
            if c["proved"] or c["unproved"]
            else ""
        )
        echo(
            f"{target.name:<24} {c['match']:>3} match {c['mismatch']:>3} mismatch "
            f"{c['n/a']:>3} n/a{proofs}  ({report.seconds:.1f} s)  -> {out_dir / (target.name + '.md')}"
        )
        reports.append(report)
    return reports
