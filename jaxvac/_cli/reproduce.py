"""``jaxvac reproduce``: the seed papers' tables and formulas."""

from __future__ import annotations

import re

#: The seed papers (as in CITATION.cff): number -> (authors and arXiv number, title). ``--list``
#: cites them by these instead of the file names the targets record as their source.
PAPERS = {
    "000": (
        "Andriolo, Li, Tye, arXiv:1812.04873",
        "The Cosmological Constant and the Electroweak Scale",
    ),
    "001": (
        "Dudas, Parameswaran, Serra, arXiv:2512.20570",
        "The Cosmological Constant and Dark Dimensions from Non-Supersymmetric Strings",
    ),
}


def cite(source: str) -> str:
    """A target's source with each seed file named by its paper:
    ``seed 000 (000_<hash>.txt), eqs. (2.3)`` -> ``Andriolo, Li, Tye, arXiv:1812.04873,
    eqs. (2.3)``."""
    pattern = r"seed (\d{3})(?: \(\1_[0-9a-f]+\.txt\)|_[0-9a-f]+\.txt)?"
    return re.sub(
        pattern, lambda m: PAPERS[m.group(1)][0] if m.group(1) in PAPERS else m.group(0), source
    )


def register(sub) -> None:
    p = sub.add_parser(
        "reproduce",
        help="reproduce the seed papers' tables and formulas (no TARGET = all default targets)",
        description="Write DIR/TARGET.md (a table to read) and DIR/TARGET.json for each target.",
    )
    p.add_argument("targets", nargs="*", metavar="TARGET", help="targets to run (see --list)")
    p.add_argument(
        "--out",
        default="jaxvac-reproduce",
        metavar="DIR",
        help="output directory (default: ./jaxvac-reproduce)",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="full-size runs (e.g. the full landscape scan) instead of reduced defaults",
    )
    p.add_argument("--list", action="store_true", help="list targets and exit")
    p.set_defaults(func=cmd_reproduce)


def cmd_reproduce(args) -> int:
    from ..reproduce._framework import load_targets, run_targets

    if args.list:
        print("seed papers:")
        for who, title in PAPERS.values():
            print(f'  {who}: "{title}"')
        print()
        for t in sorted(load_targets().values(), key=lambda t: t.name):
            flag = "" if t.default else "  (run only when named)"
            print(f"{t.name:<24} {t.description}{flag}\n{'':<24} source: {cite(t.source)}")
        return 0
    from .find import TerminalStatus

    # the order run_targets runs them in: as named, or every default target by name
    names = list(args.targets) or sorted(t.name for t in load_targets().values() if t.default)
    status = TerminalStatus.on_stderr()  # nothing on a pipe, a file or in CI
    done = []

    def echo(line: str) -> None:
        status.clear()
        print(line, flush=True)
        done.append(line)
        show_next()

    def show_next() -> None:
        if len(done) < len(names):
            status.show(
                f"jaxvac reproduce: {names[len(done)]} ({len(done) + 1}/{len(names)} targets)…"
            )

    if not args.targets or all(n in load_targets() for n in names):
        show_next()
    try:
        reports = run_targets(args.targets, args.out, full=args.full, echo=echo)
    finally:
        status.clear()
    mismatches = sum(r.counts()["mismatch"] for r in reports)
    print(f"{len(reports)} target(s); {mismatches} mismatch row(s) — see the reports for why.")
    return 0
