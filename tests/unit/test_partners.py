"""3W/4W/5W partner matrix reader: columns by HXL tag or header, normalised values, every row accounted for."""

from datetime import datetime

import pandas as pd
import pytest

from data import schema
from data.partners import read_partners
from data.tables import TableError
from tests.conftest import read_checked, records, rejections


def read(path, matcher):
    return read_checked(read_partners, "activities", path, matcher)


def values(series):
    return series.astype(object).where(series.notna(), None).tolist()

def write(tmp_path, text, name="5w.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_hxl_tag_row_under_the_header(tmp_path, matcher):
    path = write(tmp_path,
                 "Partner,Short,Kind,Funded by,Cluster,What,Prov code,Dist code,Reported,State,Target,Reached,"
                 "Girls,Boys,Women,Men\n"
                 # tags with attributes in another order and unknown extra attributes
                 "#org+name+v_main,#org+acronym,#org+type,#org+funder,#sector+cluster,#activity+description,"
                 "#adm1+code,#adm2+code,#date+reported,#status,#targeted+total,#affected+reached,"
                 "#reached+children+f,#reached+m+children,#reached+f+adults,#reached+adults+m\n"
                 "Medecins du Monde,MdM,INGO,ECHO,Health,Mobile clinics,AF01,AF0102,2026-03,Ongoing,"
                 '"2,000",1500,400,300,500,300\n'
                 "Afghan Red Crescent Society,ARCS,Red Cross/Red Crescent,,Health,First aid,AF27,af2711 ,"
                 "2026-02-15,Completed,,,,,,\n")
    table, report = read(path, matcher)
    assert records(table) == [
        {"org_name": "Medecins du Monde", "org_acronym": "MdM", "org_type": "INGO", "donor": "ECHO",
         "sector": "Health", "activity": "Mobile clinics", "adm1_pcode": "AF01", "adm2_pcode": "AF0102",
         "admin_match": "pcode", "month": pd.Timestamp("2026-03-01"), "status": "ongoing",
         "targeted": 2000, "reached": 1500,
         "targeted_f_children": None, "targeted_m_children": None, "targeted_f_adults": None,
         "targeted_m_adults": None, "reached_f_children": 400, "reached_m_children": 300,
         "reached_f_adults": 500, "reached_m_adults": 300, "source": "5w.csv", "_row": 3},
        {"org_name": "Afghan Red Crescent Society", "org_acronym": "ARCS", "org_type": "Red Cross/Red Crescent",
         "donor": None, "sector": "Health", "activity": "First aid", "adm1_pcode": "AF27", "adm2_pcode": "AF2711",
         "admin_match": "pcode", "month": pd.Timestamp("2026-02-01"), "status": "completed",
         "targeted": None, "reached": None, **{f"{m}_{g}": None for m in ("targeted", "reached")
                                                 for g in schema.AGE_SEX},
         "source": "5w.csv", "_row": 4},
    ]
    assert report.rejected == [] and report.warnings == []


def test_hxl_row_instead_of_a_header(tmp_path, matcher):
    path = write(tmp_path,
                 "#org,#org+type,#adm1+name,#adm2+name,#date+month,#reached\n"
                 "WHO,UN,Kabul,Paghman,Jan-26,120\n"
                 "UNFPA,UN,Kabul,Paghman,Jan-26,-5\n"
                 "IOM,UN,Kabul,Paghman,Jan-26,many\n")
    table, report = read(path, matcher)
    assert records(table[["org_name", "adm2_pcode", "admin_match", "month", "reached", "_row"]]) == [
        {"org_name": "WHO", "adm2_pcode": "AF0102", "admin_match": "name", "month": pd.Timestamp("2026-01-01"),
         "reached": 120, "_row": 2}]
    assert rejections(report) == [(3, "#reached", "-5", "a negative number of people"),
                                  (4, "#reached", "many", "not a number")]


def test_french_headers_with_accents(tmp_path, matcher):
    path = write(tmp_path,
                 "Nom de l'organisation;Sigle;Type d'organisation;Bailleur de fonds;Secteur;Activité;Région;"
                 "Département;Mois;Statut;Personnes ciblées;Bénéficiaires atteints;Filles atteintes;"
                 "Garçons atteints;Femmes ciblées;Hommes ciblés\n"
                 "Première Urgence Internationale;PUI;ONG internationale;Union européenne;Santé;Vaccination;"
                 "Kaboul;Paghman;mars 2026;En cours;1 000;900;450;450;600;400\n"
                 "Association locale de santé;ALS;ONG nationale;;Santé;Sensibilisation;KABUL;BAGRAMI district;"
                 "03/2026;Prévu;;;;;;\n")
    table, report = read(path, matcher)
    # "Kaboul" is not a province name of the boundaries: the district is looked up in the whole country.
    assert records(table[["org_name", "org_acronym", "org_type", "donor", "sector", "activity", "adm2_pcode", "month",
                  "status", "targeted", "reached", "reached_f_children", "reached_m_children",
                  "targeted_f_adults", "targeted_m_adults"]]) == [
        {"org_name": "Première Urgence Internationale", "org_acronym": "PUI", "org_type": "INGO",
         "donor": "Union européenne", "sector": "Santé", "activity": "Vaccination", "adm2_pcode": "AF0102",
         "month": pd.Timestamp("2026-03-01"), "status": "ongoing", "targeted": 1000, "reached": 900,
         "reached_f_children": 450, "reached_m_children": 450, "targeted_f_adults": 600, "targeted_m_adults": 400},
        {"org_name": "Association locale de santé", "org_acronym": "ALS", "org_type": "NNGO", "donor": None,
         "sector": "Santé", "activity": "Sensibilisation", "adm2_pcode": "AF0104",
         "month": pd.Timestamp("2026-03-01"), "status": "planned", "targeted": None, "reached": None,
         "reached_f_children": None, "reached_m_children": None, "targeted_f_adults": None,
         "targeted_m_adults": None},
    ]
    assert report.warnings == ["2 rows matched by district name: 'Paghman' -> AF0102, 'BAGRAMI district' -> AF0104"]


def test_workbook_with_a_read_me_sheet_first(tmp_path, matcher):
    path = tmp_path / "4w.xlsx"
    data = pd.DataFrame({"Organization": ["IRC", "IRC"], "Org type": ["INGO", "INGO"],
                         "ADM2_PCODE": ["AF0301", "AF0302"], "Month": [datetime(2026, 3, 15), datetime(2026, 4, 1)],
                         "People reached": [1200, 800]})
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        pd.DataFrame({"About": ["Health cluster 4W, March-April 2026", "One row per activity and district"]}).to_excel(
            writer, sheet_name="Read me", index=False)
        data.to_excel(writer, sheet_name="4W data", index=False)
    table, report = read(path, matcher)
    assert records(table[["org_name", "adm1_pcode", "adm2_pcode", "month", "reached", "_row"]]) == [
        {"org_name": "IRC", "adm1_pcode": "AF03", "adm2_pcode": "AF0301", "month": pd.Timestamp("2026-03-01"),
         "reached": 1200, "_row": 2},
        {"org_name": "IRC", "adm1_pcode": "AF03", "adm2_pcode": "AF0302", "month": pd.Timestamp("2026-04-01"),
         "reached": 800, "_row": 3},
    ]
    assert report.warnings == ["read sheet '4W data' (2 sheets: 'Read me', '4W data')"]


def test_organisation_types_are_normalised(tmp_path, matcher):
    spellings = {
        "UN": "UN", "UN Agency": "UN", "United Nations": "UN", "Agence des Nations Unies": "UN",
        "International NGO": "INGO", "INGO": "INGO", "ONG internationale": "INGO",
        "National NGO": "NNGO", "NNGO": "NNGO", "ONG nationale": "NNGO", "Local NGO": "NNGO", "CBO": "NNGO",
        "Community-based organisation": "NNGO",
        "Government": "Government", "Gouvernement": "Government", "Ministry of Public Health": "Government",
        "MoPH": "Government",
        "Red Cross": "Red Cross/Red Crescent", "Red Crescent": "Red Cross/Red Crescent",
        "RCRC": "Red Cross/Red Crescent", "Croix-Rouge": "Red Cross/Red Crescent", "ICRC": "Red Cross/Red Crescent",
        "IFRC": "Red Cross/Red Crescent", "Red Cross/Red Crescent": "Red Cross/Red Crescent",
        "Private": "Private", "Privé": "Private", "Private sector": "Private",
        "Other": "Other", "Academia": "Other", "NGO": "Other", "": "Other",
    }
    lines = [f"Org {i},{spelling},AF0101" for i, spelling in enumerate(spellings)]
    path = write(tmp_path, "Organisation,Organisation type,ADM2_PCODE\n" + "\n".join(lines) + "\n")
    table, report = read(path, matcher)
    assert values(table["org_type"]) == list(spellings.values())
    assert report.warnings == ["organisation types not recognised, read as Other: 'Academia', 'NGO'",
                               "no organisation type on 1 row: read as Other"]


def test_statuses_are_normalised(tmp_path, matcher):
    given = {"Planned": "planned", "Pipeline": "planned", "Prévu": "planned", "Ongoing": "ongoing",
             "Active": "ongoing", "In progress": "ongoing", "En cours": "ongoing", "Completed": "completed",
             "Finished": "completed", "Closed": "completed", "Terminé": "completed", "Achevé": "completed",
             "Suspended": "other", "": None}
    lines = [f"Org,AF0101,{status}" for status in given]
    path = write(tmp_path, "Partner,ADM2_PCODE,Status\n" + "\n".join(lines) + "\n")
    table, report = read(path, matcher)
    assert values(table["status"]) == list(given.values())
    assert "statuses not recognised, read as other: 'Suspended'" in report.warnings


def test_months_in_each_spelling(tmp_path, matcher):
    # 46096 is the Excel serial of 15 March 2026 (1 March 2026 is 46082 days after 30 December 1899).
    months = ["2026-03", "2026-03-15", "03/2026", "Mar-2026", "March 2026", "mars 2026", "Jan-26", "46096",
              "Février 2026", "", "Marsh 2026", "13/2026", "2026-03-15 00:00:00"]
    lines = [f"Org,AF0101,{month}" for month in months]
    path = write(tmp_path, "Partner,ADM2_PCODE,Reporting month\n" + "\n".join(lines) + "\n")
    table, report = read(path, matcher)
    march, jan, feb = pd.Timestamp("2026-03-01"), pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")
    assert values(table["month"]) == [march, march, march, march, march, march, jan, march, feb, None, march]
    assert table["_row"].tolist() == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14]
    reason = "month not readable (expected e.g. 2026-03, 03/2026, Mar-2026 or March 2026)"
    assert rejections(report) == [(12, "Reporting month", "Marsh 2026", reason),
                                  (13, "Reporting month", "13/2026", reason)]


def test_thousands_separators(tmp_path, matcher):
    path = write(tmp_path,
                 "Partner,ADM2_PCODE,People targeted,People reached\n"
                 'A,AF0101,"12,500",12.500\n'
                 "B,AF0101,12 500,1.234.567\n"
                 "C,AF0101,12.500,7\n"
                 "D,AF0101,2.5,8\n"
                 "E,AF0101,\u00a03\u202f000 ,9\n")
    table, report = read(path, matcher)
    # People reached has no decimals, so its "12.500" is twelve thousand five hundred; People targeted holds
    # a decimal (2.5), so its "12.500" is ambiguous and that row is rejected.
    assert records(table[["org_name", "targeted", "reached"]]) == [
        {"org_name": "A", "targeted": 12500, "reached": 12500},
        {"org_name": "B", "targeted": 12500, "reached": 1234567},
        {"org_name": "D", "targeted": 3, "reached": 8},
        {"org_name": "E", "targeted": 3000, "reached": 9},
    ]
    assert rejections(report) == [(4, "People targeted", "12.500", "ambiguous number: the dot may be a thousands "
                                   "separator or a decimal point (the column also holds decimals)")]
    assert report.warnings == ["no organisation type column: all organisations read as Other",
                               "numbers of people that were not whole in column 'People targeted', rounded: 1 value"]


def test_district_names_matched_within_their_province(tmp_path, matcher):
    # Surobi is a district of Kabul (AF0115) and of Paktika (AF1210); Qara Bagh of Kabul and of Ghazni.
    path = write(tmp_path,
                 "Partner,Province,District,Admin2 P-code\n"
                 "A,Paktika,Surobi,\n"
                 "B,KABUL,surobi district,\n"
                 "C,Ghazni,Qara-Bagh,\n"
                 "D,Paktika,Surobi,\n"
                 "E,,Surobi,\n"
                 "F,Kabul,Atlantis,\n"
                 "G,Kabul,Paghman,AF9999\n"
                 "H,,,AF9999\n"
                 "I,Kabul,,\n")
    table, report = read(path, matcher)
    assert records(table[["org_name", "adm1_pcode", "adm2_pcode", "admin_match"]]) == [
        {"org_name": "A", "adm1_pcode": "AF12", "adm2_pcode": "AF1210", "admin_match": "name"},
        {"org_name": "B", "adm1_pcode": "AF01", "adm2_pcode": "AF0115", "admin_match": "name"},
        {"org_name": "C", "adm1_pcode": "AF11", "adm2_pcode": "AF1111", "admin_match": "name"},
        {"org_name": "D", "adm1_pcode": "AF12", "adm2_pcode": "AF1210", "admin_match": "name"},
        {"org_name": "G", "adm1_pcode": "AF01", "adm2_pcode": "AF0102", "admin_match": "name"},
    ]
    assert report.warnings == ["5 rows matched by district name: 'Surobi' -> AF1210, 'surobi district' -> AF0115, "
                               "'Qara-Bagh' -> AF1111, 'Paghman' -> AF0102",
                               "no organisation type column: all organisations read as Other"]
    assert rejections(report) == [
        (6, "District", "Surobi", "district name 'Surobi' is ambiguous"),
        (7, "District", "Atlantis", "district name 'Atlantis' not found in province AF01"),
        (9, "Admin2 P-code", "AF9999", "admin2 p-code AF9999 is not a district of the boundaries"),
        (10, "District", "", "no district named"),
    ]


def test_rows_without_organisation_or_with_text_counts_are_rejected(tmp_path, matcher):
    path = write(tmp_path,
                 "Organisation,Acronym,ADM2_PCODE,Targeted,Girls reached,Boys reached\n"
                 ",,AF0101,10,1,1\n"
                 ",WFP,AF0101,10,1,1\n"
                 "UNICEF,,AF0101,10,five,1\n"
                 "UNICEF,,AF0101,ten,,\n")
    table, report = read(path, matcher)
    assert records(table[["org_name", "org_acronym", "targeted", "reached", "_row"]]) == [
        {"org_name": "WFP", "org_acronym": "WFP", "targeted": 10, "reached": 2, "_row": 3}]
    assert rejections(report) == [(2, "Organisation", "", "no organisation named"),
                                  (4, "Girls reached", "five", "not a number"),
                                  (5, "Targeted", "ten", "not a number")]


def test_total_is_the_sum_of_the_parts_when_missing(tmp_path, matcher):
    path = write(tmp_path,
                 "Partner,ADM2_PCODE,Reached,Girls reached,Boys reached,Women reached,Men reached,Girls targeted\n"
                 "A,AF0101,,10,20,30,,50\n"
                 "B,AF0101,100,10,20,30,40,\n"
                 "C,AF0101,,,,,,\n")
    table, report = read(path, matcher)
    assert records(table[["org_name", "reached", "targeted", "targeted_f_children"]]) == [
        {"org_name": "A", "reached": 60, "targeted": 50, "targeted_f_children": 50},
        {"org_name": "B", "reached": 100, "targeted": None, "targeted_f_children": None},
        {"org_name": "C", "reached": None, "targeted": None, "targeted_f_children": None},
    ]
    assert report.warnings[-2:] == [
        "no total targeted on 1 row: the sum of girls, boys, women and men is used",
        "no total reached on 1 row: the sum of girls, boys, women and men is used"]


def test_windows_1252_file(tmp_path, matcher):
    path = write(tmp_path, "Organisation;Type;District;Province\nMédecins Sans Frontières;ONG internationale;"
                           "Lashkar Gah;Hilmand\n", encoding="cp1252")
    table, report = read(path, matcher)
    assert records(table[["org_name", "adm2_pcode"]]) == [
        {"org_name": "Médecins Sans Frontières", "adm2_pcode": "AF3001"}]
    assert report.warnings[0] == "5w.csv is not UTF-8; read as Windows-1252 (cp1252)"


def test_files_that_cannot_be_read(tmp_path, matcher):
    with pytest.raises(TableError, match="^empty.csv: the file is empty$"):
        read_partners(write(tmp_path, "", name="empty.csv"), matcher)
    with pytest.raises(TableError, match=r"^a.csv: no organisation column \(such as 'Organisation' or "
                                         r"#org\+name\); columns found: Sector, ADM2_PCODE$"):
        read_partners(write(tmp_path, "Sector,ADM2_PCODE\nHealth,AF0101\n", name="a.csv"), matcher)
    with pytest.raises(TableError, match=r"^b.csv: no district column"):
        read_partners(write(tmp_path, "Partner,Province\nWHO,Kabul\n", name="b.csv"), matcher)


def test_header_only_file_gives_an_empty_table(tmp_path, matcher):
    table, report = read(write(tmp_path, "Partner,ADM2_PCODE\n"), matcher)
    assert len(table) == 0 and report.rows_in == 0


def test_unclear_columns_and_province_mismatch_are_reported(tmp_path, matcher):
    path = write(tmp_path,
                 "Partner,Org type,ADM1_PCODE,ADM2_PCODE,Girls,Women reached\n"
                 "A,UN,AF02,AF0101,5,6\n"
                 "B,UN,AF01,AF0102,5,6\n")
    table, report = read(path, matcher)
    assert records(table[["adm1_pcode", "adm2_pcode", "reached", "reached_f_adults"]]) == [
        {"adm1_pcode": "AF01", "adm2_pcode": "AF0101", "reached": 6, "reached_f_adults": 6},
        {"adm1_pcode": "AF01", "adm2_pcode": "AF0102", "reached": 6, "reached_f_adults": 6},
    ]
    assert report.warnings == [
        "columns naming a sex/age group but not 'reached' or 'targeted' were not read: 'Girls'",
        "a province p-code other than the district's on 1 row (the district's is used): AF02 for AF0101",
        "no total reached on 2 rows: the sum of girls, boys, women and men is used",
    ]
