"""Textbook one- and two-modulus models from the moduli-stabilisation literature.

Conventions: T = t + iτ with t = Re T the saxion; K and W exactly as in the cited
papers. All of them declare their no-scale logarithms (``kahler_logs``), so their
potentials keep full float64 precision near the no-scale cancellation.
"""

from __future__ import annotations

import math
from typing import ClassVar

import jax.numpy as jnp

from .._model import SupergravityModel


def _require(cond: bool, model: str, name: str, allowed: str, value) -> None:
    if not cond:
        raise ValueError(f"{model}: parameter {name!r} must be {allowed} (got {value!r}).")


def _concrete(x) -> bool:
    import jax.core

    return not isinstance(x, jax.core.Tracer)


class NoScale(SupergravityModel):
    """No-scale supergravity: K = -3 log(T + T̄), W = W0.

    V ≡ 0 identically (Cremmer, Ferrara, Kounnas, Nanopoulos, Phys. Lett. B 133 (1983) 61).
    """

    moduli: ClassVar[tuple[str, ...]] = ("T",)
    saxions: ClassVar[tuple[str, ...]] = ("T",)
    W0: float = 1.0

    def kahler_logs(self):
        return {"T": 3.0}

    def kahler_remainder(self, z, zbar):
        return jnp.zeros((), dtype=jnp.float64)

    def superpotential(self, z):
        return self.W0 + 0.0 * z[0]


class KKLT(SupergravityModel):
    """KKLT: K = -3 log(T + T̄), W = W0 + A e^{-aT}.

    Kachru, Kallosh, Linde, Trivedi, Phys. Rev. D 68 (2003) 046005, eqs. (12)-(15);
    supersymmetric AdS minimum where D_T W = 0.
    """

    moduli: ClassVar[tuple[str, ...]] = ("T",)
    saxions: ClassVar[tuple[str, ...]] = ("T",)
    W0: float = -1e-4
    A: float = 1.0
    a: float = 0.1

    def __check_init__(self):
        if _concrete(self.a):
            _require(float(self.a) > 0, "KKLT", "a", "> 0", self.a)

    def kahler_logs(self):
        return {"T": 3.0}

    def kahler_remainder(self, z, zbar):
        return jnp.zeros((), dtype=jnp.float64)

    def superpotential(self, z):
        return self.W0 + self.A * jnp.exp(-self.a * z[0])

    def periods(self):
        return {"T": 2 * jnp.pi / self.a}


class KahlerUplift(SupergravityModel):
    """Kähler uplift with one modulus: K = -2 log((T + T̄)^{3/2} + ξ/2), W = W0 + A e^{-aT}.

    Balasubramanian, Berglund, JHEP 0411 (2004) 085; Westphal, JCAP 0703 (2007) 014;
    Rummel, Westphal, JHEP 1201 (2012) 020. K = -3 log(T+T̄) - 2 log(1 + ξ/(2(T+T̄)^{3/2})).
    """

    moduli: ClassVar[tuple[str, ...]] = ("T",)
    saxions: ClassVar[tuple[str, ...]] = ("T",)
    W0: float = -1e-3
    A: float = 1.0
    a: float = 0.1
    xi: float = 1e-3

    def __check_init__(self):
        if _concrete(self.a):
            _require(float(self.a) > 0, "KahlerUplift", "a", "> 0", self.a)
        if _concrete(self.xi):
            _require(float(self.xi) >= 0, "KahlerUplift", "xi", ">= 0", self.xi)

    def kahler_logs(self):
        return {"T": 3.0}

    def kahler_remainder(self, z, zbar):
        return -2.0 * jnp.log1p(0.5 * self.xi * (z[0] + zbar[0]) ** -1.5)

    def superpotential(self, z):
        return self.W0 + self.A * jnp.exp(-self.a * z[0])

    def periods(self):
        return {"T": 2 * jnp.pi / self.a}


class Racetrack(SupergravityModel):
    """Kallosh-Linde racetrack: K = -3 log(T + T̄), W = W0 + A e^{-aT} + B e^{-bT}.

    Kallosh, Linde, JHEP 0412 (2004) 004 (hep-th/0411011). W = ∂W = 0 at one point
    (a supersymmetric Minkowski vacuum) when W0 satisfies their fine-tuning condition
    ∂_T W = 0 at σ_cr with e^{(b-a)σ_cr} = -bB/(aA), and W0 = -A e^{-aσ_cr} - B e^{-bσ_cr}.
    With the default A, B, a, b: σ_cr = 62.4095 and W0_cr = -1.98152e-4, the default W0
    (any other W0 gives a supersymmetric AdS vacuum instead).
    """

    moduli: ClassVar[tuple[str, ...]] = ("T",)
    saxions: ClassVar[tuple[str, ...]] = ("T",)
    W0: float = -0.00019815225514415195  # the fine-tuned W0_cr (mpmath, 30 digits)
    A: float = 1.0
    B: float = -1.03
    a: float = 2 * math.pi / 100
    b: float = 2 * math.pi / 99

    def __check_init__(self):
        for name in ("a", "b"):
            value = getattr(self, name)
            if _concrete(value):
                _require(float(value) > 0, "Racetrack", name, "> 0", value)

    def kahler_logs(self):
        return {"T": 3.0}

    def kahler_remainder(self, z, zbar):
        return jnp.zeros((), dtype=jnp.float64)

    def superpotential(self, z):
        return self.W0 + self.A * jnp.exp(-self.a * z[0]) + self.B * jnp.exp(-self.b * z[0])


class LVS(SupergravityModel):
    """Two-modulus large volume scenario (Swiss cheese, P^4_[1,1,1,6,9]).

    K = -2 log(τ_b^{3/2} - τ_s^{3/2} + ξ/2), τ_i = Re T_i, W = W0 + A e^{-a T_s}
    (Balasubramanian, Berglund, Conlon, Quevedo, JHEP 0503 (2005) 007, hep-th/0502058;
    normalisation of the volume as in Conlon, Quevedo, Suruliz, JHEP 0508 (2005) 007).
    """

    moduli: ClassVar[tuple[str, ...]] = ("Tb", "Ts")
    saxions: ClassVar[tuple[str, ...]] = ("Tb", "Ts")
    # Defaults in the large-volume regime (a τ_s ≈ 7, volume ~ 10³, a non-supersymmetric
    # AdS minimum; tests/test_search.py checks it against mpmath). With a = 2π/10, ξ = 1
    # there is no LVS minimum (a τ_s < 1).
    W0: float = 1.0
    A: float = 1.0
    a: float = 2 * math.pi / 3
    xi: float = 10.0

    def __check_init__(self):
        if _concrete(self.a):
            _require(float(self.a) > 0, "LVS", "a", "> 0", self.a)

    def kahler_logs(self):
        return {"Tb": 3.0}

    def kahler_remainder(self, z, zbar):
        tau_b = 0.5 * (z[0] + zbar[0])
        tau_s = 0.5 * (z[1] + zbar[1])
        # K = -3 log(2 τ_b) + 3 log 2 - 2 log(1 - (τ_s/τ_b)^{3/2} + ξ/(2 τ_b^{3/2}))
        return 3.0 * jnp.log(2.0) - 2.0 * jnp.log1p(
            -((tau_s / tau_b) ** 1.5) + 0.5 * self.xi * tau_b**-1.5
        )

    def superpotential(self, z):
        return self.W0 + self.A * jnp.exp(-self.a * z[1])

    def periods(self):
        return {"Ts": 2 * jnp.pi / self.a}


BUILTIN = {
    "noscale": NoScale,
    "kklt": KKLT,
    "kahler-uplift": KahlerUplift,
    "racetrack": Racetrack,
    "lvs": LVS,
}
