"""The overview page as a person uses it: the map draws, selectors change it, the table agrees with it."""

from __future__ import annotations

import re

from analysis.catalogue import INDICATORS
from analysis.districts import district_indicators
from analysis.suppression import suppress
from figures.choropleth import trace_values
from figures.classes import format_value
from pages import ids
from tests.browser.conftest import OUTPUT, choose, pick

DISTRICT_PATHS = f"#{ids.MAP} g.trace.choropleth:first-of-type path.choroplethlocation"
PROVINCE_PATHS = f"#{ids.MAP} g.trace.choropleth:nth-of-type(2) path.choroplethlocation"
PLOT = f"#{ids.MAP} .js-plotly-plot"


def _open(visit):
    visit.page.goto(visit.base_url + "/")
    visit.page.wait_for_selector(DISTRICT_PATHS, timeout=30_000)
    visit.page.wait_for_selector(f"#{ids.TABLE} .ag-row", timeout=30_000)
    return visit.page


def _map_shown(page) -> dict[str, str]:
    """p-code -> the value text the map's hover shows, read from the plotted figure."""
    data = page.eval_on_selector(PLOT, "gd => [gd.data[0].locations, gd.data[0].customdata]")
    return dict(zip(*data))


def _table_shown(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        f"#{ids.TABLE} .ag-center-cols-container .ag-row",
        "rows => Object.fromEntries(rows.map(r => [r.getAttribute('row-id').split(' ')[0], "
        "r.querySelector('[col-id=value]').innerText]))",
    )


def _fills(page) -> list[str]:
    return page.eval_on_selector_all(DISTRICT_PATHS, "paths => paths.map(p => getComputedStyle(p).fill)")


def _hex_to_rgb(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_map_draws_one_shape_per_district(visit, demo):
    page = _open(visit)
    assert page.locator(DISTRICT_PATHS).count() == len(demo.districts) == 395
    assert page.locator(PROVINCE_PATHS).count() == 34
    legend = page.locator(f"#{ids.MAP} .colorbar").text_content()
    assert "Population" in legend and "4,273,156" in legend  # the top class ends at Kabul's population
    assert page.locator(f"#{ids.MAP} .modebar [data-title*='cloud' i]").count() == 0
    assert "synthetic" in page.locator(f"#{ids.SYNTHETIC}").inner_text()  # the demo says what it is
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "overview.png", full_page=True)
    visit.assert_clean()


def test_choosing_another_indicator_recolours_the_map(visit, demo):
    page = _open(visit)
    before = _fills(page)
    choose(page, "indicator", "population_density")
    page.wait_for_function(f"document.querySelector('{PLOT}').data[0].hovertemplate.includes('density')")
    page.wait_for_function(
        f"document.querySelector('#{ids.MAP} .colorbar').textContent.includes('per km')")
    after = _fills(page)
    assert len(after) == 395
    assert sum(a != b for a, b in zip(before, after)) > 100
    # Each class colour fills as many districts as the analysis puts in that class.
    values = trace_values(district_indicators(demo), INDICATORS["population_density"])[0]
    colours = [colour for _, colour in values["colorscale"][::2]]  # one flat band per class
    expected = sorted(_hex_to_rgb(colours[z]) for z in values["z"])
    assert sorted(after) == expected
    page.screenshot(path=OUTPUT / "overview-density.png", full_page=True)
    visit.assert_clean()


def test_table_shows_the_same_values_as_the_map(visit, demo):
    page = _open(visit)
    for indicator in ("population", "population_density"):
        if indicator != "population":
            choose(page, "indicator", indicator)
            page.wait_for_function(
                f"document.querySelector('#{ids.TABLE}').innerText.includes('{INDICATORS[indicator].unit}')")
        table = district_indicators(demo)
        expected = {code: format_value(v, INDICATORS[indicator].decimals)
                    for code, v in zip(table["adm2_pcode"], table[indicator])}
        assert _map_shown(page) == expected
        assert _table_shown(page) == expected
    visit.assert_clean()


def test_the_public_sees_small_cells_suppressed(visit, demo):
    """A facility-based indicator: districts of 1-2 facilities say "suppressed" on the map and in the table."""
    page = _open(visit)
    choose(page, "indicator", "availability_score")
    page.wait_for_function(f"document.querySelector('#{ids.TABLE}').innerText.includes('suppressed')")
    table = suppress(district_indicators(demo))
    withheld = set(table.loc[table["suppressed"], "adm2_pcode"])
    assert "AF0310" in withheld  # Shekh Ali: one facility
    expected = {code: "suppressed" if code in withheld else format_value(v, 1)
                for code, v in zip(table["adm2_pcode"], table["availability_score"])}
    assert _map_shown(page) == expected
    assert _table_shown(page) == expected
    assert "suppressed(small numbers)" in page.locator(f"#{ids.MAP} .colorbar").text_content()  # 2 lines
    visit.assert_clean()


def test_province_filter_and_sorting(visit, demo):
    page = _open(visit)
    pick(page, "admin1", "AF27")
    page.wait_for_function(f"document.querySelectorAll('{DISTRICT_PATHS}').length === 16")
    page.wait_for_function(f"document.querySelectorAll('#{ids.TABLE} .ag-center-cols-container .ag-row').length === 16")
    kandahar = district_indicators(demo, ["AF27"])
    assert set(_table_shown(page)) == set(kandahar["adm2_pcode"]) == set(_map_shown(page))
    assert page.locator(PROVINCE_PATHS).count() == 1
    # Sorting by value, largest first: Kandahar city first.
    header = page.locator(f"#{ids.TABLE} .ag-header-cell[col-id=value] .ag-header-cell-label")
    header.click()
    header.click()
    page.wait_for_timeout(300)
    first = page.eval_on_selector(
        f"#{ids.TABLE} .ag-center-cols-container .ag-row[row-index='0']", "r => r.getAttribute('row-id').split(' ')[0]")
    assert first == kandahar.sort_values("population", ascending=False)["adm2_pcode"].iloc[0] == "AF2701"
    visit.assert_clean()


def test_hover_names_district_province_and_value(visit, demo):
    page = _open(visit)
    page.eval_on_selector(PLOT, "gd => gd.on('plotly_hover', e => { window.hovered = e.points[0].location; })")
    # Helmand's Nad Ali is large and compact: the middle of its bounding box lies inside it.
    box = page.locator(DISTRICT_PATHS).nth(
        page.eval_on_selector(PLOT, "gd => gd.data[0].locations.indexOf('AF3002')")).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(f"#{ids.MAP} .hoverlayer .hovertext", timeout=5_000)
    code = page.evaluate("window.hovered")
    text = page.locator(f"#{ids.MAP} .hoverlayer").text_content()
    row = district_indicators(demo).set_index("adm2_pcode").loc[code]
    assert row["adm2_name"] in text and row["adm1_name"] in text
    assert re.search(rf"Population \(people\): {re.escape(format_value(row['population'], 0))}", text)
    visit.assert_clean()


def test_a_filter_keeping_the_districts_sends_values_and_the_page_keeps_names(visit, demo):
    """A round keeps the country's districts: the answer carries no names, yet the map's hover, the table's names
    and each district's profile link all follow the new view; back to a province, the names come again."""
    page = _open(visit)
    bodies = []

    def record(route):  # the callback answers as the page receives them (uncompressed, to read them here)
        response = route.fetch(headers={**route.request.headers, "accept-encoding": "identity"})
        bodies.append(response.text())
        route.fulfill(response=response)

    page.route("**/_dash-update-component?*", record)
    choose(page, "round", "2026-06-30")
    page.wait_for_function("location.search.includes('round=2026-06-30')")
    link = page.locator(f"#{ids.TABLE} .ag-row[row-id^='AF0101 '] [col-id=adm2_name] a")
    page.wait_for_function(f"document.querySelector(\"#{ids.TABLE} .ag-row[row-id^='AF0101 '] a\")"
                           ".getAttribute('href').includes('round=2026-06-30')")
    assert link.inner_text() == "Kabul" and link.get_attribute("href") == "/district/AF0101?round=2026-06-30"
    (body,) = [body for body in bodies if ids.TABLE_VALUES in body]
    assert "Kabul" not in body and ids.TABLE_NAMES not in body  # values, no names
    hover = page.eval_on_selector(PLOT, "gd => [gd.data[0].locations.length, gd.data[0].text[0], gd.data[0].customdata.length]")
    assert hover == [395, "<b>Kabul</b><br>Kabul", 395]
    assert len(_table_shown(page)) == 395
    pick(page, "admin1", "AF27")
    page.wait_for_function(f"document.querySelectorAll('{DISTRICT_PATHS}').length === 16")
    page.wait_for_function(f"document.querySelectorAll('#{ids.TABLE} .ag-center-cols-container .ag-row').length === 16")
    kandahar = page.locator(f"#{ids.TABLE} .ag-row[row-id^='AF2701 '] [col-id=adm2_name] a")
    assert kandahar.inner_text() == "Kandahar"
    assert "admin1=AF27" in kandahar.get_attribute("href") and "round=2026-06-30" in kandahar.get_attribute("href")
    visit.assert_clean()
