"""COD-PS population reader: real totals, and every unusable row rejected with its reason."""

import pytest

from data.demo import POPULATION
from data.population import read_population


def test_embedded_population_totals():
    table, report = read_population(POPULATION)
    assert (report.rows_in, report.accepted, len(report.rejected)) == (421, 421, 0)
    assert int(table["population"].sum()) == 30_487_969
    kabul = table.set_index("adm2_pcode").loc["AF0101"]
    assert (kabul["population"], kabul["population_female"], kabul["population_male"]) == (4273156, 2101760, 2171396)


def test_hxl_row_separators_and_rejections(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text(
        "District code,District,Total population\n"
        "#adm2+code,#adm2+name,#population+total\n"
        'XX0101,One,"12,500"\n'
        ",Two,400\n"
        "XX0103,Three,unknown\n"
        "XX0101,One again,12\n"
        "xx0105 ,Five,-3\n"
        "XX0106,Six,1 000\n"
    )
    table, report = read_population(path)
    assert table.to_dict("records") == [
        {"adm2_pcode": "XX0101", "_row": 3, "population": 12500, "population_female": None, "population_male": None},
        {"adm2_pcode": "XX0106", "_row": 8, "population": 1000, "population_female": None, "population_male": None},
    ]
    assert [(r.row, r.column, r.value, r.reason) for r in report.rejected] == [
        (4, "District code", "", "no p-code"),
        (5, "Total population", "unknown", "population is not a number of 0 or more"),
        (7, "Total population", "-3", "population is not a number of 0 or more"),
        (6, "District code", "XX0101", "p-code already read on an earlier row"),
    ]
    assert report.rows_in == 6 == report.accepted + len(report.rejected)


def test_missing_total_column_is_named(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("ADM2_PCODE,ADM2_EN\nXX01,One\n")
    with pytest.raises(ValueError, match="^pop.csv: no T_TL column; columns found: ADM2_PCODE, ADM2_EN$"):
        read_population(path)
