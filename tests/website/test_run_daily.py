"""Issue J, item 3 (daily jobs): `manage.py run_daily` closes published vacancies past their closing
date, counts the follow-ups that fall due per centre (no names), and fails when the outcome summaries
drift from a direct count."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from placements import services
from placements.models import Employer, FollowUp, SelfEmployment, TrainedWoman, Vacancy
from tests.factories import CentreFactory, certified_trainees


def vacancy(employer, title, closing_date, status=Vacancy.Status.PUBLISHED):
    return Vacancy.objects.create(
        employer=employer,
        title=title,
        description="Stitching on piece rates.",
        district="Lucknow",
        pay_min=8000,
        pay_max=9000,
        closing_date=closing_date,
        status=status,
    )


def run_daily():
    out = io.StringIO()
    call_command("run_daily", stdout=out)
    return out.getvalue()


@pytest.fixture
def women_in_work(db):
    """Three trained women of a centre of their own (the demo history, when a run seeds it, has
    follow-ups in every demo centre); two run a business started four months ago, so their
    three-month follow-ups are overdue."""
    today = timezone.localdate()
    trainees = certified_trainees(3, centre_slug=CentreFactory().slug)
    for trainee in trainees[:2]:
        services.record_outcome(
            SelfEmployment(
                trainee=trainee,
                kind="Tailoring from home",
                monthly_income=6000,
                start_date=today - datetime.timedelta(days=120),
            )
        )
    return trainees


@pytest.mark.django_db
def test_vacancies_past_their_closing_date_are_closed_and_others_stay():
    today = timezone.localdate()
    employer = Employer.objects.create(
        organisation="Daily Jobs Ltd",
        sector="Apparel",
        district="Lucknow",
        contact_person="A. Person",
        email="hr@daily-jobs.example",
        phone="98765 43210",
        status=Employer.Status.APPROVED,
    )
    expired = vacancy(employer, "Expired", today - datetime.timedelta(days=1))
    last_day = vacancy(employer, "Closes today", today)
    draft = vacancy(employer, "Draft", today - datetime.timedelta(days=5), status=Vacancy.Status.DRAFT)

    past_closing = Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED, closing_date__lt=today).count()
    assert past_closing >= 1

    output = run_daily()

    assert Vacancy.objects.get(pk=expired.pk).status == Vacancy.Status.CLOSED
    assert Vacancy.objects.get(pk=last_day.pk).status == Vacancy.Status.PUBLISHED
    assert Vacancy.objects.get(pk=draft.pk).status == Vacancy.Status.DRAFT
    assert f"Vacancies closed (past their closing date): {past_closing}" in output
    assert "Vacancies closed (past their closing date): 0" in run_daily()  # a second run closes nothing


@pytest.mark.django_db
def test_follow_ups_due_are_counted_per_centre_without_names(women_in_work):
    overdue = FollowUp.objects.pending().filter(due_on__lt=timezone.localdate())
    assert overdue.filter(self_employment__trainee__in=women_in_work).count() == 2

    output = run_daily()

    assert f"{women_in_work[0].centre.name}: 2 (2 overdue)" in output
    for woman in women_in_work:
        assert woman.full_name not in output


@pytest.mark.django_db
def test_drifted_summaries_fail_the_run_after_every_job_ran(women_in_work):
    run_daily()  # current summaries pass
    TrainedWoman.objects.filter(trainee=women_in_work[0]).delete()
    out = io.StringIO()

    with pytest.raises(CommandError, match="differ from a direct count"):
        call_command("run_daily", stdout=out)
    assert "Follow-ups due today or overdue" in out.getvalue()


@pytest.mark.django_db
def test_finished_tasks_older_than_two_weeks_are_pruned_with_the_durable_backend(settings):
    from django_tasks_db.models import DBTaskResult

    from core.mail import send_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_email("Old", "Body", "from@skills.example", ["old@example.com"])
    (old,) = DBTaskResult.objects.filter(task_path="core.mail.deliver_email")
    send_email("New", "Body", "from@skills.example", ["new@example.com"])
    (new,) = DBTaskResult.objects.filter(task_path="core.mail.deliver_email").exclude(pk=old.pk)
    DBTaskResult.objects.filter(pk__in=[old.pk, new.pk]).update(
        status="SUCCESSFUL", finished_at=timezone.now()
    )
    DBTaskResult.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=15))

    run_daily()

    assert list(DBTaskResult.objects.filter(task_path="core.mail.deliver_email")) == [new]
