"""The data page as plain functions on the demo: the manifest's counts, rejected rows kept safe, methodology."""

from __future__ import annotations

import base64
import io
from dataclasses import replace

import pandas as pd

from analysis.access import COORDINATOR, PUBLIC
from analysis.catalogue import INDICATORS
from analysis.standards import standards
from context import Context
from pages import ids
from pages.data.callbacks import rejected_export
from pages.data.layout import layout
from pages.data.model import FACILITY_NOTE, METHODOLOGY, catalogue_frame, rejected_rows, sources_frame
from pages.downloads import download
from tests.conftest import GEOMETRY
from view import View


def _find(component, component_id):
    """The component with this id in a layout tree (a component or a list of them)."""
    if isinstance(component, (list, tuple)):
        return next((f for f in (_find(c, component_id) for c in component) if f is not None), None)
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children] if children is not None else []:
        found = _find(child, component_id)
        if found is not None:
            return found
    return None


def _cells(table) -> tuple[list[str], list[list[str]]]:
    """Header and body texts of a plain_table as the page shows them."""
    head = next(c for c in table.children if type(c).__name__ == "Thead")
    body = next(c for c in table.children if type(c).__name__ == "Tbody")
    return [th.children for th in head.children.children], [[td.children for td in tr.children] for tr in body.children]


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _facility_files(demo) -> set[str]:
    return {s["file"] for s in demo.manifest["sources"] if s["role"] == "facilities"}



def test_the_update_link_is_the_coordinators(ctx):
    assert _find(layout(ctx, View(page="data"), PUBLIC), ids.DATA_UPDATE) is None
    assert _find(layout(ctx, View(page="data"), COORDINATOR), ids.DATA_UPDATE).href == "/data/update"


def test_coordinators_get_the_rejected_rows_blanked_too(ctx, demo):
    """The rows are made safe for everyone: a coordinator's download is the public's."""
    public, coordinator = (rejected_export(ctx, View(page="data"), role) for role in (PUBLIC, COORDINATOR))
    assert coordinator.equals(public)
    assert (public.loc[public["file"].isin(_facility_files(demo)), "value"] == "").all()


def test_sources_table_shows_the_manifests_counts(ctx, demo):
    header, rows = _cells(_find(layout(ctx, View(page="data"), PUBLIC), ids.DATA_SOURCES))
    assert header == ["file", "kind", "rows in", "accepted", "rejected", "top reasons"]
    sources = demo.manifest["sources"]
    assert len(rows) == len(sources) == 9
    for row, source in zip(rows, sources):
        assert row[0] == source["file"] and row[1] == source["role"]
        rows_in, accepted, rejected = (_number(t) for t in row[2:5])
        assert (rows_in, accepted, rejected) == (source["rows_in"], source["accepted"], source["rejected"])
        assert rows_in == accepted + rejected
    population = next(r for r in rows if r[1] == "population")
    assert population[5] == "p-code not in the district boundaries (26)"
    assert sources_frame({})["file"].tolist() == []  # a manifest without sources: an empty table


def test_rounds_and_tables(ctx, demo):
    page = layout(ctx, View(page="data"), PUBLIC)
    _, rounds = _cells(_find(page, ids.DATA_ROUNDS))
    assert [r[0] for r in rounds] == demo.manifest["rounds"]
    counts = demo.facilities["round"].astype(str).value_counts()
    assert [_number(r[2]) for r in rounds] == [counts[r] for r in demo.manifest["rounds"]]
    _, tables = _cells(_find(page, ids.DATA_TABLES))
    assert ["facility snapshots", "15,539"] in tables and ["service answers", "1,429,588"] in tables
    assert "Synthetic demo dataset" in str(page)


def test_rejected_values_of_facility_files_are_blanked(ctx, demo):
    raw = demo.rejected
    facility = raw["file"].isin(_facility_files(demo))
    assert facility.any() and (raw.loc[facility, "value"] != "").all()  # the demo has something to hide
    grid = _find(layout(ctx, View(page="data"), PUBLIC), ids.DATA_REJECTED)
    shown = pd.DataFrame(grid.rowData)
    assert len(shown) == len(raw) == 42
    hidden = shown["file"].isin(_facility_files(demo))
    assert (shown.loc[hidden, "value"] == "").all()
    assert shown.loc[~hidden, "value"].tolist() == raw.loc[~facility, "value"].tolist()  # others keep theirs
    assert not shown.astype(str).apply(lambda c: c.str.contains("AFG-HF-")).any().any()  # no code in a reason
    assert shown.loc[hidden, "reason"].iloc[0].startswith("duplicate facility id …")

    sent = download(ctx, View(page="data"), "rejected", "csv", PUBLIC)
    text = base64.b64decode(sent["content"]).decode("utf-8-sig")
    assert f"# {FACILITY_NOTE}" in text and "AFG-HF-" not in text
    exported = pd.read_csv(io.StringIO(text), comment="#", dtype=str, keep_default_na=False)
    assert len(exported) == len(raw)
    assert (exported.loc[exported["file"].isin(_facility_files(demo)), "value"] == "").all()
    assert exported.loc[~exported["file"].isin(_facility_files(demo)), "value"].tolist() == \
        raw.loc[~facility, "value"].tolist()


def test_unknown_kind_of_file_is_blanked_too(demo):
    """Safe by default: a file whose kind the page does not know keeps no value."""
    manifest = {**demo.manifest, "sources": [{**s, "role": "something new"} if s["role"] == "population" else s
                                             for s in demo.manifest["sources"]]}
    rows = rejected_rows(Context(replace(demo, manifest=manifest), GEOMETRY))
    assert (rows["value"] == "").all()


def test_rejected_counts_per_file_and_reason(ctx, demo):
    _, rows = _cells(_find(layout(ctx, View(page="data"), PUBLIC), ids.DATA_REJECTED_COUNTS))
    totals = {}
    for file, _, count in rows:
        totals[file] = totals.get(file, 0) + _number(count)
    assert totals == {s["file"]: s["rejected"] for s in demo.manifest["sources"] if s["rejected"]}
    assert len(rejected_export(Context(demo, GEOMETRY), View(), PUBLIC)) == sum(totals.values())


def test_methodology_catalogue_and_standards(ctx):
    page = layout(ctx, View(page="data"), PUBLIC)
    header, rows = _cells(_find(page, ids.DATA_CATALOGUE))
    assert header == ["id", "label", "unit", "direction", "definition", "standard"]
    assert [r[0] for r in rows] == list(INDICATORS)
    damaged = next(r for r in rows if r[0] == "pct_damaged")
    assert damaged[3] == "higher is worse" and damaged[4] == INDICATORS["pct_damaged"].definition
    phc = next(r for r in rows if r[0] == "phc_per_10k")
    assert phc[5] == "1 functional primary health facilities per 10000 people"
    _, standard_rows = _cells(_find(page, ids.DATA_STANDARDS))
    assert [r[0] for r in standard_rows] == list(standards())
    assert catalogue_frame()["label"].tolist() == [i.label for i in INDICATORS.values()]
    markdown = _find(page, ids.DATA_METHODOLOGY)
    assert markdown.children == METHODOLOGY and METHODOLOGY.startswith("## Methodology")
    assert "\n# " not in METHODOLOGY  # the page's title stays the only h1
