"""Seed 001 outside section 4: what its string-theory sections and appendices print that can
be checked without worldsheet amplitudes. Target ``dps-strings``.

- (2): the q-expansions of the SO(8) characters, from their definitions as theta functions;
  the abstruse identity V8 = S8; (128): V8/η⁸ = θ2⁴/(2η¹²) = 8Σd_k q^k.
- (8): the tadpole identity of the type I Möbius amplitude; (41): the projector identities
  of (38) and the vanishing of the Möbius amplitude (37)/(44) for N1 = N2.
- (131)-(132): the Bessel integral and the asymptotics of 𝓗_λ (App. A).
- (147): Euler's integral; (185)-(202): the volume, Re T_i and K_tree from the geometry, and
  (188), the Euler number from the printed Hodge numbers (App. C).

Series are exact integer arithmetic (Python ints and Fractions); integrals are mpmath.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import defaultdict
from fractions import Fraction
from pathlib import Path
from typing import Any

import mpmath as mp

from ._framework import Exact, Formula, Report, Row, Same, register

SOURCE = "seed 001 (001_faca987a686c96b8.txt)"

Series = dict[Fraction, int]  # exponent of q → coefficient


def _mul(a: Series, b: Series, top: Fraction) -> Series:
    out: defaultdict[Fraction, int] = defaultdict(int)
    for ea, ca in a.items():
        for eb, cb in b.items():
            if ea + eb <= top:
                out[ea + eb] += ca * cb
    return {e: c for e, c in out.items() if c}


def _pow(a: Series, k: int, top: Fraction) -> Series:
    out: Series = {Fraction(0): 1}
    for _ in range(k):
        out = _mul(out, a, top)
    return out


def _add(a: Series, b: Series, sign: int = 1) -> Series:
    out: defaultdict[Fraction, int] = defaultdict(int, a)
    for e, c in b.items():
        out[e] += sign * c
    return {e: c for e, c in out.items() if c}


def theta_series(top: int) -> dict[str, Series]:
    """ϑ2, ϑ3, ϑ4 at z = 0 as q-series, q = e^{2πiτ} (ϑ3 = Σq^{n²/2}, ϑ4 = Σ(−1)ⁿq^{n²/2},
    ϑ2 = Σq^{(n+½)²/2}: the normalisation of (2), (162)); ϑ1(0) = 0. Exponents ≤ top."""
    th2: defaultdict[Fraction, int] = defaultdict(int)
    th3: defaultdict[Fraction, int] = defaultdict(int)
    th4: defaultdict[Fraction, int] = defaultdict(int)
    n_max = math.isqrt(2 * top) + 2
    for n in range(-n_max, n_max + 1):
        e = Fraction(n * n, 2)
        if e <= top:
            th3[e] += 1
            th4[e] += 1 if n % 2 == 0 else -1
        e2 = Fraction((2 * n + 1) ** 2, 8)
        if e2 <= top:
            th2[e2] += 1
    return {"2": dict(th2), "3": dict(th3), "4": dict(th4)}


def inverse_eta_power(k: int, top: int) -> tuple[Fraction, Series]:
    """η^{−k} = q^{−k/24} Π(1 − qⁿ)^{−k}: the prefactor's exponent and the series."""
    out: Series = {Fraction(0): 1}
    for n in range(1, top + 1):
        geometric = {Fraction(n * m): 1 for m in range(top // n + 1)}
        for _ in range(k):
            out = _mul(out, geometric, Fraction(top))
    return Fraction(-k, 24), out


def characters(top: int = 4, eta_power: int = 4) -> dict[str, tuple[Fraction, list[int]]]:
    """O8, V8, S8, C8 of (2) divided by η^{eta_power} (4: the definitions of (2); 12: the
    characters over η⁸, as in (128)), each as (leading exponent of q, coefficients of
    q^lead, q^{lead+1}, …) up to ``top`` integer steps."""
    span = Fraction(top + 2)
    th = theta_series(top + 2)
    t2, t3, t4 = (_pow(th[k], 4, span) for k in ("2", "3", "4"))
    pref, ie = inverse_eta_power(eta_power, top + 2)
    num = {
        "O8": _add(t3, t4),
        "V8": _add(t3, t4, -1),
        "S8": t2,  # + ϑ1⁴ = 0
        "C8": t2,  # − ϑ1⁴ = 0
    }
    out = {}
    for name, n in num.items():
        s = _mul(n, ie, span)
        lead = min(s)
        coeffs = []
        for k in range(top):
            c = s.get(lead + k, 0)
            if c % 2:
                raise ArithmeticError(f"{name}: odd coefficient before the 1/2")
            coeffs.append(c // 2)
        out[name] = (pref + lead, coeffs)
    return out


def _h(lam: int, z):
    """𝓗_λ(z) of (131): ∫ = Γ(λ)𝓗_λ(√(cb))/b^λ ⇔ 𝓗_λ(z) = 2z^λK_λ(2z)/Γ(λ)."""
    return 2 * z**lam * mp.besselk(lam, 2 * z) / mp.gamma(lam)


def bessel_integral_131(lam: int, b: float, c: float) -> tuple[float, float]:
    """(131): ∫₀^∞ dτ τ^{−1−λ} e^{−cτ−b/τ} by quadrature, and the printed
    2(cb)^{λ/2}K_λ(2√(cb))/b^λ."""
    with mp.workdps(30):
        # mp.quad returns an mpf (a tuple only with error=True, which its stubs cannot tell)
        lhs: Any = mp.quad(lambda t: t ** (-1 - lam) * mp.exp(-c * t - b / t), [0, 1, 10, mp.inf])
        rhs = 2 * (c * b) ** (mp.mpf(lam) / 2) * mp.besselk(lam, 2 * mp.sqrt(c * b)) / b**lam
        return float(lhs), float(rhs)


PRINTED_2 = {  # (2): O8 = q^{-1/2}(1 + 28q + 134q² + 568q³ + …), V8 = S8 = C8 = 8 + 56q + …
    "O8": ("-1/2", [1, 28, 134, 568]),
    "V8": ("0", [8, 56, 224, 720]),
    "S8": ("0", [8, 56, 224, 720]),
    "C8": ("0", [8, 56, 224, 720]),
}


@register(
    "dps-strings",
    source=f"{SOURCE}, eqs. (2), (8), (41), (128), (131)-(132), (147), (185)-(202)",
    description="Sections 2-3 and Apps. A, C: characters (2), (128), tadpoles (8), projectors "
    "(41), the Bessel integral (131)-(132), K_tree and χ from the geometry (185)-(202).",
)
def reproduce_strings(out_dir: Path, *, full: bool = False) -> Report:
    """Seed 001's checkable statements outside section 4 (see the module docstring)."""
    rows: list[Row] = []
    chars = characters(top=4)
    for name, (lead_p, coeffs_p) in PRINTED_2.items():
        lead, coeffs = chars[name]
        definition = {
            "O8": "(ϑ3⁴ + ϑ4⁴)/(2η⁴)",
            "V8": "(ϑ3⁴ − ϑ4⁴)/(2η⁴)",
            "S8": "(ϑ2⁴ + ϑ1⁴)/(2η⁴)",
            "C8": "(ϑ2⁴ − ϑ1⁴)/(2η⁴)",
        }[name]
        rows += [
            Row(
                f"(2) {name} = {definition}: leading power of q",
                paper=lead_p,
                jaxvac=str(lead),
                compare=Same(),
                explanation="exact q-series (q = e^{2πiτ}, ϑ3 = Σq^{n²/2}); the character over "
                f"η⁸ starts at q^{lead - Fraction(1, 3)}",
            ),
            Row(
                f"(2) {name} = {definition}: the first four coefficients",
                paper=coeffs_p,
                jaxvac=coeffs,
                compare=Same(),
                explanation="exact integer series; over η⁸ they are "
                f"{characters(top=4, eta_power=12)[name][1]}",
            ),
        ]
    v8, s8 = characters(top=8)["V8"], characters(top=8)["S8"]
    rows.append(
        Row(
            "(2) abstruse identity V8 = S8 (= C8): largest coefficient difference up to q^8",
            reference=0,
            jaxvac=float(max(abs(a - b) for a, b in zip(v8[1], s8[1])) + abs(v8[0] - s8[0])),
            compare=Exact(tol=0, why="exact integer arithmetic"),
            explanation=f"V8 = q^{v8[0]}({', '.join(map(str, v8[1][:5]))}, …) in steps of q",
        )
    )
    over = characters(top=6, eta_power=12)
    lead128, coeffs128 = over["S8"]  # ϑ2⁴/(2η¹²)
    rows += [
        Row(
            "(128) V8/η⁸ = S8/η⁸ = ϑ2⁴/(2η¹²) = 8Σd_k q^k: the series starts at q^0 with 8d0 = 8",
            paper=["0", 8],
            jaxvac=[str(lead128), coeffs128[0]],
            compare=Same(),
            explanation="d_k = "
            + ", ".join(str(c // 8) for c in coeffs128)
            + " (every coefficient divisible by 8: "
            + str(all(c % 8 == 0 for c in coeffs128))
            + ")",
        ),
        Row(
            "(128) V8/η⁸ − ϑ2⁴/(2η¹²): largest coefficient difference up to q^6",
            reference=0,
            jaxvac=float(
                max(abs(a - b) for a, b in zip(over["V8"][1], coeffs128))
                + abs(over["V8"][0] - lead128)
            ),
            compare=Exact(tol=0, why="exact integer arithmetic"),
        ),
    ]
    # (8): 2⁵/2 + 2⁻⁵N²/2 + 2εN/2 = 2⁻⁵(N + 32ε)²/2 for ε = ±1
    worst = max(
        abs(
            Fraction(2**5, 2)
            + Fraction(N * N, 2**5 * 2)
            + eps * N
            - Fraction((N + 32 * eps) ** 2, 2**5 * 2)
        )
        for eps in (-1, 1)
        for N in range(0, 65)
    )
    rows.append(
        Row(
            "(8) 2⁵/2 + 2⁻⁵N²/2 + 2εN/2 − 2⁻⁵(N + 32ε)²/2, largest over ε = ±1, N = 0..64",
            reference=0,
            jaxvac=float(worst),
            compare=Exact(tol=0, why="exact rational arithmetic"),
            explanation="an identity for ε² = 1; its zero is N = −32ε: (10), N = 32 with ε = −1",
        )
    )
    # (38) → (41), and the Möbius amplitude of (37) (and (44)) for N1 = N2
    pr = {}
    for m8 in (0, 1):
        for m9 in (0, 1):
            s8, s9, s89 = (-1) ** m8, (-1) ** m9, (-1) ** (m8 + m9)
            usp_ns = 1 - s9 - s8 - s89
            so_ns = -1 + s8 - s9 - s89
            pr[m8, m9] = dict(usp_ns=usp_ns, usp_rr=s8 * usp_ns, so_ns=so_ns, so_rr=s8 * so_ns)
    rows.append(
        Row(
            "(41) Π_RR^USp = Π_NSNS^SO and Π_RR^SO = Π_NSNS^USp from (38), over the four parities",
            reference=0,
            jaxvac=max(
                max(abs(p["usp_rr"] - p["so_ns"]), abs(p["so_rr"] - p["usp_ns"]))
                for p in pr.values()
            ),
            compare=Exact(tol=0, why="exact integer arithmetic"),
        )
    )

    def moebius(n1: int, n2: int) -> int:  # (37) with V̂8 = Ŝ8: the bracket, over parities
        return max(
            abs(n1 * p["usp_ns"] + n2 * p["so_ns"] - n1 * p["usp_rr"] - n2 * p["so_rr"])
            for p in pr.values()
        )

    rows += [
        Row(
            "(37)/(44) Möbius projector N1Π_NSNS^USp + N2Π_NSNS^SO − (RR) for N1 = N2 = 8 "
            "(paper: vanishes identically)",
            reference=0,
            jaxvac=moebius(8, 8),
            compare=Exact(tol=0, why="exact integer arithmetic"),
            explanation=f"for N1 = 9, N2 = 7 it is {moebius(9, 7)}: zero only for N1 = N2",
        ),
    ]
    # (131)-(132), App. A
    for lam, b, c in ((3, 0.7, 1.3), (3, 5.0, 0.2), (2, 0.05, 4.0)):
        lhs, rhs = bessel_integral_131(lam, b, c)
        rows.append(
            Row(
                f"(131) ∫dτ τ^(−1−λ)e^(−cτ−b/τ) = 2(cb)^(λ/2)K_λ(2√(cb))/b^λ, λ = {lam}, "
                f"b = {b}, c = {c}",
                reference=rhs,
                jaxvac=lhs,
                compare=Exact(tol=1e-12, why="mpmath quadrature at 30 digits"),
            )
        )
    with mp.workdps(30):
        lam = 3
        z = mp.mpf(10) ** 8
        ratio = _h(lam, z) / (mp.sqrt(mp.pi) / mp.gamma(lam) * z ** (lam - 0.5) * mp.exp(-2 * z))
        z20 = mp.mpf(20)
        r20 = _h(lam, z20) / (
            mp.sqrt(mp.pi) / mp.gamma(lam) * z20 ** (lam - 0.5) * mp.exp(-2 * z20)
        )
        rows.append(
            Row(
                "(132) 𝓗_3(z) / (√π z^(5/2)e^(−2z)/Γ(3)) at z = 1e8 (the printed ∼ as z → ∞)",
                reference=1.0,
                jaxvac=float(ratio),
                compare=Exact(
                    tol=1e-7,
                    why="a limit: K_λ's first correction (4λ²−1)/(16z) is 2.2e-8 at z = 1e8",
                ),
                explanation="𝓗_λ(z) = 2z^λK_λ(2z)/Γ(λ) from (131), mpmath at 30 digits; at "
                f"z = 20 the ratio is {float(r20):.6g} (first correction 35/320 = 0.109; the "
                "later terms of K_λ's series have the same sign)",
            )
        )
        for z in (0.05, 0.01):
            exact = _h(lam, mp.mpf(z))
            small = 1 - mp.mpf(z) ** 2 / (lam - 1)
            rows.append(
                Row(
                    f"(132) 𝓗_3(z) = 1 − z²/(λ−1) + O(z⁴) at z = {z:g}",
                    reference=float(small),
                    jaxvac=float(exact),
                    compare=Formula(order=z**4, term="z⁴"),
                )
            )
    # (147): Euler's integral, used in (148)
    with mp.workdps(30):
        for s_, lam_ in ((3, 2.5), (1.5, 0.3)):
            integral = mp.mpf(mp.quad(lambda t: t ** (s_ - 1) * mp.exp(-lam_ * t), [0, 1, mp.inf]))
            rows.append(
                Row(
                    f"(147) ∫t^(s−1)e^(−λt)dt = Γ(s)/λ^s, s = {s_:g}, λ = {lam_:g}",
                    reference=float(mp.gamma(s_) / mp.mpf(lam_) ** s_),
                    jaxvac=float(integral),
                    compare=Exact(tol=1e-12, why="mpmath quadrature at 30 digits"),
                )
            )
    # App. C: the Kähler moduli and K_tree from the geometry, at random moduli
    rng = random.Random(188)
    worst = {"185": 0.0, "198": 0.0, "201": 0.0, "202": 0.0}
    shifts = []
    for _ in range(5):
        phi = rng.uniform(-3.0, 1.0)
        tp = [rng.uniform(0.5, 20.0) for _ in range(3)]  # t′_i = √det g_(i), (176)
        kappa = {p: 1 for p in itertools.permutations(range(3))}  # (187)
        vol = (
            sum(
                kappa.get((i, j, k), 0) * tp[i] * tp[j] * tp[k]
                for i in range(3)
                for j in range(3)
                for k in range(3)
            )
            / 6
        )  # (185)
        re_t = [
            0.5
            * math.exp(-phi)
            * sum(kappa.get((i, j, k), 0) * tp[j] * tp[k] for j in range(3) for k in range(3))
            for i in range(3)
        ]  # (198)
        re_t_200 = [math.exp(-phi) * tp[(i + 1) % 3] * tp[(i + 2) % 3] for i in range(3)]
        vol_201 = math.exp(1.5 * phi) * math.sqrt(re_t[0] * re_t[1] * re_t[2])
        k_199 = -2 * math.log(math.exp(-1.5 * phi) * vol)  # K_kah of (199)
        k_202 = -sum(math.log(2 * r) for r in re_t)  # −Σ log(T_i + T̄_i) of (202)
        worst["185"] = max(worst["185"], abs(vol / (tp[0] * tp[1] * tp[2]) - 1))
        worst["198"] = max(worst["198"], max(abs(a / b - 1) for a, b in zip(re_t, re_t_200)))
        worst["201"] = max(worst["201"], abs(vol_201 / vol - 1))
        shifts.append(k_199 - k_202)
    for quantity, key, why in (
        ("(185)-(187) 𝒱 = κ_ijk t′_i t′_j t′_k/6 with κ of (187) is t′1 t′2 t′3", "185", ""),
        (
            "(198) Re T_i = ½e^(−φ)κ_ijk t′_j t′_k equals (200) e^(−φ)(det g_j det g_k)^(1/2)",
            "198",
            "t′_i = √det g_(i) (176)",
        ),
        ("(201) 𝒱 = e^(3φ/2)√(Re T1 Re T2 Re T3), with Re T_i of (198)", "201", ""),
    ):
        rows.append(
            Row(
                quantity,
                reference=0.0,
                jaxvac=worst[key],
                compare=Exact(tol=1e-14, why="float64 rounding"),
                explanation=(why + "; " if why else "")
                + "largest relative difference over 5 random points",
            )
        )
    rows += [
        Row(
            "(199) → (202): K_kah = −2 log(e^(−3φ/2)𝒱) minus −Σ log(T_i + T̄_i), spread over 5 "
            "random points (a constant is a Kähler transformation)",
            reference=0.0,
            jaxvac=max(shifts) - min(shifts),
            compare=Exact(tol=1e-12, why="float64 rounding of logarithms"),
            explanation=f"the difference is the constant {shifts[0]:.15g} = 3 log 2 "
            f"({3 * math.log(2):.15g}): (202)'s T_i + T̄_i = 2 Re T_i",
        ),
    ]
    # (188), App. C
    h11, h21 = 3 + 48, 3
    rows.append(
        Row(
            "(188) χ = 2(h^{1,1} − h^{2,1}) with the printed h^{1,1} = 3 + 48 (untwisted + "
            "twisted), h^{2,1} = 3",
            paper=96,
            jaxvac=2 * (h11 - h21),
            compare=Same(),
        )
    )
    notes = (
        "(2): the coefficients of O8 are right, but its prefactor is q^(−1/6), not q^(−1/2) "
        "(q^(−1/2) is that of O8/η⁸, whose coefficients are 1, 36, 402, 3064); V8 = S8 = C8 = "
        "q^(1/3)(8 + 64q + 288q² + 1024q³ + …), not 8 + 56q + 224q² + 720q³ (56 counts only the "
        "three-fermion states of the first level, C(8,3); the eight ψ_(−3/2) are missing). Over "
        "η⁸: 8 + 128q + 1152q² + 7680q³ (the familiar level degeneracies). (128) is consistent "
        "with this.\n\n"
        "Everything else in sections 2-3 is worldsheet amplitudes, which jaxvac does not "
        "compute (see `dps_summary.md` for the status of every equation)."
    )
    return Report(
        "dps-strings",
        f"{SOURCE}, eqs. (2), (8), (41), (128), (131)-(132), (147), (185)-(202)",
        rows,
        title="Seed 001 outside section 4: characters, tadpoles, projectors, Bessel integral, χ",
        notes=notes,
        data={
            "characters_over_eta4": {k: [str(v[0]), v[1]] for k, v in characters(6).items()},
            "characters_over_eta12": {
                k: [str(v[0]), v[1]] for k, v in characters(6, eta_power=12).items()
            },
        },
    )
