"""The view: everything the URL holds (page, indicator, filters, round, weights, district, presentation mode).

One dataclass, parsed from and written to the URL, so copying a URL reproduces the view and back and
forward work. Pure: no Dash. Values the dataset does not know are dropped by `sanitise`, with a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

from analysis.catalogue import DEFAULT_INDICATOR
from analysis.filters import Filter
from analysis.priority import DEFAULT_WEIGHTS, parse_weights
from data.dataset import Dataset
from data.schema import ORG_TYPES, OWNERSHIP, TIERS

# Page name -> URL path, filled by pages/registry.py from its one record per page (the view sits below the
# pages, so it is told their paths). The district page's path takes the p-code: /district/<pcode>.
PATHS: dict[str, str] = {}
DISTRICT = "district"
TOP_N = 10
MAX_VALUES = 100  # distinct values a list field keeps (provinces, the longest real list: 34 in Afghanistan)
MAX_WEIGHTS = 50  # the default weighting has 5 indicators

# URL key -> View field, for the tuple-valued fields (the key repeated: names may hold commas)
LISTS = {"admin1": "admin1", "tier": "tiers", "ownership": "ownership", "org_type": "org_types",
         "activity": "activities"}
# URL key -> View field, for the single values
SINGLES = {"indicator": "indicator", "round": "round", "before": "before", "domain": "domain"}


@dataclass(frozen=True)
class View:
    page: str = "overview"
    district: str | None = None  # adm2 p-code, on the district page
    indicator: str = DEFAULT_INDICATOR
    round: str | None = None  # None: the latest
    before: str | None = None  # the earlier round of the change page; None: the round before `round`
    admin1: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    ownership: tuple[str, ...] = ()
    domain: str | None = None
    org_types: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    top: int = TOP_N
    present: bool = False
    facilities: bool = False  # the facility points on the overview map (shown to coordinators only)

    def filter(self) -> Filter:
        """The analysis filter this view names."""
        return Filter(round=self.round, admin1=self.admin1, tiers=self.tiers, ownership=self.ownership,
                      domain=self.domain, org_types=self.org_types, activities=self.activities)

    def path(self) -> str:
        if self.page == DISTRICT and self.district:
            return f"{PATHS.get(DISTRICT, '/district')}/{self.district}"
        return PATHS.get(self.page, "/") if self.page != DISTRICT else "/"

    def search(self) -> str:
        """The query string (with its "?", or "" for the defaults): only what differs from the default."""
        default = View()
        pairs = [(key, getattr(self, name)) for key, name in SINGLES.items()
                 if getattr(self, name) != getattr(default, name)]
        pairs += [(key, value) for key, name in LISTS.items() for value in getattr(self, name)]
        if self.weights != default.weights:
            pairs.append(("weights", ",".join(f"{k}={v:g}" for k, v in self.weights.items())))
        if self.top != default.top:
            pairs.append(("top", str(self.top)))
        if self.facilities:
            pairs.append(("facilities", "1"))
        if self.present:
            pairs.append(("present", "1"))
        return f"?{urlencode(pairs, safe=',=')}" if pairs else ""

    def href(self) -> str:
        return self.path() + self.search()

    def to_dict(self) -> dict:
        return asdict(self)


def add_path(page: str, path: str) -> None:
    """Make a page's path known (pages/registry.py, for each page it registers)."""
    PATHS[page] = path


def from_dict(data: object) -> View:
    """A view from its `to_dict` form (the browser's store), tolerating missing keys. The store comes back
    from the browser, so anyone can send anything: unknown keys are dropped, a wrong type keeps the default."""
    if not isinstance(data, dict):
        return View()
    known = {}
    for name, value in data.items():
        try:
            known[name] = checked(name, value)
        except ValueError:
            pass
    return View(**known)


def distinct(values: Iterable[str]) -> tuple[str, ...]:
    """The first MAX_VALUES distinct values, in order: a crafted URL or store cannot make a view, or the work
    done for it, grow with repetition."""
    return tuple(dict.fromkeys(values))[:MAX_VALUES]


def capped(weights: dict[str, float]) -> dict[str, float]:
    """The first MAX_WEIGHTS weights (the catalogue has far fewer; the rest are unknown ids anyway)."""
    return dict(list(weights.items())[:MAX_WEIGHTS])


def _weight(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < float("inf")


def checked(name: str, value: object) -> object:
    """A value as the View field `name` holds it (lists become tuples); ValueError for an unknown field or a
    value of the wrong type (a list where text is expected, a weight that is not a number 0 or more)."""
    if name in LISTS.values():
        if value is None:
            return ()
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return distinct(value)
    elif name == "weights":
        if isinstance(value, dict) and value and all(isinstance(k, str) and _weight(v) for k, v in value.items()):
            return capped({k: float(v) for k, v in value.items()})
    elif name == "top":
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    elif name in ("present", "facilities"):
        if isinstance(value, bool):
            return value
    elif name == "page":
        if isinstance(value, str) and value in PATHS:
            return value
    elif name == "indicator":
        if isinstance(value, str):
            return value
    elif name in View.__dataclass_fields__:  # district, round, before, domain: text or none
        if value is None or isinstance(value, str):
            return value
    raise ValueError(f"{name}: {type(value).__name__} is not a view value")


def parse(pathname: str | None, search: str | None) -> View:
    """The view a URL names. Malformed parts (or not text at all) fall back to the defaults; nothing raises."""
    pathname, search = (text if isinstance(text, str) else None for text in (pathname, search))
    path = (pathname or "/").rstrip("/") or "/"
    page, district = "overview", None
    prefix = PATHS.get(DISTRICT, "/district") + "/"
    if path.startswith(prefix):
        page, district = DISTRICT, path.removeprefix(prefix).split("/")[0] or None
    else:
        page = next((name for name, p in PATHS.items() if p == path and name != DISTRICT), "overview")
    pairs = parse_qsl((search or "").lstrip("?"), keep_blank_values=False)
    values = dict(pairs)
    changes: dict = {"page": page if page != DISTRICT or district else "overview", "district": district}
    changes.update({name: values[key] for key, name in SINGLES.items() if values.get(key)})
    changes.update({name: distinct(v for k, v in pairs if k == key) for key, name in LISTS.items()})
    if "weights" in values:
        try:
            changes["weights"] = capped(parse_weights(values["weights"]))
        except ValueError:
            pass
    if values.get("top", "").isdigit() and int(values["top"]) > 0:
        changes["top"] = int(values["top"])
    changes["present"] = values.get("present") in ("1", "true", "yes")
    changes["facilities"] = values.get("facilities") in ("1", "true", "yes")
    return replace(View(), **changes)


def known_values(dataset: Dataset) -> tuple[list[str], set[str], set[str], set[str], set[str]]:
    """The rounds, provinces, districts, service domains and activities a view may name, kept with the dataset:
    every view change is checked against them, and the activities alone are a column of every partner row."""
    if "known_values" not in dataset.derived:
        dataset.derived["known_values"] = (
            dataset.rounds["round"].astype(str).tolist(), set(dataset.provinces["adm1_pcode"].astype(str)),
            set(dataset.districts["adm2_pcode"].astype(str)), set(dataset.service_catalogue["domain"].astype(str)),
            set(dataset.activities["activity"].astype(str)))
    return dataset.derived["known_values"]


def sanitise(view: View, dataset: Dataset, indicators: set[str]) -> tuple[View, list[str]]:
    """The view with values the dataset or catalogue does not know dropped, and a note for each."""
    notes: list[str] = []
    rounds, provinces, districts, domains, activities = known_values(dataset)

    def keep(name: str, values: tuple[str, ...], allowed) -> tuple[str, ...]:
        unknown = [v for v in values if v not in allowed]
        if unknown:
            notes.append(f"ignored unknown {name}: {', '.join(unknown)}")
        return tuple(v for v in values if v in allowed)

    def one(name: str, value: str | None, allowed) -> str | None:
        if value is not None and value not in allowed:
            notes.append(f"ignored unknown {name}: {value}")
            return None
        return value

    changes = {
        "round": one("round", view.round, rounds),
        "before": one("round", view.before, rounds),
        "admin1": keep("province", view.admin1, provinces),
        "tiers": keep("facility type", view.tiers, TIERS),
        "ownership": keep("ownership", view.ownership, OWNERSHIP),
        "domain": one("service domain", view.domain, domains),
        "org_types": keep("organisation type", view.org_types, ORG_TYPES),
        "activities": keep("activity", view.activities, activities),
        "district": one("district", view.district, districts),
    }
    if view.indicator not in indicators:
        notes.append(f"ignored unknown indicator: {view.indicator}")
        changes["indicator"] = DEFAULT_INDICATOR
    if view.page == DISTRICT and changes["district"] is None:
        changes["page"] = "overview"
    return replace(view, **changes), notes
