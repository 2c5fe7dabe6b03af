"""Precision policy: jaxvac computes physics in float64 only."""

import os

import jax
import numpy as np

from ._cache import jax_flag
from ._errors import InputError
from ._errors import PrecisionError as PrecisionError  # the leaf module; re-exported here

#: Unit roundoff of float64 (2**-52, the spacing of floats near 1).
EPS = float(np.finfo(np.float64).eps)

#: Digits float64 can hold at most: -log10(EPS).
MAX_DIGITS = float(-np.log10(EPS))


def ensure_x64() -> None:
    """Refuse to compute physics unless JAX's 64-bit mode is on.

    Called at trace time by every public physics entry point, so it costs nothing
    inside compiled code.

    **Arguments:**

    None.

    **Returns:**

    None; raises [`PrecisionError`][jaxvac.PrecisionError] when 64-bit mode is off.
    """
    if not jax_flag("jax_enable_x64"):
        raise PrecisionError(
            "jaxvac computes physics in float64 only, but JAX's 64-bit mode is off "
            "(jax_enable_x64=False), so every array would silently be float32. Turn it "
            "on before creating any array: `jax.config.update('jax_enable_x64', True)` "
            "at the top of your script, or set the environment variable "
            "JAX_ENABLE_X64=1. (The jaxvac command line and test suite do this for you.)"
        )


def enable_x64() -> None:
    """Turn on JAX's 64-bit mode. Only the edges (CLI, experiments, tests) call this.

    **Arguments:**

    None.

    **Returns:**

    None. Equivalent to `jax.config.update("jax_enable_x64", True)`.
    """
    jax.config.update("jax_enable_x64", True)


def platform_choice(variable: str, choices: tuple[str, ...], *, cpu: str, other: str) -> str:
    """How to run, by platform unless the environment says: ``$variable`` if set to one of
    ``choices`` (case-insensitive), else (unset, empty or ``auto``) ``cpu`` on JAX's CPU
    backend and ``other`` on any other. Any other value is an ``InputError`` naming the
    variable. Used by ``$JAXVAC_EXECUTION`` and ``$JAXVAC_LINALG`` (docs/scaling.md)."""
    raw = os.environ.get(variable, "")
    value = raw.strip().lower() or "auto"
    if value not in ("auto",) + tuple(choices):
        raise InputError(
            f"{variable} must be one of {', '.join(('auto',) + tuple(choices))} (got {raw!r})."
        )
    if value == "auto":
        return cpu if jax.default_backend() == "cpu" else other
    return value


# Compiled programs are kept on disk across processes, for the API as for the command line
# (jaxvac/_cache.py: $JAXVAC_CACHE_DIR, empty to turn off; a user's own JAX cache wins).
from ._cache import enable_compilation_cache  # noqa: E402

enable_compilation_cache()
