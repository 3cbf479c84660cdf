"""Read an OCHA COD-PS district population table (CSV or XLSX), with or without an HXL tag row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data.tables import TableError, clean_number, find_column, read_table
from geo.report import Report

# Column names as COD-PS tables spell them; HXL tags as they appear in the tag row.
PCODE_NAMES = ("#adm2+code", "ADM2_PCODE", "admin2Pcode", "ADM2_PCOD", "admin2Pcod")
TOTAL_NAMES = ("#population+total", "#population", "T_TL", "Total", "Population", "Total population")
FEMALE_NAMES = ("#population+f+total", "#population+f", "F_TL")
MALE_NAMES = ("#population+m+total", "#population+m", "M_TL")


def read_population(path: str | Path) -> tuple[pd.DataFrame, Report]:
    """(adm2_pcode, population, population_female, population_male, _row) and the report.

    A row without a p-code, without a usable total or repeating a p-code already read is rejected.
    """
    table, keys = read_table(path)
    report = Report(file=Path(path).name, rows_in=len(table))
    for warning in table.attrs["warnings"]:
        report.warn(warning)
    pcode, total = find_column(keys, PCODE_NAMES), find_column(keys, TOTAL_NAMES)
    if pcode is None or total is None:
        missing = "ADM2_PCODE" if pcode is None else "T_TL"
        found = ", ".join(c for c in table.columns if c != "_row")
        raise TableError(f"{report.file}: no {missing} column; columns found: {found}")
    out = pd.DataFrame({"adm2_pcode": table[pcode].astype("string").str.strip().str.upper(), "_row": table["_row"]})
    for column, source in (("population", total), ("population_female", find_column(keys, FEMALE_NAMES)),
                           ("population_male", find_column(keys, MALE_NAMES))):
        out[column] = clean_number(table[source]) if source else pd.Series(pd.NA, index=out.index, dtype="Int64")

    keep = pd.Series(True, index=out.index)
    for i in out.index[out["adm2_pcode"].isna() | (out["adm2_pcode"] == "")]:
        report.reject(out.at[i, "_row"], pcode, "", "no p-code")
        keep[i] = False
    bad_total = keep & (out["population"].isna() | (out["population"] < 0))
    for i in out.index[bad_total]:
        report.reject(out.at[i, "_row"], total, table.at[i, total], "population is not a number of 0 or more")
    keep &= ~bad_total
    repeated = keep & out["adm2_pcode"].where(keep).duplicated()
    for i in out.index[repeated]:
        report.reject(out.at[i, "_row"], pcode, out.at[i, "adm2_pcode"], "p-code already read on an earlier row")
    keep &= ~repeated
    return out[keep].reset_index(drop=True), report
