from contextlib import contextmanager

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from wagtail.models import Locale

from website.demo import seed_demo_data


def seed_demo_site():
    """The demo data and page tree in both languages. Idempotent, so cheap when already there."""
    return seed_demo_data()


SERIALIZED_STATE = {}


def needs_demo_data(item):
    """Whether a test reads the full demo history (thousands of women): it asks for demo_site or
    is marked demo_data (the demo seed's own tests). The others build the
    rows they need with tests.factories on the small baseline of tests.factories.seed_baseline,
    built in seconds where the demo history takes minutes."""
    return (
        "demo_site" in getattr(item, "fixturenames", ()) or item.get_closest_marker("demo_data") is not None
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark every test that needs the demo history, so that `-m "not demo_data"` leaves them out."""
    for item in items:
        if needs_demo_data(item):
            item.add_marker(pytest.mark.demo_data)
        fixtures = getattr(item, "fixturenames", ())
        if (
            "django_db_setup" in fixtures
            and "db" not in fixtures
            and not item.get_closest_marker("django_db")
        ):
            # It reads the test database through a module-scoped fixture: give it the database mark,
            # so that pytest-django runs it with the other database tests, before the transactional
            # ones whose flush empties the baseline (unmarked tests would run after them).
            item.add_marker(pytest.mark.django_db)


# Modules whose tests share a costly module-scoped fixture: under pytest-xdist (`--dist loadgroup`) each
# is sent whole to one worker, instead of every worker that draws one of its tests building it again.
# pytest-xdist 3.8's own xdist_group mark cannot do this under pytest 9: it renames each item through
# an attribute that pytest 9 no longer reads, so the scheduler never sees the group.
ONE_WORKER_MODULES = frozenset({"tests/website/test_query_counts.py", "tests/website/test_demo_seed.py"})


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ModulesInOneWorker(LoadGroupScheduling):
        def _split_scope(self, nodeid):
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER_MODULES else nodeid

    return ModulesInOneWorker(config, log)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """Just before pytest-django creates the test databases: an in-memory SQLite one is copied from
    a database migrated once for this code (tests/template_database.py), not migrated again in
    every worker and every run."""
    from tests.template_database import copied_from_template

    for connection in connections.all():
        connection.creation.create_test_db = copied_from_template(connection.creation)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    # Seed once per test database; tests that roll back keep it. The browser tests build their own
    # small data on this baseline once and put back a snapshot of it after each flush.
    # The migrations' rows, serialized before seeding, for tests that flush (see tests/browser).
    # Under pytest-xdist every worker collects every test, so each seeds what the whole run needs.
    SERIALIZED_STATE.update(
        contents=getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    )
    from tests.factories import seed_baseline

    with django_db_blocker.unblock():
        # Only a run that selects a test needing the full demo history pays for it. It builds
        # everything the baseline has (and more), so a run has one or the other.
        if any(needs_demo_data(item) for item in request.session.items):
            seed_demo_site()
        else:
            seed_baseline()


@contextmanager
def rolled_back_afterwards(django_db_blocker):
    """Rows built once for a module or class, in a transaction rolled back at its end: each test's
    own transaction is a savepoint inside it, so tests still cannot see each other's changes.

        @pytest.fixture(scope="module")
        def rows(django_db_setup, django_db_blocker):
            with rolled_back_afterwards(django_db_blocker):
                yield build_rows()
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_site(db):
    """The demo site's home page, with the full demo history in the database (seeded with the test
    database; seeded again here only after a test that flushed the database)."""
    from skills.models import Trainee
    from website.models import HomePage

    if not Trainee.objects.filter(centre__slug="lucknow").exists():
        return seed_demo_site()
    return HomePage.objects.get(depth=2, locale=Locale.get_default())


@pytest.fixture
def hindi(db):
    return Locale.objects.get(language_code="hi")


@pytest.fixture(autouse=True)
def fresh_content_type_cache(request):
    """Tests marked django_db(transaction=True) start after a flush that re-created the content
    types with new ids (PostgreSQL sequences keep counting): forget the ids cached by earlier tests.
    (Browser tests restore the old rows by serialized rollback, so their cached ids stay right.)"""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def no_purge_left_pending():
    """A test's changes roll back without committing, so the page-cache purges they asked for stay
    pending in the thread (production purges them with the next commit): start each test with none,
    so that a test sees the purges of its own changes only."""
    from website import page_cache

    page_cache.pending.changes = set()


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request to /hi/ leaves Hindi active in the test's thread; give the next test English."""
    yield
    from django.utils import translation

    translation.activate("en")
