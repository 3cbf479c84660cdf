"""Standards and thresholds are data (analysis/standards.csv: value, unit, source, edition), never constants."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

FILE = Path(__file__).parent / "standards.csv"


@dataclass(frozen=True)
class Standard:
    id: str
    value: float
    unit: str
    source: str
    edition: str


@lru_cache(maxsize=4)
def standards(path: Path = FILE) -> dict[str, Standard]:
    """The standards file (a national norm replaces a Sphere default by editing or passing another file)."""
    table = pd.read_csv(path, dtype=str)
    return {row.id: Standard(row.id, float(row.value), row.unit, row.source, str(row.edition))
            for row in table.itertuples(index=False)}


def value(standard_id: str, path: Path = FILE) -> float:
    return standards(path)[standard_id].value
