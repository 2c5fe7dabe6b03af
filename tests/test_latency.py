"""Time to first answer (issue #20): what is imported when, the persistent compilation cache,
and shapes bucketed so one compiled program serves nearby numbers of starts.

Every check that starts Python runs in a subprocess with a timeout (a hang fails the test
instead of stalling the suite). No timing is asserted: bench/bench_latency.py measures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

#: Heavy optional-at-run-time modules that no light path may import.
HEAVY = ("matplotlib", "pyarrow", "pandas", "mpmath")


def _run_python(code: str, env: dict | None = None, timeout: float = 120) -> dict:
    """Run ``code`` in a fresh interpreter; it must print one JSON object as its last line."""
    full_env = dict(os.environ, JAX_PLATFORMS="cpu")
    full_env.update(env or {})
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                       text=True, timeout=timeout, env=full_env)
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


LOADED = """
import json, sys
print(json.dumps(sorted(m for m in {mods!r} if m in sys.modules)))
"""


def test_import_jaxvac_loads_no_heavy_module():
    """``import jaxvac`` loads neither JAX nor matplotlib, pyarrow, pandas or mpmath: public
    names load on first use (and then only what they need)."""
    code = "import jaxvac\n" + LOADED.format(mods=("jax",) + HEAVY)
    assert _run_python(code) == []
    code = ("import jaxvac\njaxvac.find_critical_points\njaxvac.check\njaxvac.models.KKLT\n"
            + LOADED.format(mods=HEAVY))
    assert _run_python(code) == []


def test_help_does_not_import_jax():
    """``jaxvac --help`` and every ``jaxvac COMMAND --help`` are built without JAX."""
    code = """
    import contextlib, io, json, sys
    from jaxvac.cli import build_parser, main
    commands = [None] + sorted(build_parser()._subparsers._group_actions[0].choices)
    for cmd in commands:
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                main(["--help"] if cmd is None else [cmd, "--help"])
            except SystemExit as e:
                assert e.code == 0, (cmd, e.code)
    print(json.dumps([len(commands)] + sorted(m for m in ("jax",) + %r if m in sys.modules)))
    """ % (HEAVY,)
    out = _run_python(code)
    assert out[0] >= 7 and out[1:] == []


def test_models_and_check_modules_load_no_plotting_or_parquet():
    """``jaxvac models`` (run) and the modules ``jaxvac check`` uses (imported: running it
    compiles) load no matplotlib, pyarrow or pandas; ``models`` loads no mpmath either."""
    code = """
    import contextlib, io, json, sys
    from jaxvac.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["models"]) == 0
    print(json.dumps(sorted(m for m in %r if m in sys.modules)))
    """ % (HEAVY,)
    assert _run_python(code, env={"JAXVAC_CACHE_DIR": ""}) == []
    code = ("import jaxvac._report, jaxvac._analysis, jaxvac._search, jaxvac._io, jaxvac.models\n"
            + LOADED.format(mods=("matplotlib", "pyarrow", "pandas")))
    assert _run_python(code) == []


@pytest.mark.slow
def test_check_command_loads_no_plotting_or_parquet(tmp_path):
    """``jaxvac check`` run to the end (it compiles: slow) loads no matplotlib or pyarrow."""
    code = """
    import contextlib, io, json, sys
    from jaxvac.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["check", "kklt", "--at", "T=113.6"]) == 0
    print(json.dumps(sorted(m for m in %r if m in sys.modules)))
    """ % (HEAVY,)
    assert _run_python(code, env={"JAXVAC_CACHE_DIR": str(tmp_path)}, timeout=600) == []
