"""The two subtraction attacks of issue 13, through the public HTTP endpoints (the CSV downloads a donor can
click): all facilities minus every type but one; two provinces minus one. The public recovers nothing; a
coordinator, who may see everything, gets every value back the same way."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pytest

from data.schema import TIERS
from tests.integration.session import ask_download, log_in
from view import View

COUNTS = ["facilities", "functional"]


def _csv(client, table: str, view: View) -> pd.DataFrame:
    response = ask_download(client, table, view)
    assert response.status_code == 200
    content = response.get_json()["response"]["download"]["data"]["content"]
    return pd.read_csv(io.StringIO(base64.b64decode(content).decode("utf-8-sig")), comment="#")


def _districts(client, **filters) -> pd.DataFrame:
    return _csv(client, "districts", View(**filters)).set_index("adm2_pcode")[COUNTS]


def _attack_by_type(client, tier: str) -> pd.DataFrame:
    """All facilities minus every facility type but `tier`: the type's counts per district, if it works."""
    rest = tuple(t for t in TIERS if t != tier)
    return _districts(client).fillna(0) - _districts(client, tiers=rest).fillna(0)


def test_all_minus_the_rest_recovers_nothing_in_public_and_everything_for_a_coordinator(client):
    public = client.application.test_client()  # no login: the donor's view
    log_in(client)
    for tier in ("secondary", "tertiary", "mobile"):
        truth = _districts(client, tiers=(tier,)).fillna(0)
        assert (truth["facilities"].between(1, 2)).any()  # small cells the attack goes for
        assert _attack_by_type(client, tier).equals(truth)  # the coordinator gets them back (and may)
        everything = _districts(public)
        assert _districts(public, tiers=(tier,)).equals(everything)  # the public's answer is always all types
        recovered = _attack_by_type(public, tier)
        assert (recovered == 0).all().all()  # a difference of two equal answers: nothing
        small = truth["facilities"].between(1, 2)
        assert (recovered.loc[small, "facilities"] != truth.loc[small, "facilities"]).all()


def _domains(client, *provinces: str) -> pd.DataFrame:
    table = _csv(client, "services-domains", View(page="services", admin1=provinces))
    return table.set_index("domain")[["service_answers", "available", "partial", "not_available"]]


@pytest.mark.slow
@pytest.mark.parametrize("pair", [("AF01", "AF03"), ("AF11", "AF27")])  # second: withheld districts
def test_two_provinces_minus_one_recovers_nothing_withheld(client, pair):
    first, second = pair
    public = _domains(client, first, second) - _domains(client, first)
    # The public's difference is the second province's own public table: its published districts only.
    assert public.equals(_domains(client, second))
    log_in(client)
    full = _domains(client, second)
    assert (_domains(client, first, second) - _domains(client, first)).equals(full)  # the coordinator's: all
    assert (public["service_answers"] < full["service_answers"]).all()  # the withheld districts are not in it
