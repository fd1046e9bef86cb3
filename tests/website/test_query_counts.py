"""Every public page type reads the database at most MAX_QUERIES times, in both languages, and as
often with 1,000 news items, courses, centres and vacancies as with 10.

The chrome (settings, menu, footer, language links), the routes to pages and the tracker's public
lists come from the shared cache (website/chrome.py): a page's first request may fill it, so the
counts that must stay small are the second request's. The first (cold) one is bounded and flat too.
A page's content is kept too (templates/base.html) until what it shows changes; the second request
is also counted with its content drawn, as it is after such a change, and that count is small too."""

import datetime
import itertools
import uuid
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from wagtail.models import Page

from placements.filters import on_the_board
from placements.models import Vacancy
from skills.models import Centre, Trade
from tests.conftest import rolled_back_afterwards
from tests.factories import CentrePageFactory, CoursePageFactory, ImageFactory, NewsPageFactory
from website.models import CentreIndexPage, CentrePage, CourseIndexPage, CoursePage, NewsIndexPage, NewsPage
from website.templatetags.sakhi_tags import PageContentCacheNode

MAX_QUERIES = 6
MAX_COLD_QUERIES = 40
FEW, MANY = 10, 1000
LANGUAGES = ("en", "hi")
NOT_INDEXING = {"default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}}


def first(model, language):
    return model.objects.filter(locale__language_code=language).live().order_by("pk").first()


class Listings:
    """The site's lists (news, courses and centres in each language, the vacancy board) grown to a
    number of items each, with the pages whose queries are counted."""

    def __init__(self):
        self.image = ImageFactory()
        self.image.get_rendition("fill-480x270")  # made once, as the first visitor would (news_card.html)
        self.lucknow = Centre.objects.get(slug="lucknow")
        self.tailoring = Trade.objects.get(slug="tailoring")
        self.serial = itertools.count()

    @override_settings(WAGTAILSEARCH_BACKENDS=NOT_INDEXING)  # quicker to build; search is tested below
    def grow_to(self, count):
        for language in LANGUAGES:
            news = NewsIndexPage.objects.get(locale__language_code=language)
            self.add(
                news, NewsPage, count, lambda index: NewsPageFactory(parent=index, listing_image=self.image)
            )
            courses = CourseIndexPage.objects.get(locale__language_code=language)
            self.add(
                courses,
                CoursePage,
                count,
                lambda index: CoursePageFactory(parent=index, trade=self.tailoring, centre=self.lucknow),
            )
            centres = CentreIndexPage.objects.get(locale__language_code=language)
            self.add(
                centres, CentrePage, count, lambda index: CentrePageFactory(parent=index, centre=self.lucknow)
            )
        self.add_vacancies(count)

    def add(self, index, model, count, build):
        """Grow the index's children to `count`: the first ones through the factory, the rest as
        copies of the last one (see copy_children)."""
        present = model.objects.child_of(index).count()
        for _ in range(min(count, FEW) - present):
            build(index)
        copy_children(index, model, count - max(present, FEW))

    def add_vacancies(self, count):
        template = on_the_board().first()
        trades = list(template.trades.all())
        missing = count - on_the_board().count()
        closing = timezone.localdate() + datetime.timedelta(days=30)
        added = Vacancy.objects.bulk_create(
            Vacancy(
                employer=template.employer,
                title=f"Tailor {next(self.serial)}",
                description=template.description,
                district=template.district,
                pay_min=template.pay_min,
                pay_max=template.pay_max,
                job_type=template.job_type,
                closing_date=closing,
                status=Vacancy.Status.PUBLISHED,
                published_at=timezone.now(),
            )
            for _ in range(missing)
        )
        Vacancy.trades.through.objects.bulk_create(
            Vacancy.trades.through(vacancy=vacancy, trade=trade) for vacancy in added for trade in trades
        )

    def urls(self):
        urls = {}
        for language in LANGUAGES:
            prefix = "" if language == "en" else f"/{language}"
            urls |= {
                f"{language} home": f"{prefix}/",
                f"{language} course index": first(CourseIndexPage, language).url,
                f"{language} course page": first(CoursePage, language).url,
                f"{language} news index": first(NewsIndexPage, language).url,
                f"{language} news page": first(NewsPage, language).url,
                f"{language} vacancies": f"{prefix}/vacancies/",
                f"{language} a vacancy": prefix + on_the_board().first().get_absolute_url(),
                f"{language} centres": first(CentreIndexPage, language).url,
                f"{language} a centre": first(CentrePage, language).url,
                f"{language} search without a query": f"{prefix}/search/",
            }
        return urls


def copy_children(index, model, count):
    """Add `count` live children to `index`, copies of its last child, with rows written in bulk:
    the pages' own rows at once, then each page type's row, as `loaddata` writes them (save_base
    with raw=True). Through the factory (Wagtail's add_child and a revision each) the 6,000 pages
    took 100 s on SQLite and 200 s on PostgreSQL; what is counted is a page list of that length,
    not how the rows were made."""
    if count <= 0:
        return
    index.refresh_from_db()
    last = index.get_last_child().specific
    first_step = last._get_lastpos_in_path() + 1
    pages = []
    for step in range(first_step, first_step + count):
        slug = f"{last.slug}-{step}"
        pages.append(
            Page(
                **{field.attname: getattr(last, field.attname) for field in Page._meta.concrete_fields},
            )
        )
        page = pages[-1]
        page.id = None
        page.path = Page._get_path(index.path, index.depth + 1, step)
        page.slug = slug
        page.url_path = f"{index.url_path}{slug}/"
        page.title = page.draft_title = f"{last.title} {step}"
        page.translation_key = uuid.uuid4()
        page.latest_revision_id = page.live_revision_id = None
        page.numchild = 0
    created = Page.objects.bulk_create(pages, batch_size=200)
    for page in created:
        copy = model(**{field.attname: getattr(last, field.attname) for field in model._meta.concrete_fields})
        for field in Page._meta.concrete_fields:
            setattr(copy, field.attname, getattr(page, field.attname))
        copy.page_ptr_id = page.id
        copy.save_base(raw=True, force_insert=True)
    Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + count)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries.captured_queries]


def count_queries(urls):
    """{page: (queries with a cold cache, queries of the next request, and of the next with its
    content drawn rather than kept)}."""
    client = Client()
    counts = {}
    for name, url in urls.items():
        cache.clear()
        cold = queries_of(client, url)
        warm = queries_of(client, url)
        with mock.patch.object(PageContentCacheNode, "render", draw_content):
            drawn = queries_of(client, url)
        counts[name] = (cold, warm, drawn)
    return counts


def draw_content(node, context):
    return node.nodelist.render(context)


@pytest.fixture(scope="module")
def counted(django_db_setup, django_db_blocker):
    """The queries of every page type with FEW items in each list, then with MANY."""
    with rolled_back_afterwards(django_db_blocker):
        listings = Listings()
        listings.grow_to(FEW)
        urls = listings.urls()
        with_few = count_queries(urls)
        listings.grow_to(MANY)
        assert (
            NewsPage.objects.child_of(NewsIndexPage.objects.get(locale__language_code="hi")).count() == MANY
        )
        with_many = count_queries(urls)
        yield with_few, with_many


PAGES = [
    f"{language} {page}"
    for language in LANGUAGES
    for page in (
        "home",
        "course index",
        "course page",
        "news index",
        "news page",
        "vacancies",
        "a vacancy",
        "centres",
        "a centre",
        "search without a query",
    )
]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_reads_the_database_at_most_six_times(counted, page):
    for counts in counted:
        _cold, warm, drawn = counts[page]
        assert len(warm) <= MAX_QUERIES, "\n".join(warm)
        assert len(drawn) <= MAX_QUERIES, "\n".join(drawn)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_reads_as_often_with_1000_items_as_with_10(counted, page):
    with_few, with_many = counted
    for few, many in zip(with_few[page], with_many[page], strict=True):
        assert len(many) == len(few), "\n".join(sorted(set(many) ^ set(few)))
    assert len(with_many[page][0]) <= MAX_COLD_QUERIES


def test_search_results_are_flat(client, db):
    news_index = NewsIndexPage.objects.get(locale__language_code="en")
    for n in range(3):
        NewsPageFactory(parent=news_index, title=f"Jute fair report {n}")
    client.get("/search/?q=jute+fair")
    at_3 = len(queries_of(client, "/search/?q=jute+fair"))
    for n in range(3, 23):
        NewsPageFactory(parent=news_index, title=f"Jute fair report {n}")
    client.get("/search/?q=jute+fair")
    assert len(queries_of(client, "/search/?q=jute+fair")) == at_3
