"""The outcome figures against hand-counted fixtures, including the tricky cases, and a
hand-counted history through the report_outcomes command."""

import datetime
import json
import re

import pytest
from django.core.management import CommandError, call_command

from core import changes
from placements import services
from placements.models import FollowUp, Placement, SelfEmployment
from placements.outcomes import Period, Scope, figures, report
from skills.models import Cohort, Course, Enrolment, Trainee
from tests.conftest import rolled_back_afterwards
from tests.factories import CentreFactory

from . import builders


@pytest.fixture
def centre(db):
    return CentreFactory(slug="figurepur", code="FIG", district="Figurepur", state="Testland")


def woman(centre, name):
    return Trainee.objects.create(centre=centre, full_name=name, date_of_birth=datetime.date(1990, 1, 1))


def completion(trainee, trade_slug, completed_on, status=Enrolment.Status.COMPLETED):
    course = Course.objects.get(trade__slug=trade_slug)
    start = completed_on - datetime.timedelta(days=60)
    cohort = Cohort.objects.create(
        course=course,
        centre=trainee.centre,
        start_date=start,
        end_date=completed_on,
        capacity=30,
        seats_taken=1,
    )
    enrolment = Enrolment.objects.create(
        trainee=trainee,
        cohort=cohort,
        status=status,
        enrolled_on=start,
        completed_on=completed_on if status == Enrolment.Status.COMPLETED else None,
    )
    changes.changed(changes.ENROLMENTS, [trainee.pk])  # written past the services: say so
    return enrolment


def job(trainee, start, end=None, pay=10000):
    return services.record_outcome(
        Placement(
            trainee=trainee,
            employer_name="Shop",
            job_title="Helper",
            monthly_pay=pay,
            start_date=start,
            end_date=end,
        )
    )


def business(trainee, start, end=None, income=6000):
    return services.record_outcome(
        SelfEmployment(
            trainee=trainee, kind="Tailoring", monthly_income=income, start_date=start, end_date=end
        )
    )


def test_a_woman_with_two_completions_is_trained_once(centre):
    asha = woman(centre, "Asha Devi")
    completion(asha, "tailoring", datetime.date(2023, 3, 1))
    completion(asha, "jute-handiwork", datetime.date(2023, 9, 1))
    result = figures(Scope(centre="figurepur"), Period.year(2023))
    assert result.trained == 1
    assert result.completed_by_trade == {"jute-handiwork": 1, "tailoring": 1}


def test_dropouts_and_not_passed_are_not_trained(centre):
    completion(
        woman(centre, "Rekha"), "tailoring", datetime.date(2023, 3, 1), status=Enrolment.Status.NOT_PASSED
    )
    completion(
        woman(centre, "Meena"), "tailoring", datetime.date(2023, 3, 1), status=Enrolment.Status.DROPPED
    )
    assert figures(Scope(centre="figurepur"), Period.year(2023)).trained == 0


def test_paying_work_counts_the_latest_outcome_on_the_report_date(centre):
    ended = woman(centre, "Ended Job")
    completion(ended, "tailoring", datetime.date(2023, 3, 1))
    job(ended, datetime.date(2023, 4, 1), end=datetime.date(2023, 10, 31))

    switched = woman(centre, "Job Then Business")
    completion(switched, "tailoring", datetime.date(2023, 3, 1))
    job(switched, datetime.date(2023, 4, 1), end=datetime.date(2023, 6, 30))
    business(switched, datetime.date(2023, 7, 1))

    salaried = woman(centre, "Still Salaried")
    completion(salaried, "retail-marketing", datetime.date(2023, 5, 1))
    job(salaried, datetime.date(2023, 6, 1), pay=12000)

    later = woman(centre, "Starts Next Year")
    completion(later, "retail-marketing", datetime.date(2023, 11, 1))
    business(later, datetime.date(2024, 2, 1))

    result = figures(Scope(centre="figurepur"), Period.year(2023))
    assert (result.trained, result.in_paying_work, result.salaried, result.self_employed) == (4, 2, 1, 1)
    assert result.placement_rate == 0.5
    assert result.average_monthly_income == (12000 + 6000) // 2

    # Financial year 2023-24 (April to March): the two who completed in March 2023 belong to
    # 2022-23; of the other two, one is salaried and one had started her business by 31 March 2024.
    fy = figures(Scope(centre="figurepur"), Period.year(2023, financial=True))
    assert (fy.trained, fy.salaried, fy.self_employed) == (2, 1, 1)
    # And on 31 March 2023 nobody had started work yet (the jobs began in April).
    before = figures(Scope(centre="figurepur"), Period.year(2022, financial=True))
    assert (before.trained, before.in_paying_work) == (2, 0)


def test_a_follow_up_that_found_her_stopped_ends_the_outcome(centre):
    sunita = woman(centre, "Sunita")
    completion(sunita, "tailoring", datetime.date(2023, 1, 10))
    placement = job(sunita, datetime.date(2023, 2, 1))
    three, six, twelve = placement.follow_ups.order_by("months")
    assert (three.due_on, six.due_on, twelve.due_on) == (
        datetime.date(2023, 5, 1),
        datetime.date(2023, 8, 1),
        datetime.date(2024, 2, 1),
    )
    services.record_follow_up(
        three, result=FollowUp.Result.STILL_WORKING, monthly_income=10000, on=datetime.date(2023, 5, 2)
    )
    services.record_follow_up(six, result=FollowUp.Result.STOPPED, on=datetime.date(2023, 8, 3))
    placement.refresh_from_db()
    assert placement.end_date == datetime.date(2023, 8, 3)
    result = figures(Scope(centre="figurepur"), Period.year(2023))
    assert result.in_paying_work == 0
    assert (
        result.still_working[3] == (1, 1)
        and result.still_working[6] == (0, 1)
        and result.still_working[12] == (0, 0)
    )


def test_financial_year_boundary(centre):
    march = woman(centre, "Finished 31 March")
    completion(march, "tailoring", datetime.date(2024, 3, 31))
    april = woman(centre, "Finished 1 April")
    completion(april, "tailoring", datetime.date(2024, 4, 1))
    scope = Scope(centre="figurepur")
    assert figures(scope, Period.year(2023, financial=True)).trained == 1  # April 2023 to March 2024
    assert figures(scope, Period.year(2024, financial=True)).trained == 1  # April 2024 to March 2025
    assert figures(scope, Period.year(2024)).trained == 2
    assert Period.year(2023, financial=True).label == "2023-24"


def test_a_centre_with_no_data(centre):
    result = figures(Scope(centre="figurepur"), Period.years(2016, 2025))
    assert (result.trained, result.in_paying_work, result.placement_rate, result.average_monthly_income) == (
        0,
        0,
        None,
        None,
    )
    assert report(Scope(centre="figurepur"), 2016, 2025).trades == []


def test_scope_by_district_and_state(centre):
    completion(woman(centre, "One"), "tailoring", datetime.date(2022, 5, 1))
    other = CentreFactory(slug="elsewhere", code="ELS", district="Elsewhere", state="Testland")
    completion(woman(other, "Two"), "tailoring", datetime.date(2022, 5, 1))
    period = Period.year(2022)
    assert figures(Scope(district="Figurepur"), period).trained == 1
    assert figures(Scope(state="Testland"), period).trained == 2


@pytest.fixture(scope="module")
def figuregarh_history(django_db_setup, django_db_blocker):
    """Figuregarh's history (tests/placements/builders.py has it counted by hand)."""
    with rolled_back_afterwards(django_db_blocker):
        yield builders.figuregarh()


@pytest.fixture
def figuregarh(db, figuregarh_history):
    return figuregarh_history


def report_json(capsys, *args):
    call_command("report_outcomes", "--centre", "figuregarh", *args, "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_report_outcomes_prints_the_figures_counted_by_hand(figuregarh, capsys):
    since_2016 = report_json(capsys, "--from", "2016")["total"]
    assert (since_2016["trained"], since_2016["in_paying_work"]) == (49, 25)
    assert (since_2016["salaried"], since_2016["self_employed"]) == (10, 15)
    assert since_2016["average_monthly_income"] == 7600

    year_2024 = report_json(capsys, "--from", "2024", "--to", "2024")["total"]
    assert year_2024["completed_by_trade"] == {"jute-handiwork": 6, "retail-marketing": 6, "tailoring": 13}
    assert (year_2024["trained"], year_2024["self_employed"], year_2024["salaried"]) == (24, 9, 5)
    assert year_2024["still_working"]["3_months"] == {"still_working": 13, "followed_up": 14}

    years = {year["period"]: year for year in report_json(capsys, "--from", "2016", "--to", "2019")["years"]}
    assert [(year["trained"], year["salaried"], year["self_employed"]) for year in years.values()] == [
        (10, 2, 6),
        (0, 0, 0),
        (0, 0, 0),
        (15, 5, 0),
    ]

    financial = report_json(capsys, "--from", "2018", "--to", "2019", "--financial-year")
    by_year = {year["period"]: (year["trained"], year["in_paying_work"]) for year in financial["years"]}
    assert by_year == {"2018-19": (8, 0), "2019-20": (7, 0)}


def test_report_outcomes_formats_and_errors(figuregarh, capsys):
    call_command("report_outcomes", "--centre", "figuregarh", "--from", "2024", "--to", "2024")
    table = capsys.readouterr().out
    assert "Outcomes for figuregarh, 2024" in table
    assert re.search(r"^  trained +24$", table, re.M) and re.search(
        r"^  in paying work today +14$", table, re.M
    )
    call_command(
        "report_outcomes", "--centre", "figuregarh", "--from", "2023", "--to", "2024", "--financial-year",
        "--format", "csv",
    )  # fmt: skip
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("period,trained") and lines[1].startswith("2023-24 to 2024-25,24,14,5,9,")
    assert [line.split(",")[:3] for line in lines[2:]] == [["2023-24", "1", "0"], ["2024-25", "24", "14"]]
    call_command("report_outcomes", "--from", "2023", "--to", "2024", "--financial-year", "--format", "csv")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("period,trained") and lines[1].startswith("2023-24 to 2024-25,")
    with pytest.raises(CommandError, match='No centre "nowhere"'):
        call_command("report_outcomes", "--centre", "nowhere")
