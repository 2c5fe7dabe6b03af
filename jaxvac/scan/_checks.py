"""Checks of configuration values read from TOML (or a manifest): each failure is one
:class:`~jaxvac._errors.InputError` line naming the key and what is allowed."""

from __future__ import annotations

import math
from typing import Any

from .._errors import InputError


def check_int(table: dict, key: str, low: int, high: int, where: str = "") -> int:
    """``table[key]``, an integer in [low, high]; ``where`` prefixes the key (``"manifest:
    config."``)."""
    if key not in table:
        raise InputError(f"{where}missing key {key!r}.")
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}{key} must be an integer (got {value!r}).")
    if not low <= value <= high:
        raise InputError(f"{where}{key} must be between {low} and {high} (got {value}).")
    return value


def check_number(table: dict, key: str, where: str, *, default: float | None = None) -> float:
    """``table[key]`` as a finite float; when absent, ``default`` (the key is required when
    there is no default)."""
    if key not in table:
        if default is None:
            raise InputError(f"{where}: missing key {key!r}.")
        return default
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}.{key} must be a number (got {value!r}).")
    if not math.isfinite(value):
        raise InputError(f"{where}.{key} must be finite (got {value!r}).")
    return float(value)


def check_keys(table: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    """Refuse keys of ``table`` outside ``allowed``."""
    extra = sorted(set(table) - set(allowed))
    if extra:
        raise InputError(
            f"{where}: unknown key(s) {', '.join(map(repr, extra))}; allowed: {', '.join(allowed)}."
        )
