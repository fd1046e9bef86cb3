"""Feeds carry text, never markup a feed reader would render; 404 pages link only to this site.

Feeds are parsed as a feed reader does (XML, then the decoded text of each element): a title must
hold no tag at all, a description must hold its `<` as the escaped `&lt;` that readers display."""

import datetime
import re
import xml.dom.minidom
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone, translation

from placements.models import Vacancy
from tests.factories import NewsPageFactory
from tests.placements.test_portal import make_employer, make_vacancy
from website.models import NewsIndexPage

ATTACK = '<img src=x onerror="alert(1)">'


@pytest.fixture(autouse=True)
def english(db):
    cache.clear()
    with translation.override("en"):
        yield


def feed_items(response):
    assert response.status_code == 200
    document = xml.dom.minidom.parseString(response.content)

    def text(node, name):
        (element,) = node.getElementsByTagName(name)
        return "".join(child.data for child in element.childNodes)

    return [
        {
            "title": text(item, "title"),
            "description": text(item, "description"),
            "categories": [
                "".join(c.data for c in category.childNodes)
                for category in item.getElementsByTagName("category")
            ],
        }
        for item in document.getElementsByTagName("item")
    ]


def assert_no_markup_in_title(title):
    assert "<" not in title and ">" not in title, title


def test_vacancy_feed_sends_employers_typing_as_text(client, db):
    account = make_employer(f"Evil Tailors {ATTACK}")
    vacancy = make_vacancy(account.employer, f"Tailor {ATTACK}\x0b")
    Vacancy.objects.filter(pk=vacancy.pk).update(published_at=timezone.now())

    items = feed_items(client.get("/vacancies/feed/"))

    (item,) = [item for item in items if item["title"].startswith("Tailor")]
    assert_no_markup_in_title(item["title"])
    assert item["title"] == "Tailor"
    assert "<img" not in item["description"]
    assert "Evil Tailors &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in item["description"]
    for other in items:
        assert_no_markup_in_title(other["title"])
        assert "<" not in other["description"]


def test_news_feed_sends_editors_typing_as_text(client, db):
    index = NewsIndexPage.objects.get(locale__language_code="en")
    NewsPageFactory(
        parent=index,
        title=f"Graduation {ATTACK}",
        slug="graduation-attack",
        intro=f"Forty women {ATTACK} graduated.",
        date=timezone.localdate() + datetime.timedelta(days=1),
    )

    items = feed_items(client.get("/news/feed/"))

    (item,) = [item for item in items if item["title"].startswith("Graduation")]
    assert item["title"] == "Graduation"
    assert "<img" not in item["description"]
    assert item["description"] == ("Forty women &lt;img src=x onerror=&quot;alert(1)&quot;&gt; graduated.")
    for other in items:
        assert_no_markup_in_title(other["title"])


# ---------------------------------------------------------------------------------------------
# 404 pages under production-like settings
# ---------------------------------------------------------------------------------------------


def links(html):
    return re.findall(r'href="([^"]*)"', html)


def assert_same_site(href):
    """A browser reads `//host` and `/\\host` as another site."""
    assert not href.startswith(("//", "/\\")), href
    assert urlsplit(urljoin("https://sakhi.example/a/page", href)).hostname != "evil.example", href


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"path": "/ignored", "PATH_INFO": "//evil.example"},
        {"path": "/%2F%2Fevil.example"},
        {"path": "/%2F%2Fevil.example/", "QUERY_STRING": "a=1"},
        {"path": "/hi/%2F%2Fevil.example"},
        {"path": "/ignored", "PATH_INFO": "/\\evil.example"},
        {"path": "/ignored", "PATH_INFO": "///evil.example"},
    ],
)
def test_404_pages_link_only_to_this_site(client, db, request_kwargs):
    kwargs = dict(request_kwargs)
    response = client.get(kwargs.pop("path"), **kwargs)
    assert response.status_code == 404
    hrefs = links(response.content.decode())
    assert hrefs
    for href in hrefs:
        assert_same_site(href)


@override_settings(DEBUG=False)
def test_404_language_links_go_home_in_each_language(client, db):
    response = client.get("/ignored", PATH_INFO="//evil.example")
    switch = response.content.decode().split('class="language-switch"', 1)[1].split("</ul>", 1)[0]
    assert links(switch) == ["/", "/hi/"]


def test_language_links_of_ordinary_pages_keep_the_page(client, db):
    html = client.get("/search/?q=tailoring").content.decode()
    switch = html.split('class="language-switch"', 1)[1].split("</ul>", 1)[0]
    assert links(switch) == ["/search/?q=tailoring", "/hi/search/?q=tailoring"]
