"""Topological data of a Calabi–Yau hypersurface in a toric fourfold, exactly.

The data a :class:`~jaxvac.flux.PrepotentialModel` needs — triple intersection numbers
κ_abc, the second Chern numbers c₂·D_a, the Euler characteristic χ and the quadratic terms
a_ab — computed from the fan of the ambient toric variety V (rays and maximal cones, e.g. a
fine regular star triangulation of a reflexive polytope, as shipped with the ancillary data of
arXiv:2107.09064) by toric intersection theory, in exact rational arithmetic:

- for distinct rays spanning a maximal cone, D_{i₁}D_{i₂}D_{i₃}D_{i₄} = 1/|det(v_{i₁}, …, v_{i₄})|;
  for distinct rays not in a common cone, 0;
- a repeated divisor D_i is replaced through the linear equivalence Σ_l ⟨m, v_l⟩ D_l = 0, with m
  chosen so that ⟨m, v_i⟩ = 1 and ⟨m, v_j⟩ = 0 on the other rays of the monomial — every
  step adds a distinct ray, so the recursion ends;
- the anticanonical hypersurface X = Σ_l D_l is Calabi–Yau: κ_abc = D_aD_bD_c·X,
  c(X) = Π_l(1 + D_l)/(1 + X) gives c₂(X) = Σ_{i<j} D_iD_j and c₃(X) = Σ_{i<j<k} D_iD_jD_k
  − c₂(X)·X, so c₂·D_a = Σ_{i<j} D_iD_jD_a·X and χ = ∫_X c₃.

Divisors of points interior to facets do not meet X and are not rays of the fan (leave them
out of ``cones``). The basis of H^{1,1}(X) is a list of rays (prime toric divisors); for a
favourable X (h^{1,1}(X) = #rays − 4) they span it. Curve classes given by their GLSM charges
(the intersection numbers with every ray's divisor) have coordinates in the dual basis equal
to those charges on the basis rays (:func:`curves_in_basis`).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np

from .._errors import InputError


def _solve_exact(A: list[list[Fraction]], b: list[Fraction]) -> list[Fraction]:
    """Gaussian elimination over ℚ for a square, invertible A."""
    n = len(A)
    rows = [[Fraction(x) for x in row] + [Fraction(y)] for row, y in zip(A, b)]
    for c in range(n):
        p = next(r for r in range(c, n) if rows[r][c] != 0)
        rows[c], rows[p] = rows[p], rows[c]
        for r in range(n):
            if r != c and rows[r][c] != 0:
                f = rows[r][c] / rows[c][c]
                rows[r] = [x - f * y for x, y in zip(rows[r], rows[c])]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def _det_exact(rows) -> Fraction:
    """The determinant of a square integer matrix, exactly (Gaussian elimination over ℚ)."""
    m = [[Fraction(int(x)) for x in r] for r in rows]
    n, det = len(m), Fraction(1)
    for c in range(n):
        p = next((r for r in range(c, n) if m[r][c] != 0), None)
        if p is None:
            return Fraction(0)
        if p != c:
            m[c], m[p] = m[p], m[c]
            det = -det
        det *= m[c][c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return det


def _rank(vectors) -> int:
    return int(np.linalg.matrix_rank(np.asarray(vectors, float))) if len(vectors) else 0


class ToricIntersections:
    """Intersection numbers of the toric divisors D_0, …, D_{n−1} of a complete simplicial
    toric variety of dimension d.

    **Arguments:**

    - `rays`: integer ray generators v_i, shape (n, d).
    - `cones`: the maximal cones as lists of d ray indices (0-based into ``rays``).

    Refused (InputError): a cone that is not simplicial, a ray that is not primitive or lies in
    no cone, and a fan that is not complete (a wall bounding other than two cones) — the
    numbers would be wrong without an error. ``walls`` lists the walls.

    Call ``I(i, j, k, l)`` (d indices, repeats allowed) for the exact intersection number
    (a :class:`fractions.Fraction`).
    """

    def __init__(self, rays, cones):
        rays_arr = np.asarray(rays)
        if rays_arr.ndim != 2 or not np.issubdtype(rays_arr.dtype, np.integer):
            raise InputError("rays must be an integer matrix (rays × dimension).")
        self.rays = [tuple(int(x) for x in r) for r in rays_arr]
        self.dim = rays_arr.shape[1]
        self.cones = [frozenset(int(i) for i in c) for c in cones]
        for c in self.cones:
            if len(c) != self.dim or not all(0 <= i < len(self.rays) for i in c):
                raise InputError(
                    f"each cone must name {self.dim} distinct rays out of {len(self.rays)}."
                )
            if _det_exact([self.rays[i] for i in c]) == 0:
                raise InputError(f"cone {sorted(c)} is not full-dimensional (not simplicial).")
        for i, r in enumerate(self.rays):
            if math.gcd(*r) != 1:
                raise InputError(f"ray {i} = {list(r)} is not primitive (gcd of its entries ≠ 1).")
        used = set().union(*self.cones) if self.cones else set()
        if used != set(range(len(self.rays))):
            raise InputError(
                f"rays {sorted(set(range(len(self.rays))) - used)} lie in no cone (leave out "
                "points interior to facets)."
            )
        # a complete fan: every wall (a (d-1)-face) bounds exactly two maximal cones
        walls: dict[frozenset, int] = {}
        for c in self.cones:
            for w in itertools.combinations(sorted(c), self.dim - 1):
                walls[frozenset(w)] = walls.get(frozenset(w), 0) + 1
        open_walls = [sorted(w) for w, k in walls.items() if k != 2]
        if open_walls:
            raise InputError(
                f"the fan is not complete: wall {open_walls[0]} bounds "
                f"{walls[frozenset(open_walls[0])]} cone(s), not 2 "
                f"({len(open_walls)} such walls); intersection numbers need a complete fan."
            )
        self.walls = sorted(sorted(w) for w in walls)
        self._cached = lru_cache(maxsize=None)(self._intersect)

    def __call__(self, *idx: int) -> Fraction:
        if len(idx) != self.dim:
            raise ValueError(f"an intersection of {self.dim} divisors (got {len(idx)}).")
        return self._cached(tuple(sorted(idx)))

    def _in_cone(self, s: frozenset) -> bool:
        return any(s <= c for c in self.cones)

    def _intersect(self, idx: tuple[int, ...]) -> Fraction:
        s = frozenset(idx)
        if not self._in_cone(s):
            return Fraction(0)
        if len(s) == self.dim:
            return 1 / abs(_det_exact([self.rays[i] for i in idx]))
        i = next(j for j in idx if idx.count(j) > 1)
        others = sorted(s - {i})
        rows = [self.rays[i]] + [self.rays[j] for j in others]
        rhs = [Fraction(1)] + [Fraction(0)] * len(others)
        for e in np.eye(self.dim, dtype=int):
            if len(rows) == self.dim:
                break
            if _rank(rows + [tuple(e)]) > len(rows):
                rows.append(tuple(int(x) for x in e))
                rhs.append(Fraction(0))
        m = _solve_exact([[Fraction(x) for x in r] for r in rows], rhs)
        rest = list(idx)
        rest.remove(i)
        total = Fraction(0)
        for l_, v in enumerate(self.rays):
            if l_ in s:
                continue
            c = sum((mm * x for mm, x in zip(m, v)), Fraction(0))
            if c:
                total -= c * self._cached(tuple(sorted(rest + [l_])))
        return total


def basis_matrix(basis, n_rays: int) -> np.ndarray:
    """The basis of divisors as an integer matrix B (h, n): J_a = Σ_i B_ai D_i. ``basis`` is
    a list of ray indices (prime toric divisors) or such a matrix."""
    arr = np.asarray(basis)
    if arr.ndim == 1:
        idx = [int(b) for b in arr]
        if len(set(idx)) != len(idx) or not all(0 <= b < n_rays for b in idx):
            raise InputError(f"basis must name distinct rays out of {n_rays} (got {idx}).")
        B = np.zeros((len(idx), n_rays), dtype=np.int64)
        B[np.arange(len(idx)), idx] = 1
        return B
    if arr.ndim != 2 or arr.shape[1] != n_rays or not np.issubdtype(arr.dtype, np.integer):
        raise InputError(f"basis must be ray indices or an integer matrix (h, {n_rays}).")
    return arr.astype(np.int64)


def a_convention(kappa) -> list:
    """a_ab = ½κ_aab (a ≥ b), ½κ_abb (a < b): arXiv:2107.09064 eq. (2.3). ``kappa`` nested
    lists (exact :class:`~fractions.Fraction` s stay exact) or an array."""
    h = len(kappa)
    return [
        [kappa[i][i][j] / 2 if i >= j else kappa[i][j][j] / 2 for j in range(h)] for i in range(h)
    ]


def hypersurface_topology(rays, cones, basis) -> dict[str, Any]:
    """κ_abc, c₂·J_a, χ and a_ab of the anticanonical Calabi–Yau hypersurface X of the toric
    fourfold with fan (``rays``, ``cones``), exactly, in the divisor basis ``basis`` (ray
    indices, i.e. prime toric divisors, or an integer matrix B with J_a = Σ_i B_ai D_i).

    **Returns:** dict with ``kappa`` (h, h, h) and ``a`` (h, h) as nested lists of
    :class:`~fractions.Fraction`, ``c2`` (h,) and ``chi`` — a_ab = ½κ_aab (a ≥ b), ½κ_abb
    (a < b), the convention of arXiv:2107.09064 eq. (2.3) — and ``h11`` = #rays − 4 (the
    Picard rank of V; h^{1,1}(X) for a favourable X whose fan's rays are exactly the points
    not interior to facets: points interior to facets, if made rays by a finer subdivision,
    change neither κ, c₂ nor χ, but count here).
    """
    inter = ToricIntersections(rays, cones)
    if inter.dim != 4:
        raise InputError(
            f"a Calabi–Yau threefold needs a toric fourfold (rays of dimension {inter.dim})."
        )
    n = len(inter.rays)
    B = basis_matrix(basis, n)
    h = B.shape[0]

    def with_x(i, j, k) -> Fraction:
        return sum((inter(i, j, k, l_) for l_ in range(n)), Fraction(0))

    # on all rays first (n ≤ a few dozen: cheap), then contracted with the basis
    k_rays = {
        (i, j, k): with_x(i, j, k)
        for i, j, k in itertools.combinations_with_replacement(range(n), 3)
    }
    pairs = list(itertools.combinations(range(n), 2))
    c2_rays = [sum((with_x(i, j, r) for i, j in pairs), Fraction(0)) for r in range(n)]
    chi = sum((with_x(i, j, k) for i, j, k in itertools.combinations(range(n), 3)), Fraction(0))
    chi -= sum(
        (inter(i, j, l_, m) for i, j in pairs for l_ in range(n) for m in range(n)), Fraction(0)
    )

    def contract(a, b, c) -> Fraction:
        total = Fraction(0)
        for i, j, k in itertools.product(*(np.nonzero(B[x])[0].tolist() for x in (a, b, c))):
            r, s_, t = sorted((int(i), int(j), int(k)))
            total += int(B[a, i]) * int(B[b, j]) * int(B[c, k]) * k_rays[(r, s_, t)]
        return total

    kappa = [[[contract(a, b, c) for c in range(h)] for b in range(h)] for a in range(h)]
    c2 = [sum((int(B[a, r]) * c2_rays[r] for r in range(n)), Fraction(0)) for a in range(h)]
    return {"kappa": kappa, "a": a_convention(kappa), "c2": c2, "chi": chi, "h11": n - inter.dim}


def wall_curves(rays, cones) -> list[list[Fraction]]:
    """The torus-invariant curves of the walls of a complete simplicial toric fourfold, as
    their intersection numbers with every ray's divisor: C_w·D_i = D_i·D_a·D_b·D_c for the
    wall w = {a, b, c}. They generate the Mori cone of V, so a class J is in V's Kähler cone
    when C_w·J > 0 for every wall, and then in the Kähler cone of the hypersurface X (whose
    cone contains V's restricted to X). Rows in the order of ``ToricIntersections.walls``."""
    inter = ToricIntersections(rays, cones)
    return [[inter(i, *w) for i in range(len(inter.rays))] for w in inter.walls]


def curves_in_basis(glsm_charges, basis) -> np.ndarray:
    """Curve classes from their GLSM charges (C·D_i for every ray i, one row per curve) to
    coordinates q_a = C·J_a in the divisor basis ``basis`` (as in
    :func:`hypersurface_topology`): Q Bᵀ, the charges on the basis rays for prime toric
    divisors."""
    Q = np.asarray(glsm_charges)
    return Q @ basis_matrix(basis, Q.shape[1]).T
