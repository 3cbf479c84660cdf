"""Web geometry: every district drawn, no gaps or overlaps, clockwise rings, rounded, small."""

import gzip
import json

import numpy as np
import pytest
import shapely

from data.demo import BOUNDARIES
from geo.boundaries import read_boundaries
from geo.web import dissolve, simplify, web_geometry
from tests.conftest import FIXTURES

FILES = [BOUNDARIES[0], FIXTURES / "afg_adm2_agcho_20180522_simplified.geojson",
         FIXTURES / "nga_bay_adm2_osgof_20190417.geojson", FIXTURES / "irq_adm2_cso_20190603.geojson"]


def _geometries(content: bytes):
    collection = json.loads(content)
    ids = [f["id"] for f in collection["features"]]
    return ids, np.array([shapely.from_geojson(json.dumps(f["geometry"])) for f in collection["features"]])


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_district_kept_gap_free_clockwise_and_rounded(path):
    boundaries = read_boundaries(path)
    web = web_geometry(simplify(boundaries.table), "adm2_pcode")
    ids, geometries = _geometries(web.content)
    assert ids == boundaries.table["adm2_pcode"].tolist()
    assert web.features == len(ids)
    assert shapely.is_valid(geometries).all()
    assert (shapely.area(geometries) > 0).all()
    assert shapely.coverage_is_valid(geometries) and web.gap_free
    polygons = shapely.get_parts(geometries)
    assert not shapely.is_ccw(shapely.get_exterior_ring(polygons)).any()
    coordinates = shapely.get_coordinates(geometries)
    assert np.allclose(coordinates, np.round(coordinates, 4), atol=1e-9)
    # Simplification keeps each district where it was: 95% of its area overlaps the original.
    original = boundaries.table.geometry.to_numpy()
    kept = shapely.area(shapely.intersection(geometries, original)) / shapely.area(original)
    assert kept.min() > 0.9
    assert json.loads(web.content)["features"][0]["properties"] == {}


def test_default_district_layer_is_under_300_kb_gzipped():
    boundaries = read_boundaries(BOUNDARIES[0])
    web = web_geometry(simplify(boundaries.table), "adm2_pcode")
    assert web.features == 395
    assert web.gzip_bytes == len(gzip.compress(web.content, 9)) < 300_000
    assert web.vertices < shapely.get_num_coordinates(boundaries.table.geometry.to_numpy()).sum() / 1.5


@pytest.mark.slow
def test_provinces_dissolved_from_simplified_districts_share_their_edges():
    districts = read_boundaries(BOUNDARIES[0]).table
    simplified_table = simplify(districts)
    provinces = web_geometry(dissolve(simplified_table, "adm1_pcode"), "adm1_pcode")
    ids, outlines = _geometries(provinces.content)
    assert len(ids) == 34 == districts["adm1_pcode"].nunique()
    _, simplified = _geometries(web_geometry(simplified_table, "adm2_pcode").content)
    # Each province outline is exactly the union of its simplified districts.
    for code, outline in zip(ids, outlines):
        members = simplified[(districts["adm1_pcode"] == code).to_numpy()]
        assert shapely.symmetric_difference(outline, shapely.union_all(members)).area < 1e-8
    assert not shapely.is_ccw(shapely.get_exterior_ring(shapely.get_parts(outlines))).any()
