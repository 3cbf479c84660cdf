"""The disclosure audit (analysis/audit.py): on a small dataset made to tempt it, it finds nothing while the
protection is on, and finds each leak planted by turning part of the protection off: it can fail."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import analysis.disclosure
import analysis.districts
from analysis.__main__ import main
from analysis.audit import audit
from analysis.disclosure import public_districts
from analysis.filters import Filter
from analysis.services import service_answers
from analysis.suppression import suppress
from data import schema
from data.dataset import load_dataset

PROVINCES = ("AF01", "AF03", "AF06")  # Kabul, Parwan, Nangarhar in the small demo
SMALL_PROVINCE = "AF03"  # left with 2 facilities in the latest round: the whole province is small


@pytest.fixture(scope="module")
def tempting_path(small_demo_path, tmp_path_factory):
    """The small demo cut to three provinces: one hospital left in Kabul in the latest round, districts with one
    or two facilities of a type, and Parwan left with two facilities in its latest round."""
    path = tmp_path_factory.mktemp("datasets") / "tempting"
    shutil.copytree(small_demo_path, path)
    dataset = load_dataset(path)
    latest = dataset.rounds["round"].astype(str).max()
    facilities = dataset.facilities[dataset.facilities["adm1_pcode"].isin(PROVINCES)]
    latest_rows = facilities["round"] == latest
    hospitals = facilities[latest_rows & (facilities["adm1_pcode"] == "AF01")
                           & facilities["tier"].isin(["secondary", "tertiary"])]
    dropped = facilities[latest_rows & (facilities["adm1_pcode"] == SMALL_PROVINCE)].iloc[2:]
    facilities = facilities.drop(dropped.index.union(hospitals.index[1:]))
    kept = pd.MultiIndex.from_frame(facilities[["round", "facility_id"]].astype(str))
    services = dataset.services[pd.MultiIndex.from_frame(dataset.services[["round", "facility_id"]].astype(str))
                                .isin(kept)]
    tables = {"facilities": facilities, "services": services,
              **{name: _in_provinces(getattr(dataset, name), dataset)
                 for name in ("districts", "provinces", "population", "needs", "activities")}}
    for name, table in tables.items():
        table.reset_index(drop=True).to_parquet(path / schema.parquet_name(name), index=False)
    return path


def _in_provinces(table: pd.DataFrame, dataset) -> pd.DataFrame:
    if "adm1_pcode" in table:
        return table[table["adm1_pcode"].isin(PROVINCES)]
    districts = dataset.districts.loc[dataset.districts["adm1_pcode"].isin(PROVINCES), "adm2_pcode"]
    return table[table["adm2_pcode"].isin(districts)]


@pytest.fixture
def tempting(tempting_path):
    return load_dataset(tempting_path)


def test_the_tempting_dataset_tempts(tempting):
    latest = tempting.rounds["round"].astype(str).max()
    facilities = tempting.facilities[tempting.facilities["round"] == latest]
    assert len(facilities[facilities["adm1_pcode"] == SMALL_PROVINCE]) == 2
    hospitals = facilities[facilities["tier"].isin(["secondary", "tertiary"])].groupby("adm1_pcode", observed=True)
    assert (hospitals.size() == 1).any()  # one hospital in a province
    by_type = facilities.groupby(["adm2_pcode", "tier"], observed=True).size()
    assert (by_type == 2).any() and (by_type == 1).any()
    table = public_districts(tempting, Filter())
    assert table["suppressed"].sum() >= 3


@pytest.mark.slow
def test_nothing_recoverable_with_the_protection_on(tempting):
    report = audit(tempting)
    assert report.safe, "\n".join(report.lines())
    assert report.withheld > 0 and report.questions > 40
    assert report.lines()[-1].startswith("nothing recoverable")


@pytest.mark.slow
def test_a_breakdown_by_facility_type_gives_small_cells_away(tempting, monkeypatch):
    """The public allowed to filter by type (the per-request protection of before): all types minus the rest."""
    monkeypatch.setattr(analysis.disclosure, "public_filter", lambda chosen: chosen)
    report = audit(tempting)
    recovered = [f for f in report.findings if f.kind == "recoverable"]
    assert recovered, "the audit missed the subtraction of two facility-type answers"
    assert any("tiers" in view for f in recovered for view in f.views)
    assert any(view.startswith("-") for f in recovered for view in f.views)  # a difference gives it away


@pytest.mark.slow
def test_a_small_cell_left_unsuppressed_is_found(tempting, monkeypatch):
    """Suppression turned off for one district: it is published from fewer than 3 facilities."""
    target = _small_district(tempting)

    def leaky(table, flag="small_cell"):
        out = suppress(table.assign(small_cell=table["small_cell"] & (table["adm2_pcode"].astype(str) != target)), flag)
        return out

    monkeypatch.setattr(analysis.districts, "suppress", leaky)
    report = audit(tempting)
    assert any(f.kind == "small" and target in f.what for f in report.findings), "\n".join(report.lines())


@pytest.mark.slow
def test_a_summary_counting_withheld_districts_is_found(tempting, monkeypatch):
    """The services summaries counting every district (withheld ones too) do not sum the published cells."""
    monkeypatch.setattr(analysis.disclosure, "public_service_answers",
                        lambda dataset, chosen, table: service_answers(dataset, chosen))
    report = audit(tempting)
    assert any(f.kind == "mismatch" and "table of" in f.what for f in report.findings)


@pytest.mark.slow
def test_figures_about_a_small_group_inside_a_published_district_are_found(tempting, monkeypatch):
    """The small-group rule off (analysis.suppression.withhold_breakdowns): a district publishing its hospitals
    per 250,000 with one hospital, or a tracer's share of one facility expecting it."""
    monkeypatch.setattr(analysis.districts, "withhold_breakdowns", lambda table, groups, domain: table)
    report = audit(tempting)
    assert any(f.kind == "recoverable" and "group of 1 facility" in f.what for f in report.findings)
    assert any(f.kind == "small" and "published from 1 or 2 facilities" in f.what for f in report.findings)


@pytest.mark.slow
def test_the_command_exits_0_when_safe_and_1_with_the_list(tempting_path, tempting, monkeypatch, capsys, tmp_path):
    out = tmp_path / "audit.txt"
    assert main(["disclosure-audit", "--dataset", str(tempting_path), "--out", str(out)]) == 0
    assert "nothing recoverable" in capsys.readouterr().out and "nothing recoverable" in out.read_text()
    monkeypatch.setattr(analysis.disclosure, "public_filter", lambda chosen: chosen)
    assert main(["disclosure-audit", "--dataset", str(tempting_path)]) == 1
    printed = capsys.readouterr().out
    assert "[recoverable]" in printed and "given away by:" in printed
    assert main(["disclosure-audit", "--dataset", str(tempting_path), "--round", "1999-01-01"]) == 2


@pytest.mark.slow
def test_the_demo_is_safe(demo):
    report = audit(demo, [demo.rounds["round"].astype(str).max()])
    assert report.safe, "\n".join(report.lines()[:20])


def _small_district(dataset) -> str:
    """A district of the latest round with 1 or 2 facilities, in a province with others published."""
    table = public_districts(dataset, Filter())
    small = table[table["facilities"].between(1, 2) & (table["adm1_pcode"] != SMALL_PROVINCE)]
    return str(small["adm2_pcode"].iloc[0])
