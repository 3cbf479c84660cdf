"""The filter every analysis takes: which round, provinces, facilities, services and partners count.

Stable ids are used in the URL, the exports and the code alike; an empty tuple means "all".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.dataset import Dataset


@dataclass(frozen=True)
class Filter:
    round: str | None = None  # "YYYY-MM-DD" report date; None = the latest round
    admin1: tuple[str, ...] = ()  # province p-codes
    tiers: tuple[str, ...] = ()  # facility tiers (data.schema.TIERS)
    ownership: tuple[str, ...] = ()  # data.schema.OWNERSHIP
    domain: str | None = None  # service domain id (service_catalogue.domain); None = all services
    org_types: tuple[str, ...] = ()  # data.schema.ORG_TYPES
    activities: tuple[str, ...] = ()  # activity names as reported


def round_of(dataset: Dataset, chosen: Filter) -> str | None:
    """The round the filter names, or the latest; None when the dataset has no facility data."""
    rounds = dataset.rounds["round"].astype(str).tolist()
    if chosen.round in rounds:
        return chosen.round
    return rounds[-1] if rounds else None


def districts(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    table = dataset.districts
    return table[district_mask(dataset, chosen)] if chosen.admin1 else table


def district_order(dataset: Dataset) -> np.ndarray:
    """Positions of dataset.districts in p-code order: the row order of every district table."""
    return np.argsort(dataset.districts["adm2_pcode"].astype(str).to_numpy(), kind="stable")


def district_mask(dataset: Dataset, chosen: Filter) -> np.ndarray:
    """Which rows of dataset.districts the filter keeps (its provinces), as a boolean array."""
    table = dataset.districts
    return _isin(table["adm1_pcode"], chosen.admin1) if chosen.admin1 else np.ones(len(table), dtype=bool)


def facilities(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """The facilities of the round, provinces, tiers and ownership chosen."""
    return dataset.facilities[facility_mask(dataset, chosen)]


def facility_mask(dataset: Dataset, chosen: Filter) -> np.ndarray:
    """Which rows of dataset.facilities the filter keeps, as a boolean array (the analyses sum by position)."""
    table = dataset.facilities
    keep = _in_round(table, round_of(dataset, chosen))
    for column, values in (("adm1_pcode", chosen.admin1), ("tier", chosen.tiers), ("ownership", chosen.ownership)):
        if values:
            keep = keep & _isin(table[column], values)
    return keep


def services(dataset: Dataset, chosen: Filter, districts: set[str] | None = None) -> pd.DataFrame:
    """Service rows of the chosen facilities (and domain), with the facility's district and tier; only those of
    `districts` when given (the public's published districts), left out before the rows are paired."""
    chosen_facilities = facilities(dataset, chosen)[["round", "facility_id", "adm2_pcode", "tier", "status"]]
    if districts is not None:
        chosen_facilities = chosen_facilities[chosen_facilities["adm2_pcode"].isin(districts).to_numpy()]
    table = dataset.services
    if chosen.domain:
        in_domain = dataset.service_catalogue.loc[dataset.service_catalogue["domain"] == chosen.domain, "service"]
        table = table[table["service"].isin(in_domain)]
    table = table[_in_round(table, round_of(dataset, chosen))]
    return table.merge(chosen_facilities.rename(columns={"status": "facility_status"}), on=["round", "facility_id"])


def _in_round(table: pd.DataFrame, chosen_round: str | None) -> np.ndarray:
    """Rows of the round, as a boolean array; compares the categorical codes, not 1.4 million strings."""
    column = table["round"]
    if chosen_round is None:
        return np.zeros(len(table), dtype=bool)
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories.astype(str)
        if chosen_round not in categories:
            return np.zeros(len(table), dtype=bool)
        return column.cat.codes.to_numpy() == categories.get_indexer([chosen_round])[0]
    return (column.astype(str) == chosen_round).to_numpy()


def _isin(column: pd.Series, values: tuple[str, ...]) -> np.ndarray:
    """column.isin(values) as a boolean array; on a categorical, one look-up per category, not per row."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return np.append(column.cat.categories.isin(values), False)[column.cat.codes.to_numpy()]  # code -1: NA
    return column.isin(values).to_numpy()


def activities(dataset: Dataset, chosen: Filter, months: int) -> pd.DataFrame:
    """Partner activities of the `months` months up to the round's report date (undated rows always count)."""
    return dataset.activities[activity_mask(dataset, chosen, months)]


def activity_mask(dataset: Dataset, chosen: Filter, months: int) -> np.ndarray:
    """Which rows of dataset.activities `activities` keeps, as a boolean array."""
    table = dataset.activities
    keep = np.ones(len(table), dtype=bool)
    chosen_round = round_of(dataset, chosen)
    if chosen_round and len(table):
        end = pd.Timestamp(chosen_round)
        start = (end - pd.DateOffset(months=months)).replace(day=1) + pd.DateOffset(months=1)
        month = table["month"].to_numpy("datetime64[ns]")  # NaT: undated
        keep = keep & (np.isnat(month) | ((month >= start.to_datetime64()) & (month <= end.to_datetime64())))
    for column, values in (("adm1_pcode", chosen.admin1), ("org_type", chosen.org_types),
                           ("activity", chosen.activities)):
        if values:
            keep = keep & _isin(table[column], values)
    return keep
