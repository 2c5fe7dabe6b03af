"""Batches of flux vectors: random integer fluxes under the tadpole bound, the SUSY vacua of
each (several LCS starts per flux vector, one compiled program for all), their
identification modulo SL(2,ℤ) and the LCS monodromies, and physicality columns; and a
point solver for jaxvac's scan engine (:class:`FluxSolver`)."""

from __future__ import annotations

import dataclasses

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._config import ensure_x64
from ._dedup import canonical_representative, to_fundamental_domain, unique_rows
from ._enumerate import FluxBox, _tadpole_np
from ._models import AbstractFluxModel, with_fluxes
from ._periods import monodromy_matrix
from ._solve import _physicality_arrays, solve_flux_vacuum


def sample_fluxes(box: FluxBox, n: int, *, seed: int = 0, max_rounds: int = 1000):
    """``n`` flux vectors drawn uniformly from the integer points of ``box`` inside its
    tadpole window (rejection sampling; reproducible from ``seed``).

    **Returns:** (F, H) integer arrays (n, m)."""
    rng = np.random.default_rng(seed)
    low, high = np.asarray(box.low), np.asarray(box.high)
    got_F, got_H, have = [], [], 0
    for _ in range(max_rounds):
        rows = rng.integers(low, high + 1, size=(max(4 * n, 1024), low.shape[0]))
        m = rows.shape[1] // 2
        N = _tadpole_np(rows[:, :m], rows[:, m:])
        keep = rows[(N >= box.tadpole_min) & (N <= box.tadpole_max)]
        got_F.append(keep[:, :m])
        got_H.append(keep[:, m:])
        have += keep.shape[0]
        if have >= n:
            break
    else:
        raise RuntimeError(
            f"sample_fluxes: fewer than {n} flux vectors in the tadpole window "
            f"after {max_rounds} rounds (acceptance too small)."
        )
    return np.concatenate(got_F)[:n], np.concatenate(got_H)[:n]


def lcs_starts(model: AbstractFluxModel, key, n: int, *, im_low=1.0, im_high=4.0):
    """``n`` starts y: z with Re z^a ∈ [−½, ½], Im z^a log-uniform in [im_low, im_high], and
    τ from D_τW = 0 at that z (exact, :meth:`axio_dilaton_solution`; Im τ floored at
    0.05 when the flux has the wrong sign there)."""
    h = model.n_cs
    k1, k2 = jax.random.split(key)
    x = jax.random.uniform(k1, (n, h), minval=-0.5, maxval=0.5)
    u = jax.random.uniform(k2, (n, h))
    y = im_low * (im_high / im_low) ** u
    z = x + 1j * y
    tau = jax.vmap(model.axio_dilaton_solution)(z)
    tau = jnp.where(jnp.isfinite(tau), tau, 1j)
    tau = jnp.real(tau) + 1j * jnp.maximum(jnp.imag(tau), 0.05)
    m = jnp.concatenate([-1j * z, -1j * tau[:, None]], axis=1)
    return jnp.concatenate([jnp.real(m), jnp.imag(m)], axis=1)


@eqx.filter_jit
def _solve_batch(template, F, H, key, starts: int, max_steps: int, y0=None):
    def one(f, h, k, y0):
        model = with_fluxes(template, f, h)
        if y0 is None:
            y0 = lcs_starts(model, k, starts)
        return jax.vmap(lambda y: solve_flux_vacuum(model, y, max_steps=max_steps))(y0)

    keys = jax.random.split(key, F.shape[0])
    return jax.vmap(one)(F, H, keys, y0)


@eqx.filter_jit
def _physicality_batch(template, F, H, y):
    return jax.vmap(lambda f, h, yy: _physicality_arrays(with_fluxes(template, f, h), yy))(F, H, y)


def monodromy_generators(model: AbstractFluxModel) -> np.ndarray:
    """The integer symplectic matrices T_a of z^a → z^a + 1 (a = 1..h), fitted from the
    model's own periods; raises if a fit is not integral (the model's a_ab, b_a do not give
    an integral symplectic basis)."""
    periods = jax.jit(lambda zz: model.cs_periods(zz))
    out = []
    for a in range(model.n_cs):
        e = np.zeros(model.n_cs)
        e[a] = 1.0
        T, res = monodromy_matrix(periods, model.n_cs, e)
        if res > 1e-9 or np.max(np.abs(T - np.round(T))) > 1e-6:
            raise ValueError(
                f"monodromy z^{a + 1} -> z^{a + 1} + 1 is not an integral matrix "
                f"(fit residual {res:.1e})."
            )
        out.append(np.round(T).astype(np.int64))
    return np.stack(out)


def reduce_vacua(template: AbstractFluxModel, z, tau, F, H):
    """Bring vacua to the standard domain with their fluxes: each Re z^a into [−½, ½) by the
    monodromy z^a → z^a − k^a (fluxes G → T_a^{−k} G, :func:`monodromy_generators`), then τ
    into the fundamental domain (fluxes as an SL(2,ℤ) doublet). Vacua identified by these
    dualities come out with equal (z, τ, F, H).

    **Returns:** (z, τ, F, H)."""
    z = np.array(z, complex, copy=True).reshape(len(tau), template.n_cs)
    Fv = np.array(F, np.int64, copy=True)
    Hv = np.array(H, np.int64, copy=True)
    # monodromy: Re z^a → Re z^a − k^a, G → T^{−k} G
    if template.n_cs:
        T = monodromy_generators(template)
        Tinv = np.round(np.linalg.inv(T)).astype(np.int64)
        k = np.floor(np.real(z) + 0.5).astype(np.int64)
        for a in range(template.n_cs):
            for sign, mat in ((1, Tinv[a]), (-1, T[a])):
                mask = sign * k[:, a] > 0
                while np.any(mask):
                    Fv[mask] = Fv[mask] @ mat.T
                    Hv[mask] = Hv[mask] @ mat.T
                    k[mask, a] -= sign
                    z[mask, a] -= sign
                    mask = sign * k[:, a] > 0
    tau, Fv, Hv, _ = to_fundamental_domain(np.asarray(tau, complex), Fv, Hv)
    # −1 and the boundary identifications: the canonical flux of each orbit
    tau, Fv, Hv = canonical_representative(tau, Fv, Hv)
    return z, tau, Fv, Hv


def distinct_reduced(template: AbstractFluxModel, z, tau, F, H, residual, *, digits: int = 6):
    """Vacua (rows: z (n, h), τ (n,), fluxes F, H (n, 2h+2), residuals (n,)) with Im τ > 0,
    reduced by :func:`reduce_vacua` and identified when their transformed fluxes agree and
    their moduli agree to ``digits`` significant digits (the first of each kept).

    **Returns:** (z, τ, F, H, residual) of the distinct vacua."""
    z = np.asarray(z, complex).reshape(len(tau), template.n_cs)
    tau = np.asarray(tau, complex)
    keep = np.imag(tau) > 0
    z, tau, Fv, Hv = reduce_vacua(
        template, z[keep], tau[keep], np.asarray(F)[keep], np.asarray(H)[keep]
    )
    res = np.asarray(residual)[keep]
    # key: fluxes and moduli rounded to `digits` significant digits
    zi, ti = np.imag(z), np.imag(tau)[:, None]
    parts = np.concatenate([np.real(z), zi, np.real(tau)[:, None], ti], 1)
    size = np.concatenate([zi, zi, ti, ti], 1)
    zr = np.round(parts * 10.0**digits / np.maximum(1.0, np.abs(size))).astype(np.int64)
    _, first, _ = unique_rows(np.concatenate([Fv, Hv, zr], 1))
    return z[first], tau[first], Fv[first], Hv[first], res[first]


def scan_vacua(result, template: AbstractFluxModel | None = None, *, digits: int = 6) -> dict:
    """The distinct SUSY vacua of a flux scan (a :class:`jaxvac.ScanResult` or its
    directory, made with ``solver = "flux-susy"``): its successful distinct rows, brought to
    the standard domain with their fluxes and identified modulo the monodromies and
    SL(2,ℤ) (:func:`distinct_reduced`). ``template``: the scan's model (default: built from
    the scan's built-in model name).

    **Returns:** dict with ``z`` (n, h), ``tau``, ``F``, ``H`` (int64, transformed),
    ``N_flux`` (n,), ``residual`` (n,) and ``rows`` (successful distinct rows read)."""
    from ..scan import load_scan
    from ._builtin import BUILTIN

    if not hasattr(result, "vacua"):
        result = load_scan(result)
    if template is None:
        template = BUILTIN[result.config["model"]]()
    assert template is not None
    names = list(template.moduli)
    coords = [f"{n}.{part}" for part in ("re", "im") for n in names]
    t = result.vacua("successful", columns=["F", "H", "residual", *coords])
    col = {c: t.column(c).to_numpy() for c in coords}
    m = np.stack([col[f"{n}.re"] + 1j * col[f"{n}.im"] for n in names], 1)
    F = np.rint(np.asarray(t.column("F").to_pylist(), float)).astype(np.int64)
    H = np.rint(np.asarray(t.column("H").to_pylist(), float)).astype(np.int64)
    F = F.reshape(t.num_rows, np.shape(template.F)[0])
    H = H.reshape(t.num_rows, np.shape(template.H)[0])
    res = t.column("residual").to_numpy()
    z, tau, F, H, res = distinct_reduced(
        template, 1j * m[:, :-1], 1j * m[:, -1], F, H, res, digits=digits
    )
    return {
        "z": z,
        "tau": tau,
        "F": F,
        "H": H,
        "N_flux": _tadpole_np(F, H),
        "residual": res,
        "rows": t.num_rows,
    }


def flux_vacua(
    template: AbstractFluxModel,
    F,
    H,
    *,
    starts: int = 8,
    seed: int = 0,
    max_steps: int = 40,
    tadpole_max: float | None = None,
    lcs_min: float = 1.0,
    digits: int = 6,
    y0=None,
) -> dict:
    """SUSY vacua of every flux vector (F, H) (rows), found from ``starts`` LCS starts each,
    identified modulo the monodromies z^a → z^a + 1 (Re z^a into [−½, ½) with the fluxes
    transformed) and SL(2,ℤ) (τ into the fundamental domain with the fluxes transformed);
    two vacua are the same when their transformed fluxes agree and their moduli agree to
    ``digits`` significant digits. ``y0`` (n_flux, starts, 2n) replaces the random LCS
    starts when given.

    **Returns:** dict of columns (one row per distinct vacuum): ``F``, ``H`` (transformed),
    ``z`` (h,), ``tau``, ``N_flux``, ``g_s``, ``W0``, ``im_z_min``, ``lcs``,
    ``metric_min_eig``, ``instanton_max_q``, ``tadpole_ok``, ``residual``; and the counts
    ``fluxes``, ``starts_converged``, ``starts_failed``. Nothing is filtered out but
    unconverged starts: physicality is in the columns.
    """
    ensure_x64()
    F = np.asarray(F, np.int64)
    H = np.asarray(H, np.int64)
    sol = _solve_batch(
        template,
        jnp.asarray(F, jnp.float64),
        jnp.asarray(H, jnp.float64),
        jax.random.key(seed),
        starts,
        max_steps,
        None if y0 is None else jnp.asarray(y0, jnp.float64),
    )
    ok = np.asarray(sol.converged)
    y = np.asarray(sol.y)[ok]
    res = np.asarray(sol.residual)[ok]
    rows = np.nonzero(ok)[0]
    Fv, Hv = F[rows], H[rows]
    n = template.n_moduli
    z = 1j * (y[:, : n - 1] + 1j * y[:, n : 2 * n - 1])
    tau = 1j * (y[:, n - 1] + 1j * y[:, 2 * n - 1])
    z, tau, Fv, Hv, res = distinct_reduced(template, z, tau, Fv, Hv, res, digits=digits)
    m_ = np.concatenate([-1j * z, -1j * tau[:, None]], 1)
    yv = np.concatenate([m_.real, m_.imag], 1)
    out = {
        "F": Fv,
        "H": Hv,
        "z": z,
        "tau": tau,
        "residual": res,
        "fluxes": int(F.shape[0]),
        "starts_converged": int(ok.sum()),
        "starts_failed": int((~ok).sum()),
    }
    if len(tau):
        ph = {
            k: np.asarray(v)
            for k, v in _physicality_batch(
                template,
                jnp.asarray(Fv, jnp.float64),
                jnp.asarray(Hv, jnp.float64),
                jnp.asarray(yv),
            ).items()
        }
        out.update(
            N_flux=ph["N_flux"], g_s=ph["g_s"], W0=ph["W0"], metric_min_eig=ph["metric_min_eig"]
        )
        if template.n_cs:
            out.update(im_z_min=ph["im_z_min"], lcs=ph["im_z_min"] >= lcs_min)
        if "instanton_max_q" in ph:
            out["instanton_max_q"] = ph["instanton_max_q"]
        N = ph["N_flux"]
        out["tadpole_ok"] = (N > 0) & (True if tadpole_max is None else N <= tadpole_max)
    return out


#: The physicality columns :class:`FluxSolver` adds to every row of a scan (real numbers;
#: ``docs/flux.md``): those a model has (``im_z_min`` and the instanton ones need complex
#: structure moduli, the instanton ones a prepotential).
PHYSICALITY_COLUMNS = (
    "N_flux",
    "g_s",
    "W0",
    "metric_min_eig",
    "im_z_min",
    "instanton_ratio",
    "instanton_max_q",
)


@dataclasses.dataclass(frozen=True)
class FluxSolver:
    """A point solver for jaxvac's scan engine, built in as ``solver = "flux-susy"``
    (``examples/flux_scan.toml``, ``examples/flux_enumerate.toml``): each parameter point
    is a flux vector (sampled with the engine's ``integer`` distribution, enumerated by
    ``[enumerate]``, or fixed), solved by Newton on D_aW = 0 from ``starts`` LCS starts,
    then analysed by jaxvac like any critical point. Each row also carries the physicality
    columns :data:`PHYSICALITY_COLUMNS` (signed tadpole ``N_flux``, ``g_s``, ``W0``, the
    smallest eigenvalue of K_ab̄, min Im z^a, the instanton sizes): columns, not filters."""

    starts: int = 4
    max_steps: int = 40
    im_low: float = 1.0
    im_high: float = 4.0

    def __call__(self, model, key):
        from .._analysis import analyse_point
        from .._classify import Result
        from ..scan._engine import start_results

        y0 = lcs_starts(model, key, self.starts, im_low=self.im_low, im_high=self.im_high)
        sols = jax.vmap(lambda y: solve_flux_vacuum(model, y, max_steps=self.max_steps))(y0)
        analysis = jax.vmap(lambda y: analyse_point(model, y))(sols.y)
        # the scan's result code: the analysis's, unless Newton did not converge (max_steps)
        result = jnp.where(sols.converged, analysis.result, int(Result.max_steps))
        yn = sols.y / jnp.maximum(1.0, jnp.abs(sols.y))
        close = jnp.all(jnp.abs(yn[:, None] - yn[None]) < 1e-6, -1)
        earlier = jnp.tril(close & sols.converged[None, :], k=-1).any(1)
        out = start_results(
            analysis, result=result, steps=sols.steps, distinct=sols.converged & ~earlier
        )
        physical = jax.vmap(lambda y: _physicality_arrays(model, y))(sols.y)
        for name in PHYSICALITY_COLUMNS:
            if name in physical:
                out[name] = jnp.asarray(physical[name], jnp.float64)
        return out
