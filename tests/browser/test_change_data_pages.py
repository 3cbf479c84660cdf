"""The change and data pages as a person uses them: choose what to compare, read the worst districts,
download them; read what the dataset is made of and download the rejected rows without leaking facilities."""

from __future__ import annotations

import pandas as pd
from playwright.sync_api import expect

from analysis.filters import Filter
from pages import ids
from tests.browser.conftest import choose, downloaded, screenshots, view_of
from tests.conftest import public_change

CHANGE_PATHS = f"#{ids.CHANGE_MAP} g.trace.choropleth:first-of-type path.choroplethlocation"
CHANGE_ROWS = f"#{ids.CHANGE_TABLE} .ag-center-cols-container .ag-row"
AS_TEXT = {"dtype": str, "keep_default_na": False}  # a download's cells read as written, a blank as ""


def _grid(page, selector: str, columns: list[str]) -> list[list[str]]:
    """The grid's rows in the order shown (row-index), each the texts of the columns asked for."""
    rows = page.eval_on_selector_all(selector, """(rows, columns) => rows.map(r => [Number(r.getAttribute('row-index')),
        ...columns.map(c => r.querySelector(`[col-id="${c}"]`).innerText)])""", columns)
    return [row[1:] for row in sorted(rows)]


def _number(text: str) -> float | None:
    return None if text in ("", "no data", "nan") else float(text.replace(",", ""))


def test_change_lists_the_largest_drops_and_downloads_them(visit, demo, tmp_path):
    page = visit.page
    page.goto(visit.base_url + "/change")
    page.wait_for_selector(CHANGE_PATHS, timeout=30_000)
    assert page.locator(CHANGE_PATHS).count() == 395
    choose(page, "indicator", "availability_score")
    choose(page, "before", "2026-06-30")
    page.wait_for_function("location.search.includes('before=2026-06-30')")
    page.wait_for_function(f"document.querySelector('#{ids.CHANGE_TABLE} .ag-header').innerText.includes('2026-06-30')")
    assert view_of(page).before == "2026-06-30" and view_of(page).indicator == "availability_score"

    expected = public_change(demo, Filter(), "2026-06-30", "2026-12-31", "availability_score")
    shown = _grid(page, CHANGE_ROWS, ["adm2_name", "before", "after", "change"])[:10]
    assert [row[0] for row in shown] == expected["adm2_name"].head(10).tolist()
    for row, (_, want) in zip(shown, expected.head(10).iterrows()):
        assert [_number(t) for t in row[1:]] == [round(want[c], 1) for c in ("before", "after", "change")]
        assert row[3].startswith("-")  # drops
    worse = page.locator(f"#{ids.CHANGE_HEADLINES} .headline-worse .headline-value").inner_text()
    assert int(worse) == int((expected["change"].round(1) < 0).sum())
    legend = page.locator(f"#{ids.CHANGE_MAP} .colorbar").text_content()
    assert "worse by over" in legend and "2026-06-30 to 2026-12-31" in legend and "median" in legend

    for fmt in ("csv", "xlsx"):
        name, lines, frame = downloaded(page, "change", fmt, tmp_path, **AS_TEXT)
        assert name.startswith("healthgaps_change-in-service-availability-since-2026-06-30_2026-12-31_")
        assert name.endswith(fmt)
        assert "earlier round: 2026-06-30" in lines and "later round: 2026-12-31" in lines
        assert frame["adm2_pcode"].tolist() == expected["adm2_pcode"].tolist()
        assert [_number(v) for v in frame["change"]] == [None if pd.isna(v) else round(v, 1)
                                                         for v in expected["change"]]
        withheld = frame[frame["band"] == "suppressed (small numbers)"]
        assert withheld["adm2_pcode"].tolist() == expected.loc[expected["suppressed"], "adm2_pcode"].tolist()
        assert len(withheld) and (withheld[["before", "after", "change"]] == "").all().all()
    # The grid says "suppressed" in place of a withheld district's values.
    shekh_ali = page.locator(f"{CHANGE_ROWS}[row-id='AF0310']")
    shekh_ali.scroll_into_view_if_needed()
    assert shekh_ali.locator("[col-id=change]").inner_text() == "suppressed"
    screenshots(page, "change", CHANGE_PATHS)
    visit.assert_clean()


def test_change_with_the_same_round_twice_says_so(visit):
    page = visit.page
    page.goto(visit.base_url + "/change?before=2026-12-31")
    page.wait_for_selector(f"#{ids.CHANGE_EMPTY} .empty-state", timeout=30_000)
    assert "both 2026-12-31" in page.locator(f"#{ids.CHANGE_EMPTY}").inner_text()
    assert page.locator(CHANGE_ROWS).count() == 0
    visit.assert_clean()


def test_data_page_shows_sources_methodology_and_safe_rejected_rows(visit, demo, tmp_path):
    page = visit.page
    page.goto(visit.base_url + "/data")
    page.wait_for_selector(f"#{ids.DATA_SOURCES} tbody tr", timeout=30_000)
    rows = page.locator(f"#{ids.DATA_SOURCES} tbody tr").all_inner_texts()
    assert len(rows) == len(demo.manifest["sources"])
    for text, source in zip(rows, demo.manifest["sources"]):
        assert source["file"] in text and f"{source['rows_in']:,}" in text
    # The methodology is drawn with the page but may land after the sources table: wait for what is checked.
    expect(page.get_by_role("heading", name="Methodology", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Indicators", exact=True)).to_be_visible(timeout=30_000)
    assert "Synthetic demo dataset" in page.locator(".synthetic-note").inner_text()
    page.wait_for_selector(f"#{ids.DATA_REJECTED} .ag-row")

    facility_files = {s["file"] for s in demo.manifest["sources"] if s["role"] == "facilities"}
    raw = demo.rejected
    for fmt in ("csv", "xlsx"):
        _, lines, frame = downloaded(page, "rejected", fmt, tmp_path, **AS_TEXT)
        assert any("values of facility rows are shown to coordinators" in line for line in lines)
        assert len(frame) == len(raw)
        facility = frame["file"].isin(facility_files)
        assert facility.sum() == 16 and (frame.loc[facility, "value"] == "").all()  # no facility value leaks
        assert not frame.apply(lambda c: c.astype(str).str.contains("AFG-HF-")).any().any()
        assert frame.loc[~facility, "value"].tolist() == raw.loc[~raw["file"].isin(facility_files), "value"].tolist()
    shown = _grid(page, f"#{ids.DATA_REJECTED} .ag-center-cols-container .ag-row", ["file", "value"])
    assert all(value == "" for file, value in shown if file in facility_files)
    screenshots(page, "data", f"#{ids.DATA_REJECTED} .ag-center-cols-container .ag-row")
    visit.assert_clean()
