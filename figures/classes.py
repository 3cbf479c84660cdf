"""Class breaks for choropleths (mapclassify quantiles), with labels a reader can take to a slide."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd

DEFAULT_CLASSES = 5


@dataclass(frozen=True)
class Classes:
    """Upper bounds of each class, their labels, and each value's class (-1 for a missing value)."""

    bounds: list[float]
    labels: list[str]
    index: np.ndarray


def format_value(value: float | None, decimals: int) -> str:
    """A value as the map, the table and the exports show it: thousands separated, fixed decimals."""
    if value is None or pd.isna(value):
        return "no data"
    return f"{value:,.{decimals}f}"


def _shown(value: float, decimals: int) -> float:
    """The value as the map and table print it (format_value's rounding), so a class never splits a label."""
    return float(f"{value:.{decimals}f}")


def classify(values: pd.Series, decimals: int = 0, k: int = DEFAULT_CLASSES) -> Classes:
    """Quantile classes (mapclassify) over the values as shown, with bounds at the shown precision.

    Bounds that round to the same shown value are merged, so small counts give classes such as "0", "1",
    "2 – 4" rather than "0 – 0", "0 – 1". Class i holds the values above bound i-1 up to bound i; its label
    starts one unit of the last shown decimal above the previous bound.
    """
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    present = numbers.dropna().map(lambda v: _shown(v, decimals))
    index = np.full(len(numbers), -1, dtype=int)
    if present.nunique() == 0:
        return Classes(bounds=[], labels=[], index=index)
    k = min(k, present.nunique())
    with warnings.catch_warnings():  # ties can leave fewer quantiles than asked: merged below, as intended
        warnings.simplefilter("ignore", UserWarning)
        if k == 1:
            raw = [float(present.max())]
        else:
            raw = [float(b) for b in mapclassify.Quantiles(present.to_numpy(), k=k).bins]
    bounds = sorted({_shown(b, decimals) for b in raw} | {float(present.max())})
    index[numbers.notna().to_numpy()] = np.searchsorted(bounds, present.to_numpy(), side="left")
    step = 10.0 ** -decimals
    lower = [float(present.min())] + [_shown(b + step, decimals) for b in bounds[:-1]]
    labels = [format_value(hi, decimals) if lo >= hi else f"{format_value(lo, decimals)} – {format_value(hi, decimals)}"
              for lo, hi in zip(lower, bounds)]
    return Classes(bounds=bounds, labels=labels, index=index)
