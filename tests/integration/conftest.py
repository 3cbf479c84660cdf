"""Fixtures of the integration tests: the demo app with one coordinator, through Flask's test client."""

import pytest

from app import create_app
from settings import Settings
from tests.integration.session import USERS


@pytest.fixture
def client(demo_path):
    """A fresh browser on the demo app (public until it logs in: session.log_in)."""
    return create_app(Settings(dataset=demo_path, secret="test-secret", users_text=USERS)).server.test_client()
