"""Complete lists of critical points in a box: branch and bound in ball arithmetic.

``certify_region(model, region)`` covers the region (a box in the real coordinates) by
sub-boxes, each settled one of three ways:

- *excluded*: some component of ∇V over the sub-box (an Arb enclosure) does not hold 0,
  or the Krawczyk operator maps the sub-box outside itself: no critical point there;
- *certified*: K(B) ⊂ int B (Krawczyk): exactly one critical point in B; it is the same as
  an already listed one when its enclosure lies in that one's uniqueness box (or the other
  way round), else a new one; a sub-box inside a listed uniqueness box holds no other;
- *split* in two along its widest side (relative to the region), down to ``min_width``.

When the work list empties, the listed points are *all* the critical points in the region
(``complete``), provided each one's enclosure lies inside the region (a point on the
region's boundary is flagged). Sub-boxes left when a limit is reached (``max_boxes``,
``max_seconds``) or too small to split are returned as ``undecided``: nothing is claimed
about them. Each listed point is then classified by :func:`jaxvac.certify`.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import numpy as np
from flint import arb

from .._errors import InputError
from .._model import AbstractModel
from ._arb import CertifyError, digits_to_bits, working_precision
from ._balls import box, exact, hull, inside_interior, krawczyk
from ._point import GRADIENT, HESSIAN, Certificate, _newton, certify


@dataclasses.dataclass
class RegionCertificate:
    """What :func:`certify_region` proved about a whole region: ``complete`` is True when
    every sub-box was either excluded (0 is not in the enclosure of grad V over it) or holds
    exactly one certified critical point, listed in ``points`` with its certificate;
    ``undecided`` lists the boxes left when a limit (``stopped``) was reached."""

    model_name: str
    parameters: dict[str, Any]
    coordinate_names: tuple[str, ...]
    region: dict[str, tuple[float, float]]
    complete: bool
    points: list[dict[str, Any]]  # uniqueness box, enclosure, and the Certificate
    undecided: list[dict[str, list[float]]]
    boxes: int  # sub-boxes examined
    excluded: int
    stopped: str | None  # None, or why the search stopped early
    digits: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model_name,
            "parameters": self.parameters,
            "region": {k: list(v) for k, v in self.region.items()},
            "complete": self.complete,
            "distinct": len(self.points),
            "critical_points": [
                {**p["certificate"].to_dict(), "region_box": p["box"],
                 "on_boundary": p["on_boundary"]}
                for p in self.points
            ],
            "undecided": self.undecided,
            "boxes": self.boxes,
            "excluded": self.excluded,
            "stopped": self.stopped,
            "precision": self.digits,
            "seconds": round(self.seconds, 3),
        }


def _interval(b: arb) -> tuple[float, float]:
    return float(b.lower().mid()), float(b.upper().mid())


def _contains_box(X, B) -> bool:
    return all(x.contains(b) for x, b in zip(X, B))


def _split(B, widths):
    k = max(range(len(B)), key=lambda i: float((B[i].rad() / widths[i]).mid()))
    lo, hi, mid = B[k].lower(), B[k].upper(), B[k].mid()
    left, right = np.array(B, dtype=object), np.array(B, dtype=object)
    left[k], right[k] = hull(lo, mid), hull(mid, hi)
    return [left, right]


def krawczyk_box(model: AbstractModel, lower, upper, *, digits: int = 30) -> str:
    """The Krawczyk test on ∇V over the box [lower, upper] (real coordinates) with its
    midpoint as centre: ``"unique"`` (exactly one critical point in the box), ``"none"``
    (no critical point) or ``"inconclusive"``."""
    from .._model import canonical

    model = canonical(model)
    bits = digits_to_bits(digits)
    with working_precision(bits):
        B = np.array([hull(arb(float(lo)), arb(float(hi))) for lo, hi in zip(lower, upper)],
                     dtype=object)
        return _krawczyk_status(model, B, bits)[0]


def _krawczyk_status(model, B, bits):
    c = np.array([exact(b) for b in B], dtype=object)
    out = krawczyk(GRADIENT(model, c, bits=bits), HESSIAN(model, B, bits=bits), c, B)
    return out.status, out


def certify_region(
    model: AbstractModel,
    region: dict[str, tuple[float, float]],
    *,
    digits: int = 30,
    max_boxes: int = 20000,
    max_seconds: float = 600.0,
    min_width: float = 1e-12,
    name: str | None = None,
    parameters: dict[str, Any] | None = None,
) -> RegionCertificate:
    """Prove that a list of critical points of ``model`` is complete in ``region``.

    **Arguments:**

    - `model`: a jaxvac model.
    - `region`: ``{coordinate name: (lo, hi)}`` for every real coordinate
      (``model.coordinate_names``: ``"T.re"``, ``"T.im"`` for supergravity models).
    - `digits`: precision of the ball arithmetic.
    - `max_boxes`: the most boxes examined;
    - `max_seconds`: the most seconds spent; boxes left are reported as undecided.
    - `min_width`: sub-boxes narrower than this (relative to the region) are not split
      further and are reported as undecided.

    - `name`: the model's name in the result (default: its class name).
    - `parameters`: parameters to take beyond float64, as in `certify`.

    **Returns:**

    A :class:`RegionCertificate`: ``complete`` is True when every sub-box was settled and
    every listed point lies inside the region.
    """
    from .._model import canonical
    from .._precision import with_parameters

    names = tuple(model.coordinate_names)
    missing = [n for n in names if n not in region]
    extra = [n for n in region if n not in names]
    if missing or extra:
        raise InputError(
            f"region: give an interval for every coordinate {', '.join(names)}"
            + (f" (missing: {', '.join(missing)})" if missing else "")
            + (f" (unknown: {', '.join(extra)})" if extra else "")
        )
    for n_, (lo, hi) in region.items():
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise InputError(f"region: {n_} needs finite LO < HI (got {lo}:{hi}).")
    base = model
    model = with_parameters(canonical(model), parameters)
    bits = digits_to_bits(digits)
    t0 = time.perf_counter()
    points: list[dict[str, Any]] = []
    covers: list[np.ndarray] = []  # uniqueness boxes of listed points
    undecided: list[np.ndarray] = []
    boxes = excluded = 0
    stopped = None
    with working_precision(bits):
        R = np.array([hull(arb(float(region[n][0])), arb(float(region[n][1]))) for n in names],
                     dtype=object)
        widths = [r.rad() for r in R]
        work = [R]
        while work:
            if boxes >= max_boxes or time.perf_counter() - t0 > max_seconds:
                stopped = "max_boxes" if boxes >= max_boxes else "max_seconds"
                undecided.extend(work)
                break
            B = work.pop()
            boxes += 1
            if any(_contains_box(X, B) for X in covers):
                continue  # inside a uniqueness box: its one critical point is listed
            try:
                g = GRADIENT(model, B, bits=bits)
                if any(not v.contains(0) for v in g):
                    excluded += 1
                    continue
                status, out = _krawczyk_status(model, B, bits)
            except CertifyError:
                status, out = "inconclusive", None
            if status == "none":
                excluded += 1
                continue
            if status == "unique" and out is not None:  # (out is None only when inconclusive)
                _record(points, covers, B, out.enclosure(B))
                continue
            if out is not None:
                _try_newton_box(model, B, bits, points, covers, widths)
            if max(float((b.rad() / w).mid()) for b, w in zip(B, widths)) < min_width:
                undecided.append(B)
                continue
            work.extend(_split(B, widths))
    ambiguous = [p for p in points if p.get("ambiguous")]
    for p in points:
        p["on_boundary"] = not all(inside_interior(e, r) for e, r in zip(p["E"], R))
    complete = not undecided and stopped is None and not ambiguous and not any(
        p["on_boundary"] for p in points)
    out_points = []
    for p in points:
        cert = _classify_point(model, base, p, digits, name, parameters)
        out_points.append({
            "box": {n: list(_interval(x)) for n, x in zip(names, p["X"])},
            "on_boundary": p["on_boundary"],
            "certificate": cert,
        })
    return RegionCertificate(
        model_name=name or type(base).__name__, parameters=base.parameters(),
        coordinate_names=names,
        region={n: (float(region[n][0]), float(region[n][1])) for n in names},
        complete=complete, points=out_points,
        undecided=[{n: list(_interval(x)) for n, x in zip(names, B)} for B in undecided],
        boxes=boxes, excluded=excluded, stopped=stopped, digits=digits,
        seconds=time.perf_counter() - t0,
    )


def _record(points, covers, X, E) -> None:
    """Add the critical point certified in X (enclosure E) unless it is a listed one."""
    covers.append(X)
    for p in points:
        if _contains_box(p["X"], E) or _contains_box(X, p["E"]):
            return
    if any(all(e.overlaps(f) for e, f in zip(E, p["E"])) for p in points):
        points.append({"X": X, "E": E, "ambiguous": True})
        return
    points.append({"X": X, "E": E})


def _try_newton_box(model, B, bits, points, covers, widths) -> None:
    """Newton from the centre of B; certify a box around the point it reaches when that
    point lies in B and in no listed uniqueness box (a zero on a splitting line would
    never be interior to a sub-box)."""
    c = [exact(b) for b in B]
    if max(float((b.rad() / w).mid()) for b, w in zip(B, widths)) > 1e-2:
        return  # too large: Newton from its centre is a guess
    y, ok = _newton(model, c, list(range(len(c))), bits, max_steps=20)
    if not ok or not all(b.contains(v) for b, v in zip(B, y)):
        return
    if any(_contains_box(X, y) for X in covers):
        return
    for factor in (arb(1) / 4, arb(1) / 64):
        X = box(y, [b.rad() * factor for b in B])
        cX = np.array([exact(x) for x in X], dtype=object)
        try:
            out = krawczyk(GRADIENT(model, cX, bits=bits), HESSIAN(model, X, bits=bits), cX, X)
        except CertifyError:
            return
        if out.status == "unique":
            _record(points, covers, X, out.enclosure(X))
            return


def _shrink(model, E, bits, steps=8):
    """K(E) ∩ E iterated from the enclosure E (each still holds the critical point)."""
    for _ in range(steps):
        c = np.array([exact(e) for e in E], dtype=object)
        try:
            out = krawczyk(GRADIENT(model, c, bits=bits), HESSIAN(model, E, bits=bits), c, E)
        except CertifyError:
            return E
        smaller = out.enclosure(E) if out.K is not None else None
        if smaller is None:
            return E
        E = smaller
    return E


def _classify_point(model, base, p, digits, name, parameters) -> Certificate:
    bits = digits_to_bits(digits)
    with working_precision(bits):
        p["E"] = _shrink(model, p["E"], bits)
    fields = [exact(e) for e in p["E"]]
    y = np.array([v.str(digits + 10, radius=False) for v in fields], dtype=object)
    cert = certify(base, y, digits=digits, name=name, parameters=parameters)
    same = cert.enclosure is not None and _contains_box(p["X"], cert.enclosure)
    if cert.proved["existence"] and not same:
        cert.unproved.append(
            "classification: the point certified for classification is not inside this "
            "region box (its existence in the region box stands; its classification does not)"
        )
        for k in ("inertia", "sign_of_V", "susy"):
            if k in cert.proved:
                cert.proved[k] = False
    return cert
