"""figures.style.typed leans on plotly's private _plotly_utils.utils.to_typed_array_spec (the typed arrays
Figure.to_dict() writes): these tests fail if a plotly upgrade changes what it returns or what Figure makes
of it, before a chart sent as a plain dict differs from the one plotly would have written."""

import base64

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from _plotly_utils.utils import to_typed_array_spec

from figures.style import typed


def test_private_spec_of_small_int_and_float_arrays():
    assert to_typed_array_spec(np.asarray([1, 2, 3])) == {"dtype": "i1", "bdata": "AQID"}
    assert to_typed_array_spec(np.asarray([0.5, -1.25])) == {"dtype": "f8", "bdata": "AAAAAAAA4D8AAAAAAAD0vw=="}
    empty = to_typed_array_spec(np.asarray([], dtype=float))
    assert isinstance(empty, np.ndarray) and empty.size == 0  # an empty array is given back as it is


def test_typed_writes_float64_numbers():
    spec = typed(pd.Series([1, 2, 3]))
    assert spec == {"dtype": "f8", "bdata": "AAAAAAAA8D8AAAAAAAAAQAAAAAAAAAhA"}
    assert np.frombuffer(base64.b64decode(spec["bdata"]), dtype="<f8").tolist() == [1.0, 2.0, 3.0]


def test_figure_built_from_typed_arrays_round_trips():
    numbers = np.asarray([0.5, -1.25])
    spec = {"data": [{"type": "bar", "x": typed(numbers), "y": ["a", "b"]}]}
    figure = go.Figure(spec)
    assert figure.to_dict()["data"][0]["x"] == spec["data"][0]["x"]
    assert go.Figure(figure.to_dict()).to_dict() == figure.to_dict()
    # what the app writes by hand is what plotly's Figure writes of the numbers themselves
    assert go.Figure({"data": [{"type": "bar", "x": numbers}]}).to_dict()["data"][0]["x"] == typed(numbers)
