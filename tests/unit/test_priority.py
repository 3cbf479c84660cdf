"""Priority ranking: hand-computed scores, exclusions, classes, stability, properties, and the export CLI."""

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import __main__ as cli
from analysis import districts, standards
from analysis.catalogue import INDICATORS
from analysis.filters import Filter
from analysis.priority import DEFAULT_WEIGHTS, Method, default_method, method_text, parse_weights, rank
from data.dataset import Dataset, load_dataset

WORSE, BETTER = "higher_is_worse", "higher_is_better"


def _table(**columns) -> pd.DataFrame:
    codes = [f"AF010{i + 1}" for i in range(len(next(iter(columns.values()))))]
    return pd.DataFrame({"adm2_pcode": codes, **columns})


# The hand-computed example: four districts, severity (higher is worse, min-max), availability (higher is
# better, min-max), phc (against a standard of 1), weights 2 : 1 : 1 -> 0.5, 0.25, 0.25.
EXAMPLE = _table(severity=[5, 3, 1, 3], availability=[20.0, 60.0, 100.0, 40.0], phc=[0.5, 1.5, 0.8, 0.0])
EXAMPLE_METHOD = Method(weights={"severity": 2, "availability": 1, "phc": 1},
                        directions={"severity": WORSE, "availability": BETTER, "phc": BETTER},
                        standards={"phc": 1.0}, top_n=1)


def test_hand_computed_example():
    ranked, excluded = rank(EXAMPLE, EXAMPLE_METHOD)
    # severity: min 1, max 5, range 4 -> need (x - 1) / 4: A 4/4 = 1, B 2/4 = 0.5, C 0, D 0.5
    # availability: min 20, max 100, range 80 -> need (100 - x) / 80: A 1, B 40/80 = 0.5, C 0, D 60/80 = 0.75
    # phc against 1: need clip(1 - x, 0, 1): A 0.5, B 0 (1.5 is above the standard), C 0.2, D 1
    # contributions 100 x weight x need:
    #   A: 50 x 1 = 50, 25 x 1 = 25, 25 x 0.5 = 12.5 -> 87.5
    #   B: 50 x 0.5 = 25, 25 x 0.5 = 12.5, 0 -> 37.5
    #   C: 0, 0, 25 x 0.2 = 5 -> 5
    #   D: 50 x 0.5 = 25, 25 x 0.75 = 18.75, 25 x 1 = 25 -> 68.75
    assert ranked["adm2_pcode"].tolist() == ["AF0101", "AF0104", "AF0102", "AF0103"]
    assert ranked["priority_score"].tolist() == pytest.approx([87.5, 68.75, 37.5, 5.0])
    assert ranked["priority_rank"].tolist() == [1, 2, 3, 4]
    # class 1 + floor(score / 20): 87.5 -> 5, 68.75 -> 4, 37.5 -> 2, 5 -> 1
    assert ranked["priority_class"].tolist() == [5, 4, 2, 1]
    assert ranked["contribution_severity"].tolist() == pytest.approx([50, 25, 25, 0])
    assert ranked["contribution_availability"].tolist() == pytest.approx([25, 18.75, 12.5, 0])
    assert ranked["contribution_phc"].tolist() == pytest.approx([12.5, 25, 0, 5])
    assert list(ranked.columns) == ["adm2_pcode", "priority_score", "priority_rank", "priority_class", "stability",
                                    "contribution_severity", "contribution_availability", "contribution_phc"]
    assert excluded.empty and list(excluded.columns) == ["adm2_pcode", "missing"]


def test_contributions_add_up_to_the_score():
    ranked, _ = rank(EXAMPLE, EXAMPLE_METHOD)
    contributions = ranked.filter(like="contribution_").sum(axis=1)
    assert contributions.tolist() == pytest.approx(ranked["priority_score"].tolist())


def test_standard_gives_no_need_at_or_above_it():
    # against standard 2: need = clip(1 - x / 2, 0, 1): 0 -> 1, 1 -> 0.5, 2 -> 0, 8 -> 0 (not negative)
    # (min-max would have given 8 -> 0, 2 -> 0.75, 1 -> 0.875, 0 -> 1)
    table = _table(phc=[0.0, 1.0, 2.0, 8.0])
    method = Method(weights={"phc": 1}, directions={"phc": BETTER}, standards={"phc": 2.0})
    ranked, _ = rank(table, method)
    assert ranked.set_index("adm2_pcode")["priority_score"].to_dict() == pytest.approx(
        {"AF0101": 100, "AF0102": 50, "AF0103": 0, "AF0104": 0})


def test_standard_on_a_higher_is_worse_indicator_is_refused():
    method = Method(weights={"pin": 1}, directions={"pin": WORSE}, standards={"pin": 5.0})
    with pytest.raises(ValueError, match="higher_is_better indicator only"):
        rank(_table(pin=[1, 2]), method)


def test_all_equal_values_give_no_need():
    ranked, _ = rank(_table(severity=[3, 3, 3]), Method(weights={"severity": 1}, directions={"severity": WORSE}))
    assert ranked["priority_score"].tolist() == [0, 0, 0]
    assert ranked["priority_rank"].tolist() == [1, 2, 3]  # ties in p-code order
    assert ranked["adm2_pcode"].tolist() == ["AF0101", "AF0102", "AF0103"]


def test_missing_values_exclude_a_district_and_min_max_uses_the_others():
    table = _table(severity=[1, 3, 5, None, 2], pin=pd.array([10, None, 30, None, 20], dtype="Int64"),
                   unused=[None, None, None, None, None])
    method = Method(weights={"severity": 1, "pin": 1, "zero": 0}, directions={"severity": WORSE, "pin": WORSE})
    ranked, excluded = rank(table, method)
    # AF0102 lacks pin; AF0104 lacks both (named in weight order). `unused` and the weight-0 `zero` are not used.
    assert excluded.to_dict("records") == [{"adm2_pcode": "AF0102", "missing": "pin"},
                                           {"adm2_pcode": "AF0104", "missing": "severity; pin"}]
    # ranked AF0101 (1, 10), AF0103 (5, 30), AF0105 (2, 20): severity range 1-5, need (x - 1) / 4 -> 0, 1, 0.25;
    # pin range 10-30, need (x - 10) / 20 -> 0, 1, 0.5; score 50 x both: 0, 100, 37.5
    assert ranked.set_index("adm2_pcode")["priority_score"].to_dict() == pytest.approx(
        {"AF0101": 0, "AF0103": 100, "AF0105": 37.5})
    assert sorted(ranked["priority_rank"]) == [1, 2, 3]
    assert [c for c in ranked.columns if c.startswith("contribution_")] == ["contribution_severity", "contribution_pin"]


def test_class_bands():
    # against standard 100, score = 100 - x:
    # x 100 -> 0, 80.01 -> 19.99, 80 -> 20, 60 -> 40, 40 -> 60, 0.01 -> 99.99, 0 -> 100
    table = _table(x=[100, 80.01, 80, 60, 40, 0.01, 0])
    method = Method(weights={"x": 1}, directions={"x": BETTER}, standards={"x": 100.0})
    ranked = rank(table, method)[0].sort_values("adm2_pcode")
    # 0 -> 1, 19.99 -> 1, 20 -> 2 (1 - 80/100 is 0.19999999999999996 in floating point: still class 2),
    # 40 -> 3, 60 -> 4, 99.99 -> 5, 100 -> 6 capped at 5
    assert ranked["priority_class"].tolist() == [1, 1, 2, 3, 4, 5, 5]


def test_ranks_are_a_permutation_with_ties_in_pcode_order():
    codes = pd.Categorical(["AF0103", "AF0101", "AF0104", "AF0102"], categories=["AF0104", "AF0103", "AF0102", "AF0101"])
    table = pd.DataFrame({"adm2_pcode": codes, "pin": [5, 9, 5, 5]})  # category order is not p-code order
    ranked, _ = rank(table, Method(weights={"pin": 1}, directions={"pin": WORSE}))
    # AF0101 highest (9); the three tied at 5 follow in p-code order
    assert ranked["adm2_pcode"].tolist() == ["AF0101", "AF0102", "AF0103", "AF0104"]
    assert ranked["priority_rank"].tolist() == [1, 2, 3, 4]


def test_weights_scaled_together_change_nothing():
    scaled = Method(**{**EXAMPLE_METHOD.__dict__, "weights": {"severity": 20, "availability": 10, "phc": 10}})
    first, second = rank(EXAMPLE, EXAMPLE_METHOD)[0], rank(EXAMPLE, scaled)[0]
    pd.testing.assert_frame_equal(first, second)


def test_stability_of_a_clear_leader_and_a_clear_last():
    # AF0101 has the greatest need on both indicators and AF0104 the least: no weights change that.
    table = _table(a=[10, 5, 6, 0], b=[10, 6, 5, 0])
    method = Method(weights={"a": 1, "b": 1}, directions={"a": WORSE, "b": WORSE}, top_n=1, draws=500)
    ranked = rank(table, method)[0].set_index("adm2_pcode")
    assert ranked.loc["AF0101", "stability"] == 1.0
    assert ranked.loc["AF0104", "stability"] == 0.0
    # each draw puts exactly top_n districts in the top N
    assert ranked["stability"].sum() == pytest.approx(1.0)


def test_stability_of_two_districts_each_first_on_one_indicator():
    # A has need (1, 0), B (0, 1), equal weights: A is first in a draw when its weight drew higher, half the time.
    table = _table(a=[1, 0], b=[0, 1], c=[0, 0])
    table.loc[2] = ["AF0103", 0, 0, 0]
    method = Method(weights={"a": 1, "b": 1}, directions={"a": WORSE, "b": WORSE}, top_n=1, draws=2000, seed=3)
    ranked = rank(table, method)[0].set_index("adm2_pcode")
    assert ranked.loc["AF0101", "stability"] == pytest.approx(0.5, abs=0.05)
    assert ranked.loc["AF0101", "stability"] + ranked.loc["AF0102", "stability"] == pytest.approx(1.0)
    assert ranked.loc["AF0103", "stability"] == 0.0


def test_same_seed_same_stability_and_no_perturbation_means_the_ranking():
    table = _table(a=[3, 1, 2, 5, 4, 0], b=[1, 4, 5, 2, 0, 3], c=[2, 2, 4, 1, 5, 0])
    method = Method(weights={"a": 1, "b": 1, "c": 1}, directions={"a": WORSE, "b": BETTER, "c": WORSE}, top_n=2,
                    draws=300, seed=7)
    first, again = rank(table, method)[0], rank(table, method)[0]
    assert first["stability"].tolist() == again["stability"].tolist()
    assert first["stability"].between(0, 1).all() and first["stability"].sum() == pytest.approx(2)
    fixed = rank(table, Method(**{**method.__dict__, "perturbation": 0.0}))[0]
    assert fixed["stability"].tolist() == [1, 1, 0, 0, 0, 0]  # the top 2 of the ranking, every draw


def _stability_sorting_everyone(table: pd.DataFrame, method: Method) -> dict[str, float]:
    """Stability as defined, by brute force: every district sorted in every draw (ties in p-code order)."""
    names = method.indicators
    ordered = table.sort_values("adm2_pcode")
    values = ordered[names].to_numpy(dtype=float)
    low, high = values.min(axis=0), values.max(axis=0)
    span = np.where(high > low, high - low, 1)
    need = np.where(high > low, np.where([method.directions[n] == WORSE for n in names], values - low, high - values)
                    / span, 0)
    weights = np.array([method.weights[n] for n in names], dtype=float)
    weights /= weights.sum()
    rng = np.random.default_rng(method.seed)
    drawn = weights * rng.uniform(1 - method.perturbation, 1 + method.perturbation, (method.draws, len(names)))
    drawn /= drawn.sum(axis=1, keepdims=True)
    scores = np.round(100 * drawn @ need.T, 9)
    top = np.argsort(-scores, axis=1, kind="stable")[:, :method.top_n]
    shares = np.bincount(top.ravel(), minlength=len(ordered)) / method.draws
    return dict(zip(ordered["adm2_pcode"], shares))


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 40), st.integers(1, 6), st.integers(0, 2**16), st.sampled_from([0.0, 0.25, 0.9]))
def test_stability_sorts_only_contenders_but_equals_sorting_everyone(districts_count, top_n, seed, perturbation):
    """Only districts that can reach the top N in some draw are sorted; ties (repeated rows, equal values) and
    all-equal columns must give exactly the shares of sorting every district."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 3, (max(1, districts_count // 3), 3)).astype(float)  # few values: many exact ties
    rows = base[rng.integers(0, len(base), districts_count)]
    table = _table(a=rows[:, 0], b=rows[:, 1], c=rows[:, 2])
    method = Method(weights={"a": 2, "b": 1, "c": 1}, directions={"a": WORSE, "b": BETTER, "c": WORSE},
                    top_n=top_n, draws=200, perturbation=perturbation, seed=seed)
    ranked = rank(table, method)[0]
    expected = _stability_sorting_everyone(table, method) if districts_count > top_n else None
    shown = dict(zip(ranked["adm2_pcode"], ranked["stability"]))
    assert shown == (expected or dict.fromkeys(shown, 1.0))


def test_fewer_districts_than_top_n_are_all_stable():
    ranked, _ = rank(_table(a=[1, 2]), Method(weights={"a": 1}, directions={"a": WORSE}, top_n=5))
    assert ranked["stability"].tolist() == [1.0, 1.0]


@pytest.mark.parametrize("method, table, message", [
    (Method(weights={"pin": 1}, directions={"pin": WORSE}), _table(severity=[1]), "'pin' is not in the table"),
    (Method(weights={"pin": 1}, directions={}), _table(pin=[1]), "'pin' has no direction"),
    (Method(weights={"pin": 1}, directions={"pin": "neutral"}), _table(pin=[1]), "'pin' has no direction"),
    (Method(weights={"pin": 0}, directions={"pin": WORSE}), _table(pin=[1]), "no indicator has a positive weight"),
    (Method(weights={"pin": -1, "s": 1}, directions={"pin": WORSE, "s": WORSE}), _table(pin=[1], s=[1]), "0 or more"),
    (Method(weights={"pin": 1}, directions={"pin": WORSE}, top_n=0), _table(pin=[1]), "top_n"),
    (Method(weights={"name": 1}, directions={"name": WORSE}), _table(name=["a"]), "'name' is not numeric"),
    (Method(weights={"pin": 1}, directions={"pin": WORSE}),
     pd.DataFrame({"adm2_pcode": ["A", "A"], "pin": [1, 2]}), "more than one row"),
])
def test_a_method_that_cannot_rank_says_why(method, table, message):
    with pytest.raises(ValueError, match=message):
        rank(table, method)


def test_empty_table_gives_empty_results_with_columns():
    ranked, excluded = rank(_table(pin=[1.0]).iloc[0:0], Method(weights={"pin": 1}, directions={"pin": WORSE}))
    assert ranked.empty and "contribution_pin" in ranked.columns and excluded.empty


# parse_weights, method_text, default_method

def test_parse_weights():
    assert parse_weights(" severity = 0.3, pin=0.2 ,partners=0") == {"severity": 0.3, "pin": 0.2, "partners": 0.0}


@pytest.mark.parametrize("text, bad", [
    ("severity", "'severity' is not in the form id=weight"),
    ("severity=0.3,pin", "'pin' is not in the form"),
    ("=0.3", "'=0.3' is not in the form"),
    ("severity=0.3,,pin=1", "'' is not in the form"),
    ("a=1=2", "'a=1=2' is not in the form"),
    ("severity=high", "'severity=high': 'high' is not a number"),
    ("severity=-1", "'severity=-1': a weight must be a number 0 or more"),
    ("severity=nan", "'severity=nan': a weight must be"),
    ("pin=1,pin=2", "'pin=2': 'pin' is given twice"),
    ("  ", "no weights given"),
])
def test_parse_weights_names_the_bad_part(text, bad):
    with pytest.raises(ValueError) as error:
        parse_weights(text)
    assert bad in str(error.value)


def test_method_text_states_weights_directions_standards_and_draws():
    text = "\n".join(method_text(EXAMPLE_METHOD))
    # weights 2 : 1 : 1 are 0.5, 0.25, 0.25 of the score
    assert "weight severity = 2 (0.500 of the score; higher is worse; min-max)" in text
    assert "weight availability = 1 (0.250 of the score; higher is better; min-max)" in text
    assert "weight phc = 1 (0.250 of the score; higher is better; against standard 1" in text
    assert "1000 draws" in text and "uniform(0.75, 1.25)" in text and "seed 0" in text and "top 1" in text


def test_default_method_reads_catalogue_directions_and_standards():
    method = default_method()
    assert method.weights == DEFAULT_WEIGHTS and sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1)
    assert method.directions == {"severity": WORSE, "pin": WORSE, "availability_score": BETTER,
                                 "phc_per_10k": BETTER, "partners": BETTER}
    assert method.standards == {"phc_per_10k": standards.value("phc_per_10k")}
    with pytest.raises(ValueError, match="unknown indicator 'nonsense'"):
        default_method({"nonsense": 1})


# Properties

@st.composite
def cases(draw):
    """A table of 1-8 districts and 1-3 indicators (small whole numbers, so ties happen), and a method."""
    districts = draw(st.integers(1, 8))
    indicators = draw(st.integers(1, 3))
    names = [f"i{j}" for j in range(indicators)]
    values = {name: draw(st.lists(st.integers(0, 20), min_size=districts, max_size=districts)) for name in names}
    directions = {name: draw(st.sampled_from([WORSE, BETTER])) for name in names}
    chosen_standards = {name: float(draw(st.integers(1, 20))) for name in names
                        if directions[name] == BETTER and draw(st.booleans())}
    weights = {name: draw(st.floats(0.01, 10)) for name in names}
    method = Method(weights=weights, directions=directions, standards=chosen_standards,
                    top_n=draw(st.integers(1, 4)), draws=50, seed=draw(st.integers(0, 5)))
    table = pd.DataFrame({"adm2_pcode": [f"X{i:02d}" for i in range(districts)],
                          **{name: np.array(v, dtype=float) for name, v in values.items()}})
    return table, method


@settings(max_examples=150, deadline=None)
@given(cases())
def test_property_scores_in_range_and_ranks_a_permutation(case):
    table, method = case
    ranked, excluded = rank(table, method)
    assert excluded.empty
    assert ranked["priority_score"].between(0, 100).all()
    assert sorted(ranked["priority_rank"]) == list(range(1, len(table) + 1))
    assert ranked["priority_class"].between(1, 5).all()
    assert ranked["stability"].between(0, 1).all()
    assert ranked.filter(like="contribution_").sum(axis=1).tolist() == pytest.approx(ranked["priority_score"].tolist())


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(cases(), st.data())
def test_property_worse_need_never_lowers_priority(case, data):
    table, method = case
    district = data.draw(st.integers(0, len(table) - 1))
    name = data.draw(st.sampled_from(list(method.weights)))
    step = data.draw(st.integers(1, 10))
    worse = table.copy()
    worse.loc[district, name] += step if method.directions[name] == WORSE else -step
    code = table.loc[district, "adm2_pcode"]
    before = rank(table, method)[0].set_index("adm2_pcode").loc[code, "priority_rank"]
    after = rank(worse, method)[0].set_index("adm2_pcode").loc[code, "priority_rank"]
    assert after <= before


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(cases(), st.floats(0.001, 1000))
def test_property_scaling_all_weights_changes_nothing(case, factor):
    table, method = case
    scaled = Method(**{**method.__dict__, "weights": {k: w * factor for k, w in method.weights.items()}})
    first, second = rank(table, method)[0], rank(table, scaled)[0]
    assert first["adm2_pcode"].tolist() == second["adm2_pcode"].tolist()
    assert first["priority_rank"].tolist() == second["priority_rank"].tolist()
    assert first["priority_class"].tolist() == second["priority_class"].tolist()
    assert first["stability"].tolist() == second["stability"].tolist()
    assert first["priority_score"].tolist() == pytest.approx(second["priority_score"].tolist())


# The command line, with stand-ins for the indicator modules

DISTRICTS = pd.DataFrame({
    "adm2_pcode": ["AF0101", "AF0102", "AF0201", "AF0202"],
    "adm2_name": ["Kabul", "Paghman", "Charikar", "Bagram"],
    "adm1_pcode": ["AF01", "AF01", "AF02", "AF02"],
    "adm1_name": ["Kabul", "Kabul", "Parwan", "Parwan"],
    "area_km2": [1.0, 1.0, 1.0, 1.0],
})
# severity and pin as the --weights test uses them; AF0201 has no pin
FACILITY_TABLE = DISTRICTS.assign(
    severity=pd.array([4, 2, 3, 5], dtype="Int64"), pin=pd.array([1000, 3000, None, 2000], dtype="Int64"),
    availability_score=[50.0, 60.0, 70.0, 80.0], phc_per_10k=[0.5, 1.0, 1.5, 0.2],
    phc_gap=pd.array([3, 0, 0, 4], dtype="Int64"))
PARTNER_TABLE = pd.DataFrame({"adm2_pcode": DISTRICTS["adm2_pcode"], "adm2_name": DISTRICTS["adm2_name"],
                              "partners": pd.array([2, 0, 1, 3], dtype="Int64"),
                              "uncovered": [False, True, False, False]})


@pytest.fixture
def stand_ins(monkeypatch):
    """A small dataset and stand-in indicator modules that record what they were asked."""
    calls = {}
    dataset = Dataset(path=Path("datasets/test"), manifest={"label": "Test data"}, districts=DISTRICTS,
                      provinces=DISTRICTS[["adm1_pcode", "adm1_name", "area_km2"]].drop_duplicates("adm1_pcode"),
                      rounds=pd.DataFrame({"round": ["2026-03-31", "2026-06-30"],
                                           "report_date": pd.to_datetime(["2026-03-31", "2026-06-30"])}))

    def facility_indicators(dataset, chosen):
        calls["facility"] = chosen
        table = FACILITY_TABLE
        return table[table["adm1_pcode"].isin(chosen.admin1)] if chosen.admin1 else table

    def partner_indicators(dataset, chosen, shortfall=None):
        calls["partner"], calls["shortfall"] = chosen, shortfall
        return PARTNER_TABLE[PARTNER_TABLE["adm2_pcode"].isin(FACILITY_TABLE["adm2_pcode"])]

    monkeypatch.setattr(districts, "facility_indicators", facility_indicators)
    monkeypatch.setattr(districts, "partner_indicators", partner_indicators)
    monkeypatch.setattr(cli, "load_dataset", lambda path: dataset)
    return calls


def _read(path: Path) -> tuple[list[str], pd.DataFrame]:
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [line[2:] for line in lines if line.startswith("# ")]
    body = "\n".join(line for line in lines if not line.startswith("#"))
    return comments, pd.read_csv(io.StringIO(body), dtype={"adm2_pcode": str})


def test_indicators_export(stand_ins, tmp_path):
    out = tmp_path / "exports" / "indicators.csv"
    assert cli.main(["indicators", "--dataset", "datasets/test", "--admin1", "AF01", "--out", str(out)]) == 0
    comments, table = _read(out)
    assert comments[:4] == ["HealthGaps district indicators", "dataset: datasets/test (Test data)",
                            "round: 2026-06-30", "provinces: AF01"]  # the latest round when none is named
    assert comments[4].startswith("created: 20")
    assert list(table.columns) == ["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name", "area_km2", "severity", "pin",
                                   "availability_score", "phc_per_10k", "phc_gap", "partners", "uncovered"]
    assert table["adm2_pcode"].tolist() == ["AF0101", "AF0102"]
    assert table["partners"].tolist() == [2, 0]
    assert stand_ins["facility"] == Filter(round="2026-06-30", admin1=("AF01",)) == stand_ins["partner"]
    assert stand_ins["shortfall"].to_dict() == {"AF0101": 3, "AF0102": 0}  # phc_gap by district
    about = json.loads(Path(f"{out}.json").read_text())
    assert about["export"] == "indicators" and about["round"] == "2026-06-30" and about["rows"] == 2
    assert about["filter"]["admin1"] == ["AF01"] and about["dataset"]["label"] == "Test data"


def test_priorities_export_with_weights(stand_ins, tmp_path, capsys):
    out = tmp_path / "priorities.csv"
    code = cli.main(["priorities", "--dataset", "datasets/test", "--round", "2026-03-31",
                     "--weights", "severity=1,pin=1", "--top", "1", "--out", str(out)])
    assert code == 0
    assert "3 districts written" in capsys.readouterr().out
    comments, table = _read(out)
    # AF0201 has no pin: not ranked. Ranked AF0101 (4, 1000), AF0102 (2, 3000), AF0202 (5, 2000):
    # severity range 2-5, need (x - 2) / 3 -> 2/3, 0, 1; pin range 1000-3000, need (x - 1000) / 2000 -> 0, 1, 0.5;
    # weights 0.5 each: AF0101 50 x 2/3 = 33.33, AF0102 50 x 1 = 50, AF0202 50 + 25 = 75
    assert list(table.columns) == ["adm2_pcode", "adm2_name", "adm1_name", "priority_score", "priority_rank",
                                   "priority_class", "stability", "contribution_severity", "contribution_pin"]
    assert table["adm2_pcode"].tolist() == ["AF0202", "AF0102", "AF0101"]
    assert table["adm2_name"].tolist() == ["Bagram", "Paghman", "Kabul"]
    assert table["priority_score"].tolist() == [75.0, 50.0, 33.33]
    assert table["priority_rank"].tolist() == [1, 2, 3]
    assert table["priority_class"].tolist() == [4, 3, 2]  # 1 + floor(75 / 20) = 4, 1 + 2 = 3, 1 + 1 = 2
    assert table["contribution_severity"].tolist() == [50.0, 0.0, 33.33]
    assert table["contribution_pin"].tolist() == [25.0, 50.0, 0.0]
    assert comments[0] == "HealthGaps priority ranking" and "round: 2026-03-31" in comments
    assert "weights: severity=1,pin=1" in comments
    assert "weight pin = 1 (0.500 of the score; higher is worse; min-max)" in comments
    assert "not ranked (missing value): AF0201 Charikar: pin" in comments
    assert any(line.startswith("reproduce: python -m analysis priorities --dataset datasets/test --round 2026-03-31 "
                               "--weights severity=1,pin=1 --top 1") for line in comments)
    about = json.loads(Path(f"{out}.json").read_text())
    assert about["excluded"] == [{"adm2_pcode": "AF0201", "adm2_name": "Charikar", "adm1_name": "Parwan",
                                  "missing": "pin"}]
    assert about["method"]["weights"] == {"severity": 1, "pin": 1} and about["method"]["top_n"] == 1
    assert about["method"]["directions"] == {"severity": WORSE, "pin": WORSE}


def test_priorities_export_with_default_weights(stand_ins, tmp_path):
    out = tmp_path / "priorities.csv"
    assert cli.main(["priorities", "--dataset", "datasets/test", "--out", str(out)]) == 0
    _, table = _read(out)
    assert [c for c in table.columns if c.startswith("contribution_")] == [
        f"contribution_{name}" for name in DEFAULT_WEIGHTS]
    assert sorted(table["priority_rank"]) == [1, 2, 3] and (table["stability"] == 1.0).all()  # 3 districts < top 10


@pytest.mark.parametrize("argv, message", [
    (["--round", "2025-01-01"], "error: round 2025-01-01 is not in the dataset; rounds: 2026-03-31, 2026-06-30"),
    (["--admin1", "AF99"], "error: province AF99 is not in the dataset"),
    (["--weights", "nonsense=1"], "error: unknown indicator 'nonsense'"),
])
def test_priorities_refuses_what_the_dataset_lacks(stand_ins, tmp_path, capsys, argv, message):
    out = tmp_path / "p.csv"
    assert cli.main(["priorities", "--dataset", "x", *argv, "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith(message)
    assert not out.exists()


def test_bad_weights_argument_stops_with_the_bad_part(stand_ins, capsys):
    with pytest.raises(SystemExit):
        cli.main(["priorities", "--dataset", "x", "--weights", "severity=high", "--out", "p.csv"])
    assert "'severity=high': 'high' is not a number" in capsys.readouterr().err


def test_priorities_on_the_demo_dataset(demo_path, tmp_path):
    """With the real indicator modules: every district either ranked or listed as not ranked."""
    out = tmp_path / "demo.csv"
    assert cli.main(["priorities", "--dataset", str(demo_path), "--admin1", "AF01", "--out", str(out)]) == 0
    comments, table = _read(out)
    about = json.loads(Path(f"{out}.json").read_text())
    kabul = 15  # the districts of Kabul province (AF01) in the COD-AB boundaries the demo uses
    assert len(table) + len(about["excluded"]) == kabul
    assert sorted(table["priority_rank"]) == list(range(1, len(table) + 1))
    assert table["priority_score"].between(0, 100).all()
    assert "provinces: AF01" in comments


def test_indicators_on_the_demo_dataset(demo_path, tmp_path):
    """Every district of the filter, once, with every district indicator of the catalogue as a column."""
    out = tmp_path / "indicators.csv"
    assert cli.main(["indicators", "--dataset", str(demo_path), "--round", "2026-06-30", "--admin1", "AF27",
                     "--out", str(out)]) == 0
    comments, table = _read(out)
    kandahar = districts.district_indicators(load_dataset(demo_path), ["AF27"])
    assert table["adm2_pcode"].tolist() == sorted(kandahar["adm2_pcode"].astype(str)) and len(table) == 16
    ranking = {"priority_score", "priority_rank", "priority_class"}  # the priorities export's columns
    assert set(INDICATORS) - ranking <= set(table.columns)
    assert list(table.columns[:4]) == ["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name"]
    assert "round: 2026-06-30" in comments and "provinces: AF27" in comments
    scored = table["facilities"] > 0  # a district without facilities has no score: blank, never 0
    assert scored.sum() == 15 and table.loc[scored, "availability_score"].between(0, 100).all()
    assert table.loc[~scored, "availability_score"].isna().all()
