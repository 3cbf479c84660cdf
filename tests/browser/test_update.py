"""A coordinator updates the data in the browser: sends this round's needs file, checks the build, publishes,
and every page (served by two gunicorn workers) shows the new dataset."""

from __future__ import annotations

import shutil

from pages import ids
from tests.browser.conftest import OUTPUT, css_id, serving, visiting
from tests.browser.test_access import _demo_password, _log_in
from tests.unit.test_update import new_needs


def test_coordinator_sends_checks_and_publishes_an_update(browser, small_demo_path, tmp_path):
    live = tmp_path / "live"
    shutil.copytree(small_demo_path, live)
    needs = tmp_path / "hno_2027.csv"
    needs.write_text(new_needs())
    with serving(live, tmp_path / "gunicorn.log") as url, visiting(browser, url) as visit:
        page = visit.page
        page.goto(url + "/data")
        page.wait_for_selector(css_id(ids.DATA_SOURCES))
        assert page.locator(css_id(ids.DATA_UPDATE)).count() == 0
        page.goto(url + "/data/update")
        assert page.url.endswith("/login")

        _log_in(page, url, _demo_password(live))
        page.wait_for_selector(f"#{ids.ACCESS}:has-text('Coordinator view')")
        page.goto(url + "/data")
        page.click(css_id(ids.DATA_UPDATE))
        page.wait_for_selector("#file-needs")
        assert page.locator("#report-dates").input_value() == "2026-03-31, 2026-06-30"
        page.set_input_files("#file-needs", str(needs))
        page.click("button:has-text('Build and check')")
        page.wait_for_selector("#update-status.alert-success", timeout=180_000)
        row = page.locator("tr:has(td:text-is('hno_2027.csv')) td").all_inner_texts()
        assert row[:5] == ["needs", "hno_2027.csv", "2", "1", "1"]
        audit = page.locator("#update-audit").inner_text()  # the disclosure audit ran in the build, and passed
        assert audit.startswith("Passed") and "nothing recoverable" in audit, audit
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=OUTPUT / "update-ready.png", full_page=True)

        page.click("button:has-text('Publish')")
        page.wait_for_url(url + "/data")
        page.wait_for_selector(f"{css_id(ids.DATA_SOURCES)} td:text-is('hno_2027.csv')")
        for _ in range(4):  # two workers: each loads the published dataset on its next request
            page.goto(url + "/")
            page.wait_for_selector(f"{css_id(ids.HEADLINES)} .headline-value")
            pin = page.locator(f"{css_id(ids.HEADLINES)} .headline:has-text('People in need') .headline-value")
            assert pin.inner_text().startswith("10 (")
        visit.assert_clean()
