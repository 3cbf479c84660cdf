"""What every layout and callback works from: the dataset, its geometry URLs and cached analyses.

The district table of a filter is computed once and kept (a filter change back and forth, or several
callbacks of one page, read the same table). Cached tables are shared: callers must not modify them.
When a coordinator publishes a new dataset, every worker loads it on its next request (`refresh`) and its
caches start empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial, wraps
from pathlib import Path

import pandas as pd

from analysis.access import is_public
from analysis.disclosure import public_districts, public_filter, public_view
from analysis.districts import district_table, warm
from analysis.filters import Filter, round_of
from data import schema
from data.dataset import Dataset, load_dataset

CACHED_FILTERS = 64


@dataclass(eq=False)
class Context:
    dataset: Dataset
    geometry: dict[str, str] = field(default_factory=dict)  # level -> URL of the cached geometry file
    serve_geometry: Callable[[Dataset], dict[str, str]] | None = None  # registers a new dataset's geometry

    def __post_init__(self) -> None:
        self._table = lru_cache(maxsize=CACHED_FILTERS)(self._compute)
        self._caches: dict = {}
        self._stamp = _stamp(self.dataset.path)
        warm(self.dataset)  # computed here, not by the first request (and once, before gunicorn forks)

    def refresh(self) -> bool:
        """Load the dataset again if its folder now holds another build (a published update); True if it did.
        A folder caught between two renames, or a build that does not load, leaves the current one in use."""
        stamp = _stamp(self.dataset.path)
        if stamp is None or stamp == self._stamp:
            return False
        try:
            dataset = load_dataset(self.dataset.path)
            warm(dataset)  # before the swap: requests meanwhile use the current dataset
        except Exception:  # noqa: BLE001 - keep serving what works; the next request tries again
            return False
        if self.serve_geometry:
            self.geometry = self.serve_geometry(dataset)
        self.dataset, self._stamp = dataset, stamp
        self._table.cache_clear()
        self._caches.clear()
        return True

    def _compute(self, chosen: Filter, public: bool) -> pd.DataFrame:
        return public_districts(self.dataset, chosen) if public else district_table(self.dataset, chosen)

    def districts(self, chosen: Filter, role: str) -> pd.DataFrame:
        """The district table (every indicator) of a filter, as the requester may see it: for the public,
        facility-based values of districts below the small-number threshold are withheld (column `suppressed`).
        The round is resolved first so None and the latest round share one cache entry. The public's filter
        never splits a district by facility type or ownership (analysis/disclosure.py), whatever it names."""
        public = is_public(role)
        chosen = public_filter(chosen) if public else chosen
        resolved = Filter(**{**chosen.__dict__, "round": round_of(self.dataset, chosen)})
        return self._table(resolved, public)

    def scoped(self, view, role: str):
        """The view as `role` may ask it: for the public, without the facility type and ownership breakdowns
        (analysis/disclosure.py). Every view that comes from the browser goes through here."""
        return public_view(view) if is_public(role) else view

    def province_names(self) -> dict[str, str]:
        """Province p-code -> name, of the dataset in use: the one look-up every page and export uses."""
        derived = self.dataset.derived
        if "province_names" not in derived:
            provinces = self.dataset.provinces
            codes, names = provinces["adm1_pcode"].astype(str), provinces["adm1_name"].astype(str)
            derived["province_names"] = dict(zip(codes, names))
        return derived["province_names"]

    @property
    def rounds(self) -> list[str]:
        return self.dataset.rounds["round"].astype(str).tolist()

    @property
    def label(self) -> str:
        manifest = self.dataset.manifest
        return manifest.get("label") or manifest.get("country") or "HealthGaps dataset"

    @property
    def built(self) -> str:
        """The dataset's build date, YYYY-MM-DD, as exports name it."""
        return str(self.dataset.manifest.get("built_at") or "")[:10]


def _stamp(folder: Path) -> tuple[int, int] | None:
    """What tells one build of a dataset folder from the next: its manifest's inode and modification time."""
    try:
        info = (Path(folder) / schema.MANIFEST).stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


def per_dataset(maxsize: int = 32):
    """Like functools.lru_cache for a function of (ctx, ...), emptied when the context loads a new dataset."""
    def decorate(function):
        @wraps(function)
        def cached(ctx: Context, *args, **kwargs):
            if function not in ctx._caches:
                ctx._caches[function] = lru_cache(maxsize=maxsize)(partial(function, ctx))
            return ctx._caches[function](*args, **kwargs)
        return cached
    return decorate
