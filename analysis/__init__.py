"""Pure functions over a dataset and a filter: district indicators, thresholds, rankings. No Dash import."""
