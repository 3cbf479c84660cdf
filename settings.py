"""Run-time settings, read from the environment once, passed to `create_app`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent
DEFAULT_DATASET = ROOT / "var" / "demo"


@dataclass(frozen=True)
class Settings:
    dataset: Path = DEFAULT_DATASET
    secret: str | None = None  # signs session cookies; required in production
    production: bool = False  # HEALTHGAPS_ENV=production: secure cookies, a secret and a users file required
    users_file: Path | None = None  # `name:hash` lines (python -m server.auth hash)
    users_text: str | None = None  # the same lines from the environment
    session_hours: float = 12.0  # a login lasts this long, whatever the browser does with its cookie
    redis_url: str | None = None  # shared throttle and logouts for several hosts; else shared memory on one host
    trusted_proxies: int = 0  # proxies in front whose X-Forwarded-For is believed (nginx alone: 1)
    frame_ancestors: str = "'none'"  # CSP frame-ancestors: who may show the app in a frame
    require_audit: bool = False  # a dataset never audited keeps its public view closed (always in production)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(dataset=Path(env.get("HEALTHGAPS_DATASET", DEFAULT_DATASET)),
                   secret=env.get("HEALTHGAPS_SECRET") or None,
                   production=env.get("HEALTHGAPS_ENV", "").lower() == "production",
                   users_file=Path(env["HEALTHGAPS_USERS"]) if env.get("HEALTHGAPS_USERS") else None,
                   users_text=env.get("HEALTHGAPS_USERS_TEXT") or None,
                   session_hours=float(env.get("HEALTHGAPS_SESSION_HOURS") or 12),
                   redis_url=env.get("HEALTHGAPS_REDIS_URL") or None,
                   trusted_proxies=int(env.get("HEALTHGAPS_TRUSTED_PROXIES") or 0),
                   frame_ancestors=env.get("HEALTHGAPS_FRAME_ANCESTORS") or "'none'",
                   require_audit=env.get("HEALTHGAPS_REQUIRE_AUDIT", "") == "1"
                   or env.get("HEALTHGAPS_ENV", "").lower() == "production")
