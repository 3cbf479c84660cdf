"""Every page's model.py is pure: no Dash, no Flask, no request, no component ids or shared components
(tests/unit/purity.py). The bulletin and the tests call it as it is, with the role passed in."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.unit.purity import impure_imports

PAGES = Path(__file__).parents[2] / "pages"
MODELS = sorted(path.parent.name for path in PAGES.glob("*/model.py"))


def test_every_page_has_a_model():
    folders = {path.parent.name for path in PAGES.glob("*/__init__.py")}
    assert set(MODELS) == folders and len(MODELS) == 7


@pytest.mark.parametrize("page", MODELS)
def test_the_model_imports_no_dash_and_reads_no_request(page):
    assert impure_imports(f"pages.{page}.model") == set()


def test_the_check_sees_a_forbidden_import(tmp_path, monkeypatch):
    (tmp_path / "planted_model.py").write_text("from pages import ids\nimport dash_ag_grid as dag\n"
                                               "from server.auth import role\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert impure_imports("planted_model") >= {"pages.ids", "dash_ag_grid", "server.auth"}
    finally:
        sys.modules.pop("planted_model", None)
