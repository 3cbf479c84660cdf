"""The URL is the view: copying it reproduces the page, back and forward work, presentation mode, keyboard,
headline figures and the overview's downloads."""

from __future__ import annotations

import pandas as pd

from analysis.access import PUBLIC
from analysis.headlines import headlines
from context import Context
from figures.classes import format_value
from figures.style import PRESENT_FONT
from pages import ids
from tests.browser.conftest import choose, css_id, downloaded, pick, screenshots, view_of
from view import View

DISTRICT_PATHS = f"#{ids.MAP} g.trace.choropleth:first-of-type path.choroplethlocation"
PLOT = f"#{ids.MAP} .js-plotly-plot"


def _paths(page, n: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('{DISTRICT_PATHS}').length === {n}", timeout=30_000)


def _headline_values(page) -> list[str]:
    page.wait_for_selector(f"#{ids.HEADLINES} .headline-value")
    return page.locator(f"#{ids.HEADLINES} .headline-value").all_inner_texts()


def _expected_headlines(demo, view: View) -> list[str]:
    ctx = Context(demo)
    figures = headlines(demo, view.filter(), ctx.districts(view.filter(), PUBLIC))
    return [format_value(figures["facilities"], 0), format_value(figures["pct_functional"], 0) + " %",
            format_value(figures["pin"], 0), f"{figures['below_standard']:,} of {figures['districts']:,}",
            format_value(figures["partners"], 0)]


def test_a_copied_url_reproduces_the_view(visit, demo):
    view = View(indicator="availability_score", admin1=("AF27",), round="2026-06-30", domain="srh")
    page = visit.page
    page.goto(visit.base_url + view.href())
    _paths(page, 16)
    assert page.locator(css_id(ids.INDICATOR)).input_value() == "availability_score"
    assert page.locator(css_id(ids.control("round"))).input_value() == "2026-06-30"
    assert "Kandahar" in page.locator(css_id(ids.PROVINCE)).inner_text()
    assert _headline_values(page) == _expected_headlines(demo, view)
    hover = page.eval_on_selector(PLOT, "gd => gd.data[0].hovertemplate")
    assert "HeRAMS availability" in hover or "vailability" in hover
    assert view_of(page) == view  # loading the page did not rewrite the URL
    visit.assert_clean()


def test_filters_write_the_url_and_back_and_forward_restore_it(visit, demo):
    page = visit.page
    page.goto(visit.base_url + "/")
    _paths(page, 395)
    choose(page, "indicator", "pin")
    page.wait_for_function("location.search.includes('indicator=pin')")
    pick(page, "admin1", "AF27")
    page.wait_for_function("location.search.includes('admin1=AF27')")
    _paths(page, 16)
    assert _headline_values(page) == _expected_headlines(demo, View(indicator="pin", admin1=("AF27",)))
    page.go_back()
    page.wait_for_function("!location.search.includes('admin1')")
    _paths(page, 395)
    assert page.locator(css_id(ids.INDICATOR)).input_value() == "pin"
    assert _headline_values(page) == _expected_headlines(demo, View(indicator="pin"))
    page.go_forward()
    page.wait_for_function("location.search.includes('admin1=AF27')")
    _paths(page, 16)
    assert "Kandahar" in page.locator(css_id(ids.PROVINCE)).inner_text()
    visit.assert_clean()


def test_navigation_keeps_the_filters(visit):
    page = visit.page
    page.goto(visit.base_url + "/?admin1=AF27&round=2026-06-30")
    _paths(page, 16)
    page.click(css_id(ids.nav("services")))
    page.wait_for_url("**/services?*")
    assert view_of(page) == View(page="services", admin1=("AF27",), round="2026-06-30")
    page.click(css_id(ids.nav("overview")))
    _paths(page, 16)
    visit.assert_clean()


def test_presentation_mode_is_kept_in_the_url(visit):
    page = visit.page
    page.goto(visit.base_url + "/")
    _paths(page, 395)
    assert page.eval_on_selector(PLOT, "gd => gd.layout.font.size") < PRESENT_FONT
    page.locator(css_id(ids.control("present"))).check()
    page.wait_for_function("location.search.includes('present=1')")
    page.wait_for_selector(f"#{ids.SHELL}.present")
    page.wait_for_function(f"document.querySelector('{PLOT}').layout.font.size === {PRESENT_FONT}")
    assert page.locator(f"#{ids.MAP} .modebar-container").is_hidden()  # no clutter on the projector
    page.reload()
    page.wait_for_selector(f"#{ids.SHELL}.present")
    assert page.locator(css_id(ids.control("present"))).is_checked()
    visit.assert_clean()


def test_controls_are_reachable_with_the_keyboard(visit):
    page = visit.page
    page.goto(visit.base_url + "/")
    _paths(page, 395)
    reached = set()
    page.locator("body").click(position={"x": 5, "y": 5})
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.closest('[id]')?.id || ''"))
    wanted = [ids.INDICATOR, ids.control("round"), ids.PROVINCE, ids.control("present"), ids.nav("services"),
              ids.export("districts", "csv")]
    from pages.controls import dom_id
    missing = [dom_id(w) for w in wanted if dom_id(w) not in reached]
    assert not missing, f"not reachable with Tab: {missing}; reached {sorted(reached)}"
    # A native select is operated from the keyboard: focus it and press ArrowDown.
    page.focus(css_id(ids.INDICATOR))
    page.keyboard.press("ArrowDown")
    page.wait_for_function("location.search.includes('indicator=')")
    visit.assert_clean()


def test_district_table_downloads_as_csv_and_excel(visit, demo, tmp_path):
    page = visit.page
    view = View(admin1=("AF27",), round="2026-06-30")
    page.goto(visit.base_url + view.href())
    _paths(page, 16)
    expected = Context(demo).districts(view.filter(), PUBLIC)
    for fmt in ("csv", "xlsx"):
        name, lines, table = downloaded(page, "districts", fmt, tmp_path, dtype={"adm2_pcode": str})
        assert name.startswith("healthgaps_district-indicators_2026-06-30_kandahar_dataset-") and name.endswith(fmt)
        assert "provinces: Kandahar" in lines and "round: 2026-06-30" in lines
        assert table["adm2_pcode"].tolist() == expected["adm2_pcode"].tolist()
        assert table["facilities"].tolist() == expected["facilities"].astype(int).tolist()
        pd.testing.assert_series_equal(table["availability_score"], expected["availability_score"].astype(float),
                                       check_names=False, rtol=1e-6)
    visit.assert_clean()


def test_overview_screenshots(visit):
    page = visit.page
    page.goto(visit.base_url + "/?admin1=AF27&indicator=availability_score")
    written = screenshots(page, "overview", DISTRICT_PATHS)
    assert len(written) == 4 and all(p.stat().st_size > 20_000 for p in written)
    visit.assert_clean()


def test_map_exports_a_png_named_for_the_view_offline(visit):
    page = visit.page
    page.goto(visit.base_url + "/?admin1=AF27&round=2026-06-30&indicator=pin")
    _paths(page, 16)
    page.hover(f"#{ids.MAP}")
    with page.expect_download() as download:
        page.click(f"#{ids.MAP} .modebar-btn[data-title='Download plot as a PNG']")
    name = download.value.suggested_filename
    assert name.startswith("healthgaps_map-people-in-need_2026-06-30_kandahar_dataset-") and name.endswith(".png")
    path = download.value.path()
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    visit.assert_clean()


def test_a_district_in_the_table_opens_its_profile(visit):
    page = visit.page
    page.goto(visit.base_url + "/?admin1=AF27&round=2026-06-30")
    _paths(page, 16)
    link = page.locator(f"#{ids.TABLE} .ag-row[row-id^='AF2701 '] [col-id=adm2_name] a")
    assert link.inner_text() == "Kandahar"
    link.click()
    page.wait_for_url("**/district/AF2701?*")
    assert view_of(page) == View(page="district", district="AF2701", admin1=("AF27",), round="2026-06-30")
    page.wait_for_selector("h1:has-text('Kandahar, Kandahar')")
    visit.assert_clean()


def test_the_public_never_gets_a_breakdown_by_facility_type(visit, demo):
    """A URL naming a facility type, opened without a login: the page says it ignored it, offers no type or
    ownership filter, and shows the figures of all facilities."""
    page = visit.page
    page.goto(visit.base_url + "/?admin1=AF27&tier=tertiary&ownership=ngo")
    _paths(page, 16)
    page.wait_for_selector(".breakdown-note")
    assert "coordinators only" in page.locator(".breakdown-note").inner_text()
    assert page.locator(css_id(ids.control("tiers"))).count() == 0
    assert page.locator(css_id(ids.control("ownership"))).count() == 0
    assert "ignored facility type and ownership" in page.content()
    assert _headline_values(page) == _expected_headlines(demo, View(admin1=("AF27",)))
    visit.assert_clean()
