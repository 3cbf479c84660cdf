"""The canonical dataset: its tables, their columns and the vocabularies of coded values, defined once.

Every reader maps its source into these tables; `validate` checks a table against its schema before it is
written, so nothing downstream ever sees another shape. See docs/dataset.md for the meaning of each column.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

SCHEMA_VERSION = 2

# Files of a dataset folder.
MANIFEST = "manifest.json"
REJECTED = "rejected.csv"
SOURCES = "sources"  # the files the dataset was built from, by role: sources/<role>/<file>
GEOMETRY = {"adm2": "geometry/adm2.json", "adm1": "geometry/adm1.json"}
REJECTED_COLUMNS = ["file", "row", "column", "value", "reason"]

# Vocabularies: the only values a coded column may hold (None = not reported).
TIERS = ("community", "primary", "secondary", "tertiary", "mobile", "other")
OWNERSHIP = ("public", "ngo", "community", "private", "other")
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
    """The frame coerced to its schema; a mismatch is a bug in a reader, so it raises."""
    return TABLES[table].validate(frame, lazy=True)
