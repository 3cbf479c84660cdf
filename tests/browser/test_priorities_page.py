"""The priorities page as a person uses it: set weights, see the URL and the list follow, reset, go back,
download the list, open a district from the map; and the screenshots."""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd
import pytest

from analysis.districts import district_table
from analysis.filters import Filter
from analysis.priority import DEFAULT_WEIGHTS, default_method, rank
from pages import ids
from pages.priorities.model import EXTRA_CANDIDATES
from tests.browser.conftest import css_id, screenshots, view_of
from view import parse

ROWS = f"#{ids.PRIORITY_TABLE} .ag-center-cols-container .ag-row"
MAP_PATHS = f"#{ids.PRIORITY_MAP} g.trace.choropleth:first-of-type path.choroplethlocation"
MAP_PLOT = f"#{ids.PRIORITY_MAP} .js-plotly-plot"
INPUTS = [*DEFAULT_WEIGHTS, *EXTRA_CANDIDATES]


def _open(visit, search: str = ""):
    page = visit.page
    page.goto(visit.base_url + "/priorities" + search)
    page.wait_for_selector(ROWS, timeout=30_000)
    page.wait_for_selector(MAP_PATHS, timeout=30_000)
    return page


def _order(page) -> list[str]:
    """The grid's rows, p-codes in the order shown."""
    return page.eval_on_selector_all(
        ROWS, "rows => rows.sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))"
              ".map(r => r.getAttribute('row-id'))")


def _public(demo, chosen=Filter()):
    """The district table the public's page ranks: small cells withheld, and figures about a small group of
    facilities inside a district (analysis/suppression.py)."""
    return district_table(demo, chosen, suppressed=True)


def _expected(demo, weights=None, chosen=Filter()) -> list[str]:
    ranked, _ = rank(_public(demo, chosen), default_method(weights))
    return ranked["adm2_pcode"].tolist()


def _weight(page, name: str):
    return page.locator(css_id(ids.control(f"weight:{name}")))


def _wait_for_weights(page, weights: dict) -> None:
    """Until the URL holds these weights."""
    page.wait_for_url(lambda url: parse(urlsplit(url).path, urlsplit(url).query).weights == weights, timeout=20_000)


def _wait_for_order(page, expected: list[str], count: int = 10) -> None:
    page.wait_for_function(
        """([selector, expected]) => {
             const rows = [...document.querySelectorAll(selector)]
               .sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))
               .map(r => r.getAttribute('row-id'));
             return JSON.stringify(rows.slice(0, expected.length)) === JSON.stringify(expected);
           }""", arg=[ROWS, expected[:count]], timeout=20_000)


def test_weights_drive_the_url_and_the_list_reset_and_back(visit, demo):
    page = _open(visit)
    assert _order(page) == _expected(demo)  # all 213 ranked districts, in rank()'s order
    assert view_of(page).weights == DEFAULT_WEIGHTS
    # Severity alone: type 1 in its box and 0 in the others, moving on with Tab as a keyboard user does.
    for name in INPUTS:
        box = _weight(page, name)
        box.fill("1" if name == "severity" else "0")
        box.press("Tab")
    _wait_for_weights(page, {"severity": 1.0})
    assert "weights=severity=1" in page.url
    severity = _expected(demo, {"severity": 1.0})
    _wait_for_order(page, severity, 30)
    assert _order(page) == severity
    assert "395 districts ranked; 0 not ranked" in page.locator(f"#{ids.PRIORITY_SUMMARY}").inner_text()
    # The reset link brings the defaults back, in the URL, the inputs and the list.
    page.click(f"#{ids.PRIORITY_RESET}")
    _wait_for_weights(page, DEFAULT_WEIGHTS)
    _wait_for_order(page, _expected(demo), 30)
    assert _weight(page, "pin").input_value() == "0.2"
    excluded = page.locator(f"#{ids.PRIORITY_EXCLUDED}").inner_text()
    assert "not ranked: Kot (Nangarhar): no Service availability" in excluded
    # Back: the weights before the reset again.
    page.go_back()
    _wait_for_weights(page, {"severity": 1.0})
    _wait_for_order(page, severity, 30)
    page.wait_for_function("selector => document.querySelector(selector).value === '0'",
                           arg=css_id(ids.control("weight:pin")))
    assert _weight(page, "severity").input_value() == "1"
    visit.assert_clean()


def test_download_the_list_as_csv_and_excel(visit, demo, tmp_path):
    page = _open(visit, "?weights=severity=1,pct_damaged=0.5&admin1=AF27")
    ranked, excluded = rank(_public(demo, Filter(admin1=("AF27",))),
                            default_method({"severity": 1.0, "pct_damaged": 0.5}))
    _wait_for_order(page, ranked["adm2_pcode"].tolist(), len(ranked))
    files = {}
    for fmt, _label in (("csv", "CSV"), ("xlsx", "Excel")):
        with page.expect_download() as download:
            page.click(css_id(ids.export("priorities", fmt)))
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        files[fmt] = path
    assert files["csv"].name.startswith("healthgaps_priority-ranking_2026-12-31_kandahar_dataset-")
    lines = [line for line in files["csv"].read_text(encoding="utf-8-sig").splitlines() if line.startswith("# ")]
    assert "# weights: severity=1,pct_damaged=0.5" in lines
    assert "# provinces: Kandahar" in lines
    assert any(line.startswith("# weight pct_damaged = 0.5 (0.333 of the score") for line in lines)
    assert sum(line.startswith("# not ranked: ") for line in lines) == len(excluded)
    csv = pd.read_csv(files["csv"], comment="#")
    excel = pd.read_excel(files["xlsx"], skiprows=len(lines) + 1, engine="calamine")
    header = pd.read_excel(files["xlsx"], header=None, nrows=len(lines), engine="calamine")[0].tolist()
    assert "weights: severity=1,pct_damaged=0.5" in header
    for table in (csv, excel):
        assert table["adm2_pcode"].tolist() == ranked["adm2_pcode"].tolist()
        assert table["priority_rank"].tolist() == ranked["priority_rank"].tolist()
        assert table["priority_score"].tolist() == pytest.approx(ranked["priority_score"].tolist(), abs=0.0051)
        assert table["stability"].tolist() == pytest.approx(ranked["stability"].tolist(), abs=0.0006)
    visit.assert_clean()


def test_map_classes_and_a_click_opens_the_district(visit, demo):
    page = _open(visit)
    assert page.locator(MAP_PATHS).count() == 395
    legend = page.locator(f"#{ids.PRIORITY_MAP} .colorbar").text_content()
    assert "5 (highest)" in legend and "1 (lowest)" in legend and "no data" in legend
    assert "suppressed(small numbers)" in legend  # on two lines
    ranked, _ = rank(_public(demo), default_method())
    shown = page.eval_on_selector(MAP_PLOT, "gd => [gd.data[0].locations, gd.data[0].z]")
    classes = dict(zip(*shown))  # legend: no data, suppressed, then the classes 1 to 5
    assert all(classes[c] == k + 1 for c, k in zip(ranked["adm2_pcode"], ranked["priority_class"]))
    assert classes["AF0310"] == 1  # Shekh Ali: not ranked, its values withheld
    assert page.locator(f"#{ids.PRIORITY_QUADRANT} .xtitle").text_content().startswith("Need: score points")
    assert page.locator(f"#{ids.PRIORITY_STABILITY} .bars .point").count() == 15
    # Nad-e-Ali (Helmand) is large and compact: a click at its middle opens its profile.
    page.locator(MAP_PLOT).scroll_into_view_if_needed()
    box = page.locator(MAP_PATHS).nth(
        page.eval_on_selector(MAP_PLOT, "gd => gd.data[0].locations.indexOf('AF3002')")).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/district/AF3002*", timeout=20_000)
    visit.assert_clean()


def test_a_province_with_nothing_to_rank_says_so(visit):
    page = visit.page
    page.goto(visit.base_url + "/priorities?admin1=AF16&weights=pct_reached=1")
    message = page.locator(f"#{ids.PRIORITY_MESSAGE} .empty-state")
    message.wait_for(timeout=30_000)
    assert "No district of Nuristan in round 2026-12-31 can be ranked" in message.inner_text()
    assert page.locator(f"#{ids.PRIORITY_EXCLUDED} li").count() == 8
    visit.assert_clean()


def test_screenshots(visit):
    page = _open(visit)
    written = screenshots(page, "priorities", MAP_PATHS)
    assert len(written) == 4 and all(path.stat().st_size > 10_000 for path in written)
    visit.assert_clean()


def test_all_weights_0_bring_the_defaults_back_and_top_n_sets_the_charts(visit, demo):
    page = _open(visit, "?weights=severity=1")
    _weight(page, "severity").fill("0")
    _weight(page, "severity").press("Tab")
    _wait_for_weights(page, DEFAULT_WEIGHTS)  # all 0: the defaults, in the URL and in the inputs
    page.wait_for_function("selector => document.querySelector(selector).value === '0.25'",
                           arg=css_id(ids.control("weight:severity")))
    assert _weight(page, "partners").input_value() == "0.15"
    _wait_for_order(page, _expected(demo), 30)
    top = page.locator(css_id(ids.PRIORITY_TOP))
    top.fill("5")
    top.press("Tab")
    page.wait_for_url("**top=5*", timeout=20_000)
    assert view_of(page).top == 5
    page.wait_for_function(f"document.querySelectorAll('#{ids.PRIORITY_STABILITY} .bars .point').length === 10")
    assert "in the top 5" in page.locator(f"#{ids.PRIORITY_STABILITY_TEXT}").inner_text()
    visit.assert_clean()
