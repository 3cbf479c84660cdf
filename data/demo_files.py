"""A realistic demo as the raw files users have, for Afghanistan: COD-AB boundaries and COD-PS population
(copied), one HeRAMS export per round, a 5W partner workbook and an HNO needs table.

Everything but the copied files is synthetic (invented facilities, names, contacts, organisations and
numbers) and reproducible: the same arguments write byte-identical files.

Facilities: the Afghan mix (TYPES) placed where people live. Primary facilities are drawn in proportion to
district population, with a set of districts at 30-60% of their share and a few with no facility at all;
district hospitals in the districts outside provincial capitals, provincial hospitals in provincial capitals,
regional hospitals in the regional hubs (HUBS). Points are uniformly random inside the district polygon.
The six conflict-affected provinces (CONFLICT) have more damage, closures and partial functioning.

Services: data/reference/demo_service_packages.csv gives, per service and facility type, the share of
facilities of that type that are expected to provide it (0: none, so the answer is always A4 "Not normally
provided"; 1: all; in between: that share, chosen once per facility). Expected services are A1/A2/A3 with
odds that worsen with the facility's functionality, accessibility and province, and for specialised
services. A2/A3 answers carry 1 to 3 distinct ranked barriers, most often staff or supplies. As in HeRAMS,
a closed, fully damaged, non-functioning or inaccessible facility (and a planned one, reported
non-functioning) has every service and barrier cell blank.

Rounds are the quarters of 2026 onwards. Each round's file holds the updates made during the quarter: about
10% of facilities are not updated (not in the file, their last update carries forward), about 5% are
updated twice, new facilities appear in later rounds. File formats: rounds 1-2 CSV with code headers and
code answers; round 3 XLSX (a "Read me" sheet, then the data) with label headers and label answers (a CSV
in that style when there are more than XLSX_MAX_FACILITIES facilities); round 4 CSV with two header rows
(codes, labels) and code answers; later rounds alternate the code and two-header styles. Barrier columns
x_2 and x_3 take the codebook's x_1 label with "Rank 2"/"Rank 3". Contact columns (HFCONTACT_*) hold
obviously synthetic values. A little mess: rows without coordinates, at 0,0 or with latitude and longitude
swapped, and a few exact duplicate rows.

Partners (5W workbook, a header row then an HXL row): 50-80 invented organisations of the six types, one
row per organisation, district, activity and month over the rounds' months. About 15% of the districts have
no partner; Kabul and the conflict provinces' capitals have 3-5 partners on primary health care. Mess: on
about 5% of the lines the district is given by name only (no p-code; hyphens turned to spaces, or
" District" added), three month spellings ("2026-03", "Mar-2026", "March 2026"), a few numbers typed as
text with thousands separators ("12,500").

Needs (HNO CSV, a header row then an HXL row): an intersectoral and a health row per district. Health
severity (1-5) rises with fewer working primary facilities per 10,000 people, lower service availability
in the last round and conflict; people in need are a share of the population that rises with severity.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import shapely
import xlsxwriter

from data.population import read_population
from geo.boundaries import read_boundaries

EMBEDDED = Path(__file__).parent / "embedded" / "afghanistan"
REFERENCE = Path(__file__).parent / "reference"
BOUNDARY_FILES = ("afg_adm2_geoboundaries_ocha_pcodes.geojson", "afg_adm1_geoboundaries_ocha_pcodes.geojson")
POPULATION_FILE = "afg_admpop_adm2_2019_20_cso.csv"
CODEBOOK = REFERENCE / "herams_codebook.csv"
PACKAGES = REFERENCE / "demo_service_packages.csv"
SERVICES = REFERENCE / "herams_services.csv"

# (abbreviation, MoSD3 as written, share of facilities); the order is the column order of PACKAGES.
TYPES = (
    ("FHH", "Family Health House (FHH)", 0.22),
    ("MHT", "Mobile Health Team (MHT)", 0.09),
    ("SHC", "Sub Health Centre (SHC)", 0.275),
    ("BHC", "Basic Health Centre (BHC)", 0.27),
    ("CHC", "Comprehensive Health Centre (CHC)", 0.11),
    ("DH", "District Hospital (DH)", 0.025),
    ("PH", "Provincial Hospital (PH)", 0.008),
    ("RH", "Regional Hospital (RH)", 0.002),
)
FHH, MHT, SHC, BHC, CHC, DH, PH, RH = range(8)
CONFLICT = ("AF30", "AF27", "AF25", "AF26", "AF15", "AF06")  # Hilmand, Kandahar, Uruzgan, Zabul, Kunar, Nangarhar
HUBS = ("AF01", "AF32", "AF27", "AF21", "AF06", "AF19", "AF13", "AF10")  # provinces of the regional hospitals
XLSX_MAX_FACILITIES = 10_000
FIRST_YEAR = 2026
CREATED = dt.datetime(2026, 1, 1)  # workbook properties, fixed so that the bytes are reproducible

# Columns that are not in the HeRAMS codebook, with the label a label-header export shows.
EXTRA_LABELS = {
    "ADM1_PCODE": "Province p-code", "ADM2_PCODE": "District p-code", "Province": "Province", "District": "District",
    "HFCONTACT_NAME": "Contact person: name", "HFCONTACT_PHONE": "Contact person: phone number",
    "HFCONTACT_EMAIL": "Contact person: email",
}


@dataclass(frozen=True)
class DemoFiles:
    boundaries: list[Path]  # copied adm2 + adm1 GeoJSON
    population: Path  # copied COD-PS csv
    facilities: list[Path]  # HeRAMS exports, one per round
    partners: list[Path]  # 5W workbook(s)
    needs: list[Path]  # HNO needs table(s)
    report_dates: list[str]  # "YYYY-MM-DD", one per round


def write_demo_files(out: Path, facilities: int = 4000, rounds: int = 4, seed: int = 0) -> DemoFiles:
    """Write the demo's raw files into `out` (created if needed) and say where each one is."""
    if facilities < 1 or rounds < 1:
        raise ValueError(f"the demo needs at least 1 facility and 1 round (got {facilities} and {rounds})")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copied = [Path(shutil.copyfile(EMBEDDED / name, out / name)) for name in (*BOUNDARY_FILES, POPULATION_FILE)]
    districts = _districts()
    rng_register, rng_rounds, rng_partners, rng_needs = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4))
    register = _register(districts, facilities, rounds, rng_register)
    state = _State.empty(register, rng_rounds)
    paths = []
    for r in range(rounds):
        previous, state = state, _advance(state, register, r, rng_rounds)
        rows = _round_rows(previous, state, register, r, rng_rounds)
        paths.append(_write_round(out, r, rows, facilities))
    partners = _write_partners(out / "afg_health_5w.xlsx", districts, rounds, rng_partners)
    needs = _write_needs(out / "afg_hno_needs.csv", districts, register, state, rng_needs)
    return DemoFiles(boundaries=copied[:2], population=copied[2], facilities=paths, partners=[partners],
                     needs=[needs], report_dates=report_dates(rounds))


def report_dates(rounds: int) -> list[str]:
    """The quarter ends from the first quarter of FIRST_YEAR, one per round."""
    return [str(_quarter(r).end_time.date()) for r in range(rounds)]


def _quarter(r: int) -> pd.Period:
    return pd.Period(f"{FIRST_YEAR + r // 4}Q{r % 4 + 1}", freq="Q")


# --- places --------------------------------------------------------------------------------------------


def _districts() -> pd.DataFrame:
    """Districts with a polygon and a population (the 26 population rows without a polygon are left out)."""
    table = read_boundaries(EMBEDDED / BOUNDARY_FILES[0]).table
    population, _ = read_population(EMBEDDED / POPULATION_FILE)
    d = table.merge(population[["adm2_pcode", "population"]], on="adm2_pcode").reset_index(drop=True)
    d["population"] = d["population"].astype(float)
    d["conflict"] = d["adm1_pcode"].isin(CONFLICT)
    # The provincial capital is the "01" district, or the most populous one where that has no polygon (Hirat).
    has_01 = d.groupby("adm1_pcode")["adm2_pcode"].transform(lambda s: s.str.endswith("01").any())
    biggest = d["population"] == d.groupby("adm1_pcode")["population"].transform("max")
    d["capital"] = np.where(has_01, d["adm2_pcode"].str.endswith("01"), biggest)
    return d


def _sample_points(geoms: np.ndarray, which: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) uniformly random inside geoms[which], rounded to 5 decimals (and still inside once rounded)."""
    shapely.prepare(geoms)
    bounds = shapely.bounds(geoms)
    fill = shapely.area(geoms) / ((bounds[:, 2] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 1]))
    lon, lat = np.full(len(which), np.nan), np.full(len(which), np.nan)
    pending = np.arange(len(which))
    while pending.size:
        candidate = np.repeat(pending, np.ceil(3 / fill[which[pending]]).astype(int))
        d = which[candidate]
        x = np.round(bounds[d, 0] + rng.random(len(d)) * (bounds[d, 2] - bounds[d, 0]), 5)
        y = np.round(bounds[d, 1] + rng.random(len(d)) * (bounds[d, 3] - bounds[d, 1]), 5)
        inside = shapely.contains_xy(geoms[d], x, y)
        taken, first = np.unique(candidate[inside], return_index=True)
        lon[taken], lat[taken] = x[inside][first], y[inside][first]
        pending = pending[np.isnan(lon[pending])]
    return lon, lat


# --- the facility register -----------------------------------------------------------------------------


def _type_counts(n: int) -> np.ndarray:
    counts = np.round(np.array([share for _, _, share in TYPES]) * n).astype(int)
    counts[SHC] += n - counts.sum()
    return counts


def _coverage(d: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Weight of each district against its population: about 1, 0.3-0.6 where short, 0 for a few."""
    factor = rng.uniform(0.85, 1.15, len(d))
    short = rng.random(len(d)) < np.where(d["conflict"], 0.35, 0.15)
    factor[short] = rng.uniform(0.3, 0.6, short.sum())
    rural = np.flatnonzero(~d["capital"].to_numpy())
    factor[rng.choice(rural, size=max(1, round(0.02 * len(d))), replace=False)] = 0.0
    return factor


def _place(d: pd.DataFrame, counts: np.ndarray, coverage: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """District index of each facility, type by type (facilities ordered by type)."""
    population = d["population"].to_numpy() * coverage
    capital, conflict = d["capital"].to_numpy(), d["conflict"].to_numpy()
    weights = {
        FHH: population * np.where(capital, 0.15, 1.0),
        MHT: population * np.where(conflict, 2.5, 1.0) * np.where(capital, 0.3, 1.0),
        SHC: population, BHC: population, CHC: population,
        DH: population * ~capital,
    }
    order = d.assign(i=np.arange(len(d))).sort_values(["population", "adm2_pcode"], ascending=[False, True])
    capitals = order.loc[order["capital"]]
    hub = capitals["adm1_pcode"].isin(HUBS)
    ph_sites = np.concatenate([capitals.loc[~hub, "i"].to_numpy(), capitals.loc[hub, "i"].to_numpy()])
    rh_sites = capitals.set_index("adm1_pcode").loc[list(HUBS), "i"].to_numpy()
    covered = np.flatnonzero(coverage > 0)
    placed = []
    for t, count in enumerate(counts):
        if t in weights:
            # Every district not left without care has a BHC when there are enough of them.
            base = covered if t == BHC and count >= len(covered) else covered[:0]
            w = weights[t] / weights[t].sum()
            drawn = np.repeat(np.arange(len(d)), rng.multinomial(count - len(base), w))
            placed.append(np.sort(np.concatenate([base, drawn])))
        else:
            sites = ph_sites if t == PH else rh_sites
            placed.append(np.sort(sites[np.arange(count) % len(sites)]))
    return np.concatenate(placed)


def _register(d: pd.DataFrame, n: int, rounds: int, rng: np.random.Generator) -> pd.DataFrame:
    """One row per facility, stable across rounds: code, name, type, place, ownership, first round."""
    counts = _type_counts(n)
    kind = np.repeat(np.arange(len(TYPES)), counts)
    district = _place(d, counts, _coverage(d, rng), rng)
    new = (rng.random(n) < 0.06) & (kind < DH) & (rounds > 1)
    first_round = np.where(new, rng.integers(1, max(rounds, 2), n), 0)
    order = np.lexsort((rng.random(n), kind, d["adm2_pcode"].to_numpy()[district], first_round))
    kind, district, first_round = kind[order], district[order], first_round[order]

    f = pd.DataFrame({"type": kind, "district": district, "first_round": first_round})
    number = pd.Series(np.arange(1, n + 1))
    f["code"] = "AFG-HF-" + number.astype(str).str.zfill(6)
    abbreviation = np.array([a for a, _, _ in TYPES], dtype=object)[kind]
    f["type_label"] = np.array([label for _, label, _ in TYPES], dtype=object)[kind]
    district_name = d["adm2_name"].to_numpy(dtype=object)[district]
    k = f.groupby(["district", "type"]).cumcount() + 1
    alone = f.groupby(["district", "type"])["type"].transform("size") == 1
    f["name"] = district_name + " " + abbreviation + np.where(alone, "", " " + k.astype(str))
    f["adm1_pcode"] = d["adm1_pcode"].to_numpy()[district]
    f["adm2_pcode"] = d["adm2_pcode"].to_numpy()[district]
    f["province"] = d["adm1_name"].to_numpy()[district]
    f["district_name"] = district_name
    f["conflict"] = d["conflict"].to_numpy()[district]
    f["lon"], f["lat"] = _sample_points(d.geometry.to_numpy(), district, rng)
    f["ownership"] = _ownership(kind, rng)
    f["structure"] = np.where(kind == MHT, 3, np.where(rng.random(n) < 0.9, 1, 2))
    per_district = np.bincount(district, minlength=len(d))[district]
    catchment = d["population"].to_numpy()[district] / per_district * rng.uniform(0.7, 1.3, n)
    f["catchment"] = np.round(catchment, -2)
    f["contact_name"] = "Contact " + number.astype(str)
    f["contact_phone"] = ("+93 700 " + (number // 1000).astype(str).str.zfill(3) + " "
                          + (number % 1000).astype(str).str.zfill(3))
    f["contact_email"] = "hf" + number.astype(str).str.zfill(6) + "@example.org"
    return f


def _ownership(kind: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """MoSD7 answer index (1 Public, 2 IONG/NONG, 3 Community-based, 4 Private), by type."""
    p = np.tile([0.82, 0.10, 0.03, 0.05], (len(kind), 1))
    p[kind == FHH] = [0.60, 0.10, 0.30, 0.00]
    p[kind == MHT] = [0.50, 0.50, 0.00, 0.00]
    p[kind >= DH] = [0.92, 0.04, 0.00, 0.04]
    return _draw(p, rng)


def _draw(p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One draw per row of a (n, k) probability table: answer indices 1..k."""
    return (1 + (rng.random(len(p))[:, None] > np.cumsum(p, axis=1)[:, :-1]).sum(axis=1)).astype(np.uint8)


def _by_conflict(conflict: np.ndarray, normal: list[float], affected: list[float]) -> np.ndarray:
    return np.where(conflict[:, None], affected, normal)


# --- the state of each facility, round by round ----------------------------------------------------------


@lru_cache(maxsize=1)
def _packages() -> tuple[tuple[str, ...], np.ndarray]:
    """Service codes and the (services, types) table of expected shares."""
    table = pd.read_csv(PACKAGES)
    return tuple(table["service"]), table[[a for a, _, _ in TYPES]].to_numpy(dtype=float)


@dataclass
class _State:
    """What each facility's latest update says (answer indices; 0 = not reported yet)."""

    status: np.ndarray
    building: np.ndarray
    functionality: np.ndarray
    accessibility: np.ndarray
    services: np.ndarray  # (facilities, services) answer indices 1..4
    offered: np.ndarray  # (facilities, services) expected to be provided (else "not normally provided")
    quality: np.ndarray  # per facility, added to the odds of a service being available
    conflict: np.ndarray  # per facility: in a conflict-affected province
    updated: np.ndarray  # in the latest round

    @classmethod
    def empty(cls, register: pd.DataFrame, rng: np.random.Generator) -> _State:
        n, shares = len(register), _packages()[1]
        zeros = np.zeros(n, np.uint8)
        offered = rng.random((n, len(shares))) < shares[:, register["type"].to_numpy()].T
        return cls(zeros, zeros, zeros, zeros, np.zeros((n, len(shares)), np.uint8), offered,
                   rng.normal(0, 0.1, n), register["conflict"].to_numpy(), np.zeros(n, bool))


def _stopped(status, building, functionality, accessibility) -> np.ndarray:
    """HeRAMS skip logic: no service question for a closed, destroyed, non-functioning or inaccessible facility."""
    return (status == 3) | (building == 3) | (functionality == 3) | (accessibility == 3)


def _functionality(building: np.ndarray, conflict: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    p = _by_conflict(conflict, [0.72, 0.24, 0.04], [0.48, 0.38, 0.14])
    p[building == 2] = _by_conflict(conflict[building == 2], [0.30, 0.50, 0.20], [0.20, 0.50, 0.30])
    p[building == 3] = [0.0, 0.2, 0.8]
    return _draw(p, rng)


def _advance(s: _State, register: pd.DataFrame, r: int, rng: np.random.Generator) -> _State:
    """The state after round r: first reports of new facilities, changes for the facilities updated."""
    n, conflict, kind = len(register), s.conflict, register["type"].to_numpy()
    first = register["first_round"].to_numpy() == r
    updated = first | ((register["first_round"].to_numpy() < r) & (rng.random(n) < 0.9))

    status = np.where(first, _draw(_by_conflict(conflict, [0.975, 0.01, 0.015], [0.93, 0.01, 0.06]), rng), s.status)
    closing = (status == 1) & (rng.random(n) < np.where(conflict, 0.04, 0.01))
    opening = ((status == 3) & (rng.random(n) < 0.3)) | ((status == 2) & (rng.random(n) < 0.35))
    status = np.where(first, status, np.where(closing, 3, np.where(opening, 1, status)))

    initial = _draw(_by_conflict(conflict, [0.86, 0.12, 0.02], [0.62, 0.28, 0.10]), rng)
    change = (rng.random(n) < np.where(conflict, 0.06, 0.02)).astype(int) - (rng.random(n) < 0.12)
    building = np.where(first, initial, np.clip(s.building.astype(int) + change, 1, 3))
    building = np.where(kind == MHT, 1, building)  # a mobile team has no building to damage

    redraw = first | (s.status == 2) | (rng.random(n) < np.where(conflict, 0.3, 0.15)) | (building != s.building)
    functionality = np.where(redraw, _functionality(building, conflict, rng), s.functionality)
    functionality = np.where(status == 2, 3, functionality)  # a planned facility does not function yet
    access = _draw(_by_conflict(conflict, [0.86, 0.11, 0.03], [0.58, 0.30, 0.12]), rng)
    accessibility = np.where(redraw, access, s.accessibility)

    keep = ~updated
    status, building, functionality, accessibility = (
        np.where(keep, old, new).astype(np.uint8) for old, new in (
            (s.status, status), (s.building, building), (s.functionality, functionality),
            (s.accessibility, accessibility)))
    # Service answers change for some cells each update, and all of them when functionality changed.
    again = updated & ((s.services[:, 0] == 0) | (functionality != s.functionality))
    cells = updated[:, None] & (again[:, None] | (rng.random(s.services.shape) < 0.3))
    rows = np.flatnonzero(cells.any(axis=1))
    drawn = _service_answers(functionality[rows], accessibility[rows], s.quality[rows], conflict[rows],
                             s.offered[rows], rng)
    services = s.services.copy()
    services[rows] = np.where(cells[rows], drawn, s.services[rows])
    return _State(status, building, functionality, accessibility, services, s.offered, s.quality, conflict, updated)


def _service_answers(functionality, accessibility, quality, conflict, offered, rng) -> np.ndarray:
    """Fresh answers (1 available .. 4 not normally provided), worse with functionality, access, conflict."""
    codes, shares = _packages()
    mental = np.isin(codes, ("QHeRAMS510", "QHeRAMS511", "QHeRAMS512", "QHeRAMS513"))
    difficulty = -0.1 * (shares[:, CHC] == 0) - 0.1 * mental  # specialised care and mental health are scarcer
    base = np.where(functionality == 1, 0.72, 0.38) - 0.08 * (accessibility == 2) - 0.12 * conflict + quality
    available = np.clip(base[:, None] + difficulty[None, :], 0.03, 0.97)
    partial = (1 - available) * 0.55
    u = rng.random(offered.shape)
    answer = 1 + (u >= available).astype(np.uint8) + (u >= available + partial)
    return np.where(offered, answer, 4).astype(np.uint8)


def _barriers(services: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(rows, services, 3) ranked barrier indices for partial / not available answers: 1 to 3 distinct ones."""
    weights = np.log([0.34, 0.12, 0.32, 0.14, 0.08])  # staff, training, supplies, equipment, finance
    barriers = np.zeros((*services.shape, 3), np.uint8)
    rows, columns = np.nonzero((services == 2) | (services == 3))
    keys = weights + rng.gumbel(size=(len(rows), 5))  # weighted draws without replacement
    ranked = (np.argsort(-keys, axis=1)[:, :3] + 1).astype(np.uint8)
    second = rng.random(len(rows)) < 0.65
    third = second & (rng.random(len(rows)) < 0.5)
    ranked[:, 1] *= second
    ranked[:, 2] *= third
    barriers[rows, columns] = ranked
    return barriers


# --- one round's rows ----------------------------------------------------------------------------------


@dataclass
class _Rows:
    meta: pd.DataFrame  # the non-service columns, answers as indices
    services: np.ndarray  # (rows, services), 0 = blank
    barriers: np.ndarray  # (rows, services, 3), 0 = blank


def _round_rows(prev: _State, s: _State, register: pd.DataFrame, r: int, rng: np.random.Generator) -> _Rows:
    """The updates made during round r's quarter: one row each, two for some facilities, a little mess."""
    updated = np.flatnonzero(s.updated)
    quarter = _quarter(r)
    start = np.datetime64(quarter.start_time.date(), "D")
    days = (quarter.end_time.date() - quarter.start_time.date()).days + 1
    day = rng.integers(0, days, len(updated))
    twice = rng.random(len(updated)) < 0.05
    other = rng.integers(0, days - 1, twice.sum())
    other += other >= day[twice]
    early = np.minimum(other, day[twice])
    day[twice] = np.maximum(other, day[twice])

    # The earlier of two updates: the state before this round (where there was one), answers drawn afresh.
    e = updated[twice]
    had = prev.status[e] > 0
    early_state = [np.where(had, old[e], new[e]) for old, new in (
        (prev.status, s.status), (prev.building, s.building), (prev.functionality, s.functionality),
        (prev.accessibility, s.accessibility))]
    early_services = _service_answers(early_state[2], early_state[3], s.quality[e], s.conflict[e], s.offered[e], rng)

    facility = np.concatenate([e, updated])
    status, building, functionality, accessibility = (
        np.concatenate([a, b[updated]]) for a, b in zip(early_state, (s.status, s.building, s.functionality,
                                                                      s.accessibility)))
    services = np.concatenate([early_services, s.services[updated]])
    services[_stopped(status, building, functionality, accessibility)] = 0
    barriers = _barriers(services, rng)

    f = register.iloc[facility]
    meta = pd.DataFrame({
        "MoSD1": f["code"].to_numpy(), "MoSD2": f["name"].to_numpy(), "MoSD3": f["type_label"].to_numpy(),
        "MoSD4": status, "MoSD5": f["structure"].to_numpy(), "MoSD7": f["ownership"].to_numpy(),
        "ADM1_PCODE": f["adm1_pcode"].to_numpy(), "ADM2_PCODE": f["adm2_pcode"].to_numpy(),
        "Province": f["province"].to_numpy(), "District": f["district_name"].to_numpy(),
        "MoSDGPS_SQ001": f["lat"].to_numpy(), "MoSDGPS_SQ002": f["lon"].to_numpy(),
        "MoSDPOP": f["catchment"].to_numpy(),
        "HFCONTACT_NAME": f["contact_name"].to_numpy(), "HFCONTACT_PHONE": f["contact_phone"].to_numpy(),
        "HFCONTACT_EMAIL": f["contact_email"].to_numpy(),
        "date": start + np.concatenate([early, day]).astype("timedelta64[D]"),
        "CONDB": building, "HFFUNCT": functionality, "HFACC": accessibility,
    })
    duplicate = _mess(meta, rng)
    keep = np.concatenate([np.arange(len(meta)), duplicate])
    keep = keep[np.lexsort((meta["MoSD1"].to_numpy()[keep], meta["date"].to_numpy()[keep]))]
    return _Rows(meta.iloc[keep].reset_index(drop=True), services[keep], barriers[keep])


def _mess(meta: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Blank, zero and swapped coordinates on a few rows (in place); the rows to write twice."""
    n = len(meta)
    if n < 100:
        return np.array([], dtype=int)
    blank, zero, swap, duplicate = (max(1, round(share * n)) for share in (0.005, 0.001, 0.001, 0.001))
    picked = rng.permutation(n)
    lat, lon = meta["MoSDGPS_SQ001"].to_numpy().copy(), meta["MoSDGPS_SQ002"].to_numpy().copy()
    rows = picked[:blank]
    lat[rows] = lon[rows] = np.nan
    rows = picked[blank:blank + zero]
    lat[rows] = lon[rows] = 0.0
    rows = picked[blank + zero:blank + zero + swap]
    lat[rows], lon[rows] = lon[rows], lat[rows].copy()
    meta["MoSDGPS_SQ001"], meta["MoSDGPS_SQ002"] = lat, lon
    return np.sort(picked[blank + zero + swap:blank + zero + swap + duplicate])


# --- writing a HeRAMS export ---------------------------------------------------------------------------

META = ("MoSD1", "MoSD2", "MoSD3", "MoSD4", "MoSD5", "MoSD7", "ADM1_PCODE", "ADM2_PCODE", "MoSDGPS_SQ001",
        "MoSDGPS_SQ002", "MoSDPOP", "HFCONTACT_NAME", "HFCONTACT_PHONE", "HFCONTACT_EMAIL", "date", "CONDB",
        "HFFUNCT", "HFACC")


@lru_cache(maxsize=1)
def _codebook() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """Header label of each column; (answer code, answer label) pairs of each coded column."""
    book = pd.read_csv(CODEBOOK, dtype=str, keep_default_na=False)
    labels = dict(zip(book["column"], book["label"]))
    coded = book[book["answer_code"] != ""]
    answers = {c: list(zip(g["answer_code"], g["answer_label"])) for c, g in coded.groupby("column", sort=False)}
    catalogue = pd.read_csv(SERVICES, dtype=str)
    for service, name in zip(catalogue["code"], catalogue["name"]):  # two services lack their question row
        labels.setdefault(service, name)
        answers.setdefault(service, answers["QHeRAMS100"])
    for service in _packages()[0]:
        for rank in (2, 3):
            labels[f"{service}x_{rank}"] = labels[f"{service}x_1"].replace("Rank 1", f"Rank {rank}")
            answers[f"{service}x_{rank}"] = answers[f"{service}x_1"]
    labels.update(EXTRA_LABELS)
    return labels, answers


def _herams_columns(rows: _Rows, style: str) -> list[tuple[str, str, np.ndarray, list[str] | None]]:
    """(code header, label header, values, answer vocabulary or None) of every column, in order.

    `style` "labels" writes province and district names and label answers; otherwise p-codes and codes.
    """
    labels, answers = _codebook()
    by_label = style == "labels"

    def vocabulary(code: str) -> list[str]:
        return [""] + [label if by_label else answer for answer, label in answers[code]]

    columns = []
    for code in META:
        if by_label and code in ("ADM1_PCODE", "ADM2_PCODE"):
            code = "Province" if code == "ADM1_PCODE" else "District"
        values = rows.meta[code].to_numpy()
        columns.append((code, labels[code], values, vocabulary(code) if code in answers else None))
    for j, service in enumerate(_packages()[0]):
        columns.append((service, labels[service], rows.services[:, j], vocabulary(service)))
        for rank in range(3):
            code = f"{service}x_{rank + 1}"
            columns.append((code, labels[code], rows.barriers[:, j, rank], vocabulary(code)))
    return columns


def _round_style(r: int, facilities: int) -> tuple[str, str]:
    """(style, suffix) of round r's export (r from 0): see the module docstring."""
    if r == 2:
        return "labels", ".xlsx" if facilities <= XLSX_MAX_FACILITIES else ".csv"
    if r < 2 or r % 2 == 0:
        return "codes", ".csv"
    return "codes_labels", ".csv"


def _write_round(out: Path, r: int, rows: _Rows, facilities: int) -> Path:
    style, suffix = _round_style(r, facilities)
    quarter = _quarter(r)
    path = out / f"herams_afg_{quarter.year}q{quarter.quarter}_{style}{suffix}"
    columns = _herams_columns(rows, style)
    headers = {"codes": [[c[0] for c in columns]], "labels": [[c[1] for c in columns]],
               "codes_labels": [[c[0] for c in columns], [c[1] for c in columns]]}[style]
    body = [(values, vocabulary) for _, _, values, vocabulary in columns]
    if suffix == ".csv":
        _write_csv(path, headers, body)
    else:
        first, last = quarter.start_time.date(), quarter.end_time.date()
        readme = [f"HeRAMS health facility updates: Afghanistan, {quarter.year} Q{quarter.quarter}",
                  f"The updates made from {first} to {last}, one row per update; the data are on the next sheet.",
                  "Headers and answers are shown as labels.",
                  "Services are not asked for a facility that is closed, fully damaged, non-functioning or "
                  "not accessible: their cells are blank.",
                  "SYNTHETIC DEMONSTRATION DATA made by HealthGaps: facilities, names, contacts and answers "
                  "are invented."]
        _write_workbook(path, readme, "Data", headers, body)
    return path


def _arrow(values: np.ndarray, vocabulary: list[str] | None) -> pa.Array:
    """A column as CSV text: answers through their vocabulary, numbers in shortest form, blanks empty."""
    if vocabulary is not None:
        indices = pa.array(values.astype(np.int8))
        return pa.DictionaryArray.from_arrays(indices, pa.array(vocabulary)).cast(pa.string())
    if values.dtype.kind == "f":
        return pa.array(values, from_pandas=True).cast(pa.string()).fill_null("")
    if values.dtype.kind == "M":
        return pa.array(np.datetime_as_string(values, unit="D"))
    return pa.array(values, type=pa.string(), from_pandas=True).fill_null("")


def _write_csv(path: Path, headers: list[list[str]], columns: list[tuple[np.ndarray, list[str] | None]]) -> None:
    """UTF-8, every field quoted as LimeSurvey exports do."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerows(headers)
    table = pa.table({str(i): _arrow(values, vocabulary) for i, (values, vocabulary) in enumerate(columns)})
    with open(path, "ab") as f:
        pacsv.write_csv(table, f, pacsv.WriteOptions(include_header=False, quoting_style="needed"))


def _write_workbook(path: Path, readme: list[str], sheet: str, headers: list[list[str]],
                    columns: list[tuple[np.ndarray, list[str] | None]]) -> None:
    """A "Read me" sheet, then the data sheet with its header rows; blanks left empty; fixed properties."""
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"title": readme[0], "author": "HealthGaps demo", "created": CREATED})
    bold, day = book.add_format({"bold": True}), book.add_format({"num_format": "yyyy-mm-dd"})
    notes = book.add_worksheet("Read me")
    notes.set_column(0, 0, 100)
    for i, line in enumerate(readme):
        notes.write_string(i, 0, line)
    data = book.add_worksheet(sheet)
    for i, row in enumerate(headers):
        data.write_row(i, 0, row, bold)
    data.freeze_panes(len(headers), 0)
    for j, (values, vocabulary) in enumerate(columns):
        _write_cells(data, len(headers), j, values, vocabulary, day)
    book.close()


def _write_cells(sheet, top: int, j: int, values: np.ndarray, vocabulary: list[str] | None, day) -> None:
    """One column's non-blank cells: text as text, numbers as numbers, dates as dates."""
    if vocabulary is not None:
        words = np.array(vocabulary, dtype=object)
        for i in np.flatnonzero(values).tolist():
            sheet.write_string(top + i, j, words[values[i]])
    elif values.dtype.kind == "f":
        for i in np.flatnonzero(~np.isnan(values)).tolist():
            sheet.write_number(top + i, j, float(values[i]))
    elif values.dtype.kind == "M":
        for i, value in enumerate(values.astype("datetime64[s]").tolist()):
            sheet.write_datetime(top + i, j, value, day)
    else:
        for i, value in enumerate(values.tolist()):
            if isinstance(value, str):
                if value:
                    sheet.write_string(top + i, j, value)
            elif value is not None and value == value:
                sheet.write_number(top + i, j, value)


# --- the 5W partner workbook ---------------------------------------------------------------------------

FIVE_W = (  # (header, HXL tag)
    ("Organisation", "#org+name"), ("Acronym", "#org+acronym"), ("Organisation type", "#org+type"),
    ("Donor", "#org+funder"), ("Sector", "#sector+cluster"), ("Activity", "#activity+name"),
    ("Province", "#adm1+name"), ("Province p-code", "#adm1+code"), ("District", "#adm2+name"),
    ("District p-code", "#adm2+code"), ("Month", "#date+month"), ("Status", "#status"),
    ("People targeted", "#targeted"), ("Girls reached", "#reached+f+children"),
    ("Boys reached", "#reached+m+children"), ("Women reached", "#reached+f+adults"),
    ("Men reached", "#reached+m+adults"), ("Total reached", "#reached"),
)
# (activity, sector, yearly share of the district population targeted, split of reached: girls, boys, women, men)
ACTIVITIES = (
    ("Primary health care consultations", "Health", 0.30, (0.25, 0.23, 0.30, 0.22)),
    ("Mobile health teams", "Health", 0.10, (0.25, 0.23, 0.30, 0.22)),
    ("Immunisation (EPI)", "Health", 0.06, (0.45, 0.45, 0.08, 0.02)),
    ("Nutrition (CMAM)", "Nutrition", 0.02, (0.42, 0.38, 0.20, 0.00)),
    ("Mental health and psychosocial support", "Health", 0.01, (0.15, 0.12, 0.43, 0.30)),
    ("Trauma care", "Health", 0.005, (0.08, 0.12, 0.25, 0.55)),
    ("Emergency obstetric care", "Health", 0.01, (0.05, 0.00, 0.95, 0.00)),
    ("Disease surveillance and outbreak response", "Health", 0.05, (0.25, 0.25, 0.25, 0.25)),
)
# (type, share of organisations, provinces (min, max), share of a province's districts (min, max), activities)
ORG_TYPES = (
    ("UN", 0.08, (5, 12), (0.15, 0.4), (2, 4)),
    ("INGO", 0.28, (2, 5), (0.2, 0.5), (1, 4)),
    ("NNGO", 0.45, (1, 2), (0.2, 0.6), (1, 3)),
    ("Government", 0.06, (1, 1), (0.6, 1.0), (2, 4)),
    ("Red Cross/Red Crescent", 0.05, (3, 8), (0.1, 0.3), (1, 3)),
    ("Private", 0.08, (1, 2), (0.0, 0.0), (1, 2)),  # provincial capitals only
)
_ADJECTIVES = ("Helping", "Healing", "Open", "Bright", "Shared", "Safe", "Caring", "Common", "Steady", "Clear",
               "Gentle", "Living", "Hopeful", "Lasting", "Silver", "Patient")
_NOUNS = ("Hands", "Paths", "Bridges", "Horizons", "Roots", "Wells", "Lanterns", "Steps", "Harbours", "Circles",
          "Threads", "Valleys", "Gardens", "Doors")
_PLACES = ("Hindu Kush", "Amu", "Pamir", "Spin Ghar", "Koh-e-Baba", "Salang", "Panj", "Kokcha", "Arghandab",
           "Hari Rud", "Kabul River", "Band-e-Amir", "Wakhan", "Sulaiman")
_UN = ("United Nations Health Relief Office", "UN Mother and Newborn Programme",
       "United Nations Nutrition Response Agency", "UN Emergency Medical Coordination Office",
       "United Nations Community Health Fund", "UN Mental Wellbeing Initiative",
       "United Nations Disease Response Unit", "UN Rural Health Service")
_RCRC = ("Northern Crescent Relief Society", "Mountain Crescent Aid", "Crescent Volunteers for Health",
         "Silk Road Crescent Society", "Valley Crescent First Aid Society")
_DONORS = ("Humanitarian Pooled Fund", "Northland Aid Agency", "Eastern Shores Development Cooperation",
           "Global Health Relief Trust", "Alpine Humanitarian Office", "Meridian Foundation", "Private donations")


def _acronym(name: str) -> str:
    return "".join(word[0] for word in name.replace("-", " ").split() if word[0].isupper())


def _organisations(n: int, provinces: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """n invented organisations of every type: name, acronym, type index, home province (of a provincial
    health office), donor, month spelling."""
    counts = np.maximum(1, np.round(np.array([t[1] for t in ORG_TYPES]) * n).astype(int))
    counts[2] += n - counts.sum()  # national NGOs take the rounding
    pairs = [f"{a} {b}" for a in _ADJECTIVES for b in _NOUNS]
    kinds = ("Health Association", "Rural Health Organisation", "Community Care Society",
             "Mother and Child Organisation", "Relief Committee")
    pools = (
        list(_UN),
        [f"{p} International" for p in pairs],
        [f"{p} Afghanistan" for p in pairs] + [f"{place} {kind}" for place in _PLACES for kind in kinds],
        [f"Provincial Health Office {p}" for p in provinces["adm1_name"]],
        list(_RCRC),
        [f"{place} {kind}" for place in _PLACES for kind in ("Medical Services", "Health Group", "Clinics Ltd")],
    )
    names, kinds_of = [], []
    for t, (count, pool) in enumerate(zip(counts, pools)):
        fresh = [name for name in pool if name not in names]
        names += [fresh[i] for i in np.sort(rng.choice(len(fresh), size=count, replace=False))]
        kinds_of += [t] * count
    orgs = pd.DataFrame({"name": names, "type": kinds_of})
    home = dict(zip("Provincial Health Office " + provinces["adm1_name"], provinces["adm1_pcode"]))
    orgs["home"] = orgs["name"].map(home)
    orgs["acronym"] = orgs["name"].map(_acronym)
    repeat = orgs.groupby("acronym").cumcount()
    orgs["acronym"] = orgs["acronym"] + np.where(repeat > 0, (repeat + 1).astype(str), "")
    orgs["donor"] = np.array(_DONORS, dtype=object)[rng.integers(0, len(_DONORS), n)]
    orgs["month_style"] = _draw(np.tile([0.55, 0.25, 0.20], (n, 1)), rng) - 1
    return orgs


def _footprints(d: pd.DataFrame, orgs: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """(org, district, activity) the organisations work on: none in some districts, crowded in others."""
    capital = d["capital"].to_numpy()
    hotspots = np.flatnonzero(capital & (d["conflict"] | (d["adm1_pcode"] == "AF01")).to_numpy())
    rural = np.setdiff1d(np.flatnonzero(~capital), hotspots)
    uncovered = rng.choice(rural, size=round(0.15 * len(d)), replace=False)
    eligible = np.setdiff1d(np.arange(len(d)), uncovered)
    province = d["adm1_pcode"].to_numpy()
    provinces = np.unique(province)
    weight = d.groupby("adm1_pcode")["population"].sum().reindex(provinces).to_numpy()
    weight = weight * np.where(np.isin(provinces, CONFLICT), 1.5, 1.0)
    combos = []
    for o, kind in enumerate(orgs["type"]):
        _, _, (p_min, p_max), (s_min, s_max), (a_min, a_max) = ORG_TYPES[kind]
        chosen: np.ndarray | list[str] = rng.choice(provinces, size=rng.integers(p_min, p_max + 1), replace=False,
                                                    p=weight / weight.sum())
        if kind == 3:  # a provincial health office works in its own province
            chosen = [orgs.at[o, "home"]]
        districts = []
        for p in chosen:
            here = eligible[province[eligible] == p]
            if kind == 5:
                here = here[capital[here]]
            size = max(1, round(rng.uniform(s_min, s_max) * len(here))) if len(here) else 0
            districts += list(rng.choice(here, size=min(size, len(here)), replace=False))
        activities = rng.choice(len(ACTIVITIES), size=rng.integers(a_min, a_max + 1), replace=False)
        for district in sorted(districts):
            doing = activities[rng.random(len(activities)) < 0.7]
            for a in (doing if len(doing) else activities[:1]):
                combos.append((o, district, a))
    for district in hotspots:  # several partners on primary health care in the same district
        for o in rng.choice(np.flatnonzero(orgs["type"] <= 2), size=rng.integers(3, 6), replace=False):
            combos.append((o, district, 0))
    combos = pd.DataFrame(combos, columns=["org", "district", "activity"]).drop_duplicates()
    return combos.sort_values(["org", "district", "activity"]).reset_index(drop=True)


def _month_labels(months: int) -> np.ndarray:
    """(3 spellings, months): "2026-03", "Mar-2026", "March 2026"."""
    periods = pd.period_range(f"{FIRST_YEAR}-01", periods=months, freq="M")
    return np.array([periods.strftime("%Y-%m"), periods.strftime("%b-%Y"), periods.strftime("%B %Y")], dtype=object)


def _partner_rows(d: pd.DataFrame, rounds: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Monthly 5W rows over the rounds' months, with their mess, as FIVE_W's columns."""
    provinces = d.drop_duplicates("adm1_pcode").sort_values("adm1_pcode")[["adm1_pcode", "adm1_name"]]
    orgs = _organisations(int(rng.integers(50, 81)), provinces, rng)
    combos = _footprints(d, orgs, rng)
    months = 3 * rounds
    length = rng.integers(min(3, months), months + 1, len(combos))
    start = rng.integers(0, months - length + 1)
    combo = np.repeat(np.arange(len(combos)), length)
    month = start[combo] + np.arange(len(combo)) - (np.cumsum(length) - length)[combo]
    name_only = (rng.random(len(combos)) < 0.05)[combo]  # the district written by name only, spelt another way
    o, dist, act = (combos[c].to_numpy()[combo] for c in ("org", "district", "activity"))

    n = len(combo)
    status = _draw(np.tile([0.78, 0.17, 0.05], (n, 1)), rng)  # ongoing, completed, planned
    rate = np.array([a[2] for a in ACTIVITIES])[act]
    targeted = np.maximum(10, np.round(d["population"].to_numpy()[dist] * rate / 12 * rng.uniform(0.5, 1.5, n)))
    reached = np.floor(targeted * rng.uniform(0.4, 1.1, n))
    split = np.array([a[3] for a in ACTIVITIES])[act] * rng.uniform(0.8, 1.2, (n, 4))
    parts = np.floor(reached[:, None] * split / split.sum(axis=1, keepdims=True))
    parts[status == 3] = np.nan  # nobody reached yet by a planned activity
    spelt = d["adm2_name"].str.replace("-", " ")
    spelt = spelt.where(d["adm2_name"].str.contains("-"), d["adm2_name"] + " District").to_numpy(dtype=object)
    return {
        "Organisation": orgs["name"].to_numpy(dtype=object)[o],
        "Acronym": orgs["acronym"].to_numpy(dtype=object)[o],
        "Organisation type": np.array([t[0] for t in ORG_TYPES], dtype=object)[orgs["type"].to_numpy()[o]],
        "Donor": orgs["donor"].to_numpy(dtype=object)[o],
        "Sector": np.array([a[1] for a in ACTIVITIES], dtype=object)[act],
        "Activity": np.array([a[0] for a in ACTIVITIES], dtype=object)[act],
        "Province": d["adm1_name"].to_numpy(dtype=object)[dist],
        "Province p-code": d["adm1_pcode"].to_numpy(dtype=object)[dist],
        "District": np.where(name_only, spelt[dist], d["adm2_name"].to_numpy(dtype=object)[dist]),
        "District p-code": np.where(name_only, "", d["adm2_pcode"].to_numpy(dtype=object)[dist]),
        "Month": _month_labels(months)[orgs["month_style"].to_numpy()[o], month],
        "Status": np.array(["", "Ongoing", "Completed", "Planned"], dtype=object)[status],
        "People targeted": _typed_numbers(targeted, rng),
        **{header: _typed_numbers(parts[:, k], rng) for k, header in enumerate(
            ("Girls reached", "Boys reached", "Women reached", "Men reached"))},
        "Total reached": _typed_numbers(parts.sum(axis=1), rng),
    }


def _typed_numbers(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Whole numbers as cells; a few of the large ones typed as text with thousands separators ("12,500")."""
    cells = np.array([None if np.isnan(v) else int(v) for v in values.tolist()], dtype=object)
    typed = np.flatnonzero((values >= 1000) & (rng.random(len(values)) < 0.03))
    cells[typed] = [f"{int(v):,}" for v in values[typed]]
    return cells


def _write_partners(path: Path, d: pd.DataFrame, rounds: int, rng: np.random.Generator) -> Path:
    columns = _partner_rows(d, rounds, rng)
    last = _quarter(rounds - 1).end_time.date()
    readme = ["Health cluster 5W: who does what, where, when and for whom, Afghanistan",
              f"Monthly activities of the health cluster partners, {FIRST_YEAR}-01 to {str(last)[:7]}.",
              "The data are on the sheet 5W: a header row, then a row of HXL hashtags, then one row per "
              "organisation, district, activity and month.",
              "SYNTHETIC DEMONSTRATION DATA made by HealthGaps: organisations, donors and numbers are invented."]
    headers = [[h for h, _ in FIVE_W], [tag for _, tag in FIVE_W]]
    _write_workbook(path, readme, "5W", headers, [(columns[h], None) for h, _ in FIVE_W])
    return path


# --- the HNO needs table -------------------------------------------------------------------------------

NEEDS = (("Province p-code", "#adm1+code"), ("District p-code", "#adm2+code"), ("District", "#adm2+name"),
         ("Sector", "#sector"), ("People in need", "#inneed"), ("Severity", "#severity"))
PIN_SHARE = np.array([0.0, 0.08, 0.20, 0.35, 0.50, 0.65])  # share of the population in need, by severity


def _severity(d: pd.DataFrame, register: pd.DataFrame, s: _State, rng: np.random.Generator) -> np.ndarray:
    """Health severity 1-5 per district: worse with fewer working facilities, fewer services and conflict."""
    kind, district = register["type"].to_numpy(), register["district"].to_numpy()
    working = (s.status == 1) & ~_stopped(s.status, s.building, s.functionality, s.accessibility)
    primary = working & np.isin(kind, (SHC, BHC, CHC))
    per_10k = np.bincount(district[primary], minlength=len(d)) / d["population"].to_numpy() * 1e4
    expected = (s.services > 0) & (s.services < 4)
    score = (3 * (s.services == 1) + (s.services == 2)).sum(axis=1) / np.maximum(1, 3 * expected.sum(axis=1))
    reported = (s.status == 1) | (s.status == 3)
    score = np.where(working, score, 0.0)
    total = np.bincount(district[reported], weights=score[reported], minlength=len(d))
    count = np.bincount(district[reported], minlength=len(d))
    availability = np.divide(total, count, out=np.zeros(len(d)), where=count > 0)
    need = (0.35 * (1 - availability) + 0.35 * (1 - np.minimum(per_10k, 1)) + 0.2 * d["conflict"].to_numpy()
            + 0.1 * rng.random(len(d)))
    return 1 + np.searchsorted(np.quantile(need, [0.06, 0.28, 0.62, 0.88]), need, side="right")


def _write_needs(path: Path, d: pd.DataFrame, register: pd.DataFrame, s: _State, rng: np.random.Generator) -> Path:
    health = _severity(d, register, s, rng)
    overall = np.clip(health + rng.choice([-1, 0, 0, 1], len(d)), 1, 5)
    population = d["population"].to_numpy()
    pin_overall = np.round(population * PIN_SHARE[overall] * rng.uniform(0.85, 1.15, len(d))).astype(int)
    pin_health = np.round(population * PIN_SHARE[health] * rng.uniform(0.75, 1.0, len(d))).astype(int)
    pin_health = np.minimum(pin_health, pin_overall)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerows([[h for h, _ in NEEDS], [tag for _, tag in NEEDS]])
        for i, (adm1, adm2, name) in enumerate(zip(d["adm1_pcode"], d["adm2_pcode"], d["adm2_name"])):
            writer.writerow([adm1, adm2, name, "Intersectoral", pin_overall[i], overall[i]])
            writer.writerow([adm1, adm2, name, "Health", pin_health[i], health[i]])
    return path
