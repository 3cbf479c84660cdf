"""Build a dataset folder from source files: canonical Parquet tables, web geometry, manifest, rejections.

The folder is written beside its destination and renamed into place, so a failed build never replaces a
good dataset.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd

from data import schema
from data.population import read_population
from data.report import Report
from geo.boundaries import BoundaryError, read_boundaries
from geo.web import WebGeometry, dissolve, simplify, web_geometry

EQUAL_AREA = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global: areas in m²


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def area_km2(table: gpd.GeoDataFrame) -> pd.Series:
    return (table.geometry.to_crs(EQUAL_AREA).area / 1e6).round(1)


def district_layers(paths: list[Path]) -> tuple[gpd.GeoDataFrame, pd.DataFrame, list[Report]]:
    """Districts (admin 2) and provinces (admin 1) from one or more COD-AB files.

    Provinces come from an admin-1 file when one is given, else they are dissolved from the districts.
    """
    read = [read_boundaries(p) for p in paths]
    districts = [b for b in read if b.level == 2]
    if not districts:
        raise BoundaryError(f"{', '.join(p.name for p in paths)}: no file with district (ADM2_PCODE) polygons")
    adm2 = districts[0]
    provinces = [b for b in read if b.level == 1]
    adm1 = provinces[0] if provinces else read_boundaries(paths[read.index(adm2)], level=1)
    reports = [b.report for b in read]
    if "adm1_pcode" not in adm2.table.columns:
        raise BoundaryError(f"{adm2.report.file}: no ADM1_PCODE field, so districts cannot be placed in provinces")
    unknown = sorted(set(adm2.table["adm1_pcode"]) - set(adm1.table["adm1_pcode"]))
    if unknown:
        adm2.report.warn(f"districts name provinces missing from {adm1.report.file}: {', '.join(unknown)}")
    names = adm1.table[["adm1_pcode", "adm1_name"]]
    table = adm2.table.drop(columns=[c for c in ("adm1_name",) if c in adm2.table.columns]).merge(
        names, on="adm1_pcode", how="left")
    table["adm1_name"] = table["adm1_name"].fillna(table["adm1_pcode"])
    table["area_km2"] = area_km2(table)
    province_table = pd.DataFrame(adm1.table[["adm1_pcode", "adm1_name"]]).assign(area_km2=area_km2(adm1.table))
    return table, province_table, reports


def join_population(population: pd.DataFrame, report: Report, districts: pd.DataFrame) -> pd.DataFrame:
    """Keep rows whose p-code is a district; reject the others; warn about districts with no population."""
    known = population["adm2_pcode"].isin(districts["adm2_pcode"])
    for row, code in population.loc[~known, ["_row", "adm2_pcode"]].itertuples(index=False):
        report.reject(row, "ADM2_PCODE", code, "p-code not in the district boundaries")
    if (~known).any():
        people = int(population.loc[~known, "population"].sum())
        report.warn(f"{int((~known).sum())} rows ({people:,} people) name p-codes with no district polygon")
    absent = sorted(set(districts["adm2_pcode"]) - set(population["adm2_pcode"]))
    if absent:
        report.warn(f"{len(absent)} districts have no population row: {', '.join(absent[:20])}")
    return population[known].drop(columns="_row").reset_index(drop=True)


def _geometry_entry(geometry: WebGeometry) -> dict:
    return {"bytes": len(geometry.content), "gzip_bytes": geometry.gzip_bytes, "features": geometry.features,
            "vertices": geometry.vertices, "gap_free": geometry.gap_free}


def build_dataset(out: str | Path, boundaries: list[str | Path], population: str | Path | None = None,
                  label: str = "") -> dict:
    """Write the dataset folder `out` and return its manifest."""
    out, boundary_paths = Path(out), [Path(p) for p in boundaries]
    districts, provinces, reports = district_layers(boundary_paths)
    sources = [(p, "boundaries") for p in boundary_paths]
    tables = {"districts": pd.DataFrame(districts.drop(columns="geometry")), "provinces": provinces}
    if population is not None:
        people, report = read_population(population)
        tables["population"] = join_population(people, report, districts)
        reports.append(report)
        sources.append((Path(population), "population"))
    simplified = simplify(districts)
    geometry = {"adm2": web_geometry(simplified, "adm2_pcode"),
                "adm1": web_geometry(dissolve(simplified, "adm1_pcode"), "adm1_pcode")}

    manifest = {
        "schema_version": schema.SCHEMA_VERSION,
        "label": label,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "country": str(districts["adm0_name"].iloc[0]) if "adm0_name" in districts else "",
        "sources": [dict(role=role, sha256=sha256(path), **report.summary())
                    for (path, role), report in zip(sources, reports)],
        "tables": {name: len(table) for name, table in tables.items()},
        "geometry": {level: _geometry_entry(g) for level, g in geometry.items()},
    }
    rejected = pd.DataFrame([r for report in reports for r in report.rejected_records()], columns=schema.REJECTED_COLUMNS)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, table in tables.items():
            schema.validate(name, table).to_parquet(staging / schema.parquet_name(name), index=False)
        for level, g in geometry.items():
            (staging / schema.GEOMETRY[level]).parent.mkdir(exist_ok=True)
            (staging / schema.GEOMETRY[level]).write_bytes(g.content)
        rejected.to_csv(staging / schema.REJECTED, index=False)
        (staging / schema.MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _replace(staging: Path, out: Path) -> None:
    """Swap the finished folder into place; the old dataset is removed only once the new one is there."""
    os.chmod(staging, 0o755)
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
