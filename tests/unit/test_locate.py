"""Placing facilities in districts: the real Nigeria list and OSM extract, and synthetic awkward points.

Expected values are computed here independently: with shapely directly on the boundary polygons (read with
json, not geopandas) and pyproj for metres, or by hand.
"""

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
import shapely.ops
from shapely.geometry import shape

from data.facility_list import read_facility_list
from data.schema import LOCATION_METHODS
from geo.boundaries import read_boundaries
from geo.locate import locate_facilities
from geo.names import AdminMatcher
from geo.report import Report

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
NGA_ADM2 = FIXTURES / "nga_bay_adm2_osgof_20190417.geojson"
NGA_ADM1 = FIXTURES / "nga_bay_adm1_osgof_20190417.geojson"
AFG_ADM2 = ROOT / "data" / "embedded" / "afghanistan" / "afg_adm2_geoboundaries_ocha_pcodes.geojson"
AFG_ADM1 = ROOT / "data" / "embedded" / "afghanistan" / "afg_adm1_geoboundaries_ocha_pcodes.geojson"
NIGERIA = FIXTURES / "nga_bay_who_kemri_public_health_facilities.csv"
OSM = FIXTURES / "hotosm_afg_health_facilities_points_partial.csv"
NIGERIA_DUPLICATES = {3, 127, 161, 460, 790, 901, 1178}  # see test_facility_list.py


def layers(adm2: Path, adm1: Path):
    districts = read_boundaries(adm2).table
    provinces = read_boundaries(adm1).table
    return districts, AdminMatcher(districts, provinces)


@pytest.fixture(scope="module")
def afghanistan():
    return layers(AFG_ADM2, AFG_ADM1)


@pytest.fixture(scope="module")
def nigeria_layers():
    return layers(NGA_ADM2, NGA_ADM1)


def polygons(path: Path) -> dict[str, object]:
    """adm2 p-code -> shapely geometry, read with json and shapely only."""
    features = json.loads(path.read_text())["features"]
    return {f["properties"]["ADM2_PCODE"]: shape(f["geometry"]) for f in features}


def rows(*points, **columns) -> pd.DataFrame:
    """Facility rows (row 2, 3, ...) at (lat, lon) points, with optional admin columns (lists)."""
    frame = pd.DataFrame({"_row": range(2, len(points) + 2), "source": "test.csv",
                          "facility_id": [f"F{i}" for i in range(len(points))],
                          "lat": [p[0] for p in points], "lon": [p[1] for p in points]})
    for column in ("adm1_given", "adm2_given", "adm1_name_given", "adm2_name_given"):
        frame[column] = pd.Series(columns.get(column, [pd.NA] * len(points)), dtype="string")
    return frame


def run(frame, afghanistan):
    districts, matcher = afghanistan
    report = Report("test.csv", rows_in=len(frame))
    located = locate_facilities(frame, districts, matcher, report)
    assert len(located) + len(report.rejected) == report.rows_in
    return located, report


def rejection(report, row):
    return next(r for r in report.rejected if r.row == row)


KABUL = (34.5, 69.2)  # Kabul city, district AF0101 (Kabul province AF01)


# --- the Nigeria list on the Nigeria boundaries --------------------------------------------------------------

@pytest.fixture(scope="module")
def nigeria(nigeria_layers):
    districts, matcher = nigeria_layers
    facility_rows, report = read_facility_list(NIGERIA)
    after_reading = len(report.rejected)
    located = locate_facilities(facility_rows, districts, matcher, report)
    return facility_rows, located, report, after_reading


def raw_points() -> list[tuple[int, float | None, float | None]]:
    with open(NIGERIA, newline="", encoding="utf-8") as handle:
        return [(i + 2, float(r["Lat"]) if r["Lat"] else None, float(r["Long"]) if r["Long"] else None)
                for i, r in enumerate(csv.DictReader(handle))]


def independent_placement() -> dict[int, str | None]:
    """Row -> LGA by shapely point-in-polygon, else the nearest LGA within 1 km (in UTM 33N), else None."""
    lgas = polygons(NGA_ADM2)
    to_utm = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32633", always_xy=True).transform
    lgas_m = {code: shapely.transform(geometry, to_utm, interleaved=False) for code, geometry in lgas.items()}
    placed = {}
    for row, lat, lon in raw_points():
        if lat is None or row in NIGERIA_DUPLICATES:
            continue
        inside = [code for code, geometry in lgas.items() if geometry.covers(shapely.Point(lon, lat))]
        if inside:
            placed[row] = inside[0]
            continue
        point = shapely.Point(*to_utm(lon, lat))
        distance, code = min((geometry.distance(point), code) for code, geometry in lgas_m.items())
        placed[row] = code if distance <= 1000 else None
    return placed


@pytest.fixture(scope="module")
def expected_nigeria():
    return independent_placement()


def test_nigeria_every_row_is_accounted_for(nigeria, expected_nigeria):
    facility_rows, located, report, after_reading = nigeria
    no_point = [row for row, lat, lon in raw_points() if lat is None or lon is None]
    assert len(no_point) == 85
    outside = sorted(row for row, code in expected_nigeria.items() if code is None)
    assert len(outside) == 12
    assert report.rows_in == 1656
    assert after_reading == len(NIGERIA_DUPLICATES) and len(facility_rows) == 1656 - 7
    assert len(located) == 1656 - 7 - 85 - 12 == report.accepted
    reasons = {r.row: r for r in report.rejected[after_reading:]}
    assert sorted(reasons) == sorted(no_point + outside)
    for row in no_point:  # a state but no LGA column: nothing to place them by
        assert reasons[row].reason == "no coordinates and no district named"
        assert reasons[row].column == "lat/lon" and reasons[row].value == ""
    for row in outside:
        assert "is outside the country" in reasons[row].reason and reasons[row].reason.endswith("no district named")
    abuja = reasons[816]  # "Abuja Health Post" listed in Borno, at Abuja, 440 km away
    assert abuja.value == "9.038879, 7.481865"
    assert abuja.reason == "point (9.038879, 7.481865) is outside the country and no district named"
    assert "(1.1 km from the nearest district)" in reasons[442].reason


def test_nigeria_points_match_an_independent_point_in_polygon(nigeria, expected_nigeria):
    _, located, _, _ = nigeria
    found = dict(zip(located["_row"], located["adm2_pcode"]))
    expected = {row: code for row, code in expected_nigeria.items() if code is not None}
    assert found == expected
    assert set(located["location_method"]) == {"point"}  # lat and lon are alike here: no swap may be guessed
    counts = located["adm2_pcode"].value_counts()
    for code, name in (("NG008021", "Maiduguri"), ("NG002020", "Yola North"), ("NG036003", "Damaturu"),
                       ("NG002009", "Lamurde")):
        assert counts.get(code, 0) == sum(1 for c in expected.values() if c == code), name
    assert counts["NG002009"] == sum(1 for c in expected.values() if c == "NG002009") > 0
    parents = dict(zip(read_boundaries(NGA_ADM2).table["adm2_pcode"], read_boundaries(NGA_ADM2).table["adm1_pcode"]))
    assert (located["adm1_pcode"] == located["adm2_pcode"].map(parents)).all()


def test_nigeria_border_and_province_warnings(nigeria):
    _, located, report, _ = nigeria
    near = next(w for w in report.warnings if "outside the boundaries were placed in the nearest district" in w)
    assert near.startswith("9 points up to 1 km")
    assert "416" in near  # Kola Health Clinic, 0.3 km outside Lamurde
    assert located.loc[located["_row"] == 416, "adm2_pcode"].item() == "NG002009"
    # 7 rows list Adamawa as their state but their points are in Borno (Shani, Askira/Uba)
    assert any(w.startswith("7 rows name a province their coordinates are not in") and "319: NG002 -> NG008" in w
               for w in report.warnings)
    # Garin Keri Dispensary (Yobe) is 2 km outside Yobe; swapped, it would fall in Biu (Borno): not a swap
    assert "outside the country (2.0 km" in rejection(report, 1401).reason


# --- the OSM extract on the Afghanistan default boundaries -----------------------------------------------------

def test_osm_extract_on_the_default_boundaries(afghanistan):
    districts, matcher = afghanistan
    facility_rows, report = read_facility_list(OSM)
    located = locate_facilities(facility_rows, districts, matcher, report)
    assert report.rows_in == 366 == len(located) + len(report.rejected)
    country = shapely.union_all(list(polygons(AFG_ADM2).values()))
    outside = facility_rows[~shapely.covers(country, shapely.points(facility_rows["lon"], facility_rows["lat"]))]
    assert {r.row for r in report.rejected} <= set(outside["_row"])
    assert all("outside the country" in r.reason for r in report.rejected)
    assert len(report.rejected) == 9
    kerman = located[located["code"] == "4628588406"].iloc[0]  # Kerman HF, 34.463 N 66.518 E
    assert (kerman["adm2_pcode"], kerman["adm1_pcode"], kerman["location_method"]) == ("AF2307", "AF23", "point")
    assert set(located["adm2_pcode"]) <= set(districts["adm2_pcode"])


# --- synthetic cases on the Afghanistan boundaries ------------------------------------------------------------

def test_a_point_inside_a_district(afghanistan):
    located, report = run(rows(KABUL), afghanistan)
    assert located[["adm2_pcode", "adm1_pcode", "location_method"]].values.tolist() == [["AF0101", "AF01", "point"]]
    assert (located["lat"].item(), located["lon"].item()) == KABUL
    assert not report.rejected and not report.warnings


def test_zero_zero_is_unusable(afghanistan):
    located, report = run(rows((0.0, 0.0), (0.0005, -0.0003)), afghanistan)
    assert located.empty
    assert [(r.row, r.column, r.value, r.reason) for r in report.rejected] == [
        (2, "lat/lon", "0.0, 0.0", "coordinates at 0,0 and no district named"),
        (3, "lat/lon", "0.0005, -0.0003", "coordinates at 0,0 and no district named")]


def test_swapped_coordinates_are_swapped_back(afghanistan):
    located, report = run(rows((69.2, 34.5), KABUL), afghanistan)
    first = located.iloc[0]
    assert (first["adm2_pcode"], first["location_method"]) == ("AF0101", "point_swapped")
    assert (first["lat"], first["lon"]) == (34.5, 69.2)
    assert located.iloc[1]["location_method"] == "point"
    assert any("1 rows had latitude and longitude swapped" in w and w.endswith("rows 2") for w in report.warnings)


def test_a_swap_into_another_province_than_the_row_names_is_not_taken(afghanistan):
    located, report = run(rows((69.2, 34.5), adm1_given=["AF02"]), afghanistan)  # Kabul is in AF01
    assert located.empty
    assert rejection(report, 2).reason == "point (69.2, 34.5) is outside the country and no district named"


def test_a_point_in_the_sea_is_rejected(afghanistan):
    located, report = run(rows((25.0, 60.0)), afghanistan)  # Gulf of Oman; swapped it is in Finland
    assert located.empty
    assert rejection(report, 2).reason == "point (25.0, 60.0) is outside the country and no district named"


def test_out_of_range_latitude(afghanistan):
    located, report = run(rows((95.0, 69.2), (34.5, 190.0)), afghanistan)
    assert located.empty
    assert rejection(report, 2).reason == "latitude 95.0 is out of range -90..90 and no district named"
    assert rejection(report, 3).reason == "longitude 190.0 is out of range -180..180 and no district named"


def outside_point(metres: float) -> tuple[tuple[float, float], str]:
    """A point `metres` outside Afghanistan's border towards Peshawar, and the district at that border."""
    districts = polygons(AFG_ADM2)
    utm = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32642", always_xy=True)
    to_utm, to_degrees = utm.transform, pyproj.Transformer.from_crs("EPSG:32642", "EPSG:4326", always_xy=True).transform
    country = shapely.transform(shapely.union_all(list(districts.values())), to_utm, interleaved=False)
    peshawar = shapely.Point(*to_utm(71.58, 34.01))
    border = shapely.ops.nearest_points(country, peshawar)[0]
    direction = np.array([peshawar.x - border.x, peshawar.y - border.y])
    x, y = np.array([border.x, border.y]) + metres * direction / np.linalg.norm(direction)
    lon, lat = to_degrees(x, y)
    border_degrees = shapely.Point(*to_degrees(border.x, border.y))
    code = min(districts, key=lambda c: districts[c].distance(border_degrees))
    return (lat, lon), code


def test_a_point_300_m_outside_the_border_goes_to_the_nearest_district(afghanistan):
    point, code = outside_point(300)
    far, _ = outside_point(1500)
    located, report = run(rows(point, far), afghanistan)
    assert located[["_row", "adm2_pcode", "location_method"]].values.tolist() == [[2, code, "point"]]
    assert located["lat"].item() == point[0]
    assert any(w.startswith("1 points up to 1 km outside the boundaries") for w in report.warnings)
    assert "is outside the country (1.5 km from the nearest district) and no district named" in \
        rejection(report, 3).reason


def test_unusable_coordinates_fall_back_on_the_named_district(afghanistan):
    frame = rows((np.nan, np.nan), (0.0, 0.0), (np.nan, np.nan), (np.nan, 69.2), (25.0, 60.0),
                 adm1_given=["AF01", "AF01", "AF01", pd.NA, "AF01"],
                 adm2_given=["AF0102", "Paghman", "Nowhere", "AF9999", "kabul"])
    located, report = run(frame, afghanistan)
    assert located[["_row", "adm2_pcode", "adm1_pcode", "location_method"]].values.tolist() == [
        [2, "AF0102", "AF01", "named_pcode"], [3, "AF0102", "AF01", "named_name"], [6, "AF0101", "AF01", "named_name"]]
    assert located["lat"].isna().all() and located["lon"].isna().all()
    assert rejection(report, 4).reason == "no coordinates and district name 'Nowhere' not found in province AF01"
    assert rejection(report, 5).reason == "no latitude and admin2 p-code AF9999 is not a district of the boundaries"
    assert rejection(report, 5).value == ", 69.2"
    assert any(w.startswith("3 rows with unusable coordinates were placed in the district their row names")
               and "1 no coordinates" in w and "1 coordinates at 0,0" in w and "1 point outside the country" in w
               for w in report.warnings)


def test_names_given_beside_pcodes(afghanistan):
    frame = rows((np.nan, np.nan), (np.nan, np.nan), adm1_given=["AF99", "AF01"], adm2_given=["AF9901", "AF0199"],
                 adm1_name_given=["Kabul", "Kabul"], adm2_name_given=["Paghman", "Surobi"])
    located, _ = run(frame, afghanistan)
    assert located[["adm2_pcode", "location_method"]].values.tolist() == [["AF0102", "named_name"],
                                                                          ["AF0115", "named_name"]]


def test_the_point_wins_over_the_named_district(afghanistan):
    frame = rows(KABUL, KABUL, KABUL, adm2_given=["AF0102", "AF0101", "Paghman"], adm1_given=["AF01"] * 3)
    located, report = run(frame, afghanistan)
    assert located["adm2_pcode"].tolist() == ["AF0101"] * 3 and set(located["location_method"]) == {"point"}
    warning = next(w for w in report.warnings if "name a district their coordinates are not in" in w)
    assert warning.startswith("2 rows") and "2: AF0102 -> AF0101" in warning and "4: AF0102 -> AF0101" in warning


def test_output_keeps_the_input_columns(afghanistan):
    frame = rows(KABUL, (0.0, 0.0), KABUL).assign(extra=["a", "b", "c"])
    located, _ = run(frame, afghanistan)
    assert list(located.columns) == list(frame.columns) + ["adm1_pcode", "adm2_pcode", "location_method"]
    assert located["extra"].tolist() == ["a", "c"] and located["_row"].tolist() == [2, 4]
    assert set(located["location_method"]) <= set(LOCATION_METHODS)
    empty, report = run(frame.iloc[:0], afghanistan)
    assert empty.empty and not report.rejected


def test_fifty_thousand_points_each_in_its_district(afghanistan):
    districts, _ = afghanistan
    points = districts.sample_points(130, rng=1).explode(index_parts=False).iloc[:50_000]
    frame = rows(*zip(points.y, points.x))
    located, report = run(frame, afghanistan)
    assert len(located) == 50_000 and not report.rejected
    assert (located["adm2_pcode"].to_numpy() == districts.loc[points.index, "adm2_pcode"].to_numpy()).all()
