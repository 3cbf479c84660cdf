"""The canonical dataset: its tables, their columns and the vocabularies of coded values, defined once.

Every reader maps its source into these tables; `validate` checks a table against its schema before it is
written, so nothing downstream ever sees another shape. See docs/dataset.md for the meaning of each column.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pandera.pandas as pa

SCHEMA_VERSION = 2

# Files of a dataset folder.
MANIFEST = "manifest.json"
REJECTED = "rejected.csv"
AUDIT = "disclosure-audit.json"  # the disclosure audit's verdict on the build (python -m analysis disclosure-audit)
SOURCES = "sources"  # the files the dataset was built from, by role: sources/<role>/<file>
GEOMETRY = {"adm2": "geometry/adm2.json", "adm1": "geometry/adm1.json"}
REJECTED_COLUMNS = ["file", "row", "column", "value", "reason"]

# Vocabularies: the only values a coded column may hold (None = not reported).
TIERS = ("community", "primary", "secondary", "tertiary", "mobile", "other")
OWNERSHIP = ("public", "ngo", "community", "private", "other")
# Their words, as the filter bar shows them and the sentences naming a filter use them.
TIER_LABELS = {"community": "Community", "primary": "Primary", "secondary": "Secondary (hospital)",
               "tertiary": "Tertiary (hospital)", "mobile": "Mobile", "other": "Other"}
OWNERSHIP_LABELS = {"public": "Public", "ngo": "NGO", "community": "Community", "private": "Private", "other": "Other"}


def tier_words(tiers: tuple[str, ...]) -> str:
    """Facility types in a sentence: "primary or secondary (hospital)"; "" for none."""
    return " or ".join(TIER_LABELS.get(t, t).lower() for t in tiers)


def ownership_words(ownership: tuple[str, ...]) -> str:
    """Ownership in a sentence, after the facilities it qualifies: " (ngo or private ownership)"; "" for none."""
    return f" ({' or '.join(OWNERSHIP_LABELS.get(o, o).lower() for o in ownership)} ownership)" if ownership else ""
STATUS = ("existing", "planned", "closed")
BUILDING = ("not_damaged", "partially_damaged", "fully_damaged")
FUNCTIONALITY = ("full", "partial", "none")
ACCESSIBILITY = ("full", "partial", "none")
LOCATION_METHODS = (
    "point",  # the coordinates fall in the district (or within 1 km of it)
    "point_swapped",  # latitude and longitude were swapped in the source; swapped back
    "named_pcode",  # no usable coordinates: the row's admin2 p-code
    "named_name",  # no usable coordinates: the row's admin2 name, unique within its province
)
SERVICE_STATUS = (
    "available",
    "partial",
    "not_available",
    "not_normally_provided",  # excluded from availability denominators
    "stopped",  # not available because the questionnaire stopped (closed, destroyed, non-functioning...)
)
BARRIERS = ("staff", "training", "supplies", "equipment", "finance")
ORG_TYPES = ("UN", "INGO", "NNGO", "Government", "Red Cross/Red Crescent", "Private", "Other")
ADMIN_MATCH = ("pcode", "name")
ACTIVITY_STATUS = ("planned", "ongoing", "completed", "other")
AGE_SEX = ("f_children", "m_children", "f_adults", "m_adults")

_PCODE2 = pa.Column("string", pa.Check.str_length(min_value=3))
_PCODE1 = pa.Column("string", pa.Check.str_length(min_value=3))
_COUNT = pa.Column("Int64", pa.Check.ge(0), nullable=True)


def _coded(values: tuple[str, ...], nullable: bool = True) -> pa.Column:
    return pa.Column("string", pa.Check.isin(values), nullable=nullable)


TABLES: dict[str, pa.DataFrameSchema] = {
    "districts": pa.DataFrameSchema(
        {"adm2_pcode": _PCODE2, "adm2_name": pa.Column("string"), "adm1_pcode": _PCODE1,
         "adm1_name": pa.Column("string"), "area_km2": pa.Column("float64", pa.Check.ge(0)),
         r"adm\d_(pcode|name.*)": pa.Column("string", nullable=True, regex=True, required=False)},
        unique=["adm2_pcode"], coerce=True, strict=True),
    "provinces": pa.DataFrameSchema(
        {"adm1_pcode": _PCODE1, "adm1_name": pa.Column("string"), "area_km2": pa.Column("float64", pa.Check.ge(0))},
        unique=["adm1_pcode"], coerce=True, strict=True),
    "population": pa.DataFrameSchema(
        {"adm2_pcode": _PCODE2, "population": pa.Column("Int64", pa.Check.ge(0)),
         "population_female": _COUNT, "population_male": _COUNT},
        unique=["adm2_pcode"], coerce=True, strict=True),
    "rounds": pa.DataFrameSchema(
        {"round": pa.Column("string"), "report_date": pa.Column("datetime64[ns]")},
        unique=["round"], coerce=True, strict=True),
    "facilities": pa.DataFrameSchema(
        {
            "round": pa.Column("string"),
            "facility_id": pa.Column("string"),  # stable across rounds: the HeRAMS/MoSD code, else derived
            "code": pa.Column("string", nullable=True),  # the code as given in the source
            "name": pa.Column("string", nullable=True),
            "type": pa.Column("string", nullable=True),  # as given
            "tier": _coded(TIERS, nullable=False),
            "ownership": _coded(OWNERSHIP),
            "status": _coded(STATUS),
            "building": _coded(BUILDING),
            "functionality": _coded(FUNCTIONALITY),
            "accessibility": _coded(ACCESSIBILITY),
            "lat": pa.Column("float64", pa.Check.in_range(-90, 90), nullable=True),
            "lon": pa.Column("float64", pa.Check.in_range(-180, 180), nullable=True),
            "adm1_pcode": _PCODE1,
            "adm2_pcode": _PCODE2,
            "location_method": _coded(LOCATION_METHODS, nullable=False),
            "updated": pa.Column("datetime64[ns]", nullable=True),  # date of the update this round uses
            "source": pa.Column("string"),
        },
        unique=["round", "facility_id"], coerce=True, strict=True),
    "services": pa.DataFrameSchema(
        {
            "round": pa.Column("string"),
            "facility_id": pa.Column("string"),
            "service": pa.Column("string", pa.Check.str_matches(r"^QHeRAMS\d+$")),
            "status": _coded(SERVICE_STATUS, nullable=False),
            "barrier_1": _coded(BARRIERS),
            "barrier_2": _coded(BARRIERS),
            "barrier_3": _coded(BARRIERS),
        },
        unique=["round", "facility_id", "service"], coerce=True, strict=True),
    "service_catalogue": pa.DataFrameSchema(
        {"service": pa.Column("string"), "name": pa.Column("string"), "domain": pa.Column("string"),
         "domain_name": pa.Column("string")},
        unique=["service"], coerce=True, strict=True),
    "activities": pa.DataFrameSchema(
        {
            "org_name": pa.Column("string"),
            "org_acronym": pa.Column("string", nullable=True),
            "org_type": _coded(ORG_TYPES, nullable=False),
            "donor": pa.Column("string", nullable=True),
            "sector": pa.Column("string", nullable=True),
            "activity": pa.Column("string", nullable=True),
            "adm1_pcode": _PCODE1,
            "adm2_pcode": _PCODE2,
            "admin_match": _coded(ADMIN_MATCH, nullable=False),
            "month": pa.Column("datetime64[ns]", nullable=True),  # first day of the month reported
            "status": _coded(ACTIVITY_STATUS),
            "targeted": _COUNT, "reached": _COUNT,
            **{f"targeted_{g}": _COUNT for g in AGE_SEX},
            **{f"reached_{g}": _COUNT for g in AGE_SEX},
            "source": pa.Column("string"),
        },
        coerce=True, strict=True),
    "needs": pa.DataFrameSchema(
        {"adm2_pcode": _PCODE2, "sector": pa.Column("string"),  # "intersectoral" where not given
         "pin": _COUNT, "severity": pa.Column("Int64", pa.Check.in_range(1, 5), nullable=True)},
        unique=["adm2_pcode", "sector"], coerce=True, strict=True),
}

CATEGORICAL = {  # stored as categoricals: small on disk and in memory, fast to group
    "facilities": ["round", "tier", "ownership", "status", "building", "functionality", "accessibility",
                   "adm1_pcode", "adm2_pcode", "location_method", "source"],
    "services": ["round", "facility_id", "service", "status", "barrier_1", "barrier_2", "barrier_3"],
    "activities": ["org_type", "adm1_pcode", "adm2_pcode", "admin_match", "status", "source"],
}


def parquet_name(table: str) -> str:
    return f"{table}.parquet"


def empty(table: str) -> pd.DataFrame:
    """A table with the schema's columns and no row (a dataset without, say, partner data)."""
    schema = TABLES[table]
    columns = {name: pd.Series(dtype=str(column.dtype)) for name, column in schema.columns.items() if not column.regex}
    return pd.DataFrame(columns)


def validate(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame coerced to its schema; a mismatch is a bug in a reader, so it raises.

    A table whose columns are all categoricals (services: rounds x facilities x services rows) is checked on
    its distinct values and returned as stored: each column a categorical of the values it holds, sorted,
    as the schema's dtype (what coercing to the schema and then to "category" gives, without the strings).
    """
    checked = _validate_categorical(table, frame)
    return TABLES[table].validate(frame, lazy=True) if checked is None else checked


def _validate_categorical(table: str, frame: pd.DataFrame) -> pd.DataFrame | None:
    """`validate` of an all-categorical table by its categories and codes; None where it does not apply or
    finds a problem (the full validation then runs and raises with pandera's own report)."""
    schema = TABLES[table]
    columns = list(frame.columns)
    if (not len(frame) or columns != [c for c in schema.columns] or any(c.regex for c in schema.columns.values())
            or not all(isinstance(frame[c].dtype, pd.CategoricalDtype) for c in columns)):
        return None
    found = {c: _stored(frame[c], schema.columns[c]) for c in columns}
    stored = {c: s for c, s in found.items() if s is not None}
    if len(stored) < len(found):
        return None
    distinct = {c: [*s.cat.categories, *([None] if (s.cat.codes < 0).any() else [])] for c, s in stored.items()}
    longest = max(len(v) for v in distinct.values())
    proxy = pd.DataFrame({c: v + v[:1] * (longest - len(v)) for c, v in distinct.items()})  # padded: same checks
    checks = copy.copy(schema)
    checks.unique = None
    try:
        checks.validate(proxy, lazy=True)
    except (pa.errors.SchemaError, pa.errors.SchemaErrors):
        return None
    if schema.unique and _duplicated([stored[c] for c in schema.unique]):
        return None
    return pd.DataFrame(stored, index=frame.index)


def _stored(values: pd.Series, column: pa.Column) -> pd.Series | None:
    """A categorical as coercing it to its column's dtype then to "category" stores it: the categories it uses,
    sorted, of that dtype."""
    codes = values.cat.codes.to_numpy().astype("int32")
    used = np.flatnonzero(np.bincount(codes + 1, minlength=len(values.cat.categories) + 1)[1:])
    names = pd.Index(column.coerce_dtype(pd.Series(values.cat.categories[used])))
    if not names.is_unique or names.hasnans:
        return None
    order = np.argsort(names.to_numpy(dtype=object), kind="stable")
    dtype = pd.CategoricalDtype(names[order])
    recode = np.full(len(values.cat.categories) + 1, -1, dtype=pd.Categorical([], dtype=dtype).codes.dtype)
    recode[used[order] + 1] = np.arange(len(order))  # old code + 1 -> new code; -1 (NA) stays
    return pd.Series(pd.Categorical.from_codes(recode[codes + 1], dtype=dtype), index=values.index, name=values.name)


def _duplicated(columns: list[pd.Series]) -> bool:
    """Whether two rows hold the same values in all these categoricals (their codes as one integer, sorted)."""
    sizes = [len(column.cat.categories) + 1 for column in columns]
    radix = int(np.prod(sizes, dtype=object))
    if radix >= 2**62:
        return True  # too many combinations for one integer key: let the full check decide
    key = np.zeros(len(columns[0]), dtype="int32" if radix < 2**31 else "int64")
    for column, size in zip(columns, sizes):
        key = key * size + (column.cat.codes.to_numpy().astype(key.dtype) + 1)
    key.sort()
    return bool((key[1:] == key[:-1]).any())
