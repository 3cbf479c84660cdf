"""The overview's facility layer in the browser: absent for the public, a switch for a logged-in coordinator
that puts facilities=1 in the URL and draws the round's facilities as points; logged out, the same URL draws
none."""

from __future__ import annotations

from figures.facility_layer import LEGEND_TITLE
from pages import ids
from tests.browser.conftest import css_id, screenshots, view_of
from tests.browser.test_access import _demo_password, _log_in

DISTRICT_PATHS = f"#{ids.MAP} g.trace.choropleth:first-of-type path.choroplethlocation"
POINTS = f"#{ids.MAP} g.trace.scattergeo path.point"
SWITCH = css_id(ids.control("facilities"))


def _open(page, url):
    page.goto(url)
    page.wait_for_selector(DISTRICT_PATHS, timeout=30_000)
    page.wait_for_load_state("networkidle")


def _wait_points(page, count: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('{POINTS}').length === {count}", timeout=30_000)


def _shown(content: str, names) -> list[str]:
    """The facility names the page's HTML holds."""
    return [name for name in names if name in content]


def test_facility_layer_for_coordinators_only(visit, demo, demo_path):
    page, base = visit.page, visit.base_url
    latest = demo.facilities[demo.facilities["round"].astype(str) == demo.rounds["round"].astype(str).iloc[-1]]
    located = latest[latest["lat"].notna() & latest["lon"].notna()]
    names = set(latest["name"].dropna().astype(str))

    _open(page, base + "/?facilities=1")  # the public asking for the layer gets nothing of it
    assert page.locator(SWITCH).count() == 0 and "Show facilities" not in page.content()
    assert page.locator(POINTS).count() == 0 and page.locator(f"#{ids.MAP} .legend").count() == 0
    assert not _shown(page.content(), names)

    _log_in(page, base, _demo_password(demo_path))
    page.wait_for_selector(f"#{ids.ACCESS}:has-text('Coordinator view')")
    _open(page, base + "/")
    assert page.locator(POINTS).count() == 0 and not view_of(page).facilities
    page.get_by_label("Show facilities").check()
    page.wait_for_url("**facilities=1**")
    assert view_of(page).facilities
    _wait_points(page, len(located))
    assert len(located) > 3000
    legend = page.locator(f"#{ids.MAP} .legend").text_content()
    assert LEGEND_TITLE in legend and "Fully functional" in legend and "Not functional" in legend
    assert "Coordinator view only" in page.locator(f"#{ids.MAP_CAPTION}").inner_text()
    assert f"{len(located):,} facilities" in page.locator(f"#{ids.MAP_CAPTION}").inner_text()

    url = page.url
    page.reload()
    page.wait_for_selector(DISTRICT_PATHS, timeout=30_000)
    _wait_points(page, len(located))
    assert page.locator(SWITCH).is_checked()

    screenshots(page, "facility-layer", POINTS)
    _open(page, url)
    _wait_points(page, len(located))

    page.click(css_id(ids.LOGOUT))
    page.wait_for_selector(f"#{ids.ACCESS}:has-text('Public view')")
    _open(page, url)
    assert view_of(page).facilities and page.locator(SWITCH).count() == 0
    page.wait_for_timeout(500)
    assert page.locator(POINTS).count() == 0
    assert not _shown(page.content(), names)
    visit.assert_clean()
