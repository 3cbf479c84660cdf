"""The coordinator's data update over the web: send files, build them beside the live dataset, check, publish.

Plain form posts (multipart), like the login: each route checks the role and the form's token on the server.
The public gets 403 whatever it sends. The steps themselves are data.update's.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd
from flask import Flask, Response, abort, redirect, request

from context import Context
from data import update
from exports import csv_bytes
from server import auth

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


def _table(header: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    def cell(tag: str, value, i: int) -> str:
        text = f"{value:,}" if isinstance(value, int) else str(value)
        return f'<{tag}{" class=text-end" if i in numeric else ""}>{escape(text)}</{tag}>'
    head = "".join(cell("th", h, i) for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", v, i) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f'<table class="table table-sm table-bordered"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _button(action: str, text: str, csrf: str, style: str) -> str:
    return (f'<form method="post" action="{action}" class="d-inline me-2"><input type="hidden" name="csrf" '
            f'value="{escape(csrf)}"><button class="btn {style}" type="submit">{escape(text)}</button></form>')


def comparison(live: dict, staged: dict) -> str:
    """What publishing would change: rows per table and the rounds, live against checked."""
    names = list(dict.fromkeys([*live.get("tables", {}), *staged.get("tables", {})]))
    rows = [[n, live.get("tables", {}).get(n, 0), staged.get("tables", {}).get(n, 0)] for n in names]
    rows.append(["round dates", ", ".join(live.get("rounds", [])) or "none", ", ".join(staged.get("rounds", [])) or "none"])
    return _table(["table", "live", "checked update"], rows, {1, 2})


def status_block(state: update.Status, live: dict, csrf: str) -> str:
    """Where the update stands, and what the coordinator can do next."""
    sent = "; ".join(f"{role}: {', '.join(names)}" for role, names in (state.uploads or {}).items()) or "no file"
    who = f"Sent by {escape(state.user)} at {escape(state.started)} ({escape(sent)})."
    if state.state == "building":
        return f'<div class="alert alert-info" role="status" id="update-status">Building the update. {who} ' \
               "This page reloads every few seconds.</div>"
    if state.state == "failed":
        return (f'<div class="alert alert-danger" role="alert" id="update-status"><strong>The update cannot be used: '
                f'{escape(state.message)}.</strong> {who} <a href="/data/update/build.log">Build log</a></div>'
                + _button("/data/update/discard", "Discard", csrf, "btn-outline-secondary"))
    if state.state != "ready":
        return ""
    staged = state.manifest or {}
    files = [[s.get("role", ""), s.get("file", ""), s.get("rows_in", 0), s.get("accepted", 0), s.get("rejected", 0),
              "; ".join(f"{reason} ({count:,})" for reason, count in s.get("top_reasons", []))]
             for s in staged.get("sources", [])]
    return (f'<div class="alert alert-success" role="status" id="update-status">The update is built and not yet '
            f'published: check it. {who}</div>'
            '<h2 class="h5">Files read (rows in = accepted + rejected)</h2>'
            + _table(["kind", "file", "rows in", "accepted", "rejected", "top reasons"], files, {2, 3, 4})
            + '<p><a href="/data/update/rejected.csv">Rejected rows (CSV)</a> · '
            '<a href="/data/update/build.log">Build log</a></p>'
            '<h2 class="h5">What publishing changes</h2>' + comparison(live, staged)
            + audit_block(state.audit)
            + ('<p>Publishing replaces the dataset every visitor sees, at once; the replaced dataset is kept on '
               'the server as the previous one.</p>' + _button("/data/update/publish", "Publish", csrf, "btn-primary")
               if passed(state.audit) else "")
            + _button("/data/update/discard", "Discard", csrf, "btn-outline-secondary"))


def passed(record: dict | None) -> bool:
    return bool(record) and record.get("safe") is True


def audit_block(record: dict | None) -> str:
    """The disclosure audit's verdict on the update: what it asked, and any withheld figure given away."""
    lines = (record or {}).get("report") or ["the disclosure audit has no record of this build"]
    style = "alert-success" if passed(record) else "alert-danger"
    verdict = ("Passed: no withheld figure can be worked out from public answers." if passed(record) else
               "Not passed: this update cannot be published to the public until the figures below are protected.")
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return (f'<h2 class="h5">Disclosure audit</h2><div class="alert {style}" id="update-audit" role="status">'
            f"<strong>{verdict}</strong><ul class=\"mb-0 small\">{items}</ul></div>")


def send_form(live: dict, kept: dict[str, list[update.Source]], csrf: str) -> str:
    """One file field per kind; a kind sent replaces the dataset's files of that kind, the others are kept."""
    fields = []
    for role in update.ROLES:
        now = ", ".join(source.name for source in kept.get(role, [])) or "none"
        multiple = "" if role == "population" else " multiple"
        fields.append(f'<div class="mb-3"><label class="form-label" for="file-{role}">{escape(LABELS[role])}</label>'
                      f'<input class="form-control" type="file" id="file-{role}" name="{role}"{multiple}>'
                      f'<div class="form-text">Now: {escape(now)}. Files sent replace these.</div></div>')
    dates = ", ".join(live.get("rounds", []))
    return (f'<h2 class="h5 mt-4">Send files</h2><form method="post" action="/data/update" enctype="multipart/form-data">'
            f'<input type="hidden" name="csrf" value="{escape(csrf)}">{"".join(fields)}'
            '<div class="mb-3"><label class="form-label" for="report-dates">Report dates (one round each, '
            'YYYY-MM-DD)</label>'
            f'<input class="form-control" id="report-dates" name="report_dates" value="{escape(dates)}">'
            '<div class="form-text">Leave empty to take each facility file\'s latest update.</div></div>'
            '<button class="btn btn-primary" type="submit">Build and check</button></form>')


def update_page(ctx: Context, csrf: str, refusal: str = "") -> str:
    """The update page; `refusal` says why what the coordinator just asked was not done."""
    state = update.status(ctx.dataset.path)
    live = ctx.dataset.manifest
    head = '<meta http-equiv="refresh" content="3">' if state.state == "building" else ""
    intro = (f"<p>Live dataset: {escape(ctx.label)}, built {escape(ctx.built or 'undated')}. "
             'The update is built beside it and published only when you say so. <a href="/data">Back to the data '
             "page</a></p>")
    refused_block = (f'<div class="alert alert-warning" role="alert" id="update-refused">Not done: '
                     f"{escape(refusal)}.</div>" if refusal else "")
    body = intro + refused_block + status_block(state, live, csrf)
    if state.state != "building":
        body += send_form(live, update.stored_sources(ctx.dataset.path, live), csrf)
    return auth.plain_page("Update the data", body, head, width="60rem")


def _busy(ctx: Context, exc: update.Busy) -> Response:
    """409: another update holds the lock; the page says so and shows where that update stands."""
    return Response(update_page(ctx, auth.csrf_token(), str(exc)), status=409)


def register(server: Flask, ctx: Context) -> None:
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
