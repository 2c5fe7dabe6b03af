"""Complete enumeration of integer flux vectors in a box under the tadpole bound, in chunks,
and the supersymmetric vacua of each flux vector.

A box is ``low ≤ (F, H) ≤ high`` componentwise (integer vectors of length 2m, m = 2h + 2);
its points are numbered in mixed radix (last component fastest) and cut into chunks of
consecutive numbers, so a chunk is reproducible from its index alone (the unit of resume).
Within a chunk the flux vectors with ``tadpole_min ≤ F·ΣH ≤ tadpole_max`` are kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._config import ensure_x64
from .._potential import fterm_parts
from ._models import AbstractFluxModel, RigidFluxModel, with_fluxes


class FluxBox(eqx.Module):
    """The integer box ``low ≤ (F, H) ≤ high`` with the tadpole window
    ``tadpole_min ≤ N_flux ≤ tadpole_max`` (N_flux = F·ΣH, signed)."""

    low: np.ndarray
    high: np.ndarray
    tadpole_min: int
    tadpole_max: int

    def __check_init__(self):
        low, high = np.asarray(self.low), np.asarray(self.high)
        if low.shape != high.shape or low.ndim != 1 or low.shape[0] % 4:
            raise ValueError(
                "FluxBox: low and high must be integer vectors of equal length "
                f"2m with m even (got shapes {low.shape}, {high.shape})."
            )
        if np.any(high < low):
            raise ValueError("FluxBox: every high must be >= low.")

    @property
    def radix(self) -> np.ndarray:
        return np.asarray(self.high, np.int64) - np.asarray(self.low, np.int64) + 1

    @property
    def size(self) -> int:
        return math.prod(int(r) for r in self.radix)

    def n_chunks(self, chunk: int) -> int:
        return -(-self.size // chunk)

    def decode(self, index):
        """Flux vectors (n, 2m) of the box points with the given numbers (int64 (n,))."""
        index = np.asarray(index, np.int64)
        out = np.empty((index.shape[0], self.radix.shape[0]), np.int64)
        rest = index.copy()
        for j in range(self.radix.shape[0] - 1, -1, -1):
            out[:, j] = rest % self.radix[j]
            rest //= self.radix[j]
        return out + np.asarray(self.low, np.int64)

    def chunk_fluxes(self, k: int, chunk: int):
        """(F, H) of chunk ``k`` (numbers [k·chunk, (k+1)·chunk)) inside the tadpole window."""
        start = k * chunk
        stop = min(self.size, start + chunk)
        rows = self.decode(np.arange(start, stop, dtype=np.int64))
        m = rows.shape[1] // 2
        F, H = rows[:, :m], rows[:, m:]
        N = _tadpole_np(F, H)
        keep = (N >= self.tadpole_min) & (N <= self.tadpole_max)
        return F[keep], H[keep]


def _tadpole_np(F, H):
    n = F.shape[-1] // 2
    return np.sum(F[:, :n] * H[:, n:], -1) - np.sum(F[:, n:] * H[:, :n], -1)


def enumerate_fluxes(
    box: FluxBox, *, chunk: int = 1 << 20, start: int = 0
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Yield ``(k, F, H)`` for chunks k = start, start+1, ... of the box (see module doc)."""
    for k in range(start, box.n_chunks(chunk)):
        F, H = box.chunk_fluxes(k, chunk)
        yield k, F, H


# ---- the rigid Calabi–Yau: every flux vector has exactly one candidate vacuum ---------------


def _axio_dilaton_vacuum(template: AbstractFluxModel, F, H):
    """τ solving D_τW = 0 for fluxes (F, H) at the template's (absent) cs moduli, and the
    scale-free SUSY residual |D_SW| / (|∂_SW| + |K_S W|) there, by autodiff."""
    model = with_fluxes(template, F, H)
    z = jnp.zeros((model.n_cs,), jnp.complex128)
    tau = model.axio_dilaton_solution(z)
    S = -1j * tau
    y = jnp.concatenate([jnp.real(S)[None], jnp.imag(S)[None]])
    p = fterm_parts(model, y)
    scale = jnp.abs(p.W_a) + jnp.abs(p.K_a * p.W)
    residual = jnp.max(jnp.abs(p.F) / jnp.where(scale > 0, scale, 1.0))
    return tau, residual, p.W, p.K


@eqx.filter_jit
def _rigid_batch(template, F, H):
    return jax.vmap(lambda f, h: _axio_dilaton_vacuum(template, f, h))(F, H)


def rigid_vacua(F, H, template: RigidFluxModel | None = None):
    """SUSY vacua of the rigid-CY toy for each flux row: τ from D_τW = 0 (exact: W is linear
    in τ) and the autodiff residual |D_τW| there.

    **Returns:** dict with ``tau`` (complex (n,)), ``residual`` (n,), ``W`` and ``K`` (n,).
    """
    ensure_x64()
    template = template or RigidFluxModel()
    n = np.shape(F)[0]
    # pad to a power of two (at least 1024): one compilation per size bucket, not per chunk
    size = max(1024, 1 << max(n - 1, 0).bit_length())
    pad = np.zeros((size - n, np.shape(F)[1]))
    pad_H = pad.copy()
    pad_H[:, -1] = 1.0  # a valid flux (N = 0 is harmless: the padding is dropped)
    F = jnp.asarray(np.concatenate([np.asarray(F, float), pad + 1.0 * (pad.shape[1] > 0)]))
    H = jnp.asarray(np.concatenate([np.asarray(H, float), pad_H]))
    tau, res, W, K = (np.asarray(x)[:n] for x in _rigid_batch(template, F, H))
    return {"tau": tau, "residual": res, "W": W, "K": K}


def rigid_box(L_max: int) -> FluxBox:
    """A box that contains, for every SL(2,ℤ) orbit of rigid-CY vacua with 0 < N ≤ L_max,
    the representative with τ in the fundamental domain (``docs/flux.md``): |h_i| ≤
    ⌊(2L/√3)^{1/2}⌋ (from Im τ = N/|H|² ≥ √3/2) and |f_i| ≤ L (from |F|² = |τ|²|H|² ≤
    |H|²/4 + N²/|H|² ≤ ¼ + L² for 1 ≤ |H|² ≤ 2L/√3)."""
    hmax = int(math.floor(math.sqrt(2.0 * L_max / math.sqrt(3.0))))
    low = np.array([-L_max, -L_max, -hmax, -hmax])
    return FluxBox(low=low, high=-low, tadpole_min=1, tadpole_max=int(L_max))


def rigid_scan_config(L_max: int, *, chunk: int = 1024) -> dict:
    """The scan configuration (a dict for :func:`jaxvac.run_scan`) that enumerates
    :func:`rigid_box` ``(L_max)`` through the scan engine: ``[enumerate]`` with the tadpole
    window 1 ≤ N ≤ L_max and the ``flux-susy`` point solver (one start: τ is exact);
    ``examples/flux_enumerate.toml`` is the same for L_max = 5."""
    box = rigid_box(L_max)
    return {
        "model": "flux-rigid",
        "chunk": chunk,
        "keep": "successful",
        "solver": {"name": "flux-susy", "starts": 1},
        "enumerate": {
            "F": [int(box.low[0]), int(box.high[0])],
            "H": [int(box.low[2]), int(box.high[2])],
            "tadpole": [1, int(L_max)],
        },
    }


def sigma1(n: int) -> int:
    """σ₁(n), the sum of the divisors of n."""
    return sum(d for d in range(1, n + 1) if n % d == 0)


def rigid_enumeration(L_max: int, *, chunk: int = 1 << 20, rtol: float = 1e-10):
    """All SUSY vacua of the rigid-CY toy with 0 < N_flux ≤ ``L_max``, modulo SL(2,ℤ):
    every flux vector of :func:`rigid_box` is enumerated (chunked), its vacuum solved
    (:func:`rigid_vacua`), brought to the fundamental domain with its fluxes, and the
    distinct canonical representatives kept (:func:`jaxvac.flux.distinct_vacua`).

    **Returns:** dict with ``tau`` (complex (n,)), ``F``, ``H`` (int (n, 2)), ``N`` (n,),
    ``residual`` (n,, the largest SUSY residual over the flux vectors of that vacuum) and
    ``candidates`` (flux vectors solved), ``unconverged`` (flux vectors whose residual
    exceeded ``rtol``; they are reported, and excluded).
    """
    from ._dedup import canonical_representative, to_fundamental_domain, unique_rows

    box = rigid_box(L_max)
    taus, Fs, Hs, res = [], [], [], []
    candidates = unconverged = 0
    for _, F, H in enumerate_fluxes(box, chunk=chunk):
        if F.shape[0] == 0:
            continue
        sol = rigid_vacua(F, H)
        candidates += F.shape[0]
        ok = (sol["residual"] <= rtol) & (np.imag(sol["tau"]) > 0)
        unconverged += int(np.sum(~ok))
        tau, F2, H2, _ = to_fundamental_domain(sol["tau"][ok], F[ok], H[ok])
        _, first, inverse = unique_rows(np.concatenate([F2, H2], 1))
        worst = np.zeros(first.shape[0])
        np.maximum.at(worst, inverse, sol["residual"][ok])
        taus.append(tau[first])
        Fs.append(F2[first])
        Hs.append(H2[first])
        res.append(worst)
    tau, F, H, r = (np.concatenate(x) for x in (taus, Fs, Hs, res))
    # identify what the reduction leaves apart on the boundary of the fundamental domain
    _, first, inverse = unique_rows(np.concatenate([F, H], 1))
    worst = np.zeros(first.shape[0])
    np.maximum.at(worst, inverse, r)
    tau, F, H = canonical_representative(tau[first], F[first], H[first])
    r = worst
    _, first, inverse = unique_rows(np.concatenate([F, H], 1))
    worst = np.zeros(first.shape[0])
    np.maximum.at(worst, inverse, r)
    F, H = F[first], H[first]
    return {
        "tau": tau[first],
        "F": F,
        "H": H,
        "N": _tadpole_np(F, H),
        "residual": worst,
        "candidates": candidates,
        "unconverged": unconverged,
    }
