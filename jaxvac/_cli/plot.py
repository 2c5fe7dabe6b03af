"""``jaxvac plot DIR``: the standard figures and a summary of a scan directory."""

from __future__ import annotations

import json
import os

from .._errors import InputError

#: ``", ".join(jaxvac.scan._kinds.KINDS)``, written out so that ``jaxvac plot --help`` loads
#: no JAX (tests/test_scan.py checks that the two agree).
KINDS_HELP = "successful, minima, dS, dS-minima, AdS, AdS-minima, Minkowski, saddles, maxima"


def register(sub) -> None:
    p = sub.add_parser(
        "plot",
        help="figures of a scan: P(log10 Λ) of dS vacua, fraction of stable dS vacua over two "
        "parameters, mass spectra",
        description="Write lambda_histogram.png, stable_fraction.png, mass_spectra.png and "
        "summary.json for the scan in DIR (complete or not) into DIR.figures/ (next to DIR, "
        "never inside it: DIR stays a Parquet dataset pandas and pyarrow can read), and "
        "print a short summary.",
    )
    p.add_argument("dir", metavar="DIR", help="scan directory written by `jaxvac scan`")
    p.add_argument(
        "--out",
        metavar="FIGDIR",
        default=None,
        help="where to write the figures (default: DIR.figures, next to DIR; not inside DIR)",
    )
    p.add_argument(
        "--format",
        default="png",
        metavar="FMT[,FMT...]",
        help="figure format(s): png (default), pdf, svg, or several, e.g. png,pdf",
    )
    p.add_argument(
        "--params",
        nargs=2,
        metavar=("X", "Y"),
        default=None,
        help="two sampled parameters for the heat map (default: the first two)",
    )
    p.add_argument(
        "--kind",
        default="dS-minima",
        metavar="KIND",
        help=f"vacua of the Λ histogram and heat map ({KINDS_HELP}; default dS-minima)",
    )
    p.add_argument(
        "--mass-kind",
        default="minima",
        metavar="KIND",
        help="vacua of the mass spectra (default minima)",
    )
    p.add_argument(
        "--bins",
        type=int,
        default=None,
        help="bins of the Λ histogram (default: 2 n^(1/3) for n vacua, 4 to 40)",
    )
    p.add_argument(
        "--fit-upper",
        type=float,
        default=None,
        metavar="LAMBDA",
        help="fit the power law to Λ <= LAMBDA (default: the median Λ)",
    )
    p.add_argument(
        "--log-power",
        type=float,
        default=0.0,
        metavar="KAPPA",
        help="fit P ∝ Λ^-γ (-ln Λ)^-KAPPA (eq. (2.9) of seed 000: 2.5; default 0)",
    )
    p.add_argument(
        "--analytic-exponent",
        type=float,
        default=None,
        metavar="GAMMA",
        help="overlay the analytic curve ∝ Λ^-GAMMA (-ln Λ)^-KAPPA",
    )
    p.add_argument(
        "--beta",
        type=float,
        default=None,
        help="overlay eq. (2.9) of seed 000: GAMMA = (β+1)/(2β), KAPPA = 5/2",
    )
    p.set_defaults(func=cmd_plot)


def cmd_plot(args) -> int:
    from .._io import json_safe
    from ..scan._kinds import KINDS
    from ..scan._plot import FORMATS, make_report
    from ..scan._result import load_scan

    for name, kind in (("--kind", args.kind), ("--mass-kind", args.mass_kind)):
        if kind not in KINDS:
            raise InputError(f"{name} must be one of {KINDS_HELP} (got {kind!r}).")
    if args.bins is not None and args.bins < 1:
        raise InputError(f"--bins must be >= 1 (got {args.bins}).")
    if args.fit_upper is not None and not args.fit_upper > 0:
        raise InputError(f"--fit-upper must be > 0 (got {args.fit_upper}).")
    formats = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
    if not formats or any(f not in FORMATS for f in formats):
        raise InputError(
            f"--format must be one or more of {', '.join(FORMATS)}, separated by "
            f"commas (got {args.format!r})."
        )
    out = args.out or default_figure_dir(args.dir)
    if _inside(out, args.dir):
        raise InputError(
            f"--out {out!r} is inside the scan directory {args.dir!r}: files "
            "there make pd.read_parquet(DIR) and pyarrow.dataset.dataset(DIR) fail; "
            "choose a folder outside it (default: DIR.figures)."
        )
    result = load_scan(args.dir)  # reads data only: nothing in the scan directory is run
    if not result.files:
        raise InputError(
            f"{args.dir!r} has no completed chunk yet: nothing to plot (continue the "
            "scan with jaxvac scan CONFIG --out DIR --resume)."
        )
    options = {"bins": args.bins, "fit_upper": args.fit_upper, "log_power": args.log_power}
    if args.beta is not None:
        if not args.beta > 1:
            raise InputError(f"--beta must be > 1 (β = N1/N2 > 1; got {args.beta}).")
        gamma = (args.beta + 1) / (2 * args.beta)
        options.update(
            analytic_exponent=gamma,
            log_power=2.5,
            analytic_label=f"eq. (2.9), β = {args.beta:g}: γ = (β+1)/(2β) = {gamma:.4f}",
        )
    elif args.analytic_exponent is not None:
        options["analytic_exponent"] = args.analytic_exponent
    try:
        summary = make_report(
            result,
            out,
            formats=formats,
            lambda_kind=args.kind,
            fraction_kind=args.kind,
            mass_kind=args.mass_kind,
            params=tuple(args.params) if args.params else None,
            **options,
        )
        with open(os.path.join(out, "summary.json"), "w") as f:
            json.dump(json_safe(summary), f, indent=1)
    except OSError as e:
        raise InputError(f"--out {out!r}: cannot write ({e.strerror or e}).") from None
    except ValueError as e:
        raise InputError(str(e)) from None
    frac = summary["fractions_per_point"][args.kind]
    print(
        f"{result.path}: {frac['k']}/{frac['n']} parameter points with {args.kind} vacua "
        f"({frac['value']:.4g}, 95% [{frac['low']:.4g}, {frac['high']:.4g}])"
    )
    fit = summary["lambda_histogram"].get("fit")
    if fit:
        print(
            f"power law below Λ = {fit['upper']:.3g}: γ = {fit['exponent']:.4f} ± {fit['error']:.4f} "
            f"({fit['n']} vacua)"
        )
    for name, (value, lo, hi) in summary["lambda_histogram"].get("quantiles", {}).items():
        print(f"{name} = {value:.4g} [{lo:.4g}, {hi:.4g}]")
    print(f"figures in {out}: {', '.join(summary['files'])}")
    legacy = os.path.join(args.dir, "figures")
    if os.path.isdir(legacy):
        print(
            f"note: {legacy} (written there by an earlier jaxvac plot) makes "
            "pd.read_parquet and pyarrow.dataset fail on the scan directory; move it out "
            "(jaxvac's own load_scan ignores it)."
        )
    return 0


def default_figure_dir(scan_dir: str) -> str:
    """``DIR.figures``, next to the scan directory (``runs/x`` -> ``runs/x.figures``)."""
    base = os.path.normpath(scan_dir)
    if os.path.basename(base) in ("", ".", ".."):
        base = os.path.abspath(base)
    return base + ".figures"


def _inside(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or below it (symbolic links resolved)."""
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
