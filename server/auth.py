"""Who is asking: the public (no login, district aggregates only) or a coordinator (logged in, everything).

Users and their password hashes come from a file (HEALTHGAPS_USERS: one `name:hash` a line, hashes made by
`python -m server.auth hash`), read again whenever it changes, or the environment (HEALTHGAPS_USERS_TEXT, same lines).
No password is kept in the repository. The demo, when no user is configured, makes a coordinator with a random
password, writes it beside the dataset and prints it. Sessions are Flask's signed cookies (http-only,
SameSite=Lax; Secure in production); every request checks that the session's user still exists with the same
password, that the login is younger than the session lifetime and that the user has not logged out since (a
mark in the shared store), so a removed user, an old cookie or a copied one is public again at once. Failed
logins are counted in the shared store and refused with 429 past the limit, never slept on. Every callback and
download asks `role()` on the server.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask, Response, abort, redirect, render_template, request, session
from werkzeug.security import check_password_hash, generate_password_hash

from analysis.access import COORDINATOR, PUBLIC
from server.render import use_templates
from server.store import Store

FAILURES_ALLOWED = 5  # failed logins per name and address within the window before refusals
WINDOW_SECONDS = 15 * 60
DEMO_USER = "coordinator"
LOGOUT = "logout:"  # store key prefix: when a user last logged out (sessions begun before it are over)
clock = time.time  # wall clock of logins and logouts (kept in cookies and the store); tests move it


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
            raise AuthError(f"users line {number}: expected name:hash (a hash from `python -m server.auth hash`)")
        users[name.strip()] = hashed.strip()
    return users


class Users(Mapping[str, str]):
    """Coordinators by name -> password hash: fixed lines, or the users file read again whenever it changes
    (a stat per look-up), so a name removed there loses access on its next request. A file that cannot be
    read at start stops the app; later, it means no coordinator until it is fixed (fail closed)."""

    def __init__(self, users: dict[str, str] | None = None, path: Path | None = None) -> None:
        self.path = path
        self._users, self._stamp = users or {}, self._stat()
        if path is not None:
            self._users = read_users(path.read_text(encoding="utf-8"))

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            found = self.path.stat() if self.path else None
        except OSError:
            return None
        return found and (found.st_mtime_ns, found.st_size, found.st_ino)

    def _current(self) -> dict[str, str]:
        stamp = self._stat()
        if self.path is not None and stamp != self._stamp:
            self._stamp = stamp
            try:
                self._users = read_users(self.path.read_text(encoding="utf-8"))
            except (OSError, AuthError) as problem:
                print(f"HealthGaps: {self.path}: {problem}; no coordinator until it is fixed", file=sys.stderr)
                self._users = {}
        return self._users

    def __getitem__(self, name: str) -> str:
        return self._current()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())


@dataclass
class Throttle:
    """Failed logins per (name, address) in the shared store: after FAILURES_ALLOWED within the window that
    the first failure opened, refuse until the window ends."""

    store: Store

    @staticmethod
    def _key(name: str, address: str) -> str:
        return f"login:{name}\0{address}"

    def blocked(self, name: str, address: str) -> float:
        """Seconds left before another try is allowed (0 when allowed)."""
        found = self.store.get(self._key(name, address))
        return found[1] if found and found[0] >= FAILURES_ALLOWED else 0.0

    def fail(self, name: str, address: str) -> None:
        self.store.add(self._key(name, address), WINDOW_SECONDS)

    def clear(self, name: str, address: str) -> None:
        self.store.delete(self._key(name, address))


def users_for(users_file: Path | None, users_text: str | None, dataset_folder: Path, synthetic: bool,
              production: bool) -> Users:
    """The coordinators: from the users file (followed as it changes) or text; for a synthetic demo outside
    production, a demo coordinator with a random password; else none (everyone is public) and a warning."""
    if users_file:
        return Users(path=users_file)
    if users_text:
        return Users(read_users(users_text))
    if synthetic and not production:
        return Users(demo_users(dataset_folder))
    print("HealthGaps: no coordinator is configured (HEALTHGAPS_USERS); everyone sees the public view",
          file=sys.stderr)
    return Users()


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


def configure(server: Flask, secret: str | None, production: bool, users: Mapping[str, str], store: Store,
              session_hours: float = 12.0) -> None:
    """Session cookie settings, the secret, the check of every session, and the /login and /logout routes."""
    if production and not secret:
        raise AuthError("HEALTHGAPS_SECRET must be set in production (a long random string)")
    server.secret_key = secret or secrets.token_hex(32)
    lifetime = session_hours * 3600
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         SESSION_COOKIE_SECURE=production, SESSION_COOKIE_NAME="healthgaps_session",
                         PERMANENT_SESSION_LIFETIME=timedelta(seconds=lifetime))
    use_templates(server)
    throttle = Throttle(store)
    dummy = generate_password_hash(secrets.token_hex(8))  # same work for an unknown name as for a known one

    @server.before_request
    def end_stale_session() -> None:
        if session.get("user") and not session_valid(users, store, lifetime, server.secret_key):
            session.clear()

    @server.route("/login", methods=["GET", "POST"])
    def login() -> Response | str:
        if request.method == "GET":
            return login_page("", _csrf())
        if not token_ok():
            abort(400)
        name, address = request.form.get("username", ""), request.remote_addr or ""
        wait = throttle.blocked(name, address)
        if wait:
            response = Response(login_page("Too many failed attempts: try again in "
                                           f"{int(wait // 60) + 1} minutes.", _csrf()), status=429)
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        if check_password_hash(users.get(name, dummy), request.form.get("password", "")) and name in users:
            throttle.clear(name, address)
            start_session(name, users[name], server.secret_key)
            return redirect("/")
        throttle.fail(name, address)
        # the form again, as a page (200), like any form error
        return Response(login_page("Wrong user name or password.", _csrf()), status=200)

    @server.route("/logout", methods=["POST"])
    def logout() -> Response:
        if not token_ok():
            abort(400)
        if session.get("user"):  # every session of this user begun before now is over, on every worker
            store.put(LOGOUT + session["user"], clock(), lifetime)
        session.clear()
        return redirect("/")


def fingerprint(secret: str | bytes, hashed: str) -> str:
    """What a session keeps of its user's password hash: enough to see it changed, nothing to attack."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, hashed.encode(), hashlib.sha256).hexdigest()[:32]


def start_session(name: str, hashed: str, secret: str | bytes) -> None:
    """A fresh session (nothing kept from before the login) that the browser drops after the lifetime too."""
    session.clear()
    session.permanent = True
    session.update(user=name, since=clock(), key=fingerprint(secret, hashed))


def session_valid(users: Mapping[str, str], store: Store, lifetime: float, secret: str | bytes) -> bool:
    """The session's user still exists with the same password, logged in less than `lifetime` seconds ago,
    and has not logged out since."""
    name, since, now = session.get("user"), session.get("since"), clock()
    hashed = users.get(name) if isinstance(name, str) else None
    if hashed is None or not hmac.compare_digest(str(session.get("key", "")), fingerprint(secret, hashed)):
        return False
    if not isinstance(since, (int, float)) or not now - lifetime < since <= now + 60:
        return False
    logout = store.get(LOGOUT + name)
    return logout is None or since > logout[0]


def token_ok() -> bool:
    """The form carries the session's token (an empty one never matches)."""
    sent, kept = request.form.get("csrf", ""), session.get("csrf", "")
    return bool(kept) and hmac.compare_digest(sent, kept)


def _csrf() -> str:
    session.setdefault("csrf", secrets.token_urlsafe(24))
    return session["csrf"]


def login_page(message: str, csrf: str) -> str:
    """The login form, with `message` (a refusal) above it when there is one."""
    return render_template("login.html", message=message, csrf=csrf)


def main(argv: list[str] | None = None) -> int:
    """`python -m server.auth hash`: read a password (not echoed) and print the hash to put in the users file."""
    import getpass

    args = argv if argv is not None else sys.argv[1:]
    if args[:1] != ["hash"]:
        print("usage: python -m server.auth hash   (prints name:hash lines' hash for a password read from the "
              "terminal)", file=sys.stderr)
        return 2
    print(generate_password_hash(getpass.getpass("password: ")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
