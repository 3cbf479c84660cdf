"""The demo dataset as the app reads it: four rounds, thousands of facilities, every source accounted for."""

import pandas as pd
import pytest

from data import schema


def test_every_source_accounted_for(demo):
    rejected = demo.rejected
    for source in demo.manifest["sources"]:
        assert source["rows_in"] == source["accepted"] + source["rejected"]
        assert (rejected["file"] == source["file"]).sum() == source["rejected"]
    roles = [s["role"] for s in demo.manifest["sources"]]
    assert roles.count("facilities") == 4 and roles.count("partners") == 1 and roles.count("needs") == 1
    assert demo.manifest["synthetic"] is True


@pytest.mark.slow
def test_rounds_facilities_and_services(demo):
    assert demo.rounds["round"].tolist() == ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]
    per_round = demo.facilities.groupby("round", observed=True).size()
    assert per_round.between(3_000, 4_000).all() and per_round.is_monotonic_increasing
    assert set(demo.facilities["tier"]) >= {"community", "primary", "secondary", "tertiary", "mobile"}
    assert demo.facilities["adm2_pcode"].isin(demo.districts["adm2_pcode"]).all()
    assert set(demo.services["status"]) == set(schema.SERVICE_STATUS)
    # Skip logic: a closed facility's every service is "stopped".
    closed = demo.facilities[demo.facilities["status"] == "closed"][["round", "facility_id"]]
    statuses = demo.services.merge(closed.astype(str), on=["round", "facility_id"])["status"]
    assert len(closed) > 0 and set(statuses.astype(str)) == {"stopped"}
    for table in ("facilities", "services", "activities", "needs", "rounds", "service_catalogue"):
        schema.validate(table, getattr(demo, table))


def test_partners_and_needs(demo):
    assert 50 <= demo.activities["org_name"].nunique() <= 80
    assert set(demo.activities["org_type"]) == {"UN", "INGO", "NNGO", "Government", "Red Cross/Red Crescent", "Private"}
    assert (demo.activities["admin_match"] == "name").any()
    assert len(demo.needs) == 2 * len(demo.districts)
    assert set(demo.needs["sector"]) == {"Intersectoral", "Health"}


@pytest.mark.slow
def test_contact_fields_never_reach_the_dataset(demo):
    raw = (demo.path.parent / f"{demo.path.name}-raw")
    assert "example.org" in (raw / "herams_afg_2026q1_codes.csv").read_text()  # the raw export has them
    for file in demo.path.glob("*.parquet"):
        text = pd.read_parquet(file).astype(str).to_csv()
        assert "example.org" not in text and "+93 700" not in text and "HFCONTACT" not in text, file.name
    assert "example.org" not in (demo.path / "rejected.csv").read_text()
