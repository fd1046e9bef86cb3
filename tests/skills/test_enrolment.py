"""Seats are never exceeded (also under concurrency), dropouts free a seat, completion and
certificate eligibility follow the course's minimum attendance."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import translation

from skills import services
from skills.models import AttendanceMark, Cohort, CohortSession, Course, Enrolment, Trainee
from tests.factories import CentreFactory, TradeFactory


@pytest.fixture
def centre(db):
    return CentreFactory(slug="testpur", code="TST", district="Testpur")


@pytest.fixture
def course(db):
    return Course.objects.get(trade__slug="tailoring")


def make_cohort(centre, course, capacity=3, status=Cohort.Status.OPEN):
    return Cohort.objects.create(
        course=course,
        centre=centre,
        start_date=datetime.date(2026, 1, 5),
        end_date=datetime.date(2026, 3, 31),
        capacity=capacity,
        status=status,
    )


def make_trainees(centre, count):
    return [
        Trainee.objects.create(
            centre=centre,
            full_name=f"Trainee {n}",
            date_of_birth=datetime.date(1995, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(count)
    ]


def test_enrol_takes_seats(centre, course):
    cohort = make_cohort(centre, course, capacity=3)
    services.enrol(make_trainees(centre, 2), cohort)
    cohort.refresh_from_db()
    assert cohort.seats_taken == 2
    assert cohort.seats_left == 1
    assert cohort.enrolments.count() == 2


def test_bulk_enrolment_beyond_capacity_enrols_nobody(centre, course):
    cohort = make_cohort(centre, course, capacity=3)
    with pytest.raises(services.EnrolmentError, match="You chose 4; only 3 seats are left"):
        services.enrol(make_trainees(centre, 4), cohort)
    cohort.refresh_from_db()
    assert cohort.seats_taken == 0
    assert not cohort.enrolments.exists()


def test_a_full_cohort_refuses_one_trainee_in_plain_words(centre, course):
    cohort = make_cohort(centre, course, capacity=1)
    services.enrol(make_trainees(centre, 1), cohort)
    with pytest.raises(
        services.EnrolmentError,
        match=r"^\['You chose 1; only 0 seats are left\.'\]$|^You chose 1; only 0 seats are left\.$",
    ):
        services.enrol(make_trainees(centre, 1), cohort)


def test_same_trainee_cannot_enrol_twice(centre, course):
    cohort = make_cohort(centre, course)
    (trainee,) = make_trainees(centre, 1)
    services.enrol([trainee], cohort)
    with pytest.raises(services.EnrolmentError, match="Already enrolled"):
        services.enrol([trainee], cohort)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(trainee=trainee, cohort=cohort)


def test_closed_cohort_takes_no_enrolments(centre, course):
    cohort = make_cohort(centre, course, status=Cohort.Status.COMPLETED)
    with pytest.raises(services.EnrolmentError, match="takes no enrolments"):
        services.enrol(make_trainees(centre, 1), cohort)


def test_database_refuses_overbooking_even_without_the_service(centre, course):
    cohort = make_cohort(centre, course, capacity=2)
    Cohort.objects.filter(pk=cohort.pk).update(seats_taken=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=cohort.pk).update(seats_taken=F("seats_taken") + 1)


def test_database_refuses_dates_out_of_order(centre, course):
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.create(
            course=course,
            centre=centre,
            start_date=datetime.date(2026, 3, 1),
            end_date=datetime.date(2026, 2, 1),
            capacity=10,
        )


def test_dropout_needs_a_reason_and_frees_the_seat(centre, course):
    cohort = make_cohort(centre, course, capacity=1)
    (enrolment,) = services.enrol(make_trainees(centre, 1), cohort)
    with pytest.raises(Exception, match="reason"):
        services.drop_out(enrolment, "  ")
    services.drop_out(enrolment, "Found work in another town")
    enrolment.refresh_from_db()
    cohort.refresh_from_db()
    assert enrolment.status == Enrolment.Status.DROPPED
    assert enrolment.dropout_reason == "Found work in another town"
    assert cohort.seats_taken == 0
    services.enrol(make_trainees(centre, 1), cohort)
    cohort.refresh_from_db()
    assert cohort.seats_taken == 1


def test_completion_and_certificate_eligibility_follow_attendance(centre, course):
    cohort = make_cohort(centre, course, capacity=5)
    good, poor = services.enrol(make_trainees(centre, 2), cohort, on=datetime.date(2026, 1, 2))
    sessions = [
        CohortSession.objects.create(cohort=cohort, date=datetime.date(2026, 1, 5 + n)) for n in range(10)
    ]
    for n, session in enumerate(sessions):
        services.record_attendance(session, [good.pk] + ([poor.pk] if n < 7 else []))
    enrolments = {e.pk: e for e in Enrolment.objects.with_attendance().filter(cohort=cohort)}
    assert enrolments[good.pk].attendance_percent == 100
    assert enrolments[poor.pk].attendance_percent == 70

    assert services.certificate_eligibility(good) == (False, "not completed")
    services.complete(good, passed=True, result="A", on=datetime.date(2026, 3, 31))
    services.complete(poor, passed=True, result="B", on=datetime.date(2026, 3, 31))
    good.refresh_from_db()
    poor.refresh_from_db()
    assert good.status == Enrolment.Status.COMPLETED and good.completed_on == datetime.date(2026, 3, 31)
    assert services.certificate_eligibility(good) == (True, "")
    assert services.certificate_eligibility(poor) == (False, "attendance below 80%")

    course.min_attendance_percent = 70
    course.save()
    poor.cohort.course.refresh_from_db()
    assert services.certificate_eligibility(Enrolment.objects.get(pk=poor.pk))[0] is True


def test_completion_before_enrolment_is_refused(centre, course):
    cohort = make_cohort(centre, course)
    (enrolment,) = services.enrol(make_trainees(centre, 1), cohort, on=datetime.date(2026, 1, 2))
    with pytest.raises(Exception, match="completion cannot be earlier"):
        services.complete(enrolment, passed=True, on=datetime.date(2025, 12, 1))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_completion_in_the_future_is_refused(centre, course):
    cohort = make_cohort(centre, course)
    (enrolment,) = services.enrol(make_trainees(centre, 1), cohort, on=datetime.date(2026, 1, 2))
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        services.complete(enrolment, passed=True, on=tomorrow)
    assert refused.value.message_dict == {"completed_on": ["The completion date cannot be in the future."]}
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.completed_on) == (Enrolment.Status.ENROLLED, None)


def test_not_passed_has_no_completion_date(centre, course):
    cohort = make_cohort(centre, course)
    (enrolment,) = services.enrol(make_trainees(centre, 1), cohort)
    services.complete(enrolment, passed=False, result="Did not finish the final piece")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.NOT_PASSED
    assert enrolment.completed_on is None


def test_attendance_register_saves_everyone_in_one_go(centre, course):
    cohort = make_cohort(centre, course, capacity=40)
    enrolments = services.enrol(make_trainees(centre, 40), cohort, on=cohort.start_date)
    session = CohortSession.objects.create(cohort=cohort, date=datetime.date(2026, 1, 6))
    present = [e.pk for e in enrolments[:35]]
    assert services.record_attendance(session, present) == (35, 40)
    assert AttendanceMark.objects.filter(session=session).count() == 40
    assert AttendanceMark.objects.filter(session=session, present=True).count() == 35
    # Saving again replaces the register rather than adding to it.
    services.record_attendance(session, present[:30])
    assert AttendanceMark.objects.filter(session=session, present=True).count() == 30


def test_attendance_rejects_someone_not_in_the_cohort(centre, course):
    cohort = make_cohort(centre, course)
    other = make_cohort(centre, course)
    (outsider,) = services.enrol(make_trainees(centre, 1), other)
    session = CohortSession.objects.create(cohort=cohort, date=datetime.date(2026, 1, 6))
    with pytest.raises(Exception, match="not enrolled"):
        services.record_attendance(session, [outsider.pk])
    assert not AttendanceMark.objects.filter(session=session).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a PostgreSQL feature (SQLite serialises writers); CI runs this on PostgreSQL 15",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_exceed_capacity():
    """Twelve coordinators press Enrol at the same moment for a cohort with five seats left."""
    centre = CentreFactory(slug="concurrent", code="CCR")
    course = Course.objects.create(trade=TradeFactory(), title="Weaving")
    cohort = make_cohort(centre, course, capacity=5)
    trainees = make_trainees(centre, 12)
    barrier = threading.Barrier(len(trainees))
    outcomes = []

    def attempt(trainee):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.enrol([trainee], cohort)
            outcomes.append("enrolled")
        except services.EnrolmentError:
            outcomes.append("full")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(t,)) for t in trainees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    cohort.refresh_from_db()
    assert outcomes.count("enrolled") == 5
    assert outcomes.count("full") == 7
    assert cohort.seats_taken == 5
    assert cohort.enrolments.count() == 5


def test_cohort_and_session_titles_name_the_month_in_the_active_language(centre, course):
    cohort = make_cohort(centre, course)
    session = CohortSession.objects.create(cohort=cohort, date=datetime.date(2026, 12, 7))
    with translation.override("en"):
        assert str(cohort).endswith("· TST · 5 Jan 2026")
        assert str(session).endswith("· 7 Dec 2026")
    with translation.override("hi"):
        assert "Jan" not in str(cohort) and "2026" in str(cohort)
        assert "Dec" not in str(session)
