"""Concurrent executions on the host's cores, or one program over every device.

Two ways to spread a batch (a search's starts, a scan's chunks), chosen by platform
(:func:`execution_mode`, ``$JAXVAC_EXECUTION``; docs/scaling.md):

- **threads** (the CPU backend), below;
- **devices** (GPUs, TPUs): :func:`map_on_devices` runs the batch in calls of one SPMD program
  over every local device (``jax.shard_map`` over a 1-d mesh), each device solving its rows,
  the batch per device fitted to its memory (:func:`fit_batch`), no host round trip inside
  the program (:func:`host_round_trips`).


XLA's CPU backend runs an execution on about one core (1.35 of 2 measured for a KKLT search;
jaxvac turns Eigen's multi-threading off, docs/scans.md "CPU hang"), and executions
dispatched from one Python thread run one after the other — asynchronous dispatch does not
overlap them. Executions started from separate threads do run side by side. So the batched
search splits its starts, and a scan its chunks, over :func:`default_threads` threads: on the
2-core machine a KKLT search of 10⁴ starts takes 0.69 s instead of 1.13 s (best of 3,
bench/results/search.md). Results do not depend on the number of threads (each start is
solved on its own).
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding
from jax.sharding import PartitionSpec as P

from ._config import platform_choice
from ._errors import InputError

#: Environment variable that sets the number of threads (default: the cores this process
#: may use on a CPU backend, 1 on accelerators).
THREADS_ENV = "JAXVAC_THREADS"


def check_threads(value, name: str = "threads") -> int:
    """``value`` as an integer >= 1, or an ``InputError`` naming ``name``."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = 0
    if isinstance(value, bool) or n < 1 or (isinstance(value, float) and value != n):
        raise InputError(f"{name} must be an integer >= 1 (got {value!r}).")
    return n


def default_threads() -> int:
    """Concurrent executions to use: ``$JAXVAC_THREADS`` if set, else the cores this process
    may run on for the CPU backend and 1 for accelerators (one execution already fills a GPU)."""
    env = os.environ.get(THREADS_ENV)
    if env:
        return check_threads(env, THREADS_ENV)
    if jax.default_backend() != "cpu":
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


_compiled: set = set()
_compiled_lock = threading.Lock()


def call_signature(*args) -> Hashable | None:
    """What a jit compiles for: the tree, array shapes/dtypes and static leaves of ``args``
    (None if a static leaf is unhashable)."""
    leaves, tree = jax.tree.flatten(args)
    sig = tuple((tuple(x.shape), str(x.dtype)) if eqx.is_array(x) else x for x in leaves)
    key = (tree, sig)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def map_concurrently(
    fn: Callable[..., Any], calls: Sequence[tuple], threads: int, key: Hashable | None = None
) -> list:
    """``[block_until_ready(fn(*c)) for c in calls]`` with up to ``threads`` calls at a time.

    The first call for a ``key`` not seen before (``None``: always) runs alone, so a jitted
    ``fn`` is compiled once rather than by every thread at the same time."""
    calls = list(calls)

    def one(c):
        return jax.block_until_ready(fn(*c))

    if threads <= 1 or len(calls) <= 1:
        return [one(c) for c in calls]
    with _compiled_lock:
        warm = key is not None and key in _compiled
    results: list = []
    rest = calls
    if not warm:
        results.append(one(calls[0]))
        rest = calls[1:]
        if key is not None:
            with _compiled_lock:
                _compiled.add(key)
    with ThreadPoolExecutor(max_workers=min(threads, len(rest))) as pool:
        results.extend(pool.map(one, rest))
    return results


# ======================================================================================
# Devices: one program over every local device (docs/scaling.md)
# ======================================================================================

#: Environment variable choosing how a batch is spread: ``threads`` (host threads, one
#: execution per core: the CPU backend), ``devices`` (one SPMD program over all local
#: devices, each holding a slice of the batch: GPUs) or ``auto`` (default: ``threads`` on the
#: CPU backend, ``devices`` on any other).
EXECUTION_ENV = "JAXVAC_EXECUTION"


def execution_mode() -> str:
    """``"threads"`` or ``"devices"``: ``$JAXVAC_EXECUTION`` if set, else by platform —
    threads on the CPU backend (XLA runs an execution on ~one core there, and several forced
    host devices share the same cores: bench/results/scaling.md), devices elsewhere."""
    return platform_choice(EXECUTION_ENV, ("threads", "devices"), cpu="threads", other="devices")


#: The mesh axis a batch (starts of a search, parameter points of a scan chunk) is split along.
BATCH_AXIS = "batch"


def batch_mesh(devices: Sequence | None = None) -> Mesh:
    """A 1-d :class:`jax.sharding.Mesh` over ``devices`` (default: every local device),
    axis :data:`BATCH_AXIS`."""
    devices = list(jax.local_devices() if devices is None else devices)
    return Mesh(np.array(devices), (BATCH_AXIS,))


def over_devices(fn: Callable, mesh: Mesh, batched: Sequence[bool]) -> Callable:
    """``fn`` as one SPMD program over ``mesh``: the arguments flagged in ``batched`` are
    split along their leading axis (whose length must be a multiple of the mesh size), the
    others replicated; every output is split along its leading axis. Each device runs ``fn``
    on its own rows, with no communication: a row's result does not depend on the number of
    devices (tests/test_scaling.py)."""
    specs = tuple(P(BATCH_AXIS) if b else P() for b in batched)
    return jax.shard_map(fn, mesh=mesh, in_specs=specs, out_specs=P(BATCH_AXIS), check_vma=False)


# ---- memory: the batch per device from the device's memory --------------------------

#: Environment variable giving the memory (bytes, e.g. ``8e9``) a device may use for one
#: program; overrides what the device reports.
MEMORY_ENV = "JAXVAC_DEVICE_MEMORY"
#: The share of a device's free memory one program may plan to use (XLA's own allocator,
#: fragmentation and the next chunk in flight need the rest).
MEMORY_FRACTION = 0.5


def device_memory(device=None) -> int | None:
    """Bytes one program may use on ``device``: ``$JAXVAC_DEVICE_MEMORY`` if set; else the
    device's ``memory_stats()`` (``bytes_limit - bytes_in_use``, GPUs and TPUs) ×
    :data:`MEMORY_FRACTION`; on the CPU backend, which reports no statistics, the host's
    available memory (``MemAvailable`` of /proc/meminfo) shared by the local devices ×
    :data:`MEMORY_FRACTION`; None where nothing is known (then batches are never reduced)."""
    env = os.environ.get(MEMORY_ENV)
    if env:
        try:
            value = float(env)
        except ValueError:
            value = 0.0
        if not (value >= 1 and math.isfinite(value)):
            raise InputError(f"{MEMORY_ENV} must be a number of bytes >= 1 (got {env!r}).")
        return int(value)
    device = device if device is not None else jax.local_devices()[0]
    try:
        stats = device.memory_stats()
    except Exception:  # backends without statistics raise or return None
        stats = None
    if stats and "bytes_limit" in stats:
        free = int(stats["bytes_limit"]) - int(stats.get("bytes_in_use", 0))
        return max(1, int(free * MEMORY_FRACTION))
    available = _host_available_memory()
    if available is None:
        return None
    sharing = max(1, sum(d.platform == device.platform for d in jax.local_devices()))
    return max(1, int(available * MEMORY_FRACTION / sharing))


def _host_available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def program_bytes(compiled) -> int | None:
    """Device memory one execution of a compiled program needs (per device for an SPMD
    program): arguments + outputs + temporaries − aliased, from XLA's memory analysis."""
    try:
        m = compiled.memory_analysis()
    except Exception:
        return None
    if m is None:
        return None
    return int(
        m.argument_size_in_bytes
        + m.output_size_in_bytes
        + m.temp_size_in_bytes
        - m.alias_size_in_bytes
    )


def fit_batch(compile_for: Callable[[int], Any], batch: int, memory: int | None):
    """``(compiled, batch)``: ``compile_for(batch)``, with ``batch`` halved until the compiled
    program's :func:`program_bytes` fit in ``memory`` (None: no limit) or ``batch`` is 1.
    The batch changes how many rows are solved together, never a row's result."""
    batch = max(1, int(batch))
    while True:
        compiled = compile_for(batch)
        need = program_bytes(compiled)
        if memory is None or need is None or need <= memory or batch == 1:
            return compiled, batch
        batch //= 2


# ---- host callbacks and transfers in a compiled program -------------------------------

#: What in the text of a compiled XLA program means a trip to the host during the
#: execution: Python callbacks (``jax.pure_callback``, ``jax.debug.callback``, equinox's
#: ``error_if`` in raising mode), in/outfeed, and send/recv to the host.
HOST_OPS = (
    re.compile(r"custom_call_target=\"[^\"]*callback[^\"]*\"", re.IGNORECASE),
    re.compile(r"\b(?:outfeed|infeed|send|recv|send-done|recv-done)\("),
    re.compile(r"is_host_transfer=true"),
)


def host_round_trips(hlo_text: str) -> list[str]:
    """The lines of a compiled program's text (``compiled.as_text()``) that go to the host
    (:data:`HOST_OPS`); empty for a program that runs on the device from start to end."""
    return [line.strip() for line in hlo_text.splitlines() if any(p.search(line) for p in HOST_OPS)]


# ---- a batch over the devices -------------------------------------------------------

_device_programs: dict = {}
_fitted_batches: dict = {}
_device_lock = threading.Lock()


def map_on_devices(
    fn: Callable[..., Any], rows, args: tuple, *, batch_size: int, devices: Sequence | None = None
):
    """``fn(rows, *args, batch_size=b)`` over the local devices: ``rows`` (a pytree of
    arrays with a leading batch axis) in calls of ``b`` rows per device, each call one
    program over a :func:`batch_mesh` (``fn`` runs on every device's ``b`` rows, no
    communication). ``b`` is ``batch_size`` (fewer if all the rows fit in one call), halved
    until the compiled program fits in :func:`device_memory` (:func:`fit_batch`). The last
    call is padded with copies of the first row, and the padding dropped; the calls are
    dispatched without waiting, and their results gathered on the first device (what follows
    runs as on one device). One compilation serves every number of rows above one call.

    ``fn`` must treat each row on its own (then every row's result is the same for any
    ``b``, and for any number of devices to the last bits: tests/test_scaling.py)."""
    n = int(jax.tree.leaves(rows)[0].shape[0])
    program = compile_on_devices(fn, rows, args, batch_size=batch_size, devices=devices)
    mesh, per_call = program.mesh, program.rows
    first = mesh.devices.flat[0]
    sharding = NamedSharding(mesh, P(BATCH_AXIS))
    outs = []
    for start in range(0, n, per_call):
        part = jax.tree.map(
            lambda x, start=start: _pad_first(x[start : start + per_call], per_call), rows
        )
        outs.append(program.compiled(jax.device_put(part, sharding), program.replicated))
    outs = jax.device_put(outs, first)
    out = outs[0] if len(outs) == 1 else jax.tree.map(lambda *xs: jnp.concatenate(xs), *outs)
    return jax.tree.map(lambda x: x[:n], out)


class DeviceProgram(eqx.Module):
    """A compiled program over a mesh (:func:`compile_on_devices`): ``rows`` rows a call
    (``batch`` per device), the replicated arguments placed."""

    compiled: Any
    replicated: Any
    mesh: Any = eqx.field(static=True)
    rows: int = eqx.field(static=True)
    batch: int = eqx.field(static=True)


def compile_on_devices(
    fn: Callable[..., Any], rows, args: tuple, *, batch_size: int, devices: Sequence | None = None
) -> DeviceProgram:
    """The program :func:`map_on_devices` runs for these rows (compiled once per function,
    mesh, row shapes, arguments and batch; the batch fitted to :func:`device_memory`)."""
    mesh = batch_mesh(devices)
    ndev = mesh.devices.size
    n = int(jax.tree.leaves(rows)[0].shape[0])
    dynamic, static = eqx.partition(args, eqx.is_array)
    dynamic = jax.device_put(dynamic, NamedSharding(mesh, P()))
    sharding = NamedSharding(mesh, P(BATCH_AXIS))
    signature = call_signature(jax.tree.map(lambda x: x[:1], rows), args)

    def compile_for(b):
        key = None if signature is None else (fn, mesh, signature, b)
        with _device_lock:
            hit = _device_programs.get(key) if key is not None else None
        if hit is not None:
            return hit

        def body(r, d):
            return fn(r, *eqx.combine(d, static), batch_size=b)

        shapes = jax.tree.map(
            lambda x: jax.ShapeDtypeStruct((ndev * b,) + x.shape[1:], x.dtype, sharding=sharding),
            rows,
        )
        compiled = jax.jit(over_devices(body, mesh, (True, False))).lower(shapes, dynamic).compile()
        if key is not None:
            with _device_lock:
                _device_programs[key] = compiled
        return compiled

    wanted = min(int(batch_size), -(-n // ndev))
    fitted = (
        None if signature is None else (fn, mesh, signature, wanted, os.environ.get(MEMORY_ENV))
    )
    with _device_lock:
        known = _fitted_batches.get(fitted) if fitted is not None else None
    if known is not None:  # fitted once: later calls (chunks in flight) keep the same program
        compiled, batch = compile_for(known), known
    else:
        compiled, batch = fit_batch(compile_for, wanted, device_memory(mesh.devices.flat[0]))
        if fitted is not None:
            with _device_lock:
                _fitted_batches[fitted] = batch
    return DeviceProgram(
        compiled=compiled, replicated=dynamic, mesh=mesh, rows=ndev * batch, batch=batch
    )


def _pad_first(x, total: int):
    extra = total - x.shape[0]
    if extra <= 0:
        return x
    return jnp.concatenate([x, jnp.broadcast_to(x[:1], (extra,) + x.shape[1:])])
