"""The demo: Afghanistan's real boundaries and population with synthetic facilities, services and partners.

The demo is made the way a user's dataset is: raw files in the real formats are written first (beside the
dataset, in `<out>-raw/`), then built by the same `build_dataset` as any user's files.
"""

from __future__ import annotations

from pathlib import Path

from data.build import build_dataset
from data.demo_files import write_demo_files

EMBEDDED = Path(__file__).parent / "embedded" / "afghanistan"
BOUNDARIES = [EMBEDDED / "afg_adm2_geoboundaries_ocha_pcodes.geojson",
              EMBEDDED / "afg_adm1_geoboundaries_ocha_pcodes.geojson"]
POPULATION = EMBEDDED / "afg_admpop_adm2_2019_20_cso.csv"
LABEL = "Demo: Afghanistan. Real boundaries and 2019-20 population; facilities, services and partners are synthetic"


def raw_folder(out: Path) -> Path:
    return out.with_name(f"{out.name}-raw")


def build_demo(out: str | Path, facilities: int = 4000, rounds: int = 4, seed: int = 0) -> dict:
    """Write the demo's raw files and build the dataset `out` from them; returns the manifest."""
    out = Path(out)
    files = write_demo_files(raw_folder(out), facilities=facilities, rounds=rounds, seed=seed)
    return build_dataset(out, files.boundaries, files.population, files.facilities, files.partners, files.needs,
                         files.report_dates, label=LABEL, synthetic=True)
