"""Reading tabular source files the way users have them: CSV or Excel, odd encodings, an HXL tag row.

Every cell is read as text (the readers parse numbers and dates themselves, with reasons for what fails).
Row numbers are the 1-based row in the file or sheet, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from functools import lru_cache
from io import BytesIO, StringIO
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from python_calamine import CalamineWorkbook

from geo.names import strip_accents

_Column = TypeVar("_Column")  # what a header key names: a column name, or a column's position

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# The texts pandas's read_excel reads as empty (its default na_values).
EXCEL_NA = frozenset({"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
                      "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})


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
    clean = None  # the cells as pyarrow read and cleaned them, when it could
    try:
        if is_excel(path):
            cells = _read_excel_calamine(path, sheet)
            if cells is None:
                cells = pd.read_excel(path, sheet_name=sheet or 0, header=None, dtype=str, engine="calamine")
        else:
            raw = path.read_bytes()
            text, warning = decode(raw, path.name)
            if warning:
                warnings.append(warning)
            if not text.strip():
                raise TableError(f"{path.name}: the file is empty")
            sep = _delimiter(text)
            utf8 = text.encode("utf-8") if warning else raw.removeprefix(b"\xef\xbb\xbf")
            clean = _read_csv_arrow(text, utf8, sep)
            if clean is None:
                cells = pd.read_csv(StringIO(text), header=None, dtype=str, keep_default_na=False, na_values=[""],
                                    sep=sep)
    except TableError:
        raise
    except Exception as exc:
        raise TableError(f"{path.name}: cannot be read as a table ({_first_line(exc)})") from None
    cells = _stripped(cells).dropna(how="all", axis=1) if clean is None else clean
    if cells.empty:  # no column with a value
        raise TableError(f"{path.name}: the file is empty")
    return cells, warnings


def _stripped(cells: pd.DataFrame) -> pd.DataFrame:
    """Text cells without surrounding spaces; NA where nothing is left."""
    cells = cells.apply(lambda column: column.str.strip() if column.dtype == object or
                        pd.api.types.is_string_dtype(column) else column)
    return cells.replace("", pd.NA)


def _read_csv_arrow(text: str, utf8: bytes, sep: str) -> pd.DataFrame | None:
    """The cells of a CSV (`text`, encoded as `utf8`) as pandas reads them and `_stripped` cleans them, without
    the columns left empty, by pyarrow's parser (several times faster on large HeRAMS exports); None when
    pyarrow cannot read the file as pandas does (a row shorter or longer than the first, a one-column file):
    pandas then reads it, padding short rows or naming the line."""
    start = len(text) - len(text[:65_536].lstrip("\r\n"))
    end = text.find("\n", start)
    width = text.count(sep, start, end if end >= 0 else len(text)) + 1  # the first row's columns, or more
    try:
        table = pacsv.read_csv(
            BytesIO(utf8), read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                                 null_values=[""], strings_can_be_null=True))
    except pa.ArrowException:
        return None
    if table.num_columns < 2 or any(not pa.types.is_string(t) for t in table.schema.types):
        return None  # pandas skips lines of spaces in a one-column file; a column typed by inference
    blank = pa.scalar(None, pa.string())
    trimmed = [pc.utf8_trim_whitespace(column) for column in table.columns]  # as pandas's str.strip()
    columns = {i: pc.if_else(pc.equal(c, ""), blank, c) for i, c in enumerate(trimmed)}
    kept = [i for i, c in columns.items() if c.null_count < len(c)]
    cells = pa.table({str(i): columns[i] for i in kept}).to_pandas()
    cells.columns = pd.RangeIndex(len(columns)) if len(kept) == len(columns) else pd.Index(kept)
    return cells


def _read_excel_calamine(path: Path, sheet: str | None) -> pd.DataFrame | None:
    """A sheet's cells as pandas's read_excel(header=None, dtype=str) reads them, from python-calamine's rows
    (pandas converts each cell in Python, then each column): only the number and date cells are converted one
    by one. None for what pandas treats apart (an empty sheet, a byte-order mark in A1, a cell of another
    type) and for a workbook that cannot be read: pandas then reads it, or says what is wrong."""
    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = (book.get_sheet_by_name(sheet) if sheet else book.get_sheet_by_index(0)).to_python(
            skip_empty_area=False)
    except Exception:  # noqa: BLE001 (pandas's message is the one users see)
        return None
    if not rows or not rows[0] or any(len(row) != len(rows[0]) for row in rows):
        return None
    if isinstance(rows[0][0], str) and rows[0][0].startswith("\ufeff"):
        return None
    grid = np.empty((len(rows), len(rows[0])), dtype=object)
    grid[:] = rows
    for j in range(grid.shape[1]):
        if pd.api.types.infer_dtype(grid[:, j], skipna=False) != "string":  # numbers, dates: a cell at a time
            grid[:, j] = [_excel_text(v) for v in grid[:, j]]
            if any(v is _OTHER for v in grid[:, j]):
                return None
    text = pa.array(grid.ravel(order="F"), type=pa.large_string(), from_pandas=True)  # column after column
    empty = pc.is_in(text, value_set=pa.array(sorted(EXCEL_NA), type=pa.large_string()))
    text = pc.if_else(empty, pa.scalar(None, pa.large_string()), text)
    n = len(rows)
    frame = pa.table({str(j): text.slice(j * n, n) for j in range(grid.shape[1])}).to_pandas()
    frame.columns = pd.RangeIndex(grid.shape[1])
    return frame


_OTHER = object()  # a cell value _excel_text leaves to pandas


def _excel_text(value: object) -> object:
    """A cell as read_excel(dtype=str) writes it: whole numbers without '.0', dates with their time."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return None if math.isnan(value) else str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int | datetime | time):
        return str(value)
    if isinstance(value, date):
        return str(datetime(value.year, value.month, value.day))
    return _OTHER


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


_NOT_ALNUM = re.compile(r"[^\w#]|_")  # \w is str.isalnum() and "_"


@lru_cache(maxsize=1 << 16)
def normalise_header(text: str) -> str:
    """Headers compared without case, accents, punctuation or repeated spaces."""
    return " ".join(_NOT_ALNUM.sub(" ", strip_accents(str(text)).lower()).split())


def normalise_tag(tag: str) -> str:
    """An HXL hashtag as written, lower-cased, without spaces: '#Reached +F +Children' -> '#reached+f+children'."""
    return "".join(tag.split()).lower()


def clean_number(values: pd.Series) -> pd.Series:
    """Numbers as users type them: thousands separators and spaces removed; anything else becomes NA."""
    text = values.astype("string").str.replace(r"[,\s\u00a0\u202f']", "", regex=True)
    return pd.to_numeric(text, errors="coerce")


def find_column(keys: Mapping[str, _Column], candidates: Sequence[str]) -> _Column | None:
    """The source column for the first candidate header name or HXL tag present (compared normalised)."""
    for candidate in candidates:
        key = normalise_tag(candidate) if candidate.startswith("#") else normalise_header(candidate)
        if key in keys:
            return keys[key]
    return None
