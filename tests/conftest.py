import os

import jax

# The suite is hermetic: no persistent compilation cache from ~/.cache (jaxvac turns one on by
# default, jaxvac/_cache.py). Set JAXVAC_CACHE_DIR yourself to run the suite with one; tests of
# the cache use their own directories in subprocesses.
os.environ.setdefault("JAXVAC_CACHE_DIR", "")

jax.config.update("jax_enable_x64", True)
