"""Shared fixtures: reference data loaded once, eager Celery, and service-marker rules."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connection

from nationaldata.dataset import ensure_reference_data

IN_CI = os.environ.get("CI") == "true"


def _require(condition: bool, why: str):
    """Skip locally, but fail in CI: CI must never pass by skipping a test whose service is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{why} (required in CI)")
    pytest.skip(why)


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres"):
        _require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    if request.node.get_closest_marker("browser"):
        _require(shutil.which("chromium") is not None, "needs Debian's chromium (apt-get install chromium)")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Hash test passwords with a cheap hasher: PBKDF2's 1,000,000 rounds cost ~0.5 s per user created or logged in.

    Production keeps PBKDF2 (settings.py); no test checks which hasher stored a password."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _private_cache_per_worker():
    """Under pytest-xdist with Redis, give each worker's cache a Redis database of its own.

    Tests clear the cache (throttle counters) and Django's Redis cache clears with FLUSHDB: on the shared database
    one worker would wipe the other's throttle counts and the Celery queues of its worker tests, and the two test
    databases reuse the same user ids, so their throttle keys would collide. Worker gwN uses database base + 1 + N
    of REDIS_URL for the cache; the broker and the result backend stay on REDIS_URL (each worker test has its own
    queue). Without xdist or without Redis nothing changes."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not (worker.startswith("gw") and redis_url):
        yield
        return
    from urllib.parse import urlsplit, urlunsplit

    from django.test.utils import override_settings

    parts = urlsplit(redis_url)
    base = int(parts.path.strip("/") or 0)
    location = urlunsplit(parts._replace(path=f"/{(base + 1 + int(worker[2:])) % 16}"))
    cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    with override_settings(CACHES={"default": cache}):
        yield


@pytest.fixture(autouse=True)
def _thai_by_default():
    """Start every test in Thai, the product's default, whatever language the test before it left active (a page
    asked for in English activates English in the test's thread)."""
    from django.utils import translation

    translation.activate("th")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _figures_uncached(settings):
    """Compute official figures afresh in every test: a test's transaction never commits, and on PostgreSQL the
    figures token changes at the commit (indicators/freshness.py, whose tests turn the cache on and commit)."""
    settings.INDICATOR_FIGURES_CACHE = False


@pytest.fixture(autouse=True)
def _eager_celery(request, settings):
    """Run tasks in-process unless the test talks to a real worker."""
    from codi_plans.celery import app

    eager = not request.node.get_closest_marker("celery_worker")
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the geography and the plan hierarchy once into the test database."""
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture
def reference_data(db):
    """Make sure the reference data is there (a transactional test before this one may have flushed it)."""
    ensure_reference_data()


AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def accessibility_problems(page) -> list[str]:
    """Run axe-core (from npm, see package.json) on the page: its serious and critical WCAG 2.1 A/AA violations."""
    _require(AXE.exists(), "needs axe-core: run `npm ci` (make test does)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not block it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    if result.get("testEngine", {}).get("name") != "axe-core":
        pytest.fail(f"axe-core did not run: {result!r:.200}")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def browser_page(live_server, reference_data):
    """A headless Chromium page driven by Playwright, pointed at the live test server."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()
    # Once Playwright's sync API has started, Django hands the test body a second database connection;
    # close it, or PostgreSQL cannot drop the test database afterwards ("being accessed by other users").
    from django.db import connections

    connections.close_all()
