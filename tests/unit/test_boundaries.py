"""The COD-AB reader on every real boundary file the project knows, and on broken ones."""

import re

import pytest
import shapely

from data.demo import BOUNDARIES
from geo.boundaries import BoundaryError, classify_field, read_boundaries
from tests.conftest import FIXTURES

AFG_DEFAULT_ADM2, AFG_DEFAULT_ADM1 = BOUNDARIES

# file, level asked, level read, units, p-code pattern, a p-code and its English name, local-name column
CASES = [
    (AFG_DEFAULT_ADM2, None, 2, 395, r"AF\d{4}", "AF0102", "Paghman", None),
    (AFG_DEFAULT_ADM1, None, 1, 34, r"AF\d{2}", "AF01", "Kabul", None),
    (FIXTURES / "afg_adm2_agcho_20180522_simplified.geojson", None, 2, 399, r"AF\d{4}", "AF0102", "Paghman", "adm2_name_da"),
    (FIXTURES / "afg_adm1_agcho_20180522_simplified.geojson", None, 1, 34, r"AF\d{2}", "AF01", "Kabul", "adm1_name_da"),
    (FIXTURES / "nga_bay_adm2_osgof_20190417.geojson", None, 2, 65, r"NG\d{6}", "NG008001", "Abadam", None),
    (FIXTURES / "nga_bay_adm1_osgof_20190417.geojson", None, 1, 3, r"NG\d{3}", "NG008", "Borno", None),
    (FIXTURES / "irq_adm2_cso_20190603.geojson", None, 2, 101, r"IQG\d{2}Q\d{2}", "IQG02Q01", "Abu Al-Khaseeb", "adm2_name_ar"),
    (FIXTURES / "irq_adm1_cso_20190603.geojson", None, 1, 18, r"IQG\d{2}", "IQG01", "Al-Anbar", "adm1_name_ar"),
    (FIXTURES / "nga_bay_adm2_hdx_utm.zip", None, 2, 65, r"NG\d{6}", "NG008001", "Abadam", None),
    (FIXTURES / "irq_adm_cso.gpkg", None, 2, 101, r"IQG\d{2}Q\d{2}", "IQG02Q01", "Abu Al-Khaseeb", "adm2_name_ar"),
    (FIXTURES / "irq_adm_cso.gpkg", 1, 1, 18, r"IQG\d{2}", "IQG01", "Al-Anbar", "adm1_name_ar"),
]


@pytest.mark.parametrize("path, asked, level, units, pattern, code, name, local", CASES,
                         ids=[f"{c[0].name}-{c[1]}" for c in CASES])
def test_reads_every_real_boundary_file(path, asked, level, units, pattern, code, name, local):
    boundaries = read_boundaries(path, level=asked)
    table = boundaries.table
    assert boundaries.level == level
    assert len(table) == units
    assert table.crs.to_epsg() == 4326
    assert table[f"adm{level}_pcode"].is_unique
    assert table[f"adm{level}_pcode"].str.fullmatch(pattern).all()
    assert table.set_index(f"adm{level}_pcode").at[code, f"adm{level}_name"] == name
    assert table.geometry.is_valid.all() and not table.geometry.is_empty.any()
    if level == 2:
        assert table["adm1_pcode"].notna().all()
    if local:
        assert table[local].notna().all()
    report = boundaries.report
    assert report.rows_in == report.accepted + len(report.rejected) == units
    minx, miny, maxx, maxy = table.total_bounds
    assert -180 <= minx < maxx <= 180 and -90 <= miny < maxy <= 90


def test_zipped_shapefile_is_reprojected_and_hdx_fields_found():
    boundaries = read_boundaries(FIXTURES / "nga_bay_adm2_hdx_utm.zip")
    assert any("reprojected from EPSG:32633" in w for w in boundaries.report.warnings)
    # Borno, Adamawa and Yobe lie between 9.6 and 14.7 E, 7.3 and 13.8 N.
    minx, miny, maxx, maxy = boundaries.table.total_bounds
    assert 9.5 < minx and maxx < 14.8 and 7.2 < miny and maxy < 13.9
    reference = read_boundaries(FIXTURES / "nga_bay_adm2_osgof_20190417.geojson").table.set_index("adm2_pcode").to_crs(6933)
    reprojected = boundaries.table.set_index("adm2_pcode").to_crs(6933)
    overlap = reprojected.geometry.intersection(reference.geometry).area / reference.geometry.area
    assert overlap.min() > 0.999


def test_province_level_is_dissolved_from_districts_when_asked():
    boundaries = read_boundaries(AFG_DEFAULT_ADM2, level=1)
    assert len(boundaries.table) == 34
    assert "dissolved from the level 2" in boundaries.report.warnings[0]
    assert "adm2_pcode" not in boundaries.table.columns


def test_messy_file_rejects_repairs_and_merges_with_reasons():
    boundaries = read_boundaries(FIXTURES / "messy_districts.geojson")
    report = boundaries.report
    assert (report.rows_in, report.accepted, len(report.rejected)) == (6, 4, 2)
    assert [(r.row, r.column, r.value, r.reason) for r in report.rejected] == [
        (3, "ADM2_PCODE", "", "no p-code"),
        (6, "geometry", "NG999999", "no polygon"),
    ]
    assert any(w.startswith("repaired 1 invalid geometries (NG008002)") for w in report.warnings)
    assert any("merged (NG008001)" in w for w in report.warnings)
    table = boundaries.table.set_index("adm2_pcode")
    assert sorted(table.index) == ["NG008001", "NG008002", "NG008003"]  # Bade (row 3) had no p-code
    assert table.geometry.is_valid.all()
    assert table.geometry["NG008001"].geom_type == "MultiPolygon"  # both features of the split LGA kept


def test_file_without_pcode_fails_with_one_line_naming_file_and_field():
    with pytest.raises(BoundaryError) as error:
        read_boundaries(FIXTURES / "no_pcode.geojson")
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("no_pcode.geojson: no p-code field")
    assert "ADM2_PCODE" in message and "NAME, REGION" in message


def test_missing_level_names_the_field():
    with pytest.raises(BoundaryError, match=r"^nga_bay_adm1_osgof_20190417.geojson: no p-code field for admin level 2 "
                                            r"\(expected ADM2_PCODE\); found ADM0_PCODE, ADM1_PCODE$"):
        read_boundaries(FIXTURES / "nga_bay_adm1_osgof_20190417.geojson", level=2)


@pytest.mark.parametrize("name", ["broken.geojson", "make_fixtures.py"])
def test_unreadable_file_fails_with_one_line(name):
    with pytest.raises(BoundaryError) as error:
        read_boundaries(FIXTURES / name)
    assert re.match(rf"^{re.escape(name)}: (cannot be read as a boundary file|no p-code field)", str(error.value))
    assert "\n" not in str(error.value)


def test_missing_file_and_bad_zip(tmp_path):
    with pytest.raises(BoundaryError, match="^nothing.geojson: no such file$"):
        read_boundaries(tmp_path / "nothing.geojson")
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(BoundaryError, match="^bad.zip: not a readable zip file"):
        read_boundaries(bad)


def test_invalid_geometry_is_repaired_not_dropped(tmp_path):
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    import geopandas as gpd
    gpd.GeoDataFrame({"ADM1_PCODE": ["XX01"], "ADM1_EN": ["Bow"]}, geometry=[bowtie], crs=4326).to_file(
        tmp_path / "bow.geojson")
    boundaries = read_boundaries(tmp_path / "bow.geojson")
    assert boundaries.table.geometry.is_valid.all()
    assert boundaries.table.geometry.iloc[0].area == pytest.approx(0.5)


@pytest.mark.parametrize("field, expected", [
    ("ADM2_PCODE", (2, "pcode")), ("admin2Pcode", (2, "pcode")), ("admin2Pcod", (2, "pcode")),
    ("ADM2_EN", (2, "name")), ("admin2Name_en", (2, "name")), ("admin2Name", (2, "name")), ("ADM1_NAME", (1, "name")),
    ("ADM2_DA", (2, "da")), ("ADM1_AR", (1, "ar")), ("admin1Name_fr", (1, "fr")),
    ("ADM2_REF", None), ("ADM2ALT1EN", None), ("REG_PCODE", None), ("Shape_Leng", None),
])
def test_classify_field(field, expected):
    assert classify_field(field) == expected
