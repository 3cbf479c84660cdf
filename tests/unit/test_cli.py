"""`python -m data build`: a summary and exit 0 when a dataset is written; one line and exit 2 when not."""

import pytest

from data.__main__ import main
from data.demo import BOUNDARIES, POPULATION
from tests.conftest import FIXTURES


def _build(tmp_path, *extra):
    return main(["build", "--out", str(tmp_path / "out"), "--boundaries", str(BOUNDARIES[0]),
                 "--population", str(POPULATION), *extra])


def test_build_prints_counts_and_top_reasons(tmp_path, capsys):
    code = main(["build", "--out", str(tmp_path / "out"), "--boundaries", str(FIXTURES / "nga_bay_adm2_osgof_20190417.geojson"),
                 "--facilities", str(FIXTURES / "nga_bay_who_kemri_public_health_facilities.csv"),
                 "--report-date", "2019-06-30"])
    out = capsys.readouterr().out
    assert code == 0
    assert "nga_bay_who_kemri_public_health_facilities.csv (facilities): 1,656 rows in, 1,552 accepted, 104 rejected" in out
    assert "  rejected 85: no coordinates and no district named" in out
    assert "rounds: 2019-06-30" in out
    assert (tmp_path / "out" / "manifest.json").exists()


@pytest.mark.parametrize("make, expected", [
    (lambda p: p.write_text(""), "facilities.csv: the file is empty"),
    (lambda p: p.write_text("Facility name,Lat,Long\nA,0,0\nB,,\n"), "facilities.csv: no usable row (2 rejected"),
    (lambda p: p.write_text("Organisation,Donor\nX,Y\n"), "facilities.csv: "),
])
@pytest.mark.slow
def test_nothing_usable_exits_2_with_one_line(tmp_path, capsys, make, expected):
    bad = tmp_path / "facilities.csv"
    make(bad)
    assert _build(tmp_path, "--facilities", str(bad)) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {expected}") and "\n" not in err
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_boundaries_without_pcode_and_bad_date(tmp_path, capsys):
    assert main(["build", "--out", str(tmp_path / "o"), "--boundaries", str(FIXTURES / "no_pcode.geojson")]) == 2
    assert capsys.readouterr().err.startswith("error: no_pcode.geojson: no p-code field")
    with pytest.raises(SystemExit):
        _build(tmp_path, "--report-date", "31/03/2026")
    assert "not a date in the form YYYY-MM-DD" in capsys.readouterr().err


def test_population_header_without_pcode(tmp_path, capsys):
    bad = tmp_path / "pop.csv"
    bad.write_text("District,T_TL\nKabul,100\n")
    assert main(["build", "--out", str(tmp_path / "o"), "--boundaries", str(BOUNDARIES[0]), "--population", str(bad)]) == 2
    assert capsys.readouterr().err.strip() == "error: pop.csv: no ADM2_PCODE column; columns found: District, T_TL"
