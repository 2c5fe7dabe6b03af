"""Exceptions shared by the command line and the library. Imports nothing, so the command
line can name them before (or without) loading JAX."""


class InputError(ValueError):
    """Bad user input; the message names the offending parameter and what is allowed."""


class PrecisionError(RuntimeError):
    """Raised when physics would be computed in float32 (JAX's 64-bit mode is off)."""
