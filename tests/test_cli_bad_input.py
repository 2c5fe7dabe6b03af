"""Bad input on the command line, one row per input: exit code 2, exactly one line on stderr
(``jaxvac CMD: error: ...``) naming the problem, never a traceback, and nothing written —
no file created, changed or deleted under the test's directory (the working directory of the
command, where every path of a row points). Issue #14 ("Bad input: one line, exit 2, never a
traceback") lists the first rows; the others are refusals that were already clean.

Every command runs in-process (``jaxvac.cli.main``) and is refused before any search is
compiled, so the whole table takes seconds. Rows that need a scan directory use copies of
``test_scan``'s reference scan.
"""

import fcntl
import json
import os
import shutil
import sys

import pytest
from scanlib import base_config, to_toml

from jaxvac.cli import main

LOCK = ".jaxvac.lock"  # jaxvac.scan._storage.LOCK (checked below)

KKLT_TOML = """model = "kklt"
points = 4
[region]
T = [50.0, 300.0]
"""

#: (argv, text the error line must contain, options). In argv, {tmp} is the test's directory
#: (also the working directory), {model} the quartic test model file, {toml} a scan
#: configuration written from options["toml"] (overrides of test_scan.base_config) or
#: options["toml_text"], {scan} a copy of the reference scan (options["scan"] says which
#: state: "complete", "killed" before its first chunk, "corrupt", "locked", "no-manifest").
#: options["files"] are written under {tmp} first; options["code"] is the exit code (2).
ROWS = [
    # ---- models: built-in names or path/to/file.py:Class, nothing else -------------------
    ("check /etc/hostname:X --at T=1", "path/to/file.py:ClassName", {}),
    (
        "check {tmp}/notes.txt:X --at T=1",
        "path/to/file.py:ClassName",
        {"files": {"notes.txt": "x = 1\n"}},
    ),
    ("check os:system --at T=1", "path/to/file.py:ClassName", {}),
    ("check nosuchmodel --at T=1", "Unknown model 'nosuchmodel'", {}),
    ("check missing.py:Model --at T=1", "does not exist", {}),
    ("check {model}:NoSuch --at x=1", "defines no 'NoSuch'", {}),
    (
        "check {tmp}/broken.py:M --at x=1",
        "importing",
        {"files": {"broken.py": "raise RuntimeError('boom')\n"}},
    ),
    (
        "check {tmp}/f.py:f --at x=1",
        "is not a jaxvac.SupergravityModel",
        {"files": {"f.py": "def f():\n    pass\n"}},
    ),
    # ---- parameters (--set) ---------------------------------------------------------------
    ("check kklt --set b=1 --at T=1", "no parameter 'b'", {}),
    ("check kklt --set a=-1 --at T=1", "'a' must be > 0", {}),
    ("check kklt --set W0=abc --at T=1", "W0: cannot read 'abc'", {}),
    ("check kklt --set W0=true --at T=1", "'W0' must be a number", {}),
    ("check kklt --set W0=1e400 --at T=1", "'W0' must be finite", {}),
    ("check kklt --set W0=1,W0=2 --at T=1", "--set: W0 given twice", {}),
    ("check kklt --set =1 --at T=1", "missing name", {}),
    ("check kklt --set W0 --at T=1", "expected NAME=VALUE", {}),
    # ---- the point (--at) -----------------------------------------------------------------
    ("check kklt --at U=1", "'U' is not a modulus", {}),
    ("check kklt --at T", "expected NAME=VALUE", {}),
    ("check kklt --at T=true", "T: expected a number", {}),
    ("check kklt --at T=1 --at T=2", "--at: T given twice", {}),
    ("check kklt --at T=1,T.re=2", "T.re: the real part of T is given twice", {}),
    ("check kklt --at T=abc", "T: cannot read 'abc'", {}),
    ("check kklt --at T=nan", "T: must be finite", {}),
    ("check kklt --at T.im=1", "missing value for T", {}),
    ("check kklt --at T.xx=1", "use NAME, NAME.re or NAME.im", {}),
    ("check {model}:Quartic --at x=1j", "field 'x' is real", {}),
    ("check {model}:Quartic --at x=1,y=2", "'y' is not a field", {}),
    # ---- check options ----------------------------------------------------------------------
    ("check kklt --at T=1 --rtol -1", "--rtol must be > 0", {}),
    ("check kklt --at T=1 --rtol abc", "invalid float value: 'abc'", {}),
    ("check kklt --at T=1 --digits 5", "--digits must be between 16 and 10000", {}),
    ("check kklt --at T=1 --escalate 0", "--escalate must be between 16 and 10000", {}),
    ("check kklt --at T=1 --escalate -5", "--escalate must be between 16 and 10000", {}),
    ("check kklt --at T=1 --escalate 100000", "--escalate must be between 16 and 10000", {}),
    ("check kklt", "the following arguments are required: --at", {}),
    ("check", "the following arguments are required: MODEL", {}),
    # ---- find -------------------------------------------------------------------------------
    (
        "find kklt --seed 9223372036854775808",
        "--seed must be between 0 and 9223372036854775807",
        {},
    ),
    ("find kklt --seed 123456789012345678901234", "--seed must be between 0 and", {}),
    ("find kklt --seed -1", "--seed must be between 0 and", {}),
    ("find kklt --seed x", "invalid int value: 'x'", {}),
    ("find kklt --starts 0", "--starts must be between 1 and", {}),
    ("find kklt --json --latex", "choose one output format", {}),
    ("find kklt --format csv --json", "choose one output format", {}),
    ("find kklt --format xml", "invalid choice: 'xml'", {}),
    ("find kklt --region T=1", "expected NAME=LO:HI", {}),
    ("find kklt --region T=a:b", "cannot read 'a:b' as LO:HI", {}),
    ("find kklt --region U=1:2", "'U'", {}),
    ("find kklt --region T=5:1", "lo < hi", {}),
    ("find {model}:Quartic --susy", "--susy needs a supergravity model", {}),
    ("find kklt --rtol 0", "--rtol must be > 0", {}),
    ("find kklt --escalate 3", "--escalate must be between 16 and 10000", {}),
    ("find kklt --out /proc/nope/x.json", "--out '/proc/nope/x.json': cannot write", {}),
    ("find kklt --out {tmp}", "is a directory", {}),
    ("find kklt --set W0=abc", "W0: cannot read 'abc'", {}),
    # ---- refine -------------------------------------------------------------------------------
    ("refine kklt --from {tmp}/missing.json --digits 30", "does not exist", {}),
    ("refine kklt --from {tmp}/p.json --digits 30", "not valid JSON", {"files": {"p.json": "{"}}),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "not valid UTF-8",
        {"files": {"p.json": b"\xff\xfe{}"}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "T: expected a number",
        {"files": {"p.json": '{"fields": {"T": null}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "T: expected a number",
        {"files": {"p.json": '{"fields": {"T": [1, 2]}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "T: expected a number",
        {"files": {"p.json": '{"fields": {"T": true}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "T.re: expected a number",
        {"files": {"p.json": '{"fields": {"T": {"re": null}}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "T: use only the keys 're' and 'im'",
        {"files": {"p.json": '{"fields": {"T": {"x": 1}}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "cannot read 'abc'",
        {"files": {"p.json": '{"fields": {"T": "abc"}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "critical_points[0] has no 'fields'",
        {"files": {"p.json": '{"critical_points": [{}]}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "'critical_points' must be a list",
        {"files": {"p.json": '{"critical_points": 5}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "'fields' must be an object",
        {"files": {"p.json": '{"fields": 5}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "'parameters' must be an object",
        {"files": {"p.json": '{"fields": {"T": 100}, "parameters": 3}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "expected JSON objects",
        {"files": {"p.json": "[1]"}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "neither 'fields' nor 'critical_points'",
        {"files": {"p.json": "{}"}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "holds no point",
        {"files": {"p.json": '{"critical_points": []}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "for model 'lvs', not 'kklt'",
        {"files": {"p.json": '{"model": "lvs", "fields": {"T": 100}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30",
        "W0: cannot read 'abc'",
        {"files": {"p.json": '{"fields": {"T": 100}, "parameters": {"W0": "abc"}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 5",
        "digits must be between 16 and 10000",
        {"files": {"p.json": '{"fields": {"T": 100}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30 --index 3",
        "--index must be between 0 and 0",
        {"files": {"p.json": '{"fields": {"T": 100}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30 --max-steps 0",
        "--max-steps must be >= 1",
        {"files": {"p.json": '{"fields": {"T": 100}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30 --radius-factor 0.5",
        "radius_factor must be >= 1",
        {"files": {"p.json": '{"fields": {"T": 100}}'}},
    ),
    (
        "refine kklt --from {tmp}/p.json --digits 30 --rtol 0",
        "--rtol must be > 0",
        {"files": {"p.json": '{"fields": {"T": 100}}'}},
    ),
    ("refine kklt --digits 30", "the following arguments are required: --from", {}),
    # ---- plot -----------------------------------------------------------------------------------
    ("plot {tmp}/nonexistent", "not a jaxvac scan directory (no _manifest.json)", {}),
    ("plot {tmp}", "not a jaxvac scan directory (no _manifest.json)", {}),
    ("plot {scan} --kind foo", "--kind must be one of", {"scan": "complete"}),
    ("plot {scan} --mass-kind foo", "--mass-kind must be one of", {"scan": "complete"}),
    ("plot {scan} --bins 0", "--bins must be >= 1", {"scan": "complete"}),
    ("plot {scan} --fit-upper -1", "--fit-upper must be > 0", {"scan": "complete"}),
    ("plot {scan} --beta 0.5", "--beta must be > 1", {"scan": "complete"}),
    ("plot {scan} --params c lam", "'lam' is not a sampled parameter", {"scan": "complete"}),
    ("plot {scan} --out /proc/figs", "--out '/proc/figs': cannot write", {"scan": "complete"}),
    (
        "plot {scan} --out {tmp}/afile",
        "cannot write",
        {"scan": "complete", "files": {"afile": "x"}},
    ),
    ("plot {scan}", "has no completed chunk yet", {"scan": "killed"}),
    ("plot {scan}", "chunk-000001.parquet is damaged", {"scan": "corrupt"}),
    ("plot {scan}", "unreadable manifest", {"scan": "complete", "manifest": "{"}),
    (
        "plot {scan}",
        "is not a jaxvac scan manifest",
        {"scan": "complete", "manifest": {"format": "x"}},
    ),
    ("plot {scan}", "upgrade jaxvac", {"scan": "complete", "manifest": {"schema_version": 99}}),
    (
        "plot {scan}",
        "manifest: 'chunks_total' must be",
        {"scan": "complete", "manifest": {"chunks_total": "abc"}},
    ),
    (
        "plot {scan}",
        "manifest: config.sample.c.dist must be one of",
        {"scan": "complete", "manifest": {"config.sample.c.dist": "evil"}},
    ),
    ("plot {scan} --bins x", "invalid int value: 'x'", {"scan": "complete"}),
    (
        "plot {scan} --format gif",
        "--format must be one or more of png, pdf, svg",
        {"scan": "complete"},
    ),
    ("plot {scan} --out {scan}/figures", "is inside the scan directory", {"scan": "complete"}),
    ("plot {scan} --out {scan}", "is inside the scan directory", {"scan": "complete"}),
    # ---- scan: the configuration ---------------------------------------------------------------
    ("scan {tmp}/missing.toml --out {tmp}/o", "no such file", {}),
    ("scan {toml} --out {tmp}/o", "not valid TOML", {"toml_text": "points = ["}),
    ("scan {toml} --out {tmp}/o", "unknown configuration key(s) 'colour'", {"toml": {"colour": 1}}),
    ("scan {toml} --out {tmp}/o", "points must be between 1", {"toml": {"points": 0}}),
    ("scan {toml} --out {tmp}/o", "points must be an integer", {"toml": {"points": 2.5}}),
    ("scan {toml} --out {tmp}/o", "chunk must be between 1", {"toml": {"chunk": 0}}),
    ("scan {toml} --out {tmp}/o", "seed must be between 0", {"toml": {"seed": -1}}),
    ("scan {toml} --out {tmp}/o", "keep must be one of", {"toml": {"keep": "stable"}}),
    ("scan {toml} --out {tmp}/o", "missing required key 'model'", {"toml_text": "points = 3\n"}),
    (
        "scan {toml} --out {tmp}/o",
        "Unknown model 'nosuchmodel'",
        {"toml": {"model": "nosuchmodel"}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "path/to/file.py:ClassName",
        {"toml": {"model": "/etc/hostname:X"}},
    ),
    ("scan {toml} --out {tmp}/o", "path/to/file.py:ClassName", {"toml": {"model": "os:system"}}),
    (
        "scan {toml} --out {tmp}/o",
        "sample.c.dist must be one of",
        {"toml": {"sample": {"c": {"dist": "gaussian"}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "need low < high",
        {"toml": {"sample": {"c": {"dist": "uniform", "low": 1, "high": 1}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "sample.c: missing key 'high'",
        {"toml": {"sample": {"c": {"dist": "uniform", "low": 0}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "sample.c.low must be a number",
        {"toml": {"sample": {"c": {"dist": "uniform", "low": True, "high": 2}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "needs 0 < low < high",
        {"toml": {"sample": {"c": {"dist": "loguniform", "low": 0, "high": 1}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "sample.c.std must be > 0",
        {"toml": {"sample": {"c": {"dist": "normal", "std": -1}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "unknown key(s) 'sigma'",
        {"toml": {"sample": {"c": {"dist": "normal", "std": 1, "sigma": 2}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "values must be a non-empty list",
        {"toml": {"sample": {"c": {"dist": "choice", "values": []}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "weights must be a list of 2",
        {"toml": {"sample": {"c": {"dist": "choice", "values": [1, 2], "weights": [1]}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "sample.c.low must be an integer",
        {"toml": {"sample": {"c": {"dist": "integer", "low": 1.5, "high": 3}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "sample.c: draws are not finite in float64",
        {"toml": {"sample": {"c": {"dist": "uniform", "low": -1e308, "high": 1e308}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "sample.c: draws are not finite in float64",
        {"toml": {"sample": {"c": {"dist": "symmetric", "scale": 1e308}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "sample.c: draws are not finite in float64",
        {"toml": {"sample": {"c": {"dist": "normal", "std": 1e308}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "sample.c.high must be an integer between",
        {"toml": {"sample": {"c": {"dist": "integer", "low": 0, "high": 9223372036854775807}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "has no parameter 'w'; its parameters are: c, lam, v",
        {"toml": {"sample": {"w": {"dist": "symmetric", "scale": 1}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "also in [fixed]",
        {"toml": {"sample": {"lam": {"dist": "symmetric", "scale": 1}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "sample.v: Quartic refuses v=-1.0",
        {"toml": {"sample": {"v": {"dist": "uniform", "low": -1, "high": 1}}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "fixed.mu: Quartic has no parameter 'mu'",
        {"toml": {"fixed": {"mu": 1}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "'lam' must be a number",
        {"toml": {"fixed": {"lam": [1.0, 2.0]}}},
    ),
    ("scan {toml} --out {tmp}/o", "'lam' must be a number", {"toml": {"fixed": {"lam": True}}}),
    (
        "scan {toml} --out {tmp}/o",
        "fixed.lam: cannot read 'abc'",
        {"toml": {"fixed": {"lam": "abc"}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "'W0' must be a number",
        {"toml_text": KKLT_TOML + "[fixed]\nW0 = [1.0, 2.0]\n"},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "'y' is not a coordinate of Quartic",
        {"toml": {"region": {"y": [0, 1]}}},
    ),
    ("scan {toml} --out {tmp}/o", "lo < hi", {"toml": {"region": {"x": [1, 0]}}}),
    ("scan {toml} --out {tmp}/o", "region.x must be [LO, HI]", {"toml": {"region": {"x": [0]}}}),
    ("scan {toml} --out {tmp}/o", "[search]", {"toml": {"search": {"max_step": 3}}}),
    # ---- scan: the point solver: only jaxvac's own or a file the configuration names ------------
    (
        "scan {toml} --out {tmp}/o",
        "solver 'os:system': not a built-in point solver",
        {"toml": {"solver": {"name": "os:system", "command": "touch {tmp}/PWNED"}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "solver 'subprocess:run': not a built-in point solver",
        {"toml": {"solver": {"name": "subprocess:run", "args": ["touch", "{tmp}/PWNED"]}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "not a built-in point solver",
        {"toml": {"solver": {"name": "jaxvac.scan._engine:NoSuch"}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "use a short name (search, rku-line, flux-susy) or path/to/file.py:Class",
        {"toml": {"solver": {"name": "nosuch"}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "does not exist",
        {"toml": {"solver": {"name": "missing.py:Solver"}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "f is not a class",
        {"toml": {"solver": {"name": "f.py:f"}}, "files": {"f.py": "import os\nf = os.system\n"}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "takes its options from [search]",
        {"toml": {"solver": {"name": "search", "starts": 3}}},
    ),
    (
        "scan {toml} --out {tmp}/o",
        "bad options ['grid']",
        {"toml": {"solver": {"name": "rku-line", "grid": 3}}},
    ),
    ("scan {toml} --out {tmp}/o", "[solver] needs a name", {"toml": {"solver": {"n_grid": 3}}}),
    # ---- scan: options and the directory: validated before anything is written --------------------
    (
        "scan {toml} --out {tmp}/o --workers abc",
        "--workers must be a number of local workers",
        {"toml": {}},
    ),
    ("scan {toml} --out {tmp}/o --workers 0", "--workers: need at least 1 worker", {"toml": {}}),
    (
        "scan {toml} --out {tmp}/o --workers 2",
        "--workers needs dask.distributed",
        {"toml": {}, "no_dask": True},
    ),
    # a wrong value is named as such whether or not dask is installed (CI has no dask)
    (
        "scan {toml} --out {tmp}/o --workers abc",
        "--workers must be a number of local workers",
        {"toml": {}, "no_dask": True},
    ),
    (
        "scan {toml} --out {tmp}/o --workers 0",
        "--workers: need at least 1 worker",
        {"toml": {}, "no_dask": True},
    ),
    (
        "scan {toml} --out {tmp}/o --workers gpus:0,0",
        "--workers gpus:IDS takes distinct GPU ids",
        {"toml": {}, "no_dask": True},
    ),
    ("scan {toml} --out {tmp}/o --devices 5", "--devices must be between 1 and", {"toml": {}}),
    ("scan {toml} --out {tmp}/o --devices 0", "--devices must be >= 1", {"toml": {}}),
    ("scan {toml} --out {tmp}/o --stall-timeout 0", "--stall-timeout must be > 0", {"toml": {}}),
    (
        "scan {toml} --out {tmp}/o --stall-timeout 10 --max-restarts -1",
        "--max-restarts must be >= 0",
        {"toml": {}},
    ),
    ("scan {toml} --out {tmp}/o --resume", "--resume: there is no scan in", {"toml": {}}),
    (
        "scan {toml} --out {tmp}/empty --resume",
        "--resume: there is no scan in",
        {"toml": {}, "files": {"empty/.keep": ""}},
    ),
    (
        "scan {toml} --out {tmp}/d",
        "is not empty; to continue the scan there use --resume",
        {"toml": {}, "files": {"d/junk.txt": "x"}},
    ),
    (
        "scan {toml} --out {tmp}/d --resume",
        "has no _manifest.json",
        {"toml": {}, "files": {"d/junk.txt": "x"}},
    ),
    (
        "scan {toml} --out {tmp}/afile",
        "exists and is not a directory",
        {"toml": {}, "files": {"afile": "x"}},
    ),
    (
        "scan {toml} --out {scan}",
        "is not empty; to continue the scan there use --resume",
        {"toml": {}, "scan": "complete"},
    ),
    (
        "scan {toml} --out {scan} --resume",
        "seed: 7 -> 8",
        {"toml": {"seed": 8}, "scan": "complete"},
    ),
    (
        "scan {toml} --out {scan} --resume",
        "unreadable manifest",
        {"toml": {}, "scan": "complete", "manifest": "{"},
    ),
    (
        "scan {toml} --out {scan} --resume",
        "is being written by another jaxvac process",
        {"toml": {}, "scan": "locked"},
    ),
    # ---- other commands ----------------------------------------------------------------------------
    ("reproduce nosuchtarget", "unknown reproduction target(s) nosuchtarget", {}),
    ("nosuchcommand", "invalid choice: 'nosuchcommand'", {}),
    ("", "the following arguments are required: COMMAND", {}),
]


def _ids():
    seen: dict[str, int] = {}
    out = []
    for argv, needle, _ in ROWS:
        key = f"{argv.split(' ')[0] or '-'}: {needle}"[:60]
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key} #{seen[key]}")
    return out


def snapshot(root) -> dict[str, tuple]:
    """Every entry under ``root`` with its size and modification time."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            out[os.path.relpath(path, root)] = (st.st_size, st.st_mtime_ns, st.st_mode)
    return out


def _scan_copy(reference, tmp_path, state: str, manifest_change) -> str:
    out = tmp_path / "scan"
    shutil.copytree(reference.path, out)
    path = out / "_manifest.json"
    if state == "killed":  # killed after writing its manifest, before its first chunk
        for name in os.listdir(out):
            if name.startswith("chunk-"):
                os.unlink(out / name)
        m = json.loads(path.read_text())
        m.update(completed_chunks=[], complete=False)
        m.pop("chunks", None)
        path.write_text(json.dumps(m))
    elif state == "corrupt":  # 4 KB of garbage in the middle of a chunk, footer intact
        chunk = out / "chunk-000001.parquet"
        data = bytearray(chunk.read_bytes())
        mid = len(data) // 2
        data[mid - 2048 : mid + 2048] = os.urandom(4096)[: len(data[mid - 2048 : mid + 2048])]
        chunk.write_bytes(bytes(data))
    if isinstance(manifest_change, str):
        path.write_text(manifest_change)
    elif manifest_change:
        m = json.loads(path.read_text())
        for key, value in manifest_change.items():
            *parents, last = key.split(".")
            d = m
            for p in parents:
                d = d[p]
            d[last] = value
        path.write_text(json.dumps(m))
    return str(out)


def _fill(obj, tmp):
    if isinstance(obj, str):
        return obj.replace("{tmp}", tmp)
    if isinstance(obj, dict):
        return {k: _fill(v, tmp) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_fill(v, tmp) for v in obj]
    return obj


@pytest.mark.parametrize("argv, needle, options", ROWS, ids=_ids())
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    argv, needle, options, tmp_path, monkeypatch, capsys, quartic_file, request
):
    tmp = str(tmp_path)
    monkeypatch.chdir(tmp_path)
    for name, content in options.get("files", {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)
    fields = {"tmp": tmp, "model": quartic_file}
    if "toml" in options or "toml_text" in options:
        text = options.get("toml_text") or to_toml(
            _fill(base_config(quartic_file, **options["toml"]), tmp)
        )
        (tmp_path / "scan.toml").write_text(text)
        fields["toml"] = str(tmp_path / "scan.toml")
    held = None
    if "scan" in options:
        reference = request.getfixturevalue("reference")
        state = options["scan"]
        fields["scan"] = _scan_copy(reference, tmp_path, state, options.get("manifest"))
        if state == "locked":  # another jaxvac process is writing this scan
            held = open(os.path.join(fields["scan"], LOCK), "a")
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    if options.get("no_dask"):
        monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    before = snapshot(tmp_path)
    args = [a.format(**fields) for a in argv.split(" ") if a]
    try:
        code = main(args)
    finally:
        if held is not None:
            held.close()
    out, err = capsys.readouterr()
    assert code == options.get("code", 2), err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(
        f"jaxvac {args[0]}: error: "
        if args and not args[0].startswith("nosuch")
        else "jaxvac: error: "
    ), err
    assert needle in lines[0], err
    assert "Traceback" not in err and out == ""
    assert snapshot(tmp_path) == before, "files were written, changed or deleted"


def test_table_uses_the_lock_file_name_of_the_library():
    from jaxvac.scan._storage import LOCK as library_lock

    assert library_lock == LOCK
