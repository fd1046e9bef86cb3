"""List pages keep the same number of database queries however many items they list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CentrePageFactory, CoursePageFactory, NewsPageFactory
from website.models import CentreIndexPage, CourseIndexPage, HomePage, NewsIndexPage


def page_queries(client, url):
    client.get(url)  # warm per-process caches (site root paths, settings)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def query_count(client, url):
    return len(page_queries(client, url))


@pytest.fixture
def home(db):
    return HomePage.objects.get(locale__language_code="en")


def build_index(home, index_model, slug):
    index = index_model(title=slug.title(), slug=slug)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.mark.parametrize(
    ("index_model", "factory"),
    [
        (NewsIndexPage, NewsPageFactory),
        (CourseIndexPage, CoursePageFactory),
        (CentreIndexPage, CentrePageFactory),
    ],
)
def test_index_pages_are_flat_from_5_to_50_items(client, home, index_model, factory):
    index = build_index(home, index_model, f"flat-{index_model._meta.model_name}")
    factory.create_batch(5, parent=index)
    at_5 = query_count(client, index.url)
    factory.create_batch(45, parent=index)
    at_50 = query_count(client, index.url)
    assert at_50 == at_5


def test_home_page_is_flat_as_news_and_courses_grow(client, home):
    news_index = NewsIndexPage.objects.get(locale__language_code="en")
    course_index = CourseIndexPage.objects.get(locale__language_code="en")
    # The home page already shows factory-built news (with listing images) and courses when first
    # counted, whatever the tests before this one left in the factories' sequences.
    NewsPageFactory.create_batch(3, parent=news_index)
    CoursePageFactory.create_batch(4, parent=course_index)
    before = page_queries(client, home.url)
    NewsPageFactory.create_batch(20, parent=news_index)
    CoursePageFactory.create_batch(20, parent=course_index)
    after = page_queries(client, home.url)
    assert len(after) == len(before), "\n".join(sorted(set(after) ^ set(before)))


def test_search_results_are_flat(client, home):
    news_index = NewsIndexPage.objects.get(locale__language_code="en")
    for n in range(3):
        NewsPageFactory(parent=news_index, title=f"Jute fair report {n}")
    at_3 = query_count(client, "/search/?q=jute+fair")
    for n in range(3, 23):
        NewsPageFactory(parent=news_index, title=f"Jute fair report {n}")
    assert query_count(client, "/search/?q=jute+fair") == at_3
