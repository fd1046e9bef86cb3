"""The demo seed (`manage.py seed_demo`) tells the true story of DESIGN.md: the Lucknow figures of
the public reporting, the page tree in English and Hindi, and nothing added when run again.

The only tests that build the full demo history. The module seeds it once, on top of the small
baseline every test database has, and rolls it back at its end."""

import json

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Count, F, Q
from wagtail.models import Locale, Page

from skills.demo import CENTRES
from skills.demo_tracker import trained_count
from skills.models import Centre, Cohort, Enrolment, Trainee
from tests.conftest import rolled_back_afterwards
from website.demo import seed_demo_data
from website.demo.users import DEMO_USERS, seed_users
from website.models import CentreIndexPage, CourseIndexPage, HomePage, NewsIndexPage

TRACKED_APPS = ("skills", "placements", "website", "wagtailcore", "auth")


def row_counts():
    """The number of rows of every model of the apps the seed writes to."""
    return {
        model._meta.label: model._default_manager.count()
        for label in TRACKED_APPS
        for model in apps.get_app_config(label).get_models()
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The row counts right after seeding the demo data and users."""
    with rolled_back_afterwards(django_db_blocker):
        seed_demo_data()
        seed_users()
        yield row_counts()
    cache.clear()  # public figures computed from the rolled-back history


@pytest.fixture
def demo(db, seeded):
    return seeded


def report_json(*args):
    call_command("report_outcomes", "--centre", "lucknow", *args, "--format", "json")


def test_seeding_twice_changes_nothing(demo):
    seed_demo_data()
    seed_users()
    again = row_counts()
    assert {label: n for label, n in again.items() if n != demo[label]} == {}


def test_the_seed_builds_a_history_for_every_centre(demo):
    assert sorted(Centre.objects.values_list("slug", flat=True)) == sorted(c["slug"] for c in CENTRES)
    for centre in Centre.objects.all():
        assert trained_count(centre) > 0, f"{centre.slug} has no trained women"


def test_lucknow_since_2016_1142_trained_695_in_paying_work(demo, capsys):
    assert trained_count(Centre.objects.get(slug="lucknow")) == 1142
    report_json("--from", "2016")
    total = json.loads(capsys.readouterr().out)["total"]
    assert (total["trained"], total["in_paying_work"]) == (1142, 695)


def test_lucknow_2024_completions_and_outcomes(demo, capsys):
    report_json("--from", "2024", "--to", "2024")
    year_2024 = json.loads(capsys.readouterr().out)["total"]
    assert year_2024["completed_by_trade"] == {"tailoring": 60, "jute-handiwork": 30, "retail-marketing": 20}
    assert (year_2024["self_employed"], year_2024["salaried"]) == (90, 12)
    completed = Enrolment.objects.filter(cohort__centre__slug="lucknow").completed_in(2024)
    assert completed.values("trainee").distinct().count() == 110


def test_lucknow_2024_cohorts_and_a_woman_trained_twice_counted_once(demo):
    lucknow = Centre.objects.get(slug="lucknow")
    completions_2024 = dict(
        Enrolment.objects.filter(cohort__centre=lucknow)
        .completed_in(2024)
        .values_list("cohort__course__trade__slug")
        .annotate(n=Count("trainee", distinct=True))
    )
    assert completions_2024 == {"tailoring": 60, "jute-handiwork": 30, "retail-marketing": 20}
    under_way_2024 = set(
        Cohort.objects.filter(centre=lucknow, start_date__year=2024, end_date__year=2025).values_list(
            "course__trade__slug", flat=True
        )
    )
    assert under_way_2024 == {
        "tailoring",
        "beauty-and-wellness",
        "tie-and-dye",
        "hotel-management",
        "food-processing",
    }
    # A woman who completed two courses is one woman trained.
    repeaters = (
        Trainee.objects.filter(centre=lucknow)
        .annotate(n=Count("enrolments", filter=Q(enrolments__status="completed")))
        .filter(n__gt=1)
    )
    assert repeaters.exists()


def test_every_cohort_seat_count_matches_its_enrolments(demo):
    """The seed writes enrolments in bulk, past the services: it counts the seats itself."""
    mismatched = (
        Cohort.objects.annotate(holding=Count("enrolments", filter=~Q(enrolments__status="dropped")))
        .exclude(seats_taken=F("holding"))
        .count()
    )
    assert mismatched == 0


def test_the_demo_brings_employers_vacancies_and_nominations_in_many_states(demo):
    from placements.models import Nomination

    assert len(set(Nomination.objects.values_list("status", flat=True))) >= 5


def test_every_demo_user_exists_with_their_centres(demo):
    for username, _first, _last, _group, centre_slugs in DEMO_USERS:
        user = apps.get_model("auth", "User").objects.get(username=username)
        assert set(user.coordinated_centres.values_list("slug", flat=True)) == set(centre_slugs), username


def test_the_page_tree_is_published_in_both_languages(demo):
    home = HomePage.objects.get(depth=2, locale__language_code="en")
    english = Page.objects.descendant_of(home, inclusive=True).filter(locale__language_code="en")
    assert english.count() > 20
    for index_model in (NewsIndexPage, CourseIndexPage, CentreIndexPage):
        assert index_model.objects.child_of(home).live().exists(), index_model.__name__
    hindi = Locale.objects.get(language_code="hi")
    for page in english:
        translation = page.get_translation_or_none(hindi)
        assert translation is not None and translation.live, f"{page.url_path} has no live Hindi page"
        assert translation.title != page.title or page.title.isdigit(), f"{page.url_path}: title untranslated"


@pytest.mark.parametrize("path", ["/", "/news/", "/courses/", "/centres/", "/centres/lucknow/"])
@pytest.mark.parametrize("prefix", ["", "/hi"])
def test_the_demo_pages_are_served_in_both_languages(client, demo, prefix, path):
    response = client.get(prefix + path)
    assert response.status_code == 200, f"GET {prefix}{path}: {response.status_code}"
