"""``jaxvac models`` and ``jaxvac check``."""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import re
import shutil
import sys
import textwrap

from .._errors import InputError

# Nothing here imports JAX at module level: `jaxvac --help` builds every parser without it.


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """MODEL and --set, shared by every command that takes a model."""
    parser.add_argument(
        "model",
        metavar="MODEL",
        help="built-in model name (see `jaxvac models`) or path/to/file.py:ClassName",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a model parameter (repeatable; comma-separated lists allowed)",
    )


def check_escalate(args) -> None:
    """``--escalate N`` is a number of digits in the range the high-precision code accepts
    (checked whether or not a point turns out to need it)."""
    if args.escalate is not None:
        from .._precision import MAX_DIGITS_ALLOWED, MIN_DIGITS

        if not MIN_DIGITS <= args.escalate <= MAX_DIGITS_ALLOWED:
            raise InputError(
                f"--escalate must be between {MIN_DIGITS} and "
                f"{MAX_DIGITS_ALLOWED} digits (got {args.escalate})."
            )


def model_from_args(args):
    from .._io import load_model, model_name, parse_assignments

    params = parse_assignments(args.set, what="--set")
    return load_model(args.model, params), model_name(args.model)


def register(sub) -> None:
    p = sub.add_parser("models", help="list built-in models, their fields and defaults")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser(
        "check",
        help="analyse one given point: V, gradient, masses, classification, digits",
        description="Analyse one point of a model (e.g. a vacuum claimed in a paper).",
    )
    add_model_arguments(p)
    p.add_argument(
        "--at",
        action="append",
        required=True,
        metavar="NAME=VALUE[,NAME=VALUE...]",
        help="the point: complex moduli as T=113.0+0.5j (unset imaginary parts are 0), "
        "or T.re=.., T.im=..; plain potentials x=1.2",
    )
    p.add_argument(
        "--rtol",
        type=float,
        default=None,
        help="tolerance on the scale-free stationarity residual (default 1e-9)",
    )
    p.add_argument(
        "--digits",
        type=int,
        default=None,
        metavar="N",
        help="analyse at N significant digits instead (mpmath; --at and --set "
        "values are then read as exact decimals; certified against 2N digits)",
    )
    p.add_argument(
        "--escalate",
        type=int,
        nargs="?",
        const=60,
        default=None,
        metavar="N",
        help="if float64 cannot classify the point (see 'advice'), re-check it "
        "at N significant digits (default 60)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_check)


def _model_summary(name, cls) -> dict:
    from .._model import SupergravityModel

    fields = {}
    for f in dataclasses.fields(cls):
        default = f.default if f.default is not dataclasses.MISSING else None
        fields[f.name] = default
    kind = "supergravity" if issubclass(cls, SupergravityModel) else "potential"
    coords = list(cls.moduli) if issubclass(cls, SupergravityModel) else list(cls.fields)
    return {
        "name": name,
        "class": f"{cls.__module__}.{cls.__qualname__}",
        "kind": kind,
        "fields": coords,
        "positive": list(getattr(cls, "saxions", ()) or getattr(cls, "positive", ())),
        "parameters": fields,
        "description": describe(cls),
    }


#: RST markup of docstrings: ``literal``, :role:`~module.Name` / :role:`text`, `text`.
_RST = [
    (re.compile(r":[a-z]+:`~?(?:[\w.]+\.)?([^`<]+?)`"), r"\1"),
    (re.compile(r"``([^`]+)``"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]


def describe(cls) -> str:
    """A model's description: the first paragraph of its docstring (up to the first blank
    line, however many lines it has), on one line, without RST markup and without the
    "(built-in ``name``)" remark the name column already shows. A paragraph that
    introduces a formula ("...:") ends with a full stop instead."""
    doc = inspect.cleandoc(cls.__doc__ or "")
    text = " ".join(doc.split("\n\n", 1)[0].split())
    for pattern, repl in _RST:
        text = pattern.sub(repl, text)
    text = re.sub(r"\s*\(built-in [^()]*\)", "", text)
    if text.endswith(":"):
        text = text[:-1].rstrip() + "."
    return text


def _short(value) -> str:
    """A parameter's default for the text listing: nested tuples of more than 8 numbers (a
    flux model's intersection numbers, GV invariants) by their shape (``--json`` has them
    all)."""
    shape: list[int] = []
    level = value
    while isinstance(level, (tuple, list)):
        shape.append(len(level))
        if not level:
            break
        level = level[0]
    size = 1
    for n in shape:
        size *= n
    if len(shape) and size > 8:
        return f"<array {'×'.join(map(str, shape))}>"
    return repr(value)


def cmd_models(args) -> int:
    from .._io import dumps
    from ..models import REGISTRY

    rows = [_model_summary(name, cls) for name, cls in sorted(REGISTRY.items())]
    if args.json:
        print(dumps(rows, indent=2))
        return 0
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))
    indent = " " * 18
    for r in rows:
        params = ", ".join(f"{k}={_short(v)}" for k, v in r["parameters"].items())
        print(f"{r['name']:<17} {r['kind']:<12} fields: {', '.join(r['fields'])}")
        print(
            textwrap.fill(
                r["description"],
                width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_on_hyphens=False,
            )
        )
        print(
            textwrap.fill(
                f"parameters: {params or '(none)'}",
                width,
                initial_indent=indent,
                subsequent_indent=indent + "  ",
                break_on_hyphens=False,
                break_long_words=False,
            )
        )
    return 0


def cmd_check(args) -> int:
    from .._io import dumps, parse_assignments
    from .._report import check

    model, name = model_from_args(args)
    point = parse_assignments(args.at, what="--at")
    check_escalate(args)
    kwargs = {}
    if args.rtol is not None:
        if not args.rtol > 0:
            raise InputError(f"--rtol must be > 0 (got {args.rtol}).")
        kwargs["rtol"] = args.rtol
    if args.digits is not None:
        if args.digits < 16 or args.digits > 10000:
            raise InputError(f"--digits must be between 16 and 10000 (got {args.digits}).")
        try:
            from .._precision import check_high_precision  # provided by [precision]
        except ImportError:
            raise InputError(
                "--digits: arbitrary precision is not available in this build."
            ) from None
        from .._precision import decimal_parameters

        exact = decimal_parameters(model, parse_assignments(args.set, what="--set"))
        report = check_high_precision(
            model, point, digits=args.digits, name=name, parameters=exact, **kwargs
        )
        record = report.to_dict()
    else:
        report = check(model, point, name=name, **kwargs)
        record = report.to_dict()
        if args.escalate is not None:
            from .._precision import escalate

            record = escalate(model, [record], digits=args.escalate, name=name, **kwargs)[0]
    if args.json:
        print(dumps(record, indent=2))
    else:
        print(format_record(record))
    return 0


def format_record(record: dict) -> str:
    """A readable multi-line summary of one point record."""
    lines = []
    head = f"{record.get('model', '')}".strip()
    if head:
        lines.append(f"model      {head}  {record.get('parameters', '')}")
    fields = record["fields"]
    pos = ", ".join(
        f"{k}={v['re']:.10g}{v['im']:+.10g}j" if isinstance(v, dict) else f"{k}={v:.10g}"
        for k, v in fields.items()
    )
    lines.append(f"point      {pos}")
    lines.append(
        f"V          {record['V']:.10e}   (scale {record['V_scale']:.3e}, "
        f"{record['digits']:.1f} digits)"
    )
    lines.append(f"result     {record['result']}: {record['message']}")
    signature = f"negative {record['n_negative']}, flat {record['n_flat']}"
    susy = f"   susy {record['susy']}" if "susy" in record else ""
    if record["type"] == "not_critical":
        lines.append(
            f"type       not_critical: no vacuum here (curvature {record.get('curvature')}: "
            f"{signature}){susy}"
        )
    else:
        lines.append(
            f"type       {record['type']} ({signature})   vacuum {record['vacuum']}{susy}"
            + (f"   BF-stable {record['bf_stable']}" if record.get("bf_stable") is not None else "")
        )
    lines.append(f"residual   {record['residual']:.3e}  (|∇V|_G / scale)")
    if record.get("stationarity") is not None:
        lines.append(f"stationary {format_stationarity(record)}")
    m2 = ", ".join(f"{m:.4e}" for m in record["masses_squared"])
    lines.append(f"masses²    [{m2}]  (± {record['masses_error']:.1e})")
    if "gravitino_mass" in record and record["gravitino_mass"] is not None:
        lines.append(f"m_3/2      {record['gravitino_mass']:.6e}")
    if record.get("advice"):
        lines.append(f"advice     {record['advice']}")
    return "\n".join(lines)


def format_stationarity(record: dict) -> str:
    """The stationarity figure the result was decided by, and its three tests."""
    s = record["stationarity"]
    verdict = f"yes: {s:.2g} <= 1" if s <= 1 else f"no: {s:.2g} > 1"
    tests = record.get("stationarity_tests") or {}
    if not tests:
        return verdict
    return (
        f"{verdict}  (residual/rtol {tests['residual']:.2g} or gradient/resolution "
        f"{tests['resolved_gradient']:.2g}, and Newton step/bound {tests['newton_step']:.2g})"
    )


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2
