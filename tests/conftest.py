import atexit
import os
import shutil
import tempfile

import jax
import pytest
from scanlib import QUARTIC, base_config

# The suite is hermetic: no persistent compilation cache from ~/.cache (jaxvac turns one on by
# default, jaxvac/_cache.py). Unless JAXVAC_CACHE_DIR is set (to "" for no cache at all), a run
# of the suite gets a fresh, empty cache directory of its own, shared by its pytest-xdist
# workers (the test command runs two: pyproject.toml) so that a program one worker compiled is
# loaded, not compiled again, by the other; it is removed when the run ends. (JAX writes an
# entry without a lock, so one may be read while the other worker writes it; JAX catches a
# failed read, warns and compiles.) Tests of the cache use their own directories in subprocesses.
if "JAXVAC_CACHE_DIR" not in os.environ:
    _run_cache = tempfile.mkdtemp(prefix="jaxvac-test-cache-")
    os.environ["JAXVAC_CACHE_DIR"] = _run_cache
    atexit.register(shutil.rmtree, _run_cache, ignore_errors=True)

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
