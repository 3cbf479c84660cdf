"""Pure figure builders: (indicator table, options) -> plotly Figure. No Dash import."""
