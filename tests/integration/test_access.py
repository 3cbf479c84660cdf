"""The two roles through the HTTP endpoints: the public sees aggregates, a coordinator logs in and sees the
facility list; wrong passwords are refused (test_hardening: at once, never slept on); production needs a
secret."""

from __future__ import annotations

import base64
import json
import re

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from bench.endpoint import update_payload
from pages.district.layout import FACILITY_NOTE
from view import View
from server import auth
from settings import Settings

PASSWORD = "correct horse battery staple"


@pytest.fixture
def client(demo_path):
    users = f"ana:{generate_password_hash(PASSWORD)}\n"
    app = create_app(Settings(dataset=demo_path, secret="test-secret", users_text=users))
    return app.server.test_client()


def _csrf(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _login(client, password=PASSWORD, name="ana"):
    return client.post("/login", data={"username": name, "password": password, "csrf": _csrf(client)})


def _page(client, path: str) -> str:
    deps = client.get("/_dash-dependencies").get_json()
    payload = update_payload(deps, "page.children", {"url.pathname": path, "url.search": ""}, "url.pathname",
                             {"view.data": None})
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _download(client, table: str, view: View):
    deps = client.get("/_dash-dependencies").get_json()
    button = {"format": "csv", "table": table, "type": "export"}
    callback = next(d for d in deps if d["output"] == "download.data")
    payload = {"output": callback["output"], "outputs": {"id": "download", "property": "data"},
               "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
               "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
               "state": [{"id": "view", "property": "data", "value": view.to_dict()}]}
    return client.post("/_dash-update-component", json=payload)


def test_public_district_page_has_no_facility_list(client, demo):
    names = demo.facilities.loc[demo.facilities["adm2_pcode"] == "AF2701", "name"].astype(str).tolist()
    page = _page(client, "/district/AF2701")
    assert FACILITY_NOTE in page and "Public view" in page and "Coordinator login" in page
    assert not any(name in page for name in names)


def test_coordinator_sees_the_facility_list_until_logout(client, demo):
    response = _login(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    names = demo.facilities.loc[(demo.facilities["adm2_pcode"] == "AF2701")
                                & (demo.facilities["round"].astype(str) == "2026-12-31"), "name"].astype(str)
    page = _page(client, "/district/AF2701")
    assert "Coordinator view" in page and "Logged in as ana" in page and FACILITY_NOTE not in page
    assert sum(name in page for name in names) == len(names) > 10
    sent = _download(client, "district-facilities", View(page="district", district="AF2701"))
    text = base64.b64decode(sent.get_json()["response"]["download"]["data"]["content"]).decode("utf-8-sig")
    assert names.iloc[0] in text
    assert client.post("/logout", data={"csrf": _csrf(client)}).status_code == 302
    page = _page(client, "/district/AF2701")
    assert FACILITY_NOTE in page and not any(name in page for name in names)


def test_public_cannot_download_the_facility_list(client, demo):
    response = _download(client, "district-facilities", View(page="district", district="AF2701"))
    assert response.status_code == 204 or "download" not in response.get_json().get("response", {})
    assert demo.facilities["name"].astype(str).iloc[0] not in response.get_data(as_text=True)


def test_wrong_password_is_refused(client):
    for _ in range(auth.FAILURES_ALLOWED):
        response = _login(client, password="wrong")
        assert response.status_code == 200 and "Wrong user name or password" in response.get_data(as_text=True)
    blocked = _login(client)  # even the right password waits once the name is blocked
    assert blocked.status_code == 429 and "Too many failed attempts" in blocked.get_data(as_text=True)
    assert "Public view" in _page(client, "/")


def test_forms_need_their_token(client):
    assert client.post("/login", data={"username": "ana", "password": PASSWORD}).status_code == 400
    _login(client)
    assert client.post("/logout", data={}).status_code == 400
    assert "Logged in as ana" in _page(client, "/")


def test_production_needs_a_secret_and_secure_cookies(demo_path):
    with pytest.raises(auth.AuthError, match="HEALTHGAPS_SECRET"):
        create_app(Settings(dataset=demo_path, production=True, users_text="ana:scrypt$x$y"))
    app = create_app(Settings(dataset=demo_path, production=True, secret="s" * 40, users_text="ana:scrypt$x$y"))
    assert app.server.config["SESSION_COOKIE_SECURE"] is True


def test_demo_coordinator_has_a_random_password_kept_beside_the_dataset(tmp_path, capsys):
    users = auth.users_for(None, None, tmp_path, synthetic=True, production=False)
    saved = (tmp_path / "demo-login.txt").read_text().split()
    assert saved[:2] == ["user", "coordinator"] and len(saved[-1]) >= 16
    assert "demo-login.txt" in capsys.readouterr().err
    assert auth.check_password_hash(users["coordinator"], saved[-1])
    assert auth.users_for(None, None, tmp_path, synthetic=False, production=False) == {}  # real data: no default
    with pytest.raises(auth.AuthError, match="line 1"):
        auth.read_users("ana-without-hash\n")
