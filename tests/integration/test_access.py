"""The two roles through the HTTP endpoints: the public sees aggregates, a coordinator logs in and sees the
facility list; wrong passwords are refused (test_hardening: at once, never slept on); production needs a
secret."""

from __future__ import annotations

import base64
import json

import pytest

from app import create_app
from pages.district.layout import FACILITY_NOTE
from server import auth
from settings import Settings
from tests.integration.session import PASSWORD, ask_download, csrf_token, log_in, page_text
from tests.integration.test_behaviour_snapshot import _ask
from view import View


def test_public_district_page_has_no_facility_list(client, demo):
    names = demo.facilities.loc[demo.facilities["adm2_pcode"] == "AF2701", "name"].astype(str).tolist()
    page = page_text(client, "/district/AF2701")
    assert FACILITY_NOTE in page and "Public view" in page and "Coordinator login" in page
    assert not any(name in page for name in names)


def test_coordinator_sees_the_facility_list_until_logout(client, demo):
    response = log_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    names = demo.facilities.loc[(demo.facilities["adm2_pcode"] == "AF2701")
                                & (demo.facilities["round"].astype(str) == "2026-12-31"), "name"].astype(str)
    page = page_text(client, "/district/AF2701")
    assert "Coordinator view" in page and "Logged in as ana" in page and FACILITY_NOTE not in page
    assert sum(name in page for name in names) == len(names) > 10
    sent = ask_download(client, "district-facilities", View(page="district", district="AF2701"))
    text = base64.b64decode(sent.get_json()["response"]["download"]["data"]["content"]).decode("utf-8-sig")
    assert names.iloc[0] in text
    assert client.post("/logout", data={"csrf": csrf_token(client)}).status_code == 302
    page = page_text(client, "/district/AF2701")
    assert FACILITY_NOTE in page and not any(name in page for name in names)


def test_public_cannot_download_the_facility_list(client, demo):
    response = ask_download(client, "district-facilities", View(page="district", district="AF2701"))
    assert response.status_code == 204 or "download" not in response.get_json().get("response", {})
    assert demo.facilities["name"].astype(str).iloc[0] not in response.get_data(as_text=True)


def test_wrong_password_is_refused(client):
    for _ in range(auth.FAILURES_ALLOWED):
        response = log_in(client, password="wrong")
        assert response.status_code == 200 and "Wrong user name or password" in response.get_data(as_text=True)
    blocked = log_in(client)  # even the right password waits once the name is blocked
    assert blocked.status_code == 429 and "Too many failed attempts" in blocked.get_data(as_text=True)
    assert "Public view" in page_text(client, "/")


def test_forms_need_their_token(client):
    assert client.post("/login", data={"username": "ana", "password": PASSWORD}).status_code == 400
    log_in(client)
    assert client.post("/logout", data={}).status_code == 400
    assert "Logged in as ana" in page_text(client, "/")


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


def test_the_facility_layer_is_the_coordinators_whatever_the_url_asks(client, demo):
    """The overview with ?facilities=1, asked through the endpoint as the browser does (page, then refresh):
    the public gets no point, a coordinator gets Kabul's facilities, named."""
    dependencies = client.get("/_dash-dependencies").get_json()
    router = next(d for d in dependencies if d["output"].startswith("..page.children"))
    refresh = next(d for d in dependencies if d["output"].startswith("..map.figure"))
    kabul = demo.facilities[(demo.facilities["adm1_pcode"] == "AF01")
                            & (demo.facilities["round"].astype(str) == demo.rounds["round"].astype(str).max())]

    def overview() -> str:
        page = _ask(client, router, {"url.pathname": "/", "url.search": "?facilities=1&admin1=AF01"}, "url.pathname")
        return json.dumps([page, _ask(client, refresh, {"view.data": page["view"]["data"]}, "view.data")])

    public = overview()
    assert not any(name in public for name in kabul["name"].astype(str))
    log_in(client)
    coordinator = overview()
    assert sum(name in coordinator for name in kabul["name"].astype(str)) > 10
