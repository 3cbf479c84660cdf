"""Open a built dataset folder: its tables, its manifest and its web geometry."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from data import schema


class DatasetError(RuntimeError):
    """A dataset folder that is missing or incomplete; the message says how to build one."""


@dataclass
class Dataset:
    path: Path
    manifest: dict
    districts: pd.DataFrame
    provinces: pd.DataFrame
    population: pd.DataFrame

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
    population = path / schema.POPULATION
    return Dataset(
        path=path,
        manifest=manifest,
        districts=pd.read_parquet(path / schema.DISTRICTS),
        provinces=pd.read_parquet(path / schema.PROVINCES),
        population=pd.read_parquet(population) if population.exists()
        else pd.DataFrame(columns=["adm2_pcode", "population"]),
    )
