"""A CDN or caching proxy in front is purged as the page cache is (wagtail.contrib.frontend_cache):
the same URLs, in both languages, index pages included; and what it may keep is said in
Cache-Control."""

import datetime
import http.server
import threading
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends import BaseBackend

from placements import services as placement_services
from placements.filters import on_the_board
from placements.models import Placement
from skills import services as skill_services
from tests.factories import TraineeFactory, certified_trainees
from tests.website.test_production_settings import production_settings as read_production_settings
from website import page_cache
from website.models import CentrePage, CoursePage, NewsPage

pytestmark = pytest.mark.django_db


class RecordingBackend(BaseBackend):
    """A frontend cache that only notes the URLs it is asked to purge."""

    purged = []

    def purge(self, url):
        self.purged.append(url)


@pytest.fixture
def purged(settings, django_capture_on_commit_callbacks):
    """The paths the CDN is asked to purge by what runs in the block (on commit, as in production)."""
    settings.WAGTAILFRONTENDCACHE = {"recording": {"BACKEND": f"{__name__}.RecordingBackend"}}
    RecordingBackend.purged = []
    # Changes an earlier test made in a transaction it rolled back are still pending in this thread
    # (production purges them with the next commit): start from none, to see only this test's.
    page_cache.pending.changes = set()
    paths = set()

    class Recording:
        def __enter__(self):
            self.commit = django_capture_on_commit_callbacks(execute=True)
            self.commit.__enter__()
            return paths

        def __exit__(self, *exc):
            self.commit.__exit__(*exc)
            paths.update(urlsplit(url).path for url in RecordingBackend.purged)

    return Recording()


def english(model):
    return model.objects.live().filter(locale__language_code="en")


def test_a_publish_purges_the_page_its_lists_and_their_feeds_in_both_languages(purged):
    news = english(NewsPage).first()
    hindi = news.get_translations().get()
    with purged as paths:
        news.save_revision().publish()

    assert {news.url, hindi.url, "/news/", "/hi/news/", "/news/feed/", "/hi/news/feed/", "/", "/hi/"} <= paths
    assert "/sitemap.xml" in paths
    assert "/courses/" not in paths  # precisely: a news item is not on the course finder
    assert all(url.startswith(("http://", "https://")) for url in RecordingBackend.purged)


def test_a_seat_taken_purges_the_course_finder_and_the_announcement(purged):
    course = next(page for page in english(CoursePage) if page.live_cohorts().exists())
    cohort = course.live_cohorts().first()
    with purged as paths:
        skill_services.enrol([TraineeFactory(centre=cohort.centre)], cohort)

    assert {"/courses/", "/hi/courses/", course.url, course.get_translations().get().url} <= paths
    assert "/news/" not in paths


def test_a_closed_vacancy_purges_the_board_its_feed_and_its_page(purged):
    vacancy = on_the_board().first()
    with purged as paths:
        placement_services.close_vacancy(vacancy)

    detail = f"/vacancies/{vacancy.pk}/"
    assert {
        "/vacancies/",
        "/hi/vacancies/",
        "/vacancies/feed/",
        "/hi/vacancies/feed/",
        detail,
        f"/hi{detail}",
    } <= paths


def test_a_new_placement_purges_the_pages_showing_impact_figures(purged):
    trainees = certified_trainees(5, centre_slug="leh")
    centre_page = english(CentrePage).get(centre__slug="leh")
    with purged as paths:
        placement_services.record_outcome(
            Placement(
                trainee=trainees[0],
                employer_name="Leh Handicrafts",
                job_title="Weaver",
                monthly_pay=8000,
                start_date=timezone.localdate() - datetime.timedelta(days=3),
            )
        )

    assert {centre_page.url, centre_page.get_translations().get().url} <= paths
    assert "/vacancies/" not in paths


def test_without_a_frontend_cache_nothing_is_sent(settings, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {}
    RecordingBackend.purged = []
    with django_capture_on_commit_callbacks(execute=True):
        english(NewsPage).first().save_revision().publish()

    assert RecordingBackend.purged == []


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    """Stands in for Varnish or nginx: answers PURGE requests and notes what they named."""

    received = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.received.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_an_http_purge_reaches_a_proxy_with_the_sites_host(settings, django_capture_on_commit_callbacks):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeRecorder.received = []
    settings.WAGTAILFRONTENDCACHE = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    try:
        vacancy = on_the_board().first()
        with django_capture_on_commit_callbacks(execute=True):
            placement_services.close_vacancy(vacancy)
    finally:
        server.shutdown()
        server.server_close()

    paths = {path for _host, path in PurgeRecorder.received}
    assert {"/vacancies/", "/hi/vacancies/", f"/vacancies/{vacancy.pk}/"} <= paths
    hosts = {host for host, _path in PurgeRecorder.received}
    assert len(hosts) == 1  # the site's own host name, as the proxy keys its pages


SHOW = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in
      ["WAGTAILFRONTENDCACHE", "SAKHI_PAGE_CACHE_SECONDS", "SAKHI_PUBLIC_PAGE_MAX_AGE", "MIDDLEWARE"]}))
"""


def production_settings(**environ):
    return read_production_settings(show=SHOW, **environ)


def test_production_configures_the_frontend_cache_from_the_environment():
    chosen = production_settings(
        SAKHI_FRONTEND_CACHE_PURGE_URL="http://127.0.0.1:6081",
        SAKHI_CLOUDFLARE_ZONE_ID="zone-1",
        SAKHI_CLOUDFLARE_API_TOKEN="token-1",
        SAKHI_PUBLIC_PAGE_MAX_AGE="600",
    )

    backends = chosen["WAGTAILFRONTENDCACHE"]
    assert backends["http"] == {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": "http://127.0.0.1:6081",
    }
    assert backends["cloudflare"]["ZONEID"] == "zone-1"
    assert backends["cloudflare"]["BEARER_TOKEN"] == "token-1"
    assert chosen["SAKHI_PUBLIC_PAGE_MAX_AGE"] == 600
    assert chosen["SAKHI_PAGE_CACHE_SECONDS"] == 300  # on in production unless turned off
    middleware = chosen["MIDDLEWARE"]
    assert middleware.index("website.middleware.PageCacheMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )


def test_production_without_a_frontend_cache_purges_only_its_own():
    assert production_settings()["WAGTAILFRONTENDCACHE"] == {}


def test_public_pages_say_a_cdn_may_keep_them_and_personal_ones_that_nobody_may(client, admin_client):
    public = client.get("/centres/")
    assert public["Cache-Control"].split(", ") == ["public", "max-age=0", "s-maxage=300"]

    for personal in (
        admin_client.get("/"),
        client.get("/employers/register/"),
        client.get("/search/?q=jute"),
    ):
        assert "no-store" in personal["Cache-Control"]
        assert "public" not in personal["Cache-Control"]


def test_a_purge_of_everything_still_names_the_vacancy_closed_with_it(purged):
    from skills.models import Centre

    vacancy = on_the_board().first()
    with purged as paths:
        Centre.objects.get(slug="lucknow").save()  # purges every public page
        placement_services.close_vacancy(vacancy)

    assert {"/", "/hi/", f"/vacancies/{vacancy.pk}/", f"/hi/vacancies/{vacancy.pk}/"} <= paths
