"""Open a built dataset folder: its tables, its manifest and its web geometry."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from data import schema


class DatasetError(RuntimeError):
    """A dataset folder that is missing or incomplete; the message says how to build one."""


@dataclass
class Dataset:
    """A dataset folder in memory: every canonical table (empty where the dataset has none)."""

    path: Path
    manifest: dict
    districts: pd.DataFrame
    provinces: pd.DataFrame
    population: pd.DataFrame = field(default_factory=lambda: schema.empty("population"))
    rounds: pd.DataFrame = field(default_factory=lambda: schema.empty("rounds"))
    facilities: pd.DataFrame = field(default_factory=lambda: schema.empty("facilities"))
    services: pd.DataFrame = field(default_factory=lambda: schema.empty("services"))
    service_catalogue: pd.DataFrame = field(default_factory=lambda: schema.empty("service_catalogue"))
    activities: pd.DataFrame = field(default_factory=lambda: schema.empty("activities"))
    needs: pd.DataFrame = field(default_factory=lambda: schema.empty("needs"))
    # Tables the analyses derive from the ones above, computed once when first needed and kept with them
    # (e.g. analysis.indicators.facility_summary). dataclasses.replace makes a Dataset with an empty cache.
    derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def geometry_path(self, level: str) -> Path:
        return self.path / schema.GEOMETRY[level]

    @cached_property
    def rejected(self) -> pd.DataFrame:
        return pd.read_csv(self.path / schema.REJECTED, dtype=str, keep_default_na=False)


def load_dataset(path: str | Path) -> Dataset:
    path = Path(path)
    manifest_path = path / schema.MANIFEST
    if not manifest_path.exists():
        raise DatasetError(f"no dataset at {path}: build the demo with `make demo` "
                           f"or your own with `python -m data build --out {path} ...`")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("schema_version") != schema.SCHEMA_VERSION:
        raise DatasetError(f"{path} was built with schema {manifest.get('schema_version')}, this version reads "
                           f"{schema.SCHEMA_VERSION}: build it again")
    return Dataset(path=path, manifest=manifest, **{name: _read(path, name) for name in _TABLES})


_TABLES = ("districts", "provinces", "population", "rounds", "facilities", "services", "service_catalogue",
           "activities", "needs")


def _read(path: Path, name: str) -> pd.DataFrame:
    """A table of the dataset, or an empty one of the right shape when the dataset has none."""
    file = path / schema.parquet_name(name)
    return pd.read_parquet(file) if file.exists() else schema.empty(name)
