"""The embedded demo: Afghanistan's districts and provinces with their 2019-20 population (see embedded/)."""

from __future__ import annotations

from pathlib import Path

from data.build import build_dataset

EMBEDDED = Path(__file__).parent / "embedded" / "afghanistan"
BOUNDARIES = [EMBEDDED / "afg_adm2_geoboundaries_ocha_pcodes.geojson", EMBEDDED / "afg_adm1_geoboundaries_ocha_pcodes.geojson"]
POPULATION = EMBEDDED / "afg_admpop_adm2_2019_20_cso.csv"
LABEL = "Demo: Afghanistan, real boundaries and 2019-20 population"


def build_demo(out: str | Path) -> dict:
    return build_dataset(out, BOUNDARIES, POPULATION, label=LABEL)
