"""HealthGaps: `create_app(settings)` builds the Dash app; `server` is the WSGI app gunicorn serves.

`app` and `server` are made on first access (PEP 562), so importing this module (tests, tools) needs no
dataset on disk.
"""

from __future__ import annotations

from dash import Dash

import auth
import upload
from callbacks import change, data, district, downloads, facilities, overview, partners, priorities, router, services
from context import Context
from data.dataset import load_dataset
from layouts.frame import shell
from routes import register_geometry
from settings import ROOT, Settings

PAGE_CALLBACKS = (overview, services, partners, priorities, district, facilities, change, data)


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings.from_env()
    dataset = load_dataset(settings.dataset)
    app = Dash(__name__, title="HealthGaps", update_title=None, compress=True, serve_locally=True,
               assets_folder=str(ROOT / "assets"), suppress_callback_exceptions=True)
    users = auth.users_for(settings.users_file, settings.users_text, settings.dataset,
                           bool(dataset.manifest.get("synthetic")), settings.production)
    auth.configure(app.server, settings.secret, settings.production, users)
    serve_geometry = register_geometry(app.server)
    ctx = Context(dataset, serve_geometry(dataset), serve_geometry)

    @app.server.before_request
    def load_published_dataset() -> None:
        ctx.refresh()

    upload.register(app.server, ctx)
    app.layout = shell()
    router.register(app, ctx)
    downloads.register(app, ctx)
    for page in PAGE_CALLBACKS:
        page.register(app, ctx)
    return app


def __getattr__(name: str):
    if name in ("app", "server"):
        app = create_app()
        globals().update(app=app, server=app.server)
        return globals()[name]
    raise AttributeError(name)
