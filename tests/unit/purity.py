"""What a page model may import: nothing of Dash, Flask or the request (DESIGN.md, "Architecture"), and of
pages/ only other page models (the shared page modules are components)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

FORBIDDEN = ("dash", "flask", "dash_bootstrap_components", "dash_ag_grid", "auth", "server")


def imports(module: str) -> set[str]:
    """The modules `module`'s source imports, and the names it imports from them (read, not run)."""
    tree = ast.parse(Path(importlib.util.find_spec(module).origin).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return names


def impure_imports(module: str) -> set[str]:
    """What `module` (a page model) imports that it may not, following the page models it imports."""
    found = set()
    for name in imports(module):
        parts = name.split(".")
        if parts[0] in FORBIDDEN:
            found.add(name)
        elif parts[0] == "pages" and len(parts) > 1:
            if len(parts) >= 3 and parts[2] == "model":
                found |= impure_imports(".".join(parts[:3])) if len(parts) == 3 else set()
            elif not (len(parts) == 2 and importlib.util.find_spec(name).submodule_search_locations):
                found.add(name)  # pages.ids, pages.controls, a page's layout or callbacks
    return found
