"""The server side's pages come from the Jinja templates in server/templates/, rendered by Flask with
autoescaping on (every .html template), so no page builds HTML by hand and no value can break out of it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, render_template

templates = Blueprint("server", __name__, template_folder="templates")


def use_templates(server: Flask) -> None:
    """Make the templates findable by `render_template` (once, whichever module asks first)."""
    if templates.name not in server.blueprints:
        server.register_blueprint(templates)


def page(template: str, status: int = 200, **values: Any) -> Response:
    """A template rendered as an HTML response with `status`."""
    return Response(render_template(template, **values), status=status, mimetype="text/html")
