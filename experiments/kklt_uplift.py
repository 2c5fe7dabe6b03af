"""KKLT with an anti-D3-brane uplift, as a user model (``kklt_uplift.py:KKLTUplift``).

K = -3 log(T + T̄), W = W0 + A e^{-aT} (Kachru, Kallosh, Linde, Trivedi, Phys. Rev. D 68
(2003) 046005, hep-th/0301240, §3), plus the uplift of an anti-D3-brane

    δV = D / σ^n,   σ = Re T,

with n = 3 in KKLT's §4 and n = 2 for an anti-brane at the tip of a warped throat
(Kachru, Kallosh, Linde, Maldacena, McAllister, Trivedi, JCAP 0310 (2003) 013). The
uplift breaks supersymmetry explicitly and is added to the F-term potential as a plain
real term (``extra_potential``).
"""

from typing import ClassVar

import equinox as eqx
import jax.numpy as jnp

import jaxvac


class KKLTUplift(jaxvac.SupergravityModel):
    """KKLT with an anti-D3 uplift D/σ^n (n = 2 by default)."""

    moduli: ClassVar[tuple[str, ...]] = ("T",)
    saxions: ClassVar[tuple[str, ...]] = ("T",)
    W0: float = -1e-4
    A: float = 1.0
    a: float = 0.1
    D: float = 0.0
    n: int = eqx.field(static=True, default=2)

    def kahler_logs(self):
        return {"T": 3.0}

    def kahler_remainder(self, z, zbar):
        return jnp.zeros((), dtype=jnp.float64)

    def superpotential(self, z):
        return self.W0 + self.A * jnp.exp(-self.a * z[0])

    def extra_potential(self, z, zbar):
        sigma = 0.5 * jnp.real(z[0] + zbar[0])
        return self.D / sigma**self.n

    def periods(self):
        return {"T": 2 * jnp.pi / self.a}
