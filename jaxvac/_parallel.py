"""Concurrent executions on the host's cores.

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

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Hashable, Sequence

import equinox as eqx
import jax

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


def map_concurrently(fn: Callable[..., Any], calls: Sequence[tuple], threads: int,
                     key: Hashable | None = None) -> list:
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
