"""Every component id of the app, once: page layouts, callbacks and browser tests import them from here.

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
ACCESS = "access-banner"  # public or coordinator view
LOGIN = "login-link"
LOGOUT = "logout-button"


class PatternId(dict):
    """A pattern-matching component id that hashes by its items (never changed once made), so it can be part
    of an output key, (id, property), as pages/wiring.py's on_view reads them. Dash sees an ordinary dict."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


def control(key: str) -> PatternId:
    """A control that sets one field of the view (weights: "weight:<indicator id>")."""
    return PatternId(type="view", key=key)


def nav(page: str) -> PatternId:
    return PatternId(type="nav", page=page)


def export(table: str, fmt: str) -> PatternId:
    """A download button: table name as registered in pages/downloads.py, fmt "csv" or "xlsx"."""
    return PatternId(type="export", table=table, format=fmt)


# Overview
INDICATOR = control("indicator")
PROVINCE = control("admin1")
MAP = "map"
TABLE = "district-table"
# What the map and table hold, so a view change sends values alone (pages/overview/callbacks.py): the view drawn and
# its districts' fingerprint, the table's names (sent when the districts change) and its values (the browser
# makes the rows).
MAP_HELD = "overview-map-held"
TABLE_NAMES = "district-table-names"
TABLE_VALUES = "district-table-values"
MAP_CAPTION = "map-caption"
HEADLINES = "headlines"
EMPTY = "overview-empty"

# Services
SERVICES_EMPTY = "services-empty"  # what the filter leaves out (no service answers)
SERVICES_DOMAINS = "services-domains"  # availability by domain, stacked bars
SERVICES_DOMAINS_TABLE = "services-domains-table"
SERVICES_TRACERS = "services-tracers"  # tracer services by district (or province) heat map
SERVICES_TRACERS_TABLE = "services-tracers-table"
SERVICES_BARRIERS = "services-barriers"
SERVICES_BARRIERS_TABLE = "services-barriers-table"
SERVICES_MATRIX = "services-matrix"  # holds the district x service graph, or the sentence asking for a province
SERVICES_MATRIX_GRAPH = "services-matrix-graph"
SERVICES_MATRIX_TABLE = "services-matrix-table"

# Partners
PARTNERS_EMPTY = "partners-empty"  # no partner activity for the round or the filter
PARTNERS_MAP = "partners-map"  # distinct organisations per district
PARTNERS_COVERAGE_MAP = "partners-coverage-map"  # gaps and duplication, by category
PARTNERS_DISTRICTS = "partners-districts"  # both maps' numbers as a table
PARTNERS_GAPS = "partners-gaps"
PARTNERS_GAPS_COUNT = "partners-gaps-count"
PARTNERS_DUPLICATION = "partners-duplication"
PARTNERS_DUPLICATION_COUNT = "partners-duplication-count"
PARTNERS_WHO = "partners-who-is-where"
PARTNERS_BY_ACTIVITY = "partners-by-activity"
PARTNERS_BY_ACTIVITY_TABLE = "partners-by-activity-table"
PARTNERS_REACH = "partners-reach"
PARTNERS_REACH_TABLE = "partners-reach-table"
PARTNERS_AGE_SEX = "partners-age-sex"  # holds the graph, or the sentence saying the 5W has no breakdown
PARTNERS_AGE_SEX_GRAPH = "partners-age-sex-graph"
PARTNERS_AGE_SEX_TABLE = "partners-age-sex-table"
PARTNERS_MATRIX = "partners-coverage-matrix"

# Priorities
PRIORITY_TOP = control("top")
PRIORITY_RESET = "priority-reset"  # link to the view with the default weights
PRIORITY_METHOD = "priority-method"  # how the score is made, in one line
PRIORITY_METHOD_FULL = "priority-method-full"  # the method and weights, line by line
PRIORITY_WEIGHTS = "priority-weights"  # the weight inputs
PRIORITY_MESSAGE = "priority-message"  # why nothing can be ranked, when so
PRIORITY_TABLE = "priority-table"  # the ranked list
PRIORITY_SUMMARY = "priority-summary"  # "387 districts ranked, 8 not ranked"
PRIORITY_EXCLUDED = "priority-excluded"  # districts not ranked, with what is missing
PRIORITY_MAP = "priority-map"
PRIORITY_QUADRANT = "priority-quadrant"
PRIORITY_QUADRANT_TABLE = "priority-quadrant-table"
PRIORITY_STABILITY = "priority-stability"
PRIORITY_STABILITY_TEXT = "priority-stability-text"
PRIORITY_STABILITY_TABLE = "priority-stability-table"

# District profile
DISTRICT_BACK = "district-back"  # the link back to the overview, with the filters
DISTRICT_EMPTY = "district-empty"  # what the filter leaves out (no population, no facility)
DISTRICT_KEY = "district-key-figures"
DISTRICT_STANDARDS = "district-standards"  # the standards' sources under the key figures
DISTRICT_SERVICES = "district-services"  # availability per domain, district against province
DISTRICT_SERVICES_TABLE = "district-services-table"
DISTRICT_TRACERS = "district-tracers"
DISTRICT_BARRIERS = "district-barriers"
DISTRICT_NEED = "district-need"
DISTRICT_PARTNERS = "district-partners"
DISTRICT_TREND = "district-trend"
DISTRICT_TREND_TABLE = "district-trend-table"
DISTRICT_FACILITIES = "district-facilities"

# Change
CHANGE_MAP = "change-map"  # the change between two rounds, in bands
CHANGE_TABLE = "change-table"  # every district, largest worsening first
CHANGE_HEADLINES = "change-headlines"  # districts worse / better / unchanged
CHANGE_EMPTY = "change-empty"  # one round, or the same round twice
CHANGE_CAPTION = "change-caption"

# Data
DATA_SUMMARY = "data-summary"  # label, country, build date, synthetic or not
DATA_SOURCES = "data-sources"  # files read: rows in, accepted, rejected, top reasons
DATA_ROUNDS = "data-rounds"
DATA_TABLES = "data-tables"
DATA_REJECTED_COUNTS = "data-rejected-counts"  # rejected rows per file and reason
DATA_REJECTED = "data-rejected"  # the first rejected rows (facility values blanked)
DATA_CATALOGUE = "data-catalogue"
DATA_STANDARDS = "data-standards"
DATA_METHODOLOGY = "data-methodology"
DATA_UPDATE = "data-update"  # coordinators: the link to the update page
