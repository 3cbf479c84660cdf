"""A page's model.py is pure: no Dash, no Flask, no component ids, no request. The bulletin and the tests call
it as it is, with the role passed in."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAGES = Path(__file__).parents[2] / "pages"
FORBIDDEN = {"dash", "flask", "dash_bootstrap_components", "dash_ag_grid", "auth"}
FORBIDDEN_MODULES = {"pages.ids", "pages.wiring", "pages.downloads", "pages.controls", "pages.graph",
                     "pages.maps", "server"}


def imported(path: Path) -> set[str]:
    """Every module a file imports, `from a import b` counted as both a and a.b."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return names


@pytest.mark.parametrize("page", ["partners", "priorities"])
def test_the_model_imports_no_dash_and_reads_no_request(page):
    names = imported(PAGES / page / "model.py")
    assert not {n for n in names if n.split(".")[0] in FORBIDDEN or n in FORBIDDEN_MODULES
                or n.split(".")[0] == "server"}


def test_the_check_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "model.py"
    bad.write_text("from pages import ids\nimport dash_ag_grid as dag\n")
    assert {"pages.ids", "dash_ag_grid"} <= imported(bad)
