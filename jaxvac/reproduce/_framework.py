"""Target registry, report rows and the writers of ``TARGET.md`` / ``TARGET.json``."""

from __future__ import annotations

import dataclasses
import importlib
import json
import math
import os
import pkgutil
import time
from pathlib import Path
from typing import Any, Callable

from .._io import json_safe

#: Verdict of a row: the paper's value is reproduced, or not, or the paper gives none.
VERDICTS = ("match", "mismatch", "n/a")


def relative_difference(paper, value) -> float | None:
    """|value - paper| / |paper| for numbers; None otherwise (or when paper == 0)."""
    try:
        p, v = float(paper), float(value)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(p) and math.isfinite(v)):
        return None
    if p == 0:
        return abs(v) if v != 0 else 0.0
    return abs(v - p) / abs(p)


@dataclasses.dataclass
class Row:
    """One compared quantity. ``rel_diff`` is filled in from the values when omitted;
    ``verdict`` from ``rel_diff <= rtol`` when omitted (``n/a`` without a paper value)."""

    quantity: str
    paper: Any
    jaxvac: Any
    explanation: str = ""
    verdict: str | None = None
    rel_diff: float | None = None
    rtol: float | None = None

    def __post_init__(self):
        if self.rel_diff is None:
            self.rel_diff = relative_difference(self.paper, self.jaxvac)
        if self.verdict is None:
            if self.paper is None:
                self.verdict = "n/a"
            elif self.rel_diff is not None and self.rtol is not None:
                self.verdict = "match" if self.rel_diff <= self.rtol else "mismatch"
            else:
                raise ValueError(
                    f"Row {self.quantity!r}: give verdict= or rtol= (and numeric values)."
                )
        if self.verdict not in VERDICTS:
            raise ValueError(f"Row {self.quantity!r}: verdict must be one of {VERDICTS}.")

    def to_dict(self) -> dict[str, Any]:
        out = {
            "quantity": self.quantity,
            "paper": self.paper,
            "jaxvac": self.jaxvac,
            "rel_diff": self.rel_diff,
            "verdict": self.verdict,
            "explanation": self.explanation,
        }
        if self.rtol is not None:
            out["rtol"] = self.rtol
        return out


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
        TARGETS[name] = Target(name, source, func, default, description or (func.__doc__ or "").strip().split("\n")[0])
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
    return str(value).replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    counts = report.counts()
    lines = [
        f"# {report.title or report.target}",
        "",
        f"Source: {report.source}  ",
        f"Target: `{report.target}`; rows: {counts['match']} match, {counts['mismatch']} mismatch, "
        f"{counts['n/a']} without a paper value"
        + (f"; computed in {report.seconds:.1f} s." if report.seconds is not None else "."),
        "",
        "| quantity | paper | jaxvac | rel. diff. | verdict | explanation |",
        "|---|---|---|---|---|---|",
    ]
    for r in report.rows:
        rd = "—" if r.rel_diff is None else f"{r.rel_diff:.2e}"
        lines.append(
            f"| {_fmt(r.quantity)} | {_fmt(r.paper)} | {_fmt(r.jaxvac)} | {rd} | "
            f"**{r.verdict}** | {_fmt(r.explanation)} |"
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
            from .._io import InputError

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
        echo(
            f"{target.name:<24} {c['match']:>3} match {c['mismatch']:>3} mismatch "
            f"{c['n/a']:>3} n/a  ({report.seconds:.1f} s)  -> {out_dir / (target.name + '.md')}"
        )
        reports.append(report)
    return reports
