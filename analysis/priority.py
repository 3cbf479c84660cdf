"""Priority ranking of districts: a transparent, reproducible score from chosen indicators and weights.

Each chosen indicator becomes a 0-1 measure of need, in its direction of need:
- min-max across the districts ranked: (x - min) / (max - min) where higher is worse, (max - x) / (max - min)
  where higher is better; 0 for every district when all values are equal (the indicator separates no one);
- or, for an indicator with a standard (a minimum such as 1 functional primary facility per 10,000 people),
  the share of the standard that is missing: clip(1 - value / standard, 0, 1). A district at or above the
  standard has no need on it, however far above. Standards are minimums of things that are good to have,
  so they apply to higher-is-better indicators only; a standard on a higher-is-worse indicator is refused.
Weights are rescaled to sum to 1 (only their proportions matter), and the score is 100 x sum(weight x need),
0-100. Rank 1 is the highest score; ties keep p-code order so the ranks are always 1..n. Class 1-5 is
1 + floor(score / 20), capped at 5 (5 = highest priority). `contribution_<id>` = 100 x weight x need: the
score points each indicator gives, which add up to the score. An indicator with weight 0 is not used.

A district with a missing value in any chosen indicator is not ranked: it is returned apart with what is
missing, never silently ranked last (a blank is not a zero).

Stability: the share of `draws` random weight vectors (each weight x uniform(1 - perturbation,
1 + perturbation), rescaled to sum to 1; numpy default_rng(seed), so the same seed gives the same shares)
under which the district is in the top N. A district with stability near 1 is in the top N whatever the
exact weights; near 0.5 its place depends on the weights chosen in the workshop.

Default weights (DEFAULT_WEIGHTS), meant to be argued over and changed:
- severity 0.25: the HNO severity (JIAF, 1-5) is the humanitarian system's agreed synthesis of how bad a
  district is; it gets the largest weight so the ranking follows the HNO rather than competing with it.
- pin 0.20: people in need gives scale. It is kept below severity because a count favours large districts.
- availability_score 0.20: what HeRAMS measures directly, the share of expected services actually available.
- phc_per_10k 0.20: access to the first level of care, against the Sphere standard (1 per 10,000), so a
  district meeting the standard adds nothing.
- partners 0.15: the response already there. Lowest, because a partner count shows presence, not
  adequacy, and 3W reporting is incomplete.
Need (severity, pin) 0.45, health system (availability, facilities) 0.40, response 0.15.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import catalogue, standards

DEFAULT_WEIGHTS: dict[str, float] = {
    "severity": 0.25,
    "pin": 0.20,
    "availability_score": 0.20,
    "phc_per_10k": 0.20,
    "partners": 0.15,
}
STANDARD_INDICATORS = ("phc_per_10k", "hospitals_per_250k")  # indicators measured against standards.csv
DIRECTIONS = ("higher_is_worse", "higher_is_better")
CLASS_WIDTH = 20  # score points per class: five classes over 0-100
DECIMALS = 9  # scores are compared at this precision, so float noise never reorders a tie


@dataclass(frozen=True)
class Method:
    weights: dict[str, float]
    directions: dict[str, str]  # "higher_is_worse" / "higher_is_better" per indicator
    standards: dict[str, float] = field(default_factory=dict)  # indicator id -> standard (higher_is_better only)
    top_n: int = 10
    draws: int = 1000
    perturbation: float = 0.25
    seed: int = 0

    @property
    def indicators(self) -> list[str]:
        """The indicators used: those with a positive weight, in the order given."""
        return [name for name, weight in self.weights.items() if weight > 0]


def default_method(weights: dict[str, float] | None = None, top_n: int = 10) -> Method:
    """A method with directions from the indicator catalogue and standards from standards.csv."""
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = [name for name in weights if name not in catalogue.INDICATORS]
    if unknown:
        raise ValueError(f"unknown indicator {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(sorted(catalogue.INDICATORS))}")
    directions: dict[str, str] = {name: catalogue.INDICATORS[name].direction for name in weights}
    chosen_standards = {name: standards.value(name) for name in weights if name in STANDARD_INDICATORS}
    return Method(weights=weights, directions=directions, standards=chosen_standards, top_n=top_n)


def parse_weights(text: str) -> dict[str, float]:
    """"severity=0.3,pin=0.2" -> {"severity": 0.3, "pin": 0.2}; a ValueError names the part it cannot read."""
    weights: dict[str, float] = {}
    if not text.strip():
        raise ValueError("no weights given: write them as id=weight,id=weight")
    for part in text.split(","):
        name, equals, number = (piece.strip() for piece in part.partition("="))
        if not equals or not name or "=" in number:
            raise ValueError(f"weight {part.strip()!r} is not in the form id=weight")
        try:
            weight = float(number)
        except ValueError:
            raise ValueError(f"weight {part.strip()!r}: {number!r} is not a number") from None
        if not np.isfinite(weight) or weight < 0:
            raise ValueError(f"weight {part.strip()!r}: a weight must be a number 0 or more")
        if name in weights:
            raise ValueError(f"weight {part.strip()!r}: {name!r} is given twice")
        weights[name] = weight
    return weights


def method_text(method: Method) -> list[str]:
    """The method and weights in words, one line each, for an export's header."""
    total = sum(method.weights[name] for name in method.indicators)
    lines = [("priority score = 100 x sum(weight x need), 0-100; each indicator's need is 0-1 in its direction "
              "of need: min-max across the districts ranked, or the share of its standard that is missing")]
    for name in method.indicators:
        direction = method.directions.get(name, "?").replace("_", " ")
        scale = (f"against standard {method.standards[name]:g}: need = clip(1 - value / standard, 0, 1)"
                 if name in method.standards else "min-max")
        lines.append(f"weight {name} = {method.weights[name]:g} ({method.weights[name] / total:.3f} of the "
                     f"score; {direction}; {scale})")
    lines += [
        "rank 1 = highest score, ties in p-code order; class = 1 + floor(score / 20), capped at 5 (5 = highest)",
        "districts with a missing value in any weighted indicator are not ranked and are listed apart",
        (f"stability = share of {method.draws} draws (each weight x uniform({1 - method.perturbation:g}, "
         f"{1 + method.perturbation:g}), rescaled; numpy default_rng seed {method.seed}) "
         f"under which the district is in the top {method.top_n}"),
    ]
    return lines


def rank(table: pd.DataFrame, method: Method) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ranked, excluded): the districts with every chosen indicator, ranked; the others with what is missing.

    ranked: adm2_pcode, priority_score, priority_rank, priority_class, stability, contribution_<id>...,
    sorted by rank. excluded: adm2_pcode, missing (indicator ids, "; "-joined), sorted by p-code.
    """
    names = method.indicators
    _check(table, method, names)
    pcodes = table["adm2_pcode"].astype(str).to_numpy()
    by_pcode = np.argsort(pcodes, kind="stable")
    pcodes = pcodes[by_pcode]
    values = np.column_stack([_numbers(table[name], name).to_numpy()[by_pcode] for name in names])
    gaps = np.isnan(values)
    missing = gaps.any(axis=1)
    excluded = pd.DataFrame({
        "adm2_pcode": pcodes[missing],
        "missing": np.array(["; ".join(name for name, gap in zip(names, row) if gap) for row in gaps[missing]],
                            dtype=object),
    })
    codes = pcodes[~missing]
    need = _need(values[~missing], names, method)
    weights = np.array([method.weights[name] for name in names], dtype=float)
    weights = weights / weights.sum()
    contributions = 100 * need * weights
    score = np.clip(contributions.sum(axis=1), 0, 100)
    classes = np.minimum(1 + np.floor(np.round(score, DECIMALS) / CLASS_WIDTH), 5).astype(int)
    stability = _stability(need, weights, method)
    order = _order(score[np.newaxis, :])[0]  # rank 1 first
    ranked = pd.DataFrame({
        "adm2_pcode": codes[order],
        "priority_score": score[order],
        "priority_rank": np.arange(1, len(codes) + 1),
        "priority_class": classes[order],
        "stability": stability[order],
        **{f"contribution_{name}": contributions[order, i] for i, name in enumerate(names)},
    })
    return ranked, excluded


def _check(table: pd.DataFrame, method: Method, names: list[str]) -> None:
    """Refuse a method or table that cannot give a meaningful ranking, saying why."""
    if any(not np.isfinite(w) or w < 0 for w in method.weights.values()):
        raise ValueError("weights must be numbers 0 or more")
    if not names:
        raise ValueError("no indicator has a positive weight")
    if "adm2_pcode" not in table.columns:
        raise ValueError("the table has no adm2_pcode column")
    if table["adm2_pcode"].duplicated().any():
        raise ValueError("the table has more than one row for a district")
    absent = [name for name in names if name not in table.columns]
    if absent:
        raise ValueError(f"indicator {', '.join(map(repr, absent))} is not in the table")
    for name in names:
        if method.directions.get(name) not in DIRECTIONS:
            raise ValueError(f"indicator {name!r} has no direction of need (higher_is_worse or higher_is_better)")
        if name in method.standards:
            if method.directions[name] != "higher_is_better":
                raise ValueError(f"indicator {name!r}: a standard applies to a higher_is_better indicator only")
            if not method.standards[name] > 0:
                raise ValueError(f"indicator {name!r}: the standard must be above 0")
    if method.top_n < 1 or method.draws < 1 or not 0 <= method.perturbation < 1:
        raise ValueError("top_n and draws must be 1 or more, and perturbation in [0, 1)")


def _numbers(column: pd.Series, name: str) -> pd.Series:
    if not (pd.api.types.is_numeric_dtype(column) or column.isna().all()):
        raise ValueError(f"indicator {name!r} is not numeric")
    return pd.to_numeric(column).astype(float)


def _need(values: np.ndarray, names: list[str], method: Method) -> np.ndarray:
    """Districts x indicators, each 0-1 in the direction of need."""
    need = np.zeros_like(values)
    for i, name in enumerate(names):
        column = values[:, i]
        if name in method.standards:
            need[:, i] = np.clip(1 - column / method.standards[name], 0, 1)
            continue
        if len(column) == 0:
            continue
        low, high = column.min(), column.max()
        if high > low:
            worse = method.directions[name] == "higher_is_worse"
            need[:, i] = ((column - low) if worse else (high - column)) / (high - low)
    return np.clip(need, 0, 1)


def _order(scores: np.ndarray) -> np.ndarray:
    """Per row of scores (columns in p-code order), the column indices from highest score to lowest."""
    return np.argsort(-np.round(scores, DECIMALS), axis=1, kind="stable")


def _stability(need: np.ndarray, weights: np.ndarray, method: Method) -> np.ndarray:
    """Share of perturbed weight vectors under which each district is in the top N (need rows in p-code order)."""
    districts = len(need)
    if districts <= method.top_n:
        return np.ones(districts)
    rng = np.random.default_rng(method.seed)
    drawn = weights * rng.uniform(1 - method.perturbation, 1 + method.perturbation, (method.draws, len(weights)))
    drawn /= drawn.sum(axis=1, keepdims=True)
    scores = np.round(100 * drawn @ need.T, DECIMALS)
    contenders = _contenders(scores, np.round(100 * need @ weights, DECIMALS), method.top_n)
    top = contenders[_order(scores[:, contenders])[:, :method.top_n]]
    return np.bincount(top.ravel(), minlength=districts) / method.draws


def _contenders(scores: np.ndarray, nominal: np.ndarray, top_n: int) -> np.ndarray:
    """The districts (columns, in p-code order) that can be in the top N of some draw, so only they are sorted
    (sorting every district in every draw was most of the ranking's time). In each draw, any N districts
    score at least the lowest of them, so one that scores below the N ranked first under the chosen weights
    in every draw never makes the top N, ties included; keeping the order keeps ties in p-code order."""
    first = np.argpartition(-nominal, top_n - 1)[:top_n]
    floor = scores[:, first].min(axis=1, keepdims=True)
    return np.flatnonzero((scores >= floor).any(axis=0))
