"""Random sequences of the services that change outcomes keep the reporting summaries exact.

A small world (two centres, four women, three cohorts of three courses in two trades; three women
trained, two in paying work) goes through
steps chosen by Hypothesis: enrol, complete or fail, drop out, record a job or a business, end one
by a "stopped" follow-up, edit, move or delete an outcome, delete an enrolment, move a woman to the
other centre, put a cohort under another course or a course under another trade, shift a cohort's
dates. Each step calls the service the application calls for it (the admin's own forms included).
A step the service refuses must be refused for a reason expected of it. After every step the summaries equal the count made straight
from the tracker (placements.summaries.differences), and the figures read from them equal the
reference computation (tests/placements/reference_outcomes.py)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from placements import services, summaries
from placements.models import FollowUp, Placement, SelfEmployment
from placements.outcomes import Scope
from skills import services as skills_services
from skills.models import Cohort, Course, Enrolment, Trainee
from tests.factories import CentreFactory, TradeFactory

from .test_summaries import assert_same_as_reference

# Days that crowd the calendar and financial year boundaries (April to March).
DAYS = [
    datetime.date(2023, 3, 31),
    datetime.date(2023, 4, 1),
    datetime.date(2023, 6, 30),
    datetime.date(2023, 12, 31),
    datetime.date(2024, 1, 1),
    datetime.date(2024, 3, 31),
    datetime.date(2024, 4, 1),
]
days = st.sampled_from(DAYS)
maybe_days = st.none() | days
index = st.integers(0, 7)


# What each step may be refused for, as the services word it (the tests run in English).
ENROL_REFUSALS = (
    r"You chose \d+; only \d+ seats? (is|are) left\.",
    r"The cohort is full\.",
    r"Already enrolled in this cohort: .+\.",
    r"These trainees belong to another centre: .+\.",
)
COMPLETE_REFUSALS = (
    r"She dropped out; reinstate her before recording completion\.",
    r"She enrolled on .+; completion cannot be earlier\.",
)
DROP_OUT_REFUSALS = (r"Only a current enrolment can be dropped\.",)
OUTCOME_REFUSALS = (r"Constraint “(placement|self_employment)_dates_in_order” is violated\.",)


def refused(reasons, service, *args, **kwargs):
    """Call a service; one that refuses (full cohort, completion before enrolment...) changes
    nothing, and must refuse for one of the reasons given (patterns of its messages): any other
    ValidationError is a failure, not a refusal."""
    try:
        return service(*args, **kwargs)
    except ValidationError as error:
        unexpected = [
            message
            for message in error.messages
            if not any(re.fullmatch(reason, message) for reason in reasons)
        ]
        assert error.messages and not unexpected, f"{service.__name__} refused unexpectedly: {unexpected}"
        return None


class OutcomeHistories(RuleBasedStateMachine):
    @initialize()
    def build_the_world(self):
        # Each run is undone at its end (teardown), so runs do not see each other's records.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.centres = [
            CentreFactory(
                slug=f"property-{n}", code=f"PR{chr(65 + n)}", district="Propertypur", state="Testland"
            )
            for n in range(2)
        ]
        self.trades = [TradeFactory(slug=f"property-trade-{n}") for n in range(2)]
        self.courses = [
            Course.objects.create(trade=self.trades[n % 2], title=f"Property course {n}") for n in range(3)
        ]
        self.cohorts = [
            Cohort.objects.create(
                course=self.courses[n],
                centre=self.centres[n % 2],
                start_date=datetime.date(2023, 1, 2),
                end_date=datetime.date(2023, 12, 31),
                capacity=3,
                status=Cohort.Status.RUNNING,
            ).pk
            for n in range(3)
        ]
        self.women = [
            Trainee.objects.create(
                centre=self.centres[n % 2],
                full_name=f"Property woman {n}",
                date_of_birth=datetime.date(1990, 1, 1),
            ).pk
            for n in range(4)
        ]
        # A history to start from, so that every step can change a figure: three women trained,
        # two of them in paying work.
        for cohort, women in ((0, [0, 2]), (1, [1, 3])):
            skills_services.enrol(
                [self.woman(n) for n in women], self.cohort(cohort), on=datetime.date(2023, 1, 2)
            )
        for n, on in ((0, DAYS[2]), (1, DAYS[1]), (2, DAYS[4])):
            enrolment = Enrolment.objects.get(trainee=self.women[n])
            skills_services.complete(enrolment, passed=True, on=on, early_reason="Found work")
        services.record_outcome(
            Placement(
                trainee=self.woman(0),
                employer_name="Shop",
                job_title="Helper",
                monthly_pay=9000,
                start_date=datetime.date(2023, 7, 1),
            )
        )
        services.record_outcome(
            SelfEmployment(
                trainee=self.woman(1), kind="Stall", monthly_income=5000, start_date=datetime.date(2024, 1, 1)
            )
        )

    def teardown(self):
        if hasattr(self, "atomic"):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    # Picking records: an index into what there is, so that Hypothesis can shrink it.

    def woman(self, n):
        return Trainee.objects.get(pk=self.women[n % len(self.women)])

    def cohort(self, n):
        return Cohort.objects.get(pk=self.cohorts[n % len(self.cohorts)])

    def enrolment(self, n):
        enrolments = list(Enrolment.objects.filter(trainee__in=self.women).order_by("pk"))
        return enrolments[n % len(enrolments)] if enrolments else None

    def outcome(self, n):
        outcomes = [
            *Placement.objects.filter(trainee__in=self.women).order_by("pk"),
            *SelfEmployment.objects.filter(trainee__in=self.women).order_by("pk"),
        ]
        return outcomes[n % len(outcomes)] if outcomes else None

    # The services

    @rule(
        woman=index, cohort=index, on=st.sampled_from([datetime.date(2023, 1, 2), datetime.date(2023, 2, 1)])
    )
    def enrol(self, woman, cohort, on):
        refused(ENROL_REFUSALS, skills_services.enrol, [self.woman(woman)], self.cohort(cohort), on=on)

    @rule(enrolment=index, passed=st.booleans(), on=days)
    def complete(self, enrolment, passed, on):
        if enrolment := self.enrolment(enrolment):
            refused(
                COMPLETE_REFUSALS,
                skills_services.complete,
                enrolment,
                passed=passed,
                on=on,
                early_reason="Found work",
            )

    @rule(enrolment=index)
    def drop_out(self, enrolment):
        if enrolment := self.enrolment(enrolment):
            refused(
                DROP_OUT_REFUSALS,
                skills_services.drop_out,
                enrolment,
                "Moved away",
                on=datetime.date(2023, 3, 1),
            )

    @rule(woman=index, start=days, end=maybe_days, pay=st.integers(1000, 20000))
    def place(self, woman, start, end, pay):
        job = Placement(
            trainee=self.woman(woman),
            employer_name="Shop",
            job_title="Helper",
            monthly_pay=pay,
            start_date=start,
            end_date=end,
        )
        refused(OUTCOME_REFUSALS, services.record_outcome, job)

    @rule(woman=index, start=days, end=maybe_days, income=st.integers(1000, 20000))
    def self_employ(self, woman, start, end, income):
        business = SelfEmployment(
            trainee=self.woman(woman), kind="Tailoring", monthly_income=income, start_date=start, end_date=end
        )
        refused(OUTCOME_REFUSALS, services.record_outcome, business)

    @rule(outcome=index, on=days, months=st.sampled_from(FollowUp.MONTHS))
    def stopped_at_follow_up(self, outcome, on, months):
        if outcome := self.outcome(outcome):
            follow_up = outcome.follow_ups.get(months=months)
            services.record_follow_up(follow_up, result=FollowUp.Result.STOPPED, on=on)

    @rule(outcome=index, start=days, end=maybe_days)
    def edit_outcome_dates(self, outcome, start, end):
        if outcome := self.outcome(outcome):
            outcome.start_date, outcome.end_date = start, end
            refused(OUTCOME_REFUSALS, services.record_outcome, outcome)

    @rule(outcome=index, woman=index)
    def move_outcome_to_another_woman(self, outcome, woman):
        if outcome := self.outcome(outcome):
            outcome.trainee = self.woman(woman)
            refused(OUTCOME_REFUSALS, services.record_outcome, outcome)

    # What the admin's own forms save, through the services their views call (placements.admin_views,
    # skills.views)

    @rule(outcome=index)
    def delete_outcome(self, outcome):
        if outcome := self.outcome(outcome):
            services.delete_outcome(outcome)

    @rule(enrolment=index)
    def delete_enrolment(self, enrolment):
        if enrolment := self.enrolment(enrolment):
            skills_services.delete_enrolment(enrolment)

    @rule(woman=index, centre=st.integers(0, 1))
    def move_woman_to_another_centre(self, woman, centre):
        trainee = self.woman(woman)
        trainee.centre = self.centres[centre]
        skills_services.save_trainee(trainee)

    @rule(cohort=index, course=index)
    def put_cohort_under_another_course(self, cohort, course):
        cohort = self.cohort(cohort)
        cohort.course = self.courses[course % len(self.courses)]
        skills_services.save_cohort(cohort)

    @rule(course=index, trade=st.integers(0, 1))
    def put_course_under_another_trade(self, course, trade):
        course = Course.objects.get(pk=self.courses[course % len(self.courses)].pk)
        course.trade = self.trades[trade]
        skills_services.save_course(course)

    @rule(cohort=index, days_later=st.integers(-40, 40))
    def shift_cohort_dates(self, cohort, days_later):
        """Nothing the figures count: the completion date is the enrolment's."""
        cohort = self.cohort(cohort)
        shift = datetime.timedelta(days=days_later)
        cohort.start_date, cohort.end_date = cohort.start_date + shift, cohort.end_date + shift
        skills_services.save_cohort(cohort)

    @invariant()
    def summaries_equal_the_direct_count(self):
        if not hasattr(self, "atomic"):
            return
        assert summaries.differences(first=min(self.women), last=max(self.women)) == ([], 0)
        assert_same_as_reference(Scope(district="Propertypur"), 2023, 2024, financial=True)


@pytest.mark.django_db
def test_random_sequences_of_services_keep_the_summaries_exact():
    run_state_machine_as_test(
        OutcomeHistories,
        settings=settings(max_examples=8, stateful_step_count=10, deadline=None, database=None),
    )
