"""Cost of a certified point: seconds per `jaxvac.certify` (existence, uniqueness, inertia,
sign of V, SUSY, in Arb ball arithmetic) at the precision it needs, against the evidence it
replaces in the same run: `jaxvac.check_high_precision` at the same number of digits (the
mpmath analysis at N and 2N digits behind `jaxvac check --digits N`).

Points: KKLT's SUSY AdS minimum, the KKLT + uplift dS minimum, the seed-000 Table 2 saddle
(Nmax = 65, ξ = 1e-3; V ≈ 3e-121), and a double-well saddle (plain potential).

    python bench/bench_certify.py [--repeat 3] [--out bench/results]

"first" includes tracing the jaxprs (V, ∇V, Hessian, D_aW, their Jacobian) once per model
class; "run" is the median of --repeat calls after it. Writes certify.json and certify.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import jaxvac  # noqa: E402


def _points():
    import search_models as sm

    from jaxvac._io import resolve_model_class
    from jaxvac.models._rku import RKU
    from jaxvac.reproduce._rku import table2_point_in_full_model, table2_points

    uplift = resolve_model_class(os.path.join(ROOT, sm.KKLT_UPLIFT))(D=3e-11)
    row = table2_points()[0]
    res = table2_point_in_full_model(row, 1e-3)
    rku = RKU.from_nmax(row["Nmax"], W0=res["W0"], A=-1.0, B=res["B"], xi=1e-3)
    p, _, _ = sm.double_well_points()[1]
    return [
        ("KKLT SUSY AdS minimum", jaxvac.models.KKLT(), {"T": 113.58912407355830}),
        ("KKLT + uplift dS minimum", uplift, {"T": 114.54138320998709}),
        ("seed 000 Table 2 saddle (Nmax=65)", rku, {"T": res["vacuum"]["t"]}),
        ("double well saddle", sm.DoubleWell(), {"x": float(p[0]), "y": float(p[1])}),
    ]


def machine() -> dict:
    """Versions and the machine, for the results files (the load: at the end of the run)."""
    return dict(
        python=platform.python_version(),
        jax=jax.__version__,
        flint=__import__("flint").__version__,
        machine=platform.machine(),
        cpus=os.cpu_count(),
        load=os.getloadavg()[0],
    )


def _time(fn, repeat):
    t0 = time.perf_counter()
    out = fn()
    first = time.perf_counter() - t0
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t0)
    return out, first, statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    args = ap.parse_args()
    rows = []
    for label, model, point in _points():
        cert, c_first, c_run = _time(lambda: jaxvac.certify(model, point), args.repeat)
        digits = cert.digits
        _, h_first, h_run = _time(
            lambda: jaxvac.check_high_precision(model, point, digits=max(digits, 16)), args.repeat
        )
        rows.append(
            dict(
                point=label,
                digits=digits,
                proved=cert.proved,
                certify_first_s=c_first,
                certify_run_s=c_run,
                check_digits_first_s=h_first,
                check_digits_run_s=h_run,
                ratio=c_run / h_run,
            )
        )
        print(rows[-1], flush=True)
    meta = machine()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "certify.json"), "w") as fh:
        json.dump(dict(meta=meta, rows=rows), fh, indent=2)
    lines = [
        "# Seconds per certified point (`jaxvac.certify`) vs `check --digits N` (mpmath, N and 2N)",
        "",
        f"python {meta['python']}, jax {meta['jax']}, python-flint {meta['flint']}, "
        f"{meta['machine']}, {meta['cpus']} CPUs shared with other jobs (load "
        f"{meta['load']:.1f} at the end); median of {args.repeat} runs after a first call.",
        "",
        "| point | digits needed | all proved | certify first (s) | certify run (s) | "
        "check --digits first (s) | check --digits run (s) | ratio run |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        proved = all(v for v in r["proved"].values())
        lines.append(
            f"| {r['point']} | {r['digits']} | {proved} | {r['certify_first_s']:.2f} | "
            f"{r['certify_run_s']:.2f} | {r['check_digits_first_s']:.2f} | "
            f"{r['check_digits_run_s']:.2f} | {r['ratio']:.2f} |"
        )
    with open(os.path.join(args.out, "certify.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
