"""The open-string Wilson-line (brane position) potential of seed 001, Appendix B.

Eq. (160): V_open = −V̂₈ (f(a) − f(b)), with a the Wilson lines of the USp(8) stack and
b those of the SO(N_i) branes, and, eq. (164) with (161),

    f(z) = Σ_r ϑ[½;0](2z_r⁸, τ₈) (ϑ[½;0](2z_r⁹, τ₉) + ϑ[0;0](2z_r⁹, τ₉)) Π_{I=4}^{7} ϑ[0;0](2z_r^I, τ_I),

τ_I = 2iℓ/ρ_I² = i t_I (the theta functions of (162)). The direction I = 4 is in (161)
(the factor P_{2m₄} e^{4iπm₄z⁴}) but was dropped from (164); it is included here. The
paper drops every prefactor and the integral over ℓ (its footnote 36): this is the
integrand at fixed ℓ, i.e. at fixed t_I, whose critical points and Hessian signs are the
content of (165)-(174) (they are the same for every ℓ).

f is a sum over branes r of the same function F of each brane's own six Wilson lines,
so V is a sum of independent one-brane terms. This model keeps one brane of each kind,
a = (a4..a9) on the USp stack and b = (b4..b9) an SO brane (V = −v8 (F(a) − F(b))); the
four branes of each kind in the paper are copies of these.

Critical points: ∇F = 0 iff each one-variable factor is stationary (the factors are
positive except ϑ[½;0](2z⁸), whose zeros z⁸ = ¼, ¾ are simple, so F is not stationary
there). With the normalisation of (161), the factors of I = 4..7 have period ½ in z^I
and are stationary at z^I ∈ {0, ¼} (mod ½); those of I = 8, 9 at z ∈ {0, ½} (mod 1).
Eq. (167) lists {0, ½} for every I: for I = 4..7, ½ is the same point as 0, and ¼ is
missing (see ``docs/special.md``).
"""

from __future__ import annotations

from typing import ClassVar

import jax.numpy as jnp
import numpy as np

from .._model import PotentialModel
from ..special import theta
from ._literature import _concrete, _require

_DIRECTIONS = (4, 5, 6, 7, 8, 9)


#: Per direction I = 4..9: the multiple of z^I, of t_I and the characteristic α of its
#: theta factor in F (see :func:`brane_factors`).
_W_SCALE = np.array([2.0, 2.0, 2.0, 2.0, 2.0, 1.0])
_T_SCALE = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.25])
_ALPHA = np.array([0.0, 0.0, 0.0, 0.0, 0.5, 0.0])


def brane_factors(z, t, *, absolute: bool = False):
    """F(z) = ϑ[½;0](2z⁸,τ₈)(ϑ[½;0](2z⁹,τ₉) + ϑ[0;0](2z⁹,τ₉)) Π_{I=4}^{7} ϑ[0;0](2z^I,τ_I),
    the term of one brane in f of (161)/(164), for each row z = (z⁴..z⁹) of ``z``
    (shape (..., 6)); t = (t₄..t₉).

    The direction-9 factor is evaluated as the single theta function it equals,
    ϑ[½;0](2z, τ) + ϑ[0;0](2z, τ) = ϑ[0;0](z, τ/4) (the two sums are the odd and even
    terms of one): summing the two loses digits where they nearly cancel (small t₉).
    All factors are one vectorised theta evaluation. ``absolute=True``: the product of
    the factors' sums of term magnitudes (a bound on the terms of F).
    """
    factors = theta(
        z * jnp.asarray(_W_SCALE), t * jnp.asarray(_T_SCALE), jnp.asarray(_ALPHA), absolute=absolute
    )
    return jnp.prod(factors, axis=-1)


class WilsonLines(PotentialModel):
    """Open-string Wilson-line potential of seed 001, eqs. (160)-(164), one USp(8)-stack
    brane (a4..a9) and one SO brane (b4..b9): V = −v8 (F(a) − F(b)).

    Parameters: t4..t9 = Im τ_I = 2ℓα′/R_I² (> 0), and v8 = V̂₈ (> 0, an overall scale).
    Wilson lines have period 1 (e^{2πia} in (155)).
    """

    fields: ClassVar[tuple[str, ...]] = tuple(f"a{i}" for i in _DIRECTIONS) + tuple(
        f"b{i}" for i in _DIRECTIONS
    )
    t4: float = 1.0
    t5: float = 1.0
    t6: float = 1.0
    t7: float = 1.0
    t8: float = 1.0
    t9: float = 1.0
    v8: float = 1.0

    def __check_init__(self):
        for i in _DIRECTIONS:
            value = getattr(self, f"t{i}")
            if _concrete(value):
                _require(float(value) > 0, "WilsonLines", f"t{i}", "> 0", value)
        if _concrete(self.v8):
            _require(float(self.v8) > 0, "WilsonLines", "v8", "> 0", self.v8)

    def t_values(self):
        """(t4, ..., t9) as an array."""
        return jnp.stack([jnp.asarray(getattr(self, f"t{i}"), jnp.float64) for i in _DIRECTIONS])

    def potential(self, phi):
        F = brane_factors(phi.reshape(2, 6), self.t_values())
        return -self.v8 * (F[0] - F[1])

    def potential_scale(self, phi):
        """v8 (|F|(a) + |F|(b)), |F| the product of the theta series' Σ|terms|: the size
        of the terms whose sum is V (a sharp, cheap alternative to running error analysis)."""
        return self.v8 * jnp.sum(brane_factors(phi.reshape(2, 6), self.t_values(), absolute=True))

    def periods(self):
        return {name: 1.0 for name in self.fields}


BUILTIN = {"wilson-line": WilsonLines}
