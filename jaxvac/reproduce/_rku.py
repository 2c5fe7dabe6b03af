"""Seed 000 (racetrack Kähler uplift): the formulas (2.3)-(2.8), Table 2, Table 1 and
(2.9)-(2.10) against exact vacua of the full potential (targets ``rku-formulas``,
``rku-table2``, ``rku-table1``). The landscape and the Higgs sector are in
``_rku_scan.py`` and ``_rku_higgs.py``.

Conventions throughout (the paper's, with every choice it leaves open stated in the
reports): Planck units; frozen S, U with K_cs = 0 (the normalisation of (2.2));
a = 2π/N1, b = 2π/N2 with N1 = Nmax, N2 = Nmax - 1; A < 0 < W0 ("we have in mind W0 > 0
and A < 0"); |A| = 1 and ξ = 10⁻³ unless a row says otherwise.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._potential import scalar_potential
from . import _rku_formulas as F
from ._framework import (
    Exact,
    Formula,
    Magnitude,
    Printed,
    Proved,
    Report,
    Row,
    Same,
    certificate_text,
    certified_claims,
    register,
)

SOURCE = "seed 000 (000_c8afabef771fe332.txt)"


def load_tables() -> dict:
    """Tables 1 and 2 and eq. (2.10) of seed 000, as printed (``jaxvac/data``)."""
    text = resources.files("jaxvac.data").joinpath("seed000_tables.json").read_text("utf-8")
    return json.loads(text)


def log10_of(text) -> float:
    """log10 of a printed number (a string, possibly outside the float64 range)."""
    mantissa, _, exponent = str(text).lower().partition("e")
    return math.log10(float(mantissa)) + (int(exponent) if exponent else 0)


def _fmt(v, digits=4):
    """A computed value as a float (all its digits: verdicts never see a rounded value)."""
    return float(v)


# ======================================================================================
# rku-formulas: (2.3)-(2.8) against exact critical points and masses
# ======================================================================================

CASES_BETA = ((65, 64), (202, 201), (10, 9), (3, 2))
CASES_X = (3.0, 5.0, 10.0, 20.0, 50.0, 100.0, 142.0, 200.0)
XI, A_REF = 1e-3, -1.0


def formula_case(N1, N2, x, xi=XI, A=A_REF, windows=None):
    """Exact full-model window and vacuum at x = a t against (2.3)-(2.8).

    ``windows``: the full model's windows at t = x/a if already computed
    (``_rku_landscape.windows_at`` batches them over x)."""
    from ..models._rku import RKU
    from . import _rku_exact as E
    from . import _rku_landscape as L

    a, beta = 2 * math.pi / N1, N1 / N2
    t = x / a
    out = {"N1": N1, "N2": N2, "beta": beta, "x": x, "t": t}
    lam0 = F.lam0(x, beta)
    C0 = F.c_lo(x, beta)
    lmin, lmax = F.window_lo(x, beta)
    cy, cx, upper = F.window_c_exact(x, beta)
    out.update(
        lam0=lam0,
        C0=C0,
        lam_min_25=lmin,
        lam_max_25=lmax,
        C_y_reduced=cy,
        C_x_reduced=cx if upper else float("nan"),
    )
    if windows is None:
        windows = L.window_at(t, N1, N2, xi, A=A)
    # the window of the racetrack branch (W0/A < 0), the one (2.3)-(2.8) describe
    windows = [w for w in windows if w["mid"]["W0"] / A < 0] or windows
    if not windows:
        out["window"] = None
        return out
    w = max(windows, key=lambda w: w["hi"]["C_hat"] - w["lo"]["C_hat"])
    out["window"] = {k: w[k] for k in ("lo", "mid", "hi")}
    mid = w["mid"]
    model = RKU(W0=mid["W0"], A=A, B=mid["B"], N1=float(N1), N2=float(N2), xi=xi)
    vac = E.vacuum_near(model, t)
    out["vacuum"] = vac
    lam = vac["V"] / (-(a**3) * A * mid["W0"] / 2)
    xv = a * vac["t"]
    lxx, lyy = F.hessian_lo(xv, beta, lam)
    norm = -(a**3) * A * mid["W0"] / 2
    out.update(
        lam=lam,
        m2_t_24=norm * lxx * 2 * xv**2 / 3,
        m2_tau_24=norm * lyy * 2 * xv**2 / 3,
        W0_27=F.w0_lo(xv, beta, a, A, xi),
        Lambda_28a=F.lambda_lo(xv, beta, a, A, xi),
        Lambda_28b=F.lambda_xi(mid["W0"], vac["t"], xi),
        inv_z_23=F.inverse_z(xv, beta, mid["C_hat"]),
        inv_z_exact=mid["B"] / A,
    )
    # the point (2.6) itself: Ĉ = Ĉ0, z from (2.3), exact critical point and its type
    W0_26 = F.w0_from_c_hat(C0, a, xi, A)
    B_26 = A * F.inverse_z(x, beta, C0)
    out["point_26"] = E.vacuum_near(
        RKU(W0=W0_26, A=A, B=B_26, N1=float(N1), N2=float(N2), xi=xi), t
    )
    return out


@eqx.filter_jit
def _line_potential(model, ts):
    """V(t, τ = 0) at every t of ``ts`` (compiled once per model class and shape)."""
    return jax.vmap(lambda t: scalar_potential(model, jnp.stack([t, 0.0 * t])))(ts)


def potential_panel(case, xi=XI, A=A_REF) -> dict:
    """V(t) of the full model through the vacuum at the window centre, and (2.2)'s
    -(a³AW0/2) λ(x, 0) with the same parameters."""
    import jax.numpy as jnp

    from .._model import canonical
    from ..models._rku import RKU

    N1, N2 = case["N1"], case["N2"]
    a, beta = 2 * math.pi / N1, N1 / N2
    mid = case["window"]["mid"]
    model = canonical(RKU(W0=mid["W0"], A=A, B=mid["B"], N1=float(N1), N2=float(N2), xi=xi))
    t_vac = case["vacuum"]["t"]
    C = F.c_hat(a, mid["W0"], xi, A)
    out: dict[str, Any] = dict(
        title=f"Nmax = {N1}, x = {a * t_vac:.4g}, A = -1, ξ = {xi:g}",
        t_vac=t_vac,
        V_vac=case["vacuum"]["V"],
    )
    # the zoom shows the minimum: from the barrier top d to the right of the vacuum (the first
    # local maximum of V on a fine grid), [t_vac - 1.2 d, t_vac + 2 d]; the barrier is often
    # ~1e-6 Λ high, invisible on the scale of the top panel
    zoom = (1 - 0.4 / (a * t_vac), 1 + 1.2 / (a * t_vac))
    fine = np.linspace(t_vac, zoom[1] * t_vac, 4001)
    V_fine = np.asarray(_line_potential(model, jnp.asarray(fine)))
    tops = np.flatnonzero((V_fine[1:-1] > V_fine[:-2]) & (V_fine[1:-1] >= V_fine[2:])) + 1
    if tops.size:
        d = fine[tops[0]] - t_vac
        zoom = (1 - 1.2 * d / t_vac, 1 + 2.0 * d / t_vac)
    for key, (lo, hi) in (("", (0.8, 1.6)), ("_zoom", zoom)):
        ts = np.linspace(lo * t_vac, hi * t_vac, 200)
        out["t" + key] = ts
        out["V" + key] = np.asarray(_line_potential(model, jnp.asarray(ts)))
        out["V_lambda" + key] = (
            -(a**3) * A * mid["W0"] / 2 * F.lam(a * ts, 0.0, beta, A / mid["B"], C)
        )
    return out


def c26_order(x, beta):
    """The size of the first term (2.6) neglects, at the upper edge of the exact window
    Ĉ0·[1 + 2(β+1)/(βx), 1 + (2β+7/2)/(βx)] (docs/rku.md): (2β+7/2)/(βx)."""
    return (2 * beta + 3.5) / (beta * x)


def _formula_rows(case) -> list[Row]:
    x, beta = case["x"], case["beta"]
    tag = f"Nmax={case['N1']} (β={beta:.4g}), x={x:g}"
    w = case["window"]
    vac = case["vacuum"]
    rows = []
    o1, o2 = Formula(1 / x, "1/x"), Formula(1 / x**2, "1/x²")
    o26 = Formula(c26_order(x, beta), "(2β+7/2)/(βx), the window's upper edge")
    rows.append(
        Row(
            f"{tag}: λ_min/λ0 (2.5)",
            reference=case["lam_min_25"] / case["lam0"],
            jaxvac=w["lo"]["lam"] / case["lam0"],
            compare=o2,
            explanation="exact lower edge of the full model's stable window (∂²_τV = 0); the "
            "printed λ_min is the exact edge of λ(2.2) (proved in docs/rku.md)",
        )
    )
    rows.append(
        Row(
            f"{tag}: λ_max/λ0 (2.5)",
            reference=case["lam_max_25"] / case["lam0"],
            jaxvac=w["hi"]["lam"] / case["lam0"],
            compare=o2,
            explanation="exact upper edge (∂²_tV = 0)",
        )
    )
    rows.append(
        Row(
            f"{tag}: m_t² at the window centre (2.4)",
            reference=case["m2_t_24"],
            jaxvac=vac["m2_t"],
            compare=o1,
            explanation="canonical mass² of Re T, exact vs (2.4) × (-a³AW0/2)·2x²/3 at the exact λ "
            "((2.4) is printed to leading order; the coefficient of its 1/x term is not known)",
        )
    )
    rows.append(
        Row(
            f"{tag}: m_τ² at the window centre (2.4)",
            reference=case["m2_tau_24"],
            jaxvac=vac["m2_tau"],
            compare=o1,
            explanation="canonical mass² of Im T",
        )
    )
    rows.append(
        Row(
            f"{tag}: 1/z at the exact extremum (2.3)",
            reference=case["inv_z_23"],
            jaxvac=case["inv_z_exact"],
            compare=o2,
            explanation="B/A that makes T = x/a critical in the full model vs (2.3) at the same Ĉ "
            "(exact for λ)",
        )
    )
    rows.append(
        Row(
            f"{tag}: Ĉ/Ĉ0 at the window centre (2.6)",
            reference=1.0,
            jaxvac=w["mid"]["C_hat"] / case["C0"],
            compare=o26,
            explanation="(2.6) is leading order; the exact window is Ĉ0·[1 + 2(β+1)/(βx), 1 + "
            "(2β+7/2)/(βx)] to O(1/x²): (2.6)'s Ĉ0 lies below it",
        )
    )
    rows.append(
        Row(
            f"{tag}: |W0| (2.7) at the window centre",
            reference=abs(case["W0_27"]),
            jaxvac=abs(w["mid"]["W0"]),
            compare=o26,
            explanation="A = -1, ξ = 1e-3; W0 ∝ Ĉ, so the order of (2.6)",
        )
    )
    rows.append(
        Row(
            f"{tag}: Λ (2.8), first form",
            reference=case["Lambda_28a"],
            jaxvac=vac["V"],
            compare=o1,
            explanation="V at the exact vacuum at the window centre",
        )
    )
    rows.append(
        Row(
            f"{tag}: Λ (2.8), 3ξW0²/(4(2t)^{{9/2}})",
            reference=case["Lambda_28b"],
            jaxvac=vac["V"],
            compare=o1,
            explanation="same vacuum",
        )
    )
    p26 = case["point_26"]
    rows.append(
        Row(
            f"{tag}: type of the (2.6) point Ĉ = Ĉ0 (implied: a minimum)",
            reference="minimum",
            jaxvac=p26["type"],
            compare=Same(),
            explanation=f"exact critical point of the full model with Ĉ from (2.6), z from (2.3) "
            f"({p26['vacuum']}, m_τ² = {p26['m2_tau']:.3g})",
        )
    )
    return rows


@register("rku-formulas", source=f"{SOURCE}, eqs. (2.3)-(2.8)")
def rku_formulas(out_dir: Path, *, full: bool) -> Report:
    """(2.3)-(2.8) against the exact critical points and canonical masses of the full model."""
    cases = []
    xs = CASES_X if full else (5.0, 20.0, 142.0)
    betas = CASES_BETA if full else ((65, 64), (10, 9))
    from . import _rku_landscape as L

    for N1, N2 in betas:
        a = 2 * math.pi / N1
        windows = L.windows_at([x / a for x in xs], N1, N2, XI, A=A_REF)
        for x, w in zip(xs, windows):
            cases.append(formula_case(N1, N2, x, windows=w))
    rows = []
    key = {(65, 64, 142.0), (10, 9, 20.0), (10, 9, 5.0), (202, 201, 142.0)}
    for c in cases:
        if (c["N1"], c["N2"], c["x"]) in key and c["window"] is not None:
            rows += _formula_rows(c)
    table = [
        "| Nmax | x | λ_min/λ0 exact | (2.5) | λ_max/λ0 exact | (2.5) | Ĉ-window/Ĉ0 exact "
        "| m_t² exact/(2.4) | m_τ² exact/(2.4) | Λ exact/(2.8) | (2.6) point |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in cases:
        w = c["window"]
        if w is None:
            table.append(f"| {c['N1']} | {c['x']:g} | no stable window | | | | | | | | |")
            continue
        table.append(
            f"| {c['N1']} | {c['x']:g} | {w['lo']['lam'] / c['lam0']:.5f} | "
            f"{c['lam_min_25'] / c['lam0']:.5f} | {w['hi']['lam'] / c['lam0']:.5f} | "
            f"{c['lam_max_25'] / c['lam0']:.5f} | [{w['lo']['C_hat'] / c['C0']:.4f}, "
            f"{w['hi']['C_hat'] / c['C0']:.4f}] | {c['vacuum']['m2_t'] / c['m2_t_24']:.4f} | "
            f"{c['vacuum']['m2_tau'] / c['m2_tau_24']:.4f} | "
            f"{c['vacuum']['V'] / c['Lambda_28a']:.4f} | {c['point_26']['type']} |"
        )
    notes = (
        "Method: at each x the exact stability window of the full model (T dynamical, "
        "A = -1, ξ = 1e-3, K_cs = 0) is located in closed form along τ = 0 (B from the "
        "exact extremum condition, a quadratic; edges where ∂²_tV or ∂²_τV vanish, by "
        "bisection); the vacuum at its centre is re-solved by Newton and classified by "
        "`jaxvac.analyse` (canonical masses). λ = V/(-a³AW0/2).\n\n"
        "Findings: (2.3) is exact for λ and holds in the full model to the size of the "
        "neglected terms; the lower edge of (2.5) is *exactly* the edge of λ's window, the "
        "upper edge is good to O(1/x²); (2.6)'s Ĉ0 (and λ0) lie just outside the window "
        "at every x — the (2.6) point is a saddle with a tachyonic axion — so (2.6)-(2.8) "
        "hold only as leading-order estimates, off by 2(β+1)/(βx) ≈ 4/x; at x ≲ 10 the "
        "1/x expansion of (2.4)-(2.5) fails (the upper edge of (2.5) is off by 2x at x = 5).\n\n"
        + "\n".join(table)
    )
    from ._rku_figures import potential_figure, window_figure

    figs = [
        window_figure(out_dir, cases, table2=table2_points()),
        potential_figure(
            out_dir,
            [
                potential_panel(c)
                for c in cases
                if (c["N1"], c["x"]) in ((10, 20.0), (65, 142.0)) and c["window"] is not None
            ],
        ),
    ]
    return Report(
        "rku-formulas",
        f"{SOURCE}, eqs. (2.3)-(2.8)",
        rows,
        title="RKU: extremum, Hessian, window and leading order (2.3)-(2.8)",
        notes=notes,
        figures=figs,
        data={"cases": cases},
    )


# ======================================================================================
# rku-table2: Table 2, its conventions, and the classification of its points
# ======================================================================================

LAMBDA_TABLE2 = 1e-122  # "when Λ10 or Λ50 ≃ 10^-122"


def table2_points() -> list[dict]:
    """Table 2's rows with x recovered from the printed Ĉ through (2.6) (Ĉ has 3 digits,
    x only 3: x from Ĉ is ~100 times sharper), and the x-uncertainty of the printed t."""
    out = []
    for Nmax, beta_p, x_p, t_p, z_p, C_p, W_p in load_tables()["table2"]["rows"]:
        C_p, W_p = float(C_p), float(W_p)
        beta = F.beta_of_nmax(Nmax)
        a = float(F.a_of(Nmax))
        x_c = F.x_of_c_lo(C_p, beta)
        out.append(
            dict(
                Nmax=Nmax,
                beta=float(beta),
                a=a,
                beta_p=beta_p,
                x_p=x_p,
                t_p=t_p,
                z_p=z_p,
                C_p=C_p,
                W_p=W_p,
                x_from_C=x_c,
                C_over_C0=1.0,
                x_err=0.5 * a * 10 ** (math.floor(math.log10(t_p)) - 2),
            )
        )
    return out


def table2_conventions(row) -> dict:
    """What (|A|, ξ, Λ) the printed |W0| and Λ ≃ 1e-122 imply, row by row."""
    a, beta, x, C, W = row["a"], row["beta"], row["x_from_C"], row["C_p"], row["W_p"]
    A_over_xi = W * 3 * a**1.5 / (32 * math.sqrt(2) * C)  # from Ĉ of (2.2)
    # (2.8): Λ = K a^{3/2} (A²/ξ) e^{-2x} x^{5/2}
    lam_unit = F.lambda_lo(x, beta, a, 1.0, 1.0)  # A = ξ = 1
    A2_over_xi = LAMBDA_TABLE2 / lam_unit
    A = A2_over_xi / A_over_xi
    xi = A / A_over_xi
    return dict(
        A_over_xi=A_over_xi,
        A2_over_xi=A2_over_xi,
        A=A,
        xi=xi,
        a_m32=a**-1.5,
        a_32=a**1.5,
        W0_caption=F.w0_from_c_hat(C, a, 1e-3, -1.0),
        Lambda_caption=F.lambda_lo(x, beta, a, 1.0, 1e-3),
        Lambda_28b_printed=F.lambda_xi(W, row["t_p"], 1e-3),
    )


def table2_point_in_full_model(row, xi, A=-1.0) -> dict:
    """The Table 2 point (W0 = +|W0|, B = A/z) in the full model: the exact critical
    point near t and its classification; then the nearest stable vacuum at that x."""
    from ..models._rku import RKU
    from . import _rku_exact as E
    from . import _rku_landscape as L

    Nmax = row["Nmax"]
    a, beta = row["a"], row["beta"]
    x = row["x_from_C"]
    W0 = F.w0_from_c_hat(row["C_p"], a, xi, A)
    B = A * F.inverse_z(x, beta, row["C_p"])
    model = RKU.from_nmax(Nmax, W0=W0, A=A, B=B, xi=xi)
    vac = E.vacuum_near(model, x / a)
    windows = L.window_at(vac["t"], float(Nmax), float(Nmax - 1), xi, A=A)
    windows = [w for w in windows if w["mid"]["W0"] / A < 0]
    stable = None
    if windows:
        mid = windows[0]["mid"]
        stable = E.vacuum_near(RKU.from_nmax(Nmax, W0=mid["W0"], A=A, B=mid["B"], xi=xi), vac["t"])
        stable.update(
            W0=mid["W0"],
            B=mid["B"],
            C_hat=mid["C_hat"],
            C_window=(windows[0]["lo"]["C_hat"], windows[0]["hi"]["C_hat"]),
        )
    return dict(W0=W0, B=B, xi=xi, vacuum=vac, nearest_stable=stable)


def certify_table2_point(row, res) -> dict:
    """Interval proofs (:func:`jaxvac.certify`, Arb balls) at the Table 2 point and at the
    centre of the exact stable window, with the float64 parameters of the float64 rows
    (the proof is about their exact binary values)."""
    from .._certify import certify
    from ..models._rku import RKU

    out = {}
    vac, st = res["vacuum"], res["nearest_stable"]
    model = RKU.from_nmax(row["Nmax"], W0=res["W0"], A=-1.0, B=res["B"], xi=res["xi"])
    out["point"] = certify(model, {"T": vac["t"]}, name="rku")
    if st is not None:
        model = RKU.from_nmax(row["Nmax"], W0=st["W0"], A=-1.0, B=st["B"], xi=res["xi"])
        out["window"] = certify(model, {"T": st["t"]}, name="rku")
    return out


def certified_rows(tag, vac, st, certs) -> list[Row]:
    """Proved rows: the Table 2 point is a dS saddle whose one negative direction is the
    axion's; the window centre a dS minimum (claims from the float64 rows above)."""
    c = certs["point"]
    rows = [
        Row(
            f"{tag}: Table 2 point (table ξ=a^3/2), interval proof: saddle, one tachyonic axion, dS",
            reference={
                "critical point": "exists, unique in box",
                "type": "saddle",
                "n_negative": 1,
                "negative curvature": ["T.im"],
                "vacuum": "dS",
            },
            jaxvac=certified_claims(c),
            compare=Proved(),
            explanation="jaxvac.certify (Arb balls, Krawczyk; inertia of the Hessian over the "
            "enclosure, so by Sylvester the canonical masses² have its signs: exactly one < 0, "
            "and ∂²V/∂τ² < 0 proved, so the tachyon is the axion's); " + certificate_text(c),
        )
    ]
    if "window" in certs:
        c = certs["window"]
        rows.append(
            Row(
                f"{tag}: centre of the exact stable window (table ξ=a^3/2), interval proof: dS minimum",
                reference={
                    "critical point": "exists, unique in box",
                    "type": "minimum",
                    "n_negative": 0,
                    "vacuum": "dS",
                },
                jaxvac=certified_claims(c),
                compare=Proved(),
                explanation=f"W0 = {st['W0']:.6g}, B = {st['B']:.6g} (Ĉ = {st['C_hat']:.5g}); "
                + certificate_text(c),
            )
        )
    return rows


#: M_P = G_N^(-1/2) in GeV, the Planck mass the seed's introduction names ("≃ 10^19 GeV");
#: the reduced (8πG_N)^(-1/2) is M_P/√(8π) (CODATA 2018: 1.220890e19 GeV).
M_PLANCK_GEV = 1.220890e19


def electroweak_scale(points) -> dict:
    """(2.11) and (1.1): |W0| at Λ = 1e-122 from (2.6)-(2.8), m = |W0|^(1/3), in both
    conventions of Table 2 (the table's |A| = 1, ξ = a^(3/2); the caption's ξ = 1e-3)."""
    out = {}
    for row in points:
        a, C = row["a"], row["C_p"]
        w_table = abs(F.w0_from_c_hat(C, a, a**1.5, -1.0))
        w_caption = abs(F.w0_from_c_hat(C, a, 1e-3, -1.0))
        out[row["Nmax"]] = dict(
            W0_table=w_table,
            W0_caption=w_caption,
            m_table=w_table ** (1 / 3),
            m_caption=w_caption ** (1 / 3),
        )
    return out


def electroweak_rows(scale: dict) -> list[Row]:
    """Rows for (2.11) (and (1.1), which quotes it): Λ50 = 1e-122 is the Nmax = 202 row of
    Table 2, Λ10 = 1e-122 the Nmax = 65 row (Table 1)."""
    s50, s10 = scale[202], scale[65]
    gev = M_PLANCK_GEV
    reduced = gev / math.sqrt(8 * math.pi)
    ratio = s10["m_table"] / s50["m_table"]
    return [
        Row(
            "(2.11) |W0| [M_P³] for Λ50 = 1e-122 (Nmax = 202), table's convention |A| = 1, "
            "ξ = a^(3/2)",
            "1e-51",
            s50["W0_table"],
            "(2.7) at the x that (2.6) gives for the printed Ĉ; this convention reproduces "
            "every column of Table 2 (rows above)",
            compare=Magnitude(),
        ),
        Row(
            "(2.11) |W0| [M_P³] for Λ50 = 1e-122 (Nmax = 202), caption's ξ = 1e-3, |A| = 1",
            "1e-51",
            s50["W0_caption"],
            "the same with the caption's ξ; (2.8) then gives Λ ≠ 1e-122 (rows above)",
            compare=Magnitude(),
        ),
        Row(
            "(2.11) m = |W0|^(1/3) [M_P], table's convention",
            "1e-17",
            s50["m_table"],
            f"caption's convention: {s50['m_caption']:.3g}",
            compare=Magnitude(),
        ),
        Row(
            "(2.11) and (1.1): m [GeV] with M_P = G_N^(-1/2) = 1.22e19 GeV, table's convention",
            "100",
            s50["m_table"] * gev,
            f"with the reduced Planck mass {reduced:.4g} GeV: {s50['m_table'] * reduced:.3g} "
            f"GeV; caption's convention: {s50['m_caption'] * gev:.3g} GeV",
            compare=Magnitude(),
        ),
        Row(
            "(2.11) m drops by less than an order of magnitude when Λ_obs is Λ10 (Nmax = 65) "
            "instead of Λ50 (Nmax = 202)",
            True,
            bool(0.1 < ratio < 1.0),
            f"m(Λ10)/m(Λ50) = {ratio:.4g} (table's convention; caption's: "
            f"{s10['m_caption'] / s50['m_caption']:.4g})",
            compare=Same(),
        ),
    ]


@register("rku-table2", source=f"{SOURCE}, Table 2 and eqs. (2.3), (2.6)-(2.8), (2.11)")
def rku_table2(out_dir: Path, *, full: bool) -> Report:
    """Table 2: recompute every column, find the conventions, classify the points."""
    rows: list[Row] = []
    data = []
    for row in table2_points():
        N, a, beta, x = row["Nmax"], row["a"], row["beta"], row["x_from_C"]
        tag = f"Nmax={N}"
        conv = table2_conventions(row)
        rows += [
            Row(
                f"{tag}: β = Nmax/(Nmax-1)",
                row["beta_p"],
                beta,
                "smallest β, §2",
                compare=Printed(),
            ),
            Row(
                f"{tag}: x (from Ĉ by (2.6))",
                row["x_p"],
                x,
                "x solving (2.6) for the printed Ĉ",
                compare=Printed(),
            ),
            Row(f"{tag}: t = x/a", row["t_p"], x / a, "a = 2π/Nmax", compare=Printed()),
            Row(
                f"{tag}: z from (2.3)",
                row["z_p"],
                1.0 / F.inverse_z(x, beta, row["C_p"]),
                "(2.3) at (x, Ĉ)",
                compare=Printed(),
            ),
            Row(
                f"{tag}: |W0| with the caption's ξ = 1e-3, |A| = 1",
                row["W_p"],
                abs(conv["W0_caption"]),
                "Ĉ of (2.2) with ξ = 1e-3: the printed |W0| is NOT reproduced",
                compare=Printed(),
            ),
            Row(
                f"{tag}: |A|/ξ implied by the printed |W0|",
                None,
                _fmt(conv["A_over_xi"]),
                f"= a^(-3/2) = {conv['a_m32']:.4g} to {abs(conv['A_over_xi'] / conv['a_m32'] - 1):.1%}: "
                "the |W0| column is 32√2Ĉ/(3a³): Ĉ with a³ in place of a^(3/2) and ξ = |A|, or "
                "ξ = |A| a^(3/2)",
            ),
            Row(
                f"{tag}: |A| implied by |W0| and Λ = 1e-122 via (2.8)",
                1.0,
                _fmt(conv["A"], 4),
                "solving |W0| (Ĉ of (2.2)) and (2.8)'s first form = 1e-122 for (|A|, ξ)",
                compare=Printed(),
            ),
            Row(
                f"{tag}: ξ implied by |W0| and Λ = 1e-122",
                1e-3,
                _fmt(conv["xi"], 4),
                f"= a^(3/2) = {conv['a_32']:.4g} to {abs(conv['xi'] / conv['a_32'] - 1):.1%}; the caption "
                "says ξ ≃ 1e-3",
                compare=Magnitude(),
            ),
            Row(
                f"{tag}: Λ by (2.8) with the caption's ξ = 1e-3, |A| = 1",
                LAMBDA_TABLE2,
                _fmt(conv["Lambda_caption"]),
                "the caption's convention gives neither 1e-122 nor Table 1's Λ10/Λ50",
                compare=Printed(),
            ),
            Row(
                f"{tag}: Λ = 3ξW0²/(4(2t)^(9/2)) with printed |W0|, t, ξ = 1e-3",
                LAMBDA_TABLE2,
                _fmt(conv["Lambda_28b_printed"]),
                "(2.8)'s second form on the printed columns",
                compare=Printed(),
            ),
        ]
        entry = dict(row=row, conventions=conv, full_model={})
        for label, xi in (("caption ξ=1e-3", 1e-3), ("table ξ=a^3/2", a**1.5)):
            res = table2_point_in_full_model(row, xi)
            entry["full_model"][label] = res
            vac, st = res["vacuum"], res["nearest_stable"]
            rows.append(
                Row(
                    f"{tag}: Table 2 point in the full model ({label}): type, sign of V",
                    ["minimum", "dS"],
                    [vac["type"], vac["vacuum"]],
                    f"t = {vac['t']:.6g}, V = {vac['V']:.4g}, m_t² = {vac['m2_t']:.3g}, m_τ² = {vac['m2_tau']:.3g}: "
                    "exact critical point (Newton from the printed t; W0 = +|W0| from Ĉ, A = -1, "
                    "B = A/z), canonical masses",
                    compare=Same(),
                )
            )
            if st is not None:
                rows.append(
                    Row(
                        f"{tag}: Ĉ at the centre of the exact stable window at that x ({label})",
                        row["C_p"],
                        st["C_hat"],
                        f"window Ĉ ∈ [{st['C_window'][0]:.4g}, {st['C_window'][1]:.4g}]; there "
                        f"Λ = {st['V']:.4g}, m_t² = {st['m2_t']:.3g}, m_τ² = {st['m2_tau']:.3g}, "
                        f"{st['type']}. The printed Ĉ is (2.6)'s leading order",
                        compare=Printed(order=c26_order(x, beta), term="(2β+7/2)/(βx) of (2.6)"),
                    )
                )
            if label.startswith("table"):  # the convention that reproduces the table
                certs = certify_table2_point(row, res)
                entry["certified"] = {k: c.to_dict() for k, c in certs.items()}
                rows += certified_rows(tag, vac, st, certs)
        data.append(entry)
    scale = electroweak_scale(table2_points())
    rows += electroweak_rows(scale)
    notes = (
        "How the conventions were found: every column is recomputed from the printed Ĉ "
        "alone. (2.6) inverted gives x (to ~1e-4, far sharper than the printed 3 digits); "
        "t = x/a and z from (2.3) then match the printed t and z. The |W0| column cannot "
        "come from Ĉ of (2.2) with ξ = 1e-3 and |A| = 1 (that gives ~30x and ~5x larger "
        "values); the ratio |A|/ξ it implies is a^(-3/2) in both rows (33.3 and 181), i.e. "
        "the column is 32√2 Ĉ/(3a³). Requiring in addition that (2.8) gives Λ = 1e-122 at "
        "that x (the caption's target) fixes |A| = 1.00 and ξ = a^(3/2) (0.030 and 0.0055) in "
        "both rows — the one convention that reproduces all of Table 2, and it is not the "
        "caption's ξ ≃ 1e-3: the table was computed as if Ĉ = -3a³W0ξ/(32√2A) with "
        "|A| = ξ = 1 (equivalently the printed formulas with ξ = a^(3/2)). The Λ target is 1.00e-122 in both rows, not Table 1's "
        "Λ10 = 2.63e-123 (Nmax = 65) or Λ50 = 1.62e-122 (Nmax = 202).\n\n"
        "Classification: the Table 2 points are (2.6)'s leading-order points, which lie just "
        "below the exact stability window (`rku-formulas`): in the full potential, under "
        "either convention, they are saddles with a tachyonic axion (m_τ² < 0). A stable "
        "vacuum exists at the same x for Ĉ about 3% larger, with Λ within a few % of the "
        "table's estimate.\n\n"
        "Proved (rows 'interval proof', verdict *proved*/*unproved*): in the table's convention "
        "(ξ = a^(3/2)), `jaxvac.certify` evaluates the model's ∇V and Hessian in Arb ball "
        "arithmetic and proves, for each row, that the box holds exactly one critical point "
        "(Krawczyk), its Hessian inertia over the enclosure (hence the signs of the canonical "
        "masses², Sylvester), ∂²V/∂τ² < 0 where listed, V > 0 and F-terms ≠ 0 (non-SUSY). The "
        "proof is about the model at the float64 parameters used here (their exact binary "
        "values), not about the printed 3-digit Ĉ. The other rows remain float64/N-digit "
        "evidence. See docs/certify.md."
    )
    return Report(
        "rku-table2",
        f"{SOURCE}, Table 2",
        rows,
        title="RKU Table 2: columns, conventions, and the points in the full potential",
        notes=notes,
        data={"rows": data, "electroweak_scale": {str(k): v for k, v in scale.items()}},
    )


# ======================================================================================
# rku-table1: Table 1, (2.9) and (2.10)
# ======================================================================================


def _linear_fit(xs, ys):
    slope, intercept = np.polyfit(np.asarray(xs, float), np.asarray(ys, float), 1)
    return float(slope), float(intercept)


def _fit_rounding(Nmax) -> float:
    """Decades by which the rounding of (2.10)'s printed coefficients (two decimals each:
    ±0.005 + ±0.005 Nmax) moves log10 Λ_q."""
    return 0.005 * (1 + Nmax)


@register("rku-table1", source=f"{SOURCE}, Table 1 and eqs. (2.9)-(2.10)")
def rku_table1(out_dir: Path, *, full: bool) -> Report:
    """Table 1 from (2.10) and from (2.9) properly normalised; does (2.10) follow from (2.9)?"""
    tables = load_tables()
    c10, c50 = tables["eq_2_10"]["log10_Lambda10"], tables["eq_2_10"]["log10_Lambda50"]
    rows: list[Row] = []
    data: dict[str, Any] = {"per_nmax": []}
    for Nmax, L10_s, L50_s, mean_s in tables["table1"]["rows"]:
        beta = float(F.beta_of_nmax(Nmax))
        lg10, lg50, mean = log10_of(L10_s), log10_of(L50_s), float(mean_s)
        q10, q50 = F.quantiles_210(Nmax)
        rows += [
            Row(
                f"Nmax={Nmax}: Λ10 from the fit (2.10) (log10 compared)",
                L10_s,
                q10,
                "10^(1.57 - 1.91 Nmax)",
                compare=Printed(
                    log10=True, order=_fit_rounding(Nmax), term="rounding of (2.10)'s coefficients"
                ),
            ),
            Row(
                f"Nmax={Nmax}: Λ50 from the fit (2.10) (log10 compared)",
                L50_s,
                q50,
                "10^(-2.61 - 0.59 Nmax)",
                compare=Printed(
                    log10=True, order=_fit_rounding(Nmax), term="rounding of (2.10)'s coefficients"
                ),
            ),
        ]
        d = F.Distribution29(beta)  # cut-off from the printed normalisation
        l10, l50, m = d.log10_quantile(0.1), d.log10_quantile(0.5), d.mean()
        rows += [
            Row(
                f"Nmax={Nmax}: Λ10 from (2.9), normalised (log10 compared)",
                L10_s,
                l10,
                f"(2.9) with its printed prefactor is a probability density on (0, Λc] with "
                f"log10 Λc = {d.log10_cutoff:.2f} (∫P = 1 fixes Λc)",
                compare=Printed(log10=True),
            ),
            Row(
                f"Nmax={Nmax}: Λ50 from (2.9), normalised (log10 compared)",
                L50_s,
                l50,
                "same distribution",
                compare=Printed(log10=True),
            ),
            Row(
                f"Nmax={Nmax}: ⟨Λ⟩ from (2.9), normalised (log10 compared)",
                mean_s,
                math.log10(m),
                "same distribution",
                compare=Printed(log10=True),
            ),
        ]
        # cut-offs that would reproduce each number separately
        need = {}
        for name, target, fn in (
            ("Lambda10", lg10, lambda dd: dd.log10_quantile(0.1)),
            ("Lambda50", lg50, lambda dd: dd.log10_quantile(0.5)),
            ("mean", math.log10(mean), lambda dd: math.log10(dd.mean())),
        ):
            lo, hi = -200.0, -0.05
            f_lo = fn(F.Distribution29(beta, cutoff=10**lo)) - target
            f_hi = fn(F.Distribution29(beta, cutoff=10**hi)) - target
            if f_lo * f_hi > 0:
                need[name] = None  # no cut-off reproduces it
                continue
            for _ in range(60):
                mid = 0.5 * (lo + hi)
                f_mid = fn(F.Distribution29(beta, cutoff=10**mid)) - target
                if f_mid * f_lo > 0:
                    lo, f_lo = mid, f_mid
                else:
                    hi = mid
            need[name] = 0.5 * (lo + hi)
        data["per_nmax"].append(
            dict(
                Nmax=Nmax,
                log10_cutoff_normalised=d.log10_cutoff,
                quantiles_29=(l10, l50),
                mean_29=m,
                log10_cutoff_needed=need,
            )
        )
        txt = ", ".join(f"{k}: {'none' if v is None else f'{v:.1f}'}" for k, v in need.items())
        distinct = len({None if v is None else round(v) for v in need.values()})
        rows.append(
            Row(
                f"Nmax={Nmax}: number of distinct cut-offs Λc (to a decade) reproducing Λ10, Λ50, "
                "⟨Λ⟩ (one table implies one)",
                None,
                distinct,
                f"log10 Λc that reproduces each printed number on its own, with (2.9) "
                f"normalised on (0, Λc]: {txt}",
                compare=Same(),
                reference=1,
            )
        )
    # does (2.10) follow from (2.9)?  quantiles of the normalised (2.9) against Nmax
    ns = list(range(20, 320, 20)) if full else [20, 65, 120, 202, 300]
    q = [
        (
            F.Distribution29(float(F.beta_of_nmax(n))).log10_quantile(0.1),
            F.Distribution29(float(F.beta_of_nmax(n))).log10_quantile(0.5),
        )
        for n in ns
    ]
    s10, i10 = _linear_fit(ns, [v[0] for v in q])
    s50, i50 = _linear_fit(ns, [v[1] for v in q])
    # log-log slope: log10 Λ_q ∝ Nmax^k
    k50 = float(np.polyfit(np.log(ns), np.log(-np.array([v[1] for v in q])), 1)[0])
    rows += [
        Row(
            "(2.10) slope of log10 Λ10 in Nmax, from normalised (2.9)",
            c10[1],
            s10,
            f"linear fit over Nmax = {ns[0]}..{ns[-1]}",
            compare=Printed(),
        ),
        Row(
            "(2.10) slope of log10 Λ50 in Nmax, from normalised (2.9)",
            c50[1],
            s50,
            "same",
            compare=Printed(),
        ),
        Row(
            "growth of -log10 Λ50 with Nmax (power of Nmax; (2.10) is linear: 1)",
            None,
            k50,
            "(2.10) is linear in Nmax; normalised (2.9) gives Nmax^(2/3) (its normalisation "
            "∝ Nmax fixes -ln Λc ∝ Nmax^(2/3))",
            reference=1.0,
            compare=Exact(0.05, "a log-log fit over a finite Nmax range"),
        ),
    ]
    # what (2.10) is close to: the pure power law Λ^{-(β+1)/(2β)} on (0, 1]
    rows += [
        Row(
            "Λ50 slope of the pure power law Λ^(-(β+1)/(2β)) on (0,1]",
            c50[1],
            -2 * math.log10(2),
            "CDF = Λ^(1/(2Nmax)): log10 Λ_q = 2 Nmax log10 q (the (-ln Λ)^(-5/2) factor dropped)",
            compare=Printed(),
        ),
        Row("Λ10 slope of the pure power law on (0,1]", c10[1], -2.0, "same", compare=Printed()),
    ]
    data.update(nmax=ns, quantiles_29=q, fit10=(s10, i10), fit50=(s50, i50), k50=k50)
    notes = (
        "Table 1's Λ10 and Λ50 are (2.10) evaluated at Nmax = 65, 202 (they agree to the "
        "printed digits), so they test nothing beyond (2.10). (2.9) is only an asymptotic "
        "form: (-ln Λ)^(-5/2) is not integrable at Λ → 1, so a normalised distribution needs "
        "an upper cut-off Λc. With the printed prefactor, ∫_0^Λc P = 1 fixes Λc "
        "(10^-20.5 for Nmax = 65); the resulting Λ10, Λ50, ⟨Λ⟩ are far from Table 1. No "
        "single Λc reproduces Table 1's three numbers for either Nmax (the cut-off each "
        "number needs on its own is listed), and the ratio log Λ10/log Λ50 of (2.9) never "
        "exceeds 5^(2/3) ≈ 2.92 while Table 1 needs 2.99 and 3.16. (2.10) does not follow "
        "from (2.9): normalised (2.9) gives -log10 Λ_q ∝ Nmax^(2/3), not linear in Nmax. "
        "(2.10)'s slopes are close (2-5%) to those of the pure power law Λ^(-(β+1)/(2β)) "
        "normalised on (0, 1] without the logarithm: log10 Λ50 = -0.602 Nmax, "
        "log10 Λ10 = -2 Nmax — a plausible origin, not stated in the paper."
    )
    return Report(
        "rku-table1",
        f"{SOURCE}, Table 1 and eqs. (2.9)-(2.10)",
        rows,
        title="RKU Table 1 and the distribution of Λ (2.9)-(2.10)",
        notes=notes,
        data=data,
    )
