"""The program store: jaxvac's compiled programs kept on disk, traced once per machine.

JAX's persistent compilation cache (:mod:`jaxvac._cache`) spares a later process XLA's
compilation, but not JAX's tracing and lowering, and for jaxvac's programs tracing is most of
the wait: a warm ``jaxvac find kklt`` (every program already in the compilation cache) spent
~85% of its wall time tracing the search — nested forward-mode derivatives of a complex
F-term potential under ``vmap``, three Newton variants — and ~10% loading the compiled
programs (bench/results/latency.md). The store keeps each traced and lowered program as a
serialised :mod:`jax.export` artefact; a later process deserialises it (milliseconds) and
calls it, and its compilation comes from the persistent cache.

:func:`stored_jit` wraps a function like ``eqx.filter_jit``. A call is served from the store
only when all of these hold, else it is an ordinary ``eqx.filter_jit`` call:

- the persistent compilation cache is on (``$JAXVAC_CACHE_DIR``; the store lives in its
  ``jaxvac-programs/`` folder) and ``$JAXVAC_PROGRAM_STORE`` is not ``0``;
- the arguments are concrete (not traced inside another transformation);
- every class in the arguments' static part is jaxvac's own or a Python builtin, and every
  static value has a stable text form. A user-defined model is *not* stored: the key could not
  cover the code of the user's class (nor what it imports), and a stale program would give a
  wrong answer silently; user models are traced in every process, as before.

A program's key is a SHA-256 of: the store's format, the JAX and jaxlib versions, the
platform, the 64-bit flag, a digest of every file of the installed jaxvac package (so any
change to jaxvac's code is a new key), the function's name, the static part of the arguments
(model class and static fields, region, solver options) and the shapes and dtypes of the
array leaves. A file that cannot be read, does not parse or was written for another key is
ignored and replaced. Outputs are rebuilt from a description written beside the program, whose
classes must be jaxvac's own and already imported: reading the store imports nothing named in
it. Like JAX's compilation cache (which holds compiled machine code), the folder is trusted
to be the user's own.

Exporting a program costs what tracing it costs: a first (cold) call is not slower than
``eqx.filter_jit``'s; a program JAX cannot export (a host callback, say) is remembered for the
process and traced as usual.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import equinox as eqx
import jax
import jax.core

from ._cache import enable_compilation_cache, jax_flag

#: Environment variable: ``0`` turns the program store off (the compilation cache stays on).
STORE_ENV = "JAXVAC_PROGRAM_STORE"

#: The store's folder inside the compilation cache directory.
STORE_FOLDER = "jaxvac-programs"

#: Version of the file layout; part of every key.
FORMAT = 1

_SUFFIX = ".program"
_ALLOWED_MODULES = ("jaxvac.", "builtins")
_UNSTABLE_TEXT = (" at 0x", "<function", "<lambda>", "<locals>")


class _Unsupported(Exception):
    """The call cannot be served from the store (the reason is the message)."""


def store_dir() -> Path | None:
    """The store's folder, or None when the store is off (``$JAXVAC_PROGRAM_STORE=0``, or no
    persistent compilation cache: the store's programs would have to compile in every
    process)."""
    if os.environ.get(STORE_ENV, "").strip() == "0":
        return None
    cache = enable_compilation_cache()
    return None if cache is None else Path(cache) / STORE_FOLDER


_digest: str | None = None


def source_digest() -> str:
    """SHA-256 of every file of the installed jaxvac package (names and contents; compiled
    bytecode excluded), computed once per process."""
    global _digest
    if _digest is None:
        root = Path(__file__).resolve().parent
        h = hashlib.sha256()
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode())
                h.update(b"\0")
                h.update(path.read_bytes())
                h.update(b"\0")
        _digest = h.hexdigest()
    return _digest


def _check_type(t: type) -> None:
    """``t`` is a builtin or a class jaxvac defines at module level: a class made at run time
    (inside a function, e.g. per base model) could share its name with another of different
    behaviour, and the name is all a key sees."""
    module = getattr(t, "__module__", "") or ""
    if module == "builtins":
        return
    if not module.startswith(_ALLOWED_MODULES):
        raise _Unsupported(f"{module}.{t.__qualname__} is not one of jaxvac's classes")
    found: Any = sys.modules.get(module)
    for part in t.__qualname__.split("."):
        found = getattr(found, part, None)
    if found is not t:
        raise _Unsupported(f"{module}.{t.__qualname__} is made at run time")


def _check_tree(treedef) -> None:
    data = treedef.node_data()
    if data is not None:
        _check_type(data[0])
    for child in treedef.children():
        _check_tree(child)


def _check_static_leaf(x) -> None:
    if x is None or isinstance(x, (bool, int, float, str, bytes)):
        return
    if isinstance(x, (tuple, list, frozenset)):
        for y in x:
            _check_static_leaf(y)
        return
    if isinstance(x, enum.Enum) or dataclasses.is_dataclass(x):
        _check_type(type(x))
        return
    raise _Unsupported(f"static value of type {type(x).__qualname__}")


def _key(name: str, args: tuple) -> tuple[str, list]:
    """The program's key and the array leaves to call it with; raises :class:`_Unsupported`."""
    dynamic, static = eqx.partition(args, eqx.is_array)
    leaves = jax.tree.leaves(dynamic)
    if any(isinstance(x, jax.core.Tracer) for x in leaves):
        raise _Unsupported("traced arguments")
    static_leaves, static_tree = jax.tree.flatten(static)
    _check_tree(static_tree)
    for x in static_leaves:
        _check_static_leaf(x)
    text = f"{static_tree!r}|{static_leaves!r}"
    if any(s in text for s in _UNSTABLE_TEXT):
        raise _Unsupported("a static value has no stable text form")
    avals = [(tuple(x.shape), str(x.dtype), bool(getattr(x, "weak_type", False))) for x in leaves]
    h = hashlib.sha256()
    for part in (
        str(FORMAT),
        jax.__version__,
        importlib.metadata.version("jaxlib"),
        jax.default_backend(),
        str(bool(jax_flag("jax_enable_x64"))),
        source_digest(),
        name,
        text,
        repr(avals),
    ):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest(), leaves


# --------------------------------------------------------------------------------------
# Outputs: a JSON description of the pytree, rebuilt without importing anything
# --------------------------------------------------------------------------------------


def _describe(x, leaves: list) -> Any:
    if x is None:
        return None
    if eqx.is_array(x):
        leaves.append(x)
        return {"leaf": len(leaves) - 1}
    if isinstance(x, (bool, int, float, str)):
        return {"const": x}
    if isinstance(x, eqx.Module):
        cls = type(x)
        _check_type(cls)
        fields = {f.name: _describe(getattr(x, f.name), leaves) for f in dataclasses.fields(x)}
        return {"module": [cls.__module__, cls.__qualname__], "fields": fields}
    if type(x) in (tuple, list):
        return {type(x).__name__: [_describe(y, leaves) for y in x]}
    if type(x) is dict and all(isinstance(k, str) for k in x):
        return {"dict": {k: _describe(v, leaves) for k, v in x.items()}}
    raise _Unsupported(f"output of type {type(x).__qualname__}")


def _module_class(module: str, qualname: str) -> type:
    """A jaxvac Module class by name, from modules already imported (imports nothing)."""
    if not module.startswith("jaxvac.") or module not in sys.modules:
        raise _Unsupported(f"class {module}.{qualname} is not an imported jaxvac class")
    obj: Any = sys.modules[module]
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    if not (isinstance(obj, type) and issubclass(obj, eqx.Module)):
        raise _Unsupported(f"{module}.{qualname} is not a jaxvac Module")
    return obj


def _build(desc, leaves: list) -> Any:
    if desc is None:
        return None
    if "leaf" in desc:
        return leaves[desc["leaf"]]
    if "const" in desc:
        return desc["const"]
    if "module" in desc:
        cls = _module_class(*desc["module"])
        names = {f.name for f in dataclasses.fields(cls)}
        if names != set(desc["fields"]):
            raise _Unsupported(f"{cls.__qualname__}'s fields differ from the stored program's")
        obj = object.__new__(cls)  # as Equinox's own unflattening does: no __init__ checks
        for name, d in desc["fields"].items():
            object.__setattr__(obj, name, _build(d, leaves))
        return obj
    if "tuple" in desc:
        return tuple(_build(d, leaves) for d in desc["tuple"])
    if "list" in desc:
        return [_build(d, leaves) for d in desc["list"]]
    if "dict" in desc:
        return {k: _build(d, leaves) for k, d in desc["dict"].items()}
    raise _Unsupported("unknown output description")


# --------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------


class _Program:
    def __init__(self, exported, outputs):
        self.exported = exported
        self.outputs = outputs

    def __call__(self, leaves: list):
        return _build(self.outputs, list(self.exported.call(*leaves)))


def _read(path: Path, key: str) -> _Program | None:
    from jax import export

    try:
        data = path.read_bytes()
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
        if header.get("key") != key or header.get("format") != FORMAT:
            return None
        if hashlib.sha256(body).hexdigest() != header.get("sha256"):
            return None
        return _Program(export.deserialize(bytearray(body)), header["outputs"])
    except Exception:  # noqa: BLE001 - a damaged or foreign file is replaced
        return None


def _write(path: Path, key: str, name: str, body: bytes, outputs) -> None:
    header = {
        "format": FORMAT,
        "key": key,
        "function": name,
        "jax": jax.__version__,
        "sha256": hashlib.sha256(body).hexdigest(),
        "outputs": outputs,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=_SUFFIX)
        with os.fdopen(fd, "wb") as f:
            f.write(json.dumps(header).encode() + b"\n" + body)
        os.replace(tmp, path)
    except OSError:  # a store is an optimisation, never a failure
        pass


def _export(fun: Callable, name: str, args: tuple, leaves: list, key: str, folder: Path):
    from jax import export

    dynamic, static = eqx.partition(args, eqx.is_array)
    tree = jax.tree.structure(dynamic)
    holder: dict = {}

    def flat(*xs):
        out = fun(*eqx.combine(jax.tree.unflatten(tree, list(xs)), static))
        out_leaves: list = []
        holder["outputs"] = _describe(out, out_leaves)
        return out_leaves

    exported = export.export(jax.jit(flat))(*leaves)
    outputs = holder["outputs"]
    _write(folder / (key + _SUFFIX), key, name, bytes(exported.serialize()), outputs)
    return _Program(exported, outputs)


class StoredJit:
    """``eqx.filter_jit(fun)`` whose programs are kept in the program store (module
    docstring). Calls that the store cannot serve go to ``eqx.filter_jit(fun)``."""

    def __init__(self, fun: Callable):
        self.fun = fun
        self.name = f"{fun.__module__}.{fun.__qualname__}"
        self.jit = eqx.filter_jit(fun)
        self._programs: dict[str, _Program | None] = {}  # None: JAX could not export it
        self._lock = threading.Lock()

    def __call__(self, *args):
        folder = store_dir()
        if folder is None:
            return self.jit(*args)
        try:
            key, leaves = _key(self.name, args)
        except _Unsupported:
            return self.jit(*args)
        with self._lock:
            known = key in self._programs
            program = self._programs.get(key)
            if not known:
                program = _read(folder / (key + _SUFFIX), key)
                if program is None:
                    try:
                        program = _export(self.fun, self.name, args, leaves, key, folder)
                    except Exception:  # noqa: BLE001 - not exportable: trace it as usual
                        program = None
                self._programs[key] = program
        if program is None:
            return self.jit(*args)
        try:
            return program(leaves)
        except _Unsupported:
            with self._lock:
                self._programs[key] = None
            return self.jit(*args)


def stored_jit(fun: Callable) -> StoredJit:
    """``fun`` compiled like ``eqx.filter_jit(fun)``, its programs kept in the program store
    (see the module docstring for when a call is served from it)."""
    return StoredJit(fun)
