"""Reading tabular source files the way users have them: CSV or Excel, an optional HXL tag row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def read_table(path: str | Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """All cells as text, a `_row` column with the 1-based line in the file, and {key: column} for lookup.

    Keys are the header names and, where a row of HXL hashtags follows the header, the tags too.
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xls", ".xlsm", ".ods"):
        table = pd.read_excel(path, dtype=str, engine="calamine")
    else:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    table.columns = [str(c).strip() for c in table.columns]
    first_data_row = 2
    header = {c: c for c in table.columns}
    if len(table) and is_hxl_row(table.iloc[0]):
        header.update({str(tag).split()[0].lower(): c for c, tag in table.iloc[0].items() if isinstance(tag, str) and tag})
        table = table.iloc[1:].reset_index(drop=True)
        first_data_row = 3
    table["_row"] = range(first_data_row, first_data_row + len(table))
    return table, header


def is_hxl_row(row: pd.Series) -> bool:
    """A row of HXL hashtags: every filled cell starts with '#'."""
    cells = [str(v).strip() for v in row if isinstance(v, str) and v.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


def clean_number(values: pd.Series) -> pd.Series:
    """Numbers as users type them: thousands separators and spaces removed; anything else becomes NA."""
    text = values.astype("string").str.replace(r"[,\s\u00a0']", "", regex=True)
    return pd.to_numeric(text, errors="coerce")
