"""The certified columns of ``jaxvac find --certify`` (jaxvac/_certify/_columns.py) and
completeness on a slice (a flat coordinate held fixed): references from closed forms
(the double well's cubic roots, tests/search_models.py)."""

from __future__ import annotations

import math
from typing import ClassVar

import jax.numpy as jnp
import pytest
import search_models as sm

import jaxvac
from jaxvac._certify._columns import certify_records
from jaxvac._cli.find import format_find
from jaxvac._errors import InputError
from jaxvac.export import rows


def _records():
    pts = sm.double_well_points()
    out = []
    for p, V, n_neg in (pts[0], pts[1]):  # cubic roots: a minimum and a saddle
        out.append({"fields": {"x": float(p[0]), "y": float(p[1])}, "V": V, "n_negative": n_neg})
    out.append({"fields": {"x": 0.5, "y": 0.5}, "V": 0.0, "n_negative": 0})  # not critical
    return out


def test_find_records_get_certified_columns():
    recs = certify_records(sm.DoubleWell(), _records(), name="DoubleWell")
    for rec in recs[:2]:
        assert rec["certified"] == "proved"
        assert rec["proved"] == ["existence", "uniqueness", "inertia", "sign_of_V"]
        assert rec["unproved"] == [] and rec["certificate"]["reasons"] == []
        assert rec["certificate"]["n_negative"] == rec["n_negative"]  # cubic-root reference
        assert rec["certificate"]["vacuum"] == "dS" and rec["certificate"]["digits"] == 30
    bad = recs[2]
    assert bad["certified"] == "unproved" and bad["proved"] == []
    assert set(bad["unproved"]) == {"existence", "uniqueness", "inertia", "sign_of_V"}
    assert bad["certificate"]["reasons"] and bad["certificate"]["type"] is None
    # the CSV/pandas rows carry the columns; property lists joined by ';'
    columns, data = rows({"model": "DoubleWell", "parameters": {}, "critical_points": recs})
    assert {"certified", "proved", "unproved", "certificate.type"} <= set(columns)
    assert data[0]["proved"] == "existence;uniqueness;inertia;sign_of_V"
    assert data[2]["certified"] == "unproved"


def test_find_table_shows_certified():
    recs = certify_records(sm.DoubleWell(), _records()[:1], name="DoubleWell")
    rec = {
        **recs[0],
        "type": "minimum",
        "n_flat": 0,
        "vacuum": "dS",
        "digits": 15.0,
        "basin_starts": 3,
        "result": "successful",
        "stationarity": 1e-7,
    }
    text = format_find(
        {
            "model": "DoubleWell",
            "parameters": {},
            "starts": 3,
            "seed": 0,
            "start_results": {"successful": 3},
            "distinct": 1,
            "critical_points": [rec],
        }
    )
    assert "certified" in text.splitlines()[3] and text.splitlines()[4].endswith("proved")


class FlatY(jaxvac.PotentialModel):
    """V = (x² − 1)² + 0.3 x + 0·y: y is exactly flat (it appears nowhere)."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")

    def potential(self, phi):
        return (phi[0] ** 2 - 1) ** 2 + 0.3 * phi[0] + 0.0 * phi[1]


def test_region_quotients_an_exactly_flat_coordinate():
    # ∂V/∂y is the exact ball 0 over the region: y is not split, each point is a line
    r = jaxvac.certify_region(FlatY(), {"x": (-2.0, 2.0), "y": (-1.0, 1.0)})
    assert r.complete and r.flat == ["y"] and len(r.points) == 3
    xs = sorted(float(p["certificate"].center[0].mid()) for p in r.points)
    roots = sorted(float(v.real) for v in __import__("numpy").roots([4.0, 0.0, -4.0, 0.3]))
    assert xs == pytest.approx(roots, abs=1e-13)


def test_region_on_a_fixed_slice():
    # y fixed at 0.5 (LO = HI): the double well restricted to that line, x ∈ [-2, 2]
    r = jaxvac.certify_region(sm.DoubleWell(), {"x": (-2.0, 2.0), "y": (0.5, 0.5)})
    assert r.complete and r.fixed == {"y": 0.5} and len(r.points) == 3
    assert r.to_dict()["fixed"] == {"y": 0.5}
    xs = sorted(float(p["certificate"].center[0].mid()) for p in r.points)
    roots = sorted(float(v.real) for v in __import__("numpy").roots([4.0, 0.0, -4.0, 0.3]))
    assert xs == pytest.approx(roots, abs=1e-13)
    assert sorted(p["certificate"].n_negative for p in r.points) == [0, 0, 1]
    with pytest.raises(InputError):
        jaxvac.certify_region(sm.DoubleWell(), {"x": (1.0, 1.0), "y": (0.5, 0.5)})
    assert math.isfinite(r.seconds)


class Metric(jaxvac.PotentialModel):
    fields: ClassVar[tuple[str, ...]] = ("x", "y", "z")
    positive: ClassVar[tuple[str, ...]] = ("z",)

    def potential(self, phi):
        return phi[0] ** 2 + phi[0] * phi[1] * phi[2] + phi[2] ** 3

    def field_metric(self, phi):
        return jnp.array([[2.0, 0.1, 0.2], [0.1, 3.0, 0.3], [0.2, 0.3, 4.0]]) * phi[2]


def test_fixed_slice_is_the_restriction():
    from jaxvac._potential import kinetic_metric, scalar_potential
    from jaxvac._slice import fix_coordinates

    m = Metric()
    s = fix_coordinates(m, {"y": 0.5})
    assert s.coordinate_names == ("x", "z") and s.positive_indices == (1,)
    ys = jnp.array([0.7, 2.0])
    assert float(scalar_potential(s, ys)) == 0.7**2 + 0.7 * 0.5 * 2.0 + 2.0**3
    assert kinetic_metric(s, ys).tolist() == [[4.0, 0.4], [0.4, 8.0]]


@pytest.mark.slow
def test_lvs_region_complete_on_the_slice():
    # LVS (defaults) with Im T_b held at 0: exactly one critical point in the region, the
    # non-SUSY AdS minimum that jaxvac find reports (t_b = 51.364078, t_s = 3.1019197,
    # θ_s = -1.5 = -π/a); ~700 boxes; experiments/results/certify_complete.md
    region = {
        "Tb.re": (51.2, 51.5),
        "Tb.im": (0.0, 0.0),
        "Ts.re": (3.09, 3.115),
        "Ts.im": (-1.512, -1.493),
    }
    r = jaxvac.certify_region(jaxvac.models.LVS(), region)
    assert r.complete and r.fixed == {"Tb.im": 0.0} and len(r.points) == 1 and not r.undecided
    c = r.points[0]["certificate"]
    assert c.coordinate_names == ("Tb.re", "Ts.re", "Ts.im")
    y = [float(v.mid()) for v in c.center]
    assert y == pytest.approx([51.364078, 3.1019197, -1.5], rel=1e-7)
    assert c.critical_type == "minimum" and c.vacuum == "AdS" and c.n_negative == 0
    assert float(c.V.mid()) == pytest.approx(-1.159351e-08, rel=1e-6)  # jaxvac find's V
