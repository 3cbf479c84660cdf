"""The public view opens only on a dataset whose disclosure audit passed (analysis/audit.py).

A dataset whose audit found a withheld figure that public answers give away is not published to the public:
every public request but the login gets 503 and a page saying why, while coordinators work as usual (they see
everything anyway) and can publish a corrected dataset. A dataset never audited (built by hand, not through
`make run` or the update page) is served with a warning in the log, or closed too in production
(HEALTHGAPS_ENV=production) and wherever HEALTHGAPS_REQUIRE_AUDIT=1.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, request

from analysis.audit import MISSING, SAFE, UNSAFE, verdict
from context import Context
from data.dataset import Dataset
from server import auth
from server.render import page, use_templates

OPEN_PATHS = ("/login", "/logout", "/assets/")  # what a closed public view still serves: the way in
log = logging.getLogger(__name__)


def closed(dataset: Dataset, required: bool) -> str | None:
    """Why the public view of `dataset` is closed, or None when it is open."""
    state, _ = verdict(dataset)
    if state == SAFE:
        return None
    if state == UNSAFE:
        return ("its disclosure audit found withheld figures that public answers give away; a coordinator "
                "can see the list on the data update page (python -m analysis disclosure-audit)")
    if required:
        return "it has not passed its disclosure audit yet (python -m analysis disclosure-audit --record)"
    return None


def register(server: Flask, ctx: Context, required: bool) -> None:
    """Refuse the public every route but the way in while the served dataset's public view is closed."""
    use_templates(server)
    state = {"dataset": None, "reason": None}

    def reason() -> str | None:
        if state["dataset"] is not ctx.dataset:  # a published update brings its own verdict
            state.update(dataset=ctx.dataset, reason=closed(ctx.dataset, required))
            if verdict(ctx.dataset)[0] == MISSING and not state["reason"]:
                log.warning("dataset %s has no disclosure audit: the public view is served unaudited; run "
                            "python -m analysis disclosure-audit --dataset %s --record", ctx.dataset.path,
                            ctx.dataset.path)
        return state["reason"]

    @server.before_request
    def public_view_closed() -> Response | None:
        why = reason()
        if why is None or auth.role() == auth.COORDINATOR or request.path.startswith(OPEN_PATHS):
            return None
        return page("not_published.html", 503, reason=why)

