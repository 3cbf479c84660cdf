"""Every page works under the app's Content-Security-Policy: served with it, drawn, and without one violation
(the page reports each violation to the console, so a blocked script, style, image or fetch fails the test)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from pages import ids
from tests.browser.conftest import Visit, visiting

CHOROPLETH = "g.trace.choropleth:first-of-type path.choroplethlocation"
PAGES = {  # path -> what is there once the page has drawn
    "/": f"#{ids.MAP} {CHOROPLETH}",
    "/services": f"#{ids.SERVICES_DOMAINS} .js-plotly-plot .barlayer path",
    "/partners": f"#{ids.PARTNERS_MAP} {CHOROPLETH}",
    "/priorities": f"#{ids.PRIORITY_MAP} {CHOROPLETH}",
    "/change": f"#{ids.CHANGE_MAP} {CHOROPLETH}",
    "/data": f"#{ids.DATA_SOURCES} tbody tr",
    "/district/AF2701": f"#{ids.DISTRICT_KEY} tbody tr",
    "/login": "form input#username",
}
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) => console.error(
    `Content Security Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`));"""


@contextmanager
def under_policy(browser, server) -> Iterator[tuple[Visit, list[str]]]:
    """A visit with the policy enforced, and every console message (each violation is reported there)."""
    with visiting(browser, server, enforce_csp=True) as visit:
        said: list[str] = []
        visit.page.on("console", lambda message: said.append(message.text))
        visit.page.add_init_script(REPORT_VIOLATIONS)
        yield visit, said


def violations(said: list[str]) -> list[str]:
    return [text for text in said if "Content Security Policy" in text or "Content-Security-Policy" in text]


@pytest.mark.parametrize("path", list(PAGES))
def test_page_draws_under_the_content_security_policy(browser, server, path):
    with under_policy(browser, server) as (visit, said):
        response = visit.page.goto(server + path)
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "'unsafe-eval'" not in policy
        visit.page.wait_for_selector(PAGES[path], timeout=30_000)
        visit.page.wait_for_load_state("networkidle")
        assert violations(said) == []
        visit.assert_clean()


def test_png_export_works_under_the_policy(browser, server):
    """plotly draws the PNG from a data: image on a canvas: img-src allows data: and blob:, nothing else."""
    with under_policy(browser, server) as (visit, said):
        page = visit.page
        page.goto(server + "/?admin1=AF27")
        page.wait_for_selector(PAGES["/"], timeout=30_000)
        page.hover(f"#{ids.MAP}")
        with page.expect_download() as download:
            page.click(f"#{ids.MAP} .modebar-btn[data-title='Download plot as a PNG']")
        assert download.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert violations(said) == []
        visit.assert_clean()


def test_the_policy_is_enforced_and_a_violation_would_be_caught(browser, server):
    """The harness above works: a script written into the page is blocked, and the console says so."""
    with under_policy(browser, server) as (visit, said):
        visit.page.goto(server + "/login")
        visit.page.evaluate("""() => { const script = document.createElement("script");
            script.textContent = "window.injected = true"; document.body.appendChild(script); }""")
        visit.page.wait_for_timeout(200)
        assert visit.page.evaluate("() => window.injected === undefined")
        assert any("violation: script-src" in text for text in violations(said)), said
