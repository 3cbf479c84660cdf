"""The overview's headline figures, against counts made another way from the dataset's rows."""

from analysis import filters, standards
from analysis.districts import district_table
from analysis.filters import Filter
from analysis.headlines import headlines


def _partners_by_rows(dataset, chosen, table) -> int:
    """Distinct organisation names of the filter's activity rows in the table's districts (plain pandas)."""
    rows = filters.activities(dataset, chosen, int(standards.value("round_months")))
    return int(rows.loc[rows["adm2_pcode"].isin(table["adm2_pcode"]), "org_name"].nunique())


def test_partners_count_distinct_organisations_of_the_filter(demo):
    rounds = demo.rounds["round"].astype(str).tolist()
    org_type = demo.activities["org_type"].dropna().astype(str).iloc[0]
    activity = demo.activities["activity"].dropna().astype(str).iloc[0]
    seen = set()
    for chosen in (Filter(), Filter(round=rounds[0]), Filter(admin1=("AF27",)), Filter(org_types=(org_type,)),
                   Filter(activities=(activity,)), Filter(admin1=("AF27", "AF01"), round=rounds[1]),
                   Filter(admin1=("NOPE",))):
        table = district_table(demo, chosen)
        count = headlines(demo, chosen, table)["partners"]
        assert count == _partners_by_rows(demo, chosen, table)
        seen.add(count)
    assert len(seen) >= 4 and 0 in seen  # the filters really differ, and an empty one counts none


def test_partners_leave_out_districts_outside_the_table(demo):
    """Only the table's districts count: a table cut to one district counts that district's organisations."""
    table = district_table(demo, Filter())
    one = table[table["adm2_pcode"] == "AF0101"]
    assert headlines(demo, Filter(), one)["partners"] == _partners_by_rows(demo, Filter(), one)
    assert headlines(demo, Filter(), one)["partners"] < headlines(demo, Filter(), table)["partners"]
