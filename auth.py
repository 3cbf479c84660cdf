"""Who is asking: the public (no login, district aggregates only) or a coordinator (logged in, everything).

Users and their password hashes come from a file (HEALTHGAPS_USERS: one `name:hash` a line, hashes made by
`python -m auth hash`) or the environment (HEALTHGAPS_USERS_TEXT, same lines). No password is kept in the
repository. The demo, when no user is configured, makes a coordinator with a random password, writes it
beside the dataset and prints it. Sessions are Flask's signed cookies (http-only, SameSite=Lax; Secure in
production); repeated failed logins are slowed down. Every callback and download asks `role()` on the server.
"""

from __future__ import annotations

import hmac
import secrets
import sys
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, Response, abort, redirect, request, session
from markupsafe import escape
from werkzeug.security import check_password_hash, generate_password_hash

PUBLIC, COORDINATOR = "public", "coordinator"
FAILURES_ALLOWED = 5  # failed logins per name and address within the window before refusals
WINDOW_SECONDS = 15 * 60
DEMO_USER = "coordinator"


class AuthError(RuntimeError):
    """A setting that makes the app unsafe to start (e.g. production without a secret)."""


def role() -> str:
    """The role of the request being served (public outside a request, e.g. in tests calling functions)."""
    try:
        return COORDINATOR if session.get("user") else PUBLIC
    except RuntimeError:  # no request context
        return PUBLIC


def read_users(text: str) -> dict[str, str]:
    """`name:hash` lines; blank lines and # comments skipped. A malformed line is an error naming it."""
    users = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, hashed = line.partition(":")
        if not name or not hashed or "$" not in hashed:
            raise AuthError(f"users line {number}: expected name:hash (a hash from `python -m auth hash`)")
        users[name.strip()] = hashed.strip()
    return users


@dataclass
class Throttle:
    """Failed logins per (name, address): after FAILURES_ALLOWED within the window, refuse until it passes."""

    failures: dict[tuple[str, str], deque] = field(default_factory=lambda: defaultdict(deque))

    def blocked(self, key: tuple[str, str], now: float) -> float:
        """Seconds left before another try is allowed (0 when allowed)."""
        recent = self.failures[key]
        while recent and now - recent[0] > WINDOW_SECONDS:
            recent.popleft()
        return WINDOW_SECONDS - (now - recent[0]) if len(recent) >= FAILURES_ALLOWED else 0.0

    def fail(self, key: tuple[str, str], now: float) -> None:
        self.failures[key].append(now)

    def clear(self, key: tuple[str, str]) -> None:
        self.failures.pop(key, None)


def users_for(users_file: Path | None, users_text: str | None, dataset_folder: Path, synthetic: bool,
              production: bool) -> dict[str, str]:
    """The coordinators: from the users file or text; for a synthetic demo outside production, a demo
    coordinator with a random password; else none (everyone is public) and a warning."""
    if users_file:
        return read_users(users_file.read_text(encoding="utf-8"))
    if users_text:
        return read_users(users_text)
    if synthetic and not production:
        return demo_users(dataset_folder)
    print("HealthGaps: no coordinator is configured (HEALTHGAPS_USERS); everyone sees the public view",
          file=sys.stderr)
    return {}


def user() -> str | None:
    """The logged-in coordinator's name, or None."""
    try:
        return session.get("user")
    except RuntimeError:
        return None


def csrf_token() -> str:
    """The session's token that the login and logout forms carry."""
    return _csrf()


def demo_users(folder: Path) -> dict[str, str]:
    """A coordinator with a random password for the demo, kept in `<folder>/demo-login.txt` (not in git)."""
    path = folder / "demo-login.txt"
    if path.exists():
        password = path.read_text(encoding="utf-8").split()[-1]
    else:
        password = secrets.token_urlsafe(12)
        path.write_text(f"user {DEMO_USER}\npassword {password}\n", encoding="utf-8")
        path.chmod(0o600)
    print(f"HealthGaps demo: log in as '{DEMO_USER}' with the password in {path}", file=sys.stderr)
    return {DEMO_USER: generate_password_hash(password)}


def configure(server: Flask, secret: str | None, production: bool, users: dict[str, str]) -> None:
    """Session cookie settings, the secret, and the /login and /logout routes."""
    if production and not secret:
        raise AuthError("HEALTHGAPS_SECRET must be set in production (a long random string)")
    server.secret_key = secret or secrets.token_hex(32)
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         SESSION_COOKIE_SECURE=production, SESSION_COOKIE_NAME="healthgaps_session")
    throttle = Throttle()
    dummy = generate_password_hash(secrets.token_hex(8))  # same work for an unknown name as for a known one

    @server.route("/login", methods=["GET", "POST"])
    def login() -> Response | str:
        message = ""
        if request.method == "POST":
            if not token_ok():
                abort(400)
            name = request.form.get("username", "")
            key, now = (name, request.remote_addr or ""), time.monotonic()
            wait = throttle.blocked(key, now)
            if wait:
                return Response(login_page("Too many failed attempts: try again in "
                                           f"{int(wait // 60) + 1} minutes.", _csrf()), status=429)
            if check_password_hash(users.get(name, dummy), request.form.get("password", "")) and name in users:
                throttle.clear(key)
                session.clear()
                session["user"] = name
                return redirect("/")
            throttle.fail(key, now)
            time.sleep(0.5 * len(throttle.failures[key]))  # each failure slower than the last
            message = "Wrong user name or password."  # the form again, as a page (200), like any form error
            return Response(login_page(message, _csrf()), status=200)
        return login_page(message, _csrf())

    @server.route("/logout", methods=["POST"])
    def logout() -> Response:
        if not token_ok():
            abort(400)
        session.clear()
        return redirect("/")


def token_ok() -> bool:
    """The form carries the session's token (an empty one never matches)."""
    sent, kept = request.form.get("csrf", ""), session.get("csrf", "")
    return bool(kept) and hmac.compare_digest(sent, kept)


def _csrf() -> str:
    session.setdefault("csrf", secrets.token_urlsafe(24))
    return session["csrf"]


def plain_page(title: str, body: str, head: str = "", width: str = "28rem") -> str:
    """A page without script, styled by the app's own Bootstrap copy (the login and the data update)."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>HealthGaps: {escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">{head}
<link rel="stylesheet" href="/assets/bootstrap.min.css"><link rel="stylesheet" href="/assets/healthgaps.css"></head>
<body><main class="container" style="max-width:{width}"><h1 class="h3 my-4">{escape(title)}</h1>{body}</main></body></html>"""


def login_page(message: str, csrf: str) -> str:
    alert = f'<div class="alert alert-danger" role="alert">{escape(message)}</div>' if message else ""
    return plain_page("Coordinator login", f"""{alert}
<form method="post" action="/login"><input type="hidden" name="csrf" value="{escape(csrf)}">
<div class="mb-3"><label class="form-label" for="username">User name</label>
<input class="form-control" id="username" name="username" autocomplete="username" required></div>
<div class="mb-3"><label class="form-label" for="password">Password</label>
<input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit">Log in</button> <a class="ms-2" href="/">Back to the public view</a>
</form>""")


def main(argv: list[str] | None = None) -> int:
    """`python -m auth hash`: read a password (not echoed) and print the hash to put in the users file."""
    import getpass

    args = argv if argv is not None else sys.argv[1:]
    if args[:1] != ["hash"]:
        print("usage: python -m auth hash   (prints name:hash lines' hash for a password read from the terminal)",
              file=sys.stderr)
        return 2
    print(generate_password_hash(getpass.getpass("password: ")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
