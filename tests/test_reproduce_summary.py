"""The per-equation tables of experiments/results/{rku,dps}_summary.md cannot drift: every
equation of both seeds is listed once, every cited report row exists in the committed JSON,
a status agrees with the verdicts of its rows, and the committed tables are the ones the
equation files and the reports generate (experiments/reproduce_summary.py)."""

import os
import re
from pathlib import Path

import pytest

from jaxvac.reproduce._summary import (
    BEGIN,
    END,
    STATUSES,
    check,
    counts,
    equations_of,
    load_equations,
    load_rows,
    render,
    splice,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "experiments" / "results"
SEEDS = {"rku": "000_", "dps": "001_"}


@pytest.fixture(scope="module")
def rows():
    return load_rows(RESULTS)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_equation_file_is_consistent_with_the_reports(seed, rows):
    data = load_equations(RESULTS / f"{seed}_equations.toml")
    assert check(data, rows) == []


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_committed_table_is_the_generated_one(seed, rows):
    data = load_equations(RESULTS / f"{seed}_equations.toml")
    data["file"] = f"experiments/results/{seed}_equations.toml"
    summary = (RESULTS / f"{seed}_summary.md").read_text()
    assert BEGIN in summary and END in summary
    assert splice(summary, render(data, rows)) == summary, (
        "run: python experiments/reproduce_summary.py"
    )


def test_equation_ranges_and_counts():
    assert equations_of("(2.3)") == ["2.3"]
    assert equations_of("(110)-(113)") == ["110", "111", "112", "113"]
    assert equations_of("(2.9)-(2.11)") == ["2.9", "2.10", "2.11"]
    assert equations_of("Table 2") == []
    data = {
        "seed": "x",
        "numbering": ["1-3"],
        "eq": [
            {"label": "(1)-(2)", "status": "definition", "why": "d"},
            {"label": "(3)", "status": "not checked", "why": "w"},
            {"label": "Table 1", "status": "not checkable", "why": "t"},
        ],
    }
    assert check(data, {}) == []
    n = counts(data)
    assert list(n) == list(STATUSES)
    assert (n["definition"], n["not checked"], n["not checkable"]) == (2, 1, 0)


def test_check_finds_every_kind_of_problem():
    rows = {
        "t": [
            {"quantity": "(1) a", "verdict": "match"},
            {"quantity": "(2) b", "verdict": "mismatch"},
        ]
    }
    base = {"seed": "x", "numbering": ["1-4"]}

    def problems(*eq):
        return "\n".join(check({**base, "eq": list(eq)}, rows))

    ok = {"label": "(3)-(4)", "status": "definition", "why": "d"}
    assert "no report row matches 't: zzz'" in problems(
        {"label": "(1)", "status": "reproduced", "why": "w", "rows": ["t: zzz"]},
        {"label": "(2)", "status": "definition", "why": "d"},
        ok,
    )
    # a reproduced equation may not cite a mismatch, a wrong one must cite one
    assert "a cited row is a mismatch" in problems(
        {"label": "(1)-(2)", "status": "reproduced", "why": "w", "rows": ["t: (2)"]}, ok
    )
    assert "no cited row is a mismatch" in problems(
        {"label": "(1)-(2)", "status": "shown wrong", "why": "w", "rows": ["t: (1)"]}, ok
    )
    assert "needs the rows" in problems(
        {"label": "(1)-(2)", "status": "reproduced", "why": "w"}, ok
    )
    assert "not listed: 1, 2" in problems(ok)
    assert "listed twice: 3" in problems(
        {"label": "(1)-(3)", "status": "definition", "why": "d"}, ok
    )
    assert "does not have: 5" in problems(
        {"label": "(1)-(2)", "status": "definition", "why": "d"},
        {"label": "(3)-(5)", "status": "definition", "why": "d"},
    )
    assert "is not one of" in problems({"label": "(1)-(2)", "status": "fine", "why": "d"}, ok)
    assert "no reason" in problems({"label": "(1)-(2)", "status": "definition", "why": " "}, ok)


def test_splice_keeps_the_prose():
    table = "| a |\n"
    once = splice("# prose\n\ntext\n", table)
    assert once.startswith("# prose\n\ntext\n\n" + BEGIN)
    assert splice(once, table) == once
    assert splice(once, "| b |\n").count("| b |") == 1 and "| a |" not in splice(once, "| b |\n")


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_numbering_is_the_seed_text(seed):
    """Where the seed texts are at hand (JAXVAC_SEEDS, a folder with 000_*.txt and
    001_*.txt), the declared numbering is exactly the set of equation numbers printed."""
    folder = os.environ.get("JAXVAC_SEEDS", "/work/shared/seeds")
    texts = sorted(Path(folder).glob(f"{SEEDS[seed]}*.txt")) if Path(folder).is_dir() else []
    if not texts:
        pytest.skip("seed texts not available")
    text = texts[0].read_text()
    if seed == "rku":
        printed = set(re.findall(r"\((\d\.\d{1,2})\)\s*$", text, flags=re.M))
    else:
        printed = set(re.findall(r"\((\d{1,3})[ab]?\)", text))
        printed = {n for n in printed if 1 <= int(n) <= 239}
    data = load_equations(RESULTS / f"{seed}_equations.toml")
    listed = {n for e in data["eq"] for n in equations_of(e["label"])}
    assert printed <= listed
    assert listed - printed == set()
