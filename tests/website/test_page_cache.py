"""The page cache, through the test client with it on: public pages come from the cache for visitors
without a session, nothing personal is kept, and whatever changes what a page shows (a publish, a
seat taken, a vacancy closed, a new placement) is seen by the next anonymous visitor."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.utils import dateformat, timezone
from wagtail.models import Page, PageViewRestriction

from placements import services as placement_services
from placements.filters import on_the_board
from placements.models import Placement, Vacancy
from skills import services as skill_services
from skills.models import Cohort
from tests.factories import CohortFactory, TraineeFactory, certified_trainees
from website import page_cache
from website.models import CentrePage, CoursePage, FooterText, HomePage, NewsPage, StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.SAKHI_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's on-commit work (the purges) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def kept(client, path):
    """Visit a page twice, so that it is in the cache; return the second answer (a hit)."""
    first = client.get(path)
    assert first.status_code == 200, path
    assert first["X-Page-Cache"] in ("miss", "hit"), path
    second = client.get(path)
    assert second["X-Page-Cache"] == "hit", path
    return second


def english(model):
    return model.objects.live().filter(locale__language_code="en")


def test_a_public_page_comes_from_the_cache_without_a_query(client, page_cache_on, django_assert_num_queries):
    rendered = client.get("/news/")
    with django_assert_num_queries(0):
        served = client.get("/news/")

    assert served["X-Page-Cache"] == "hit"
    assert served.content == rendered.content
    assert served["Content-Type"] == rendered["Content-Type"]
    assert served["Cache-Control"] == rendered["Cache-Control"]
    assert "public" in served["Cache-Control"]
    assert "s-maxage=" in served["Cache-Control"]


def test_each_language_is_kept_apart(client, page_cache_on):
    home, hindi_home = kept(client, "/"), kept(client, "/hi/")

    assert home["Content-Language"] == "en"
    assert hindi_home["Content-Language"] == "hi"
    assert home.content != hindi_home.content


def test_a_kept_page_passes_the_same_content_security_policy(client, page_cache_on):
    fresh = client.get("/courses/")
    served = client.get("/courses/")

    assert served["X-Page-Cache"] == "hit"
    assert served["Content-Security-Policy"] == fresh["Content-Security-Policy"]
    assert "nonce-" not in served["Content-Security-Policy"]
    assert "'unsafe-inline'" not in served["Content-Security-Policy"]
    # No inline script a per-request nonce would have to allow: every script comes from the site.
    scripts = re.findall(rb"<script\b[^>]*>", served.content)
    assert scripts and all(b" src=" in script for script in scripts)


@pytest.mark.parametrize(
    "path",
    [
        "/employers/",
        "/employers/register/",
        "/certificates/verify/",
        "/hi/certificates/verify/",
        "/search/",
        "/search/?q=tailoring",
        "/courses/?trade=tailoring",
        "/news/?page=1",
    ],
)
def test_never_kept_the_portal_the_check_search_or_a_query(client, page_cache_on, path):
    client.get(path)
    again = client.get(path)

    assert again.get("X-Page-Cache") != "hit"
    assert "no-store" in again["Cache-Control"]
    assert "public" not in again["Cache-Control"]


def test_a_logged_in_visitor_is_never_served_nor_kept(client, page_cache_on, django_user_model):
    kept(client, "/")
    user = django_user_model.objects.create_user("editor-cache", password="irrelevant-pass-1")
    client.force_login(user)

    for _visit in range(2):
        answer = client.get("/")
        assert answer.get("X-Page-Cache") is None
        assert set(answer["Cache-Control"].split(", ")) == {"private", "no-store"}

    client.logout()
    assert client.get("/")["X-Page-Cache"] == "hit"  # what she was shown was not kept for others


def test_the_admin_is_never_kept(admin_client, page_cache_on):
    admin_client.get("/admin/")
    again = admin_client.get("/admin/")

    assert again.get("X-Page-Cache") is None
    assert "no-store" in again["Cache-Control"]


def test_an_answer_that_sets_a_cookie_is_not_kept(client, page_cache_on, committed):
    # A password-protected page: its form carries a CSRF token, so the answer sets the CSRF cookie.
    home = english(HomePage).get(depth=2)
    with committed():
        page = home.add_child(
            instance=StandardPage(
                title="Staff only", slug="staff-only", body='[{"type": "paragraph", "value": "x"}]'
            )
        )
        page.save_revision().publish()
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="secret-word")
    client.get("/staff-only/")
    again = client.get("/staff-only/")

    assert again.cookies
    assert again.get("X-Page-Cache") is None
    assert "no-store" in again["Cache-Control"]


def test_a_rendering_that_raced_with_a_purge_is_never_served(page_cache_on, client):
    missed, tokens = page_cache.lookup(cache, "/centres/")  # a rendering starts
    assert missed is None
    page_cache.forget_paths(cache, ["/centres/"])  # what it may have read is changed and purged meanwhile
    page_cache.store(cache, "/centres/", tokens, HttpResponse(b"read before the change"))  # then kept

    assert page_cache.lookup(cache, "/centres/")[0] is None
    assert b"read before the change" not in client.get("/centres/").content


def test_a_publish_is_seen_in_both_languages(client, page_cache_on, committed):
    news = english(NewsPage).order_by("-date", "-pk").first()
    hindi = news.get_translations().get().specific
    paths = [news.url, "/news/", "/", hindi.url, "/hi/news/", "/hi/", "/news/feed/"]
    for path in paths:
        kept(client, path)

    with committed():
        news.title = "Forty women finish tailoring"
        news.save_revision().publish()
        hindi.title = "चालीस महिलाओं ने सिलाई पूरी की"
        hindi.save_revision().publish()

    for path in paths[:3] + paths[-1:]:
        assert "Forty women finish tailoring" in client.get(path).content.decode(), path
    for path in paths[3:6]:
        assert "चालीस महिलाओं ने सिलाई पूरी की" in client.get(path).content.decode(), path


def test_an_unpublished_or_deleted_page_leaves_its_lists(client, page_cache_on, committed):
    first, second = english(NewsPage).order_by("-date", "-pk")[:2]
    for path in (first.url, second.url, "/news/", "/"):
        kept(client, path)

    with committed():
        first.unpublish()
    with committed():
        Page.objects.get(pk=second.pk).delete()

    assert client.get(first.url).status_code == 404
    assert client.get(second.url).status_code == 404
    for path in ("/news/", "/"):
        listing = client.get(path).content.decode()
        assert first.title not in listing
        assert second.title not in listing


def test_a_moved_page_leaves_its_old_address(client, page_cache_on, committed):
    home = english(HomePage).get(depth=2)
    body = '[{"type": "paragraph", "value": "<p>Text.</p>"}]'
    with committed():
        parent = home.add_child(instance=StandardPage(title="Help", slug="help", body=body))
        parent.save_revision().publish()
        child = home.add_child(instance=StandardPage(title="Legal aid", slug="legal-aid", body=body))
        child.save_revision().publish()
    kept(client, "/legal-aid/")

    with committed():
        Page.objects.get(pk=child.pk).move(Page.objects.get(pk=parent.pk), pos="last-child")

    moved = client.get("/legal-aid/")  # no longer the kept page: Wagtail's redirect to where it went
    assert moved.status_code == 301
    assert moved["Location"] == "/help/legal-aid/"
    assert client.get("/help/legal-aid/").status_code == 200


def test_a_seat_taken_and_new_dates_are_seen(client, page_cache_on, committed):
    course = (
        english(CoursePage).filter(cohorts__status=Cohort.Status.OPEN).first() or english(CoursePage).first()
    )
    cohort = course.live_cohorts().first()
    assert cohort is not None
    left = cohort.seats_left
    kept(client, course.url)
    kept(client, "/courses/")

    with committed():
        skill_services.enrol([TraineeFactory(centre=cohort.centre)], cohort)

    page = client.get(course.url)
    assert page["X-Page-Cache"] == "miss"
    assert f"{left - 1} seats left" in page.content.decode()
    finder = client.get("/courses/")
    assert finder["X-Page-Cache"] == "miss"
    assert f'data-label="Seats left">{left - 1}</td>' in finder.content.decode()

    kept(client, course.url)
    cohort.refresh_from_db()
    with committed():
        cohort.start_date = cohort.start_date + datetime.timedelta(days=3)
        cohort.end_date = cohort.end_date + datetime.timedelta(days=3)
        skill_services.save_cohort(cohort)
    assert dateformat.format(cohort.start_date, "j F Y") in client.get(course.url).content.decode()


def test_a_cohort_nobody_announces_still_refreshes_the_finder(client, page_cache_on, committed):
    kept(client, "/courses/")
    existing = Cohort.objects.first()
    with committed():
        CohortFactory(course=existing.course, centre=existing.centre, capacity=17)

    assert client.get("/courses/")["X-Page-Cache"] == "miss"


def test_a_vacancy_closed_by_the_daily_job_leaves_the_board(client, page_cache_on, committed):
    vacancy = on_the_board().first()
    detail = f"/vacancies/{vacancy.pk}/"
    for path in ("/vacancies/", "/hi/vacancies/", detail, f"/hi{detail}"):
        kept(client, path)
    assert vacancy.title in client.get("/vacancies/").content.decode()

    # Past its closing date without anyone acting: the board still shows it until the daily job.
    Vacancy.objects.filter(pk=vacancy.pk).update(
        closing_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    with committed():
        call_command("run_daily", stdout=io.StringIO())

    assert vacancy.title not in client.get("/vacancies/").content.decode()
    assert client.get(detail).status_code == 410
    assert client.get(f"/hi{detail}").status_code == 410


def test_a_vacancy_moderated_is_seen(client, page_cache_on, committed, django_user_model):
    vacancy = on_the_board().first()
    kept(client, "/vacancies/")
    with committed():
        vacancy.status = Vacancy.Status.SUBMITTED
        vacancy.save(update_fields=["status"])
    assert vacancy.title not in client.get("/vacancies/").content.decode()

    kept(client, "/vacancies/")
    coordinator = django_user_model.objects.create_user("coordinator-cache", password="irrelevant-pass-1")
    with committed():
        placement_services.publish_vacancy(vacancy, user=coordinator)
    assert vacancy.title in client.get("/vacancies/").content.decode()


def in_paying_work(page):
    found = re.search(r"in paying work on [^<]*</dt>\s*<dd>([^<]*)</dd>", page.content.decode())
    return found.group(1).strip()


def test_a_new_placement_moves_the_figures_on_the_next_visit(client, page_cache_on, committed):
    with committed():
        trainees = certified_trainees(6, centre_slug="buxar")
    centre_page = english(CentrePage).get(centre__slug="buxar")
    hindi_page = centre_page.get_translations().get()
    kept(client, centre_page.url)
    kept(client, hindi_page.url)
    assert in_paying_work(client.get(centre_page.url)) == "0"

    start = timezone.localdate() - datetime.timedelta(days=5)
    with committed():
        for trainee in trainees[:5]:
            placement_services.record_outcome(
                Placement(
                    trainee=trainee,
                    employer_name="Buxar Garments",
                    job_title="Tailor",
                    monthly_pay=9000,
                    start_date=start,
                )
            )

    assert in_paying_work(client.get(centre_page.url)) == "5"
    assert client.get(hindi_page.url)["X-Page-Cache"] == "miss"


def test_a_footer_change_is_seen_on_every_page(client, page_cache_on, committed):
    for path in ("/", "/news/", "/hi/centres/"):
        kept(client, path)
    with committed():
        for footer in FooterText.objects.all():
            footer.body = "<p>Run by the One Stop Centres, with new words.</p>"
            footer.save()

    for path in ("/", "/news/", "/hi/centres/"):
        assert "with new words" in client.get(path).content.decode(), path


def test_off_nothing_is_kept_but_public_pages_still_say_a_cdn_may_keep_them(client, settings):
    settings.SAKHI_PAGE_CACHE_SECONDS = 0
    client.get("/")
    again = client.get("/")

    assert again.get("X-Page-Cache") is None
    assert again["Cache-Control"] == f"public, max-age=0, s-maxage={settings.SAKHI_PUBLIC_PAGE_MAX_AGE}"
