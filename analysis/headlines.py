"""The overview's headline figures for a filter: what a coordinator reads out first."""

from __future__ import annotations

from typing import TypedDict

import numpy as np
import pandas as pd

from analysis import filters, standards
from analysis.coverage import partner_base
from analysis.filters import Filter
from data.dataset import Dataset


class Headlines(TypedDict):
    """The overview's headline figures (None where there is nothing to show)."""

    facilities: int
    pct_functional: float | None
    functional_withheld: int
    pin: int | None
    pin_missing: int
    below_standard: int
    districts: int
    partners: int


def headlines(dataset: Dataset, chosen: Filter, table: pd.DataFrame) -> Headlines:
    """Facilities, % functional, people in need, districts below the primary-care standard, partners.

    `table` is the district table of the same filter. Partners are distinct organisations over the
    districts chosen (a partner in five districts counts once). People in need is None when no district
    of the filter has a figure; `pin_missing` counts the districts without one. The share functional is over
    the districts whose functional count is shown: in the public view, facilities of districts with fewer
    than the threshold (analysis.suppression.threshold; withheld there) are left out, counted in
    `functional_withheld`, so no total minus the shown districts gives a withheld count.
    """
    facilities = int(table["facilities"].fillna(0).sum())
    known = table["functional"].notna()
    counted = int(table.loc[known, "facilities"].fillna(0).sum())
    functional = int(table.loc[known, "functional"].sum())
    pin = table["pin"].astype("Float64")
    below = table["phc_per_10k"].astype("float64") < standards.value("phc_per_10k")
    return {
        "facilities": facilities,
        "pct_functional": 100 * functional / counted if counted else None,
        "functional_withheld": facilities - counted,
        "pin": int(pin.sum()) if pin.notna().any() else None,
        "pin_missing": int(pin.isna().sum()),
        "below_standard": int(below.sum()),
        "districts": len(table),
        "partners": partners(dataset, chosen, table["adm2_pcode"]),
    }


def partners(dataset: Dataset, chosen: Filter, districts: pd.Series) -> int:
    """Distinct organisations with activities in the filter's months in these districts, counted on the
    dataset's integer codes (analysis.coverage.partner_base)."""
    base = partner_base(dataset)
    chosen_districts = np.append(base.pcodes.isin(districts.astype(str)).to_numpy(), False)  # -1: no district
    months = int(standards.value("round_months"))
    rows = filters.activity_mask(dataset, chosen, months) & chosen_districts[base.district]
    return int(np.unique(base.org[rows & (base.org >= 0)]).size)
