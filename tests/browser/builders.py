"""The small Lucknow that the browser journeys click through, built in seconds through the
project's services on the session's baseline (tests.factories.seed_baseline: the centres, trades
and courses, Lucknow's open cohorts and the one under way, the employers and their vacancies, the
page tree in both languages). A journey reads a handful of women, not the full demo history.

What the journeys find at Lucknow:
- the tailoring cohort under way: LEARNERS enrolled on its first day and DROPOUT, who left after
  three sessions, with a register taken every other weekday up to yesterday; every learner but
  one has attended at least 85% of the sessions, none less than half;
- a tailoring cohort that ended two months ago: COMPLETERS, each with a certificate, the first of
  them nominated to the open vacancies in each state a coordinator meets, the hired one still
  waiting for her placement to be confirmed;
- SPARE women enrolled nowhere: more than the enrol page shows at a time (25).
Every woman is an adult born before 2000 who agreed to share her profile with employers, with a
first name and a surname (an employer is shown the first name only)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from placements import services as placement_services
from placements.models import Nomination, Vacancy
from skills import certificates, services
from skills.models import Centre, Certificate, Cohort, CohortSession, Course
from tests.factories import CentreFactory, CohortFactory, TraineeFactory

LEARNERS = [
    "Usha Devi",
    "Usha Rawat",
    "Sunita Yadav",
    "Rekha Verma",
    "Pooja Gupta",
    "Shabnam Bano",
    "Kiran Maurya",
    "Nazia Parveen",
    "Seema Pal",
    "Rani Kashyap",
]
LOW_ATTENDANCE = "Sunita Yadav"  # absent from every third session
DROPOUT = "Sarita Nishad"
COMPLETERS = [
    "Geeta Rajput",
    "Farzana Khatoon",
    "Mamta Chaurasia",
    "Lakshmi Saini",
    "Ruby Siddiqui",
    "Savitri Lodhi",
    "Preeti Awasthi",
    "Jyoti Bharti",
]
NOMINATION_STATUSES = [
    Nomination.Status.NOMINATED,
    Nomination.Status.INTERVIEW,
    Nomination.Status.OFFERED,
    Nomination.Status.HIRED,
    Nomination.Status.REJECTED,
]
SPARE = [
    f"{first} {surname}"
    for surname in ("Kumari", "Prajapati")
    for first in (
        "Aarti",
        "Babita",
        "Chanda",
        "Deepa",
        "Guddi",
        "Hina",
        "Indu",
        "Kavita",
        "Meena",
        "Neelam",
        "Radha",
        "Shanti",
        "Tabassum",
        "Vandana",
        "Zeenat",
    )
]


@dataclass
class Lucknow:
    running: Cohort
    completed: Cohort
    nominations: list


def lucknow():
    """Build the small Lucknow of the module docstring on the baseline."""
    today = timezone.localdate()
    centre = Centre.objects.get(slug="lucknow")
    register = RegisterNumbers(centre)
    running = cohort_under_way(
        Cohort.objects.get(centre=centre, status=Cohort.Status.RUNNING), today, register
    )
    completed = completed_cohort(
        centre,
        consenting_women(centre, COMPLETERS, register),
        start=today - datetime.timedelta(days=150),
        end=today - datetime.timedelta(days=60),
    )
    nominations = nominate_in_every_state(
        [enrolment.trainee for enrolment in completed.enrolments.order_by("pk")], today
    )
    consenting_women(centre, SPARE, register)
    return Lucknow(running=running, completed=completed, nominations=nominations)


class RegisterNumbers:
    """The numbers of a centre's paper register, one after another: LKO-R-0001 onwards."""

    def __init__(self, centre):
        self.code, self.last = centre.code, 0

    def next(self):
        self.last += 1
        return self.last, f"{self.code}-R-{self.last:04d}"


def consenting_women(centre, names, register):
    """Adult women of the centre, born between 1985 and 1999, who agreed to be shown to employers
    and to be followed up, each with the next number of the centre's register."""
    now = timezone.now()
    women = []
    for name in names:
        number, register_number = register.next()
        women.append(
            TraineeFactory(
                centre=centre,
                full_name=name,
                register_number=register_number,
                date_of_birth=datetime.date(1985, 1, 10) + datetime.timedelta(days=97 * number),
                district=centre.district,
                consent_share_with_employers=True,
                consent_share_recorded_at=now,
                consent_follow_up=True,
                consent_follow_up_recorded_at=now,
            )
        )
    return women


def every_other_weekday(first, last):
    """The days a register is taken in the demo too: every other weekday from first to last."""
    weekdays = [
        first + datetime.timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + datetime.timedelta(days=n)).weekday() < 5
    ]
    return weekdays[::2]


def cohort_under_way(cohort, today, register):
    """The running cohort's learners and dropout, with the registers taken so far."""
    learners = consenting_women(cohort.centre, [*LEARNERS, DROPOUT], register)
    enrolments = services.enrol(learners, cohort, on=cohort.start_date)
    *staying, leaving = enrolments
    days = every_other_weekday(cohort.start_date, today - datetime.timedelta(days=1))
    for number, day in enumerate(days):
        if number == 3:
            services.drop_out(leaving, "Moved to her husband's village", on=day - datetime.timedelta(days=1))
        present = [
            enrolment.pk
            for index, enrolment in enumerate(staying)
            if not absent(enrolment.trainee.full_name, index, number)
        ]
        if number < 3:
            present.append(leaving.pk)
        services.take_register(cohort, day, present)
    return cohort


def absent(name, index, session_number):
    """Whether a learner missed a session: LOW_ATTENDANCE every third one, four others once each."""
    if name == LOW_ATTENDANCE:
        return session_number % 3 == 2
    return 3 <= index <= 6 and session_number == index


def completed_cohort(centre, women, *, start, end, course=None):
    """A tailoring cohort of these women from start to end: each attended all its five sessions,
    completed, and holds a certificate issued a week after the end."""
    cohort = CohortFactory(
        course=course or Course.objects.filter(trade__slug="tailoring").order_by("pk").first(),
        centre=centre,
        start_date=start,
        end_date=end,
        capacity=len(women),
        status=Cohort.Status.RUNNING,
    )
    enrolments = services.enrol(women, cohort, on=start)
    for day in every_other_weekday(start, start + datetime.timedelta(days=13)):
        session = CohortSession.objects.create(cohort=cohort, date=day)
        services.record_attendance(session, [enrolment.pk for enrolment in enrolments])
    for enrolment in enrolments:
        services.complete(enrolment, passed=True, result="A", on=end)
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.COMPLETED)
    cohort.refresh_from_db()
    certificates.issue_for_cohort(cohort, on=end + datetime.timedelta(days=7))
    return cohort


def nominate_in_every_state(candidates, today):
    """Nominate the first candidates to the open vacancies in turn, and move each nomination on to
    its state of NOMINATION_STATUSES as the employer does."""
    vacancies = list(Vacancy.objects.published(today).order_by("pk"))
    nominations = []
    for number, (trainee, status) in enumerate(zip(candidates, NOMINATION_STATUSES, strict=False)):
        vacancy = vacancies[number % len(vacancies)]
        nomination = placement_services.nominate(trainee, vacancy, user=None)
        if status != Nomination.Status.NOMINATED:
            placement_services.update_nomination_by_employer(nomination, status, employer=vacancy.employer)
        nominations.append(nomination)
    return nominations


def certificates_one_revoked():
    """Two certificates of a centre of their own, issued now (a credential names the host that
    issued it), the second revoked: (valid, revoked)."""
    centre = CentreFactory(slug="testpur", code="TST", name="Sakhi Centre, Testpur", district="Testpur")
    today = timezone.localdate()
    cohort = completed_cohort(
        centre,
        consenting_women(centre, ["Priya Kshatriya", "Sunita Devi"], RegisterNumbers(centre)),
        start=today - datetime.timedelta(days=100),
        end=today - datetime.timedelta(days=10),
    )
    valid, revoked = Certificate.objects.filter(enrolment__cohort=cohort).order_by("pk")
    certificates.revoke(revoked, "Issued in error")
    return valid, revoked


# For the job pages (tests/browser/test_job_screens.py) and the enrolment list's pages
# (tests/browser/test_enrolment_list.py).

TO_CERTIFY = ["Anjali Bind", "Bindu Tiwari", "Chhaya Sahu", "Durga Rawat"]
LEFT_EARLY = "Fatima Ansari"


def cohort_to_certify():
    """A tailoring cohort at Lucknow that ended a month ago and has no certificates yet: TO_CERTIFY
    attended all its five sessions and completed; LEFT_EARLY dropped out after the first."""
    today = timezone.localdate()
    centre = Centre.objects.get(slug="lucknow")
    register = RegisterNumbers(centre)
    register.last = 500  # after the numbers lucknow() gave
    women = consenting_women(centre, [*TO_CERTIFY, LEFT_EARLY], register)
    start = today - datetime.timedelta(days=120)
    cohort = CohortFactory(
        course=Course.objects.filter(trade__slug="tailoring").order_by("pk").first(),
        centre=centre,
        start_date=start,
        end_date=today - datetime.timedelta(days=30),
        capacity=len(women),
        status=Cohort.Status.RUNNING,
    )
    *completing, leaving = services.enrol(women, cohort, on=start)
    for number, day in enumerate(every_other_weekday(start, start + datetime.timedelta(days=13))):
        session = CohortSession.objects.create(cohort=cohort, date=day)
        services.record_attendance(
            session, [enrolment.pk for enrolment in completing] + ([leaving.pk] if number == 0 else [])
        )
        if number == 0:
            services.drop_out(leaving, "Found work in a factory", on=day + datetime.timedelta(days=1))
    for enrolment in completing:
        services.complete(enrolment, passed=True, result="A", on=cohort.end_date)
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.COMPLETED)
    cohort.refresh_from_db()
    return cohort


MANY_FIRST_NAMES = [
    "Alka",
    "Bharti",
    "Chanchal",
    "Dimple",
    "Gayatri",
    "Hemlata",
    "Ishrat",
    "Jaya",
    "Kusum",
    "Laxmi",
    "Manju",
    "Nisha",
    "Priyanka",
    "Renu",
    "Sarla",
]
MANY_SURNAMES = ["Sahu", "Tiwari", "Bind"]
LATE_JOINER = "Yasmin Qureshi"
SESSIONS_HELD = 10


def cohort_of_many():
    """A tailoring cohort at Lucknow that started 16 days ago, after every other cohort there (so that
    its enrolments are the first pages of the enrolment list, newest first): 45 women enrolled on its
    first day, the k-th of them present at the first k % 11 of its ten sessions, and LATE_JOINER, who
    joined on the day of the fifth session and came to every one from then on. Returns each woman's
    attendance as the lists print it, counted from the day she enrolled: {name: "70%"}."""
    today = timezone.localdate()
    centre = Centre.objects.get(slug="lucknow")
    register = RegisterNumbers(centre)
    register.last = 600
    names = [f"{first} {surname}" for surname in MANY_SURNAMES for first in MANY_FIRST_NAMES]
    women = consenting_women(centre, names, register)
    start = today - datetime.timedelta(days=16)
    days = [
        start + datetime.timedelta(days=n)
        for n in range(16)
        if (start + datetime.timedelta(days=n)).weekday() < 5
    ][:SESSIONS_HELD]
    cohort = CohortFactory(
        course=Course.objects.filter(trade__slug="tailoring").order_by("pk").first(),
        centre=centre,
        start_date=start,
        end_date=today + datetime.timedelta(days=60),
        capacity=len(women) + 1,
        status=Cohort.Status.RUNNING,
    )
    enrolments = services.enrol(women, cohort, on=start)
    (late,) = consenting_women(centre, [LATE_JOINER], register)
    for number, day in enumerate(days):
        if number == 4:
            (late_enrolment,) = services.enrol([late], cohort, on=day)
            enrolments.append(late_enrolment)
        present = [enrolment.pk for k, enrolment in enumerate(enrolments[: len(women)]) if number < k % 11]
        if number >= 4:
            present.append(late_enrolment.pk)
        services.take_register(cohort, day, present)
    attendance = {name: f"{k % 11 * 10}%" for k, name in enumerate(names)}
    attendance[LATE_JOINER] = "100%"
    return attendance
