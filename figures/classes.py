"""Class breaks for choropleths (mapclassify quantiles), with labels a reader can take to a slide."""

from __future__ import annotations

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


def classify(values: pd.Series, decimals: int = 0, k: int = DEFAULT_CLASSES) -> Classes:
    """Quantile classes over the values shown; fewer classes when there are fewer distinct values."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    present = numbers.dropna()
    index = np.full(len(numbers), -1, dtype=int)
    distinct = present.nunique()
    if distinct == 0:
        return Classes(bounds=[], labels=[], index=index)
    k = min(k, distinct)
    if k == 1:
        bounds = [float(present.max())]
        index[numbers.notna().to_numpy()] = 0
    else:
        scheme = mapclassify.Quantiles(present.to_numpy(), k=k)
        bounds = [float(b) for b in scheme.bins]
        index[numbers.notna().to_numpy()] = scheme.yb
    lower = [float(present.min())] + bounds[:-1]
    labels = [f"{format_value(lo, decimals)} – {format_value(hi, decimals)}" for lo, hi in zip(lower, bounds)]
    return Classes(bounds=bounds, labels=labels, index=index)
