"""The per-facility service summary (analysis.indicators.facility_summary) against the service rows themselves.

The district indicators sum the summary's facility rows instead of merging the service rows on every filter
change; these tests recount from dataset.services directly, row by row, and rebuild the district table with
the service rows merged as before.
"""

from collections import Counter
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis import filters, indicators
from analysis.catalogue import DOMAINS, TRACERS
from analysis.districts import district_table
from analysis.filters import Filter
from analysis.indicators import facility_indicators, facility_summary
from data.schema import BARRIERS


def _latest(demo) -> str:
    return demo.rounds["round"].astype(str).iloc[-1]


def _direct_counts(demo, chosen_round: str, district: str) -> Counter:
    """Every count of the district's facilities (planned ones left out), one service row at a time."""
    facilities = demo.facilities[(demo.facilities["round"].astype(str) == chosen_round)
                                 & (demo.facilities["adm2_pcode"].astype(str) == district)
                                 & (demo.facilities["status"].astype(object) != "planned")]
    ids = set(facilities["facility_id"].astype(str))
    services = demo.services[demo.services["round"].astype(str) == chosen_round]
    services = services[services["facility_id"].astype(str).isin(ids)]
    domain_of = dict(zip(demo.service_catalogue["service"].astype(str), demo.service_catalogue["domain"].astype(str)))
    tracer_of = {code: tracer for tracer, code in TRACERS.items()}
    counts = Counter()
    for service, status, barrier in zip(services["service"].astype(str), services["status"].astype(str),
                                        services["barrier_1"].astype(object)):
        points = {"available": 3, "partial": 1}.get(status, 0)
        expected = status != "not_normally_provided"
        domain, tracer = domain_of.get(service), tracer_of.get(service)
        counts["points"] += points
        counts["expected"] += expected
        counts[f"points_{domain}"] += points
        counts[f"expected_{domain}"] += expected
        if tracer:
            counts[f"with_{tracer}"] += status in ("available", "partial")
            counts[f"expected_{tracer}"] += expected
        if status in ("partial", "not_available", "stopped") and isinstance(barrier, str):
            counts[f"barrier_{barrier}"] += 1
            counts[f"barrier_{barrier}_in_{domain}"] += 1
    return counts


def _busiest_districts(demo, chosen_round: str, n: int) -> list[str]:
    facilities = demo.facilities[demo.facilities["round"].astype(str) == chosen_round]
    return facilities["adm2_pcode"].astype(str).value_counts().index[:n].tolist()


def test_summary_is_row_aligned_with_the_facilities(demo):
    summary = facility_summary(demo)
    assert summary.index.equals(demo.facilities.index)
    assert facility_summary(demo) is summary  # computed once per dataset
    assert (summary.to_numpy() >= 0).all() and summary["expected"].sum() > 0


@pytest.mark.parametrize("which", [0, 1, 2])
def test_summary_sums_equal_the_service_rows(demo, which):
    chosen_round = demo.rounds["round"].astype(str).iloc[which % len(demo.rounds)]
    district = _busiest_districts(demo, chosen_round, 3)[which]
    keep = ((demo.facilities["round"].astype(str) == chosen_round)
            & (demo.facilities["adm2_pcode"].astype(str) == district)
            & (demo.facilities["status"].astype(object) != "planned"))
    sums = facility_summary(demo)[keep.to_numpy()].sum()
    direct = _direct_counts(demo, chosen_round, district)
    assert direct["expected"] > 0
    columns = (["points", "expected"] + [f"{part}_{d}" for d in DOMAINS for part in ("points", "expected")]
               + [f"{part}_{t}" for t in TRACERS for part in ("with", "expected")]
               + [f"barrier_{b}" for b in BARRIERS] + [f"barrier_{b}_in_{d}" for d in DOMAINS for b in BARRIERS])
    assert {c: int(sums[c]) for c in columns} == {c: direct[c] for c in columns}


def _merged_service_counts(dataset, chosen: Filter) -> pd.DataFrame:
    """The service counts straight from the merged service rows (how they were computed before the summary)."""
    table = filters.services(dataset, replace(chosen, domain=None))
    table = table[~table["facility_status"].isin(["planned"])]
    status = table["status"]
    domain_of = dict(zip(dataset.service_catalogue["service"].astype(str), dataset.service_catalogue["domain"]))
    rows = pd.DataFrame({
        "adm2_pcode": table["adm2_pcode"].astype(str),
        "service": table["service"].astype(str),
        "domain": table["service"].astype(str).map(domain_of),
        "expected": ~status.isin(["not_normally_provided"]),
        "points": np.where(status == "available", 3, np.where(status == "partial", 1, 0)),
        "with": status.isin(["available", "partial"]),
        "barrier": table["barrier_1"].astype(object).where(status.isin(["partial", "not_available", "stopped"])),
    })
    scoped = rows[rows["domain"] == chosen.domain] if chosen.domain else rows
    counts = scoped.groupby("adm2_pcode")[["points", "expected"]].sum()
    for domain in DOMAINS:
        in_domain = rows[rows["domain"] == domain].groupby("adm2_pcode")[["points", "expected"]].sum()
        counts = counts.join(in_domain.add_suffix(f"_{domain}"), how="outer")
    for tracer, code in TRACERS.items():
        traced = rows[rows["service"] == code].groupby("adm2_pcode")[["with", "expected"]].sum()
        counts = counts.join(traced.add_suffix(f"_{tracer}"), how="outer")
    barriers = scoped.dropna(subset=["barrier"]).groupby(["adm2_pcode", "barrier"]).size().unstack("barrier")
    counts = counts.join(barriers.reindex(columns=list(BARRIERS)).add_prefix("barrier_"), how="outer")
    counts.index.name = "adm2_pcode"
    return counts.reindex(columns=indicators.SERVICE_COUNTS).astype("float64")


@pytest.mark.parametrize("chosen", [
    Filter(),
    Filter(admin1=("AF27", "AF01"), tiers=("primary", "secondary"), domain="child_health"),
    Filter(ownership=("public",), domain="srh"),
])
def test_district_table_equals_the_merged_computation(demo, monkeypatch, chosen):
    chosen = replace(chosen, round=demo.rounds["round"].astype(str).iloc[0] if chosen.domain == "srh" else None)
    fast = district_table(demo, chosen)

    def merged(dataset, chosen, rows, district):  # the hook's signature: per district, in the base's order
        pcodes = indicators.facility_base(dataset).districts["adm2_pcode"].astype(str)
        return _merged_service_counts(dataset, chosen).reindex(pcodes).fillna(0).to_numpy()

    monkeypatch.setattr(indicators, "_service_counts", merged)
    pd.testing.assert_frame_equal(fast, district_table(demo, chosen))


def test_a_replaced_dataset_gets_its_own_summary(demo):
    without_services = replace(demo, services=demo.services.iloc[0:0])
    assert facility_summary(without_services) is not facility_summary(demo)
    assert facility_summary(without_services).to_numpy().sum() == 0
    table = facility_indicators(without_services, Filter())
    assert table["availability_score"].isna().all() and table["facilities"].sum() > 0
