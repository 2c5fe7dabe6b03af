"""Results on disk: one Parquet file per completed chunk plus a JSON manifest.

Layout of a scan directory ``DIR`` (schema in ``docs/scans.md``)::

    DIR/_manifest.json             configuration, versions, seed, completed chunks
    DIR/chunk-000000.parquet       rows of chunk 0 (possibly zero rows)
    DIR/chunk-000001.parquet       ...

Every file is written to a hidden temporary name in ``DIR`` (ignored by pyarrow, pandas,
polars and DuckDB globs), flushed with ``fsync`` and renamed over its final name, and the
directory is synced: a reader sees a chunk completely or not at all, a crash at any moment
leaves only complete chunks, and a chunk recomputed after a crash replaces its file with an
identical one. Only the process driving the scan writes the manifest, holding an exclusive
lock on ``DIR/.jaxvac.lock``; the manifest records the sha256 and row count of every
completed chunk, and only the chunks it records (checksum matching) are part of the scan.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import hashlib
import json
import os
import re
import uuid
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .._classify import CriticalType, Result, Vacuum
from .._errors import InputError
from ._config import ScanConfig
from ._kinds import KINDS
from ._solvers import START_FIELDS

SCHEMA_VERSION = 1
FORMAT = "jaxvac-scan"
MANIFEST = "_manifest.json"  # "_" prefix: dataset readers skip it (like _SUCCESS)
CHUNK_RE = re.compile(r"^chunk-(\d{6,})\.parquet$")
METADATA_KEY = b"jaxvac"
#: The lock a writing process holds (fcntl.flock; released when it exits, however it exits).
LOCK = ".jaxvac.lock"
#: Temporaries of write_atomic: ".NAME.<12 hex>.tmp" for a chunk or the manifest. Only these
#: are ever deleted, and only in a directory with a manifest.
TEMPORARY_RE = re.compile(r"^\.(chunk-\d{6,}\.parquet|_manifest\.json)\.[0-9a-f]{12}\.tmp$")

#: Columns every row has besides the parameters and the coordinates (docs/scans.md).
ROW_COLUMNS = (
    "point",
    "start",
    "V",
    "type",
    "type_code",
    "n_negative",
    "n_flat",
    "vacuum",
    "vacuum_code",
    "susy",
    "bf_stable",
    "masses_squared",
    "gravitino_mass",
    "residual",
    "digits",
    "result",
    "result_code",
    "distinct",
    "steps",
    "V_scale",
    "V_error",
    "masses_error",
    "gradient_norm",
    "epsilon",
    "eta",
)


#: The columns ``[certify]`` adds after :data:`ROW_COLUMNS` (docs/scans.md, "Certified
#: columns"; the values: :func:`jaxvac._certify._columns.scan_values`), null in the rows
#: it does not certify. Scans without ``[certify]`` have none of them.
CERTIFIED_COLUMNS = {
    "certified": pa.string(),
    "certified_proved": pa.list_(pa.string()),
    "certified_unproved": pa.list_(pa.string()),
    "certified_type": pa.string(),
    "certified_n_negative": pa.int16(),
    "certified_vacuum": pa.string(),
    "certified_susy": pa.bool_(),
    "certified_V": pa.string(),
    "certified_digits": pa.int16(),
    "certified_seconds": pa.float64(),
    "certified_reasons": pa.list_(pa.string()),
}


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
    for name in model.parameters():
        arr = np.asarray(getattr(model, name))
        if arr.dtype.kind in "biuf":
            out[name] = arr
    return out


def check_column_names(model, sampled, *, certified: bool = False) -> None:
    """Parameter and coordinate names must not collide with each other or with row columns
    (with ``certified``, the :data:`CERTIFIED_COLUMNS` too)."""
    names = list(parameter_columns(model)) + list(coordinate_columns(model))
    reserved = ROW_COLUMNS + (tuple(CERTIFIED_COLUMNS) if certified else ())
    clash = sorted({n for n in names if n in reserved or names.count(n) > 1})
    if clash:
        raise InputError(
            f"{type(model).__name__}: parameter/field name(s) {', '.join(clash)} clash with "
            f"scan column names ({', '.join(reserved)}); rename them in the model."
        )


def keep_mask(keep: str, s: dict[str, np.ndarray]) -> np.ndarray:
    """Which start rows a scan writes (docs/scans.md, ``keep``)."""
    if keep == "all":
        return np.ones_like(s["distinct"], dtype=bool)
    return np.asarray(KINDS[keep].mask(s))


def chunk_counts(s: dict[str, np.ndarray], n_points: int) -> dict[str, Any]:
    """Counts over all starts of a chunk's first ``n_points`` points, kept whatever ``keep``
    drops: the denominators of fractions (docs/scans.md, "counts")."""
    s = {k: v[:n_points] for k, v in s.items()}
    results = {r.name: int(np.sum(s["result"] == r)) for r in Result}
    kinds = {name: kind.mask(s) for name, kind in KINDS.items()}
    return {
        "points": int(n_points),
        "starts": int(s["result"].size),
        "results": results,
        "vacua": {k: int(m.sum()) for k, m in kinds.items()},
        "points_with": {k: int(m.any(axis=1).sum()) for k, m in kinds.items()},
    }


def chunk_table(
    config: ScanConfig,
    base_model,
    index: int,
    values: dict,
    s: dict,
    point_ids: np.ndarray | None = None,
    n_points: int | None = None,
) -> tuple[pa.Table, dict]:
    """The Arrow table of chunk ``index`` (rows selected by ``keep``) and its counts.

    ``values``: sampled (and enumerated) parameters, arrays with leading axis = points of
    the (padded) chunk; ``s``: per-start arrays (points, starts, ...) as numpy;
    ``point_ids``, ``n_points``: the ids of those points and how many are real (default:
    the chunk's consecutive ids; an enumeration computes only some of them). Per-start
    arrays a point solver returns besides :data:`~jaxvac.scan._solvers.START_FIELDS`
    become columns of their own (after the standard ones, in name order).
    """
    if n_points is None:
        n_points = config.chunk_points(index)
    counts = chunk_counts(s, n_points)
    chunk, starts = s["result"].shape
    if point_ids is None:
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
    sugra = base_model.is_supergravity
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
    for key in sorted(set(s) - set(START_FIELDS)):
        if key in cols:
            raise ValueError(f"point solver column {key!r} clashes with a scan column.")
        cols[key] = _parameter_column(np.ascontiguousarray(take(key)))
    table = pa.table(cols)
    return table, counts


def with_certified_columns(table: pa.Table, values: dict[int, dict]) -> pa.Table:
    """``table`` with the :data:`CERTIFIED_COLUMNS` appended: row i gets ``values[i]``
    (a dict of those columns), rows without an entry get nulls."""
    rows = [values.get(i) for i in range(table.num_rows)]
    for name, kind in CERTIFIED_COLUMNS.items():
        column = [None if r is None else r[name] for r in rows]
        table = table.append_column(pa.field(name, kind), pa.array(column, type=kind))
    return table


def certified_counts(values: dict[int, dict]) -> dict[str, int]:
    """Counts of a chunk's certified rows by ``certified`` status (summed over chunks
    like the other counts)."""
    status = [v["certified"] for v in values.values()]
    return {"rows": len(status), **{s: status.count(s) for s in ("proved", "partial", "unproved")}}


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_chunk(out_dir: str, index: int, table: pa.Table, meta: dict) -> dict:
    """Write one chunk file atomically; ``meta`` goes into the Parquet key-value metadata.
    Returns its record for the manifest: ``{"sha256": ..., "rows": ...}`` of the file as
    written (hashed before it takes its final name)."""
    table = table.replace_schema_metadata({METADATA_KEY: json.dumps(meta).encode()})
    record = {"rows": table.num_rows}

    def write(tmp):
        pq.write_table(table, tmp, compression="zstd")
        record["sha256"] = file_sha256(tmp)

    write_atomic(os.path.join(out_dir, chunk_name(index)), write)
    return record


def _counts_ok(counts) -> bool:
    if not isinstance(counts, dict):
        return False
    return all(
        isinstance(k, str)
        and (
            _counts_ok(v) if isinstance(v, dict) else isinstance(v, int) and not isinstance(v, bool)
        )
        for k, v in counts.items()
    )


def read_chunk_meta(path: str) -> dict | None:
    """The jaxvac metadata of a chunk file, or None if the file is unreadable or the
    metadata is not what jaxvac writes."""
    try:
        schema = pq.read_schema(path)
    except Exception:  # noqa: BLE001 - any unreadable file counts as not completed
        return None
    raw = (schema.metadata or {}).get(METADATA_KEY)
    if raw is None:
        return None
    try:
        meta = json.loads(raw)
    except ValueError:
        return None
    if not (
        isinstance(meta, dict)
        and isinstance(meta.get("chunk"), int)
        and isinstance(meta.get("config_fingerprint"), str)
        and _counts_ok(meta.get("counts"))
        and isinstance(meta.get("seconds", 0.0), (int, float))
    ):
        return None
    return meta


def verify_chunk_file(
    path: str, index: int, fingerprint: str, first_point: int, n_points: int
) -> dict | None:
    """The manifest record of a chunk file no manifest vouches for (written just before a
    crash, or by a jaxvac that recorded no checksums), or None unless the whole file reads
    and is chunk ``index`` of this scan: its metadata names it, and its rows are its points."""
    meta = read_chunk_meta(path)
    if meta is None or meta["chunk"] != index or meta["config_fingerprint"] != fingerprint:
        return None
    try:
        table = pq.read_table(path)  # decompresses every page: a damaged one raises
    except Exception:  # noqa: BLE001 - any unreadable file is not a completed chunk
        return None
    if table.num_rows:
        if "point" not in table.column_names:
            return None
        points = table.column("point")
        # (pc.min/pc.max are made at import time, invisible to a type checker: by name)
        lo, hi = (pc.call_function(f, [points]).as_py() for f in ("min", "max"))
        if lo is None or lo < first_point or hi >= first_point + n_points:
            return None
    return {"rows": table.num_rows, "sha256": file_sha256(path)}


def chunk_files(out_dir: str) -> dict[int, str]:
    """Chunk files present in ``out_dir`` by chunk index, each under exactly the name jaxvac
    gives it (``chunk-000001.parquet``, not ``chunk-0000001.parquet``). Which of them are
    part of the scan is the manifest's record (:func:`recorded_chunks`)."""
    out = {}
    try:
        names = os.listdir(out_dir)
    except FileNotFoundError:
        return out
    for name in names:
        m = CHUNK_RE.match(name)
        if m and name == chunk_name(int(m.group(1))):
            out[int(m.group(1))] = os.path.join(out_dir, name)
    return out


def remove_temporaries(out_dir: str) -> None:
    """Temporaries of jaxvac's interrupted writes (:data:`TEMPORARY_RE`; never read by
    anyone). Call only with the lock held, in a directory with a manifest: nothing else
    there is touched (a user's ``.notes.tmp`` stays)."""
    for name in os.listdir(out_dir):
        if TEMPORARY_RE.match(name):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(out_dir, name))


def lock_directory(out_dir: str) -> IO | None:
    """Take the exclusive lock of a scan directory (``DIR/.jaxvac.lock``, ``fcntl.flock``):
    held until the returned file is closed or the process ends, however it ends. Another
    process holding it is refused with :class:`InputError`. None where the platform or the
    file system has no locks (then nothing guards against a second writer)."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        return None
    path = os.path.join(out_dir, LOCK)
    try:
        f = open(path, "a+")
    except OSError as e:
        raise _storage_error("the lock file", out_dir, e) from e
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        holder = f.read().strip()
        f.close()
        pid = f" (pid {holder})" if holder.isdigit() else ""
        raise InputError(
            f"{out_dir!r} is being written by another jaxvac process{pid}; wait for it to "
            "finish (or stop it), then run again with --resume."
        ) from None
    except OSError as e:  # e.g. ENOLCK on some network file systems
        if e.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
            f.close()
            return None
        f.close()
        raise _storage_error("the lock file", out_dir, e) from e
    f.seek(0)
    f.truncate()
    f.write(f"{os.getpid()}\n")
    f.flush()
    return f


def absolute_spec(spec: str) -> str:
    """A user model's ``path.py:Class`` with an absolute path (how workers and plots load it)."""
    if ":" in spec:
        path, _, name = spec.rpartition(":")
        if os.path.isfile(path):
            return f"{os.path.abspath(path)}:{name}"
    return spec


def new_manifest(config: ScanConfig, fingerprint: str, model, version: str) -> dict:
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "jaxvac_version": version,
        "created": now,
        "updated": now,
        "config": config.data,
        "config_fingerprint": fingerprint,
        "sources": config.sources(),
        "seed": config.seed,
        "model_class": f"{type(model).__module__}.{type(model).__qualname__}",
        "model_spec": absolute_spec(config.model_spec),
        "coordinates": list(coordinate_columns(model)),
        "chunks_total": config.n_chunks,
        "completed_chunks": [],
        "chunks": {},
        "complete": False,
    }


_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def _check_manifest(manifest: Any, path: str) -> None:
    """The fields a reader relies on have their types (a manifest is data anyone can edit)."""

    def bad(key, what):
        raise InputError(f"{path!r}: manifest: {key!r} must be {what}.")

    def is_int(v, low=0):
        return isinstance(v, int) and not isinstance(v, bool) and v >= low

    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"{path!r} is not a jaxvac scan manifest.")
    version = manifest.get("schema_version", 0)
    if not is_int(version):
        bad("schema_version", "an integer")
    if version > SCHEMA_VERSION:
        raise InputError(
            f"{path!r} was written with schema version {version}; this jaxvac reads up to "
            f"{SCHEMA_VERSION}: upgrade jaxvac."
        )
    if not isinstance(manifest.get("config"), dict) or not isinstance(
        manifest["config"].get("model"), str
    ):
        bad("config", "a table with the scan's configuration")
    if not (
        isinstance(manifest.get("config_fingerprint"), str)
        and _SHA256_RE.match(manifest["config_fingerprint"])
    ):
        bad("config_fingerprint", "a sha256 (64 hexadecimal digits)")
    if not is_int(manifest.get("chunks_total")):
        bad("chunks_total", "an integer >= 0")
    completed = manifest.get("completed_chunks")
    if not isinstance(completed, list) or not all(is_int(c) for c in completed):
        bad("completed_chunks", "a list of chunk indices")
    coordinates = manifest.get("coordinates")
    if not isinstance(coordinates, list) or not all(isinstance(c, str) for c in coordinates):
        bad("coordinates", "a list of names")
    chunks = manifest.get("chunks")
    if chunks is not None:
        if not isinstance(chunks, dict) or not all(
            k.isdigit()
            and isinstance(v, dict)
            and is_int(v.get("rows"))
            and isinstance(v.get("sha256"), str)
            and _SHA256_RE.match(v["sha256"])
            for k, v in chunks.items()
        ):
            bad("chunks", 'a table {"INDEX": {"sha256": ..., "rows": ...}}')


def read_manifest(out_dir: str) -> dict:
    path = os.path.join(out_dir, MANIFEST)
    try:
        with open(path, "rb") as f:
            manifest = json.loads(f.read().decode())
    except FileNotFoundError:
        raise InputError(f"{out_dir!r} is not a jaxvac scan directory (no {MANIFEST}).") from None
    except (OSError, ValueError) as e:  # UnicodeDecodeError and JSONDecodeError too
        raise InputError(f"{path!r}: unreadable manifest ({e}).") from None
    _check_manifest(manifest, path)
    return manifest


def recorded_chunks(manifest: dict) -> dict[int, dict | None]:
    """The chunks the manifest says are complete: index -> ``{"sha256", "rows"}``, or None
    for every chunk of a manifest written before jaxvac recorded checksums. Only indices
    below ``chunks_total`` count."""
    total = manifest["chunks_total"]
    if "chunks" in manifest:
        return {int(k): v for k, v in manifest["chunks"].items() if int(k) < total}
    return {i: None for i in manifest["completed_chunks"] if i < total}


def damaged(path: str, why: str) -> InputError:
    folder, name = os.path.split(path)
    return InputError(
        f"{path}: chunk file {name} is damaged ({why}); run the scan again with --resume "
        f"(jaxvac scan CONFIG --out {folder} --resume) to recompute it."
    )


def check_recorded_chunk(path: str, record: dict) -> None:
    """Raise :func:`damaged` unless ``path`` is the file the manifest records."""
    try:
        digest = file_sha256(path)
    except FileNotFoundError:
        raise damaged(path, "the file is missing") from None
    except OSError as e:
        raise damaged(path, f"cannot read it: {e.strerror}") from None
    if digest != record["sha256"]:
        raise damaged(path, "its sha256 differs from the one the manifest records")


def update_manifest(out_dir: str, manifest: dict, completed: dict[int, dict]) -> None:
    """Record the completed chunks (index -> ``{"sha256", "rows"}``) and write the manifest."""
    manifest["completed_chunks"] = sorted(int(c) for c in completed)
    manifest["chunks"] = {str(i): dict(completed[i]) for i in manifest["completed_chunks"]}
    manifest["complete"] = len(manifest["completed_chunks"]) == manifest["chunks_total"]
    manifest["updated"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    write_json_atomic(os.path.join(out_dir, MANIFEST), manifest)
