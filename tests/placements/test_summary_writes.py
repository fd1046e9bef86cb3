"""How the summaries are written: an outcome rewrites her spells of work alone, in a fixed and small
number of statements; the import's women are rewritten set by set, in the same number of statements
for 3 women as for 300 (and for more ids than PostgreSQL takes parameters in one statement); a
rebuild over current summaries leaves every row where it was, and repairs every kind of drift."""

import datetime
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from placements import services, summaries
from placements.models import FollowUp, Placement, SelfEmployment, TrainedWoman, TrainedWomanTrade, WorkSpell
from skills import services as skills_services
from skills.models import Cohort, Course, Enrolment, Trade, Trainee
from tests.factories import CentreFactory, TradeFactory

from .builders import completed_course, job_of
from .test_summaries import assert_summaries_current, random_history, summary_rows

# Statements per table rewritten: PostgreSQL deletes the stale rows inside the INSERT's WITH clause;
# SQLite allows no DELETE there and sends it first.
PER_TABLE = 1 if connection.vendor == "postgresql" else 2


def writes_to(queries, table):
    """The statements among the captured ones that change this summary table."""
    writing = (f"INSERT INTO {table} ", f"DELETE FROM {table} ")  # noqa: S608 (text to look for)
    return [query["sql"] for query in queries if any(words in query["sql"] for words in writing)]


def trained_woman(centre, course, completed_on=datetime.date(2024, 3, 1), name="Sunita"):
    trainee = completed_course(centre, course, completed_on, name)
    summaries.records_imported([trainee.pk])
    return trainee


@pytest.fixture
def weaving(db):
    return CentreFactory(slug="weavers", code="WVR"), Course.objects.create(
        trade=TradeFactory(), title="Weaving"
    )


def test_an_outcome_saved_rewrites_her_spells_alone_in_few_statements(weaving):
    woman = trained_woman(*weaving)
    job = job_of(woman, datetime.date(2024, 6, 1))
    with CaptureQueriesContext(connection) as saved:
        services.record_outcome(job)
    job.monthly_pay = 9500
    with CaptureQueriesContext(connection) as edited:
        services.record_outcome(job)
    for queries in (saved, edited):
        assert writes_to(queries, "placements_trainedwoman") == []
        assert writes_to(queries, "placements_trainedwomantrade") == []
        assert len(writes_to(queries, "placements_workspell")) == PER_TABLE
    # The save, its follow-ups, the audit entry, her row locked and her spells: before this was
    # rewritten the save sent 56 statements on SQLite and the edit 30.
    assert len(saved) <= 40 + PER_TABLE
    assert len(edited) <= 21 + PER_TABLE
    assert list(WorkSpell.objects.filter(trainee=woman).values_list("income", "started_on")) == [
        (9500, datetime.date(2024, 6, 1))
    ]
    assert sorted(job.follow_ups.values_list("months", flat=True)) == [3, 6, 12]
    assert_summaries_current()


def test_an_edit_schedules_only_the_follow_ups_an_outcome_lacks(weaving):
    woman = trained_woman(*weaving)
    business = services.record_outcome(
        SelfEmployment(trainee=woman, kind="Stall", monthly_income=4000, start_date=datetime.date(2024, 4, 1))
    )
    business.follow_ups.filter(months=6).delete()
    done = business.follow_ups.get(months=3)
    services.record_follow_up(done, result=FollowUp.Result.STILL_WORKING, on=datetime.date(2024, 7, 1))
    business.monthly_income = 4500
    services.record_outcome(business)
    assert sorted(business.follow_ups.values_list("months", "due_on")) == [
        (3, datetime.date(2024, 7, 1)),
        (6, datetime.date(2024, 10, 1)),
        (12, datetime.date(2025, 4, 1)),
    ]
    assert (
        business.follow_ups.get(months=3).result == FollowUp.Result.STILL_WORKING
    )  # kept, not scheduled again


def test_a_trade_change_rewrites_the_trades_alone(weaving):
    centre, course = weaving
    woman = trained_woman(centre, course)
    course.trade = TradeFactory()
    with CaptureQueriesContext(connection) as changed:
        skills_services.save_course(course)
    assert writes_to(changed, "placements_trainedwoman") == []
    assert writes_to(changed, "placements_workspell") == []
    assert len(writes_to(changed, "placements_trainedwomantrade")) == PER_TABLE
    assert list(TrainedWomanTrade.objects.filter(trainee=woman).values_list("trade_id", flat=True)) == [
        course.trade_id
    ]
    assert_summaries_current()


def import_women(centre, courses, count, rng):
    """count women written straight to the tables, as the historical import writes them, with a
    completion or two and perhaps work; their ids."""
    women = Trainee.objects.bulk_create(
        Trainee(centre=centre, full_name=f"Imported {n}", date_of_birth=datetime.date(1990, 1, 1))
        for n in range(count)
    )
    cohorts = {
        (course.pk, year): Cohort.objects.create(
            course=course,
            centre=centre,
            start_date=datetime.date(year, 1, 1),
            end_date=datetime.date(year, 3, 31),
            capacity=count,
        )
        for course in courses
        for year in (2019, 2023)
    }
    enrolments, outcomes = [], []
    for woman in women:
        for course, year in rng.sample(sorted(cohorts), rng.randint(1, 2)):
            completed = rng.random() < 0.8
            enrolments.append(
                Enrolment(
                    trainee=woman,
                    cohort=cohorts[course, year],
                    status=Enrolment.Status.COMPLETED if completed else Enrolment.Status.DROPPED,
                    enrolled_on=datetime.date(year, 1, 1),
                    completed_on=datetime.date(year, 3, rng.choice([30, 31])) if completed else None,
                )
            )
        if rng.random() < 0.5:
            outcomes.append(job_of(woman, datetime.date(2023, rng.randint(4, 12), 1), pay=8000))
    Enrolment.objects.bulk_create(enrolments)
    Placement.objects.bulk_create(outcomes)
    return [woman.pk for woman in women]


def test_the_import_rewrites_any_number_of_women_in_the_same_statements(weaving, django_assert_num_queries):
    centre, course = weaving
    courses = [course, Course.objects.create(trade=TradeFactory(), title="Dyeing")]
    rng = random.Random(7)
    few, many = import_women(centre, courses, 3, rng), import_women(centre, courses, 300, rng)
    with CaptureQueriesContext(connection) as for_few:
        summaries.records_imported(few)
    with django_assert_num_queries(len(for_few)):
        summaries.records_imported(many)
    assert len(for_few) == 1 + 3 * PER_TABLE  # her rows locked, then the three tables
    assert TrainedWoman.objects.filter(trainee__in=many).count() > 200  # not vacuous
    assert WorkSpell.objects.filter(trainee__in=many).exists()
    assert_summaries_current()


def test_the_import_takes_more_women_than_a_statement_takes_parameters(weaving):
    """PostgreSQL takes at most 65,535 parameters in a statement: the women are one of them."""
    woman = trained_woman(*weaving)
    services.record_outcome(job_of(woman, datetime.date(2024, 6, 1)))
    TrainedWoman.objects.filter(trainee=woman).delete()
    WorkSpell.objects.filter(trainee=woman).delete()
    unknown = range(woman.pk + 1, woman.pk + 70_001)  # ids of no one: nothing to write for them
    summaries.records_imported([*unknown, woman.pk])
    assert TrainedWoman.objects.filter(trainee=woman).exists()
    assert WorkSpell.objects.filter(trainee=woman).count() == 1
    assert_summaries_current()


@pytest.fixture
def history(db):
    rng = random.Random(11)
    centres = [CentreFactory(slug="east", code="EST"), CentreFactory(slug="west", code="WST")]
    random_history(rng, centres, women=15)
    return centres


def row_ids():
    return (
        sorted(TrainedWomanTrade.objects.values_list("pk", flat=True)),
        sorted(WorkSpell.objects.values_list("pk", flat=True)),
    )


def test_a_rebuild_of_current_summaries_rewrites_no_row(history):
    kept, ids = summary_rows(), row_ids()
    assert kept[0] and kept[2]  # not vacuous
    call_command("refresh_outcome_summaries")
    assert summary_rows() == kept
    assert row_ids() == ids  # the same rows, not copies of them


def test_a_rebuild_repairs_every_kind_of_drift(history, capsys):
    kept = summary_rows()
    spell, other_spell = WorkSpell.objects.order_by("pk")[:2]
    woman = TrainedWoman.objects.exclude(trainee=spell.trainee_id).order_by("pk").first()
    trade = TrainedWomanTrade.objects.order_by("pk").last()
    # Written past the services: a spell copied (she would count twice), a changed income, a
    # woman's row lost, a trade moved to another centre, and a row for a woman never trained.
    WorkSpell.objects.create(**{field: getattr(spell, field) for field in summaries.ROW_FIELDS[WorkSpell]})
    WorkSpell.objects.filter(pk=other_spell.pk).update(income=1)
    TrainedWoman.objects.filter(pk=woman.pk).delete()
    TrainedWomanTrade.objects.filter(pk=trade.pk).update(
        centre=history[0] if trade.centre != history[0] else history[1]
    )
    untrained = Trainee.objects.create(
        centre=history[0], full_name="Never trained", date_of_birth=datetime.date(1990, 1, 1)
    )
    TrainedWoman.objects.create(trainee=untrained, centre=history[0], calendar_years=1, financial_years=1)
    TrainedWomanTrade.objects.create(
        trainee=untrained, trade=Trade.objects.first(), centre=history[0], calendar_years=1, financial_years=1
    )
    with pytest.raises(CommandError, match="differ from the tracker"):
        call_command("refresh_outcome_summaries", "--check")
    printed = capsys.readouterr().err
    assert f"WorkSpell extra: trainee_id={spell.trainee_id}," in printed  # the second copy is seen
    call_command("refresh_outcome_summaries")
    assert summary_rows() == kept
    call_command("refresh_outcome_summaries", "--check")
