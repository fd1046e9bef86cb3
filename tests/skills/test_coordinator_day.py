"""Issue 11, defects 1 to 5, at the level of the rules (the browser flows are in
tests/browser/test_coordinator_day.py): filters, typed dates, sessions, early completion, late joiners."""

import datetime

import django_filters
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

import placements.filters
import skills.filters
from skills import services
from skills.certificates import certificate_content, issue_certificate
from skills.models import Centre, CohortSession, Course, Enrolment, TrackerLogEntry, Trainee
from tests.factories import CohortFactory, TraineeFactory

TODAY = timezone.localdate


def filtersets():
    for module in (skills.filters, placements.filters):
        for thing in vars(module).values():
            if (
                isinstance(thing, type)
                and issubclass(thing, django_filters.FilterSet)
                and thing.__module__ == module.__name__
                and thing._meta.model is not None
            ):
                yield thing


@pytest.mark.parametrize("filterset", list(filtersets()), ids=lambda f: f.__name__)
def test_every_choice_filter_offers_any(db, filterset):
    form = filterset(None).form
    single_selects = {
        name: field
        for name, field in form.fields.items()
        if isinstance(field.widget, forms.Select) and not isinstance(field.widget, forms.SelectMultiple)
    }
    assert single_selects
    for name, field in single_selects.items():
        assert "" in [str(value) for value, _label in field.choices], f"{name} has no blank choice"


def test_a_search_with_the_blank_year_finds_every_year(db):
    from skills.filters import TraineeFilterSet

    for year in (2019, 2024):
        cohort = CohortFactory(
            centre=Centre.objects.get(slug="lucknow"),
            course=Course.objects.first(),
            start_date=datetime.date(year, 3, 1),
            status="planned",
        )
        services.enrol(
            [TraineeFactory(centre=cohort.centre, full_name=f"Usha {year}")], cohort, on=cohort.start_date
        )
    everyone = Trainee.objects.filter(full_name__icontains="Usha")
    found = TraineeFilterSet({"year": ""}, queryset=everyone).qs
    assert found.count() == everyone.count() > 1


@pytest.mark.parametrize("language", ["en", "hi"])
def test_dates_are_read_day_first_and_iso_still_works(language):
    field = forms.DateField()
    with translation.override(language):
        assert field.clean("04/05/1998") == datetime.date(1998, 5, 4)
        assert field.clean("15/04/1998") == datetime.date(1998, 4, 15)
        assert field.clean("1998-04-15") == datetime.date(1998, 4, 15)
        with pytest.raises(ValidationError):
            field.clean("31/02/1998")


@pytest.fixture
def running(db):
    """A Lucknow cohort a month into its three: four women, present at every other weekday's class."""
    start = TODAY() - datetime.timedelta(days=30)
    cohort = CohortFactory(
        centre=Centre.objects.get(slug="lucknow"),
        course=Course.objects.get(trade__slug="tailoring"),
        start_date=start,
        end_date=TODAY() + datetime.timedelta(days=60),
        status="running",
    )
    enrolments = services.enrol(TraineeFactory.create_batch(4, centre=cohort.centre), cohort, on=start)
    for day in range(0, 30, 2):
        session = CohortSession.objects.create(cohort=cohort, date=start + datetime.timedelta(days=day))
        services.record_attendance(session, [enrolment.pk for enrolment in enrolments])
    return cohort


def test_a_session_needs_a_day_that_has_come(running):
    before = running.sessions.count()
    with pytest.raises(ValidationError, match="in the future"):
        services.take_register(running, TODAY() + datetime.timedelta(days=1), [])
    with pytest.raises(ValidationError, match="starts on"):
        services.take_register(running, running.start_date - datetime.timedelta(days=1), [])
    assert running.sessions.count() == before


def test_deleting_a_session_is_audited_and_gives_back_the_attendance(running):
    CohortSession.objects.filter(cohort=running, date=TODAY()).delete()
    woman = Enrolment.objects.with_attendance().filter(cohort=running).holding_seats().first()
    session, present, total = services.take_register(running, TODAY(), [])
    assert present == 0 and total >= 1
    lowered = Enrolment.objects.with_attendance().get(pk=woman.pk).attendance_percent
    assert lowered < woman.attendance_percent
    deleted_pk = session.pk
    services.delete_session(session)
    assert Enrolment.objects.with_attendance().get(pk=woman.pk).attendance_percent == woman.attendance_percent
    assert TrackerLogEntry.objects.filter(action="wagtail.delete", object_id=str(deleted_pk)).exists()


def test_a_late_joiner_counts_from_her_enrolment(running):
    newcomer = Trainee.objects.create(
        centre=running.centre, full_name="Late Joiner", date_of_birth=datetime.date(1996, 3, 3)
    )
    (enrolment,) = services.enrol([newcomer], running, on=TODAY())
    assert running.sessions.filter(date__lt=TODAY()).count() >= 10
    CohortSession.objects.filter(cohort=running, date=TODAY()).delete()
    services.take_register(running, TODAY(), [enrolment.pk])
    counted = Enrolment.objects.with_attendance().get(pk=enrolment.pk)
    assert (counted.sessions_present, counted.sessions_held, counted.attendance_percent) == (1, 1, 100)
    earlier = running.sessions.filter(date__lt=TODAY()).first()
    assert not running.enrolments.on_register(earlier.date).filter(pk=enrolment.pk).exists()


def test_completing_before_the_cohort_ends_needs_a_reason(running):
    enrolment = running.enrolments.filter(status="enrolled").first()
    with pytest.raises(ValidationError) as refused:
        services.complete(enrolment, passed=True, result="A", on=TODAY())
    assert list(refused.value.message_dict) == ["early_completion_reason"]
    services.complete(enrolment, passed=True, result="A", early_reason="Found work", on=TODAY())
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.early_completion_reason) == ("completed", "Found work")


def test_a_certificate_states_the_period_she_attended_never_a_future_day(running):
    enrolment = (
        Enrolment.objects.with_attendance()
        .filter(cohort=running, status="enrolled", attendance_percent__gte=85)
        .first()
    )
    services.complete(enrolment, passed=True, result="A", early_reason="Moved to Kanpur", on=TODAY())
    content = certificate_content(issue_certificate(Enrolment.objects.get(pk=enrolment.pk)))
    assert (content.start_date, content.end_date) == (running.start_date, TODAY())
    assert content.end_date < running.end_date
