"""Which district each facility is in: its coordinates, checked, or else the district its row names.

The point wins whenever it is usable: it is placed by point-in-polygon, or, when it lies just outside the
outer border (simplified borders and GPS error put border facilities a few hundred metres out), in the
nearest district within NEAR_BORDER_M. Unusable coordinates (missing, 0,0, out of range, outside the
country) fall back on the district the row names, without the coordinates; a row with neither is rejected.
A point far outside (beyond SWAP_GUARD_M) or out of range whose latitude and longitude, swapped, fall inside a
district (of the province the row names, if any) is taken as swapped.
Every one of these decisions is counted in the report.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.names import AdminMatcher
from geo.report import Report

WGS84 = "EPSG:4326"
NEAR_BORDER_M = 1_000  # a point this close outside the border goes to the nearest district
SWAP_GUARD_M = 10_000  # only a point farther than this from every district is tried swapped
ZERO_DEGREES = 0.001  # both coordinates within this of 0: the 0,0 of an empty GPS field
BBOX_MARGIN_DEGREES = 1.0  # points farther than this outside the districts' box are not projected
COLUMN = "lat/lon"  # the source's coordinate column names are not known here
LISTED = 5  # rows listed in a warning

_PCODE = re.compile(r"^[A-Za-z]{2,3}\d[A-Za-z0-9]*$")
_ADMIN = ["adm1_given", "adm2_given", "adm1_name_given", "adm2_name_given"]
_KIND_TEXT = {"missing": "no coordinates", "zero": "coordinates at 0,0", "range": "coordinates out of range",
              "outside": "point outside the country"}


def locate_facilities(rows: pd.DataFrame, districts: gpd.GeoDataFrame, matcher: AdminMatcher,
                      report: Report) -> pd.DataFrame:
    """The rows with adm1_pcode, adm2_pcode and location_method; unusable rows rejected in `report`."""
    rows = rows.reset_index(drop=True)
    districts = districts if districts.crs is not None and districts.crs.equals(WGS84) else districts.to_crs(WGS84)
    parent = pd.Series(districts["adm1_pcode"].to_numpy(), index=districts["adm2_pcode"].to_numpy())
    lat = pd.to_numeric(rows["lat"], errors="coerce").astype("float64")
    lon = pd.to_numeric(rows["lon"], errors="coerce").astype("float64")
    named = named_districts(rows, matcher)

    kind, why = coordinate_problems(lat, lon)
    adm2, near = place_points(rows, lat, lon, kind, why, districts, report)
    method = pd.Series(pd.NA, index=rows.index, dtype="string").mask(adm2.notna(), "point")

    swapped = swapped_points(lat, lon, kind, near, districts, parent, named)
    if len(swapped):
        adm2[swapped.index], method[swapped.index] = swapped, "point_swapped"
        kind[swapped.index] = pd.NA
        lat[swapped.index], lon[swapped.index] = lon[swapped.index].to_numpy(), lat[swapped.index].to_numpy()
        report.warn(f"{len(swapped)} rows had latitude and longitude swapped (the swapped point falls in a "
                    f"district; it was used): rows {_listing(rows.loc[swapped.index, '_row'], 50)}")

    _warn_disagreement(rows, adm2, method, named, parent, report)

    unusable = kind.notna()
    fallback = unusable & named["adm2_pcode"].notna()
    adm2[fallback] = named.loc[fallback, "adm2_pcode"]
    method[fallback] = "named_" + named.loc[fallback, "method"]
    lat[fallback], lon[fallback] = np.nan, np.nan
    if fallback.any():
        counts = kind[fallback].map(_KIND_TEXT).value_counts()
        report.warn(f"{int(fallback.sum())} rows with unusable coordinates were placed in the district their row "
                    f"names, without the coordinates: " + ", ".join(f"{n} {k}" for k, n in counts.items()))

    rejected = unusable & ~fallback
    given = _given_text(rows["lat"], rows["lon"])
    for index in rejected[rejected].index:
        report.reject(rows.at[index, "_row"], COLUMN, given[index], f"{why[index]} and {named.at[index, 'reason']}")

    located = rows.assign(lat=lat, lon=lon, adm2_pcode=adm2, location_method=method)
    located["adm1_pcode"] = located["adm2_pcode"].map(parent).astype("string")
    added = ["adm1_pcode", "adm2_pcode", "location_method"]
    columns = [c for c in rows.columns if c not in added] + added
    return located.loc[~rejected, columns].reset_index(drop=True)


def place_points(rows: pd.DataFrame, lat: pd.Series, lon: pd.Series, kind: pd.Series, why: pd.Series,
                 districts: gpd.GeoDataFrame, report: Report) -> tuple[pd.Series, pd.Series]:
    """District p-codes of the usable points, inside a district or within NEAR_BORDER_M of one; points
    farther out are marked "outside" in `kind` and `why`. Also returns the nearest district within SWAP_GUARD_M."""
    adm2 = pd.Series(pd.NA, index=rows.index, dtype="string")
    usable = kind.isna()
    adm2[usable] = district_of(lon[usable], lat[usable], districts)
    outside = usable & adm2.isna()
    near, distance = nearest_district(lon[outside], lat[outside], districts, SWAP_GUARD_M)
    border = near[near.notna() & (distance <= NEAR_BORDER_M)]
    adm2[border.index] = border
    if len(border):
        report.warn(f"{len(border)} points up to {NEAR_BORDER_M / 1000:g} km outside the boundaries were "
                    f"placed in the nearest district (rows {_listing(rows.loc[border.index, '_row'], 20)})")
    astray = outside & adm2.isna()
    kind[astray] = "outside"
    why[astray] = _outside_text(lat[astray], lon[astray], distance.reindex(astray[astray].index))
    return adm2, near


def coordinate_problems(lat: pd.Series, lon: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(kind, reason) of coordinates that cannot be used as a point: NA where they can."""
    missing = lat.isna() | lon.isna()
    zero = ~missing & (lat.abs() <= ZERO_DEGREES) & (lon.abs() <= ZERO_DEGREES)
    bad_lat = ~missing & ~lat.between(-90, 90)
    bad_lon = ~missing & ~lon.between(-180, 180)
    kind = pd.Series(np.select([missing, zero, bad_lat | bad_lon], ["missing", "zero", "range"], ""),
                     index=lat.index, dtype="string").replace("", pd.NA)
    why = pd.Series(pd.NA, index=lat.index, dtype="string")
    why[lat.isna() | lon.isna()] = "no coordinates"
    why[lat.isna() & lon.notna()] = "no latitude"
    why[lat.notna() & lon.isna()] = "no longitude"
    why[zero] = "coordinates at 0,0"
    why[bad_lon] = "longitude " + _repr(lon[bad_lon]) + " is out of range -180..180"
    why[bad_lat] = "latitude " + _repr(lat[bad_lat]) + " is out of range -90..90"
    return kind, why


def district_of(x: pd.Series, y: pd.Series, districts: gpd.GeoDataFrame) -> pd.Series:
    """The district p-code of each point (x = longitude, y = latitude), NA outside every district."""
    if x.empty:
        return pd.Series(pd.NA, index=x.index, dtype="string")
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), index=x.index, crs=WGS84)
    joined = gpd.sjoin(points, districts[["adm2_pcode", "geometry"]], predicate="intersects", how="left")
    joined = joined[~joined.index.duplicated()]  # a point on a shared border: the first district
    return joined["adm2_pcode"].reindex(x.index).astype("string")


def nearest_district(x: pd.Series, y: pd.Series, districts: gpd.GeoDataFrame,
                     max_metres: float) -> tuple[pd.Series, pd.Series]:
    """(p-code, distance in metres) of the nearest district within `max_metres`, measured in local UTM."""
    code = pd.Series(pd.NA, index=x.index, dtype="string")
    distance = pd.Series(np.nan, index=x.index, dtype="float64")
    minx, miny, maxx, maxy = districts.total_bounds
    m = BBOX_MARGIN_DEGREES
    close = x.between(minx - m, maxx + m) & y.between(miny - m, maxy + m)
    if not close.any():
        return code, distance
    metric = districts.estimate_utm_crs()
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x[close], y[close]), index=x[close].index,
                              crs=WGS84).to_crs(metric)
    joined = gpd.sjoin_nearest(points, districts[["adm2_pcode", "geometry"]].to_crs(metric), how="inner",
                               max_distance=max_metres, distance_col="_metres")
    joined = joined[~joined.index.duplicated()]
    code[joined.index] = joined["adm2_pcode"]
    distance[joined.index] = joined["_metres"]
    return code, distance


def swapped_points(lat: pd.Series, lon: pd.Series, kind: pd.Series, near: pd.Series,
                   districts: gpd.GeoDataFrame, parent: pd.Series, named: pd.DataFrame) -> pd.Series:
    """District p-codes of points taken as swapped, indexed by row.

    Only a point out of range or farther than SWAP_GUARD_M from every district is tried (near the border it
    is GPS error, and where latitude and longitude are alike, as in north-east Nigeria, a swapped border
    point often lands inside), and the swapped point must lie in the province the row names, if any.
    """
    far = (kind == "range") | ((kind == "outside") & near.reindex(kind.index).isna())
    far &= lon.between(-90, 90) & lat.between(-180, 180)
    candidates = far[far.fillna(False)].index
    found = district_of(lat[candidates], lon[candidates], districts).dropna()
    if found.empty:
        return found
    province = named.loc[found.index, "adm1_pcode"].fillna(named.loc[found.index, "province"])
    agrees = province.isna() | (province == found.map(parent))
    return found[agrees.to_numpy()]


def named_districts(rows: pd.DataFrame, matcher: AdminMatcher) -> pd.DataFrame:
    """Per row, the district and province its admin columns name: adm2_pcode, adm1_pcode, method, reason, province."""
    admin = pd.DataFrame({c: rows[c] if c in rows.columns else pd.NA for c in _ADMIN}, index=rows.index)
    key = pd.Series("", index=rows.index, dtype=object)
    for column in _ADMIN:
        key = key + "\x1f" + admin[column].astype("string").fillna("\x00").astype(object)
    admin = admin.astype(object).where(admin.notna(), None)
    found = {}
    first = ~key.duplicated()
    for k, (adm1, adm2, adm1_name, adm2_name) in zip(key[first], admin[first].itertuples(index=False)):
        name2 = adm2_name if adm2_name is not None else _name_only(adm2)
        name1 = adm1_name if adm1_name is not None else _name_only(adm1)
        match = matcher.district(adm2, name2, adm1, name1)
        province = matcher.province(adm1, name1) if (adm1 or name1) else None
        found[k] = (match.adm2_pcode, match.adm1_pcode, match.method, match.reason, province)
    columns = ["adm2_pcode", "adm1_pcode", "method", "reason", "province"]
    table = pd.DataFrame.from_dict(found, orient="index", columns=columns).reindex(key.to_numpy())
    return table.set_axis(rows.index).astype("string")


def _name_only(value: object) -> object:
    """A single admin column is a p-code or a name: read it as a name only when it does not look like a p-code."""
    return None if value is None or _PCODE.match(str(value).strip()) else value


def _warn_disagreement(rows: pd.DataFrame, adm2: pd.Series, method: pd.Series, named: pd.DataFrame,
                       parent: pd.Series, report: Report) -> None:
    """One warning for rows whose point lies in another district (or province) than the row names."""
    placed = method.isin(["point", "point_swapped"])
    district = placed & named["adm2_pcode"].notna() & (named["adm2_pcode"] != adm2)
    if district.any():
        pairs = [f"{r}: {a} -> {b}" for r, a, b in zip(rows.loc[district, "_row"], named.loc[district, "adm2_pcode"],
                                                    adm2[district])]
        report.warn(f"{int(district.sum())} rows name a district their coordinates are not in; the coordinates "
                    f"were used (row: named -> found): {_listing(pairs, LISTED)}")
    found1 = adm2.map(parent)
    province = placed & named["adm2_pcode"].isna() & named["province"].notna() & (named["province"] != found1)
    if province.any():
        pairs = [f"{r}: {a} -> {b}" for r, a, b in zip(rows.loc[province, "_row"], named.loc[province, "province"],
                                                    found1[province])]
        report.warn(f"{int(province.sum())} rows name a province their coordinates are not in; the coordinates "
                    f"were used (row: named -> found): {_listing(pairs, LISTED)}")


def _outside_text(lat: pd.Series, lon: pd.Series, metres: pd.Series) -> pd.Series:
    point = "point (" + _repr(lat) + ", " + _repr(lon) + ") is outside the country"
    near = metres.notna()
    km = (metres[near] / 1000).map("{:.1f}".format).astype("string")
    point[near] = point[near] + " (" + km + " km from the nearest district)"
    return point


def _repr(values: pd.Series) -> pd.Series:
    return values.map(repr).astype("string")


def _given_text(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """'lat, lon' as the rows give them."""
    def text(values: pd.Series) -> pd.Series:
        shown = values.map(lambda v: "" if pd.isna(v) else (repr(v) if isinstance(v, float) else str(v)))
        return shown.astype("string")
    given = text(lat) + ", " + text(lon)
    return given.where(given != ", ", "")


def _listing(values, limit: int) -> str:
    values = [str(v) for v in values]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ", ".join(values[:limit]) + more
