"""``jaxvac reproduce``: the seed papers' tables and formulas."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser(
        "reproduce",
        help="reproduce the seed papers' tables and formulas (no TARGET = all default targets)",
        description="Write DIR/TARGET.md (a table to read) and DIR/TARGET.json for each target.",
    )
    p.add_argument("targets", nargs="*", metavar="TARGET", help="targets to run (see --list)")
    p.add_argument("--out", default="jaxvac-reproduce", metavar="DIR",
                   help="output directory (default: ./jaxvac-reproduce)")
    p.add_argument("--full", action="store_true",
                   help="full-size runs (e.g. the full landscape scan) instead of reduced defaults")
    p.add_argument("--list", action="store_true", help="list targets and exit")
    p.set_defaults(func=cmd_reproduce)


def cmd_reproduce(args) -> int:
    from ..reproduce._framework import load_targets, run_targets

    if args.list:
        for t in sorted(load_targets().values(), key=lambda t: t.name):
            flag = "" if t.default else "  (run only when named)"
            print(f"{t.name:<24} {t.source}{flag}\n{'':<24} {t.description}")
        return 0
    reports = run_targets(args.targets, args.out, full=args.full)
    mismatches = sum(r.counts()["mismatch"] for r in reports)
    print(f"{len(reports)} target(s); {mismatches} mismatch row(s) — see the reports for why.")
    return 0
