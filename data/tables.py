"""Reading tabular source files the way users have them: CSV or Excel, odd encodings, an HXL tag row.

Every cell is read as text (the readers parse numbers and dates themselves, with reasons for what fails).
Row numbers are the 1-based row in the file or sheet, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import unicodedata
from io import StringIO
from pathlib import Path

import pandas as pd

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class TableError(ValueError):
    """A file that cannot be read as a table at all; the message is one line naming the file."""


def is_excel(path: Path) -> bool:
    return path.suffix.lower() in EXCEL_SUFFIXES


def sheet_names(path: str | Path) -> list[str]:
    """The sheets of a workbook ([""] for a CSV)."""
    path = Path(path)
    if not is_excel(path):
        return [""]
    try:
        return list(pd.ExcelFile(path, engine="calamine").sheet_names)
    except Exception as exc:
        raise TableError(f"{path.name}: cannot be read as a workbook ({_first_line(exc)})") from None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def decode(raw: bytes, name: str) -> tuple[str, str | None]:
    """Text of a CSV file and a warning when it was not UTF-8 (Excel on Windows saves cp1252)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), f"{name} is not UTF-8; read as Windows-1252 (cp1252)"


def _delimiter(text: str) -> str:
    """Comma, semicolon (French Excel) or tab, whichever the first lines use."""
    try:
        return csv.Sniffer().sniff(text[:20_000], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def read_cells(path: str | Path, sheet: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Every cell as text (NA where empty), no header interpretation; and warnings about the reading."""
    path = Path(path)
    if not path.exists():
        raise TableError(f"{path.name}: no such file")
    warnings: list[str] = []
    try:
        if is_excel(path):
            cells = pd.read_excel(path, sheet_name=sheet or 0, header=None, dtype=str, engine="calamine")
        else:
            text, warning = decode(path.read_bytes(), path.name)
            if warning:
                warnings.append(warning)
            if not text.strip():
                raise TableError(f"{path.name}: the file is empty")
            cells = pd.read_csv(StringIO(text), header=None, dtype=str, keep_default_na=False, na_values=[""],
                                sep=_delimiter(text))
    except TableError:
        raise
    except Exception as exc:
        raise TableError(f"{path.name}: cannot be read as a table ({_first_line(exc)})") from None
    cells = cells.apply(lambda column: column.str.strip() if column.dtype == object or
                        pd.api.types.is_string_dtype(column) else column)
    cells = cells.replace("", pd.NA).dropna(how="all", axis=1)
    if cells.dropna(how="all").empty:
        raise TableError(f"{path.name}: the file is empty")
    return cells, warnings


def is_hxl_row(row: pd.Series) -> bool:
    """A row of HXL hashtags: every filled cell starts with '#'."""
    cells = [str(v).strip() for v in row if isinstance(v, str) and v.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


def read_table(path: str | Path, sheet: str | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The first row as header; a row of HXL hashtags under it (or instead of it) is read as tags.

    Returns the data as text with a `_row` column (the row in the file), and {key: column} where the keys
    are the lower-cased headers and the HXL tags (lower-cased, attributes kept in their order).
    """
    cells, warnings = read_cells(path, sheet)
    cells = cells.dropna(how="all").reset_index(drop=False).rename(columns={"index": "_line"})
    header_row = cells.iloc[0]
    data_start = 1
    names = [_header_name(v, i) for i, v in enumerate(header_row.drop("_line"))]
    keys: dict[str, str] = {}
    if is_hxl_row(header_row.drop("_line")):
        tags = header_row.drop("_line")
    elif len(cells) > 1 and is_hxl_row(cells.iloc[1].drop("_line")):
        tags = cells.iloc[1].drop("_line")
        data_start = 2
    else:
        tags = None
    for name in names:
        keys.setdefault(normalise_header(name), name)
    if tags is not None:
        for name, tag in zip(names, tags):
            if isinstance(tag, str) and tag.strip().startswith("#"):
                keys.setdefault(normalise_tag(tag), name)
    table = cells.iloc[data_start:].copy()
    table.columns = ["_line"] + names
    table["_row"] = table.pop("_line").astype(int) + 1
    table = table.reset_index(drop=True)
    table.attrs["warnings"] = warnings
    return table, keys


def _header_name(value: object, position: int) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return f"column {position + 1}"


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalise_header(text: str) -> str:
    """Headers compared without case, accents, punctuation or repeated spaces."""
    text = strip_accents(str(text)).lower()
    return " ".join("".join(c if c.isalnum() or c == "#" else " " for c in text).split())


def normalise_tag(tag: str) -> str:
    """An HXL hashtag as written, lower-cased, without spaces: '#Reached +F +Children' -> '#reached+f+children'."""
    return "".join(tag.split()).lower()


def clean_number(values: pd.Series) -> pd.Series:
    """Numbers as users type them: thousands separators and spaces removed; anything else becomes NA."""
    text = values.astype("string").str.replace(r"[,\s\u00a0\u202f']", "", regex=True)
    return pd.to_numeric(text, errors="coerce")


def find_column(keys: dict[str, str], candidates: tuple[str, ...]) -> str | None:
    """The source column for the first candidate header name or HXL tag present (compared normalised)."""
    for candidate in candidates:
        key = normalise_tag(candidate) if candidate.startswith("#") else normalise_header(candidate)
        if key in keys:
            return keys[key]
    return None
