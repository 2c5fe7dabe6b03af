"""The kinds of critical points a scan counts, keeps and selects, defined once.

A kind is a predicate over the codes of one start: verified (``result`` successful), the
representative of its critical point (``distinct``) and, for most kinds, of one
critical-point type and/or one vacuum type. The per-chunk counts and ``keep``
(:meth:`Kind.mask`, over the codes), :meth:`jaxvac.ScanResult.vacua` (:meth:`Kind.columns`,
over the names the Parquet rows store) and the command line's choices all come from
:data:`KINDS` (``docs/scans.md``, "Which rows are written" and "Chunk metadata and counts").

This module imports no JAX and no pyarrow.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .._classify import CriticalType, Result, Vacuum


@dataclasses.dataclass(frozen=True)
class Kind:
    """Distinct verified critical points, optionally of one ``type`` and one ``vacuum``.

    ``keep``: whether a scan's ``keep`` may name this kind (the others are selected when
    reading, with :meth:`jaxvac.ScanResult.vacua`).
    """

    name: str
    type: CriticalType | None = None
    vacuum: Vacuum | None = None
    keep: bool = False

    def mask(self, starts: Mapping[str, Any]):
        """Which starts are of this kind: ``starts`` holds the per-start arrays ``result``,
        ``distinct``, ``critical_type`` and ``vacuum`` (codes; numpy or JAX arrays)."""
        out = (starts["result"] == Result.successful) & starts["distinct"]
        if self.type is not None:
            out = out & (starts["critical_type"] == self.type)
        if self.vacuum is not None:
            out = out & (starts["vacuum"] == self.vacuum)
        return out

    def columns(self) -> dict[str, Any]:
        """The values a stored row of this kind has, by Parquet column (names, not codes):
        every one must hold (docs/scans.md, "Row schema")."""
        out: dict[str, Any] = {"result": Result.successful.name, "distinct": True}
        if self.type is not None:
            out["type"] = self.type.name
        if self.vacuum is not None:
            out["vacuum"] = self.vacuum.name
        return out


#: Every kind, in the order counts and fractions list them.
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("successful", keep=True),
        Kind("minima", type=CriticalType.minimum, keep=True),
        Kind("dS", vacuum=Vacuum.dS, keep=True),
        Kind("dS-minima", type=CriticalType.minimum, vacuum=Vacuum.dS, keep=True),
        Kind("AdS", vacuum=Vacuum.AdS),
        Kind("AdS-minima", type=CriticalType.minimum, vacuum=Vacuum.AdS),
        Kind("Minkowski", vacuum=Vacuum.Minkowski),
        Kind("saddles", type=CriticalType.saddle),
        Kind("maxima", type=CriticalType.maximum),
    )
}

#: What a scan may write for each parameter point (``keep``): every start, or one kind.
KEEP = ("all", *(name for name, kind in KINDS.items() if kind.keep))
