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
    """HeRAMS points and services expected (in the filter's domain, per domain, per tracer) and barriers.

    Sums the chosen facilities' rows of the facility summary: the same counts as the service rows give.
    """
    table = filters.facilities(dataset, chosen)
    table = table[~table["status"].isin(["planned"])]
    if dataset.facilities.index.is_unique:
        summary = facility_summary(dataset).loc[table.index]
    else:  # rows cannot be told apart by label: count the chosen facilities afresh
        summary = _summary(table, dataset)
    domain = chosen.domain
    scoped = ({"points": f"points_{domain}", "expected": f"expected_{domain}",
               **{f"barrier_{barrier}": f"barrier_{barrier}_in_{domain}" for barrier in BARRIERS}} if domain else {})
    # A domain no service belongs to has no column: nothing in scope, 0.
    counts = summary.reindex(columns=[scoped.get(column, column) for column in SERVICE_COUNTS], fill_value=0)
    counts.columns = SERVICE_COUNTS
    return _by_district(counts.groupby(table["adm2_pcode"], observed=True).sum())


def facility_summary(dataset: Dataset) -> pd.DataFrame:
    """The service counts of every facility row (same index as dataset.facilities), kept with the dataset.

    A filter change then sums some thousand facility rows instead of merging a million service rows.
    Columns: points and expected over all services (`points`, `expected`) and per domain (`points_<domain>`,
    `expected_<domain>`), `with_<tracer>` and `expected_<tracer>`, barrier mentions over all services
    (`barrier_<barrier>`) and per domain (`barrier_<barrier>_in_<domain>`). Callers must not modify it.
    """
    if "facility_summary" not in dataset.derived:
        dataset.derived["facility_summary"] = _summary(dataset.facilities, dataset)
    return dataset.derived["facility_summary"]


def _summary(facilities: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """The service counts of each row of `facilities`, from its service rows (as filters.services pairs them)."""
    services, catalogue = dataset.services, dataset.service_catalogue
    domains = list(dict.fromkeys([*DOMAINS, *catalogue["domain"].dropna().astype(str)]))
    service_row, facility = _pairs(services, facilities)
    status = services["status"]
    domain = _codes(services["service"], domains, dict(zip(catalogue["service"].astype(str), catalogue["domain"])))
    tracer = _codes(services["service"], list(TRACERS), {code: tracer for tracer, code in TRACERS.items()})
    barrier = np.where(status.isin(UNAVAILABLE), _codes(services["barrier_1"], list(BARRIERS)), -1)
    points = np.where(status == AVAILABLE, 3, np.where(status == PARTIAL, 1, 0))[service_row]
    expected = (~status.isin(NOT_EXPECTED)).to_numpy()[service_row]
    available = status.isin([AVAILABLE, PARTIAL]).to_numpy()[service_row]
    domain, tracer, barrier = domain[service_row], tracer[service_row], barrier[service_row]
    every = np.zeros(len(service_row), dtype="int64")
    barrier_in_domain = np.where((domain >= 0) & (barrier >= 0), domain * len(BARRIERS) + barrier, -1)
    rows = len(facilities)
    parts = [
        _sums(facility, rows, points, every, ["points"]),
        _sums(facility, rows, expected, every, ["expected"]),
        _sums(facility, rows, points, domain, [f"points_{name}" for name in domains]),
        _sums(facility, rows, expected, domain, [f"expected_{name}" for name in domains]),
        _sums(facility, rows, available, tracer, [f"with_{name}" for name in TRACERS]),
        _sums(facility, rows, expected, tracer, [f"expected_{name}" for name in TRACERS]),
        _sums(facility, rows, None, barrier, [f"barrier_{name}" for name in BARRIERS]),
        _sums(facility, rows, None, barrier_in_domain,
              [f"barrier_{name}_in_{scope}" for scope in domains for name in BARRIERS]),
    ]
    return pd.concat(parts, axis=1).set_axis(facilities.index)


def _pairs(services: pd.DataFrame, facilities: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(service row, facility row) positions of the service rows of each facility row, matched on round and
    facility_id; merges integer codes, not a million strings."""
    keys = ["round", "facility_id"]
    left, right = {}, {}
    for key in keys:
        values = pd.Categorical(services[key])
        left[key], right[key] = values.codes, values.categories.get_indexer(facilities[key])
    left = pd.DataFrame(left).assign(service_row=np.arange(len(services)))
    right = pd.DataFrame(right).assign(facility_row=np.arange(len(facilities)))
    pairs = left.merge(right[(right[keys] >= 0).all(axis=1)], on=keys)
    return pairs["service_row"].to_numpy(), pairs["facility_row"].to_numpy()


def _codes(values: pd.Series, keys: list[str], mapping: dict | None = None) -> np.ndarray:
    """Per row, the position in `keys` of the value (mapped through `mapping` first); -1 where it has none.
    Works on the categories, so a million categorical rows cost one look-up per category."""
    values = pd.Categorical(values)
    labels = values.categories if mapping is None else values.categories.map(mapping)
    lookup = np.append(pd.Index(keys).get_indexer(labels), -1)  # a missing value (code -1) takes the last: -1
    return lookup[values.codes]


def _sums(facility: np.ndarray, rows: int, weights: np.ndarray | None, key: np.ndarray,
          names: list[str]) -> pd.DataFrame:
    """Per facility row, the sum of `weights` (or the number of service rows) for each key, as columns `names`;
    rows whose key is -1 are left out."""
    known = key >= 0
    sums = np.bincount(facility[known] * len(names) + key[known],
                       weights=None if weights is None else weights[known].astype("float64"),
                       minlength=rows * len(names))
    return pd.DataFrame(sums.reshape(rows, len(names)).astype("int32"), columns=names)


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
