"""The program store (jaxvac/_programs.py, issue #20): traced programs kept on disk with
jax.export so that a later process skips tracing. A stored program must give the same bits as
the traced one, serve only jaxvac's own classes, and treat every damaged or foreign file as
absent. Timings are measured in bench/bench_latency.py, not asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import ClassVar

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxvac
from jaxvac import _programs
from jaxvac._analysis import _analyse_one
from jaxvac._model import canonical
from jaxvac.models import KKLT, RKUReduced


class MyWell(jaxvac.PotentialModel):
    """A user's model: its code is not covered by a program's key."""

    fields: ClassVar[tuple[str, ...]] = ("x",)
    a: float = 1.0

    def potential(self, y):
        return (y[0] ** 2 - self.a) ** 2


def _args(model, y):
    return (canonical(model), jnp.asarray(y, jnp.float64), 1e-9)


def test_a_stored_program_gives_the_traced_programs_bits(tmp_path):
    """Export → file → read → call equals ``eqx.filter_jit`` leaf for leaf, bit for bit, with
    the same pytree structure; one program serves every parameter point (same key)."""
    args = _args(RKUReduced(), [3.0, 0.5])
    key, leaves = _programs._key("analyse", args)
    program = _programs._export(_analyse_one, "analyse", args, leaves, key, tmp_path)
    read = _programs._read(tmp_path / (key + ".program"), key)
    assert read is not None
    want = eqx.filter_jit(_analyse_one)(*args)
    for got in (program(leaves), read(leaves)):
        assert jax.tree.structure(got) == jax.tree.structure(want)
        for a, b in zip(jax.tree.leaves(got), jax.tree.leaves(want)):
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b), strict=True)
    other = _args(RKUReduced(beta=1.3, z=-0.4), [2.0, 0.1])
    key2, leaves2 = _programs._key("analyse", other)
    assert key2 == key
    want2 = eqx.filter_jit(_analyse_one)(*other)
    np.testing.assert_array_equal(np.asarray(read(leaves2).V), np.asarray(want2.V))
    # another shape, another program
    assert _programs._key("analyse", _args(RKUReduced(), [[3.0, 0.5]]))[0] != key
    assert _programs._key("analyse", _args(KKLT(), [113.6, 0.3]))[0] != key


def test_damaged_or_foreign_files_are_ignored(tmp_path):
    args = _args(RKUReduced(), [3.0, 0.5])
    key, leaves = _programs._key("analyse", args)
    _programs._export(_analyse_one, "analyse", args, leaves, key, tmp_path)
    path = tmp_path / (key + ".program")
    assert _programs._read(path, "0" * 64) is None  # written for another key
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF  # one flipped byte in the program
    path.write_bytes(bytes(data))
    assert _programs._read(path, key) is None
    path.write_bytes(b"not a program")
    assert _programs._read(path, key) is None
    assert _programs._read(tmp_path / "missing.program", key) is None


def test_only_jaxvacs_classes_and_stable_static_values_are_stored():
    """A user's model class, a traced argument or a static function is never stored."""
    with pytest.raises(_programs._Unsupported, match="not one of jaxvac's classes"):
        _programs._key("analyse", _args(MyWell(), [0.5]))
    from jaxvac.reproduce._rku_higgs import _exact_log_class  # a class made at run time

    with pytest.raises(_programs._Unsupported, match="made at run time"):
        _programs._check_type(_exact_log_class())
    _programs._check_type(KKLT)
    with pytest.raises(_programs._Unsupported, match="static value"):
        _programs._key("f", (jnp.ones(2), lambda x: x))

    def traced(x):
        _programs._key("f", (x,))
        return x

    with pytest.raises(_programs._Unsupported, match="traced"):
        jax.jit(traced)(jnp.ones(2))


def test_reading_outputs_imports_nothing_named_in_them():
    """Output descriptions name classes; only jaxvac Modules already imported are rebuilt."""
    before = set(sys.modules)
    for module in (["subprocess", "Popen"], ["jaxvac.not_a_module", "X"], ["os", "system"]):
        with pytest.raises(_programs._Unsupported):
            _programs._build({"module": module, "fields": {}}, [])
    with pytest.raises(_programs._Unsupported):  # a jaxvac name that is not a Module
        _programs._build({"module": ["jaxvac._programs", "stored_jit"], "fields": {}}, [])
    assert set(sys.modules) == before


RUN = """
import json, os, sys
import numpy as np, jax
import jaxvac
from jaxvac.models import RKUReduced

class MyWell(jaxvac.PotentialModel):
    fields = ("x",)

    def potential(self, y):
        return (y[0] ** 2 - 1.0) ** 2 + 0.1 * y[0]

r = jaxvac.find_critical_points(RKUReduced(), starts=64, seed=5)
a = jaxvac.analyse(RKUReduced(), np.array([3.0, 0.5]))
u = jaxvac.find_critical_points(MyWell(), starts=32, seed=1)
leaves = [np.asarray(x, float).ravel() for x in jax.tree.leaves((r.search, a, u.search))]
print(json.dumps({"values": np.concatenate(leaves).tolist(), "distinct": [r.distinct, u.distinct]}))
"""


def _run(env: dict) -> dict:
    p = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(RUN)],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, JAX_PLATFORMS="cpu", JAX_ENABLE_X64="1", **env),
    )
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_warm_process_runs_the_stored_programs(tmp_path):
    """Three processes on one cache: a cold one writes the programs of the built-in model's
    search and analysis (and none for the user's class), a warm one reads them without writing
    anything, and one with ``JAXVAC_PROGRAM_STORE=0`` traces as before; all three give the
    same bits."""
    env = {"JAXVAC_CACHE_DIR": str(tmp_path / "cache")}
    store = tmp_path / "cache" / _programs.STORE_FOLDER
    cold = _run(env)
    files = {p.name: p.stat().st_mtime_ns for p in store.iterdir()}
    # sampling, the rounds of the default strategy, deduplication, analysis: RKUReduced's only
    assert 4 <= len(files) <= 6, sorted(files)
    for p in store.iterdir():
        header = json.loads(p.read_bytes().partition(b"\n")[0])
        assert "MyWell" not in json.dumps(header)
    warm = _run(env)
    assert {p.name: p.stat().st_mtime_ns for p in store.iterdir()} == files
    off = _run(dict(env, JAXVAC_PROGRAM_STORE="0"))
    for other in (warm, off):
        assert other["distinct"] == cold["distinct"]
        np.testing.assert_array_equal(np.array(other["values"]), np.array(cold["values"]))
    assert cold["distinct"][0] >= 1
