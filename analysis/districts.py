"""District indicator table for a filter: one row per district, one column per indicator id."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from data.dataset import Dataset

NAME_COLUMNS = ["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name"]


def district_indicators(dataset: Dataset, admin1: Sequence[str] | None = None) -> pd.DataFrame:
    """Names and every indicator for the districts of the chosen provinces (all when `admin1` is empty).

    A district without a population row keeps its row with missing values: it is shown as "no data",
    never as 0.
    """
    districts = dataset.districts
    if admin1:
        districts = districts[districts["adm1_pcode"].isin(list(admin1))]
    table = districts[NAME_COLUMNS + ["area_km2"]].merge(
        dataset.population[["adm2_pcode", "population"]], on="adm2_pcode", how="left")
    population = table["population"].astype("Float64")
    table["population"] = population
    table["population_density"] = population / table["area_km2"].replace(0, np.nan)
    return table.sort_values("adm2_pcode").reset_index(drop=True)
