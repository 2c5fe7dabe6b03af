import os

import jax
import pytest
from scanlib import QUARTIC, base_config

# The suite is hermetic: no persistent compilation cache from ~/.cache (jaxvac turns one on by
# default, jaxvac/_cache.py). Set JAXVAC_CACHE_DIR yourself to run the suite with one; tests of
# the cache use their own directories in subprocesses.
os.environ.setdefault("JAXVAC_CACHE_DIR", "")

jax.config.update("jax_enable_x64", True)


# ---- fixtures shared by several test modules (one instance per session) ---------------------


@pytest.fixture(scope="session")
def quartic_file(tmp_path_factory):
    # one fixed path per session: every test module imports the same class (one compilation)
    path = tmp_path_factory.getbasetemp() / "quartic-model" / "quartic.py"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(QUARTIC)
    return str(path)


@pytest.fixture(scope="session")
def reference(quartic_file, tmp_path_factory):
    """An uninterrupted in-process scan (keep = all): the rows every other run must equal."""
    out = tmp_path_factory.mktemp("scans") / "reference"
    from jaxvac.scan import scan

    result = scan(base_config(quartic_file), out, progress=False)
    return result


@pytest.fixture(scope="session")
def kklt_search():
    """The default search of KKLT and of KKLT + uplift (D = D_UPLIFT), seed 0."""
    from test_search import D_UPLIFT, model_class

    from jaxvac._find import find_critical_points

    cls = model_class("KKLTUplift")
    return {D: find_critical_points(cls(D=D), seed=0, name="KKLTUplift") for D in (0.0, D_UPLIFT)}
