"""The partners page's numbers, checked against analysis.coverage and against counts made here with pandas."""

from __future__ import annotations

import dataclasses

import pandas as pd

from analysis import coverage, standards
from analysis.access import COORDINATOR, PUBLIC
from context import Context
from figures.classes import format_value
from figures.partners import COVERED, DUPLICATION, GAP, NO_NEED
from figures.style import PRESENT_FONT
from pages import ids
from pages.downloads import TABLES
from pages.partners.callbacks import NO_BREAKDOWN, OUTPUTS, partners_update
from pages.partners.layout import layout
from pages.partners.model import age_sex, coverage_category, partners_by_activity, reach_by_activity
from tests.conftest import GEOMETRY
from view import View

LATEST = "2026-12-31"



def update(ctx: Context, view: View, role: str = PUBLIC) -> dict:
    """The page's outputs for a view, as `role` asks them: every output the page declares, and no other."""
    out = partners_update(ctx, view, role)
    assert set(out) == set(OUTPUTS)
    return out


def patched(patch) -> dict:
    """A map Patch's assignments, by location ("data.0.z" -> value)."""
    return {".".join(map(str, op["location"])): op["params"]["value"]
            for op in patch.to_plotly_json()["operations"] if op["operation"] == "Assign"}


def demo_activities(demo, round_end: str, provinces=(), org_types=()) -> pd.DataFrame:
    """The round's three months of 5W rows, filtered here without the app's code."""
    rows = demo.activities
    end = pd.Timestamp(round_end)
    start = pd.Timestamp(end.year, end.month, 1) - pd.DateOffset(months=int(standards.value("round_months")) - 1)
    rows = rows[(rows["month"] >= start) & (rows["month"] <= end)]
    if provinces:
        rows = rows[rows["adm1_pcode"].astype(str).isin(provinces)]
    if org_types:
        rows = rows[rows["org_type"].astype(str).isin(org_types)]
    return rows


def test_partners_map_counts_distinct_organisations_of_the_filter(ctx, demo):
    view = View(page="partners", admin1=("AF27",), org_types=("NNGO",))
    rows = demo_activities(demo, LATEST, ("AF27",), ("NNGO",))
    expected = rows.groupby(rows["adm2_pcode"].astype(str))["org_name"].nunique()
    districts = demo.districts[demo.districts["adm1_pcode"].astype(str) == "AF27"]["adm2_pcode"].astype(str)
    expected = expected.reindex(sorted(districts), fill_value=0)
    assert expected.sum() > 0 and (expected == 0).any()  # the filter leaves some districts with and some without

    out = update(ctx, view)
    values = patched(out[(ids.PARTNERS_MAP, "figure")])
    assert values["data.0.locations"] == list(expected.index)
    assert values["data.0.customdata"] == [format_value(v, 0) for v in expected]
    rows_shown = {r["adm2_pcode"]: r["partners"] for r in out[(ids.PARTNERS_DISTRICTS, "rowData")]}
    assert rows_shown == expected.to_dict()
    # The layout's first drawing shows the same numbers.
    page = layout(ctx, view, PUBLIC)
    figure = next(c for c in _walk(page) if getattr(c, "id", None) == ids.PARTNERS_MAP).figure
    assert list(figure.data[0].customdata) == [format_value(v, 0) for v in expected]


def _walk(component):
    """Every component under a layout."""
    if isinstance(component, (list, tuple)):
        for child in component:
            yield from _walk(child)
        return
    yield component
    children = getattr(component, "children", None)
    if children is not None and not isinstance(children, str):
        yield from _walk(children)


def test_categories_of_a_few_districts(ctx, demo):
    table = ctx.districts(View().filter(), PUBLIC)
    category = coverage_category(table).set_axis(table["adm2_pcode"])
    by_code = table.set_index("adm2_pcode")
    threshold = standards.value("duplication_partners")
    # Kabul city: 9 organisations, several of them on one activity.
    assert by_code.loc["AF0101", "partners"] >= threshold and category["AF0101"] == DUPLICATION
    cells = demo_activities(demo, LATEST)
    per_cell = cells.groupby([cells["adm2_pcode"].astype(str), "activity"])["org_name"].nunique()
    crowded = set(per_cell[per_cell >= threshold].index.get_level_values(0))
    assert set(category[category == DUPLICATION].index) == crowded
    # A gap: a need and no organisation at all in the round's months.
    with_partners = set(cells["adm2_pcode"].astype(str))
    gap = category[category == GAP].index
    assert len(gap) == by_code["uncovered"].sum() and not set(gap) & with_partners
    assert by_code.loc[gap, "need"].all()
    # Covered: partners, none crowded; no need: neither a need nor a partner.
    assert set(category[category == COVERED].index) == with_partners - crowded
    none = category[category == NO_NEED].index
    assert len(none) and not by_code.loc[none, "need"].any() and not set(none) & with_partners
    # Every district is in exactly one category, and the map's legend says them in this order.
    assert category.notna().all() and len(category) == len(table) == 395


def test_coverage_map_patch_uses_the_categories(ctx):
    out = update(ctx, View(page="partners", admin1=("AF27",)))
    values = patched(out[(ids.PARTNERS_COVERAGE_MAP, "figure")])
    ticks = [text.replace("<br>", " ") for text in values["data.0.colorbar"]["ticktext"]]
    assert ticks == ["no data", "need, no partner", "duplication: 3+ partners on one activity",
                     "partners, no duplication", "no need identified, no partner"]
    shown = dict(zip(values["data.0.locations"], values["data.0.customdata"]))
    rows = {r["adm2_pcode"]: r["category"] for r in out[(ids.PARTNERS_DISTRICTS, "rowData")]}
    assert shown == rows and len(rows) == 16
    assert shown["AF2701"] == "duplication: 3+ partners on one activity"  # Kandahar city


def test_lists_equal_the_analysis(ctx, demo):
    view = View(page="partners", admin1=("AF27", "AF30"), round="2026-06-30")
    chosen = view.filter()
    out = update(ctx, view)
    table = ctx.districts(chosen, PUBLIC)
    gaps = coverage.gap_list(demo, chosen, shortfall=table.set_index("adm2_pcode")["phc_gap"])
    shown = pd.DataFrame(out[(ids.PARTNERS_GAPS, "rowData")])
    assert shown["adm2_pcode"].tolist() == gaps["adm2_pcode"].astype(str).tolist()
    assert len(shown) == table["uncovered"].sum() > 0  # the list names every gap on the map, most severe first
    assert shown["severity"].tolist() == sorted(shown["severity"], reverse=True)
    assert out[(ids.PARTNERS_GAPS_COUNT, "children")].startswith(f"{len(gaps)} districts")
    duplication = coverage.duplication_list(demo, chosen)
    shown = pd.DataFrame(out[(ids.PARTNERS_DUPLICATION, "rowData")])
    assert list(zip(shown["adm2_pcode"], shown["activity"], shown["partners"])) == list(
        zip(duplication["adm2_pcode"], duplication["activity"], duplication["partners"]))
    who = coverage.who_is_where(demo, chosen)
    shown = pd.DataFrame(out[(ids.PARTNERS_WHO, "rowData")])
    assert shown["org_name"].tolist() == who["org_name"].tolist()
    assert shown["districts"].tolist() == who["districts"].tolist()
    matrix = coverage.coverage_matrix(demo, chosen)
    assert len(out[(ids.PARTNERS_MATRIX, "rowData")]) == len(matrix)
    # The district links keep the view's filters.
    first = out[(ids.PARTNERS_GAPS, "rowData")][0]
    assert first["profile"] == f"/district/{first['adm2_pcode']}?round=2026-06-30&admin1=AF27&admin1=AF30"


def test_exports_are_the_tables_shown(ctx, demo):
    view = View(page="partners", org_types=("INGO",))
    chosen = view.filter()
    for name, expected in [("partners-who-is-where", coverage.who_is_where(demo, chosen)),
                           ("partners-duplication", coverage.duplication_list(demo, chosen)),
                           ("partners-coverage-matrix", coverage.coverage_matrix(demo, chosen))]:
        for role in (PUBLIC, COORDINATOR):
            pd.testing.assert_frame_equal(TABLES[name][1](ctx, view, role), expected)
    for role in (PUBLIC, COORDINATOR):
        assert len(TABLES["partners-gaps"][1](ctx, view, role)) == ctx.districts(chosen, role)["uncovered"].sum()


def test_partners_by_activity_and_type(ctx, demo):
    rows = demo_activities(demo, LATEST, ("AF01",))
    counts = partners_by_activity(rows)
    expected = rows.groupby(["activity", rows["org_type"].astype(str)])["org_name"].nunique()
    for (activity, org_type), n in expected.items():
        assert counts.loc[activity, org_type] == n
    # A bar's length is the activity's distinct organisations (one type per organisation in the demo).
    assert counts.sum(axis=1).to_dict() == rows.groupby("activity")["org_name"].nunique().to_dict()
    assert counts.sum(axis=1).is_monotonic_decreasing
    out = update(ctx, View(page="partners", admin1=("AF01",)))
    figure = out[(ids.PARTNERS_BY_ACTIVITY, "figure")]
    assert {t.name for t in figure.data} == set(counts.columns)
    assert figure.layout.barmode == "stack"


def test_reached_against_targeted_per_activity(ctx, demo):
    view = View(page="partners", admin1=("AF27",))
    rows = demo_activities(demo, LATEST, ("AF27",))
    reach = reach_by_activity(rows).set_index("activity")
    matrix = coverage.coverage_matrix(demo, view.filter()).groupby("activity")[["reached", "targeted"]].sum()
    assert reach["targeted"].to_dict() == matrix["targeted"].to_dict()
    assert reach["reached"].to_dict() == matrix["reached"].to_dict()
    both = rows.dropna(subset=["reached", "targeted"])
    share = 100 * both.groupby("activity")["reached"].sum() / both.groupby("activity")["targeted"].sum()
    assert reach["pct_reached"].astype(float).round(1).to_dict() == share.round(1).to_dict()
    figure = update(ctx, view)[(ids.PARTNERS_REACH, "figure")]
    assert [t.name for t in figure.data] == ["targeted", "reached"]
    assert list(figure.data[1].x) == [float(v) for v in reach["reached"]]


def test_sex_and_age_breakdown_present_and_absent(ctx, demo):
    rows = demo_activities(demo, LATEST)
    groups = age_sex(rows)
    # The demo 5W breaks down people reached, not people targeted.
    assert "targeted" not in groups and groups["reached"].tolist() == [
        rows[f"reached_{g}"].sum() for g in ("f_children", "m_children", "f_adults", "m_adults")]
    out = update(ctx, View(page="partners"))
    shown = out[(ids.PARTNERS_AGE_SEX, "children")]
    graph, note = shown
    assert graph.id == ids.PARTNERS_AGE_SEX_GRAPH and [t.name for t in graph.figure.data] == ["reached"]
    assert "targeted" in note.children

    age_sex_columns = [c for c in demo.activities.columns if c.startswith(("reached_", "targeted_"))]
    bare = dataclasses.replace(demo, activities=demo.activities.assign(**{c: pd.NA for c in age_sex_columns}))
    assert age_sex(bare.activities).empty
    out = update(Context(bare, GEOMETRY), View(page="partners"))
    shown = out[(ids.PARTNERS_AGE_SEX, "children")]
    assert shown.children == NO_BREAKDOWN == "This 5W has no sex and age breakdown."
    assert out[(ids.PARTNERS_REACH, "figure")].data  # reached against targeted is still drawn


def test_round_without_partner_data(demo):
    empty = dataclasses.replace(demo, activities=demo.activities.iloc[0:0])
    ctx = Context(empty, GEOMETRY)
    out = update(ctx, View(page="partners", admin1=("AF27",), round="2026-06-30"))
    message = "No partner activity reported for Kandahar in the 3 months up to 2026-06-30."
    assert out[(ids.PARTNERS_EMPTY, "children")].children == message
    assert out[(ids.PARTNERS_WHO, "rowData")] == [] and out[(ids.PARTNERS_DUPLICATION, "rowData")] == []
    for chart in (ids.PARTNERS_BY_ACTIVITY, ids.PARTNERS_REACH):
        figure = out[(chart, "figure")]
        assert not figure.data and figure.layout.annotations[0].text == message
    assert out[(ids.PARTNERS_AGE_SEX, "children")].children == message
    # Every district with a need shows as a gap: nobody reported working there.
    table = ctx.districts(View(admin1=("AF27",), round="2026-06-30").filter(), PUBLIC)
    assert len(out[(ids.PARTNERS_GAPS, "rowData")]) == table["need"].sum() > 0


def test_filter_that_leaves_nothing(ctx):
    view = View(page="partners", admin1=("AF27",), org_types=("Other",))
    out = update(ctx, view)
    message = f"No partner activity of Other organisations in Kandahar in the 3 months up to {LATEST}."
    assert out[(ids.PARTNERS_EMPTY, "children")].children == message
    assert out[(ids.PARTNERS_BY_ACTIVITY, "figure")].layout.annotations[0].text == message
    assert {r["partners"] for r in out[(ids.PARTNERS_DISTRICTS, "rowData")]} == {0}
    # With data, there is no empty state.
    assert update(ctx, View(page="partners", admin1=("AF27",)))[(ids.PARTNERS_EMPTY, "children")] is None


def test_presentation_mode_and_png_names(ctx):
    view = View(page="partners", admin1=("AF27",), org_types=("NNGO",), present=True)
    out = update(ctx, view)
    assert out[(ids.PARTNERS_REACH, "figure")].layout.font.size == PRESENT_FONT
    assert patched(out[(ids.PARTNERS_MAP, "figure")])["layout.font"]["size"] == PRESENT_FONT
    name = out[(ids.PARTNERS_MAP, "config")]["toImageButtonOptions"]["filename"]
    assert name.startswith("healthgaps_map-partners_2026-12-31_kandahar_nngo_dataset-")
    assert out[(ids.PARTNERS_COVERAGE_MAP, "config")]["toImageButtonOptions"]["filename"] != name



def test_one_share_reached():
    """The share per activity and the district table's are analysis.coverage.share_reached: 100 * reached /
    targeted, missing where either is missing or nobody is targeted; a share of exactly x.x5 rounds as written."""
    share = coverage.share_reached(pd.array([51, 10, None, 5], dtype="Int64"),
                                   pd.array([80, 0, 10, None], dtype="Int64"))
    assert share[0] == 100 * 51 / 80 == 63.75 and share[1:].isna().all()
    rows = pd.DataFrame({"activity": ["Trauma care"] * 2 + ["Nutrition"],
                         "reached": pd.array([50, 1, 7], dtype="Int64"),
                         "targeted": pd.array([70, 10, None], dtype="Int64")})
    reach = reach_by_activity(rows).set_index("activity")
    assert reach.loc["Trauma care", "pct_reached"] == 63.8  # 51 of 80: not 63.7 (100 * 0.6375 is below 63.75)
    assert pd.isna(reach.loc["Nutrition", "pct_reached"])  # reached, but no row reports both
