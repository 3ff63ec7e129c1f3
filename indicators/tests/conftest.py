import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Keep evidence files written by tests out of the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache; start every test with none."""
    from django.core.cache import cache

    cache.clear()
