"""The figures read from the reporting summaries equal the figures computed straight from the
tracker (tests/placements/reference_outcomes.py), on histories counted by hand and on random
histories full of the tricky cases; every way the application changes the records (services, admin
forms, the import) keeps the summaries in step; and refresh_outcome_summaries --check finds a write
that did not."""

import datetime
import random
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from core import changes
from placements import services, summaries
from placements.models import FollowUp, Placement, SelfEmployment, TrainedWoman, TrainedWomanTrade, WorkSpell
from placements.outcomes import Period, Scope, report
from skills import services as skills_services
from skills.models import Centre, Cohort, Course, Enrolment, Trade, Trainee
from tests.conftest import rolled_back_afterwards
from tests.factories import CentreFactory, TradeFactory
from tests.forms import form_data
from website.demo.users import seed_users

from . import builders
from . import reference_outcomes as reference


def assert_same_as_reference(scope, first, last, financial=False):
    computed = report(scope, first, last, financial, every_year_in_detail=True)
    span = Period.years(first, last, financial)
    assert computed.total.as_dict() == reference.figures(scope, span).as_dict()
    expected_years = reference.by_year(scope, first, last, financial)
    assert [year.as_dict() for year in computed.years] == [year.as_dict() for year in expected_years]
    assert computed.trades == reference.by_trade(scope, span)
    return computed


def summary_rows():
    """Everything in the summaries, to compare a rebuild from scratch with what the services kept."""
    return (
        sorted(
            TrainedWoman.objects.values_list("trainee_id", "centre_id", "calendar_years", "financial_years")
        ),
        sorted(
            TrainedWomanTrade.objects.values_list(
                "trainee_id", "trade_id", "centre_id", "calendar_years", "financial_years"
            )
        ),
        sorted(
            WorkSpell.objects.values_list(
                "trainee_id", "kind", "income", "started_on", "superseded_on", "ended_on", "calendar_years"
            )
        ),
    )


def assert_summaries_current():
    assert summaries.differences() == ([], 0)
    kept = summary_rows()
    summaries.refresh()
    assert summary_rows() == kept


@pytest.fixture(scope="class")
def built(django_db_setup, django_db_blocker):
    """Figuregarh and Figurenagar (tests/placements/builders.py), for one class of tests."""
    with rolled_back_afterwards(django_db_blocker):
        yield builders.figuregarh(), builders.figurenagar()


class TestHistoriesCountedByHand:
    @pytest.mark.parametrize("financial", [False, True])
    def test_their_figures_equal_the_reference(self, db, built, financial):
        this_year = datetime.date.today().year
        figuregarh = assert_same_as_reference(Scope(centre="figuregarh"), 2016, this_year, financial)
        assert (figuregarh.total.trained, figuregarh.total.in_paying_work) == (49, 25)
        for scope in (
            Scope(),
            Scope(state="Figure Pradesh"),
            Scope(district="Figurenagar"),
            Scope(district="Patna"),
            Scope(centre="buxar"),
            Scope(centre_ids=(built[0].pk,)),
            Scope(centre_ids=()),
        ):
            assert_same_as_reference(scope, 2016, this_year, financial)
        assert_summaries_current()


# Random histories: women at two centres (some trained in a cohort of the other centre), one to
# three completions each on dates that crowd the year and financial-year boundaries, up to three
# outcomes each with shared start days, ends and overlaps, and follow-ups done or not, some stopped.
BOUNDARY_DAYS = [(1, 1), (3, 31), (4, 1), (6, 15), (12, 31)]


def random_day(rng, years):
    month, day = rng.choice(BOUNDARY_DAYS) if rng.random() < 0.6 else (rng.randint(1, 12), rng.randint(1, 28))
    return datetime.date(rng.choice(years), month, day)


def random_history(rng, centres, women=30):
    courses = list(Course.objects.select_related("trade"))
    for n in range(women):
        home = rng.choice(centres)
        trainee = Trainee.objects.create(
            centre=home, full_name=f"Woman {n}", date_of_birth=datetime.date(1990, 1, 1)
        )
        for _ in range(rng.randint(0, 3)):
            completed_on = random_day(rng, [2021, 2022, 2023, 2024])
            start = completed_on - datetime.timedelta(days=30)
            cohort = Cohort.objects.create(
                course=rng.choice(courses),
                centre=home if rng.random() < 0.8 else rng.choice(centres),
                start_date=start,
                end_date=completed_on,
                capacity=30,
                seats_taken=1,
            )
            status = rng.choice([Enrolment.Status.COMPLETED] * 4 + [Enrolment.Status.NOT_PASSED])
            Enrolment.objects.create(
                trainee=trainee,
                cohort=cohort,
                status=status,
                enrolled_on=start,
                completed_on=completed_on if status == Enrolment.Status.COMPLETED else None,
            )
        # Written straight to the tables (a cohort of another centre, a past completion), as the
        # historical import writes them, and announced as it announces them.
        changes.changed(changes.RECORDS_IMPORTED, [trainee.pk])
        starts = []
        for _ in range(rng.randint(0, 3)):
            start = (
                rng.choice(starts)
                if starts and rng.random() < 0.3
                else random_day(rng, [2021, 2022, 2023, 2024])
            )
            starts.append(start)
            end = start + datetime.timedelta(days=rng.randint(0, 500)) if rng.random() < 0.4 else None
            if rng.random() < 0.5:
                outcome = builders.job_of(trainee, start, pay=rng.randint(5000, 15000), end=end)
            else:
                outcome = SelfEmployment(
                    trainee=trainee,
                    kind="Tailoring",
                    monthly_income=rng.randint(3000, 12000),
                    start_date=start,
                    end_date=end,
                )
            services.record_outcome(outcome)
            for follow_up in outcome.follow_ups.all():
                if rng.random() < 0.6 and follow_up.due_on <= datetime.date.today():
                    result = rng.choice(list(FollowUp.Result.values))
                    done_on = min(
                        follow_up.due_on + datetime.timedelta(days=rng.randint(0, 40)), datetime.date.today()
                    )
                    services.record_follow_up(follow_up, result=result, on=done_on)


@pytest.mark.parametrize("seed", range(6))
def test_random_histories_equal_the_reference(db, seed):
    rng = random.Random(seed)
    centres = [
        CentreFactory(
            slug=f"first-{seed}", code=f"R{chr(65 + seed)}A", district="Randompur", state="Testland"
        ),
        CentreFactory(
            slug=f"second-{seed}", code=f"R{chr(65 + seed)}B", district="Randompur", state="Testland"
        ),
    ]
    random_history(rng, centres)
    for scope in (
        Scope(centre=centres[0].slug),
        Scope(centre=centres[1].slug),
        Scope(district="Randompur"),
        Scope(centre_ids=(centres[0].pk,)),
    ):
        for financial in (False, True):
            assert_same_as_reference(scope, 2021, 2024, financial)
            assert_same_as_reference(scope, 2022, 2022, financial)
    everywhere = assert_same_as_reference(Scope(), 2020, datetime.date.today().year)
    assert everywhere.total.trained > 0 and everywhere.total.in_paying_work > 0  # not vacuous
    assert_summaries_current()


@pytest.fixture
def history(db):
    rng = random.Random(42)
    centres = [
        CentreFactory(slug="one", code="ONE", district="Changepur", state="Testland"),
        CentreFactory(slug="two", code="TWO", district="Changepur", state="Testland"),
    ]
    random_history(rng, centres, women=12)
    return centres


@pytest.fixture
def admin_client(client, history, django_user_model):
    seed_users()
    client.force_login(django_user_model.objects.get(username="admin"))
    return client


def edit_in_admin(client, viewset, instance, **changes):
    url = reverse(f"{viewset}:edit", args=[instance.pk])
    data = form_data(client.get(url).context["form"])
    data.update({name: str(value) for name, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors


def delete_in_admin(client, viewset, instance):
    response = client.post(reverse(f"{viewset}:delete", args=[instance.pk]))
    assert response.status_code == 302


def test_moving_a_woman_to_another_centre_moves_her_figures(history, admin_client):
    trainee = TrainedWoman.objects.filter(centre=history[0]).first().trainee
    edit_in_admin(admin_client, "skills_trainee", trainee, centre=history[1].pk)
    assert TrainedWoman.objects.get(trainee=trainee).centre == history[1]
    assert_summaries_current()
    assert_same_as_reference(Scope(centre="two"), 2021, 2024)


def test_changing_a_courses_trade_or_a_cohorts_course_moves_the_trade_figures(history, admin_client):
    cohort = Cohort.objects.filter(enrolments__status=Enrolment.Status.COMPLETED, centre__in=history).first()
    other_course = Course.objects.exclude(trade=cohort.course.trade_id).first()
    edit_in_admin(admin_client, "skills_cohort", cohort, course=other_course.pk)
    woman = cohort.enrolments.filter(status=Enrolment.Status.COMPLETED).first().trainee_id
    assert TrainedWomanTrade.objects.filter(trainee=woman, trade=other_course.trade_id).exists()
    assert_summaries_current()
    other_trade = Trade.objects.exclude(pk=other_course.trade_id).first()
    edit_in_admin(admin_client, "skills_course", other_course, trade=other_trade.pk)
    assert TrainedWomanTrade.objects.filter(trainee=woman, trade=other_trade).exists()
    assert_summaries_current()
    assert_same_as_reference(Scope(district="Changepur"), 2021, 2024)


def test_moving_an_outcome_to_another_woman_rewrites_both(history, admin_client):
    placement, business = (
        model.objects.filter(trainee__in=TrainedWoman.objects.filter(centre__in=history).values("trainee"))
        .order_by("pk")
        .first()
        for model in (Placement, SelfEmployment)
    )
    first, second = (
        Trainee.objects.create(centre=history[1], full_name=name, date_of_birth=datetime.date(1991, 1, 1))
        for name in ("Right Woman", "Other Woman")
    )
    skills_services.enrol([first, second], running_cohort(history[1]), on=datetime.date(2024, 1, 2))
    edit_in_admin(admin_client, "placements_placement", placement, trainee=first.pk)  # the admin form
    business.trainee = second
    services.record_outcome(business)  # the service, as confirming a hire does
    assert_summaries_current()
    assert_same_as_reference(Scope(district="Changepur"), 2021, 2024)


def running_cohort(centre):
    return Cohort.objects.create(
        course=Course.objects.first(),
        centre=centre,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 3, 1),
        capacity=30,
        status=Cohort.Status.RUNNING,
    )


def test_deleting_an_outcome_or_an_enrolment_or_undoing_a_completion_updates_the_summaries(
    history, admin_client
):
    trained = TrainedWoman.objects.filter(centre__in=history).values("trainee")
    delete_in_admin(
        admin_client, "placements_placement", Placement.objects.filter(trainee__in=trained).first()
    )
    delete_in_admin(
        admin_client, "placements_selfemployment", SelfEmployment.objects.filter(trainee__in=trained).first()
    )
    completed = Enrolment.objects.filter(trainee__centre__in=history, status=Enrolment.Status.COMPLETED)
    delete_in_admin(admin_client, "skills_enrolment", completed.first())
    assert_summaries_current()
    skills_services.complete(completed.first(), passed=False, on=datetime.date.today())
    assert_summaries_current()
    assert_same_as_reference(Scope(district="Changepur"), 2021, 2024, financial=True)


def test_enrolling_completing_dropping_and_a_stopped_follow_up_update_the_summaries(history):
    woman = Trainee.objects.create(
        centre=history[0], full_name="New Woman", date_of_birth=datetime.date(1992, 2, 2)
    )
    other = Trainee.objects.create(
        centre=history[0], full_name="Dropped Woman", date_of_birth=datetime.date(1992, 2, 2)
    )
    enrolment, dropped = skills_services.enrol(
        [woman, other], running_cohort(history[0]), on=datetime.date(2024, 1, 2)
    )
    skills_services.drop_out(dropped, "Moved away", on=datetime.date(2024, 2, 1))
    skills_services.complete(enrolment, passed=True, on=datetime.date(2024, 3, 1))
    assert TrainedWoman.objects.filter(trainee=woman).exists()
    job = services.record_outcome(builders.job_of(woman, datetime.date(2024, 4, 1), pay=8000))
    services.record_follow_up(
        job.follow_ups.get(months=3), result=FollowUp.Result.STOPPED, on=datetime.date(2024, 7, 5)
    )
    assert WorkSpell.objects.get(trainee=woman).ended_on == datetime.date(2024, 7, 5)
    assert_summaries_current()


def test_the_historical_import_updates_the_summaries(db):
    from skills.importer import import_records

    lucknow = Centre.objects.get(slug="lucknow")
    before = TrainedWoman.objects.filter(centre=lucknow).count()
    source = (
        "centre,register_number,full_name,date_of_birth,trade,course,cohort_start,cohort_end,status,completion_date\n"
        + "".join(
            f"lucknow,IMP/{n},Imported Woman {n},1990-01-0{n + 1},tailoring,Tailoring and dress making,"
            "2019-01-07,2019-03-29,completed,2019-03-29\n"
            for n in range(3)
        )
    )
    result = import_records(source)
    assert not result.problems, result.problems
    assert TrainedWoman.objects.filter(centre=lucknow).count() == before + 3
    assert_summaries_current()


def test_refresh_command_rebuilds_from_nothing(history, capsys):
    kept = summary_rows()
    assert kept[0] and kept[2]  # not vacuous
    with connection.cursor() as cursor:
        for table in ("placements_workspell", "placements_trainedwomantrade", "placements_trainedwoman"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (constant table names)
    call_command("refresh_outcome_summaries")
    assert summary_rows() == kept
    assert "women trained" in capsys.readouterr().out


def test_check_passes_on_current_summaries(history, capsys):
    call_command("refresh_outcome_summaries", "--check")
    assert "The summaries match the tracker" in capsys.readouterr().out


def test_check_fails_on_a_write_that_skipped_the_summaries_and_says_what_differs(history, capsys):
    completed = Enrolment.objects.completed().filter(trainee__centre__in=history).order_by("pk").first()
    # Writes past the services, as SQL or a careless bulk update would make them.
    Enrolment.objects.filter(pk=completed.pk).update(completed_on=datetime.date(2060, 6, 6))
    spell = (
        WorkSpell.objects.filter(kind=WorkSpell.SALARIED)
        .exclude(trainee=completed.trainee_id)
        .order_by("trainee_id", "started_on")
        .first()
    )
    job = Placement.objects.filter(trainee=spell.trainee_id, start_date=spell.started_on).first()
    Placement.objects.filter(pk=job.pk).update(monthly_pay=1)
    with pytest.raises(CommandError, match="differ from the tracker"):
        call_command("refresh_outcome_summaries", "--check")
    printed = capsys.readouterr().err
    assert f"TrainedWoman extra: trainee_id={completed.trainee_id}," in printed
    assert f"TrainedWoman missing: trainee_id={completed.trainee_id}," in printed
    assert "WorkSpell missing:" in printed and "income=1," in printed
    call_command("refresh_outcome_summaries")
    call_command("refresh_outcome_summaries", "--check")


def test_a_period_outside_the_summaries_years_is_refused(db):
    assert Period.year(2000).years_mask == 2  # calendar 2000 is bit 1; financial 1999-2000 is bit 0
    with pytest.raises(ValueError, match="Years must run"):
        Period.year(1999)
    with pytest.raises(CommandError, match="Years must run from 2000 to 2060"):
        call_command("report_outcomes", "--from", "1998", "--to", "2001")


def test_migrate_builds_missing_summaries_and_leaves_present_ones(history):
    kept = summary_rows()
    assert kept[0]  # not vacuous
    with connection.cursor() as cursor:
        for table in ("placements_workspell", "placements_trainedwomantrade", "placements_trainedwoman"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (constant table names)
    call_command("migrate", verbosity=0)
    assert summary_rows() == kept


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a PostgreSQL feature (SQLite serialises writers); CI runs this on PostgreSQL 15",
)
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_recording_outcomes_for_one_woman_at_once_leave_one_set_of_rows():
    """Without the lock on her row, each transaction would delete the spells it could see and
    insert its own: both sets would stay and she would be counted twice."""
    centre = CentreFactory(slug="together", code="TGT")
    course = Course.objects.create(trade=TradeFactory(), title="Weaving")
    trainee = Trainee.objects.create(
        centre=centre, full_name="Sunita", date_of_birth=datetime.date(1990, 1, 1)
    )
    cohort = Cohort.objects.create(
        course=course,
        centre=centre,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 3, 1),
        capacity=20,
    )
    Enrolment.objects.create(
        trainee=trainee,
        cohort=cohort,
        status=Enrolment.Status.COMPLETED,
        enrolled_on=datetime.date(2024, 1, 1),
        completed_on=datetime.date(2024, 3, 1),
    )
    changes.changed(changes.ENROLMENTS, [trainee.pk])  # written past the services: announced
    services.record_outcome(
        SelfEmployment(
            trainee=trainee, kind="Stall", monthly_income=4000, start_date=datetime.date(2024, 4, 1)
        )
    )
    first_written, second_started = threading.Event(), threading.Event()
    errors = []

    def first():
        from django.db import connection as thread_connection

        try:
            with transaction.atomic():
                services.record_outcome(builders.job_of(trainee, datetime.date(2024, 6, 1)))
                first_written.set()
                second_started.wait(5)
                time.sleep(0.5)  # the second is now waiting for this one
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            thread_connection.close()

    def second():
        from django.db import connection as thread_connection

        try:
            first_written.wait(5)
            second_started.set()
            services.record_outcome(
                SelfEmployment(
                    trainee=trainee, kind="Shop", monthly_income=6000, start_date=datetime.date(2024, 9, 1)
                )
            )
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert WorkSpell.objects.filter(trainee=trainee).count() == 3
    assert_summaries_current()
    figures = report(Scope(centre="together"), 2024, 2024)
    assert (figures.total.trained, figures.total.in_paying_work, figures.total.self_employed) == (1, 1, 1)
