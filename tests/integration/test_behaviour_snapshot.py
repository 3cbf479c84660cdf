"""Every page's answers for a saved set of views, public and coordinator, compared with what they were.

Written before the pages were reorganised (issue 14) so that a refactor can prove it changed nothing a user
sees. It asks through Dash's HTTP endpoint only (component ids and properties, never module names): the
router's page for each URL, then every callback that follows the view store, then every download. What
differs from run to run (the build date, the form token, the dataset's folder) is replaced by a placeholder.

To record them again after a change you meant to make: HEALTHGAPS_SNAPSHOT_WRITE=1 pytest this file, then
read the diff of what changed before committing it.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
from pathlib import Path

import pytest

from app import create_app
from settings import Settings
from tests.integration.session import USERS, log_in

SNAPSHOTS = Path(__file__).parents[1] / "fixtures" / "page_outputs"
VIEWS = (
    "/", "/?indicator=availability_score&admin1=AF27", "/?round=2026-06-30&domain=child_health",
    "/?tier=secondary&ownership=ngo&present=1", "/?facilities=1&admin1=AF01", "/?indicator=nope&round=1999",
    "/services", "/services?admin1=AF01&round=2026-09-30", "/services?domain=srh",
    "/partners", "/partners?org_type=INGO&activity=Nutrition+(CMAM)", "/partners?admin1=AF27&admin1=AF01",
    "/priorities", "/priorities?weights=severity=1,pin=1,phc_per_10k=2&top=5", "/priorities?admin1=AF01",
    "/district/AF0101", "/district/AF2701?round=2026-06-30", "/district/XX9999",
    "/change", "/change?indicator=pct_fully_functional&before=2026-03-31", "/change?round=2026-03-31",
    "/data",
)
DOWNLOAD_VIEWS = ("/", "/partners?admin1=AF27", "/priorities?top=5", "/district/AF2701", "/change",
                  "/services?admin1=AF01")
TABLES = ("catalogue", "change", "district-facilities", "district-key", "district-trend", "districts",
          "partners-coverage-matrix", "partners-duplication", "partners-gaps", "partners-who-is-where", "priorities",
          "rejected", "services-barriers", "services-domains", "services-matrix", "services-tracers", "standards")


@pytest.fixture(scope="module")
def app(demo_path):
    users = USERS
    return create_app(Settings(dataset=demo_path, secret="snapshot-secret", users_text=users))


def _client(app, role: str):
    client = app.server.test_client()
    if role == "coordinator":
        assert log_in(client).status_code == 302
    return client


def _value(key: dict, given: dict):
    """An input's value: the view store's, or none (a pattern-matching one: no components)."""
    name = f"{key['id']}.{key['property']}"
    if name in given:
        return given[name]
    return [] if key["id"].startswith("{") and '["ALL"]' in key["id"] else None


def _entry(key: dict, given: dict) -> dict | list:
    component = json.loads(key["id"]) if key["id"].startswith("{") else key["id"]
    value = _value(key, given)
    if isinstance(component, dict) and isinstance(value, list):
        return value
    return {"id": component, "property": key["property"], "value": value}


def _ask(client, callback: dict, given: dict, changed: str):
    outputs = [o.rsplit(".", 1) for o in callback["output"].strip(".").split("...")]
    specs = [{"id": json.loads(c) if c.startswith("{") else c, "property": p.split("@")[0]} for c, p in outputs]
    payload = {"output": callback["output"], "outputs": specs if callback["output"].startswith("..") else specs[0],
               "inputs": [_entry(i, given) for i in callback["inputs"]],
               "changedPropIds": [changed], "state": [_entry(s, given) for s in callback["state"]]}
    response = client.post("/_dash-update-component", json=payload)
    if response.status_code == 204:
        return "no update"
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def _downloads(client, view: dict) -> dict:
    answers = {}
    for name in TABLES:
        button = {"format": "csv", "table": name, "type": "export"}
        payload = {"output": "download.data", "outputs": {"id": "download", "property": "data"},
                   "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
                   "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
                   "state": [{"id": "view", "property": "data", "value": view}]}
        response = client.post("/_dash-update-component", json=payload)
        data = response.get_json()["response"].get("download", {}).get("data") if response.status_code == 200 else None
        if not data:
            answers[name] = f"no file ({response.status_code})"
            continue
        answers[name] = {"filename": data["filename"],
                         "content": base64.b64decode(data["content"]).decode("utf-8-sig").splitlines()}
    return answers


def answers(app, role: str) -> dict:
    """{url: {"page": router's answer, "view": {callback output: answer}, "downloads": {...}}} for a role."""
    client = _client(app, role)
    dependencies = client.get("/_dash-dependencies").get_json()
    router = next(d for d in dependencies if d["output"].startswith("..page.children"))
    followers = [d for d in dependencies if any(i["id"] == "view" for i in d["inputs"])
                 and not d.get("clientside_function")]
    result = {}
    for url in VIEWS:
        path, _, search = url.partition("?")
        page = _ask(client, router, {"url.pathname": path, "url.search": "?" + search if search else ""},
                    "url.pathname")
        view = page["view"]["data"]
        entry = {"page": page,
                 "view": {d["output"]: _ask(client, d, {"view.data": view}, "view.data") for d in followers}}
        if url in DOWNLOAD_VIEWS:
            entry["downloads"] = _downloads(client, view)
        result[url] = entry
    return result


def normalised(value, replacements: dict[str, str]):
    """The answers as JSON text with what changes from run to run replaced, then parsed back."""
    text = json.dumps(value, sort_keys=True)
    text = re.sub(r'("name": "csrf", "type": "hidden", "value": )"[^"]*"', r'\1"<csrf>"', text)
    text = re.sub(r'# exported: [0-9T:+-]+', "# exported: <now>", text)
    for old, new in replacements.items():
        text = text.replace(old, new)
    return json.loads(text)


def _differences(old, new, where: str = "") -> list[str]:
    if type(old) is not type(new):
        return [f"{where}: {str(old)[:200]} -> {str(new)[:200]}"]
    if isinstance(old, dict):
        out = [f"{where}/{k}: only before" for k in old.keys() - new.keys()]
        out += [f"{where}/{k}: only after" for k in new.keys() - old.keys()]
        for k in sorted(old.keys() & new.keys()):
            out += _differences(old[k], new[k], f"{where}/{k}")
        return out
    if isinstance(old, list):
        if len(old) != len(new):
            return [f"{where}: {len(old)} items -> {len(new)}"]
        return [d for i, (a, b) in enumerate(zip(old, new)) for d in _differences(a, b, f"{where}[{i}]")]
    return [] if old == new else [f"{where}: {str(old)[:200]} -> {str(new)[:200]}"]


@pytest.mark.parametrize("role", ["public", "coordinator"])
def test_every_page_answers_as_before(app, demo_path, demo, role):
    built = str(demo.manifest["built_at"])
    got = normalised(answers(app, role), {built: "<built_at>", built[:10]: "<built>", str(demo_path): "<dataset>"})
    saved = SNAPSHOTS / f"{role}.json.gz"
    if os.environ.get("HEALTHGAPS_SNAPSHOT_WRITE"):
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        saved.write_bytes(gzip.compress(json.dumps(got, sort_keys=True, indent=0).encode(), mtime=0))
    expected = json.loads(gzip.decompress(saved.read_bytes()))
    assert set(got) == set(VIEWS)
    differences = _differences(expected, got)
    assert not differences, f"{len(differences)} answers differ, first ones:\n" + "\n".join(differences[:30])
