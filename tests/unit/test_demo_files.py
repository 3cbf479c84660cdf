"""The demo's raw files: reproducible bytes, the real formats, HeRAMS skip logic, believable content."""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from data.demo_files import write_demo_files
from data.facility_types import tier_of

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
CONFLICT = ["AF30", "AF27", "AF25", "AF26", "AF15", "AF06"]
SHARES = {  # of the facility mix, as the brief sets it
    "Sub Health Centre (SHC)": 0.275, "Basic Health Centre (BHC)": 0.27, "Comprehensive Health Centre (CHC)": 0.11,
    "Family Health House (FHH)": 0.22, "Mobile Health Team (MHT)": 0.09, "District Hospital (DH)": 0.025,
    "Provincial Hospital (PH)": 0.008, "Regional Hospital (RH)": 0.002,
}
STOP = {"MoSD4": "A3", "CONDB": "A3", "HFFUNCT": "A3", "HFACC": "A3"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return write_demo_files(tmp_path_factory.mktemp("demo"), facilities=1000, rounds=4, seed=3)


def codebook():
    return pd.read_csv(REFERENCE / "herams_codebook.csv", dtype=str, keep_default_na=False)


def read_round(path: Path) -> pd.DataFrame:
    """A HeRAMS export in code form (headers and answers as codes), whatever its style."""
    if path.suffix == ".xlsx":
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="calamine")
        frame = list(sheets.values())[1].fillna("")
        book = codebook()
        labels = dict(zip(book["label"], book["column"]))
        labels.update({"Province": "Province", "District": "District"})
        services = pd.read_csv(REFERENCE / "herams_services.csv", dtype=str)
        for code, name in zip(services["code"], services["name"]):  # QHeRAMS206, 210: not in the codebook
            labels.setdefault(name, code)
        for rank in (2, 3):
            x1 = book[book["column"].str.endswith("x_1")]
            labels.update(dict(zip(x1["label"].str.replace("Rank 1", f"Rank {rank}"),
                                   x1["column"].str.replace("x_1", f"x_{rank}"))))
        frame = frame.rename(columns=lambda c: labels.get(c, c))
        answers = book[book["answer_code"] != ""]
        for column in frame.columns:
            base = column if column in set(answers["column"]) else None
            if base is None and column.startswith("QHeRAMS"):
                base = "QHeRAMS100x_1" if "x_" in column else "QHeRAMS100"
            if base:
                words = answers[answers["column"] == base]
                frame[column] = frame[column].replace(dict(zip(words["answer_label"], words["answer_code"])))
        return frame
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if frame.iloc[0]["MoSD1"] == "MoSD P - Code:":  # the second header row, labels
        frame = frame.iloc[1:].reset_index(drop=True)
    return frame


@pytest.fixture(scope="module")
def rounds(demo):
    return [read_round(path) for path in demo.facilities]


@pytest.mark.slow
def test_same_arguments_same_bytes_other_seed_other_files(tmp_path):
    one = write_demo_files(tmp_path / "one", facilities=300, rounds=4, seed=7)
    write_demo_files(tmp_path / "two", facilities=300, rounds=4, seed=7)  # compared by its files below
    other = write_demo_files(tmp_path / "other", facilities=300, rounds=4, seed=8)
    files = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "two").iterdir())
    assert len(files) == 2 + 1 + 4 + 1 + 1
    assert any(name.endswith(".xlsx") for name in files)
    for name in files:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    for mine, theirs in zip(one.facilities + one.partners + one.needs, other.facilities + other.partners + other.needs):
        assert mine.read_bytes() != theirs.read_bytes(), mine.name
    assert one.boundaries[0].read_bytes() == other.boundaries[0].read_bytes()  # copied unchanged


@pytest.mark.slow
def test_files_formats_and_report_dates(demo, tmp_path):
    assert [p.name for p in demo.facilities] == [
        "herams_afg_2026q1_codes.csv", "herams_afg_2026q2_codes.csv", "herams_afg_2026q3_labels.xlsx",
        "herams_afg_2026q4_codes_labels.csv"]
    assert demo.report_dates == ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]
    assert [p.name for p in demo.boundaries] == ["afg_adm2_geoboundaries_ocha_pcodes.geojson",
                                                 "afg_adm1_geoboundaries_ocha_pcodes.geojson"]
    assert demo.population.name == "afg_admpop_adm2_2019_20_cso.csv"
    assert all(p.exists() for p in [*demo.boundaries, demo.population, *demo.facilities, *demo.partners, *demo.needs])
    longer = write_demo_files(tmp_path, facilities=120, rounds=6, seed=1)
    assert longer.report_dates[4:] == ["2027-03-31", "2027-06-30"]
    assert [p.name for p in longer.facilities[4:]] == ["herams_afg_2027q1_codes.csv",
                                                       "herams_afg_2027q2_codes_labels.csv"]


@pytest.mark.slow
def test_code_and_two_header_csv(demo):
    first = demo.facilities[0].read_text(encoding="utf-8").splitlines()
    assert first[0].startswith('"MoSD1","MoSD2","MoSD3","MoSD4",')
    header = first[0].replace('"', "").split(",")
    assert header[header.index("QHeRAMS100"):header.index("QHeRAMS100") + 5] == [
        "QHeRAMS100", "QHeRAMS100x_1", "QHeRAMS100x_2", "QHeRAMS100x_3", "QHeRAMS101"]
    assert {"ADM1_PCODE", "ADM2_PCODE", "date", "CONDB", "HFFUNCT", "HFACC", "HFCONTACT_NAME"} <= set(header)
    assert len([h for h in header if h.startswith("QHeRAMS")]) == 92 * 4
    two = pd.read_csv(demo.facilities[3], dtype=str, keep_default_na=False, nrows=3)
    assert two.loc[0, "MoSD1"] == "MoSD P - Code:"
    assert two.loc[0, "HFFUNCT"] == "Functionality Status of the MoSD:"
    assert two.loc[0, "QHeRAMS205x_3"].endswith("Rank 3")
    assert two.loc[1, "HFFUNCT"] in ("A1", "A2", "A3")


@pytest.mark.slow
def test_label_workbook_uses_codebook_labels(demo):
    path = demo.facilities[2]
    sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="calamine")
    assert list(sheets) == ["Read me", "Data"]
    data = sheets["Data"]
    assert list(data.columns[:8]) == ["MoSD P - Code:", "Health facility name", "Health facility type:",
                                      "MoSD status", "MoSD Structure:", "MoSD Ownership Type", "Province", "District"]
    epi = ("EPI (Expanded Programme on Immunization):  regular outreach site for routine immunization against all "
           "national target diseases or permanent site with functioning cold chain in place")
    assert epi in data.columns
    assert set(data[epi].dropna()) <= {"Available", "Partially available", "Not available", "Not normally provided"}
    assert set(data["MoSD status"]) <= {"Existing", "Planned", "Closed"}
    assert "Kabul" in set(data["Province"])
    assert not data["District"].str.match(r"AF\d{4}").any()


@pytest.mark.slow
def test_distinct_codes_and_mix(rounds):
    every = pd.concat(rounds)
    codes = every["MoSD1"].unique()
    assert len(codes) == 1000
    assert every["MoSD1"].str.fullmatch(r"AFG-HF-\d{6}").all()
    latest = every.drop_duplicates("MoSD1", keep="last")
    shares = latest["MoSD3"].value_counts(normalize=True)
    for label, share in SHARES.items():
        assert shares.get(label, 0) == pytest.approx(share, abs=0.02), label
    tiers = {label: tier_of(label) for label in SHARES}
    assert tiers == {
        "Sub Health Centre (SHC)": "primary", "Basic Health Centre (BHC)": "primary",
        "Comprehensive Health Centre (CHC)": "primary", "Family Health House (FHH)": "community",
        "Mobile Health Team (MHT)": "mobile", "District Hospital (DH)": "secondary",
        "Provincial Hospital (PH)": "tertiary", "Regional Hospital (RH)": "tertiary"}
    # Provincial and regional hospitals stand in provincial capitals: the "01" districts, and Injil (AF3202)
    # for Hirat, whose "01" district has no polygon.
    big = rounds[0][rounds[0]["MoSD3"].isin(["Provincial Hospital (PH)", "Regional Hospital (RH)"])]
    assert len(big) >= 8
    assert (big["ADM2_PCODE"].str.endswith("01") | (big["ADM2_PCODE"] == "AF3202")).all()


@pytest.mark.slow
def test_skip_logic_blanks_every_service_cell(rounds):
    for frame in rounds:
        services = [c for c in frame.columns if c.startswith("QHeRAMS")]
        stop = np.logical_or.reduce([frame[column] == code for column, code in STOP.items()])
        assert stop.sum() > 10
        assert (frame.loc[stop, services] == "").all().all()
        answers = frame.loc[~stop, [c for c in services if "x_" not in c]]
        assert (answers != "").all().all()


@pytest.mark.slow
def test_services_outside_the_package_are_not_normally_provided(rounds):
    packages = pd.read_csv(REFERENCE / "demo_service_packages.csv")
    abbreviation = {label: label[-4:-1].strip("(") for label in SHARES}
    frame = pd.concat(rounds)
    frame = frame[frame["HFFUNCT"] != "A3"]
    frame = frame[~np.logical_or.reduce([frame[column] == code for column, code in STOP.items()])]
    for label, kind in abbreviation.items():
        rows = frame[frame["MoSD3"] == label]
        never = packages.loc[packages[kind] == 0, "service"]
        always = packages.loc[packages[kind] == 1, "service"]
        assert (rows[never] == "A4").all().all(), label
        assert not (rows[always] == "A4").any().any(), label
    bhc = frame[frame["MoSD3"] == "Basic Health Centre (BHC)"]
    assert bhc["QHeRAMS425"].isin(["A1", "A2", "A3"]).all()  # BEmONC from the BHC up
    assert (frame.loc[frame["MoSD3"] == "Sub Health Centre (SHC)", "QHeRAMS426"] == "A4").all()


@pytest.mark.slow
def test_barriers_follow_partial_and_unavailable_answers(rounds):
    frame = rounds[0]
    for code in ("QHeRAMS110", "QHeRAMS205", "QHeRAMS422"):
        ranks = frame[[f"{code}x_1", f"{code}x_2", f"{code}x_3"]]
        lacking = frame[code].isin(["A2", "A3"])
        assert (ranks.loc[~lacking] == "").all().all()
        assert (ranks.loc[lacking, f"{code}x_1"] != "").all()
        filled = ranks.loc[lacking].replace("", np.nan)
        assert (filled.nunique(axis=1) == filled.notna().sum(axis=1)).all()  # distinct
    first = pd.concat([frame[c] for c in frame.columns if c.endswith("x_1")])
    first = first[first != ""].value_counts(normalize=True)
    assert first["A1"] + first["A3"] > 0.5  # staff or supplies first, most often


@pytest.mark.slow
def test_conflict_provinces_fare_worse(rounds):
    frame = rounds[0]
    affected = frame["ADM1_PCODE"].isin(CONFLICT)
    for column in ("CONDB", "HFFUNCT", "HFACC"):
        worse = frame[column].isin(["A2", "A3"])
        assert worse[affected].mean() > worse[~affected].mean() + 0.1, column


@pytest.mark.slow
def test_every_point_lies_in_its_district(demo, rounds):
    districts = gpd.read_file(demo.boundaries[0]).set_index("ADM2_PCODE")
    frame = pd.concat([rounds[0], rounds[1], rounds[3]])
    lat = pd.to_numeric(frame["MoSDGPS_SQ001"], errors="coerce")
    lon = pd.to_numeric(frame["MoSDGPS_SQ002"], errors="coerce")
    blank, zero = lat.isna(), (lat == 0) & (lon == 0)
    swapped = lat > 50  # a longitude in the latitude column (Afghanistan: 29-39 N, 60-75 E)
    assert blank.sum() >= 3 and zero.sum() >= 3 and swapped.sum() >= 3
    good = ~(blank | zero | swapped)
    polygons = districts.geometry.loc[frame.loc[good, "ADM2_PCODE"]].to_numpy()
    assert shapely.contains_xy(polygons, lon[good].to_numpy(), lat[good].to_numpy()).all()
    back = districts.geometry.loc[frame.loc[swapped, "ADM2_PCODE"]].to_numpy()
    assert shapely.contains_xy(back, lat[swapped].to_numpy(), lon[swapped].to_numpy()).all()


@pytest.mark.slow
def test_updates_within_the_quarter(demo, rounds):
    quarters = [("2026-01-01", "2026-03-31"), ("2026-04-01", "2026-06-30"), ("2026-07-01", "2026-09-30"),
                ("2026-10-01", "2026-12-31")]
    for frame, (first, last) in zip(rounds, quarters):
        dates = pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d")
        assert dates.between(first, last).all()
        unique = frame.drop_duplicates()
        twice = unique["MoSD1"].duplicated(keep=False)
        assert 0.02 < unique.loc[twice, "MoSD1"].nunique() / unique["MoSD1"].nunique() < 0.09
        assert not unique.loc[twice].duplicated(["MoSD1", "date"]).any()  # two updates, two dates
        assert 1 <= frame.duplicated().sum() <= 3  # a handful of exact duplicates
    seen = [set(frame["MoSD1"]) for frame in rounds]
    missing = len(seen[0] - seen[1]) / len(seen[0])
    assert 0.05 < missing < 0.15
    assert len(seen[2] - seen[0] - seen[1]) > 0  # new facilities
    closed = [set(f.loc[f["MoSD4"] == "A3", "MoSD1"]) for f in rounds]
    existing = [set(f.loc[f["MoSD4"] == "A1", "MoSD1"]) for f in rounds]
    assert existing[0] & closed[1] and closed[0] & existing[1]  # closures and reopenings


@pytest.mark.slow
def test_synthetic_contacts_present(rounds):
    frame = rounds[0]
    assert frame["HFCONTACT_NAME"].str.fullmatch(r"Contact \d+").all()
    assert frame["HFCONTACT_PHONE"].str.fullmatch(r"\+93 700 \d{3} \d{3}").all()
    assert frame["HFCONTACT_EMAIL"].str.fullmatch(r"hf\d{6}@example\.org").all()
    one = frame[frame["MoSD1"] == "AFG-HF-000123"]
    if len(one):
        assert one.iloc[0]["HFCONTACT_PHONE"] == "+93 700 000 123"


@pytest.mark.slow
def test_partner_workbook(demo):
    path = demo.partners[0]
    sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="calamine")
    assert list(sheets) == ["Read me", "5W"]
    cells = sheets["5W"]
    assert cells.iloc[0].tolist()[:4] == ["Organisation", "Acronym", "Organisation type", "Donor"]
    assert cells.iloc[1].tolist() == [
        "#org+name", "#org+acronym", "#org+type", "#org+funder", "#sector+cluster", "#activity+name", "#adm1+name",
        "#adm1+code", "#adm2+name", "#adm2+code", "#date+month", "#status", "#targeted", "#reached+f+children",
        "#reached+m+children", "#reached+f+adults", "#reached+m+adults", "#reached"]
    rows = cells.iloc[2:].set_axis(cells.iloc[0].tolist(), axis=1)
    assert 50 <= rows["Organisation"].nunique() <= 80
    assert set(rows["Organisation type"]) == {"UN", "INGO", "NNGO", "Government", "Red Cross/Red Crescent", "Private"}
    districts = gpd.read_file(demo.boundaries[0])["ADM2_PCODE"]
    named = rows["District p-code"].notna()
    assert (~districts.isin(rows["District p-code"])).sum() > 10  # districts with no partner at all
    crowded = rows[named].groupby(["District p-code", "Activity"])["Organisation"].nunique()
    assert (crowded >= 3).sum() > 3
    assert rows.loc[~named, "District"].notna().all() and (~named).sum() > 10
    assert rows.loc[~named, "District"].str.contains(" District$| ").all()
    months = rows["Month"]
    assert months.str.fullmatch(r"2026-\d\d").any() and months.str.fullmatch(r"[A-Z][a-z]{2}-2026").any()
    assert months.str.fullmatch(r"[A-Z][a-z]+ 2026").any()
    assert rows["Total reached"].str.contains(",", na=False).any()
    numbers = rows["Total reached"].dropna().str.replace(",", "").astype(float)
    parts = rows.loc[numbers.index, ["Girls reached", "Boys reached", "Women reached", "Men reached"]]
    assert (parts.apply(lambda c: c.str.replace(",", "").astype(float)).sum(axis=1) == numbers).all()


@pytest.mark.slow
def test_needs_table(demo):
    text = demo.needs[0].read_text().splitlines()
    assert text[:2] == ["Province p-code,District p-code,District,Sector,People in need,Severity",
                        "#adm1+code,#adm2+code,#adm2+name,#sector,#inneed,#severity"]
    needs = pd.read_csv(demo.needs[0], skiprows=[1])
    assert len(needs) == 2 * 395
    sectors = needs.groupby("District p-code")["Sector"].apply(lambda s: ",".join(sorted(s)))
    assert (sectors == "Health,Intersectoral").all()
    assert needs["Severity"].between(1, 5).all() and needs["Severity"].nunique() == 5
    population = pd.read_csv(demo.population).set_index("ADM2_PCODE")["T_TL"]
    share = needs["People in need"] / needs["District p-code"].map(population)
    assert share.between(0.02, 0.8).all()
    health = needs[needs["Sector"] == "Health"].set_index("District p-code")["Severity"]
    frame = read_round(demo.facilities[3])
    working = frame[(frame["MoSD4"] == "A1") & frame["HFFUNCT"].isin(["A1", "A2"])]
    without = health.index.difference(working["ADM2_PCODE"])
    assert health[without].mean() > health.mean()  # worse where nothing works


@pytest.mark.slow
def test_default_size(tmp_path):
    """The default demo (its speed is measured in bench/, not asserted here)."""
    files = write_demo_files(tmp_path, facilities=4000, rounds=4, seed=0)
    assert len(files.facilities) == 4


def test_no_facility_or_no_round_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="at least 1 facility and 1 round"):
        write_demo_files(tmp_path, facilities=0, rounds=4)
    assert not any(tmp_path.iterdir())
