"""The partners page as a coordinator uses it: filter by organisation type and province, read the maps and who is
where, download who is where, and click a district to open its profile."""

from __future__ import annotations

from analysis import coverage, standards
from analysis.access import PUBLIC
from context import Context
from figures.classes import format_value
from figures.partners import coverage_categories
from pages import ids
from pages.partners.model import coverage_category
from tests.browser.conftest import downloaded, pick, screenshots, view_of
from view import View

PLOT = f"#{ids.PARTNERS_MAP} .js-plotly-plot"
COVERAGE_PLOT = f"#{ids.PARTNERS_COVERAGE_MAP} .js-plotly-plot"
PATHS = f"#{ids.PARTNERS_MAP} g.trace.choropleth:first-of-type path.choroplethlocation"
WHO_ROWS = f"#{ids.PARTNERS_WHO} .ag-center-cols-container .ag-row"


def _open(visit, href: str = "/partners"):
    page = visit.page
    page.goto(visit.base_url + href)
    page.wait_for_selector(PATHS, timeout=30_000)
    page.wait_for_selector(f"#{ids.PARTNERS_GAPS} .ag-row", timeout=30_000)
    return page


def _shown(page, plot: str) -> dict[str, str]:
    """p-code -> the text the map's hover shows, read from the plotted figure."""
    data = page.eval_on_selector(plot, "gd => [gd.data[0].locations, gd.data[0].customdata]")
    return dict(zip(*data))


def test_filter_maps_who_is_where_and_downloads(visit, demo, tmp_path):
    page = _open(visit)
    assert page.locator(PATHS).count() == 395
    pick(page, "org_types", "NNGO")
    page.wait_for_function("location.search.includes('org_type=NNGO')")
    pick(page, "admin1", "AF27")
    page.wait_for_function("location.search.includes('admin1=AF27')")
    page.wait_for_function(f"document.querySelectorAll('{PATHS}').length === 16", timeout=30_000)
    view = View(page="partners", admin1=("AF27",), org_types=("NNGO",))
    assert view_of(page) == view

    ctx = Context(demo)
    table = ctx.districts(view.filter(), PUBLIC)  # the visit is not logged in
    expected = {code: format_value(v, 0) for code, v in zip(table["adm2_pcode"], table["partners"])}
    page.wait_for_function(f"document.querySelector('{PLOT}').data[0].locations.length === 16")
    assert _shown(page, PLOT) == expected
    names = {c.value: c.label for c in coverage_categories(standards.value("duplication_partners"))}
    categories = dict(zip(table["adm2_pcode"], coverage_category(table)))
    assert _shown(page, COVERAGE_PLOT) == {code: names[c] for code, c in categories.items()}
    assert set(categories.values()) == {"gap", "covered"}  # NNGOs in Kandahar: one district, no crowding

    who = coverage.who_is_where(demo, view.filter())
    assert len(who) > 0 and set(who["org_type"]) == {"NNGO"}
    page.wait_for_function(f"document.querySelectorAll('{WHO_ROWS}').length === {len(who)}")
    rows = page.eval_on_selector_all(WHO_ROWS, "rows => rows.map(r => [r.getAttribute('row-id'), "
                                               "r.querySelector('[col-id=districts]').innerText])")
    assert sorted(map(tuple, rows)) == sorted(zip(who["org_name"], who["districts"].astype(str)))
    gaps = page.locator(f"#{ids.PARTNERS_GAPS_COUNT}").inner_text()
    assert gaps.startswith(f"{int(table['uncovered'].sum())} districts")
    # The gap list's first district links to its profile, with the filters.
    first = coverage.gap_list(demo, view.filter(), table.set_index("adm2_pcode")["phc_gap"])["adm2_pcode"].iloc[0]
    link = page.locator(f"#{ids.PARTNERS_GAPS} .ag-row[row-index='0'] [col-id=adm2_name] a")
    assert link.get_attribute("href") == f"/district/{first}{view.search()}"

    for fmt in ("csv", "xlsx"):
        name, lines, got = downloaded(page, "partners-who-is-where", fmt, tmp_path)
        assert name.startswith("healthgaps_who-is-where_2026-12-31_kandahar_nngo_dataset-") and name.endswith(fmt)
        assert "provinces: Kandahar" in lines and "organisation types: NNGO" in lines
        assert got.columns.tolist() == who.columns.tolist()
        assert got["org_name"].tolist() == who["org_name"].tolist()
        assert got["districts"].tolist() == who["districts"].tolist()
        assert got["reached"].tolist() == who["reached"].astype(float).tolist()
        assert got["activities"].tolist() == who["activities"].tolist()

    screenshots(page, "partners", f"{PATHS}, #{ids.PARTNERS_WHO} .ag-row")
    visit.assert_clean()


def _click_district(page, plot: str, code: str) -> str:
    """Click the middle of a district's shape; the p-code plotly says was clicked."""
    paths = f"{plot.removesuffix(' .js-plotly-plot')} g.trace.choropleth:first-of-type path.choroplethlocation"
    page.eval_on_selector(plot, "gd => gd.on('plotly_click', e => { window.clicked = e.points[0].location; })")
    index = page.eval_on_selector(plot, f"gd => gd.data[0].locations.indexOf('{code}')")
    box = page.locator(paths).nth(index).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(f"{plot} .hoverlayer .hovertext", timeout=5_000)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("window.clicked !== undefined")
    return page.evaluate("window.clicked")


def test_clicking_a_district_opens_its_profile(visit):
    href = "/partners?admin1=AF30&org_type=INGO"
    for plot in (PLOT, COVERAGE_PLOT):
        page = _open(visit, href)
        page.wait_for_function(f"document.querySelectorAll('{PATHS}').length === 11", timeout=30_000)
        code = _click_district(page, plot, "AF3002")  # Nad Ali: large and compact
        assert code.startswith("AF30")
        page.wait_for_url(f"**/district/{code}?*")
        assert view_of(page) == View(page="district", district=code, admin1=("AF30",), org_types=("INGO",))
    visit.assert_clean()
