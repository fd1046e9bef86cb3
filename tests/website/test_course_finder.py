"""/courses/ lists open and upcoming cohorts from the tracker, with filters, in both languages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from skills.models import Centre, Cohort, Course
from website.models import CoursePage


def listed(response):
    return [cohort for cohort, _page in response.context["finder"]["cohorts"]]


@pytest.fixture
def open_cohorts(db):
    return Cohort.objects.upcoming_or_open()


def test_lists_every_open_or_planned_cohort_and_nothing_else(client, open_cohorts):
    response = client.get("/courses/")
    assert {c.pk for c in listed(response)} == set(open_cohorts.values_list("pk", flat=True))
    assert all(c.status in ("open", "planned") for c in listed(response))
    running = Cohort.objects.filter(status="running").first()
    assert running and running.pk not in {c.pk for c in listed(response)}


def test_filter_by_trade_district_and_month(client, open_cohorts):
    tailoring = client.get("/courses/", {"trade": "tailoring"})
    assert listed(tailoring) and all(c.course.trade.slug == "tailoring" for c in listed(tailoring))

    patna = client.get("/courses/", {"district": "Patna"})
    assert {c.centre.slug for c in listed(patna)} == {"patna-1", "patna-2"}

    first = open_cohorts.order_by("start_date").first()
    month = first.start_date.strftime("%Y-%m")
    by_month = listed(client.get("/courses/", {"month": month}))
    assert first in by_month
    assert all(c.start_date.strftime("%Y-%m") == month for c in by_month)


def test_bad_filter_values_show_an_error_not_a_crash(client, db):
    response = client.get("/courses/", {"month": "2019-13", "trade": "no-such-trade"})
    assert response.status_code == 200
    errors = response.context["finder"]["cohort_filter"].errors
    assert set(errors) == {"month", "trade"}
    assert 'role="alert"' in response.content.decode()


def test_seats_left_come_live_from_the_tracker(client, open_cohorts):
    cohort = open_cohorts.filter(centre__slug="buxar").first()
    Cohort.objects.filter(pk=cohort.pk).update(seats_taken=cohort.capacity - 3)
    body = client.get("/courses/", {"district": "Buxar"}).content.decode()
    assert '<td data-label="Seats left">3</td>' in body


def test_cohort_links_to_the_announcement_that_names_it(client, db):
    page = CoursePage.objects.get(slug="retail-marketing-patna-1", locale__language_code="en")
    cohort = page.cohorts.get()
    pairs = dict(client.get("/courses/").context["finder"]["cohorts"])
    assert pairs[cohort] == page
    hindi_pairs = dict(client.get("/hi/courses/").context["finder"]["cohorts"])
    assert hindi_pairs[cohort].locale.language_code == "hi"


def test_course_page_shows_its_live_cohorts(client, db):
    page = CoursePage.objects.get(slug="beauty-and-wellness-buxar", locale__language_code="en")
    cohort = page.cohorts.get()
    body = client.get(page.url).content.decode()
    assert f"{cohort.seats_left} seats left" in body


def test_hindi_course_finder_is_in_hindi(client, db):
    body = client.get("/hi/courses/").content.decode()
    assert "बक्सर" in body  # district in Hindi
    assert 'lang="hi"' in body


def test_query_count_is_flat_as_cohorts_grow(client, db):
    def count():
        client.get("/courses/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/courses/").status_code == 200
        return len(queries)

    before = count()
    course = Course.objects.get(trade__slug="food-processing")
    start = timezone.localdate() + datetime.timedelta(days=40)
    for centre in Centre.objects.all():
        for n in range(6):
            Cohort.objects.create(
                course=course,
                centre=centre,
                start_date=start + datetime.timedelta(days=n),
                end_date=start + datetime.timedelta(days=60 + n),
                capacity=20,
                status=Cohort.Status.OPEN,
            )
    assert count() == before
