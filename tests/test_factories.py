from wagtail.models import Page

from skills.models import Centre, Course
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
