"""The disclosure audit: plays a determined public user over the whole public query space, before publishing.

It asks what the public can ask (every round; each facility type, ownership and service domain alone and its
complement; each province alone, all but it, pairs of provinces; every table the public can download; every
pair of rounds of the change page) through the same public functions the pages use (analysis/disclosure.py),
and writes each answer as observations: which facilities a figure covers, as the answer says (its filter, its
districts; a summary over the published districts of its provinces), and whether it is published or withheld.
Then, per round, it checks three things:

- every published figure covers at least the threshold of facilities (analysis.suppression.threshold, the
  small-cell rule itself);
- every published figure equals the true figure of what it says it covers (computed apart from the public
  path): an answer that quietly includes a withheld district is caught here;
- no withheld figure is determined by the published ones: the facilities a withheld figure covers are a
  vector over the smallest groups the answers can tell apart (district x type x ownership where the public
  may split by them, else districts); a withheld vector in the span of the published vectors is worked out
  exactly by sums and differences of public answers, and is reported with the answers that give it away.

Facility counts are public, so groups without a facility are known to be empty and left out.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any, SupportsFloat

import numpy as np
import pandas as pd

from analysis import disclosure, filters, standards
from analysis.catalogue import DOMAINS, TRACERS
from analysis.districts import district_table
from analysis.filters import Filter
from analysis.headlines import headlines
from analysis.indicators import facility_base, facility_groups
from analysis.priority import default_method, rank
from analysis.services import barrier_counts, domain_availability, domain_names, service_answers
from analysis.suppression import flags
from data import schema
from data.dataset import Dataset
from data.schema import OWNERSHIP, TIERS

PAIRED_PROVINCES = 10  # pairs of provinces asked: all pairs among this many of the smallest (by facilities)
TOLERANCE = 1e-6  # relative: a figure equal to its truth, a withheld vector in the published span
CHECKED = ["facilities", "functional", "pct_fully_functional", "pct_damaged", "pct_accessible", "phc_per_10k",
           "hospitals_per_250k", "availability_score", *(f"availability_{d}" for d in DOMAINS),
           *(f"pct_with_{t}" for t in TRACERS)]


@dataclass(frozen=True)
class Scope:
    """The facilities a figure covers, as its answer says: a round, districts, facility types, ownership
    (an empty tuple: all)."""

    round: str
    districts: frozenset[str]
    tiers: tuple[str, ...] = ()
    ownership: tuple[str, ...] = ()


@dataclass(frozen=True)
class Observation:
    view: str  # the public question, in words: what the report names
    scope: Scope
    published: bool


@dataclass
class Finding:
    kind: str  # "small" (published from too few), "mismatch" (not what it says), "recoverable" (worked out)
    round: str
    what: str
    views: list[str] = field(default_factory=list)

    def line(self) -> str:
        given = f"; given away by: {' | '.join(self.views)}" if self.views else ""
        return f"[{self.kind}] round {self.round}: {self.what}{given}"


@dataclass
class Report:
    rounds: list[str]
    questions: int = 0
    observations: int = 0
    withheld: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def safe(self) -> bool:
        return not self.findings

    def lines(self) -> list[str]:
        head = (f"disclosure audit: rounds {', '.join(self.rounds) or 'none'}; {self.questions:,} public questions, "
                f"{self.observations:,} figures, {self.withheld:,} withheld")
        if self.safe:
            return [head, "nothing recoverable: no withheld figure can be worked out from public answers"]
        return [head, f"{len(self.findings)} problem(s):", *(finding.line() for finding in self.findings)]


SAFE, UNSAFE, MISSING = "safe", "unsafe", "not audited"


def write_record(dataset: Dataset, report: Report) -> Path:
    """The verdict, kept in the dataset folder (owner-only) for the build it audited: the app opens the public
    view only on a safe verdict of the build it serves."""
    path = Path(dataset.path) / schema.AUDIT
    record = {"safe": report.safe, "built_at": dataset.manifest.get("built_at"), "rounds": report.rounds,
              "audited_at": datetime.now(UTC).isoformat(timespec="seconds"), "report": report.lines()}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.chmod(temporary, 0o600)
    temporary.replace(path)
    return path


def verdict(dataset: Dataset) -> tuple[str, list[str]]:
    """(SAFE, UNSAFE or MISSING, the report's lines) of the dataset's current build. A verdict of another build
    (the dataset was built again since) or of fewer rounds than it has counts as missing."""
    path = Path(dataset.path) / schema.AUDIT
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return MISSING, []
    rounds = set(dataset.rounds["round"].astype(str))
    if record.get("built_at") != dataset.manifest.get("built_at") or not rounds <= set(record.get("rounds", [])):
        return MISSING, []
    return (SAFE if record.get("safe") is True else UNSAFE), list(record.get("report", []))


def audit(dataset: Dataset, rounds: Iterable[str] | None = None, paired: int = PAIRED_PROVINCES) -> Report:
    """The audit of a dataset's public view over `rounds` (default: all)."""
    chosen_rounds = list(rounds) if rounds else dataset.rounds["round"].astype(str).tolist()
    report = Report(chosen_rounds)
    for name in chosen_rounds:
        attacker = _Attacker(dataset, name, paired)
        report.questions += attacker.ask_everything()
        report.observations += len(attacker.observations)
        report.withheld += sum(not o.published for o in attacker.observations)
        report.findings += attacker.findings + attacker.solve()
    report.findings += _change_findings(dataset, chosen_rounds)
    return report


class _Attacker:
    """One round's questions, answers and the linear algebra over them."""

    def __init__(self, dataset: Dataset, round_name: str, paired: int) -> None:
        self.dataset, self.round, self.paired = dataset, round_name, paired
        self.observations: list[Observation] = []
        self.findings: list[Finding] = []
        self._truth: dict[Filter, pd.DataFrame] = {}
        self._answers: dict[Filter, pd.DataFrame] = {}
        self._public: dict[Filter, pd.DataFrame] = {}
        self._tables: dict[Filter, pd.DataFrame] = {}
        base = Filter(round=round_name)
        self.provinces = dataset.provinces["adm1_pcode"].astype(str).tolist()
        self.by_province = _districts_by_province(dataset)
        self.sizes = district_table(dataset, base).groupby("adm1_pcode", observed=True)["facilities"].sum()

    # The questions.
    def questions(self) -> Iterator[Filter]:
        """Every filter the audit asks: whole country, each filter value alone and its complement, provinces
        alone, all but one, and pairs of the smallest."""
        base = Filter(round=self.round)
        yield base
        for name, values in (("tiers", TIERS), ("ownership", OWNERSHIP)):
            for value in values:
                alone: dict[str, Any] = {name: (value,)}  # Filter fields named at run time
                others: dict[str, Any] = {name: tuple(v for v in values if v != value)}
                yield replace(base, **alone)
                yield replace(base, **others)
        for domain in domain_names(self.dataset):
            yield replace(base, domain=domain)
        for province in self.provinces:
            yield replace(base, admin1=(province,))
            yield replace(base, admin1=tuple(p for p in self.provinces if p != province))
        smallest = [p for p in self.sizes.sort_values(kind="stable").index.astype(str) if p in self.provinces]
        for pair in combinations(smallest[: self.paired], 2):
            yield replace(base, admin1=pair)

    def ask_everything(self) -> int:
        asked = 0
        for chosen in self.questions():
            self.ask(chosen)
            asked += 1
        return asked

    def ask(self, chosen: Filter) -> None:
        """Every public answer of one filter: its district table (the map, the table, the priorities' inputs),
        headlines, the services summaries and the province rows (tracer chart, district profiles)."""
        stated = disclosure.public_filter(chosen)  # what the answers say they cover (their files' headers)
        words = _words(chosen, self.provinces)
        if stated not in self._tables:  # one answer per filter the public may ask: asked again, it is the same
            self._tables[stated] = disclosure.public_districts(self.dataset, chosen)
            self._types(self._tables[stated], stated, words)
            self._small_groups(chosen, self._tables[stated], words)
        table = self._tables[stated]
        self._district_rows(table, stated, words)
        published = set(disclosure.published_districts(table)) & self._with_facilities(table)
        services = set(disclosure.published_districts(table, *disclosure.DOMAIN_FIGURES)) & published
        selection = frozenset(table["adm2_pcode"].astype(str))
        shown = headlines(self.dataset, chosen, table)
        if shown["pct_functional"] is not None:
            self._aggregate(f"headline % functional of {words}", stated, frozenset(published), {
                "functional": shown["pct_functional"] * (shown["facilities"] - shown["functional_withheld"]) / 100})
        # The services tables of every filter are observed; their sums are checked where they are worked out
        # apart (the country's filters and each province; unions of provinces only name what they cover).
        self._services(chosen, stated, table, frozenset(services), selection, words, check=len(chosen.admin1) <= 1)
        if not chosen.admin1 and not chosen.domain:
            self._provinces(chosen, stated, table, words)
            self._priorities(table, published, words)

    # The answers, as observations, each checked against the truth of what it says it covers.
    def _district_rows(self, table: pd.DataFrame, stated: Filter, words: str) -> None:
        """Each district's row: a cell of its own; its published figures against the true ones."""
        codes = table["adm2_pcode"].astype(str).to_numpy()
        truth = self.truth(stated).set_index(self.truth(stated)["adm2_pcode"].astype(str)).reindex(codes)
        columns = [c for c in CHECKED if c in table]
        shown = table[columns].to_numpy(dtype=float, na_value=np.nan)
        expected = truth[columns].to_numpy(dtype=float, na_value=np.nan)
        hidden = flags(table).to_numpy()
        wrong = ~np.isnan(shown) & ~np.isclose(shown, expected, rtol=TOLERANCE, atol=TOLERANCE)
        wrong[hidden] = False
        for code, withheld, bad in zip(codes, hidden, wrong):
            observation = Observation(f"district {code} in the district table of {words}",
                                      self.scope(stated, frozenset([code])), not withheld)
            self.observations.append(observation)
            if bad.any():
                names = ", ".join(c for c, b in zip(columns, bad) if b)
                self.findings.append(Finding("mismatch", self.round, f"{observation.view}: {names} not the true "
                                             "figure of what it says it covers", [observation.view]))

    def _types(self, table: pd.DataFrame, stated: Filter, words: str) -> None:
        """The figures by facility type of each district (primary per 10,000 and its shortfall: the functional
        primary facilities; hospitals per 250,000: the functional hospitals), each a group of its own."""
        codes = table["adm2_pcode"].astype(str).to_numpy()
        counted = table["facilities"].fillna(0).to_numpy() > 0
        for column, tiers in (("phc_per_10k", ("primary",)), ("hospitals_per_250k", ("secondary", "tertiary"))):
            hidden = flags(table, column).to_numpy()
            for code, withheld, has in zip(codes, hidden, counted):
                if has:
                    scope = Scope(self.round, frozenset([code]), tiers, stated.ownership)
                    self.observations.append(Observation(f"{column} of district {code} in {words}", scope,
                                                         not withheld))

    def _small_groups(self, chosen: Filter, table: pd.DataFrame, words: str) -> None:
        """A tracer's share, or a domain's score, of fewer facilities expecting it than the threshold
        (analysis.suppression.threshold), published: a small group. The domains of a district add up to its
        score: all published from at least the threshold of facilities, or none."""
        groups = facility_groups(self.dataset, disclosure.public_filter(chosen)).set_index(table["adm2_pcode"])
        small = lambda counts: (counts > 0) & (counts < standards.value("small_cell_facilities"))  # noqa: E731
        tracers = [c.removeprefix("tracer_") for c in groups.columns if c.startswith("tracer_")]
        domains = [c for c in groups.columns if c.startswith("domain_")]
        any_small_domain = np.logical_or.reduce([small(groups[c].to_numpy()) for c in domains])
        for row, code in enumerate(groups.index.astype(str)):
            shown = [t for t in tracers if pd.notna(table[f"pct_with_{t}"].iloc[row])
                     and small(groups[f"tracer_{t}"].iloc[row])]
            domain_shown = any(pd.notna(table[f"availability_{d.removeprefix('domain_')}"].iloc[row]) for d in domains)
            for name in shown + (["service domains"] if domain_shown and any_small_domain[row] else []):
                self.findings.append(Finding("small", self.round, f"{name} of district {code} in {words} is "
                                             "published from 1 or 2 facilities", [f"district table of {words}"]))

    def _aggregate(self, what: str, stated: Filter, districts: frozenset[str], figures: dict[str, float]) -> None:
        """A summary over `districts` (the published districts of its selection): its additive figures against
        the sums of the true district figures."""
        truth = self.truth(stated)
        rows = truth[truth["adm2_pcode"].astype(str).isin(districts)]
        expected = {name: float(rows[name].fillna(0).sum()) for name in figures}
        self._observe(Observation(what, self.scope(stated, districts), True), pd.Series(figures), pd.Series(expected))

    def _services(self, chosen: Filter, stated: Filter, table: pd.DataFrame, published: frozenset[str],
                  selection: frozenset[str], words: str, check: bool) -> None:
        """The services-by-domain and barrier tables of the filter, against the same tables made from every
        answer of the districts they say they cover."""
        withheld = (selection & self._with_facilities(table)) - published
        if withheld and not published:  # the page says "suppressed" for the whole filter
            self.observations.append(Observation(f"services of {words} (suppressed)",
                                                 self.scope(stated, frozenset(withheld)), False))
        if not check:
            self.observations.append(Observation(f"services tables of {words}", self.scope(stated, published), True))
            return
        key = replace(stated, domain=None)  # the answers do not depend on the domain: the tables do
        if key not in self._public:
            self._public[key] = disclosure.public_service_answers(self.dataset, chosen, table)
        answers = self._public[key]
        everything = self.answers(stated)
        truth = everything[everything["adm2_pcode"].isin(published)]
        names = domain_names(self.dataset)
        pairs = ((domain_availability(answers, names, chosen.domain), domain_availability(truth, names, chosen.domain),
                  "domain", ["service_answers", "available", "partial", "not_available", "not_normally_provided"]),
                 (barrier_counts(answers, chosen.domain), barrier_counts(truth, chosen.domain), "barrier",
                  ["service_answers"]))
        for shown, expected, kind, columns in pairs:
            if not len(shown) and not len(expected):
                continue
            shown, expected = shown.set_index(kind)[columns], expected.set_index(kind)[columns]
            same = shown.shape == expected.shape and np.allclose(
                shown.to_numpy(float), expected.reindex(shown.index).to_numpy(float), equal_nan=True)
            observation = Observation(f"{kind} table of {words}", self.scope(stated, published), True)
            self.observations.append(observation)
            if not same:
                self.findings.append(Finding("mismatch", self.round, f"the {kind} table of {words} is not the sum of "
                                             "the published districts it says it covers", [observation.view]))

    def _priorities(self, table: pd.DataFrame, published: set[str], words: str) -> None:
        """The priority list ranks only districts whose every input is published (the others are listed apart)."""
        ranked, _ = rank(table, default_method())
        unpublished = sorted(set(ranked["adm2_pcode"].astype(str)) - published - self._without_facilities(table))
        if unpublished:
            self.findings.append(Finding("recoverable", self.round, f"the priority ranking of {words} ranks withheld "
                                         f"districts: {', '.join(unpublished[:10])}", [f"priorities of {words}"]))

    def _provinces(self, chosen: Filter, stated: Filter, table: pd.DataFrame, words: str) -> None:
        """The province rows (the tracer chart by province, each district profile's province column)."""
        rows = disclosure.published_provinces(self.dataset, chosen, table)
        shown = disclosure.published_districts(table) & self._with_facilities(table)
        for row in rows.itertuples(index=False):
            members = frozenset(self.by_province.get(str(row.adm1_pcode), ()))
            inside = members & shown
            what = f"province {row.adm1_pcode} row of {words}"
            if bool(row.suppressed):
                self.observations.append(Observation(what, self.scope(stated, members & self._with_facilities(table)),
                                                     False))
                continue
            figures = {"functional": row.functional}
            if pd.isna(row.functional):
                continue
            self._aggregate(what, stated, frozenset(inside), figures)

    def _observe(self, observation: Observation, shown: pd.Series, truth: pd.Series) -> None:
        self.observations.append(observation)
        if not observation.published:
            return
        columns = [c for c in shown.index if c in truth.index and (c in CHECKED or c == "functional")]
        wrong = [c for c in columns if not _same(shown[c], truth[c])]
        if wrong:
            self.findings.append(Finding("mismatch", self.round, f"{observation.view}: {', '.join(wrong)} not the "
                                         "true figure of what it says it covers", [observation.view]))

    # What the answers cover.
    def truth(self, stated: Filter) -> pd.DataFrame:
        """The true district table (nothing withheld) of a filter, kept for the round."""
        key = replace(stated, admin1=())
        if key not in self._truth:
            self._truth[key] = district_table(self.dataset, key)
        return self._truth[key]

    def answers(self, stated: Filter) -> pd.DataFrame:
        """Every service answer (nothing withheld) of a filter's facilities in the whole country, kept."""
        key = replace(stated, admin1=(), domain=None)
        if key not in self._answers:
            answers = service_answers(self.dataset, key)
            self._answers[key] = answers.assign(adm2_pcode=answers["adm2_pcode"].astype(str))
        return self._answers[key]

    def scope(self, stated: Filter, districts: frozenset[str]) -> Scope:
        return Scope(self.round, districts, stated.tiers, stated.ownership)

    def _with_facilities(self, table: pd.DataFrame) -> set[str]:
        return set(table.loc[table["facilities"].fillna(0).to_numpy() > 0, "adm2_pcode"].astype(str))

    def _without_facilities(self, table: pd.DataFrame) -> set[str]:
        return set(table["adm2_pcode"].astype(str)) - self._with_facilities(table)

    # The attack.
    def solve(self) -> list[Finding]:
        """Small published figures, and withheld figures in the span of the published ones."""
        atoms = _atoms(self.dataset, self.round, self.observations)
        findings: list[Finding] = []
        rows: dict[bytes, tuple[np.ndarray, str]] = {}
        targets: dict[bytes, tuple[np.ndarray, str]] = {}
        unique = {(o.scope, o.published): o for o in reversed(self.observations)}  # the first view of each
        for observation in reversed(list(unique.values())):
            vector = atoms.vector(observation.scope)
            if not vector.any():
                continue
            key = np.packbits(vector).tobytes()
            if observation.published:
                count = int(atoms.counts[vector].sum())
                if count < standards.value("small_cell_facilities"):
                    findings.append(Finding("small", self.round, f"{observation.view} is published from {count} "
                                            "facilities", [observation.view]))
                rows.setdefault(key, (vector, observation.view))
            else:
                targets.setdefault(key, (vector, observation.view))
        for vector, what in atoms.small_groups():
            targets.setdefault(np.packbits(vector).tobytes(), (vector, what))
        if not targets or not rows:
            return findings
        matrix = np.array([v for v, _ in rows.values()], dtype=float)
        views = [name for _, name in rows.values()]
        _, singular, right = np.linalg.svd(matrix, full_matrices=False)
        basis = right[singular > singular.max() * 1e-10]
        for vector, what in targets.values():
            target = vector.astype(float)
            residual = target - basis.T @ (basis @ target)
            if np.abs(residual).max() < TOLERANCE:
                given = _difference(vector, rows) or _combination(matrix, target, views)
                findings.append(Finding("recoverable", self.round, f"withheld {what} can be worked out", given))
        return findings


def _difference(target: np.ndarray, rows: dict[bytes, tuple[np.ndarray, str]]) -> list[str]:
    """The plainest proof, where there is one: two published answers whose difference is the withheld one."""
    for vector, view in rows.values():
        if (vector >= target).all():
            rest = np.packbits(vector & ~target).tobytes()
            if rest in rows:
                return [f"+ {view}", f"- {rows[rest][1]}"]
    return []


def _combination(matrix: np.ndarray, target: np.ndarray, views: list[str]) -> list[str]:
    """Published answers adding up to the withheld one (least squares: the smallest such combination)."""
    coefficients = np.linalg.lstsq(matrix.T, target, rcond=None)[0]
    used = np.flatnonzero(np.abs(coefficients) > TOLERANCE)
    return [f"{coefficients[i]:+g} x {views[i]}" for i in used[:8]] + (["..."] if len(used) > 8 else [])


@dataclass
class _Atoms:
    """The smallest groups of facilities the answers tell apart, those holding a facility, and their counts."""

    index: pd.DataFrame  # district, tier, ownership of each group
    counts: np.ndarray

    def small_groups(self) -> Iterator[tuple[np.ndarray, str]]:
        """Every group of 1 to threshold - 1 facilities within a district that types (or ownerships) tell
        apart: none may be worked out, whether or not an answer names it."""
        if not (self.index["tier"] != "").any() and not (self.index["ownership"] != "").any():
            return
        for district, positions in self.index.groupby("district").indices.items():
            for size in range(1, len(positions) + 1):
                for chosen in combinations(positions, size):
                    count = self.counts[list(chosen)].sum()
                    if 0 < count < standards.value("small_cell_facilities"):
                        vector = np.zeros(len(self.counts), dtype=bool)
                        vector[list(chosen)] = True
                        kinds = "+".join(f"{self.index['tier'].iloc[i]}{self.index['ownership'].iloc[i]}"
                                         for i in chosen)
                        yield vector, f"group of {count} {'facility' if count == 1 else 'facilities'} ({kinds}) " \
                                      f"of district {district}"

    def vector(self, scope: Scope) -> np.ndarray:
        keep = self.index["district"].isin(scope.districts).to_numpy().copy()
        for column, values in (("tier", scope.tiers), ("ownership", scope.ownership)):
            if values:
                keep &= self.index[column].isin(values).to_numpy()
        return keep


def _atoms(dataset: Dataset, round_name: str, observations: list[Observation]) -> _Atoms:
    """Groups by district, and by type and ownership only where some answer splits by them."""
    rows = filters.facility_mask(dataset, Filter(round=round_name)) & (facility_base(dataset).district >= 0)
    table = dataset.facilities[rows]
    split = {"tier": any(o.scope.tiers for o in observations),
             "ownership": any(o.scope.ownership for o in observations)}
    groups = pd.DataFrame({"district": table["adm2_pcode"].astype(str).to_numpy(),
                           "tier": table["tier"].astype(str).to_numpy() if split["tier"] else "",
                           "ownership": table["ownership"].astype(str).to_numpy() if split["ownership"] else ""})
    counts = groups.value_counts(sort=False).reset_index(name="count")
    return _Atoms(counts[["district", "tier", "ownership"]], counts["count"].to_numpy())


def _change_findings(dataset: Dataset, rounds: list[str]) -> list[Finding]:
    """The change page: for every pair of rounds and indicator, a district's change is shown only where both
    rounds publish it, and its values are the published ones."""
    findings = []
    tables = {name: disclosure.public_districts(dataset, Filter(round=name)) for name in rounds}
    for before, after in combinations(rounds, 2):
        for indicator in ("functional", "availability_score", "pct_fully_functional"):
            change = disclosure.public_change(dataset, Filter(), before, after, indicator,
                                              (tables[before], tables[after]))
            change = change.set_index("adm2_pcode")
            for name, column in ((before, "before"), (after, "after")):
                cells = tables[name].set_index("adm2_pcode")[indicator]
                shown = change[column].dropna()
                wrong = [code for code, value in shown.items() if not _same(value, cells.get(code))]
                if wrong:
                    findings.append(Finding("recoverable", name, f"change {before} to {after} of {indicator} shows "
                                            f"values withheld in round {name}: {', '.join(wrong[:10])}",
                                            [f"change page {before} to {after}, {indicator}"]))
    return findings


def _districts_by_province(dataset: Dataset) -> dict[str, list[str]]:
    districts = dataset.districts.astype({"adm1_pcode": str, "adm2_pcode": str})
    return districts.groupby("adm1_pcode")["adm2_pcode"].apply(list).to_dict()


def _words(chosen: Filter, provinces: list[str]) -> str:
    """A filter as the report names it: 'round 2026-06-30, tiers primary, admin1 all but AF01'."""
    parts = [f"round {chosen.round}"]
    for name, every in (("admin1", provinces), ("tiers", TIERS), ("ownership", OWNERSHIP)):
        values = getattr(chosen, name)
        if values:
            left = [v for v in every if v not in values]
            shown = "+".join(values) if len(values) <= len(left) else "all but " + ("+".join(left) or "none")
            parts.append(f"{name} {shown}")
    if chosen.domain:
        parts.append(f"domain {chosen.domain}")
    return ", ".join(parts)


def _same(shown: SupportsFloat | None, truth: SupportsFloat | None) -> bool:
    """A shown figure equal to the true one (both missing counts as equal)."""
    if shown is None or pd.isna(shown):
        return True  # a blank gives nothing away
    if truth is None or pd.isna(truth):
        return False
    shown, truth = float(shown), float(truth)
    return abs(shown - truth) <= TOLERANCE * max(1.0, abs(truth))

