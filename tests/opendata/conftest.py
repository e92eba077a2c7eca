import pytest

from tests.opendata.apps import build_app


@pytest.fixture
def app(monkeypatch):
    """pb's app with the open-data API mounted (see apps.py); tests/conftest.py's `client` uses it."""
    return build_app(monkeypatch)
