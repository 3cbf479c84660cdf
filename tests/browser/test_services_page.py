"""The services page as a person uses it: domain bars, tracers, barriers, then a province's districts
service by service; the numbers shown and downloaded are the analysis's."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.districts import district_table
from analysis.filters import Filter
from analysis.services import district_service_scores, domain_availability, domain_names, service_answers
from context import Context
from data.schema import SERVICE_STATUS
from exports import header_lines
from pages import ids
from pages.services.layout import ASK_PROVINCE
from tests.browser.conftest import css_id, pick, screenshots, view_of
from tests.browser.test_access import _demo_password, _log_in

DOMAIN_PLOT = f"#{ids.SERVICES_DOMAINS} .js-plotly-plot"
MATRIX_PLOT = f"#{ids.SERVICES_MATRIX_GRAPH} .js-plotly-plot"


def _domains_shown(page) -> list[list[float]]:
    """Per status (trace), the % of each domain's answers the bars show."""
    return page.eval_on_selector(DOMAIN_PLOT, "gd => gd.data.map(t => Array.from(t.x))")


def _expected(demo, chosen: Filter) -> pd.DataFrame:
    """The public's domain table: the answers of the districts whose service figures are published (not
    suppressed, every domain offered by 3 facilities or more)."""
    table = district_table(demo, chosen, suppressed=True)
    shown = table[~table["suppressed"] & ~table["withheld"].str.contains("availability_")]["adm2_pcode"]
    answers = service_answers(demo, chosen)
    return domain_availability(answers[answers["adm2_pcode"].isin(shown)], domain_names(demo))


def _matrix_withheld(demo, province: str) -> list[str]:
    """The districts of a province whose district x service cells the public may not see, by name."""
    chosen = Filter(admin1=(province,))
    table = district_table(demo, chosen, suppressed=True)
    scores = district_service_scores(demo, service_answers(demo, chosen), province)
    small = set(scores.loc[scores["expected"].between(1, 2), "adm2_pcode"])
    hidden = table["suppressed"] | table["withheld"].str.contains("availability_") | table["adm2_pcode"].isin(small)
    return sorted(table.loc[hidden & (table["facilities"] > 0), "adm2_name"].astype(str))


def _as_shown(table: pd.DataFrame) -> list[list[float]]:
    return [[round(v, 6) for v in table[f"pct_{s}"]] for s in SERVICE_STATUS]


def _rounded(shown: list[list[float]]) -> list[list[float]]:
    return [[round(v, 6) for v in trace] for trace in shown]


def _download(page, table: str, fmt: str) -> str:
    with page.expect_download() as download:
        page.click(css_id(ids.export(table, fmt)))
    return download.value.path()


def test_services_page_for_a_province(visit, demo):
    page = visit.page
    page.goto(visit.base_url + "/services")
    page.wait_for_selector(f"{DOMAIN_PLOT} .barlayer .point", timeout=30_000)
    country = _expected(demo, Filter())
    assert _rounded(_domains_shown(page)) == _as_shown(country)
    assert page.locator(f"#{ids.SERVICES_MATRIX} .empty-state").inner_text() == ASK_PROVINCE
    tracer_rows = page.eval_on_selector(f"#{ids.SERVICES_TRACERS} .js-plotly-plot", "gd => gd.data[0].y.length")
    assert tracer_rows == len(demo.provinces) == 34
    assert page.locator(f"#{ids.SERVICES_DOMAINS} .modebar [data-title*='cloud' i]").count() == 0

    pick(page, "admin1", "AF27")
    page.wait_for_selector(f"{MATRIX_PLOT} .heatmaplayer", timeout=30_000)
    kandahar = demo.districts[demo.districts["adm2_pcode"].astype(str).str.startswith("AF27")]
    rows = page.eval_on_selector(MATRIX_PLOT, "gd => Array.from(gd.data[0].y)")
    assert len(rows) == 16 and sorted(rows) == sorted(kandahar["adm2_name"].astype(str))
    columns = page.eval_on_selector(MATRIX_PLOT, "gd => gd.data[0].z[0].length")
    assert columns == len(demo.service_catalogue)
    expected = _expected(demo, Filter(admin1=("AF27",)))
    page.wait_for_function(
        f"document.querySelector('{DOMAIN_PLOT}').data[0].x[0].toFixed(6) === '{expected['pct_available'][0]:.6f}'")
    shown = _rounded(_domains_shown(page))
    assert shown == _as_shown(expected) != _as_shown(country)
    assert all(abs(sum(trace[i] for trace in shown) - 100) < 1e-4 for i in range(len(expected)))
    tracer_rows = page.eval_on_selector(f"#{ids.SERVICES_TRACERS} .js-plotly-plot", "gd => gd.data[0].y.length")
    assert tracer_rows == 16
    config = page.eval_on_selector(DOMAIN_PLOT, "gd => gd._context.toImageButtonOptions.filename")
    assert "kandahar" in config and "service-availability-by-domain" in config

    view = view_of(page)
    assert view.admin1 == ("AF27",)
    lines = len(header_lines("x", Context(demo), view)) + 1  # and the line on the districts left out (public)
    csv = pd.read_csv(_download(page, "services-domains", "csv"), comment="#")
    workbook = _download(page, "services-domains", "xlsx")
    assert pd.read_excel(workbook, header=None, nrows=1, engine="calamine")[0][0] == \
        "HealthGaps: service availability by domain"
    excel = pd.read_excel(workbook, skiprows=lines + 1, engine="calamine")
    for table in (csv, excel):
        assert table["domain"].tolist() == expected["domain"].tolist()
        for column in ("service_answers", *SERVICE_STATUS):
            assert table[column].tolist() == expected[column].tolist()
        assert table["pct_available"].round(6).tolist() == expected["pct_available"].round(6).tolist()
    matrix = pd.read_csv(_download(page, "services-matrix", "csv"), comment="#")
    assert sorted(matrix["adm2_name"]) == sorted(kandahar["adm2_name"].astype(str))

    # The matrix's text alternative: a grid row per district, opened from "Show the numbers".
    page.locator(f"#{ids.SERVICES_MATRIX} details > summary").click()
    page.wait_for_function(
        f"document.querySelectorAll('#{ids.SERVICES_MATRIX_TABLE} .ag-center-cols-container .ag-row').length === 16")
    first = page.locator(f"#{ids.SERVICES_DOMAINS_TABLE} tbody tr").first.inner_text()
    assert f"{expected['service_answers'][0]:,}" in first and f"{expected['pct_available'][0]:.1f} %" in first
    # Districts of fewer than 3 facilities (Ghorak, Nesh, Reg), or with a service expected by 1 or 2 facilities,
    # are withheld from the public, and say so.
    withheld = _matrix_withheld(demo, "AF27")
    assert {"Ghorak", "Nesh", "Reg"} < set(withheld)
    ticks = page.eval_on_selector(MATRIX_PLOT, "gd => Array.from(gd.layout.yaxis.ticktext)")
    assert [t.removesuffix(" (suppressed)") for t in ticks if t.endswith("(suppressed)")] == withheld
    assert matrix.loc[matrix["suppressed"], "adm2_name"].tolist() == withheld
    assert matrix.loc[matrix["suppressed"]].drop(columns=["adm2_pcode", "adm2_name", "suppressed"]).isna().all().all()
    ghorak = page.locator(f"#{ids.SERVICES_MATRIX_TABLE} .ag-center-cols-container .ag-row").nth(
        sorted(kandahar["adm2_name"].astype(str)).index("Ghorak")).inner_text()
    assert ghorak.split() == ["suppressed"] * len(ghorak.split()) and ghorak

    screenshots(page, "services", f"{MATRIX_PLOT} .heatmaplayer")
    visit.assert_clean()


@pytest.mark.parametrize("tier", ["secondary"])
def test_empty_state_names_the_filter(visit, demo, demo_path, tier):
    page = visit.page
    _log_in(page, visit.base_url, _demo_password(demo_path))  # a breakdown by type is the coordinator's
    page.goto(visit.base_url + f"/services?admin1=AF07&tier={tier}")
    page.wait_for_selector(f"#{ids.SERVICES_EMPTY} .empty-state", timeout=30_000)
    text = page.locator(f"#{ids.SERVICES_EMPTY}").inner_text()
    assert "secondary (hospital) facilities in Laghman" in text
    assert page.locator(f"#{ids.SERVICES_MATRIX} .empty-state").count() == 1
    visit.assert_clean()
