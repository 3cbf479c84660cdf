"""Command line for building datasets.

  python -m data build --out DIR --boundaries FILE [--boundaries FILE] [--population FILE]
                       [--facilities FILE ...] [--partners FILE ...] [--needs FILE ...] [--report-date YYYY-MM-DD ...]
  python -m data demo --out DIR [--facilities N] [--rounds R] [--seed S]

Exit 0 when a dataset was written (even with rejected rows); 2 with a one-line message naming the file and
the problem when nothing usable could be built.
"""

from __future__ import annotations

import argparse
import sys

from data.build import BuildError, build_dataset
from data.demo import build_demo
from data.tables import TableError
from geo.boundaries import BoundaryError


def _date(text: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m data", description="Build HealthGaps datasets.")
    commands = root.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build a dataset from your files")
    build.add_argument("--out", required=True, help="dataset folder to write (replaced only on success)")
    build.add_argument("--boundaries", action="append", required=True, help="COD-AB file; repeat for each level")
    build.add_argument("--population", help="COD-PS district population table")
    build.add_argument("--facilities", nargs="+", action="extend", default=[], help="HeRAMS exports or facility lists")
    build.add_argument("--partners", nargs="+", action="extend", default=[], help="3W/4W/5W matrices")
    build.add_argument("--needs", nargs="+", action="extend", default=[], help="HNO people-in-need tables")
    build.add_argument("--report-date", nargs="+", action="extend", default=[], type=_date, dest="report_dates",
                       help="one round per date (default: each facility file's latest update)")
    demo = commands.add_parser("demo", help="write the demo's raw files and build the dataset from them")
    demo.add_argument("--out", required=True)
    demo.add_argument("--facilities", type=int, default=4000)
    demo.add_argument("--rounds", type=int, default=4)
    demo.add_argument("--seed", type=int, default=0)
    return root


def summary(manifest: dict) -> str:
    lines = []
    for source in manifest["sources"]:
        lines.append(f"{source['file']} ({source['role']}): {source['rows_in']:,} rows in, "
                     f"{source['accepted']:,} accepted, {source['rejected']:,} rejected")
        lines += [f"  rejected {count:,}: {reason}" for reason, count in source["top_reasons"]]
        lines += [f"  warning: {warning}" for warning in source["warnings"]]
    tables = ", ".join(f"{name} {rows:,}" for name, rows in manifest["tables"].items())
    lines.append(f"tables: {tables}")
    if manifest["rounds"]:
        lines.append(f"rounds: {', '.join(manifest['rounds'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "demo":
            manifest = build_demo(args.out, facilities=args.facilities, rounds=args.rounds, seed=args.seed)
        else:
            manifest = build_dataset(args.out, args.boundaries, args.population, args.facilities, args.partners,
                                     args.needs, args.report_dates)
    except (BuildError, BoundaryError, TableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary(manifest))
    print(f"dataset written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
