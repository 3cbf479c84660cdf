"""Facility and service indicators per district and per province, for a filter (DESIGN.md "Indicators").

Every indicator is derived from counts that add up (facilities, functional facilities, service points and
services expected, barrier mentions...), so a province's values come from its totals, never from an
average of its districts' percentages. Definitions are in analysis/catalogue.py.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from analysis import filters, standards
from analysis.catalogue import DOMAINS, TRACERS
from analysis.filters import Filter
from data.dataset import Dataset
from data.schema import BARRIERS

NAME_COLUMNS = ["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name"]
PROVINCE_COLUMNS = ["adm1_pcode", "adm1_name"]

# Counts per district, summed for a province. Facility counts are NA when the dataset has no facility data.
FACILITY_COUNTS = ["facilities", "functional", "fully_functional", "damaged", "building_reported", "accessible",
                   "access_reported", "functional_primary", "functional_hospitals"]
SERVICE_COUNTS = (["points", "expected"]
                  + [f"{part}_{domain}" for domain in DOMAINS for part in ("points", "expected")]
                  + [f"{part}_{tracer}" for tracer in TRACERS for part in ("with", "expected")]
                  + [f"barrier_{barrier}" for barrier in BARRIERS])

INDICATOR_COLUMNS = (
    ["population", "population_density", "pin", "severity", "facilities", "functional", "pct_fully_functional",
     "pct_damaged", "pct_accessible", "phc_per_10k", "phc_gap", "hospitals_per_250k", "pop_per_functional_facility",
     "availability_score"]
    + [f"availability_{domain}" for domain in DOMAINS]
    + [f"pct_with_{tracer}" for tracer in TRACERS]
    + ["top_barrier", "small_cell"]
)
NUMERIC = [column for column in INDICATOR_COLUMNS if column not in ("top_barrier", "small_cell")]
WHOLE_NUMBERS = ["pin", "severity", "facilities", "functional", "phc_gap"]

AVAILABLE, PARTIAL = "available", "partial"
NOT_EXPECTED = ["not_normally_provided"]
UNAVAILABLE = ["partial", "not_available", "stopped"]  # services a barrier can explain


def facility_indicators(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """One row per district of the filter (also those without facilities or population), sorted by p-code."""
    districts = _districts(dataset, chosen)
    table = districts.join(_counts(dataset, chosen, districts["adm2_pcode"]), on="adm2_pcode")
    return _indicators(table, NAME_COLUMNS + ["area_km2"])


def province_indicators(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """The same indicators per province of the filter, from the province's totals."""
    districts = _districts(dataset, chosen)
    table = districts.join(_counts(dataset, chosen, districts["adm2_pcode"]), on="adm2_pcode")
    return _indicators(_province_totals(table), PROVINCE_COLUMNS)


def change_between_rounds(dataset: Dataset, chosen: Filter, before: str, after: str,
                          indicator: str) -> pd.DataFrame:
    """Per district, an indicator in two rounds and its change, largest drops first (no value: last)."""
    rounds = set(dataset.rounds["round"].astype(str))
    for name in (before, after):
        if name not in rounds:
            raise ValueError(f"no round {name!r} in the dataset (rounds: {', '.join(sorted(rounds)) or 'none'})")
    if indicator not in NUMERIC:
        raise ValueError(f"{indicator!r} is not a numeric district indicator")
    first = facility_indicators(dataset, replace(chosen, round=before))
    second = facility_indicators(dataset, replace(chosen, round=after))
    table = first[["adm2_pcode", "adm2_name", "adm1_name"]].copy()
    table["before"] = first[indicator].astype("float64")
    table["after"] = second[indicator].astype("float64").to_numpy()
    table["change"] = table["after"] - table["before"]
    return table.sort_values(["change", "adm2_pcode"], na_position="last").reset_index(drop=True)


def _districts(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    table = filters.districts(dataset, chosen)[NAME_COLUMNS + ["area_km2"]]
    return table.sort_values("adm2_pcode").reset_index(drop=True)


def _counts(dataset: Dataset, chosen: Filter, districts: pd.Series) -> pd.DataFrame:
    """Population, needs and every additive facility and service count, indexed by the districts given."""
    index = pd.Index(districts.astype(str), name="adm2_pcode")
    people = dataset.population.assign(adm2_pcode=dataset.population["adm2_pcode"].astype(str))
    counts = pd.DataFrame(index=index).join(people.set_index("adm2_pcode")[["population"]].astype("float64"))
    counts = counts.join(_needs(dataset.needs))
    answered = pd.concat([_facility_counts(dataset, chosen), _service_counts(dataset, chosen)], axis=1)
    counts = counts.join(answered.reindex(index))
    if filters.round_of(dataset, chosen) is not None:  # a district without facilities has 0, not "no data"
        counts[FACILITY_COUNTS + SERVICE_COUNTS] = counts[FACILITY_COUNTS + SERVICE_COUNTS].fillna(0)
    return counts


def _needs(needs: pd.DataFrame) -> pd.DataFrame:
    """People in need and severity per district: the intersectoral row where there is one, else sector maxima."""
    table = needs[["adm2_pcode", "sector", "pin", "severity"]].astype(
        {"adm2_pcode": str, "sector": str, "pin": "float64", "severity": "float64"})
    intersectoral = table["sector"].str.strip().str.lower() == "intersectoral"
    overall = table[intersectoral].groupby("adm2_pcode")[["pin", "severity"]].max()
    sectors = table[~intersectoral].groupby("adm2_pcode")[["pin", "severity"]].max()
    return pd.concat([overall, sectors[~sectors.index.isin(overall.index)]])


def _facility_counts(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """Facility counts per district. Planned facilities are not counted; a missing status counts as existing."""
    table = filters.facilities(dataset, chosen)
    table = table[~table["status"].isin(["planned"])]
    operating = ~table["status"].isin(["closed"])
    functional = operating & table["functionality"].isin(["full", "partial"])  # unknown: no evidence it works
    flags = pd.DataFrame({
        "adm2_pcode": table["adm2_pcode"],
        "facilities": 1,
        "functional": functional,
        "fully_functional": operating & table["functionality"].isin(["full"]),
        "damaged": table["building"].isin(["partially_damaged", "fully_damaged"]),
        "building_reported": table["building"].notna(),
        "accessible": table["accessibility"].isin(["full"]),
        "access_reported": table["accessibility"].notna(),
        "functional_primary": functional & table["tier"].isin(["primary"]),
        "functional_hospitals": functional & table["tier"].isin(["secondary", "tertiary"]),
    })
    return _by_district(flags.groupby("adm2_pcode", observed=True).sum())


def _service_counts(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """HeRAMS points and services expected (in the filter's domain, per domain, per tracer) and barriers."""
    table = filters.services(dataset, replace(chosen, domain=None))
    table = table[~table["facility_status"].isin(["planned"])]
    status = table["status"]
    domain_of = dict(zip(dataset.service_catalogue["service"].astype(str), dataset.service_catalogue["domain"]))
    rows = pd.DataFrame({
        "adm2_pcode": table["adm2_pcode"],
        "service": table["service"],
        "domain": table["service"].map(domain_of),  # on a categorical: maps the categories only
        "expected": ~status.isin(NOT_EXPECTED),
        "points": np.where(status == AVAILABLE, 3, np.where(status == PARTIAL, 1, 0)),
        "with": status.isin([AVAILABLE, PARTIAL]),
        "barrier": table["barrier_1"].where(status.isin(UNAVAILABLE)),
    })
    in_scope = rows["domain"] == chosen.domain if chosen.domain else pd.Series(True, index=rows.index)
    chosen_domain = rows[in_scope].groupby("adm2_pcode", observed=True)[["points", "expected"]].sum()
    per_domain = _wide(rows, "domain", ["points", "expected"], list(DOMAINS))
    tracers = rows[rows["service"].isin(list(TRACERS.values()))]
    tracer_of = {code: tracer for tracer, code in TRACERS.items()}
    per_tracer = _wide(tracers.assign(service=tracers["service"].map(tracer_of)), "service", ["with", "expected"],
                       list(TRACERS))
    barriers = rows[in_scope].groupby(["adm2_pcode", "barrier"], observed=True).size().unstack("barrier")
    barriers = barriers.reindex(columns=list(BARRIERS)).add_prefix("barrier_")
    counts = pd.concat([_by_district(chosen_domain), per_domain, per_tracer, _by_district(barriers)], axis=1)
    return counts.reindex(columns=SERVICE_COUNTS)


def _wide(rows: pd.DataFrame, key: str, values: list[str], keys: list[str]) -> pd.DataFrame:
    """Sums per district and key as columns `<value>_<key>`, for every key listed."""
    sums = rows.groupby(["adm2_pcode", key], observed=True)[values].sum().unstack(key)
    sums = sums.reindex(columns=pd.MultiIndex.from_product([values, keys]))
    sums.columns = [f"{value}_{name}" for value, name in sums.columns]
    return _by_district(sums)


def _by_district(table: pd.DataFrame) -> pd.DataFrame:
    """A count table indexed by plain string p-codes (categorical group keys would not join)."""
    table.index = pd.Index(table.index.astype(str), name="adm2_pcode")
    return table.astype("float64")


def _province_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Counts summed per province; population and PiN only where every district has one; severity the maximum."""
    grouped = table.groupby(PROVINCE_COLUMNS, sort=True)
    totals = grouped[["area_km2"] + FACILITY_COUNTS + SERVICE_COUNTS].sum(min_count=1)
    for column in ("population", "pin"):
        complete = ~table[column].isna().groupby([table[c] for c in PROVINCE_COLUMNS]).any()
        totals[column] = grouped[column].sum().where(complete)
    totals["severity"] = grouped["severity"].max()
    return totals.reset_index()


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """A ratio that is missing, never 0 or infinite, where the denominator is 0 or missing."""
    denominator = denominator.astype("float64")
    return numerator.astype("float64") / denominator.where(denominator > 0)


def _indicators(counts: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The catalogue's indicators from population, needs and counts; one row per row of `counts`."""
    c = counts
    population = c["population"].astype("float64")
    out = c[names].copy()
    out["population"] = population
    out["population_density"] = _ratio(population, c["area_km2"])
    out["pin"], out["severity"] = c["pin"], c["severity"]
    out["facilities"], out["functional"] = c["facilities"], c["functional"]
    out["pct_fully_functional"] = 100 * _ratio(c["fully_functional"], c["facilities"])
    out["pct_damaged"] = 100 * _ratio(c["damaged"], c["building_reported"])
    out["pct_accessible"] = 100 * _ratio(c["accessible"], c["access_reported"])
    out["phc_per_10k"] = 10_000 * _ratio(c["functional_primary"], population)
    needed = np.ceil((population / 10_000 * standards.value("phc_per_10k")).round(9))
    out["phc_gap"] = (needed - c["functional_primary"]).clip(lower=0)
    out["hospitals_per_250k"] = 250_000 * _ratio(c["functional_hospitals"], population)
    out["pop_per_functional_facility"] = _ratio(population, c["functional"])
    out["availability_score"] = 100 * _ratio(c["points"], 3 * c["expected"])
    for domain in DOMAINS:
        out[f"availability_{domain}"] = 100 * _ratio(c[f"points_{domain}"], 3 * c[f"expected_{domain}"])
    for tracer in TRACERS:
        out[f"pct_with_{tracer}"] = 100 * _ratio(c[f"with_{tracer}"], c[f"expected_{tracer}"])
    out["top_barrier"] = _top_barrier(c[[f"barrier_{b}" for b in BARRIERS]])
    out["small_cell"] = ~(c["facilities"] >= standards.value("small_cell_facilities"))
    out = out.astype({"population": "Float64", **{column: "Int64" for column in WHOLE_NUMBERS}})
    return out[names + INDICATOR_COLUMNS]


def _top_barrier(mentions: pd.DataFrame) -> pd.Series:
    """The barrier given most often (ties: the first in data.schema.BARRIERS); missing where none is given."""
    mentions = mentions.fillna(0)
    top = pd.Series(np.asarray(BARRIERS, dtype=object)[mentions.to_numpy().argmax(axis=1)] if len(mentions) else [],
                    index=mentions.index, dtype="object")
    return top.where(mentions.max(axis=1) > 0)
