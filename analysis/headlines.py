"""The overview's headline figures for a filter: what a coordinator reads out first."""

from __future__ import annotations

import pandas as pd

from analysis import filters, standards
from analysis.filters import Filter
from data.dataset import Dataset


def headlines(dataset: Dataset, chosen: Filter, table: pd.DataFrame) -> dict[str, float | int | None]:
    """Facilities, % functional, people in need, districts below the primary-care standard, partners.

    `table` is the district table of the same filter. Partners are distinct organisations over the
    districts chosen (a partner in five districts counts once). People in need is None when no district
    of the filter has a figure; `pin_missing` counts the districts without one. The share functional is over
    the districts whose functional count is shown: in the public view, facilities of districts with fewer
    than 3 (withheld there) are left out, counted in `functional_withheld`, so no total minus the shown
    districts gives a withheld count.
    """
    facilities = int(table["facilities"].fillna(0).sum())
    known = table["functional"].notna()
    counted = int(table.loc[known, "facilities"].fillna(0).sum())
    functional = int(table.loc[known, "functional"].sum())
    pin = table["pin"].astype("Float64")
    below = table["phc_per_10k"].astype("float64") < standards.value("phc_per_10k")
    activities = filters.activities(dataset, chosen, int(standards.value("round_months")))
    activities = activities[activities["adm2_pcode"].isin(table["adm2_pcode"])]
    return {
        "facilities": facilities,
        "pct_functional": 100 * functional / counted if counted else None,
        "functional_withheld": facilities - counted,
        "pin": int(pin.sum()) if pin.notna().any() else None,
        "pin_missing": int(pin.isna().sum()),
        "below_standard": int(below.sum()),
        "districts": len(table),
        "partners": int(activities["org_name"].nunique()),
    }
