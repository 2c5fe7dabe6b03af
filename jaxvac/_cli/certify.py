"""``jaxvac certify``: interval (Arb ball) proofs about critical points."""

from __future__ import annotations

from .._errors import InputError
from .core import add_model_arguments


def register(sub) -> None:
    p = sub.add_parser(
        "certify",
        help="prove existence, uniqueness, inertia, sign of V and SUSY of critical points "
        "(ball arithmetic), or that a list of critical points is complete in a region",
        description=(
            "Prove, in Arb ball arithmetic (python-flint), that a box around a point holds "
            "exactly one critical point (Krawczyk test on grad V = 0 with the interval "
            "Hessian), its Hessian inertia (so the signs of the canonical masses), the sign "
            "of V and, for supergravity models, whether it is supersymmetric. With "
            "--region ... --complete: branch and bound over the region, proving that the "
            "critical points listed are all of them, or listing the boxes left undecided. "
            "What is not proved is reported as such (docs/certify.md). Exit status: 0 when "
            "everything asked was proved, 1 otherwise, 2 on bad input."
        ),
    )
    add_model_arguments(p)
    p.add_argument(
        "--from",
        dest="source",
        default=None,
        metavar="POINT.json",
        help='the point(s): a `check`/`find`/`refine` JSON output or {"fields": {...}} '
        "(values may be decimal strings); '-' reads standard input",
    )
    p.add_argument(
        "--index",
        type=int,
        default=None,
        metavar="I",
        help="with a `find` output: certify only critical point number I (from 0)",
    )
    p.add_argument(
        "--digits",
        type=int,
        default=30,
        metavar="N",
        help="starting precision in decimal digits (default 30); doubled on "
        "failure up to --max-digits",
    )
    p.add_argument(
        "--max-digits",
        type=int,
        default=1000,
        metavar="N",
        help="largest precision tried (default 1000)",
    )
    p.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="NAME=LO:HI",
        help="with --complete: the region's interval for a coordinate (NAME: a field, a "
        "modulus' real part, or NAME.im its imaginary part); a periodic axion left out "
        "gets one period [-P/4, 3P/4]",
    )
    p.add_argument(
        "--complete",
        action="store_true",
        help="branch and bound over --region: prove the list of critical points complete",
    )
    p.add_argument(
        "--max-boxes",
        type=int,
        default=20000,
        help="--complete: sub-boxes examined at most (default 20000)",
    )
    p.add_argument(
        "--max-seconds",
        type=float,
        default=600.0,
        help="--complete: time limit in seconds (default 600)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_certify)


def _region(args, model) -> dict[str, tuple[float, float]]:
    from .find import parse_region

    bounds = parse_region(args.region, model)
    out = {}
    for name, b in bounds.items():
        out[model.coordinate_names[model.coordinate_index(name, "--region")]] = b
    for i, period in model.real_periods().items():
        name = model.coordinate_names[i]
        if name not in out:
            p = float(period)
            out[name] = (-p / 4, 3 * p / 4)
    missing = [n for n in model.coordinate_names if n not in out]
    if missing:
        raise InputError(
            f"--region: give an interval for {', '.join(missing)} "
            "(certification needs a bounded region)."
        )
    return out


def cmd_certify(args) -> int:
    from .._certify._arb import require_flint
    from .._io import dumps, load_model, model_name, parse_assignments
    from .._precision import decimal_parameters
    from .precision import _parameter_value, _read_points

    require_flint()
    if args.complete == (args.source is not None):
        raise InputError("certify: give either --from POINT.json or --region ... --complete.")
    if args.region and not args.complete:
        raise InputError("certify: --region needs --complete.")
    if not 5 <= args.digits <= args.max_digits:
        raise InputError(
            f"--digits must be between 5 and --max-digits={args.max_digits} (got {args.digits})."
        )
    if args.max_digits > 10000:
        raise InputError(f"--max-digits must be at most 10000 (got {args.max_digits}).")
    if args.max_boxes < 1 or not args.max_seconds > 0:
        raise InputError("--max-boxes and --max-seconds must be positive.")
    name = model_name(args.model)
    set_params = parse_assignments(args.set, what="--set")
    file_params: dict = {}
    points = []
    if args.source is not None:
        points, file_params, file_model = _read_points(args.source, args.index)
        if file_model is not None and file_model != name:
            raise InputError(f"--from: the file is for model {file_model!r}, not {name!r}.")
    params = {k: _parameter_value(v) for k, v in file_params.items()}
    params.update(set_params)
    model = load_model(args.model, params)
    exact_params = decimal_parameters(model, set_params)
    if args.complete:
        from .._certify._region import certify_region

        result = certify_region(
            model,
            _region(args, model),
            digits=args.digits,
            max_boxes=args.max_boxes,
            max_seconds=args.max_seconds,
            name=name,
            parameters=exact_params,
        )
        record = result.to_dict()
        print(dumps(record, indent=2) if args.json else format_region(record))
        return 0 if record["complete"] else 1
    from .._certify._point import certify
    from .._io import point_to_y

    records = []
    for point in points:
        point_to_y(model, _floats(point))  # validates names and values (one line on error)
        cert = certify(
            model,
            point,
            digits=args.digits,
            max_digits=args.max_digits,
            name=name,
            parameters=exact_params,
        )
        records.append(cert.to_dict())
    if args.json:
        out = records[0] if len(records) == 1 else {"model": name, "points": records}
        print(dumps(out, indent=2))
    else:
        print("\n\n".join(format_certificate(r) for r in records))
    return 0 if all(_all_proved(r) for r in records) else 1


def _floats(point: dict) -> dict:
    from .._precision import _floats_only

    return _floats_only(point)


def _all_proved(record: dict) -> bool:
    return all(v for v in record["proved"].values() if v is not None)


def format_certificate(r: dict) -> str:
    """A readable summary of one certificate."""
    lines = []
    for k, v in r["proved"].items():
        if v is not None:
            what = ""
            if v and k == "susy":
                what = ": supersymmetric" if r["susy"] else ": not supersymmetric"
            lines.append(f"{k:<12} {'proved' if v else 'NOT proved'}{what}")
    if r["fields"] is not None:
        for name, value in r["fields"].items():
            if isinstance(value, dict):
                lines.append(f"{name:<12} {value['re']} + {value['im']}j")
            else:
                lines.append(f"{name:<12} {value}")
    if r["proved"]["existence"]:
        lines.append(
            f"type         {r['type'] or 'unproved'} (n_negative {r['n_negative']}, "
            f"n_flat {r['n_flat']}); vacuum {r['vacuum'] or 'unproved'}; "
            f"V in {r['V_ball']}"
        )
        lines.append(f"box radius   {r['box_radius']}")
    lines.append(f"precision    {r['precision']} digits, {r['seconds']} s")
    lines.extend(f"unproved     {u}" for u in r["unproved"])
    return "\n".join(lines)


def format_region(r: dict) -> str:
    head = "complete" if r["complete"] else "NOT complete"
    lines = [
        f"{head}: {r['distinct']} critical point(s) in {r['region']} "
        f"({r['boxes']} boxes, {r['excluded']} excluded, {len(r['undecided'])} undecided, "
        f"{r['seconds']} s)"
    ]
    if r["stopped"]:
        lines.append(f"stopped early: {r['stopped']}")
    for cp in r["critical_points"]:
        lines.append(format_certificate(cp))
    return "\n\n".join(lines)
