"""The one-loop Scherk–Schwarz coefficients λ of seed 001, from their formulas.

Conventions of the paper: V_1-loop = −M_s⁴ λ_{s,2LED} 𝓔₃(U₃)/(Im T₃′)² (45)/(140) with
radii in units of √α′ (Appendix A, after R₉ → 2R₉), V_1-loop = −M_s⁴ λ_{s,1LED}/
(R₉ sin ω₈₉)⁴ (47)/(153) for R₉ ≫ R₈, λ^{ℓ_s} = λ/(2π)⁴ for radii in units of
ℓ_s = 2π√α′ (57), and λ_pl = (4π)² λ^{ℓ_s}_{s,2LED} in V_ss = −λ_pl 𝓔₃(iU₃)/(t₁²t₂²) (71).

Each function returns a float and cites its equation; ``n_bf`` is n_b⁰ − n_f⁰ (16 for
the T⁶/Z₂′×Z₂′ orientifold of the paper, below (140)). Where the paper's printed
formula or number differs from what its own definitions give, both are here: the
``*_printed`` functions evaluate the formula as printed (``docs/special.md``).
"""

from __future__ import annotations

import math

#: n_b⁰ − n_f⁰ = 2 + 2(h^{2,1} + h^{1,1}) + 2 = 16 (text below (140)).
N_BF = 16

_ZETA5 = 1.0369277551433699263313654864570341680570809195019  # ζ(5)

#: lim_{Im U → ∞} (Im U)² 𝓔₃(U) = 3π λ(5)/4 = 93 π ζ(5)/128 (the correct (152)).
E3_ASYMPTOTIC = 93.0 * math.pi * _ZETA5 / 128.0

#: The same limit as printed in (152): 3π²/(32 Γ(3)) · 31 ζ(5)/16 (π/8 times too small).
E3_ASYMPTOTIC_PRINTED = 3.0 * math.pi**2 / (32.0 * 2.0) * 31.0 * _ZETA5 / 16.0


def lambda_2led(n_bf: float = N_BF) -> float:
    """λ_{s,2LED} = (n_b⁰ − n_f⁰)/(2³π⁷), eq. (45) (= the prefactor 16/(2³π⁷) of (140))."""
    return n_bf / (2**3 * math.pi**7)


def casimir_prefactor_134() -> float:
    """The coefficient of 𝓔₃(U₃)/(Im T₃′)² in −V_1-loop/M_s⁴ derived from (110) and the
    massless (k = k̄ = 0, d₀ = 1, 𝓜 = 0, 𝓗₃(0) = 1) term of the degenerate orbit (134),
    after the rescaling R₉ → 2R₉ of (140), i.e. U₃ → 2U₃ and Im T₃′ → 2 Im T₃′.

    (134): 𝒯 ⊃ 16 · 4³Γ(3)/π³ · Σ_{p,q} (Im U)³/((Im T′)² |2p + (2q+1)U|⁶); after the
    rescaling Σ_{p,q} (2 Im U)³/|2p + (2q+1)2U|⁶ = 𝓔₃(U)/8 and (Im T′)² → 4(Im T′)²;
    (110): V = −M_s⁴ 𝒯 /(2(2π)⁴).
    """
    t_deg = 16.0 * 4.0**3 * math.gamma(3) / math.pi**3
    return t_deg / 8.0 / 4.0 / (2.0 * (2.0 * math.pi) ** 4)


def lambda_1led(n_bf: float = N_BF) -> float:
    """λ_{s,1LED} implied by (45) and the exact large-Im U₃ limit of 𝓔₃.

    With Im T₃′ Im U₃ = (R₉ sin ω₈₉)² ((116a), (116b)), (140) at Im U₃ → ∞ is
    −M_s⁴ λ_{s,2LED} (3πλ(5)/4)/(R₉ sin ω₈₉)⁴ (cf. (152)-(153)), so
    λ_{s,1LED} = λ_{s,2LED} · 93πζ(5)/128 = (n_b⁰ − n_f⁰) · 93 ζ(5)/(2¹⁰ π⁶).
    """
    return lambda_2led(n_bf) * E3_ASYMPTOTIC


def lambda_1led_printed(n_bf: float = N_BF) -> float:
    """λ_{s,1LED} as printed in (47): 93 ζ(5)/(2048 π⁵) · (n_b⁰ − n_f⁰)."""
    return 93.0 * _ZETA5 / (2048.0 * math.pi**5) * n_bf


def coefficient_153_printed() -> float:
    """The coefficient of −M_s⁴/(R₉ sin ω₈₉)⁴ printed in (153): 93 ζ(5)/(32 π⁵)."""
    return 93.0 * _ZETA5 / (32.0 * math.pi**5)


def lambda_string_units(lam: float) -> float:
    """λ^{ℓ_s} = λ/(2π)⁴, eq. (57): radii in units of ℓ_s = 2π√α′ instead of √α′."""
    return lam / (2.0 * math.pi) ** 4


def lambda_planck(n_bf: float = N_BF) -> float:
    """λ_pl = (4π)² λ^{ℓ_s}_{s,2LED}, eq. (71); = λ_{s,2LED}/π² = 2/π⁹ for n_bf = 16."""
    return (4.0 * math.pi) ** 2 * lambda_string_units(lambda_2led(n_bf))
