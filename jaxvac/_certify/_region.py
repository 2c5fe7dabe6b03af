"""Complete lists of critical points in a box: branch and bound in ball arithmetic.

``certify_region(model, region)`` covers the region (a box in the real coordinates) by
sub-boxes, each settled one of three ways:

- *excluded*: some component of ∇V over the sub-box (an Arb enclosure) does not hold 0,
  or the Krawczyk operator maps the sub-box outside itself: no critical point there;
- *certified*: K(B) ⊂ int B (Krawczyk): exactly one critical point in B; it is the same as
  an already listed one when its enclosure lies in that one's uniqueness box (or the other
  way round), else a new one; a sub-box inside a listed uniqueness box holds no other;
- *split* in two along its widest side (relative to the region), down to ``min_width``.

A coordinate along which V is exactly flat over the whole region (the enclosure of ∂ᵢV
over the region is the exact ball 0, e.g. an axion that appears nowhere: V does not depend
on it there) is quotiented out: it is never split, Krawczyk runs on the other coordinates,
and each listed point stands for the line of critical points along it (``flat``).

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
    flat: list[str] = dataclasses.field(default_factory=list)  # quotiented-out coordinates
    #: coordinates held fixed (region LO = HI): the search is on that slice
    fixed: dict[str, float] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model_name,
            "parameters": self.parameters,
            "region": {k: list(v) for k, v in self.region.items()},
            "complete": self.complete,
            "distinct": len(self.points),
            "critical_points": [
                {
                    **p["certificate"].to_dict(),
                    "region_box": p["box"],
                    "on_boundary": p["on_boundary"],
                }
                for p in self.points
            ],
            "undecided": self.undecided,
            "boxes": self.boxes,
            "excluded": self.excluded,
            "stopped": self.stopped,
            "flat": list(self.flat),
            "fixed": dict(self.fixed),
            "precision": self.digits,
            "seconds": round(self.seconds, 3),
        }


def _interval(b: arb) -> tuple[float, float]:
    return float(b.lower().mid()), float(b.upper().mid())


def _contains_box(X, B) -> bool:
    return all(x.contains(b) for x, b in zip(X, B))


def _split(B, widths, free=None):
    free = range(len(B)) if free is None else free
    k = max(free, key=lambda i: float((B[i].rad() / widths[i]).mid()))
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
        B = np.array(
            [hull(arb(float(lo)), arb(float(hi))) for lo, hi in zip(lower, upper)], dtype=object
        )
        return _krawczyk_status(model, B, bits)[0]


def _krawczyk_status(model, B, bits, free=None):
    """Krawczyk on ∇V over B with its midpoint as centre, over the ``free`` coordinates
    (all by default; the others are exactly flat and keep their intervals). The outcome's
    K and enclosures are over the free coordinates; :func:`_embed` puts them back in B."""
    c = np.array([exact(b) for b in B], dtype=object)
    return _krawczyk_free(model, B, c, bits, free)


def _krawczyk_free(model, B, c, bits, free=None):
    free = list(range(len(B))) if free is None else free
    g, H = GRADIENT(model, c, bits=bits), HESSIAN(model, B, bits=bits)
    out = krawczyk(
        np.array([g[i] for i in free], dtype=object),
        np.array([[H[i, j] for j in free] for i in free], dtype=object),
        np.array([c[i] for i in free], dtype=object),
        np.array([B[i] for i in free], dtype=object),
    )
    return out.status, out


def _embed(B, free, E):
    """B with its free coordinates replaced by E."""
    full = np.array(list(B), dtype=object)
    for k, i in enumerate(free):
        full[i] = E[k]
    return full


def _sub_box(B, free):
    return np.array([B[i] for i in free], dtype=object)


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

    A coordinate given as ``(v, v)`` is held at v: the search and the certificates are
    about V restricted to that slice (``fixed`` in the result). Use it for a flat axion
    (e.g. LVS's Im T_b), along which ball arithmetic over a box cannot prove ∂V = 0; that
    the slice's critical points are critical points of V is then the model's symmetry,
    not part of the proof.

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
        if not (np.isfinite(lo) and np.isfinite(hi) and lo <= hi):
            raise InputError(
                f"region: {n_} needs finite LO < HI, or LO = HI to fix a flat "
                f"coordinate (got {lo}:{hi})."
            )
    fixed = {n_: float(lo) for n_, (lo, hi) in region.items() if lo == hi}
    if fixed:  # certify the slice: a plain potential in the other coordinates
        from .._slice import fix_coordinates

        if len(fixed) == len(names):
            raise InputError("region: every coordinate is fixed (LO = HI): nothing to search.")
        if parameters:
            model = with_parameters(model, parameters)
            parameters = None
        out = certify_region(
            fix_coordinates(model, fixed),
            {k: v for k, v in region.items() if k not in fixed},
            digits=digits,
            max_boxes=max_boxes,
            max_seconds=max_seconds,
            min_width=min_width,
            name=name or type(model).__name__,
        )
        out.fixed = fixed
        return out
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
        R = np.array(
            [hull(arb(float(region[n][0])), arb(float(region[n][1]))) for n in names], dtype=object
        )
        widths = [r.rad() for r in R]
        try:  # coordinates exactly flat over the whole region are left out of the search
            gR = GRADIENT(model, R, bits=bits)
            flat = [i for i in range(len(names)) if gR[i].is_exact() and gR[i].is_zero()]
        except CertifyError:  # not decided over the whole region (a branch, a NaN): none flat
            flat = []
        free = [i for i in range(len(names)) if i not in flat]
        work = [R] if free else []
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
                if any(not g[i].contains(0) for i in free):
                    excluded += 1
                    continue
                status, out = _krawczyk_status(model, B, bits, free)
            except CertifyError:
                status, out = "inconclusive", None
            if status == "none":
                excluded += 1
                continue
            if status == "unique" and out is not None:  # (out is None only when inconclusive)
                _record(points, covers, B, _embed(B, free, out.enclosure(_sub_box(B, free))))
                continue
            if out is not None:
                _try_newton_box(model, B, bits, points, covers, widths, free)
            if max(float((B[i].rad() / widths[i]).mid()) for i in free) < min_width:
                undecided.append(B)
                continue
            work.extend(_split(B, widths, free))
    ambiguous = [p for p in points if p.get("ambiguous")]
    for p in points:  # a flat coordinate's interval is the region's: not a boundary point
        p["on_boundary"] = not all(inside_interior(p["E"][i], R[i]) for i in free)
    complete = (
        not undecided
        and stopped is None
        and not ambiguous
        and not any(p["on_boundary"] for p in points)
        and bool(free)
    )
    out_points = []
    for p in points:
        cert = _classify_point(model, base, p, digits, name, parameters, free)
        out_points.append(
            {
                "box": {n: list(_interval(x)) for n, x in zip(names, p["X"])},
                "on_boundary": p["on_boundary"],
                "certificate": cert,
            }
        )
    return RegionCertificate(
        model_name=name or type(base).__name__,
        parameters=base.parameters(),
        coordinate_names=names,
        region={n: (float(region[n][0]), float(region[n][1])) for n in names},
        complete=complete,
        points=out_points,
        undecided=[{n: list(_interval(x)) for n, x in zip(names, B)} for B in undecided],
        boxes=boxes,
        excluded=excluded,
        stopped=stopped if free else "every coordinate is exactly flat over the region",
        digits=digits,
        seconds=time.perf_counter() - t0,
        flat=[names[i] for i in flat],
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


def _try_newton_box(model, B, bits, points, covers, widths, free) -> None:
    """Newton from the centre of B; certify a box around the point it reaches when that
    point lies in B and in no listed uniqueness box (a zero on a splitting line would
    never be interior to a sub-box)."""
    c = [exact(b) for b in B]
    if max(float((B[i].rad() / widths[i]).mid()) for i in free) > 1e-2:
        return  # too large: Newton from its centre is a guess
    y, ok, _noisy = _newton(model, c, free, bits, max_steps=20)
    if not ok or not all(b.contains(v) for b, v in zip(B, y)):
        return
    if any(_contains_box(X, y) for X in covers):
        return
    for factor in (arb(1) / 4, arb(1) / 64):
        X = _embed(B, free, box(_sub_box(y, free), [B[i].rad() * factor for i in free]))
        cX = np.array([exact(x) for x in X], dtype=object)
        try:
            status, out = _krawczyk_free(model, X, cX, bits, free)
        except CertifyError:
            return
        if status == "unique":
            _record(points, covers, X, _embed(X, free, out.enclosure(_sub_box(X, free))))
            return


def _shrink(model, E, bits, free, steps=8):
    """K(E) ∩ E iterated from the enclosure E (each still holds the critical point)."""
    for _ in range(steps):
        c = np.array([exact(e) for e in E], dtype=object)
        try:
            _, out = _krawczyk_free(model, E, c, bits, free)
        except CertifyError:
            return E
        smaller = out.enclosure(_sub_box(E, free)) if out.K is not None else None
        if smaller is None:
            return E
        E = _embed(E, free, smaller)
    return E


def _classify_point(model, base, p, digits, name, parameters, free) -> Certificate:
    bits = digits_to_bits(digits)
    with working_precision(bits):
        p["E"] = _shrink(model, p["E"], bits, free)
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
