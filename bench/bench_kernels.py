"""Per-kernel cost of the search's derivatives: µs per point of V, ∇V, the Hessian and one
Newton step's residual + Jacobian, jaxvac's generic (autodiff of the F-term formula) against a
hand-written V of the same model (its derivatives by the same autodiff).

    python bench/bench_kernels.py [--points 10000] [--repeats 5] [--label after]

Model: KKLT + uplift (experiments/kklt_uplift.py, D = 3e-11), and the 7-modulus model of
tests/search_models.py (no hand-written V: generic kernels only). Each kernel is jitted and
vmapped over ``--points`` points drawn in the search region; compile excluded; the CPU time
of the process (``time.process_time``: on a shared machine it counts the work, not the wait
for a core; the wall time is recorded too), best of ``--repeats`` timed calls, interleaved kernel by kernel so that the machine's load hits them
alike. The hand-written V is KKLT's eq. (13) with the axion restored (tests/search_models.py:
kklt_potential) plus D/t². Appends a labelled run to kernels.json and rewrites kernels.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

os.environ.setdefault("JAXVAC_CACHE_DIR", "")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))

import jaxvac._search as js  # noqa: E402
from jaxvac._io import resolve_model_class  # noqa: E402
from jaxvac._model import canonical  # noqa: E402
from jaxvac._region import Region, sample_starts  # noqa: E402

D = 3e-11


def hand_v(y, W0=-1e-4, A=1.0, a=0.1, D=D):
    t, tau = y[0], y[1]
    e = jnp.exp(-a * t)
    return a * A * e / (2 * t**2) * (a * A * t * e / 3 + A * e + W0 * jnp.cos(a * tau)) + D / t**2


def kernels(model, region, hand):
    V = model.scalar_potential

    def newton(u):  # as optimistix's Newton step: linearise, then the matrix of the linear map
        r, lin = jax.linearize(lambda uu: js._local_residual(model, region, uu, False), u)
        return r, jax.vmap(lin)(jnp.eye(u.shape[0], dtype=u.dtype))

    out = {
        "V": V,
        "grad V": jax.grad(V),
        "Hessian (jax.hessian)": jax.hessian(V),
        "Newton residual + Jacobian": newton,
        "global-phase objective + gradient": jax.value_and_grad(
            lambda u: js._objective(model, region, u, False)
        ),
    }
    try:  # jaxvac's own Hessian (absent from versions before it)
        from jaxvac._geometry import value_gradient_hessian

        out["Hessian (value_gradient_hessian)"] = lambda y: value_gradient_hessian(V, y)[2]
    except ImportError:
        pass
    if hand is not None:
        out.update(
            {
                "hand V": hand,
                "hand grad V": jax.grad(hand),
                "hand Hessian (jax.hessian)": jax.hessian(hand),
            }
        )
    return out


def time_all(fns, ys, us, repeats):
    jitted = {k: jax.jit(jax.vmap(f)) for k, f in fns.items()}
    arg = {k: (us if k.startswith(("Newton", "global")) else ys) for k in fns}
    compile_s = {}
    for k, f in jitted.items():
        t = time.perf_counter()
        jax.block_until_ready(f(arg[k]))
        compile_s[k] = time.perf_counter() - t
    best = {k: float("inf") for k in fns}
    wall = {k: float("inf") for k in fns}
    for _ in range(repeats):
        for k, f in jitted.items():
            t, c = time.perf_counter(), time.process_time()
            jax.block_until_ready(f(arg[k]))
            best[k] = min(best[k], time.process_time() - c)
            wall[k] = min(wall[k], time.perf_counter() - t)
    n = ys.shape[0]
    return {
        k: {
            "us_per_point": 1e6 * best[k] / n,
            "wall_us_per_point": 1e6 * wall[k] / n,
            "compile_s": compile_s[k],
        }
        for k in fns
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--points", type=int, default=10000)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--label", default="run")
    p.add_argument("--models", default="kklt-uplift,seven-moduli")
    p.add_argument("--out", default=os.path.join(HERE, "results"))
    args = p.parse_args()
    rows = {}
    for name in args.models.split(","):
        if name == "kklt-uplift":
            model = resolve_model_class(
                os.path.join(ROOT, "experiments", "kklt_uplift.py") + ":KKLTUplift"
            )(D=D)
            hand, n = hand_v, args.points
        else:
            model = resolve_model_class(
                os.path.join(ROOT, "tests", "search_models.py") + ":SevenModuli"
            )()
            hand, n = None, max(args.points // 10, 100)
        model = canonical(model)
        region = Region.from_model(model)
        ys = sample_starts(model, region, jax.random.key(0), n)
        us = jax.vmap(region.to_unit)(ys)
        rows[name] = time_all(kernels(model, region, hand), ys, us, args.repeats)
        for k, v in rows[name].items():
            print(
                f"{name:12s} {k:36s} {v['us_per_point']:9.3f} µs/point CPU "
                f"{v['wall_us_per_point']:9.3f} wall  "
                f"compile {v['compile_s']:.1f} s",
                flush=True,
            )
    run = {
        "label": args.label,
        "points": args.points,
        "load": os.getloadavg()[0],
        "machine": f"{platform.platform()}, {os.cpu_count()} CPUs",
        "jax": jax.__version__,
        "kernels": rows,
    }
    path = os.path.join(args.out, "kernels.json")
    runs = json.load(open(path)) if os.path.exists(path) else []
    runs = [r for r in runs if r["label"] != args.label] + [run]
    json.dump(runs, open(path, "w"), indent=1)
    write_md(args.out, runs)


def write_md(out, runs):
    lines = [
        "# Per-kernel cost of the search's derivatives (bench/bench_kernels.py)",
        "",
        "µs per point, vmapped over a batch (10⁴ KKLT + uplift points, 10³ seven-moduli "
        "points), jitted, compile excluded, process CPU time (the wall time waits for a core on "
        "this shared machine), best of --repeats, one execution; "
        "shared 2-core machine, 1-minute load average per run. Ratios are within one run.",
        "",
    ]
    for run in runs:
        lines += [
            f"## {run['label']} (load {run['load']:.1f}; {run['machine']}; JAX {run['jax']})",
            "",
            "| model | kernel | µs/point (CPU) | × hand-written | µs/point (wall) | compile s |",
            "|---|---|---|---|---|---|",
        ]
        for name, ks in run["kernels"].items():
            for k, v in ks.items():
                ref = None
                if not k.startswith("hand"):
                    base = {
                        "V": "hand V",
                        "grad V": "hand grad V",
                        "Hessian (jax.hessian)": "hand Hessian (jax.hessian)",
                        "Hessian (value_gradient_hessian)": "hand Hessian (jax.hessian)",
                        "Newton residual + Jacobian": "hand Hessian (jax.hessian)",
                    }.get(k)
                    ref = ks.get(base, {}).get("us_per_point") if base else None
                ratio = f"{v['us_per_point'] / ref:.1f}" if ref else ""
                lines.append(
                    f"| {name} | {k} | {v['us_per_point']:.3f} | {ratio} | "
                    f"{v.get('wall_us_per_point', float('nan')):.3f} | "
                    f"{v['compile_s']:.1f} |"
                )
        lines.append("")
    open(os.path.join(out, "kernels.md"), "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
