"""Boxes, the Krawczyk test and verified inertia, on vectors and matrices of Arb balls.

Everything here is plain ball arithmetic on numpy object arrays of ``flint.arb``; the
functions whose zeros and Jacobians are tested come from :mod:`jaxvac._certify._arb`.

- :func:`krawczyk`: for F: Rⁿ → Rⁿ, a box X = c + [-r, r], its centre c and the Jacobian
  enclosure J(X), K(X) = c − C F(c) + (I − C J(X))(X − c) with C ≈ mid(J)⁻¹. If K(X) lies in
  the interior of X, F has exactly one zero in X (Krawczyk 1969, Moore 1977); if K(X) ∩ X
  is empty, F has none; every zero of F in X lies in K(X) ∩ X.
- :func:`inertia`: the numbers of negative and positive eigenvalues of every symmetric
  matrix in a matrix of balls, proved by a congruence with an approximate eigenvector
  matrix Q (nonsingular, proved) followed by Gershgorin's theorem: if no Gershgorin disc
  of B = Qᵀ A Q holds 0, no matrix on the segment from diag(B) to B is singular, so B (and A,
  by Sylvester's law of inertia) has the inertia of its diagonal.
"""

from __future__ import annotations

from collections.abc import Sequence

import mpmath as mp
import numpy as np
from flint import arb, arb_mat

from ._arb import to_ball


def to_mpf(x: arb):
    """The midpoint of a ball as an mpmath number (exactly)."""
    m, e = x.mid().man_exp()
    return mp.mpf((int(m), int(e)))


def exact(x) -> arb:
    """The midpoint of a ball, as an exact ball."""
    return x.mid()


def box(center: Sequence[arb] | np.ndarray, radii: Sequence[arb] | np.ndarray) -> np.ndarray:
    """The box ∏ [cᵢ − rᵢ, cᵢ + rᵢ] (centres exact; radii rounded up by Arb)."""
    out = np.empty(len(center), dtype=object)
    for i, (c, r) in enumerate(zip(center, radii)):
        out[i] = arb(exact(c), abs(r).abs_upper()) if r != 0 or not r.is_exact() else exact(c)
    return out


def hull(lo: arb, hi: arb) -> arb:
    """The smallest ball (up to rounding) holding [lo, hi] (exact endpoints)."""
    m = ((lo + hi) / 2).mid()
    r = (hi - m).abs_upper().max((m - lo).abs_upper()).upper()
    return arb(m, r)


def intersect(a: arb, b: arb) -> arb | None:
    """a ∩ b as a ball (None when they are disjoint)."""
    if not a.overlaps(b):
        return None
    lo = a.lower().max(b.lower())
    hi = a.upper().min(b.upper())
    return hull(lo, hi)


def inside_interior(inner: arb, outer: arb) -> bool:
    """Every point of ``inner`` lies in the open interval of ``outer``."""
    return bool(
        inner.is_finite() and inner.lower() > outer.lower() and inner.upper() < outer.upper()
    )


def approximate_inverse(A: np.ndarray) -> np.ndarray | None:
    """mid(A)⁻¹ as a matrix of exact balls (None when mid(A) is singular)."""
    n = A.shape[0]
    M = arb_mat([[exact(A[i, j]) for j in range(n)] for i in range(n)])
    try:
        inv = M.inv()
    except ZeroDivisionError:
        return None
    out = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            v = inv[i, j]
            if not v.is_finite():
                return None
            out[i, j] = exact(v)
    return out


def matvec(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    n, m = A.shape
    out = np.empty(n, dtype=object)
    for i in range(n):
        acc = arb(0)
        for j in range(m):
            acc += A[i, j] * x[j]
        out[i] = acc
    return out


def matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    n, k = A.shape
    m = B.shape[1]
    out = np.empty((n, m), dtype=object)
    for i in range(n):
        for j in range(m):
            acc = arb(0)
            for l in range(k):
                acc += A[i, l] * B[l, j]
            out[i, j] = acc
    return out


class KrawczykOutcome:
    """What one Krawczyk test found (``status``: unique | none | inconclusive)."""

    def __init__(self, status: str, K: np.ndarray | None, contraction: float, reason: str = ""):
        self.status = status
        self.K = K
        self.contraction = contraction  # max row sum of |I - C J(X)| (upper bound), for reports
        self.reason = reason

    def enclosure(self, X: np.ndarray) -> np.ndarray | None:
        """K(X) ∩ X: where every zero in X lies (None: there is none)."""
        if self.K is None:
            return X
        out = np.empty(len(X), dtype=object)
        for i, (k, x) in enumerate(zip(self.K, X)):
            v = intersect(k, x)
            if v is None:
                return None
            out[i] = v
        return out


def krawczyk(
    F_center: np.ndarray,
    J_box: np.ndarray,
    center: np.ndarray,
    X: np.ndarray,
    C: np.ndarray | None = None,
) -> KrawczykOutcome:
    """The Krawczyk test for F on the box X with centre ``center`` (exact balls).

    ``F_center``: enclosure of F(center); ``J_box``: enclosure of the Jacobian of F over X.
    """
    n = len(X)
    if not all(v.is_finite() for v in F_center) or not all(v.is_finite() for v in J_box.flat):
        return KrawczykOutcome(
            "inconclusive", None, float("inf"), "F or its Jacobian is not finite over the box"
        )
    if C is None:
        C = approximate_inverse(J_box)
    if C is None:
        return KrawczykOutcome(
            "inconclusive", None, float("inf"), "the Jacobian's midpoint is singular"
        )
    CF = matvec(C, F_center)
    CJ = matmul(C, J_box)
    R = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            R[i, j] = (arb(1) if i == j else arb(0)) - CJ[i, j]
    D = np.array([x - c for x, c in zip(X, center)], dtype=object)
    K = np.array([c - cf for c, cf in zip(center, CF)], dtype=object) + matvec(R, D)
    rows = [sum((abs(R[i, j]) for j in range(n)), arb(0)) for i in range(n)]
    contraction = max(float(r.upper().mid()) for r in rows) if n else 0.0
    if any(not k.is_finite() for k in K):
        return KrawczykOutcome("inconclusive", None, contraction, "K(X) is not finite")
    if any(not k.overlaps(x) for k, x in zip(K, X)):
        return KrawczykOutcome("none", K, contraction)
    if all(inside_interior(k, x) for k, x in zip(K, X)):
        return KrawczykOutcome("unique", K, contraction)
    if contraction >= 1:
        reason = (
            f"|I - C J(X)| = {contraction:.3g} >= 1: the Jacobian varies too much over "
            "the box or is singular"
        )
    else:
        reason = "K(X) is not inside X: the box is too small for the residual at its centre"
    return KrawczykOutcome("inconclusive", K, contraction, reason)


# ---- verified inertia ------------------------------------------------------------------


def _eigenvectors(A: np.ndarray, digits: int) -> np.ndarray:
    """Approximate eigenvectors of the symmetric midpoint of A, as exact balls."""
    n = A.shape[0]
    with mp.workdps(digits):
        M = mp.matrix(n, n)
        for i in range(n):
            for j in range(n):
                M[i, j] = to_mpf(A[i, j])
        _, Q = mp.eigsy(M)
        out = np.empty((n, n), dtype=object)
        for i in range(n):
            for j in range(n):
                out[i, j] = to_ball(Q[i, j])
    return out


def _gershgorin(B: np.ndarray) -> list[int] | None:
    """Signs (+1/-1) of the Gershgorin discs of B when none holds 0, else None."""
    n = B.shape[0]
    signs = []
    for i in range(n):
        R = sum((abs(B[i, j]) for j in range(n) if j != i), arb(0))
        if B[i, i] - R > 0:
            signs.append(1)
        elif B[i, i] + R < 0:
            signs.append(-1)
        else:
            return None
    return signs


class Inertia:
    """Proved inertia of a symmetric matrix of balls (``proved`` False: not decided)."""

    def __init__(self, proved: bool, n_negative: int | None, n_positive: int | None, reason=""):
        self.proved = proved
        self.n_negative = n_negative
        self.n_positive = n_positive
        self.reason = reason


def inertia(A: np.ndarray, *, digits: int = 40) -> Inertia:
    """Numbers of negative and positive eigenvalues of every symmetric matrix in A (balls).

    Congruence with approximate eigenvectors Q of mid(A) (their Gram matrix QᵀQ is proved
    nonsingular by Gershgorin) and Gershgorin's discs of Qᵀ A Q, each of which must exclude
    0. Returns unproved inertia (with the reason) otherwise."""
    n = A.shape[0]
    if n == 0:
        return Inertia(True, 0, 0)
    if not all(v.is_finite() for v in A.flat):
        return Inertia(False, None, None, "the matrix is not finite over the box")
    S = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            S[i, j] = (A[i, j] + A[j, i]) / 2  # the exact matrix is symmetric: same set
    Q = _eigenvectors(S, digits)
    if _gershgorin(matmul(Q.T, Q)) is None:
        return Inertia(False, None, None, "approximate eigenvectors not proved independent")
    B = matmul(matmul(Q.T, S), Q)
    signs = _gershgorin(B)
    if signs is None:
        return Inertia(
            False, None, None, "an eigenvalue is not separated from 0 (a Gershgorin disc holds 0)"
        )
    return Inertia(True, signs.count(-1), signs.count(1))
