"""The coordinator's main admin lists keep a flat query count as records grow, and show what a
coordinator reads in them. Her centre is the module's own, with a short history built once."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext

from skills import services
from skills.models import Centre, Cohort, CohortSession, Course, Trainee
from tests.conftest import rolled_back_afterwards
from tests.skills.builders import centre_with_history, coordinator_of


@pytest.fixture(scope="module")
def listpur(django_db_setup, django_db_blocker):
    """The primary keys of the module's centre (with its history) and of its coordinator."""
    with rolled_back_afterwards(django_db_blocker):
        history = centre_with_history("Listpur")
        yield {
            "centre": history.centre.pk,
            "coordinator": coordinator_of(history.centre, username="lists.coordinator").pk,
        }


@pytest.fixture
def centre(db, listpur):
    return Centre.objects.get(pk=listpur["centre"])


@pytest.fixture
def coordinator(client, db, listpur, django_user_model):
    user = django_user_model.objects.get(pk=listpur["coordinator"])
    client.force_login(user)
    return user


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def listed_rows(client, url):
    listing = client.get(url).content.decode().partition('<table class="listing')[2]
    return listing.partition("<tbody")[2].partition("</tbody>")[0].count("<tr")


def add_records(centre, count):
    course = Course.objects.get(trade__slug="retail-marketing")
    cohort = Cohort.objects.create(
        course=course,
        centre=centre,
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2026, 4, 1),
        capacity=count,
        status=Cohort.Status.RUNNING,
    )
    trainees = [
        Trainee.objects.create(
            centre=centre,
            full_name=f"Added {n}",
            date_of_birth=datetime.date(1990, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(count)
    ]
    services.enrol(trainees, cohort, on=datetime.date(2026, 1, 20))
    session = CohortSession.objects.create(cohort=cohort, date=datetime.date(2026, 2, 2))
    services.record_attendance(session, [e.pk for e in cohort.enrolments.all()])


@pytest.mark.parametrize(
    "url",
    [
        "/admin/skills_trainee/",
        "/admin/skills_cohort/",
        "/admin/skills_enrolment/",
        "/admin/skills_cohortsession/",
        "/admin/skills_enrolment/?status=completed&year=2024",
    ],
)
def test_admin_lists_are_flat(client, coordinator, centre, url):
    assert listed_rows(client, url) > 0, "the count is taken on a list that shows her records"
    before = queries_for(client, url)
    add_records(centre, 25)
    assert queries_for(client, url) == before


def test_cohort_register_and_attendance_screen_are_flat(client, coordinator, centre):
    add_records(centre, 5)
    cohort = Cohort.objects.filter(centre=centre, status="running").latest("pk")
    session = cohort.sessions.get()
    inspect = f"/admin/skills_cohort/inspect/{cohort.pk}/"
    register = f"/admin/skills_cohortsession/{session.pk}/attendance/"
    small = queries_for(client, inspect), queries_for(client, register)
    more = [
        Trainee.objects.create(
            centre=centre, full_name=f"Late {n}", date_of_birth=datetime.date(1992, 3, 1 + n)
        )
        for n in range(20)
    ]
    Cohort.objects.filter(pk=cohort.pk).update(capacity=40)
    services.enrol(more, cohort, on=datetime.date(2026, 1, 25))
    assert (queries_for(client, inspect), queries_for(client, register)) == small


def test_attendance_list_column_shows_percentages(client, coordinator):
    body = client.get("/admin/skills_enrolment/?status=completed&year=2024").content.decode()
    assert re.search(r">\s*\d{1,3}%\s*<", body), "an attendance percentage in a list cell"


def test_every_cohort_seat_count_matches_its_enrolments(coordinator, centre):
    """Seats are counted by the services as women enrol and drop out: a dropout frees hers."""
    add_records(centre, 5)
    cohorts = Cohort.objects.filter(centre=centre).annotate(
        holding=Count("enrolments", filter=~Q(enrolments__status="dropped"))
    )
    assert cohorts.count() == 3
    assert cohorts.filter(enrolments__status="dropped").exists()
    assert not cohorts.exclude(seats_taken=F("holding")).exists()
