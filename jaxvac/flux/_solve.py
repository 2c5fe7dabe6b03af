"""SUSY vacua of flux models, D_aW = 0 for all moduli (U, S), by Newton's method on the real
and imaginary parts of D_aW with an autodiff Jacobian; and the physicality columns of a
vacuum (reported, never used as filters)."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._linalg import eigvalsh
from .._potential import fterm_parts
from ._models import AbstractFluxModel


def susy_fterms(model: AbstractFluxModel, y):
    """D_aW = ∂_aW + (∂_aK) W at y = (Re m, Im m), m = (U, S), by autodiff (∂_a =
    ½(∂_{Re} − i∂_{Im}) on the real K; ∂_aW along Re m). Light enough to run through the
    mpmath interpreter (:func:`jaxvac.at_precision`)."""
    n = model.n_moduli
    x, t = y[:n], y[n:]

    def kahler(yy):
        m = yy[:n] + 1j * yy[n:]
        return jnp.real(model.kahler_potential(m, jnp.conj(m)))

    g = jax.grad(kahler)(y)
    K_a = 0.5 * (g[:n] - 1j * g[n:])
    w = lambda xx: jnp.asarray(model.superpotential(xx + 1j * t), jnp.complex128)
    W = w(x)
    W_a = jax.jacfwd(w)(x)
    return W_a + K_a * W


def susy_residual_vector(model: AbstractFluxModel, y):
    """(Re D_aW, Im D_aW) at real coordinates y = (Re m, Im m), m = (U, S)."""
    F = susy_fterms(model, y)
    return jnp.concatenate([jnp.real(F), jnp.imag(F)])


class FluxVacuum(eqx.Module):
    """A solution attempt: the point, its relative SUSY residual, Newton steps, success."""

    y: jax.Array
    residual: jax.Array  # max_a |D_aW| / (term scale of D_aW), see term_scale
    steps: jax.Array
    converged: jax.Array


def term_scale(model: AbstractFluxModel, y):
    """Per modulus, the size of the terms that make up D_aW = ∂_aW + K_aW:
    Σ_i |∂_a(G_i (ΣΠ)_i)| + |K_a| Σ_i |G_i (ΣΠ)_i|. Rounding leaves D_aW uncertain by about
    ε times this (at a perturbatively flat vacuum ∂_aW is a cancellation of O(100) terms)."""
    n = model.n_moduli
    x, t = y[:n], y[n:]
    terms = lambda xx: model.superpotential_terms(xx + 1j * t)
    dterms = jax.jacfwd(terms)(x)  # (2h+2, n): holomorphic derivative along Re
    K_a = jax.grad(
        lambda yy: jnp.real(model.kahler_potential(yy[:n] + 1j * yy[n:], yy[:n] - 1j * yy[n:]))
    )(y)
    K_a = 0.5 * jnp.abs(K_a[:n] - 1j * K_a[n:])
    return jnp.sum(jnp.abs(dterms), 0) + K_a * jnp.sum(jnp.abs(terms(x)))


def _relative_residual(model, y):
    """max_a |D_aW| / (term scale of D_aW): ~1e-16 at a vacuum resolved to rounding."""
    scale = term_scale(model, y)
    return jnp.max(jnp.abs(susy_fterms(model, y)) / jnp.where(scale > 0, scale, 1.0))


def solve_flux_vacuum(
    model: AbstractFluxModel, y0, *, max_steps: int = 40, rtol: float = 1e-13
) -> FluxVacuum:
    """Newton's method on D_aW = 0 from ``y0`` (jit- and vmap-able; fixed step count with
    a freeze once converged). Saxions (Re U, Re S) must stay positive: a step that leaves
    the domain is halved until it does not.

    **Returns:** :class:`FluxVacuum`; ``converged`` means the relative residual is below
    ``rtol`` (a failure is reported, never raised).
    """
    y0 = jnp.asarray(y0, jnp.float64)
    n = model.n_moduli
    f = lambda y: susy_residual_vector(model, y)

    def body(carry, _):
        y, done, steps = carry
        J = jax.jacfwd(f)(y)
        step = jnp.linalg.lstsq(J, -f(y))[0]

        def shrink(s):
            return jnp.where(jnp.any(y[:n] + s[:n] <= 0), 0.5 * s, s)

        for _ in range(8):
            step = shrink(step)
        y_new = jnp.where(done, y, y + step)
        res = _relative_residual(model, y_new)
        ok = jnp.isfinite(res) & (res < rtol)
        return (y_new, done | ok, steps + jnp.where(done, 0, 1)), None

    (y, done, steps), _ = jax.lax.scan(
        body, (y0, jnp.asarray(False), jnp.asarray(0)), None, length=max_steps
    )
    res = _relative_residual(model, y)
    return FluxVacuum(y=y, residual=res, steps=steps, converged=jnp.isfinite(res) & (res < rtol))


def physicality(
    model: AbstractFluxModel, y, *, tadpole_max: float | None = None, lcs_min: float = 1.0
) -> dict:
    """Physicality columns of a vacuum (reported, not filters).

    - ``g_s`` = 1/Im τ; ``im_z_min`` the smallest Im z^a; ``lcs``: every Im z^a ≥ ``lcs_min``
      (Kähler cone of the built-in geometries: the positive orthant);
    - ``instanton_ratio``: |F_inst| / |F_poly| at the point, and ``instanton_max_q``: the
      largest |e^{2πi q·z}| over the GV classes kept (convergence of the Li₃ series);
    - ``metric_min_eig``: smallest eigenvalue of K_{ab̄} (> 0 inside the moduli space);
    - ``N_flux`` (signed) and ``tadpole_ok``: 0 < N_flux ≤ ``tadpole_max`` (if given);
    - ``W``, ``W0`` = √(2/π) e^{K/2}|W| (normalisation of arXiv:1912.10047 eq. (1)).
    """
    a = {
        k: np.asarray(v) for k, v in _physicality_arrays(model, jnp.asarray(y, jnp.float64)).items()
    }
    out = {
        "g_s": float(a["g_s"]),
        "metric_min_eig": float(a["metric_min_eig"]),
        "N_flux": float(a["N_flux"]),
        "W": complex(a["W"]),
        "W0": float(a["W0"]),
        "K": float(a["K"]),
    }
    if model.n_cs:
        out["im_z_min"] = float(a["im_z_min"])
        out["lcs"] = bool(out["im_z_min"] >= lcs_min)
    for key in ("instanton_ratio", "instanton_max_q"):
        if key in a:
            out[key] = float(a[key])
    N = out["N_flux"]
    out["tadpole_ok"] = bool(N > 0 and (tadpole_max is None or N <= tadpole_max))
    return out


@eqx.filter_jit
def _hermitian_min_eig(M):
    """The smallest eigenvalue of a Hermitian matrix M, from the real symmetric
    [[Re M, −Im M], [Im M, Re M]] (same eigenvalues, each twice; ``jaxvac._linalg``, safe
    under vmap)."""
    M = jnp.asarray(M, jnp.complex128)
    R = jnp.block([[M.real, -M.imag], [M.imag, M.real]])
    return jnp.min(eigvalsh(R))


def _physicality_arrays(model, y):
    n = model.n_moduli
    m = y[:n] + 1j * y[n:]
    z, tau = model.split_moduli(m)
    p = fterm_parts(model, y)
    out = {
        "g_s": 1.0 / jnp.imag(tau),
        "metric_min_eig": _hermitian_min_eig(p.metric),
        "N_flux": model.tadpole(),
        "W": p.W,
        "W0": jnp.sqrt(2.0 / jnp.pi) * jnp.exp(0.5 * p.K) * jnp.abs(p.W),
        "K": p.K,
    }
    if model.n_cs:
        out["im_z_min"] = jnp.min(jnp.imag(z))
        out.update(model.instanton_diagnostics(z))
    return out


def moduli_to_y(z, tau):
    """Real coordinates y of jaxvac from (z, τ): m = (−iz, −iτ), y = (Re m, Im m)."""
    m = np.concatenate([-1j * np.asarray(z, complex), [-1j * complex(tau)]])
    return np.concatenate([np.real(m), np.imag(m)])


def y_to_moduli(y):
    """(z, τ) from real coordinates y."""
    y = np.asarray(y, float)
    n = y.shape[0] // 2
    m = y[:n] + 1j * y[n:]
    return 1j * m[:-1], 1j * m[-1]


def refine_high_precision(
    model: AbstractFluxModel,
    y,
    *,
    digits: int = 40,
    steps: int = 6,
    jacobian: str = "float64",
):
    """Newton refinement of a vacuum with D_aW evaluated at ``digits`` significant digits
    (jaxvac's mpmath path, :func:`jaxvac.at_precision`).

    **Arguments:**

    - `model`, `y`: the model and the start point (float64, or mpmath numbers / decimal
      strings to start from a point float64 cannot hold).
    - `digits`: working digits; `steps`: Newton steps (with ``jacobian="high"``, the most:
      it stops once a step changes nothing at ``digits``).
    - `jacobian`: ``"float64"`` — the Jacobian in float64 at the rounded point (a step
      only has to be good to a few digits per iteration; right when float64 resolves the
      vacuum, e.g. |W| ≫ 1e-16 of the terms of D_aW); ``"high"`` — Newton entirely at
      ``digits`` (:func:`jaxvac._precision.newton_at_precision`: the Jacobian by autodiff
      evaluated at ``digits`` too, stopping at the residual's floor), needed when W and
      the flat direction's curvature are below float64's resolution, e.g. perturbatively
      flat vacua with W0 ~ 1e-90: in float64 their Jacobian along the flat valley is
      rounding noise.

    **Returns:** (y as mpmath numbers (2n,), max |D_aW| at the last point (mpmath),
    W (mpmath complex), K (mpmath)).
    """
    import mpmath as mp

    from .._precision import at_precision

    if jacobian not in ("float64", "high"):
        raise ValueError(f"jacobian must be 'float64' or 'high' (got {jacobian!r}).")
    wk = at_precision(lambda yy: _w_and_k(model, yy), digits=digits)
    with mp.workdps(digits):
        if jacobian == "high":
            from .._precision import newton_at_precision

            solved = newton_at_precision(
                lambda yy: susy_residual_vector(model, yy), y, digits=digits, max_steps=steps
            )
            ymp, res = list(solved.y), min(solved.residuals)  # the kept iterate's max|D_aW|
        else:
            fvec = at_precision(lambda yy: susy_residual_vector(model, yy), digits=digits)
            jac = jax.jit(jax.jacfwd(lambda yy: susy_residual_vector(model, yy)))
            ymp = [mp.mpf(v) for v in np.asarray(y, dtype=object)]
            for _ in range(steps):
                r = fvec(np.array(ymp, dtype=object))
                J = np.asarray(jac(jnp.asarray([float(v) for v in ymp])))
                rf = np.array([float(v) for v in np.asarray(r, dtype=object)])
                fstep = np.linalg.lstsq(J, -rf, rcond=None)[0]
                # keep the residual itself in high precision: the step is a float64 correction
                ymp = [a + mp.mpf(float(b)) for a, b in zip(ymp, fstep)]
            r = fvec(np.array(ymp, dtype=object))
            res = max(abs(v) for v in np.asarray(r, dtype=object).ravel())
        W_re, W_im, K = (
            np.asarray(v, dtype=object).item() for v in wk(np.array(ymp, dtype=object))
        )
        return ymp, res, mp.mpc(W_re, W_im), K


def _w_and_k(model, y):
    n = model.n_moduli
    m = y[:n] + 1j * y[n:]
    W = jnp.asarray(model.superpotential(m), jnp.complex128)
    K = jnp.real(model.kahler_potential(m, jnp.conj(m)))
    return jnp.real(W), jnp.imag(W), K
