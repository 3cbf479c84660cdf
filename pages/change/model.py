"""The change page's numbers: the two rounds compared, each district's change and band, the headline counts,
and the export's table and header. Pure: no Dash, no request; the role is an argument.

The band rule lives here (figures/change.py only colours and labels the bands it is given): a change that
shows as 0 at the indicator's decimals is "unchanged"; the others are "small" up to the median size of change
of the districts that changed, "large" beyond it, on either side.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.access import PUBLIC, is_public
from analysis.catalogue import INDICATORS, Direction, Indicator, grouped_options
from analysis.disclosure import public_change
from analysis.filters import Filter
from analysis.indicators import NUMERIC, change_between_rounds
from analysis.suppression import SUPPRESSED, export_note, flags
from analysis.suppression import label as suppressed_label
from context import Context, per_dataset
from figures.change import categories
from figures.classes import format_value
from view import View

# Facility and service indicators change from round to round; population and needs do not.
CHANGE_INDICATORS = [i for i in INDICATORS.values() if i.kind == "number" and i.group in ("facilities", "services")
                     and i.id in NUMERIC and i.direction != "neutral"]
DEFAULT = "availability_score"
COLUMNS = ["adm2_pcode", "adm2_name", "adm1_name", "before", "after", "change", "band"]
MAP_COLUMNS = ["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name"]
RULE = "split at the median size of change"


@dataclass(frozen=True)
class Comparison:
    """The two rounds compared, or why there is nothing to compare."""
    before: str | None
    after: str | None
    message: str | None = None


def indicator_of(view: View) -> Indicator:
    """The view's indicator if the page offers it, else the default."""
    offered = {i.id: i for i in CHANGE_INDICATORS}
    return offered.get(view.indicator, INDICATORS[DEFAULT])


def indicator_options() -> list[tuple[str, str]]:
    return grouped_options(CHANGE_INDICATORS)


def previous_round(rounds: list[str], after: str) -> str | None:
    """The default earlier round: the one before the later round (None for the first)."""
    position = rounds.index(after)
    return rounds[position - 1] if position > 0 else None


def comparison(ctx: Context, view: View) -> Comparison:
    """The later round (default the latest) and the earlier one (default the round before it)."""
    rounds = ctx.rounds
    if len(rounds) < 2:
        have = f"one round ({rounds[0]})" if rounds else "no facility round"
        return Comparison(None, rounds[0] if rounds else None,
                          f"This dataset has {have}: a change needs two rounds of facility data.")
    after = view.round if view.round in rounds else rounds[-1]
    before = view.before if view.before in rounds else previous_round(rounds, after)
    if before is None:
        return Comparison(None, after, f"{after} is the first round: choose a later round to compare it with.")
    if before == after:
        return Comparison(before, after, f"The earlier and the later round are both {after}: choose two different "
                                         "rounds.")
    if rounds.index(before) > rounds.index(after):
        return Comparison(before, after, f"The earlier round ({before}) comes after the later round ({after}): "
                                         "choose an earlier round that comes first.")
    return Comparison(before, after)


def before_default(ctx: Context, view: View) -> str:
    """The earlier round's first choice says which round "the round before" is for the later round."""
    rounds = ctx.rounds
    after = view.round if view.round in rounds else (rounds[-1] if rounds else None)
    return f"The round before ({(previous_round(rounds, after) if after else None) or 'none'})"


# The band rule.

def as_shown(values: pd.Series, decimals: int) -> pd.Series:
    """Values rounded as the table and hover show them (Python's round, like the string formatting)."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    return pd.Series([np.nan if pd.isna(v) else round(float(v), decimals) for v in numbers], index=values.index,
                     dtype="float64")


def worsening(change: pd.Series, direction: Direction) -> pd.Series:
    """The change signed so that a positive value is a worsening (a rise where higher is worse, else a fall)."""
    sign = 1.0 if direction == "higher_is_worse" else -1.0
    return sign * pd.to_numeric(change, errors="coerce").astype("float64")


def band_edge(change: pd.Series, decimals: int) -> float | None:
    """Where "small" ends and "large" begins: the median size of the changes that show (not as 0). The median
    keeps both bands filled whatever the indicator's unit. None: nothing changed."""
    sizes = as_shown(change, decimals).abs()
    sizes = sizes[sizes > 0]
    if sizes.empty:
        return None
    return round(float(sizes.median()), decimals)


def bands(change: pd.Series, direction: Direction, decimals: int, edge: float | None) -> pd.Series:
    """Each district's band id (figures.change.BANDS); missing where either round has no value."""
    worse = as_shown(worsening(change, direction), decimals)
    limit = np.inf if edge is None else edge
    chosen = np.select([worse > limit, worse > 0, worse == 0, worse >= -limit, worse < -limit],
                       ["worse_large", "worse", "unchanged", "better", "better_large"], default="")
    return pd.Series(chosen, index=change.index, dtype="object").replace("", np.nan)


def band_labels(change: pd.Series, indicator: Indicator) -> pd.Series:
    """Each district's band in the legend's words (the table's and the export's column); "no data" where
    missing."""
    edge = band_edge(change, indicator.decimals)
    words = {c.value: c.label for c in categories(edge, indicator.decimals)}
    return bands(change, indicator.direction, indicator.decimals, edge).map(words).fillna("no data")


def counts(change: pd.Series, direction: Direction, decimals: int) -> dict[str, int]:
    """How many districts got worse, better, stayed the same (as shown), or lack a value in a round."""
    worse = as_shown(worsening(change, direction), decimals)
    return {"worse": int((worse > 0).sum()), "better": int((worse < 0).sum()), "unchanged": int((worse == 0).sum()),
            "no data": int(worse.isna().sum())}


# The page's tables.

def change_table(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """Every district of the filter with the indicator in both rounds, its change and band, largest worsening
    first (for an indicator where higher is worse, largest rise first); empty when nothing can be compared.
    For the public, a district withheld in either round (below the small-number threshold) has blank values, the band
    analysis.suppression.label() and the flag `suppressed`; the bands are cut without it."""
    view = ctx.scoped(view, role)
    indicator, rounds = indicator_of(view), comparison(ctx, view)
    if rounds.message:
        return pd.DataFrame(columns=["adm1_pcode", *COLUMNS])
    table = _changes(ctx, view.filter(), rounds.before, rounds.after, indicator.id, is_public(role))
    worse_first = -table["change"] if indicator.direction == "higher_is_worse" else table["change"]
    table = table.assign(order=worse_first).sort_values(["order", "adm2_pcode"], na_position="last")
    table = table.drop(columns="order").reset_index(drop=True)
    provinces = dict(zip(ctx.dataset.districts["adm2_pcode"].astype(str), ctx.dataset.districts["adm1_pcode"]))
    labels = band_labels(table["change"], indicator).mask(flags(table), suppressed_label())
    return table.assign(adm1_pcode=table["adm2_pcode"].astype(str).map(provinces), band=labels)


@per_dataset()
def _changes(ctx: Context, chosen: Filter, before: str, after: str, indicator: str, public: bool) -> pd.DataFrame:
    """change_between_rounds as the requester may see it, kept: the layout, the callback and the downloads of one
    view share it (read only). The public's: analysis.disclosure.public_change on its district tables of both
    rounds. The key holds who asks (`public`)."""
    if not public:
        return change_between_rounds(ctx.dataset, chosen, before, after, indicator)
    tables = tuple(ctx.districts(replace(chosen, round=name), PUBLIC) for name in (before, after))
    return public_change(ctx.dataset, chosen, before, after, indicator, tables)


def shown_table(table: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """The table as the page and its exports show it: values rounded at the catalogue's decimals; the flag
    `suppressed` last for the public."""
    out = table[COLUMNS + [SUPPRESSED] * (SUPPRESSED in table)].copy()
    for column in ("before", "after", "change"):
        out[column] = as_shown(out[column], indicator.decimals)
    return out


def map_table(ctx: Context, view: View, role: str, table: pd.DataFrame) -> tuple[pd.DataFrame, float | None]:
    """(the change map's districts with their band id in `band`, the band edge). With nothing to compare,
    every district of the filter, without values ("no data")."""
    indicator, rounds = indicator_of(view), comparison(ctx, view)
    if rounds.message:
        districts = ctx.districts(view.filter(), role)[MAP_COLUMNS]
        table = districts.assign(before=float("nan"), after=float("nan"), change=float("nan"))
    edge = band_edge(table["change"], indicator.decimals)
    return table.assign(band=bands(table["change"], indicator.direction, indicator.decimals, edge)), edge


def change_counts(table: pd.DataFrame, indicator: Indicator) -> dict[str, int]:
    """The headline counts; districts withheld from the public are counted as suppressed, not as no data."""
    figures = counts(table["change"], indicator.direction, indicator.decimals)
    hidden = int(flags(table).sum())
    return {**figures, "no data": figures["no data"] - hidden, SUPPRESSED: hidden}


# The export.

def change_title(ctx: Context, view: View) -> str:
    """Names the indicator and the earlier round (the later one is the export's round)."""
    return f"change in {indicator_of(view).label} since {comparison(ctx, view).before or 'no earlier round'}"


def map_title(ctx: Context, view: View) -> str:
    """The change map's PNG title: the indicator and the earlier round."""
    return f"change {indicator_of(view).label} from {comparison(ctx, view).before or 'none'}"


def worse_means(indicator: Indicator) -> str:
    """Which way is worse, in a word: a "rise" or a "fall"."""
    return "rise" if indicator.direction == "higher_is_worse" else "fall"


def change_notes(ctx: Context, view: View, role: str) -> list[str]:
    """The export's header: what was compared and how the bands are cut."""
    indicator, rounds = indicator_of(view), comparison(ctx, view)
    edge = band_edge(change_table(ctx, view, role)["change"], indicator.decimals)
    return [f"indicator: {indicator.label} ({indicator.unit}); worse means a {worse_means(indicator)}",
            f"earlier round: {rounds.before or 'none'}", f"later round: {rounds.after or 'none'}",
            f"bands: unchanged where the change shows as 0; {RULE}"
            + (f" ({format_value(edge, indicator.decimals)})" if edge is not None else ""),
            *([f"{export_note()}, in either round"] if is_public(role) else [])]


def change_export(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """The change table as the page shows it."""
    return shown_table(change_table(ctx, view, role), indicator_of(view))
