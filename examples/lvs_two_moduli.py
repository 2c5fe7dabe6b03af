"""The large volume scenario with two Kähler moduli: a non-supersymmetric AdS minimum at
exponentially large volume.

K = -2 log(τ_b^{3/2} - τ_s^{3/2} + ξ/2),  W = W0 + A e^{-a T_s},  τ_i = Re T_i
(Balasubramanian, Berglund, Conlon, Quevedo, hep-th/0502058; the built-in model `lvs`).

The minimum balances the α' correction ξ against the non-perturbative term: the small
modulus sits at a τ_s of a few (e^{-a τ_s} ~ 1/volume) while the volume τ_b^{3/2} is much
larger; supersymmetry is broken (the F-terms do not vanish) and V < 0. Im T_b is an exactly
flat axion (W does not depend on T_b): the minimum is a line along Im T_b, one massless
direction (m² = 0, counted as flat), and the search meets it at several values of Im T_b.

    python examples/lvs_two_moduli.py
"""

import jax

jax.config.update("jax_enable_x64", True)

import jaxvac  # noqa: E402
from jaxvac.models import LVS  # noqa: E402

model = LVS(W0=1.0, A=1.0, a=2 * 3.141592653589793 / 3, xi=10.0)
found = jaxvac.find_critical_points(
    model, region={"Tb": (10.0, 1000.0), "Ts": (1.0, 20.0)}, starts=128, seed=0
)
print(repr(found))

points = found.to_dict()["critical_points"]
minima = [p for p in points if p["type"] == "minimum"]
# one minimum up to the flat axion Im T_b: the same τ_b, τ_s, Im T_s and V everywhere
where = {
    (
        round(p["fields"]["Tb"]["re"], 6),
        round(p["fields"]["Ts"]["re"], 6),
        round(p["fields"]["Ts"]["im"], 6),
        float(f"{p['V']:.10e}"),
    )
    for p in minima
}
assert minima and len(where) == 1, where
vac = minima[0]
assert vac["n_flat"] == 1 and vac["masses_squared"][0] == 0.0
tau_b, tau_s = vac["fields"]["Tb"]["re"], vac["fields"]["Ts"]["re"]
volume = tau_b**1.5 - tau_s**1.5
print(
    f"minimum: τ_b = {tau_b:.6g}, τ_s = {tau_s:.6g}, volume = {volume:.4g}, "
    f"a τ_s = {model.a * tau_s:.3f}"
)
print(
    f"V = {vac['V']:.6e} ({vac['vacuum']}, supersymmetric: {vac['susy']}, "
    f"{vac['digits']:.1f} digits), masses² = {vac['masses_squared']}"
)

# the large-volume regime: AdS, supersymmetry broken, volume much larger than the small cycle
assert vac["vacuum"] == "AdS" and vac["susy"] is False and vac["result"] == "successful"
assert volume > 50 * tau_s**1.5 and 3.0 < model.a * tau_s < 12.0

# the same point checked on its own (what `jaxvac check lvs --at Tb=... --at Ts=...` prints)
report = jaxvac.check(model, vac["fields"])
print(repr(report))
assert report.to_dict()["type"] == "minimum"
