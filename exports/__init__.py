"""Table exports (CSV and Excel) that say what they hold: the filters and the dataset's date are in the
file's name and in its first lines, so a table pasted into a report can be traced and redone.

Pure: returns bytes; the download callback sends them.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pandas as pd

from context import Context
from view import View

HEADER_PREFIX = "# "
NEWLINE = "\r\n"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell as a formula


def defused(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would read as a formula get a leading apostrophe (OWASP CSV injection);
    numbers, negative ones included, are left alone."""
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype("object")
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
            out[column] = text.where(~risky, "'" + text.astype(str))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def filter_parts(ctx: Context, view: View) -> list[tuple[str, str]]:
    """(name, value) of the filter in force, in words; "all" where nothing is chosen."""
    provinces = ctx.province_names()
    rounds = ctx.rounds
    return [
        ("round", view.round or (rounds[-1] if rounds else "none")),
        ("provinces", ", ".join(provinces.get(code, code) for code in view.admin1) or "all"),
        ("facility types", ", ".join(view.tiers) or "all"),
        ("ownership", ", ".join(view.ownership) or "all"),
        ("service domain", view.domain or "all"),
        ("organisation types", ", ".join(view.org_types) or "all"),
        ("activities", ", ".join(view.activities) or "all"),
    ]


def filename(title: str, ctx: Context, view: View, extension: str) -> str:
    """e.g. healthgaps_who-is-where_2026-06-30_kandahar_dataset-2026-11-20.csv: what, round, filters, data date."""
    parts = dict(filter_parts(ctx, view))
    chosen = [parts["provinces"]] if view.admin1 else []
    chosen += [value for name, value in filter_parts(ctx, view)[2:] if value != "all"]
    name = "_".join(["healthgaps", _slug(title), parts["round"], *(_slug(c)[:40] for c in chosen),
                     f"dataset-{ctx.built or 'undated'}"])
    return f"{name}.{extension}"


def png_name(title: str, ctx: Context, view: View) -> str:
    """A chart's PNG export name (plotly adds the extension): what, round, filters and the dataset's date."""
    return filename(title, ctx, view, "png").removesuffix(".png")


def header_lines(title: str, ctx: Context, view: View, notes: list[str] | None = None) -> list[str]:
    """The lines every export starts with."""
    lines = [f"HealthGaps: {title}", f"dataset: {ctx.label} (built {ctx.built or 'undated'})"]
    if ctx.dataset.manifest.get("synthetic"):
        lines.append("SYNTHETIC DEMO DATA: facilities, services and partners are made up")
    lines += [f"{name}: {value}" for name, value in filter_parts(ctx, view)]
    lines += list(notes or [])
    lines.append(f"exported: {datetime.now(UTC).isoformat(timespec='seconds')}")
    return lines


def csv_bytes(table: pd.DataFrame, lines: list[str]) -> bytes:
    """UTF-8 with a BOM (Excel then reads Dari and Arabic names right); `# ` lines, then the table.
    pandas reads it back with read_csv(..., comment="#").

    Lines end with CRLF (RFC 4180) so that a cell holding a CR is quoted too (with LF endings it is not, and
    a spreadsheet would start a row, maybe a formula, inside it); a header line is kept on one line."""
    header = "".join(f"{HEADER_PREFIX}{' '.join(str(line).splitlines())}{NEWLINE}" for line in lines)
    text = header + defused(table).to_csv(index=False, lineterminator=NEWLINE)
    return ("\ufeff" + text).encode("utf-8")


def excel_bytes(table: pd.DataFrame, lines: list[str], sheet: str = "data") -> bytes:
    """One sheet: the header lines, a blank row, then the table with a frozen header row.
    pandas reads it back with read_excel(..., skiprows=len(lines) + 1)."""
    buffer = io.BytesIO()
    options = {"options": {"strings_to_formulas": False, "strings_to_urls": False}}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs=options) as writer:
        defused(table).to_excel(writer, sheet_name=sheet[:31], index=False, startrow=len(lines) + 1)
        worksheet = writer.sheets[sheet[:31]]
        for row, line in enumerate(lines):
            worksheet.write_string(row, 0, line)  # written as text, never as a formula
        worksheet.freeze_panes(len(lines) + 2, 0)
        for column, name in enumerate(table.columns):
            worksheet.set_column(column, column, min(max(len(str(name)), 10) + 2, 50))
    return buffer.getvalue()
