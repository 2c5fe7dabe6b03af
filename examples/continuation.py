"""Following a vacuum as a parameter changes, and its derivative by implicit
differentiation.

KKLT: K = -3 log(T + T̄), W = W0 + A e^{-aT}. The supersymmetric AdS minimum solves
D_T W = 0, i.e. (σ = Re T, Im T = 0)

    W0 = -A e^{-aσ} (1 + 2aσ/3),

so σ(W0) is known in closed form (as the inverse of that function): the branch followed
by jaxvac.continue_critical_point and the derivative dσ/dW0 from jaxvac.vacuum_derivatives
are checked against it.

    python examples/continuation.py
"""

import math

import jax

jax.config.update("jax_enable_x64", True)

import numpy as np  # noqa: E402

import jaxvac  # noqa: E402
from jaxvac.models import KKLT  # noqa: E402

A, a = 1.0, 0.1


def w0_of_sigma(s):
    return -A * math.exp(-a * s) * (1 + 2 * a * s / 3)


def dw0_dsigma(s):
    return A * a * math.exp(-a * s) * (1 + 2 * a * s / 3) - A * math.exp(-a * s) * 2 * a / 3


model = KKLT(W0=-1e-4, A=A, a=a)
branch = jaxvac.continue_critical_point(model, [113.589124073558, 0.0], "W0", -1e-3)
print(
    f"status {branch.status}: {len(branch.parameters)} points from W0 = "
    f"{branch.parameters[0]:.3g} to {branch.parameters[-1]:.3g}; types {set(branch.types)}"
)
assert branch.status == "reached" and set(branch.types) == {"minimum"}

# every point of the branch is on the closed-form curve W0(σ), Im T = 0
sigma = branch.points[:, 0]
residual = np.abs([w0_of_sigma(s) - w for s, w in zip(sigma, branch.parameters)])
print(
    f"max |W0(σ) − W0| / |W0| along the branch: {np.max(residual / np.abs(branch.parameters)):.2e}"
    f"; max |Im T| = {np.abs(branch.points[:, 1]).max():.1e}"
)
assert np.all(residual <= 1e-10 * np.abs(branch.parameters))
assert np.all(np.abs(branch.points[:, 1]) < 1e-6)
for w, s, v in list(zip(branch.parameters, sigma, branch.V))[:: max(1, len(sigma) // 5)]:
    print(f"  W0 = {w:+.4e}   Re T = {s:9.4f}   V = {v:+.4e}")

# the derivative of the vacuum's position, by the implicit function theorem
d = jaxvac.vacuum_derivatives(model, [113.589124073558, 0.0], "W0")
exact = 1.0 / dw0_dsigma(float(d["y"][0]))
print(f"dReT/dW0 = {float(d['dy'][0]):.10e} (implicit), {exact:.10e} (closed form)")
assert d["result"] == "successful" and abs(float(d["dy"][0]) / exact - 1) < 1e-8
