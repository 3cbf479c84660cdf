"""Finding a row's district: by p-code, or failing that by name within its province, as users write them.

Names are compared without case, accents, punctuation, spaces or a trailing "district"/"LGA"/"province",
so "Nahr-e Saraj", "NAHR E SARAJ" and "Nahre Saraj District" are the same name. A name that is not unique
within its province (or, with no province, within the country) is not matched: the caller reports it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd


@lru_cache(maxsize=1 << 16)  # headers and answers repeat in every export: each text is worked out once
def strip_accents(text: str) -> str:
    """The text without combining marks ("Kondūz" -> "Konduz"), so spellings with and without accents meet."""
    if text.isascii():  # nothing to decompose
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_SUFFIXES = re.compile(r"(district|province|governorate|state|lga|wuleswali|city|centre|center)$")


def name_key(name: object) -> str:
    """A name reduced to what two spellings of it share."""
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ""
    text = "".join(c for c in strip_accents(str(name)).lower() if c.isalnum())
    return _SUFFIXES.sub("", text) or text


@dataclass(frozen=True)
class Match:
    """A district found for a row (`adm2_pcode` None when not found, with the reason)."""

    adm2_pcode: str | None
    adm1_pcode: str | None
    method: str | None  # "pcode" or "name"
    reason: str = ""


class AdminMatcher:
    """Look up districts and provinces of one dataset's boundaries by p-code or by name."""

    def __init__(self, districts: pd.DataFrame, provinces: pd.DataFrame):
        self.parent = dict(zip(districts["adm2_pcode"], districts["adm1_pcode"]))
        self.provinces = set(provinces["adm1_pcode"])
        self._province_by_name = _unique_index(provinces["adm1_name"].map(name_key), provinces["adm1_pcode"])
        keys = districts["adm2_name"].map(name_key)
        self._district_by_name = _unique_index(keys, districts["adm2_pcode"])
        self._district_by_name_in = _unique_index(districts["adm1_pcode"] + "|" + keys, districts["adm2_pcode"])

    def province(self, pcode: object = None, name: object = None) -> str | None:
        """The admin-1 p-code named by a p-code or a unique name."""
        code = _clean_code(pcode)
        if code in self.provinces:
            return code
        return self._province_by_name.get(name_key(name)) or None

    def district(self, pcode: object = None, name: object = None, province_pcode: object = None,
                 province_name: object = None) -> Match:
        """The district a row names: its p-code if known, else its name within the row's province."""
        code = _clean_code(pcode)
        if code in self.parent:
            return Match(code, self.parent[code], "pcode")
        key = name_key(name)
        if not key:
            reason = f"admin2 p-code {code} is not a district of the boundaries" if code else "no district named"
            return Match(None, None, None, reason)
        province = self.province(province_pcode, province_name)
        index, lookup = (self._district_by_name_in, f"{province}|{key}") if province else (self._district_by_name, key)
        found = index.get(lookup)
        if found:
            return Match(found, self.parent[found], "name")
        where = f" in province {province}" if province else ""
        ambiguous = lookup in index["__ambiguous__"]
        return Match(None, None, None, f"district name '{name}' {'is ambiguous' if ambiguous else 'not found'}{where}")


def _clean_code(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip().upper()


def _unique_index(keys: pd.Series, codes: pd.Series) -> dict:
    """key -> code for keys held by exactly one code; ambiguous keys kept apart under '__ambiguous__'."""
    frame = pd.DataFrame({"key": keys.to_numpy(), "code": codes.to_numpy()}).drop_duplicates()
    counts = frame["key"].value_counts()
    unique = frame[frame["key"].map(counts) == 1]
    index: dict = dict(zip(unique["key"], unique["code"]))
    index["__ambiguous__"] = set(counts[counts > 1].index)
    return index
