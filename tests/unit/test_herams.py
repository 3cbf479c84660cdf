"""HeRAMS export reader and round snapshot: every expected value below is written by hand."""

import csv
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from data import schema
from data.herams import default_report_dates, read_herams, snapshot
from data.tables import TableError
from geo.report import Rejection, Report

CODES = ["MoSD1", "MoSD2", "MoSD3", "MoSD4", "MoSD7", "MoSDGPS_SQ001", "MoSDGPS_SQ002", "date", "CONDB",
         "HFFUNCT", "HFACC", "QHeRAMS110", "QHeRAMS110x_1", "QHeRAMS110x_2", "QHeRAMS110x_3", "QHeRAMS205",
         "QHeRAMS205x_1", "HFCONTACT_SQ001", "HFCONTACT_SQ002"]
WHY = "What are the main reasons (up to 3) that explain the lack of availability?  Rank"
LABELS = [  # as the codebook words them, some in another case or spacing, as label-header exports do
    "MoSD P - Code:", "HEALTH FACILITY NAME", "Health facility type:", "MoSD status", "MoSD Ownership Type",
    "GPS coordinates of the MoSD (decimal degrees): Latitude",
    "GPS coordinates of the MoSD (decimal degrees): Longitude", "Date",
    "Building damage: condition of health facility building", "Functionality status of the MoSD",
    "Accessibility: is the health facility accessible to patients?",
    "Outpatient services for primary care: with availability of all essential drugs for primary care as per "
    "national guidelines.",
    f"Outpatient services for primary care - barriers: {WHY} 1",
    f"Outpatient services for primary care - barriers: {WHY} 2",
    f"Outpatient services for primary care - barriers: {WHY} 3",
    "EPI (Expanded Programme on Immunization):  regular outreach site for routine immunization against all "
    "national target diseases or permanent site with functioning cold chain in place",
    f"EPI - barriers: {WHY} 1", "Contact person: phone number", "Contact person: email"]
PHONES = ["+93 700 123 456", "+93 700 999 888", "+93 799 000 111"]
EMAILS = ["dr.ahmad@example.org", "nurse@example.org", "closed@example.org"]
ROWS = [  # answers as codes
    ["HF001", "Kabul District Hospital", "District Hospital", "A1", "A1", "34.52", "69.18", "2023-05-01",
     "A1", "A1", "A1", "A2", "A1", "A3", "", "A1", "", PHONES[0], EMAILS[0]],
    ["HF002", "Sub Health Centre X", "Sub Health Centre", "A1", "A2", "34.6", "69.2", "02/05/2023",
     "A2", "A2", "A2", "A4", "", "", "", "A3", "A5", PHONES[1], EMAILS[1]],
    ["HF003", "Closed BHC", "Basic Health Centre", "A3", "A4", "", "", "45049",
     "", "", "", "", "", "", "", "", "", PHONES[2], EMAILS[2]],
]
ROWS_AS_LABELS = [  # the same answers as labels, in odd case, spacing and accents
    ["HF001", "Kabul District Hospital", "District Hospital", "existing", " PUBLIC ", "34.52", "69.18",
     "2023-05-01", "Not damaged: or insignificant damage", "fully   functioning", "Fully accessible",
     "Partially Available", "lack of staff", "LACK OF MEDICAL SUPPLIES (drugs and consumables)", "", "Available",
     "", PHONES[0], EMAILS[0]],
    ["HF002", "Sub Health Centre X", "Sub Health Centre", "Existing", "IONG/NONG", "34.6", "69.2", "02/05/2023",
     "Partially damaged", "Partially-Functioning", "partially accessible", "Not normally provided", "", "", "",
     "Nót àvailable", "Lack of financial resources", PHONES[1], EMAILS[1]],
    ["HF003", "Closed BHC", "Basic Health Centre", "CLOSED", "Private", "", "", "45049",
     "", "", "", "", "", "", "", "", "", PHONES[2], EMAILS[2]],
]
EXPECTED_UPDATES = pd.DataFrame({
    "_row": [2, 3, 4],
    "facility_id": ["HF001", "HF002", "HF003"],
    "name": ["Kabul District Hospital", "Sub Health Centre X", "Closed BHC"],
    "type": ["District Hospital", "Sub Health Centre", "Basic Health Centre"],
    "tier": ["secondary", "primary", "primary"],
    "ownership": ["public", "ngo", "private"],
    "status": ["existing", "existing", "closed"],
    "building": ["not_damaged", "partially_damaged", None],
    "functionality": ["full", "partial", None],
    "accessibility": ["full", "partial", None],
    "lat": [34.52, 34.6, np.nan],
    "lon": [69.18, 69.2, np.nan],
    # 02/05/2023 is 2 May (dd/mm/yyyy); Excel day 45049 is 3 May 2023 (day 44927 is 1 January 2023, + 122)
    "updated": pd.to_datetime(["2023-05-01", "2023-05-02", "2023-05-03"]),
})
EXPECTED_SERVICES = [  # (_row, service, status, barrier_1, barrier_2, barrier_3)
    (2, "QHeRAMS110", "partial", "staff", "supplies", None),
    (2, "QHeRAMS205", "available", None, None, None),
    (3, "QHeRAMS110", "not_normally_provided", None, None, None),
    (3, "QHeRAMS205", "not_available", "finance", None, None),
    (4, "QHeRAMS110", "stopped", None, None, None),  # closed: every service column of the file is stopped
    (4, "QHeRAMS205", "stopped", None, None, None),
]


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path, sheets):
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def read(path):
    """read_herams, checking the rule that holds for every file: rows in = accepted + rejected."""
    updates, services, report = read_herams(path)
    assert report.rows_in == len(updates) + len(report.rejected)
    assert report.accepted == len(updates)
    assert list(updates.columns) == ["_row", "source", "facility_id", "code", "name", "type", "tier", "ownership",
                                     "status", "building", "functionality", "accessibility", "lat", "lon",
                                     "adm1_given", "adm2_given", "adm1_name_given", "adm2_name_given", "updated"]
    assert list(services.columns) == ["source", "_row", "service", "status", "barrier_1", "barrier_2", "barrier_3"]
    return updates, services, report


def service_rows(services):
    table = services.astype(object).where(services.notna(), None)
    return list(table[["_row", "service", "status", "barrier_1", "barrier_2", "barrier_3"]].itertuples(
        index=False, name=None))


def assert_base(updates, services, source):
    expected = EXPECTED_UPDATES.assign(source=source, code=EXPECTED_UPDATES["facility_id"])
    got = updates[list(expected.columns)].astype(object).where(updates[list(expected.columns)].notna(), None)
    want = expected.astype(object).where(expected.notna(), None)
    assert got.to_dict("records") == want.to_dict("records")
    assert updates["updated"].dtype == "datetime64[ns]"
    assert updates["lat"].dtype == "float64" and updates["lon"].dtype == "float64"
    assert service_rows(services) == EXPECTED_SERVICES
    assert set(services["source"]) == {source}


# --- headers -------------------------------------------------------------------------------------------------

def test_code_headers(tmp_path):
    updates, services, report = read(write_csv(tmp_path / "codes.csv", [CODES, *ROWS]))
    assert_base(updates, services, "codes.csv")
    assert report.rows_in == 3 and report.rejected == []


def test_label_headers(tmp_path):
    updates, services, report = read(write_csv(tmp_path / "labels.csv", [LABELS, *ROWS]))
    assert_base(updates, services, "labels.csv")
    assert report.rows_in == 3


@pytest.mark.parametrize("header", [[CODES, LABELS], [LABELS, CODES]], ids=["codes-then-labels", "labels-then-codes"])
def test_two_header_rows(tmp_path, header):
    updates, services, report = read(write_csv(tmp_path / "two.csv", [*header, *ROWS]))
    assert report.rows_in == 3  # the second header row is not a facility
    assert list(updates["_row"]) == [3, 4, 5]  # data starts on the third row of the file
    assert list(services["_row"]) == [3, 3, 4, 4, 5, 5]


def test_answers_as_labels_in_odd_case_spacing_and_accents(tmp_path):
    updates, services, report = read(write_csv(tmp_path / "answers.csv", [CODES, *ROWS_AS_LABELS]))
    assert_base(updates, services, "answers.csv")
    assert report.rejected == []


def test_xlsx_picks_the_sheet_with_the_herams_columns(tmp_path):
    readme = [["About this export"], ["Exported from HeRAMS"], ["Questions: see the codebook"]]
    data = [CODES,
            ["HF010", "Herat Regional Hospital", "Regional Hospital", "A1", "A1", 34.35, 62.2,
             datetime(2023, 6, 30), "A1", "A1", "A1", "A1", None, None, None, "A2", "A2", "+93 111", "a@b.org"]]
    path = write_xlsx(tmp_path / "export.xlsx", {"Read me": readme, "Data": data, "Lists": [["A1", "Existing"]]})
    updates, services, report = read(path)
    assert list(updates["facility_id"]) == ["HF010"]
    assert updates.loc[0, "tier"] == "tertiary"
    assert (updates.loc[0, "lat"], updates.loc[0, "lon"]) == (34.35, 62.2)
    assert updates.loc[0, "updated"] == pd.Timestamp("2023-06-30")
    assert service_rows(services) == [(2, "QHeRAMS110", "available", None, None, None),
                                      (2, "QHeRAMS205", "partial", "training", None, None)]


def test_cp1252_csv_keeps_the_accented_name(tmp_path):
    rows = [CODES, ["HF020", "Hôpital Régional de Hérat", "Hôpital régional", "A1", "A1", "34.3", "62.2",
                    "2023-05-01", "A1", "A1", "A1", "A1", "", "", "", "A1", "", "", ""]]
    updates, _, report = read(write_csv(tmp_path / "french.csv", rows, encoding="cp1252"))
    assert updates.loc[0, "name"] == "Hôpital Régional de Hérat"
    assert updates.loc[0, "type"] == "Hôpital régional"
    assert any("cp1252" in w for w in report.warnings)


def test_utf8_bom(tmp_path):
    updates, services, report = read(write_csv(tmp_path / "bom.csv", [CODES, *ROWS], encoding="utf-8-sig"))
    assert (tmp_path / "bom.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    assert_base(updates, services, "bom.csv")


def test_no_facility_code_column_is_a_one_line_table_error(tmp_path):
    path = write_csv(tmp_path / "nocode.csv", [CODES[1:], *[r[1:] for r in ROWS]])
    with pytest.raises(TableError) as error:
        read_herams(path)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("nocode.csv:") and "MoSD1" in message


# --- skip logic and answers --------------------------------------------------------------------------------------

@pytest.mark.parametrize("column, answer", [("MoSD4", "A3"), ("CONDB", "A3"), ("HFFUNCT", "A3"), ("HFACC", "A3")],
                         ids=["closed", "fully-damaged", "non-functioning", "not-accessible"])
def test_skip_logic_stops_every_service(tmp_path, column, answer):
    skipped = ["HF030", "Skipped", "Basic Health Centre", "A1", "A1", "34.1", "69.1", "2023-05-01",
               "A1", "A1", "A1", "", "", "", "", "", "", "", ""]
    skipped[CODES.index(column)] = answer
    answered = ["HF031", "Answered", "Basic Health Centre", "A1", "A1", "34.1", "69.1", "2023-05-01",
                "A1", "A1", "A1", "A1", "", "", "", "", "", "", ""]  # QHeRAMS205 left blank: not reported
    _, services, report = read(write_csv(tmp_path / "skip.csv", [CODES, skipped, answered]))
    assert service_rows(services) == [(2, "QHeRAMS110", "stopped", None, None, None),
                                      (2, "QHeRAMS205", "stopped", None, None, None),
                                      (3, "QHeRAMS110", "available", None, None, None)]
    assert any(w.startswith("1 service answers left blank by 1 facilities") for w in report.warnings)


def test_not_normally_provided_and_every_barrier(tmp_path):
    rows = [CODES,
            ["HF040", "A", "Health Post", "A1", "A1", "1", "2", "2023-05-01", "A1", "A1", "A1",
             "A3", "A4", "A2", "A5", "A4", "", "", ""],
            ["HF041", "B", "Health Post", "A1", "A1", "1", "2", "2023-05-01", "A1", "A1", "A1",
             "A2", "A1", "A3", "", "A3", "A3", "", ""]]
    _, services, _ = read(write_csv(tmp_path / "barriers.csv", rows))
    assert service_rows(services) == [(2, "QHeRAMS110", "not_available", "equipment", "training", "finance"),
                                      (2, "QHeRAMS205", "not_normally_provided", None, None, None),
                                      (3, "QHeRAMS110", "partial", "staff", "supplies", None),
                                      (3, "QHeRAMS205", "not_available", "supplies", None, None)]


def test_ownership_free_text_is_other_with_a_warning(tmp_path):
    rows = [CODES, ["HF050", "A", "Clinic", "A1", "UN agency", "1", "2", "2023-05-01", "A1", "A1", "A1",
                    "A1", "", "", "", "A1", "", "", ""],
            ["HF051", "B", "Clinic", "A1", "-oth-", "1", "2", "2023-05-01", "A1", "A1", "A1",
             "A1", "", "", "", "A1", "", "", ""]]
    updates, _, report = read(write_csv(tmp_path / "owner.csv", rows))
    assert list(updates["ownership"]) == ["other", "other"]
    assert any(w.startswith("1 facilities have an ownership") for w in report.warnings)


def test_text_coordinates_keep_the_row_without_coordinates(tmp_path):
    rows = [CODES, ["HF060", "A", "Clinic", "A1", "A1", "N 34 deg", "69.1", "2023-05-01", "A1", "A1", "A1",
                    "A1", "", "", "", "A1", "", "", ""],
            ["HF061", "B", "Clinic", "A1", "A1", "34,25", "69,5", "2023-05-01", "A1", "A1", "A1",
             "A1", "", "", "", "A1", "", "", ""]]
    updates, _, report = read(write_csv(tmp_path / "coords.csv", rows))
    assert list(updates["facility_id"]) == ["HF060", "HF061"]
    assert np.isnan(updates.loc[0, "lat"]) and np.isnan(updates.loc[0, "lon"])
    assert (updates.loc[1, "lat"], updates.loc[1, "lon"]) == (34.25, 69.5)  # decimal comma
    assert any(w.startswith("1 facilities have coordinates that are not numbers") for w in report.warnings)


def test_admin_columns_kept_as_given(tmp_path):
    header = [*CODES, "ADM1_PCODE", "ADM1_EN", "ADM2_PCODE", "ADM2_EN"]
    row = [*ROWS[0], "AF01", "Kabul", "AF0101", "Kabul City"]
    updates, _, _ = read(write_csv(tmp_path / "admin.csv", [header, row]))
    assert updates.loc[0, ["adm1_given", "adm2_given", "adm1_name_given", "adm2_name_given"]].tolist() == [
        "AF01", "AF0101", "Kabul", "Kabul City"]
    header = [*CODES, "Province", "District"]
    updates, _, _ = read(write_csv(tmp_path / "names.csv", [header, [*ROWS[0], "Kabul", "Paghman"]]))
    assert updates.loc[0, ["adm1_given", "adm2_given"]].tolist() == ["Kabul", "Paghman"]
    assert updates[["adm1_name_given", "adm2_name_given"]].isna().all().all()
    updates, _, _ = read(write_csv(tmp_path / "none.csv", [CODES, ROWS[0]]))
    assert updates[["adm1_given", "adm2_given", "adm1_name_given", "adm2_name_given"]].isna().all().all()


# --- rejections ----------------------------------------------------------------------------------------------

def test_unknown_answer_label_rejects_the_row(tmp_path):
    functioning = [*ROWS[0]]
    functioning[CODES.index("HFFUNCT")] = "Mostly working"
    service = [*ROWS[1]]
    service[CODES.index("QHeRAMS205")] = "Sometimes"
    updates, services, report = read(write_csv(tmp_path / "unknown.csv", [CODES, functioning, service, ROWS[2]]))
    assert list(updates["facility_id"]) == ["HF003"]
    assert set(services["_row"]) == {4}
    assert [(r.file, r.row, r.column, r.value) for r in report.rejected] == [
        ("unknown.csv", 2, "HFFUNCT", "Mostly working"), ("unknown.csv", 3, "QHeRAMS205", "Sometimes")]
    assert report.rejected[0].reason == ("unknown answer in HFFUNCT: 'Mostly working' is neither a code nor a "
                                         "label of the codebook")
    assert "QHeRAMS205" in report.rejected[1].reason and "Sometimes" in report.rejected[1].reason


def test_unknown_barrier_label_rejects_the_row(tmp_path):
    row = [*ROWS[0]]
    row[CODES.index("QHeRAMS110x_2")] = "Lack of patience"
    updates, _, report = read(write_csv(tmp_path / "barrier.csv", [CODES, row]))
    assert updates.empty
    assert [(r.row, r.column, r.value) for r in report.rejected] == [(2, "QHeRAMS110x_2", "Lack of patience")]


def test_missing_facility_code_rejected(tmp_path):
    row = [*ROWS[1]]
    row[0] = "  "
    updates, services, report = read(write_csv(tmp_path / "nocode.csv", [CODES, ROWS[0], row]))
    assert list(updates["facility_id"]) == ["HF001"]
    assert set(services["_row"]) == {2}
    assert report.rejected == [Rejection("nocode.csv", 3, "MoSD1", "", "no facility code (MoSD1)")]


def test_dates_parsed_and_bad_dates_rejected(tmp_path):
    dates = ["2023-05-01", "01/05/2023", "45047", "2023-05-01 14:30:00", "2023-05-01T08:00:00",
             "31/02/2023", "yesterday", ""]
    rows = [CODES]
    for number, date in enumerate(dates):
        row = [*ROWS[0]]
        row[0], row[CODES.index("date")] = f"HF{number}", date
        rows.append(row)
    updates, _, report = read(write_csv(tmp_path / "dates.csv", rows))
    assert list(updates["updated"]) == [pd.Timestamp("2023-05-01")] * 5
    assert [(r.row, r.column, r.value) for r in report.rejected] == [
        (7, "date", "31/02/2023"), (8, "date", "yesterday"), (9, "date", "")]
    assert report.rejected[0].reason.startswith("not a date")
    assert report.rejected[2].reason == "no update date"


def test_contact_fields_never_reach_any_output(tmp_path):
    header = [*CODES, "Focal point phone", "ADM2_PCODE"]
    rows = [header, [*ROWS[0], "0799 555 444", "AF0101"], [*ROWS[1], "0799 555 333", "AF0102"],
            [*ROWS[2], "0799 555 222", "AF0103"]]
    rows[3][0] = ""  # a rejected row carries contact data too
    rows[2][CODES.index("HFFUNCT")] = "Unknown"  # and one rejected for an answer
    updates, services, report = read(write_csv(tmp_path / "contacts.csv", rows))
    assert len(report.rejected) == 2
    everything = " ".join([updates.astype(str).to_csv(), services.astype(str).to_csv(),
                           str(report.rejected_records()), str(report.summary())])
    for secret in [*PHONES, *EMAILS, "0799 555 444", "0799 555 333", "0799 555 222"]:
        assert secret not in everything
    assert "3 contact columns (personal data) not read" in report.warnings


def test_first_unknown_answer_in_file_order_across_services_and_barriers(tmp_path):
    row = [*ROWS[0]]
    row[CODES.index("QHeRAMS205")] = "Sometimes"  # a later column
    row[CODES.index("QHeRAMS110x_2")] = "Lack of patience"  # an earlier barrier column: the one reported
    _, _, report = read(write_csv(tmp_path / "order.csv", [CODES, row, ROWS[1]]))
    assert [(r.row, r.column, r.value) for r in report.rejected] == [(2, "QHeRAMS110x_2", "Lack of patience")]


def test_skipped_facility_keeps_its_row_despite_unknown_answers(tmp_path):
    closed = [*ROWS[2]]
    closed[CODES.index("QHeRAMS110")], closed[CODES.index("QHeRAMS205x_1")] = "Sometimes", "A1"
    updates, services, report = read(write_csv(tmp_path / "closed.csv", [CODES, ROWS[0], closed]))
    assert report.rejected == [] and list(updates["facility_id"]) == ["HF001", "HF003"]
    assert service_rows(services)[-2:] == [(3, "QHeRAMS110", "stopped", None, None, None),
                                           (3, "QHeRAMS205", "stopped", None, None, None)]
    assert any(w.startswith("1 closed, fully damaged, non-functioning or inaccessible facilities have service "
                            "answers") for w in report.warnings)


def test_csv_rows_of_other_lengths_and_quoted_newlines_read_as_pandas_reads_them(tmp_path):
    """pyarrow reads the usual export; a file it cannot read as pandas does (short rows) goes to pandas."""
    named = [*ROWS[0]]
    named[1] = "Kabul\nDistrict Hospital"  # a quoted newline inside a name
    updates, services, _ = read(write_csv(tmp_path / "newline.csv", [CODES, named, ROWS[1]]))
    assert list(updates["name"]) == ["Kabul\nDistrict Hospital", "Sub Health Centre X"]
    assert service_rows(services) == EXPECTED_SERVICES[:4]
    short = ROWS[2][:CODES.index("HFFUNCT")]  # trailing blank cells left out: pandas pads the row
    updates, services, report = read(write_csv(tmp_path / "short.csv", [CODES, *ROWS[:2], short]))
    assert_base(updates, services, "short.csv")
    assert report.rows_in == 3


def test_xlsx_cells_read_as_pandas_reads_them(tmp_path):
    from data.tables import read_cells

    rows = [["MoSD1", "text", "number", "date", "flag"],
            ["HF1", "NA", 34.0, datetime(2023, 6, 30), True],  # "NA" is empty to read_excel; whole numbers lose .0
            ["HF2", "  spaced  ", 34.35, datetime(2023, 6, 30, 14, 30), False],
            ["HF3", None, 1e-07, None, None]]
    path = write_xlsx(tmp_path / "cells.xlsx", {"Data": rows})
    cells, _ = read_cells(path, "Data")
    expected = pd.read_excel(path, sheet_name="Data", header=None, dtype=str, engine="calamine")
    expected = expected.apply(lambda column: column.str.strip()).replace("", pd.NA).dropna(how="all", axis=1)
    pd.testing.assert_frame_equal(cells, expected)
    assert cells.iloc[1:].to_numpy().tolist() == [
        ["HF1", np.nan, "34", "2023-06-30 00:00:00", "True"],
        ["HF2", "spaced", "34.35", "2023-06-30 14:30:00", "False"],
        ["HF3", np.nan, "1e-07", np.nan, np.nan]]


# --- snapshot ------------------------------------------------------------------------------------------------

def update(facility_id, updated, source, row, functionality="full", status="existing"):
    return {"_row": row, "source": source, "facility_id": facility_id, "code": facility_id,
            "name": f"Facility {facility_id}", "type": "Basic Health Centre", "tier": "primary",
            "ownership": "public", "status": status, "building": "not_damaged", "functionality": functionality,
            "accessibility": "full", "lat": 34.5, "lon": 69.1, "adm1_given": "AF01", "adm2_given": "AF0101",
            "adm1_name_given": None, "adm2_name_given": None,
            "updated": pd.Timestamp(updated) if updated else pd.NaT,
            "adm1_pcode": "AF01", "adm2_pcode": "AF0101", "location_method": "point"}


def service(source, row, code, status, barrier=None):
    return {"source": source, "_row": row, "service": code, "status": status, "barrier_1": barrier,
            "barrier_2": None, "barrier_3": None}


FEB, MAR = pd.Timestamp("2023-02-28"), pd.Timestamp("2023-03-31")


@pytest.fixture
def rounds():
    updates = pd.DataFrame([
        update("A", "2023-01-10", "a.csv", 2, functionality="full"),
        update("B", "2023-01-15", "a.csv", 3),  # never updated again: carried forward
        update("E", "2023-01-20", "a.csv", 5),
        update("A", "2023-03-10", "b.csv", 2, functionality="partial"),
        update("E", "2023-01-20", "b.csv", 3),  # same facility, same date as a.csv row 5: a duplicate
        update("D", "2023-03-05", "b.csv", 4),  # opened after the February report date
        update("C", "2023-03-31", "b.csv", 5),  # on the report date itself: counts
        update("S", None, "static.csv", 2),  # a static list: every round
    ])
    services = pd.DataFrame([
        service("a.csv", 2, "QHeRAMS110", "available"),
        service("a.csv", 3, "QHeRAMS110", "partial", "staff"),
        service("a.csv", 5, "QHeRAMS110", "available"),
        service("b.csv", 2, "QHeRAMS110", "not_available", "supplies"),
        service("b.csv", 3, "QHeRAMS110", "stopped"),
        service("b.csv", 4, "QHeRAMS205", "available"),
        service("b.csv", 5, "QHeRAMS110", "available"),
    ])
    reports = {name: Report(name, rows_in=n) for name, n in (("a.csv", 3), ("b.csv", 4), ("static.csv", 1))}
    return updates, services, reports


def test_snapshot_latest_update_on_or_before_each_report_date(rounds):
    updates, services, reports = rounds
    facilities, round_services = snapshot(updates, services, [MAR, FEB], reports)
    assert list(facilities.columns) == list(schema.TABLES["facilities"].columns)
    assert list(round_services.columns) == list(schema.TABLES["services"].columns)
    schema.validate("facilities", facilities)
    schema.validate("services", round_services)
    seen = {(r, f): (s, u) for r, f, s, u in facilities[["round", "facility_id", "source", "updated"]].itertuples(
        index=False)}
    assert seen == {
        ("2023-02-28", "A"): ("a.csv", pd.Timestamp("2023-01-10")),
        ("2023-02-28", "B"): ("a.csv", pd.Timestamp("2023-01-15")),
        ("2023-02-28", "E"): ("a.csv", pd.Timestamp("2023-01-20")),
        ("2023-02-28", "S"): ("static.csv", pd.NaT),
        ("2023-03-31", "A"): ("b.csv", pd.Timestamp("2023-03-10")),
        ("2023-03-31", "B"): ("a.csv", pd.Timestamp("2023-01-15")),
        ("2023-03-31", "E"): ("a.csv", pd.Timestamp("2023-01-20")),
        ("2023-03-31", "D"): ("b.csv", pd.Timestamp("2023-03-05")),
        ("2023-03-31", "C"): ("b.csv", pd.Timestamp("2023-03-31")),
        ("2023-03-31", "S"): ("static.csv", pd.NaT),
    }
    by_key = facilities.set_index(["round", "facility_id"])
    assert by_key.loc[("2023-02-28", "A"), "functionality"] == "full"
    assert by_key.loc[("2023-03-31", "A"), "functionality"] == "partial"
    assert by_key.loc[("2023-03-31", "D"), "adm2_pcode"] == "AF0101"
    assert by_key.loc[("2023-03-31", "D"), "location_method"] == "point"
    got = sorted(round_services.astype(object).where(round_services.notna(), None).itertuples(index=False,
                                                                                                name=None))
    assert got == sorted([
        ("2023-02-28", "A", "QHeRAMS110", "available", None, None, None),
        ("2023-02-28", "B", "QHeRAMS110", "partial", "staff", None, None),
        ("2023-02-28", "E", "QHeRAMS110", "available", None, None, None),
        ("2023-03-31", "A", "QHeRAMS110", "not_available", "supplies", None, None),
        ("2023-03-31", "B", "QHeRAMS110", "partial", "staff", None, None),
        ("2023-03-31", "E", "QHeRAMS110", "available", None, None, None),
        ("2023-03-31", "D", "QHeRAMS205", "available", None, None, None),
        ("2023-03-31", "C", "QHeRAMS110", "available", None, None, None),
    ])


def test_snapshot_rejects_a_same_date_duplicate_once(rounds):
    updates, services, reports = rounds
    snapshot(updates, services, [FEB, MAR], reports)
    assert reports["a.csv"].rejected == []
    assert reports["b.csv"].rejected == [Rejection(
        "b.csv", 3, "facility_id", "E", "duplicate facility id E: another update on the same date (file a.csv row 5)")]


def test_snapshot_of_a_single_date_and_of_no_date(rounds):
    updates, services, reports = rounds
    facilities, round_services = snapshot(updates, services, [pd.Timestamp("2022-12-31")], reports)
    assert list(facilities["facility_id"]) == ["S"]  # only the static list exists before January
    assert round_services.empty
    facilities, round_services = snapshot(updates, services, [], reports)
    assert facilities.empty and round_services.empty
    schema.validate("facilities", facilities)
    schema.validate("services", round_services)


def test_default_report_dates_are_each_files_latest_update(rounds):
    updates, _, _ = rounds
    assert default_report_dates(updates) == [pd.Timestamp("2023-01-20"), pd.Timestamp("2023-03-31")]


def test_snapshot_of_read_exports(tmp_path):
    """The reader's output goes straight into the snapshot (after location adds its columns)."""
    first = [*ROWS[0]]
    later = [*ROWS[0]]
    later[CODES.index("date")], later[CODES.index("QHeRAMS110")] = "2023-08-01", "A1"
    reports, frames, service_frames = {}, [], []
    for name, rows in (("may.csv", [CODES, first, ROWS[2]]), ("aug.csv", [CODES, later])):
        updates, services, report = read(write_csv(tmp_path / name, rows))
        reports[name] = report
        frames.append(updates.assign(adm1_pcode="AF01", adm2_pcode="AF0101", location_method="point"))
        service_frames.append(services)
    updates, services = pd.concat(frames, ignore_index=True), pd.concat(service_frames, ignore_index=True)
    dates = default_report_dates(updates)
    assert dates == [pd.Timestamp("2023-05-03"), pd.Timestamp("2023-08-01")]
    facilities, round_services = snapshot(updates, services, dates, reports)
    schema.validate("facilities", facilities)
    schema.validate("services", round_services)
    assert list(zip(facilities["round"], facilities["facility_id"], facilities["source"])) == [
        ("2023-05-03", "HF001", "may.csv"), ("2023-05-03", "HF003", "may.csv"),
        ("2023-08-01", "HF003", "may.csv"), ("2023-08-01", "HF001", "aug.csv")]  # by round, file, row
    outpatient = round_services[round_services["service"] == "QHeRAMS110"]
    assert sorted(zip(outpatient["round"], outpatient["facility_id"], outpatient["status"])) == [
        ("2023-05-03", "HF001", "partial"), ("2023-05-03", "HF003", "stopped"),
        ("2023-08-01", "HF001", "available"), ("2023-08-01", "HF003", "stopped")]


# --- the made-up Afghanistan exports in tests/fixtures/herams (see make_herams_fixtures.py) ------------------

def test_fixture_exports_two_quarters():
    from tests.conftest import FIXTURES
    q1, q2 = FIXTURES / "herams" / "afg_herams_2023_q1.csv", FIXTURES / "herams" / "afg_herams_2023_q2.xlsx"
    reports, frames, service_frames = {}, [], []
    for path in (q1, q2):
        updates, services, report = read(path)
        reports[path.name] = report
        frames.append(updates.assign(adm1_pcode=updates["adm1_given"], adm2_pcode=updates["adm2_given"],
                                     location_method="named_pcode"))
        service_frames.append(services)
    assert [r.rows_in for r in reports.values()] == [8, 8]
    assert len(service_frames[0]) == 8 * 92  # every facility answers every service in the first quarter
    assert (service_frames[1]["status"] == "stopped").sum() == 2 * 92  # HF03 closed, HF05 fully damaged
    q2_updates = frames[1].set_index("facility_id")
    assert np.isnan(q2_updates.loc["HF06", "lat"]) and q2_updates.loc["HF06", "adm2_given"] == "AF2401"
    assert q2_updates.loc["HF09", ["tier", "ownership"]].tolist() == ["community", "other"]
    updates, services = pd.concat(frames, ignore_index=True), pd.concat(service_frames, ignore_index=True)
    dates = default_report_dates(updates)
    assert dates == [pd.Timestamp("2023-03-17"), pd.Timestamp("2023-06-28")]
    facilities, round_services = snapshot(updates, services, dates, reports)
    schema.validate("facilities", facilities)
    schema.validate("services", round_services)
    assert facilities.groupby("round").size().to_dict() == {"2023-03-17": 8, "2023-06-28": 9}
    june = facilities[facilities["round"] == "2023-06-28"].set_index("facility_id")
    assert june.loc["HF02", "source"] == "afg_herams_2023_q1.csv"  # not updated: carried forward
    assert june.loc["HF01", "functionality"] == "full"  # the first of the two same-day updates
    assert reports["afg_herams_2023_q2.xlsx"].rejected == [Rejection(
        "afg_herams_2023_q2.xlsx", 4, "facility_id", "HF01",
        "duplicate facility id HF01: another update on the same date (file afg_herams_2023_q2.xlsx row 3)")]
    assert round_services.groupby("round", observed=True).size().to_dict() == {"2023-03-17": 8 * 92,
                                                                              "2023-06-28": 9 * 92}
    text = updates.astype(str).to_csv() + services.astype(str).to_csv()
    assert "example.org" not in text and "+93 70" not in text


def test_snapshot_carries_updates_forward_at_scale():
    """5,000 facilities, each updated every third round of 12, with 92 services (speed: see bench/)."""
    facilities, rounds, services = 5_000, 12, 92
    dates = pd.date_range("2023-01-31", periods=rounds, freq="ME")
    ids = np.array([f"HF{i:05d}" for i in range(facilities)], dtype=object)
    waves = range(0, rounds, 3)  # updates in rounds 0, 3, 6, 9
    updates = pd.concat([pd.DataFrame({
        "_row": np.arange(2, facilities + 2), "source": f"round{r}.csv", "facility_id": ids, "code": ids,
        "name": "x", "type": "Basic Health Centre", "tier": "primary", "ownership": "public", "status": "existing",
        "building": "not_damaged", "functionality": "full", "accessibility": "full", "lat": 34.0, "lon": 69.0,
        "adm1_pcode": "AF01", "adm2_pcode": "AF0101", "location_method": "point", "updated": dates[r]})
        for r in waves], ignore_index=True)
    count = len(updates) * services
    answers = pd.DataFrame({
        "source": pd.Categorical.from_codes(np.repeat(np.arange(len(waves)), facilities * services),
                                            categories=[f"round{r}.csv" for r in waves]),
        "_row": np.tile(np.repeat(np.arange(2, facilities + 2), services), len(waves)),
        "service": pd.Categorical.from_codes(np.tile(np.arange(services), len(updates)),
                                             categories=[f"QHeRAMS{100 + s}" for s in range(services)]),
        "status": pd.Categorical.from_codes(np.arange(count) % 5, categories=schema.SERVICE_STATUS)})
    for rank in (1, 2, 3):
        answers[f"barrier_{rank}"] = pd.Categorical.from_codes(np.arange(count) % 6 - 1, categories=schema.BARRIERS)
    reports = {f"round{r}.csv": Report(f"round{r}.csv", rows_in=facilities) for r in waves}
    out, out_services = snapshot(updates, answers, list(dates), reports)
    assert len(out) == facilities * rounds
    assert len(out_services) == facilities * rounds * services
    # round 5 (index 4, 2023-05-31) uses the update of round 3 (2023-04-30)
    may = out[out["round"] == "2023-05-31"]
    assert set(may["updated"]) == {pd.Timestamp("2023-04-30")} and set(may["source"]) == {"round3.csv"}
