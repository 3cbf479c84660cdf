"""HeRAMS facility exports: one export read into facility updates and service answers, and the per-round
snapshot HeRAMS reports on (each facility's latest update on or before the report date).

Exports are wide LimeSurvey-style tables, one row per facility update, with code headers (MoSD1,
QHeRAMS205...), label headers (the question text) or both as two header rows, and answers as codes (A1...)
or labels. Headers and answers are matched through the codebook (reference/herams_codebook.csv) without
case, spaces, punctuation or accents. Contact columns are personal data: they are dropped as soon as the
header is known, so no value of theirs reaches any output, warning or rejection.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from data import schema
from data.facility_types import tier_of
from data.tables import (
    TableError,
    find_column,
    is_hxl_row,
    normalise_header,
    normalise_tag,
    read_cells,
    sheet_names,
)
from geo.names import strip_accents
from geo.report import Report

REFERENCE = Path(__file__).parent / "reference"
CODEBOOK = REFERENCE / "herams_codebook.csv"
CATALOGUE = REFERENCE / "herams_services.csv"

# Answer codes to the canonical vocabularies of data.schema.
ANSWERS: dict[str, dict[str, str]] = {
    "status": {"A1": "existing", "A2": "planned", "A3": "closed"},
    "ownership": {"A1": "public", "A2": "ngo", "A3": "community", "A4": "private", "-oth-": "other"},
    "building": {"A1": "not_damaged", "A2": "partially_damaged", "A3": "fully_damaged"},
    "functionality": {"A1": "full", "A2": "partial", "A3": "none"},
    "accessibility": {"A1": "full", "A2": "partial", "A3": "none"},
    "service": {"A1": "available", "A2": "partial", "A3": "not_available", "A4": "not_normally_provided"},
    "barrier": {"A1": "staff", "A2": "training", "A3": "supplies", "A4": "equipment", "A5": "finance"},
}
# Other ways exports write an ownership (ownership never rejects a row: unknown text is "other").
OWNERSHIP_WORDS = {"ngo": "ngo", "ingo": "ngo", "nngo": "ngo", "iong": "ngo", "nong": "ngo",
                   "government": "public", "community": "community", "other": "other"}
# The codebook columns read, by the updates column they fill.
FIELDS = {"code": "MoSD1", "name": "MoSD2", "type": "MoSD3", "status": "MoSD4", "ownership": "MoSD7",
          "lat": "MoSDGPS_SQ001", "lon": "MoSDGPS_SQ002", "updated": "date", "building": "CONDB",
          "functionality": "HFFUNCT", "accessibility": "HFACC"}
CODED = ("status", "building", "functionality", "accessibility")  # an unknown answer rejects the row
SERVICE = re.compile(r"^QHeRAMS\d+$")
BARRIER = re.compile(r"^(QHeRAMS\d+)x_([123])$")
BARRIER_QUESTION = ("{name} - barriers: What are the main reasons (up to 3) that explain the lack of availability? "
                    "Rank {rank}")
# Admin units the facility is in, by header name or HXL tag (first found wins).
ADMIN = {
    "adm1_pcode": ("#adm1+code", "ADM1_PCODE", "admin1Pcode", "ADM1_PCOD", "admin1Pcod"),
    "adm1_name": ("#adm1+name", "ADM1_EN", "admin1Name_en", "admin1Name", "Province", "State", "Governorate",
                  "Region"),
    "adm2_pcode": ("#adm2+code", "ADM2_PCODE", "admin2Pcode", "ADM2_PCOD", "admin2Pcod"),
    "adm2_name": ("#adm2+name", "ADM2_EN", "admin2Name_en", "admin2Name", "District", "LGA"),
}
# Headers of personal contact data (checked only on columns that are not HeRAMS questions).
CONTACT = re.compile(r"\b(contacts?|phone|telephone|tel|mobile number|email|e ?mail|mail|whatsapp|focal point|"
                     r"respondent|informant|interviewer|enumerator)\b")
HEADER_SEARCH = 5  # rows searched for the header (a title row may come first)
UPDATE_COLUMNS = ["_row", "source", "facility_id", "code", "name", "type", "tier", "ownership", "status",
                  "building", "functionality", "accessibility", "lat", "lon", "adm1_given", "adm2_given",
                  "adm1_name_given", "adm2_name_given", "updated"]
SERVICE_COLUMNS = ["source", "_row", "service", "status", "barrier_1", "barrier_2", "barrier_3"]
BLANK, UNKNOWN = -1, -2  # codes of a blank answer and of one that is neither a code nor a label (see _Answers)


def code_key(text: object) -> str:
    """A column code compared on letters and digits only: 'MoSDGPS[SQ001]' is 'MoSDGPS_SQ001'."""
    return "".join(c for c in strip_accents(str(text)).lower() if c.isalnum())


@dataclass(frozen=True)
class Codebook:
    codes: dict[str, str]  # code key -> column code
    labels: dict[str, str]  # normalised label -> column code
    answers: dict[str, dict[str, str]]  # vocabulary -> {normalised answer code or label: canonical value}
    services: tuple[str, ...]  # the catalogue's service codes


def _label_variants(label: str) -> list[str]:
    """A label, and its short forms exports also use: the text before ':' and before '('."""
    return [label, label.split(":")[0], label.split("(")[0]]


@lru_cache(maxsize=1)
def codebook() -> Codebook:
    """Headers and answers of the HeRAMS codebook and service catalogue, as lookup tables."""
    book = pd.read_csv(CODEBOOK, dtype=str, keep_default_na=False)
    catalogue = pd.read_csv(CATALOGUE, dtype=str)
    columns = book.drop_duplicates("column")
    barriers = [f"{code}x_{rank}" for code in catalogue["code"] for rank in (1, 2, 3)]
    codes = {code_key(c): c for c in [*columns["column"], *catalogue["code"], *barriers]}
    labels: dict[str, str] = {}
    for column, label in zip(columns["column"], columns["label"]):
        labels.setdefault(normalise_header(label), column)
        if BARRIER.match(column):
            for rank in (2, 3):
                labels.setdefault(normalise_header(re.sub(r"1\s*$", str(rank), label)), f"{column[:-1]}{rank}")
    for code, name in zip(catalogue["code"], catalogue["name"]):
        labels.setdefault(normalise_header(name), code)
        for rank in (1, 2, 3):
            labels.setdefault(normalise_header(BARRIER_QUESTION.format(name=name, rank=rank)), f"{code}x_{rank}")
    vocabulary_of = {"MoSD4": "status", "MoSD7": "ownership", "CONDB": "building", "HFFUNCT": "functionality",
                     "HFACC": "accessibility"}
    kinds = book["column"].map(lambda c: vocabulary_of.get(c) or ("service" if SERVICE.match(c) else
                                                                  "barrier" if BARRIER.match(c) else None))
    answers: dict[str, dict[str, str]] = {}
    for kind, by_code in ANSWERS.items():
        table = {normalise_header(code): value for code, value in by_code.items()}
        table |= {normalise_header(value.replace("_", " ")): value for value in by_code.values()}
        rows = book.loc[kinds == kind, ["answer_code", "answer_label"]].drop_duplicates()
        for code, label in rows.itertuples(index=False):
            if code in by_code and label:
                for variant in _label_variants(label):
                    table.setdefault(normalise_header(variant), by_code[code])
        answers[kind] = table
    answers["ownership"] |= OWNERSHIP_WORDS
    return Codebook(codes, labels, answers, tuple(catalogue["code"]))


def column_code(header: object, book: Codebook) -> tuple[str | None, bool]:
    """The HeRAMS column a header names, and whether it was named by its code (rather than its label)."""
    if not isinstance(header, str) or not header.strip():
        return None, False
    key = code_key(header)
    if key in book.codes:
        return book.codes[key], True
    match = re.fullmatch(r"qherams(\d+)(?:x([123]))?", key)
    if match:
        number, rank = match.groups()
        return (f"QHeRAMS{number}x_{rank}" if rank else f"QHeRAMS{number}"), True
    return book.labels.get(normalise_header(header)), False


def _is_header_row(row: pd.Series, book: Codebook) -> bool:
    """A second (or third) header row: codes or labels of the same columns, or HXL tags."""
    filled = [v for v in row if isinstance(v, str) and v.strip()]
    found = [column_code(v, book)[0] for v in filled]
    known = [c for c in found if c]
    return "MoSD1" in known or is_hxl_row(row) or (len(known) >= 2 and 2 * len(known) >= len(filled))


def _locate_header(cells: pd.DataFrame, book: Codebook) -> tuple[int, int] | None:
    """(first header row, number of header rows) by position in `cells`, or None without a MoSD1 column."""
    for start in range(min(HEADER_SEARCH, len(cells))):
        if any(column_code(v, book)[0] == "MoSD1" for v in cells.iloc[start]):
            count = 1
            while count < 3 and start + count < len(cells) and _is_header_row(cells.iloc[start + count], book):
                count += 1
            return start, count
    return None


def _read_export(path: Path, book: Codebook) -> tuple[pd.DataFrame, int, int, list[str]]:
    """The cells of the sheet holding the HeRAMS columns, where its header starts, how many header rows."""
    sheets = sheet_names(path)
    first_headers: list[str] = []
    for sheet in sheets:
        try:
            cells, warnings = read_cells(path, sheet or None)
        except TableError:
            if len(sheets) == 1:
                raise
            continue  # an empty sheet (a blank "Read me") cannot hold the export
        cells = cells.dropna(how="all")
        located = _locate_header(cells, book)
        if located:
            return cells, located[0], located[1], warnings
        if not first_headers:
            first_headers = [str(v) for v in cells.iloc[0].dropna()]
    missing = "no MoSD1 (facility code, 'MoSD P - Code:') column"
    if len(sheets) > 1:
        raise TableError(f"{path.name}: {missing} in any sheet; sheets: {', '.join(sheets)}")
    found = ", ".join(first_headers[:12]) + (", ..." if len(first_headers) > 12 else "")
    raise TableError(f"{path.name}: {missing}; columns found: {found}")


@dataclass
class _Columns:
    """Which source column holds what: canonical code -> position, header names and admin keys."""

    code: dict[str, object]
    name: dict[object, str]
    keys: dict[str, object]
    contact: list[object]
    repeated: list[str]


def _columns(header: pd.DataFrame, book: Codebook) -> _Columns:
    code: dict[str, object] = {}
    name: dict[object, str] = {}
    keys: dict[str, object] = {}
    contact: list[object] = []
    repeated: list[str] = []
    for position in header.columns:
        cells = [v.strip() for v in header[position] if isinstance(v, str) and v.strip()]
        found = [(c, v, by_code) for v in cells for c, by_code in [column_code(v, book)] if c]
        if not found and any(code_key(v).startswith("hfcontact") or CONTACT.search(normalise_header(v))
                             for v in cells):
            contact.append(position)
            continue
        if found:
            column = found[0][0]
            shown = next((v for c, v, by_code in found if by_code), found[0][1])
            if column in code:
                repeated.append(shown)
                continue
            code[column] = position
            name[position] = shown
        else:
            name[position] = cells[0] if cells else f"column {position + 1}"
        for v in cells:
            keys.setdefault(normalise_header(v), position)
            if v.startswith("#"):
                keys.setdefault(normalise_tag(v), position)
    return _Columns(code, name, keys, contact, repeated)


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates as exports write them: ISO (with or without a time), dd/mm/yyyy, Excel serial numbers.

    Returns the day (time dropped: HeRAMS compares update dates); NaT where empty or not a date.
    """
    text = values.astype("string").str.strip()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    serial = text.str.fullmatch(r"\d{5}(\.\d+)?").fillna(False)
    number = pd.to_numeric(text.where(serial), errors="coerce")
    serial &= number.between(20_000, 80_000)  # 1954 to 2119: a plausible update date
    out[serial] = pd.Timestamp("1899-12-30") + pd.to_timedelta(number[serial], unit="D")
    iso = text.str.match(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T ]|$)").fillna(False)
    if iso.any():
        parts = text[iso].str.replace(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})", r"\1-\2-\3", regex=True)
        parsed = pd.to_datetime(parts, format="ISO8601", errors="coerce", utc=True).dt.tz_localize(None)
        out[iso] = parsed.astype("datetime64[ns]")
    dmy = text.str.extract(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T].*)?$").dropna()
    if len(dmy):
        parts = dmy.set_axis(["day", "month", "year"], axis=1).astype(int)
        out[dmy.index] = pd.to_datetime(parts, errors="coerce").astype("datetime64[ns]")
    return out.dt.normalize()


def parse_coordinates(values: pd.Series) -> pd.Series:
    """Decimal degrees as float64 (a decimal comma accepted); NaN where empty or not a number."""
    text = values.astype("string").str.strip().str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def map_answers(values: pd.Series | np.ndarray, vocabulary: dict[str, str]) -> pd.Series:
    """Answers (codes or labels, any case, spacing or accents) to canonical values; NA where blank or unknown."""
    values = pd.Series(values, dtype=object)
    lookup = {v: vocabulary.get(normalise_header(v)) for v in values.dropna().unique()}
    return values.map(lookup).astype("string")


def _unknown(column: str | pd.Series, value: str | pd.Series) -> str | pd.Series:
    """The reason an answer is rejected (works on scalars and on Series alike)."""
    if isinstance(value, pd.Series):
        value = value.astype("string").fillna("")
    return "unknown answer in " + column + ": '" + value + "' is neither a code nor a label of the codebook"


@dataclass
class _Export:
    """The data rows of one export and where each HeRAMS column is."""

    data: pd.DataFrame
    columns: _Columns

    @property
    def rows(self) -> pd.Series:
        """The row of each data row in the file, as a spreadsheet numbers it."""
        return pd.Series(self.data.index + 1, index=self.data.index, dtype="int64")

    def text(self, field: str) -> pd.Series:
        position = self.columns.code.get(FIELDS[field])
        if position is None:
            return pd.Series(pd.NA, index=self.data.index, dtype="string")
        return self.data[position].astype("string")

    def shown(self, field: str) -> str:
        """The header of a field's column as the file has it."""
        position = self.columns.code.get(FIELDS[field])
        return FIELDS[field] if position is None else self.columns.name[position]

    def answers(self, names: list[str], vocabulary: dict[str, str], categories: tuple[str, ...]) -> _Answers:
        """The answers of several columns, each distinct text looked up once (not once per cell)."""
        n = len(self.data)
        if not names:
            return _Answers([], np.empty((n, 0), dtype="int8"), np.empty((n, 0), dtype="int32"),
                            np.empty(0, dtype=object))
        cells = pd.concat([self.data[self.columns.code[c]] for c in names], ignore_index=True)  # column by column
        given, texts = pd.factorize(cells)  # -1 where blank
        texts = np.asarray(texts, dtype=object)
        code = {value: i for i, value in enumerate(categories)}
        canonical = [vocabulary.get(normalise_header(text)) for text in texts]
        table = np.array([UNKNOWN if v is None else code[v] for v in canonical] + [BLANK], dtype="int8")
        given = given.astype("int32").reshape(len(names), n).T
        return _Answers(names, table[given], given, texts)


@dataclass
class _Answers:
    """Answer columns (rows x columns) as codes: each cell's index in the vocabulary's categories, BLANK or
    UNKNOWN; and each cell's text as given (`texts[given]`; -1 where blank)."""

    names: list[str]
    codes: np.ndarray
    given: np.ndarray
    texts: np.ndarray

    def text(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """The answers as given in these cells (None where blank)."""
        return np.append(self.texts, [None])[self.given[rows, columns]]


class _Rejections:
    """The first reason each row cannot be used (checks run in order of importance)."""

    def __init__(self, index: pd.Index):
        self.table = pd.DataFrame({"column": None, "value": None, "reason": None}, index=index, dtype=object)

    def add(self, mask: pd.Series, column: object, value: object, reason: object) -> None:
        new = mask & self.table["reason"].isna()
        for key, item in (("column", column), ("value", value), ("reason", reason)):
            self.table.loc[new, key] = item[new] if isinstance(item, pd.Series) else item

    @property
    def rejected(self) -> pd.Series:
        return self.table["reason"].notna()

    def report(self, rows: pd.Series, report: Report) -> None:
        rejected = self.table[self.rejected].sort_index()
        for row, column, value, reason in zip(rows[rejected.index], rejected["column"], rejected["value"],
                                              rejected["reason"]):
            report.reject(row, column, value, reason)


def _first_unknown(export: _Export, blocks: list[_Answers]) -> tuple[pd.Series, pd.Series]:
    """Per row, the header of the first answer column (in file order) whose answer is unknown ("" if none),
    and that answer."""
    columns = export.columns
    where, values = [], []
    for answers in blocks:
        if not answers.names:
            continue
        unknown = answers.codes == UNKNOWN
        first = unknown.argmax(axis=1)
        positions = np.array([columns.code[c] for c in answers.names], dtype=float)
        where.append(np.where(unknown.any(axis=1), positions[first], np.inf))
        values.append(answers.text(np.arange(len(first)), first))
    index = export.data.index
    if not where:
        return pd.Series("", index=index), pd.Series(None, index=index, dtype=object)
    block = np.vstack(where).argmin(axis=0)
    rows = np.arange(len(index))
    first = np.vstack(where)[block, rows]
    header = [columns.name.get(int(p), "") if np.isfinite(p) else "" for p in first]
    return pd.Series(header, index=index), pd.Series(np.vstack(values)[block, rows], index=index)


def read_herams(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, Report]:
    """(updates, services, report) of one export.

    `updates`: one row per accepted source row (see UPDATE_COLUMNS). `services`: one row per accepted row and
    service answered, or stopped by the skip logic (a closed, fully damaged, non-functioning or inaccessible
    facility has no service answers: every service column of the file counts as "stopped" for it).
    """
    path = Path(path)
    book = codebook()
    cells, start, count, warnings = _read_export(path, book)
    columns = _columns(cells.iloc[start:start + count], book)
    cells = cells.drop(columns=columns.contact)  # personal data: gone before anything else reads the rows
    export = _Export(cells.iloc[start + count:], columns)
    report = Report(file=path.name, rows_in=len(export.data))
    for warning in warnings:
        report.warn(warning)
    if columns.contact:
        report.warn(f"{len(columns.contact)} contact columns (personal data) not read")
    for header in columns.repeated:
        report.warn(f"column {header} appears twice; only the first is read")
    rejections = _Rejections(export.data.index)

    code = export.text("code")
    rejections.add(code.isna(), export.shown("code"), "", "no facility code (MoSD1)")
    updated = pd.Series(pd.NaT, index=export.data.index, dtype="datetime64[ns]")
    if "date" in columns.code:
        raw_date, column = export.text("updated"), export.shown("updated")
        updated = parse_dates(raw_date)
        rejections.add(raw_date.isna(), column, "", "no update date")
        rejections.add(updated.isna(), column, raw_date,
                       "not a date (expected yyyy-mm-dd, dd/mm/yyyy or an Excel date)")
    else:
        report.warn("no date column: every row counts as valid for every report date")
    coded = {}
    for field in CODED:
        raw = export.text(field)
        coded[field] = map_answers(raw, book.answers[field])
        rejections.add(raw.notna() & coded[field].isna(), export.shown(field), raw, _unknown(export.shown(field), raw))
    skipped = ((coded["status"] == "closed") | (coded["building"] == "fully_damaged") |
               (coded["functionality"] == "none") | (coded["accessibility"] == "none")).fillna(False)

    services = [c for c in columns.code if SERVICE.match(c)]
    barriers = [c for c in columns.code if BARRIER.match(c)]
    status = export.answers(services, book.answers["service"], schema.SERVICE_STATUS)
    barrier = export.answers(barriers, book.answers["barrier"], schema.BARRIERS)
    column, value = _first_unknown(export, [status, barrier])
    rejections.add((column != "") & ~skipped, column, value, _unknown(column, value))  # skipped: answers unused

    rejections.report(export.rows, report)
    keep = ~rejections.rejected.to_numpy()
    updates = _updates(export, keep, coded, updated, report)
    service_table = _services(status, barrier, keep, skipped.to_numpy(), export.rows.to_numpy(), path.name, book,
                              report)
    return updates, service_table, report


def _updates(export: _Export, keep: np.ndarray, coded: dict[str, pd.Series], updated: pd.Series,
             report: Report) -> pd.DataFrame:
    """The facility columns of the accepted rows."""
    data, columns, text = export.data[keep], export.columns, export.text
    index = data.index
    out = pd.DataFrame({"_row": export.rows[index], "source": pd.Series(report.file, index=index, dtype="string")})
    code = text("code")[index]
    out["facility_id"] = code.str.strip()
    out["code"] = code
    out["name"] = text("name")[index]
    out["type"] = text("type")[index]
    tiers = {t: tier_of(t) for t in out["type"].dropna().unique()}
    out["tier"] = out["type"].map(tiers).fillna("other").astype("string")
    unplaced = sorted(t for t, tier in tiers.items() if tier == "other")
    if unplaced:
        count = int(out["type"].isin(unplaced).sum())
        report.warn(f"{count} facilities have a type no rule places in a tier (counted as 'other'): "
                    + ", ".join(unplaced[:10]) + (", ..." if len(unplaced) > 10 else ""))
    raw_owner = text("ownership")[index]
    owner = map_answers(raw_owner, codebook().answers["ownership"])
    unknown_owner = raw_owner.notna() & owner.isna()
    if unknown_owner.any():
        report.warn(f"{int(unknown_owner.sum())} facilities have an ownership that is not a codebook answer "
                    "(counted as 'other')")
    out["ownership"] = owner.mask(unknown_owner, "other")
    for field in CODED:
        out[field] = coded[field][index]
    lat_raw, lon_raw = text("lat")[index], text("lon")[index]
    lat, lon = parse_coordinates(lat_raw), parse_coordinates(lon_raw)
    not_number = (lat_raw.notna() & lat.isna()) | (lon_raw.notna() & lon.isna())
    if not_number.any():
        report.warn(f"{int(not_number.sum())} facilities have coordinates that are not numbers; kept without "
                    "coordinates")
    out["lat"], out["lon"] = lat.mask(not_number), lon.mask(not_number)

    def admin(key: str) -> pd.Series | None:
        position = find_column(columns.keys, ADMIN[key])
        return None if position is None else data[position].astype("string")

    for level in ("adm1", "adm2"):
        pcode, name = admin(f"{level}_pcode"), admin(f"{level}_name")
        given = pcode if pcode is not None else name
        out[f"{level}_given"] = given if given is not None else pd.Series(pd.NA, index=index, dtype="string")
        both = pcode is not None and name is not None
        out[f"{level}_name_given"] = name if both else pd.Series(pd.NA, index=index, dtype="string")
    out["updated"] = updated[index]
    return out[UPDATE_COLUMNS].reset_index(drop=True)


def _services(status: _Answers, barrier: _Answers, keep: np.ndarray, skipped: np.ndarray, rows: np.ndarray,
              source: str, book: Codebook, report: Report) -> pd.DataFrame:
    """The long service table: one row per accepted row and service answered (or stopped), made from the
    answer codes by numpy (rows x services reshaped into one column each), as categoricals."""
    services, skipped, rows = status.names, skipped[keep], rows[keep]
    codes = status.codes[keep]
    answered_skipped = int((status.given[keep][skipped] >= 0).any(axis=1).sum()) if len(services) else 0
    if answered_skipped:
        report.warn(f"{answered_skipped} closed, fully damaged, non-functioning or inaccessible facilities have "
                    "service answers; their services count as stopped")
    codes[skipped, :] = schema.SERVICE_STATUS.index("stopped")
    blank = codes < 0
    if blank.any():
        report.warn(f"{int(blank.sum())} service answers left blank by {int(blank.any(axis=1).sum())} "
                    "facilities: not reported (no service row)")
    n, m = codes.shape
    cells = ~blank.ravel()
    categories = sorted(set(book.services) | set(services))
    out = pd.DataFrame({
        "source": pd.Categorical.from_codes(np.zeros(int(cells.sum()), dtype="int8"), categories=[source]),
        "_row": np.repeat(rows, m)[cells].astype("int64"),
        "service": pd.Categorical.from_codes(np.tile(np.array([categories.index(s) for s in services], dtype="int16"),
                                                     n)[cells], categories=categories),
        "status": pd.Categorical.from_codes(codes.ravel()[cells], categories=schema.SERVICE_STATUS),
    })
    answered = np.append(barrier.codes[keep], np.full((n, 1), BLANK, dtype="int8"), axis=1)  # last: no column
    for rank in (1, 2, 3):
        column = [barrier.names.index(f"{s}x_{rank}") if f"{s}x_{rank}" in barrier.names else -1 for s in services]
        wide = answered[:, column]
        wide[skipped, :] = BLANK
        out[f"barrier_{rank}"] = pd.Categorical.from_codes(np.maximum(wide.ravel()[cells], BLANK),
                                                           categories=schema.BARRIERS)
    return out[SERVICE_COLUMNS]


def default_report_dates(updates: pd.DataFrame) -> list[pd.Timestamp]:
    """One round per export when no report date is given: each source file's latest update date.

    A file without dates (a static facility list) gives no round of its own: it joins every round.
    """
    latest = updates.groupby("source", sort=False)["updated"].max().dropna()
    return sorted({pd.Timestamp(d).normalize() for d in latest})


def _reject_duplicates(updates: pd.DataFrame, reports: dict[str, Report]) -> pd.DataFrame:
    """Keep the first of two updates of a facility on the same date (file order, then row order)."""
    repeated = updates.duplicated(["facility_id", "updated"], keep="first")
    if not repeated.any():
        return updates
    first = updates.groupby(["facility_id", "updated"], dropna=False, sort=False)["_pos"].transform("first")
    dropped, kept = updates[repeated], updates.loc[first[repeated]]  # `_pos` is the position and the label
    for source, row, facility, dated, kept_source, kept_row in zip(
            dropped["source"], dropped["_row"], dropped["facility_id"], dropped["updated"].notna(), kept["source"],
            kept["_row"]):
        when = "on the same date" if dated else "without a date"
        reports[source].reject(row, "facility_id", facility, f"duplicate facility id {facility}: another update "
                               f"{when} (file {kept_source} row {kept_row})")
    return updates[~repeated]


def snapshot(updates: pd.DataFrame, services: pd.DataFrame, report_dates: list[pd.Timestamp],
             reports: dict[str, Report]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per report date, each facility's latest update on or before it (HeRAMS's rule): (facilities, services).

    `updates` are several files' updates (in file order) with their location resolved; an update without a
    date (a static list) counts for every report date, and any dated update supersedes it. Two updates of
    a facility on the same date: the first is kept and the other rejected in its file's report, once.
    `facilities` has the columns of schema.TABLES["facilities"]; `services` those of TABLES["services"],
    as categoricals (schema.CATEGORICAL), since it holds rounds x facilities x services rows.
    """
    dates = sorted({pd.Timestamp(d).normalize() for d in report_dates})
    labels = [d.strftime("%Y-%m-%d") for d in dates]
    u = updates.reset_index(drop=True)
    files = pd.Categorical(u["source"], categories=pd.unique(u["source"])).codes
    u = u.iloc[np.lexsort((u["_row"].to_numpy(), files))].reset_index(drop=True)  # file order, then row order
    u["_pos"] = np.arange(len(u))
    u = _reject_duplicates(u, reports).reset_index(drop=True)
    first, count = _round_span(u, dates)
    return _round_facilities(u, first, count, labels), _round_services(u, services, first, count, labels)


def _round_span(u: pd.DataFrame, dates: list[pd.Timestamp]) -> tuple[np.ndarray, np.ndarray]:
    """Per update, the first round it is its facility's latest update on or before, and for how many rounds.

    An update dated t is the one a round dated d uses when t <= d < the facility's next update date.
    """
    never, forever = np.iinfo("int64").min, np.iinfo("int64").max
    when = u["updated"].to_numpy(dtype="datetime64[ns]").view("int64")  # NaT is the int64 minimum: oldest
    facility = pd.factorize(u["facility_id"])[0]
    order = np.lexsort((when, facility))
    sorted_when, sorted_facility = when[order], facility[order]
    following = np.append(sorted_when[1:], forever)
    following[np.append(sorted_facility[1:] != sorted_facility[:-1], True)] = forever
    days = np.array([d.value for d in dates], dtype="int64")
    begin = np.searchsorted(days, np.maximum(sorted_when, never), side="left")
    end = np.searchsorted(days, following, side="left")
    first, count = np.empty(len(u), dtype="int32"), np.empty(len(u), dtype="int32")
    first[order], count[order] = begin, np.maximum(end - begin, 0)
    return first, count


def _expand(first: np.ndarray, count: np.ndarray, rounds: int) -> tuple[np.ndarray, np.ndarray]:
    """Each item once per round it is in, by round then item: (item index, round number).

    Item i is in rounds first[i] .. first[i] + count[i] - 1. One pass per round over the items, writing into
    arrays allocated once: the output can hold rounds x facilities x services rows.
    """
    total = int(count.sum(dtype="int64"))
    index = np.empty(total, dtype="int32" if len(count) < 2**31 else "int64")
    number = np.empty(total, dtype="int16")
    first, count = first.astype("int16"), count.astype("uint16")
    since = np.empty(len(first), dtype="int16")
    done = 0
    for r in range(rounds):
        np.subtract(r, first, out=since)  # rounds since the first: in range when 0 <= since < count
        pick = np.flatnonzero(since.view("uint16") < count)
        index[done:done + len(pick)] = pick
        number[done:done + len(pick)] = r
        done += len(pick)
    return index, number


def _round_facilities(u: pd.DataFrame, first: np.ndarray, count: np.ndarray, labels: list[str]) -> pd.DataFrame:
    columns = schema.TABLES["facilities"].columns
    index, number = _expand(first, count, len(labels))  # by round, then file and row order
    out = u.iloc[index].reset_index(drop=True)
    out["round"] = np.array(labels, dtype=object)[number] if len(labels) else []
    out = out[list(columns)]
    return out.astype({name: str(column.dtype) for name, column in columns.items()})


def _categorical(values: pd.Series, categories: Sequence[str]) -> np.ndarray:
    """Codes of `values` against fixed categories (fast when `values` already is a categorical)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        same = pd.Index(categories, dtype=object).astype(values.cat.categories.dtype)
        return values.cat.set_categories(same).cat.codes.to_numpy()
    return pd.Categorical(values, categories=categories).codes


def _distinct(values: pd.Series) -> list[str]:
    """The distinct values of a column, sorted (a categorical's categories, without reading its rows)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return sorted(str(v) for v in values.cat.categories)
    return sorted(str(v) for v in values.dropna().unique())


def _positions(keys: np.ndarray, wanted: np.ndarray, size: int) -> np.ndarray:
    """Where each wanted key is among `keys` (integers below `size`), -1 where absent: by a table of every
    possible key when that is small (no hashing of the wanted keys), else by a hash index."""
    if size > 4 * (len(keys) + len(wanted)) + 1_000_000:
        return pd.Index(keys).get_indexer(wanted).astype("int32" if len(keys) < 2**31 else "int64")
    table = np.full(size, -1, dtype="int32" if len(keys) < 2**31 else "int64")
    table[keys] = np.arange(len(keys))
    if not np.array_equal(table[keys], np.arange(len(keys))):  # a key twice: the index raises as it always did
        return pd.Index(keys).get_indexer(wanted)
    return table[wanted]


def _round_services(u: pd.DataFrame, services: pd.DataFrame, first: np.ndarray, count: np.ndarray,
                    labels: list[str]) -> pd.DataFrame:
    """The service rows of the updates each round uses, as categoricals (rounds x facilities x services)."""
    # Each service row's update: its (source, _row) as one integer key, looked up among the kept updates.
    sources = list(dict.fromkeys([*_distinct(u["source"]), *_distinct(services["source"])]))
    rows = 1 + max(int(u["_row"].max()) if len(u) else 0, int(services["_row"].max()) if len(services) else 0)
    update_key = _categorical(u["source"], sources).astype("int64") * rows + u["_row"].to_numpy(dtype="int64")
    service_key = _categorical(services["source"], sources).astype("int64")
    service_key *= rows  # in place: the service keys are rounds x facilities x services long
    service_key += services["_row"].to_numpy(dtype="int64")
    position = _positions(update_key, service_key, len(sources) * rows)  # -1 (the appended last slot): not kept
    del service_key
    index, number = _expand(np.append(first, 0)[position], np.append(count, 0)[position], len(labels))
    facility_code, facility_ids = pd.factorize(u["facility_id"])
    facility_code = np.append(facility_code.astype("int32"), -1)[position]  # each service row's facility
    del position
    service_categories = _distinct(services["service"])
    out = pd.DataFrame({
        "round": pd.Categorical.from_codes(number.astype("int8" if len(labels) < 128 else "int16"),
                                           categories=labels, validate=False),
        "facility_id": pd.Categorical.from_codes(facility_code[index], categories=facility_ids.astype(str),
                                                 validate=False),
        "service": pd.Categorical.from_codes(_categorical(services["service"], service_categories)[index],
                                             categories=service_categories, validate=False),
        "status": pd.Categorical.from_codes(_categorical(services["status"], schema.SERVICE_STATUS)[index],
                                            categories=schema.SERVICE_STATUS, validate=False),
    })
    for rank in (1, 2, 3):
        codes = _categorical(services[f"barrier_{rank}"], schema.BARRIERS)[index]
        out[f"barrier_{rank}"] = pd.Categorical.from_codes(codes, categories=schema.BARRIERS, validate=False)
    return out
