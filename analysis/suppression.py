"""Small-cell suppression for the public view: an indicator of a district built from fewer than
`small_cell_facilities` facilities is withheld, and marked so ("suppressed"), never shown as 0.

Complementary suppression: a province total is public, so a province with one withheld district would give
it away (the total minus the districts shown). In each province the withheld districts together must hold
at least the threshold of facilities and be at least two; the next smallest districts are withheld until
they are (the way statistical offices protect small cells).

Which indicators are built from facility answers is the catalogue's `facility_based`; the threshold is in
analysis/standards.csv. Every page reads the rule, its words and its flag from here.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis import standards
from analysis.catalogue import INDICATORS

SUPPRESSED = "suppressed"  # the flag column, and the word a page shows in place of the value
WITHHELD = "withheld"  # the public's indicators withheld in a published district (a small group within it)
FACILITY_BASED = [i.id for i in INDICATORS.values() if i.facility_based]
_BLANKED = frozenset(FACILITY_BASED)


def threshold() -> float:
    """The least number of facilities a public figure may be built from."""
    return standards.value("small_cell_facilities")


def label() -> str:
    """What a legend, a band or a reason says for a withheld value: "suppressed (small numbers)"."""
    return f"{SUPPRESSED} (small numbers)"


def export_note() -> str:
    """The header line of a public export whose table has the `suppressed` column."""
    return (f"facility-based values of districts with fewer than {threshold():g} facilities are withheld, with "
            f"the next smallest district of the province where one alone would be given away by the province "
            f"total (column {SUPPRESSED})")


def complementary(table: pd.DataFrame, primary: pd.Series) -> pd.Series:
    """`primary` plus, per province, the districts with the fewest facilities needed so that the withheld
    districts of a province are none, or at least two holding at least the threshold of facilities together.

    The candidates of a province (not withheld, with facilities) are taken in order of facilities, p-code,
    then row until the province is safe; all of them when it never is (the province figure itself is small).
    Computed on arrays, one sort for all provinces: a district with no province is never complemented."""
    hidden = primary.to_numpy(dtype=bool, copy=True)
    groups = table["adm1_pcode"].astype(str) if "adm1_pcode" in table else pd.Series("", index=table.index)
    province = pd.factorize(groups)[0]  # -1: no province
    facilities = table["facilities"].fillna(0).to_numpy(dtype=float)
    withheld = hidden & (province >= 0)
    size = province.max(initial=-1) + 1
    count = np.bincount(province[withheld], minlength=size)
    total = np.bincount(province[withheld], weights=facilities[withheld], minlength=size)
    unsafe = (count > 0) & ((count < 2) | (total < threshold()))
    candidates = np.flatnonzero(~hidden & (facilities > 0) & (province >= 0))
    candidates = candidates[unsafe[province[candidates]]]
    if len(candidates):
        codes = pd.factorize(table["adm2_pcode"].astype(str).to_numpy()[candidates], sort=True)[0]
        codes[codes < 0] = codes.max() + 1  # a missing p-code sorts last
        candidates = candidates[np.lexsort((candidates, codes, facilities[candidates], province[candidates]))]
        hidden[_taken(candidates, province[candidates], facilities[candidates], count, total)] = True
    return pd.Series(hidden, index=primary.index)


def _taken(candidates: np.ndarray, province: np.ndarray, facilities: np.ndarray, count: np.ndarray,
           total: np.ndarray) -> np.ndarray:
    """The candidates (sorted by province, then in the order they are taken) withheld: each one taken while its
    province is not yet safe, counting the withheld districts and the candidates taken before it."""
    start = np.flatnonzero(np.r_[True, province[1:] != province[:-1]])  # each province's first candidate
    lengths = np.diff(np.r_[start, len(candidates)])
    before = np.arange(len(candidates)) - np.repeat(start, lengths)  # candidates of the province before it
    facilities_before = np.cumsum(facilities) - facilities
    facilities_before -= np.repeat(facilities_before[start], lengths)
    safe = (count[province] + before >= 2) & (total[province] + facilities_before >= threshold())
    return candidates[~safe]


def too_few(facilities: float | None) -> bool:
    """A figure built from 1 to threshold - 1 facilities: withheld from the public (0 facilities is "no data")."""
    return facilities is not None and not pd.isna(facilities) and 0 < facilities < threshold()


def suppress(table: pd.DataFrame, flag: str = "small_cell") -> pd.DataFrame:
    """A copy with every facility-based column blanked on the rows where `flag` is true (and on their
    complementary districts), and a boolean `suppressed` column saying which rows were. Rows without a facility
    (0 facilities) have no value anyway and are not marked: "no data" is not "suppressed"."""
    flagged = (table[flag].to_numpy(dtype=bool, na_value=False, copy=True) if flag in table
               else np.zeros(len(table), dtype=bool))
    if "facilities" in table:
        flagged = flagged & (table["facilities"].to_numpy(dtype=float, na_value=0) > 0)
    primary = pd.Series(flagged, index=table.index)
    hidden = complementary(table, primary).to_numpy() if flagged.any() else flagged
    blanked = np.array([column in _BLANKED for column in table.columns], dtype=bool)
    # One mask over the whole table, block by block: the columns not built from facilities are left as they are.
    out = table.mask(hidden[:, None] & blanked) if hidden.any() and blanked.any() else table.copy()
    out[SUPPRESSED] = hidden
    return out


def suppress_rows(table: pd.DataFrame, hidden: pd.Series | Iterable[bool], columns: Iterable[str]) -> pd.DataFrame:
    """A copy with `columns` blanked where `hidden` is true, and the `suppressed` flag: for tables that are
    not the district table (a district x service grid, two rounds' change) whose rows the district table's
    flags decide."""
    out = table.copy()
    mask = pd.Series(list(hidden), index=out.index, dtype="boolean").fillna(False).astype(bool)
    for column in columns:
        out[column] = out[column].mask(mask)
    out[SUPPRESSED] = mask.to_numpy()
    return out


def flags(table: pd.DataFrame, indicator: str | None = None) -> pd.Series:
    """The `suppressed` flag of a table as plain booleans (all False where the table has none: a coordinator's);
    with an indicator, also where that indicator alone is withheld (`withheld`, see withhold_breakdowns)."""
    if SUPPRESSED not in table:
        hidden = pd.Series(False, index=table.index)
    else:
        hidden = table[SUPPRESSED].astype("boolean").fillna(False).astype(bool)
    if indicator is None or WITHHELD not in table:
        return hidden
    return hidden | pd.Series(withheld_masks(table).get(indicator, False), index=table.index)


def withheld_masks(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per indicator withheld alone somewhere in `table` (column `withheld`), on which rows: read once a table."""
    masks: dict[str, np.ndarray] = {}
    if WITHHELD not in table:
        return masks
    for row, names in enumerate(table[WITHHELD].fillna("").tolist()):
        for name in filter(None, names.split(";")):
            masks.setdefault(name, np.zeros(len(table), dtype=bool))[row] = True
    return masks


def _small(counts: np.ndarray) -> np.ndarray:
    """A group of 1 to threshold - 1 facilities (none is no group)."""
    return (counts > 0) & (counts < threshold())


def withhold_breakdowns(table: pd.DataFrame, groups: pd.DataFrame, domain: str | None) -> pd.DataFrame:
    """The public district table with the figures about a small group inside a published district withheld.

    A district of 20 facilities with one hospital publishes its functional facilities, but "hospitals per
    250,000" of it would tell whether that hospital works. So, in each published district: a figure by facility
    type (primary facilities per 10,000 and their shortfall; hospitals per 250,000) is withheld where the type,
    or the district's other facilities (its functional facilities minus the type's are shown too), are a small
    group, and hospitals' also where both are shown and the remaining types are a small group; the scores by
    service domain are withheld unless each domain offered
    is expected by at least the threshold of facilities (they add up to the district's score); a tracer's share
    is withheld where 1 to threshold - 1 facilities are expected to offer it. `groups` (facility_groups, the same rows)
    holds those counts. Withheld indicators are blanked and named in the column `withheld` (";"-joined)."""
    published = ~flags(table).to_numpy()
    primary, hospitals, others = (groups[c].to_numpy() for c in ("primary", "hospitals", "others"))
    # The district's functional facilities are shown: a type's figure also tells the rest (functional minus it),
    # so it is shown when neither it nor the rest is a small group; both types only if the others are not.
    primary_ok = ~_small(primary) & ~_small(hospitals + others)
    hospitals_ok = ~_small(hospitals) & ~_small(primary + others) & ~(primary_ok & _small(others))
    rules = {("phc_per_10k", "phc_gap"): ~primary_ok, ("hospitals_per_250k",): ~hospitals_ok}
    small = lambda column: _small(groups[column].to_numpy())  # noqa: E731
    domains = [c for c in groups.columns if c.startswith("domain_")]
    by_domain = np.logical_or.reduce([small(c) for c in domains]) if domains else np.zeros(len(table), dtype=bool)
    domain_figures = tuple(f"availability_{c.removeprefix('domain_')}" for c in domains)
    rules[domain_figures + (("availability_score", "top_barrier") if domain else ())] = by_domain
    for column in (c for c in groups.columns if c.startswith("tracer_")):
        rules[(f"pct_with_{column.removeprefix('tracer_')}",)] = small(column)
    names = np.full(len(table), "", dtype=object)
    blanked: dict[str, np.ndarray] = {}
    for indicators, hidden in rules.items():
        hidden = hidden & published
        if not hidden.any():
            continue
        blanked.update({indicator: hidden for indicator in indicators if indicator in table})
        names[hidden] = [f"{n};{';'.join(indicators)}".lstrip(";") for n in names[hidden]]
    columns = list(blanked)
    out = table.copy() if not columns else table.assign(
        **dict(table[columns].mask(np.column_stack([blanked[c] for c in columns])).items()))  # one mask for all
    out[WITHHELD] = names
    return out


def flagged(table: pd.DataFrame) -> set[str]:
    """The p-codes of the suppressed districts of a district table."""
    return set(table.loc[flags(table), "adm2_pcode"].astype(str))
