"""Building a dataset: canonical tables, manifest counts that add up, rejections kept, atomic replace."""

import json

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa
import pytest
from pyproj import Geod

from data import schema
from data.build import build_dataset
from data.dataset import DatasetError, load_dataset
from data.demo import BOUNDARIES, POPULATION
from geo.boundaries import BoundaryError
from tests.conftest import FIXTURES


def test_demo_dataset_tables_and_manifest(demo):
    assert len(demo.districts) == 395 and len(demo.provinces) == 34
    assert list(demo.districts.columns[:2]) == ["adm2_pcode", "adm2_name"]
    assert {"adm1_pcode", "adm1_name", "area_km2"} <= set(demo.districts.columns)
    # District areas (equal-area projection) add up to the geodesic area of the province polygons.
    provinces = gpd.read_file(BOUNDARIES[1])
    geodesic = sum(abs(Geod(ellps="WGS84").geometry_area_perimeter(g)[0]) for g in provinces.geometry) / 1e6
    assert demo.districts["area_km2"].sum() == pytest.approx(geodesic, rel=1e-3)
    assert demo.provinces["area_km2"].sum() == pytest.approx(geodesic, rel=1e-3)
    for source in demo.manifest["sources"]:
        assert source["rows_in"] == source["accepted"] + source["rejected"]
        assert len(source["sha256"]) == 64
    population = next(s for s in demo.manifest["sources"] if s["role"] == "population")
    assert (population["rows_in"], population["accepted"], population["rejected"]) == (421, 395, 26)
    assert demo.manifest["geometry"]["adm2"]["features"] == 395
    assert demo.manifest["geometry"]["adm2"]["gap_free"] is True


def test_population_rows_without_a_district_are_rejected_with_reason(demo):
    assert list(demo.rejected.columns) == schema.REJECTED_COLUMNS
    rejected = demo.rejected[demo.rejected["file"] == POPULATION.name]
    assert len(rejected) == 26
    assert set(rejected["reason"]) == {"p-code not in the district boundaries"}
    herat_city = rejected.set_index("value").loc["AF3201"]
    assert (herat_city["file"], herat_city["row"], herat_city["column"]) == (POPULATION.name, "386", "ADM2_PCODE")
    source = pd.read_csv(POPULATION)
    assert set(rejected["value"]) == set(source["ADM2_PCODE"]) - set(demo.districts["adm2_pcode"])
    assert int(demo.population["population"].sum()) + int(
        source.loc[source["ADM2_PCODE"].isin(rejected["value"]), "T_TL"].sum()) == 30_487_969


def test_provinces_dissolved_when_only_districts_given(tmp_path):
    manifest = build_dataset(tmp_path / "nga", [FIXTURES / "nga_bay_adm2_hdx_utm.zip"])
    dataset = load_dataset(tmp_path / "nga")
    assert sorted(dataset.provinces["adm1_name"]) == ["Adamawa", "Borno", "Yobe"]
    assert manifest["geometry"]["adm1"]["features"] == 3
    assert dataset.population.empty


@pytest.mark.slow
def test_failed_build_keeps_the_previous_dataset(tmp_path):
    out = tmp_path / "data"
    build_dataset(out, [BOUNDARIES[0]])
    before = (out / schema.MANIFEST).read_text()
    with pytest.raises(BoundaryError):
        build_dataset(out, [FIXTURES / "no_pcode.geojson"])
    assert (out / schema.MANIFEST).read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # no staging folder left behind


@pytest.mark.slow
def test_missing_or_old_dataset_says_how_to_build(tmp_path):
    with pytest.raises(DatasetError, match="make demo"):
        load_dataset(tmp_path / "none")
    out = tmp_path / "old"
    build_dataset(out, [BOUNDARIES[0]])
    manifest = json.loads((out / schema.MANIFEST).read_text())
    (out / schema.MANIFEST).write_text(json.dumps({**manifest, "schema_version": 0}))
    with pytest.raises(DatasetError, match="build it again"):
        load_dataset(out)


def _services_table() -> pd.DataFrame:
    """A services table as the snapshot makes it: categoricals with more categories than the rows use."""
    rows = [("2023-03-31", "HF2", "QHeRAMS205", "partial", "staff", None, None),
            ("2023-03-31", "HF1", "QHeRAMS110", "available", None, None, None),
            ("2023-06-30", "HF1", "QHeRAMS110", "stopped", None, None, None)]
    frame = pd.DataFrame(rows, columns=list(schema.TABLES["services"].columns))
    vocabularies = {"service": ["QHeRAMS205", "QHeRAMS110", "QHeRAMS999"], "status": schema.SERVICE_STATUS,
                    **{f"barrier_{rank}": schema.BARRIERS for rank in (1, 2, 3)}}
    return frame.astype({c: pd.CategoricalDtype(vocabularies[c]) if c in vocabularies else "category"
                         for c in frame.columns})


def test_services_validated_by_categories_are_stored_as_full_validation_stores_them():
    frame = _services_table()
    checked = schema.validate("services", frame)
    full = schema.TABLES["services"].validate(frame, lazy=True).astype("category")  # coerced to text, then back
    pd.testing.assert_frame_equal(checked, full)
    assert list(checked["service"].cat.categories) == ["QHeRAMS110", "QHeRAMS205"]  # used, sorted


@pytest.mark.parametrize("change", ["duplicate", "bad service", "missing status"])
def test_services_validated_by_categories_still_raise(change):
    frame = _services_table()
    if change == "duplicate":
        frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    elif change == "bad service":
        frame["service"] = frame["service"].cat.rename_categories({"QHeRAMS205": "Q205"})
    else:
        frame["status"] = frame["status"].cat.remove_categories(["partial"])
    with pytest.raises(pa.errors.SchemaErrors):
        schema.validate("services", frame)
