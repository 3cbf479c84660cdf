"""Partner coverage, duplication and gaps: hand-computed values on a five-district dataset, facts on the demo."""

from pathlib import Path

import pandas as pd
import pytest

from analysis.coverage import (
    coverage_matrix,
    duplication_list,
    gap_list,
    partner_indicators,
    slug,
    who_is_where,
)
from analysis.filters import Filter
from data import schema
from data.dataset import Dataset
from tests.conftest import records

NA = None
MARCH = Filter(round="2026-03-31")  # round_months = 3: January to March 2026 (and undated rows) count
# Facility shortfall (phc_gap): Alpha short of 2, Charlie of none, Echo of 3.
SHORTFALL = pd.Series({"AF0101": 2.0, "AF0201": 0.0, "AF0203": 3.0})

ACTIVITY_ROWS = [  # org_name, acronym, org_type, activity, adm2, month, targeted, reached
    ("Health Org A", "HOA", "UN", "Primary care", "AF0101", "2026-01-01", 100, 80),  # 1
    ("Care B", "CB", "INGO", "Primary care", "AF0101", "2026-02-01", 200, 150),  # 2
    ("Clinic C", NA, "NNGO", "Primary care", "AF0101", NA, 100, 70),  # 3 undated: counts in every round
    ("Health Org A", "HOA", "UN", "Primary care", "AF0101", "2026-03-01", 50, NA),  # 4
    ("Doctors D", "DD", "INGO", "Primary care", "AF0202", "2025-12-01", 999, 999),  # 5 before the window
    ("Doctors D", "DD", "INGO", "Mental health", "AF0102", "2026-04-01", 500, 500),  # 6 after the round
    ("Emergency E", "EE", "Red Cross/Red Crescent", "Immunisation (EPI)", "AF0102", "2026-03-01", 0, 10),  # 7
    ("Friends F", "FF", "Government", "Mental health", "AF0102", "2026-02-01", NA, NA),  # 8
    ("Care B", "CB", "INGO", "Mental health", "AF0201", "2026-01-01", 40, 30),  # 9
    ("Emergency E", "EE", "Red Cross/Red Crescent", "Immunisation (EPI)", "AF0101", "2026-01-01", 60, 60),  # 10
    ("Health Org A", "HOA", "UN", "Mental health", "AF0201", "2026-02-01", 20, 10),  # 11
    ("Friends F", "FF", "Government", "Mental health", "AF0201", "2026-03-01", NA, 5),  # 12
    ("Emergency E", "EE", "Red Cross/Red Crescent", "Mental health", "AF0201", "2026-01-01", 10, NA),  # 13
]


@pytest.fixture(scope="module")
def small() -> Dataset:
    districts = pd.DataFrame({
        "adm2_pcode": ["AF0101", "AF0102", "AF0201", "AF0202", "AF0203"],
        "adm2_name": ["Alpha", "Bravo", "Charlie", "Delta", "Echo"],
        "adm1_pcode": ["AF01", "AF01", "AF02", "AF02", "AF02"],
        "adm1_name": ["North", "North", "South", "South", "South"],
        "area_km2": [100.0] * 5,
    })
    provinces = pd.DataFrame({"adm1_pcode": ["AF01", "AF02"], "adm1_name": ["North", "South"],
                              "area_km2": [200.0, 300.0]})
    rounds = pd.DataFrame({"round": ["2026-03-31", "2026-06-30"],
                           "report_date": pd.to_datetime(["2026-03-31", "2026-06-30"])})
    rows = pd.DataFrame(ACTIVITY_ROWS, columns=["org_name", "org_acronym", "org_type", "activity", "adm2_pcode",
                                                "month", "targeted", "reached"])
    rows = rows.assign(adm1_pcode=rows["adm2_pcode"].str[:4], admin_match="pcode", sector="Health",
                       month=pd.to_datetime(rows["month"]), source="5w.csv")
    activities = schema.validate("activities", rows.reindex(columns=schema.empty("activities").columns))
    needs = schema.validate("needs", pd.DataFrame(
        [("AF0101", "intersectoral", 1000, 3),
         ("AF0201", "intersectoral", 500, 2),
         ("AF0202", "Health", 800, 4),  # no intersectoral row: the highest sector's severity (4) and pin (900)
         ("AF0202", "Protection", 900, 3),
         ("AF0203", "Intersectoral", 600, 2),  # the intersectoral row wins over Health's 4
         ("AF0203", "Health", 700, 4)],
        columns=["adm2_pcode", "sector", "pin", "severity"]))  # Bravo (AF0102) has no HNO row
    return Dataset(path=Path("."), manifest={}, districts=districts, provinces=provinces, rounds=rounds,
                   activities=activities, needs=needs)


def test_partner_indicators_by_hand(small):
    table = partner_indicators(small, MARCH, SHORTFALL)
    assert list(table.columns) == [
        "adm2_pcode", "partners", "partners_immunisation_epi", "partners_mental_health", "partners_primary_care",
        "reached", "targeted", "pct_reached", "duplication", "uncovered", "need", "need_reason"]
    rows = records(table)
    # Alpha, rows 1-4 and 10 (HOA twice): HOA, CB, Clinic C, EE = 4; primary care 3 (HOA, CB, Clinic C).
    # reached 80 + 150 + 70 + NA + 60 = 360; targeted 100 + 200 + 100 + 50 + 60 = 510; 100 x 360 / 510.
    # Primary care has 3 organisations >= duplication_partners (3): duplication 1.
    assert rows[0] == pytest.approx({
        "adm2_pcode": "AF0101", "partners": 4, "partners_immunisation_epi": 1, "partners_mental_health": 0,
        "partners_primary_care": 3, "reached": 360, "targeted": 510, "pct_reached": 100 * 360 / 510,
        "duplication": 1, "uncovered": False, "need": True, "need_reason": "severity 3; facility shortfall of 2"})
    # Bravo, rows 7-8 (row 6, April, is after the round): EE, FF = 2. reached 10 + NA = 10, targeted 0 + NA = 0:
    # nothing targeted, so no percentage. No HNO row, no shortfall: no need.
    assert rows[1] == {
        "adm2_pcode": "AF0102", "partners": 2, "partners_immunisation_epi": 1, "partners_mental_health": 1,
        "partners_primary_care": 0, "reached": 10, "targeted": 0, "pct_reached": None,
        "duplication": 0, "uncovered": False, "need": False, "need_reason": None}
    # Charlie, rows 9, 11-13: CB, HOA, FF, EE = 4 on mental health (duplication 1).
    # reached 30 + 10 + 5 + NA = 45; targeted 40 + 20 + NA + 10 = 70; 100 x 45 / 70. Severity 2, shortfall 0.
    assert rows[2] == pytest.approx({
        "adm2_pcode": "AF0201", "partners": 4, "partners_immunisation_epi": 0, "partners_mental_health": 4,
        "partners_primary_care": 0, "reached": 45, "targeted": 70, "pct_reached": 100 * 45 / 70,
        "duplication": 1, "uncovered": False, "need": False, "need_reason": None})
    # Delta: its only row (5, December 2025) is before the window; severity 4 >= 3 and no partner: uncovered.
    assert rows[3] == {
        "adm2_pcode": "AF0202", "partners": 0, "partners_immunisation_epi": 0, "partners_mental_health": 0,
        "partners_primary_care": 0, "reached": None, "targeted": None, "pct_reached": None,
        "duplication": 0, "uncovered": True, "need": True, "need_reason": "severity 4"}
    # Echo: intersectoral severity 2 (not Health's 4), but a shortfall of 3 and no partner: uncovered.
    assert rows[4] == {
        "adm2_pcode": "AF0203", "partners": 0, "partners_immunisation_epi": 0, "partners_mental_health": 0,
        "partners_primary_care": 0, "reached": None, "targeted": None, "pct_reached": None,
        "duplication": 0, "uncovered": True, "need": True, "need_reason": "facility shortfall of 3"}


def test_without_shortfall_only_severity_makes_a_need(small):
    table = partner_indicators(small, MARCH).set_index("adm2_pcode")
    # Alpha: severity 3 alone; Echo: severity 2 and no shortfall given, so no need and not uncovered.
    assert table.loc["AF0101", "need_reason"] == "severity 3"
    assert table["need"].to_dict() == {"AF0101": True, "AF0102": False, "AF0201": False, "AF0202": True,
                                       "AF0203": False}
    assert table["uncovered"].to_dict() == {"AF0101": False, "AF0102": False, "AF0201": False, "AF0202": True,
                                            "AF0203": False}


def test_org_type_filter(small):
    table = partner_indicators(small, Filter(round="2026-03-31", org_types=("INGO", "NNGO")), SHORTFALL)
    # In the window: CB (INGO) and Clinic C (NNGO) in Alpha, CB in Charlie; Doctors D's rows are all outside.
    # No immunisation left, so no partners_immunisation_epi column.
    assert [c for c in table.columns if c.startswith("partners")] == [
        "partners", "partners_mental_health", "partners_primary_care"]
    assert table["partners"].tolist() == [2, 0, 1, 0, 0]
    assert table["duplication"].tolist() == [0, 0, 0, 0, 0]  # Alpha's primary care: 2 < 3
    # Alpha: reached 150 + 70 = 220, targeted 200 + 100 = 300.
    assert table.loc[0, ["reached", "targeted"]].tolist() == [220, 300]
    assert table.loc[0, "pct_reached"] == pytest.approx(100 * 220 / 300)


def test_activity_filter(small):
    table = partner_indicators(small, Filter(round="2026-03-31", activities=("Mental health",)), SHORTFALL)
    # Mental health in the window: FF in Bravo (row 8); CB, HOA, FF, EE in Charlie. Alpha loses its partners,
    # keeps its need (severity 3, shortfall 2) and becomes uncovered.
    assert [c for c in table.columns if c.startswith("partners")] == ["partners", "partners_mental_health"]
    assert table["partners"].tolist() == [0, 1, 4, 0, 0]
    assert table["uncovered"].tolist() == [True, False, False, True, True]


def test_another_round_has_its_own_months_and_the_undated_rows(small):
    table = partner_indicators(small, Filter(round="2026-06-30"))
    # April to June 2026: only row 6 (Doctors D in Bravo, April) and the undated row 3 (Clinic C in Alpha).
    assert table["partners"].tolist() == [1, 1, 0, 0, 0]
    assert table["reached"].tolist()[:2] == [70, 500]


def test_province_filter_keeps_only_its_districts(small):
    table = partner_indicators(small, Filter(round="2026-03-31", admin1=("AF02",)), SHORTFALL)
    assert table["adm2_pcode"].tolist() == ["AF0201", "AF0202", "AF0203"]
    assert table["partners"].tolist() == [4, 0, 0]


def test_coverage_matrix(small):
    assert records(coverage_matrix(small, MARCH)) == [
        # Alpha immunisation: row 10.
        {"adm2_pcode": "AF0101", "adm2_name": "Alpha", "adm1_name": "North", "activity": "Immunisation (EPI)",
         "partners": 1, "organisations": "EE", "reached": 60, "targeted": 60},
        # Alpha primary care: rows 1-4; Clinic C has no acronym, so its name. 80+150+70 = 300; 100+200+100+50.
        {"adm2_pcode": "AF0101", "adm2_name": "Alpha", "adm1_name": "North", "activity": "Primary care",
         "partners": 3, "organisations": "CB; Clinic C; HOA", "reached": 300, "targeted": 450},
        {"adm2_pcode": "AF0102", "adm2_name": "Bravo", "adm1_name": "North", "activity": "Immunisation (EPI)",
         "partners": 1, "organisations": "EE", "reached": 10, "targeted": 0},
        {"adm2_pcode": "AF0102", "adm2_name": "Bravo", "adm1_name": "North", "activity": "Mental health",
         "partners": 1, "organisations": "FF", "reached": None, "targeted": None},
        # Charlie mental health: rows 9, 11-13. 30+10+5 = 45; 40+20+10 = 70.
        {"adm2_pcode": "AF0201", "adm2_name": "Charlie", "adm1_name": "South", "activity": "Mental health",
         "partners": 4, "organisations": "CB; EE; FF; HOA", "reached": 45, "targeted": 70},
    ]


def test_duplication_list_most_crowded_first(small):
    table = duplication_list(small, MARCH)
    # Charlie's 4 before Alpha's 3, though Alpha comes first by name; the single-partner cells are left out.
    assert table[["adm2_name", "activity", "partners"]].values.tolist() == [
        ["Charlie", "Mental health", 4], ["Alpha", "Primary care", 3]]


def test_gap_list(small):
    assert records(gap_list(small, MARCH, SHORTFALL)) == [
        {"adm2_pcode": "AF0202", "adm2_name": "Delta", "adm1_name": "South", "need_reason": "severity 4",
         "severity": 4, "pin": 900},  # no intersectoral row: max over Health (800) and Protection (900)
        {"adm2_pcode": "AF0203", "adm2_name": "Echo", "adm1_name": "South", "need_reason": "facility shortfall of 3",
         "severity": 2, "pin": 600},
    ]


def test_gap_list_orders_by_severity_then_people_in_need(small):
    shortfall = pd.Series({"AF0101": 2, "AF0201": 1, "AF0203": 3})
    table = gap_list(small, Filter(round="2026-03-31", activities=("Primary care",)), shortfall)
    # Primary care only in Alpha. Uncovered: Delta (severity 4), Echo (2, pin 600), Charlie (2, pin 500);
    # Bravo has no partner but no need.
    assert table[["adm2_name", "severity", "pin", "need_reason"]].values.tolist() == [
        ["Delta", 4, 900, "severity 4"], ["Echo", 2, 600, "facility shortfall of 3"],
        ["Charlie", 2, 500, "facility shortfall of 1"]]


def test_who_is_where(small):
    assert records(who_is_where(small, MARCH)) == [
        # EE: rows 7, 10, 13 in Bravo, Alpha, Charlie (2 provinces); reached 10 + 60 + NA = 70.
        {"org_name": "Emergency E", "org_acronym": "EE", "org_type": "Red Cross/Red Crescent", "districts": 3,
         "provinces": 2, "activities": "Immunisation (EPI); Mental health", "reached": 70},
        # CB: rows 2, 9; 150 + 30.
        {"org_name": "Care B", "org_acronym": "CB", "org_type": "INGO", "districts": 2, "provinces": 2,
         "activities": "Mental health; Primary care", "reached": 180},
        # FF: rows 8, 12; NA + 5.
        {"org_name": "Friends F", "org_acronym": "FF", "org_type": "Government", "districts": 2, "provinces": 2,
         "activities": "Mental health", "reached": 5},
        # HOA: rows 1, 4, 11; 80 + NA + 10.
        {"org_name": "Health Org A", "org_acronym": "HOA", "org_type": "UN", "districts": 2, "provinces": 2,
         "activities": "Mental health; Primary care", "reached": 90},
        {"org_name": "Clinic C", "org_acronym": None, "org_type": "NNGO", "districts": 1, "provinces": 1,
         "activities": "Primary care", "reached": 70},
    ]  # Doctors D has no row in the window: not listed


def test_demo_structure(demo):
    assert "2026-06-30" in demo.rounds["round"].astype(str).tolist()
    chosen = Filter(round="2026-06-30")
    table = partner_indicators(demo, chosen)
    assert sorted(table["adm2_pcode"]) == sorted(demo.districts["adm2_pcode"].astype(str))
    assert (table["partners"] == 0).any()
    assert (table["duplication"] > 0).any()
    assert (table.loc[table["uncovered"], "partners"] == 0).all() and table.loc[table["uncovered"], "need"].all()
    # Independently: April to June 2026 (round_months = 3) plus undated rows, distinct names per district.
    acts = demo.activities
    month = acts["month"]
    window = acts[month.isna() | ((month >= "2026-04-01") & (month <= "2026-06-30"))]
    expected = window.groupby(window["adm2_pcode"].astype(str))["org_name"].nunique()
    got = table.set_index("adm2_pcode")["partners"]
    assert got.to_dict() == expected.reindex(got.index, fill_value=0).to_dict()
    assert len(duplication_list(demo, chosen)) == table["duplication"].sum()


@pytest.mark.parametrize("chosen", [
    Filter(round="2026-03-31"),
    Filter(org_types=("INGO", "NNGO"), admin1=("AF01", "AF27")),
    Filter(round="2026-09-30", activities=("Trauma care", "Mobile health teams")),
])
def test_partner_table_agrees_with_the_coverage_matrix(demo, chosen):
    """The partner table counts on integer codes; the coverage matrix groups the activity rows with pandas."""
    table = partner_indicators(demo, chosen).set_index("adm2_pcode")
    matrix = coverage_matrix(demo, chosen)
    assert len(matrix) and matrix["partners"].max() >= 3
    matrix = matrix.assign(column="partners_" + slug(matrix["activity"]))
    cells = matrix.pivot(index="adm2_pcode", columns="column", values="partners")
    per_activity = [column for column in table.columns if column.startswith("partners_")]
    assert per_activity == sorted(cells.columns)
    expected = cells.reindex(index=table.index, columns=per_activity).fillna(0).astype("Int64")
    pd.testing.assert_frame_equal(table[per_activity], expected, check_names=False)
    by_district = matrix.groupby("adm2_pcode")
    reached = by_district["reached"].sum(min_count=1).reindex(table.index).astype("Int64")
    pd.testing.assert_series_equal(table["reached"], reached, check_names=False)
    crowded = (matrix["partners"] >= 3).groupby(matrix["adm2_pcode"]).sum()  # duplication_partners = 3
    pd.testing.assert_series_equal(table["duplication"], crowded.reindex(table.index, fill_value=0).astype("Int64"),
                                   check_names=False)
