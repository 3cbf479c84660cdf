"""Names in the data are shown as text: a district, province, facility or rejected value that holds HTML or
markdown is written out literally, runs nothing (no dialog) and fetches nothing (no request off loopback).
Inside plotly figures too (issue 6): plotly reads <b> and <a href> in hover text, tick labels and legends, so a
name there must show its tags as written, with no bold text or link made from it.

The demo dataset is copied and its names replaced by hostile ones, then served by its own gunicorn.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from data.dataset import load_dataset
from pages import ids
from tests.browser.conftest import css_id, serving, visiting

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(2)>"
MARKDOWN = "![x](http://evil.example/a.png)"
PROVINCE = "<b>Kandahar</b>"
LINKED = '<a href="http://evil.example/p">Helmand</a>'  # province AF30
FACILITIES = ["<script>alert(3)</script>", "<img src=y onerror=alert(4)>", "![f](http://evil.example/f.png)"]
REJECTED = "<img src=z onerror=alert(5)>"
LABEL = "Demo <i>label</i> ![l](http://evil.example/l.png)"
DISTRICTS = {"AF2701": SCRIPT, "AF2703": IMAGE, "AF2704": MARKDOWN}  # all in province AF27


def _hostile_copy(demo_path: Path, folder: Path) -> Path:
    """The demo with hostile names; the same dtypes, and the dataset still loads."""
    path = folder / "hostile"
    shutil.copytree(demo_path, path, ignore=shutil.ignore_patterns("demo-login.txt"))
    districts = pd.read_parquet(path / "districts.parquet")
    districts["adm2_name"] = districts["adm2_pcode"].astype(str).map(DISTRICTS).fillna(districts["adm2_name"])
    provinces = pd.read_parquet(path / "provinces.parquet")
    for table in (districts, provinces):
        table.loc[table["adm1_pcode"].astype(str) == "AF27", "adm1_name"] = PROVINCE
        table.loc[table["adm1_pcode"].astype(str) == "AF30", "adm1_name"] = LINKED
    facilities = pd.read_parquet(path / "facilities.parquet")
    ours = facilities.loc[facilities["adm2_pcode"].astype(str) == "AF2701", "facility_id"].drop_duplicates()
    renamed = dict(zip(ours.iloc[: len(FACILITIES)], FACILITIES))
    facilities["name"] = facilities["facility_id"].map(renamed).fillna(facilities["name"])
    for name, table in (("districts", districts), ("provinces", provinces), ("facilities", facilities)):
        before = pd.read_parquet(path / f"{name}.parquet").dtypes
        assert table.dtypes.equals(before), name
        table.to_parquet(path / f"{name}.parquet", index=False)
    rejected = pd.read_csv(path / "rejected.csv", dtype=str, keep_default_na=False)
    rejected.loc[rejected["file"].str.startswith("afg_admpop"), "value"] = REJECTED
    rejected.to_csv(path / "rejected.csv", index=False)
    manifest = json.loads((path / "manifest.json").read_text())
    (path / "manifest.json").write_text(json.dumps({**manifest, "label": LABEL}))
    loaded = load_dataset(path)
    assert loaded.districts.set_index("adm2_pcode").loc["AF2701", "adm2_name"] == SCRIPT
    assert set(FACILITIES) <= set(loaded.facilities["name"])
    return path


@pytest.fixture(scope="module")
def hostile(demo_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    path = _hostile_copy(demo_path, folder)
    with serving(path, folder / "gunicorn.log") as url:
        yield url, path


@pytest.fixture
def safe_visit(browser, hostile):
    """A visit that also records (and dismisses) every dialog a script would open."""
    with visiting(browser, hostile[0]) as state:
        state.dialogs = []
        state.page.on("dialog", lambda dialog: (state.dialogs.append(dialog.message), dialog.dismiss()))
        yield state


def _settled(page) -> None:
    """Drawn, and every folded section open, so its text is shown too."""
    page.wait_for_load_state("networkidle")
    page.locator("details").evaluate_all("nodes => nodes.forEach(n => { n.open = true; })")
    page.wait_for_timeout(500)


def _assert_safe(visit, *texts: str) -> None:
    """Each text is on the page as written (so it was not parsed), nothing ran, nothing left loopback."""
    body = visit.page.locator("body").inner_text()
    for text in texts:
        assert text in body, f"{text!r} is not shown as text"
    assert visit.page.locator("img").count() == 0  # no markdown or HTML image anywhere
    assert visit.dialogs == []
    visit.assert_clean()


def test_overview_grid_shows_names_as_text_and_links(safe_visit):
    page = safe_visit.page
    page.goto(safe_visit.base_url + "/?admin1=AF27")
    page.wait_for_selector(f"#{ids.TABLE} .ag-row[row-id^='AF2701 ']")
    _settled(page)
    for code, name in DISTRICTS.items():
        link = page.locator(f"#{ids.TABLE} .ag-row[row-id^='{code} '] [col-id=adm2_name] a")
        expect(link).to_have_text(name)
        assert link.get_attribute("href") == f"/district/{code}?admin1=AF27"
    # Sorting on the district column sorts by the plain name: "!" and "<" come before letters.
    header = page.locator(f"#{ids.TABLE} .ag-header-cell[col-id=adm2_name] .ag-header-cell-label")
    header.click()
    cells = page.locator(f"#{ids.TABLE} .ag-center-cols-container .ag-row[row-index='0'] [col-id=adm2_name]")
    expect(cells).to_have_text(MARKDOWN)
    first = [page.locator(f"#{ids.TABLE} .ag-row[row-index='{i}'] [col-id=adm2_name]").inner_text() for i in range(3)]
    assert first == sorted(DISTRICTS.values())
    _assert_safe(safe_visit, SCRIPT, IMAGE, MARKDOWN, PROVINCE, LABEL)


def test_district_page_title_and_tables_are_text(safe_visit):
    page = safe_visit.page
    page.goto(safe_visit.base_url + "/district/AF2701")
    page.wait_for_selector(f"h1:has-text('{SCRIPT}')")
    page.wait_for_selector(f"#{ids.DISTRICT_KEY} table")
    _settled(page)
    assert page.locator("h1").inner_text() == f"{SCRIPT}, {PROVINCE}"
    assert page.locator("script:not([src])").filter(has_text="alert").count() == 0
    _assert_safe(safe_visit, SCRIPT, PROVINCE)


def test_coordinator_facility_list_shows_names_as_text(safe_visit, hostile):
    """The facility grid (coordinators only) shows hostile facility names literally."""
    page = safe_visit.page
    password = (hostile[1] / "demo-login.txt").read_text().split()[-1]
    page.goto(safe_visit.base_url + "/login")
    page.fill("#username", "coordinator")
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(safe_visit.base_url + "/")
    page.goto(safe_visit.base_url + "/district/AF2701")
    page.wait_for_selector(f"{css_id(ids.DISTRICT_FACILITIES)} .ag-row")
    _settled(page)
    grid = page.locator(css_id(ids.DISTRICT_FACILITIES))
    grid.scroll_into_view_if_needed()  # AG Grid does not paint a grid off screen (content-visibility: auto)
    for name in FACILITIES:
        cell = grid.locator(".ag-row [col-id=name]", has_text=name).first
        expect(cell).to_have_text(name, use_inner_text=True)
    _assert_safe(safe_visit, SCRIPT)


def test_data_page_shows_values_as_text(safe_visit):
    page = safe_visit.page
    page.goto(safe_visit.base_url + "/data")
    page.wait_for_selector(f"#{ids.DATA_REJECTED}")
    _settled(page)
    _assert_safe(safe_visit, REJECTED, LABEL)


@pytest.mark.parametrize("path", ["/priorities?admin1=AF27", "/change?admin1=AF27"])
def test_other_district_grids_show_names_as_text(safe_visit, path):
    """The priorities and change grids name districts with DistrictLink and a "[name](/path)" formatter: the
    name is shown as text and keeps its link (their own tests check the numbers)."""
    page = safe_visit.page
    page.goto(safe_visit.base_url + path)
    page.wait_for_selector(".ag-row [col-id=adm2_name] a")
    _settled(page)
    for code, name in DISTRICTS.items():
        link = page.locator(f".ag-row [col-id=adm2_name] a[href^='/district/{code}?']")
        if link.count():  # the change grid lists districts with data in both rounds only
            expect(link.first).to_have_text(name)
    assert page.locator(".ag-row [col-id=adm2_name] a[href^='/district/AF2701?']").count() == 1
    _assert_safe(safe_visit, SCRIPT)


def _no_markup_made(page, graph: str) -> None:
    """The graph holds no link and no bold text: the hostile names' <a> and <b> stayed text."""
    plot = page.locator(f"{css_id(graph)} .js-plotly-plot")
    assert plot.locator("a").count() == 0
    assert plot.locator("tspan[style*='bold']").count() == 0


def test_map_hover_shows_names_as_written(safe_visit, hostile):
    """The hover names the district in bold (our markup) and its province "<b>Kandahar</b>" as written."""
    page = safe_visit.page
    page.goto(safe_visit.base_url + "/?admin1=AF27")
    plot = f"{css_id(ids.MAP)} .js-plotly-plot"
    page.wait_for_function("""plot => { const trace = document.querySelector(plot)?.data?.[0];
        return !!trace && trace.locations.length > 0 && trace.locations.every(c => c.startsWith('AF27')); }""",
                           arg=plot, timeout=30_000)
    page.eval_on_selector(plot, "gd => gd.on('plotly_hover', e => { window.hovered = e.points[0].location; })")
    paths = page.locator(f"{css_id(ids.MAP)} g.trace.choropleth:first-of-type path.choroplethlocation")
    for i in range(paths.count()):  # the middle of a district's box may lie outside it: try the next one
        box = paths.nth(i).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            page.wait_for_selector(f"{css_id(ids.MAP)} .hoverlayer .hovertext", timeout=1_500)
            break
        except PlaywrightTimeout:
            continue
    code = page.evaluate("window.hovered")
    names = pd.read_parquet(hostile[1] / "districts.parquet").set_index("adm2_pcode")["adm2_name"]
    hover = page.locator(f"{css_id(ids.MAP)} .hoverlayer")
    assert PROVINCE in hover.text_content()
    # The one bold piece is the district's name (the hovertemplate's <b>), never "Kandahar" from the data.
    assert hover.locator("tspan[style*='bold']").all_text_contents() == [names[code]]
    assert page.locator(f"{plot} a").count() == 0
    _assert_safe(safe_visit, PROVINCE)


def test_chart_labels_and_legends_show_names_as_written(safe_visit):
    """A heat map's tick labels (provinces) and a bar chart's legend (district, province) keep their tags."""
    page = safe_visit.page
    page.goto(safe_visit.base_url + "/services")
    ticks = f"{css_id(ids.SERVICES_TRACERS)} .ytick text"
    page.wait_for_function(f"[...document.querySelectorAll(\"{ticks}\")].some(t => t.textContent.includes('Kandahar'))",
                           timeout=30_000)
    labels = page.locator(ticks).all_text_contents()
    assert PROVINCE in labels and LINKED in labels
    _no_markup_made(page, ids.SERVICES_TRACERS)

    page.goto(safe_visit.base_url + "/district/AF2701")
    legend = f"{css_id(ids.DISTRICT_SERVICES)} .legendtext"
    page.wait_for_selector(legend, timeout=30_000)
    assert page.locator(legend).all_text_contents() == [SCRIPT, f"{PROVINCE} (province)"]
    _no_markup_made(page, ids.DISTRICT_SERVICES)
    _assert_safe(safe_visit, SCRIPT, PROVINCE)
