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

import pytest

#: Heavy optional-at-run-time modules that no light path may import.
HEAVY = ("matplotlib", "pyarrow", "pandas", "mpmath")


def _run_python(code: str, env: dict | None = None, timeout: float = 120) -> dict:
    """Run ``code`` in a fresh interpreter; it must print one JSON object as its last line."""
    full_env = dict(os.environ, JAX_PLATFORMS="cpu")
    full_env.update(env or {})
    p = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
    )
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
    code = (
        "import jaxvac\njaxvac.find_critical_points\njaxvac.check\njaxvac.models.KKLT\n"
        + LOADED.format(mods=HEAVY)
    )
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
    print(json.dumps([len(commands)] + sorted(m for m in ("jax",) + HEAVY if m in sys.modules)))
    """.replace("HEAVY", repr(HEAVY))
    out = _run_python(code)
    assert out[0] >= 7 and out[1:] == []


def test_scan_sets_its_xla_flag_before_jax_is_imported(tmp_path):
    """``jaxvac scan`` turns Eigen's multi-threading off (docs/scans.md) through its
    ``before_jax`` hook, which ``main`` runs before JAX is imported — the only point where
    the flag is known to take effect, since JAX has no public way to tell whether a backend
    has started (jaxvac used its private ``xla_bridge.backends_are_initialized`` before).
    Once JAX is imported the function no longer claims the flag is in force."""
    code = f"""
    import json, os, sys
    from jaxvac._cli import scan as s
    from jaxvac.cli import main
    seen = []
    real = s.avoid_cpu_eigen_hang
    s.avoid_cpu_eigen_hang = lambda: seen.append(("jax" in sys.modules, real())) or True
    code = main(["scan", {str(tmp_path / "missing.toml")!r}, "--out", {str(tmp_path / "out")!r}])
    flags = os.environ["XLA_FLAGS"]
    os.environ.pop("XLA_FLAGS")
    late = real()
    print(json.dumps([code, seen, flags, late, s.CPU_XLA_FLAG in os.environ["XLA_FLAGS"]]))
    """
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    env.pop("XLA_FLAGS", None)
    p = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    code, seen, flags, late, set_late = json.loads(p.stdout.strip().splitlines()[-1])
    assert code == 2 and "missing.toml" in p.stderr  # the missing file: one line, exit 2
    assert seen == [[False, True]]  # ran once, before JAX, and the flag is in force
    assert flags == "--xla_cpu_multi_thread_eigen=false"
    assert late is False and set_late  # set for child processes, not claimed for this one


def test_models_and_check_modules_load_no_plotting_or_parquet():
    """``jaxvac models`` (run) and the modules ``jaxvac check`` uses (imported: running it
    compiles) load no matplotlib, pyarrow or pandas; ``models`` loads no mpmath either."""
    code = """
    import contextlib, io, json, sys
    from jaxvac.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["models"]) == 0
    print(json.dumps(sorted(m for m in HEAVY if m in sys.modules)))
    """.replace("HEAVY", repr(HEAVY))
    assert _run_python(code, env={"JAXVAC_CACHE_DIR": ""}) == []
    code = (
        "import jaxvac._report, jaxvac._analysis, jaxvac._search, jaxvac._io, jaxvac.models\n"
        + LOADED.format(mods=("matplotlib", "pyarrow", "pandas"))
    )
    assert _run_python(code) == []


@pytest.mark.slow
def test_check_command_loads_no_plotting_or_parquet(tmp_path):
    """``jaxvac check`` run to the end (it compiles: slow) loads no matplotlib or pyarrow."""
    code = """
    import contextlib, io, json, sys
    from jaxvac.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["check", "kklt", "--at", "T=113.6"]) == 0
    print(json.dumps(sorted(m for m in HEAVY if m in sys.modules)))
    """.replace("HEAVY", repr(HEAVY))
    assert _run_python(code, env={"JAXVAC_CACHE_DIR": str(tmp_path)}, timeout=600) == []


# ---- the persistent compilation cache ----------------------------------------------------

CACHE_STATE = """
import json, os, jax
import jaxvac._config  # jaxvac's physics: turns the cache on
from jaxvac._cache import enable_compilation_cache
print(json.dumps({"dir": jax.config.jax_compilation_cache_dir,
                  "min_time": jax.config.jax_persistent_cache_min_compile_time_secs,
                  "again": enable_compilation_cache()}))
"""


def _clean_env(**kw) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "JAX_COMPILATION_CACHE_DIR",
            "JAXVAC_CACHE_DIR",
            "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS",
        )
    }
    env.update(kw)
    return env


def _run_clean(code: str, timeout: float = 120, **kw) -> dict:
    p = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_clean_env(JAX_PLATFORMS="cpu", **kw),
    )
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_cache_is_on_by_default_and_configurable(tmp_path):
    """The API turns JAX's persistent cache on when jaxvac's physics is imported: in
    $XDG_CACHE_HOME/jaxvac/jax by default, in $JAXVAC_CACHE_DIR if set, nowhere if that is
    empty; a cache the user set for JAX itself wins; an unusable directory means no cache,
    never an error."""
    out = _run_clean(CACHE_STATE, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    assert out["dir"] == out["again"] == str(tmp_path / "xdg" / "jaxvac" / "jax")
    assert out["min_time"] == 0.1 and os.path.isdir(out["dir"])
    out = _run_clean(CACHE_STATE, JAXVAC_CACHE_DIR=str(tmp_path / "mine"))
    assert out["dir"] == str(tmp_path / "mine")
    out = _run_clean(CACHE_STATE, JAXVAC_CACHE_DIR="", XDG_CACHE_HOME=str(tmp_path / "off"))
    assert out["dir"] is None and out["again"] is None and not (tmp_path / "off").exists()
    out = _run_clean(
        CACHE_STATE,
        JAXVAC_CACHE_DIR=str(tmp_path / "ours"),
        JAX_COMPILATION_CACHE_DIR=str(tmp_path / "users"),
    )
    assert out["dir"] == out["again"] == str(tmp_path / "users")
    assert out["min_time"] == 1.0 and not (tmp_path / "ours").exists()
    (tmp_path / "file").write_text("")
    out = _run_clean(CACHE_STATE, JAXVAC_CACHE_DIR=str(tmp_path / "file" / "cache"))
    assert out["dir"] is None


THREADS_FROM_CACHE = """
import json, jax, jax.numpy as jnp, numpy as np
jax.config.update("jax_enable_x64", True)
import jaxvac._config  # turns the cache on ($JAXVAC_CACHE_DIR)
from jaxvac._parallel import call_signature, map_concurrently
hits = []
jax.monitoring.register_event_listener(
    lambda event, **kw: hits.append(1) if event == "/jax/compilation_cache/cache_hits" else None)

@jax.jit
def f(x):  # a vmapped while loop, like the search's Newton loop
    def one(x0):
        body = lambda c: (jnp.cos(c[0]) + 0.5 * c[0], c[1] + 1)
        return jax.lax.while_loop(lambda c: c[1] < 200, body, (x0, 0))[0]
    return jax.vmap(one)(x)

calls = [(jnp.linspace(0.0, 1.0, 64) + k,) for k in range(8)]
first = map_concurrently(f, calls, 2, call_signature(*calls[0]))
for _ in range(3):  # the program is known to _parallel, not to JAX: every thread fetches it at once
    jax.clear_caches()
    again = map_concurrently(f, calls, 2, call_signature(*calls[0]))
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
print(json.dumps({"hits": len(hits), "sum": float(sum(np.sum(a) for a in first))}))
"""


def test_threads_loading_one_program_from_the_cache_do_not_hang(tmp_path):
    """The path docs/scans.md reported to hang on CPU: a program compiled earlier, loaded from
    JAX's persistent cache and run from several host threads at once (jaxvac/_parallel.py).
    A cold process writes the cache, a warm one loads it (and, after clearing JAX's in-memory
    caches, has two threads fetch it at the same time, three times); both finish (timeout),
    with the same bits."""
    env = {"JAXVAC_CACHE_DIR": str(tmp_path), "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0"}
    cold = _run_clean(THREADS_FROM_CACHE, timeout=120, **env)
    assert os.listdir(tmp_path)
    warm = _run_clean(THREADS_FROM_CACHE, timeout=120, **env)
    assert warm["hits"] > 0 and warm["sum"] == cold["sum"]


def test_a_restarted_scan_runs_without_jaxvacs_cache():
    """``jaxvac scan --stall-timeout`` restarts a stalled scan with jaxvac's cache off, so a
    hang of an executable loaded from the cache cannot repeat in every restart."""
    from jaxvac._cli.scan import restart_environment

    env = restart_environment()
    assert env["JAXVAC_CACHE_DIR"] == ""
    assert _run_clean(CACHE_STATE, JAXVAC_CACHE_DIR=env["JAXVAC_CACHE_DIR"])["dir"] is None


@pytest.mark.slow
def test_kklt_uplift_scan_from_a_warm_cache(tmp_path):
    """The reported hang, end to end: the KKLT-uplift scan program, compiled by one process
    into jaxvac's cache, loaded by the next ones (4 chunks on 2 threads each); each must
    finish (timeout) with the same rows."""
    import re

    import pyarrow.parquet as pq

    root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "experiments")
    text = open(os.path.join(root, "scan_kklt_uplift.toml")).read()  # the flagship scan, smaller
    text = text.replace('model = "', f'model = "{root}/')
    for key, value in (("points", 64), ("starts", 16), ("chunk", 16)):
        text = re.sub(rf"^{key} = \d+", f"{key} = {value}", text, flags=re.M)
    cfg = tmp_path / "scan.toml"
    cfg.write_text(text)
    env = _clean_env(JAX_PLATFORMS="cpu", JAXVAC_CACHE_DIR=str(tmp_path / "cache"))
    rows = []
    for k in range(3):
        out = tmp_path / f"out{k}"
        p = subprocess.run(
            [sys.executable, "-m", "jaxvac", "scan", str(cfg), "--out", str(out), "--no-progress"],
            capture_output=True,
            text=True,
            timeout=900,
            env=env,
        )
        assert p.returncode == 0, p.stderr[-3000:]
        rows.append([pq.read_table(f).to_pydict() for f in sorted(out.glob("chunk-*.parquet"))])
    assert os.listdir(tmp_path / "cache")
    assert rows[1] == rows[0] and rows[2] == rows[0]


# ---- the F-term formula is traced once per model class and shape (docs/performance.md) ----


def test_fterm_formula_is_traced_once_for_every_derivative():
    """V, ∇V and the Hessian of one model class reuse one trace of the F-term formula (a
    nested jit): the superpotential's Python body runs once, where it ran once per
    derivative before. The N-digit interpreters trace it inline, a trace of their own,
    and get the same V."""
    from typing import ClassVar

    import jax
    import jax.numpy as jnp
    import numpy as np

    import jaxvac
    from jaxvac._precision import PrecisionFunction

    calls = []

    class Counted(jaxvac.SupergravityModel):
        moduli: ClassVar[tuple[str, ...]] = ("T",)
        saxions: ClassVar[tuple[str, ...]] = ("T",)
        W0: float = -1e-4

        def kahler_potential(self, z, zbar):
            return -3.0 * jnp.log(z[0] + zbar[0])

        def superpotential(self, z):
            calls.append(1)  # runs when traced
            return self.W0 + jnp.exp(-0.1 * z[0])

    jax.config.update("jax_enable_x64", True)
    model, y = Counted(), jnp.array([100.0, 0.3])
    V = jax.jit(model.scalar_potential)(y)
    jax.jit(jax.grad(model.scalar_potential))(y)
    jax.jit(jax.hessian(model.scalar_potential))(y)
    assert len(calls) == 1  # one trace for the three (three before)
    V40 = PrecisionFunction(lambda m, yy: m.scalar_potential(yy))(model, y, digits=40)
    assert len(calls) > 1  # inline: a trace of the interpreter's own
    np.testing.assert_allclose(float(V40), float(V), rtol=1e-13)
