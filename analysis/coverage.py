"""Partner coverage: who works where, where partners pile up (duplication) and where needs have none (gaps).

Every function reads the filter's partner activities (the round's months, provinces, organisation types and
activities chosen) through analysis.filters.activities (or its row mask, activity_mask), so the map, the lists
and the exports agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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
    even when the HNO severity is low. Counts distinct organisations on integer codes (partner_base).
    """
    base = partner_base(dataset)
    keep = filters.district_mask(dataset, chosen)[base.order]
    rows = filters.activity_mask(dataset, chosen, months=int(standards.value("round_months"))) & base.located
    named = rows & (base.slug >= 0)
    slugs = np.unique(base.slug[named])  # the activities of the filter, in slug order
    inside = rows & (base.district >= 0)
    district, org = base.district[inside], base.org[inside]
    districts = len(base.pcodes)
    in_named = named[inside]
    cell = district[in_named] * len(base.slugs) + base.slug[named & inside]
    per_activity = _distinct_orgs(cell, org[in_named], districts * len(base.slugs)).reshape(districts, -1)[:, slugs]
    cell = district[in_named] * base.activities + base.activity[named & inside]  # duplication: per activity name
    cells = _distinct_orgs(cell, org[in_named], districts * base.activities).reshape(districts, base.activities)
    duplication = (cells >= _threshold()).sum(axis=1)

    pcodes = base.pcodes[keep].reset_index(drop=True)
    partners = _distinct_orgs(district, org, districts)[keep]
    reached = _total(base.reached[inside], base.reached_given[inside], district, districts)[keep]
    targeted = _total(base.targeted[inside], base.targeted_given[inside], district, districts)[keep]
    reason = _need_reason(pcodes, base.severity[keep], shortfall)
    need = reason.notna().to_numpy()
    return pd.DataFrame({  # built at once: adding columns one by one costs more than computing them
        "adm2_pcode": pcodes.array,
        "partners": pd.array(partners, dtype="Int64"),
        **{f"partners_{base.slugs[code]}": pd.array(per_activity[keep, i], dtype="Int64")
           for i, code in enumerate(slugs)},
        "reached": reached,
        "targeted": targeted,
        "pct_reached": share_reached(reached, targeted),
        "duplication": pd.array(duplication[keep], dtype="Int64"),
        "uncovered": need & (partners == 0),
        "need": need,
        "need_reason": reason.array,
    })


@dataclass(frozen=True)
class PartnerBase:
    """The activity rows of a dataset as integer codes (see partner_base)."""

    order: np.ndarray  # positions of dataset.districts sorted by p-code: district i below is row order[i]
    pcodes: pd.Series  # the sorted p-codes ("string")
    severity: np.ndarray  # HNO severity of each district (NaN where none)
    located: np.ndarray  # per activity row: has a district p-code (groups are per district)
    district: np.ndarray  # per activity row: position of its district, -1 where the dataset has no such district
    org: np.ndarray  # per activity row: organisation code, -1 where missing
    activity: np.ndarray  # per activity row: activity name code, -1 where missing (duplication is per name)
    activities: int  # how many activity names
    slug: np.ndarray  # per activity row: position of the activity's slug in `slugs`, -1 where missing
    slugs: list[str]  # sorted
    reached: np.ndarray  # per activity row, people reached (int64) ...
    reached_given: np.ndarray  # ... where given
    targeted: np.ndarray
    targeted_given: np.ndarray


def partner_base(dataset: Dataset) -> PartnerBase:
    """The integer codes every partner table of the dataset counts on, kept with the dataset: a filter then
    masks rows and counts distinct codes. Callers must not modify it."""
    if "partner_base" not in dataset.derived:
        dataset.derived["partner_base"] = _partner_base(dataset)
    return dataset.derived["partner_base"]


def _partner_base(dataset: Dataset) -> PartnerBase:
    order = filters.district_order(dataset)
    pcodes = dataset.districts["adm2_pcode"].iloc[order].astype("string").reset_index(drop=True)
    severity = pcodes.map(_severity(dataset).set_index("adm2_pcode")["severity"]).astype("Int64")
    table = dataset.activities
    reached, targeted = table["reached"].astype("Int64"), table["targeted"].astype("Int64")
    located = table["adm2_pcode"].notna().to_numpy()
    district = pd.Index(pcodes).get_indexer(table["adm2_pcode"].astype("string"))
    activity, names = pd.factorize(table["activity"])
    slugs = slug(pd.Series(names, dtype="string")).tolist()  # each name once, not each row
    ordered = sorted(set(slugs))
    slug_code = np.append(pd.Index(ordered).get_indexer(slugs), -1)[activity]  # code -1 (missing) takes the last
    return PartnerBase(order=order, pcodes=pcodes, severity=severity.to_numpy("float64", na_value=np.nan),
                       located=located, district=np.where(located, district, -1),
                       org=pd.factorize(table["org_name"])[0], activity=activity, activities=len(names),
                       slug=slug_code, slugs=ordered, reached=reached.to_numpy("int64", na_value=0),
                       reached_given=reached.notna().to_numpy(), targeted=targeted.to_numpy("int64", na_value=0),
                       targeted_given=targeted.notna().to_numpy())


def _distinct_orgs(group: np.ndarray, org: np.ndarray, groups: int) -> np.ndarray:
    """Per group 0..groups-1, how many distinct organisations (code >= 0) its rows name."""
    known, orgs = org >= 0, org.max(initial=0) + 1
    return np.bincount(np.unique(group[known] * orgs + org[known]) // orgs, minlength=groups)


def _total(values: np.ndarray, given: np.ndarray, group: np.ndarray, groups: int) -> pd.arrays.IntegerArray:
    """Per group, the sum of the values given (Int64); missing where none is given."""
    sums = np.bincount(group[given], weights=values[given], minlength=groups)
    return pd.arrays.IntegerArray(sums.astype("int64"), np.bincount(group[given], minlength=groups) == 0)


def share_reached(reached, targeted) -> pd.arrays.FloatingArray:
    """The share of people targeted who were reached, in %: 100 * reached / targeted (Float64), missing where
    either is missing or nobody is targeted. The one definition: the district table's pct_reached and the
    partners page's share per activity both use it, each over its own rows."""
    part, whole = pd.array(reached, dtype="Float64"), pd.array(targeted, dtype="Float64")
    counted = whole.to_numpy("float64", na_value=1.0)
    missing = np.asarray(part.isna() | whole.isna()) | ~(counted > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = 100 * part.to_numpy("float64", na_value=0.0) / counted
    return pd.arrays.FloatingArray(values, missing)


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


def _need_reason(districts: pd.Series, severity: np.ndarray, shortfall: pd.Series | None) -> pd.Series:
    """Why each district has a need (HNO severity at the threshold, a facility shortfall, both), NA if none.
    `severity` (NaN where none) is aligned with `districts`; `shortfall` is by p-code. One string per district."""
    gap = districts.map(shortfall) if shortfall is not None else pd.Series(index=districts.index, dtype="Float64")
    gap = gap.astype("Float64").to_numpy("float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        by_severity, by_gap = severity >= standards.value("need_severity"), gap > 0
    reasons = []
    for value, shortage, with_severity, with_gap in zip(severity.tolist(), np.round(gap, 1).tolist(), by_severity,
                                                        by_gap):
        parts = ([f"severity {value:.0f}"] if with_severity else []) + (
            [f"facility shortfall of {str(shortage).removesuffix('.0')}"] if with_gap else [])
        reasons.append("; ".join(parts) or None)
    return pd.Series(reasons, index=districts.index, dtype="string")


def _threshold() -> float:
    return standards.value("duplication_partners")
