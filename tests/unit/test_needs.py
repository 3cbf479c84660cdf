"""HNO needs reader: people in need and severity per district and sector, every row accounted for."""


import pandas as pd
import pytest

from data.needs import read_needs
from data.tables import TableError
from tests.conftest import read_checked, records, rejections


def read(path, matcher):
    return read_checked(read_needs, "needs", path, matcher)


def write(tmp_path, text, name="hno.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_hxl_needs_with_severity_labels_and_rejections(tmp_path, matcher):
    path = write(tmp_path,
                 "District code,District,Province,Sector,People in need,Severity\n"
                 "#adm2+code,#adm2+name,#adm1+name,#sector+cluster,#affected+inneed,#severity+phase\n"
                 'AF0101,Kabul,Kabul,Health,"12,500",3 - Severe\n'
                 "AF0102,Paghman,Kabul,Health,4 000,4\n"
                 ",Nahr-e Saraj,Hilmand,Health,800,5 (Catastrophic)\n"
                 "AF0103,,,Health,100,7\n"
                 "AF0104,,,Health,100,Severe\n"
                 "AF0105,,,Health,100,2.5\n"
                 "AF0106,,,Health,-1,2\n"
                 "AF0107,,,Health,,\n"
                 "AF0101,,,health ,50,1\n"
                 "AF0101,,,Protection,50,1.0\n"
                 ",Atlantis,Kabul,Health,1,1\n")
    table, report = read(path, matcher)
    assert records(table) == [
        {"adm2_pcode": "AF0101", "sector": "Health", "pin": 12500, "severity": 3, "_row": 3},
        {"adm2_pcode": "AF0102", "sector": "Health", "pin": 4000, "severity": 4, "_row": 4},
        {"adm2_pcode": "AF3004", "sector": "Health", "pin": 800, "severity": 5, "_row": 5},
        {"adm2_pcode": "AF0107", "sector": "Health", "pin": None, "severity": None, "_row": 10},
        {"adm2_pcode": "AF0101", "sector": "Protection", "pin": 50, "severity": 1, "_row": 12},
    ]
    assert rejections(report) == [
        (6, "Severity", "7", "severity is outside 1-5"),
        (7, "Severity", "Severe", "severity is not a number from 1 to 5"),
        (8, "Severity", "2.5", "severity is not a whole number from 1 to 5"),
        (9, "People in need", "-1", "a negative number of people"),
        (11, "District code", "AF0101", "district AF0101, sector 'health' already read on row 3"),
        (13, "District", "Atlantis", "district name 'Atlantis' not found in province AF01"),
    ]
    assert report.warnings == ["1 row matched by district name: 'Nahr-e Saraj' -> AF3004"]


def test_sector_defaults_to_intersectoral_and_duplicates_are_rejected(tmp_path, matcher):
    path = write(tmp_path,
                 "ADM2_PCODE;PiN;Sévérité\n"
                 "AF0101;1000;4\n"
                 "AF0102;2000;3\n"
                 "af0101;1500;4\n")
    table, report = read(path, matcher)
    assert records(table) == [
        {"adm2_pcode": "AF0101", "sector": "intersectoral", "pin": 1000, "severity": 4, "_row": 2},
        {"adm2_pcode": "AF0102", "sector": "intersectoral", "pin": 2000, "severity": 3, "_row": 3},
    ]
    assert rejections(report) == [
        (4, "ADM2_PCODE", "af0101", "district AF0101, sector 'intersectoral' already read on row 2")]
    assert report.warnings == ["no sector column: all rows read as 'intersectoral'"]


def test_french_headers_in_a_workbook_with_a_read_me_sheet(tmp_path, matcher):
    path = tmp_path / "hno.xlsx"
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        pd.DataFrame({"Notes": ["HNO 2026, chiffres par district"]}).to_excel(writer, sheet_name="Lisez-moi",
                                                                               index=False)
        pd.DataFrame({"Région": ["Hilmand", "Kandahar"], "Département": ["Lashkar Gah", "Spin Boldak"],
                      "Secteur": ["Santé", ""], "Personnes dans le besoin": [120000, 45000.4],
                      "Sévérité": ["4 - Extrême", 3]}).to_excel(writer, sheet_name="PiN", index=False)
    table, report = read(path, matcher)
    assert records(table) == [
        {"adm2_pcode": "AF3001", "sector": "Santé", "pin": 120000, "severity": 4, "_row": 2},
        {"adm2_pcode": "AF2711", "sector": "intersectoral", "pin": 45000, "severity": 3, "_row": 3},
    ]
    assert report.warnings == [
        "read sheet 'PiN' (2 sheets: 'Lisez-moi', 'PiN')",
        "2 rows matched by district name: 'Lashkar Gah' -> AF3001, 'Spin Boldak' -> AF2711",
        "numbers of people that were not whole in column 'Personnes dans le besoin', rounded: 1 value",
    ]


def test_files_without_the_needed_columns(tmp_path, matcher):
    with pytest.raises(TableError, match=r"^a.csv: no people in need or severity column"):
        read_needs(write(tmp_path, "ADM2_PCODE,Sector\nAF0101,Health\n", name="a.csv"), matcher)
    with pytest.raises(TableError, match=r"^b.csv: no district column"):
        read_needs(write(tmp_path, "Province,PiN\nKabul,10\n", name="b.csv"), matcher)
    with pytest.raises(TableError, match="^c.csv: the file is empty$"):
        read_needs(write(tmp_path, "\n\n", name="c.csv"), matcher)
