import pytest
from wagtail.models import Locale

from skills.demo import seed_centres_and_trades
from website.demo.site import seed_site


def seed_demo_site():
    """The demo page tree in both languages. Idempotent, so cheap when already there."""
    seed_centres_and_trades()
    return seed_site()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Seed once per test database; tests that roll back keep it, and tests that flush the
    # database (transactional, browser) re-seed through the demo_site fixture.
    with django_db_blocker.unblock():
        seed_demo_site()


@pytest.fixture
def demo_site(db):
    return seed_demo_site()


@pytest.fixture
def hindi(db):
    return Locale.objects.get(language_code="hi")
