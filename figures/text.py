"""Text from the data inside a figure, shown exactly as written.

Plotly reads a little HTML in hover text, tick labels, legends, colour bars, annotations and titles (<b>, <i>,
<br>, <a href>, <span style>), so a district named "<b>Kandahar</b>" would show bold and "<a href=...>" would
become a link. Plotly decodes the entities &amp; &lt; &gt;, so escaping those three shows the exact text. Our
own markup (the <b>%{customdata[0]}</b> of a hovertemplate, a <br> we add) is never passed through here.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable

import pandas as pd


def plain(text: object) -> str:
    """A data value (name, label, round) as plotly shows it literally: & < > written as entities."""
    return html.escape(str(text), quote=False)


def plain_all(values: Iterable) -> list:
    """plain() of each value of a Series or list; a missing value stays missing (plotly leaves it blank)."""
    return [value if _missing(value) else plain(value) for value in values]


def plain_lines(text: object, width: int, **wrap) -> str:
    """Data text on lines of at most `width` characters (plotly does not wrap), each line plain, joined by
    our <br>; `wrap` goes to textwrap.wrap."""
    return "<br>".join(plain(line) for line in textwrap.wrap(str(text), width, **wrap)) or plain(text)


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
