"""Facility and service indicators on a small hand-made dataset, every value worked out by hand below.

Two provinces, five districts, two rounds (R1, R2; R2 the latest), three services:
QHeRAMS110 (general_clinical, tracer opd), QHeRAMS205 (child_health, epi), QHeRAMS425 (srh, bemonc).

North XX01: Alpha XX0101 (20,000 people, 100 km², four counted facilities and a planned one),
            Bravo XX0102 (5,000 people, 50 km², two closed facilities, services stopped),
            Charlie XX0103 (no population row, two plain-list facilities: status missing, no services).
South XX02: Delta XX0201 (30,000 people, 200 km², no facility), Echo XX0202 (8,000 people, 40 km², three).
"""

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis import standards
from analysis.catalogue import DEFAULT_INDICATOR, DOMAINS, INDICATORS, SERVICES_FILE, TRACERS
from analysis.districts import district_indicators
from analysis.filters import Filter
from analysis.indicators import change_between_rounds, facility_indicators, province_indicators
from data.dataset import Dataset

R1, R2 = "2026-03-31", "2026-06-30"
NA = None

FACILITIES = [  # id, district, tier, ownership, status, building, functionality, accessibility
    ("A1", "XX0101", "primary", "public", "existing", "not_damaged", "full", "full"),
    ("A2", "XX0101", "primary", "ngo", "existing", "partially_damaged", "partial", "partial"),
    ("A3", "XX0101", "secondary", "public", "existing", "fully_damaged", "none", "none"),
    ("A4", "XX0101", "primary", "public", "planned", "not_damaged", "full", "full"),
    ("A5", "XX0101", "tertiary", "private", "existing", NA, "full", NA),
    ("B1", "XX0102", "primary", "public", "closed", "fully_damaged", NA, NA),
    ("B2", "XX0102", "primary", "public", "closed", "not_damaged", "full", "none"),  # stale "full": still closed
    ("C1", "XX0103", "primary", NA, NA, NA, NA, NA),  # plain list: nothing but a tier
    ("C2", "XX0103", "primary", "public", NA, NA, "full", NA),
    ("E1", "XX0202", "primary", "public", "existing", "not_damaged", "full", "full"),
    ("E2", "XX0202", "primary", "ngo", "existing", "not_damaged", "partial", "full"),
    ("E3", "XX0202", "community", "public", "existing", "partially_damaged", "full", "partial"),
]

NNP = "not_normally_provided"
SERVICES = {  # round -> facility -> (QHeRAMS110, QHeRAMS205, QHeRAMS425), each (status, barrier_1)
    R2: {
        "A1": (("available", NA), ("partial", "equipment"), (NNP, NA)),
        "A2": (("partial", "supplies"), ("not_available", "supplies"), ("available", NA)),
        "A3": (("stopped", NA), ("stopped", NA), ("stopped", NA)),
        "A4": (("available", NA), ("available", NA), ("available", NA)),  # planned: never counted
        "A5": (("available", NA), (NNP, NA), ("partial", "equipment")),
        "B1": (("stopped", NA), ("stopped", NA), ("stopped", NA)),
        "B2": (("stopped", NA), ("stopped", NA), ("stopped", NA)),
        "E1": (("available", NA), ("available", NA), ("partial", "finance")),
        "E2": (("not_available", "finance"), ("partial", "training"), (NNP, NA)),
        "E3": ((NNP, NA), ("available", NA), (NNP, NA)),
    },
    R1: {
        "A1": (("available", NA), ("available", NA), (NNP, NA)),
        "A2": (("available", NA), ("available", NA), ("available", NA)),
        "A3": (("available", NA), ("available", NA), ("available", NA)),
        "A5": (("available", NA), (NNP, NA), ("available", NA)),
        "B1": (("partial", NA), ("partial", NA), ("partial", NA)),
        "B2": (("partial", NA), ("partial", NA), ("partial", NA)),
        "E1": (("not_available", NA), ("not_available", NA), ("partial", NA)),
        "E2": (("not_available", NA), ("partial", NA), (NNP, NA)),
        "E3": ((NNP, NA), ("not_available", NA), (NNP, NA)),
    },
}
CODES = ("QHeRAMS110", "QHeRAMS205", "QHeRAMS425")


@pytest.fixture(scope="module")
def small() -> Dataset:
    districts = pd.DataFrame({
        "adm2_pcode": ["XX0101", "XX0102", "XX0103", "XX0201", "XX0202"],
        "adm2_name": ["Alpha", "Bravo", "Charlie", "Delta", "Echo"],
        "adm1_pcode": ["XX01", "XX01", "XX01", "XX02", "XX02"],
        "adm1_name": ["North", "North", "North", "South", "South"],
        "area_km2": [100.0, 50.0, 10.0, 200.0, 40.0],
    })
    provinces = pd.DataFrame({"adm1_pcode": ["XX01", "XX02"], "adm1_name": ["North", "South"],
                              "area_km2": [160.0, 240.0]})
    population = pd.DataFrame({"adm2_pcode": ["XX0101", "XX0102", "XX0201", "XX0202"],
                               "population": pd.array([20_000, 5_000, 30_000, 8_000], dtype="Int64")})
    columns = ["facility_id", "adm2_pcode", "tier", "ownership", "status", "building", "functionality", "accessibility"]
    one_round = pd.DataFrame(FACILITIES, columns=columns)
    one_round["adm1_pcode"] = one_round["adm2_pcode"].str[:4]
    facilities = pd.concat([one_round.assign(round=R1), one_round.assign(round=R2)], ignore_index=True)
    services = pd.DataFrame(
        [(name, facility, code, status, barrier)
         for name, answers in SERVICES.items() for facility, row in answers.items()
         for code, (status, barrier) in zip(CODES, row)],
        columns=["round", "facility_id", "service", "status", "barrier_1"])
    services["barrier_2"] = services["barrier_3"] = None
    catalogue = pd.DataFrame({"service": list(CODES), "name": ["OPD", "EPI", "BEmONC"],
                              "domain": ["general_clinical", "child_health", "srh"],
                              "domain_name": ["General", "Child", "SRH"]})
    needs = pd.DataFrame(
        [("XX0101", "Intersectoral", 12_000, 4), ("XX0101", "Health", 15_000, 5),  # intersectoral wins
         ("XX0102", "Health", 3_000, 3), ("XX0102", "Protection", 4_000, 2),  # no intersectoral: maxima
         ("XX0103", "INTERSECTORAL", 1_000, 2), ("XX0202", "intersectoral", 6_000, 5)],
        columns=["adm2_pcode", "sector", "pin", "severity"])
    rounds = pd.DataFrame({"round": [R1, R2], "report_date": pd.to_datetime([R1, R2])})
    return Dataset(path=Path("."), manifest={}, districts=districts, provinces=provinces, population=population,
                   rounds=rounds, facilities=facilities, services=services, service_catalogue=catalogue, needs=needs)


def _rows(table: pd.DataFrame, key: str = "adm2_pcode") -> pd.DataFrame:
    return table.set_index(key)


def test_every_district_has_a_row(small):
    table = facility_indicators(small, Filter())
    assert table["adm2_pcode"].tolist() == ["XX0101", "XX0102", "XX0103", "XX0201", "XX0202"]
    assert table.columns[:5].tolist() == ["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name", "area_km2"]


def test_population_needs_and_facility_counts_by_hand(small):
    t = _rows(facility_indicators(small, Filter()))
    assert t["population"].tolist()[:2] == [20_000, 5_000] and pd.isna(t.at["XX0103", "population"])
    assert t.at["XX0101", "population_density"] == pytest.approx(200.0)  # 20,000 / 100
    assert pd.isna(t.at["XX0103", "population_density"])  # no population row: no data, never 0
    # PiN and severity: Alpha's intersectoral row (not the larger Health row); Bravo max(3,000; 4,000) and
    # max(3, 2); Charlie "INTERSECTORAL"; Delta has no needs row.
    assert t.at["XX0101", "pin"] == 12_000 and t.at["XX0101", "severity"] == 4
    assert t.at["XX0102", "pin"] == 4_000 and t.at["XX0102", "severity"] == 3
    assert t.at["XX0103", "pin"] == 1_000 and t.at["XX0103", "severity"] == 2
    assert pd.isna(t.at["XX0201", "pin"]) and pd.isna(t.at["XX0201", "severity"])
    # Facilities: Alpha A1, A2, A3, A5 (A4 planned); Bravo B1, B2 (closed count); Charlie C1, C2 (no status:
    # existing); Delta none; Echo E1, E2, E3.
    assert t["facilities"].tolist() == [4, 2, 2, 0, 3]
    # Functional: Alpha A1 full, A2 partial, A5 full (A3 none); Bravo 0 (closed, even B2 "full");
    # Charlie C2 only (C1's functionality is unknown); Echo all three.
    assert t["functional"].tolist() == [3, 0, 1, 0, 3]


def test_facility_percentages_by_hand(small):
    t = _rows(facility_indicators(small, Filter()))
    # Fully functional / facilities: Alpha 2/4 (A1, A5); Bravo 0/2; Charlie 1/2 (C2); Delta 0/0; Echo 2/3.
    assert t["pct_fully_functional"].tolist()[:3] == pytest.approx([50.0, 0.0, 50.0])
    assert pd.isna(t.at["XX0201", "pct_fully_functional"])  # no facility: no value, never 0
    assert t.at["XX0202", "pct_fully_functional"] == pytest.approx(200 / 3)
    # Damaged / building reported: Alpha A2, A3 of A1-A3 (A5 unreported) = 2/3; Bravo B1 of 2; Charlie 0/0;
    # Echo E3 of 3.
    assert t.at["XX0101", "pct_damaged"] == pytest.approx(200 / 3)
    assert t.at["XX0102", "pct_damaged"] == pytest.approx(50.0)
    assert pd.isna(t.at["XX0103", "pct_damaged"])
    assert t.at["XX0202", "pct_damaged"] == pytest.approx(100 / 3)
    # Fully accessible / accessibility reported: Alpha A1 of A1-A3 = 1/3; Bravo 0/1 (B2); Charlie 0/0; Echo 2/3.
    assert t.at["XX0101", "pct_accessible"] == pytest.approx(100 / 3)
    assert t.at["XX0102", "pct_accessible"] == 0.0
    assert pd.isna(t.at["XX0103", "pct_accessible"])
    assert t.at["XX0202", "pct_accessible"] == pytest.approx(200 / 3)


def test_standards_per_population_by_hand(small):
    assert standards.value("phc_per_10k") == 1 and standards.value("hospitals_per_250k") == 1  # arithmetic below
    t = _rows(facility_indicators(small, Filter()))
    # Functional primary: Alpha 2 (A1, A2), Bravo 0, Delta 0, Echo 2 (E1, E2; E3 is community).
    # phc_per_10k = functional primary / population x 10,000.
    assert t["phc_per_10k"].tolist()[:2] == pytest.approx([1.0, 0.0])  # 2 / 20,000 x 10,000; 0 / 5,000
    assert t.at["XX0201", "phc_per_10k"] == 0.0 and t.at["XX0202", "phc_per_10k"] == pytest.approx(2.5)
    # phc_gap = max(0, ceil(population / 10,000) - functional primary):
    # Alpha ceil(2.0) - 2 = 0; Bravo ceil(0.5) - 0 = 1; Delta ceil(3.0) - 0 = 3; Echo max(0, ceil(0.8) - 2) = 0.
    assert t.loc[["XX0101", "XX0102", "XX0201", "XX0202"], "phc_gap"].tolist() == [0, 1, 3, 0]
    # Hospitals: Alpha A5 (tertiary; A3 secondary does not function): 1 / 20,000 x 250,000 = 12.5.
    assert t.at["XX0101", "hospitals_per_250k"] == pytest.approx(12.5)
    assert t.at["XX0202", "hospitals_per_250k"] == 0.0
    # People per functional facility: Alpha 20,000 / 3; Echo 8,000 / 3; Bravo and Delta have none.
    assert t.at["XX0101", "pop_per_functional_facility"] == pytest.approx(20_000 / 3)
    assert t.at["XX0202", "pop_per_functional_facility"] == pytest.approx(8_000 / 3)
    assert pd.isna(t.at["XX0102", "pop_per_functional_facility"])
    assert pd.isna(t.at["XX0201", "pop_per_functional_facility"])
    # Charlie has no population: every per-population indicator is missing.
    for column in ("phc_per_10k", "phc_gap", "hospitals_per_250k", "pop_per_functional_facility"):
        assert pd.isna(t.at["XX0103", column]), column


def test_availability_by_hand(small):
    t = _rows(facility_indicators(small, Filter()))
    # Alpha, expected (not "not normally provided"): A1 2, A2 3, A3 3 (stopped), A5 2 = 10 services;
    # points (3 available, 1 partial): A1 3+1, A2 1+0+3, A3 0, A5 3+1 = 12 -> 100 x 12 / 30 = 40.
    # (A4 is planned: its three available services would raise the score.)
    assert t.at["XX0101", "availability_score"] == pytest.approx(40.0)
    # Per domain. general_clinical (110): A1 3, A2 1, A3 0, A5 3 = 7 of 4 expected -> 700/12.
    assert t.at["XX0101", "availability_general_clinical"] == pytest.approx(700 / 12)
    # child_health (205): A1 1, A2 0, A3 0 (A5 not provided) = 1 of 3 -> 100/9.
    assert t.at["XX0101", "availability_child_health"] == pytest.approx(100 / 9)
    # srh (425): A2 3, A3 0, A5 1 (A1 not provided) = 4 of 3 -> 400/9.
    assert t.at["XX0101", "availability_srh"] == pytest.approx(400 / 9)
    assert pd.isna(t.at["XX0101", "availability_ncd_mental"])  # nothing expected in that domain
    # Bravo: six stopped services, each expected and not available -> 0, not "no data".
    assert t.at["XX0102", "availability_score"] == 0.0 and t.at["XX0102", "availability_srh"] == 0.0
    # Charlie (no service answers) and Delta (no facility): nothing expected.
    assert pd.isna(t.at["XX0103", "availability_score"]) and pd.isna(t.at["XX0201", "availability_score"])
    # Echo: expected E1 3, E2 2, E3 1 = 6; points E1 3+3+1, E2 0+1, E3 3 = 11 -> 1100/18.
    assert t.at["XX0202", "availability_score"] == pytest.approx(1100 / 18)
    assert t.at["XX0202", "availability_general_clinical"] == pytest.approx(50.0)  # 3 of 2 expected: 300/6


def test_tracers_by_hand(small):
    t = _rows(facility_indicators(small, Filter()))
    # Alpha opd (110): A1, A2, A5 available or partial, of 4 expected (A3 stopped) = 75.
    # epi (205): A1 partial of A1, A2, A3 = 100/3. bemonc (425): A2, A5 of A2, A3, A5 = 200/3.
    assert t.at["XX0101", "pct_with_opd"] == pytest.approx(75.0)
    assert t.at["XX0101", "pct_with_epi"] == pytest.approx(100 / 3)
    assert t.at["XX0101", "pct_with_bemonc"] == pytest.approx(200 / 3)
    assert pd.isna(t.at["XX0101", "pct_with_cemonc"])  # never answered
    assert t.at["XX0102", "pct_with_opd"] == 0.0  # 0 of 2 stopped
    # Echo: opd E1 of E1, E2 = 50; epi 3 of 3 = 100; bemonc E1 partial of E1 only = 100.
    assert t.loc["XX0202", ["pct_with_opd", "pct_with_epi", "pct_with_bemonc"]].tolist() == [50.0, 100.0, 100.0]


def test_top_barrier_and_ties(small):
    t = _rows(facility_indicators(small, Filter()))
    # Alpha: equipment 2 (A1-205, A5-425), supplies 2 (A2-110, A2-205). A tie: the first in
    # data.schema.BARRIERS (staff, training, supplies, equipment, finance) wins, not the alphabetical
    # (equipment) nor the first met in the data (equipment).
    assert t.at["XX0101", "top_barrier"] == "supplies"
    assert t.at["XX0202", "top_barrier"] == "finance"  # finance 2 (E1-425, E2-110), training 1
    assert pd.isna(t.at["XX0102", "top_barrier"])  # stopped services carry no barrier
    assert pd.isna(t.at["XX0201", "top_barrier"])


def test_small_cell(small):
    assert standards.value("small_cell_facilities") == 3
    t = _rows(facility_indicators(small, Filter()))
    # Facilities 4, 2, 2, 0, 3: fewer than 3 is a small cell; exactly 3 is not.
    assert t["small_cell"].tolist() == [False, True, True, True, False]


def test_domain_filter(small):
    t = _rows(facility_indicators(small, Filter(domain="srh")))
    assert t.at["XX0101", "availability_score"] == pytest.approx(400 / 9)  # the srh domain only
    assert t.at["XX0202", "availability_score"] == pytest.approx(100 / 3)  # E1 partial, 1 of 1 expected
    assert t.at["XX0101", "availability_general_clinical"] == pytest.approx(700 / 12)  # domains ignore the filter
    assert t.at["XX0101", "pct_with_opd"] == pytest.approx(75.0)  # so do tracers
    assert t.at["XX0101", "top_barrier"] == "equipment"  # srh only: A5-425 equipment
    assert t.at["XX0101", "facilities"] == 4  # facilities do not depend on the domain


def test_tier_and_ownership_filters(small):
    primary = _rows(facility_indicators(small, Filter(tiers=("primary",))))
    # Alpha primary: A1, A2 (A4 planned). Points A1 4 + A2 4 = 8 of 2 + 3 expected -> 800/15.
    assert primary.at["XX0101", "facilities"] == 2 and primary.at["XX0101", "functional"] == 2
    assert primary.at["XX0101", "availability_score"] == pytest.approx(800 / 15)
    assert primary.at["XX0101", "hospitals_per_250k"] == 0.0
    assert primary.at["XX0202", "facilities"] == 2  # E3 is community
    public = _rows(facility_indicators(small, Filter(ownership=("public",))))
    # Public: Alpha A1, A3; Bravo B1, B2; Charlie C2 (C1's ownership is unknown); Echo E1, E3.
    assert public["facilities"].tolist() == [2, 2, 1, 0, 2]
    # Alpha: A1 4 points of 2 expected, A3 0 of 3 -> 400/15; Echo: E1 7 of 3, E3 3 of 1 -> 1000/12.
    assert public.at["XX0101", "availability_score"] == pytest.approx(400 / 15)
    assert public.at["XX0202", "availability_score"] == pytest.approx(1000 / 12)
    assert public["population"].tolist()[:2] == [20_000, 5_000]  # population is never filtered


def test_province_totals_by_hand(small):
    p = _rows(province_indicators(small, Filter()), "adm1_pcode")
    assert p.index.tolist() == ["XX01", "XX02"] and p.at["XX01", "adm1_name"] == "North"
    # North: Charlie has no population, so neither has the province (a partial total would flatter it).
    assert pd.isna(p.at["XX01", "population"]) and pd.isna(p.at["XX01", "phc_per_10k"])
    assert p.at["XX01", "pin"] == 17_000 and p.at["XX01", "severity"] == 4  # 12,000 + 4,000 + 1,000; max
    assert p.at["XX01", "facilities"] == 8 and p.at["XX01", "functional"] == 4  # 4+2+2; 3+0+1
    # Fully functional 2+0+1 of 8 = 37.5, not the mean of 50, 0 and 50 (33.3).
    assert p.at["XX01", "pct_fully_functional"] == pytest.approx(37.5)
    assert p.at["XX01", "pct_damaged"] == pytest.approx(60.0)  # 2+1+0 of 3+2+0 reported
    assert p.at["XX01", "pct_accessible"] == pytest.approx(25.0)  # 1+0+0 of 3+1+0 reported
    assert p.at["XX01", "availability_score"] == pytest.approx(25.0)  # 12+0 points of 3 x (10+6)
    assert p.at["XX01", "availability_general_clinical"] == pytest.approx(700 / 18)  # 7+0 of 3 x (4+2)
    assert p.at["XX01", "pct_with_opd"] == pytest.approx(50.0)  # 3+0 of 4+2
    assert p.at["XX01", "top_barrier"] == "supplies" and not p.at["XX01", "small_cell"]
    # South: 30,000 + 8,000 people on 200 + 40 km²; PiN missing for Delta; severity max(-, 5).
    assert p.at["XX02", "population"] == 38_000
    assert p.at["XX02", "population_density"] == pytest.approx(38_000 / 240)
    assert pd.isna(p.at["XX02", "pin"]) and p.at["XX02", "severity"] == 5
    assert p.at["XX02", "phc_per_10k"] == pytest.approx(2 / 38_000 * 10_000)
    # Gap from the totals: ceil(3.8) - 2 = 2, not the sum of the districts' gaps (3 + 0).
    assert p.at["XX02", "phc_gap"] == 2
    assert p.at["XX02", "availability_score"] == pytest.approx(1100 / 18)  # Echo's answers alone


def test_province_filter(small):
    table = facility_indicators(small, Filter(admin1=("XX02",)))
    assert table["adm2_pcode"].tolist() == ["XX0201", "XX0202"]
    assert table["facilities"].tolist() == [0, 3]
    assert province_indicators(small, Filter(admin1=("XX02",)))["adm1_pcode"].tolist() == ["XX02"]


def test_rounds_and_change(small):
    first = _rows(facility_indicators(small, Filter(round=R1)))
    # R1 Alpha: A1 2 available of 2, A2 3 of 3, A3 3 of 3, A5 2 of 2 -> 100.
    assert first.at["XX0101", "availability_score"] == pytest.approx(100.0)
    change = change_between_rounds(small, Filter(), R1, R2, "availability_score")
    assert change.columns.tolist() == ["adm2_pcode", "adm2_name", "adm1_name", "before", "after", "change"]
    # Alpha 100 -> 40 (-60); Bravo 6 partial of 6 = 100/3 -> 0; Echo (0+0+1 + 0+1 + 0) of 3 x 6 = 200/18
    # -> 1100/18 (+50); Charlie and Delta have no value, last.
    assert change["adm2_pcode"].tolist() == ["XX0101", "XX0102", "XX0202", "XX0103", "XX0201"]
    assert change["change"].tolist()[:3] == pytest.approx([-60.0, -100 / 3, 50.0])
    assert change["before"].tolist()[:3] == pytest.approx([100.0, 100 / 3, 200 / 18])
    assert change["change"].iloc[3:].isna().all()
    with pytest.raises(ValueError, match="no round"):
        change_between_rounds(small, Filter(), "2020-01-01", R2, "availability_score")
    with pytest.raises(ValueError, match="not a numeric"):
        change_between_rounds(small, Filter(), R1, R2, "top_barrier")


@pytest.mark.parametrize("chosen", [Filter(), Filter(round=R1, tiers=("primary",)), Filter(admin1=("XX02",))])
def test_facility_rows_that_share_an_index_label_each_count_once(small, chosen):
    """Facilities are selected by position: a table whose rows repeat index labels (concatenated without
    ignore_index) gives the same counts."""
    repeated = replace(small, facilities=small.facilities.set_axis([0] * len(small.facilities)))
    expected = facility_indicators(small, chosen)
    assert expected["facilities"].sum() > 0
    pd.testing.assert_frame_equal(facility_indicators(repeated, chosen), expected)
    pd.testing.assert_frame_equal(province_indicators(repeated, chosen), province_indicators(small, chosen))


def test_district_indicators_keeps_its_columns(small):
    table = district_indicators(small, ["XX01"])
    assert table["adm2_pcode"].tolist() == ["XX0101", "XX0102", "XX0103"]
    for column in ("adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name", "area_km2", "population",
                   "population_density", "availability_score"):
        assert column in table.columns
    assert table["facilities"].tolist() == [4, 2, 2]


def test_no_facility_data_is_no_data_not_zero(small):
    bare = Dataset(path=Path("."), manifest={}, districts=small.districts, provinces=small.provinces,
                   population=small.population)
    table = _rows(facility_indicators(bare, Filter()))
    assert table.at["XX0101", "population"] == 20_000
    assert table["facilities"].isna().all() and table["availability_score"].isna().all()
    assert table["phc_per_10k"].isna().all()


def test_catalogue_entries_are_complete():
    assert DEFAULT_INDICATOR in INDICATORS
    known = set(pd.read_csv(standards.FILE)["id"])
    for key, indicator in INDICATORS.items():
        assert key == indicator.id
        assert indicator.label and indicator.unit and indicator.definition.strip(), key
        assert indicator.direction in ("higher_is_better", "higher_is_worse", "neutral"), key
        assert indicator.group in ("population", "facilities", "services", "partners", "priority"), key
        assert indicator.kind in ("number", "category"), key
        assert indicator.standard is None or indicator.standard in known, key
    assert INDICATORS["phc_per_10k"].standard == "phc_per_10k"
    assert INDICATORS["hospitals_per_250k"].standard == "hospitals_per_250k"
    assert INDICATORS["top_barrier"].kind == "category"
    assert INDICATORS["pct_damaged"].facility_based and not INDICATORS["population"].facility_based


def test_catalogue_domains_and_tracers_follow_the_reference_file():
    reference = pd.read_csv(SERVICES_FILE, dtype=str)
    assert set(DOMAINS) == set(reference["domain"]) and len(DOMAINS) == 7
    for domain in reference["domain"].unique():
        assert f"availability_{domain}" in INDICATORS
    assert set(TRACERS.values()) <= set(reference["code"])
    assert TRACERS == {"epi": "QHeRAMS205", "bemonc": "QHeRAMS425", "cemonc": "QHeRAMS426",
                       "opd": "QHeRAMS110", "mental_health": "QHeRAMS511", "cmam": "QHeRAMS209"}
    for name in ("partners", "reached", "targeted", "pct_reached", "duplication", "uncovered",
                 "priority_score", "priority_rank", "priority_class", "pin", "severity"):
        assert name in INDICATORS


def test_demo_columns_and_ranges(demo):
    computed = [i for i in INDICATORS.values() if i.group in ("population", "facilities", "services")]
    bounded = [i.id for i in computed if i.unit in ("%", "score (0-100)")]
    assert len(bounded) == 3 + 1 + 7 + 6  # pct_ of facilities, availability, its 7 domains, 6 tracers
    for table in (facility_indicators(demo, Filter()), province_indicators(demo, Filter(domain="srh"))):
        for indicator in computed:
            assert indicator.id in table.columns, indicator.id
        for column in bounded:
            values = table[column].dropna()
            assert len(values) and values.between(0, 100).all(), column
    districts = facility_indicators(demo, Filter())
    assert len(districts) == len(demo.districts)
    provinces = province_indicators(demo, Filter())
    assert provinces["facilities"].sum() == districts["facilities"].sum()
    assert set(districts["top_barrier"].dropna()) <= {"staff", "training", "supplies", "equipment", "finance"}
