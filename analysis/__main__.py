"""Command line for analysis exports: the district indicator table and the priority list, each with its method.

  python -m analysis indicators --dataset DIR [--round R] [--admin1 PCODE ...] --out FILE.csv
  python -m analysis priorities --dataset DIR [--round R] [--admin1 PCODE ...] [--weights id=w,...] [--top N]
                                --out FILE.csv
  python -m analysis disclosure-audit --dataset DIR [--round R ...] [--out FILE.txt] [--record]

The CSV starts with `# ` comment lines saying what it is (dataset, round, filter, date; for priorities the
method, the weights, a command that reproduces it and the districts not ranked), so a list pasted into a
slide can be traced and redone; the same goes, as JSON, to FILE.csv.json. pandas reads the CSV with
`read_csv(FILE, comment="#")`. Exit 0 when written; 2 with a one-line message when not.

disclosure-audit plays the public over its whole query space (analysis/audit.py) and prints what it asked and
every withheld figure a combination of public answers gives away, with the answers that do: exit 0 when
nothing is recoverable, 1 with the list, 2 when the dataset cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.audit import audit, write_record
from analysis.districts import district_table
from analysis.filters import Filter, round_of
from analysis.priority import DEFAULT_WEIGHTS, default_method, method_text, parse_weights, rank
from data import schema
from data.dataset import Dataset, DatasetError, load_dataset

PRIORITY_NAMES = ["adm2_pcode", "adm2_name", "adm1_name"]


def _weights(text: str) -> dict[str, float]:
    try:
        return parse_weights(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m analysis", description="Export HealthGaps district analyses.")
    commands = root.add_subparsers(dest="command", required=True)
    command = commands.add_parser("disclosure-audit", help="can a withheld public figure be worked out? (exit 1 if so)")
    command.add_argument("--dataset", required=True, help="dataset folder (python -m data build)")
    command.add_argument("--round", nargs="+", action="extend", default=[], help="report dates (default: every round)")
    command.add_argument("--out", help="also write the report to this file")
    command.add_argument("--record", action="store_true",
                         help=f"keep the verdict in the dataset ({schema.AUDIT}): the app opens the public view "
                              "only on a safe one (every round)")
    for name, text in (("indicators", "every indicator, one row per district"),
                       ("priorities", "the priority ranking with its reasons and stability")):
        command = commands.add_parser(name, help=text)
        command.add_argument("--dataset", required=True, help="dataset folder (python -m data build)")
        command.add_argument("--round", help="report date YYYY-MM-DD (default: the latest round)")
        command.add_argument("--admin1", nargs="+", action="extend", default=[], help="province p-codes (default: all)")
        command.add_argument("--out", required=True, help="CSV file to write (and FILE.csv.json beside it)")
        if name == "priorities":
            default = ",".join(f"{key}={value:g}" for key, value in DEFAULT_WEIGHTS.items())
            command.add_argument("--weights", type=_weights, help=f"id=weight,... (default: {default})")
            command.add_argument("--top", type=int, default=10, help="N for stability: share of draws in the top N")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "disclosure-audit":
        return disclosure_audit(args)
    about: dict[str, Any]
    try:
        dataset = load_dataset(args.dataset)
        chosen = _filter(dataset, args)
        if args.command == "indicators":
            table, about = district_table(dataset, chosen), {}
        else:
            table, about = priorities(dataset, chosen, args)
    except (DatasetError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    about = {"export": args.command, **_provenance(dataset, chosen), "rows": len(table), **about}
    write(table, about, Path(args.out))
    left_out = f", {len(about['excluded']):,} not ranked (missing values)" if "excluded" in about else ""
    print(f"{len(table):,} districts written to {args.out}{left_out}; method in {args.out}.json")
    return 0


def disclosure_audit(args: argparse.Namespace) -> int:
    """Run the audit, print its report (and write it to --out): 0 safe, 1 something recoverable, 2 unreadable."""
    try:
        dataset = load_dataset(args.dataset)
        rounds = dataset.rounds["round"].astype(str).tolist()
        unknown = [name for name in args.round if name not in rounds]
        if unknown:
            raise ValueError(f"round {', '.join(unknown)} is not in the dataset; rounds: {', '.join(rounds) or 'none'}")
    except (DatasetError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = audit(dataset, args.round or None)
    if args.record:
        write_record(dataset, report)
    text = "\n".join(report.lines()) + "\n"
    print(text, end="")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    return 0 if report.safe else 1


def priorities(dataset: Dataset, chosen: Filter, args: argparse.Namespace) -> tuple[pd.DataFrame, dict]:
    """The ranked list with names, and what the export says about its method and the districts left out."""
    method = default_method(args.weights, top_n=args.top)
    table = district_table(dataset, chosen)
    ranked, excluded = rank(table, method)
    names = table[[c for c in PRIORITY_NAMES if c in table.columns]]
    ranked = names.merge(ranked, on="adm2_pcode").sort_values("priority_rank", ignore_index=True)
    excluded = names.merge(excluded, on="adm2_pcode")
    weights = ",".join(f"{key}={value:g}" for key, value in method.weights.items())
    command = (f"python -m analysis priorities --dataset {args.dataset} --round {round_of(dataset, chosen)} "
               f"{'--admin1 ' + ' '.join(chosen.admin1) + ' ' if chosen.admin1 else ''}"
               f"--weights {weights} --top {method.top_n} --out FILE.csv")
    about = {"method": asdict(method), "method_text": method_text(method), "weights": weights,
             "reproduce": command, "excluded": excluded.astype(object).where(excluded.notna(), None).to_dict("records")}
    return _rounded(ranked), about


def write(table: pd.DataFrame, about: dict, out: Path) -> None:
    """The CSV with `# ` comment lines on top, and the same facts as FILE.csv.json."""
    out.parent.mkdir(parents=True, exist_ok=True)
    Path(f"{out}.json").write_text(json.dumps(about, indent=2, ensure_ascii=False, default=str) + "\n",
                                   encoding="utf-8")
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(f"# {line}\n" for line in header(about))
        table.to_csv(handle, index=False)


def header(about: dict) -> list[str]:
    title = {"indicators": "district indicators", "priorities": "priority ranking"}[about["export"]]
    dataset = about["dataset"]
    provinces = ", ".join(about["filter"]["admin1"]) or "all"
    lines = [f"HealthGaps {title}",
             f"dataset: {dataset['path']} ({dataset['label'] or 'no label'})",
             f"round: {about['round'] or 'none (no facility data)'}",
             f"provinces: {provinces}",
             f"created: {about['created']}"]
    if about["export"] == "priorities":
        lines += [f"weights: {about['weights']}", *about["method_text"], f"reproduce: {about['reproduce']}",
                  "scores and contributions rounded to 2 decimals, stability to 3"]
        lines += [f"not ranked (missing value): {row['adm2_pcode']} {row.get('adm2_name') or ''}: {row['missing']}"
                  for row in about["excluded"]]
    return lines


def _filter(dataset: Dataset, args: argparse.Namespace) -> Filter:
    """The filter the arguments name; a round or province the dataset does not have is an error, not a default."""
    rounds = dataset.rounds["round"].astype(str).tolist()
    if args.round and args.round not in rounds:
        raise ValueError(f"round {args.round} is not in the dataset; rounds: {', '.join(rounds) or 'none'}")
    provinces = set(dataset.districts["adm1_pcode"].astype(str))
    unknown = [code for code in args.admin1 if code not in provinces]
    if unknown:
        raise ValueError(f"province {', '.join(unknown)} is not in the dataset")
    return Filter(round=args.round or (rounds[-1] if rounds else None), admin1=tuple(args.admin1))


def _provenance(dataset: Dataset, chosen: Filter) -> dict:
    return {"dataset": {"path": str(dataset.path), "label": dataset.manifest.get("label"),
                        "synthetic": dataset.manifest.get("synthetic"), "built_at": dataset.manifest.get("built_at")},
            "round": round_of(dataset, chosen), "filter": asdict(chosen),
            "created": datetime.now(UTC).isoformat(timespec="seconds")}


def _rounded(ranked: pd.DataFrame) -> pd.DataFrame:
    points = ["priority_score", *(c for c in ranked.columns if c.startswith("contribution_"))]
    return ranked.round({**dict.fromkeys(points, 2), "stability": 3})


if __name__ == "__main__":
    sys.exit(main())
