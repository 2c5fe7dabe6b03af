"""Seed 000, §3: the Higgs-like field (3.3)-(3.7) and the flux sector (3.8)-(3.9) against
exact critical points of the full models (target ``rku-higgs``).

Conventions (stated because the paper leaves them open): Planck units M_P = 1; α' is a
number in these units (``alpha_p``); φ is the field of (3.3)-(3.4) (Φ = Z/(2πα')); a
"mass" is a canonically normalised mass² (eigenvalue of G⁻¹∂²V with L = ½G ∂y∂y, i.e.
of each real component of φ). (3.5) is 2μ²/(9t) at α' = 1, and 2μ²/(9α'²t) in general.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from pathlib import Path
from typing import Any

import equinox as eqx
import jax.numpy as jnp
import numpy as np

from .._analysis import analyse
from .._classify import CriticalType, Result, Vacuum
from .._implicit import locate_critical_point
from .._model import canonical
from . import _rku_formulas as F
from ._framework import (
    Exact,
    Formula,
    Proved,
    Report,
    Row,
    Same,
    certificate_text,
    certified_claims,
    register,
)

SOURCE = "seed 000 (000_c8afabef771fe332.txt), §3: eqs. (3.3)-(3.9)"
N1, N2, XI, A_REF, X_VAC = 10.0, 9.0, 1e-3, -1.0, 20.0


def _fmt(v, digits=4):
    return float(f"{v:.{digits}g}")


def base_vacuum():
    """A stable RKU vacuum to dress with φ: Nmax = 10, x = 20, centre of the window."""
    from ..models._rku import RKU
    from . import _rku_exact as E
    from . import _rku_landscape as L

    a = 2 * math.pi / N1
    w = [w for w in L.window_at(X_VAC / a, N1, N2, XI, A=A_REF) if w["mid"]["W0"] / A_REF < 0][0]
    mid = w["mid"]
    vac = E.vacuum_near(RKU(W0=mid["W0"], A=A_REF, B=mid["B"], N1=N1, N2=N2, xi=XI), X_VAC / a)
    vac.update(W0=mid["W0"], B=mid["B"])
    return vac


@eqx.filter_jit
def _locate(model, y0, fixed=None, tol=1e-13):
    """:func:`jaxvac.locate_critical_point` (Newton on ∇V = 0 with autodiff derivatives; with
    ``fixed``, on ∂V/∂y_free = 0 with the ``fixed`` coordinates held at ``y0``'s values),
    compiled once per model class and ``fixed``. Its ``analysis`` classifies the point it
    returns (of the restriction to the free coordinates when ``fixed`` is given)."""
    return locate_critical_point(model, y0, fixed=fixed, tol=tol, max_steps=100)


def _classify(model, y, a=None):
    a = analyse(model, np.asarray(y, dtype=float)) if a is None else a
    return {
        "V": float(a.V),
        "masses_squared": [float(v) for v in np.asarray(a.masses_squared)],
        "type": CriticalType(int(a.critical_type)).name,
        "vacuum": Vacuum(int(a.vacuum)).name,
        "result": Result(int(a.result)).name,
        "residual": float(a.residual),
        "masses_digits": [float(v) for v in np.asarray(a.masses_digits)],
    }


def _phi_valley(model, t, phi0):
    """φ(t) minimising V at fixed T = t (τ = 0): staged stabilisation of the heavy field."""
    located = _locate(model, jnp.array([t, phi0[0], 0.0, phi0[1]]), fixed=(0, 2), tol=1e-14)
    return np.asarray(located.y)[[1, 3]], float(located.analysis.V)


def higgs_model(mu, rho, alpha_p, branch, vac):
    """The full (T, φ) model of one branch around the frozen vacuum ``vac``: on the SSB
    branch c_φ keeps the total W0 of the T problem (c_φ + 4μ³/(27ρ²) = 0)."""
    from ..models._rku import RKUHiggs

    c_phi = 0.0 if branch == "phi=0" else -4 * mu**3 / (27 * rho**2)
    return RKUHiggs(
        W0=vac["W0"],
        c_phi=c_phi,
        mu=mu,
        rho=rho,
        alpha_p=alpha_p,
        A=A_REF,
        B=vac["B"],
        N1=N1,
        N2=N2,
        xi=XI,
    )


@functools.cache
def _exact_log_class():
    from ..models._rku import RKUHiggs, uplift_remainder

    class RKUHiggsLog(RKUHiggs):  # a comparison model of this report only
        """K = −2 log((T + T̄)^{3/2} + ξ/2) − 3 log(1 − α′|φ|²/(T + T̄)): (3.3) unexpanded,
        the ξ term recovered as the paper does below (3.2)."""

        def kahler_remainder(self, z, zbar):
            TT = z[0] + zbar[0]
            ap2 = self.alpha_p * z[1] * zbar[1]
            return -3.0 * jnp.log1p(-ap2 / TT) + uplift_remainder(TT, self.xi) + self.K_cs

    return RKUHiggsLog


def _exact_log_model(model):
    """The same (T, φ) model with K_H unexpanded, −3 log(1 − α′|φ|²/(T + T̄)), whose first
    order in α′|φ|²/(T + T̄) is (3.3) (the log of (3.1)); (3.1)-(3.2) compare the two."""
    fields = {f.name: getattr(model, f.name) for f in dataclasses.fields(model)}
    return _exact_log_class()(**fields)


def expansion_case(mu, rho, alpha_p, vac):
    """(3.1)-(3.2): the exact SSB vacuum with K_H of (3.3) and with the unexpanded log."""
    out = {}
    for kind in ("expanded", "log"):
        m = higgs_model(mu, rho, alpha_p, "SSB", vac)
        model = canonical(m if kind == "expanded" else _exact_log_model(m))
        located = _locate(model, jnp.array([vac["t"], F.phi_ssb(mu, rho), 0.0, 0.0]))
        y, ok, an = np.asarray(located.y), bool(located.ok), located.analysis
        info = _classify(model, y, an)
        out[kind] = dict(
            y=y.tolist(), newton=bool(ok), V=info["V"], m2=sorted(info["masses_squared"])
        )
    t, phi = out["expanded"]["y"][0], out["expanded"]["y"][1]
    out["eps_32"] = 3 * alpha_p * phi**2 / (2 * t)
    return out


def certify_case(case, vac):
    """Interval proof (:func:`jaxvac.certify`) at the exact vacuum of :func:`higgs_case`."""
    from .._certify import certify

    model = higgs_model(case["mu"], case["rho"], case["alpha_p"], case["branch"], vac)
    return certify(model, np.array(case["y"]), name="rku-higgs")


def higgs_case(mu, rho, alpha_p, branch, vac):
    """The full (T, φ) model at one branch: exact vacuum, masses vs (3.5)."""

    phi0 = 0.0 if branch == "phi=0" else F.phi_ssb(mu, rho)  # c_φ: higgs_model
    model = canonical(higgs_model(mu, rho, alpha_p, branch, vac))
    located = _locate(model, jnp.array([vac["t"], phi0, 0.0, 0.0]))
    y, ok = np.asarray(located.y), bool(located.ok)
    info = _classify(model, y, located.analysis)
    m2 = sorted(info["masses_squared"])
    m2_phi = F.m_phi2_lo(mu, y[0], alpha_p)
    return dict(
        mu=mu,
        rho=rho,
        alpha_p=alpha_p,
        branch=branch,
        y=y.tolist(),
        newton=bool(ok),
        solve_result=Result(int(located.result)).name,
        info=info,
        m2_phi_35=m2_phi,
        m2_phi=m2[2:],
        m2_T=m2[:2],
        dLambda=info["V"] - vac["V"],
        dt=y[0] - vac["t"],
        phi=y[1],
    )


def ssb_potential_shift(mu, rho, alpha_p, vac, ts):
    """V(t, φ(t)) on the SSB valley minus V(t) of the φ-free model, against (3.6)'s dĈ/x⁴ term."""
    from ..models._rku import RKU

    a = 2 * math.pi / N1
    mh = canonical(higgs_model(mu, rho, alpha_p, "SSB", vac))
    m0 = RKU(W0=vac["W0"], A=A_REF, B=vac["B"], N1=N1, N2=N2, xi=XI)
    W0 = vac["W0"]
    d = F.d_36(alpha_p, mu, a, XI, rho)
    C = F.c_hat(a, W0, XI, A_REF)
    out = []
    phi = np.array([F.phi_ssb(mu, rho), 0.0])
    for t in ts:
        phi, Vh = _phi_valley(mh, float(t), phi)
        V0 = float(analyse(m0, np.array([t, 0.0])).V)  # the compiled analysis of base_vacuum
        x = a * t
        claimed = -A_REF * a**3 * W0 / 2 * d * C / x**4
        out.append(
            dict(
                t=float(t),
                dV=float(Vh) - V0,
                claimed=claimed,
                V0=V0,
                phi=float(phi[0]),
                alpha_phi2_over_t=alpha_p * float(phi[0]) ** 2 / t,
            )
        )
    return out, d


def flux_check(n, seed=0, h21=2):
    """Random real fluxes: D_aW = 0 solved by jaxvac's SUSY solver vs (3.9)."""
    from .._search import solve_susy_from
    from ..models._rku import FluxSector2

    rng = np.random.default_rng(seed)
    solve = eqx.filter_jit(
        lambda m, y0: solve_susy_from(
            m, y0, region={"S": (1e-3, 1e3), "U1": (1e-3, 1e3), "U2": (1e-3, 1e3)}, global_steps=0
        )
    )
    rows = []
    tries = 0
    while len(rows) < n and tries < 50 * n:
        tries += 1
        c, c2, b1, b2, d1, d2 = rng.uniform(-1, 1, 6)
        s, W0, (u1, u2) = F.flux_solution_39(c, c2, b1, b2, d1, d2)
        if not (
            s > 0 and u1 > 0 and u2 > 0 and 1e-2 < s < 1e2 and 1e-2 < u1 < 1e2 and 1e-2 < u2 < 1e2
        ):
            continue
        m = FluxSector2(c1=c, c2=c2, b1=b1, b2=b2, d1=d1, d2=d2)
        start = np.array([s, u1, u2, 0.0, 0.0, 0.0]) * np.array(
            [1.3, 0.8, 1.2, 1, 1, 1]
        ) + np.array([0, 0, 0, 0.1, -0.1, 0.05])
        r = solve(canonical(m), jnp.asarray(start))
        y = np.asarray(r.y)
        z = y[:3] + 1j * y[3:]
        W = complex(m.superpotential(jnp.asarray(z)))
        at39 = analyse(m, np.array([s, u1, u2, 0.0, 0.0, 0.0]))
        rows.append(
            dict(
                fluxes=[c, c2, b1, b2, d1, d2],
                s_39=s,
                u_39=[u1, u2],
                W0_39=W0,
                y=y.tolist(),
                W=[W.real, W.imag],
                result=Result(int(r.result)).name,
                susy=bool(r.analysis.susy),
                susy_39=bool(at39.susy),
                susy_ratio_39=float(at39.susy_ratio),
                critical_39=Result(int(at39.result)).name,
            )
        )
    return rows


def flux3_check(n, seed=1):
    """h^{2,1} = 3: SUSY solutions of random real fluxes by jaxvac's solver, checked against
    the exact identities of a real solution, W = 2(s c2 - c1) (from Σ (b_i - s d_i) u_i =
    3W/2) and u_i = W/(2(b_i - s d_i)); the paper's s → c/ĉ2 is the limit W → 0."""
    from .._search import solve_susy_from
    from ..models._rku import FluxSector3

    rng = np.random.default_rng(seed)
    region = {k: (1e-3, 1e3) for k in ("S", "U1", "U2", "U3")}
    solve = eqx.filter_jit(lambda m, y0: solve_susy_from(m, y0, region=region))
    out = []
    while len(out) < n:
        f = rng.uniform(-1, 1, 8)
        m = canonical(
            FluxSector3(c1=f[0], c2=f[1], b1=f[2], b2=f[3], b3=f[4], d1=f[5], d2=f[6], d3=f[7])
        )
        y0 = np.concatenate([10 ** rng.uniform(-1, 1, 4), np.zeros(4)])
        r = solve(m, jnp.asarray(y0))
        y = np.asarray(r.y)
        if Result(int(r.result)) != Result.successful or not bool(r.analysis.susy):
            out.append(dict(result=Result(int(r.result)).name, real=None))
            continue
        S, U = y[0], y[1:4]
        W = complex(m.superpotential(jnp.asarray(y[:4] + 1j * y[4:])))
        real = bool(np.all(np.abs(y[4:]) < 1e-8 * np.abs(y[:4]).max()))
        ident = (
            abs(W.real - 2 * (S * f[1] - f[0])) <= 1e-8 * max(abs(W.real), 1e-12) if real else None
        )
        ui = [W.real / (2 * (f[2 + i] - S * f[5 + i])) for i in range(3)]
        u_ok = bool(np.allclose(ui, U, rtol=1e-8)) if real else None
        out.append(
            dict(
                result="successful",
                real=real,
                identity_W=ident,
                identity_u=u_ok,
                s=S,
                c_over_c2=f[0] / f[1],
                W=[W.real, W.imag],
            )
        )
    return out


def dynamical_check(vac):
    """(2.1) with T, S, U1, U2 dynamical against the frozen model: fluxes rescaled so that
    their SUSY W0 (3.9) equals the frozen vacuum's W0; Newton in all 8 real coordinates."""
    from ..models._rku import RKU, RKUDynamical

    rng = np.random.default_rng(2)
    while True:
        c, c2, b1, b2, d1, d2 = rng.uniform(-1, 1, 6)
        s, W0, (u1, u2) = F.flux_solution_39(c, c2, b1, b2, d1, d2)
        if 0.5 < s < 5 and 0.2 < u1 < 5 and 0.2 < u2 < 5:
            break
    k = vac["W0"] / W0  # W0 is linear in the fluxes at fixed s, u
    xi_hat = XI / s**1.5  # ξ(S) = ξ̂ s^{3/2} = ξ at the solution
    dyn = canonical(
        RKUDynamical(
            c1=k * c,
            c2=k * c2,
            b1=k * b1,
            b2=k * b2,
            d1=k * d1,
            d2=k * d2,
            A=A_REF,
            B=vac["B"],
            N1=N1,
            N2=N2,
            xi_hat=xi_hat,
        )
    )
    located = _locate(dyn, jnp.array([vac["t"], s, u1, u2, 0.0, 0.0, 0.0, 0.0]))
    y, ok = np.asarray(located.y), bool(located.ok)
    info = _classify(dyn, y, located.analysis)
    K_cs = -math.log(2 * s) - math.log(2 * u1) - math.log(2 * u2)
    frozen = RKU(W0=vac["W0"], A=A_REF, B=vac["B"], N1=N1, N2=N2, xi=XI, K_cs=K_cs)
    finfo = _classify(frozen, np.array([vac["t"], 0.0]))
    return dict(
        start=[vac["t"], s, u1, u2],
        y=y.tolist(),
        newton=bool(ok),
        solve_result=Result(int(located.result)).name,
        info=info,
        frozen=finfo,
        K_cs=K_cs,
        shifts=[y[0] / vac["t"] - 1, y[1] / s - 1, y[2] / u1 - 1, y[3] / u2 - 1],
    )


def phi_38_case(mu, vac, alpha_p=1.0, seed=38) -> dict[str, Any]:
    """(3.8): fluxes comparable to μ³ (the text's 'no fine-tuning'), c2 → ĉ2 = c2 − μ³; s from
    jaxvac's SUSY solver on the h^{2,1} = 2 flux sector (D_aW = 0 is homogeneous in the
    fluxes, so they are solved in units of μ³); ρ from the text's 4μ³/(27ρ²) = Sμ³ at the
    vev, ρ² = 4/(27s); φ of the exact SSB vacuum of the (T, φ) model with that μ, ρ."""
    from .._search import solve_susy_from
    from ..models._rku import FluxSector2

    rng = np.random.default_rng(seed)
    while True:
        c, c2, b1, b2, d1, d2 = rng.uniform(-3, 3, 6)  # in units of μ³
        c2_hat = c2 - 1.0
        s39, _, (u1, u2) = F.flux_solution_39(c, c2_hat, b1, b2, d1, d2)
        if 1.0 < s39 < 20.0 and 0.05 < u1 < 20.0 and 0.05 < u2 < 20.0:
            break
    sector = canonical(FluxSector2(c1=c, c2=c2_hat, b1=b1, b2=b2, d1=d1, d2=d2))
    start = np.array([1.3 * s39, 0.8 * u1, 1.2 * u2, 0.1, -0.1, 0.05])
    region = {"S": (1e-3, 1e3), "U1": (1e-3, 1e3), "U2": (1e-3, 1e3)}
    r = eqx.filter_jit(lambda m, y0: solve_susy_from(m, y0, region=region, global_steps=0))(
        sector, jnp.asarray(start)
    )
    s_solver = float(np.asarray(r.y)[0])
    rho = math.sqrt(4.0 / (27.0 * s_solver))
    case = higgs_case(mu, rho, alpha_p, "SSB", vac)
    return dict(
        fluxes_over_mu3=[float(v) for v in (c, c2, b1, b2, d1, d2)],
        c_over_c2_hat=float(c / c2_hat),
        s=s_solver,
        susy=bool(r.analysis.susy),
        solve_result=Result(int(r.result)).name,
        rho=rho,
        mu=mu,
        phi=float(case["phi"]),
        t=float(case["y"][0]),
        type=case["info"]["type"],
        vacuum=case["info"]["vacuum"],
    )


@register("rku-higgs", source=SOURCE)
def rku_higgs(out_dir: Path, *, full: bool) -> Report:
    """(3.5) against exact canonical masses (both branches), (3.6)-(3.7), (3.9) vs the solver."""
    vac = base_vacuum()
    rows: list[Row] = []
    cases = []
    params = [(1e-2, 1.0, 1.0), (1e-4, 1.0, 1.0)]
    if full:
        params += [(1e-3, 0.5, 0.1), (1e-5, 1.0, 1.0), (3e-3, 2.0, 0.3)]
    x_vac = 2 * math.pi / N1 * vac["t"]
    for mu, rho, ap in params:
        for branch in ("phi=0", "SSB"):
            c = higgs_case(mu, rho, ap, branch, vac)
            cases.append(c)
            ok = c["info"]["result"] == "successful" and c["info"]["type"] == "minimum"
            rows.append(
                Row(
                    f"m_φ² vs (3.5) evaluated as 2μ²/(9α'²t) (printed with α' = 1), {branch}, μ={mu:g}, "
                    f"ρ={rho:g}, α'={ap:g}",
                    reference=c["m2_phi_35"],
                    jaxvac=c["m2_phi"][0],
                    explanation=f"smaller canonical φ mass² of the exact vacuum ({c['info']['type']}, "
                    f"{c['info']['vacuum']}, t = {c['y'][0]:.6g}, φ = {c['phi']:.4g}); "
                    f"other: {c['m2_phi'][1]:.6g}",
                    compare=Formula(1 / x_vac, "1/x"),
                )
            )
            rows.append(
                Row(
                    f"T-sector unchanged, {branch}, μ={mu:g}: Λ(φ)/Λ(no φ)",
                    reference=1.0,
                    jaxvac=c["info"]["V"] / vac["V"],
                    explanation=f"W0 total kept fixed; T masses {c['m2_T'][0]:.4g}, {c['m2_T'][1]:.4g} vs "
                    f"{min(vac['m2_t'], vac['m2_tau']):.4g}, {max(vac['m2_t'], vac['m2_tau']):.4g}; "
                    f"exact vacuum is a {'stable dS minimum' if ok else c['info']['type']}",
                    compare=Formula(1 / x_vac, "1/x"),
                )
            )
    # interval proofs (jaxvac.certify) of the exact vacua above
    for c in cases:
        cert = certify_case(c, vac)
        c["certified"] = cert.to_dict()
        info = c["info"]
        claims = {
            "critical point": "exists, unique in box",
            "type": info["type"],
            "vacuum": info["vacuum"],
        }
        if info["type"] == "minimum":
            claims["n_negative"] = 0
        rows.append(
            Row(
                f"interval proof: {c['branch']}, μ={c['mu']:g}, ρ={c['rho']:g}, α'={c['alpha_p']:g}: "
                f"{info['vacuum']} {info['type']}",
                reference=claims,
                jaxvac=certified_claims(cert),
                compare=Proved(),
                explanation="jaxvac.certify of the exact vacuum (Arb balls over (t, Re φ, τ, Im φ); "
                "float64 parameters, their exact binary values): " + certificate_text(cert),
            )
        )
    # (3.6): the claimed dĈ/x⁴ term on the SSB valley
    a = 2 * math.pi / N1
    ts = vac["t"] * np.array([0.9, 1.0, 1.1])
    shift, d = ssb_potential_shift(8e-3, 1.0, 1.0, vac, ts)
    mid = shift[1]
    rows.append(
        Row(
            "(3.6): V on the SSB valley minus V without φ, at the vacuum t, vs the claimed term",
            reference=mid["claimed"],
            jaxvac=mid["dV"],
            compare=Formula(1 / x_vac, "1/x"),
            explanation=f"μ = 8e-3, ρ = 1, α' = 1 (d = {d:.3g}, d√x = {d * math.sqrt(a * vac['t']):.3g}, "
            f"α'|φ|²/t = {mid['alpha_phi2_over_t']:.2g}); the claimed term -(Aa³W0/2) dĈ/x⁴ is "
            "absent: the exact shift is O(α'²|φ|⁴/t²) smaller",
        )
    )
    # the SSB vacuum and (3.6)'s Ĉ-window
    c_ssb = higgs_case(8e-3, 1.0, 1.0, "SSB", vac)
    C_36 = F.c_36(a * vac["t"], N1 / N2, d)
    C_26 = F.c_lo(a * vac["t"], N1 / N2)
    rows.append(
        Row(
            f"(3.6): SSB vacuum (d√x = {d * math.sqrt(a * vac['t']):.2g}) at the φ-free window's Ĉ",
            reference="not a minimum",
            jaxvac="minimum" if c_ssb["info"]["type"] == "minimum" else "not a minimum",
            compare=Same(),
            explanation=f"(3.6) needs Ĉ ≈ {C_36 / C_26:.3g}·Ĉ0, so predicts an unstable point here; found: "
            f"{c_ssb['info']['type']} ({c_ssb['info']['vacuum']}) at Ĉ = "
            f"{F.c_hat(a, vac['W0'], XI, A_REF) / C_26:.3g}·Ĉ0, "
            f"Λ/Λ(no φ) = {c_ssb['info']['V'] / vac['V']:.8f}: "
            "exact vacuum of the (T, φ) model with the W0 of the φ-free window: (3.6) predicts "
            "a window shifted by 9/(8d√x + 9); there is no shift",
        )
    )
    # (3.7) as an extremum condition, at the exact SSB vacuum: its x, Ĉ of the total W0, and
    # the exact z = A/B of the model, against (3.7) and against the φ-free (2.3)
    x_ssb = a * c_ssb["y"][0]
    C_ssb = F.c_hat(a, vac["W0"], XI, A_REF)
    inv_z = vac["B"] / A_REF
    for eq, value in (
        ("(3.7)", F.inverse_z_37(x_ssb, N1 / N2, C_ssb, d)),
        ("(2.3), φ-free", F.inverse_z(x_ssb, N1 / N2, C_ssb)),
    ):
        rows.append(
            Row(
                f"(3.7) as an extremum condition: 1/z from {eq} at the exact SSB vacuum's x "
                f"(d√x = {d * math.sqrt(x_ssb):.2g})",
                reference=float(value),
                jaxvac=float(inv_z),
                compare=Formula(1 / x_ssb, "1/x"),
                explanation=f"x = {x_ssb:.8g} (t = {c_ssb['y'][0]:.8g}, φ = {c_ssb['phi']:.4g}), "
                f"Ĉ = {C_ssb:.6g}: the exact vacuum's 1/z = B/A is the model's; (3.7) adds "
                "8d√x Ĉe^x to (2.3)'s 9Ĉe^x",
            )
        )
    # (3.8): φ ≃ −μ√(c/ĉ2), with s = c/ĉ2 from the flux sector and ρ² = 4/(27s)
    p38 = phi_38_case(8e-3, vac)
    x38 = a * p38["t"]
    mu38, r38 = p38["mu"], p38["c_over_c2_hat"]
    where38 = (
        f"exact SSB vacuum ({p38['type']}, {p38['vacuum']}) of the (T, φ) model at μ = {mu38:g}, "
        f"ρ = {p38['rho']:.6g} = (4/(27s))^(1/2), α' = 1: φ = {p38['phi']:.10g}, t = {p38['t']:.8g}; "
        f"s = {p38['s']:.10g} from jaxvac's SUSY solver ({p38['solve_result']}, D_aW = 0: "
        f"{p38['susy']}) on the h^(2,1) = 2 flux sector with fluxes/μ³ = "
        + ", ".join(f"{v:.4g}" for v in p38["fluxes_over_mu3"])
        + ", c2 → ĉ2 = c2 − μ³"
    )
    rows += [
        Row(
            "(3.8)-(3.9): s of the SUSY flux sector with c2 → ĉ2 = c2 − μ³, vs s = c/ĉ2",
            reference=r38,
            jaxvac=p38["s"],
            compare=Exact(1e-8, "SUSY solver tolerance"),
            explanation=where38,
        ),
        Row(
            "(3.8): φ of the exact SSB vacuum vs −μ√(3c/ĉ2) (the printed φ ≃ −μ√(c/ĉ2) with the "
            "order-one factor √3 that 4μ³/(27ρ²) = Sμ³ fixes)",
            reference=-mu38 * math.sqrt(3.0 * r38),
            jaxvac=p38["phi"],
            compare=Formula(1 / x38, "1/x"),
            explanation=where38 + "; φ = −2μ/(3ρ) and ρ² = 4/(27s) give −μ√(3s)",
        ),
        Row(
            "(3.8): φ of the exact SSB vacuum vs the printed φ ≃ −μ√(c/ĉ2)",
            reference=-mu38 * math.sqrt(r38),
            jaxvac=p38["phi"],
            compare=Formula(1 / x38, "1/x"),
            explanation=where38 + f"; the ratio is {p38['phi'] / (-mu38 * math.sqrt(r38)):.6g} "
            "= √3: the text derives (3.8) 'ignoring some order one numerical factors' in "
            "W0(φ, S) ≃ c_φ + Sμ³, but with that identification (which gives ĉ2 = c2 − μ³) the "
            "factor is fixed and φ carries √3",
        ),
    ]
    # (3.1)-(3.2): K_H (3.3) against its unexpanded log, at SSB vacua of growing α'|φ|²/t
    expansion = []
    for mu in (8e-3, 1e-2, 3e-2):
        ex = expansion_case(mu, 1.0, 1.0, vac)
        expansion.append(dict(ex, mu=mu))
        e, g, eps = ex["expanded"], ex["log"], ex["eps_32"]
        tag = f"μ={mu:g}, 3α'|φ|²/(2t) = {eps:.2g}"
        where = (
            f"exact SSB vacua of both models (t = {e['y'][0]:.8g} and {g['y'][0]:.8g}, "
            f"φ = {e['y'][1]:.6g}); ρ = 1, α' = 1"
        )
        rows += [
            Row(
                f"(3.1)-(3.2): Λ with K_H (3.3) vs with −3 log(1 − α'|φ|²/(T+T̄)), {tag}",
                reference=g["V"],
                jaxvac=e["V"],
                compare=Formula(eps, "3α'|φ|²/(2t) of (3.2)"),
                explanation=where,
            ),
            Row(
                f"(3.1)-(3.2): φ masses² with K_H (3.3) vs the log, {tag}",
                reference=g["m2"][2:],
                jaxvac=e["m2"][2:],
                compare=Formula(4 * eps / 3, "2α'|φ|²/(T+T̄): K_φφ̄ of the log is (3.3)'s/(1−u)²"),
                explanation=where,
            ),
            Row(
                f"(3.1)-(3.2): T masses² with K_H (3.3) vs the log, {tag}",
                reference=g["m2"][:2],
                jaxvac=e["m2"][:2],
                compare=Formula(eps, "3α'|φ|²/(2t) of (3.2)"),
                explanation=where + ": the expansion breaks no-scale at O((α'|φ|²/t)²)·e^K|W0|², "
                "which the T masses (at the scale of Λ) feel ~10⁸ times more than the φ sector",
            ),
        ]
    # (3.9): flux sector vs the supersymmetric solver
    flux = flux_check(40 if full else 12)
    n_susy = sum(r["susy_39"] and r["critical_39"] == "successful" for r in flux)
    converged = [r for r in flux if r["result"] == "successful"]
    agree = [
        abs(complex(*r["W"]) - r["W0_39"]) <= 1e-8 * abs(r["W0_39"])
        and abs(r["y"][0] - r["s_39"]) <= 1e-8 * r["s_39"]
        for r in converged
    ]
    rows.append(
        Row(
            "(3.9): the point s = c/ĉ2, u_i = W0/(2(b_i - s d_i)) is supersymmetric "
            "(random fluxes)",
            None,
            int(n_susy),
            "jaxvac.analyse at (3.9)'s point: D_aW = 0 (susy) and a verified critical point; "
            f"max sqrt(e^K|DW|²/S) = {max(r['susy_ratio_39'] for r in flux):.1e}",
            compare=Same(),
            reference=len(flux),
        )
    )
    rows.append(
        Row(
            "(3.9): jaxvac's SUSY solver, started 30% away, lands on (3.9)",
            None,
            int(sum(agree)),
            f"of the converged solves (W0 and s to 1e-8); {len(flux) - len(converged)} of "
            f"{len(flux)} solves diverged from that start (a solver limitation, not (3.9))",
            compare=Same(),
            reference=len(converged),
        )
    )
    f3 = flux3_check(16 if full else 6)
    ok3 = [r for r in f3 if r["result"] == "successful" and r["real"]]
    rows.append(
        Row(
            "h^{2,1} = 3: real SUSY solutions obey W = 2(s c2 - c1), u_i = W/(2(b_i - s d_i))",
            None,
            int(sum(bool(r["identity_W"]) and bool(r["identity_u"]) for r in ok3)),
            f"random fluxes, solver from random starts: {len(ok3)} real, "
            f"{sum(r['result'] == 'successful' and not r['real'] for r in f3)} complex, "
            f"{sum(r['result'] != 'successful' for r in f3)} not converged of {len(f3)}; so "
            "s = c/ĉ2 exactly when W0 = 0 (the paper's limit (b_i - s d_i) → 0)",
            compare=Same(),
            reference=len(ok3),
        )
    )
    dyn = dynamical_check(vac)
    rows.append(
        Row(
            "(2.1) with S, U dynamical: largest relative shift of (t, s, u1, u2) from the frozen "
            "solution (paper: negligible [5])",
            reference=0.0,
            jaxvac=max(abs(v) for v in dyn["shifts"]),
            compare=Exact(1e-2, "'negligible' read as below 1%"),
            explanation=f"exact vacuum of rku-dynamical ({dyn['info']['type']}, {dyn['info']['vacuum']}) "
            f"vs frozen S, U at the SUSY values of (3.9); Λ_dyn/Λ_frozen = "
            f"{dyn['info']['V'] / dyn['frozen']['V']:.6f}; shifts "
            + ", ".join(f"{v:.2e}" for v in dyn["shifts"]),
        )
    )
    notes = (
        "Base T-vacuum: Nmax = 10, x = 20, centre of the exact window, A = -1, ξ = 1e-3 "
        f"(t = {vac['t']:.6g}, Λ = {vac['V']:.4g}). φ = 0 branch: c_φ = 0. SSB branch: "
        "c_φ = -4μ³/(27ρ²) so that the total W0 of the T problem is unchanged (the paper's "
        "W0 = W0(U,S) + c_φ + 4μ³/(27ρ²)). Exact vacua by Newton on ∇V = 0 in (t, Re φ, τ, "
        "Im φ) from the leading-order point (`jaxvac.locate_critical_point`), classified by "
        "`jaxvac.analyse_point`.\n\n"
        "Findings: (3.5) holds on both branches (to ≲ 1e-3 here; with α' kept, "
        "m_φ² = 2μ²/(9α'²t): the paper sets α' = 1 silently). The T sector is unchanged to "
        "that order. The correction (3.6)-(3.7) is not borne out: with K_H of (3.3) the "
        "no-scale structure is broken only at O(α'²|φ|⁴/t²) (K_H is the expansion of "
        "-3 log(T+T̄-α'|φ|²)), so there is no dĈ/x⁴ term; the φ-dependence of Λ is "
        "negligible whatever d is. (3.9) is the real SUSY solution for h^{2,1} = 2 and "
        "jaxvac's SUSY solver reproduces it on random fluxes. (3.7) as an extremum "
        "condition fails at the exact SSB vacuum, where (2.3) holds.\n\n"
        "(3.1)-(3.2): against the unexpanded −3 log(1 − α'|φ|²/(T+T̄)) (the ξ term kept as "
        "the paper recovers it), K_H (3.3) moves the φ masses by about 2α'|φ|²/(T+T̄) (the "
        "kinetic metric's first correction), but Λ and the T masses by ≈ 3×10⁵ and 1.4×10⁸ "
        "times (3α'|φ|²/(2t))²: the neglected terms break no-scale at "
        "O((α'|φ|²/t)²)·e^K|W0|², which competes with quantities at the scale of Λ "
        "(Λ/(e^K|W0|²) ≈ 10⁻⁶ here). At 3α'|φ|²/(2t) = 1.9e-5 Λ moves by 1.2e-4 and the T "
        "masses by 5%. So (3.2) ≪ 1 is not sufficient; (3α'|φ|²/(2t))² ≪ Λ/(e^K|W0|²) is "
        "needed (it holds at the paper's α'|Φ|² ~ 10⁻²⁶).\n\n"
        "Proved (rows 'interval proof', verdict *proved*/*unproved*): for each exact vacuum "
        "above, `jaxvac.certify` proves in Arb ball arithmetic that its box holds exactly one "
        "critical point (Krawczyk), the Hessian's inertia over the enclosure (so the signs of "
        "the canonical masses², Sylvester), the sign of V and non-supersymmetry (|D_aW| > 0). "
        "The mass values, (3.5)-(3.9) comparisons and the flux rows remain float64 evidence. "
        "See docs/certify.md.\n\n"
        "| μ | ρ | α' | branch | t | φ | m_φ² exact | (3.5) | T masses² |\n|---|---|---|---|---|---|---|---|---|\n"
        + "\n".join(
            f"| {c['mu']:g} | {c['rho']:g} | {c['alpha_p']:g} | {c['branch']} | {c['y'][0]:.6g} | "
            f"{c['phi']:.4g} | {c['m2_phi'][0]:.6g}, {c['m2_phi'][1]:.6g} | {c['m2_phi_35']:.6g} | "
            f"{c['m2_T'][0]:.4g}, {c['m2_T'][1]:.4g} |"
            for c in cases
        )
        + "\n\nSSB valley, μ = 8e-3: V(t, φ(t)) - V_RKU(t) vs the claimed term:\n\n"
        "| t | exact shift | (3.6) term | φ(t) |\n|---|---|---|---|\n"
        + "\n".join(
            f"| {s['t']:.5g} | {s['dV']:.4g} | {s['claimed']:.4g} | {s['phi']:.6g} |" for s in shift
        )
    )
    return Report(
        "rku-higgs",
        SOURCE,
        rows,
        title="RKU Higgs-like sector (3.3)-(3.7) and flux sector (3.9)",
        notes=notes,
        data=dict(
            base=vac,
            cases=cases,
            ssb_shift=shift,
            d=d,
            flux=flux,
            flux3=f3,
            dynamical=dyn,
            expansion=expansion,
            phi_38=p38,
        ),
    )
