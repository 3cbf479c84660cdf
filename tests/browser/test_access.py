"""Public and coordinator views in the browser: the banner, a refused password, login, the facility list,
logout."""

from __future__ import annotations

from pages import ids
from pages.district.layout import FACILITY_NOTE
from tests.browser.conftest import css_id


def _demo_password(demo_path) -> str:
    return (demo_path / "demo-login.txt").read_text(encoding="utf-8").split()[-1]


def _log_in(page, base_url, password):
    page.goto(base_url + "/login")
    page.fill("#username", "coordinator")
    page.fill("#password", password)
    page.click("button[type=submit]")


def test_public_view_then_wrong_password_then_login_and_logout(visit, demo, demo_path):
    page = visit.page
    page.goto(visit.base_url + "/district/AF2701")
    page.wait_for_selector(f"#{ids.ACCESS}")
    assert "Public view" in page.locator(f"#{ids.ACCESS}").inner_text()
    assert page.locator(f"#{ids.DISTRICT_FACILITIES}").inner_text() == FACILITY_NOTE

    _log_in(page, visit.base_url, "not the password")
    assert "Wrong user name or password" in page.locator(".alert-danger").inner_text()
    page.goto(visit.base_url + "/")
    page.wait_for_selector(f"#{ids.ACCESS}")
    assert "Public view" in page.locator(f"#{ids.ACCESS}").inner_text()

    _log_in(page, visit.base_url, _demo_password(demo_path))
    page.wait_for_selector(f"#{ids.ACCESS}:has-text('Coordinator view')")
    assert "Logged in as coordinator" in page.locator(".account").inner_text()
    page.goto(visit.base_url + "/district/AF2701")
    page.wait_for_selector(f"#{ids.DISTRICT_FACILITIES} .ag-row")
    shown = set(page.locator(f"#{ids.DISTRICT_FACILITIES} .ag-row [col-id=name]").all_text_contents())
    latest = demo.facilities[(demo.facilities["adm2_pcode"] == "AF2701")
                             & (demo.facilities["round"].astype(str) == "2026-12-31")]
    assert shown == set(latest["name"].astype(str)) and len(shown) > 10

    page.click(css_id(ids.LOGOUT))
    page.wait_for_selector(f"#{ids.ACCESS}:has-text('Public view')")
    page.goto(visit.base_url + "/district/AF2701")
    page.wait_for_selector(f"#{ids.DISTRICT_FACILITIES}")
    assert page.locator(f"#{ids.DISTRICT_FACILITIES}").inner_text() == FACILITY_NOTE
    assert not any(name in page.content() for name in latest["name"].astype(str))
    visit.assert_clean()
