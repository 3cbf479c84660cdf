"""Pure parts of access control: the users file, the failed-login throttle, the hash command."""

from __future__ import annotations

import pytest
from werkzeug.security import check_password_hash

import auth


def test_users_file_lines():
    users = auth.read_users("# coordinators\n\nana:scrypt:32768:8:1$salt$hash\n bob : pbkdf2:sha256$s$h \n")
    assert users == {"ana": "scrypt:32768:8:1$salt$hash", "bob": "pbkdf2:sha256$s$h"}
    with pytest.raises(auth.AuthError, match="users line 2"):
        auth.read_users("ana:scrypt$a$b\nbob:plaintext-password\n")  # a password instead of a hash


def test_throttle_blocks_after_the_allowed_failures_and_forgets_after_the_window():
    throttle, key = auth.Throttle(), ("ana", "10.0.0.1")
    for second in range(auth.FAILURES_ALLOWED):
        assert throttle.blocked(key, second) == 0
        throttle.fail(key, second)
    assert throttle.blocked(key, 10) == pytest.approx(auth.WINDOW_SECONDS - 10)
    assert throttle.blocked(("ana", "10.0.0.2"), 10) == 0  # another address is not blocked
    assert throttle.blocked(key, auth.WINDOW_SECONDS + 1) == 0  # the first failure left the window
    throttle.clear(key)
    assert throttle.blocked(key, 0) == 0


def test_role_outside_a_request_is_public():
    assert auth.role() == auth.PUBLIC and auth.user() is None


def test_hash_command(monkeypatch, capsys):
    monkeypatch.setattr("getpass.getpass", lambda prompt: "s3cret words")
    assert auth.main(["hash"]) == 0
    assert check_password_hash(capsys.readouterr().out.strip(), "s3cret words")
    assert auth.main([]) == 2
