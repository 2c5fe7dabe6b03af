"""``jaxvac.certify(model, point)``: interval proofs about one critical point.

The same float64 model code as everywhere else (V, ∇V and the Hessian by JAX's autodiff)
is evaluated in Arb ball arithmetic (:mod:`jaxvac._certify._arb`) in the real coordinates
y = (Re z, Im z) of the analysis (plain potentials: their fields). For a point:

1. Newton's method in ball arithmetic (midpoints) moves the point to the critical point
   nearby, at the working precision (a heuristic: nothing rests on it);
2. the Krawczyk test on ∇V = 0 with the interval Hessian over boxes X around it, from large
   to small (``radius`` x |yᵢ|, shrinking by 8 each failure): K(X) ⊂ int X proves that X
   holds exactly one critical point (existence and uniqueness), which lies in K(X) ∩ X;
3. a tight box around the critical point is certified the same way, and over it: the
   Hessian's inertia (:func:`jaxvac._certify._balls.inertia`), the kinetic metric's
   positivity (so, by Sylvester's law, the canonical masses² have the Hessian's signs), the
   sign of V (V(box) ∌ 0) and, for supergravity models, supersymmetry: non-SUSY when some
   |D_aW| is bounded away from 0, SUSY when Krawczyk proves a zero of D_aW inside the
   uniqueness box of ∇V and the potential has no extra term (then that zero is a critical
   point of V, hence the certified one).

When a step fails at the working precision, the precision is doubled (up to
``max_digits``). A coordinate along which V is exactly flat over the box (∂ᵢV is the
exact ball 0 over X, e.g. an axion that appears nowhere) is quotiented out: the proof is
about the critical point of the other coordinates and the flat coordinate is reported in
``n_flat``. Any other singular Hessian makes uniqueness unprovable, and says so.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
from flint import arb

from .._errors import InputError
from .._model import AbstractModel
from .._potential import fterm_parts, kinetic_metric, scalar_potential
from ._arb import BallFunction, CertifyError, digits_to_bits, to_ball, working_precision
from ._balls import (
    approximate_inverse,
    box,
    exact,
    inertia,
    inside_interior,
    krawczyk,
    matvec,
)

#: Default and largest precision (decimal digits).
DEFAULT_DIGITS, MAX_DIGITS = 30, 1000


# ---- the functions, traced once per model structure --------------------------------------


def _gradient(model, y):
    return jax.grad(lambda z: scalar_potential(model, z))(y)


def _hessian(model, y):
    H = jax.hessian(lambda z: scalar_potential(model, z))(y)
    return H


def _info(model, y):
    V = scalar_potential(model, y)
    G = kinetic_metric(model, y)
    if model.is_supergravity:
        parts = fterm_parts(model, y)
        F, extra = parts.F, parts.V_extra
    else:
        F, extra = jnp.zeros((0,), jnp.complex128), jnp.zeros((), y.dtype)
    return V, G, F, extra


def _fterms_real(model, y):
    F = fterm_parts(model, y).F
    return jnp.concatenate([jnp.real(F), jnp.imag(F)])


def _fterms_jacobian(model, y):
    return jax.jacfwd(lambda z: _fterms_real(model, z))(y)


GRADIENT = BallFunction(_gradient)
HESSIAN = BallFunction(_hessian)
INFO = BallFunction(_info)
FTERMS = BallFunction(_fterms_real)
FTERMS_JACOBIAN = BallFunction(_fterms_jacobian)


# ---- the result ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Certificate:
    """What :func:`certify` proved about one critical point, and what it could not.

    ``proved`` maps existence, uniqueness, inertia, sign_of_V and susy to True (proved)
    or False (not proved; the reasons are in ``unproved``). Values not proved are None.
    """

    model_name: str
    parameters: dict[str, Any]
    coordinate_names: tuple[str, ...]
    supergravity: bool
    proved: dict[str, bool]
    unproved: list[str]
    digits: int
    bits: int
    center: list | None = None  # exact balls: midpoint of the enclosure of the critical point
    enclosure: list | None = None  # balls holding the critical point
    box: list | None = None  # the uniqueness box X (balls)
    start_in_box: bool | None = None
    n_negative: int | None = None
    n_positive: int | None = None
    n_flat: int = 0
    flat: list[str] = dataclasses.field(default_factory=list)
    negative_curvature: list[str] = dataclasses.field(default_factory=list)  # ∂²V/∂yᵢ² < 0 proved
    V: Any = None  # ball
    susy: bool | None = None
    contraction: float | None = None
    seconds: float = 0.0
    # set when a failure is one that more digits cannot cure (not in the JSON)
    final: bool = dataclasses.field(default=False, repr=False)

    @property
    def critical_type(self) -> str | None:
        if not self.proved.get("inertia"):
            return None
        if self.n_negative == 0:
            return "minimum"
        if self.n_positive == 0 and self.n_flat == 0:
            return "maximum"
        return "saddle"

    @property
    def vacuum(self) -> str | None:
        if not self.proved.get("sign_of_V"):
            return None
        if self.V > 0:
            return "dS"
        if self.V < 0:
            return "AdS"
        return "Minkowski"

    def fields(self, digits: int = 25) -> dict[str, Any] | None:
        if self.center is None:
            return None
        return _layout(self, [_text(c, digits) for c in self.center])

    def to_dict(self) -> dict[str, Any]:
        def rad(balls):
            return None if balls is None else _layout(self, [float(b.rad().mid()) for b in balls])

        with working_precision(self.bits):
            out: dict[str, Any] = {
                "model": self.model_name,
                "parameters": self.parameters,
                "fields": self.fields(),
                "enclosure_radius": rad(self.enclosure),
                "box_radius": rad(self.box),
                "start_in_box": self.start_in_box,
                "proved": dict(self.proved) if self.supergravity else {**self.proved, "susy": None},
                "type": self.critical_type,
                "n_negative": self.n_negative,
                "n_positive": self.n_positive,
                "n_flat": self.n_flat,
                "flat": list(self.flat),
                "negative_curvature": list(self.negative_curvature),
                "vacuum": self.vacuum,
                "V": None if self.V is None else float(self.V.mid()),
                "V_ball": None if self.V is None else self.V.str(12),
                "susy": self.susy if self.supergravity else None,
                "precision": self.digits,
                "bits": self.bits,
                "contraction": self.contraction,
                "unproved": list(self.unproved),
                "seconds": round(self.seconds, 3),
            }
        return out


def _text(x: arb, digits: int) -> str:
    return x.mid().str(digits, radius=False)


def _layout(cert: Certificate, values: list) -> dict[str, Any]:
    names = cert.coordinate_names
    if cert.supergravity:
        out: dict[str, Any] = {}
        for name, v in zip(names, values):
            base, _, part = name.partition(".")
            out.setdefault(base, {})[part] = v
        return out
    return dict(zip(names, values))


# ---- helpers -------------------------------------------------------------------------------------


def _balls(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = to_ball(v)
    return out


def _scales(center, fraction=100) -> list:
    """Each coordinate's size, for box radii: |yᵢ|, at least 1/``fraction`` of the largest
    |yⱼ| (an axion at 0 gets the scale of the point), or 1 at the origin."""
    mags = [abs(c) for c in center]
    top = max(mags, key=lambda m: float(m.mid())) if mags else arb(1)
    floor = top / fraction if not top.is_zero() else arb(1)
    return [exact(m.max(floor)) for m in mags]


def _newton(model, y, free, bits, max_steps=60):
    """Newton on ∇V = 0 at the working precision, over the free coordinates (heuristic).

    Returns (point, converged, noisy): ``noisy`` when some step taken above the tolerance
    was not determined at this precision (:func:`_undetermined`: the balls of ∇V make the
    step uncertain by more than 1/8 of it, or the Hessian's balls are as wide): then a
    failure may be the precision's, and more digits may cure it."""
    y = np.array([exact(v) for v in y], dtype=object)
    tol = arb(2) ** (-(bits - 12))
    prev = None
    noisy = False
    for _ in range(max_steps):
        g = GRADIENT(model, y, bits=bits)
        H = HESSIAN(model, y, bits=bits)
        gf = np.array([g[i] for i in free], dtype=object)
        Hf = np.array([[H[i, j] for j in free] for i in free], dtype=object)
        C = approximate_inverse(Hf)
        if C is None or not all(v.is_finite() for v in gf):
            return y, False, noisy or not all(v.is_finite() for v in Hf.flat)
        step = matvec(C, gf)
        size = max((abs(s) / (abs(y[i]) + 1) for s, i in zip(step, free)), default=arb(0))
        if not size < tol and _undetermined(step, Hf, [abs(y[i]) + 1 for i in free], size):
            noisy = True
        for k, i in enumerate(free):
            y[i] = exact(y[i] - exact(step[k]))
        if size < tol:
            return y, True, noisy
        if prev is not None and size > prev and size > arb(2) ** (-(bits // 3)):
            return y, False, noisy
        prev = size
    return y, False, noisy


def _undetermined(step, H, scales, size) -> bool:
    """A Newton step or Hessian that the working precision does not determine: some step
    component's ball (relative to its coordinate, as ``size``, the step's size, is) wider
    than 1/8 of the step, or some Hessian entry's wider than 1/8 of the largest entry."""
    if any(s.rad() / m > size / 8 for s, m in zip(step, scales)):
        return True
    top = max((abs(h.mid()) for h in H.flat), default=arb(0))
    return any(h.rad() > top / 8 for h in H.flat)


def _refine_mp(model, parameters, y0, free, digits):
    """The point :func:`jaxvac.refine` (mpmath Newton in the metric's frame, with its
    trust-radius and contraction guards) reaches from ``y0`` at ``digits``, as exact
    balls, and ""; (None, why) when it does not converge."""
    from .._precision import Refinement, refine

    try:
        r = refine(
            model,
            np.asarray(list(y0), dtype=object),
            digits=digits,
            parameters=parameters,
            check=False,
        )
    except (ArithmeticError, ValueError):
        return None, "mpmath Newton failed"
    assert isinstance(r, Refinement)  # one start, one refinement
    if not r.converged:
        return None, f"mpmath Newton: {r.message}"
    y = np.array([exact(v) for v in _balls(list(y0))], dtype=object)
    moved = _balls(list(r.point))
    for i in free:
        y[i] = exact(moved[i])
    return y, ""


def _flat_candidates(H) -> list[int]:
    n = H.shape[0]
    return [i for i in range(n) if all(H[i, j].is_zero() and H[j, i].is_zero() for j in range(n))]


def _is_exact_zero(x) -> bool:
    return bool(x.is_exact() and x.is_zero())


# ---- certify ------------------------------------------------------------------------------------


def certify(
    model: AbstractModel,
    point,
    *,
    digits: int = DEFAULT_DIGITS,
    max_digits: int = MAX_DIGITS,
    radius: float = 0.1,
    name: str | None = None,
    parameters: dict[str, Any] | None = None,
) -> Certificate:
    """Prove existence, uniqueness, inertia, the sign of V and (non-)supersymmetry of the
    critical point of ``model`` near ``point``, in Arb ball arithmetic.

    **Arguments:**

    - `model`: a jaxvac model.
    - `point`: field values as for :func:`jaxvac.check` (decimal strings are read at full
      precision), a ``check``/``find`` record (its ``fields``), or real coordinates.
    - `digits`: starting precision (decimal digits); doubled on failure up to
      `max_digits`.
    - `max_digits`: the most digits tried.
    - `radius`: the largest box tried, relative to each coordinate's size.
    - `name`: the model's name in the result (default: its class name).
    - `parameters`: parameters to take beyond float64 (decimal strings: the proof is then
      about the exact decimal value), as in :func:`jaxvac.refine`.

    **Returns:**

    A :class:`Certificate` (``.to_dict()`` gives the JSON of ``jaxvac certify``).
    """
    from .._precision import point_to_mp, with_parameters

    if (
        isinstance(digits, bool)
        or not isinstance(digits, (int, np.integer))
        or not 5 <= digits <= max_digits
    ):
        raise InputError(f"digits must be an integer between 5 and {max_digits} (got {digits!r}).")
    if not 0 < radius < 1:
        raise InputError(f"radius must be between 0 and 1 (got {radius}).")
    if isinstance(point, dict) and "fields" in point:
        point = point["fields"]
    base = model
    model = with_parameters(model, parameters)
    y0 = point_to_mp(base, point)
    for i in base.positive_indices:
        if not mp.mpf(y0[i]) > 0:
            raise InputError(f"point: {base.coordinate_names[i]} must be > 0 (got {y0[i]}).")
    t0 = time.perf_counter()
    cert = None
    d = int(digits)
    while True:
        cert = _certify_at(base, model, y0, d, radius, name or type(base).__name__, parameters)
        done = (
            cert.proved["uniqueness"]
            and all(cert.proved[k] for k in ("inertia", "sign_of_V"))
            and cert.proved.get("susy", True)
        )
        if done or 2 * d > max_digits or _hopeless(cert):
            break
        d *= 2
    cert.seconds = time.perf_counter() - t0
    return cert


def _hopeless(cert: Certificate) -> bool:
    """Failures that more precision does not cure."""
    if cert.proved["existence"]:
        return False
    if cert.final:  # not a critical point (proved), or Newton fails at a determined precision
        return True
    # (a refused primitive or an undecided branch: "ball arithmetic: ...")
    return any(
        u.startswith(("degenerate", "every coordinate", "ball arith")) or "not finite" in u
        for u in cert.unproved
    )


def _certify_at(
    base, model, y0, digits: int, radius: float, name: str, parameters=None
) -> Certificate:
    bits = digits_to_bits(digits)
    sugra = base.is_supergravity
    cert = Certificate(
        model_name=name,
        parameters=base.parameters(),
        coordinate_names=base.coordinate_names,
        supergravity=sugra,
        proved={k: False for k in ("existence", "uniqueness", "inertia", "sign_of_V")}
        | ({"susy": False} if sugra else {}),
        unproved=[],
        digits=digits,
        bits=bits,
    )
    n = base.n_real
    try:
        with working_precision(bits):
            _run(cert, model, y0, n, bits, radius, sugra, (base, parameters))
    except CertifyError as e:
        cert.unproved.append(str(e))
    return cert


def _run(cert, model, y0, n, bits, radius, sugra, source):
    start = _balls(list(y0))
    H0 = HESSIAN(model, np.array([exact(v) for v in start], dtype=object), bits=bits)
    flat = _flat_candidates(H0)
    free = [i for i in range(n) if i not in flat]
    if not free:
        cert.unproved.append("every coordinate is exactly flat: nothing to prove")
        return
    c, converged, noisy = _newton(model, start, free, bits)
    why_not = "Newton in ball arithmetic does not converge"
    if not converged:
        # A second refinement at this precision: mpmath Newton in the metric's frame
        # (jaxvac.refine), whose steps need not shrink coordinate by coordinate.
        base, parameters = source
        refined, why = _refine_mp(base, parameters, y0, free, cert.digits)
        if refined is not None:
            c, converged = refined, True
        else:
            why_not += f"; {why}"
    far = [i for i, s in enumerate(_scales(start, 1)) if abs(c[i] - start[i]) > radius * s]
    if far:
        moved = ", ".join(
            f"{cert.coordinate_names[i]} by {float((c[i] - start[i]).mid()):.3g}" for i in far
        )
        cert.center = [exact(v) for v in c]
        if converged:
            cert.unproved.append(
                f"not a critical point near the given point: Newton moves {moved}, beyond the "
                f"largest box (relative radius {radius}); certify the point it reaches instead"
            )
            cert.final = True
            return
        cert.unproved.append(
            f"no critical point proved near the given point at {cert.digits} digits: "
            f"{why_not} (it moves {moved}, beyond the largest box, relative radius {radius})"
            + (" — the steps are not determined at this precision" if noisy else "")
        )
        cert.final = not noisy
        return
    g_c = GRADIENT(model, c, bits=bits)
    scales = _scales(c)
    rho = arb(radius)
    floor = arb(2) ** (-(bits // 2))
    outcome, X = None, None
    reasons = []
    while rho > floor:
        radii = [rho * scales[i] if i in free else arb(0) for i in range(n)]
        Xfull = box(c, [rho * scales[i] for i in range(n)])
        X = box(c, radii)
        if flat:
            gX = GRADIENT(model, Xfull, bits=bits)
            bad = [i for i in flat if not _is_exact_zero(gX[i])]
            if bad:
                names = ", ".join(cert.coordinate_names[i] for i in bad)
                cert.unproved.append(
                    f"degenerate: the Hessian vanishes along {names} at the point but ∂V does "
                    "not vanish identically there (not an exactly flat direction): uniqueness "
                    "is unprovable by Krawczyk"
                )
                return
        HX = HESSIAN(model, Xfull if flat else X, bits=bits)
        J = np.array([[HX[i, j] for j in free] for i in free], dtype=object)
        Fc = np.array([g_c[i] for i in free], dtype=object)
        Xf = np.array([X[i] for i in free], dtype=object)
        cf = np.array([c[i] for i in free], dtype=object)
        outcome = krawczyk(Fc, J, cf, Xf)
        if outcome.status == "unique":
            break
        if outcome.status == "none":
            if all(Xfull[i].contains(start[i]) for i in range(n)):
                # a proof about the given point: no critical point in a box around it
                cert.unproved.append(
                    "not a critical point: the Krawczyk test excludes a zero of ∇V from the "
                    f"box of relative radius {float(rho.mid()):.2g} around the refined point, "
                    "which holds the given point"
                )
                cert.final = True
                return
            # only the refined point is excluded: it is not accurate enough (the precision,
            # or Newton, failed), which says nothing about a critical point near the start
            cert.unproved.append(
                f"existence and uniqueness not proved at {cert.digits} digits: the Krawczyk "
                "test excludes a zero of ∇V from the box of relative radius "
                f"{float(rho.mid()):.2g} around the refined point, so that point is not "
                "accurate enough" + ("" if converged else f" ({why_not})")
            )
            cert.final = not (converged or noisy)
            return
        reasons.append(outcome.reason)
        if outcome.contraction == float("inf") and "singular" in outcome.reason:
            cert.unproved.append(
                "degenerate: the Hessian is singular at the point (a flat direction that is "
                "not a coordinate, or a degenerate critical point): uniqueness is unprovable"
            )
            return
        rho = rho / 8
    if outcome is None or outcome.status != "unique":
        why = reasons[-1] if reasons else "no box tried"
        hint = "" if converged else f" ({why_not} at this precision)"
        cert.unproved.append(
            f"existence and uniqueness not proved at {cert.digits} digits: {why}{hint}"
        )
        return
    cert.proved["existence"] = cert.proved["uniqueness"] = True
    cert.contraction = outcome.contraction
    cert.flat = [cert.coordinate_names[i] for i in flat]
    cert.n_flat = len(flat)
    E = outcome.enclosure(Xf)
    if E is None:  # cannot happen: a unique zero was proved in K(X) ⊂ X
        raise RuntimeError("Krawczyk proved a unique zero but K(X) ∩ X is empty (a bug)")
    # A tight box: Krawczyk again with a small radius (the zero is in its K ∩ box).
    tight = _tighten(model, c, g_c, free, scales, bits, Xf)
    if tight is not None:
        E = tight
    enclosure = np.array(list(c), dtype=object)
    uniq = np.array(list(c), dtype=object)
    for k, i in enumerate(free):
        enclosure[i] = E[k]
        uniq[i] = Xf[k]
    for i in flat:
        uniq[i] = box([c[i]], [rho * scales[i]])[0]
    cert.enclosure = list(enclosure)
    cert.box = list(uniq)
    cert.center = [exact(v) for v in enclosure]
    cert.start_in_box = all(uniq[i].contains(exact(start[i])) for i in range(n))
    _classify(cert, model, enclosure, uniq, free, bits, sugra)


def _tighten(model, c, g_c, free, scales, bits, Xf):
    """K ∩ X for a small box X around c (inside the uniqueness box), or None."""
    C = approximate_inverse(_sub(HESSIAN(model, c, bits=bits), free))
    if C is None:
        return None
    step = matvec(C, np.array([g_c[i] for i in free], dtype=object))
    cf = np.array([c[i] for i in free], dtype=object)
    for factor in (2**10, 2**20):
        radii = [
            (abs(s).abs_upper() * factor).max(arb(2) ** (-(bits * 3 // 4)) * scales[i])
            for s, i in zip(step, free)
        ]
        X = box(cf, radii)
        if not all(inside_interior(x, xo) for x, xo in zip(X, Xf)):
            return None
        full = np.array(list(c), dtype=object)
        for k, i in enumerate(free):
            full[i] = X[k]
        J = _sub(HESSIAN(model, full, bits=bits), free)
        out = krawczyk(np.array([g_c[i] for i in free], dtype=object), J, cf, X, C)
        if out.status == "unique":
            return out.enclosure(X)
    return None


def _sub(M, idx):
    return np.array([[M[i, j] for j in idx] for i in idx], dtype=object)


def _classify(cert, model, E, X, free, bits, sugra):
    digits = max(20, cert.digits)  # eigenvectors at the working precision (spread ~1e62: dps)
    HE = HESSIAN(model, E, bits=bits)
    V, G, F, extra = INFO(model, E, bits=bits)
    cert.negative_curvature = [cert.coordinate_names[i] for i in free if HE[i, i] < 0]
    metric = inertia(G, digits=digits)
    if not (metric.proved and metric.n_negative == 0):
        cert.unproved.append(
            "inertia: the kinetic metric is not proved positive definite over the box "
            f"({metric.reason or 'it has a negative eigenvalue'})"
        )
    else:
        hess = inertia(_sub(HE, free), digits=digits)
        if hess.proved:
            cert.proved["inertia"] = True
            cert.n_negative, cert.n_positive = hess.n_negative, hess.n_positive
        else:
            cert.unproved.append(f"inertia: {hess.reason}")
    cert.V = V.item() if isinstance(V, np.ndarray) else V
    if cert.V.is_finite() and (cert.V > 0 or cert.V < 0 or _is_exact_zero(cert.V)):
        cert.proved["sign_of_V"] = True
    else:
        cert.unproved.append(f"sign of V: V over the enclosure is {cert.V.str(5)}, which holds 0")
    if not sugra:
        return
    nonzero = [k for k, f in enumerate(F) if abs(f) > 0]
    if nonzero:
        cert.susy, cert.proved["susy"] = False, True
        return
    # V_extra must vanish identically over the uniqueness box (not only over the enclosure)
    extra_X = INFO(model, np.array(list(X), dtype=object), bits=bits)[3]
    pure = all(
        _is_exact_zero(v)
        for v in (np.asarray(extra).ravel().tolist() + np.asarray(extra_X).ravel().tolist())
    )
    if cert.n_flat:
        cert.unproved.append(
            "susy: D_aW holds 0 over the enclosure; a SUSY proof with flat "
            "directions is not implemented"
        )
        return
    if not pure:
        cert.unproved.append(
            "susy: D_aW holds 0 over the enclosure, and the potential has an "
            "extra term, so a zero of D_aW need not be this critical point"
        )
        return
    center = np.array([exact(v) for v in E], dtype=object)
    Fc = FTERMS(model, center, bits=bits)
    for B in (E, X):
        boxB = box(center, [b.rad() * 2 + abs(b.mid() - c) for b, c in zip(B, center)])
        if not all(x.contains(b) for x, b in zip(X, boxB)):
            boxB = np.array(list(X), dtype=object)
        J = FTERMS_JACOBIAN(model, boxB, bits=bits)
        out = krawczyk(Fc, J, center, boxB)
        if out.status == "unique":
            cert.susy, cert.proved["susy"] = True, True
            return
    cert.unproved.append(
        "susy: D_aW holds 0 over the enclosure but a zero of D_aW was not "
        "proved in the uniqueness box"
    )
