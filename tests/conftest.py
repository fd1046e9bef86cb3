import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from wagtail.models import Locale

from website.demo import seed_demo_data


def seed_demo_site():
    """The demo data and page tree in both languages. Idempotent, so cheap when already there."""
    return seed_demo_data()


SERIALIZED_STATE = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Seed once per test database; tests that roll back keep it. Tests that flush the database
    # (the browser tests) restore the migrations' rows by serialized rollback and seed again.
    # The migrations' rows, serialized before seeding, for tests that flush (see tests/browser).
    SERIALIZED_STATE.update(
        contents=getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    )
    with django_db_blocker.unblock():
        seed_demo_site()


@pytest.fixture
def demo_site(db):
    return seed_demo_site()


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
def english_after_each_test():
    """A request to /hi/ leaves Hindi active in the test's thread; give the next test English."""
    yield
    from django.utils import translation

    translation.activate("en")
