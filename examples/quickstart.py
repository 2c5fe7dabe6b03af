# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # jaxvac in ten minutes
#
# Write a model → find its critical points → check and classify one → refine it at 40
# digits → a tiny landscape scan → a figure → a pandas DataFrame.
# (`pip install 'jaxvac[analysis]'` for pandas; this notebook runs in about a minute on a
# laptop CPU, most of it compiling.)

# %%
import jax

jax.config.update("jax_enable_x64", True)  # jaxvac computes physics in float64 only

import jaxvac  # noqa: E402

# %% [markdown]
# ## 1. The model
#
# KKLT with an anti-D3 uplift: K = −3 log(T + T̄), W = W0 + A e^{−aT}, plus D/σ² with
# σ = Re T. The class is in [`my_models.py`](my_models.py), next to this notebook (a model
# in a file can also be scanned and used on the command line). Its fields are its
# parameters; jaxvac builds V = e^K (K^{TT̄} |D_T W|² − 3|W|²) + D/σ² by autodiff.

# %%
from my_models import KKLTUplift  # noqa: E402

model = KKLTUplift(W0=-1e-4, D=2.8e-11)  # uplifted to a metastable de Sitter minimum
model

# %% [markdown]
# ## 2. Find every critical point in a region
#
# 64 starts, a global descent then Newton, every end point verified and classified;
# duplicates modulo the axion period are merged.

# %%
found = jaxvac.find_critical_points(model, region={"T": (50, 300)}, starts=64, seed=0)
found

# %%
for p in found.to_dict()["critical_points"]:
    print(p["fields"], f"V = {p['V']:.4e}", p["type"], p["vacuum"], p["result"])

# %% [markdown]
# ## 3. Check one point: the numbers and what they mean
#
# `V` and the canonical masses², the type (minimum / saddle / maximum) and vacuum
# (dS / AdS / Minkowski), supersymmetry, the **stationarity** figure (≤ 1 means stationary
# within float64's resolution), and how many significant **digits** of V float64 kept.

# %%
minimum = next(p for p in found.to_dict()["critical_points"] if p["type"] == "minimum")
report = jaxvac.check(model, minimum["fields"])
report

# %%
record = report.to_dict()
{k: record[k] for k in ("V", "type", "vacuum", "susy", "masses_squared", "digits", "result")}

# %% [markdown]
# ## 4. Refine at 40 significant digits
#
# The same JAX functions, traced and evaluated in mpmath; Newton with a trust radius, the
# result certified by comparison with 80 digits.

# %%
refined = jaxvac.refine(model, minimum, digits=40)
r = refined.to_dict()
print(r["refine"]["status"], "after", len(r["refine"]["steps"]), "steps")
print("T =", r["fields_decimal"]["T"])
print("V =", r.get("V_decimal", r["V"]), f"(certified digits {r['certified_digits']['V']:.0f})")

# %% [markdown]
# ## 5. A tiny landscape scan
#
# W0 and D drawn flat over ranges that contain 0; for each of 24 parameter points, every
# critical point in 50 < Re T < 300. The results are a Parquet dataset in `runs/quickstart`
# (crash-safe; `resume=True` continues a scan).

# %%
import os  # noqa: E402
import shutil  # noqa: E402

out = "runs/quickstart"
shutil.rmtree(out, ignore_errors=True)
config = {
    "model": os.path.abspath("my_models.py") + ":KKLTUplift",
    "points": 24, "starts": 16, "seed": 1, "chunk": 24, "keep": "successful",
    "sample": {"W0": {"dist": "symmetric", "scale": 1e-3},
               "D": {"dist": "uniform", "low": 0.0, "high": 1e-8}},
    "region": {"T": [50.0, 300.0]},
    "search": {"global_steps": 0},
}
result = jaxvac.run_scan(config, out, progress=False)
result

# %% [markdown]
# ## 6. A figure for the paper
#
# `jaxvac.plot` draws on your matplotlib Axes and `save` writes PNG and PDF.

# %%
import matplotlib.pyplot as plt  # noqa: E402

import jaxvac.plot  # noqa: E402

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), layout="constrained")
jaxvac.plot.stable_fraction(result, ax=left, params=("D", "W0"))
jaxvac.plot.mass_spectra(result, ax=right, units="gravitino")
jaxvac.plot.save(fig, "runs/quickstart.figures/overview", formats=("png", "pdf"))

# %% [markdown]
# ## 7. A DataFrame
#
# One row per distinct critical point (parameters, fields, V, type, masses², digits,
# result code); `found.to_pandas()` gives the same for a find result.

# %%
df = result.to_pandas()
df[["W0", "D", "T.re", "V", "type", "vacuum", "result"]].head()

# %%
df.groupby(["type", "vacuum"]).size()
