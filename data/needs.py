"""Read an HNO needs table (CSV or Excel, HXL-tagged or not): people in need and severity per district and
sector, into the canonical needs table.

The district is found by p-code, else by name within its province. No sector column (or an empty cell)
means "intersectoral". Severity is a whole number 1-5; labels such as "3 - Severe" are read by their leading
number. People in need are read as partner counts are (see data.partners).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data import schema
from data.partners import (
    PARTNER_FIELDS,
    PARTS,
    district_source,
    locate,
    missing_column,
    parse_counts,
    place_rows,
    read_sheet,
    reject,
    reject_unplaced,
    text,
    warn_places,
    whole,
)
from geo.names import AdminMatcher
from geo.report import Report

INTERSECTORAL = "intersectoral"

NEEDS_FIELDS: dict[str, tuple[tuple, tuple[str, ...]]] = {
    **{f: PARTNER_FIELDS[f] for f in ("adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name", "sector")},
    "pin": ((("#inneed", PARTS),),
            ("PiN", "People in need", "Personnes dans le besoin", "PiN total", "Total PiN", "People in need (PiN)",
             "Number of people in need", "Nombre de personnes dans le besoin", "Personnes dans le besoin (PiN)",
             "Total people in need", "In need")),
    "severity": (("#severity",),
                 ("Severity", "Sévérité", "Severity score", "Severity level", "Severity phase",
                  "Niveau de sévérité", "Intersectoral severity", "Sévérité intersectorielle", "JIAF severity",
                  "Sévérité JIAF")),
}


def parse_severity(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Severity as a whole number 1-5 from "3", "3.0" or "3 - Severe": (severity, NA where not given or
    unreadable; the reason a value is unusable, NA where fine)."""
    number = values.astype("string").str.strip().str.extract(r"^(\d+(?:\.\d+)?)")[0]
    leading = pd.to_numeric(number, errors="coerce")
    reason = pd.Series(pd.NA, index=values.index, dtype="string")
    reason = reason.mask(values.notna() & leading.isna(), "severity is not a number from 1 to 5")
    reason = reason.mask(leading.notna() & (leading % 1 != 0), "severity is not a whole number from 1 to 5")
    reason = reason.mask(leading.notna() & (leading % 1 == 0) & ~leading.between(1, 5), "severity is outside 1-5")
    return leading.mask(reason.notna()).astype("Int64"), reason


def _has_needs_columns(keys: dict[str, str]) -> bool:
    c = locate(keys, NEEDS_FIELDS)
    return bool(c["adm2_pcode"] or c["adm2_name"]) and bool(c["pin"] or c["severity"])


def read_needs(path: str | Path, matcher: AdminMatcher) -> tuple[pd.DataFrame, Report]:
    """The needs table (schema.TABLES["needs"] columns and `_row`) and the report.

    A row is rejected when its district cannot be found, when its people in need is not a number of 0 or
    more, when its severity is not a whole number 1-5, or when it repeats a district and sector read on an
    earlier row.
    """
    path = Path(path)
    table, keys, warnings = read_sheet(path, _has_needs_columns)
    report = Report(file=path.name, rows_in=len(table))
    for warning in warnings:
        report.warn(warning)
    columns = locate(keys, NEEDS_FIELDS)
    if not (columns["adm2_pcode"] or columns["adm2_name"]):
        raise missing_column(report.file, "district", "'ADM2_PCODE', 'District' or #adm2+code", table)
    if not (columns["pin"] or columns["severity"]):
        raise missing_column(report.file, "people in need or severity", "'PiN', 'Severity', #inneed or #severity",
                             table)
    if columns["sector"] is None:
        report.warn(f"no sector column: all rows read as '{INTERSECTORAL}'")

    found = place_rows(table, columns, matcher)
    pin_given, severity_given = text(table, columns["pin"]), text(table, columns["severity"])
    pin, pin_reason = parse_counts(pin_given)
    severity, severity_reason = parse_severity(severity_given)
    sector = text(table, columns["sector"]).fillna(INTERSECTORAL)

    keep = pd.Series(True, index=table.index)
    keep = reject_unplaced(report, table, keep, columns, found)
    keep = reject(report, table, keep, pin_reason.notna(), columns["pin"], pin_given, pin_reason)
    keep = reject(report, table, keep, severity_reason.notna(), columns["severity"], severity_given, severity_reason)
    key = (found["adm2_pcode"] + "|" + sector.str.casefold()).where(keep)
    first_row = table["_row"].groupby(key).transform("first")
    repeated = keep & key.duplicated()
    keep = reject(report, table, keep, repeated, *district_source(columns, found),
                  "district " + found["adm2_pcode"] + ", sector '" + sector + "' already read on row "
                  + first_row.astype("Int64").astype("string"))
    report.rejected.sort(key=lambda r: r.row)

    warn_places(found[keep], report)
    out = pd.DataFrame({"adm2_pcode": found.loc[keep, "adm2_pcode"], "sector": sector[keep],
                        "pin": whole(pin[keep], columns["pin"], report), "severity": severity[keep]})
    frame = schema.validate("needs", out)
    return frame.assign(_row=table.loc[keep, "_row"].to_numpy()).reset_index(drop=True), report
