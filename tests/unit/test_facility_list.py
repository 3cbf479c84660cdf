"""The plain facility list reader on the real WHO/KEMRI Nigeria list, the OSM extract and small synthetic lists."""

import csv
import random
from pathlib import Path

import pandas as pd
import pytest

from data.facility_list import COLUMNS, read_facility_list
from data.tables import TableError

FIXTURES = Path(__file__).parents[1] / "fixtures"
NIGERIA = FIXTURES / "nga_bay_who_kemri_public_health_facilities.csv"
OSM = FIXTURES / "hotosm_afg_health_facilities_points_partial.csv"

# Found by reading the file: (kept row, later row) of the same facility, same state, name and type.
SAME_POINT = {2: 3, 126: 127, 160: 161, 900: 901}  # coordinates equal to 5 decimals
NEARBY = {459: 460, 789: 790, 1177: 1178}  # Lafiya 1.5 km, Yadim 0.7 km, Walama 0.6 km apart
JALINGO = [356, 357, 358]  # three "Jalingo Health Post" in Adamawa, tens of km apart: distinct facilities


def raw_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def nigeria():
    return read_facility_list(NIGERIA)


@pytest.fixture(scope="module")
def osm():
    return read_facility_list(OSM)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_nigeria_rows_are_all_accounted_for(nigeria):
    rows, report = nigeria
    raw = raw_rows(NIGERIA)
    assert report.rows_in == len(raw) == 1656
    assert len(rows) + len(report.rejected) == report.rows_in
    assert list(rows.columns) == COLUMNS
    assert rows["facility_id"].notna().all() and rows["facility_id"].is_unique


def test_nigeria_duplicates_are_rejected_with_the_row_they_repeat(nigeria):
    rows, report = nigeria
    raw = raw_rows(NIGERIA)
    duplicates = {**SAME_POINT, **NEARBY}
    assert sorted(r.row for r in report.rejected) == sorted(duplicates.values())
    for rejection in report.rejected:
        first = next(k for k, v in duplicates.items() if v == rejection.row)
        kept, later = raw[first - 2], raw[rejection.row - 2]
        assert [kept[c] for c in ("Admin1", "Facility name", "Facility type")] == \
            [later[c] for c in ("Admin1", "Facility name", "Facility type")]
        kept_id = rows.loc[rows["_row"] == first, "facility_id"].item()
        assert rejection.reason.startswith(f"duplicate facility id {kept_id} (same as row {first})")
        assert rejection.column == "Facility name" and rejection.value == later["Facility name"]
        if rejection.row in NEARBY.values():
            assert "km apart" in rejection.reason
        else:
            assert "at the same point" in rejection.reason
    assert any("7 rows repeat an earlier facility" in w and "4 at the same point" in w
               and "3 at slightly different coordinates" in w for w in report.warnings)
    lafiya = next(r for r in report.rejected if r.row == 460)
    assert "1.54 km apart" in lafiya.reason  # 0.014 degrees of longitude at 9.6 N is about 1.5 km


def test_nigeria_namesakes_far_apart_are_distinct_facilities(nigeria):
    rows, report = nigeria
    jalingo = rows[rows["_row"].isin(JALINGO)]
    assert len(jalingo) == 3 and jalingo["facility_id"].nunique() == 3
    assert any("kept as distinct facilities" in w and "356, 357, 358" in w for w in report.warnings)


def test_nigeria_rows_without_coordinates_are_kept_for_the_locator(nigeria):
    rows, _ = nigeria
    raw = raw_rows(NIGERIA)
    empty = [i + 2 for i, r in enumerate(raw) if not r["Lat"].strip() and not r["Long"].strip()]
    assert len(empty) == 85  # the data README says 85
    missing = rows[rows["lat"].isna()]
    assert sorted(missing["_row"]) == empty and missing["lon"].isna().all()


def test_nigeria_fields(nigeria):
    rows, _ = nigeria
    first = rows[rows["_row"] == 2].iloc[0]
    assert first["name"] == "Abba Murke Health Post" and first["type"] == "Health Post"
    assert first["tier"] == "primary" and first["adm1_given"] == "Adamawa"
    assert first["lat"] == pytest.approx(9.567552209) and first["lon"] == pytest.approx(12.45577633)
    assert pd.isna(first["adm2_given"]) and pd.isna(first["adm1_name_given"]) and pd.isna(first["code"])
    assert first["source"] == NIGERIA.name
    assert rows["status"].isna().all() and rows["functionality"].isna().all() and rows["updated"].isna().all()
    assert str(rows["updated"].dtype) == "datetime64[ns]" and rows["lat"].dtype == "float64"
    moh = [i + 2 for i, r in enumerate(raw_rows(NIGERIA)) if r["Ownership"] == "MoH"]
    assert len(moh) == 2
    assert set(rows.loc[rows["_row"].isin(moh), "ownership"]) == {"public"}
    assert rows.loc[~rows["_row"].isin(moh), "ownership"].isna().all()
    hospital = rows[rows["type"] == "General Hospital"]
    assert len(hospital) == 44 and set(hospital["tier"]) == {"secondary"}


def test_derived_ids_do_not_depend_on_row_order(nigeria, tmp_path):
    rows, _ = nigeria
    lines = NIGERIA.read_text(encoding="utf-8").splitlines()
    body = lines[1:]
    random.Random(7).shuffle(body)
    shuffled = write(tmp_path, NIGERIA.name, "\n".join([lines[0]] + body) + "\n")
    again, report = read_facility_list(shuffled)
    assert len(report.rejected) == 7
    assert set(again["facility_id"]) == set(rows["facility_id"])
    by_name = again.set_index("facility_id")["name"]
    assert (rows.set_index("facility_id")["name"] == by_name.reindex(rows["facility_id"])).all()


def test_osm_extract(osm):
    rows, report = osm
    raw = raw_rows(OSM)
    assert report.rows_in == len(raw) == 366 and not report.rejected and len(rows) == 366
    assert list(rows["facility_id"]) == [r["osm_id"] for r in raw]
    assert list(rows["code"]) == [r["osm_id"] for r in raw]
    expected_type = [r["healthcare"] or r["amenity"] or None for r in raw]
    assert [None if pd.isna(t) else t for t in rows["type"]] == expected_type
    from_amenity = sum(1 for r in raw if not r["healthcare"] and r["amenity"])
    assert from_amenity == 207  # every row without `healthcare` has an `amenity`
    assert rows.loc[rows["type"] == "hospital", "tier"].eq("secondary").all()
    owners = {r["operator_type"]: i + 2 for i, r in enumerate(raw) if r["operator_type"]}
    got = rows.set_index("_row")["ownership"]
    assert got[owners["public/government"]] == "public" and got[owners["ngo"]] == "ngo"
    assert got[owners["community"]] == "community" and got.isna().sum() == 363
    assert rows["name"].isna().sum() == sum(1 for r in raw if not r["name"])
    assert rows["adm1_given"].isna().all() and rows["adm2_given"].isna().all()


def test_french_headers_decimal_commas_and_ownership(tmp_path):
    path = write(tmp_path, "liste.csv",
                 "Nom;Type de structure;Propriétaire;Latitude;Longitude;Région;District\n"
                 "CS Kalo;Centre de santé;Gouvernement;12,5;-1,25;Centre;Kalo\n"
                 "Clinique Espoir;Clinique;Privé;12,6;-1,3;Centre;Kalo\n"
                 "Dispensaire Ste Marie;Dispensaire;Mission catholique;;;Nord;Ouahigouya\n"
                 "Poste X;Poste de santé;ONG;12,7;abc;Centre;Kalo\n"
                 ";;;;;Centre;Kalo\n")
    rows, report = read_facility_list(path)
    assert report.rows_in == 5 and len(rows) == 4
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [(6, "Nom", "no facility name and no coordinates")]
    assert list(rows["ownership"]) == ["public", "private", "ngo", "ngo"]
    assert list(rows["lat"][:2]) == [12.5, 12.6] and list(rows["lon"][:2]) == [-1.25, -1.3]
    assert rows["lon"].isna().tolist() == [False, False, True, True]
    assert any("not numbers" in w and "5: 12,7, abc" in w for w in report.warnings)
    assert list(rows["adm2_given"]) == ["Kalo", "Kalo", "Ouahigouya", "Kalo"]
    assert list(rows["adm1_given"][:1]) == ["Centre"] and rows["adm2_name_given"].isna().all()


def test_hxl_tags_pcodes_and_names(tmp_path):
    path = write(tmp_path, "hxl.csv",
                 "Health structure,Kind,Y coord,X coord,Province code,Province,District code,District name\n"
                 "#loc+name,#loc+type,#geo+lat,#geo+lon,#adm1+code,#adm1+name,#adm2+code,#adm2+name\n"
                 "Kabul BHC,BHC,34.5,69.2,AF01,Kabul,AF0101,Kabul\n")
    rows, report = read_facility_list(path)
    assert report.rows_in == 1 and len(rows) == 1
    row = rows.iloc[0]
    assert row["_row"] == 3 and row["name"] == "Kabul BHC" and row["tier"] == "primary"
    assert (row["adm1_given"], row["adm2_given"]) == ("AF01", "AF0101")
    assert (row["adm1_name_given"], row["adm2_name_given"]) == ("Kabul", "Kabul")
    assert (row["lat"], row["lon"]) == (34.5, 69.2)


def test_repeated_codes_are_rejected(tmp_path):
    path = write(tmp_path, "codes.csv",
                 "Facility code,Facility name,Facility type,Latitude,Longitude\n"
                 "HF-1,Alpha,Clinic,10.1,12.1\n"
                 "HF-2,Beta,Clinic,10.2,12.2\n"
                 "HF-1,Alpha again,Clinic,10.3,12.3\n"
                 ",Gamma,Clinic,10.4,12.4\n")
    rows, report = read_facility_list(path)
    assert list(rows["facility_id"][:2]) == ["HF-1", "HF-2"] and rows["facility_id"].str.startswith("L-").iloc[2]
    assert [(r.row, r.column, r.value, r.reason) for r in report.rejected] == [
        (4, "Facility code", "HF-1", "duplicate facility id HF-1 (same as row 2)")]
    assert any("1 rows have no Facility code" in w for w in report.warnings)


def test_identical_rows_without_coordinates_share_an_id(tmp_path):
    path = write(tmp_path, "plain.csv",
                 "Name,Type,State,Lat,Long\n"
                 "Gada Dispensary,Dispensary,Yobe,,\n"
                 "GADA dispensary ,Dispensary,yobe,,\n"
                 "Gada Dispensary,Dispensary,Borno,,\n")
    rows, report = read_facility_list(path)
    assert list(rows["_row"]) == [2, 4] and rows["facility_id"].is_unique
    assert [r.row for r in report.rejected] == [3] and "(same as row 2)" in report.rejected[0].reason


def test_missing_columns_raise_naming_the_file(tmp_path):
    path = write(tmp_path, "nothing.csv", "Code,Type\nA,Clinic\n")
    with pytest.raises(TableError, match=r"nothing\.csv: no facility name column .* no coordinate columns"):
        read_facility_list(path)
    half = write(tmp_path, "half.csv", "Name,Latitude\nA,10\n")
    with pytest.raises(TableError, match=r"half\.csv: a latitude column \(Latitude\) but no longitude column"):
        read_facility_list(half)
