"""The server package sits below the pages: it never imports layouts, callbacks or pages, so the pages can be
reorganised without touching the login, the update or the static routes (and no import cycle can form)."""

from __future__ import annotations

import ast
from pathlib import Path

SERVER = Path(__file__).parents[2] / "server"
ABOVE = {"layouts", "callbacks", "pages", "app"}


def _imported(path: Path) -> set[str]:
    """The top-level names of every module a file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_server_package_imports_nothing_above_it():
    modules = sorted(SERVER.glob("*.py"))
    assert {path.stem for path in modules} >= {"auth", "security", "store", "static", "publication", "update"}
    assert {path.name: sorted(_imported(path) & ABOVE) for path in modules} == {path.name: [] for path in modules}


def test_its_pages_are_templates():
    """No server module writes HTML itself: the pages come from server/templates/ (autoescaped by Flask)."""
    for path in SERVER.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "escape(" not in source and "<div" not in source and "<form" not in source, path.name
    assert {"base.html", "login.html", "update.html", "not_published.html"} <= {
        template.name for template in (SERVER / "templates").glob("*.html")}
