"""The chrome and the routes kept in the shared cache (website/chrome.py) go stale exactly when what
they show changes: a page published, unpublished, moved or deleted, the settings, menu or footer
saved, a centre changed, a view restriction added, an outcome recorded (the impact figures)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from placements import public_figures
from placements import services as placement_services
from tests.factories import CentreFactory, NewsPageFactory, certified_trainees
from tests.placements.builders import job_of
from website.models import CentreIndexPage, FooterText, HomePage, NewsIndexPage, SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


def english(model, **filters):
    return model.objects.get(locale__language_code="en", **filters)


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def main_nav(client, url="/"):
    return re.search(r'<nav class="main-nav".*?</nav>', html(client, url), re.S).group(0)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def test_a_second_request_reads_the_chrome_from_the_cache(client):
    client.get("/search/")
    assert queries(client, "/search/") == 0


def test_a_menu_page_published_with_a_new_title_shows_in_the_menu(client):
    news = english(NewsIndexPage)
    assert f">{news.title}</a>" in main_nav(client)
    news.title = "What is new"
    news.save_revision().publish()
    assert ">What is new</a>" in main_nav(client)


def test_a_menu_page_unpublished_leaves_the_menu_and_its_route(client):
    news = english(NewsIndexPage)
    assert f'href="{news.url}"' in main_nav(client)
    html(client, news.url)
    news.unpublish()
    assert f'href="{news.url}"' not in main_nav(client)
    html(client, news.url, status=404)


def test_a_page_published_under_a_new_slug_moves_its_route(client):
    item = NewsPageFactory(parent=english(NewsIndexPage), slug="old-slug")
    html(client, "/news/old-slug/")
    item.slug = "new-slug"
    item.save_revision().publish()
    html(client, "/news/old-slug/", status=404)
    assert item.title in html(client, "/news/new-slug/")


def standard_page(parent, slug):
    page = StandardPage(
        title=slug.title(), slug=slug, body='[{"type": "paragraph", "value": "<p>Text.</p>"}]'
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_moved_page_is_found_where_it_went(client):
    home = english(HomePage)
    about, help_pages = standard_page(home, "about-us"), standard_page(home, "help")
    moving = standard_page(about, "browsing-safely")
    html(client, "/about-us/browsing-safely/")
    Page.objects.get(pk=moving.pk).move(help_pages, pos="last-child")
    old_address = client.get("/about-us/browsing-safely/")  # Wagtail redirects it (wagtail.contrib.redirects)
    assert (old_address.status_code, old_address["Location"]) == (301, "/help/browsing-safely/")
    html(client, "/help/browsing-safely/")


def test_a_deleted_page_is_gone(client):
    item = NewsPageFactory(parent=english(NewsIndexPage), slug="short-lived")
    html(client, "/news/short-lived/")
    item.delete()
    html(client, "/news/short-lived/", status=404)


def test_a_page_made_private_asks_for_a_login_at_once(client):
    item = NewsPageFactory(parent=english(NewsIndexPage), slug="soon-private")
    html(client, "/news/soon-private/")
    assert item.title in html(client, "/news/")
    PageViewRestriction.objects.create(page=item, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/news/soon-private/").status_code == 302
    assert item.title not in html(client, "/news/")


def test_site_settings_saved_show_on_every_page(client):
    assert 'href="tel:181"' in html(client, "/vacancies/")
    settings = SiteSettings.objects.get()
    settings.women_helpline = "1091"
    settings.save()
    page = html(client, "/vacancies/")
    assert 'href="tel:1091"' in page
    assert 'href="tel:181"' not in page


def test_the_footer_saved_shows_in_its_language(client):
    html(client, "/hi/search/")
    footer = FooterText.objects.get(locale__language_code="hi")
    footer.body = "<p>नया पाठ</p>"
    footer.save()
    assert "नया पाठ" in html(client, "/hi/search/")
    assert "नया पाठ" not in html(client, "/search/")


def test_a_centre_changed_shows_on_its_page(client):
    lucknow_page = english(CentreIndexPage).get_children().live().specific().first()
    centre = lucknow_page.centre
    html(client, lucknow_page.url)
    centre.district_hi = centre.district = "Lucknow Cantonment"
    centre.save()
    assert "Lucknow Cantonment" in html(client, lucknow_page.url)


def in_paying_work(page):
    """The home page's impact block: what it says of the women in paying work."""
    match = re.search(r"in paying work on .*?</dt>\s*<dd>(.*?)</dd>", page, re.S)
    return match.group(1)


def in_work_since_three_days(woman):
    placement_services.record_outcome(
        job_of(
            woman,
            timezone.localdate() - datetime.timedelta(days=3),
            employer="Tailoring unit",
            title="Tailor",
        )
    )


def test_an_outcome_recorded_changes_the_impact_figures(client):
    (woman, *_others) = certified_trainees(6)
    home = english(HomePage)
    assert in_paying_work(html(client, home.url)) == "0"
    in_work_since_three_days(woman)
    assert "fewer than 5" in in_paying_work(html(client, home.url))


def language_link(page, code):
    return re.search(rf'<a href="([^"]*)" hreflang="{code}"', page).group(1)


def test_a_kept_header_names_nothing_from_the_first_visitors_request(client):
    """The top of a page is kept per page and language: a language link drawn from the request of the
    visitor who filled it (its query string) would be shown to every visitor after her."""
    item = NewsPageFactory(parent=english(NewsIndexPage), slug="english-only")
    Page.objects.filter(translation_key=item.translation_key).exclude(pk=item.pk).delete()
    html(client, "/news/english-only/?junk=1")
    page = html(client, "/news/english-only/")
    assert "junk" not in page
    assert language_link(page, "hi") == "/hi/"
    assert language_link(page, "en") == "/news/english-only/"


def test_the_impact_blocks_list_of_centres_follows_the_centres_not_the_tracker(django_assert_num_queries):
    """Wagtail reads the block's choices to load every page that has one: kept until a centre changes."""
    before = public_figures.centre_choices()
    (woman, *_others) = certified_trainees(1)
    in_work_since_three_days(woman)
    with django_assert_num_queries(0):
        assert public_figures.centre_choices() == before
    CentreFactory(slug="sitapur", name="Sakhi Centre, Sitapur")
    assert ("sitapur", "Sakhi Centre, Sitapur") in public_figures.centre_choices()
