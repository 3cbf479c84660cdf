"""Run-time settings, read from the environment once, passed to `create_app`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent
DEFAULT_DATASET = ROOT / "var" / "demo"


@dataclass(frozen=True)
class Settings:
    dataset: Path = DEFAULT_DATASET

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(dataset=Path(os.environ.get("HEALTHGAPS_DATASET", DEFAULT_DATASET)))
