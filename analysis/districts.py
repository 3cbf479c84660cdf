"""District indicator table for the overview: one row per district, one column per indicator id."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.filters import Filter
from analysis.indicators import facility_indicators
from data.dataset import Dataset

NAME_COLUMNS = ["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name"]


def district_indicators(dataset: Dataset, admin1: Sequence[str] | None = None) -> pd.DataFrame:
    """Names, area and every facility indicator of the latest round for the chosen provinces (all when empty).

    A district without a population row keeps its row with missing values: it is shown as "no data",
    never as 0.
    """
    return facility_indicators(dataset, Filter(admin1=tuple(admin1 or ())))
