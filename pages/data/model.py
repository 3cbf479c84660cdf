"""The data page's tables: the files read, the rounds, the dataset's tables, the rejected rows kept safe, the
indicator catalogue and the standards. Pure: no Dash, no request. Nothing here depends on who asks: the
rejected rows are made safe for everyone.

Safe by default: a rejected row of a facility file (HeRAMS export or facility list) may hold a facility's
name, code or coordinates in its value or reason, so its value is blanked and its reason folded (numbers and
codes replaced by "…", as the manifest's top reasons are).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.catalogue import INDICATORS
from analysis.standards import standards
from context import Context
from data import schema
from data.build import top_reasons
from geo.report import Rejection, Report
from view import View

# docs/methodology.md, its headings one level down: the page's title is the only h1.
METHODOLOGY = re.sub(r"^(#+) ", r"#\1 ", (Path(__file__).resolve().parents[2] / "docs" / "methodology.md")
                     .read_text(encoding="utf-8"), flags=re.MULTILINE)
SHOWN_REJECTED = 200  # rows the page's grid holds, all rendered: a long file's rows are in the download
BYTES_PER_KB = 1024
# Sources whose rejected values are safe to show: they hold no facility. Any other kind (facilities: HeRAMS
# exports and facility lists, or a kind this page does not know) has its values blanked.
OPEN_KINDS = {"boundaries", "population", "partners", "needs"}
FACILITY_NOTE = "values of facility rows are shown to coordinators"
DIRECTIONS = {"higher_is_better": "higher is better", "higher_is_worse": "higher is worse",
              "neutral": "neither (context)"}
TABLE_NAMES = {"districts": "districts", "provinces": "provinces", "service_catalogue": "HeRAMS services",
               "population": "district populations", "rounds": "rounds", "facilities": "facility snapshots",
               "services": "service answers", "activities": "partner activities", "needs": "needs (HNO)"}
GEOMETRY_NAMES = {"adm2": "district boundaries", "adm1": "province boundaries"}


def sources_frame(manifest: dict) -> pd.DataFrame:
    """One row per file read: its kind, rows in, accepted, rejected and most frequent reasons."""
    rows = [{"file": s.get("file", ""), "kind": s.get("role", ""), "rows in": int(s.get("rows_in", 0)),
             "accepted": int(s.get("accepted", 0)), "rejected": int(s.get("rejected", 0)),
             "top reasons": "; ".join(f"{reason} ({count:,})" for reason, count in s.get("top_reasons", []))}
            for s in manifest.get("sources", [])]
    return pd.DataFrame(rows, columns=["file", "kind", "rows in", "accepted", "rejected", "top reasons"])


def rounds_frame(ctx: Context) -> pd.DataFrame:
    """Each round's report date and how many facility snapshots and service answers it holds."""
    dataset = ctx.dataset
    facilities = dataset.facilities["round"].astype(str).value_counts()
    services = dataset.services["round"].astype(str).value_counts()
    rounds = dataset.rounds["round"].astype(str)
    return pd.DataFrame({"round": rounds,
                         "report date": pd.to_datetime(dataset.rounds["report_date"]).dt.strftime("%Y-%m-%d"),
                         "facilities": rounds.map(facilities).fillna(0).astype(int),
                         "service answers": rounds.map(services).fillna(0).astype(int)})


def tables_frame(manifest: dict) -> pd.DataFrame:
    """Rows of each table of the dataset, and the size of the boundary files the maps load."""
    rows = [{"table": TABLE_NAMES.get(name, name), "rows": int(count)}
            for name, count in manifest.get("tables", {}).items()]
    for level, entry in manifest.get("geometry", {}).items():
        what = GEOMETRY_NAMES.get(level, level)
        rows.append({"table": f"{what} (shapes; {entry.get('gzip_bytes', 0) / BYTES_PER_KB:,.0f} KB compressed)",
                     "rows": int(entry.get("features", 0))})
    return pd.DataFrame(rows, columns=["table", "rows"])


def summary_facts(ctx: Context) -> list[tuple[str, str]]:
    """The dataset in one glance: country, build date, rounds, synthetic or not."""
    manifest = ctx.dataset.manifest
    return [("Country", manifest.get("country") or "not given"), ("Built", ctx.built or "undated"),
            ("Rounds", ", ".join(ctx.rounds) or "none"), ("Synthetic", "yes" if manifest.get("synthetic") else "no")]


def open_files(manifest: dict) -> set[str]:
    """The files whose rejected values may be shown to anyone."""
    return {s["file"] for s in manifest.get("sources", []) if s.get("role") in OPEN_KINDS}


def fold(reason: str) -> str:
    """A reason with its values, codes and numbers replaced by "…", as data.build folds the top reasons."""
    return top_reasons(Report("", rejected=[Rejection("", 0, "", "", str(reason))]), 1)[0][0]


def rejected_rows(ctx: Context) -> pd.DataFrame:
    """Every rejected row of the dataset (rejected.csv); facility files' values blanked, their reasons folded."""
    if not (Path(ctx.dataset.path) / schema.REJECTED).exists():
        return pd.DataFrame(columns=schema.REJECTED_COLUMNS)
    table = ctx.dataset.rejected.reindex(columns=schema.REJECTED_COLUMNS, fill_value="")  # a copy
    hidden = ~table["file"].isin(open_files(ctx.dataset.manifest))
    table.loc[hidden, "value"] = ""
    table.loc[hidden, "reason"] = table.loc[hidden, "reason"].map(fold)
    table["row"] = pd.to_numeric(table["row"], errors="coerce").astype("Int64")
    return table


def rejected_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows per file and reason (reasons folded so that alike reasons count once), most first."""
    folded = rows.assign(reason=rows["reason"].map(fold))
    counts = folded.groupby(["file", "reason"], sort=False).size().rename("rows").reset_index()
    return counts.sort_values(["file", "rows"], ascending=[True, False], ignore_index=True)


def rejected_note(rows: pd.DataFrame) -> str:
    """What the page's grid of rejected rows holds, and what it blanks."""
    shown = (f"The first {SHOWN_REJECTED:,} of {len(rows):,} rejected rows; the download holds all."
             if len(rows) > SHOWN_REJECTED else f"All {len(rows):,} rejected rows.")
    return f"{shown} Rows of facility files have their value blanked and their reason shortened: {FACILITY_NOTE}."


def rejected_notes(ctx: Context, view: View, role: str) -> list[str]:
    """The rejected rows export's header: what it blanks."""
    return [f"{FACILITY_NOTE}: rows of facility files have their value blanked and their reason shortened"]


def catalogue_frame() -> pd.DataFrame:
    """The indicator catalogue as a reader needs it: label, unit, direction in words, definition, standard."""
    known = standards()
    return pd.DataFrame([{"id": i.id, "label": i.label, "unit": i.unit, "direction": DIRECTIONS[i.direction],
                          "definition": i.definition,
                          "standard": f"{known[i.standard].value:g} {known[i.standard].unit}" if i.standard else ""}
                         for i in INDICATORS.values()])


def standards_frame() -> pd.DataFrame:
    """The standards and thresholds in use, with their source."""
    return pd.DataFrame([{"id": s.id, "value": s.value, "unit": s.unit, "source": s.source, "edition": s.edition}
                         for s in standards().values()])
