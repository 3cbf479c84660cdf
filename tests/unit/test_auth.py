"""Pure parts of access control: the users file (followed as it changes), the failed-login throttle, the hash
command."""

from __future__ import annotations

import pytest
from werkzeug.security import check_password_hash

from server import auth
from server.store import MemoryStore


def test_users_file_lines():
    users = auth.read_users("# coordinators\n\nana:scrypt:32768:8:1$salt$hash\n bob : pbkdf2:sha256$s$h \n")
    assert users == {"ana": "scrypt:32768:8:1$salt$hash", "bob": "pbkdf2:sha256$s$h"}
    with pytest.raises(auth.AuthError, match="users line 2"):
        auth.read_users("ana:scrypt$a$b\nbob:plaintext-password\n")  # a password instead of a hash


def test_throttle_blocks_after_the_allowed_failures_and_forgets_after_the_window():
    now = [0.0]
    throttle = auth.Throttle(MemoryStore(slots=64, clock=lambda: now[0]))
    for second in range(auth.FAILURES_ALLOWED):
        now[0] = second
        assert throttle.blocked("ana", "10.0.0.1") == 0
        throttle.fail("ana", "10.0.0.1")
    now[0] = 10
    assert throttle.blocked("ana", "10.0.0.1") == pytest.approx(auth.WINDOW_SECONDS - 10)
    assert throttle.blocked("ana", "10.0.0.2") == 0  # another address is not blocked
    assert throttle.blocked("bob", "10.0.0.1") == 0  # nor another name
    now[0] = auth.WINDOW_SECONDS + 1
    assert throttle.blocked("ana", "10.0.0.1") == 0  # the window the first failure opened has ended
    throttle.fail("ana", "10.0.0.1")
    assert throttle.blocked("ana", "10.0.0.1") == 0  # a new window, one failure in it
    throttle.clear("ana", "10.0.0.1")


def test_users_file_is_read_again_when_it_changes(tmp_path, capsys):
    path = tmp_path / "users"
    path.write_text("ana:scrypt$a$b\nbob:scrypt$c$d\n")
    users = auth.Users(path=path)
    assert dict(users) == {"ana": "scrypt$a$b", "bob": "scrypt$c$d"}
    path.write_text("ana:scrypt$a$b\n")  # bob removed (the size changes, whatever the clock's resolution)
    assert "bob" not in users and users.get("ana") == "scrypt$a$b"
    path.write_text("ana has no hash\n")  # a broken edit: nobody until it is fixed, and a warning
    assert dict(users) == {} and "no coordinator until it is fixed" in capsys.readouterr().err
    path.unlink()
    assert dict(users) == {}
    with pytest.raises(auth.AuthError):  # at start, a broken file stops the app
        path.write_text("ana\n")
        auth.Users(path=path)


def test_role_outside_a_request_is_public():
    assert auth.role() == auth.PUBLIC and auth.user() is None


def test_hash_command(monkeypatch, capsys):
    monkeypatch.setattr("getpass.getpass", lambda prompt: "s3cret words")
    assert auth.main(["hash"]) == 0
    assert check_password_hash(capsys.readouterr().out.strip(), "s3cret words")
    assert auth.main([]) == 2
