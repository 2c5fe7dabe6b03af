"""The ``jaxvac`` command line. Subcommands live in ``jaxvac/_cli/*.py``, each module
defining ``register(subparsers)``; this file only collects and dispatches them."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from ._errors import InputError

# JAX is imported after the command line is parsed: `jaxvac --help` does not load it.


class _UsageError(Exception):
    """A command line argparse refuses (reported in one line by :func:`main`)."""


class _Parser(argparse.ArgumentParser):
    """argparse with its errors in one line (``jaxvac CMD: error: ...``) and exit code 2,
    like every other refusal, instead of a usage block."""

    def error(self, message):
        raise _UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    from . import _cli

    parser = _Parser(
        prog="jaxvac",
        description="Find, verify and classify the vacua of 4d N=1 supergravity potentials.",
    )
    from ._version import __version__

    parser.add_argument("--version", action="version", version=f"jaxvac {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(_cli.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{_cli.__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as e:
        print(e, file=sys.stderr)
        return 2
    before_jax = getattr(args, "before_jax", None)  # a command's setup that must precede JAX
    if before_jax is not None:
        before_jax()
    from ._cache import enable_compilation_cache
    from ._config import enable_x64

    enable_x64()
    enable_compilation_cache()  # also done on importing jaxvac's physics; here for every command
    try:
        code = args.func(args)
    except InputError as e:
        message = " ".join(str(e).splitlines())  # one line, whatever the message holds
        print(f"jaxvac {args.command}: error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
