"""A view's list fields are capped and de-duplicated however they arrive (URL or the browser's store), so a
crafted request cannot make a view, or the work done for it, grow with repetition."""

from __future__ import annotations

from urllib.parse import urlencode

from view import MAX_VALUES, MAX_WEIGHTS, View, checked, from_dict, parse


def test_url_lists_are_deduplicated_in_order_and_capped():
    search = urlencode([("admin1", "AF27"), ("admin1", "AF01"), ("admin1", "AF27"), ("tier", "primary")] +
                       [("activity", f"a{n}") for n in range(5000)])
    view = parse("/", "?" + search)
    assert view.admin1 == ("AF27", "AF01") and view.tiers == ("primary",)
    assert view.activities == tuple(f"a{n}" for n in range(MAX_VALUES))


def test_url_weights_are_capped():
    weights = ",".join(f"w{n}={n}" for n in range(1000))
    assert list(parse("/priorities", f"?weights={weights}").weights) == [f"w{n}" for n in range(MAX_WEIGHTS)]


def test_stored_lists_and_weights_are_deduplicated_and_capped():
    stored = View().to_dict() | {"tiers": ["primary"] * 100_000 + ["secondary", "primary"],
                                 "admin1": [f"P{n}" for n in range(10_000)],
                                 "weights": {f"w{n}": 1.0 for n in range(10_000)}}
    view = from_dict(stored)
    assert view.tiers == ("primary", "secondary")
    assert view.admin1 == tuple(f"P{n}" for n in range(MAX_VALUES))
    assert len(view.weights) == MAX_WEIGHTS and list(view.weights)[:2] == ["w0", "w1"]
    assert checked("org_types", ("UN", "UN", "INGO")) == ("UN", "INGO")


def test_a_short_list_is_unchanged():
    view = View(admin1=("AF27", "AF01"), tiers=("primary",))
    assert from_dict(view.to_dict()) == view and parse(view.path(), view.search()) == view
