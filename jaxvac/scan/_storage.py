"""Results on disk: one Parquet file per completed chunk plus a JSON manifest.

Layout of a scan directory ``DIR`` (schema in ``docs/scans.md``)::

    DIR/_manifest.json             configuration, versions, seed, completed chunks
    DIR/chunk-000000.parquet       rows of chunk 0 (possibly zero rows)
    DIR/chunk-000001.parquet       ...

Every file is written to a hidden temporary name in ``DIR`` (ignored by pyarrow, pandas,
polars and DuckDB globs), flushed with ``fsync`` and renamed over its final name, and the
directory is synced: a reader sees a chunk completely or not at all, a crash at any moment
leaves only complete chunks, and a chunk recomputed after a crash replaces its file with an
identical one. Only the process driving the scan writes the manifest.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import json
import os
import re
import uuid
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .._classify import CriticalType, Result, Vacuum
from .._io import InputError
from .._model import SupergravityModel
from ._config import ScanConfig

SCHEMA_VERSION = 1
FORMAT = "jaxvac-scan"
MANIFEST = "_manifest.json"  # "_" prefix: dataset readers skip it (like _SUCCESS)
CHUNK_RE = re.compile(r"^chunk-(\d{6,})\.parquet$")
METADATA_KEY = b"jaxvac"

#: Columns every row has besides the parameters and the coordinates (docs/scans.md).
ROW_COLUMNS = (
    "point", "start", "V", "type", "type_code", "n_negative", "n_flat", "vacuum",
    "vacuum_code", "susy", "bf_stable", "masses_squared", "gravitino_mass", "residual",
    "digits", "result", "result_code", "distinct", "steps", "V_scale", "V_error",
    "masses_error", "gradient_norm", "epsilon", "eta",
)

#: Aggregate kinds counted per chunk (distinct successful critical points).
KINDS = ("successful", "minima", "dS", "dS-minima", "AdS", "AdS-minima", "Minkowski",
         "saddles", "maxima")


class ScanStorageError(RuntimeError):
    """The scan directory cannot be written (full disk, permissions...). The chunks
    already written are intact; the message says what to do."""


def chunk_name(index: int) -> str:
    return f"chunk-{index:06d}.parquet"


def _fsync_dir(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _storage_error(what: str, path: str, err: OSError) -> ScanStorageError:
    reason = err.strerror or str(err)
    if err.errno == errno.ENOSPC:
        hint = "free some space and run again with --resume"
    elif err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "choose a writable directory (or fix its permissions) and run again with --resume"
    else:
        hint = "fix the problem and run again with --resume"
    return ScanStorageError(
        f"cannot write {what} to {path!r}: {reason}. Completed chunks are intact; {hint}."
    )


def write_atomic(path: str, write) -> None:
    """Write a file by ``write(tmp_path)``, fsync, and rename it over ``path``."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        write(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _storage_error(name, folder, e) from e
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def write_json_atomic(path: str, obj: Any) -> None:
    text = json.dumps(obj, indent=1, sort_keys=False)

    def write(tmp):
        with open(tmp, "w") as f:
            f.write(text)
            f.write("\n")

    write_atomic(path, write)


# ---- rows ------------------------------------------------------------------------------


def _dictionary(codes: np.ndarray, enum) -> pa.DictionaryArray:
    names = [m.name for m in sorted(enum, key=int)]
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int8)), pa.array(names))


def _list_column(values: np.ndarray) -> pa.Array:
    n, d = values.shape
    return pa.FixedSizeListArray.from_arrays(pa.array(values.reshape(-1), pa.float64()), d)


def _parameter_column(value: np.ndarray) -> pa.Array:
    value = np.asarray(value)
    if value.ndim == 1:
        return pa.array(value)
    return pa.FixedSizeListArray.from_arrays(
        pa.array(value.reshape(-1)), int(np.prod(value.shape[1:]))
    )


def coordinate_columns(model) -> tuple[str, ...]:
    """Names of the coordinate columns: ``T.re, T.im`` (supergravity) or ``x`` (plain)."""
    return tuple(model.coordinate_names)


def parameter_columns(model) -> dict[str, np.ndarray]:
    """Every real numeric parameter of ``model`` (the non-sampled ones become constant columns)."""
    out = {}
    for name, value in model.parameters().items():
        arr = np.asarray(getattr(model, name))
        if arr.dtype.kind in "biuf":
            out[name] = arr
    return out


def check_column_names(model, sampled) -> None:
    """Parameter and coordinate names must not collide with each other or with row columns."""
    names = list(parameter_columns(model)) + list(coordinate_columns(model))
    clash = sorted({n for n in names if n in ROW_COLUMNS or names.count(n) > 1})
    if clash:
        raise InputError(
            f"{type(model).__name__}: parameter/field name(s) {', '.join(clash)} clash with "
            f"scan column names ({', '.join(ROW_COLUMNS)}); rename them in the model."
        )


def keep_mask(keep: str, s: dict[str, np.ndarray]) -> np.ndarray:
    """Which start rows a scan writes (docs/scans.md, ``keep``)."""
    good = (s["result"] == Result.successful) & s["distinct"]
    if keep == "all":
        return np.ones_like(good)
    if keep == "successful":
        return good
    minimum = s["critical_type"] == CriticalType.minimum
    ds = s["vacuum"] == Vacuum.dS
    if keep == "minima":
        return good & minimum
    if keep == "dS":
        return good & ds
    if keep == "dS-minima":
        return good & ds & minimum
    raise ValueError(f"keep: {keep!r}")


def _kind_masks(s) -> dict[str, np.ndarray]:
    good = (s["result"] == Result.successful) & s["distinct"]
    t, v = s["critical_type"], s["vacuum"]
    minimum = t == CriticalType.minimum
    return {
        "successful": good,
        "minima": good & minimum,
        "dS": good & (v == Vacuum.dS),
        "dS-minima": good & minimum & (v == Vacuum.dS),
        "AdS": good & (v == Vacuum.AdS),
        "AdS-minima": good & minimum & (v == Vacuum.AdS),
        "Minkowski": good & (v == Vacuum.Minkowski),
        "saddles": good & (t == CriticalType.saddle),
        "maxima": good & (t == CriticalType.maximum),
    }


def chunk_counts(s: dict[str, np.ndarray], n_points: int) -> dict[str, Any]:
    """Counts over all starts of a chunk's first ``n_points`` points, kept whatever ``keep``
    drops: the denominators of fractions (docs/scans.md, "counts")."""
    s = {k: v[:n_points] for k, v in s.items()}
    results = {r.name: int(np.sum(s["result"] == r)) for r in Result}
    kinds = _kind_masks(s)
    return {
        "points": int(n_points),
        "starts": int(s["result"].size),
        "results": results,
        "vacua": {k: int(m.sum()) for k, m in kinds.items()},
        "points_with": {k: int(m.any(axis=1).sum()) for k, m in kinds.items()},
    }


def chunk_table(config: ScanConfig, base_model, index: int, values: dict, s: dict) -> tuple[pa.Table, dict]:
    """The Arrow table of chunk ``index`` (rows selected by ``keep``) and its counts.

    ``values``: sampled parameters, arrays with leading axis = points of the (padded)
    chunk; ``s``: per-start arrays (points, starts, ...) as numpy.
    """
    n_points = config.chunk_points(index)
    counts = chunk_counts(s, n_points)
    chunk, starts = s["result"].shape
    point_ids = np.arange(index * config.chunk, index * config.chunk + chunk, dtype=np.int64)
    mask = keep_mask(config.keep, s)
    mask[n_points:] = False
    pi, si = np.nonzero(mask)  # row order: by point, then start

    cols: dict[str, pa.Array] = {}
    cols["point"] = pa.array(point_ids[pi])
    cols["start"] = pa.array(si.astype(np.int32))
    for name, const in parameter_columns(base_model).items():
        if name in values:
            col = np.asarray(values[name])[pi]
        else:
            col = np.broadcast_to(const, (len(pi),) + const.shape)
        cols[name] = _parameter_column(np.ascontiguousarray(col))
    y = s["y"][pi, si]
    for j, cname in enumerate(coordinate_columns(base_model)):
        cols[cname] = pa.array(y[:, j])

    def take(key):
        return s[key][pi, si]

    cols["V"] = pa.array(take("V"))
    cols["type"] = _dictionary(take("critical_type"), CriticalType)
    cols["type_code"] = pa.array(take("critical_type").astype(np.int8))
    cols["n_negative"] = pa.array(take("n_negative").astype(np.int16))
    cols["n_flat"] = pa.array(take("n_flat").astype(np.int16))
    vacuum = take("vacuum")
    cols["vacuum"] = _dictionary(vacuum, Vacuum)
    cols["vacuum_code"] = pa.array(vacuum.astype(np.int8))
    sugra = isinstance(base_model, SupergravityModel)
    susy = take("susy").astype(bool)
    cols["susy"] = pa.array(susy, mask=np.full(len(pi), not sugra))
    cols["bf_stable"] = pa.array(take("bf_stable").astype(bool), mask=vacuum != Vacuum.AdS)
    cols["masses_squared"] = _list_column(take("masses_squared"))
    cols["gravitino_mass"] = pa.array(take("gravitino_mass"))
    cols["residual"] = pa.array(take("residual"))
    cols["digits"] = pa.array(take("digits"))
    result = take("result")
    cols["result"] = _dictionary(result, Result)
    cols["result_code"] = pa.array(result.astype(np.int8))
    cols["distinct"] = pa.array(take("distinct").astype(bool))
    cols["steps"] = pa.array(take("steps").astype(np.int32))
    for key in ("V_scale", "V_error", "masses_error", "gradient_norm", "epsilon", "eta"):
        cols[key] = pa.array(take(key).astype(np.float64))
    table = pa.table(cols)
    return table, counts


def write_chunk(out_dir: str, index: int, table: pa.Table, meta: dict) -> str:
    """Write one chunk file atomically; ``meta`` goes into the Parquet key-value metadata."""
    table = table.replace_schema_metadata({METADATA_KEY: json.dumps(meta).encode()})
    path = os.path.join(out_dir, chunk_name(index))
    write_atomic(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))
    return path


def read_chunk_meta(path: str) -> dict | None:
    """The jaxvac metadata of a chunk file, or None if the file is unreadable."""
    try:
        schema = pq.read_schema(path)
    except Exception:  # noqa: BLE001 - any unreadable file counts as not completed
        return None
    raw = (schema.metadata or {}).get(METADATA_KEY)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def chunk_files(out_dir: str) -> dict[int, str]:
    """Completed chunk files present in ``out_dir`` by chunk index."""
    out = {}
    try:
        names = os.listdir(out_dir)
    except FileNotFoundError:
        return out
    for name in names:
        m = CHUNK_RE.match(name)
        if m:
            out[int(m.group(1))] = os.path.join(out_dir, name)
    return out


def remove_temporaries(out_dir: str) -> None:
    """Temporary files of interrupted writes (never read by anyone)."""
    for name in os.listdir(out_dir):
        if name.startswith(".") and name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(out_dir, name))


def _absolute_spec(spec: str) -> str:
    """A user model's ``path.py:Class`` with an absolute path (how workers and plots load it)."""
    if ":" in spec:
        path, _, name = spec.rpartition(":")
        if os.path.isfile(path):
            return f"{os.path.abspath(path)}:{name}"
    return spec


def new_manifest(config: ScanConfig, fingerprint: str, model, version: str) -> dict:
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "jaxvac_version": version,
        "created": now,
        "updated": now,
        "config": config.data,
        "config_fingerprint": fingerprint,
        "seed": config.seed,
        "model_class": f"{type(model).__module__}.{type(model).__qualname__}",
        "model_spec": _absolute_spec(config.model_spec),
        "coordinates": list(coordinate_columns(model)),
        "chunks_total": config.n_chunks,
        "completed_chunks": [],
        "complete": False,
    }


def read_manifest(out_dir: str) -> dict:
    path = os.path.join(out_dir, MANIFEST)
    try:
        with open(path) as f:
            manifest = json.load(f)
    except FileNotFoundError:
        raise InputError(f"{out_dir!r} is not a jaxvac scan directory (no {MANIFEST}).") from None
    except (OSError, ValueError) as e:
        raise InputError(f"{path!r}: unreadable manifest ({e}).") from None
    if manifest.get("format") != FORMAT:
        raise InputError(f"{path!r} is not a jaxvac scan manifest.")
    if manifest.get("schema_version", 0) > SCHEMA_VERSION:
        raise InputError(
            f"{path!r} was written with schema version {manifest['schema_version']}; this "
            f"jaxvac reads up to {SCHEMA_VERSION}: upgrade jaxvac."
        )
    return manifest


def update_manifest(out_dir: str, manifest: dict, completed) -> None:
    manifest["completed_chunks"] = sorted(int(c) for c in completed)
    manifest["complete"] = len(manifest["completed_chunks"]) == manifest["chunks_total"]
    manifest["updated"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    write_json_atomic(os.path.join(out_dir, MANIFEST), manifest)
