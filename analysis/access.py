"""Who is asking. Every model function and cache key takes the role as an argument: the server decides it once
per request (server side: the session), and nothing below the callbacks reads the request."""

from __future__ import annotations

from typing import Literal

Role = Literal["public", "coordinator"]
PUBLIC: Role = "public"
COORDINATOR: Role = "coordinator"
ROLES: tuple[Role, ...] = (PUBLIC, COORDINATOR)


def is_public(role: str) -> bool:
    """True for anyone but a logged-in coordinator: an unknown role gets the public view."""
    return role != COORDINATOR
