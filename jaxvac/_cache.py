"""JAX's persistent compilation cache, on by default for every jaxvac command and the API.

Compiling a search costs seconds to minutes; running it, milliseconds (docs/performance.md).
JAX can keep compiled programs on disk and load them in a later process instead of compiling
again. jaxvac turns that on in one place, :func:`enable_compilation_cache`, called when its
physics modules are first imported (``jaxvac/_config.py``) and again by the command line
before each command. It never fails and never overrides a cache the user configured:

- ``$JAXVAC_CACHE_DIR`` chooses the directory (default ``$XDG_CACHE_HOME/jaxvac/jax``, i.e.
  ``~/.cache/jaxvac/jax``); an empty value turns jaxvac's cache off;
- if JAX's own ``jax_compilation_cache_dir`` is already set (``JAX_COMPILATION_CACHE_DIR`` or
  ``jax.config.update``), that directory is used and nothing is changed;
- a directory that cannot be created or written means no cache (silently: a cache is an
  optimisation).

The environment variable is read when jaxvac's physics is first imported; set it before.
"""

from __future__ import annotations

import os
from typing import Any

#: Environment variable: the cache directory; set but empty turns jaxvac's cache off.
CACHE_ENV = "JAXVAC_CACHE_DIR"

#: Programs that compile faster than this are not written to the cache (JAX's default is
#: 1 s). Measured (2 cores, load 1.2): ``jaxvac find kklt`` compiles its solver in 12.3 s
#: (loaded from the cache in 1.0 s), its deduplication in 0.63 s (loaded in 0.017 s: with JAX's
#: default it would compile in every process) and its sampling in 0.17-0.20 s; eager
#: operations (slices, divisions) compile in ~0.02 s and are not worth a file each.
MIN_COMPILE_TIME_SECS = 0.1

_enabled: str | None = None  # the directory jaxvac set, if it set one


def jax_flag(name: str) -> Any:
    """The value in force of JAX's configuration option ``name``: ``jax.config.<name>``, an
    attribute JAX adds at run time (so a type checker cannot see it). Unlike
    ``jax.config.read``, it also reads the options that have a context manager."""
    import jax

    return getattr(jax.config, name)


def default_cache_dir() -> str:
    """``$XDG_CACHE_HOME/jaxvac/jax``, or ``~/.cache/jaxvac/jax``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "jaxvac", "jax")


def cache_dir_setting() -> str | None:
    """The directory ``$JAXVAC_CACHE_DIR`` asks for (the default when unset), or None when
    it is set to an empty string (cache off)."""
    path = os.environ.get(CACHE_ENV)
    if path is None:
        return default_cache_dir()
    return os.path.expanduser(path) if path.strip() else None


def enable_compilation_cache() -> str | None:
    """Turn on JAX's persistent compilation cache in jaxvac's directory (see the module
    docstring); idempotent, never raises. Returns the cache directory in force — the user's
    own JAX setting if there is one — or None when no persistent cache is in use."""
    global _enabled
    try:
        import jax

        current = jax_flag("jax_compilation_cache_dir")
        if current is not None or _enabled is not None:
            return current or None  # ours, set before, or the user's own: leave it alone
        if not jax_flag("jax_enable_compilation_cache"):
            return None
        path = cache_dir_setting()
        if path is None:
            return None
        path = os.path.abspath(path)
        os.makedirs(path, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            return None
        jax.config.update("jax_compilation_cache_dir", path)
        if jax_flag("jax_persistent_cache_min_compile_time_secs") == 1.0:  # JAX's default
            jax.config.update("jax_persistent_cache_min_compile_time_secs", MIN_COMPILE_TIME_SECS)
        _enabled = path
        return path
    except Exception:  # noqa: BLE001 - a cache is an optimisation, never a failure
        return None
