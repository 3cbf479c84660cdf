"""Read an OCHA COD-PS district population table (CSV or XLSX), with or without an HXL tag row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data.report import Report
from data.tables import clean_number, read_table

# Column names as COD-PS tables spell them, lower-cased; HXL tags as they appear in the tag row.
PCODE_NAMES = ("adm2_pcode", "admin2pcode", "adm2_pcod", "admin2pcod", "#adm2+code")
TOTAL_NAMES = ("t_tl", "total", "population", "#population+total", "#population")
FEMALE_NAMES = ("f_tl", "#population+f", "#population+f+total")
MALE_NAMES = ("m_tl", "#population+m", "#population+m+total")


def _find(columns: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((columns[n] for n in names if n in columns), None)


def read_population(path: str | Path) -> tuple[pd.DataFrame, Report]:
    """(adm2_pcode, population, population_female, population_male, _row) and the report.

    A row without a p-code, without a usable total or repeating a p-code already read is rejected.
    """
    table, header = read_table(path)
    report = Report(file=Path(path).name, rows_in=len(table))
    columns = {key.strip().lower(): source for key, source in header.items()}
    pcode, total = _find(columns, PCODE_NAMES), _find(columns, TOTAL_NAMES)
    if pcode is None or total is None:
        missing = "ADM2_PCODE" if pcode is None else "T_TL"
        raise ValueError(f"{report.file}: no {missing} column; columns found: {', '.join(header.values())}")
    out = pd.DataFrame({"adm2_pcode": table[pcode].astype("string").str.strip().str.upper(), "_row": table["_row"]})
    for column, source in (("population", total), ("population_female", _find(columns, FEMALE_NAMES)),
                           ("population_male", _find(columns, MALE_NAMES))):
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
