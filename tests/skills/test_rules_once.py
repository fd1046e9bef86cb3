"""One place for each rule (issue I): what the admin's generic forms save or delete goes through the
service that knows what else the change touches (a cohort's seats, the audit trail, the outcome
summaries), so a change made in the admin keeps the same rules as one made on a tracker screen."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core import changes
from placements import services as placement_services
from placements.models import Placement, TrainedWoman, WorkSpell
from skills import services
from skills.models import Cohort, Course, Enrolment, TrackerLogEntry, Trade
from tests.factories import CentreFactory, CohortFactory, TraineeFactory
from tests.forms import form_data

ENROLLED_ON = datetime.date(2024, 1, 2)
COMPLETED_ON = datetime.date(2024, 3, 28)


@pytest.fixture
def centre(db):
    return CentreFactory(slug="rulespur", code="RUL", district="Rulespur", state="Testland")


@pytest.fixture
def superuser(client, django_user_model):
    user = django_user_model.objects.create_superuser("rules-admin", "rules@example.com", "x" * 12)
    client.force_login(user)
    return user


def cohort_of(centre, capacity):
    return CohortFactory(
        centre=centre,
        course=Course.objects.get(trade__slug="tailoring"),
        start_date=ENROLLED_ON,
        end_date=COMPLETED_ON,
        capacity=capacity,
        status=Cohort.Status.RUNNING,
    )


def log_entries(instance, action):
    return TrackerLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        action=action,
    )


def edit_in_admin(client, viewset, instance, **changed):
    url = reverse(f"{viewset}:edit", args=[instance.pk])
    data = form_data(client.get(url).context["form"])
    data.update({name: str(value) for name, value in changed.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors


def delete_in_admin(client, viewset, instance):
    response = client.post(reverse(f"{viewset}:delete", args=[instance.pk]))
    assert response.status_code == 302


def test_deleting_an_enrolment_in_the_admin_frees_her_seat(client, superuser, centre):
    cohort = cohort_of(centre, capacity=2)
    first, second, third = TraineeFactory.create_batch(3, centre=centre)
    mistaken, kept = services.enrol([first, second], cohort, on=ENROLLED_ON)

    delete_in_admin(client, "skills_enrolment", mistaken)

    cohort.refresh_from_db()
    assert not Enrolment.objects.filter(pk=mistaken.pk).exists()
    assert cohort.seats_taken == 1
    (enrolment,) = services.enrol([third], cohort, on=ENROLLED_ON)  # the freed seat is hers
    assert cohort.enrolments.count() == 2
    assert log_entries(mistaken, "wagtail.delete").get().user == superuser


def test_deleting_a_dropped_enrolment_in_the_admin_frees_no_seat(client, superuser, centre):
    cohort = cohort_of(centre, capacity=2)
    dropped, kept = services.enrol(TraineeFactory.create_batch(2, centre=centre), cohort, on=ENROLLED_ON)
    services.drop_out(dropped, "Moved away", on=ENROLLED_ON)  # her seat was freed then

    delete_in_admin(client, "skills_enrolment", dropped)

    cohort.refresh_from_db()
    assert cohort.seats_taken == 1
    assert list(cohort.enrolments.all()) == [kept]


def test_deleting_a_completion_in_the_admin_takes_her_out_of_the_figures(
    client, superuser, centre, announced
):
    cohort = cohort_of(centre, capacity=1)
    (enrolment,) = services.enrol(TraineeFactory.create_batch(1, centre=centre), cohort, on=ENROLLED_ON)
    services.complete(enrolment, passed=True, on=COMPLETED_ON)
    assert TrainedWoman.objects.filter(trainee=enrolment.trainee_id).exists()
    announced.clear()

    delete_in_admin(client, "skills_enrolment", enrolment)

    assert announced == [(changes.ENROLMENTS, [enrolment.trainee_id])]
    assert not TrainedWoman.objects.filter(trainee=enrolment.trainee_id).exists()


def test_the_trainee_form_announces_a_move_only_when_her_centre_changes(client, superuser, centre, announced):
    trainee = TraineeFactory(centre=centre)
    elsewhere = CentreFactory(slug="rulespur-2", code="RUM", district="Rulespur", state="Testland")

    edit_in_admin(client, "skills_trainee", trainee, full_name="Renamed Woman")
    assert announced == []
    edit_in_admin(client, "skills_trainee", trainee, centre=elsewhere.pk)
    assert announced == [(changes.TRAINEE_CENTRES, [trainee.pk])]
    assert log_entries(trainee, "wagtail.edit").count() == 2


def test_the_trainee_form_records_consent_with_who_and_when(client, superuser, centre):
    trainee = TraineeFactory(centre=centre)
    edit_in_admin(client, "skills_trainee", trainee, consent_follow_up="on")
    trainee.refresh_from_db()
    assert trainee.consent_follow_up and not trainee.consent_share_with_employers
    assert trainee.consent_follow_up_recorded_by == superuser
    assert trainee.consent_follow_up_recorded_at is not None
    assert log_entries(trainee, "sakhi.consent").count() == 1


def test_cohort_and_course_forms_announce_only_a_change_the_figures_count(
    client, superuser, centre, announced
):
    cohort = cohort_of(centre, capacity=3)
    other_course = Course.objects.exclude(trade=cohort.course.trade_id).first()

    edit_in_admin(client, "skills_cohort", cohort, trainer="Someone Else")
    assert announced == []
    edit_in_admin(client, "skills_cohort", cohort, course=other_course.pk)
    assert announced == [(changes.COHORT_COURSES, [cohort.pk])]

    announced.clear()
    edit_in_admin(client, "skills_course", other_course, hours=other_course.hours + 1)
    assert announced == []
    other_trade = Trade.objects.exclude(pk=other_course.trade_id).first()
    edit_in_admin(client, "skills_course", other_course, trade=other_trade.pk)
    assert announced == [(changes.COURSE_TRADES, [other_course.pk])]


def test_a_cohort_edit_keeps_a_seat_taken_while_the_form_was_open(centre):
    cohort = cohort_of(centre, capacity=3)
    opened_in_the_form = Cohort.objects.get(pk=cohort.pk)
    services.enrol(TraineeFactory.create_batch(1, centre=centre), cohort, on=ENROLLED_ON)

    opened_in_the_form.trainer = "Someone Else"
    services.save_cohort(opened_in_the_form)

    cohort.refresh_from_db()
    assert (cohort.trainer, cohort.seats_taken) == ("Someone Else", 1)


def test_an_outcome_edited_or_deleted_in_the_admin_goes_through_the_service(client, superuser, centre):
    cohort = cohort_of(centre, capacity=1)
    (enrolment,) = services.enrol(TraineeFactory.create_batch(1, centre=centre), cohort, on=ENROLLED_ON)
    services.complete(enrolment, passed=True, on=COMPLETED_ON)
    job = placement_services.record_outcome(
        Placement(
            trainee=enrolment.trainee,
            employer_name="Shop",
            job_title="Helper",
            monthly_pay=9000,
            start_date=datetime.date(2024, 4, 1),
        )
    )

    edit_in_admin(client, "placements_placement", job, monthly_pay=11000)
    assert WorkSpell.objects.get(trainee=enrolment.trainee_id).income == 11000
    assert log_entries(job, "wagtail.edit").count() == 1  # once, by the service
    assert job.follow_ups.count() == 3

    delete_in_admin(client, "placements_placement", job)
    assert not WorkSpell.objects.filter(trainee=enrolment.trainee_id).exists()
    assert log_entries(job, "wagtail.delete").count() == 1
