"""Service answers by domain, the barriers behind unavailability and the district x service availability
score, for the services page.

Everything counts the same service rows as the district indicators (analysis/indicators.py: planned
facilities left out, every domain read, then the chosen domain kept), so shares add up and scores agree.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace

import numpy as np
import pandas as pd

from analysis import filters
from analysis.catalogue import DOMAINS
from analysis.filters import Filter
from analysis.indicators import AVAILABLE, NOT_EXPECTED, PARTIAL, UNAVAILABLE
from analysis.suppression import SUPPRESSED, suppress_rows
from data.dataset import Dataset
from data.schema import BARRIERS, SERVICE_STATUS

STATUS_LABELS = {
    "available": "Available",
    "partial": "Partially available",
    "not_available": "Not available",
    "not_normally_provided": "Not normally provided",
    "stopped": "Stopped (facility closed, destroyed, not functioning or inaccessible)",
}
# The HeRAMS codebook's answer labels, shortened.
BARRIER_LABELS = {
    "staff": "Lack of staff",
    "training": "Lack of training",
    "supplies": "Lack of medical supplies",
    "equipment": "Lack of medical equipment",
    "finance": "Lack of financial resources",
}
NO_BARRIER = "none"
NO_BARRIER_LABEL = "No barrier given"
SHORT_NAME = 38  # characters of a service name shown on an axis; the hover has the full name


def service_answers(dataset: Dataset, chosen: Filter, districts: set[str] | None = None) -> pd.DataFrame:
    """Service answers of the filter's facilities (of `districts` only, when given) with their domain: every
    domain (the filter's domain is applied by each summary), planned facilities left out as the indicators do."""
    rows = filters.services(dataset, replace(chosen, domain=None), districts)
    rows = rows[~rows["facility_status"].isin(["planned"])]
    catalogue = dataset.service_catalogue
    domain_of = dict(zip(catalogue["service"].astype(str), catalogue["domain"].astype(str)))
    return rows.assign(domain=rows["service"].map(domain_of))  # categorical: maps the categories only


def _in_domain(answers: pd.DataFrame, domain: str | None) -> pd.DataFrame:
    return answers[answers["domain"] == domain] if domain else answers


def domain_names(dataset: Dataset) -> dict[str, str]:
    """Domain id -> name, as the dataset's service catalogue gives them, in the catalogue's order."""
    catalogue = dataset.service_catalogue.drop_duplicates("domain")
    names = dict(zip(catalogue["domain"].astype(str), catalogue["domain_name"].astype(str)))
    return {**{d: names.get(d, n) for d, n in DOMAINS.items()}, **names}


def domain_availability(answers: pd.DataFrame, names: dict[str, str], domain: str | None = None) -> pd.DataFrame:
    """Per domain with answers (only `domain` if given): service answers by status, counts and % of the
    domain's answers, and the HeRAMS availability score. The status counts add up to `service_answers`."""
    rows = _in_domain(answers, domain)
    counts = (rows.groupby(["domain", "status"], observed=True).size().unstack("status")
              .reindex(index=list(names), columns=list(SERVICE_STATUS)).fillna(0).astype("int64"))
    counts = counts[counts.sum(axis=1) > 0]
    table = pd.DataFrame({"domain": counts.index, "domain_name": [names[d] for d in counts.index]})
    table["service_answers"] = counts.sum(axis=1).to_numpy()
    for status in SERVICE_STATUS:
        table[status] = counts[status].to_numpy()
    for status in SERVICE_STATUS:
        table[f"pct_{status}"] = 100 * table[status] / table["service_answers"]
    expected = table["service_answers"] - table[NOT_EXPECTED].sum(axis=1)
    points = 3 * table[AVAILABLE] + table[PARTIAL]
    table["availability_score"] = (100 * points / (3 * expected.where(expected > 0))).astype("float64")
    return table.reset_index(drop=True)


def barrier_counts(answers: pd.DataFrame, domain: str | None = None) -> pd.DataFrame:
    """How often each barrier is given for services partially or not available or stopped (once per answer,
    whatever its rank), most frequent first, then the answers with no barrier; % of those answers."""
    rows = _in_domain(answers, domain)
    rows = rows[rows["status"].isin(UNAVAILABLE)]
    given = pd.DataFrame({b: np.zeros(len(rows), dtype=bool) for b in BARRIERS}, index=rows.index)
    for column in ("barrier_1", "barrier_2", "barrier_3"):
        values = rows[column].astype("object")
        for barrier in BARRIERS:
            given[barrier] |= (values == barrier).to_numpy()
    counts = given.sum().sort_values(ascending=False, kind="stable")
    table = pd.DataFrame({"barrier": list(counts.index) + [NO_BARRIER],
                          "label": [BARRIER_LABELS[b] for b in counts.index] + [NO_BARRIER_LABEL],
                          "service_answers": list(counts.to_numpy()) + [int((~given.any(axis=1)).sum())]})
    table["service_answers"] = table["service_answers"].astype("int64")
    table["pct_of_unavailable"] = 100 * table["service_answers"] / len(rows) if len(rows) else np.nan
    return table


def unavailable_by_status(answers: pd.DataFrame, domain: str | None = None) -> dict[str, int]:
    """Answers a barrier could explain, by status (partial, not_available, stopped)."""
    rows = _in_domain(answers, domain)
    return {status: int((rows["status"] == status).sum()) for status in UNAVAILABLE}


def short_name(name: str) -> str:
    return textwrap.shorten(name, SHORT_NAME, placeholder="…")


def district_service_scores(dataset: Dataset, answers: pd.DataFrame, province: str,
                            domain: str | None = None) -> pd.DataFrame:
    """One row per district of `province` and service (of `domain`, or all services by domain): facilities
    answering, facilities expecting the service, available, partial and the HeRAMS score
    100 x (3 x available + partial) / (3 x expected); no score where no facility expects it."""
    districts = dataset.districts[dataset.districts["adm1_pcode"].astype(str) == province]
    districts = districts.sort_values("adm2_name")[["adm2_pcode", "adm2_name"]].astype(str)
    catalogue = dataset.service_catalogue.astype(str)
    catalogue = catalogue[catalogue["domain"] == domain] if domain else catalogue
    order = {d: i for i, d in enumerate(domain_names(dataset))}
    catalogue = catalogue.assign(order=catalogue["domain"].map(order)).sort_values(["order", "service"], kind="stable")
    rows = answers[answers["adm2_pcode"].isin(districts["adm2_pcode"]) & answers["service"].isin(catalogue["service"])]
    status = rows["status"]
    counts = pd.DataFrame({"adm2_pcode": rows["adm2_pcode"].astype(str), "service": rows["service"].astype(str),
                           "answers": 1, "expected": ~status.isin(NOT_EXPECTED), "available": status == AVAILABLE,
                           "partial": status == PARTIAL})
    sums = counts.groupby(["adm2_pcode", "service"])[["answers", "expected", "available", "partial"]].sum()
    grid = pd.MultiIndex.from_product([districts["adm2_pcode"], catalogue["service"]], names=["adm2_pcode", "service"])
    table = sums.reindex(grid).fillna(0).astype("int64").reset_index()
    table = table.merge(districts, on="adm2_pcode").merge(
        catalogue[["service", "name", "domain", "domain_name"]].rename(columns={"name": "service_name"}), on="service")
    expected = table["expected"].where(table["expected"] > 0).astype("float64")
    table["availability_score"] = 100 * (3 * table["available"] + table["partial"]) / (3 * expected)
    return table[["adm2_pcode", "adm2_name", "service", "service_name", "domain", "domain_name", "answers",
                  "expected", "available", "partial", "availability_score"]]


def score_matrix(scores: pd.DataFrame) -> pd.DataFrame:
    """The district x service scores as a table: one row per district, one column per service (its name),
    in the order of `district_service_scores`; last, the `suppressed` flag when the scores carry one (the
    public view: districts with fewer facilities than the threshold blanked, analysis.suppression)."""
    services = scores.drop_duplicates("service")
    wide = scores.pivot(index=["adm2_pcode", "adm2_name"], columns="service", values="availability_score")
    districts = scores.drop_duplicates("adm2_pcode")
    wide = wide.reindex(index=pd.MultiIndex.from_frame(districts[["adm2_pcode", "adm2_name"]]),
                        columns=services["service"])
    wide.columns = [f"{name} ({code})" for code, name in zip(services["service"], services["service_name"])]
    wide = wide.reset_index()
    if SUPPRESSED in scores:
        wide[SUPPRESSED] = districts[SUPPRESSED].astype(bool).to_numpy()
    return wide


SCORE_COUNTS = ["answers", "expected", "available", "partial", "availability_score"]  # what a suppressed cell hides


def suppress_scores(scores: pd.DataFrame, districts: set[str]) -> pd.DataFrame:
    """`district_service_scores` with the cells of `districts` (those the public may not see: fewer facilities
    than analysis.suppression.threshold) blanked, counts included, and flagged."""
    return suppress_rows(scores, scores["adm2_pcode"].astype(str).isin(districts), SCORE_COUNTS)
