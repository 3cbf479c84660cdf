"""Command line: `python -m data demo --out DIR` and `python -m data build --out DIR --boundaries F ...`."""

from __future__ import annotations

import argparse
import sys

from data.build import build_dataset
from data.demo import build_demo
from geo.boundaries import BoundaryError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="build the embedded demo dataset")
    demo.add_argument("--out", required=True)
    build = commands.add_parser("build", help="build a dataset from your files")
    build.add_argument("--out", required=True)
    build.add_argument("--boundaries", action="append", required=True, help="COD-AB file (repeat for each level)")
    build.add_argument("--population", help="COD-PS district population table")
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            manifest = build_demo(args.out)
        else:
            manifest = build_dataset(args.out, args.boundaries, args.population)
    except (BoundaryError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for source in manifest["sources"]:
        print(f"{source['file']}: {source['rows_in']} rows in, {source['accepted']} accepted, "
              f"{source['rejected']} rejected")
        for warning in source["warnings"]:
            print(f"  warning: {warning}")
    print(f"dataset written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
