"""What the public may ask, and the one protected table every public figure comes from.

Suppression worked out per request, for that request's filter alone, can be undone by subtracting two public
answers (all facilities minus all types but one; two provinces minus one). So the public view publishes, per
round, one protected table, the way a statistical office does:

- its cells are districts, each with all its facilities (every type and ownership together): the public cannot
  break a cell down by facility type or ownership (`public_filter`), since nearly every such part is small;
- a cell of fewer than the threshold of facilities is withheld, and with it the next smallest districts of its
  province (analysis/suppression.py), once for the round, whatever the question;
- every public figure is a published cell, or a sum of published cells: a province, several provinces or the
  country leave the withheld districts out and say so (`published_provinces`, `published_districts`). A
  difference of two public answers is then a difference of sums of published cells: never a withheld one.

Facility counts stay public (a count says nothing of how a facility works); every figure about the facilities
(functionality, damage, access, services, barriers, scores) follows the rule. `python -m analysis
disclosure-audit` plays the attacker over the whole public query space (analysis/audit.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.catalogue import DOMAINS, INDICATORS
from analysis.districts import district_table
from analysis.filters import Filter
from analysis.indicators import change_between_rounds, facility_base, province_indicators_within
from analysis.services import service_answers
from analysis.suppression import SUPPRESSED, WITHHELD, flags, suppress_rows, withheld_masks
from data.dataset import Dataset

BREAKDOWNS = ("tiers", "ownership")  # filter fields only a coordinator may use: they split a district's cell
FACILITY_BASED = [i.id for i in INDICATORS.values() if i.facility_based]
DOMAIN_FIGURES = tuple(f"availability_{domain}" for domain in DOMAINS)  # a summary of services needs them all


def public_filter(chosen: Filter) -> Filter:
    """The filter as the public may ask it: every facility type and ownership (a cell is never split)."""
    if not any(getattr(chosen, name) for name in BREAKDOWNS):
        return chosen
    every: dict[str, Any] = {name: () for name in BREAKDOWNS}  # Filter fields named at run time
    return replace(chosen, **every)


def public_view(view):
    """A view (any dataclass with the filter's fields) without the breakdowns the public may not ask for."""
    if not any(getattr(view, name) for name in BREAKDOWNS):
        return view
    return replace(view, **{name: () for name in BREAKDOWNS})


def breakdown_note() -> str:
    """What the public view says where a coordinator would find the facility type and ownership filters."""
    return ("Facility type and ownership: coordinators only. The public view shows every figure for all "
            "facilities of a district together, so that no small group of facilities can be worked out.")


def published_districts(table: pd.DataFrame, *indicators: str) -> set[str]:
    """The p-codes of a public district table whose facility-based figures are published (and each of
    `indicators`, some of which a district may withhold alone: analysis.suppression.withhold_breakdowns)."""
    hidden = flags(table).to_numpy()
    alone = withheld_masks(table) if indicators else {}  # read once for all the indicators
    for indicator in indicators:
        hidden = hidden | alone.get(indicator, False)
    return set(table.loc[~hidden, "adm2_pcode"].astype(str))


def published_provinces(dataset: Dataset, chosen: Filter, table: pd.DataFrame) -> pd.DataFrame:
    """Province rows as the public sees them, from `table` (the public district table of `chosen`).

    Population, needs and counts of facilities cover every district of the province; every facility-based
    figure covers the published districts only (their facilities, their population), so it is a sum of
    published cells. A province with no published district has them withheld (flag `suppressed`)."""
    chosen = public_filter(chosen)
    codes = facility_base(dataset).districts["adm2_pcode"]
    hidden, alone = flags(table).to_numpy(), withheld_masks(table)
    sets: dict[bytes, list[str]] = {}  # the districts each figure is published in: one set for most, its own
    shown: dict[bytes, np.ndarray] = {}  # where one is withheld alone
    for column in (c for c in FACILITY_BASED if c in table):
        mask = ~(hidden | alone.get(column, False))
        sets.setdefault(mask.tobytes(), []).append(column)
        shown[mask.tobytes()] = mask
    positions = pd.Index(codes.astype(str)).get_indexer(table["adm2_pcode"].astype(str))  # table row -> district
    masks = []
    for key in sets:
        within = np.zeros(len(codes), dtype=bool)
        within[positions[shown[key] & (positions >= 0)]] = True
        masks.append(within)
    full, *parts = province_indicators_within(dataset, chosen, masks)  # the counts summed once
    out = full  # made for this call: changed in place
    withheld = np.full(len(out), "", dtype=object)
    for part, figures in zip(parts, sets.values()):
        counted = part["facilities"].fillna(0).to_numpy() > 0
        for column in figures:
            out[column] = part[column].to_numpy()
        empty = ~counted & (full["facilities"].fillna(0).to_numpy() > 0)
        withheld[empty] = [f"{w};{';'.join(figures)}".lstrip(";") for w in withheld[empty]]
    out[SUPPRESSED] = ["functional" in w.split(";") for w in withheld]  # no published district at all
    out[WITHHELD] = withheld
    return out


def public_districts(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """The protected table's cells for a filter: the district table of all facilities, small cells withheld."""
    return district_table(dataset, public_filter(chosen), suppressed=True)


def public_service_answers(dataset: Dataset, chosen: Filter, table: pd.DataFrame) -> pd.DataFrame:
    """The service answers the public's summaries count: all facilities of the published districts of `table`
    (the public district table of `chosen`)."""
    return service_answers(dataset, public_filter(chosen), published_districts(table, *DOMAIN_FIGURES))


def public_change(dataset: Dataset, chosen: Filter, before: str, after: str, indicator: str,
                  tables: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    """change_between_rounds as the public sees it: all facilities, and a district withheld in either round
    (`tables`: the public district tables of both rounds) blank and flagged `suppressed`."""
    table = change_between_rounds(dataset, public_filter(chosen), before, after, indicator)
    hidden = set().union(*(set(t.loc[flags(t, indicator), "adm2_pcode"].astype(str)) for t in tables))
    return suppress_rows(table, table["adm2_pcode"].astype(str).isin(hidden), ["before", "after", "change"])
