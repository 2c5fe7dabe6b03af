"""Reading a scan directory back: :func:`load_scan` and :class:`ScanResult`."""

from __future__ import annotations

import dataclasses
import functools
import operator
import os
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from .._display import scan_html, scan_summary
from .._errors import InputError
from ..export import require_pandas
from ._kinds import KINDS, Kind
from ._storage import (
    check_recorded_chunk,
    chunk_name,
    damaged,
    read_chunk_meta,
    read_manifest,
    recorded_chunks,
)


def _add_counts(total: dict, counts: dict) -> None:
    for key, value in counts.items():
        if isinstance(value, dict):
            _add_counts(total.setdefault(key, {}), value)
        else:
            total[key] = total.get(key, 0) + value


@dataclasses.dataclass(frozen=True)
class ScanResult:
    """A scan directory: its manifest, its chunk files and the counts over all chunks.

    ``counts`` sums, over the completed chunks, the counts every chunk records whatever
    ``keep`` drops (``docs/scans.md``): ``points``, ``starts``, ``results`` (starts by
    result code), ``vacua`` (distinct successful critical points by kind) and
    ``points_with`` (parameter points with at least one of each kind).
    """

    path: str
    manifest: dict[str, Any]
    files: dict[int, str]
    counts: dict[str, Any]
    seconds: float  # total compute time recorded by the chunks (sum over workers)

    @property
    def config(self) -> dict[str, Any]:
        return self.manifest["config"]

    @property
    def complete(self) -> bool:
        return len(self.files) == self.manifest["chunks_total"]

    @property
    def coordinates(self) -> list[str]:
        return list(self.manifest["coordinates"])

    @property
    def parameters(self) -> list[str]:
        """Sampled parameters (the ones that vary between rows)."""
        return list(self.config["sample"])

    def dataset(self) -> ds.Dataset:
        """The rows as a ``pyarrow.dataset`` (lazy; filter and project before loading)."""
        return ds.dataset(sorted(self.files.values()), format="parquet")

    def table(self, columns=None, filter=None) -> pa.Table:
        """The rows as one Arrow table, ordered by (point, start)."""
        if not self.files:
            return pa.table({})
        try:
            table = self.dataset().to_table(columns=columns, filter=filter)
        except (OSError, pa.ArrowInvalid) as e:  # a damaged file the manifest has no checksum of
            raise InputError(
                f"{self.path}: cannot read the chunk files ({e}); run the scan again "
                "with --resume to recompute a damaged chunk."
            ) from None
        if columns is None or ("point" in columns and "start" in columns):
            table = table.sort_by([("point", "ascending"), ("start", "ascending")])
        return table

    def to_pandas(self, columns=None, filter=None):
        """The rows as a pandas DataFrame (needs pandas: ``pip install 'jaxvac[analysis]'``);
        ``columns`` and ``filter`` as :meth:`table`."""
        require_pandas("ScanResult.to_pandas()")
        return self.table(columns, filter).to_pandas()

    def __repr__(self) -> str:
        """One line: the directory, model and chunks, points and starts, the critical points
        found by type, the parameter points with a dS minimum and the failed starts — not
        the manifest (``.manifest`` has it)."""
        return scan_summary(self)

    def _repr_html_(self) -> str:
        """The summary and a table of the vacua by kind, for Jupyter."""
        return scan_html(self)

    def vacua(self, kind: str = "successful", columns=None) -> pa.Table:
        """Distinct successful critical points of one kind (``docs/scans.md``): successful,
        minima, dS, dS-minima, AdS, AdS-minima, Minkowski, saddles, maxima."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)} (got {kind!r}).")
        return self.table(columns, kind_filter(KINDS[kind]))


def kind_filter(kind: Kind) -> ds.Expression:
    """The Arrow filter of the rows of ``kind`` (its :meth:`Kind.columns`)."""
    tests = [ds.field(column) == value for column, value in kind.columns().items()]
    return functools.reduce(operator.and_, tests)


def load_scan(path: str | os.PathLike, *, verify: bool = True) -> ScanResult:
    """Open a scan directory written by :func:`jaxvac.scan` (complete or not).

    The scan is the chunks its manifest records as complete (index < ``chunks_total``, file
    named exactly ``chunk-NNNNNN.parquet``); other files in the directory are ignored. With
    ``verify`` (default) every recorded chunk's sha256 is checked against the manifest
    first: a damaged or missing file raises :class:`jaxvac._errors.InputError` naming it.
    Reading a scan runs no code: nothing named in the manifest is imported or called.

    **Arguments:**

    - `path`: the scan directory.
    - `verify`: check each recorded chunk's sha256 first.

    **Returns:**

    A [`ScanResult`][jaxvac.ScanResult]: `table()`, `vacua(kind)`, `to_pandas()`,
    `counts`, `complete`; a one-line `repr`.
    """
    path = os.fspath(path)
    manifest = read_manifest(path)
    files = {}
    counts: dict[str, Any] = {}
    seconds = 0.0
    fingerprint = manifest["config_fingerprint"]
    for index, record in sorted(recorded_chunks(manifest).items()):
        file = os.path.join(path, chunk_name(index))
        if record is not None and verify:
            check_recorded_chunk(file, record)
        meta = read_chunk_meta(file)
        if meta is None or meta["config_fingerprint"] != fingerprint or meta["chunk"] != index:
            if record is None:  # a manifest without checksums: as before, skip it
                continue
            raise damaged(file, "its metadata is not that of this scan's chunk")
        files[index] = file
        _add_counts(counts, meta["counts"])
        seconds += float(meta.get("seconds", 0.0))
    return ScanResult(path=path, manifest=manifest, files=files, counts=counts, seconds=seconds)
