"""The district table: one row per district, every district indicator of the catalogue as a column.

The overview, the exports and the priority ranking all read this one table, so a number is the same
wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.coverage import partner_indicators
from analysis.filters import Filter
from analysis.indicators import facility_indicators
from analysis.suppression import SUPPRESSED, suppress
from data.dataset import Dataset

NAME_COLUMNS = ["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name"]


def district_table(dataset: Dataset, chosen: Filter, suppressed: bool = False) -> pd.DataFrame:
    """Names, facility and service indicators, then partner indicators, sorted by p-code.

    A district without population or facilities keeps its row with missing values: "no data", never 0.
    Partner need uses the facility shortfall (phc_gap) of the same filter. `suppressed` (the public view):
    small cells are withheld (analysis/suppression.py) before the need is derived, so a need never tells a
    withheld shortfall; the flag column `suppressed` comes last.
    """
    facilities = facility_indicators(dataset, chosen)
    if suppressed:
        facilities = suppress(facilities)
    facilities = facilities.assign(adm2_pcode=facilities["adm2_pcode"].astype(str))
    shortfall = facilities.set_index("adm2_pcode")["phc_gap"] if "phc_gap" in facilities else None
    partners = partner_indicators(dataset, chosen, shortfall=shortfall)
    partners = partners.assign(adm2_pcode=partners["adm2_pcode"].astype(str))
    partners = partners[["adm2_pcode", *(c for c in partners.columns if c not in facilities.columns)]]
    table = facilities.merge(partners, on="adm2_pcode", how="left")
    first = [c for c in NAME_COLUMNS if c in table.columns]
    last = [SUPPRESSED] if SUPPRESSED in table.columns else []
    order = first + [c for c in table.columns if c not in first + last] + last
    return table[order].sort_values("adm2_pcode", ignore_index=True)


def district_indicators(dataset: Dataset, admin1: Sequence[str] | None = None) -> pd.DataFrame:
    """The district table of the latest round for the chosen provinces (all when empty)."""
    return district_table(dataset, Filter(admin1=tuple(admin1 or ())))
