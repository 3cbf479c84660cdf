"""The indicator catalogue: every indicator's stable id, label, unit, direction and definition, once.

The app's selectors, legends, tables and exports all read it, so an indicator is defined in one place.
Thresholds quoted in definitions are read from analysis/standards.csv, so the text follows the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis import standards

Direction = Literal["higher_is_better", "higher_is_worse", "neutral"]

SERVICES_FILE = Path(__file__).parent.parent / "data" / "reference" / "herams_services.csv"


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    unit: str
    direction: Direction
    definition: str
    decimals: int = 0
    standard: str | None = None  # an id in analysis/standards.csv the indicator is read against
    group: str = ""  # population, facilities, services, partners, priority
    kind: str = "number"  # "number", or "category" (a name, e.g. a barrier)
    facility_based: bool = False  # built from facility answers: suppressed in the public view on small cells

    @property
    def titled(self) -> str:
        """"Label (unit)" for headers and legends; "Label, unit" when the unit has brackets of its own."""
        return f"{self.label}, {self.unit}" if "(" in self.unit else f"{self.label} ({self.unit})"


def _domains() -> dict[str, str]:
    """HeRAMS service domains, id -> name, in the order of the reference service list."""
    table = pd.read_csv(SERVICES_FILE, dtype=str).drop_duplicates("domain")
    return dict(zip(table["domain"], table["domain_name"]))


DOMAINS: dict[str, str] = _domains()

# Tracer services: indicator suffix -> HeRAMS service code, and the label they are shown with.
TRACERS: dict[str, str] = {
    "epi": "QHeRAMS205",
    "bemonc": "QHeRAMS425",
    "cemonc": "QHeRAMS426",
    "opd": "QHeRAMS110",
    "mental_health": "QHeRAMS511",
    "cmam": "QHeRAMS209",
}
TRACER_LABELS: dict[str, str] = {
    "epi": "immunisation (EPI)",
    "bemonc": "basic emergency obstetric care (BEmONC)",
    "cemonc": "comprehensive emergency obstetric care (CEmONC)",
    "opd": "outpatient primary care",
    "mental_health": "management of mental disorders",
    "cmam": "acute malnutrition management (CMAM)",
}

_PHC = standards.value("phc_per_10k")
_HOSPITALS = standards.value("hospitals_per_250k")
_SMALL = standards.value("small_cell_facilities")
_DUPLICATION = standards.value("duplication_partners")
_NEED = standards.value("need_severity")
_MONTHS = standards.value("round_months")

_COUNTED = ("Facilities of the round and filter that are existing or closed; planned facilities are left out, "
            "and a facility list without status counts its facilities as existing.")
_SUPPRESSED = (f"Suppressed in the public view where fewer than {_SMALL:g} facilities are counted, and in the "
               "next smallest district of a province where one such district alone would be given away by the "
               "province total.")
_AVAILABILITY = ("HeRAMS score: 100 x (3 x services available + 1 x services partially available) / "
                 "(3 x services expected), over the service answers of the counted facilities. A service "
                 "'not normally provided' at a facility is not expected there; a service not available, or "
                 "stopped because the facility is closed, destroyed, not functioning or inaccessible, scores 0.")


def _facility(id: str, label: str, unit: str, direction: Direction, definition: str, decimals: int = 0,
              standard: str | None = None, group: str = "facilities", kind: str = "number") -> Indicator:
    """An indicator built from facility answers: its definition says what is counted and when it is hidden."""
    return Indicator(id, label, unit, direction, f"{definition} {_SUPPRESSED}", decimals, standard, group, kind,
                     facility_based=True)


_POPULATION = (
    Indicator(
        id="population",
        label="Population",
        unit="people",
        direction="neutral",
        definition="Total population of the district (OCHA COD-PS, T_TL).",
        group="population",
    ),
    Indicator(
        id="population_density",
        label="Population density",
        unit="people per km²",
        direction="neutral",
        definition="Population divided by the district's area, measured on the official boundary in an "
        "equal-area projection (EPSG:6933).",
        decimals=1,
        group="population",
    ),
    Indicator(
        id="pin",
        label="People in need",
        unit="people",
        direction="higher_is_worse",
        definition="People in need from the Humanitarian Needs Overview: the intersectoral figure where given, "
        "else the largest sector figure.",
        group="population",
    ),
    Indicator(
        id="severity",
        label="Severity of needs",
        unit="severity (1-5)",
        direction="higher_is_worse",
        definition="HNO severity phase, 1 (minimal) to 5 (catastrophic): the intersectoral phase where given, "
        "else the highest sector phase.",
        group="population",
    ),
)

_FACILITIES = (
    Indicator(
        id="facilities",
        label="Health facilities",
        unit="facilities",
        direction="higher_is_better",
        definition=_COUNTED,
        group="facilities",
    ),
    _facility("functional", "Functional facilities", "facilities", "higher_is_better",
              "Counted facilities that exist (not closed) and are fully or partially functioning. A facility "
              "whose functionality is not reported is not counted as functional."),
    _facility("pct_fully_functional", "Fully functional facilities", "%", "higher_is_better",
              f"Share of counted facilities that exist and are fully functioning. {_COUNTED}", 1),
    _facility("pct_damaged", "Damaged facilities", "%", "higher_is_worse",
              "Share of counted facilities whose building is partially or fully damaged, among those whose "
              "building condition is reported.", 1),
    _facility("pct_accessible", "Fully accessible facilities", "%", "higher_is_better",
              "Share of counted facilities fully accessible to the population, among those whose "
              "accessibility is reported.", 1),
    _facility("phc_per_10k", "Primary health facilities per 10,000 people", "facilities per 10,000 people",
              "higher_is_better",
              f"Functional primary-level facilities per 10,000 people; the standard is at least {_PHC:g} "
              "per 10,000 (Sphere).", 2, standard="phc_per_10k"),
    _facility("phc_gap", "Primary health facilities missing", "facilities", "higher_is_worse",
              f"Functional primary-level facilities still needed to reach {_PHC:g} per 10,000 people: "
              "population / 10,000 x the standard, rounded up, minus the functional primary facilities; "
              "0 where the standard is met.", standard="phc_per_10k"),
    _facility("hospitals_per_250k", "Hospitals per 250,000 people", "hospitals per 250,000 people",
              "higher_is_better",
              f"Functional secondary and tertiary facilities (hospitals) per 250,000 people; the standard is at "
              f"least {_HOSPITALS:g} per 250,000 (Sphere).", 2, standard="hospitals_per_250k"),
    _facility("pop_per_functional_facility", "People per functional facility", "people per facility",
              "higher_is_worse",
              "Population divided by the number of functional facilities (of any tier); no value where "
              "there is no functional facility."),
)


def _service_score(id: str, label: str, unit: str, definition: str) -> Indicator:
    """A service availability score or share (higher is better, one decimal), from facility answers."""
    return _facility(id, label, unit, "higher_is_better", definition, 1, group="services")


# The overall score, one per HeRAMS domain, one share per tracer service: each built by _service_score.
_SERVICES = (
    _service_score("availability_score", "Service availability", "score (0-100)",
                   f"{_AVAILABILITY} With a service domain chosen, over that domain's services only."),
    *(_service_score(f"availability_{domain}", f"Availability: {name}", "score (0-100)",
                     f"{_AVAILABILITY} Over the services of the domain '{name}' only.")
      for domain, name in DOMAINS.items()),
    *(_service_score(f"pct_with_{tracer}", f"Facilities with {label}", "%",
                     f"Share of counted facilities where {label} (HeRAMS {TRACERS[tracer]}) is available or "
                     "partially available, among those where it is expected (not 'not normally provided').")
      for tracer, label in TRACER_LABELS.items()),
    _facility("top_barrier", "Main barrier", "barrier", "neutral",
              "The cause most often given first (staff, training, supplies, equipment or finance) for services "
              "partially or not available at the counted facilities; ties go to the first in that order.",
              group="services", kind="category"),
)

_PARTNERS = (
    Indicator(
        id="partners",
        label="Partners",
        unit="organisations",
        direction="higher_is_better",
        definition=f"Organisations reporting activities in the district (3W/4W/5W) in the {_MONTHS:g} "
        "months up to the round's report date.",
        group="partners",
    ),
    Indicator(
        id="reached",
        label="People reached",
        unit="people",
        direction="higher_is_better",
        definition="People reached by partner activities reported in the district for the round's months.",
        group="partners",
    ),
    Indicator(
        id="targeted",
        label="People targeted",
        unit="people",
        direction="neutral",
        definition="People targeted by partner activities reported in the district for the round's months.",
        group="partners",
    ),
    Indicator(
        id="pct_reached",
        label="Share of targeted people reached",
        unit="%",
        direction="higher_is_better",
        definition="People reached as a share of people targeted, over the activities that report both.",
        decimals=1,
        group="partners",
    ),
    Indicator(
        id="duplication",
        label="Duplicated activities",
        unit="activities",
        direction="higher_is_worse",
        definition=f"Activities reported by {_DUPLICATION:g} or more organisations in the district for the "
        "round's months: a sign of possible duplication to coordinate.",
        group="partners",
    ),
    Indicator(
        id="uncovered",
        label="Uncovered needs",
        unit="needs",
        direction="higher_is_worse",
        definition=f"Needs of severity {_NEED:g} or more (HNO) in the district with no partner reporting an "
        "activity there for the round's months.",
        group="partners",
    ),
)

_PRIORITY = (
    Indicator(
        id="priority_score",
        label="Priority score",
        unit="score (0-100)",
        direction="higher_is_worse",
        definition="Weighted sum of the chosen indicators, each scaled 0-1 in the direction of need (across "
        "districts, or against its standard), as 0-100: the higher, the greater the gap.",
        decimals=1,
        group="priority",
    ),
    Indicator(
        id="priority_rank",
        label="Priority rank",
        unit="rank",
        direction="higher_is_better",
        definition="Rank of the district by priority score: 1 is the district with the greatest gap.",
        group="priority",
    ),
    Indicator(
        id="priority_class",
        label="Priority class",
        unit="class (1-5)",
        direction="higher_is_worse",
        definition="Priority score in five classes, 1 (lowest priority) to 5 (highest).",
        group="priority",
    ),
)

INDICATORS: dict[str, Indicator] = {
    indicator.id: indicator for indicator in (*_POPULATION, *_FACILITIES, *_SERVICES, *_PARTNERS, *_PRIORITY)
}

DEFAULT_INDICATOR = "population"

# The catalogue's groups in words, as an indicator select names them ("Facilities: % damaged").
GROUP_LABELS = {"population": "Population and needs", "facilities": "Facilities", "services": "Services",
                "partners": "Partners"}


def grouped_options(indicators: list[Indicator]) -> list[tuple[str, str]]:
    """(id, "group: label") of `indicators`, for a select of indicators."""
    return [(i.id, f"{GROUP_LABELS.get(i.group, i.group)}: {i.label}") for i in indicators]
