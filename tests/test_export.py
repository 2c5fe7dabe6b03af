"""Results that read well and leave jaxvac cleanly (issue #17): the one-line reprs and HTML of
check reports and find results (coordinates without rounding noise), CSV that reads back to
the same fields, pandas (optional, with a one-line message when missing), LaTeX tables, the
``find --out FILE.csv`` / ``--format`` / ``--latex`` options and the compile notice of ``find``
on a terminal.

The searches are test_search's (the KKLT + D/σ² user model file, default starts): in the
whole suite they are compiled once, and the command-line runs here reuse that compilation.
"""

import csv
import io
import json
import math
import sys

import numpy as np
import pytest
from test_search import D_UPLIFT, UPLIFT_SPEC, run_cli

import jaxvac
from jaxvac._display import format_complex, format_fields
from jaxvac.export import latex_escape, latex_table, rows, to_csv, write_csv


@pytest.fixture(scope="module")
def uplift(kklt_search):
    return kklt_search[D_UPLIFT]


def _failures(result):
    failed = {k: v for k, v in result.result_counts().items() if k != "successful"}
    detail = ", ".join(
        f"{k} {v}" for k, v in sorted(failed.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    n = sum(failed.values())
    return f"{n} failed start{'s' * (n != 1)} ({detail})"


# ---- reprs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "re, im, text",
    [
        (62.409502, 4.526e-31, "62.409502+0j"),  # noise below the modulus' resolution
        (62.409502, -4.526e-31, "62.409502+0j"),
        (62.409502, 1.2e-13, "62.409502+0j"),  # below 10·ε·|z| = 1.386e-13: noise
        (62.409502, 2e-13, "62.409502+2e-13j"),  # above it: kept
        (62.409502, -0.003, "62.409502-0.003j"),
        (3e-20, 5.0, "0+5j"),
        (0.0, 0.0, "0+0j"),
        (-0.0, -0.0, "0+0j"),
        (113.589124073558, 0.0, "113.58912+0j"),
    ],
)
def test_complex_coordinates_print_without_rounding_noise(re, im, text):
    assert format_complex(re, im) == text
    assert format_fields({"x": 1.0241203002150503, "y": -0.0}) == "x=1.0241203, y=0"


def test_find_result_repr_and_html(kklt_search, uplift):
    assert repr(uplift) == (
        "FindResult(KKLTUplift: 2 critical points from 256 starts • "
        f"1 dS minimum, 1 dS saddle • {_failures(uplift)})"
    )
    susy = kklt_search[0.0]
    assert repr(susy).startswith(
        "FindResult(KKLTUplift: 1 critical point from 256 starts • "
        "1 AdS minimum (supersymmetric) • "
    )
    html = uplift._repr_html_()
    assert html.count("<tr>") == 1 + 2 and "dS minimum" in html and "<table" in html
    T = uplift.to_dict()["critical_points"][0]["fields"]["T"]
    assert f"T={format_complex(T['re'], T['im'])}" in html
    assert "f64[" not in repr(uplift) + html  # no array shapes


def test_check_report_repr_and_html():
    report = jaxvac.check(
        jaxvac.models.KKLT(), {"T": complex(113.589124073558, 3e-31)}, name="kklt"
    )
    text = repr(report)
    assert text.startswith(
        "CheckReport(kklt at T=113.58912+0j: AdS minimum, supersymmetric, "
        "BF-stable • V = -1.99658e-15 ("
    )
    assert " digits) • m² = [" in text and text.endswith(" • successful)")
    assert "f64[" not in text and "\n" not in text
    html = report._repr_html_()
    assert "<table" in html and "T=113.58912+0j" in html and "successful" in html
    # at N digits: the certified decimal value of V
    report = jaxvac.check_high_precision(
        jaxvac.models.KKLT(), {"T": "113.589124073558"}, digits=30, name="kklt"
    )
    text = repr(report)
    assert text.startswith(
        "HighPrecisionReport(kklt at T=113.58912+0j: AdS minimum, supersymmetric"
    )
    assert "V = -1.99657689577395628" in text and "digits certified at 30)" in text


# ---- CSV, pandas, LaTeX ------------------------------------------------------------------------------


def _same(cell: str, value) -> bool:
    if value is None:
        return cell == ""
    if isinstance(value, bool):
        return cell == str(value)
    if isinstance(value, float):
        return math.isnan(value) and cell == "nan" or float(cell) == value
    if isinstance(value, int):
        return int(cell) == value
    return cell == value


def test_cli_csv_round_trips_the_fields(uplift, tmp_path, capsys, monkeypatch):
    """find --out FILE.csv: one row per critical point, every field of the JSON record, read
    back bit for bit; --format csv prints the same table."""
    out = tmp_path / "vacua.csv"
    code, printed, err = run_cli(
        ["find", UPLIFT_SPEC, "--set", f"D={D_UPLIFT}", "--out", str(out)], capsys, monkeypatch
    )
    assert code == 0, err
    assert "minimum" in printed  # the text table is still printed
    record = uplift.to_dict()
    table = list(csv.DictReader(out.open(newline="")))
    assert len(table) == 2
    for row, point in zip(table, record["critical_points"]):
        assert row["model"] == "KKLTUplift"
        for name, value in record["parameters"].items():
            assert _same(row[name], value), name
        assert float(row["T.re"]) == point["fields"]["T"]["re"]
        assert float(row["T.im"]) == point["fields"]["T"]["im"]
        for key, value in point.items():
            if key == "fields":
                continue
            if isinstance(value, list) and value and not isinstance(value[0], str):
                assert [float(row[f"{key}[{i}]"]) for i in range(len(value))] == value, key
            elif isinstance(value, list):
                assert row[key] == ";".join(value), key
            elif isinstance(value, dict):  # e.g. stationarity_tests: one column per entry
                for k, v in value.items():
                    assert _same(row[f"{key}.{k}"], v), (key, k)
            else:
                assert _same(row[key], value), (key, row[key], value)
    code, printed, err = run_cli(
        ["find", UPLIFT_SPEC, "--set", f"D={D_UPLIFT}", "--format", "csv"], capsys, monkeypatch
    )
    assert code == 0, err
    assert printed == out.read_text() == to_csv(uplift)
    # --format json prints the JSON record (a NameError here once: the merge of the lazy imports)
    code, printed, err = run_cli(
        ["find", UPLIFT_SPEC, "--set", f"D={D_UPLIFT}", "--format", "json"], capsys, monkeypatch
    )
    assert code == 0, err
    assert json.loads(printed)["critical_points"] == json.loads(
        json.dumps(record["critical_points"])
    )


def test_to_pandas_matches_the_csv(uplift, tmp_path):
    pd = pytest.importorskip("pandas")
    df = uplift.to_pandas()
    columns, data = rows(uplift)
    assert list(df.columns) == columns and len(df) == uplift.distinct == 2
    assert list(df["type"]) == ["minimum", "saddle"] and list(df["vacuum"]) == ["dS", "dS"]
    np.testing.assert_array_equal(df["T.re"], uplift.points[:, 0])
    np.testing.assert_array_equal(df["V"], [float(uplift.analysis(k).V) for k in range(2)])
    path = tmp_path / "v.csv"
    write_csv(uplift, path)
    back = pd.read_csv(path)
    assert list(back.columns) == columns
    for c in ("T.re", "T.im", "V", "masses_squared[0]", "masses_squared[1]", "residual", "digits"):
        np.testing.assert_array_equal(back[c].to_numpy(), df[c].to_numpy(), err_msg=c)


def test_to_pandas_without_pandas_is_one_clear_line(uplift, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` fails
    with pytest.raises(ImportError) as e:
        uplift.to_pandas()
    message = str(e.value)
    assert "\n" not in message and "pip install 'jaxvac[analysis]'" in message
    assert message.startswith("to_pandas() needs pandas")


def test_latex_table_rows_and_escaping(uplift, tmp_path, capsys, monkeypatch):
    text = latex_table(uplift, labels={"T": "$T$"})
    lines = text.splitlines()
    assert lines[0].startswith("% jaxvac ") and "KKLTUplift" in lines[0]
    body = lines[lines.index(r"\midrule") + 1 : lines.index(r"\bottomrule")]
    assert len(body) == 2 and all(row.endswith(r" \\") for row in body)
    assert r"\toprule" in lines and r"\begin{tabular}{rrrllcrr}" in lines
    assert lines[lines.index(r"\toprule") + 1] == (
        r"\# & $T$ & $V$ & type & vacuum & SUSY & $m^2_1$ & digits \\"
    )
    t0 = uplift.points[0, 0]
    assert body[0].startswith(f"1 & ${t0:.6g}$ & $") and "& minimum & dS & no &" in body[0]
    assert body[1].startswith("2 & $") and "& saddle & dS & no &" in body[1]
    assert r"\times 10^{-" in body[0]  # V ~ 1e-15 in scientific notation
    # the command line: --latex prints it, --out FILE.tex writes it
    out = tmp_path / "vacua.tex"
    code, printed, err = run_cli(
        ["find", UPLIFT_SPEC, "--set", f"D={D_UPLIFT}", "--latex", "--out", str(out)],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    assert printed == out.read_text() == latex_table(uplift)
    # escaping: names, captions and words with LaTeX's special characters
    record = {
        "model": "my_model & co",
        "parameters": {"x_0": 1.0},
        "critical_points": [
            {
                "fields": {"theta_1": 0.5, "phi%": {"re": 2.0, "im": -1e-30}},
                "V": -1.5e-20,
                "type": "minimum",
                "vacuum": "AdS",
                "masses_squared": [1e-3],
                "digits": 12.0,
                "result": "max_steps",
            }
        ],
    }
    text = latex_table(record, caption="Vacua of my_model: 100% AdS, cost $5 {#1}", label="tab:v")
    assert r"\caption{Vacua of my\_model: 100\% AdS, cost \$5 \{\#1\}}" in text
    assert r"\label{tab:v}" in text and r"\begin{table}" in text and r"\end{table}" in text
    assert r"\# & theta\_1 & phi\% & $V$ & type & vacuum & $m^2_1$ & digits & result \\" in text
    assert (
        r"1 & $0.5$ & $2$ & $-1.5 \times 10^{-20}$ & minimum & AdS & $0.001$ & 12.0 & max\_steps \\"
        in text
    )
    assert "% jaxvac" in text.splitlines()[0] and "my_model & co" in text.splitlines()[0]
    assert latex_escape(r"a\b~c^d") == r"a\textbackslash{}b\textasciitilde{}c\textasciicircum{}d"
    assert latex_table(record, successful_only=True).count(r"\multicolumn") == 1


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_find_says_it_is_compiling_on_a_terminal_only(uplift, capsys, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("JAXVAC_CACHE_DIR", "")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    from jaxvac.cli import main

    assert main(["find", UPLIFT_SPEC, "--set", f"D={D_UPLIFT}", "--json"]) == 0
    shown = terminal.getvalue()
    assert shown == (
        "jaxvac find: compiling the search for KKLTUplift (first call), then 256 starts…\r\x1b[K"
    )  # erased once the search is done
    assert json.loads(capsys.readouterr().out)["distinct"] == 2
    monkeypatch.setenv("CI", "true")  # not in CI logs, and never on a pipe (capsys: not a tty)
    terminal.truncate(0)
    terminal.seek(0)
    assert main(["find", UPLIFT_SPEC, "--set", f"D={D_UPLIFT}", "--json"]) == 0
    assert terminal.getvalue() == ""


def test_summary_wording_of_every_kind_of_point():
    from jaxvac._display import classification, find_summary

    kinds = [
        ("minimum", "dS"),
        ("saddle", "AdS"),
        ("saddle", "AdS"),
        ("unresolved", "dS"),
        ("maximum", "unresolved"),
        ("unresolved", "unresolved"),
        ("maximum", "Minkowski"),
    ]
    records = [{"type": t, "vacuum": v, "susy": False} for t, v in kinds]
    assert classification(records) == (
        "1 dS minimum, 2 AdS saddles, 1 dS point (type unresolved), "
        "1 maximum (sign of V unresolved), 1 unresolved, "
        "1 Minkowski maximum"
    )
    records[1]["susy"] = True
    assert classification(records).endswith(" (1 supersymmetric)")
    empty = {"model": "m", "starts": 1, "critical_points": [], "start_results": {"diverged": 1}}
    assert (
        find_summary(empty)
        == "FindResult(m: no critical point from 1 start • 1 failed start (diverged 1))"
    )
    assert find_summary({**empty, "start_results": {}}).endswith(" • no failed start)")
