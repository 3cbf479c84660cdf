"""The coordinator's data update over the web: send files, build them beside the live dataset, check, publish.

Plain form posts (multipart), like the login: each route checks the role and the form's token on the server.
The public gets 403 whatever it sends. The steps themselves are data.update's.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from flask import Flask, Response, abort, redirect, render_template, request

from context import Context
from data import update
from exports import csv_bytes
from server import auth
from server.render import use_templates

MAX_UPLOAD_BYTES = 512 * 1024 * 1024  # a national HeRAMS export with every update is tens of MB
EXTENSIONS = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".geojson", ".json", ".zip", ".gpkg"}
BACK = "/data/update"
LABELS = {"boundaries": "Boundaries (COD-AB, every level)", "population": "District population (COD-PS)",
          "facilities": "Facilities (HeRAMS exports or facility lists)", "partners": "Partners (3W/4W/5W)",
          "needs": "Needs (HNO people in need, severity)"}


def _coordinator_form() -> str:
    """The logged-in coordinator's name, after checking the form's token; 403 or 400 otherwise."""
    if auth.role() != auth.COORDINATOR:
        abort(403)
    if not auth.token_ok():
        abort(400)
    return auth.user() or ""


def _coordinator() -> None:
    if auth.role() != auth.COORDINATOR:
        abort(403)


def _files() -> dict[str, list]:
    """The non-empty files sent, by role."""
    return {role: [f for f in request.files.getlist(role) if f and f.filename] for role in update.ROLES}


def refused(files: dict[str, list]) -> str:
    """Why the files cannot be used as sent ("" when they can)."""
    if not any(files.values()):
        return "no file was chosen"
    for sent in files.values():
        for file in sent:
            if Path(file.filename).suffix.lower() not in EXTENSIONS:
                return (f"{file.filename}: not a kind of file HealthGaps reads (CSV, Excel, GeoJSON, zipped "
                        "shapefile, GeoPackage)")
    if len(files["population"]) > 1:
        return "send one population table"
    return ""


def _cells(rows: list[list]) -> list[list[str]]:
    """Table cells as the page writes them: counts with thousands separators."""
    return [[f"{value:,}" if isinstance(value, int) else str(value) for value in row] for row in rows]


def comparison(live: dict, staged: dict) -> list[list[str]]:
    """What publishing would change: rows per table and the rounds, live against checked."""
    names = list(dict.fromkeys([*live.get("tables", {}), *staged.get("tables", {})]))
    rows = [[n, live.get("tables", {}).get(n, 0), staged.get("tables", {}).get(n, 0)] for n in names]
    rounds = [", ".join(manifest.get("rounds", [])) or "none" for manifest in (live, staged)]
    rows.append(["round dates", *rounds])
    return _cells(rows)


def passed(record: dict | None) -> bool:
    return bool(record) and record.get("safe") is True


def status_values(state: update.Status, live: dict) -> dict:
    """What update_status.html shows of where the update stands: the files sent, and once built, what was read,
    what publishing changes and the disclosure audit's verdict."""
    sent = "; ".join(f"{role}: {', '.join(names)}" for role, names in (state.uploads or {}).items()) or "no file"
    staged = state.manifest or {}
    files = [[s.get("role", ""), s.get("file", ""), s.get("rows_in", 0), s.get("accepted", 0), s.get("rejected", 0),
              "; ".join(f"{reason} ({count:,})" for reason, count in s.get("top_reasons", []))]
             for s in staged.get("sources", [])]
    return {"state": state, "sent": sent, "files": _cells(files), "changes": comparison(live, staged),
            "passed": passed(state.audit),
            "audit": (state.audit or {}).get("report") or ["the disclosure audit has no record of this build"]}


def status_block(state: update.Status, live: dict, csrf: str) -> str:
    """Where the update stands, and what the coordinator can do next (the part of the page that changes)."""
    return render_template("update_status.html", csrf=csrf, **status_values(state, live))


def form_values(live: dict, kept: dict[str, list[update.Source]]) -> dict:
    """What update_form.html asks: one file field per kind, saying which files the dataset keeps now."""
    fields = [{"role": role, "label": LABELS[role], "multiple": role != "population",
               "now": ", ".join(source.name for source in kept.get(role, [])) or "none"} for role in update.ROLES]
    return {"fields": fields, "dates": ", ".join(live.get("rounds", []))}


def update_page(ctx: Context, csrf: str, refusal: str = "") -> str:
    """The update page; `refusal` says why what the coordinator just asked was not done."""
    state = update.status(ctx.dataset.path)
    live = ctx.dataset.manifest
    form = {} if state.state == "building" else form_values(live, update.stored_sources(ctx.dataset.path, live))
    return render_template("update.html", label=ctx.label, built=ctx.built or "undated", refusal=refusal,
                           csrf=csrf, **status_values(state, live), **form)


def _busy(ctx: Context, exc: update.Busy) -> Response:
    """409: another update holds the lock; the page says so and shows where that update stands."""
    return Response(update_page(ctx, auth.csrf_token(), str(exc)), status=409)


def register(server: Flask, ctx: Context) -> None:
    use_templates(server)
    server.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES
    update.Limits.from_env()  # a wrong HEALTHGAPS_BUILD_* stops the app at start, not the first upload

    @server.route("/data/update", methods=["GET"], endpoint="update_page")
    def page() -> Response | str:
        if auth.role() != auth.COORDINATOR:
            return redirect("/login", code=303)
        return update_page(ctx, auth.csrf_token())

    @server.route("/data/update", methods=["POST"], endpoint="update_send")
    def send() -> Response:
        user = _coordinator_form()
        files = _files()
        try:
            with update.claimed(ctx.dataset.path) as lock:  # the build in progress, if any, is left alone
                staging = update.begin(ctx.dataset.path)
                problem = refused(files)
                if problem:
                    update.record_failure(ctx.dataset.path, user, problem)
                    return redirect(BACK, code=303)
                for role, sent in files.items():
                    for file in sent:
                        update.save_upload(staging, role, file.filename, file.save)
                update.request_build(ctx.dataset.path, user, request.form.get("report_dates", ""), lock)
        except update.Busy as exc:
            return _busy(ctx, exc)
        return redirect(BACK, code=303)

    @server.route("/data/update/publish", methods=["POST"], endpoint="update_publish")
    def publish() -> Response:
        _coordinator_form()
        try:
            update.publish(ctx.dataset.path)
        except update.Busy as exc:
            return _busy(ctx, exc)
        except update.UpdateError:
            return redirect(BACK, code=303)  # the page says where the update stands
        ctx.refresh()
        return redirect("/data", code=303)

    @server.route("/data/update/discard", methods=["POST"], endpoint="update_discard")
    def discard() -> Response:
        _coordinator_form()
        try:
            update.discard(ctx.dataset.path)
        except update.Busy as exc:
            return _busy(ctx, exc)
        return redirect(BACK, code=303)

    @server.route("/data/update/<name>", endpoint="update_file")
    def staged_file(name: str) -> Response:
        """The build's log and the staged dataset's rejected rows, for the coordinator checking them."""
        _coordinator()
        staging = update.staging_folder(ctx.dataset.path)
        path = {"build.log": staging / "build.log", "rejected.csv": staging / "dataset" / "rejected.csv"}.get(name)
        if path is None or not path.exists():
            abort(404)
        if name == "rejected.csv":  # values from the files sent: formulas defused like every export
            rows = pd.read_csv(path, dtype=str, keep_default_na=False)
            body = csv_bytes(rows, [f"Rows rejected by the update of {ctx.dataset.path.name} (not published)"])
            response = Response(body, mimetype="text/csv; charset=utf-8")
        else:
            response = Response(path.read_bytes(), mimetype="text/plain; charset=utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="update-{name}"'
        response.headers["Cache-Control"] = "no-store"
        return response
