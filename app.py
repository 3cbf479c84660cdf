"""HealthGaps: `create_app(settings)` builds the Dash app; `server` is the WSGI app gunicorn serves.

`app` and `server` are made on first access (PEP 562), so importing this module (tests, tools) needs no
dataset on disk.
"""

from __future__ import annotations

from dash import Dash

from analysis.access import PUBLIC
from context import Context
from data.dataset import load_dataset
from pages import downloads, router
from pages.frame import shell
from pages.graph import TOPOJSON_URL
from pages.overview.callbacks import overview_update
from pages.registry import PAGES
from server import auth, publication, security, update
from server.static import register_compression, register_geometry, register_preload, warm_static
from server.store import make_store
from settings import ROOT, Settings
from view import from_dict, parse


def map_files(ctx: Context, path: str) -> list[str]:
    """What a page's map fetches once drawn: the district and province geometry, and the base topojson of
    plotly's geo subplot (fetched although not drawn). Preloaded with the page (server.static.register_preload)."""
    if not PAGES[parse(path, None).page].draws_map:
        return []
    return [ctx.geometry["adm2"], ctx.geometry["adm1"], f"{TOPOJSON_URL}world_110m.json"]


def create_app(settings: Settings | None = None, warm: bool = False) -> Dash:
    settings = settings or Settings.from_env()
    dataset = load_dataset(settings.dataset)
    app = Dash(__name__, title="HealthGaps", update_title=None, compress=True, serve_locally=True,
               assets_folder=str(ROOT / "assets"), suppress_callback_exceptions=True)
    security.limit_requests(app.server, lambda output: output in app.callback_map)  # before any other check
    security.trust_proxies(app.server, settings.trusted_proxies)
    register_compression(app.server)  # static files at brotli 11, once; after Dash's Flask-Compress: runs first
    users = auth.users_for(settings.users_file, settings.users_text, settings.dataset,
                           bool(dataset.manifest.get("synthetic")), settings.production)
    auth.configure(app.server, settings.secret, settings.production, users, make_store(settings.redis_url),
                   settings.session_hours)
    serve_geometry = register_geometry(app.server)
    ctx = Context(dataset, serve_geometry(dataset), serve_geometry)

    @app.server.before_request
    def load_published_dataset() -> None:
        ctx.refresh()

    publication.register(app.server, ctx, settings.require_audit or settings.production)
    register_preload(app.server, lambda path: map_files(ctx, path))
    update.register(app.server, ctx)
    app.layout = shell()
    router.register(app, ctx)
    downloads.register(app, ctx)
    for page in PAGES.values():
        page.register(app, ctx)
    security.add_headers(app.server, app.csp_hashes(), settings.frame_ancestors)  # hashes of every inline script
    if warm:
        warm_up(app, ctx)
    return app


def warm_up(app: Dash, ctx: Context) -> None:
    """Before gunicorn forks its workers (they share what is made here): compress the static files the page
    loads and draw the default overview once, as the public sees it, so that no first visitor of a worker waits
    for either (the district table of the default view takes a few hundred ms when not cached)."""
    warm_static(app.server)
    with app.server.test_request_context("/"):
        _, stored = router.route(ctx, "/", "", None, PUBLIC)
        overview_update(ctx, from_dict(stored), PUBLIC)


def __getattr__(name: str):
    if name in ("app", "server"):
        app = create_app(warm=True)  # gunicorn loads this before forking its workers
        globals().update(app=app, server=app.server)
        return globals()[name]
    raise AttributeError(name)
