"""The filter every analysis takes: which round, provinces, facilities, services and partners count.

Stable ids are used in the URL, the exports and the code alike; an empty tuple means "all".
"""

from __future__ import annotations

from dataclasses import dataclass

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
    return table[table["adm1_pcode"].isin(chosen.admin1)] if chosen.admin1 else table


def facilities(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """The facilities of the round, provinces, tiers and ownership chosen."""
    table = dataset.facilities
    keep = _in_round(table, round_of(dataset, chosen))
    if chosen.admin1:
        keep &= table["adm1_pcode"].isin(chosen.admin1)
    if chosen.tiers:
        keep &= table["tier"].isin(chosen.tiers)
    if chosen.ownership:
        keep &= table["ownership"].isin(chosen.ownership)
    return table[keep]


def services(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """Service rows of the chosen facilities (and domain), with the facility's district and tier."""
    chosen_facilities = facilities(dataset, chosen)[["round", "facility_id", "adm2_pcode", "tier", "status"]]
    table = dataset.services
    if chosen.domain:
        in_domain = dataset.service_catalogue.loc[dataset.service_catalogue["domain"] == chosen.domain, "service"]
        table = table[table["service"].isin(in_domain)]
    table = table[_in_round(table, round_of(dataset, chosen))]
    return table.merge(chosen_facilities.rename(columns={"status": "facility_status"}), on=["round", "facility_id"])


def _in_round(table: pd.DataFrame, chosen_round: str | None) -> pd.Series:
    """Rows of the round; compares the categorical codes, not 1.4 million strings."""
    column = table["round"]
    if chosen_round is None:
        return pd.Series(False, index=table.index)
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories.astype(str)
        return pd.Series(column.cat.codes.to_numpy() == categories.get_indexer([chosen_round])[0]
                         if chosen_round in categories else False, index=table.index)
    return column.astype(str) == chosen_round


def activities(dataset: Dataset, chosen: Filter, months: int) -> pd.DataFrame:
    """Partner activities of the `months` months up to the round's report date (undated rows always count)."""
    table = dataset.activities
    chosen_round = round_of(dataset, chosen)
    if chosen_round and len(table):
        end = pd.Timestamp(chosen_round)
        start = (end - pd.DateOffset(months=months)).replace(day=1) + pd.DateOffset(months=1)
        month = table["month"]
        table = table[month.isna() | ((month >= start) & (month <= end))]
    if chosen.admin1:
        table = table[table["adm1_pcode"].isin(chosen.admin1)]
    if chosen.org_types:
        table = table[table["org_type"].isin(chosen.org_types)]
    if chosen.activities:
        table = table[table["activity"].isin(chosen.activities)]
    return table
