"""The fragments public pages are drawn from without the page cache (templates/base.html, kept under
the tokens of website/chrome.py and core/generations.py): a Wagtail page's content, the top of the
vacancy board and of search, and the unfiltered filter forms. Each is seen to change by the next
visitor when what it shows changes, and nothing one visitor asked for is shown to another."""

import datetime
import re

import pytest
from django.utils import timezone

from placements.filters import on_the_board
from placements.models import Vacancy
from skills import services as skill_services
from skills.models import Cohort
from tests.factories import NewsPageFactory, TraineeFactory
from website.models import CoursePage, NewsIndexPage

pytestmark = pytest.mark.django_db


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def seen_twice(client, url):
    """The page as the second visitor sees it: drawn from what the first one's visit kept."""
    html(client, url)
    return html(client, url)


def english(model):
    return model.objects.live().filter(locale__language_code="en")


def district_options(page):
    select = re.search(r'<select name="district".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def selected_options(page):
    return re.findall(r'<option value="([^"]+)"[^>]*selected', page)


def language_link(page, code):
    return re.search(rf'<a href="([^"]*)" hreflang="{code}"', page).group(1)


def test_a_seat_taken_is_seen_on_the_course_page_and_the_finder(client):
    course = english(CoursePage).filter(cohorts__status=Cohort.Status.OPEN).first()
    cohort = course.live_cohorts().first()
    left = cohort.seats_left
    assert f"{left} seats left" in seen_twice(client, course.url)
    assert f'data-label="Seats left">{left}</td>' in seen_twice(client, "/courses/")

    skill_services.enrol([TraineeFactory(centre=cohort.centre)], cohort)

    assert f"{left - 1} seats left" in html(client, course.url)
    assert f'data-label="Seats left">{left - 1}</td>' in html(client, "/courses/")


def test_news_published_is_listed_at_once(client):
    seen_twice(client, "/news/")
    item = NewsPageFactory(parent=english(NewsIndexPage).get(), title="Jute fair in Lucknow")
    assert item.title in html(client, "/news/")
    assert item.title in html(client, "/")


def test_a_vacancy_published_and_closed_is_seen_on_the_board_and_its_filter(client):
    assert "Sitapur" not in district_options(seen_twice(client, "/vacancies/"))
    template = on_the_board().first()
    vacancy = Vacancy.objects.create(
        employer=template.employer,
        title="Machine operator",
        description=template.description,
        district="Sitapur",
        pay_min=template.pay_min,
        pay_max=template.pay_max,
        job_type=template.job_type,
        closing_date=timezone.localdate() + datetime.timedelta(days=30),
        status=Vacancy.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    vacancy.trades.set(template.trades.all())
    board = html(client, "/vacancies/")
    assert "Sitapur" in district_options(board)
    assert "Machine operator" in board

    seen_twice(client, "/vacancies/")
    vacancy.status = Vacancy.Status.CLOSED
    vacancy.save(update_fields=["status"])
    board = html(client, "/vacancies/")
    assert "Machine operator" not in board
    assert "Sitapur" not in district_options(board)


def test_a_filter_chosen_is_shown_to_that_visitor_only(client):
    district = district_options(html(client, "/vacancies/"))[1]
    assert selected_options(html(client, "/vacancies/")) == []
    assert selected_options(html(client, f"/vacancies/?district={district}")) == [district]
    assert selected_options(html(client, "/vacancies/")) == []

    trade = re.search(r'<select name="trade".*?<option value="([^"]+)"', html(client, "/courses/"), re.S)
    assert selected_options(html(client, f"/courses/?trade={trade.group(1)}")) == [trade.group(1)]
    assert selected_options(html(client, "/courses/")) == []


def test_a_news_index_asked_for_with_a_tag_is_drawn_for_it(client):
    assert "News tagged" not in seen_twice(client, "/news/")
    assert "News tagged “jute”" in html(client, "/news/?tag=jute")
    assert "News tagged" not in html(client, "/news/")


@pytest.mark.parametrize("path", ["/vacancies/", "/search/"])
def test_a_kept_top_of_a_view_names_nothing_from_a_visitors_query(client, path):
    asked = html(client, f"{path}?q=zanzibar&trade=tailoring")
    assert language_link(asked, "hi") == f"/hi{path}?q=zanzibar&amp;trade=tailoring"
    for page in (html(client, path), html(client, path)):
        assert "zanzibar" not in page
        assert language_link(page, "hi") == f"/hi{path}"
    hindi = html(client, f"/hi{path}")
    assert language_link(hindi, "en") == path
    assert 'lang="hi"' in hindi
