"""Indicators, classes, palettes and the choropleth's trace values on a small hand-made dataset."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.catalogue import INDICATORS
from analysis.districts import district_indicators
from data.dataset import Dataset
from figures.choropleth import choropleth_figure, trace_values
from figures.classes import classify, format_value
from figures.palette import NO_DATA, class_colours
from figures.table import shown_values


@pytest.fixture
def small() -> Dataset:
    districts = pd.DataFrame({
        "adm2_pcode": ["XX0101", "XX0102", "XX0201"],
        "adm2_name": ["Alpha", "Bravo", "Charlie"],
        "adm1_pcode": ["XX01", "XX01", "XX02"],
        "adm1_name": ["North", "North", "South"],
        "area_km2": [100.0, 50.0, 0.0],
    })
    provinces = pd.DataFrame({"adm1_pcode": ["XX01", "XX02"], "adm1_name": ["North", "South"], "area_km2": [150.0, 0.0]})
    population = pd.DataFrame({"adm2_pcode": ["XX0101", "XX0201"], "population": [12_345, 800]})
    return Dataset(path=Path("."), manifest={}, districts=districts, provinces=provinces, population=population)


def test_population_and_density_by_hand(small):
    table = district_indicators(small).set_index("adm2_pcode")
    assert table.at["XX0101", "population"] == 12_345
    assert table.at["XX0101", "population_density"] == pytest.approx(123.45)
    assert pd.isna(table.at["XX0102", "population"])  # no population row: missing, never 0
    assert pd.isna(table.at["XX0102", "population_density"])
    assert pd.isna(table.at["XX0201", "population_density"])  # zero area: no density rather than infinity


def test_province_filter(small):
    assert district_indicators(small, ["XX02"])["adm2_pcode"].tolist() == ["XX0201"]
    assert len(district_indicators(small, [])) == 3


def test_quantile_classes_and_missing_values():
    values = pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, None])
    classes = classify(values, decimals=1, k=5)
    assert classes.bounds == pytest.approx([2.8, 4.6, 6.4, 8.2, 10.0])  # 20th, 40th... percentiles
    assert classes.index.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1]
    # a class starts one shown unit above the previous bound, so no label shares a value with the next
    assert classes.labels == ["1.0 – 2.8", "2.9 – 4.6", "4.7 – 6.4", "6.5 – 8.2", "8.3 – 10.0"]
    counts = classify(pd.Series([0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 5, 8]), decimals=0)
    assert counts.labels == ["0", "1", "2", "3", "4 – 8"]  # small counts: no "0 – 0" or "0 – 1"
    assert counts.index.tolist() == [0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 4]
    assert classify(pd.Series([3.0, 3.0]), k=5).index.tolist() == [0, 0]  # one distinct value, one class
    assert classify(pd.Series([None, None])).labels == []


def test_formatting_is_the_same_everywhere():
    assert format_value(1234567.891, 0) == "1,234,568"
    assert format_value(12.345, 1) == "12.3"
    assert format_value(None, 0) == format_value(np.nan, 1) == "no data"


def test_palette_runs_in_the_direction_of_need():
    worse = class_colours("higher_is_worse", 5)
    assert class_colours("higher_is_better", 5) == worse[::-1]
    assert len(set(class_colours("neutral", 3))) == 3
    assert class_colours("neutral", 0) == []


def test_trace_values_classes_legend_and_hover(small):
    table = district_indicators(small)
    districts, provinces = trace_values(table, INDICATORS["population"])
    assert districts["locations"] == ["XX0101", "XX0102", "XX0201"]
    # Bravo has no population: class 0 is "no data", drawn grey, and the two others are classed above it.
    assert districts["colorbar"]["ticktext"][0] == "no data"
    assert districts["z"][1] == 0 and districts["z"][0] > districts["z"][2] > 0
    assert districts["colorscale"][0][1] == NO_DATA
    assert districts["text"][:2] == ["<b>Alpha</b><br>North", "<b>Bravo</b><br>North"]
    assert districts["customdata"][:2] == ["12,345", "no data"]
    assert districts["hovertemplate"].startswith("%{text}<br>")
    assert "Population" in districts["hovertemplate"] and "people" in districts["hovertemplate"]
    assert provinces["locations"] == ["XX01", "XX02"]


def test_figure_refers_to_geometry_by_url_and_never_embeds_it(small):
    table = district_indicators(small)
    figure = choropleth_figure(table, INDICATORS["population_density"], "/geometry/adm2.x.json", "/geometry/adm1.x.json")
    assert figure.data[0].geojson == "/geometry/adm2.x.json"
    assert figure.data[1].geojson == "/geometry/adm1.x.json"
    assert "coordinates" not in figure.to_json()
    assert figure.layout.geo.fitbounds == "locations" and figure.layout.geo.visible is False


def test_table_rows_match_the_map(small):
    table = district_indicators(small)
    indicator = INDICATORS["population_density"]
    values, _ = shown_values(table, indicator)
    shown = trace_values(table, indicator)[0]["customdata"]
    assert table["adm2_pcode"].tolist() == ["XX0101", "XX0102", "XX0201"]
    assert values[0] == 123.5 and values[1] is None  # 123.45 is stored as 123.4500000000000028
    assert [format_value(v, indicator.decimals) for v in values] == shown
