"""Build a dataset folder from source files: canonical Parquet tables, web geometry, manifest, rejections.

The folder is written beside its destination and renamed into place, so a failed build never replaces a
good dataset.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from data import schema
from data.facility_list import read_facility_list
from data.herams import default_report_dates, read_herams, snapshot
from data.needs import read_needs
from data.partners import read_partners
from data.population import read_population
from data.tables import is_excel, normalise_header, sheet_names
from geo.boundaries import BoundaryError, read_boundaries
from geo.locate import locate_facilities
from geo.names import AdminMatcher
from geo.report import Report
from geo.web import WebGeometry, dissolve, simplify, web_geometry

EQUAL_AREA = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global: areas in m²
SERVICES = Path(__file__).parent / "reference" / "herams_services.csv"
# What a source file may hold, checked before it is read (a decompression bomb or an oversized sheet fails the
# build, not the machine). A national HeRAMS workbook inflates ~10 times to some hundred MB and a few million cells.
INFLATED_LIMIT = 1 << 30  # bytes all the entries of a zip (xlsx, zipped shapefile) may inflate to
RATIO_LIMIT = 100  # inflated / compressed bytes of one entry over RATIO_FLOOR: sheets ~10, zeros ~1,000
RATIO_FLOOR = 1 << 20  # smaller entries may compress any amount
CELL_LIMIT = 50_000_000  # cells of one sheet, or rows x columns of one CSV
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
CELL_TAG = re.compile(rb"<(?:[\w.-]{1,16}:)?c[\s/>]")  # a sheet's cell, <c ...> or <x:c ...>


class BuildError(ValueError):
    """Nothing usable can be built from a source; the message is one line naming the file."""


def check_source(path: Path) -> None:
    """Refuse a file too large to read safely, from what it says of itself and before any reader inflates it:
    a zip whose entries would inflate past INFLATED_LIMIT or RATIO_LIMIT (read from its directory alone), a
    sheet or a CSV of more than CELL_LIMIT cells (counted on a stream). Raises BuildError naming the file."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            _check_inflation(path.name, entries)
            sheets = [e for e in entries if e.filename.startswith("xl/worksheets/")] if is_excel(path) else []
            for entry in sheets:
                with archive.open(entry) as sheet:
                    _check_cells(path.name, _cells_in_sheet(sheet), "a sheet")
    elif path.suffix.lower() in TEXT_SUFFIXES:
        _check_cells(path.name, _cells_in_text(path), "the table")


def _check_inflation(name: str, entries: list[zipfile.ZipInfo]) -> None:
    total = sum(e.file_size for e in entries)
    if total > INFLATED_LIMIT:
        raise BuildError(f"{name}: inflates to {total:,} bytes, more than the {INFLATED_LIMIT:,} a build reads "
                         "(a decompression bomb, or split the file)")
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > RATIO_LIMIT * max(entry.compress_size, 1):
            raise BuildError(f"{name}: {entry.filename} inflates {entry.file_size // max(entry.compress_size, 1):,} "
                             f"times ({entry.file_size:,} bytes), more than the {RATIO_LIMIT} times a real file "
                             "does (a decompression bomb)")


def _check_cells(name: str, cells: int, what: str) -> None:
    if cells > CELL_LIMIT:
        raise BuildError(f"{name}: {what} holds {cells:,} cells, more than the {CELL_LIMIT:,} a build reads "
                         "(split the file)")


def _cells_in_sheet(sheet) -> int:
    """The <c> elements of a worksheet's XML, read 1 MB at a time (a tag is never cut: each block is counted
    up to its last '<' near the end, and the rest goes with the next block)."""
    count, tail = 0, b""
    for block in iter(lambda: sheet.read(1 << 20), b""):
        text = tail + block
        cut = text.rfind(b"<", max(len(text) - 64, 0))
        cut = len(text) if cut < 0 else cut
        count += len(CELL_TAG.findall(text, 0, cut))
        tail = text[cut:]
    return count + len(CELL_TAG.findall(tail))


def _cells_in_text(path: Path) -> int:
    """Rows x columns of a CSV, about (lines, and the first line's separators), read 1 MB at a time."""
    with open(path, "rb") as handle:
        first = handle.readline()
        lines = 1 + sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    return lines * (1 + max(first.count(sep) for sep in (b",", b";", b"\t")))


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def area_km2(table: gpd.GeoDataFrame) -> pd.Series:
    return (table.geometry.to_crs(EQUAL_AREA).area / 1e6).round(1)


def district_layers(paths: list[Path]) -> tuple[gpd.GeoDataFrame, pd.DataFrame, list[Report]]:
    """Districts (admin 2) and provinces (admin 1) from one or more COD-AB files.

    Provinces come from an admin-1 file when one is given, else they are dissolved from the districts.
    """
    read = [read_boundaries(p) for p in paths]
    districts = [b for b in read if b.level == 2]
    if not districts:
        raise BoundaryError(f"{', '.join(p.name for p in paths)}: no file with district (ADM2_PCODE) polygons")
    adm2 = districts[0]
    provinces = [b for b in read if b.level == 1]
    adm1 = provinces[0] if provinces else read_boundaries(paths[read.index(adm2)], level=1)
    reports = [b.report for b in read]
    if "adm1_pcode" not in adm2.table.columns:
        raise BoundaryError(f"{adm2.report.file}: no ADM1_PCODE field, so districts cannot be placed in provinces")
    unknown = sorted(set(adm2.table["adm1_pcode"]) - set(adm1.table["adm1_pcode"]))
    if unknown:
        adm2.report.warn(f"districts name provinces missing from {adm1.report.file}: {', '.join(unknown)}")
    names = adm1.table[["adm1_pcode", "adm1_name"]]
    table = adm2.table.drop(columns=[c for c in ("adm1_name",) if c in adm2.table.columns]).merge(
        names, on="adm1_pcode", how="left")
    table["adm1_name"] = table["adm1_name"].fillna(table["adm1_pcode"])
    table["area_km2"] = area_km2(table)
    province_table = pd.DataFrame(adm1.table[["adm1_pcode", "adm1_name"]]).assign(area_km2=area_km2(adm1.table))
    return table, province_table, reports


def join_population(population: pd.DataFrame, report: Report, districts: pd.DataFrame) -> pd.DataFrame:
    """Keep rows whose p-code is a district; reject the others; warn about districts with no population."""
    known = population["adm2_pcode"].isin(districts["adm2_pcode"])
    for row, code in population.loc[~known, ["_row", "adm2_pcode"]].itertuples(index=False):
        report.reject(row, "ADM2_PCODE", code, "p-code not in the district boundaries")
    if (~known).any():
        people = int(population.loc[~known, "population"].sum())
        report.warn(f"{int((~known).sum())} rows ({people:,} people) name p-codes with no district polygon")
    absent = sorted(set(districts["adm2_pcode"]) - set(population["adm2_pcode"]))
    if absent:
        report.warn(f"{len(absent)} districts have no population row: {', '.join(absent[:20])}")
    return population[known].drop(columns="_row").reset_index(drop=True)


def _geometry_entry(geometry: WebGeometry) -> dict:
    return {"bytes": len(geometry.content), "gzip_bytes": geometry.gzip_bytes, "features": geometry.features,
            "vertices": geometry.vertices, "gap_free": geometry.gap_free}


def _no_row_left(report: Report) -> BuildError:
    reasons = top_reasons(report, 1)
    why = f": {reasons[0][1]} rows, '{reasons[0][0]}'" if reasons else ""
    return BuildError(f"{report.file}: no usable row ({len(report.rejected)} rejected{why})")


def is_herams(path: Path) -> bool:
    """Whether a facility file is a HeRAMS export: its first rows name the MoSD1 facility code (or its label)."""
    if is_excel(path):
        heads = [pd.read_excel(path, sheet_name=sheet, header=None, nrows=3, dtype=str, engine="calamine")
                 for sheet in sheet_names(path)]
        text = " ".join(str(v) for head in heads for v in head.to_numpy().ravel())
    else:
        text = path.read_bytes()[:65_536].decode("utf-8", errors="replace")
    words = f" {normalise_header(text)} "
    return " mosd1 " in words or " mosd p code " in words


def read_facility_file(path: Path, districts: gpd.GeoDataFrame, matcher: AdminMatcher):
    """(located updates, services, report) of a HeRAMS export or, failing that, a plain facility list."""
    if is_herams(path):
        updates, services, report = read_herams(path)
    else:
        updates, report = read_facility_list(path)
        services = pd.DataFrame(columns=["source", "_row", "service", "status", "barrier_1", "barrier_2", "barrier_3"])
    located = locate_facilities(updates, districts, matcher, report)
    if located.empty:
        raise _no_row_left(report)
    kept = services[services["_row"].isin(located["_row"])].reset_index(drop=True)  # one file: rows are its rows
    return located, kept, report


def facility_tables(paths: list[Path], districts: gpd.GeoDataFrame, matcher: AdminMatcher,
                    report_dates: list[str]) -> tuple[dict[str, pd.DataFrame], list[Report]]:
    """The rounds, facilities and services tables from every facility file, by HeRAMS's snapshot rule."""
    read = [read_facility_file(path, districts, matcher) for path in paths]
    updates = pd.concat([r[0] for r in read], ignore_index=True)
    reports = [r[2] for r in read]
    files = list(dict.fromkeys(r.file for r in reports))  # the service rows' source, one categorical for all
    services = pd.concat([r[1].assign(source=pd.Categorical(r[1]["source"], categories=files)) for r in read],
                         ignore_index=True)
    del read  # each file's service rows, now in `services`
    dates = [pd.Timestamp(d) for d in report_dates] or default_report_dates(updates)
    if not dates:  # only undated facility lists: one round, dated the day of the build
        dates = [pd.Timestamp.now().normalize()]
        for report in reports:
            report.warn(f"no report date given and the facilities are undated: one round dated "
                        f"{dates[0]:%Y-%m-%d} (set it with --report-date)")
    facilities, service_rows = snapshot(updates, services, sorted(set(dates)), {r.file: r for r in reports})
    rounds = pd.DataFrame({"report_date": sorted(set(dates))})
    rounds.insert(0, "round", rounds["report_date"].dt.strftime("%Y-%m-%d"))
    return {"rounds": rounds, "facilities": facilities, "services": service_rows}, reports


def read_rows(paths: list[Path], reader, matcher: AdminMatcher) -> tuple[pd.DataFrame, list[Report]]:
    """Partner or needs tables from several files, each file's rows checked and reported."""
    frames, reports = [], []
    for path in paths:
        frame, report = reader(path, matcher)
        if frame.empty:
            raise _no_row_left(report)
        frames.append(frame.drop(columns="_row"))
        reports.append(report)
    return pd.concat(frames, ignore_index=True), reports


def service_catalogue() -> pd.DataFrame:
    return pd.read_csv(SERVICES, dtype=str).rename(columns={"code": "service"})


def top_reasons(report: Report, n: int = 3) -> list[tuple[str, int]]:
    """The most frequent rejection reasons, with values and numbers folded so that alike reasons count once."""
    pattern = r"'[^']*'|[\w.-]*\d[\w.:,-]*"  # quoted values and any token holding a digit
    folded = Counter(re.sub(pattern, "…", r.reason) for r in report.rejected)
    return folded.most_common(n)


def build_dataset(out: str | Path, boundaries: Sequence[str | Path], population: str | Path | None = None,
                  facilities: Sequence[str | Path] = (), partners: Sequence[str | Path] = (),
                  needs: Sequence[str | Path] = (), report_dates: Sequence[str] = (), label: str = "",
                  synthetic: bool = False) -> dict:
    """Read every source, write the dataset folder `out` and return its manifest.

    Raises BuildError, BoundaryError or TableError (one line naming the file) when nothing usable can be built.
    """
    out, boundary_paths = Path(out), [Path(p) for p in boundaries]
    for path in [*boundary_paths, *[Path(p) for p in (population, *facilities, *partners, *needs) if p]]:
        check_source(path)
    districts, provinces, reports = district_layers(boundary_paths)
    sources = [(p, "boundaries") for p in boundary_paths]
    tables = {"districts": pd.DataFrame(districts.drop(columns="geometry")), "provinces": provinces,
              "service_catalogue": service_catalogue()}
    if population is not None:
        people, report = read_population(population)
        tables["population"] = join_population(people, report, districts)
        reports.append(report)
        sources.append((Path(population), "population"))
    matcher = AdminMatcher(tables["districts"], provinces)
    if facilities:
        facility_paths = [Path(p) for p in facilities]
        found, facility_reports = facility_tables(facility_paths, districts, matcher, list(report_dates))
        tables.update(found)
        reports += facility_reports
        sources += [(p, "facilities") for p in facility_paths]
    for role, paths, reader, table in (("partners", partners, read_partners, "activities"),
                                       ("needs", needs, read_needs, "needs")):
        if paths:
            tables[table], found_reports = read_rows([Path(p) for p in paths], reader, matcher)
            reports += found_reports
            sources += [(Path(p), role) for p in paths]
    simplified = simplify(districts)
    geometry = {"adm2": web_geometry(simplified, "adm2_pcode"),
                "adm1": web_geometry(dissolve(simplified, "adm1_pcode"), "adm1_pcode")}
    tables = {name: schema.validate(name, table) for name, table in tables.items()}

    digests = [sha256(path) for path, _ in sources]
    stored = stored_names(sources, digests)
    manifest = {
        "schema_version": schema.SCHEMA_VERSION,
        "label": label,
        "synthetic": synthetic,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "country": str(districts["adm0_name"].iloc[0]) if "adm0_name" in districts else "",
        "rounds": tables["rounds"]["round"].tolist() if "rounds" in tables else [],
        "sources": [dict(role=role, sha256=digest, **report.summary(), top_reasons=top_reasons(report),
                         stored=name) for (_, role), report, name, digest in zip(sources, reports, stored, digests)],
        "tables": {name: len(table) for name, table in tables.items()},
        "geometry": {level: _geometry_entry(g) for level, g in geometry.items()},
    }
    rejected = pd.DataFrame([r for report in reports for r in report.rejected_records()],
                            columns=schema.REJECTED_COLUMNS)
    _write(out, tables, geometry, rejected, manifest, {name: path for (path, _), name in zip(sources, stored)})
    return manifest


def stored_names(sources: list[tuple[Path, str]], digests: list[str]) -> list[str]:
    """Where each source file is kept in the dataset folder, so the dataset can be rebuilt from its own files
    when a coordinator replaces some of them (data.update): `sources/<role>/<content hash><suffix>`, a name
    that is safe whatever the file was called (the manifest's `file` keeps that name)."""
    names: list[str] = []
    for (path, role), digest in zip(sources, digests):
        name, n = f"{schema.SOURCES}/{role}/{digest[:16]}{path.suffix.lower()}", 1
        while name in names:  # the same file twice
            n += 1
            name = f"{schema.SOURCES}/{role}/{digest[:16]}-{n}{path.suffix.lower()}"
        names.append(name)
    return names


def _write(out: Path, tables: dict[str, pd.DataFrame], geometry: dict[str, WebGeometry], rejected: pd.DataFrame,
           manifest: dict, sources: dict[str, Path]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, table in tables.items():
            categorical = {c: "category" for c in schema.CATEGORICAL.get(name, [])}
            table.astype(categorical).to_parquet(staging / schema.parquet_name(name), index=False)
        for level, g in geometry.items():
            (staging / schema.GEOMETRY[level]).parent.mkdir(exist_ok=True)
            (staging / schema.GEOMETRY[level]).write_bytes(g.content)
        rejected.to_csv(staging / schema.REJECTED, index=False)
        for name, path in sources.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, staging / name)
        (staging / schema.MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        private(staging)
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def private(folder: Path) -> None:
    """Make a folder and everything in it the server account's alone (folders 0700, files 0600): a dataset
    holds facility names and coordinates that the public view withholds, and its sources hold even more."""
    for root, _folders, files in os.walk(folder):
        os.chmod(root, 0o700)
        for name in files:
            os.chmod(os.path.join(root, name), 0o600)


def _replace(staging: Path, out: Path) -> None:
    """Swap the finished folder into place; the old dataset is removed only once the new one is there."""
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
