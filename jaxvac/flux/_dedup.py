"""Identification of flux vacua modulo SL(2,ℤ) and modulo the LCS monodromies.

SL(2,ℤ) acts on τ as τ → (aτ + b)/(cτ + d) and on the fluxes as a doublet,
(F, H) → (aF + bH, cF + dH); then W → W/(cτ + d), e^K → |cτ + d|² e^K and V is invariant.
A vacuum is brought to the fundamental domain 𝓕 = {|Re τ| ≤ ½, |τ| ≥ 1} with its fluxes
transformed; on the boundary of 𝓕 (Re τ = ±½, |τ| = 1, the elliptic points i and e^{2πi/3})
and for the central element −1 several flux vectors give the same vacuum, and the
lexicographically smallest of them is the representative. Host-side NumPy, vectorised.
"""

from __future__ import annotations

import itertools

import numpy as np

#: Tolerance (absolute, on τ) for "on the boundary of the fundamental domain".
BOUNDARY_TOL = 1e-9

_S = np.array([[0, -1], [1, 0]], dtype=np.int64)
_T = np.array([[1, 1], [0, 1]], dtype=np.int64)
_TI = np.array([[1, -1], [0, 1]], dtype=np.int64)


def _boundary_elements():
    """All g ∈ SL(2,ℤ) given by words of length ≤ 4 in S, T, T⁻¹, with both signs: a set
    containing every element that maps a point of the closed fundamental domain to another
    (I, ±T^{±1}, S, ST^{±1}, T^{±1}S, (ST)^{±1}, ...)."""
    seen = {}
    for length in range(0, 5):
        for word in itertools.product((_S, _T, _TI), repeat=length):
            g = np.eye(2, dtype=np.int64)
            for w in word:
                g = g @ w
            for s in (1, -1):
                key = tuple((s * g).ravel())
                seen.setdefault(key, s * g)
    return np.stack(list(seen.values()))


_CANDIDATES = _boundary_elements()


def act(g, tau):
    """g·τ = (aτ + b)/(cτ + d) for g (..., 2, 2)."""
    a, b, c, d = g[..., 0, 0], g[..., 0, 1], g[..., 1, 0], g[..., 1, 1]
    return (a * tau + b) / (c * tau + d)


def act_on_fluxes(g, F, H):
    """(aF + bH, cF + dH) for g (..., 2, 2), F, H (..., n)."""
    a, b, c, d = (g[..., i, j][..., None] for i, j in ((0, 0), (0, 1), (1, 0), (1, 1)))
    return a * F + b * H, c * F + d * H


def in_closed_domain(tau, tol: float = BOUNDARY_TOL):
    return (np.abs(tau.real) <= 0.5 + tol) & (np.abs(tau) >= 1.0 - tol) & (tau.imag > 0)


def to_fundamental_domain(tau, F, H, *, max_steps: int = 10_000):
    """Bring τ into the closed fundamental domain, transforming the fluxes with it.

    **Arguments:**

    - ``tau``: complex array (n,) with Im τ > 0.
    - ``F``, ``H``: integer arrays (n, m).

    **Returns:** (τ', F', H', g) with τ' = g·τ, (F', H') = g(F, H), g ∈ SL(2,ℤ) (n, 2, 2).
    """
    tau = np.asarray(tau, complex).copy()
    F = np.asarray(F).copy()
    H = np.asarray(H).copy()
    if np.any(~(np.imag(tau) > 0)):
        raise ValueError("to_fundamental_domain: every τ must have Im τ > 0.")
    g = np.broadcast_to(np.eye(2, dtype=np.int64), (tau.shape[0], 2, 2)).copy()
    active = np.arange(tau.shape[0])
    for _ in range(max_steps):
        t, f, h, gg = tau[active], F[active], H[active], g[active]
        n = np.round(np.real(t)).astype(np.int64)
        # T^{-n}: τ → τ − n, (F, H) → (F − nH, H)
        t = t - n
        f = f - n[:, None] * h
        gg[:, 0, :] -= n[:, None] * gg[:, 1, :]
        flip = np.abs(t) < 1.0 - BOUNDARY_TOL
        # S: τ → −1/τ, (F, H) → (−H, F)
        t = np.where(flip, -1.0 / np.where(flip, t, 1j), t)
        f, h = np.where(flip[:, None], -h, f), np.where(flip[:, None], f, h)
        gg = np.where(flip[:, None, None], np.einsum("ij,njk->nik", _S, gg), gg)
        tau[active], F[active], H[active], g[active] = t, f, h, gg
        active = active[flip]
        if active.size == 0:
            break
    else:
        raise RuntimeError("to_fundamental_domain did not converge.")
    return tau, F, H, g


def canonical_representative(tau, F, H, tol: float = BOUNDARY_TOL):
    """Among all SL(2,ℤ) images (g·τ, g(F, H)) with g·τ in the closed fundamental domain,
    the one with the lexicographically smallest flux vector (F, H). ``tau`` must already
    be in the closed domain (:func:`to_fundamental_domain`).

    **Returns:** (τ', F', H'), one representative per SL(2,ℤ) orbit.
    """
    tau = np.asarray(tau, complex)
    F = np.asarray(F)
    H = np.asarray(H)
    g = _CANDIDATES  # (k, 2, 2)
    taus = act(g[None], tau[:, None])  # (n, k)
    Fs, Hs = act_on_fluxes(g[None], F[:, None, :], H[:, None, :])  # (n, k, m)
    keys = np.concatenate([Fs, Hs], axis=-1)
    ok = in_closed_domain(taus, tol)
    # lexicographic minimum over the admissible candidates, column by column
    for col in range(keys.shape[-1]):
        vals = np.where(ok, keys[..., col], np.iinfo(np.int64).max)
        best = vals.min(axis=1)
        ok &= vals == best[:, None]
    pick = np.argmax(ok, axis=1)
    rows = np.arange(tau.shape[0])
    m = F.shape[1]
    return taus[rows, pick], keys[rows, pick, :m], keys[rows, pick, m:]


def unique_rows(keys):
    """``np.unique(keys, axis=0, return_index=True, return_inverse=True)`` for integer rows,
    through one packed int64 per row when the rows' range allows it (much faster)."""
    keys = np.asarray(keys, np.int64)
    if keys.shape[0] == 0:
        return keys, np.zeros(0, np.int64), np.zeros(0, np.int64)
    lo = keys.min(axis=0)
    span = keys.max(axis=0) - lo + 1
    if float(np.prod(span.astype(float))) < 2.0**62:
        packed = np.zeros(keys.shape[0], np.int64)
        for j in range(keys.shape[1]):
            packed = packed * span[j] + (keys[:, j] - lo[j])
        _, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
        return keys[first], first, inverse.ravel()
    uniq, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    return uniq, first, inverse.ravel()


def distinct_vacua(tau, F, H):
    """Vacua modulo SL(2,ℤ): reduce, canonicalise, and keep one per distinct flux vector.

    **Returns:** (τ, F, H, count) of the distinct vacua (sorted by flux) and, for each, how
    many of the input rows it represents.
    """
    tau, F, H, _ = to_fundamental_domain(tau, F, H)
    keys = np.concatenate([F, H], axis=1)
    # fluxes equal after reduction are the same vacuum; canonicalise one of each
    _, first, inverse = unique_rows(keys)
    t1, F1, H1 = canonical_representative(tau[first], F[first], H[first])
    counts0 = np.bincount(inverse, minlength=first.shape[0])
    keys1 = np.concatenate([F1, H1], axis=1)
    uniq, first2, inverse2 = unique_rows(keys1)
    counts = np.bincount(inverse2, weights=counts0, minlength=uniq.shape[0])
    m = F.shape[1]
    return t1[first2], uniq[:, :m], uniq[:, m:], counts.astype(np.int64)
