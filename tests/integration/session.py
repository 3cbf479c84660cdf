"""A browser's session through Flask's test client: the coordinator's login, the router's page, a download.
Shared by the integration tests (the `client` fixture is in conftest.py)."""

from __future__ import annotations

import json
import re

from werkzeug.security import generate_password_hash

from bench.endpoint import update_payload
from view import View

PASSWORD = "correct horse battery staple"
USERS = f"ana:{generate_password_hash(PASSWORD)}\n"  # one coordinator, ana


def csrf_token(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def log_in(client, password: str = PASSWORD, name: str = "ana"):
    return client.post("/login", data={"username": name, "password": password, "csrf": csrf_token(client)})


def page_text(client, path: str) -> str:
    """The router's answer for a path, as text: what the page shows."""
    deps = client.get("/_dash-dependencies").get_json()
    payload = update_payload(deps, "page.children", {"url.pathname": path, "url.search": ""}, "url.pathname",
                             {"view.data": None})
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def ask_download(client, table: str, view: View):
    """The response to a click on a table's CSV button, with `view` in the store."""
    deps = client.get("/_dash-dependencies").get_json()
    button = {"format": "csv", "table": table, "type": "export"}
    callback = next(d for d in deps if d["output"] == "download.data")
    payload = {"output": callback["output"], "outputs": {"id": "download", "property": "data"},
               "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
               "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
               "state": [{"id": "view", "property": "data", "value": view.to_dict()}]}
    return client.post("/_dash-update-component", json=payload)
