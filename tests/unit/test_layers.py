"""The layering (.importlinter) holds, and the linter would catch a break: a copy of the code with one wrong
import planted fails the contract that forbids it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("pages", "server", "exports", "context", "view", "figures", "analysis", "data", "geo")
LINT = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"]


def _lint(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(LINT, cwd=folder, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"})


def test_the_code_keeps_its_layers():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The app's packages (Python files only) and the contract, copied: a plant never touches the tree."""
    folder = tmp_path_factory.mktemp("layers")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("*.pyc", "__pycache__",
                                                                                        "*.csv", "*.md", "embedded",
                                                                                        "reference", "templates"))
    shutil.copy(ROOT / ".importlinter", folder)
    return folder


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("figures/choropleth.py", "import dash", "never import Dash or Flask"),
    ("geo/web.py", "import data.schema", "geo imports nothing of the app"),
    ("pages/overview/model.py", "from dash import html", "never import Dash or Flask"),
    ("analysis/filters.py", "import pages.ids", "Pages and server above"),
])
def test_a_planted_import_breaks_its_contract(copy, module, line, contract):
    planted = copy / module
    original = planted.read_text() if planted.exists() else None
    planted.write_text((original or '"""A planted module."""\n') + f"\n{line}  # planted\n")
    try:
        result = _lint(copy)
    finally:
        planted.write_text(original) if original is not None else planted.unlink()
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in " ".join(broken.split()), result.stdout[-2000:]
