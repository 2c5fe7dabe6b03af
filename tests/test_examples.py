"""The scripts in examples/ run and their own checks pass (each asserts its results against a
closed form or the known physics: see the script's docstring). The notebook
examples/quickstart.ipynb is executed by .ci/run with nbmake; here it is only checked to be in
step with its jupytext twin quickstart.py."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


@pytest.mark.slow
@pytest.mark.parametrize("script", ["plain_potential.py", "continuation.py", "lvs_two_moduli.py"])
def test_example_script_runs(script):
    env = {**os.environ, "JAX_PLATFORMS": os.environ.get("JAX_PLATFORMS", "cpu")}
    r = subprocess.run(
        [sys.executable, script], cwd=EXAMPLES, capture_output=True, text=True, env=env, timeout=900
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]


def test_notebook_matches_its_script():
    """quickstart.ipynb holds exactly the cells of quickstart.py (jupytext percent format),
    so the reviewed .py is what the notebook runs, and it is stored without outputs."""
    nb = json.load(open(os.path.join(EXAMPLES, "quickstart.ipynb")))
    script = open(os.path.join(EXAMPLES, "quickstart.py")).read()
    cells = [c for c in script.split("\n# %%")[1:]]
    assert len(nb["cells"]) == len(cells)
    for cell, text in zip(nb["cells"], cells):
        kind = "markdown" if text.startswith(" [markdown]") else "code"
        assert cell["cell_type"] == kind
        assert cell.get("outputs", []) == []
        source = "".join(cell["source"])
        if kind == "code":
            assert source.strip() in text, source[:80]
        else:
            assert source.strip().splitlines()[0] in text.replace("# ", "", 1)
