"""Facility and service indicators per district and per province, for a filter (DESIGN.md "Indicators").

Every indicator is derived from counts that add up (facilities, functional facilities, service points and
services expected, barrier mentions...), so a province's values come from its totals, never from an
average of its districts' percentages. Definitions are in analysis/catalogue.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

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
STATICS = ["area_km2", "population", "pin", "severity"]  # per district, whatever the filter
COUNTS = FACILITY_COUNTS + SERVICE_COUNTS
NUMERIC = [column for column in INDICATOR_COLUMNS if column not in ("top_barrier", "small_cell")]
WHOLE_NUMBERS = ["pin", "severity", "facilities", "functional", "phc_gap"]

AVAILABLE, PARTIAL = "available", "partial"
NOT_EXPECTED = ["not_normally_provided"]
UNAVAILABLE = ["partial", "not_available", "stopped"]  # services a barrier can explain


def facility_indicators(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """One row per district of the filter (also those without facilities or population), sorted by p-code."""
    base = facility_base(dataset)
    keep = filters.district_mask(dataset, chosen)[base.order]
    values = np.hstack([base.statics, _counts(dataset, chosen)])[keep]
    return _indicators(base.districts[keep].reset_index(drop=True), values)


def facility_groups(dataset: Dataset, chosen: Filter) -> pd.DataFrame:
    """Per district of the filter (facility_indicators' rows): how many counted facilities are primary, hospitals
    (secondary and tertiary) and of other types, expect at least one service of each domain (`domain_<id>`)
    and expect each tracer service (`tracer_<id>`). What the small-group rule of the public view reads
    (analysis.suppression.withhold_breakdowns)."""
    base = facility_base(dataset)
    names, flags = _group_flags(dataset)
    keep = filters.district_mask(dataset, chosen)[base.order]
    rows = np.flatnonzero(filters.facility_mask(dataset, chosen) & (base.district >= 0))
    counts = _group_sums(flags, range(len(names)), rows, base.district[rows], len(base.districts))[keep]
    return pd.DataFrame(counts, columns=names).astype("int64")


def _group_flags(dataset: Dataset) -> tuple[list[str], np.ndarray]:
    """facility_groups' columns and, per facility row, its 0/1 flags (column-major), kept with the dataset."""
    if "group_flags" not in dataset.derived:
        summary = facility_summary(dataset)
        tier = dataset.facilities["tier"].to_numpy(dtype=object)
        hospital = np.isin(tier, ["secondary", "tertiary"])
        primary = tier == "primary"
        columns = {"primary": primary, "hospitals": hospital, "others": ~(primary | hospital)}
        for name in DOMAINS:
            if f"expected_{name}" in summary:
                columns[f"domain_{name}"] = summary[f"expected_{name}"].to_numpy() > 0
        for name in TRACERS:
            columns[f"tracer_{name}"] = summary[f"expected_{name}"].to_numpy() > 0
        flags = np.asfortranarray(np.column_stack([np.asarray(v, dtype="int8") for v in columns.values()]))
        dataset.derived["group_flags"] = (list(columns), flags)
    return dataset.derived["group_flags"]


def province_indicators(dataset: Dataset, chosen: Filter, within: np.ndarray | None = None) -> pd.DataFrame:
    """The same indicators per province of the filter, from the province's totals.

    A filter keeps or leaves whole provinces, so a province's totals are the sums over all its districts;
    `within` (a boolean per district, in FacilityBase order) sums only those districts, area, population and
    needs included (the public's figures over the published districts: analysis/disclosure.py).
    """
    return _provinces(dataset, chosen, _counts(dataset, chosen), within)


def province_indicators_within(dataset: Dataset, chosen: Filter, within: list[np.ndarray]) -> list[pd.DataFrame]:
    """[province_indicators of every district, then of the districts of each mask of `within`], the counts
    summed once and every table's indicators computed in one pass (their rows stacked)."""
    counts = _counts(dataset, chosen)
    parts = [_province_values(dataset, chosen, counts, mask) for mask in [None, *within]]
    names = parts[0][0]
    stacked = _indicators(pd.concat([names] * len(parts), ignore_index=True), np.vstack([v for _, v in parts]))
    return [stacked.iloc[i * len(names):(i + 1) * len(names)].reset_index(drop=True) for i in range(len(parts))]


def _provinces(dataset: Dataset, chosen: Filter, counts: np.ndarray, within: np.ndarray | None) -> pd.DataFrame:
    return _indicators(*_province_values(dataset, chosen, counts, within))


def _province_values(dataset: Dataset, chosen: Filter, counts: np.ndarray, within: np.ndarray | None
                     ) -> tuple[pd.DataFrame, np.ndarray]:
    """(names, STATICS and COUNTS) of the filter's provinces, over the districts `within` when given."""
    base = facility_base(dataset)
    keep = np.zeros(len(base.provinces), dtype=bool)
    keep[base.province[filters.district_mask(dataset, chosen)[base.order][base.by_province]]] = True
    statics = base.province_statics
    members, province = base.by_province, base.province
    if within is not None:
        inside = within[members]
        members, province = members[inside], province[inside]
        statics = _statics_within(base.statics[members], province, len(base.provinces))
    if np.isnan(counts).any():  # no facility data: NaN stays in its province
        counts = _group_sums(counts, range(counts.shape[1]), members, province, len(base.provinces))
    else:  # one product for every column (the public sums several sets of districts: analysis/disclosure.py)
        member_of = np.zeros((len(base.provinces), len(members)))
        member_of[province, np.arange(len(members))] = 1
        counts = member_of @ counts[members]
    return base.provinces[keep].reset_index(drop=True), np.hstack([statics, counts])[keep]


def _statics_within(values: np.ndarray, province: np.ndarray, provinces: int) -> np.ndarray:
    """STATICS per province of some districts (`values`, their STATICS; `province`, theirs), as
    _province_totals adds them up: area summed where one is known, population and PiN where every district has
    one, severity the maximum; NaN for a province without a district here. On arrays: a few ms, not a groupby."""
    out = np.full((provinces, len(STATICS)), np.nan)
    present = np.bincount(province, minlength=provinces) > 0
    for i, name in enumerate(STATICS):
        column = values[:, i]
        known = ~np.isnan(column)
        sums = np.bincount(province, weights=np.where(known, column, 0), minlength=provinces)
        if name == "severity":
            top = np.full(provinces, -np.inf)
            np.fmax.at(top, province[known], column[known])
            out[:, i] = np.where(np.isfinite(top), top, np.nan)
        elif name == "area_km2":
            out[:, i] = np.where(np.bincount(province, weights=known, minlength=provinces) > 0, sums, np.nan)
        else:
            missing = np.bincount(province, weights=~known, minlength=provinces) > 0
            out[:, i] = np.where(present & ~missing, sums, np.nan)
    return out


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


@dataclass(frozen=True)
class FacilityBase:
    """What every filter of a dataset shares, by integer position (see facility_base)."""

    order: np.ndarray  # positions of dataset.districts sorted by p-code: district i below is row order[i]
    districts: pd.DataFrame  # NAME_COLUMNS and area_km2 of every district, sorted by p-code
    statics: np.ndarray  # per district: STATICS (float64, NaN where missing)
    provinces: pd.DataFrame  # PROVINCE_COLUMNS of every province, sorted
    province_statics: np.ndarray  # per province: STATICS totals (_province_totals)
    by_province: np.ndarray  # the districts that have a province
    province: np.ndarray  # the province of each of those districts
    district: np.ndarray  # per facility row: its district; -1 where it does not count (planned, unknown district)
    flags: np.ndarray  # per facility row: FACILITY_COUNTS (0/1, column-major)


def facility_base(dataset: Dataset) -> FacilityBase:
    """Districts, provinces, population, needs and facility flags of the dataset as integer-positioned arrays,
    kept with the dataset: a filter then only masks and sums arrays. Callers must not modify it."""
    if "facility_base" not in dataset.derived:
        dataset.derived["facility_base"] = _facility_base(dataset)
    return dataset.derived["facility_base"]


def _facility_base(dataset: Dataset) -> FacilityBase:
    order = filters.district_order(dataset)
    districts = dataset.districts[NAME_COLUMNS + ["area_km2"]].iloc[order].reset_index(drop=True)
    statics = _statics(dataset, districts)
    totals = _province_totals(pd.concat([districts[PROVINCE_COLUMNS], statics], axis=1))
    group = districts.groupby(PROVINCE_COLUMNS, sort=True).ngroup().to_numpy(dtype="float64", na_value=-1)
    by_province = np.flatnonzero(group >= 0)
    table = dataset.facilities
    district = _codes(table["adm2_pcode"], districts["adm2_pcode"].astype(str).tolist())
    district[table["status"].isin(["planned"]).to_numpy()] = -1  # planned facilities are not counted
    return FacilityBase(order=order, districts=districts, statics=statics.to_numpy(dtype="float64", na_value=np.nan),
                        provinces=totals[PROVINCE_COLUMNS], province_statics=totals[STATICS].to_numpy("float64"),
                        by_province=by_province, province=group[by_province].astype("int64"), district=district,
                        flags=_facility_flags(table))


def _statics(dataset: Dataset, districts: pd.DataFrame) -> pd.DataFrame:
    """Area, population and needs of each district given, in its order (missing where the dataset has none)."""
    index = pd.Index(districts["adm2_pcode"].astype(str), name="adm2_pcode")
    people = dataset.population.assign(adm2_pcode=dataset.population["adm2_pcode"].astype(str))
    table = pd.DataFrame({"area_km2": districts["area_km2"].astype("float64").to_numpy()}, index=index)
    table = table.join(people.set_index("adm2_pcode")[["population"]].astype("float64")).join(_needs(dataset.needs))
    return table[STATICS].reset_index(drop=True)


def _counts(dataset: Dataset, chosen: Filter) -> np.ndarray:
    """Every additive facility and service count (COUNTS) of every district, in FacilityBase order: 0 where the
    filter has no facility in the district, missing where the dataset has no facility data."""
    base = facility_base(dataset)
    if filters.round_of(dataset, chosen) is None:
        return np.full((len(base.districts), len(COUNTS)), np.nan)
    rows = np.flatnonzero(filters.facility_mask(dataset, chosen) & (base.district >= 0))
    district, districts = base.district[rows], len(base.districts)
    flags = _group_sums(base.flags, range(len(FACILITY_COUNTS)), rows, district, districts)
    return np.hstack([flags, _service_counts(dataset, chosen, rows, district)])


def _needs(needs: pd.DataFrame) -> pd.DataFrame:
    """People in need and severity per district: the intersectoral row where there is one, else sector maxima."""
    table = needs[["adm2_pcode", "sector", "pin", "severity"]].astype(
        {"adm2_pcode": str, "sector": str, "pin": "float64", "severity": "float64"})
    intersectoral = table["sector"].str.strip().str.lower() == "intersectoral"
    overall = table[intersectoral].groupby("adm2_pcode")[["pin", "severity"]].max()
    sectors = table[~intersectoral].groupby("adm2_pcode")[["pin", "severity"]].max()
    return pd.concat([overall, sectors[~sectors.index.isin(overall.index)]])


def _facility_flags(table: pd.DataFrame) -> np.ndarray:
    """FACILITY_COUNTS of each facility row, 0 or 1. A missing status counts as existing (planned facilities
    are left out by FacilityBase.district)."""
    operating = ~table["status"].isin(["closed"])
    functional = operating & table["functionality"].isin(["full", "partial"])  # unknown: no evidence it works
    flags = {
        "facilities": np.ones(len(table), dtype=bool),
        "functional": functional,
        "fully_functional": operating & table["functionality"].isin(["full"]),
        "damaged": table["building"].isin(["partially_damaged", "fully_damaged"]),
        "building_reported": table["building"].notna(),
        "accessible": table["accessibility"].isin(["full"]),
        "access_reported": table["accessibility"].notna(),
        "functional_primary": functional & table["tier"].isin(["primary"]),
        "functional_hospitals": functional & table["tier"].isin(["secondary", "tertiary"]),
    }
    return np.asfortranarray(np.column_stack([np.asarray(flags[name], dtype="int8") for name in FACILITY_COUNTS]))


def _service_counts(dataset: Dataset, chosen: Filter, rows: np.ndarray, district: np.ndarray) -> np.ndarray:
    """HeRAMS points and services expected (in the filter's domain, per domain, per tracer) and barriers per
    district (SERVICE_COUNTS): sums of the facility summary's `rows`, the same counts as the service rows give."""
    summary = facility_summary(dataset)
    domain = chosen.domain
    scoped = ({"points": f"points_{domain}", "expected": f"expected_{domain}",
               **{f"barrier_{barrier}": f"barrier_{barrier}_in_{domain}" for barrier in BARRIERS}} if domain else {})
    columns = summary.columns.get_indexer([scoped.get(column, column) for column in SERVICE_COUNTS])
    found = columns >= 0  # a domain no service belongs to has no column: nothing in scope, 0
    counts = np.zeros((len(facility_base(dataset).districts), len(SERVICE_COUNTS)))
    counts[:, found] = _group_sums(summary.to_numpy(), columns[found], rows, district, len(counts))
    return counts


def _group_sums(matrix: np.ndarray, columns: Iterable[int], rows: np.ndarray, group: np.ndarray,
                groups: int) -> np.ndarray:
    """Sums of matrix[rows, columns] per group 0..groups-1 (`group`: each row's), float64, 0 for a group without
    a row. A column at a time: a column of a column-major matrix is one contiguous read, and nothing is copied.
    Counts stay exact in float64 (below 2**53)."""
    columns = list(columns)
    sums = np.zeros((groups, len(columns)))
    for i, column in enumerate(columns):
        sums[:, i] = np.bincount(group, weights=matrix[:, column][rows], minlength=groups)
    return sums


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
    parts = [  # (columns, weights (None: the number of service rows), key): per facility row, a sum per key
        (["points"], points, every),
        (["expected"], expected, every),
        ([f"points_{name}" for name in domains], points, domain),
        ([f"expected_{name}" for name in domains], expected, domain),
        ([f"with_{name}" for name in TRACERS], available, tracer),
        ([f"expected_{name}" for name in TRACERS], expected, tracer),
        ([f"barrier_{name}" for name in BARRIERS], None, barrier),
        ([f"barrier_{name}_in_{scope}" for scope in domains for name in BARRIERS], None, barrier_in_domain),
    ]
    # One column-major int32 block: a filter's sums read whole columns of it, through a numpy view.
    sums = np.asfortranarray(np.hstack([_sums(facility, rows, weights, key, len(names))
                                        for names, weights, key in parts]))
    return pd.DataFrame(sums, index=facilities.index, columns=[name for names, _, _ in parts for name in names],
                        copy=False)


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


def _sums(facility: np.ndarray, rows: int, weights: np.ndarray | None, key: np.ndarray, keys: int) -> np.ndarray:
    """Per facility row, the sum of `weights` (or the number of service rows) for each of `keys` keys, int32;
    rows whose key is -1 are left out."""
    known = key >= 0
    sums = np.bincount(facility[known] * keys + key[known],
                       weights=None if weights is None else weights[known].astype("float64"),
                       minlength=rows * keys)
    return sums.reshape(rows, keys).astype("int32")


def _province_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Area, population and needs per province (counts are summed as they add up): area summed, population and
    PiN only where every district has one, severity the maximum."""
    grouped = table.groupby(PROVINCE_COLUMNS, sort=True)
    totals = grouped[["area_km2"]].sum(min_count=1)
    for column in ("population", "pin"):
        complete = ~table[column].isna().groupby([table[c] for c in PROVINCE_COLUMNS]).any()
        totals[column] = grouped[column].sum().where(complete)
    totals["severity"] = grouped["severity"].max()
    return totals.reset_index()


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """A ratio that is missing, never 0 or infinite, where the denominator is 0 or missing."""
    with np.errstate(invalid="ignore"):
        return numerator / np.where(denominator > 0, denominator, np.nan)


def _indicators(names: pd.DataFrame, values: np.ndarray) -> pd.DataFrame:
    """The catalogue's indicators from area, population, needs and counts (`values`: STATICS and COUNTS
    columns, float64), next to `names`, one row per row."""
    c = dict(zip(STATICS + COUNTS, values.T))
    population = c["population"]
    out = {column: names[column].array for column in names.columns}
    out["population"] = population
    out["population_density"] = _ratio(population, c["area_km2"])
    out["pin"], out["severity"] = c["pin"], c["severity"]
    out["facilities"], out["functional"] = c["facilities"], c["functional"]
    out["pct_fully_functional"] = 100 * _ratio(c["fully_functional"], c["facilities"])
    out["pct_damaged"] = 100 * _ratio(c["damaged"], c["building_reported"])
    out["pct_accessible"] = 100 * _ratio(c["accessible"], c["access_reported"])
    out["phc_per_10k"] = 10_000 * _ratio(c["functional_primary"], population)
    needed = np.ceil(np.round(population / 10_000 * standards.value("phc_per_10k"), 9))
    out["phc_gap"] = np.maximum(needed - c["functional_primary"], 0)
    out["hospitals_per_250k"] = 250_000 * _ratio(c["functional_hospitals"], population)
    out["pop_per_functional_facility"] = _ratio(population, c["functional"])
    out["availability_score"] = 100 * _ratio(c["points"], 3 * c["expected"])
    for domain in DOMAINS:
        out[f"availability_{domain}"] = 100 * _ratio(c[f"points_{domain}"], 3 * c[f"expected_{domain}"])
    for tracer in TRACERS:
        out[f"pct_with_{tracer}"] = 100 * _ratio(c[f"with_{tracer}"], c[f"expected_{tracer}"])
    out["top_barrier"] = pd.Series(_top_barrier(np.column_stack([c[f"barrier_{b}"] for b in BARRIERS])),
                                   index=names.index, dtype="object")
    out["small_cell"] = ~(c["facilities"] >= standards.value("small_cell_facilities"))
    out["population"] = pd.array(out["population"], dtype="Float64")
    for column in WHOLE_NUMBERS:
        out[column] = pd.array(out[column], dtype="Int64")
    return pd.DataFrame({column: out[column] for column in [*names.columns, *INDICATOR_COLUMNS]}, index=names.index)


def _top_barrier(mentions: np.ndarray) -> np.ndarray:
    """The barrier given most often (ties: the first in data.schema.BARRIERS); missing where none is given."""
    mentions = np.nan_to_num(mentions, nan=0)
    top = np.asarray(BARRIERS, dtype=object)[mentions.argmax(axis=1)] if len(mentions) else np.empty(0, dtype=object)
    return np.where(mentions.max(axis=1, initial=0) > 0, top, np.nan)
