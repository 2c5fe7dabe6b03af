"""Progress on a terminal for the long commands (issue #17): `refine` says which point it is
refining at how many digits and `reproduce` which target runs, on one status line of stderr
that is erased when the work is done; nothing at all on a pipe, a file or in CI. (`find`'s
compile notice is tested in test_export.py, `scan`'s bar in test_scan.py.)"""

import io
import json
import sys

from jaxvac.cli import main


class _Terminal(io.StringIO):
    def isatty(self):
        return True


ERASE = "\r\x1b[K"


def on_terminal(monkeypatch):
    """stderr a terminal (in the test's body: capsys replaces sys.stderr when the test starts)."""
    monkeypatch.delenv("CI", raising=False)
    t = _Terminal()
    monkeypatch.setattr(sys, "stderr", t)
    return t


def test_refine_shows_each_point_then_erases_it(tmp_path, capsys, monkeypatch):
    terminal = on_terminal(monkeypatch)
    # KKLT's supersymmetric AdS vacuum (README), from 8 digits: two points of a find output
    point = {"fields": {"T": "113.58912"}}
    src = tmp_path / "found.json"
    src.write_text(json.dumps({"model": "kklt", "critical_points": [point, point]}))
    assert main(["refine", "kklt", "--from", str(src), "--digits", "30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["refine"]["converged"] for p in out["points"]] == [True, True]
    assert out["points"][0]["fields_decimal"]["T"]["re"].startswith("113.589124073")
    assert terminal.getvalue() == (
        "jaxvac refine: point 1/2, Newton at 30 digits (mpmath), tracing the model first…"
        + ERASE
        + "jaxvac refine: point 2/2, Newton at 30 digits (mpmath)…"
        + ERASE
    )
    monkeypatch.setenv("CI", "true")  # never in CI logs
    terminal.seek(0)
    terminal.truncate(0)
    assert main(["refine", "kklt", "--from", str(src), "--digits", "30", "--index", "0"]) == 0
    assert terminal.getvalue() == ""


def _fake_targets(monkeypatch, ran):
    from jaxvac.reproduce import _framework as fw

    def target(name):
        def func(out_dir, *, full):
            shown = getattr(sys.stderr, "getvalue", lambda: "")()  # the terminal meanwhile
            ran.append((name, shown))
            return fw.Report(target=name, source="seed 000 (000_c8afabef771fe332.txt)", rows=[])

        return fw.Target(
            name, "seed 000 (000_c8afabef771fe332.txt)", func, name != "c-slow", f"target {name}"
        )

    targets = {n: target(n) for n in ("b-two", "a-one", "c-slow")}
    monkeypatch.setattr(fw, "load_targets", lambda: targets)


def test_reproduce_shows_the_running_target(tmp_path, capsys, monkeypatch):
    terminal = on_terminal(monkeypatch)
    ran = []
    _fake_targets(monkeypatch, ran)
    assert main(["reproduce", "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[:2]] == ["a-one", "b-two"]  # default targets
    assert ran == [
        ("a-one", "jaxvac reproduce: a-one (1/2 targets)…"),
        (
            "b-two",
            "jaxvac reproduce: a-one (1/2 targets)…"
            + ERASE
            + "jaxvac reproduce: b-two (2/2 targets)…",
        ),
    ]
    assert terminal.getvalue().endswith(ERASE)
    ran.clear()
    terminal.seek(0)
    terminal.truncate(0)
    assert main(["reproduce", "c-slow", "--out", str(tmp_path)]) == 0
    assert ran == [("c-slow", "jaxvac reproduce: c-slow (1/1 targets)…")]


def test_reproduce_list_cites_the_papers_not_file_names(capsys, monkeypatch):
    from jaxvac._cli.reproduce import cite

    assert main(["reproduce", "--list"]) == 0
    out = capsys.readouterr().out
    assert '"The Cosmological Constant and the Electroweak Scale"' in out
    assert "arXiv:1812.04873" in out and "arXiv:2512.20570" in out
    assert ".txt" not in out and "c8afabef" not in out
    assert cite("seed 001_faca987a686c96b8.txt, App. B") == (
        "Dudas, Parameswaran, Serra, arXiv:2512.20570, App. B"
    )


def test_nothing_on_a_pipe(tmp_path, capsys, monkeypatch):
    ran = []
    _fake_targets(monkeypatch, ran)
    monkeypatch.delenv("CI", raising=False)
    assert main(["reproduce", "a-one", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""  # capsys's stderr is not a terminal
