"""Cost of arbitrary precision: seconds per evaluation of V, ∇V and the Hessian of a
7-moduli supergravity model at 50, 100 and 200 digits (jaxvac's mpmath interpreter of the
float64 jaxprs), against the compiled float64 evaluation of the same functions in the
same run (the baseline: ratio = mpmath time / float64 time).

Model: the full seed-001 model (jaxvac.models.DPS, eq. (77), with the Eisenstein series
E3) at its Table 2 point; if that model is not available, a 7-moduli no-scale model with a
tiny correction (the one of tests/test_precision.py).

    python bench/bench_precision.py [--digits 50 100 200] [--repeat 3] [--out bench/results]

Writes precision.json and precision.md to --out. Tracing and the interpreter's first
pass (index maps of structural primitives) are timed separately ("first") from the steady
state ("run", median of --repeat).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from typing import ClassVar

os.environ.setdefault("JAXVAC_CACHE_DIR", "")  # compile times are measured: no persistent cache

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import mpmath  # noqa: E402
import numpy as np  # noqa: E402

import jaxvac  # noqa: E402
from jaxvac._precision import PrecisionFunction  # noqa: E402


class SevenModuli(jaxvac.SupergravityModel):
    """K = -log(S+S̄) - Σ log(U_j+Ū_j) - log(Π(T_i+T̄_i) + ξ), W = W*(-1 + S/2s + Σ U_j/2u_j)."""

    moduli: ClassVar[tuple[str, ...]] = ("S", "T1", "T2", "T3", "U1", "U2", "U3")
    saxions: ClassVar[tuple[str, ...]] = moduli
    xi: float = 1e-55
    Wstar: float = 0.3
    s: float = 2.0
    u1: float = 1.5
    u2: float = 3.0
    u3: float = 0.7

    def kahler_potential(self, z, zbar):
        x = z + zbar
        return (
            -jnp.log(x[0])
            - jnp.log(x[4])
            - jnp.log(x[5])
            - jnp.log(x[6])
            - jnp.log(x[1] * x[2] * x[3] + self.xi)
        )

    def superpotential(self, z):
        return self.Wstar * (
            -1.0
            + z[0] / (2 * self.s)
            + z[4] / (2 * self.u1)
            + z[5] / (2 * self.u2)
            + z[6] / (2 * self.u3)
        )


def model_and_point():
    try:
        from jaxvac.models._dps import DPS

        model = DPS()
        y = model.point(
            s=41.0,
            t1=6.4e28,
            t2=6.4e28,
            u3=6.68,
            theta_u3=0.52,
            theta_t1=0.85 * math.pi,
            theta_t2=0.85 * math.pi,
        )
        return "dps (seed 001, eq. (77)) at Table 2", model, y
    except ImportError:
        model = SevenModuli()
        y = np.array([2.0, 10.0, 12.0, 15.0, 1.5, 3.0, 0.7] + [0.0] * 7)
        return "SevenModuli (tests/test_precision.py)", model, y


def functions():
    def V(m, y):
        return jaxvac.scalar_potential(m, y)

    def grad(m, y):
        return jax.grad(lambda yy: jaxvac.scalar_potential(m, yy))(y)

    def hessian(m, y):
        return jax.hessian(lambda yy: jaxvac.scalar_potential(m, yy))(y)

    return {"V": V, "grad": grad, "hessian": hessian}


def timed(fn, repeat):
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return first, statistics.median(runs)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--digits", type=int, nargs="+", default=[50, 100, 200])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results"))
    args = ap.parse_args(argv)
    label, model, y = model_and_point()
    model = jaxvac.canonical(model)
    rows = []
    for name, fun in functions().items():
        f64 = jax.jit(lambda yy, fun=fun: fun(model, yy))
        yj = jnp.asarray(y)
        t0 = time.perf_counter()
        jax.block_until_ready(f64(yj))
        compile_s = time.perf_counter() - t0
        _, run64 = timed(lambda: jax.block_until_ready(f64(yj)), max(args.repeat, 10))
        pf = PrecisionFunction(fun)
        closed, _ = pf._trace((model, y))[0]
        n_eqns = len(closed.jaxpr.eqns)
        for digits in args.digits:
            first, run = timed(lambda: pf(model, y, digits=digits), args.repeat)
            rows.append(
                {
                    "function": name,
                    "digits": digits,
                    "first_s": first,
                    "run_s": run,
                    "float64_compile_s": compile_s,
                    "float64_run_s": run64,
                    "ratio_to_float64": run / run64,
                    "jaxpr_equations": n_eqns,
                }
            )
            print(
                f"{name:8s} {digits:4d} digits: first {first:7.2f} s, run {run:7.3f} s "
                f"(float64 {run64 * 1e6:8.1f} us, ratio {run / run64:9.0f}), {n_eqns} eqns",
                flush=True,
            )
    info = {
        "model": label,
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": sys.version.split()[0],
        "jax": jax.__version__,
        "mpmath": mpmath.__version__,
        "mpmath_backend": mpmath.libmp.BACKEND,
        "note": "machine shared with other jobs (see load_average); timings are indicative",
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "precision.json"), "w") as fh:
        json.dump({"info": info, "rows": rows}, fh, indent=2)
    lines = [
        f"# Cost of arbitrary precision: {label}",
        "",
        f"{info['machine']}, {info['cpus']} CPUs, load average {info['load_average'][0]:.2f} "
        f"(shared machine), Python {info['python']}, jax {info['jax']}, mpmath "
        f"{info['mpmath']} ({info['mpmath_backend']} backend).",
        "",
        "| function | digits | first call (s) | per evaluation (s) | float64 (µs) | ratio | jaxpr eqns |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['function']} | {r['digits']} | {r['first_s']:.2f} | {r['run_s']:.3f} | "
            f"{r['float64_run_s'] * 1e6:.1f} | {r['ratio_to_float64']:.0f} | {r['jaxpr_equations']} |"
        )
    with open(os.path.join(args.out, "precision.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
