"""The coordinator's main admin lists keep a flat query count as records grow, and the demo
history tells the Lucknow story of DESIGN.md."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext

from skills import services
from skills.demo_tracker import trained_count
from skills.models import Centre, Cohort, CohortSession, Course, Enrolment, Trainee
from website.demo.users import seed_users


@pytest.fixture
def coordinator(client, demo_site, django_user_model):
    seed_users()
    user = django_user_model.objects.get(username="coordinator")
    client.force_login(user)
    return user


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


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
def test_admin_lists_are_flat(client, coordinator, url):
    lucknow = Centre.objects.get(slug="lucknow")
    before = queries_for(client, url)
    add_records(lucknow, 25)
    assert queries_for(client, url) == before


def test_cohort_register_and_attendance_screen_are_flat(client, coordinator):
    lucknow = Centre.objects.get(slug="lucknow")
    add_records(lucknow, 5)
    cohort = Cohort.objects.filter(centre=lucknow, status="running").latest("pk")
    session = cohort.sessions.get()
    inspect = f"/admin/skills_cohort/inspect/{cohort.pk}/"
    register = f"/admin/skills_cohortsession/{session.pk}/attendance/"
    small = queries_for(client, inspect), queries_for(client, register)
    more = [
        Trainee.objects.create(
            centre=lucknow, full_name=f"Late {n}", date_of_birth=datetime.date(1992, 3, 1 + n)
        )
        for n in range(20)
    ]
    Cohort.objects.filter(pk=cohort.pk).update(capacity=40)
    services.enrol(more, cohort, on=datetime.date(2026, 1, 25))
    assert (queries_for(client, inspect), queries_for(client, register)) == small


def test_attendance_list_column_shows_percentages(client, coordinator):
    body = client.get("/admin/skills_enrolment/?status=completed&year=2024").content.decode()
    assert re.search(r">\s*\d{1,3}%\s*<", body), "an attendance percentage in a list cell"


def test_lucknow_history_matches_its_public_figures(demo_site):
    lucknow = Centre.objects.get(slug="lucknow")
    assert trained_count(lucknow) == 1142
    completions_2024 = dict(
        Enrolment.objects.filter(cohort__centre=lucknow)
        .completed_in(2024)
        .values_list("cohort__course__trade__slug")
        .annotate(n=Count("trainee", distinct=True))
    )
    assert completions_2024 == {"tailoring": 60, "jute-handiwork": 30, "retail-marketing": 20}
    under_way_2024 = set(
        Cohort.objects.filter(centre=lucknow, start_date__year=2024, end_date__year=2025).values_list(
            "course__trade__slug", flat=True
        )
    )
    assert under_way_2024 == {
        "tailoring",
        "beauty-and-wellness",
        "tie-and-dye",
        "hotel-management",
        "food-processing",
    }
    # A woman who completed two courses is one woman trained.
    repeaters = (
        Trainee.objects.filter(centre=lucknow)
        .annotate(n=Count("enrolments", filter=Q(enrolments__status="completed")))
        .filter(n__gt=1)
    )
    assert repeaters.exists()


def test_every_cohort_seat_count_matches_its_enrolments(demo_site):
    mismatched = (
        Cohort.objects.annotate(holding=Count("enrolments", filter=~Q(enrolments__status="dropped")))
        .exclude(seats_taken=F("holding"))
        .count()
    )
    assert mismatched == 0
