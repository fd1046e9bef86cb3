from tests.factories import CentreFactory, CentrePageFactory, CoursePageFactory, NewsPageFactory, TradeFactory
from website.models import CentreIndexPage, CourseIndexPage, NewsIndexPage


def test_factories_build_valid_objects(demo_site):
    centre = CentreFactory()
    centre.full_clean()
    TradeFactory().full_clean()
    news = NewsPageFactory(parent=NewsIndexPage.objects.get(locale__language_code="en"))
    assert news.live and news.listing_image is not None
    course = CoursePageFactory(parent=CourseIndexPage.objects.get(locale__language_code="en"))
    course.full_clean()
    assert course.end_date > course.start_date
    CentrePageFactory(parent=CentreIndexPage.objects.get(locale__language_code="en")).full_clean()
