"""A plain potential (no supergravity): every critical point of a two-field potential,
against the closed form.

V(x, y) = c + (x² − 1)² + 2 (y² − 1)²

has nine critical points, x, y ∈ {−1, 0, 1}: four minima (V = c), four saddles
(V = c + 1 at x = 0, c + 2 at y = 0) and one maximum (V = c + 3 at the origin).

    python examples/plain_potential.py
"""

from typing import ClassVar

import jax

jax.config.update("jax_enable_x64", True)

import itertools  # noqa: E402

import jaxvac  # noqa: E402


class DoubleWells(jaxvac.PotentialModel):
    """V = c + (x² − 1)² + 2 (y² − 1)²."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")  # real fields
    c: float = 0.1

    def potential(self, phi):
        x, y = phi[0], phi[1]
        return self.c + (x**2 - 1) ** 2 + 2 * (y**2 - 1) ** 2


model = DoubleWells()
found = jaxvac.find_critical_points(
    model, region={"x": (-2.0, 2.0), "y": (-2.0, 2.0)}, starts=128, seed=0
)
print(repr(found))

expected = {}
for x, y in itertools.product((-1, 0, 1), repeat=2):
    kind = {0: "minimum", 1: "saddle", 2: "maximum"}[(x == 0) + (y == 0)]
    expected[(x, y)] = (kind, 0.1 + (x == 0) * 1.0 + (y == 0) * 2.0)

points = found.to_dict()["critical_points"]
assert len(points) == 9, [p["fields"] for p in points]
for p in points:
    key = (round(p["fields"]["x"]), round(p["fields"]["y"]))
    kind, value = expected.pop(key)
    print(
        f"x = {p['fields']['x']:+.12f}  y = {p['fields']['y']:+.12f}  V = {p['V']:.12f}  "
        f"{p['type']:<8} {p['vacuum']}"
    )
    assert p["type"] == kind and abs(p["V"] - value) < 1e-12, (p, kind, value)
    assert abs(p["fields"]["x"] - key[0]) < 1e-10 and abs(p["fields"]["y"] - key[1]) < 1e-10
assert not expected  # all nine found
