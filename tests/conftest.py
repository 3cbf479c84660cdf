"""Shared fixtures: the demo dataset, built once per test session from the project's embedded files."""

from pathlib import Path

import pytest

from data.dataset import load_dataset
from data.demo import build_demo

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("datasets") / "demo"
    build_demo(path)
    return path


@pytest.fixture(scope="session")
def demo(demo_path):
    return load_dataset(demo_path)
