"""A facility type as written (any language of the source, any spelling) to its standard tier.

The rules are data (reference/facility_types.csv): the first pattern that matches the lower-cased,
accent-free type wins; a type no rule matches is "other" and the reader reports it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo.names import strip_accents

RULES = Path(__file__).parent / "reference" / "facility_types.csv"


@lru_cache(maxsize=1)
def _rules() -> list[tuple[re.Pattern, str]]:
    table = pd.read_csv(RULES, dtype=str)
    return [(re.compile(pattern), tier) for pattern, tier in zip(table["pattern"], table["tier"])]


def tier_of(facility_type: object) -> str:
    """The standard tier (see data.schema.TIERS) of a facility type as given; "other" when unknown."""
    if facility_type is None or (not isinstance(facility_type, str) and pd.isna(facility_type)):
        return "other"
    text = " ".join(strip_accents(str(facility_type)).lower().replace("_", " ").split())
    return next((tier for pattern, tier in _rules() if pattern.search(text)), "other")
