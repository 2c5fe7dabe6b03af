"""Time to first answer: wall time of the commands a user types, and of the first and second
call of the Python API, with JAX's persistent compilation cache cold, warm, and off.

    python bench/bench_latency.py [--repeats 2] [--cases help,models,...] [--out bench/results]

Every measurement is a fresh process (``subprocess`` around the console script, timed by
``time.perf_counter``), in three modes interleaved case by case, so that the machine's load
hits them alike:

- **no cache** (the baseline): ``JAXVAC_CACHE_DIR=`` (empty: jaxvac's cache off; JAX's own
  ``JAX_COMPILATION_CACHE_DIR`` is removed from the environment), so every run compiles;
- **cold**: ``JAXVAC_CACHE_DIR`` a new empty directory (compiles, and writes the cache);
- **warm**: the same directory again (loads the compiled programs).

``help`` and ``import`` are also run from the code this branch started from (``git merge-base``
with ``main``, ``git archive``, on ``PYTHONPATH``, ``python -m jaxvac``) as a second named baseline. The Python rows (``py-...``) time, in one process,
``import jaxvac``, the first ``find_critical_points`` call (compile + run) and a second call
with another seed (run only). ``refine`` refines the first point of a ``find --json --out``
file at 40 digits. ``scan`` is a 1000-point KKLT-uplift scan (``experiments/kklt_uplift.py``,
16 starts per point, chunks of 256). The machine is shared (2 cores; other engineers' jobs
run alongside): each row records the 1-minute load average around its runs.

Writes latency.json and latency.md to --out. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(os.path.dirname(sys.executable), "jaxvac")
UPLIFT = os.path.join(ROOT, "experiments", "kklt_uplift.py") + ":KKLTUplift"
SEVEN = os.path.join(ROOT, "tests", "search_models.py") + ":SevenModuli"
TIMEOUT = 1200  # s; a run that reaches it is reported as a hang


def scan_config(points: int, starts: int, chunk: int) -> str:
    """experiments/scan_kklt_uplift.toml (the flagship scan) at another size, model path made
    absolute."""
    text = open(os.path.join(ROOT, "experiments", "scan_kklt_uplift.toml")).read()
    text = text.replace('model = "kklt_uplift.py:', f'model = "{ROOT}/experiments/kklt_uplift.py:')
    for key, value in (("points", points), ("starts", starts), ("chunk", chunk)):
        text = re.sub(rf"^{key} = \d+", f"{key} = {value}", text, flags=re.M)
    return text


PY_CALLS = """
import json, time
t0 = time.perf_counter()
import jaxvac
from jaxvac._io import resolve_model_class
model = {model}
t1 = time.perf_counter()
r = jaxvac.find_critical_points(model, starts={starts}, seed=0)
t2 = time.perf_counter()
r2 = jaxvac.find_critical_points(model, starts={starts}, seed=1)
t3 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "first_s": t2 - t1, "second_s": t3 - t2,
                  "distinct": [r.distinct, r2.distinct]}}))
"""


BUCKET_CALLS = """
import json, time
import jaxvac
from jaxvac._io import resolve_model_class
model = resolve_model_class({model!r})()
first, warm = {{}}, {{}}
for n in {sizes!r}:  # in this order: each call compiles only what no earlier one did
    t = time.perf_counter()
    jaxvac.find_critical_points(model, starts=n, seed=0, threads=2)
    first[n] = time.perf_counter() - t
for n in {sizes!r}:
    best = []
    for rep in range(3):
        t = time.perf_counter()
        jaxvac.find_critical_points(model, starts=n, seed=1 + rep, threads=2)
        best.append(time.perf_counter() - t)
    warm[n] = min(best)
print(json.dumps({{"first": first, "warm": warm}}))
"""
BUCKET_SIZES = [200, 256, 300, 1000, 10000]


#: Heading under which latency.md keeps the run before the latest.
EARLIER = "## The run before this one (kept for comparison)"

#: Cases whose programs the program store keeps (jaxvac/_programs.py): also run without it.
STORE_CASES = ("check", "find", "refine", "py-kklt", "py-7moduli")


def cases(work: str) -> dict[str, dict]:
    point = os.path.join(work, "point.json")
    scan_cfg = os.path.join(work, "scan.toml")
    return {
        "help": {"argv": ["--help"], "what": "`jaxvac --help`"},
        "import": {"python": "import jaxvac", "what": "`python -c 'import jaxvac'`"},
        "models": {"argv": ["models"], "what": "`jaxvac models`"},
        "check": {
            "argv": ["check", "kklt", "--at", "T=113.6"],
            "what": "`jaxvac check kklt --at T=113.6`",
        },
        "find": {
            "argv": ["find", "kklt", "--starts", "256", "--json", "--out", point],
            "what": "`jaxvac find kklt --starts 256 --json --out P.json`",
        },
        "refine": {
            "argv": ["refine", "kklt", "--from", point, "--index", "0", "--digits", "40"],
            "what": "`jaxvac refine kklt --from P.json --index 0 --digits 40`",
            "needs": "find",
        },
        "scan": {
            "argv": ["scan", scan_cfg, "--out", "{tmp}/scan", "--no-progress"],
            "what": "`jaxvac scan` 1000 points × 16 starts (KKLT + uplift)",
        },
        "py-kklt": {
            "python": PY_CALLS.format(model="jaxvac.models.KKLT()", starts=256),
            "what": "Python: `find_critical_points(KKLT(), starts=256)`, 1 modulus",
        },
        "bucket": {
            "python": BUCKET_CALLS.format(model=UPLIFT, sizes=BUCKET_SIZES),
            "what": "Python, one process: KKLT + uplift, 2 threads, starts = "
            + ", ".join(map(str, BUCKET_SIZES))
            + " in turn",
            "modes": ("no cache", "main"),
        },
        "py-7moduli": {
            "python": PY_CALLS.format(model=f"resolve_model_class({SEVEN!r})()", starts=256),
            "what": "Python: `find_critical_points(SevenModuli(), starts=256)`, 7 moduli",
        },
    }


def _env(cache: str | None, pythonpath: str | None = None, store: bool = True) -> dict:
    env = dict(os.environ)
    for k in (
        "JAX_COMPILATION_CACHE_DIR",
        "JAXVAC_THREADS",
        "XLA_FLAGS",
        "PYTHONPATH",
        "JAXVAC_PROGRAM_STORE",
    ):
        env.pop(k, None)
    if not store:
        env["JAXVAC_PROGRAM_STORE"] = "0"
    env["JAX_PLATFORMS"] = "cpu"
    env["JAX_ENABLE_X64"] = "1"  # for the Python rows (the command line turns it on itself)
    env["JAXVAC_CACHE_DIR"] = cache if cache is not None else ""
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


def run_once(
    case: dict, cache: str | None, work: str, pythonpath: str | None = None, store: bool = True
) -> dict:
    tmp = tempfile.mkdtemp(dir=work)
    if "python" in case:
        cmd = [sys.executable, "-c", textwrap.dedent(case["python"])]
    elif pythonpath:
        cmd = [sys.executable, "-m", "jaxvac"] + case["argv"]
    else:
        cmd = [SCRIPT] + [a.replace("{tmp}", tmp) for a in case["argv"]]
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=tmp,
            env=_env(cache, pythonpath, store),
        )
        wall, rc, err, out = time.perf_counter() - t0, p.returncode, p.stderr, p.stdout
    except subprocess.TimeoutExpired:
        wall, rc, err, out = time.perf_counter() - t0, "timeout", "", ""
    ok = rc == 0 or (rc == 1 and "python" not in case)  # refine exits 1 when not converged
    row = {
        "wall_s": wall,
        "rc": rc,
        "ok": ok,
        "load": [load0, os.getloadavg()[0]],
        "cache_files": len(os.listdir(cache)) if cache else None,
    }
    if not ok:
        row["stderr"] = err[-2000:]
    last = (out.strip().splitlines() or [""])[-1]
    if "python" in case and rc == 0 and last.startswith("{"):
        row.update(json.loads(last))
    shutil.rmtree(tmp, ignore_errors=True)
    return row


def main_branch_tree(work: str) -> tuple[str, str] | None:
    """The jaxvac package of the commit this branch left ``main`` at (``git merge-base``),
    extracted under ``work`` (for PYTHONPATH)."""
    try:
        commit = (
            subprocess.run(
                ["git", "merge-base", "--fork-point", "main", "HEAD"],
                cwd=ROOT,
                text=True,
                capture_output=True,
            ).stdout.strip()
            or subprocess.run(
                ["git", "merge-base", "main", "HEAD"],
                cwd=ROOT,
                text=True,
                capture_output=True,
                check=True,
            ).stdout.strip()
        )
        commit = commit[:7]
        dest = os.path.join(work, "main")
        os.makedirs(dest)
        archive = subprocess.run(
            ["git", "archive", commit, "jaxvac"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", dest], input=archive, check=True)
        return dest, commit
    except (subprocess.CalledProcessError, OSError):
        return None


def summarize(runs: list[dict], key: str = "wall_s") -> dict | None:
    vals = [r[key] for r in runs if r.get("ok") and key in r]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}


def commit_info() -> dict:
    def git(*a):
        return subprocess.run(["git", *a], cwd=ROOT, text=True, capture_output=True).stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument(
        "--cases", default="help,import,models,check,find,refine,scan,py-kklt,py-7moduli,bucket"
    )
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    args = ap.parse_args()

    import jax

    work = tempfile.mkdtemp(prefix="jaxvac-latency-")
    table = cases(work)
    names = [c for c in args.cases.split(",") if c]
    with open(os.path.join(work, "scan.toml"), "w") as f:
        f.write(scan_config(points=1000, starts=16, chunk=256))
    main_tree = main_branch_tree(work) if {"help", "import", "bucket"} & set(names) else None
    data = {
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "affinity": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            "jax": jax.__version__,
            "load_start": os.getloadavg(),
        },
        "code": commit_info(),
        "baseline_main": main_tree[1] if main_tree else None,
        "repeats": args.repeats,
        "runs": {},
    }
    started = time.time()
    for rep in range(args.repeats):
        for name in names:
            case = table[name]
            if case.get("needs") and not os.path.exists(os.path.join(work, "point.json")):
                print(f"{name}: skipped (needs {case['needs']})", flush=True)
                continue
            runs = data["runs"].setdefault(name, {})
            cache = tempfile.mkdtemp(dir=work, prefix="cache-")
            plain = tempfile.mkdtemp(dir=work, prefix="cache-")
            modes = [("no cache", None), ("cold", cache), ("warm", cache)]
            if name in STORE_CASES:  # the same without the program store (jaxvac/_programs.py)
                modes += [("cold, no store", plain), ("warm, no store", plain)]
            if main_tree and name in ("help", "import", "bucket"):
                modes.append((f"main {main_tree[1]}", None))
            if "modes" in case:
                modes = [m for m in modes if m[0].startswith(case["modes"])]
            for mode, c in modes:
                row = run_once(
                    case,
                    c,
                    work,
                    main_tree[0] if mode.startswith("main") else None,
                    store="no store" not in mode,
                )
                runs.setdefault(mode, []).append(row)
                extra = "".join(
                    f" {k}={row[k]:.2f}" for k in ("import_s", "first_s", "second_s") if k in row
                )
                print(
                    f"[{rep}] {name:<11} {mode:<13} {row['wall_s']:7.2f} s rc={row['rc']} "
                    f"load={row['load'][0]:.2f}{extra}",
                    flush=True,
                )
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(plain, ignore_errors=True)
    data["machine"]["load_end"] = os.getloadavg()
    data["seconds"] = time.time() - started
    data["summary"] = {
        name: {
            mode: {
                k: summarize(rows, k)
                for k in ("wall_s", "import_s", "first_s", "second_s")
                if summarize(rows, k)
            }
            for mode, rows in modes.items()
        }
        for name, modes in data["runs"].items()
    }
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "latency.json"), "w") as f:
        json.dump(data, f, indent=1)
    path = os.path.join(args.out, "latency.md")
    earlier = open(path).read() if os.path.exists(path) else ""
    earlier = earlier.split(EARLIER)[0].strip().replace("# Time to first answer", "### Run of", 1)
    with open(path, "w") as f:
        f.write(markdown(data, table) + "\n")
        if earlier:  # the run before this one, kept for comparison
            f.write(f"\n{EARLIER}\n\n{earlier}\n")
    print(markdown(data, table))


def _fmt(s: dict | None) -> str:
    if not s:
        return "—"
    if s["n"] == 1 or s["max"] - s["min"] < 0.005:
        return f"{s['median']:.2f}"
    return f"{s['median']:.2f} ({s['min']:.2f}–{s['max']:.2f})"


def _load(rows: list[dict]) -> str:
    loads = [x for r in rows for x in r["load"]]
    return f"{min(loads):.1f}–{max(loads):.1f}"


def markdown(data: dict, table: dict) -> str:
    m, code = data["machine"], data["code"]
    lines = [
        "# Time to first answer (bench/bench_latency.py)",
        "",
        f"Code: `{code['branch']}` at {code['commit']}{' (uncommitted changes)' if code['dirty'] else ''}; "
        f"second baseline: the code this branch started from (merge-base with `main`, {data.get('baseline_main')}). JAX {m['jax']}, Python {m['python']}, "
        f"{m['platform']}, {m['affinity']} cores. Load average (1 min) at start "
        f"{m['load_start'][0]:.1f}, at end {m['load_end'][0]:.1f}: the machine is shared with other "
        "engineers' jobs, so absolute times move with their load; modes were interleaved case by case "
        f"so they share it. {data['repeats']} repeats; median (min–max) wall seconds of a fresh process.",
        "",
        "Modes: **no cache** = `JAXVAC_CACHE_DIR=` (the baseline: every run compiles); **cold** = an "
        "empty cache directory (compiles, writes the cache and the program store); **warm** = the "
        "same directory again; **no store** = the same two with `JAXVAC_PROGRAM_STORE=0` (every "
        "process traces its programs; the compilation cache still serves XLA's part), in a "
        "directory of their own.",
        "",
        "| case | no cache (baseline) | cold cache | warm cache | warm, no store | before this branch | load |",
        "|---|---|---|---|---|---|---|",
    ]
    summ = data["summary"]
    for name, modes in summ.items():
        if name == "bucket":
            continue
        main_mode = next((k for k in modes if k.startswith("main")), None)
        rows = [r for rs in data["runs"][name].values() for r in rs]
        bad = sorted({str(r["rc"]) for r in rows if not r.get("ok")})
        lines.append(
            f"| {table[name]['what']} | {_fmt(modes.get('no cache', {}).get('wall_s'))} | "
            f"{_fmt(modes.get('cold', {}).get('wall_s'))} | {_fmt(modes.get('warm', {}).get('wall_s'))} | "
            f"{_fmt(modes.get('warm, no store', {}).get('wall_s'))} | "
            f"{_fmt(modes[main_mode].get('wall_s')) if main_mode else '—'} | {_load(rows)} |"
            + (f" exit {', '.join(bad)}" if bad else "")
        )
    py = [n for n in summ if n.startswith("py-")]
    if py:
        lines += [
            "",
            "Python API, inside one process (`import jaxvac` → first call → second call, another seed):",
            "",
            "| case | mode | import s | first call s | second call s |",
            "|---|---|---|---|---|",
        ]
        for name in py:
            for mode in ("no cache", "cold", "warm", "warm, no store"):
                s = summ[name].get(mode, {})
                lines.append(
                    f"| {table[name]['what']} | {mode} | {_fmt(s.get('import_s'))} | "
                    f"{_fmt(s.get('first_s'))} | {_fmt(s.get('second_s'))} |"
                )
    if "bucket" in data["runs"]:
        lines += [
            "",
            "Shapes bucketed (`find_critical_points`, no persistent cache, one process per code "
            "version; 'first' = the call in the order listed, compiling what no earlier call "
            "compiled; 'warm' = best of 3 later calls):",
            "",
            "| code | "
            + " | ".join(f"starts={n} first / warm s" for n in BUCKET_SIZES)
            + " | load |",
            "|---|" + "---|" * (len(BUCKET_SIZES) + 1),
        ]
        for mode, rows in data["runs"]["bucket"].items():
            for r in rows:
                if "first" not in r:
                    lines.append(f"| {mode} | exit {r['rc']} |")
                    continue
                label = "this branch" if mode == "no cache" else f"before ({mode})"
                lines.append(
                    f"| {label} | "
                    + " | ".join(
                        f"{r['first'][str(n)]:.2f} / {r['warm'][str(n)]:.3f}" for n in BUCKET_SIZES
                    )
                    + f" | {r['load'][0]:.1f}–{r['load'][1]:.1f} |"
                )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
