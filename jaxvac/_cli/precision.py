"""``jaxvac refine``: Newton's method at N significant digits from a given point."""

from __future__ import annotations

import json
import os

from .._errors import InputError
from .core import add_model_arguments, format_record


def register(sub) -> None:
    p = sub.add_parser(
        "refine",
        help="refine a critical point at N significant digits (Newton, arbitrary precision)",
        description=(
            "Refine a critical point by Newton's method at N significant digits, from a "
            "float64 point (a `jaxvac check --json` or `jaxvac find --json` output) or a "
            'point claimed in a paper ({"fields": {...}}, values may be decimal strings '
            "with any number of digits). A trust radius of RADIUS_FACTOR x the first Newton "
            "step and a contraction test keep Newton from wandering to another critical "
            "point. Prints the refined point (decimal strings), the residual and step "
            "sequences, the shift from the start, and the analysis at N digits (certified "
            "by comparison with 2N digits)."
        ),
    )
    add_model_arguments(p)
    p.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="POINT.json",
        help='the starting point: a JSON file holding {"fields": {...}} (a `check` '
        'output), {"critical_points": [...]} (a `find` output: every point, or --index), '
        "or a list of such objects; '-' reads standard input",
    )
    p.add_argument(
        "--digits",
        type=int,
        required=True,
        metavar="N",
        help="significant digits of the arithmetic (16 to 10000)",
    )
    p.add_argument(
        "--index",
        type=int,
        default=None,
        metavar="I",
        help="with a `find` output: refine only critical point number I (from 0)",
    )
    p.add_argument("--max-steps", type=int, default=50, help="Newton steps at most (default 50)")
    p.add_argument(
        "--radius-factor",
        type=float,
        default=2.0,
        help="trust radius in units of the first Newton step (default 2, Kantorovich)",
    )
    p.add_argument(
        "--rtol",
        type=float,
        default=None,
        help="tolerance on the scale-free stationarity residual (default 1e-9)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_refine)


def _read_points(source: str, index: int | None):
    """(points, parameters from the file) from a check/find output or {"fields": ...}. The
    structure is checked here; the values by jaxvac._io.point_to_y as each point is read."""
    try:
        if source == "-":
            import sys

            data = json.load(sys.stdin)
        else:
            if not os.path.isfile(source):
                raise InputError(f"--from: file {source!r} does not exist.")
            with open(source, "rb") as fh:
                data = json.loads(fh.read().decode())
    except UnicodeDecodeError as e:
        raise InputError(
            f"--from: {source!r} is not valid UTF-8 ({e.reason} at byte {e.start})."
        ) from None
    except json.JSONDecodeError as e:
        raise InputError(f"--from: {source!r} is not valid JSON ({e}).") from None
    except OSError as e:
        raise InputError(f"--from: cannot read {source!r} ({e.strerror}).") from None
    items = data if isinstance(data, list) else [data]
    points, parameters, model = [], {}, None
    for item in items:
        if not isinstance(item, dict):
            raise InputError(
                "--from: expected JSON objects with a 'fields' or 'critical_points' key."
            )
        if not isinstance(item.get("parameters") or {}, dict):
            raise InputError("--from: 'parameters' must be an object {NAME: VALUE}.")
        parameters.update(item.get("parameters") or {})
        if item.get("model") is not None and not isinstance(item["model"], str):
            raise InputError("--from: 'model' must be a model name.")
        model = model or item.get("model")
        if "critical_points" in item:
            cps = item["critical_points"]
            if not isinstance(cps, list):
                raise InputError(
                    "--from: 'critical_points' must be a list of objects with 'fields'."
                )
            for k, cp in enumerate(cps):
                if not isinstance(cp, dict) or "fields" not in cp:
                    raise InputError(f"--from: critical_points[{k}] has no 'fields'.")
                points.append(_fields(cp["fields"]))
        elif "fields" in item:
            points.append(_fields(item["fields"]))
        else:
            raise InputError("--from: an object has neither 'fields' nor 'critical_points'.")
    if index is not None:
        if not 0 <= index < len(points):
            raise InputError(f"--index must be between 0 and {len(points) - 1} (got {index}).")
        points = [points[index]]
    if not points:
        raise InputError(f"--from: {source!r} holds no point.")
    return points, parameters, model


def _fields(fields):
    if not isinstance(fields, dict):
        raise InputError("--from: 'fields' must be an object {FIELD: VALUE}.")
    return fields


def _parameter_value(value):
    if isinstance(value, dict) and set(value) <= {"re", "im"}:
        return complex(value.get("re", 0.0), value.get("im", 0.0))
    return value


def cmd_refine(args) -> int:
    from .._io import dumps, load_model, model_name, parse_assignments
    from .._precision import decimal_parameters, refine

    points, file_params, file_model = _read_points(args.source, args.index)
    name = model_name(args.model)
    if file_model is not None and file_model != name:
        raise InputError(f"--from: the file is for model {file_model!r}, not {name!r}.")
    set_params = parse_assignments(args.set, what="--set")
    params = {k: _parameter_value(v) for k, v in file_params.items()}
    params.update(set_params)
    model = load_model(args.model, params)
    kwargs = {}
    if args.rtol is not None:
        if not args.rtol > 0:
            raise InputError(f"--rtol must be > 0 (got {args.rtol}).")
        kwargs["rtol"] = args.rtol
    if args.max_steps < 1:
        raise InputError(f"--max-steps must be >= 1 (got {args.max_steps}).")
    from .find import TerminalStatus

    status = TerminalStatus.on_stderr()  # nothing on a pipe, a file or in CI
    results = []
    try:
        for k, point in enumerate(points):
            status.clear()
            status.show(
                f"jaxvac refine: point {k + 1}/{len(points)}, Newton at {args.digits} "
                "digits (mpmath)" + (", tracing the model first…" if k == 0 else "…")
            )
            results.append(
                refine(
                    model,
                    point,
                    digits=args.digits,
                    max_steps=args.max_steps,
                    radius_factor=args.radius_factor,
                    name=name,
                    parameters=decimal_parameters(model, set_params),
                    **kwargs,
                )
            )
    finally:
        status.clear()
    records = [r.to_dict() for r in results]
    if args.json:
        out = records[0] if len(records) == 1 else {"model": name, "points": records}
        print(dumps(out, indent=2))
    else:
        print("\n\n".join(format_refinement(r) for r in records))
    return 0 if all(r["refine"]["converged"] for r in records) else 1


def format_refinement(record: dict) -> str:
    """A readable summary of one refined point."""
    ref = record["refine"]
    lines = [f"refine     {ref['status']}: {ref['message']}"]
    lines.append("step  residual    |step|")
    for k, r in enumerate(ref["residuals"]):
        step = ref["steps"][k] if k < len(ref["steps"]) else float("nan")
        lines.append(f"{k:4d}  {r:.3e}   {step:.3e}")
    if ref["convergence_orders"]:
        lines.append("orders     " + ", ".join(f"{p:.3f}" for p in ref["convergence_orders"]))
    for name, value in record["fields_decimal"].items():
        shift = record["shift"][name]
        if isinstance(value, dict):
            lines.append(
                f"{name:<10} {value['re']} + {value['im']}j   (shift {shift['re']} + {shift['im']}j)"
            )
        else:
            lines.append(f"{name:<10} {value}   (shift {shift})")
    if "V" in record:
        lines.append(
            f"V          {record.get('V_decimal', record['V'])}   "
            f"(certified digits {record['certified_digits']['V']:.1f} at {record['precision']})"
        )
        lines.append(format_record(record).split("\n", 2)[-1])
    return "\n".join(lines)
