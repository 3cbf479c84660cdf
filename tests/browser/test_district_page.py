"""The district profile as a person uses it: open it from the overview map, read the key figures, change the
round, go back with the filters, download the key figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from analysis.catalogue import INDICATORS
from analysis.disclosure import published_provinces
from analysis.districts import district_table
from analysis.filters import Filter
from analysis.suppression import export_note
from context import Context
from exports import header_lines
from figures.classes import format_value
from pages import ids
from pages.district.layout import table_names
from pages.district.model import KEY_INDICATORS
from tests.browser.conftest import choose, css_id, screenshots, view_of
from tests.browser.test_access import _demo_password, _log_in

MAP_PATHS = f"#{ids.MAP} g.trace.choropleth:first-of-type path.choroplethlocation"
MAP_PLOT = f"#{ids.MAP} .js-plotly-plot"
KEY_ROWS = f"#{ids.DISTRICT_KEY} tbody tr"
COMPARED = ("population", "facilities", "functional", "pct_fully_functional", "phc_per_10k", "availability_score")


def _key_shown(page) -> dict[str, list[str]]:
    """Indicator label -> the cells of its row in the key figures table."""
    rows = page.eval_on_selector_all(KEY_ROWS, "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText))")
    return {row[0]: row[1:] for row in rows}


def _expected(demo, code: str, province: str, round_name: str | None) -> dict[str, tuple[str, str]]:
    """Label (as shown, with its unit) -> (district, province) values formatted as the page formats them for
    the public: the protected district table, the province over its published districts."""
    chosen = Filter(round=round_name, admin1=(province,))
    table = district_table(demo, chosen, suppressed=True)
    district = table.set_index("adm2_pcode").loc[code]
    totals = published_provinces(demo, chosen, table).iloc[0]

    def cell(row, indicator: str) -> str:
        hidden = INDICATORS[indicator].facility_based and (bool(row["suppressed"]) or indicator in row["withheld"])
        return "suppressed" if hidden else format_value(row[indicator], INDICATORS[indicator].decimals)

    return {f"{INDICATORS[i].label} ({INDICATORS[i].unit})": (cell(district, i), cell(totals, i)) for i in COMPARED}


def _assert_key_figures(page, demo, code, province, round_name):
    expected = _expected(demo, code, province, round_name)
    shown = _key_shown(page)
    for label, (district, total) in expected.items():
        assert shown[label][:2] == [district, total], label


def _open(visit, path: str):
    visit.page.goto(visit.base_url + path)
    visit.page.wait_for_selector(KEY_ROWS, timeout=30_000)
    return visit.page


def test_map_click_opens_the_district_and_shows_its_figures(visit, demo):
    page = visit.page
    page.goto(visit.base_url + "/")
    page.wait_for_selector(MAP_PATHS, timeout=30_000)
    # Helmand's Nad Ali is large and compact: the middle of its bounding box lies inside it.
    index = page.eval_on_selector(MAP_PLOT, "gd => gd.data[0].locations.indexOf('AF3002')")
    box = page.locator(MAP_PATHS).nth(index).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/district/AF3002", timeout=15_000)
    page.wait_for_selector(KEY_ROWS, timeout=30_000)
    row = demo.districts.set_index("adm2_pcode").loc["AF3002"]
    expect(page.locator("h1")).to_have_text(f"{row['adm2_name']}, {row['adm1_name']}")
    assert [label.split(" (")[0] for label in _key_shown(page)] == \
        [INDICATORS[i].label for i in KEY_INDICATORS]
    _assert_key_figures(page, demo, "AF3002", "AF30", None)
    assert "coordinators after login" in page.locator(f"#{ids.DISTRICT_FACILITIES}").inner_text()
    visit.assert_clean()


def _filtered(demo, round_name: str) -> dict[str, str]:
    """Kandahar city with primary facilities only: label as shown -> the district's value as shown."""
    chosen = Filter(round=round_name, admin1=("AF27",), tiers=("primary",))
    district = district_table(demo, chosen).set_index("adm2_pcode").loc["AF2701"]
    return {f"{INDICATORS[i].label} ({INDICATORS[i].unit})": format_value(district[i], INDICATORS[i].decimals)
            for i in COMPARED}


def _wait_for_district_values(page, expected: dict[str, str]) -> None:
    page.wait_for_function(
        """([selector, expected]) => {
            const rows = Array.from(document.querySelectorAll(selector));
            const shown = Object.fromEntries(rows.map(r => [r.cells[0].innerText, r.cells[1].innerText]));
            return Object.entries(expected).every(([label, value]) => shown[label] === value);
        }""", arg=[KEY_ROWS, expected], timeout=15_000)


def test_round_change_and_back_link_keep_the_filters(visit, demo, demo_path):
    _log_in(visit.page, visit.base_url, _demo_password(demo_path))  # a breakdown by type is the coordinator's
    page = _open(visit, "/district/AF2701?tier=primary")
    latest, first = _filtered(demo, "2026-12-31"), _filtered(demo, "2026-03-31")
    assert latest != first
    _wait_for_district_values(page, latest)
    choose(page, "round", "2026-03-31")
    _wait_for_district_values(page, first)
    assert view_of(page).round == "2026-03-31"
    assert {label: cells[0] for label, cells in _key_shown(page).items() if label in first} == first
    assert page.eval_on_selector_all(f"#{ids.DISTRICT_TREND_TABLE} tbody tr", "rows => rows.length") == 4
    back = page.locator(css_id(ids.DISTRICT_BACK))
    expect(back).to_have_attribute("href", "/?round=2026-03-31&tier=primary")
    back.click()
    page.wait_for_url(lambda url: url.endswith("/?round=2026-03-31&tier=primary"), timeout=15_000)
    page.wait_for_selector(MAP_PATHS, timeout=30_000)
    view = view_of(page)
    assert view.page == "overview" and view.round == "2026-03-31" and view.tiers == ("primary",)
    expect(page.locator(css_id(ids.control("round")))).to_have_value("2026-03-31")
    visit.assert_clean()


def test_key_figures_download_as_csv_and_excel(visit, demo):
    page = _open(visit, "/district/AF2701?round=2026-06-30")
    chosen = Filter(round="2026-06-30", admin1=("AF27",))
    district = district_table(demo, chosen).set_index("adm2_pcode").loc["AF2701"]
    key_name, _ = table_names()
    frames = {}
    for fmt in ("csv", "xlsx"):
        with page.expect_download() as download:
            page.click(css_id(ids.export(key_name, fmt)))
        path = Path(download.value.path())
        assert download.value.suggested_filename.startswith(
            "healthgaps_key-figures-of-kandahar-kandahar_2026-06-30_dataset-")
        if fmt == "csv":
            frames[fmt] = pd.read_csv(path, comment="#")
            assert "# district: Kandahar, Kandahar (AF2701)" in path.read_text(encoding="utf-8-sig")
        else:
            lines = header_lines("key figures", Context(demo), view_of(page), ["district", export_note()])
            first = pd.read_excel(path, header=None, nrows=len(lines), engine="calamine")[0].tolist()
            assert first[0] == "HealthGaps: key figures of Kandahar, Kandahar"
            assert "district: Kandahar, Kandahar (AF2701)" in first
            frames[fmt] = pd.read_excel(path, skiprows=len(lines) + 1, engine="calamine")
    for frame in frames.values():
        assert frame["indicator"].tolist() == list(KEY_INDICATORS)
        values = frame.set_index("indicator")["district"]
        for indicator in COMPARED:
            assert values[indicator] == pytest.approx(float(district[indicator]), rel=1e-12)
        assert frame.set_index("indicator").loc["phc_per_10k", "verdict"] == "below the standard"
    pd.testing.assert_frame_equal(frames["csv"], frames["xlsx"], check_dtype=False)
    visit.assert_clean()


def test_screenshots(visit):
    page = _open(visit, "/district/AF2701")
    page.wait_for_selector(f"#{ids.DISTRICT_TREND} .scatterlayer .trace", timeout=30_000)
    screenshots(page, "district", f"#{ids.DISTRICT_TREND} .scatterlayer .trace")
    visit.assert_clean()


def test_a_district_of_one_facility_is_suppressed_for_the_public(visit, demo):
    page = _open(visit, "/district/AF0310")  # Shekh Ali, Parwan: one facility in every round
    shown = _key_shown(page)
    assert shown["Health facilities (facilities)"][0] == "1"
    assert shown["Service availability (score (0-100))"][0] == "suppressed"
    assert shown["Service availability (score (0-100))"][-1] == "suppressed (small numbers)"
    chosen = Filter(admin1=("AF03",))
    totals = published_provinces(demo, chosen, district_table(demo, chosen, suppressed=True)).iloc[0]  # published
    assert shown["Service availability (score (0-100))"][1] == format_value(totals["availability_score"], 1)
    assert page.locator(f"#{ids.DISTRICT_BARRIERS}").inner_text() == "Barriers: suppressed (small numbers)."
    trend = page.locator(f"#{ids.DISTRICT_TREND_TABLE}").inner_text()
    assert trend.count("suppressed") >= 4 * 3  # three facility-based columns in four rounds
    page.wait_for_selector(f"#{ids.DISTRICT_SERVICES} .annotation-text", timeout=15_000)
    assert "suppressed" in page.locator(f"#{ids.DISTRICT_SERVICES} .annotation-text").text_content()
    screenshots(page, "district-suppressed", f"#{ids.DISTRICT_TREND} .scatterlayer .trace")
    visit.assert_clean()
