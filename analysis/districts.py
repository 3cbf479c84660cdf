"""The district table: one row per district, every district indicator of the catalogue as a column.

The overview, the exports and the priority ranking all read this one table, so a number is the same
wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.coverage import partner_base, partner_indicators
from analysis.filters import Filter
from analysis.indicators import facility_base, facility_groups, facility_indicators, facility_summary
from analysis.suppression import SUPPRESSED, WITHHELD, suppress, withhold_breakdowns
from data.dataset import Dataset

NAME_COLUMNS = ["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name"]


def district_table(dataset: Dataset, chosen: Filter, suppressed: bool = False) -> pd.DataFrame:
    """Names, facility and service indicators, then partner indicators, sorted by p-code.

    A district without population or facilities keeps its row with missing values: "no data", never 0.
    Partner need uses the facility shortfall (phc_gap) of the same filter. `suppressed` (the public view):
    small cells are withheld (analysis/suppression.py) before the need is derived, so a need never tells a
    withheld shortfall; the flag column `suppressed` comes last.
    """
    facilities = protected(dataset, chosen) if suppressed else facility_indicators(dataset, chosen)
    pcodes = facilities["adm2_pcode"].astype(str)
    if pcodes.dtype != facilities["adm2_pcode"].dtype:
        facilities = facilities.assign(adm2_pcode=pcodes)
    shortfall = pd.Series(facilities["phc_gap"].array, index=pcodes) if "phc_gap" in facilities else None
    partners = partner_indicators(dataset, chosen, shortfall=shortfall)
    extra = [i for i, column in enumerate(partners.columns) if column not in facilities.columns]
    if pcodes.equals(partners["adm2_pcode"].astype(str)):  # both one row per district, sorted: side by side
        table = pd.concat([facilities, partners.iloc[:, extra]], axis=1)
    else:
        partners = partners.assign(adm2_pcode=partners["adm2_pcode"].astype(str))
        table = facilities.merge(partners.iloc[:, [partners.columns.get_loc("adm2_pcode"), *extra]],
                                 on="adm2_pcode", how="left")
    first = [c for c in NAME_COLUMNS if c in table.columns]
    last = [c for c in (WITHHELD, SUPPRESSED) if c in table.columns]
    order = first + [c for c in table.columns if c not in first + last] + last
    if order != list(table.columns):
        table = table[order]
    if table["adm2_pcode"].is_monotonic_increasing and table.index.equals(pd.RangeIndex(len(table))):
        return table  # already sorted: sort_values would only copy it
    return table.sort_values("adm2_pcode", ignore_index=True)


def protected(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """The facility indicators of a filter as the public may see them: small districts withheld (and their
    complements), then the figures about a small group inside a published district (withhold_breakdowns)."""
    table = suppress(facility_indicators(dataset, chosen))
    return withhold_breakdowns(table, facility_groups(dataset, chosen), chosen.domain)


def warm(dataset: Dataset) -> None:
    """Compute what every district table of the dataset shares (the facility summary, the district, facility
    and partner codes) now: once before gunicorn forks, not in the first request."""
    facility_summary(dataset)
    facility_base(dataset)
    partner_base(dataset)


def district_indicators(dataset: Dataset, admin1: Sequence[str] | None = None) -> pd.DataFrame:
    """The district table of the latest round for the chosen provinces (all when empty)."""
    return district_table(dataset, Filter(admin1=tuple(admin1 or ())))
