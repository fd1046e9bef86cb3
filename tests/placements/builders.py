"""Builders for the placements tests: centres of their own with a history of training and work,
written in bulk (as the historical import writes) and small enough to count by hand.

A history plan is a list of Women lines: so many women of a centre who completed these courses on
these days and then had this work. FIGUREGARH and FIGURENAGAR are the plans most reports read;
their figures, counted by hand, are in the table below and in the tests that assert them."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from core import changes
from placements.models import FollowUp, Placement, SelfEmployment, months_after
from placements.public_figures import invalidate_public_figures
from skills.models import Cohort, Course, Enrolment, Trade, Trainee
from tests.factories import CentreFactory
from website.demo.site import ensure_child, ensure_translation, impact_figures
from website.models import CentreIndexPage, CentrePage

d = datetime.date


@dataclass(frozen=True)
class Job:
    """A salaried job from start to end (None: still in it), with the follow-ups done on their due
    day: {months: FollowUp.Result}."""

    start: datetime.date
    end: datetime.date | None = None
    pay: int = 10000
    follow_ups: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Business:
    """Self-employment from start to end (None: still running), follow-ups as for a Job."""

    start: datetime.date
    end: datetime.date | None = None
    income: int = 6000
    follow_ups: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Women:
    """count women, each of whom completed every (trade slug, day) course of `completed` and then
    had the work in `work`, in that order; shares_profile: she agreed to be shown to employers."""

    count: int
    completed: tuple
    work: tuple = ()
    shares_profile: bool = False


# Figuregarh (district Figuregarh, state Figure Pradesh), counted by hand:
#   completed                          women  then                                      FY
#   tailoring 30 Jun 2016                 6   in business since Aug 2016 (₹6,000)        2016-17
#                                         2   salaried Aug 2016 to Dec 2017 (ended)
#                                         2   no work
#   jute handiwork 31 Mar 2019            5   salaried since May 2019 (₹10,000)          2018-19
#                                         3   no work
#   retail marketing 1 Apr 2019           7   no work                                    2019-20
#   tailoring 1 Jun 2024                  9   in business since Jul 2024 (₹6,000),       2024-25
#                                             still working at the 3-month follow-up
#                                         3   no work
#   jute handiwork 1 Jun 2024             6   no work                                    2024-25
#   retail marketing 1 Jun 2024           4   salaried since Jul 2024 (₹10,000),         2024-25
#                                             still working at the 3-month follow-up
#                                         1   the same job, unreachable at 3 months
#   tailoring 1 Mar 2024 and              1   no work (two trades, one woman)            2023-24,
#     retail marketing 1 Sep 2024                                                        2024-25
# Since 2016: 49 trained; today 25 in paying work (10 salaried, 15 self-employed), average
# income (15 × 6,000 + 10 × 10,000) / 25 = ₹7,600.
# 2024: 24 trained (tailoring 13, jute handiwork 6, retail marketing 6); on 31 Dec 2024, 14 in
# paying work (5 salaried, 9 self-employed); at 3 months 13 of 14 followed up still working.
# 2019: 15 trained, 5 salaried on 31 Dec. FY 2018-19: 8 trained, none working on 31 Mar 2019.
# 2016: 10 trained; on 31 Dec 2016, 8 in paying work (2 salaried, 6 self-employed).
FIGUREGARH = [
    Women(6, (("tailoring", d(2016, 6, 30)),), (Business(d(2016, 8, 1)),)),
    Women(2, (("tailoring", d(2016, 6, 30)),), (Job(d(2016, 8, 1), end=d(2017, 12, 31)),)),
    Women(2, (("tailoring", d(2016, 6, 30)),)),
    Women(5, (("jute-handiwork", d(2019, 3, 31)),), (Job(d(2019, 5, 1)),)),
    Women(3, (("jute-handiwork", d(2019, 3, 31)),)),
    Women(7, (("retail-marketing", d(2019, 4, 1)),)),
    Women(9, (("tailoring", d(2024, 6, 1)),), (Business(d(2024, 7, 1), follow_ups={3: "still_working"}),)),
    Women(3, (("tailoring", d(2024, 6, 1)),)),
    Women(6, (("jute-handiwork", d(2024, 6, 1)),)),
    Women(4, (("retail-marketing", d(2024, 6, 1)),), (Job(d(2024, 7, 1), follow_ups={3: "still_working"}),)),
    Women(1, (("retail-marketing", d(2024, 6, 1)),), (Job(d(2024, 7, 1), follow_ups={3: "unreachable"}),)),
    Women(1, (("tailoring", d(2024, 3, 1)), ("retail-marketing", d(2024, 9, 1)))),
]

# Figurenagar (district Figurenagar, state Figure Pradesh): 1,200 trained (tailoring, 30 Sep 2021),
# 700 of them in business since November 2021. Enough women for thousands to be grouped.
FIGURENAGAR = [
    Women(700, (("tailoring", d(2021, 9, 30)),), (Business(d(2021, 11, 1)),)),
    Women(500, (("tailoring", d(2021, 9, 30)),)),
]

STATE = ("Figure Pradesh", "फ़िगर प्रदेश")


def figure_centre(slug, code, name, name_hi, district, district_hi):
    """A centre of the tests' own, in a district and a state that no seed has."""
    return CentreFactory(
        slug=slug,
        code=code,
        name=name,
        name_hi=name_hi,
        district=district,
        district_hi=district_hi,
        state=STATE[0],
        state_hi=STATE[1],
    )


def figuregarh():
    """The centre of the FIGUREGARH plan, with its history."""
    centre = figure_centre(
        "figuregarh", "FGH", "Sakhi Centre, Figuregarh", "सखी केंद्र, फ़िगरगढ़", "Figuregarh", "फ़िगरगढ़"
    )
    build_history(centre, FIGUREGARH)
    return centre


def figurenagar():
    """The centre of the FIGURENAGAR plan, with its history."""
    centre = figure_centre(
        "figurenagar", "FGN", "Sakhi Centre, Figurenagar", "सखी केंद्र, फ़िगरनगर", "Figurenagar", "फ़िगरनगर"
    )
    build_history(centre, FIGURENAGAR)
    return centre


def build_history(centre, plan):
    """Write a history plan for a centre; return its women, in the plan's order.

    One completed cohort per trade and day; the rows in bulk, then the summaries and the public
    figures brought up to date as they are after the historical import."""
    trainees, completions, work = [], [], []
    for line in plan:
        for _ in range(line.count):
            trainees.append(
                Trainee(
                    centre=centre,
                    full_name=f"{centre.name} woman {len(trainees) + 1}",
                    date_of_birth=d(1995, 1, 1),
                    district=centre.district,
                    consent_share_with_employers=line.shares_profile,
                    consent_share_recorded_at=timezone.now() if line.shares_profile else None,
                )
            )
            completions.append(line.completed)
            work.append(line.work)
    trainees = Trainee.objects.bulk_create(trainees)
    cohorts = completed_cohorts(centre, {course for courses in completions for course in courses})
    Enrolment.objects.bulk_create(
        Enrolment(
            trainee=trainee,
            cohort=cohorts[trade, day],
            status=Enrolment.Status.COMPLETED,
            enrolled_on=cohorts[trade, day].start_date,
            completed_on=day,
        )
        for trainee, courses in zip(trainees, completions, strict=True)
        for trade, day in courses
    )
    write_work(zip(trainees, work, strict=True))
    # Written past the services, as the historical import writes: announced as it announces them.
    changes.changed(changes.RECORDS_IMPORTED, [trainee.pk for trainee in trainees])
    invalidate_public_figures()
    return trainees


def completed_cohorts(centre, courses):
    """{(trade slug, day): a completed cohort of the trade's course at the centre, ended that day}."""
    cohorts = {}
    for trade_slug, day in sorted(courses):
        trade = Trade.objects.get(slug=trade_slug)
        course = Course.objects.filter(trade=trade).first() or Course.objects.create(
            trade=trade, title=trade.name
        )
        start = day - datetime.timedelta(days=60)
        cohorts[trade_slug, day] = Cohort.objects.create(
            course=course,
            centre=centre,
            start_date=start,
            end_date=day,
            capacity=2000,
            status=Cohort.Status.COMPLETED,
        )
    return cohorts


def write_work(women_and_work):
    """The jobs and businesses of each woman, with their follow-ups at 3, 6 and 12 months."""
    outcomes = []
    for trainee, work in women_and_work:
        for item in work:
            if isinstance(item, Job):
                outcome = job_of(
                    trainee, item.start, pay=item.pay, end=item.end, employer="Figure Stores", title="Helper"
                )
            else:
                outcome = SelfEmployment(
                    trainee=trainee,
                    kind="Tailoring",
                    monthly_income=item.income,
                    start_date=item.start,
                    end_date=item.end,
                )
            outcomes.append((outcome, item))
    Placement.objects.bulk_create(o for o, _item in outcomes if isinstance(o, Placement))
    SelfEmployment.objects.bulk_create(o for o, _item in outcomes if isinstance(o, SelfEmployment))
    follow_ups = []
    for outcome, item in outcomes:
        for months in FollowUp.MONTHS:
            due = months_after(outcome.start_date, months)
            result = item.follow_ups.get(months, "")
            follow_ups.append(
                FollowUp(
                    **{"placement" if isinstance(outcome, Placement) else "self_employment": outcome},
                    months=months,
                    due_on=due,
                    done_on=due if result else None,
                    result=result,
                    monthly_income=getattr(outcome, "monthly_pay", None) or outcome.monthly_income
                    if result == FollowUp.Result.STILL_WORKING
                    else None,
                )
            )
    FollowUp.objects.bulk_create(follow_ups)


def completed_course(centre, course, completed_on, name, register_number=""):
    """A woman of the centre who completed a cohort of the course that ended on completed_on,
    written row by row with no summary refreshed: the caller announces the change it stands for."""
    woman = Trainee.objects.create(
        centre=centre,
        full_name=name,
        register_number=register_number,
        date_of_birth=datetime.date(1990, 1, 1),
    )
    cohort = Cohort.objects.create(
        course=course,
        centre=centre,
        start_date=completed_on - datetime.timedelta(days=60),
        end_date=completed_on,
        capacity=30,
        status=Cohort.Status.COMPLETED,
    )
    Enrolment.objects.create(
        trainee=woman,
        cohort=cohort,
        status=Enrolment.Status.COMPLETED,
        enrolled_on=cohort.start_date,
        completed_on=completed_on,
    )
    return woman


def job_of(woman, start, *, pay=9000, end=None, employer="Mill", title="Weaver"):
    """Her salaried job from `start` (to `end`: None, still in it), not saved yet: record it
    through placements.services.record_outcome, or write many in bulk."""
    return Placement(
        trainee=woman,
        employer_name=employer,
        job_title=title,
        monthly_pay=pay,
        start_date=start,
        end_date=end,
    )


def centre_pages(centre, hindi):
    """The centre's page under the centres index, in English and Hindi, showing its figures since
    2016 (as the site's own centre pages do)."""
    index = CentreIndexPage.objects.get(locale__language_code="en")
    page = ensure_child(
        index, CentrePage, centre.slug, title=centre.name, centre=centre, body=impact_figures(centre.slug)
    )
    ensure_translation(page, hindi, title=centre.name_hi)
    return page


def trained_women(centre):
    """The women of a centre with a completed enrolment."""
    return Trainee.objects.filter(centre=centre, enrolments__status=Enrolment.Status.COMPLETED).distinct()
