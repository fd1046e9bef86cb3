"""Small builders for the tracker tests: a centre of the test's own with a short history, and the
staff who work on it. Made with tests.factories on top of the session's baseline (its trades,
courses and published vacancies), so a test's assertions count only what it built, whether the
session seeded the baseline or the full demo."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from placements import services as placement_services
from placements.models import Nomination, Placement, SelfEmployment, Vacancy
from skills import certificates, roles, services
from skills.models import Centre, Cohort, CohortSession, Course, Trainee
from tests.factories import CentreFactory, CohortFactory


def staff_member(username, group, centres=()):
    """A staff account in one of the role groups, coordinating the given centres."""
    user = get_user_model().objects.create_user(
        username=username, first_name=username.split(".")[0].title(), email=f"{username}@sakhi.example"
    )
    user.groups.add(Group.objects.get(name=group))
    for centre in centres:
        centre.coordinators.add(user)
    return user


def coordinator_of(*centres, username):
    return staff_member(username, roles.COORDINATORS, centres)


def state_officer(username):
    return staff_member(username, roles.STATE_OFFICERS)


def women(centre, count, name="Trainee", *, consenting=True, born=datetime.date(1990, 1, 1)):
    """`count` adult women of the centre, "<name> 0" onwards, each with a register number made of
    the last word of the name."""
    stamp = timezone.now() if consenting else None
    return Trainee.objects.bulk_create(
        Trainee(
            centre=centre,
            full_name=f"{name} {n}",
            register_number=f"{centre.code}-{name.split()[-1][:3].upper()}-{n:05d}",
            date_of_birth=born + datetime.timedelta(days=n),
            district=centre.district,
            consent_share_with_employers=consenting,
            consent_share_recorded_at=stamp,
            consent_follow_up=consenting,
            consent_follow_up_recorded_at=stamp,
        )
        for n in range(count)
    )


@dataclass
class History:
    """A centre's short history: a cohort completed in 2024 (attendance taken, certificates issued,
    one dropout), a cohort running now with a register taken, a job, a business, a nomination,
    and women enrolled nowhere."""

    centre: Centre
    completed: Cohort
    running: Cohort
    completers: list
    learners: list
    spare: list
    placement: Placement
    self_employment: SelfEmployment
    nomination: Nomination
    certificates: list = field(default_factory=list)


def centre_with_history(name="Historypur", *, completers=3, learners=3, spare=2, **centre_fields):
    centre = CentreFactory(name=f"{name} Centre", district=name, **centre_fields)
    tailoring = Course.objects.filter(trade__slug="tailoring").order_by("pk").first()

    start, end = datetime.date(2024, 7, 1), datetime.date(2024, 9, 28)
    completed = CohortFactory(
        course=tailoring, centre=centre, start_date=start, end_date=end, capacity=completers + 1
    )
    finished = women(centre, completers + 1, name=f"{name} Completer")
    *done, leaver = services.enrol(finished, completed, on=start - datetime.timedelta(days=7))
    for day in range(3):
        session = CohortSession.objects.create(
            cohort=completed, date=start + datetime.timedelta(days=day), topic=f"Lesson {day + 1}"
        )
        services.record_attendance(session, [enrolment.pk for enrolment in done])
    services.drop_out(leaver, "Moved away with family", on=start + datetime.timedelta(days=20))
    for enrolment in done:
        services.complete(enrolment, passed=True, result="A", on=end)
    Cohort.objects.filter(pk=completed.pk).update(status=Cohort.Status.COMPLETED)
    completed.refresh_from_db()
    issued, _skipped = certificates.issue_for_cohort(completed, on=end + datetime.timedelta(days=7))

    today = timezone.localdate()
    running = CohortFactory(
        course=tailoring,
        centre=centre,
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=60),
        capacity=learners + 2,
        status=Cohort.Status.RUNNING,
    )
    learning = women(centre, learners, name=f"{name} Learner")
    enrolments = services.enrol(learning, running, on=running.start_date)
    session = CohortSession.objects.create(
        cohort=running, date=today - datetime.timedelta(days=7), topic="Measuring and cutting"
    )
    services.record_attendance(session, [enrolment.pk for enrolment in enrolments])

    first, second, *_rest = finished
    placement = placement_services.record_outcome(
        Placement(
            trainee=first,
            employer_name=f"{name} Garments",
            job_title="Sewing machine operator",
            monthly_pay=11000,
            start_date=end + datetime.timedelta(days=30),
        )
    )
    self_employment = placement_services.record_outcome(
        SelfEmployment(
            trainee=second,
            kind="Tailoring shop",
            monthly_income=6000,
            start_date=end + datetime.timedelta(30),
        )
    )
    vacancy = Vacancy.objects.published().order_by("pk").first()
    nomination = Nomination.objects.create(trainee=second, vacancy=vacancy)
    return History(
        centre=centre,
        completed=completed,
        running=running,
        completers=[enrolment.trainee for enrolment in done],
        learners=learning,
        spare=women(centre, spare, name=f"{name} Spare"),
        placement=placement,
        self_employment=self_employment,
        nomination=nomination,
        certificates=issued,
    )
