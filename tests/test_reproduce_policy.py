"""The verdict policy of jaxvac.reproduce (docs/reproduce.md), decided in one place."""

import ast
import json
from pathlib import Path

import pytest

from jaxvac.reproduce._framework import (
    Exact,
    Formula,
    Magnitude,
    Printed,
    Proved,
    Row,
    Same,
    comparison_from_dict,
    decide,
    rounding_half_unit,
    significant_digits,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "printed, k",
    [
        ("0.70", 2),
        ("6.4e28", 2),
        (41, 2),
        (7.21e-121, 3),
        (0.048, 2),
        (20.5, 3),
        (2, 1),
        (100, 1),
        ("6.68", 3),
        (-0.7, 1),
        (41.0, 2),
        ("1.0", 2),
        (9.99e-3, 3),
        ("0.52", 2),
    ],
)
def test_significant_digits(printed, k):
    assert significant_digits(printed) == k


def test_printed_rounding_boundaries():
    # 6.68 has 3 digits: everything in [6.675, 6.685] rounds to it
    assert rounding_half_unit("6.68") == pytest.approx(0.005)
    assert decide(Printed(), "6.68", 6.6849999).verdict == "match"
    assert decide(Printed(), "6.68", 6.675).verdict == "match"
    assert decide(Printed(), "6.68", 6.6851).verdict == "mismatch"
    assert decide(Printed(), "6.68", 6.6749).verdict == "mismatch"
    # 41 printed: 40.5 .. 41.5
    assert decide(Printed(), 41, 41.49).verdict == "match"
    assert decide(Printed(), 41, 41.66).verdict == "mismatch"
    # a trailing zero the paper prints is significant only as a string or declared
    assert decide(Printed(), -0.7, -0.74).verdict == "match"
    assert decide(Printed(), "-0.70", -0.74).verdict == "mismatch"
    assert decide(Printed(digits=2), -0.7, -0.704).verdict == "match"
    # tiny numbers: 7.21e-121 means [7.205, 7.215]e-121
    assert decide(Printed(), 7.21e-121, 7.2149e-121).verdict == "match"
    assert decide(Printed(), 7.21e-121, 7.2151e-121).verdict == "mismatch"
    # a leading-order printed number gets its neglected term on top of the rounding
    d = decide(Printed(order=0.01, term="1/t"), "2.0", 2.08)
    assert d.verdict == "mismatch" and d.allowed == pytest.approx(0.025 + 0.01)
    assert decide(Printed(order=0.01, term="1/t"), "2.0", 2.069).verdict == "match"
    assert decide(Printed(), "2.0", 2.069).verdict == "mismatch"
    # lists: every element to its own rounding
    assert decide(Printed(), [0.038, 0.05], [0.0384, 0.0549]).verdict == "match"
    assert decide(Printed(), [0.038, 0.05], [0.0401, 0.0525]).verdict == "mismatch"


def test_formula_exact_same_magnitude():
    assert decide(Formula(0.05, "1/x"), 1.0, 1.05).verdict == "match"
    assert decide(Formula(0.05, "1/x"), 1.0, 1.0501).verdict == "mismatch"
    assert decide(Exact(1e-12), 0.0, 5e-13).verdict == "match"
    assert decide(Exact(1e-12), 0.0, 2e-12).verdict == "mismatch"
    assert decide(Same(), "saddle", "saddle").verdict == "match"
    assert decide(Same(), 1, 2).verdict == "mismatch"
    assert decide(Same(), [1, "a"], [1.0, "a"]).verdict == "match"
    assert decide(Magnitude(), 1e-7, 3.1e-7).verdict == "match"
    assert decide(Magnitude(), 1e-7, 3.2e-7).verdict == "mismatch"
    assert decide(Magnitude(), 1e-7, -1e-7).verdict == "mismatch"
    assert decide(None, 1.0, 1.0).verdict == "n/a"
    # a mismatch always says why
    assert "allowed" in decide(Printed(), "6.68", 7.0).reason


def test_rows_declare_their_comparison():
    with pytest.raises(ValueError, match="declare compare"):
        Row("x", paper=1.0, jaxvac=1.0)
    with pytest.raises(ValueError, match="does not compare with the paper"):
        Row("x", paper=1.0, jaxvac=1.0, compare=Exact(1e-12))
    with pytest.raises(ValueError, match="does not compare with the reference"):
        Row("x", reference=1.0, jaxvac=1.0, compare=Printed())
    with pytest.raises(ValueError, match="not both"):
        Row("x", paper=1.0, reference=1.0, jaxvac=1.0, compare=Same())
    with pytest.raises(TypeError):
        Row("x", paper=1.0, jaxvac=1.0, verdict="match")  # no verdict by hand
    r = Row("x", paper="6.68", jaxvac=6.7, compare=Printed())
    assert r.verdict == "mismatch" and comparison_from_dict(r.to_dict()["comparison"]) == Printed()
    assert Row("x", jaxvac=3.0).verdict == "n/a"


def test_no_verdict_by_hand_in_targets():
    """No target sets a verdict or a tolerance itself, or matches verdict strings: every
    Row(...) call in jaxvac/reproduce declares compare= when it passes a paper or
    reference value."""
    for path in sorted((ROOT / "jaxvac" / "reproduce").glob("_*.py")):
        if path.name in ("_framework.py", "_summary.py"):
            continue  # the policy itself; the summary tables read committed verdicts
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Row":
                kws = {k.arg for k in node.keywords}
                assert not kws & {"verdict", "rtol"}, f"{path.name}:{node.lineno}"
            if isinstance(node, ast.Constant) and node.value in ("match", "mismatch"):
                raise AssertionError(f"{path.name}:{node.lineno}: verdict string {node.value!r}")


def test_committed_reports_follow_the_policy():
    """Every row of every committed report carries its comparison, and its verdict is the
    one the policy gives for its numbers."""
    files = sorted((ROOT / "experiments" / "results").glob("[dr][pk][su]-*.json"))
    assert files
    for f in files:
        report = json.loads(f.read_text("utf-8"))
        for row in report["rows"]:
            assert "comparison" in row, f"{f.name}: {row['quantity']}"
            expected = row["paper"] if row["paper"] is not None else row["reference"]
            if row["comparison"] is None:
                assert expected is None and row["verdict"] == "n/a", f"{f.name}: {row['quantity']}"
                continue
            d = decide(comparison_from_dict(row["comparison"]), expected, row["jaxvac"])
            assert d.verdict == row["verdict"], f"{f.name}: {row['quantity']}"


def test_printed_in_decades():
    # 1.9e-384 is below float64's range: compared in log10
    d = decide(Printed(log10=True), "1.9e-384", -383.7212)
    assert d.verdict == "match" and d.allowed == pytest.approx(0.0113, rel=0.01)
    assert decide(Printed(log10=True), "1.9e-384", -383.70).verdict == "mismatch"
    assert decide(Printed(log10=True, order=1.0), "1.9e-384", -383.0).verdict == "match"


def test_proved_rows():
    """A Proved row: 'proved' only when every claim is proved and equal; a claim proved
    otherwise is a mismatch; a claim not proved (None) is 'unproved', never a match."""
    claims = {"type": "saddle", "n_negative": 1, "vacuum": "dS", "negative curvature": ["T.im"]}
    got = {
        "type": "saddle",
        "n_negative": 1,
        "vacuum": "dS",
        "negative curvature": ["T.im"],
        "susy": False,
    }
    assert decide(Proved(), claims, got).verdict == "proved"
    assert decide(Proved(), claims, {**got, "type": None}).verdict == "unproved"
    assert decide(Proved(), claims, {**got, "negative curvature": []}).verdict == "unproved"
    d = decide(Proved(), claims, {**got, "type": "minimum", "vacuum": None})
    assert d.verdict == "mismatch" and "type = minimum" in d.reason
    r = Row("x", reference=claims, jaxvac=got, compare=Proved())
    assert r.verdict == "proved" and comparison_from_dict(r.to_dict()["comparison"]) == Proved()
    from jaxvac.reproduce._framework import Report, render_markdown

    md = render_markdown(
        Report("t", "s", [r, Row("y", reference=claims, jaxvac={}, compare=Proved())])
    )
    assert "interval proofs: 1 proved, 1 unproved" in md
    assert "interval proofs" not in render_markdown(Report("t", "s", [Row("z", jaxvac=1)]))
