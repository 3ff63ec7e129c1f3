import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Keep evidence files written by tests out of the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache; start every test with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests assert the English source messages; the Thai ones are checked by the translation files."""
    with translation.override("en"):
        yield
