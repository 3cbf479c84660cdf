"""The public view never receives a facility name, code or coordinate: every registered callback is called
through Dash's endpoint, as the browser would and as an attacker could, and every answer (pages, figures,
grids, decoded downloads) is scanned for the demo's facility data.

Each callback is found in /_dash-dependencies, so a new callback with inputs this file does not know fails
`test_every_callback_is_covered` until cases are written for it.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd
import pytest

from analysis.priority import DEFAULT_WEIGHTS
from app import create_app
from bench.endpoint import _id
from context import Context
from data.schema import ORG_TYPES, OWNERSHIP, TIERS
from pages import ids
from pages.downloads import COORDINATOR_ONLY, DISTRICT_TABLES, TABLES, download
from pages.registry import PAGES, navigation
from settings import Settings
from view import View

HUGE = "A" * 200_000
NUMBER = re.compile(r"(?<![\d.])-?\d+\.\d+(?!\d)")  # a whole decimal number, not a piece of a longer one
MIN_LENGTH = 6  # names and codes of 5 characters or fewer are too generic to look for ("DH", "1234")


# The scanner: what the public must never receive, and where it could hide in an answer.

def _trie_pattern(words: set[str]) -> re.Pattern:
    """One regex for thousands of literal strings: a trie, so each position tries one branch per character
    (a plain alternation would try every word at every position)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return re.compile(pattern(trie))


@dataclass
class Scanner:
    """Finds facility names, ids, codes (literal strings) and coordinates (whole numbers) in any text."""

    words: re.Pattern
    coordinates: frozenset[str]
    skipped: list[str] = field(default_factory=list)  # generic names and codes, not looked for

    def hits(self, text: str) -> list[str]:
        found = [match.group(0) for match in self.words.finditer(text)]
        return found + [number for number in NUMBER.findall(text) if number in self.coordinates]


def generic_words(dataset) -> set[str]:
    """Words that are not facility data even when a facility is named so: places, types, tiers, ownership."""
    places = [*dataset.districts["adm2_name"], *dataset.provinces["adm1_name"], *dataset.districts["adm2_pcode"],
              *dataset.provinces["adm1_pcode"]]
    kinds = [*dataset.facilities["type"].dropna().unique(), *TIERS, *OWNERSHIP, *ORG_TYPES]
    return {str(word).casefold() for word in places + kinds}


def make_scanner(dataset) -> Scanner:
    """Names and codes longer than 5 characters that are not also a place or a facility type (a facility
    called "Kabul" would make the word Kabul a leak everywhere); ids always; lat/lon at 4, 5 and 6 decimals
    and as Python writes the float when that has 4 decimals or more (34.4 is too common a number)."""
    facilities = dataset.facilities
    generic = generic_words(dataset)
    words, skipped = set(facilities["facility_id"].dropna().astype(str)), []
    for value in pd.concat([facilities["name"], facilities["code"]]).dropna().astype(str).unique():
        if len(value) < MIN_LENGTH or value.casefold() in generic:
            skipped.append(value)
        else:
            words.add(value)
    coordinates = set()
    for value in pd.concat([facilities["lat"], facilities["lon"]]).dropna().unique():
        written = repr(float(value))  # as JSON and CSV write it, when precise enough to name a place
        coordinates |= {f"{value:.4f}", f"{value:.5f}", f"{value:.6f}"}
        if len(written.partition(".")[2]) >= 4:
            coordinates.add(written)
    return Scanner(_trie_pattern(words), frozenset(coordinates), skipped)


def _download_texts(sent: dict) -> Iterator[str]:
    """The text of a dcc.send_bytes download: CSV as written, every cell of every Excel sheet."""
    yield str(sent.get("filename"))
    content = base64.b64decode(sent["content"]) if sent.get("base64") else str(sent["content"]).encode()
    if str(sent.get("filename", "")).endswith(".xlsx"):
        sheets = pd.read_excel(io.BytesIO(content), header=None, sheet_name=None, engine="calamine")
        for sheet in sheets.values():
            yield from (repr(cell) if isinstance(cell, float) else str(cell)
                        for cell in sheet.to_numpy().ravel() if pd.notna(cell))
    else:
        yield content.decode("utf-8-sig")


def texts(value) -> Iterator[str]:
    """Every string and number of a decoded JSON answer, downloads decoded."""
    if isinstance(value, dict):
        if "content" in value and "filename" in value:
            yield from _download_texts(value)
        for key, item in value.items():
            yield str(key)
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)
    elif isinstance(value, float):
        yield repr(value)
    elif value is not None:
        yield str(value)


def leaks(scanner: Scanner, body: bytes) -> list[str]:
    """Facility data in an answer: in its raw text and in its decoded JSON (escapes undone, downloads read)."""
    raw = body.decode("utf-8", "replace")
    found = scanner.hits(raw)
    try:
        decoded = json.loads(raw)
    except ValueError:
        return found
    return found + scanner.hits("\n".join(texts(decoded)))


# Calling callbacks as dash-renderer does.

def stringify(component_id) -> str:
    """Dash's id string: dict ids as JSON with sorted keys and no spaces (dash-renderer's stringifyId)."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":")) if isinstance(component_id, dict) \
        else component_id


def is_wildcard(key: str) -> bool:
    return key.startswith("{") and '["ALL"]' in key


def payload(dependency: dict, values: dict[str, object], changed: str) -> dict:
    """The POST body for one callback. `values` maps "id.property" (as /_dash-dependencies writes it) to a
    value; an ALL wildcard maps to a list of (concrete id, value), sent as a list of {id, property, value}
    as dash-renderer sends it. A wildcard output gets the concrete ids of the same wildcard among the
    inputs or states."""
    def entry(item: dict) -> dict | list:
        key = f"{item['id']}.{item['property']}"
        if is_wildcard(key):
            return [{"id": cid, "property": item["property"], "value": value} for cid, value in values.get(key, [])]
        return {"id": _id(key), "property": item["property"], "value": values.get(key)}

    concrete = {key.rsplit(".", 1)[0]: [cid for cid, _ in items] for key, items in values.items() if is_wildcard(key)}
    outputs = []
    for output in dependency["output"].strip(".").split("..."):
        component, prop = output.rsplit(".", 1)
        prop = prop.split("@")[0]
        if is_wildcard(output):
            outputs.append([{"id": cid, "property": prop} for cid in concrete.get(component, [])])
        else:
            outputs.append({"id": _id(output), "property": prop})
    return {"output": dependency["output"], "outputs": outputs if dependency["output"].startswith("..") else outputs[0],
            "inputs": [entry(i) for i in dependency["inputs"]], "state": [entry(s) for s in dependency["state"]],
            "changedPropIds": [changed]}


@dataclass
class Calls:
    """Every call made: which callbacks were reached, the server errors and the leaks found."""

    client: object
    scanner: Scanner
    dependencies: list[dict]
    reached: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.found == [], "facility data sent to the public:\n" + "\n".join(self.found)
        assert self.errors == [], "server errors:\n" + "\n".join(self.errors)

    def call(self, dependency: dict, values: dict[str, object], changed: str, label: str) -> tuple[int, dict]:
        """POST one callback; record a 500 and any leak; (status, decoded JSON or {})."""
        self.reached.add(dependency["output"])
        response = self.client.post("/_dash-update-component", json=payload(dependency, values, changed),
                                    headers={"Accept-Encoding": "gzip"})
        body = response.data
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        name = f"{dependency['output'][:70]} [{label}]"
        if response.status_code >= 500:
            self.errors.append(f"{response.status_code} {name}")
        elif response.status_code not in (200, 204) and not 400 <= response.status_code < 500:
            self.errors.append(f"unexpected {response.status_code} {name}")
        hits = leaks(self.scanner, body)
        if hits:
            self.found.append(f"{name}: {sorted(set(hits))[:5]}")
        return response.status_code, (json.loads(body) if response.status_code == 200 else {})


# What to send: ordinary values a page sends, and crafted ones.

def _small_district(dataset) -> str:
    """A district with one facility in the latest round: its figures are small cells for the public."""
    latest = dataset.facilities[dataset.facilities["round"].astype(str) == dataset.rounds["round"].astype(str).iloc[-1]]
    counts = latest.groupby(latest["adm2_pcode"].astype(str)).size()
    return str(counts[counts == 1].index[0])


def page_views(dataset) -> list[tuple[str, dict]]:
    """Each page's view under several filters: none, a province and round, every tier, an absent tier,
    a domain, partner filters, other indicators and weights, presentation mode."""
    small = _small_district(dataset)
    rounds = dataset.rounds["round"].astype(str).tolist()
    filters = {
        "default": {},
        "province-round": {"admin1": ("AF27",), "round": rounds[1]},
        "every-tier": {"tiers": tuple(TIERS), "ownership": tuple(OWNERSHIP)},
        "one-tier": {"admin1": ("AF27",), "tiers": ("tertiary",)},
        "domain": {"domain": str(dataset.service_catalogue["domain"].iloc[0]), "present": True},
        "partners": {"org_types": tuple(ORG_TYPES[:2]),
                     "activities": (str(dataset.activities["activity"].iloc[0]),)},
        "indicator": {"indicator": "availability_score", "before": rounds[0], "top": 3,
                      "weights": {"severity": 1.0, "availability_score": 2.0}},
    }
    views = []
    for page in PAGES:
        districts = ["AF2701", small] if page == "district" else [None]
        for district in districts:
            for name, changes in filters.items():
                view = View(page=page, district=district, **changes)
                views.append((f"{page}/{district or ''}/{name}", view.to_dict()))
    return views


def crafted_views(dataset) -> list[tuple[str, object]]:
    """View stores no page writes: extra keys, a district of one facility with every tier, wrong types."""
    small = _small_district(dataset)
    facility = dataset.facilities.iloc[0]
    base = View(page="district", district=small).to_dict()
    return [
        ("extra-keys", {**base, "facility_id": str(facility["facility_id"]), "name": str(facility["name"]),
                        "code": str(facility["code"]), "lat": float(facility["lat"]), "columns": ["name", "lat"]}),
        ("one-facility-every-tier", {**base, "tiers": list(TIERS), "ownership": list(OWNERSHIP)}),
        ("unknown-district", {**base, "district": "NOPE"}),
        ("facility-as-district", {**base, "district": "AFG-HF-999999"}),  # a real id would be echoed back
        ("huge-district", {**base, "district": HUGE}),
        ("unknown-page", {**base, "page": "facilities"}),
        ("unknown-round", {**base, "round": "1999-01-01", "before": "x"}),
        ("unknown-indicator", {**View(page="overview").to_dict(), "indicator": "name"}),
        ("facility-layer", {**View(page="overview", facilities=True).to_dict(), "tiers": list(TIERS)}),
        ("facility-layer-province", {**View(page="overview", facilities=True, admin1=("AF27",)).to_dict(),
                                     "round": "2026-03-31"}),
        ("facility-layer-text", {**View(page="overview").to_dict(), "facilities": "1"}),
        ("list-for-string", {**base, "round": ["2026-06-30"], "indicator": ["pin"], "domain": [1],
                             "district": [small]}),
        ("dict-for-string", {**View(page="priorities").to_dict(), "indicator": {"a": 1}, "page": {"p": 1}}),
        ("string-for-list", {**View(page="overview").to_dict(), "admin1": "AF27", "tiers": "primary"}),
        ("numbers-in-lists", {**View(page="services").to_dict(), "admin1": [1, None, {"a": 1}], "tiers": [[1]]}),
        ("bad-weights", {**View(page="priorities").to_dict(), "weights": {"pin": "x", "severity": None}}),
        ("weights-not-dict", {**View(page="priorities").to_dict(), "weights": "x"}),
        ("huge-weight", {**View(page="priorities").to_dict(), "weights": {"pin": 1e308, "x": -1}}),
        ("unknown-weight", {**View(page="priorities").to_dict(), "weights": {"nope": 1.0, "name": 2.0}}),
        ("bad-top", {**View(page="priorities").to_dict(), "top": "abc"}),
        ("negative-top", {**View(page="priorities").to_dict(), "top": -5}),
        ("huge-top", {**View(page="priorities").to_dict(), "top": 10**12}),
        ("present-string", {**View(page="change").to_dict(), "present": "no"}),
        ("huge-strings", {**View(page="partners").to_dict(), "domain": HUGE, "admin1": [HUGE], "round": HUGE}),
        ("list", [1, 2, 3]),
        ("string", "x"),
        ("number", 7),
        ("empty", {}),
        ("none", None),
    ]


PATHS = [View(page=name, district="AF2701").path() for name in PAGES]  # every page of the registry
CRAFTED_PATHS = ["/district/NOPE", "/district/" + HUGE, "/district/../../etc/passwd", "/district/AF2701/x/y",
                 "/facilities", "/district/<script>", ["/"], {"a": 1}, 7, None]
SEARCHES = ["", "?admin1=AF27&round=2026-06-30", "?" + "&".join(f"tier={t}" for t in TIERS),
            "?indicator=pct_functional&present=1", "?weights=pin=2,severity=1&top=3"]
CRAFTED_SEARCHES = ["?facilities=1", "?facilities=1&admin1=AF27&" + "&".join(f"tier={t}" for t in TIERS),
                    "?top=99999999999999999999999", "?top=-1", "?weights=pin=abc", "?weights=pin=1e999",
                    "?indicator=" + HUGE, "?admin1=" + "&admin1=".join(["AF27"] * 2000),
                    "?facility_id=AFG-HF-999999", "?district=AFG-HF-999999", "?round=%00%ff", ["?x"], {"a": 1}]
CLICKS = [{"points": [{"location": "AF2701"}]}, {"points": [{"location": "NOPE", "customdata": ["x"]}]},
          {"points": [{"location": "AFG-HF-999999"}]}, {"points": [{"location": {"a": 1}}]},
          {"points": [{"location": ["AF2701"]}]}, {"points": [{"location": HUGE}]}, {"points": [{}]},
          {"points": []}, {"points": "x"}, {"points": [1]}, {"points": [None]}, "junk", [1, 2], 7, None]
CONTROLS = [[("round", "2026-06-30")], [("admin1", ["AF27", "AF01"])], [("tiers", list(TIERS))],
            [("indicator", "pin"), ("present", True)], [("weight:pin", 2), ("weight:severity", "3")], [("top", "5")],
            [("facilities", True)]]
CRAFTED_CONTROLS = [[("top", "abc")], [("top", -3)], [("top", [1])], [("weight:pin", "x")], [("weight:pin", [1])],
                    [("weight:pin", "inf")], [("weight:pin", "nan")], [("weight:" + HUGE, 1)], [("weights", "x")],
                    [("weights", {"pin": "x"})], [("round", ["a", "b"])], [("indicator", {"a": 1})],
                    [("present", "no")], [("facilities", "yes")], [("admin1", "AF27")], [("admin1", [1, {"a": 1}])], [("tiers", 5)],
                    [("page", "district"), ("district", "AF2701")], [("district", "AFG-HF-999999")],
                    [("facility_id", "AFG-HF-999999")], [("nope", 1)], [("round", HUGE)]]


@pytest.fixture(scope="module")
def public_calls(demo_path, demo) -> Calls:
    client = create_app(Settings(dataset=demo_path)).server.test_client()  # no login: the public
    return Calls(client, make_scanner(demo), client.get("/_dash-dependencies").get_json())


@pytest.fixture
def calls(public_calls) -> Calls:
    """The module's caller, with the errors and leaks of earlier tests cleared (each test reports its own)."""
    public_calls.errors.clear()
    public_calls.found.clear()
    return public_calls


def _find(calls: Calls, *, inputs: set[str]) -> list[dict]:
    return [d for d in calls.dependencies if {f"{i['id']}.{i['property']}" for i in d["inputs"]} == inputs]


PATHS_OF_NAV = [page.name for page in navigation()]  # the nav links' pages


def _defaults(dependency: dict) -> dict[str, object]:
    """Ordinary values for a callback's states (the weights a page shows, the nav links)."""
    values: dict[str, object] = {}
    for item in dependency["state"]:
        key = f"{item['id']}.{item['property']}"
        if key == f"{ids.VIEW}.data":
            values[key] = View().to_dict()
        elif is_wildcard(key) and '"nav"' in key:
            values[key] = [(ids.nav(page), ids.nav(page)) for page in PATHS_OF_NAV]
        elif '"weight:' in key:
            values[key] = DEFAULT_WEIGHTS.get(json.loads(item["id"])["key"].removeprefix("weight:"), 0)
    return values


# The scanner works: it finds what is planted, and finds the facility list a coordinator is sent.

def test_scanner_finds_planted_facility_data(demo):
    scanner = make_scanner(demo)
    facility = demo.facilities.iloc[123]
    name, fid, lat, lon = str(facility["name"]), str(facility["facility_id"]), facility["lat"], facility["lon"]
    clean = json.dumps({"response": {"page": {"children": ["Kabul", "Kandahar", 34.5, "AF2701"]}}}).encode()
    assert leaks(scanner, clean) == []
    planted = [json.dumps({"response": {"x": {"children": f"at {name}!"}}}),
               json.dumps({"response": {"x": {"children": f"<{name}>"}}}, ensure_ascii=True).replace("<", "\\u003c"),
               json.dumps({"response": {"grid": {"rowData": [{"id": fid}]}}}),
               json.dumps({"response": {"map": {"lat": [float(f"{lat:.4f}")]}}}),
               json.dumps({"response": {"map": {"text": f"({lat:.6f}, {lon:.5f})"}}})]
    for body in planted:
        assert leaks(scanner, body.encode()), body
    assert not leaks(scanner, json.dumps({"v": float(f"{lat:.4f}") + 0.00001234}).encode())  # another number
    table = pd.DataFrame({"district": ["Kabul"], "where": [name], "lat": [lat]})
    for fmt, data in (("csv", table.to_csv(index=False).encode()), ("xlsx", _xlsx(table))):
        sent = {"content": base64.b64encode(data).decode(), "filename": f"t.{fmt}", "base64": True, "type": None}
        found = leaks(scanner, json.dumps({"response": {"download": {"data": sent}}}).encode())
        assert name in found and repr(float(lat)) in found, (fmt, found)


def _xlsx(table: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    table.to_excel(buffer, index=False)
    return buffer.getvalue()


def test_forbidden_set_skips_only_generic_words(demo):
    """Demo facility names are "<district> <type> <n>" (e.g. "Kabul BHC 66") and codes "AFG-HF-000189":
    none is as short as 5 characters or equal to a district, province or type name, so nothing is skipped;
    a dataset with facilities called e.g. "Kabul" would skip those (else every page would "leak")."""
    scanner = make_scanner(demo)
    assert scanner.skipped == []
    assert len(scanner.coordinates) >= 3 * demo.facilities["lat"].nunique()
    assert scanner.words.search("Kabul Kandahar Basic Health Centre (BHC) primary AF2701") is None


def test_coordinator_downloads_would_be_caught(demo, monkeypatch):
    """The facility list as a coordinator gets it: the scanner flags it, in CSV and Excel."""
    from server import auth

    ctx, scanner = Context(demo, {}), make_scanner(demo)
    view = View(page="district", district="AF2701")
    for fmt in ("csv", "xlsx"):
        sent = download(ctx, view, "district-facilities", fmt, auth.COORDINATOR)
        assert len(set(leaks(scanner, json.dumps({"response": {"d": {"data": sent}}}).encode()))) > 10


def test_the_harness_catches_a_page_that_shows_facilities(calls, monkeypatch):
    """The same calls as a coordinator (whose district page lists facilities) are flagged: the checks below
    would fail if the public were sent them."""
    from server import auth

    monkeypatch.setattr(auth, "role", lambda: auth.COORDINATOR)
    (router,) = _find(calls, inputs={f"{ids.URL}.pathname", f"{ids.URL}.search"})
    calls.call(router, {f"{ids.URL}.pathname": "/district/AF2701", f"{ids.URL}.search": ""}, f"{ids.URL}.pathname",
               "coordinator")
    (sender,) = [d for d in calls.dependencies if d["output"] == f"{ids.DOWNLOAD}.data"]
    button = ids.export("district-facilities", "xlsx")
    calls.call(sender, {f"{sender['inputs'][0]['id']}.n_clicks": [(button, 1)],
                        f"{ids.VIEW}.data": View(page="district", district="AF2701").to_dict()},
               stringify(button) + ".n_clicks", "coordinator")
    assert len(calls.found) == 2 and calls.errors == []


def test_the_harness_catches_the_facility_layer(calls, demo, monkeypatch):
    """A coordinator's overview with the facility layer on is flagged, drawn and refreshed: the same calls as
    the public (the crafted views and searches with facilities on, below) would be caught if they leaked."""
    from server import auth

    monkeypatch.setattr(auth, "role", lambda: auth.COORDINATOR)
    (router,) = _find(calls, inputs={f"{ids.URL}.pathname", f"{ids.URL}.search"})
    calls.call(router, {f"{ids.URL}.pathname": "/", f"{ids.URL}.search": "?facilities=1"}, f"{ids.URL}.pathname",
               "coordinator layer")
    (refresh,) = [d for d in _find(calls, inputs={f"{ids.VIEW}.data"}) if d["output"].startswith(f"..{ids.MAP}.figure")]
    calls.call(refresh, {f"{ids.VIEW}.data": dict(crafted_views(demo))["facility-layer"]},
               f"{ids.VIEW}.data", "coordinator layer")
    assert len(calls.found) == 2 and calls.errors == []


# Every callback, as the public.

@pytest.mark.slow
def test_router_draws_every_page_without_facility_data(calls, demo):
    (router,) = _find(calls, inputs={f"{ids.URL}.pathname", f"{ids.URL}.search"})
    small = _small_district(demo)
    cases = [(path, search, None) for path in [*PATHS, f"/district/{small}"] for search in SEARCHES[:2]]
    cases += [(path, "", None) for path in CRAFTED_PATHS] + [("/", search, None) for search in CRAFTED_SEARCHES]
    cases += [(f"/district/{small}", SEARCHES[2], stored) for _, stored in crafted_views(demo)]
    drawn = 0
    for path, search, stored in cases:
        values = {f"{ids.URL}.pathname": path, f"{ids.URL}.search": search, f"{ids.VIEW}.data": stored}
        status, answer = calls.call(router, values, f"{ids.URL}.pathname", f"{path!s:.40} {search!s:.40}")
        drawn += status == 200 and "page" in answer.get("response", {})
    assert drawn >= len(PATHS) * 2
    calls.assert_clean()


@pytest.mark.slow
def test_view_callbacks_send_no_facility_data(calls, demo):
    """Each page's refresh (and every other callback fired by the view store) with ordinary and crafted views."""
    dependencies = _find(calls, inputs={f"{ids.VIEW}.data"})
    assert len(dependencies) >= len(PAGES)  # a refresh per page with callbacks, the nav links, the weights
    views = page_views(demo) + crafted_views(demo)
    for dependency in dependencies:
        for label, stored in views:
            if dependency["output"].startswith(DISTRICT_REFRESH) and label in UNKNOWN_DISTRICTS:
                continue  # a known crash: test_district_refresh_with_an_unknown_district
            values = {**_defaults(dependency), f"{ids.VIEW}.data": stored}
            calls.call(dependency, values, f"{ids.VIEW}.data", label)
    (links,) = [d for d in dependencies if '"nav"' in d["output"]]
    navs = [{"page": "nope", "type": "nav"}, {"page": ["x"], "type": "nav"}, {"page": None, "type": "nav"}]
    for nav in navs:
        values = {f"{ids.VIEW}.data": View().to_dict(), links["state"][0]["id"] + ".id": [(nav, nav)]}
        calls.call(links, values, f"{ids.VIEW}.data", f"nav {nav}")
    calls.assert_clean()


DISTRICT_REFRESH = f"..{ids.DISTRICT_BACK}.href"
UNKNOWN_DISTRICTS = {"unknown-district", "facility-as-district", "huge-district"}



def test_district_refresh_with_an_unknown_district(calls, demo):
    (refresh,) = [d for d in calls.dependencies if d["output"].startswith(DISTRICT_REFRESH)]
    for label, stored in crafted_views(demo):
        if label in UNKNOWN_DISTRICTS:
            calls.call(refresh, {f"{ids.VIEW}.data": stored}, f"{ids.VIEW}.data", label)
    calls.assert_clean()


def test_priority_weights_with_crafted_inputs(calls):
    (weights,) = [d for d in _find(calls, inputs={f"{ids.VIEW}.data"}) if '"weight:' in json.dumps(d["state"])]
    for value in ("x", None, -1, 1e308, [1], {"a": 1}, HUGE):
        values = {**_defaults(weights), f"{ids.VIEW}.data": View(page="priorities").to_dict()}
        values.update({k: value for k in values if '"weight:' in k})
        calls.call(weights, values, f"{ids.VIEW}.data", f"weights={value!s:.20}")
    calls.assert_clean()


@pytest.mark.slow
def test_map_clicks_open_districts_only(calls, demo):
    dependencies = [d for d in calls.dependencies if any(i["property"] == "clickData" for i in d["inputs"])]
    assert len(dependencies) >= 4
    for dependency in dependencies:
        key = next(f"{i['id']}.{i['property']}" for i in dependency["inputs"])
        for click in CLICKS:
            for label, stored in [("view", View().to_dict()), *crafted_views(demo)[-6:]]:
                status, answer = calls.call(dependency, {key: click, f"{ids.VIEW}.data": stored}, key,
                                            f"{str(click)[:30]} {label}")
                if status == 200 and answer["response"]:
                    assert answer["response"]["url"]["pathname"].startswith("/district/")
    calls.assert_clean()


def test_controls_write_only_the_view(calls, demo):
    (writer,) = [d for d in calls.dependencies if d["output"].startswith("..url.search")]
    pattern = writer["inputs"][0]
    key, id_key = f"{pattern['id']}.value", f"{pattern['id']}.id"
    for controls in CONTROLS + CRAFTED_CONTROLS:
        for label, stored in [("view", View().to_dict()), *crafted_views(demo)]:
            values = {key: [(ids.control(k), v) for k, v in controls],
                      id_key: [(ids.control(k), ids.control(k)) for k, _ in controls], f"{ids.VIEW}.data": stored}
            status, answer = calls.call(writer, values, stringify(ids.control(controls[0][0])) + ".value",
                                        f"{str(controls)[:40]} {label}")
            if status == 200 and answer["response"]:
                view = answer["response"][ids.VIEW]["data"]
                assert not set(view) - set(View.__dataclass_fields__)
    calls.assert_clean()


@pytest.mark.slow
def test_downloads_send_no_facility_data(calls, demo):
    (sender,) = [d for d in calls.dependencies if d["output"] == f"{ids.DOWNLOAD}.data"]
    pattern = f"{sender['inputs'][0]['id']}.n_clicks"
    small = _small_district(demo)
    views = [("default", View().to_dict()), ("district", View(page="district", district="AF2701").to_dict()),
             ("small", View(page="district", district=small, tiers=tuple(TIERS), admin1=(small[:4],)).to_dict())]
    sent = {}

    def click(table, fmt, stored, label):
        button = ids.export(table, fmt)
        values = {pattern: [(button, 1)], f"{ids.VIEW}.data": stored}
        return calls.call(sender, values, stringify(button) + ".n_clicks", f"{table!s:.30} {fmt!s:.10} {label}")

    for table in TABLES:
        for fmt in ("csv", "xlsx"):
            for label, stored in views:
                status, answer = click(table, fmt, stored, label)
                sent[(table, fmt, label)] = status, answer.get("response", {}).get(ids.DOWNLOAD, {}).get("data")
    for (table, fmt, label), (status, data) in sent.items():
        if table in COORDINATOR_ONLY or (table.startswith(DISTRICT_TABLES) and label == "default"):
            assert status in (200, 204) and data is None, (table, fmt, label)  # refused, or no district to send
        else:
            assert status == 200 and data["content"], (table, fmt, label)
    crafted = [("nope", "csv"), ("districts", "json"), ("districts", "../x"), ("../districts", "csv"),
               (["districts"], "csv"), ("districts", ["csv"]), ({"a": 1}, "csv"), (None, "csv"), (HUGE, "xlsx"),
               ("district-facilities", "csv "), ("DISTRICT-FACILITIES", "csv")]
    for table, fmt in crafted:
        status, answer = click(table, fmt, View().to_dict(), "crafted")
        assert status in (200, 204) and not answer.get("response"), (table, fmt)
    for table in ["districts", "district-key", "district-facilities", "priorities"]:
        for label, stored in crafted_views(demo):
            click(table, "csv", stored, label)
    status, answer = calls.call(sender, {pattern: [(ids.export("districts", "csv"), None)],
                                         f"{ids.VIEW}.data": View().to_dict()},
                                stringify(ids.export("districts", "csv")) + ".n_clicks", "no click")
    assert status in (200, 204) and not answer.get("response")
    calls.assert_clean()


def test_malformed_requests_are_refused_without_data(calls):
    """Requests Dash itself cannot match to a callback (an unknown output, an output id outside its pattern)
    fail in Dash before any code of ours runs: an error status, and nothing of the dataset."""
    (links,) = [d for d in calls.dependencies if '"nav"' in d["output"]]
    nav = {"type": "nav"}  # no "page": does not match the callback's {"page": ALL, "type": "nav"}
    status, _ = calls.call(links, {f"{ids.VIEW}.data": View().to_dict(), links["state"][0]["id"] + ".id": [(nav, nav)]},
                           f"{ids.VIEW}.data", "nav without page")
    response = calls.client.post("/_dash-update-component", json={"output": "nope.children", "outputs": {
        "id": "nope", "property": "children"}, "inputs": [], "state": [], "changedPropIds": []})
    assert status >= 400 and response.status_code >= 400
    assert calls.found == [] and not leaks(calls.scanner, response.data)


@pytest.mark.slow  # it counts the callbacks the slow tests above reach
def test_every_callback_is_covered(calls):
    """Runs last: every registered server callback was reached by a test above (a new one needs its cases).
    Clientside callbacks run in the browser only: the server has nothing of them to answer."""
    missing = [d["output"] for d in calls.dependencies
               if d["output"] not in calls.reached and not d.get("clientside_function")]
    assert missing == []
