"""Read OCHA COD-AB administrative boundaries as users have them (GeoJSON, zipped shapefile, GeoPackage).

The output is one canonical table per admin level: `adm{k}_pcode` and `adm{k}_name` for every level k up to
the one read, local-language names as `adm{L}_name_<lang>`, and polygons in EPSG:4326. Fields are found by
the COD-AB conventions (`ADM2_PCODE`, `ADM2_EN`, `ADM2_DA`), the older HDX ones (`admin2Pcode`,
`admin2Name_en`) and their 10-character shapefile truncations (`admin2Pcod`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo.report import Report

WGS84 = "EPSG:4326"
_FIELD = re.compile(r"adm(?:in)?([0-4])_?(pcode|pcod|name|name_?[a-z]{2}|[a-z]{2})")
_VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json")


class BoundaryError(ValueError):
    """A boundary file that cannot be used; the message is one line naming the file and what is missing."""


@dataclass
class Boundaries:
    """Polygons of one admin level in the canonical schema, with the report of how they were read."""

    level: int
    table: gpd.GeoDataFrame
    report: Report

    @property
    def pcode(self) -> str:
        return f"adm{self.level}_pcode"


def classify_field(name: str) -> tuple[int, str] | None:
    """(level, role) of a COD-AB field: role is 'pcode', 'name' (English) or a two-letter language code."""
    match = _FIELD.fullmatch(name.strip().lower())
    if not match:
        return None
    level, tail = int(match.group(1)), match.group(2)
    if tail in ("pcode", "pcod"):
        return level, "pcode"
    lang = tail.removeprefix("name").lstrip("_")
    if lang in ("", "en"):
        return level, "name"
    if lang in ("ref",):
        return None
    return level, lang


def field_roles(columns: list[str]) -> dict[tuple[int, str], str]:
    """Map (level, role) to the first source column that plays it."""
    roles: dict[tuple[int, str], str] = {}
    for column in columns:
        key = classify_field(column)
        if key and key not in roles:
            roles[key] = column
    return roles


def pcode_levels(columns: list[str]) -> list[int]:
    return sorted(level for level, role in field_roles(columns) if role == "pcode")


def _sources(path: Path) -> list[str]:
    """The GDAL paths to look in: the file itself, or each vector file inside a zip."""
    if path.suffix.lower() != ".zip":
        return [str(path)]
    try:
        members = zipfile.ZipFile(path).namelist()
    except zipfile.BadZipFile as exc:
        raise BoundaryError(f"{path.name}: not a readable zip file ({exc})") from None
    found = [m for m in members if m.lower().endswith(_VECTOR_SUFFIXES) and not m.startswith("__MACOSX")]
    if not found:
        raise BoundaryError(f"{path.name}: the zip holds no shapefile, GeoPackage or GeoJSON")
    return [f"/vsizip/{path}/{member}" for member in found]


def _layers(path: Path) -> list[tuple[str, str | None, list[str]]]:
    """Every (source, layer, fields) in the file."""
    layers = []
    for source in _sources(path):
        try:
            names = [str(row[0]) for row in pyogrio.list_layers(source)]
            for name in names:
                info = pyogrio.read_info(source, layer=name)
                layers.append((source, name if len(names) > 1 else None, list(info["fields"])))
        except Exception as exc:  # GDAL raises several types; the message is what the user needs
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BoundaryError(f"{path.name}: cannot be read as a boundary file ({first_line})") from None
    return layers


def _choose_layer(path: Path, level: int | None):
    """The layer whose finest p-code level is `level` (or the finest of all), else one finer to dissolve."""
    layers = [(source, layer, fields, pcode_levels(fields)) for source, layer, fields in _layers(path)]
    with_pcode = [entry for entry in layers if entry[3]]
    if not with_pcode:
        wanted = f"ADM{level}_PCODE" if level is not None else "ADM2_PCODE, ADM1_PCODE or another ADMn_PCODE"
        fields = ", ".join(sorted({f for entry in layers for f in entry[2]})) or "none"
        raise BoundaryError(f"{path.name}: no p-code field (expected {wanted}); fields found: {fields}")
    if level is None:
        return max(with_pcode, key=lambda entry: max(entry[3]))
    exact = [entry for entry in with_pcode if max(entry[3]) == level]
    if exact:
        return exact[0]
    finer = [entry for entry in with_pcode if level in entry[3]]
    if finer:
        return min(finer, key=lambda entry: max(entry[3]))
    found = ", ".join(f"ADM{n}_PCODE" for n in sorted({n for entry in with_pcode for n in entry[3]}))
    raise BoundaryError(f"{path.name}: no p-code field for admin level {level} (expected ADM{level}_PCODE); "
                        f"found {found}")


def _to_wgs84(gdf: gpd.GeoDataFrame, report: Report) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        minx, miny, maxx, maxy = gdf.total_bounds
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
            report.warn("no coordinate reference system given; coordinates look like degrees, read as EPSG:4326")
            return gdf.set_crs(WGS84)
        raise BoundaryError(f"{report.file}: no coordinate reference system and coordinates are not in degrees")
    if not gdf.crs.equals(WGS84):
        report.warn(f"reprojected from {gdf.crs.to_string()} to EPSG:4326")
        return gdf.to_crs(WGS84)
    return gdf


def _polygonal(geometry):
    """The polygon parts of a repaired geometry (make_valid can return lines beside polygons)."""
    if geometry is None or geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def _repair(gdf: gpd.GeoDataFrame, pcode: str, report: Report) -> gpd.GeoDataFrame:
    invalid = ~gdf.geometry.is_valid & gdf.geometry.notna()
    if invalid.any():
        codes = ", ".join(gdf.loc[invalid, pcode].astype(str).head(10))
        report.warn(f"repaired {int(invalid.sum())} invalid geometries ({codes})")
        gdf.loc[invalid, "geometry"] = gdf.loc[invalid].geometry.make_valid().map(_polygonal)
    return gdf


def _canonical_columns(gdf: gpd.GeoDataFrame, roles: dict[tuple[int, str], str], level: int) -> dict[str, str]:
    """Source column -> canonical column, for the levels up to `level`."""
    rename = {}
    for (lvl, role), column in roles.items():
        if lvl > level:
            continue
        if role == "pcode":
            rename[column] = f"adm{lvl}_pcode"
        elif role == "name":
            rename[column] = f"adm{lvl}_name"
        elif lvl == level:
            rename[column] = f"adm{lvl}_name_{role}"
    return rename


def read_boundaries(path: str | Path, level: int | None = None) -> Boundaries:
    """Read one admin level from a COD-AB file; `level=None` takes the finest level the file has.

    A level coarser than the file's finest is dissolved from the finer polygons. Rows without a p-code or a
    polygon are rejected; invalid polygons are repaired; features sharing a p-code are merged; all reported.
    """
    path = Path(path)
    if not path.exists():
        raise BoundaryError(f"{path.name}: no such file")
    source, layer, fields, levels = _choose_layer(path, level)
    level = max(levels) if level is None else level
    report = Report(file=path.name)
    try:
        gdf = gpd.read_file(source, layer=layer, engine="pyogrio")
    except Exception as exc:
        raise BoundaryError(f"{path.name}: cannot be read as a boundary file ({str(exc).splitlines()[0]})") from None
    report.rows_in = len(gdf)
    roles = field_roles(list(gdf.columns))
    gdf = gdf.rename(columns=_canonical_columns(gdf, roles, level))
    pcode = f"adm{level}_pcode"
    keep = [c for c in gdf.columns if re.fullmatch(r"adm\d_(pcode|name.*)", c)] + ["geometry"]
    gdf = gdf[keep].copy()
    gdf["_row"] = range(1, len(gdf) + 1)
    for column in [c for c in keep if c.endswith("_pcode")]:
        gdf[column] = gdf[column].astype("string").str.strip().str.upper()

    missing = gdf[pcode].isna() | (gdf[pcode] == "")
    for row in gdf.loc[missing, "_row"]:
        report.reject(row, roles[(level, "pcode")], "", "no p-code")
    empty = ~missing & (gdf.geometry.isna() | gdf.geometry.is_empty)
    for row, code in gdf.loc[empty, ["_row", pcode]].itertuples(index=False):
        report.reject(row, "geometry", code, "no polygon")
    gdf = gdf[~missing & ~empty]

    gdf = _to_wgs84(gdf, report)
    gdf = _repair(gdf, pcode, report)
    if f"adm{level}_name" not in gdf.columns:
        report.warn(f"no name field for admin level {level} (expected ADM{level}_EN); p-codes used as names")
        gdf[f"adm{level}_name"] = gdf[pcode]
    gdf = _merge_by_pcode(gdf, pcode, level, max(levels), report)
    gdf = gdf.drop(columns="_row").sort_values(pcode).reset_index(drop=True)
    return Boundaries(level=level, table=gdf[_column_order(gdf.columns)], report=report)


def _column_order(columns) -> list[str]:
    """Finest level first: p-code, English name, local names; then each parent level; geometry last."""
    def key(column: str) -> tuple:
        return (-int(column[3]), column != f"adm{column[3]}_pcode", column != f"adm{column[3]}_name", column)
    return sorted((c for c in columns if c != "geometry"), key=key) + ["geometry"]


def _merge_by_pcode(gdf: gpd.GeoDataFrame, pcode: str, level: int, file_level: int, report: Report):
    """One row per p-code: dissolve a finer level, or merge features that share a p-code."""
    attributes = [c for c in gdf.columns if c != "geometry" and c != "_row"]
    attributes = [c for c in attributes if int(c[3]) <= level]
    if file_level > level:
        report.warn(f"admin level {level} dissolved from the level {file_level} polygons")
    elif gdf[pcode].duplicated().any():
        repeated = gdf.loc[gdf[pcode].duplicated(), pcode].unique()
        report.warn(f"{len(repeated)} p-codes appear on several features and were merged ({', '.join(repeated[:10])})")
    else:
        return gdf[attributes + ["_row", "geometry"]]
    first = pd.DataFrame(gdf.drop(columns="geometry")).groupby(pcode, as_index=False).first()
    merged = gdf.dissolve(by=pcode, as_index=False)[[pcode, "geometry"]]
    return gpd.GeoDataFrame(first[attributes + ["_row"]].merge(merged, on=pcode), geometry="geometry", crs=gdf.crs)
