"""Every public URL answers in English and Hindi with the right language and the safety features."""

import re
import xml.dom.minidom

import pytest

PUBLIC_PATHS = [
    "/",
    "/news/",
    "/news/tailoring-graduates-lucknow/",
    "/courses/",
    "/courses/tailoring-lucknow/",
    "/centres/",
    "/centres/lucknow/",
    "/about/",
    "/browse-safely/",
    "/privacy/",
    "/accessibility/",
    "/terms/",
    "/search/",
    "/search/?q=tailoring",
]


def html_lang(response):
    match = re.search(r'<html[^>]*\blang="([^"]+)"', response.content.decode())
    return match.group(1) if match else None


@pytest.mark.parametrize("path", PUBLIC_PATHS)
@pytest.mark.parametrize("language", ["en", "hi"])
def test_public_page_in_each_language(client, db, path, language):
    url = path if language == "en" else "/hi" + path
    response = client.get(url)
    assert response.status_code == 200, url
    assert html_lang(response) == language
    body = response.content.decode()
    assert 'class="quick-exit"' in body
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    persistent = [name for name, morsel in response.cookies.items() if morsel["expires"] or morsel["max-age"]]
    assert persistent == []
    assert "http://" not in re.sub(r'href="http://testserver', "", body).replace("http://www.w3.org", ""), (
        "no third-party resources"
    )


def test_quick_exit_is_the_first_focusable_element(client, db):
    body = client.get("/").content.decode()
    first_link = re.search(r"<body[^>]*>\s*<a ([^>]*)>", body)
    assert first_link and 'class="quick-exit"' in first_link.group(1)
    assert 'href="https://www.google.com/search?q=weather"' in first_link.group(1)


def test_quick_exit_target_comes_from_site_settings(client, db):
    from wagtail.models import Site

    from website.models import SiteSettings

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.quick_exit_url = "https://weather.example/"
    settings.save()
    assert 'href="https://weather.example/"' in client.get("/hi/").content.decode()


def test_hindi_page_is_translated(client, db):
    body = client.get("/hi/").content.decode()
    assert "हुनर सीखें" in body
    assert "Learn a skill" not in body


@pytest.mark.parametrize(
    ("path", "other"),
    [
        ("/news/tailoring-graduates-lucknow/", "/hi/news/tailoring-graduates-lucknow/"),
        ("/hi/centres/lucknow/", "/centres/lucknow/"),
        ("/", "/hi/"),
        ("/search/?q=tailoring", "/hi/search/?q=tailoring"),
    ],
)
def test_language_switch_links_to_the_same_page(client, db, path, other):
    body = client.get(path).content.decode()
    assert re.search(rf'<a href="{re.escape(other)}"[^>]*data-language=', body), other


def test_unknown_page_is_404_with_quick_exit(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'class="quick-exit"' in response.content.decode()


def test_news_feed_lists_live_news(client, db):
    from website.models import NewsPage

    response = client.get("/news/feed/")
    assert response.status_code == 200
    document = xml.dom.minidom.parseString(response.content)
    titles = [node.firstChild.data for node in document.getElementsByTagName("title")]
    english_news = NewsPage.objects.live().filter(locale__language_code="en")
    assert set(english_news.values_list("title", flat=True)) <= set(titles)

    hindi_feed = xml.dom.minidom.parseString(client.get("/hi/news/feed/").content)
    assert hindi_feed.getElementsByTagName("language")[0].firstChild.data == "hi"


def test_unpublished_news_leaves_feed(client, db):
    from website.models import NewsPage

    page = NewsPage.objects.get(slug="placement-drive-patna", locale__language_code="en")
    page.unpublish()
    assert page.title.encode() not in client.get("/news/feed/").content


def test_sitemap_lists_live_pages_in_both_languages(client, db):
    from wagtail.models import Page

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    document = xml.dom.minidom.parseString(response.content)
    locations = {node.firstChild.data for node in document.getElementsByTagName("loc")}
    assert "http://testserver/news/tailoring-graduates-lucknow/" in locations
    assert "http://testserver/hi/news/tailoring-graduates-lucknow/" in locations
    live_pages = Page.objects.live().public().filter(depth__gt=1).count()
    assert len(locations) == live_pages


def test_robots_txt_points_to_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_search_finds_pages_in_the_visitors_language(client, db):
    english = client.get("/search/", {"q": "tailoring"}).content.decode()
    assert "Sixty women complete tailoring course" in english
    hindi = client.get("/hi/search/", {"q": "सिलाई"}).content.decode()
    assert "लखनऊ में साठ महिलाओं ने सिलाई पाठ्यक्रम पूरा किया" in hindi
    assert "Sixty women" not in hindi


def test_admin_login_is_served_with_a_csp(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
