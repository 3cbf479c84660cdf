"""Partner coverage: who works where, where partners pile up (duplication) and where needs have none (gaps).

Every function reads the filter's partner activities (the round's months, provinces, organisation types and
activities chosen) through analysis.filters.activities, so the map, the lists and the exports agree.
"""

from __future__ import annotations

import pandas as pd

from analysis import filters, standards
from analysis.filters import Filter
from data.dataset import Dataset

NAME_COLUMNS = ["adm2_pcode", "adm2_name", "adm1_name"]


def slug(names: pd.Series) -> pd.Series:
    """Column-safe ids for activity names: ASCII lower case, runs of other characters as "_"."""
    ascii_names = names.astype("string").str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    return ascii_names.str.lower().str.replace(r"[^a-z0-9]+", "_", regex=True).str.strip("_")


def partner_indicators(dataset: Dataset, chosen: Filter, shortfall: pd.Series | None = None) -> pd.DataFrame:
    """One row per district of the filter (with or without partners): partners, reach, duplication and gaps.

    `shortfall` is the facility shortfall (phc_gap) by adm2_pcode; a district short of facilities has a need
    even when the HNO severity is low.
    """
    districts = filters.districts(dataset, chosen)[["adm2_pcode"]].astype({"adm2_pcode": "string"})
    table = _activities(dataset, chosen)
    by_district = table.groupby("adm2_pcode")
    totals = pd.DataFrame({
        "partners": by_district["org_name"].nunique(),
        "reached": by_district["reached"].sum(min_count=1),
        "targeted": by_district["targeted"].sum(min_count=1),
    })
    named = table.dropna(subset=["activity"])
    names = named["activity"].unique()
    slugs = dict(zip(names, slug(pd.Series(names, dtype="string"))))  # each name once, not each row
    per_activity = (named.assign(activity=named["activity"].map(slugs))
                    .groupby(["adm2_pcode", "activity"])["org_name"].nunique().unstack("activity"))
    per_activity = per_activity.reindex(columns=sorted(per_activity.columns))
    per_activity = per_activity.add_prefix("partners_").rename_axis(columns=None)
    cells = named.groupby(["adm2_pcode", "activity"])["org_name"].nunique()  # organisations per cell
    duplicated = (cells >= _threshold()).groupby(level="adm2_pcode").sum()
    duplicated = duplicated[duplicated > 0]

    out = districts.merge(totals, left_on="adm2_pcode", right_index=True, how="left")
    out = out.merge(per_activity, left_on="adm2_pcode", right_index=True, how="left")
    partner_columns = ["partners", *per_activity.columns]
    out[partner_columns] = out[partner_columns].fillna(0).astype("Int64")
    out["reached"] = out["reached"].astype("Int64")
    out["targeted"] = out["targeted"].astype("Int64")
    out["pct_reached"] = 100 * out["reached"].astype("Float64") / out["targeted"].where(out["targeted"] > 0)
    out["duplication"] = out["adm2_pcode"].map(duplicated).fillna(0).astype("Int64")

    out["need_reason"] = _need_reason(dataset, out["adm2_pcode"], shortfall)
    out["need"] = out["need_reason"].notna()
    out["uncovered"] = out["need"] & (out["partners"] == 0).astype(bool)
    columns = ["adm2_pcode", *partner_columns, "reached", "targeted", "pct_reached", "duplication", "uncovered",
               "need", "need_reason"]
    return out[columns].sort_values("adm2_pcode").reset_index(drop=True)


def coverage_matrix(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """Per district and activity: how many organisations, which ones, and the people they reached.

    Rows without an activity name have no cell here (they still count in `partners`).
    """
    matrix = _per_activity(_activities(dataset, chosen))
    names = filters.districts(dataset, chosen)[NAME_COLUMNS].astype("string")
    matrix = names.merge(matrix, on="adm2_pcode")
    columns = [*NAME_COLUMNS, "activity", "partners", "organisations", "reached", "targeted"]
    return matrix[columns].sort_values(["adm2_pcode", "activity"]).reset_index(drop=True)


def duplication_list(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """The district-activity cells with at least the duplication threshold of organisations, most crowded first."""
    matrix = coverage_matrix(dataset, chosen)
    crowded = matrix[matrix["partners"] >= _threshold()]
    return crowded.sort_values(["partners", "adm2_name", "activity"], ascending=[False, True, True],
                               ignore_index=True)


def gap_list(dataset: Dataset, chosen: Filter, shortfall: pd.Series | None = None) -> pd.DataFrame:
    """Districts with a need and no partner, the most severe (then the most people in need) first."""
    indicators = partner_indicators(dataset, chosen, shortfall)
    uncovered = indicators.loc[indicators["uncovered"], ["adm2_pcode", "need_reason"]]
    names = filters.districts(dataset, chosen)[NAME_COLUMNS].astype("string")
    gaps = names.merge(uncovered, on="adm2_pcode").merge(_severity(dataset), on="adm2_pcode", how="left")
    gaps = gaps.sort_values(["severity", "pin", "adm2_pcode"], ascending=[False, False, True], na_position="last")
    return gaps[[*NAME_COLUMNS, "need_reason", "severity", "pin"]].reset_index(drop=True)


def who_is_where(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """Per organisation: where it works, what it does and whom it reached, the widest presence first."""
    table = _activities(dataset, chosen)
    by_org = table.groupby("org_name")
    out = pd.DataFrame({
        "org_acronym": by_org["org_acronym"].first(),
        "org_type": by_org["org_type"].first(),
        "districts": by_org["adm2_pcode"].nunique(),
        "provinces": by_org["adm1_pcode"].nunique(),
        "activities": _joined(table, "org_name", "activity"),
        "reached": by_org["reached"].sum(min_count=1).astype("Int64"),
    }).rename_axis("org_name").reset_index()
    out["activities"] = out["activities"].fillna("")
    return out.sort_values(["districts", "org_name"], ascending=[False, True], ignore_index=True)


def _activities(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """The filter's activities in the round's months, with plain (not categorical) codes for grouping."""
    table = filters.activities(dataset, chosen, months=int(standards.value("round_months")))
    codes = {"adm1_pcode": "string", "adm2_pcode": "string", "org_type": "string"}
    return table.astype(codes)


def _per_activity(table: pd.DataFrame) -> pd.DataFrame:
    """District x activity cells: distinct organisations, their sorted labels, reached and targeted."""
    named = table.dropna(subset=["activity"]).assign(label=lambda t: t["org_acronym"].fillna(t["org_name"]))
    cell = ["adm2_pcode", "activity"]
    by_cell = named.groupby(cell)
    out = pd.DataFrame({
        "partners": by_cell["org_name"].nunique(),
        "organisations": _joined(named.drop_duplicates([*cell, "org_name"]), cell, "label"),
        "reached": by_cell["reached"].sum(min_count=1),
        "targeted": by_cell["targeted"].sum(min_count=1),
    }).reset_index()
    return out.astype({"partners": "Int64", "reached": "Int64", "targeted": "Int64"})


def _joined(table: pd.DataFrame, by: str | list[str], column: str) -> pd.Series:
    """The distinct values of `column` per group, sorted and "; "-joined."""
    values = table[table[column].notna()]
    keys = [by] if isinstance(by, str) else by
    values = values.drop_duplicates([*keys, column]).sort_values(column)
    return values.groupby(by)[column].agg("; ".join)


def _severity(dataset: Dataset) -> pd.DataFrame:
    """HNO severity and people in need per district: the intersectoral row, else the highest sector's.
    Computed once per dataset (every partner table asks for it); callers must not modify it."""
    if "severity" not in dataset.derived:
        dataset.derived["severity"] = _severity_table(dataset)
    return dataset.derived["severity"]


def _severity_table(dataset: Dataset) -> pd.DataFrame:
    needs = dataset.needs.astype({"adm2_pcode": "string"})
    overall = needs["sector"].astype("string").str.lower() == "intersectoral"
    columns = ["severity", "pin"]
    intersectoral = needs[overall].groupby("adm2_pcode")[columns].max()
    sectors = needs[~overall].groupby("adm2_pcode")[columns].max()
    return intersectoral.combine_first(sectors).astype("Int64").reset_index()


def _need_reason(dataset: Dataset, districts: pd.Series, shortfall: pd.Series | None) -> pd.Series:
    """Why each district has a need (HNO severity at the threshold, a facility shortfall, both), NA if none."""
    severity = districts.map(_severity(dataset).set_index("adm2_pcode")["severity"]).astype("Int64")
    gap = districts.map(shortfall if shortfall is not None else pd.Series(dtype="Float64")).astype("Float64")
    by_severity = ("severity " + severity.astype("string")).where((severity >= standards.value("need_severity")).fillna(False))
    gap_text = gap.round(1).astype("string").str.removesuffix(".0")
    by_gap = ("facility shortfall of " + gap_text).where((gap > 0).fillna(False))
    reason = (by_severity + "; " + by_gap).fillna(by_severity).fillna(by_gap)
    return reason.astype("string")


def _threshold() -> float:
    return standards.value("duplication_partners")
