"""Shared fixtures: the demo dataset, built once per test session from the project's embedded files."""

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis.districts import district_table
from analysis.filters import Filter
from analysis.indicators import change_between_rounds
from analysis.suppression import suppress_rows
from context import Context
from data import schema
from data.build import district_layers
from data.dataset import load_dataset
from data.demo import BOUNDARIES, build_demo
from geo.names import AdminMatcher
from pages import registry  # noqa: F401 - registers the pages: the view learns their paths

FIXTURES = Path(__file__).parent / "fixtures"
GEOMETRY = {"adm2": "/g/adm2.json", "adm1": "/g/adm1.json"}  # where a page would fetch the geometry from


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("datasets") / "demo"
    build_demo(path)
    return path


@pytest.fixture(scope="session")
def small_demo_path(tmp_path_factory) -> Path:
    """A small demo (300 facilities, 2 rounds) for tests that rebuild a dataset."""
    path = tmp_path_factory.mktemp("datasets") / "small"
    build_demo(path, facilities=300, rounds=2)
    return path


@pytest.fixture(scope="session")
def demo(demo_path):
    return load_dataset(demo_path)


@pytest.fixture(scope="session")
def ctx(demo) -> Context:
    """The demo as every page reads it (cached tables are shared: a test must not change them)."""
    return Context(demo, GEOMETRY)


@pytest.fixture(scope="session")
def matcher() -> AdminMatcher:
    """District look-up on the Afghanistan default boundaries."""
    districts, provinces, _ = district_layers([BOUNDARIES[0]])
    return AdminMatcher(districts, provinces)


def read_checked(reader, table: str, path, matcher):
    """Read a file and check what every reader must hold: rows in = accepted + rejected, a valid table."""
    frame, report = reader(path, matcher)
    assert report.rows_in == len(frame) + len(report.rejected) == report.accepted + len(report.rejected)
    assert list(frame.columns) == list(schema.TABLES[table].columns) + ["_row"]
    schema.validate(table, frame.drop(columns="_row"))
    return frame, report


def component_text(component) -> str:
    """Every string and number in a Dash component tree, joined: what a reader of the page sees."""
    if component is None or isinstance(component, bool):
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(component_text(c) for c in component)
    return component_text(getattr(component, "children", None))


def patched(patch) -> dict:
    """What a map Patch sets: location tuple -> value."""
    return {tuple(op["location"]): op["params"]["value"] for op in patch.to_plotly_json()["operations"]}


def table_rows_of(names: dict, values: dict) -> list[dict]:
    """The overview table's rows as the browser makes them from its stores (assets/district-rows.js)."""
    assert names["set"] == values["set"]
    return [{"adm2_name": name, "adm1_name": province, "adm2_pcode": code, "value": value, "suppressed": hidden,
             "profile": f"/district/{code}{values['search']}"}
            for code, name, province, value, hidden in zip(names["adm2_pcode"], names["adm2_name"],
                                                           names["adm1_name"], values["value"], values["suppressed"])]


def records(frame) -> list[dict]:
    """Rows as plain dicts, None where a value is missing."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def rejections(report) -> list[tuple]:
    return [(r.row, r.column, r.value, r.reason) for r in report.rejected]


def public_change(dataset, chosen: Filter, before: str, after: str, indicator: str) -> pd.DataFrame:
    """change_between_rounds as the public may see it, computed here (the change page's expected table):
    districts withheld (fewer than 3 facilities) in either round blanked, then largest drops first again. The
    public's figures are always of all facility types and ownerships: the filter's are dropped."""
    chosen = replace(chosen, tiers=(), ownership=())
    hidden = set()
    for name in (before, after):
        table = district_table(dataset, replace(chosen, round=name), suppressed=True)
        hidden |= set(table.loc[table["suppressed"], "adm2_pcode"])
    table = change_between_rounds(dataset, chosen, before, after, indicator)
    table = suppress_rows(table, table["adm2_pcode"].isin(hidden), ["before", "after", "change"])
    return table.sort_values(["change", "adm2_pcode"], na_position="last").reset_index(drop=True)
