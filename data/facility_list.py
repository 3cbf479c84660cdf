"""Read a plain facility list (not a HeRAMS export): name, type, ownership, coordinates, admin names.

Such lists (the WHO/KEMRI public facility lists, an OpenStreetMap extract, a ministry's master list) say
where facilities are, not how they work: one static round, status and functionality unknown (NA, never
"existing"). Columns are found by their header (English or French, any case, accents ignored) or HXL tag.

Facility ids are the list's own code when it has one. Otherwise an id is derived from the source name and
the row's content (admin names, name, type, coordinates to 3 decimals), so it does not depend on row order.
Duplicates: two rows with the same code, or (without a code) the same admin names, name and type within
DUPLICATE_KM of each other, are one facility; the later rows are rejected, and the report says how many of
them sat at the same point and how many at slightly different coordinates. Rows with the same name and
type farther apart are distinct facilities (villages share names) and are only counted in a warning.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from data.facility_types import tier_of
from data.tables import TableError, find_column, normalise_header, read_table
from geo.report import Report

DUPLICATE_KM = 2.0  # same name, type and admin area closer than this: the same facility listed twice
SAME_POINT_KM = 0.05  # closer than this: listed twice at the same point
EARTH_RADIUS_KM = 6371.0
LISTED = 20

NAME = ("Facility name", "Health facility name", "Name of facility", "Health facility", "Facility", "Name",
        "Nom", "Nom de la structure", "Nom de la formation sanitaire", "Nom de l'établissement",
        "Formation sanitaire", "Structure", "#loc+name")
TYPE = ("Facility type", "Type of facility", "Health facility type", "Type", "Type de structure",
        "Type de formation sanitaire", "Type d'établissement", "Catégorie", "healthcare", "amenity", "#loc+type")
OWNERSHIP = ("Ownership", "Owner", "Managing authority", "Operator type", "Propriétaire", "Propriété",
             "Type de propriété", "Gestionnaire", "#loc+ownership", "#org+type")
LAT = ("Lat", "Latitude", "Y", "GPS latitude", "#geo+lat")
LON = ("Long", "Lon", "Longitude", "X", "Lng", "GPS longitude", "#geo+lon")
CODE = ("Facility code", "Facility ID", "Facility_id", "HF code", "Code", "ID", "osm_id",
        "Code de la structure", "Identifiant", "#loc+code", "#loc+id")
ADM1_PCODE = ("ADM1_PCODE", "Admin1 Pcode", "admin1Pcode", "Admin1 code", "State pcode", "Province pcode",
              "#adm1+code")
ADM1_NAME = ("ADM1_EN", "ADM1_NAME", "Admin1 name", "admin1Name_en", "Admin1", "Admin 1", "State", "Province",
             "Region", "Governorate", "État", "#adm1+name")
ADM2_PCODE = ("ADM2_PCODE", "Admin2 Pcode", "admin2Pcode", "Admin2 code", "LGA pcode", "District pcode",
              "#adm2+code")
ADM2_NAME = ("ADM2_EN", "ADM2_NAME", "Admin2 name", "admin2Name_en", "Admin2", "Admin 2", "LGA", "District",
             "District sanitaire", "County", "Département", "#adm2+name")

# Ownership as written -> the OWNERSHIP vocabulary; the first pattern found in the lower-cased text wins.
_OWNERSHIP = (
    (r"not.?for.?profit|non.?profit|\bngo\b|\bong\b|\bfbo\b|faith|mission|church|islam|religi|confessionn", "ngo"),
    (r"public|gov|gouv|minist|\bmoh|\bmsp\b|state|federal|municipal|military|army|\betat\b|publique", "public"),
    (r"communit|communaut", "community"),
    (r"private|prive", "private"),
)

COLUMNS = ["_row", "source", "facility_id", "code", "name", "type", "tier", "ownership", "status", "building",
           "functionality", "accessibility", "lat", "lon", "adm1_given", "adm2_given", "adm1_name_given",
           "adm2_name_given", "updated"]


def read_facility_list(path: str | Path) -> tuple[pd.DataFrame, Report]:
    """Facility rows from a plain list (name, type, coordinates, admin names), one static round."""
    path = Path(path)
    table, keys = read_table(path)
    report = Report(file=path.name, rows_in=len(table))
    for warning in table.attrs.get("warnings", []):
        report.warn(warning)
    found = _columns(keys, path.name)

    rows = pd.DataFrame({"_row": table["_row"].astype("int64"), "source": path.name})
    rows["name"] = _text(table, found["name"])
    rows["type"] = _first_filled(table, _type_columns(keys)).astype("string")
    rows["ownership"] = ownership(_text(table, found["ownership"]))
    rows["lat"], bad_lat = coordinate(table, found["lat"])
    rows["lon"], bad_lon = coordinate(table, found["lon"])
    rows["adm1_given"] = _text(table, found["adm1_pcode"]).fillna(_text(table, found["adm1_name"]))
    rows["adm2_given"] = _text(table, found["adm2_pcode"]).fillna(_text(table, found["adm2_name"]))
    both1, both2 = found["adm1_pcode"] and found["adm1_name"], found["adm2_pcode"] and found["adm2_name"]
    rows["adm1_name_given"] = _text(table, found["adm1_name"] if both1 else None)
    rows["adm2_name_given"] = _text(table, found["adm2_name"] if both2 else None)
    rows["code"] = _text(table, found["code"])
    for column in ("status", "building", "functionality", "accessibility"):
        rows[column] = pd.Series(pd.NA, index=rows.index, dtype="string")
    rows["updated"] = pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns]")
    rows["tier"] = rows["type"].map(_tiers(rows["type"])).astype("string").fillna(tier_of(None))
    _warn_unreadable(rows, bad_lat | bad_lon, table, found, report)
    _warn_types(rows, report)

    empty = rows["name"].isna() & (rows["lat"].isna() | rows["lon"].isna())
    for row in rows.loc[empty, "_row"]:
        report.reject(row, found["name"] or found["lat"] or "", "", "no facility name and no coordinates")
    rows = rows[~empty]
    rows["facility_id"], distance = facility_ids(rows, path.stem)
    if found["code"] and rows["code"].isna().any():
        report.warn(f"{int(rows['code'].isna().sum())} rows have no {found['code']}; "
                    f"their facility ids were derived from their content")
    rows = _reject_duplicates(rows, distance, found, report)
    return rows[COLUMNS].reset_index(drop=True), report


def _columns(keys: dict[str, str], file: str) -> dict[str, str | None]:
    """The source column of each field (None when absent); raise when there is neither name nor coordinates."""
    found = {field: find_column(keys, candidates) for field, candidates in (
        ("name", NAME), ("ownership", OWNERSHIP), ("lat", LAT), ("lon", LON), ("code", CODE),
        ("adm1_pcode", ADM1_PCODE), ("adm1_name", ADM1_NAME), ("adm2_pcode", ADM2_PCODE), ("adm2_name", ADM2_NAME))}
    if bool(found["lat"]) != bool(found["lon"]):
        have, missing = ("latitude", "longitude") if found["lat"] else ("longitude", "latitude")
        wanted = ", ".join(LON if found["lat"] else LAT)
        raise TableError(f"{file}: a {have} column ({found['lat'] or found['lon']}) but no {missing} column "
                         f"(expected one of {wanted})")
    if not found["name"] and not found["lat"]:
        raise TableError(f"{file}: no facility name column (expected one of {', '.join(NAME[:7])}) and no "
                         f"coordinate columns (expected Lat/Latitude and Long/Longitude)")
    return found


def _type_columns(keys: dict[str, str]) -> list[str]:
    """Every facility type column present, in TYPE's order (a list may give a type in several)."""
    return list(dict.fromkeys(c for c in (find_column(keys, (t,)) for t in TYPE) if c))


def _text(table: pd.DataFrame, column: str | None) -> pd.Series:
    if not column:
        return pd.Series(pd.NA, index=table.index, dtype="string")
    return table[column].astype("string").str.strip().replace("", pd.NA)


def _first_filled(table: pd.DataFrame, columns: list[str]) -> pd.Series:
    """The first filled of several columns (OpenStreetMap: `healthcare`, else `amenity`)."""
    value = pd.Series(pd.NA, index=table.index, dtype="string")
    for column in columns:
        value = value.fillna(_text(table, column))
    return value


def ownership(values: pd.Series) -> pd.Series:
    """Ownership as written mapped to public, ngo, community, private or other; blank stays NA."""
    text = values.map(lambda v: normalise_header(v) if isinstance(v, str) else pd.NA).astype("string")
    result = pd.Series(pd.NA, index=values.index, dtype="string")
    result[text.notna()] = "other"
    for pattern, owner in reversed(_OWNERSHIP):  # the first pattern wins: apply it last
        result[text.str.contains(pattern, regex=True).fillna(False).astype(bool)] = owner
    return result


def coordinate(table: pd.DataFrame, column: str | None) -> tuple[pd.Series, pd.Series]:
    """Degrees as float (a decimal comma accepted), NaN when empty; and where the text was not a number."""
    text = _text(table, column)
    value = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce").astype("float64")
    return value, (text.notna() & value.isna()).astype(bool)


def _tiers(types: pd.Series) -> dict:
    return {t: tier_of(t) for t in types.dropna().unique()}


def _warn_unreadable(rows: pd.DataFrame, bad: pd.Series, table: pd.DataFrame, found: dict, report: Report) -> None:
    if bad.any():
        examples = [f"{r}: {a}, {b}" for r, a, b in zip(rows.loc[bad, "_row"], table.loc[bad, found["lat"]],
                                                        table.loc[bad, found["lon"]])]
        report.warn(f"{int(bad.sum())} rows have coordinates that are not numbers, read as missing: "
                    f"{_listing(examples, LISTED)}")


def _warn_types(rows: pd.DataFrame, report: Report) -> None:
    """Types no rule recognises (tier 'other'), counted, so that a user can extend the rules."""
    other = rows.loc[rows["tier"] == "other", "type"]
    if other.empty:
        return
    counts = other.fillna("(no type)").value_counts()
    report.warn(f"{len(other)} rows have a facility type no rule recognises (tier 'other'): "
                + ", ".join(f"{t} ({n})" for t, n in counts.items()))


def facility_ids(rows: pd.DataFrame, source: str) -> tuple[pd.Series, pd.Series]:
    """The code where given, else an id derived from content and shared by the rows of one facility; and the
    km from each repeated row to the first row of its facility (NaN for first rows and rows with a code)."""
    coded = rows["code"].notna()
    group = _content_key(rows)
    first = same_facility(rows.loc[~coded], group[~coded])
    # Hash the member with the smallest coordinates, not the first in the file: the id then does not depend
    # on the order of the rows.
    members = rows.loc[~coded, ["lat", "lon"]].assign(first=first).sort_values(["lat", "lon"], na_position="last")
    canonical = members.groupby("first")[["lat", "lon"]].first().reindex(first.to_numpy())
    content = group[~coded] + "|" + _rounded(canonical["lat"]).to_numpy() + "|" + \
        _rounded(canonical["lon"]).to_numpy()
    derived = content.map(lambda text: "L-" + hashlib.sha1(f"{source.lower()}|{text}".encode()).hexdigest()[:12])
    ids = rows["code"].astype("string").fillna(derived.reindex(rows.index).astype("string"))
    repeated = first[first != first.index]
    distance = pd.Series(haversine_km(rows.loc[repeated.to_numpy(), "lat"], rows.loc[repeated.to_numpy(), "lon"],
                                      rows.loc[repeated.index, "lat"], rows.loc[repeated.index, "lon"]),
                         index=repeated.index)
    return ids, distance.reindex(rows.index)


def _content_key(rows: pd.DataFrame) -> pd.Series:
    parts = [rows[c].map(lambda v: normalise_header(v) if isinstance(v, str) else "").astype(str)
             for c in ("adm1_given", "adm2_given", "name", "type")]
    return parts[0].str.cat(parts[1:], sep="|")


def _rounded(values: pd.Series) -> pd.Series:
    return values.map(lambda v: "" if pd.isna(v) else f"{v:.3f}").astype(str)


def same_facility(rows: pd.DataFrame, group: pd.Series) -> pd.Series:
    """For each row, the index of the first row of its facility: rows with the same content key are one
    facility when within DUPLICATE_KM of each other (or both without coordinates), transitively."""
    first = pd.Series(rows.index, index=rows.index)
    frame = pd.DataFrame({"key": group, "lat": rows["lat"], "lon": rows["lon"], "i": rows.index})
    frame = frame[frame["key"].duplicated(keep=False)]
    pairs = frame.merge(frame, on="key", suffixes=("_a", "_b"))
    pairs = pairs[pairs["i_a"] < pairs["i_b"]]
    km = haversine_km(pairs["lat_a"], pairs["lon_a"], pairs["lat_b"], pairs["lon_b"])
    no_point_a = pairs[["lat_a", "lon_a"]].isna().any(axis=1).to_numpy()
    no_point_b = pairs[["lat_b", "lon_b"]].isna().any(axis=1).to_numpy()
    linked = pairs[(km <= DUPLICATE_KM) | (no_point_a & no_point_b)]
    a, b = linked["i_a"].to_numpy(), linked["i_b"].to_numpy()
    while len(a):  # spread the smallest index through each linked set (C near B near A: all A)
        low = np.minimum(first[a].to_numpy(), first[b].to_numpy())
        spread = pd.concat([first, pd.Series(low, index=a), pd.Series(low, index=b)]).groupby(level=0).min()
        if spread.equals(first):
            break
        first = spread
    return first


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype="float64")) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def _reject_duplicates(rows: pd.DataFrame, distance: pd.Series, found: dict, report: Report) -> pd.DataFrame:
    """Keep the first row of each facility id; reject the later ones, saying how far they were from it."""
    repeat = rows["facility_id"].duplicated(keep="first")
    if not repeat.any():
        _warn_namesakes(rows, report)
        return rows
    first_row = rows.drop_duplicates("facility_id").set_index("facility_id")["_row"]
    column = found["code"] if found["code"] else (found["name"] or found["lat"])
    same_point = far = 0
    for index in repeat[repeat].index:
        fid, row = rows.at[index, "facility_id"], rows.at[index, "_row"]
        reason = f"duplicate facility id {fid} (same as row {first_row[fid]})"
        km = distance.get(index, np.nan)
        if pd.notna(rows.at[index, "code"]):
            value = rows.at[index, "code"]
        else:
            value = rows.at[index, "name"] if pd.notna(rows.at[index, "name"]) else ""
            if pd.isna(km) or km < SAME_POINT_KM:
                same_point += 1
                reason += ": same name, type and admin area at the same point"
            else:
                far += 1
                reason += f": same name, type and admin area {km:.2f} km apart"
        report.reject(row, column, value, reason)
    coded = int(repeat.sum()) - same_point - far
    parts = [f"{n} {what}" for n, what in ((coded, "with a repeated code"),
                                            (same_point, f"at the same point (under {SAME_POINT_KM * 1000:g} m)"),
                                            (far, f"at slightly different coordinates ({SAME_POINT_KM * 1000:g} m "
                                                  f"to {DUPLICATE_KM:g} km)")) if n]
    report.warn(f"{int(repeat.sum())} rows repeat an earlier facility and were rejected as duplicates: "
                + ", ".join(parts))
    kept = rows[~repeat]
    _warn_namesakes(kept, report)
    return kept


def _warn_namesakes(rows: pd.DataFrame, report: Report) -> None:
    """Rows without a code that share name, type and admin area with another row far away: kept, but counted."""
    derived = rows[rows["code"].isna() & rows["name"].notna()]
    key = _content_key(derived)
    namesakes = derived[key.duplicated(keep=False)]
    if len(namesakes):
        report.warn(f"{len(namesakes)} rows share name, type and admin area with another row more than "
                    f"{DUPLICATE_KM:g} km away (or without coordinates); kept as distinct facilities (rows "
                    f"{_listing(namesakes['_row'], LISTED)})")


def _listing(values, limit: int) -> str:
    values = [str(v) for v in values]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ", ".join(values[:limit]) + more
