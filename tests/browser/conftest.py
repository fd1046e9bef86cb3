"""Fixtures for the browser suite: one headless Debian Chromium per session, a fresh browser
context per test, and the live server with the site and a small Lucknow built for the journeys
(tests/browser/builders.py), never the full demo history."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}


def chromium_executable():
    if Path(CHROMIUM_PATH).is_file() and os.access(CHROMIUM_PATH, os.X_OK):
        return CHROMIUM_PATH
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_executable()
    if executable is None:
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH} nor on PATH. The browser tests need Debian's "
            "chromium package: run `make browser-deps` (or `apt-get install chromium`). "
            "Do not use `playwright install`: the suite drives Debian's Chromium.",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread; without this, Django refuses
    # ORM calls made from the tests (and the live server) as "async unsafe".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser, viewport=VIEWPORT):
    """A browser context with the suite's time limits."""
    context = browser.new_context(viewport=viewport)
    # Generous limits, never assertions about speed: on the shared 2-core CI machine a page that
    # renders in well under a second here stalled past 30 s in two stretches of one run (CI run of
    # stop 17: five navigations, on SQLite, each fine when re-run).
    context.set_default_timeout(20_000)
    context.set_default_navigation_timeout(90_000)
    return context


def closed_afterwards(context):
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def context(browser):
    yield from closed_afterwards(new_context(browser))


@pytest.fixture
def another_context(browser):
    """A second browser context, for a second person in the same test."""
    yield from closed_afterwards(new_context(browser))


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(autouse=True)
def serialized_state_on_this_connection(browser):
    """Playwright's sync API switches the execution context, and Django then hands out a new
    connection object for the same test database, one that lacks the serialized migration
    state that serialized rollback restores. Give it that state (taken at database setup)."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from tests.conftest import SERIALIZED_STATE

    connection = connections[DEFAULT_DB_ALIAS]
    if getattr(connection, "_test_serialized_contents", None) is None and SERIALIZED_STATE.get("contents"):
        connection._test_serialized_contents = SERIALIZED_STATE["contents"]


# Serialized rollback's state when a snapshot puts back every row: JSON for no objects.
NO_ROWS = "[]"
SNAPSHOT = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """Once the snapshot is taken, serialized rollback writes the migrations' rows before each
    browser test only for the snapshot to write them again (a second a test on a loaded 2-core
    machine): give it no rows to write during the test's setup. It still marks the flush after
    the test as one that must not run post_migrate, as serialized rollback does."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from tests.conftest import SERIALIZED_STATE

    if "site_url" not in getattr(item, "fixturenames", ()) or SNAPSHOT.get("database") is None:
        return (yield)
    connection = connections[DEFAULT_DB_ALIAS]
    kept = getattr(connection, "_test_serialized_contents", None) or SERIALIZED_STATE.get("contents")
    connection._test_serialized_contents = NO_ROWS
    try:
        return (yield)
    finally:
        connection._test_serialized_contents = kept


@pytest.fixture(scope="session")
def journeys_database(django_db_setup, django_db_blocker):
    """A snapshot of the database every browser test starts from (tests/browser/snapshot.py), or
    None where this database has no snapshot: the site and the small Lucknow of
    tests/browser/builders.py on the session's baseline, built once, before the first browser test.

    live_server's database is flushed after each test, which also empties what the migrations
    wrote (Wagtail's root page, locales, role groups): each test puts the snapshot back instead of
    building the data again."""
    from . import snapshot

    with django_db_blocker.unblock():
        build_on_the_session_baseline()
        SNAPSHOT["database"] = snapshot.take()
    return SNAPSHOT["database"]


def build_on_the_session_baseline():
    """The browser tests' rows, on the baseline that tests/conftest.py seeded for the session while
    nothing has changed it: no test has flushed it, and it holds no demo history (the baseline has
    no trainees). Otherwise on a baseline seeded again on what the migrations wrote."""
    from skills.models import Centre, Trainee

    from . import builders

    if Trainee.objects.exists() or not Centre.objects.filter(slug="lucknow").exists():
        seed_on_the_migrations_rows()
    builders.lucknow()


def seed_on_the_migrations_rows():
    from django.core.management import call_command
    from django.db import connection

    from tests.conftest import SERIALIZED_STATE
    from tests.factories import seed_baseline

    # As TransactionTestCase flushes: sequences kept, so that new rows miss the restored ids.
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(SERIALIZED_STATE["contents"])
    seed_baseline()


@pytest.fixture
def site_url(journeys_database, django_db_serialized_rollback, live_server):
    """The live server's base URL, with the site and the small Lucknow of tests/browser/builders.py
    in the database: the snapshot put back over the last test's flush, or, where this database
    has no snapshot, the data built again on the migrations' rows that serialized rollback wrote."""
    from django.core.cache import cache

    from . import builders

    if journeys_database is None:
        seed_on_the_migrations_rows()
        builders.lucknow()
    else:
        journeys_database.restore()
    # The database was replaced under this process's cache, with no signal sent: what the last test
    # cached (figures counting its changes, Wagtail's site root paths, kept fragments) is stale.
    cache.clear()
    url = live_server.url.rstrip("/")
    warm_up(url)
    return url


WARMED_UP = set()


def warm_up(url):
    """Render the home page once per server before a browser waits on it: the first, cold render
    (templates, translations, fonts) took over 30 s on a loaded 2-core CI machine."""
    if url not in WARMED_UP:
        import urllib.request

        with urllib.request.urlopen(url + "/", timeout=180) as response:  # noqa: S310 (our own live server)
            response.read()
        WARMED_UP.add(url)


@pytest.fixture
def coordinator_page(page, site_url):
    """A page logged in to the admin as the demo coordinator of Lucknow.

    Logged in as the test client logs in (a session in the database, its cookie given to the
    browser), not through the login form: the form's journey has tests of its own
    (test_two_factor.py, test_employer_journey.py), and typing it before every test cost about
    1.5 s of rendering the login page and the dashboard, with their static files, each time."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from website.demo.users import seed_users

    seed_users()
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": session.key, "value": session.value, "url": site_url}])
    return page
