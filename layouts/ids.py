"""Every component id of the app, once: layouts, callbacks and browser tests import them from here."""

INDICATOR = "indicator"
PROVINCE = "province"
MAP = "map"
TABLE = "district-table"
MAP_CAPTION = "map-caption"
SYNTHETIC = "synthetic-banner"
