"""Geometry for the browser: small, gap-free, clockwise, keyed by p-code, written once as a static file.

Neighbouring districts are simplified together (coverage simplification) so that no gap or overlap opens
between them; coordinates are rounded (4 decimals, about 10 m: at 3 decimals rounding already opens slivers between
some Afghan districts) and outer rings turned clockwise, which
plotly's `go.Choropleth` needs (a counter-clockwise ring draws as "the world minus the district").
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

DEFAULT_TOLERANCE = 0.005  # degrees, about 500 m: the scale of a national district map on a screen
DEFAULT_DECIMALS = 4


@dataclass(frozen=True)
class WebGeometry:
    """A GeoJSON FeatureCollection as compact bytes, with the figures the README and manifest report."""

    content: bytes
    features: int
    vertices: int
    gap_free: bool  # neighbours share their edges exactly: no gap, no overlap

    @property
    def gzip_bytes(self) -> int:
        return len(gzip.compress(self.content, compresslevel=9))


def simplify_coverage(geometries: np.ndarray, tolerance: float, decimals: int) -> np.ndarray:
    """Clean, simplify and round a coverage of polygons together; every input keeps a valid polygon."""
    cleaned = shapely.coverage_clean(geometries)
    simplified = shapely.coverage_simplify(cleaned, tolerance)
    rounded = shapely.transform(simplified, lambda xy: np.round(xy, decimals))
    invalid = ~shapely.is_valid(rounded)
    rounded[invalid] = shapely.make_valid(rounded[invalid])
    return shapely.orient_polygons(rounded, exterior_cw=True)


def simplify(table: gpd.GeoDataFrame, tolerance: float = DEFAULT_TOLERANCE,
             decimals: int = DEFAULT_DECIMALS) -> gpd.GeoDataFrame:
    """A copy of the table with its polygons simplified together (see simplify_coverage)."""
    return table.set_geometry(simplify_coverage(table.geometry.to_numpy(), tolerance, decimals))


def dissolve(simplified: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """Parent outlines (provinces) from simplified children, so that their edges coincide exactly."""
    parents = simplified[[by, "geometry"]].dissolve(by=by, as_index=False)
    return parents.set_geometry(shapely.orient_polygons(parents.geometry.to_numpy(), exterior_cw=True))


def web_geometry(table: gpd.GeoDataFrame, id_column: str) -> WebGeometry:
    """The FeatureCollection for the browser: feature id = p-code, no properties (values travel apart)."""
    geometries = table.geometry.to_numpy()
    features = [
        {"type": "Feature", "id": str(code), "properties": {}, "geometry": json.loads(shapely.to_geojson(geometry))}
        for code, geometry in zip(table[id_column], geometries)
    ]
    content = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()
    return WebGeometry(
        content=content,
        features=len(features),
        vertices=int(shapely.get_num_coordinates(geometries).sum()),
        gap_free=bool(shapely.coverage_is_valid(geometries)),
    )
