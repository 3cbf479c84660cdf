"""Shared fixtures: the demo dataset, built once per test session from the project's embedded files."""

from pathlib import Path

import pytest

from data import schema
from data.admin import AdminMatcher
from data.build import district_layers
from data.dataset import load_dataset
from data.demo import BOUNDARIES, build_demo

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("datasets") / "demo"
    build_demo(path)
    return path


@pytest.fixture(scope="session")
def demo(demo_path):
    return load_dataset(demo_path)


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


def records(frame) -> list[dict]:
    """Rows as plain dicts, None where a value is missing."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def rejections(report) -> list[tuple]:
    return [(r.row, r.column, r.value, r.reason) for r in report.rejected]
