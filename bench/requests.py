"""The three interactions measured through the real callback endpoint of the served app, each as the chain of
requests Dash's renderer sends for it:

- a filter change on the overview: the URL writer (the controls' values -> URL and view), then the overview's
  callback on the new view; the nav links and the router (which finds the page already drawn) fire as well;
- a weight change on the priorities page: the same chain with the priorities callbacks;
- opening a district profile: the map click (-> URL), the router drawing /district/<pcode>, then the
  district callback.

Time is the chain's critical path as the client sees it on loopback (URL writer + page callback; click +
router + page callback), bytes are every response body of the chain as sent with Accept-Encoding: gzip, br.
Each request is attributed to the worker that served it, so a view is "first asked" of the worker that had
never computed it and "asked again" of one that had (each worker keeps its own caches).
"""

from __future__ import annotations

import gzip
import http.client
import json
import time
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import brotli

from analysis.catalogue import DOMAINS, INDICATORS
from bench.endpoint import update_payload
from bench.server import Server, served_by
from pages import ids
from pages.controls import ALL as ALL_OPTION
from pages.registry import navigation
from view import LISTS, View

ENDPOINT = "/_dash-update-component"
ENCODINGS = "gzip, br"
AGAIN_TRIES = 6  # requests sent for "asked again" before giving up on hitting a worker that saw the view


@dataclass
class Answer:
    ms: float
    wire: int  # body bytes as sent (compressed)
    status: int
    body: dict | None
    worker: int


def post(server: Server, payload: dict, path: str = ENDPOINT) -> Answer:
    """POST a callback request; the time until the whole (compressed) body is read, and who served it."""
    parts = urlsplit(server.url)
    data = json.dumps(payload).encode()
    before = server.cpu()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    start = time.perf_counter()
    connection.request("POST", path, data, {"Content-Type": "application/json", "Accept-Encoding": ENCODINGS})
    response = connection.getresponse()
    raw = response.read()
    ms = (time.perf_counter() - start) * 1000
    connection.close()
    worker = served_by(before, server.cpu())
    encoding = response.getheader("Content-Encoding", "")
    text = brotli.decompress(raw) if encoding == "br" else gzip.decompress(raw) if encoding == "gzip" else raw
    if response.status not in (200, 204):
        raise RuntimeError(f"callback answered {response.status}: {text[:500]!r}")
    return Answer(ms, len(raw), response.status, json.loads(text) if text else None, worker)


def get_json(server: Server, path: str) -> object:
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    connection.request("GET", path)
    body = connection.getresponse().read()
    connection.close()
    return json.loads(body)


def callback(dependencies: list[dict], output: str | None = None, input_id: str | None = None) -> dict:
    """The callback whose output string holds `output` and/or which takes `input_id` as an input."""
    return next(d for d in dependencies if (output is None or output in d["output"])
                and (input_id is None or any(i["id"] == input_id for i in d["inputs"])))


def _entry(spec: dict, values: dict) -> dict | list:
    key = f"{spec['id']}.{spec['property']}"
    if '["ALL"]' in spec["id"]:  # a wildcard: the browser sends every matching component
        return [{"id": component, "property": spec["property"], "value": value} for component, value in values[key]]
    component = json.loads(spec["id"]) if spec["id"].startswith("{") else spec["id"]
    return {"id": component, "property": spec["property"], "value": values.get(key)}


def _output(spec: dict, values: dict) -> dict | list:
    """An output; a wildcard one lists the matching components, taken from the values of the same wildcard."""
    if '["ALL"]' not in spec["id"]:
        return {**spec, "id": json.loads(spec["id"]) if spec["id"].startswith("{") else spec["id"]}
    components = next(v for k, v in values.items() if k.rsplit(".", 1)[0] == spec["id"])
    return [{"id": component, "property": spec["property"]} for component, _ in components]


def payload(dependency: dict, values: dict, changed: str) -> dict:
    """The request body for one callback: `values` maps "<id>.<property>" of each input and state to its value
    (for a wildcard id, to a list of (component id, value))."""
    body = update_payload([dependency], dependency["output"], {}, changed)
    outputs = [_output(o, values) for o in body["outputs"]]
    body["outputs"] = outputs if dependency["output"].startswith("..") else outputs[0]  # one output: not a list
    body["inputs"] = [_entry(spec, values) for spec in dependency["inputs"]]
    body["state"] = [_entry(spec, values) for spec in dependency["state"]]
    return body


def _json(view: View) -> dict:
    return json.loads(json.dumps(view.to_dict()))


def _components(node: object):
    """Every serialised component in a layout: (its type, its props)."""
    if isinstance(node, list):
        for item in node:
            yield from _components(item)
    elif isinstance(node, dict):
        props = node.get("props", {})
        if isinstance(props, dict):
            yield node.get("type"), props
            for value in props.values():
                yield from _components(value)


def controls_of(children: object) -> dict[str, object]:
    """The view controls a page's layout holds: key -> value."""
    return {props["id"]["key"]: props.get("value") for _, props in _components(children)
            if isinstance(props.get("id"), dict) and props["id"].get("type") == "view"}


def held_of(children: object) -> dict[str, object]:
    """What the page's stores hold ("<id>.data" -> value, e.g. what the overview's map shows): the browser
    sends them as the page callbacks' states."""
    return {f"{props['id']}.data": props.get("data") for kind, props in _components(children)
            if kind == "Store" and isinstance(props.get("id"), str)}


def control_value(view: View, key: str) -> object:
    """What a control shows for a view (the inverse of the router's apply_controls)."""
    if key.startswith("weight:"):
        return view.weights.get(key.removeprefix("weight:"), 0)
    value = getattr(view, key)
    if key in LISTS.values():
        return list(value)
    if key in ("present", "facilities", "top"):
        return value
    return ALL_OPTION if value is None else value


@dataclass
class Session:
    """What the benchmark holds of the app: the server, its callbacks, and the views each worker has seen."""
    server: Server
    rounds: list[str]
    districts: list[tuple[str, str]]  # (adm2 p-code, adm1 p-code), in the dataset's order
    dependencies: list[dict] = field(default_factory=list)
    seen: set[tuple[int, str]] = field(default_factory=set)
    held: dict[str, object] = field(default_factory=dict)  # the opened page's stores: "<id>.data" -> value

    def __post_init__(self) -> None:
        self.dependencies = get_json(self.server, "/_dash-dependencies")  # type: ignore[assignment]
        self.router = callback(self.dependencies, "page.children")
        self.writer = callback(self.dependencies, "url.search")
        self.links = callback(self.dependencies, "shell.className")

    def open(self, view: View) -> tuple[View, dict[str, object]]:
        """Draw a page through the router, as loading its URL does: (its view, its controls and values). What
        its stores hold is kept in `held`, sent as the browser sends it."""
        answer = post(self.server, payload(self.router, {"url.pathname": view.path(), "url.search": view.search(),
                                                         "view.data": None}, "url.pathname"))
        response = answer.body["response"]
        self.held = held_of(response["page"]["children"])
        return _view(response["view"]["data"]), controls_of(response["page"]["children"])

    @property
    def provinces(self) -> list[str]:
        return list(dict.fromkeys(province for _, province in self.districts))

    def districts_spread(self, count: int) -> list[str]:
        """`count` districts, one per province in turn (the first of each, then the second...)."""
        by_province: dict[str, list[str]] = {}
        for code, province in self.districts:
            by_province.setdefault(province, []).append(code)
        order = [codes[i] for i in range(max(map(len, by_province.values()))) for codes in by_province.values()
                 if i < len(codes)]
        return order[:count]

    def first_or_again(self, worker: int, view: View) -> str:
        key = (worker, json.dumps(_json(view), sort_keys=True))
        kind = "again" if key in self.seen else "first"
        self.seen.add(key)
        return kind

    def _links(self, view_data: dict) -> Answer:
        """The nav links and the shell's class, which every view change refreshes."""
        navs = [(ids.nav(page.name), ids.nav(page.name)) for page in navigation()]
        return post(self.server, payload(self.links, {'{"page":["ALL"],"type":"nav"}.id': navs, "view.data": view_data},
                                         "view.data"))

    def _fired(self, view_data: dict, controls: dict[str, object], weights: bool) -> list[Answer]:
        """The callbacks a new view fires besides the page's own: nav links, the router (the URL's search
        changed; it finds the view drawn already) and, on the priorities page, the weight inputs' refresher."""
        view = _view(view_data)
        answers = [self._links(view_data), post(self.server, payload(self.router, {
            "url.pathname": view.path(), "url.search": view.search(), "view.data": view_data}, "url.search"))]
        if weights:
            shown = callback(self.dependencies, "priority-weights.children")
            values = {f"{s['id']}.{s['property']}": controls.get(json.loads(s["id"])["key"]) for s in shown["state"]}
            answers.append(post(self.server, payload(shown, {**values, "view.data": view_data}, "view.data")))
        return answers

    def change(self, before: View, controls: dict[str, object], after: View,
               page_output: str) -> tuple[Answer, list[Answer]]:
        """A control change from view `before` to `after` on a page: (the page callback's answer, every answer
        of the chain, writer first)."""
        chosen = [(ids.control(k), control_value(after, k)) for k in controls]
        changed = next(k for k in controls if control_value(after, k) != control_value(before, k))
        wildcard = '{"key":["ALL"],"type":"view"}'
        written = post(self.server, payload(self.writer, {
            f"{wildcard}.value": chosen, f"{wildcard}.id": [(c, c) for c, _ in chosen], "view.data": _json(before)},
            json.dumps(ids.control(changed), sort_keys=True, separators=(",", ":")) + ".value"))
        new = written.body["response"]["view"]["data"]
        if _view_fields(new) != _view_fields(_json(after)):
            raise RuntimeError(f"the URL writer made another view than the benchmark meant: {new} != {_json(after)}")
        page = post(self.server, payload(callback(self.dependencies, page_output), {**self.held, "view.data": new},
                                         "view.data"))
        return page, [written, page, *self._fired(new, controls, weights=after.page == "priorities")]

    def open_district(self, before: View, map_id: str, code: str) -> tuple[Answer, list[Answer]]:
        """A click on a district of a map: (the district callback's answer, the chain: click, router, page,
        links)."""
        click = callback(self.dependencies, input_id=map_id)
        clicked = post(self.server, payload(click, {f"{map_id}.clickData": {"points": [{"location": code}]},
                                                    "view.data": _json(before)}, f"{map_id}.clickData"))
        path = next(iter(clicked.body["response"].values()))["pathname"]
        drawn = post(self.server, payload(self.router, {"url.pathname": path, "url.search": before.search(),
                                                        "view.data": _json(before)}, "url.pathname"))
        view_data = drawn.body["response"]["view"]["data"]
        page = post(self.server, payload(callback(self.dependencies, "..district-back.href"), {"view.data": view_data},
                                         "view.data"))
        return page, [clicked, drawn, page, self._links(view_data)]


def _view(data: dict) -> View:
    return View(**{**View().__dict__, **_view_fields(data)})


def _view_fields(data: dict) -> dict:
    """A stored view as View fields (lists as tuples), for comparing and rebuilding."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in View.__dataclass_fields__}


@dataclass
class Samples:
    """Times (ms) and bytes of one measured interaction, split by first asked / asked again."""
    times: dict[str, list[float]] = field(default_factory=lambda: {"first": [], "again": []})
    sizes: dict[str, list[float]] = field(default_factory=lambda: {"first": [], "again": []})
    page_times: dict[str, list[float]] = field(default_factory=lambda: {"first": [], "again": []})

    def add(self, kind: str, critical_ms: float, wire: int, page_ms: float) -> None:
        self.times[kind].append(critical_ms)
        self.sizes[kind].append(wire)
        self.page_times[kind].append(page_ms)


def _repeat(session: Session, run, view: View, samples: Samples, critical: int) -> None:
    """Run an interaction for a view once (first asked, normally), then until a worker that saw it answers."""
    for _attempt in range(AGAIN_TRIES + 1):
        page, chain = run()
        kind = session.first_or_again(page.worker, view)
        samples.add(kind, sum(a.ms for a in chain[:critical]), sum(a.wire for a in chain), page.ms)
        if kind == "again":
            return


def filter_views(session: Session, kind: str, count: int) -> list[View]:
    """`count` distinct overview views of one kind of change: a province, a round or domain, an indicator."""
    dataset_rounds = session.rounds
    provinces = session.provinces
    views = []
    for i in range(count):
        if kind == "province":
            views.append(View(admin1=(provinces[i % len(provinces)],),
                              round=dataset_rounds[-1 - (i // len(provinces)) % len(dataset_rounds)]))
        elif kind == "round":  # the whole country in another round or domain (the public has no type filter)
            others = [(r, d) for r in reversed(dataset_rounds) for d in (None, *DOMAINS)
                      if (r, d) != (dataset_rounds[-1], None)]
            chosen_round, domain = others[i % len(others)]
            views.append(View(round=chosen_round, domain=domain))
        else:
            names = [name for name in INDICATORS if name != View().indicator]
            views.append(View(indicator=names[i % len(names)], round=dataset_rounds[-1 - (i // len(names))
                                                                                    % len(dataset_rounds)]))
    return [replace(v, round=None) if v.round == dataset_rounds[-1] else v for v in views]


def filter_change(session: Session, kind: str, repeats: int) -> Samples:
    """A change on the overview from its default view to `repeats` distinct views of one kind."""
    start, controls = session.open(View())
    samples = Samples()
    for view in filter_views(session, kind, repeats):
        _repeat(session, lambda view=view: session.change(start, controls, view, "..map.figure..."), view, samples, 2)
    return samples


def weight_change(session: Session, repeats: int) -> Samples:
    """A weight change on the priorities page: each repeat a different severity weight."""
    start, controls = session.open(View(page="priorities"))
    samples = Samples()
    for i in range(repeats):
        severity = round(start.weights["severity"] + 0.01 * (i + 1), 2)
        view = replace(start, weights={**start.weights, "severity": severity})
        _repeat(session, lambda view=view: session.change(start, controls, view, "..priority-table.rowData"), view,
                samples, 2)
    return samples


def district_open(session: Session, repeats: int) -> Samples:
    """A click on a district of the overview map: each repeat a district of another province (while there are
    provinces left), so its province's tables are computed afresh."""
    start, _ = session.open(View())
    samples = Samples()
    for code in session.districts_spread(repeats):
        view = View(page="district", district=code)
        _repeat(session, lambda code=code: session.open_district(start, ids.MAP, code), view, samples, 3)
    return samples
