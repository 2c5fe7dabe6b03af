"""The full seven-moduli model of seed 001 (eq. (77)) at its Table 2 point: ~59 digits of
the F-term potential cancel, float64 keeps none, and the interpreter at 100 and 200 digits
agrees on V to far more than 10 significant digits."""

import math

import jax
import jax.numpy as jnp
import mpmath as mp
import pytest

from jaxvac._potential import potential_and_scale
from jaxvac._precision import PrecisionFunction

dps_models = pytest.importorskip("jaxvac.models._dps")


def test_dps_table2_potential_needs_and_gets_high_precision():
    model = dps_models.DPS()
    # Table 2 of seed 001: s = 41, t1 = t2 = 6.4e28, u3 = 6.68, θ_t1 = θ_t2 = 0.85π,
    # θ_u3 = 0.52, the heavy moduli on their tree-level vevs (67).
    y = model.point(
        s=41.0,
        t1=6.4e28,
        t2=6.4e28,
        u3=6.68,
        theta_u3=0.52,
        theta_t1=0.85 * math.pi,
        theta_t2=0.85 * math.pi,
    )
    values = PrecisionFunction(potential_and_scale)
    V100, S100 = values(model, y, digits=100)
    V200, _ = values(model, y, digits=200)
    V60, _ = values(model, y, digits=60)
    with mp.workdps(200):
        V, S = V200.item(), S100.item()
        # The terms of V are ~1e-57, V itself ~1e-118: ~60 digits cancel.
        assert float(mp.log10(S / abs(V))) > 55
        agree = -mp.log10(abs(V100.item() - V) / abs(V))
        assert agree >= 10, f"V at 100 and 200 digits agree to {float(agree):.1f} digits"
        # At 60 digits, at most a couple of digits survive.
        assert -mp.log10(abs(V60.item() - V) / abs(V)) < 4
    V64, S64 = jax.jit(lambda yy: potential_and_scale(model, yy))(jnp.asarray(y))
    assert float(S64) == pytest.approx(float(S), rel=1e-12)
    # float64 keeps no digit of V.
    assert abs(float(V64) - float(V)) >= 0.5 * abs(float(V))
