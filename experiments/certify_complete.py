"""Certified complete lists (branch and bound, jaxvac.certify_region, docs/certify.md) for
the double well and the cosine product of the search tests (tests/search_models.py) and for
LVS in a bounded region; writes experiments/results/certify_complete.md.

Run: ``JAX_PLATFORMS=cpu python experiments/certify_complete.py`` (minutes: the LVS region
is the slow part). The KKLT + uplift list is in certify_seeds.md.

LVS (jaxvac.models.LVS defaults: W0 = 1, A = 1, a = 2π/3, ξ = 10; their float64 values) is
searched on the slice Im T_b = 0: V does not depend on Im T_b (K depends on T_b + T̄_b, W
not on T_b), but ball arithmetic over a box cannot prove that flatness (docs/certify.md,
'Fixed coordinates'), so the proof is about V restricted to the slice, and each listed point
stands for the line of critical points along Im T_b by that symmetry.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import search_models as sm  # noqa: E402

import jaxvac  # noqa: E402

#: The LVS region: around the AdS minimum (t_b = 51.364, t_s = 3.1019, θ_s = -π/a = -1.5),
#: bounds off-centre so that the point is on no splitting line. A larger region (t_b ∈ [45,
#: 60], t_s ∈ [2.8, 3.5], or one θ_s period) did not finish in 400-500 s on the loaded
#: machine: near the t_s valley ∂V/∂t_b is small over a long stretch of t_b and the
#: depth-first search spends its boxes excluding it (docs/certify.md).
LVS_REGION = {
    "Tb.re": (51.2, 51.5),
    "Tb.im": (0.0, 0.0),
    "Ts.re": (3.09, 3.115),
    "Ts.im": (-1.512, -1.493),
}


def _section(title, how, r, reference):
    d = r.to_dict()
    out = [
        f"## {title}",
        "",
        how,
        "",
        f"- complete: **{d['complete']}**; distinct critical points: {d['distinct']}; boxes "
        f"examined {d['boxes']}, excluded {d['excluded']}, undecided {len(d['undecided'])}; "
        f"stopped: {d['stopped']}; fixed: {d['fixed'] or '-'}; {d['seconds']:.0f} s at "
        f"{d['precision']} digits.",
        "",
    ]
    out += [
        "| fields (enclosure midpoint) | type | n_neg | vacuum | V | proved | not proved |",
        "|---|---|---|---|---|---|---|",
    ]
    for cp in sorted(d["critical_points"], key=lambda c: str(c["fields"])):
        f = ", ".join(
            f"{k} = {str(v)[:14] if not str(v).lower().count('e') else v}"
            for k, v in cp["fields"].items()
        )
        out.append(
            f"| {f} | {cp['type']} | {cp['n_negative']} | {cp['vacuum']} | {cp['V_ball']} | "
            f"{', '.join(k for k, v in cp['proved'].items() if v)} | "
            f"{'; '.join(cp['unproved']) or '-'} |"
        )
    out += ["", f"Reference: {reference}", ""]
    return out


def _cases(skip_lvs: bool):
    """(title, how, model, region, reference) of each complete list."""
    dw = sorted(
        (round(float(p[0]), 6), round(float(p[1]), 6), n) for p, _, n in sm.double_well_points()
    )
    cp = sorted(
        (round(float(p[0]), 6), round(float(p[1]), 6), n) for p, _, n in sm.cosine_product_points()
    )
    yield (
        "Double well (tests/search_models.py), x, y ∈ [-2, 2]",
        "`jaxvac certify tests/search_models.py:DoubleWell --region x=-2:2 --region y=-2:2 "
        "--complete`; a = 0.3, b = -0.2, c = 1.",
        sm.DoubleWell(),
        {"x": (-2.0, 2.0), "y": (-2.0, 2.0)},
        f"the cubic roots (x, y, n_negative): {dw}",
    )
    yield (
        "Cosine product (tests/search_models.py), x ∈ [-2, 4.2], y ∈ [-1, 2.1]",
        "One copy of each critical point (tests/test_certify.py).",
        sm.CosineProduct(),
        {"x": (-2.0, 4.2), "y": (-1.0, 2.1)},
        f"closed form (x, y, n_negative): {cp}",
    )
    if skip_lvs:
        return
    r = LVS_REGION
    yield (
        f"LVS (defaults W0 = 1, A = 1, a = 2π/3, ξ = 10) in t_b ∈ {list(r['Tb.re'])}, "
        f"t_s ∈ {list(r['Ts.re'])}, θ_s ∈ {list(r['Ts.im'])}, on the slice Im T_b = 0",
        f"`jaxvac.certify_region(jaxvac.models.LVS(), {r})`. Im T_b is held at 0 (LO = HI): "
        "the proof is about V on that slice; that each point is a line of critical points "
        "of V along Im T_b is the model's shift symmetry, not part of the proof. SUSY "
        "is not attempted on a slice (a plain potential); float64 `find` reports the point "
        "non-SUSY.",
        jaxvac.models.LVS(),
        r,
        "`jaxvac find lvs` (64 starts, float64): one AdS minimum, t_b = 51.364078, "
        "t_s = 3.1019197, θ_s = -1.5 (modulo the period 3), flat along Im T_b; "
        "tests/test_search.py checks it against mpmath.",
    )


def main(skip_lvs: bool) -> None:
    t0 = time.time()
    text = [
        "# Certified complete lists: double well, cosine product, LVS (bounded region)",
        "",
        "Produced by `experiments/certify_complete.py` (jaxvac.certify_region, "
        "docs/certify.md). *complete* = every sub-box of the region was excluded "
        "(0 ∉ ∇V(box) or K(box) ∩ box = ∅) or holds exactly one certified critical point, "
        "and every listed point lies inside the region: the list is **all** the critical "
        "points there (of the slice, where coordinates are fixed). Each point is then "
        "classified by `jaxvac.certify` (inertia, sign of V proved).",
        "",
    ]
    for title, how, model, region, reference in _cases(skip_lvs):
        result = jaxvac.certify_region(model, region, name=type(model).__name__)
        text += _section(title, how, result, reference)
    text.append(
        f"Total time {time.time() - t0:.0f} s on the shared 2-core machine (load "
        "varies; times are indicative)."
    )
    Path(HERE, "results", "certify_complete.md").write_text("\n".join(text) + "\n", "utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main(skip_lvs="--skip-lvs" in sys.argv)
