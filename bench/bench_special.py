"""Benchmark of jaxvac.special.E3 (seed 001, eq. (141)) against two baselines, in one run.

- jaxvac: ``jax.jit(E3)`` on a batch (modular reduction + 32-term Chowla–Selberg series, Horner);
  compile time reported separately; also value+gradient+Hessian by autodiff.
- baseline A, "truncated lattice sum": the double sum (141) cut at |p| ≤ K, |n| ≤ K (n odd),
  vectorised in numpy, K = 100 (about 2·10⁴ terms per point): what one writes first.
- baseline B, "mpmath": ``E3_mp(U, dps=16)`` (the same algorithm in mpmath), per point.

Points: Re U uniform in [−2, 2], Im U log-uniform in [1e-3, 1e3] ("wide") and in [0.5, 5]
("bulk"). Accuracy of each method is measured against E3_mp at 30 digits on a subsample.

Run: python bench/bench_special.py   (writes bench/results/special.json and special.md)
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("JAXVAC_CACHE_DIR", "")  # compile times are measured: no persistent cache

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402

from jaxvac.special import E3, E3_mp  # noqa: E402

OUT = Path(__file__).parent / "results"
K_LATTICE = 100


def points(n, kind, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, n)
    lo, hi = (1e-3, 1e3) if kind == "wide" else (0.5, 5.0)
    y = np.exp(rng.uniform(np.log(lo), np.log(hi), n))
    return x + 1j * y


def best_time(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def lattice_sum(U, K=K_LATTICE):
    """Baseline A: (141) truncated at |p| ≤ K, |n| ≤ K, n odd (numpy, vectorised)."""
    p = np.arange(-K, K + 1, dtype=float)[:, None]
    n = np.arange(-K + (K + 1) % 2, K + 1, 2, dtype=float)[None, :]
    out = np.empty(U.shape)
    for i, u in enumerate(U):
        out[i] = np.sum(u.imag**3 / ((p + n * u.real) ** 2 + (n * u.imag) ** 2) ** 3)
    return out


def main():
    e3 = jax.jit(E3)
    f = lambda p: E3(p[0] + 1j * p[1])  # noqa: E731
    derivs = jax.jit(jax.vmap(lambda p: (f(p), jax.grad(f)(p), jax.hessian(f)(p))))
    results = {"jaxvac": {}, "derivatives": {}, "baselines": {}, "accuracy": {}}

    # compile times (first call at a given shape)
    U = jnp.asarray(points(1000, "wide"))
    t = time.perf_counter()
    e3(U).block_until_ready()
    results["compile_s"] = {"E3": time.perf_counter() - t}
    P = jnp.stack([U.real, U.imag], axis=1)
    t = time.perf_counter()
    jax.block_until_ready(derivs(P))
    results["compile_s"]["value+grad+hessian"] = time.perf_counter() - t

    for kind in ("wide", "bulk"):
        for n in (100, 10_000, 100_000):
            U = jnp.asarray(points(n, kind, seed=n))
            e3(U).block_until_ready()  # compile for this shape, outside the timing
            sec = best_time(lambda: e3(U).block_until_ready())
            results["jaxvac"][f"{kind}/{n}"] = sec / n * 1e6
        U = jnp.asarray(points(10_000, kind, seed=1))
        P = jnp.stack([U.real, U.imag], axis=1)
        jax.block_until_ready(derivs(P))
        sec = best_time(lambda: jax.block_until_ready(derivs(P)))
        results["derivatives"][f"{kind}/10000"] = sec / 10_000 * 1e6

    sample = {kind: points(200, kind, seed=7) for kind in ("wide", "bulk")}
    for kind, Us in sample.items():
        sec = best_time(lambda: lattice_sum(Us[:50]), repeat=2)
        results["baselines"][f"lattice K={K_LATTICE}/{kind}"] = sec / 50 * 1e6
        sec = best_time(lambda: [E3_mp(complex(u), dps=16) for u in Us[:50]], repeat=2)
        results["baselines"][f"mpmath E3_mp dps=16/{kind}"] = sec / 50 * 1e6
        with mp.workdps(30):
            ref = np.array([float(E3_mp(complex(u), dps=30)) for u in Us])
        ours = np.asarray(e3(jnp.asarray(Us)))
        lat = lattice_sum(Us)
        results["accuracy"][kind] = {
            "jaxvac max rel err": float(np.max(np.abs(ours / ref - 1))),
            f"lattice K={K_LATTICE} max rel err": float(np.max(np.abs(lat / ref - 1))),
        }

    load = os.getloadavg()
    results["machine"] = {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "loadavg_1_5_15": load,
        "jax": jax.__version__,
        "device": str(jax.devices()[0]),
        "note": "shared machine: other processes were running (see load average)",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "special.json").write_text(json.dumps(results, indent=2) + "\n")

    lines = [
        "# jaxvac.special.E3 benchmark",
        "",
        f"{results['machine']['platform']}, {results['machine']['cpu_count']} CPUs, jax "
        f"{results['machine']['jax']}, {results['machine']['device']}; load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (shared machine).",
        "",
        f"Compile: E3 {results['compile_s']['E3']:.2f} s, value+grad+Hessian "
        f"{results['compile_s']['value+grad+hessian']:.2f} s.",
        "",
        "| method | points | µs / point | ratio to jaxvac |",
        "|---|---|---|---|",
    ]
    for kind in ("wide", "bulk"):
        ref = results["jaxvac"][f"{kind}/100000"]
        for n in (100, 10_000, 100_000):
            lines.append(
                f"| jaxvac E3 (batch {n}) | {kind} | {results['jaxvac'][f'{kind}/{n}']:.3f} | |"
            )
        lines.append(
            f"| jaxvac value+grad+Hessian (batch 10000) | {kind} | "
            f"{results['derivatives'][f'{kind}/10000']:.3f} | |"
        )
        for name in (f"lattice K={K_LATTICE}", "mpmath E3_mp dps=16"):
            v = results["baselines"][f"{name}/{kind}"]
            lines.append(f"| {name} (per point) | {kind} | {v:.1f} | {v / ref:.0f}× slower |")
    lines += ["", "| accuracy vs E3_mp at 30 digits (200 points) | wide | bulk |", "|---|---|---|"]
    for key in results["accuracy"]["wide"]:
        lines.append(
            f"| {key} | {results['accuracy']['wide'][key]:.1e} | {results['accuracy']['bulk'][key]:.1e} |"
        )
    (OUT / "special.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
