"""The model of the quickstart: KKLT with an anti-D3 uplift, written as a user would.

K = -3 log(T + T̄),  W = W0 + A e^{-aT}   (Kachru, Kallosh, Linde, Trivedi 2003, hep-th/0301240)
V = V_F + D / σ²,   σ = Re T            (an anti-D3-brane at the tip of a warped throat)

A model lives in a file so that `jaxvac scan`, `jaxvac find examples/my_models.py:KKLTUplift`
and Dask workers can import it by name; notebooks import it like any module.
"""

from typing import ClassVar

import jax.numpy as jnp

import jaxvac


class KKLTUplift(jaxvac.SupergravityModel):
    """KKLT with an anti-D3 uplift D/σ²."""

    moduli: ClassVar[tuple[str, ...]] = ("T",)  # complex fields
    saxions: ClassVar[tuple[str, ...]] = ("T",)  # Re T > 0: searched log-uniformly
    W0: float = -1e-4  # every field is a parameter
    A: float = 1.0
    a: float = 0.1
    D: float = 0.0

    def kahler_potential(self, z, zbar):
        return -3.0 * jnp.log(z[0] + zbar[0])

    def superpotential(self, z):
        return self.W0 + self.A * jnp.exp(-self.a * z[0])

    def extra_potential(self, z, zbar):
        """A real term added to the F-term potential: the uplift."""
        sigma = 0.5 * jnp.real(z[0] + zbar[0])
        return self.D / sigma**2

    def periods(self):
        """Im T is an axion of period 2π/a: points that differ by a period are merged."""
        return {"T": 2 * jnp.pi / self.a}
