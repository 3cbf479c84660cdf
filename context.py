"""What every layout and callback works from: the dataset, its geometry URLs and cached analyses.

The district table of a filter is computed once and kept (a filter change back and forth, or several
callbacks of one page, read the same table). Cached tables are shared: callers must not modify them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

import auth
from analysis.districts import district_table
from analysis.filters import Filter, round_of
from data.dataset import Dataset

CACHED_FILTERS = 64


@dataclass(eq=False)
class Context:
    dataset: Dataset
    geometry: dict[str, str] = field(default_factory=dict)  # level -> URL of the cached geometry file

    def __post_init__(self) -> None:
        self._table = lru_cache(maxsize=CACHED_FILTERS)(self._compute)

    def _compute(self, chosen: Filter, public: bool) -> pd.DataFrame:
        return district_table(self.dataset, chosen, suppressed=public)

    @property
    def public(self) -> bool:
        """True unless the request comes from a logged-in coordinator (checked on the server, per request)."""
        return auth.role() != auth.COORDINATOR

    def districts(self, chosen: Filter) -> pd.DataFrame:
        """The district table (every indicator) of a filter, as the requester may see it: for the public,
        facility-based values of districts with fewer than 3 facilities are withheld (column `suppressed`).
        The round is resolved first so None and the latest round share one cache entry."""
        resolved = Filter(**{**chosen.__dict__, "round": round_of(self.dataset, chosen)})
        return self._table(resolved, self.public)

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
