from django.db.models import Count
from wagtail.models import Page

from skills.models import Centre, Certificate, Cohort, Course, Enrolment
from tests.factories import (
    CentreFactory,
    CentrePageFactory,
    CohortFactory,
    CourseFactory,
    CoursePageFactory,
    NewsPageFactory,
    TradeFactory,
    TraineeFactory,
    seed_baseline,
)
from tests.skills.builders import centre_with_history, coordinator_of
from website.models import CentreIndexPage, CourseIndexPage, HomePage, NewsIndexPage


def test_factories_build_valid_objects(db):
    centre = CentreFactory()
    centre.full_clean()
    TradeFactory().full_clean()
    CourseFactory().full_clean()
    TraineeFactory(centre=centre).full_clean()
    cohort = CohortFactory(centre=centre)
    cohort.full_clean()
    assert cohort.end_date > cohort.start_date
    news = NewsPageFactory(parent=NewsIndexPage.objects.get(locale__language_code="en"))
    assert news.live and news.listing_image is not None
    course = CoursePageFactory(parent=CourseIndexPage.objects.get(locale__language_code="en"))
    course.full_clean()
    assert course.end_date > course.start_date
    CentrePageFactory(parent=CentreIndexPage.objects.get(locale__language_code="en")).full_clean()


def test_every_test_database_has_the_baseline_and_seeding_it_again_changes_nothing(db):
    """Every test database starts with the baseline: the demo centres, trades and pages."""
    assert sorted(Centre.objects.values_list("slug", flat=True)) == [
        "buxar",
        "leh",
        "lucknow",
        "patna-1",
        "patna-2",
    ]
    assert HomePage.objects.filter(locale__language_code="hi").exists()
    counts = (Centre.objects.count(), Course.objects.count(), Page.objects.count())
    seed_baseline()
    assert (Centre.objects.count(), Course.objects.count(), Page.objects.count()) == counts


def test_a_centre_with_history_is_built_through_the_services(db):
    history = centre_with_history("Buildpur", completers=3, learners=2, spare=4)
    centre = history.centre
    assert centre.trainees.count() == (3 + 1) + 2 + 4
    enrolments = Enrolment.objects.filter(cohort__centre=centre)
    assert dict(enrolments.values_list("status").annotate(n=Count("pk"))) == {
        "completed": 3,
        "dropped": 1,
        "enrolled": 2,
    }
    assert enrolments.completed_in(2024).count() == 3
    assert Certificate.objects.valid().filter(centre=centre).count() == 3
    seats = dict(Cohort.objects.filter(centre=centre).values_list("pk", "seats_taken"))
    assert seats == {history.completed.pk: 3, history.running.pk: 2}
    assert history.placement.follow_ups.count() == 3 and history.nomination.vacancy.status == "published"
    coordinator = coordinator_of(centre, username="buildpur.coordinator")
    assert list(Centre.objects.for_user(coordinator)) == [centre]
