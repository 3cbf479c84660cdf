"""Every component id of the app, once: layouts, callbacks and browser tests import them from here.

Controls that change the view are pattern-matched: {"type": "view", "key": <View field>}, so one callback
turns whatever controls a page has into the URL. Each page's ids have a section of their own below.
"""

# The shell
URL = "url"
VIEW = "view"  # dcc.Store: the current View as a dict
SHELL = "shell"  # the outer wrapper; its class turns presentation mode on
PAGE = "page"  # the router's container
NOTES = "view-notes"  # what the URL asked for that the dataset does not have
DOWNLOAD = "download"
SYNTHETIC = "synthetic-banner"
NAV = "nav"


def control(key: str) -> dict:
    """A control that sets one field of the view (weights: "weight:<indicator id>")."""
    return {"type": "view", "key": key}


def nav(page: str) -> dict:
    return {"type": "nav", "page": page}


def export(table: str, fmt: str) -> dict:
    """A download button: table name as registered in callbacks/downloads.py, fmt "csv" or "xlsx"."""
    return {"type": "export", "table": table, "format": fmt}


# Overview
INDICATOR = control("indicator")
PROVINCE = control("admin1")
MAP = "map"
TABLE = "district-table"
MAP_CAPTION = "map-caption"
HEADLINES = "headlines"
EMPTY = "overview-empty"

# Services

# Partners

# Priorities

# District profile

# Change

# Data
