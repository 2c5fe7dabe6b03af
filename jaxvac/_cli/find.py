"""``jaxvac find``: every critical point of a model in a region."""

from __future__ import annotations

import os
import sys

from .._errors import InputError
from .core import add_model_arguments, check_escalate, model_from_args


def parse_region(items, model) -> dict[str, tuple[float, float]]:
    """``--region`` values, ``["T=50:300", "T.im=-1:1"]`` (or comma-separated), into bounds
    for :class:`jaxvac.Region`; a bad value is an :class:`InputError` naming ``--region``."""
    from .._region import check_bounds

    out: dict[str, tuple[float, float]] = {}
    for item in items or ():
        for piece in (p.strip() for p in item.split(",")):
            if not piece:
                continue
            name, eq, rng = piece.partition("=")
            lo, colon, hi = rng.partition(":")
            if not eq or not colon or not name.strip():
                raise InputError(f"--region: expected NAME=LO:HI, got {piece!r}.")
            try:
                bounds = (float(lo), float(hi))
            except ValueError:
                raise InputError(
                    f"--region {name.strip()}: cannot read {rng!r} as LO:HI numbers."
                ) from None
            name = name.strip()
            i = model.coordinate_index(name, "--region")
            out[name] = check_bounds(model, name, bounds, i in model.positive_indices, "--region")
    return out


def register(sub) -> None:
    p = sub.add_parser(
        "find",
        help="find, verify and classify every critical point of a model in a region",
        description=(
            "Multi-start search for the critical points (minima, saddles, maxima) of V: "
            "each start runs a global descent on a scale-free stationarity objective, then "
            "Newton; every final point is verified and classified, duplicates (modulo "
            "axion periods) are merged. Every start ends with a result code (successful, "
            "diverged = runaway, max_steps, stalled, left_region, ...), counted on the "
            "'starts' line and in start_results of --json; only successful points are "
            "vacua. See docs/search.md."
        ),
    )
    add_model_arguments(p)
    p.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="NAME=LO:HI",
        help="search range of a field (repeatable): for a modulus its real part "
        "(T=50:300), NAME.im=LO:HI its imaginary part. Defaults: saxions/positive fields "
        "0.1:1000 (log-uniform), declared axion periods one period, others -10:10, or the "
        "model's search_region()",
    )
    p.add_argument(
        "--starts",
        type=int,
        default=None,
        metavar="N",
        help="number of starting points (default 256)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="random seed of the starting points (default 0)",
    )
    p.add_argument(
        "--susy",
        action="store_true",
        help="solve the supersymmetry conditions D_aW = 0 instead of grad V = 0 "
        "(supergravity models; finds supersymmetric critical points only)",
    )
    p.add_argument(
        "--rtol",
        type=float,
        default=None,
        help="tolerance on the scale-free stationarity residual (default 1e-9)",
    )
    p.add_argument(
        "--escalate",
        type=int,
        nargs="?",
        const=60,
        default=None,
        metavar="N",
        help="re-check at N significant digits (default 60) every critical point "
        "whose type, vacuum or sign float64 cannot resolve (see 'advice')",
    )
    p.add_argument(
        "--certify",
        action="store_true",
        help="prove each distinct critical point with `jaxvac certify` (Arb ball "
        "arithmetic, 30 to 120 digits; seconds per point): adds the columns "
        "certified (proved/partial/unproved), proved and unproved (property "
        "names) and certificate (docs/certify.md)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--latex",
        action="store_true",
        help="print a LaTeX table of the critical points (booktabs; "
        "jaxvac.export.latex_table) instead of the text table",
    )
    p.add_argument(
        "--out",
        default=None,
        metavar="FILE",
        help="also write the result to FILE: a CSV table (one row per critical "
        "point) if FILE ends in .csv, a LaTeX table if .tex, else the JSON object "
        "(--format overrides the suffix)",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        dest="format",
        help="format of --out FILE (json, csv or latex); without --out, print "
        "this format instead of the text table",
    )
    p.set_defaults(func=cmd_find)


#: Output formats of --format and the suffixes --out recognises.
FORMATS = ("json", "csv", "latex")
SUFFIXES = {".csv": "csv", ".tex": "latex", ".json": "json"}


def output_formats(args) -> tuple[str, str | None]:
    """(what is printed: table/json/csv/latex, what --out FILE holds or None)."""
    printed = [f for f, on in (("json", args.json), ("latex", args.latex)) if on]
    if args.format and not args.out:
        printed.append(args.format)
    if len(set(printed)) > 1:
        raise InputError(
            "choose one output format: --json, --latex or --format FORMAT (without "
            "--out, --format says what is printed)."
        )
    file_format = None
    if args.out:
        suffix = os.path.splitext(args.out)[1].lower()
        file_format = args.format or SUFFIXES.get(suffix, "json")
    return (printed[0] if printed else "table"), file_format


def render(record: dict, fmt: str) -> str:
    """The find result as ``fmt`` (table, json, csv or latex), ending with a newline."""
    if fmt == "json":
        from .._io import dumps

        return dumps(record, indent=2) + "\n"
    if fmt == "csv":
        from ..export import to_csv

        return to_csv(record)
    if fmt == "latex":
        from ..export import latex_table

        return latex_table(record)
    return format_find(record) + "\n"


#: Largest seed: JAX's PRNG keys take a 64-bit signed integer.
MAX_SEED = 2**63 - 1


def check_output_file(path: str) -> None:
    """Refuse an output file that cannot be written, before any work is done."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise InputError(f"--out {path!r} is a directory; give a file name.")
    if (
        not os.path.isdir(folder)
        or not os.access(folder, os.W_OK)
        or (os.path.exists(path) and not os.access(path, os.W_OK))
    ):
        reason = "no such directory" if not os.path.isdir(folder) else "permission denied"
        raise InputError(f"--out {path!r}: cannot write ({reason}).")


class TerminalStatus:
    """One status line on a terminal (stderr, and not in CI), erased when the work is done;
    nothing at all when stderr is a file or a pipe."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled, self.shown = stream, enabled, False

    @classmethod
    def on_stderr(cls) -> TerminalStatus:
        stream = sys.stderr
        tty = hasattr(stream, "isatty") and stream.isatty()
        return cls(stream, bool(tty and not os.environ.get("CI")))

    def show(self, text: str) -> None:
        if self.enabled:
            self.stream.write(text)
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")  # back to the start of the line, erase it
            self.stream.flush()
            self.shown = False


def cmd_find(args) -> int:
    from .._find import find_critical_points
    from .._search import DEFAULT_STARTS

    model, name = model_from_args(args)
    starts = DEFAULT_STARTS if args.starts is None else args.starts
    if starts < 1 or starts > 10_000_000:
        raise InputError(f"--starts must be between 1 and 10000000 (got {starts}).")
    if not 0 <= args.seed <= MAX_SEED:
        raise InputError(f"--seed must be between 0 and {MAX_SEED} (got {args.seed}).")
    if args.susy and not model.is_supergravity:
        raise InputError(f"--susy needs a supergravity model; {name} is a plain potential.")
    options = {}
    if args.rtol is not None:
        if not args.rtol > 0:
            raise InputError(f"--rtol must be > 0 (got {args.rtol}).")
        options["rtol"] = args.rtol
    check_escalate(args)
    if args.certify:
        from .._certify._arb import require_flint

        require_flint()
    printed, file_format = output_formats(args)
    if args.out:
        check_output_file(args.out)
    bounds = parse_region(args.region, model)
    status = TerminalStatus.on_stderr()
    status.show(f"jaxvac find: compiling the search for {name} (first call), then {starts} starts…")
    try:
        result = find_critical_points(
            model,
            region=bounds,
            starts=starts,
            seed=args.seed,
            susy=args.susy,
            name=name,
            **options,
        )
    finally:
        status.clear()
    record = result.to_dict()
    if args.escalate is not None:
        record["critical_points"] = _escalate(model, record["critical_points"], args)
    if args.certify:
        from .._certify._columns import certify_records

        status.show(f"jaxvac find: certifying {len(record['critical_points'])} point(s)…")
        try:
            record["critical_points"] = certify_records(model, record["critical_points"], name=name)
        finally:
            status.clear()
    if file_format is not None:  # set exactly when --out FILE is given
        try:
            with open(args.out, "w", newline="") as f:
                f.write(render(record, file_format))
        except OSError as e:
            raise InputError(f"--out {args.out!r}: cannot write: {e.strerror}.") from None
    sys.stdout.write(render(record, printed))
    return 0


def _escalate(model, points: list[dict], args) -> list[dict]:
    """Re-check the points float64 cannot classify at ``--escalate`` digits; the search's
    own fields (start counts, ...) are kept, the analysis fields replaced."""
    from .._analysis import DEFAULT_RTOL
    from .._precision import escalate

    rtol = DEFAULT_RTOL if args.rtol is None else args.rtol
    out = []
    for old, new in zip(points, escalate(model, points, digits=args.escalate, rtol=rtol)):
        if new.get("escalated"):
            new = {**old, **new}
        out.append(new)
    return out


def format_find(record: dict) -> str:
    """A readable table of the critical points found, with a summary of the starts."""
    from .._display import format_fields

    lines = [f"model      {record['model']}  {record['parameters']}"]
    counts = ", ".join(f"{k} {v}" for k, v in record["start_results"].items())
    lines.append(f"starts     {record['starts']} (seed {record['seed']}): {counts}")
    lines.append(f"distinct   {record['distinct']} critical point(s)")
    points = record["critical_points"]
    if not points:
        lines.append("no critical point found in the region")
        return "\n".join(lines)
    sugra = "susy" in points[0]
    header = (
        f"{'#':>3}  {'fields':<44} {'V':>13}  {'type':<10} {'neg':>3} {'flat':>4} {'vacuum':<10}"
    )
    header += f" {'susy':<5}" if sugra else ""
    header += f" {'stationarity':>12} {'digits':>6}  {'starts':>6}  result"
    certified = "certified" in points[0]
    header += "      certified" if certified else ""
    lines.append(header)
    for k, rec in enumerate(points):
        fields = format_fields(rec["fields"])  # noise below the point's resolution as 0
        row = (
            f"{k:>3}  {fields:<44} {rec['V']:>13.6e}  {rec['type']:<10} {rec['n_negative']:>3} "
            f"{rec['n_flat']:>4} {rec['vacuum']:<10}"
        )
        row += f" {str(rec['susy']):<5}" if sugra else ""
        stat = rec.get("stationarity")
        stat = f"{stat:>12.1e}" if stat is not None else f"{'-':>12}"
        row += f" {stat} {rec['digits']:>6.1f}  {rec['basin_starts']:>6}  {rec['result']}"
        if certified:
            row += f"  {rec['certified']}"
            if rec["unproved"]:
                row += f" (not: {', '.join(rec['unproved'])})"
        lines.append(row)
    lines.append(
        "stationarity: the figure each result was decided by (<= 1: stationary; "
        "docs/numerics.md); the residual |∇V|_G / scale is in --json"
    )
    if certified:
        lines.append(
            "certified: interval proof (jaxvac certify) of existence, uniqueness, "
            "inertia, sign of V (and SUSY); proved = all of them, partial = the point "
            "exists and is unique in its box but some property is not proved"
        )
    advice = [f"  #{k}: {rec['advice']}" for k, rec in enumerate(points) if rec.get("advice")]
    if advice:
        lines.append("advice")
        lines.extend(advice)
    return "\n".join(lines)
