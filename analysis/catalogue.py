"""The indicator catalogue: every indicator's stable id, label, unit, direction and definition, once.

The app's selectors, legends, tables and exports all read it, so an indicator is defined in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher_is_better", "higher_is_worse", "neutral"]


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    unit: str
    direction: Direction
    definition: str
    decimals: int = 0


INDICATORS: dict[str, Indicator] = {
    indicator.id: indicator
    for indicator in (
        Indicator(
            id="population",
            label="Population",
            unit="people",
            direction="neutral",
            definition="Total population of the district (OCHA COD-PS, T_TL).",
        ),
        Indicator(
            id="population_density",
            label="Population density",
            unit="people per km²",
            direction="neutral",
            definition="Population divided by the district's area, measured on the official boundary in an "
            "equal-area projection (EPSG:6933).",
            decimals=1,
        ),
    )
}

DEFAULT_INDICATOR = "population"

