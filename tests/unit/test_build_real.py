"""Datasets built from the real files users have: counts that add up, districts found, reasons given."""

import csv

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from data.build import build_dataset
from data.dataset import load_dataset
from data.demo import POPULATION
from tests.conftest import FIXTURES

NGA_LIST = FIXTURES / "nga_bay_who_kemri_public_health_facilities.csv"
OSM = FIXTURES / "hotosm_afg_health_facilities_points_partial.csv"


def _source(manifest, name):
    return next(s for s in manifest["sources"] if s["file"] == name)


@pytest.fixture(scope="module")
def nigeria(tmp_path_factory):
    out = tmp_path_factory.mktemp("nga") / "dataset"
    manifest = build_dataset(out, [FIXTURES / "nga_bay_adm2_osgof_20190417.geojson",
                                   FIXTURES / "nga_bay_adm1_osgof_20190417.geojson"],
                             FIXTURES / "nga_bay_admpop_adm2_2020.csv", facilities=[NGA_LIST],
                             report_dates=["2019-06-30"])
    return manifest, load_dataset(out)


def test_nigeria_facility_list_counts_add_up(nigeria):
    manifest, dataset = nigeria
    with open(NGA_LIST, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    no_coordinates = sum(1 for r in rows if not r["Lat"].strip() or not r["Long"].strip())
    assert (len(rows), no_coordinates) == (1656, 85)
    source = _source(manifest, NGA_LIST.name)
    assert source["rows_in"] == 1656 == source["accepted"] + source["rejected"]
    assert len(dataset.facilities) == source["accepted"] == 1552
    rejected = dataset.rejected[dataset.rejected["file"] == NGA_LIST.name]
    assert len(rejected) == source["rejected"] == 104
    # The list names states only, so a facility without coordinates cannot be placed in an LGA.
    assert (rejected["reason"] == "no coordinates and no district named").sum() == 85
    assert rejected["reason"].str.startswith("duplicate facility id").sum() == 7
    assert rejected["reason"].str.contains("outside the country").sum() == 12
    assert dataset.rounds["round"].tolist() == ["2019-06-30"]
    assert set(dataset.facilities["location_method"]) == {"point"}
    assert dataset.services.empty  # a plain list says nothing of services
    assert int(dataset.population["population"].sum()) == int(
        pd.read_csv(FIXTURES / "nga_bay_admpop_adm2_2020.csv")["T_TL"].sum())


def test_nigeria_facilities_per_lga_match_an_independent_count(nigeria):
    """Accepted rows of the raw file, placed with shapely alone, give the same count per LGA.

    A point in no LGA (a few hundred metres outside the border) goes to the nearest one, as the product does.
    """
    _, dataset = nigeria
    raw = pd.read_csv(NGA_LIST)
    raw["_row"] = range(2, len(raw) + 2)
    rejected_rows = set(dataset.rejected.loc[dataset.rejected["file"] == NGA_LIST.name, "row"].astype(int))
    kept = raw[~raw["_row"].isin(rejected_rows)]
    lgas = gpd.read_file(FIXTURES / "nga_bay_adm2_osgof_20190417.geojson").set_index("ADM2_PCODE")
    points = shapely.points(kept["Long"].to_numpy(), kept["Lat"].to_numpy())
    tree = shapely.STRtree(lgas.geometry.to_numpy())
    point_index, lga_index = tree.query(points, predicate="within")
    placed = pd.Series(lga_index, index=point_index)
    outside = sorted(set(range(len(points))) - set(point_index))
    assert len(outside) == 9
    placed = pd.concat([placed, pd.Series(tree.nearest(points[outside]), index=outside)])
    independent = pd.Series(lgas.index[placed.to_numpy()]).value_counts()
    counted = dataset.facilities.groupby("adm2_pcode", observed=True).size()
    assert counted.sort_index().to_dict() == independent.sort_index().to_dict()
    assert counted.sum() == 1552
    maiduguri = lgas.index[lgas["ADM2_EN"] == "Maiduguri"][0]
    assert counted[maiduguri] == independent[maiduguri] == 9


@pytest.mark.slow
def test_official_afghan_cod_ab_with_dari_names_and_osm_points(tmp_path):
    out = tmp_path / "afg"
    manifest = build_dataset(out, [FIXTURES / "afg_adm2_agcho_20180522_simplified.geojson",
                                   FIXTURES / "afg_adm1_agcho_20180522_simplified.geojson"],
                             POPULATION, facilities=[OSM], report_dates=["2024-01-31"])
    dataset = load_dataset(out)
    assert len(dataset.districts) == 399
    assert dataset.districts.set_index("adm2_pcode").at["AF0101", "adm2_name_da"] == "کابل"
    population = _source(manifest, POPULATION.name)
    # The official boundaries know 3 more districts than the default ones: 23 rows (598,452 people) unplaced.
    assert (population["rows_in"], population["accepted"], population["rejected"]) == (421, 398, 23)
    assert "598,452 people" in population["warnings"][0]
    osm = _source(manifest, OSM.name)
    assert (osm["rows_in"], osm["accepted"], osm["rejected"]) == (366, 357, 9)
    assert len(dataset.facilities) == 357
    assert dataset.facilities["facility_id"].is_unique
    kerman = dataset.facilities.set_index("facility_id").loc["4628588406"]
    assert (kerman["name"], kerman["type"], kerman["tier"], kerman["adm2_pcode"]) == (
        "Kerman HF", "hospital", "secondary", "AF2307")
    reasons = dataset.rejected.loc[dataset.rejected["file"] == OSM.name, "reason"]
    assert reasons.str.contains("outside the country").all()
