"""Landscape scans: configuration, draws, the engine against an analytic model, storage,
refusals, full disk, readers, and the command line.

The model is a user file (``quartic.py:Quartic``): V = c + λ (x² - v²)², whose critical
points are known exactly — minima at x = ±v with V = c and m² = 8λv², a maximum at x = 0
with V = c + λv⁴ and m² = -4λv² — so every row the real search writes is checked against
those formulas, not against jaxvac. All tests share one compilation (same model class,
distributions, starts, region and chunk shape).
"""

import errno
import json
import os
import re
import textwrap

import jax
import jax.numpy as jnp
import numpy as np
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
from scanlib import QUARTIC, assert_same_rows, base_config, to_toml  # noqa: F401 - helpers
from scipy import stats as sps

import jaxvac
from jaxvac._io import InputError
from jaxvac.scan import ScanStorageError, load_scan, read_config, scan
from jaxvac.scan._sampling import draw_parameters, freeze
from jaxvac.scan._storage import chunk_files

# ---- configuration ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, message",
    [
        ({"points": 0}, "points must be between 1"),
        ({"points": 2.5}, "points must be an integer"),
        ({"chunk": 0}, "chunk must be between 1"),
        ({"keep": "stable"}, "keep must be one of all, successful, minima, dS, dS-minima"),
        ({"colour": 1}, "unknown configuration key(s) 'colour'"),
        ({"model": "nosuchmodel"}, "Unknown model 'nosuchmodel'"),
        ({"sample": {"c": {"dist": "gaussian", "std": 1}}}, "sample.c.dist must be one of"),
        ({"sample": {"c": {"dist": ["uniform"]}}}, "sample.c.dist must be one of"),
        ({"sample": {"c": {"dist": "uniform", "low": 1, "high": 1}}}, "need low < high"),
        ({"sample": {"c": {"dist": "uniform", "low": 0}}}, "sample.c: missing key 'high'"),
        ({"sample": {"c": {"dist": "loguniform", "low": 0, "high": 1}}}, "needs 0 < low < high"),
        ({"sample": {"c": {"dist": "normal", "std": -1}}}, "sample.c.std must be > 0"),
        ({"sample": {"c": {"dist": "normal", "std": 1, "sigma": 2}}}, "unknown key(s) 'sigma'"),
        ({"sample": {"c": {"dist": "choice", "values": []}}}, "values must be a non-empty list"),
        (
            {"sample": {"c": {"dist": "choice", "values": [1, 2], "weights": [1]}}},
            "weights must be a list of 2",
        ),
        (
            {"sample": {"c": {"dist": "integer", "low": 1.5, "high": 3}}},
            "sample.c.low must be an integer",
        ),
        (
            {"sample": {"w": {"dist": "symmetric", "scale": 1}}},
            "has no parameter 'w'; its parameters are: c, lam, v",
        ),
        ({"sample": {"lam": {"dist": "symmetric", "scale": 1}}}, "also in [fixed]"),
        (
            {"sample": {"v": {"dist": "uniform", "low": -1, "high": 1}}},
            "sample.v: Quartic refuses v=-1.0",
        ),
        ({"fixed": {"mu": 1}}, "fixed.mu: Quartic has no parameter 'mu'"),
        ({"region": {"y": [0, 1]}}, "'y' is not a coordinate of Quartic"),
        ({"region": {"x": [1, 0]}}, "lo < hi"),
        ({"region": {"x": [0]}}, "region.x must be [LO, HI]"),
        ({"search": {"max_step": 3}}, "[search]"),
    ],
)
def test_bad_configuration_names_the_key(quartic_file, change, message):
    cfg = base_config(quartic_file)
    for key, value in change.items():
        cfg[key] = {**cfg[key], **value} if key == "sample" else value
    with pytest.raises(InputError) as e:
        read_config(cfg)
    assert message in str(e.value)


def test_fingerprints_and_recorded_configuration_are_stable():
    """The fingerprint (what a resume compares) and the recorded configuration of a scan
    are contracts: these are the values jaxvac 0.1.0 (main at 04fc68e) computed."""
    jaxvac.enable_x64()
    cases = [
        (
            {"model": "kklt", "points": 10, "sample": {"W0": {"dist": "symmetric", "scale": 1e-3}}},
            "41d290e24a7728b2fe3b3e5bdfad3646e5c29f29e1450510221ae97a259fafa4",
        ),
        (
            {
                "model": "kklt",
                "points": 100,
                "sample": {"W0": {"dist": "choice", "values": [1, 2]}},
                "solver": "rku-line",
            },
            "8f0f68236abcd7b9a49406c13c56a82e8495b5eb5b784182bcaea4902534b9ea",
        ),
        (
            {
                "model": "kklt",
                "points": 100,
                "sample": {
                    "W0": {"dist": "normal", "std": 1e-3},
                    "A": {"dist": "choice", "values": [1, 2.5], "weights": [1, 3]},
                },
            },
            "df392d1702a17b9806b67440db5899e5d0d67cd0b8fb03c350791d28124c9cfe",
        ),
    ]
    for raw, fingerprint in cases:
        assert read_config(raw).fingerprint() == fingerprint
    cfg = read_config(cases[2][0])
    assert json.dumps(cfg.data) == (
        '{"model": "kklt", "points": 100, "starts": 16, "seed": 0, "chunk": 1024, "keep": "all", '
        '"fixed": {}, "sample": {"A": {"dist": "choice", "values": [1, 2.5], "weights": [1.0, '
        '3.0]}, "W0": {"dist": "normal", "mean": 0.0, "std": 0.001}}, "region": {}, "search": {}}'
    )


def test_toml_file_and_relative_model_path(tmp_path, quartic_file):
    (tmp_path / "quartic.py").write_text(QUARTIC)
    (tmp_path / "scan.toml").write_text(
        textwrap.dedent(
            """
        model = "quartic.py:Quartic"   # relative to this file
        points = 10
        [sample.c]
        dist = "normal"
        std = 2.0
        [region]
        x = [-2, 2]
        """
        )
    )
    cfg = read_config(tmp_path / "scan.toml")
    assert cfg.data["model"] == "quartic.py:Quartic"
    assert cfg.model_spec == f"{tmp_path}/quartic.py:Quartic"
    assert cfg.data == {
        "model": "quartic.py:Quartic",
        "points": 10,
        "starts": 16,
        "seed": 0,
        "chunk": 1024,
        "keep": "all",
        "fixed": {},
        "sample": {"c": {"dist": "normal", "mean": 0.0, "std": 2.0}},
        "region": {"x": [-2.0, 2.0]},
        "search": {},
    }
    assert cfg.n_chunks == 1
    (tmp_path / "bad.toml").write_text("points = [")
    with pytest.raises(InputError, match="not valid TOML"):
        read_config(tmp_path / "bad.toml")


# ---- the point solver ([solver]) ----------------------------------------------------------

ANALYTIC_SOLVER = textwrap.dedent(
    '''
    import dataclasses
    import jax
    import jax.numpy as jnp
    from jaxvac._analysis import analyse_point
    from jaxvac._classify import Result
    from jaxvac.scan._engine import start_results

    @dataclasses.dataclass(frozen=True)
    class Analytic:
        """The Quartic's critical points from its formulas: x = -v, v (and 0 if maximum)."""
        maximum: bool = True

        def __call__(self, model, key):
            xs = [-model.v, model.v] + ([0.0 * model.v] if self.maximum else [])
            a = jax.vmap(lambda y: analyse_point(model, y))(jnp.stack(xs)[:, None])
            return start_results(a, result=a.result, steps=jnp.zeros(len(xs), jnp.int32),
                                 distinct=a.result == Result.successful)
    '''
)


@pytest.mark.slow  # 25-55 s: run by .ci/run after the default suite (10-min budget)
def test_start_fields_are_the_analysis_fields_a_scan_stores():
    """START_FIELDS is derived from PointAnalysis: every per-start column of a scan's rows
    comes from one of them, and start_results returns exactly them, with the stored
    integer and boolean dtypes."""
    import dataclasses

    from jaxvac._analysis import PointAnalysis, analyse_point
    from jaxvac.models import KKLT
    from jaxvac.scan._solvers import NOT_KEPT, START_FIELDS, start_results
    from jaxvac.scan._storage import ROW_COLUMNS

    jaxvac.enable_x64()
    analysis_fields = [f.name for f in dataclasses.fields(PointAnalysis)]
    assert NOT_KEPT <= set(analysis_fields)
    assert START_FIELDS == tuple(n for n in analysis_fields if n not in NOT_KEPT) + (
        "steps",
        "distinct",
    )
    stored_as = {
        "type": "critical_type",
        "type_code": "critical_type",
        "vacuum_code": "vacuum",
        "result_code": "result",
    }
    from_starts = set(ROW_COLUMNS) - {"point", "start"}
    assert {stored_as.get(c, c) for c in from_starts} <= set(START_FIELDS)
    a = jax.vmap(lambda y: analyse_point(KKLT(), y))(jnp.array([[113.6, 0.0], [90.0, 0.0]]))
    out = start_results(a, result=a.result, steps=jnp.ones(2), distinct=jnp.ones(2))
    assert tuple(out) == START_FIELDS
    assert {
        k: str(out[k].dtype) for k in ("n_negative", "n_flat", "result", "steps", "distinct")
    } == {
        "n_negative": "int32",
        "n_flat": "int32",
        "result": "int32",
        "steps": "int32",
        "distinct": "bool",
    }
    np.testing.assert_array_equal(out["V"], a.V)


def test_scan_modules_import_without_circles():
    """The modules of jaxvac/scan import downward only: no circle among their imports of
    each other, function-local imports included (docs/scans.md, "How the package is laid
    out")."""
    import ast
    import importlib
    import pathlib

    folder = pathlib.Path(importlib.import_module("jaxvac.scan").__file__).parent
    graph = {}
    for path in folder.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                deps.add(node.module.split(".")[0])
        graph[path.stem] = deps - {path.stem}
    assert "_config" in graph and "_engine" in graph
    order: list[str] = []  # a topological order exists iff there is no circle

    def visit(module, path=()):
        assert module not in path, f"import circle: {' -> '.join(path + (module,))}"
        if module not in order:
            for dep in sorted(graph.get(module, ())):
                visit(dep, path + (module,))
            order.append(module)

    for module in sorted(graph):
        visit(module)


def test_solver_from_toml_is_recorded_and_a_resume_with_another_is_refused(quartic_file, tmp_path):
    (tmp_path / "analytic.py").write_text(ANALYTIC_SOLVER)
    toml = textwrap.dedent(
        f"""
        model = "{quartic_file}:Quartic"
        points = 12
        chunk = 6
        [fixed]
        lam = 0.5
        [sample.v]
        dist = "uniform"
        low = 0.5
        high = 2.0
        [region]
        x = [-3, 3]
        [solver]
        name = "analytic.py:Analytic"   # relative to this file
        """
    )
    (tmp_path / "scan.toml").write_text(toml)
    cfg = read_config(tmp_path / "scan.toml")
    assert cfg.data["solver"] == {"name": "analytic.py:Analytic", "maximum": True}
    assert cfg.solver_spec == f"{tmp_path}/analytic.py:Analytic"
    result = scan(tmp_path / "scan.toml", tmp_path / "out", progress=False)
    t = result.to_pandas()
    assert len(t) == 12 * 3 and (t["result"] == "successful").all()
    v, x = t["v"].to_numpy(), t["x"].to_numpy()
    np.testing.assert_allclose(x, np.tile([-1.0, 1.0, 0.0], 12) * v, rtol=0, atol=0)
    np.testing.assert_allclose(t["V"], np.where(x == 0, 0.5 + 0.5 * v**4, 0.5), rtol=1e-12)
    manifest = json.loads((tmp_path / "out" / "_manifest.json").read_text())
    assert manifest["config"]["solver"] == {"name": "analytic.py:Analytic", "maximum": True}
    # another solver option: another fingerprint, and the resume is refused naming it
    (tmp_path / "scan.toml").write_text(toml + "maximum = false\n")
    other = read_config(tmp_path / "scan.toml")
    other_fingerprint = other.fingerprint()
    assert other_fingerprint != cfg.fingerprint()
    with pytest.raises(InputError, match=r"solver\.maximum: True -> False"):
        scan(other, tmp_path / "out", resume=True, progress=False)
    # the solver's source file is part of the fingerprint, as a user model's is
    (tmp_path / "analytic.py").write_text(ANALYTIC_SOLVER + "\n# edited\n")
    assert read_config(tmp_path / "scan.toml").fingerprint() != other_fingerprint
    # and so is the default solver: no [solver] is another configuration
    default = tmp_path / "default.toml"
    default.write_text(toml.split("[solver]")[0])
    with pytest.raises(InputError, match=r"solver: \{.*\} -> '<unset>'"):
        scan(default, tmp_path / "out", resume=True, progress=False)


def test_resume_of_a_default_search_scan_with_a_named_solver_is_refused(
    reference, quartic_file, analytic_solver
):
    with pytest.raises(InputError, match="records no point solver: it was made with the default"):
        scan(
            base_config(quartic_file, solver=analytic_solver),
            reference.path,
            resume=True,
            progress=False,
        )


@pytest.fixture(scope="session")
def analytic_solver(tmp_path_factory):
    path = tmp_path_factory.getbasetemp() / "quartic-model" / "analytic.py"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(ANALYTIC_SOLVER)
    return f"{path}:Analytic"


def test_one_compilation_per_chunk_shape(quartic_file, analytic_solver, tmp_path):
    """The last, short chunk is padded (no second compilation); another seed or other
    sampled values reuse the compiled chunk function (they are traced, not static)."""
    from jaxvac.scan._engine import _run_chunk

    cfg = base_config(quartic_file, points=20, chunk=6, solver=analytic_solver)  # 6+6+6+2
    before = _run_chunk._cache_size()
    first = scan(cfg, tmp_path / "a", progress=False)
    assert _run_chunk._cache_size() == before + 1
    assert len(first.to_pandas()) == 20 * 3
    cfg2 = base_config(
        quartic_file, points=9, chunk=6, seed=99, solver=analytic_solver, fixed={"lam": 0.25}
    )
    scan(cfg2, tmp_path / "b", progress=False)
    assert _run_chunk._cache_size() == before + 1


def test_progress_bar_on_a_terminal_only(
    quartic_file, analytic_solver, tmp_path, capsys, monkeypatch
):
    cfg = base_config(quartic_file, points=12, chunk=6, solver=analytic_solver)
    scan(cfg, tmp_path / "bar", progress=True)
    err = capsys.readouterr().err
    # count, elapsed<ETA, rate, vacua found so far
    # whole points counted as integers (12/12, not 12.0/12.0)
    assert re.search(
        r"scan: 100%.* 12/12 \[\d\d:\d\d<\d\d:\d\d,\s+[\d.]+(pt/s|s/pt), vacua=36\]", err
    )
    monkeypatch.setenv("CI", "true")  # default: a bar only on a terminal and not in CI
    scan(cfg, tmp_path / "quiet", progress=None)
    assert capsys.readouterr().err == ""


def test_solver_in_toml_and_in_python_are_one_configuration():
    from jaxvac.reproduce._rku_scan import LineSolver, scan_config
    from jaxvac.scan._engine import search_point_solver

    default = read_config(scan_config(100))
    assert "solver" not in default.data
    # the default search, given in Python, leaves the configuration (and old scans) alone
    assert default.with_point_solver(search_point_solver(default)) is default
    named = read_config({**scan_config(100), "solver": "rku-line"})
    expected = {
        "name": "jaxvac.reproduce._rku_scan:LineSolver",
        "bisections": 60,
        "n_grid": 2400,
        "slots": 6,
        "t_hi": 200.0,
        "t_lo": 1.0,
    }
    assert named.data["solver"] == expected
    assert named.point_solver() == LineSolver()
    in_python = default.with_point_solver(LineSolver())
    assert in_python.data == named.data and in_python.fingerprint() == named.fingerprint()
    assert named.fingerprint() != default.fingerprint()
    assert named.with_point_solver(LineSolver()) == named
    with pytest.raises(InputError, match="differs from the configuration's"):
        named.with_point_solver(LineSolver(n_grid=1200))
    coarse = read_config({**scan_config(100), "solver": {"name": "rku-line", "n_grid": 1200}})
    assert coarse.point_solver() == LineSolver(n_grid=1200)
    assert coarse.fingerprint() != named.fingerprint()


@pytest.mark.parametrize(
    "solver, message",
    [
        ("nosuch", "use a short name (search, rku-line, flux-susy) or path/to/file.py:Class"),
        # no module is imported unless it is one of jaxvac's own solvers (issue #14)
        ("no_such_module_xyz:Solver", "not a built-in point solver"),
        ("jaxvac.scan._engine:NoSuch", "not a built-in point solver"),
        ("os:system", "not a built-in point solver"),
        ("missing.py:Solver", "file "),
        ({"name": "search", "starts": 3}, "takes its options from [search]"),
        ({"name": "rku-line", "grid": 3}, "bad options ['grid']"),
        ({"n_grid": 3}, "[solver] needs a name"),
        (3, "solver must be a name or a [solver] table"),
    ],
)
def test_bad_solver_names_the_problem(quartic_file, solver, message):
    with pytest.raises(InputError) as e:
        read_config(base_config(quartic_file, solver=solver))
    assert message in str(e.value)


# ---- parameter draws ---------------------------------------------------------------------


def _draws(quartic_file, sample, n=20000, seed=1):
    cfg = read_config(base_config(quartic_file, sample=sample, seed=seed, fixed={}))
    base = jax.tree.map(lambda x: jnp.asarray(x), cfg.base_model())
    frozen = freeze(cfg.sample)
    fn = jax.jit(jax.vmap(lambda pid: draw_parameters(frozen, base, seed, pid)))
    return {k: np.asarray(v) for k, v in fn(jnp.arange(n, dtype=jnp.int64)).items()}


def test_distributions_have_their_laws(quartic_file):
    n = 20000
    d = _draws(
        quartic_file,
        {
            "c": {"dist": "uniform", "low": -1.0, "high": 3.0},
            "lam": {"dist": "loguniform", "low": 1e-3, "high": 1e3},
            "v": {"dist": "normal", "mean": 2.0, "std": 0.5},
        },
        n,
    )
    # Kolmogorov-Smirnov against the exact laws (p > 1e-3: fails by chance once in 1000)
    assert sps.kstest(d["c"], sps.uniform(-1.0, 4.0).cdf).pvalue > 1e-3
    assert sps.kstest(np.log10(d["lam"]), sps.uniform(-3.0, 6.0).cdf).pvalue > 1e-3
    assert sps.kstest(d["v"], sps.norm(2.0, 0.5).cdf).pvalue > 1e-3
    # independent parameters
    assert abs(np.corrcoef(d["c"], d["v"])[0, 1]) < 4 / np.sqrt(n)

    d = _draws(
        quartic_file,
        {
            "c": {"dist": "symmetric", "scale": 2.0},
            "lam": {"dist": "signed-loguniform", "low": 1e-4, "high": 1e-2},
            "v": {"dist": "choice", "values": [0.5, 1.0, 4.0], "weights": [1, 2, 1]},
        },
        n,
    )
    assert sps.kstest(d["c"], sps.uniform(-2.0, 4.0).cdf).pvalue > 1e-3
    mag = np.abs(d["lam"])
    assert mag.min() >= 1e-4 and mag.max() <= 1e-2
    assert sps.kstest(np.log10(mag), sps.uniform(-4.0, 2.0).cdf).pvalue > 1e-3
    assert abs(np.mean(d["lam"] > 0) - 0.5) < 4 * 0.5 / np.sqrt(n)
    freq = [np.mean(d["v"] == x) for x in (0.5, 1.0, 4.0)]
    np.testing.assert_allclose(freq, [0.25, 0.5, 0.25], atol=4 * 0.5 / np.sqrt(n))


def test_a_new_law_is_one_registered_class(quartic_file, monkeypatch):
    """A distribution is a class with normalise/draw/support: registering one makes it a
    ``dist`` of the configuration, checked against the model at its support like the
    built-in laws, drawn inside the chunk function and recorded by its fields."""
    from jaxvac.scan import _sampling

    monkeypatch.setattr(_sampling, "DISTRIBUTIONS", dict(_sampling.DISTRIBUTIONS))

    @_sampling.register
    class Triangular(_sampling.Distribution):
        name = "triangular"
        low: float
        high: float

        @classmethod
        def normalise(cls, table, where):
            return cls(*_sampling._low_high(table, where))

        def draw(self, key, shape=()):
            u = jax.random.uniform(key, (2, *shape), jnp.float64)
            return self.low + (self.high - self.low) * u.mean(axis=0)

        def support(self):
            return (self.low, self.high)

    assert "triangular" in _sampling.DISTRIBUTIONS
    n = 20000
    d = _draws(quartic_file, {"c": {"dist": "triangular", "low": -1.0, "high": 3.0}}, n)
    assert sps.kstest(d["c"], sps.triang(0.5, -1.0, 4.0).cdf).pvalue > 1e-3
    cfg = read_config(
        base_config(quartic_file, sample={"c": {"dist": "triangular", "low": -1, "high": 3}})
    )
    assert cfg.data["sample"] == {"c": {"dist": "triangular", "low": -1.0, "high": 3.0}}
    with pytest.raises(InputError, match="sample.v: Quartic refuses v=-1.0"):
        read_config(
            base_config(quartic_file, sample={"v": {"dist": "triangular", "low": -1, "high": 3}})
        )


def test_draws_depend_on_seed_and_point_only(quartic_file):
    sample = {
        "c": {"dist": "symmetric", "scale": 1.0},
        "v": {"dist": "uniform", "low": 0.5, "high": 2.0},
    }
    a = _draws(quartic_file, sample, 100, seed=5)
    b = _draws(quartic_file, sample, 50, seed=5)
    np.testing.assert_array_equal(a["c"][:50], b["c"])  # no dependence on how many/which chunk
    c = _draws(quartic_file, {"c": sample["c"]}, 100, seed=5)
    np.testing.assert_array_equal(a["c"], c["c"])  # adding a parameter leaves c's draws alone
    d = _draws(quartic_file, sample, 100, seed=6)
    assert not np.any(a["c"] == d["c"])


# ---- the engine against the analytic critical points --------------------------------------


def test_rows_are_the_analytic_critical_points(reference):
    t = reference.to_pandas()
    assert len(t) == 40 * 6 and reference.complete
    assert list(t["point"]) == sorted(t["point"]) and t["start"].max() == 5
    good = t[t["result"] == "successful"]
    assert len(good) >= 0.9 * len(t)
    c, lam, v, x = (good[k].to_numpy() for k in ("c", "lam", "v", "x"))
    np.testing.assert_array_equal(lam, 0.5)
    m2 = np.stack(good["masses_squared"].to_numpy())[:, 0]
    at_min = np.abs(np.abs(x) - v) <= 1e-9 * v
    at_max = np.abs(x) <= 1e-9
    assert np.all(at_min | at_max)  # no spurious critical point
    assert np.all(good["type"][at_min] == "minimum") and np.all(good["type"][at_max] == "maximum")
    np.testing.assert_allclose(good["V"][at_min], c[at_min], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(good["V"][at_max], (c + lam * v**4)[at_max], rtol=1e-12)
    np.testing.assert_allclose(m2[at_min], (8 * lam * v**2)[at_min], rtol=1e-9)
    np.testing.assert_allclose(m2[at_max], (-4 * lam * v**2)[at_max], rtol=1e-9)
    expected_vacuum = np.where(good["V"] > 0, "dS", "AdS")
    assert np.all(good["vacuum"].astype(str) == expected_vacuum)
    assert good["susy"].isna().all()  # plain potential: no supersymmetry column value
    assert (good["bf_stable"].notna() == (good["vacuum"] == "AdS")).all()
    # distinct: one row per critical point per parameter point
    reps = good[good["distinct"]]
    keys = list(zip(reps["point"], np.round(reps["x"], 6)))
    assert len(keys) == len(set(keys))
    found = set(zip(good["point"], np.round(good["x"], 6)))
    assert found == set(keys)


def test_counts_match_rows_and_parameters(reference):
    t = reference.to_pandas()
    c = reference.counts
    assert c["points"] == 40 and c["starts"] == 240
    assert sum(c["results"].values()) == 240
    assert c["results"]["successful"] == int((t["result"] == "successful").sum())
    reps = t[(t["result"] == "successful") & t["distinct"]]
    assert c["vacua"]["successful"] == len(reps)
    assert c["vacua"]["dS-minima"] == int(
        ((reps["vacuum"] == "dS") & (reps["type"] == "minimum")).sum()
    )
    # a point has dS minima exactly when c > 0 (and a minimum was found)
    with_min = set(reps[reps["type"] == "minimum"]["point"])
    c_of = t.groupby("point")["c"].first()
    expected = sum(1 for p in with_min if c_of[p] > 0)
    assert c["points_with"]["dS-minima"] == expected


def test_every_kind_counts_the_rows_it_selects(reference):
    """The counts (numpy masks over codes) and ``vacua(kind)`` (Arrow filters over names)
    come from one table of kinds: they agree for every kind, and each kind's rows are the
    ones its definition in docs/scans.md names."""
    from jaxvac._cli.plot import KINDS_HELP
    from jaxvac.scan._kinds import KEEP, KINDS

    assert KINDS_HELP == ", ".join(KINDS)
    assert KEEP == ("all", "successful", "minima", "dS", "dS-minima")
    t = reference.to_pandas()
    reps = t[(t["result"] == "successful") & t["distinct"]]
    minimum, vacuum = reps["type"] == "minimum", reps["vacuum"].astype(str)
    expected = {
        "successful": reps.index == reps.index,
        "minima": minimum,
        "dS": vacuum == "dS",
        "dS-minima": minimum & (vacuum == "dS"),
        "AdS": vacuum == "AdS",
        "AdS-minima": minimum & (vacuum == "AdS"),
        "Minkowski": vacuum == "Minkowski",
        "saddles": reps["type"] == "saddle",
        "maxima": reps["type"] == "maximum",
    }
    assert list(expected) == list(KINDS)
    assert reference.counts["vacua"]["maxima"] > 0 and reference.counts["vacua"]["AdS"] > 0
    for name, sel in expected.items():
        rows = reference.vacua(name, columns=["point", "start"]).to_pandas()
        assert list(zip(rows["point"], rows["start"])) == list(
            zip(reps["point"][sel], reps["start"][sel])
        ), name
        assert reference.counts["vacua"][name] == int(sel.sum()), name
        assert reference.counts["points_with"][name] == reps["point"][sel].nunique(), name


@pytest.mark.parametrize("keep", ["successful", "minima", "dS", "dS-minima"])
def test_keep_writes_the_selected_rows_and_the_same_counts(reference, quartic_file, tmp_path, keep):
    result = scan(base_config(quartic_file, keep=keep), tmp_path / keep, progress=False)
    full = reference.to_pandas()
    sel = (full["result"] == "successful") & full["distinct"]
    if keep in ("minima", "dS-minima"):
        sel &= full["type"] == "minimum"
    if keep in ("dS", "dS-minima"):
        sel &= full["vacuum"] == "dS"
    expect = reference.table().filter(pa.array(sel.to_numpy()))
    got = result.table()
    assert got.num_rows == expect.num_rows > 0
    assert_same_rows(got, expect)
    assert result.counts == reference.counts
    assert result.vacua(keep).num_rows == got.num_rows


def test_same_configuration_same_rows(reference, quartic_file, tmp_path):
    again = scan(base_config(quartic_file), tmp_path / "again", progress=False)
    assert_same_rows(again.table(), reference.table())


# ---- directory, resume, refusals ----------------------------------------------------------


def test_manifest_records_the_scan(reference):
    m = json.loads(open(os.path.join(reference.path, "_manifest.json")).read())
    assert m["format"] == "jaxvac-scan" and m["schema_version"] == 1
    assert m["jaxvac_version"] and m["seed"] == 7 and m["config"]["points"] == 40
    assert m["completed_chunks"] == list(range(5)) and m["chunks_total"] == 5 and m["complete"]
    assert m["coordinates"] == ["x"]
    assert sorted(chunk_files(reference.path)) == list(range(5))


def test_refuses_non_empty_directory_and_changed_configuration(reference, quartic_file, tmp_path):
    (tmp_path / "junk.txt").write_text("x")
    with pytest.raises(InputError, match="is not empty; to continue the scan there use --resume"):
        scan(base_config(quartic_file), tmp_path, progress=False)
    with pytest.raises(InputError, match="has no _manifest.json"):
        scan(base_config(quartic_file), tmp_path, resume=True, progress=False)
    with pytest.raises(InputError) as e:
        scan(base_config(quartic_file, seed=8), reference.path, resume=True, progress=False)
    assert "configuration differs" in str(e.value) and "seed: 7 -> 8" in str(e.value)
    # resuming a complete scan changes nothing
    again = scan(base_config(quartic_file), reference.path, resume=True, progress=False)
    assert_same_rows(again.table(), reference.table())


def test_resume_after_losing_chunks(reference, quartic_file, tmp_path, capsys):
    import shutil

    out = tmp_path / "partial"
    shutil.copytree(reference.path, out)
    os.unlink(out / "chunk-000001.parquet")
    os.unlink(out / "chunk-000004.parquet")
    (out / ".chunk-000002.parquet.0123456789ab.tmp").write_bytes(b"half a file")
    (out / "chunk-000003.parquet").write_bytes(b"torn")  # not a Parquet file: recomputed
    # the manifest records chunks 0-4: reading the scan names the first file that is not there
    with pytest.raises(
        InputError, match=r"chunk-000001.parquet is damaged \(the file is missing\)"
    ):
        load_scan(out)
    resumed = scan(base_config(quartic_file), out, resume=True, progress=False)
    assert_same_rows(resumed.table(), reference.table())
    assert not [n for n in os.listdir(out) if n.endswith(".tmp")]
    said = capsys.readouterr().err.splitlines()
    assert said == [
        "jaxvac scan: chunk-000001.parquet is missing; recomputing it",
        "jaxvac scan: chunk-000003.parquet is damaged (its sha256 differs from the one "
        "the manifest records, or it does not read); recomputing it",
        "jaxvac scan: chunk-000004.parquet is missing; recomputing it",
    ]


def test_full_disk_leaves_a_valid_dataset_and_resumes(
    reference, quartic_file, tmp_path, monkeypatch
):
    calls = {"n": 0}
    real = pq.write_table

    def failing(table, where, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            with open(where, "wb") as f:  # a partial write, then the disk is full
                f.write(b"PAR1")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(table, where, **kw)

    monkeypatch.setattr(pq, "write_table", failing)
    out = tmp_path / "full"
    with pytest.raises(ScanStorageError) as e:
        scan(base_config(quartic_file), out, progress=False)
    msg = str(e.value)
    assert "No space left on device" in msg and "--resume" in msg and "chunk-000002" in msg
    assert sorted(os.listdir(out)) == [
        ".jaxvac.lock",
        "_manifest.json",
        "chunk-000000.parquet",
        "chunk-000001.parquet",
    ]  # the failed write's temporary is gone
    assert json.loads((out / "_manifest.json").read_text())["completed_chunks"] == [0, 1]
    assert load_scan(out).table().num_rows == 2 * 8 * 6
    monkeypatch.setattr(pq, "write_table", real)
    resumed = scan(base_config(quartic_file), out, resume=True, progress=False)
    assert_same_rows(resumed.table(), reference.table())


def test_unwritable_directory_is_a_clear_error(quartic_file, tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ScanStorageError, match="cannot write the scan directory"):
        scan(base_config(quartic_file), tmp_path / "afile" / "out", progress=False)

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "makedirs", denied)
    with pytest.raises(ScanStorageError, match="Permission denied.*writable directory"):
        scan(base_config(quartic_file), tmp_path / "ro" / "out", progress=False)


# ---- readers --------------------------------------------------------------------------------


def test_readable_by_pandas_and_pyarrow_ignoring_temporaries(reference, tmp_path):
    import shutil

    import pandas as pd

    out = tmp_path / "copy"
    shutil.copytree(reference.path, out)
    (out / ".chunk-000009.parquet.x.tmp").write_bytes(b"garbage of an interrupted write")
    df = pd.read_parquet(out)
    assert len(df) == reference.table().num_rows
    assert str(df["result"].dtype) == "category" and df["masses_squared"].iloc[0].shape == (1,)
    t = pads.dataset(out, format="parquet").to_table()
    assert t.num_rows == len(df)
    assert t.schema.field("type").type == pa.dictionary(pa.int8(), pa.string())


def test_readable_by_polars(reference):
    pl = pytest.importorskip("polars")
    df = pl.read_parquet(os.path.join(reference.path, "*.parquet"))
    assert df.height == reference.table().num_rows
    assert df.filter(pl.col("vacuum") == "dS").height == int(
        (reference.to_pandas()["vacuum"] == "dS").sum()
    )


def test_readable_by_duckdb(reference):
    duckdb = pytest.importorskip("duckdb")
    n = duckdb.sql(
        f"select count(*) from read_parquet('{reference.path}/*.parquet') "
        "where result = 'successful' and \"distinct\""  # a keyword in SQL: quoted
    ).fetchall()[0][0]
    assert n == reference.counts["vacua"]["successful"]


# ---- command line -------------------------------------------------------------------------


def test_cli_scan_and_errors(quartic_file, tmp_path, capsys, reference):
    from jaxvac.cli import main

    cfg = base_config(quartic_file)
    toml = tmp_path / "scan.toml"
    toml.write_text(to_toml(cfg))
    assert main(["scan", str(toml), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr()
    assert "40 parameter points, 240 starts" in out.out and "5/5 chunks complete" in out.out
    assert out.err == ""  # no progress bar when not on a terminal
    assert_same_rows(load_scan(tmp_path / "out").table(), reference.table())
    assert main(["scan", str(toml), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--resume" in err
    toml.write_text(to_toml({**cfg, "points": -1}))
    assert main(["scan", str(toml), "--out", str(tmp_path / "new")]) == 2
    assert "points must be between 1" in capsys.readouterr().err


# ---- figures ---------------------------------------------------------------------------------


def test_plot_writes_readable_figures_and_summary(reference, tmp_path, capsys):
    from jaxvac.cli import main

    out = tmp_path / "fig"
    assert (
        main(
            [
                "plot",
                reference.path,
                "--out",
                str(out),
                "--params",
                "v",
                "c",
                "--analytic-exponent",
                "0.5",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    k = reference.counts["points_with"]["dS-minima"]
    assert f"{k}/40 parameter points with dS-minima vacua" in printed
    for name in ("lambda_histogram.png", "stable_fraction.png", "mass_spectra.png"):
        data = (out / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["fractions_per_point"]["dS-minima"]["k"] == k
    assert summary["lambda_histogram"]["n"] == reference.counts["vacua"]["dS-minima"]
    assert (
        sum(summary["lambda_histogram"]["histogram"]["counts"]) == summary["lambda_histogram"]["n"]
    )
    assert summary["mass_spectra"]["n"] == reference.counts["vacua"]["minima"]
    assert main(["plot", reference.path, "--params", "c", "lam"]) == 2
    assert "'lam' is not a sampled parameter" in capsys.readouterr().err


def test_heat_map_recomputes_the_draws_of_every_point(reference):
    """The heat map needs the parameters of points that wrote no rows (keep): they are
    recomputed from (seed, point id) and equal the ones the scan used."""
    from jaxvac.scan._plot import _all_parameter_values

    values = _all_parameter_values(reference, ["c", "v"])
    np.testing.assert_array_equal(values["point"], np.arange(40))
    t = reference.to_pandas().groupby("point")[["c", "v"]].first()
    np.testing.assert_array_equal(values["c"], t["c"].to_numpy())
    np.testing.assert_array_equal(values["v"], t["v"].to_numpy())


@pytest.mark.parametrize("in_flight", ["1", "3"])
def test_chunks_in_flight_do_not_change_the_rows(
    reference, quartic_file, tmp_path, monkeypatch, in_flight
):
    """Chunks run from several threads at once (XLA's CPU backend runs one execution on ~one
    core; jaxvac/_parallel.py) and are written in order: one or three in flight give the rows
    of the reference scan, chunk files 0..4 and a complete manifest."""
    monkeypatch.setenv("JAXVAC_SCAN_IN_FLIGHT", in_flight)
    out = tmp_path / f"inflight{in_flight}"
    result = scan(base_config(quartic_file), out, progress=False)
    assert_same_rows(result.table(), reference.table())
    assert sorted(chunk_files(out)) == [0, 1, 2, 3, 4]
    assert json.loads((out / "_manifest.json").read_text())["completed_chunks"] == [0, 1, 2, 3, 4]


def test_bad_chunks_in_flight_is_refused(quartic_file, tmp_path, monkeypatch):
    monkeypatch.setenv("JAXVAC_SCAN_IN_FLIGHT", "0")
    with pytest.raises(InputError, match="JAXVAC_SCAN_IN_FLIGHT must be an integer >= 1"):
        scan(base_config(quartic_file, points=16), tmp_path / "bad", progress=False)
    assert chunk_files(tmp_path / "bad") == {}  # refused before any chunk ran
