"""Friction a coordinator meets every day (issue 11, items 6 and 10): times in India time and a
dash for what is empty on every inspect view, the way back after a follow-up, the home centre
already chosen, counts written in the singular, one rule for a vacancy's status, one way to write pay."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import formats, timezone

from placements.models import Employer, EmployerAccount, FollowUp, Nomination, Placement, Vacancy
from skills import roles
from skills.models import Centre, Course, Trainee
from tests.factories import CohortFactory
from website.demo.users import seed_users


@pytest.fixture
def coordinator_client(db, client, django_user_model):
    seed_users()
    client.force_login(django_user_model.objects.get(username="coordinator"))
    return client


@pytest.fixture
def employer(db):
    return Employer.objects.create(
        organisation="Friction Tailors", sector="Apparel", district="Lucknow", contact_person="Ravi",
        email="ravi@friction-tailors.example", phone="0522-1", status=Employer.Status.APPROVED,
    )  # fmt: skip


def make_vacancy(employer, closing_in_days=10, status=Vacancy.Status.PUBLISHED, **fields):
    return Vacancy.objects.create(
        employer=employer, title=fields.pop("title", "Tailor"), description="Stitching", district="Lucknow",
        pay_min=fields.pop("pay_min", 9000), pay_max=fields.pop("pay_max", 11000),
        closing_date=timezone.localdate() + datetime.timedelta(days=closing_in_days), status=status, **fields,
    )  # fmt: skip


def lucknow_trainee():
    return Trainee.objects.create(
        centre=Centre.objects.get(slug="lucknow"),
        full_name="Kiran Maurya",
        date_of_birth=datetime.date(1996, 5, 1),
        consent_share_with_employers=True,
        consent_follow_up=True,
    )


# Item 6: times in India time; nothing reads "None".


def test_nomination_inspect_shows_the_time_in_india(coordinator_client, employer):
    # 07:19 UTC is 12:49 in India: the list said 12:49 p.m., the detail page 7:19 a.m.
    at = datetime.datetime(2026, 11, 20, 7, 19, tzinfo=datetime.UTC)
    nomination = Nomination.objects.create(
        trainee=lucknow_trainee(), vacancy=make_vacancy(employer), nominated_at=at
    )
    html = coordinator_client.get(
        reverse("placements_nomination:inspect", args=[nomination.pk])
    ).content.decode()
    in_india = formats.date_format(timezone.localtime(at), "DATETIME_FORMAT")
    in_utc = formats.date_format(timezone.make_naive(at, datetime.UTC), "DATETIME_FORMAT")
    assert in_india in html
    assert in_utc not in html


def test_an_empty_value_shows_a_dash_on_inspect_views(coordinator_client, employer):
    vacancy = make_vacancy(employer, status=Vacancy.Status.SUBMITTED, published_at=None)
    html = coordinator_client.get(reverse("placements_vacancy:inspect", args=[vacancy.pk])).content.decode()
    assert ">None<" not in html.replace(" ", "").replace("\n", "")
    assert "None" not in html.split("<dl>", 1)[1].split("</dl>", 1)[0]


def test_every_inspect_view_reads_none_nowhere(coordinator_client, employer):
    """The same rule for every tracker model: a placement with no end date, an open follow-up."""
    placement = Placement.objects.create(
        trainee=lucknow_trainee(), employer=employer, job_title="Tailor", monthly_pay=9000,
        start_date=datetime.date(2026, 6, 1),
    )  # fmt: skip
    follow_up = FollowUp.objects.create(placement=placement, months=3, due_on=datetime.date(2026, 9, 1))
    for url in (
        reverse("placements_placement:inspect", args=[placement.pk]),
        reverse("placements_followup:inspect", args=[follow_up.pk]),
        reverse("placements_employer:inspect", args=[employer.pk]),
    ):
        html = coordinator_client.get(url).content.decode()
        assert "None" not in html.split("<dl>", 1)[1].split("</dl>", 1)[0], url


# Item 10: the way back, the home centre, counts, a vacancy's status, pay.


def test_recording_a_follow_up_returns_to_the_due_list(coordinator_client, employer):
    placement = Placement.objects.create(
        trainee=lucknow_trainee(), employer=employer, job_title="Tailor", monthly_pay=9000,
        start_date=timezone.localdate() - datetime.timedelta(days=100),
    )  # fmt: skip
    follow_up = FollowUp.objects.create(placement=placement, months=3, due_on=timezone.localdate())
    response = coordinator_client.post(
        reverse("placements_followup:record", args=[follow_up.pk]),
        {"result": "still_working", "monthly_income": "9500", "done_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    # The dashboard holds the list of follow-ups due; the full list starts in 2016.
    assert response.url == reverse("wagtailadmin_home")
    follow_up.refresh_from_db()
    assert follow_up.done_on == timezone.localdate()


@pytest.mark.parametrize("add_url", ["skills_trainee:add", "skills_cohort:add"])
def test_a_coordinator_of_one_centre_finds_it_chosen(coordinator_client, add_url):
    html = coordinator_client.get(reverse(add_url)).content.decode()
    lucknow = Centre.objects.get(slug="lucknow")
    assert f'<option value="{lucknow.pk}" selected>' in html


def test_a_coordinator_of_two_centres_chooses_herself(client, db, django_user_model):
    seed_users()
    client.force_login(django_user_model.objects.get(username="coordinator.patna"))
    html = client.get(reverse("skills_trainee:add")).content.decode()
    centre_select = html.split('name="centre"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>' in centre_select


def test_one_trainee_enrolled_is_written_in_the_singular(coordinator_client):
    cohort = CohortFactory(
        centre=Centre.objects.get(slug="lucknow"), course=Course.objects.first(), capacity=5
    )
    trainee = lucknow_trainee()
    response = coordinator_client.post(
        reverse("skills_cohort:bulk_enrol", args=[cohort.pk]),
        {"trainees": [trainee.pk], "enrolled_on": timezone.localdate().isoformat()},
        follow=True,
    )
    html = response.content.decode()
    assert "1 trainee enrolled." in html
    assert "1 trainees" not in html


def employer_login(client, employer):
    user = get_user_model().objects.create_user(username=employer.email, email=employer.email)
    user.groups.add(Group.objects.get(name=roles.EMPLOYERS))
    EmployerAccount.objects.create(user=user, employer=employer, email_verified_at=timezone.now())
    client.force_login(user)
    return client


def test_an_expired_vacancy_reads_closed_in_the_admin_the_portal_and_the_board(
    coordinator_client, employer, client
):
    expired = make_vacancy(employer, closing_in_days=-1, title="Expired tailor")
    index = coordinator_client.get(reverse("placements_vacancy:index")).content.decode()
    row = index.split(f"/{expired.pk}/", 1)[1].split("</tr>", 1)[0]
    assert "Closed" in row and "Published" not in row
    inspect = coordinator_client.get(
        reverse("placements_vacancy:inspect", args=[expired.pk])
    ).content.decode()
    status = inspect.split("<dt>Status</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Closed" in status and "Published" not in status

    coordinator_client.logout()
    portal = employer_login(client, employer).get(reverse("employer_vacancy", args=[expired.pk]))
    assert "Status: Closed" in portal.content.decode()
    assert expired not in Vacancy.objects.published()
    assert Vacancy.objects.get(pk=expired.pk).effective_status == Vacancy.Status.CLOSED


def test_rupees_are_grouped_the_indian_way():
    from core.formats import indian_number, rupees
    from placements.public_figures import Figure

    assert [indian_number(n) for n in (0, 999, 1000, 99999, 100000, 1234567, 123456789)] == [
        "0", "999", "1,000", "99,999", "1,00,000", "12,34,567", "12,34,56,789",
    ]  # fmt: skip
    assert rupees(125000) == "₹1,25,000"
    assert Figure(1234567).display == "12,34,567"


def test_the_portal_and_the_board_write_pay_the_same_way(employer, client):
    vacancy = make_vacancy(employer, pay_min=10000, pay_max=112000)
    board = client.get(reverse("vacancy_detail", args=[vacancy.pk])).content.decode()
    portal = (
        employer_login(client, employer).get(reverse("employer_vacancy", args=[vacancy.pk])).content.decode()
    )
    for html in (board, portal):
        assert "₹10,000 to ₹1,12,000 a month" in html
