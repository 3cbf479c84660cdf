"""Read a 3W/4W/5W partner matrix (CSV or Excel, HXL-tagged or not) into the canonical activities table.

Columns are found by HXL tag when the file has a tag row (the tag and its attributes in any order, unknown
extra attributes ignored), else by the usual English and French headers (case, accents and punctuation
ignored). In a workbook, the first sheet holding an organisation and a district column is read.

Counts: spaces, commas and apostrophes between digit groups are thousands separators ("12,500", "12 500").
A dot followed by exactly three digits ("12.500") is a thousands separator too, unless the same column also
holds decimals (a dot followed by other than three digits): then the value is ambiguous and its row is
rejected. Decimals are rounded to whole people, with a warning. "-", "n/a" and "na" are read as not given.

Months: "2026-03", "2026-03-15", "03/2026", "Mar-2026", "March 2026", "mars 2026", "Jan-26", Excel dates and
Excel day serials, all to the first day of the month; years outside 1990-2100 are not read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple
from functools import lru_cache
from pathlib import Path

import pandas as pd

from data import schema
from data.tables import TableError, find_column, normalise_tag, read_table, sheet_names
from geo.names import AdminMatcher
from geo.report import Report

ORG_TYPE_RULES = Path(__file__).parent / "reference" / "org_types.csv"

# Attributes that make a tag something other than the plain one: an organisation's other fields, or a
# sex/age part (or a household count) of a number of people.
ORG_ROLES = ("acronym", "type", "funder", "donor", "code", "id")
PARTS = ("f", "m", "children", "adults", "elderly", "infants", "female", "male", "hh", "households")
AGE_SEX_ATTRIBUTES = {"f_children": ("f", "children"), "m_children": ("m", "children"),
                      "f_adults": ("f", "adults"), "m_adults": ("m", "adults")}

# field: (HXL tags in order of preference as "tag", or ("tag", excluded attributes); header names)
PARTNER_FIELDS: dict[str, tuple[tuple, tuple[str, ...]]] = {
    "org_name": (("#org+name", ("#org", ORG_ROLES)),
                 ("Organisation", "Organization", "Partner", "Organisation name", "Organization name",
                  "Partner name", "Implementing partner", "Implementing organisation", "Implementing organization",
                  "Nom de l'organisation", "Partenaire", "Nom du partenaire", "Organisation partenaire",
                  "Partenaire de mise en oeuvre", "Agency")),
    "org_acronym": (("#org+acronym",), ("Acronym", "Sigle", "Acronyme", "Organisation acronym",
                                        "Organization acronym", "Partner acronym", "Abbreviation")),
    "org_type": (("#org+type",), ("Organisation type", "Organization type", "Org type", "Type of organisation",
                                  "Type of organization", "Partner type", "Type d'organisation",
                                  "Type de l'organisation", "Type de partenaire", "Type d'organisme")),
    "donor": (("#org+funder", "#org+donor"), ("Donor", "Donors", "Funding", "Funding source", "Source of funding",
                                              "Funder", "Bailleur", "Bailleurs", "Bailleur de fonds",
                                              "Bailleurs de fonds", "Source de financement", "Donateur")),
    "sector": ((("#sector", ("code",)), "#sector"), ("Sector", "Cluster", "Secteur", "Sector/Cluster",
                                                     "Cluster/Sector", "Secteur/Cluster")),
    "activity": ((("#activity", ("code",)), "#activity"),
                 ("Activity", "Activité", "Activity description", "Activity name", "Activities", "Activités",
                  "Description de l'activité", "Description of activity", "Intervention")),
    "adm1_pcode": (("#adm1+code",), ("Admin1 P-code", "ADM1_PCODE", "Admin1 Pcode", "Admin 1 P-code",
                                     "Admin1 code", "Province P-code", "Province code", "Region P-code",
                                     "State P-code", "Code province", "Code région", "adm1_code", "admin1Pcode")),
    "adm1_name": (("#adm1+name", ("#adm1", ("code",))),
                  ("Province", "Region", "State", "Admin1", "Admin 1", "Région", "ADM1_EN", "ADM1_NAME", "ADM1_FR",
                   "Admin1 name", "Province name", "Region name", "State name", "Governorate", "Gouvernorat",
                   "Nom de la province", "Nom de la région")),
    "adm2_pcode": (("#adm2+code",), ("Admin2 P-code", "ADM2_PCODE", "Admin2 Pcode", "Admin 2 P-code",
                                     "Admin2 code", "District p-code", "District pcode", "District code",
                                     "LGA p-code", "LGA code", "Code district", "Code département", "adm2_code",
                                     "admin2Pcode", "P-code", "Pcode")),
    "adm2_name": (("#adm2+name", ("#adm2", ("code",))),
                  ("District", "LGA", "Admin2", "Admin 2", "Département", "ADM2_EN", "ADM2_NAME", "ADM2_FR",
                   "Admin2 name", "District name", "LGA name", "Nom du district", "Nom du département")),
    "month": (("#date+month", "#date+reported", ("#date", ("start", "end"))),
              ("Month", "Date", "Mois", "Reporting month", "Période", "Reporting period", "Report month",
               "Reporting date", "Month of reporting", "Mois de rapportage", "Mois de reporting")),
    "status": (("#status",), ("Status", "Statut", "Activity status", "Statut de l'activité", "Project status",
                              "Statut du projet")),
    "targeted": ((("#targeted", PARTS),),
                 ("Targeted", "People targeted", "Cible", "Personnes ciblées", "Total targeted", "Target",
                  "Beneficiaries targeted", "Number of people targeted", "Bénéficiaires ciblés", "Total ciblé",
                  "Total cible", "Personnes cibles")),
    "reached": ((("#reached", PARTS),),
                ("Reached", "People reached", "Atteints", "Bénéficiaires atteints", "Total reached",
                 "Beneficiaries reached", "Number of people reached", "Personnes atteintes", "Total atteint",
                 "Personnes touchées")),
    **{f"{measure}_{group}": ((f"#{measure}+" + "+".join(attributes),), ())
       for measure in ("targeted", "reached") for group, attributes in AGE_SEX_ATTRIBUTES.items()},
}

GROUP_WORDS = {"f_children": {"girls", "girl", "filles", "fille"}, "m_children": {"boys", "boy", "garcons", "garcon"},
               "f_adults": {"women", "woman", "femmes", "femme"}, "m_adults": {"men", "man", "hommes", "homme"}}
MEASURE_WORDS = {"reached": {"reached", "atteints", "atteintes", "atteint", "atteinte", "touches", "touchees"},
                 "targeted": {"targeted", "target", "cible", "cibles", "ciblee", "ciblees"}}

STATUS_RULES = (
    ("planned", r"\b(?:planned|pipeline|prevue?s?|planifiee?s?|not started|a venir)\b"),
    ("ongoing", r"\b(?:ongoing|on going|active|in progress|en cours|running|continuing)\b"),
    ("completed", r"\b(?:completed?|finished|closed|terminee?s?|achevee?s?|done|ended)\b"),
)
MONTH_NAMES = {
    **{name: i + 1 for i, name in enumerate(("january", "february", "march", "april", "may", "june", "july",
                                             "august", "september", "october", "november", "december"))},
    **{name: i + 1 for i, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                             "nov", "dec"))},
    **{name: i + 1 for i, name in enumerate(("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                                             "septembre", "octobre", "novembre", "decembre"))},
    "sept": 9, "fev": 2, "avr": 4, "juil": 7, "janv": 1, "fevr": 2,
}
BLANK = ("-", "n/a", "na")
COUNTS = ("targeted", "reached", *(f"{m}_{g}" for m in ("targeted", "reached") for g in schema.AGE_SEX))


# --- finding columns ---------------------------------------------------------------------------------------

def hxl_tags(keys: dict[str, str]) -> list[tuple[str, frozenset[str], str]]:
    """(hashtag, attributes, column) for each HXL tag of a table; '#affected+reached' reads as '#reached'."""
    tags = []
    for key, column in keys.items():
        if not key.startswith("#") or " " in key:
            continue
        base, *parts = key.split("+")
        attributes = {a for a in parts if a}
        moved = sorted(attributes & {"reached", "targeted", "inneed"})
        if base == "#affected" and moved:
            base = "#" + moved[0]
            attributes.discard(moved[0])
        tags.append((base, frozenset(attributes), column))
    return tags


def find_tag(tags: list[tuple[str, frozenset[str], str]], wanted: tuple) -> str | None:
    """The column of the first wanted tag present: "#tag+attr" needs those attributes (in any order, others
    ignored); ("#tag+attr", excluded) also refuses columns with an excluded attribute. Fewest extras wins."""
    for spec in wanted:
        tag, excluded = (spec, ()) if isinstance(spec, str) else spec
        base, *required = normalise_tag(tag).split("+")
        found = [(len(attributes) - len(required), i, column) for i, (b, attributes, column) in enumerate(tags)
                 if b == base and set(required) <= attributes and not attributes & set(excluded)]
        if found:
            return min(found)[2]
    return None


def locate(keys: dict[str, str], fields: dict[str, tuple[tuple, tuple[str, ...]]]) -> dict[str, str | None]:
    """{field: source column or None}: by HXL tag first, else by header name."""
    tags = hxl_tags(keys)
    return {field: find_tag(tags, wanted) or find_column(keys, names) for field, (wanted, names) in fields.items()}


def sex_age_by_header(keys: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """{targeted_f_children...: column} from headers such as "Girls reached" or "Femmes ciblées", and the
    columns naming a sex/age group without saying whether reached or targeted (not read)."""
    found: dict[str, str] = {}
    unclear = []
    for key, column in keys.items():
        words = set(key.split())
        if key.startswith("#") or column in found.values():
            continue
        groups = [g for g, names in GROUP_WORDS.items() if words & names]
        measures = [m for m, names in MEASURE_WORDS.items() if words & names]
        if len(groups) != 1:
            continue
        if len(measures) == 1:
            found.setdefault(f"{measures[0]}_{groups[0]}", column)
        else:
            unclear.append(column)
    return found, unclear


def read_sheet(path: Path, wanted: Callable[[dict[str, str]], bool]) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """The first sheet whose header (or HXL row) holds the wanted columns, else the first readable sheet;
    with the warnings of reading it, naming the sheet when the workbook has several."""
    sheets = sheet_names(path)
    chosen, error = None, None
    for sheet in sheets:
        try:
            table, keys = read_table(path, sheet or None)
        except TableError as exc:
            error = error or exc
            continue
        good = wanted(keys)
        if chosen is None or good:
            chosen = (table, keys, sheet)
        if good:
            break
    if chosen is None:
        raise error or TableError(f"{path.name}: the file is empty")
    table, keys, sheet = chosen
    warnings = list(table.attrs.get("warnings", []))
    if len(sheets) > 1:
        warnings.append(f"read sheet '{sheet}' ({len(sheets)} sheets: {', '.join(repr(s) for s in sheets)})")
    return table, keys, warnings


def missing_column(file: str, what: str, examples: str, table: pd.DataFrame) -> TableError:
    found = ", ".join(str(c) for c in table.columns if c != "_row")
    return TableError(f"{file}: no {what} column (such as {examples}); columns found: {found}")


# --- reading values ------------------------------------------------------------------------------------------

def text(table: pd.DataFrame, column: str | None) -> pd.Series:
    """A column as stripped text, NA where empty or absent."""
    if column is None:
        return pd.Series(pd.NA, index=table.index, dtype="string")
    values = table[column]
    if isinstance(values, pd.DataFrame):  # two columns with the same header: the first one
        values = values.iloc[:, 0]
    values = values.astype("string").str.strip()
    return values.mask(values == "")


def parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers of people as written (see the module docstring): (numbers as floats, NA where not given or
    unreadable; the reason a value is unreadable, NA where fine)."""
    raw = values.astype("string").str.strip()
    compact = raw.str.replace(r"[\s\u00a0\u202f']", "", regex=True).str.lower()
    compact = compact.mask(compact.isin(BLANK) | (compact == ""))
    commas = compact.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?").fillna(False).astype(bool)
    compact = compact.mask(commas, compact.str.replace(",", "", regex=False))
    dot3 = compact.str.fullmatch(r"-?\d{1,3}\.\d{3}").fillna(False).astype(bool)
    dots = compact.str.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}").fillna(False).astype(bool)
    decimals = compact.str.fullmatch(r"-?\d*\.\d+").fillna(False).astype(bool) & ~dot3
    ambiguous = dot3 & decimals.any()
    compact = compact.mask((dot3 & ~ambiguous) | dots, compact.str.replace(".", "", regex=False))
    numbers = pd.to_numeric(compact.mask(ambiguous), errors="coerce").astype("float64")
    reason = pd.Series(pd.NA, index=values.index, dtype="string")
    reason = reason.mask(compact.notna() & numbers.isna(), "not a number")
    reason = reason.mask(ambiguous, "ambiguous number: the dot may be a thousands separator or a decimal point "
                                    "(the column also holds decimals)")
    reason = reason.mask(numbers < 0, "a negative number of people")
    return numbers.mask(reason.notna()), reason


def whole(numbers: pd.Series, column: str | None, report: Report) -> pd.Series:
    """Counts rounded to whole people (half up), warning when any had decimals."""
    fractional = numbers.notna() & (numbers % 1 != 0)
    if fractional.any():
        report.warn(f"numbers of people that were not whole in column '{column}', rounded: "
                    f"{count(fractional.sum(), 'value')}")
    return (numbers + 0.5).floordiv(1).astype("Int64")


def parse_months(values: pd.Series) -> pd.Series:
    """The first day of the month each value names (see the module docstring); NaT where not readable."""
    low = (values.astype("string").str.strip().str.lower()
           .str.normalize("NFKD").str.encode("ascii", errors="ignore").str.decode("ascii"))
    year = pd.Series(pd.NA, index=values.index, dtype="Int64")
    month = year.copy()
    iso = low.str.extract(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?:[ t][\d:.]*)?$")
    month_year = low.str.extract(r"^(\d{1,2})[-/.](\d{4})$")
    named = low.str.extract(r"^([a-z]+)\.?[\s\-/.,']*(\d{4}|\d{2})$")
    serial = low.str.extract(r"^(\d{5})(?:\.0+)?$")[0]
    for y, m in ((iso[0], iso[1]), (month_year[1], month_year[0]),
                 (named[1], named[0].map(MONTH_NAMES, na_action="ignore"))):
        y = pd.to_numeric(y, errors="coerce").astype("Int64")
        y = y.mask(y < 100, y + 2000)
        year, month = year.fillna(y), month.fillna(pd.to_numeric(m, errors="coerce").astype("Int64"))
    days = pd.to_numeric(serial, errors="coerce")
    dates = pd.Timestamp("1899-12-30") + pd.to_timedelta(days.where(days.between(32874, 73415)), unit="D")
    year, month = year.fillna(dates.dt.year.astype("Int64")), month.fillna(dates.dt.month.astype("Int64"))
    valid = year.between(1990, 2100) & month.between(1, 12)
    stamp = (year * 100 + month).where(valid).astype("string")
    return pd.to_datetime(stamp, format="%Y%m", errors="coerce").astype("datetime64[ns]")


def plain(values: pd.Series) -> pd.Series:
    """Lower-case, accent-free words separated by single spaces (for matching labels against patterns)."""
    low = (values.astype("string").str.lower().str.normalize("NFKD").str.encode("ascii", errors="ignore")
           .str.decode("ascii"))
    return low.str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()


@lru_cache(maxsize=1)
def _org_type_rules() -> list[tuple[str, str]]:
    table = pd.read_csv(ORG_TYPE_RULES, dtype=str)
    return list(zip(table["pattern"], table["org_type"]))


def classify(values: pd.Series, rules: list[tuple[str, str]]) -> pd.Series:
    """The label of the first rule whose pattern matches each value (plain words); NA where none does."""
    words = plain(values)
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    for pattern, label in rules:
        out = out.mask(out.isna() & words.str.contains(pattern, regex=True).fillna(False).astype(bool), label)
    return out


def org_types(values: pd.Series) -> pd.Series:
    """Organisation types in the schema's vocabulary (rules in reference/org_types.csv); NA where given but
    not recognised (the caller reports them and reads them as Other), Other where not given."""
    types = classify(values, _org_type_rules())
    return types.mask(values.isna(), "Other")


def statuses(values: pd.Series) -> pd.Series:
    """Activity statuses in the schema's vocabulary; NA where given but not recognised (the caller reports
    them and reads them as "other"), NA where not given."""
    return classify(values, [(pattern, label) for label, pattern in STATUS_RULES])


def listing(values: list[str], limit: int = 10, quote: bool = True) -> str:
    """The first values, quoted, and how many more."""
    shown = ", ".join(f"'{v}'" if quote else str(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


# --- districts and rejections --------------------------------------------------------------------------------

def match_districts(places: pd.DataFrame, matcher: AdminMatcher) -> pd.DataFrame:
    """(adm2_pcode, adm1_pcode, method, reason) for each row of places (columns: district p-code, district
    name, province p-code, province name); the matcher is asked once per distinct place."""
    places = places.fillna("").astype(str).set_axis([f"given_{i}" for i in range(places.shape[1])], axis=1)
    keys = list(places.columns)
    distinct = places.drop_duplicates()
    matches = pd.DataFrame([astuple(matcher.district(*row)) for row in distinct.itertuples(index=False)],
                           columns=["adm2_pcode", "adm1_pcode", "method", "reason"], index=distinct.index)
    found = places.merge(distinct.join(matches), on=keys, how="left")
    return found[["adm2_pcode", "adm1_pcode", "method", "reason"]].set_axis(places.index)


def place_rows(table: pd.DataFrame, columns: dict[str, str | None], matcher: AdminMatcher) -> pd.DataFrame:
    """Each row's district as given (given_adm2_pcode, given_adm2_name, given_adm1_pcode, given_adm1_name) and
    as found (adm2_pcode, adm1_pcode, method, reason)."""
    fields = ("adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name")
    places = pd.DataFrame({f"given_{f}": text(table, columns[f]) for f in fields})
    return pd.concat([places, match_districts(places, matcher)], axis=1)


def warn_places(found: pd.DataFrame, report: Report) -> None:
    """One warning summarising the rows matched by district name, one for the rows whose province p-code is
    not their district's province."""
    by_name = found["method"] == "name"
    if by_name.any():
        pairs = ("'" + found.loc[by_name, "given_adm2_name"] + "' -> " + found.loc[by_name, "adm2_pcode"]).unique()
        report.warn(f"{count(by_name.sum(), 'row')} matched by district name: {listing(list(pairs), quote=False)}")
    given = found["given_adm1_pcode"].str.upper()
    other = found["adm1_pcode"].notna() & given.notna() & (given != found["adm1_pcode"])
    if other.any():
        pairs = sorted((given[other] + " for " + found.loc[other, "adm2_pcode"]).unique())
        report.warn(f"a province p-code other than the district's on {count(other.sum(), 'row')} (the "
                    f"district's is used): {listing(pairs, quote=False)}")


def count(n: int, noun: str) -> str:
    return f"{int(n)} {noun}{'' if n == 1 else 's'}"


def reject(report: Report, table: pd.DataFrame, keep: pd.Series, bad: pd.Series, column: str | pd.Series | None,
           values: pd.Series, reasons: pd.Series | str) -> pd.Series:
    """Reject the kept rows that are bad (each row at most once); the rows still kept. The column and the
    reason may differ by row (Series) or not (str)."""
    hit = keep & bad.fillna(False).astype(bool)
    for i in hit.index[hit]:
        value = values.at[i]
        name = column.at[i] if isinstance(column, pd.Series) else column
        reason = reasons if isinstance(reasons, str) else reasons.at[i]
        report.reject(table.at[i, "_row"], name or "", "" if pd.isna(value) else value, reason)
    return keep & ~hit


def district_source(columns: dict[str, str | None], found: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Where each row named its district: the p-code column when it gave a p-code, else the name column;
    and the value there."""
    code, name = found["given_adm2_pcode"], found["given_adm2_name"]
    column = pd.Series(columns["adm2_name"] or columns["adm2_pcode"], index=found.index, dtype=object)
    return column.mask(code.notna(), columns["adm2_pcode"]), code.fillna(name)


def reject_unplaced(report: Report, table: pd.DataFrame, keep: pd.Series, columns: dict[str, str | None],
                    found: pd.DataFrame) -> pd.Series:
    """Reject rows whose district was not found, with the matcher's reason."""
    column, value = district_source(columns, found)
    return reject(report, table, keep, found["adm2_pcode"].isna(), column, value, found["reason"])


# --- the reader ----------------------------------------------------------------------------------------------

def _partner_columns(keys: dict[str, str]) -> dict[str, str | None]:
    columns = locate(keys, PARTNER_FIELDS)
    by_header, _ = sex_age_by_header(keys)
    return {f: columns[f] or by_header.get(f) for f in columns}


def _has_partner_columns(keys: dict[str, str]) -> bool:
    c = _partner_columns(keys)
    return bool(c["org_name"] or c["org_acronym"]) and bool(c["adm2_pcode"] or c["adm2_name"])


def read_partners(path: str | Path, matcher: AdminMatcher) -> tuple[pd.DataFrame, Report]:
    """The activities table (schema.TABLES["activities"] columns and `_row`) and the report.

    A row is rejected when it names no organisation, when its district cannot be found, when its month
    cannot be read or when a count is not a number of 0 or more. Organisation types and statuses are mapped to
    the schema's vocabularies; district name matches and unknown types are reported as warnings.
    """
    path = Path(path)
    table, keys, warnings = read_sheet(path, _has_partner_columns)
    report = Report(file=path.name, rows_in=len(table))
    for warning in warnings:
        report.warn(warning)
    columns = _partner_columns(keys)
    if not (columns["org_name"] or columns["org_acronym"]):
        raise missing_column(report.file, "organisation", "'Organisation' or #org+name", table)
    if not (columns["adm2_pcode"] or columns["adm2_name"]):
        raise missing_column(report.file, "district", "'ADM2_PCODE', 'District' or #adm2+code", table)
    unclear = [c for c in sex_age_by_header(keys)[1] if c not in columns.values()]
    if unclear:
        report.warn(f"columns naming a sex/age group but not 'reached' or 'targeted' were not read: {listing(unclear)}")

    org_column = columns["org_name"] or columns["org_acronym"]
    org = text(table, columns["org_name"]).fillna(text(table, columns["org_acronym"]))
    found = place_rows(table, columns, matcher)
    months_given = text(table, columns["month"])
    months = parse_months(months_given)
    given = {field: text(table, columns[field]) for field in COUNTS}
    counts = {field: (values, *parse_counts(values)) for field, values in given.items()}

    keep = pd.Series(True, index=table.index)
    keep = reject(report, table, keep, org.isna(), org_column, org, "no organisation named")
    keep = reject_unplaced(report, table, keep, columns, found)
    keep = reject(report, table, keep, months_given.notna() & months.isna(), columns["month"], months_given,
                  "month not readable (expected e.g. 2026-03, 03/2026, Mar-2026 or March 2026)")
    for field, (given, _, reasons) in counts.items():
        keep = reject(report, table, keep, reasons.notna(), columns[field], given, reasons)
    report.rejected.sort(key=lambda r: r.row)

    kept = table[keep]
    warn_places(found[keep], report)
    out = pd.DataFrame({"org_name": org[keep], "org_acronym": text(kept, columns["org_acronym"])})
    out["org_type"] = _org_type(text(kept, columns["org_type"]), columns["org_type"], report)
    for field in ("donor", "sector", "activity"):
        out[field] = text(kept, columns[field])
    out["adm1_pcode"], out["adm2_pcode"] = found.loc[keep, "adm1_pcode"], found.loc[keep, "adm2_pcode"]
    out["admin_match"] = found.loc[keep, "method"]
    out["month"] = months[keep]
    out["status"] = _status(text(kept, columns["status"]), report)
    for field, (_, numbers, _) in counts.items():
        out[field] = whole(numbers[keep], columns[field], report)
    for measure in ("targeted", "reached"):
        _total_from_parts(out, measure, report)
    out["source"] = report.file
    frame = schema.validate("activities", out[list(schema.TABLES["activities"].columns)])
    return frame.assign(_row=kept["_row"].to_numpy()).reset_index(drop=True), report


def _org_type(given: pd.Series, column: str | None, report: Report) -> pd.Series:
    """Organisation types, warning about the unrecognised ones and the rows that give none."""
    types = org_types(given)
    unknown = types.isna()
    if unknown.any():
        report.warn(f"organisation types not recognised, read as Other: {listing(sorted(given[unknown].unique()))}")
    if column is None:
        report.warn("no organisation type column: all organisations read as Other")
    elif given.isna().any():
        report.warn(f"no organisation type on {count(given.isna().sum(), 'row')}: read as Other")
    return types.fillna("Other")


def _status(given: pd.Series, report: Report) -> pd.Series:
    """Activity statuses, warning about the unrecognised ones (read as "other")."""
    found = statuses(given)
    unknown = given.notna() & found.isna()
    if unknown.any():
        report.warn(f"statuses not recognised, read as other: {listing(sorted(given[unknown].unique()))}")
    return found.mask(unknown, "other")


def _total_from_parts(out: pd.DataFrame, measure: str, report: Report) -> None:
    """Where the total is missing but sex/age parts are given, the total is their sum (with a warning)."""
    parts = out[[f"{measure}_{g}" for g in schema.AGE_SEX]]
    fill = out[measure].isna() & parts.notna().any(axis=1)
    if fill.any():
        out.loc[fill, measure] = parts[fill].sum(axis=1, min_count=1).astype("Int64")
        report.warn(f"no total {measure} on {count(fill.sum(), 'row')}: the sum of girls, boys, women and men "
                    "is used")
