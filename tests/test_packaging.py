"""Packaging and trust signals (issue #17): one version string, ``jaxvac --version``,
py.typed shipped, LICENSE and CITATION.cff present and consistent, matplotlib not imported
by the commands that do not plot, and ``jaxvac models`` descriptions that read as text."""

import importlib.metadata
import os
import subprocess
import sys
import tomllib

import pytest

import jaxvac
from jaxvac.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_version_has_one_source(capsys):
    from jaxvac._version import __version__

    assert jaxvac.__version__ == __version__
    assert importlib.metadata.version("jaxvac") == __version__  # the installed metadata
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "jaxvac._version.__version__"
    }
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out == f"jaxvac {__version__}\n"


def test_typed_licensed_and_citable():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)
    assert os.path.isfile(os.path.join(ROOT, "jaxvac", "py.typed"))
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["jaxvac"]
    extras = project["project"]["optional-dependencies"]
    assert any(r.startswith("jax[cuda12]") for r in extras["gpu"])
    assert any(r.startswith("pandas") for r in extras["analysis"])
    text = open(os.path.join(ROOT, "LICENSE")).read()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert project["project"]["license"] == {"text": "Apache-2.0"}
    cff = open(os.path.join(ROOT, "CITATION.cff")).read()
    assert f"version: {jaxvac.__version__}\n" in cff and "license: Apache-2.0" in cff
    for arxiv in (
        "hep-th/0301240",
        "hep-th/0411011",
        "hep-th/0408054",
        "hep-th/0611332",
        "1107.2115",
        "hep-th/0502058",
    ):
        assert f"https://arxiv.org/abs/{arxiv}" in cff, arxiv
    changelog = open(os.path.join(ROOT, "CHANGELOG.md")).read()
    assert f"## {jaxvac.__version__}" in changelog and "## Unreleased" in changelog


def test_find_check_and_scan_do_not_import_matplotlib():
    """matplotlib is imported by plotting code paths only (jaxvac plot, reproduce figures):
    not by `import jaxvac`, the command line, find/check or a scan (Dask workers included)."""
    code = (
        "import sys\n"
        "import jaxvac, jaxvac.cli, jaxvac.scan._run, jaxvac.scan._distributed, jaxvac.scan._plot\n"
        "import jaxvac._cli.find, jaxvac._cli.core, jaxvac._cli.plot, jaxvac.export\n"
        "jaxvac.cli.build_parser()\n"
        "assert jaxvac.cli.main(['models', '--json']) == 0\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')\n"
        "assert not bad, bad\n"
    )
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.returncode == 0, r.stderr


def test_models_descriptions_are_whole_sentences_without_markup(capsys):
    """Each description is the docstring's whole first paragraph (dps-flux's spans three
    lines, wilson-line's two), without RST markup; none ends mid-sentence."""
    import json

    from jaxvac._cli.core import describe

    assert main(["models", "--json"]) == 0
    rows = {r["name"]: r["description"] for r in json.loads(capsys.readouterr().out)}
    for name, text in rows.items():
        assert text and "`" not in text and ":class:" not in text, (name, text)
        assert text[-1] in ".)", (name, text)
    assert rows["dps-flux"].endswith("in DPS they are the F-flat heavy directions.")
    assert rows["wilson-line"].endswith("V = −v8 (F(a) − F(b)).")
    assert rows["dps-axions"] == "V(t1, θ_t1, θ_t2) of eq. (91) at fixed t = t1 t2."

    class Doc:
        """Uses ``h0`` and :func:`k1_from_lambda` and :class:`~jaxvac.models.DPS` and `x`
        (built-in ``doc``):

            V = x
        """

    assert describe(Doc) == "Uses h0 and k1_from_lambda and DPS and x."
    assert main(["models"]) == 0
    text = capsys.readouterr().out
    assert "`" not in text and "in DPS they are the F-flat heavy directions." in " ".join(
        text.split()
    )
