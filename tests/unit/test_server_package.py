"""The server package writes its pages from templates. (That it sits below the pages, importing none of them,
is the layers contract of .importlinter: tests/unit/test_layers.py.)"""

from __future__ import annotations

from pathlib import Path

SERVER = Path(__file__).parents[2] / "server"


def test_its_pages_are_templates():
    """No server module writes HTML itself: the pages come from server/templates/ (autoescaped by Flask)."""
    for path in SERVER.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "escape(" not in source and "<div" not in source and "<form" not in source, path.name
    assert {"base.html", "login.html", "update.html", "not_published.html"} <= {
        template.name for template in (SERVER / "templates").glob("*.html")}
