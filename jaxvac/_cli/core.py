"""``jaxvac models`` and ``jaxvac check``."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from .._errors import InputError

# Nothing here imports JAX at module level: `jaxvac --help` builds every parser without it.


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """MODEL and --set, shared by every command that takes a model."""
    parser.add_argument(
        "model", metavar="MODEL",
        help="built-in model name (see `jaxvac models`) or path/to/file.py:ClassName",
    )
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="set a model parameter (repeatable; comma-separated lists allowed)",
    )


def check_escalate(args) -> None:
    """``--escalate N`` is a number of digits in the range the high-precision code accepts
    (checked whether or not a point turns out to need it)."""
    if args.escalate is not None:
        from .._precision import MAX_DIGITS_ALLOWED, MIN_DIGITS

        if not MIN_DIGITS <= args.escalate <= MAX_DIGITS_ALLOWED:
            raise InputError(f"--escalate must be between {MIN_DIGITS} and "
                             f"{MAX_DIGITS_ALLOWED} digits (got {args.escalate}).")


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
        "--at", action="append", required=True, metavar="NAME=VALUE[,NAME=VALUE...]",
        help="the point: complex moduli as T=113.0+0.5j (unset imaginary parts are 0), "
        "or T.re=.., T.im=..; plain potentials x=1.2",
    )
    p.add_argument("--rtol", type=float, default=None,
                   help="tolerance on the scale-free stationarity residual (default 1e-9)")
    p.add_argument("--digits", type=int, default=None, metavar="N",
                   help="analyse at N significant digits instead (mpmath; --at and --set "
                   "values are then read as exact decimals; certified against 2N digits)")
    p.add_argument("--escalate", type=int, nargs="?", const=60, default=None, metavar="N",
                   help="if float64 cannot classify the point (see 'advice'), re-check it "
                   "at N significant digits (default 60)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_check)


def _model_summary(name, cls) -> dict:
    from .._model import SupergravityModel

    fields = {}
    for f in dataclasses.fields(cls):
        default = f.default if f.default is not dataclasses.MISSING else None
        fields[f.name] = default
    kind = "supergravity" if issubclass(cls, SupergravityModel) else "potential"
    coords = list(cls.moduli) if kind == "supergravity" else list(cls.fields)
    doc = (cls.__doc__ or "").strip().splitlines()
    return {
        "name": name,
        "class": f"{cls.__module__}.{cls.__qualname__}",
        "kind": kind,
        "fields": coords,
        "positive": list(getattr(cls, "saxions", ()) or getattr(cls, "positive", ())),
        "parameters": fields,
        "description": doc[0] if doc else "",
    }


def cmd_models(args) -> int:
    from .._io import dumps
    from ..models import REGISTRY

    rows = [_model_summary(name, cls) for name, cls in sorted(REGISTRY.items())]
    if args.json:
        print(dumps(rows, indent=2))
        return 0
    for r in rows:
        params = ", ".join(f"{k}={v!r}" for k, v in r["parameters"].items())
        print(f"{r['name']:<16} {r['kind']:<12} fields: {', '.join(r['fields'])}")
        print(f"{'':<16} {r['description']}")
        print(f"{'':<16} parameters: {params or '(none)'}")
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
            raise InputError("--digits: arbitrary precision is not available in this build.") from None
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
    lines.append(
        f"type       {record['type']} (negative {record['n_negative']}, flat {record['n_flat']})"
        f"   vacuum {record['vacuum']}"
        + (f"   susy {record['susy']}" if "susy" in record else "")
        + (f"   BF-stable {record['bf_stable']}" if record.get("bf_stable") is not None else "")
    )
    lines.append(f"residual   {record['residual']:.3e}")
    m2 = ", ".join(f"{m:.4e}" for m in record["masses_squared"])
    lines.append(f"masses²    [{m2}]  (± {record['masses_error']:.1e})")
    if "gravitino_mass" in record and record["gravitino_mass"] is not None:
        lines.append(f"m_3/2      {record['gravitino_mass']:.6e}")
    if record.get("advice"):
        lines.append(f"advice     {record['advice']}")
    return "\n".join(lines)


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2
