"""CSV and Excel exports never hand a spreadsheet a formula: text that starts like one is written with a
leading apostrophe (OWASP CSV injection), numbers stay numbers and missing values stay empty."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from exports import FORMULA_STARTS, csv_bytes, defused, excel_bytes

RISKY = ["=1+2", "+41 22 791 21 11", "-2+3", "@SUM(A1:A2)", "\tcmd", "\rcmd", '=HYPERLINK("http://evil.example","x")']
LINES = ["HealthGaps: =cmd|' /C calc'!A0", "round: 2026-12-31"]


def _table() -> pd.DataFrame:
    """Text in every dtype a table may carry, numbers (negative too), missing values, mixed cells."""
    rows = len(RISKY) + 2
    text = RISKY + ["Kabul", None]
    return pd.DataFrame({
        "object": pd.Series(text, dtype=object),
        "string": pd.Series(text, dtype="str"),
        "category": pd.Series(text, dtype="category"),
        "integer": pd.Series(range(-3, rows - 3), dtype="int64"),
        "float": pd.Series([-1.5, 2.25, -0.0, 1e6, None, -7.0, 3.0, 0.5, None], dtype="float64"),
        "mixed": pd.Series([-4, "=x", 2.5, None, "-y", 6, "ok", 8, 9], dtype=object),
    })


def _read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), comment="#", encoding="utf-8-sig", keep_default_na=False,
                       na_values=[""])


def _read_xlsx(data: bytes) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), skiprows=len(LINES) + 1, engine="calamine")


def test_risky_starts_are_the_owasp_list():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}
    assert all(value.startswith(FORMULA_STARTS) for value in RISKY)


def test_defused_prefixes_text_only():
    table = _table()
    out = defused(table)
    for column in ("object", "string", "category"):
        assert out[column].tolist()[: len(RISKY)] == ["'" + value for value in RISKY]
        assert out[column].iloc[-2] == "Kabul" and pd.isna(out[column].iloc[-1])
    pd.testing.assert_series_equal(out["integer"], table["integer"])
    pd.testing.assert_series_equal(out["float"], table["float"])
    assert out["mixed"].tolist()[:6] == [-4, "'=x", 2.5, None, "'-y", 6]
    assert table["object"].iloc[0] == "=1+2"  # the caller's table is left alone


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_read_back_as_text_numbers_and_blanks(fmt):
    table = _table()
    back = _read_csv(csv_bytes(table, LINES)) if fmt == "csv" else _read_xlsx(excel_bytes(table, LINES))
    assert back.columns.tolist() == table.columns.tolist()
    for column in ("object", "string", "category"):
        values = back[column].tolist()
        assert values[: len(RISKY)] == ["'" + value for value in RISKY], (fmt, column, values)
        assert all(isinstance(v, str) for v in values[: len(RISKY)])
        assert values[-2] == "Kabul" and pd.isna(values[-1])  # None stays an empty cell
    assert pd.api.types.is_integer_dtype(back["integer"]) and back["integer"].tolist() == list(range(-3, 6))
    assert pd.api.types.is_float_dtype(back["float"])
    pd.testing.assert_series_equal(back["float"], table["float"], check_names=False)
    mixed = back["mixed"].tolist()
    assert mixed[1] == "'=x" and mixed[4] == "'-y" and pd.isna(mixed[3])
    assert float(mixed[0]) == -4 and float(mixed[2]) == 2.5  # negative numbers are numbers, not "'-4"


def test_csv_header_lines_are_comments():
    text = csv_bytes(_table(), LINES).decode("utf-8-sig")
    assert text.splitlines()[: len(LINES)] == ["# " + line for line in LINES]


def test_excel_has_no_formula_cell():
    """Every cell is a value (header lines too, even one starting with "="): no <f> element in the sheet."""
    data = excel_bytes(_table(), ["=cmd|' /C calc'!A0", *LINES])
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = [name for name in book.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and all(b"<f>" not in book.read(name) and b"<f " not in book.read(name) for name in sheets)
    first = pd.read_excel(io.BytesIO(data), header=None, nrows=1, engine="calamine").iloc[0, 0]
    assert first == "=cmd|' /C calc'!A0"  # shown as text, never run


def test_line_breaks_inside_cells_or_header_lines_start_no_row():
    """A CR or LF inside a cell (or a header line) must not start a row a spreadsheet would read as a formula:
    cells holding one are quoted, header lines are kept on one line."""
    table = pd.DataFrame({"name": ["Kabul\r=1+2", "Herat\n@SUM(A1)", "\r=cmd"], "value": [1, -2, 3]})
    data = csv_bytes(table, ["title\n=cmd", "round\r=cmd"])
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[:2] == ["# title =cmd", "# round =cmd"]
    back = _read_csv(data)
    assert back["name"].tolist() == ["Kabul\r=1+2", "Herat\n@SUM(A1)", "'\r=cmd"]
    assert back["value"].tolist() == [1, -2, 3]
