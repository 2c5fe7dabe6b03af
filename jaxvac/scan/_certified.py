"""The certified columns of a scan with ``[certify]`` (docs/scans.md, "Certified columns"):
each written row of the configured kind proved with :func:`jaxvac.certify`, on the host,
before its chunk file is written (so a chunk's file holds its certificates or does not
exist: an interrupted scan recomputes and recertifies exactly the missing chunks)."""

from __future__ import annotations

import time

import jax.numpy as jnp
import numpy as np
import pyarrow as pa

from ._kinds import KINDS
from ._storage import certified_counts, coordinate_columns, with_certified_columns


def certify_chunk(
    engine, index: int, values: dict, table: pa.Table
) -> tuple[pa.Table, dict, float]:
    """``table`` (chunk ``index``'s rows) with the certified columns, the counts of its
    certified rows, and the seconds the certificates took."""
    from .._certify._columns import certify_scan_rows
    from ._engine import with_parameters

    options = engine.config.certify
    t0 = time.perf_counter()
    wanted = KINDS[options["kind"]].columns()
    data = {k: table.column(k).to_pylist() for k in wanted}
    rows = [i for i in range(table.num_rows) if all(data[k][i] == v for k, v in wanted.items())]
    names = coordinate_columns(engine.base)
    coords = {c: table.column(c).to_pylist() for c in names}
    point = table.column("point").to_pylist()
    first = index * engine.config.chunk
    models: dict[int, object] = {}

    def model_of(i):
        p = point[i] - first
        if p not in models:
            models[p] = with_parameters(
                engine.base, {k: jnp.asarray(np.asarray(v)[p]) for k, v in values.items()}
            )
        return models[p]

    found = certify_scan_rows(
        model_of,
        [(i, np.array([coords[c][i] for c in names], dtype=np.float64)) for i in rows],
        digits=options["digits"],
        max_digits=options["max_digits"],
        name=engine.config.model,
    )
    return with_certified_columns(table, found), certified_counts(found), time.perf_counter() - t0
