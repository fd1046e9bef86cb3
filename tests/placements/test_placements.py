"""Nominations need consent and adulthood; withdrawing consent hides her at once; a hire becomes
a placement; follow-ups are scheduled at 3, 6 and 12 months; vacancies close by themselves."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from placements import services
from placements.demo import EMPLOYERS, seed_employers
from placements.models import Employer, FollowUp, Nomination, Placement, SelfEmployment, Vacancy, months_after
from skills.models import Centre, Trainee
from website.demo.users import seed_users

from .builders import Women, build_history


@pytest.fixture
def people(db, django_user_model):
    seed_users()
    return {
        name: django_user_model.objects.get(username=name)
        for name in ("coordinator", "coordinator.patna", "officer")
    }


@pytest.fixture
def employer(db):
    return Employer.objects.create(
        organisation="Test Tailors", sector="Apparel", district="Lucknow", contact_person="Ravi",
        email="ravi@test-tailors.example", phone="0522-1", status=Employer.Status.APPROVED,
    )  # fmt: skip


@pytest.fixture
def vacancy(employer):
    return Vacancy.objects.create(
        employer=employer, title="Tailor", description="Stitching", district="Lucknow", pay_min=9000, pay_max=11000,
        closing_date=timezone.localdate() + datetime.timedelta(days=10), status=Vacancy.Status.PUBLISHED,
    )  # fmt: skip


def lucknow_trainee(consents=True, age=25):
    born = timezone.localdate().replace(year=timezone.localdate().year - age) - datetime.timedelta(days=1)
    return Trainee.objects.create(
        centre=Centre.objects.get(slug="lucknow"),
        full_name="Kiran Maurya",
        date_of_birth=born,
        consent_share_with_employers=consents,
        guardian_consent_basis="Mother, in person" if age < 18 else "",
    )


def test_nomination_needs_consent_adulthood_own_centre_and_an_open_vacancy(people, vacancy):
    coordinator = people["coordinator"]
    with pytest.raises(ValidationError, match="has not agreed"):
        services.nominate(lucknow_trainee(consents=False), vacancy, user=coordinator)
    with pytest.raises(ValidationError, match="under 18"):
        services.nominate(lucknow_trainee(age=17), vacancy, user=coordinator)
    with pytest.raises(ValidationError, match="not a trainee of your centres"):
        services.nominate(lucknow_trainee(), vacancy, user=people["coordinator.patna"])
    Vacancy.objects.filter(pk=vacancy.pk).update(
        closing_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    vacancy.refresh_from_db()
    with pytest.raises(ValidationError, match="not open"):
        services.nominate(lucknow_trainee(), vacancy, user=coordinator)
    assert not Nomination.objects.filter(vacancy=vacancy).exists()


def test_withdrawing_consent_hides_her_from_the_employer_at_once(people, vacancy, employer):
    trainee = lucknow_trainee()
    nomination = services.nominate(trainee, vacancy, user=people["coordinator"])
    assert list(Nomination.objects.visible_to_employer(employer)) == [nomination]
    Trainee.objects.filter(pk=trainee.pk).update(consent_share_with_employers=False)
    assert not Nomination.objects.visible_to_employer(employer).exists()
    with pytest.raises(PermissionDenied):
        services.update_nomination_by_employer(nomination, Nomination.Status.INTERVIEW, employer=employer)


def test_employer_cannot_touch_another_employers_nomination(people, vacancy):
    other = Employer.objects.create(
        organisation="Other", sector="Retail", district="Patna", contact_person="X", email="x@other.example",
        phone="1", status=Employer.Status.APPROVED,
    )  # fmt: skip
    nomination = services.nominate(lucknow_trainee(), vacancy, user=people["coordinator"])
    with pytest.raises(PermissionDenied):
        services.update_nomination_by_employer(nomination, Nomination.Status.HIRED, employer=other)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOMINATED


def test_hired_proposes_a_placement_that_the_coordinator_confirms(client, people, vacancy, employer):
    nomination = services.nominate(lucknow_trainee(), vacancy, user=people["coordinator"])
    services.update_nomination_by_employer(nomination, Nomination.Status.HIRED, employer=employer)
    client.force_login(people["coordinator"])
    url = reverse("placements_nomination:confirm_hire", args=[nomination.pk])
    form = client.get(url).context["form"]
    assert (form.initial["job_title"], form.initial["monthly_pay"], form.initial["employer"]) == (
        "Tailor",
        9000,
        employer.pk,
    )
    start = timezone.localdate()
    response = client.post(
        url,
        {
            "employer": employer.pk,
            "employer_name": "",
            "job_title": "Tailor",
            "monthly_pay": "9500",
            "start_date": start.isoformat(),
            "end_date": "",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(nomination=nomination)
    assert placement.trainee == nomination.trainee and placement.monthly_pay == 9500
    assert sorted(placement.follow_ups.values_list("months", "due_on")) == [
        (3, months_after(start, 3)),
        (6, months_after(start, 6)),
        (12, months_after(start, 12)),
    ]
    client.force_login(people["coordinator.patna"])
    assert client.get(url).status_code == 404


def test_months_after_keeps_the_end_of_short_months():
    assert months_after(datetime.date(2024, 11, 30), 3) == datetime.date(2025, 2, 28)
    assert months_after(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert months_after(datetime.date(2024, 6, 15), 12) == datetime.date(2025, 6, 15)


def test_follow_up_screen_shows_safety_first_and_hides_the_call_when_she_must_not_be_contacted(
    client, people
):
    trainee = lucknow_trainee()
    trainee.safe_phone, trainee.safe_time_to_call = "9000000001", "after 2 pm"
    trainee.save()
    business = services.record_outcome(
        SelfEmployment(
            trainee=trainee, kind="Tailoring", monthly_income=6000, start_date=timezone.localdate()
        )
    )
    follow_up = business.follow_ups.get(months=3)
    client.force_login(people["coordinator"])
    url = reverse("placements_followup:record", args=[follow_up.pk])
    body = client.get(url).content.decode()
    assert body.index("Before you contact her") < body.index("Result")
    assert 'href="tel:9000000001"' in body and "after 2 pm" in body

    Trainee.objects.filter(pk=trainee.pk).update(do_not_contact=True)
    body = client.get(url).content.decode()
    assert (
        "Do not contact her." in body
        and "tel:" not in body.split("Before you contact her")[1].split("</section>")[0]
    )

    response = client.post(
        url,
        {"result": "still_working", "monthly_income": "6500", "done_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.result == FollowUp.Result.STILL_WORKING and follow_up.monthly_income == 6500


def test_admin_home_lists_this_weeks_follow_ups_for_the_coordinators_centres(client, people):
    trainee = lucknow_trainee()
    business = services.record_outcome(
        SelfEmployment(
            trainee=trainee,
            kind="Pickles",
            monthly_income=5000,
            start_date=months_after(timezone.localdate(), -3),
        )
    )
    assert business.follow_ups.get(months=3).due_on <= timezone.localdate()
    client.force_login(people["coordinator"])
    assert "Kiran Maurya" in client.get("/admin/").content.decode()
    client.force_login(people["coordinator.patna"])
    assert "Kiran Maurya" not in client.get("/admin/").content.decode()


def test_vacancies_close_on_their_closing_date_without_anyone_acting(vacancy):
    assert vacancy in Vacancy.objects.published()
    after = vacancy.closing_date + datetime.timedelta(days=1)
    assert vacancy not in Vacancy.objects.published(today=after)
    Vacancy.objects.filter(pk=vacancy.pk).update(
        closing_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    vacancy.refresh_from_db()
    assert not vacancy.is_open and vacancy.effective_status == Vacancy.Status.CLOSED


def test_coordinator_publishes_or_rejects_with_a_reason(client, people, employer):
    submitted = Vacancy.objects.create(
        employer=employer, title="Packer", description="Packing", district="Lucknow", pay_min=8000, pay_max=9000,
        closing_date=timezone.localdate() + datetime.timedelta(days=5), status=Vacancy.Status.SUBMITTED,
    )  # fmt: skip
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("placements_vacancy:reject", args=[submitted.pk]), {"rejection_reason": ""}
    )
    assert response.status_code == 200 and response.context["form"].errors
    client.post(
        reverse("placements_vacancy:reject", args=[submitted.pk]),
        {"rejection_reason": "Pay is below minimum wage."},
    )
    submitted.refresh_from_db()
    assert (
        submitted.status == Vacancy.Status.REJECTED
        and submitted.rejection_reason == "Pay is below minimum wage."
    )
    services.submit_vacancy(submitted)
    client.post(reverse("placements_vacancy:publish", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == Vacancy.Status.PUBLISHED

    client.force_login(people["officer"])
    other = Vacancy.objects.create(
        employer=employer, title="Helper", description="Help", district="Lucknow", pay_min=8000, pay_max=9000,
        closing_date=timezone.localdate() + datetime.timedelta(days=5), status=Vacancy.Status.SUBMITTED,
    )  # fmt: skip
    client.post(reverse("placements_vacancy:publish", args=[other.pk]))
    other.refresh_from_db()
    assert other.status == Vacancy.Status.SUBMITTED


def test_suspended_employers_vacancies_cannot_be_published(people, employer):
    vacancy = Vacancy.objects.create(
        employer=employer, title="Cook", description="Cooking", district="Lucknow", pay_min=8000, pay_max=9000,
        closing_date=timezone.localdate() + datetime.timedelta(days=5), status=Vacancy.Status.SUBMITTED,
    )  # fmt: skip
    services.review_employer(employer, Employer.Status.SUSPENDED, user=people["coordinator"])
    with pytest.raises(ValidationError, match="Approve the employer"):
        services.publish_vacancy(vacancy, user=people["coordinator"])


def test_the_demo_employers_bring_vacancies_in_every_status_and_nominations_once(db):
    """Seeded where employers exist already (the baseline's, or an earlier seeding), the demo's
    employers still nominate recent consenting completers, and a second seeding adds nothing."""
    finished = timezone.localdate() - datetime.timedelta(days=10)
    lucknow = Centre.objects.get(slug="lucknow")
    build_history(lucknow, [Women(8, (("tailoring", finished),), shares_profile=True)])
    seed_employers(timezone.localdate())
    demo_employers = Employer.objects.filter(organisation__in=[row[0] for row in EMPLOYERS])
    demo_vacancies = Vacancy.objects.filter(employer__in=demo_employers)
    assert set(demo_employers.values_list("status", flat=True)) == set(Employer.Status.values)
    assert set(demo_vacancies.values_list("status", flat=True)) == set(Vacancy.Status.values)
    statuses = Nomination.objects.filter(vacancy__in=demo_vacancies).values_list("status", flat=True)
    assert len(set(statuses)) >= 5

    counts = [model.objects.count() for model in (Employer, Vacancy, Nomination)]
    seed_employers(timezone.localdate())
    assert [model.objects.count() for model in (Employer, Vacancy, Nomination)] == counts


def test_evidence_is_private_and_downloaded_only_by_staff_of_her_centre(client, people):
    from django.core.files.base import ContentFile

    trainee = lucknow_trainee()
    placement = services.record_outcome(
        Placement(
            trainee=trainee,
            employer_name="Shop",
            job_title="Helper",
            monthly_pay=9000,
            start_date=timezone.localdate(),
        )
    )
    placement.evidence.save("offer-letter.pdf", ContentFile(b"%PDF-1.4 offer"), save=True)
    assert placement.evidence.storage is not None
    with pytest.raises(ValueError):
        placement.evidence.url  # noqa: B018 - private storage has no public URL
    url = reverse("placements_placement:evidence_download", args=[placement.pk])
    client.force_login(people["coordinator"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 offer"
    client.force_login(people["coordinator.patna"])
    assert client.get(url).status_code == 404
