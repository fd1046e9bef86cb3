"""A coordinator's working pages through the test client: lists open the working page, trainees
are chosen by a search in the database a page at a time (query count flat as trainees grow), and
a trainee's page is her whole record."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skills.models import Centre, Cohort, Trainee
from tests.conftest import rolled_back_afterwards
from tests.factories import CentreFactory
from tests.skills.builders import centre_with_history, coordinator_of, state_officer

ENROLLED_NOWHERE = 30  # more than one page of the enrol page


@pytest.fixture(scope="module")
def pagepur(django_db_setup, django_db_blocker):
    """The primary keys of the module's rows: a centre with a short history and its coordinator,
    another centre, and a state officer."""
    with rolled_back_afterwards(django_db_blocker):
        history = centre_with_history("Pagepur", spare=ENROLLED_NOWHERE)
        yield {
            "centre": history.centre.pk,
            "running": history.running.pk,
            "other_centre": CentreFactory(name="Elsewhere Centre", district="Elsewhere").pk,
            "coordinator": coordinator_of(history.centre, username="pages.coordinator").pk,
            "officer": state_officer("pages.officer").pk,
        }


@pytest.fixture
def centre(db, pagepur):
    return Centre.objects.get(pk=pagepur["centre"])


@pytest.fixture
def other_centre(db, pagepur):
    return Centre.objects.get(pk=pagepur["other_centre"])


@pytest.fixture
def cohort(db, pagepur):
    """The centre's running cohort."""
    return Cohort.objects.get(pk=pagepur["running"])


@pytest.fixture
def coordinator(client, db, pagepur, django_user_model):
    user = django_user_model.objects.get(pk=pagepur["coordinator"])
    client.force_login(user)
    return user


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_trainees(centre, count, name="Added"):
    return Trainee.objects.bulk_create(
        Trainee(
            centre=centre,
            full_name=f"{name} {n}",
            register_number=f"{name[:3].upper()}-{n:05d}",
            date_of_birth=datetime.date(1990, 1, 1) + datetime.timedelta(days=n),
            consent_share_with_employers=True,
        )
        for n in range(count)
    )


@pytest.mark.parametrize(
    ("list_url", "inspect_prefix"),
    [
        ("/admin/skills_cohort/", "/admin/skills_cohort/inspect/"),
        ("/admin/skills_trainee/", "/admin/skills_trainee/inspect/"),
        ("/admin/placements_vacancy/", "/admin/placements_vacancy/inspect/"),
        ("/admin/placements_nomination/", "/admin/placements_nomination/inspect/"),
    ],
)
def test_the_title_in_a_list_opens_the_working_page(client, coordinator, list_url, inspect_prefix):
    html = client.get(list_url).content.decode()
    titles = re.findall(r'<td class="[^"]*title">\s*<div class="title-wrapper">\s*<a href="([^"]+)"', html)
    assert titles, list_url
    assert all(url.startswith(inspect_prefix) for url in titles), titles[:3]


def test_the_working_page_has_edit_as_a_button(client, coordinator, cohort):
    html = client.get(f"/admin/skills_cohort/inspect/{cohort.pk}/").content.decode()
    edit = reverse("skills_cohort:edit", args=[cohort.pk])
    # A visible header button, not an item of the "…" drop-down.
    assert re.search(rf'<a href="{edit}" class="w-header-button button"', html)


def test_enrol_page_lists_a_page_of_women_with_what_tells_them_apart(client, coordinator, cohort):
    centre = cohort.centre
    twins = add_trainees(centre, 3, name="Anita Devi Twin")
    url = reverse("skills_cohort:bulk_enrol", args=[cohort.pk])
    assert Trainee.objects.filter(centre=centre).exclude(enrolments__cohort=cohort).count() > 25

    html = client.get(url).content.decode()
    assert html.count('name="trainees"') == 25  # one page, not a checkbox for every woman
    html = client.get(url, {"q": "anita devi twin"}).content.decode()
    assert html.count('name="trainees"') == 3
    for twin in twins:
        assert twin.register_number in html
    assert "Register number" in html and "Last course" in html and "Age" in html

    response = client.post(
        f"{url}?q=anita+devi+twin", {"trainees": [twins[1].pk], "enrolled_on": cohort.start_date.isoformat()}
    )
    assert response.status_code == 302
    assert list(cohort.enrolments.filter(trainee__in=twins).values_list("trainee", flat=True)) == [
        twins[1].pk
    ]


def test_enrol_page_refuses_a_trainee_of_another_centre(client, coordinator, cohort, other_centre):
    (other,) = add_trainees(other_centre, 1, name="Elsewhere")
    response = client.post(
        reverse("skills_cohort:bulk_enrol", args=[cohort.pk]),
        {"trainees": [other.pk], "enrolled_on": cohort.start_date.isoformat()},
    )
    assert response.status_code == 200
    assert not cohort.enrolments.filter(trainee=other).exists()


def test_enrol_page_and_chooser_query_counts_stay_flat(client, coordinator, cohort):
    urls = [
        reverse("skills_cohort:bulk_enrol", args=[cohort.pk]),
        reverse("skills_cohort:bulk_enrol", args=[cohort.pk]) + "?q=devi",
        reverse("skills_trainee_chooser:choose") + "?q=devi",
        reverse("skills_trainee_chooser:choose_results") + "?q=a&p=2",
        reverse("placements_nominee_chooser:choose"),
    ]
    add_trainees(cohort.centre, 3, name="Few Devi")  # each search finds a few women, then 2,003
    before = [queries_for(client, url) for url in urls]
    add_trainees(cohort.centre, 2000, name="Devi Grown")
    after = [queries_for(client, url) for url in urls]
    assert after == before


def test_trainee_chooser_searches_and_shows_only_her_centres(client, coordinator, centre, other_centre):
    (mine,) = add_trainees(centre, 1, name="Chooser Mine")
    (other,) = add_trainees(other_centre, 1, name="Chooser Other")
    response = client.get(reverse("skills_trainee_chooser:choose"), {"q": "chooser"})
    html = response.json()["html"]
    assert "Chooser Mine 0" in html and mine.register_number in html
    assert "Chooser Other" not in html
    assert client.get(reverse("skills_trainee_chooser:chosen", args=[other.pk])).status_code == 404
    chosen = client.get(reverse("skills_trainee_chooser:chosen", args=[mine.pk])).json()
    assert chosen["result"]["id"] == str(mine.pk)


def test_nominee_chooser_offers_only_consenting_adults(client, coordinator, centre):
    adult, no_consent, minor = add_trainees(centre, 3, name="Nominee Check")
    Trainee.objects.filter(pk=no_consent.pk).update(consent_share_with_employers=False)
    Trainee.objects.filter(pk=minor.pk).update(
        date_of_birth=datetime.date.today() - datetime.timedelta(days=365 * 16)
    )
    html = client.get(reverse("placements_nominee_chooser:choose"), {"q": "nominee check"}).json()["html"]
    assert adult.register_number in html
    assert no_consent.register_number not in html
    assert minor.register_number not in html
    assert client.get(reverse("placements_nominee_chooser:chosen", args=[minor.pk])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/placements_nomination/new/",
        "/admin/placements_selfemployment/new/",
        "/admin/placements_placement/new/",
        "/admin/skills_enrolment/new/",
    ],
)
def test_trainee_fields_are_choosers_not_drop_downs_of_every_name(client, coordinator, url):
    html = client.get(url).content.decode()
    select = re.search(r'<select[^>]+name="trainee".*?</select>', html, re.S)
    assert select is None, "the trainee field is a drop-down of every name"
    assert 'name="trainee"' in html
    assert "Choose a trainee" in html


def give_her_a_history(trainee, jobs):
    """Enrolments with attendance, a certificate, jobs with follow-ups, a business, a nomination."""
    from placements import services as placement_services
    from placements.models import Nomination, Placement, SelfEmployment, Vacancy
    from skills import services
    from skills.models import Cohort, CohortSession, Course

    course = Course.objects.get(trade__slug="retail-marketing")
    for n in range(jobs):
        cohort = Cohort.objects.create(
            course=course,
            centre=trainee.centre,
            start_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=100 * n),
            end_date=datetime.date(2025, 2, 1) + datetime.timedelta(days=100 * n),
            capacity=5,
            status=Cohort.Status.RUNNING,
        )
        (enrolment,) = services.enrol([trainee], cohort, on=cohort.start_date)
        session = CohortSession.objects.create(cohort=cohort, date=cohort.start_date)
        services.record_attendance(session, [enrolment.pk])
        placement_services.record_outcome(
            Placement(
                trainee=trainee,
                employer_name=f"Shop {n}",
                job_title=f"Sales assistant {n}",
                monthly_pay=9000 + n,
                start_date=cohort.end_date,
            )
        )
        placement_services.record_outcome(
            SelfEmployment(
                trainee=trainee, kind=f"Tailoring shop {n}", monthly_income=5000, start_date=cohort.end_date
            )
        )
    vacancy = Vacancy.objects.published().first()
    Nomination.objects.get_or_create(trainee=trainee, vacancy=vacancy)


def test_her_page_is_her_whole_record_with_the_next_actions(client, coordinator, centre):
    from skills.models import TrackerLogEntry

    (trainee,) = add_trainees(centre, 1, name="Record Whole")
    give_her_a_history(trainee, jobs=1)
    url = f"/admin/skills_trainee/inspect/{trainee.pk}/"
    logged = TrackerLogEntry.objects.filter(action="sakhi.view").count()

    html = client.get(url).content.decode()
    for heading in ("Enrolments", "Nominations", "Jobs", "Self-employment"):
        assert f">{heading}</h2>" in html, heading
    assert "Sales assistant 0" in html and "Tailoring shop 0" in html
    assert "100% (1/1)" in html  # attendance of her enrolment
    assert "3 months" in html and "Record follow-up" in html  # follow-ups due, recordable
    assert "shares profile with employers" in html.lower()  # her consents
    assert f"/admin/skills_enrolment/new/?trainee={trainee.pk}" in html
    assert f"/admin/placements_nomination/new/?trainee={trainee.pk}" in html
    assert f"/admin/placements_placement/new/?trainee={trainee.pk}" in html
    assert f"/admin/placements_selfemployment/new/?trainee={trainee.pk}" in html
    assert TrackerLogEntry.objects.filter(action="sakhi.view").count() == logged + 1  # still audited

    # The action opens the form with her chosen.
    form = client.get(f"/admin/placements_nomination/new/?trainee={trainee.pk}").content.decode()
    assert re.search(rf'name="trainee" value="{trainee.pk}"', form)


def test_her_record_query_count_stays_flat(client, coordinator, centre):
    short, long = add_trainees(centre, 2, name="Record Flat")
    give_her_a_history(short, jobs=1)
    give_her_a_history(long, jobs=4)
    assert queries_for(client, f"/admin/skills_trainee/inspect/{long.pk}/") == queries_for(
        client, f"/admin/skills_trainee/inspect/{short.pk}/"
    )


def test_a_state_officer_reads_her_record_without_actions(client, pagepur, centre, django_user_model):
    client.force_login(django_user_model.objects.get(pk=pagepur["officer"]))
    (trainee,) = add_trainees(centre, 1, name="Record Officer")
    give_her_a_history(trainee, jobs=1)
    html = client.get(f"/admin/skills_trainee/inspect/{trainee.pk}/").content.decode()
    assert "Sales assistant 0" in html
    assert "?trainee=" not in html and "Record follow-up" not in html and "Record completion" not in html


def test_an_action_link_does_not_choose_another_centres_trainee(client, coordinator, other_centre):
    (other,) = add_trainees(other_centre, 1, name="Other Centre")
    form = client.get(f"/admin/placements_placement/new/?trainee={other.pk}").content.decode()
    assert "Other Centre" not in form
