"""Keep the reporting summaries (TrainedWoman, TrainedWomanTrade, WorkSpell) in step with the tracker.

The summaries are facts about each woman, derived from her completed enrolments and her outcomes;
placements.outcomes computes every figure from them. They are rewritten woman by woman, inside the
transaction that changed her records, so a report never sees a change without its summary:
- each save or delete of an enrolment, placement or self-employment rewrites its woman's rows (and
  those of the woman it belonged to before the save), and a save of a trainee (her home centre may
  have changed), a cohort or a course (the trade may have changed) rewrites the rows of the women
  with a completion in it (placements.apps connects these);
- writes that send no signals call refresh() themselves: the historical import (after each centre,
  through its log entry), the demo data, and benchmarks/generate_state_dataset.py;
- `migrate` builds them for a database that has completions but no summaries yet, and
  `manage.py refresh_outcome_summaries` rewrites everything, e.g. after editing the database by hand.
tests/placements/test_summaries.py checks the figures against a direct computation from the tracker.

Known gap: a course's trade (or a cohort's course) changed at the very moment another transaction
records a completion in it can leave that one woman under the old trade until the next change to
her records or a refresh_outcome_summaries; both are rare, and locking every cohort on every
rewrite to close it would cost more than it saves.

Each rewrite is a DELETE and an INSERT ... SELECT per table: a state's 300,000 women rebuild in
about 20 seconds."""

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast, ExtractYear

from skills.models import Enrolment, Trainee

from .models import SUMMARY_BASE_YEAR, SUMMARY_LAST_YEAR, TrainedWoman, TrainedWomanTrade, WorkSpell

CHUNK = 2000  # women per statement when rewriting a list of them
SUMMARY_MODELS = (WorkSpell, TrainedWomanTrade, TrainedWoman)  # in the order rows are deleted

# Completions that fit the masks: from financial year 1999-2000 (April 1999) to calendar year 2061 (up
# to March 2061, the end of financial year 2060-61, the last a Period may ask for).
FIRST_DAY, LAST_DAY = f"{SUMMARY_BASE_YEAR}-04-01", f"{SUMMARY_LAST_YEAR + 2}-03-31"


def year_bit(year):
    """1 << (year - 1999), as a 64-bit integer expression."""
    return Cast(Value(1), BigIntegerField()).bitleftshift(Cast(year - SUMMARY_BASE_YEAR, IntegerField()))


def completions_by(*groups):
    """Per woman (and whatever else is grouped by), the masks of her completion years. SUM of
    DISTINCT powers of two is their bitwise OR, which neither database has as an aggregate for both."""
    year = ExtractYear("completed_on")
    financial_year = Case(When(completed_on__month__lt=4, then=year - 1), default=year)
    return (
        Enrolment.objects.completed()
        .filter(completed_on__range=(FIRST_DAY, LAST_DAY))
        .values(*groups)
        .annotate(
            calendar=Sum(year_bit(year), distinct=True),
            financial=Sum(year_bit(financial_year), distinct=True),
        )
        .order_by()
    )


WORK_SPELLS_SQL = """
INSERT INTO placements_workspell
    (trainee_id, centre_id, calendar_years, financial_years, kind, income, started_on, superseded_on, ended_on)
SELECT w.trainee_id, w.centre_id, w.calendar_years, w.financial_years,
       o.kind, o.income, o.start_date, o.superseded_on, o.end_date
FROM (
    SELECT trainee_id, kind, income, start_date, end_date,
           LEAD(start_date) OVER (PARTITION BY trainee_id ORDER BY start_date, kind DESC, id) AS superseded_on
    FROM (
        SELECT trainee_id, {salaried} AS kind, monthly_pay AS income, start_date, end_date, id
        FROM placements_placement {where}
        UNION ALL
        SELECT trainee_id, {self_employed}, monthly_income, start_date, end_date, id
        FROM placements_selfemployment {where}
    ) AS both_kinds
) AS o
JOIN placements_trainedwoman w ON w.trainee_id = o.trainee_id
WHERE o.superseded_on IS NULL OR o.superseded_on > o.start_date
"""
# Her outcomes in order (a job before a business started the same day, then the order recorded):
# each is her latest from its start until the next one starts. One followed by another started the
# same day is never her latest, so it has no spell.


def refresh(trainee_ids=None):
    """Rewrite the summaries of these women (ids), or of everyone (None).

    One rewrite at a time per woman: two transactions changing her records at once would otherwise
    each delete the rows they can see and insert their own, leaving both sets. So a rewrite first
    locks her trainee row (in id order, so that two rewrites never wait for each other in a circle),
    and a rewrite of everyone locks the summary tables against every other rewrite. The row lock is
    FOR NO KEY UPDATE, which does not block the foreign-key checks of other transactions inserting
    rows that point at her (a rewrite of everyone inserts such rows), so it cannot deadlock with them;
    the tables are locked in the order the rewrites delete from them."""
    with transaction.atomic():
        if trainee_ids is None:
            if connection.vendor == "postgresql":
                tables = ", ".join(model._meta.db_table for model in SUMMARY_MODELS)
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
            rewrite(None)
            return
        ids = sorted(set(trainee_ids))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            locked = Trainee.objects.select_for_update(no_key=True).filter(pk__in=chunk).order_by("pk")
            list(locked.values_list("pk"))
            rewrite(chunk)


def rewrite(ids):
    women = completions_by("trainee_id", "trainee__centre_id")
    trades = completions_by("trainee_id", "cohort__course__trade_id", "trainee__centre_id")
    where, params = "", []
    if ids is not None:
        women, trades = women.filter(trainee_id__in=ids), trades.filter(trainee_id__in=ids)
        where, params = f"WHERE trainee_id IN ({', '.join(['%s'] * len(ids))})", list(ids)
    with connection.cursor() as cursor:
        for model in SUMMARY_MODELS:
            cursor.execute(f"DELETE FROM {model._meta.db_table} {where}", params)
        insert(cursor, TrainedWoman, ["trainee_id", "centre_id", "calendar_years", "financial_years"], women)
        insert(
            cursor,
            TrainedWomanTrade,
            ["trainee_id", "trade_id", "centre_id", "calendar_years", "financial_years"],
            trades,
        )
        cursor.execute(
            WORK_SPELLS_SQL.format(
                where=where, salaried=WorkSpell.SALARIED, self_employed=WorkSpell.SELF_EMPLOYED
            ),
            params * 2,
        )


def insert(cursor, model, columns, queryset):
    """INSERT ... SELECT from a queryset whose values() and annotations are in the columns' order."""
    select, params = queryset.query.sql_with_params()
    cursor.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) {select}", params)


def women_of_cohorts(cohorts):
    return set(Enrolment.objects.completed().filter(cohort__in=cohorts).values_list("trainee_id", flat=True))


# Signal receivers (placements.apps connects them). raw is set while loading fixtures, when the
# related rows may not be there yet; refresh_outcome_summaries is the way after a fixture load.


def remember_trainee(sender, instance, raw=False, **kwargs):
    """Before a save: whose record this was, in case the save moves it to another woman."""
    if not raw and instance.pk is not None:
        instance._summaries_trainee_before = (
            sender.objects.filter(pk=instance.pk).values_list("trainee_id", flat=True).first()
        )


def outcome_or_enrolment_changed(sender, instance, raw=False, **kwargs):
    """After a save or delete: rewrite the woman it belongs to, and the one it belonged to."""
    if not raw:
        before = getattr(instance, "_summaries_trainee_before", None)
        refresh({instance.trainee_id} | ({before} if before else set()))


def trainee_saved(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):
        refresh([instance.pk])


def cohort_saved(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):
        refresh(women_of_cohorts([instance.pk]))


def course_saved(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):
        refresh(women_of_cohorts(instance.cohorts.all()))


def import_logged(sender, instance, created, **kwargs):
    """The historical import writes with bulk_create, which sends no signals; it logs each centre."""
    imported = created and instance.action == "sakhi.import" and instance.centre_id
    if imported and (instance.data or {}).get("created_enrolments"):
        centre = instance.centre_id
        refresh(
            Enrolment.objects.filter(Q(trainee__centre_id=centre) | Q(cohort__centre_id=centre))
            .values_list("trainee_id", flat=True)
            .distinct()
        )


def build_if_missing(sender, **kwargs):
    """After migrate: build the summaries of a database that has completions but no summaries yet
    (one from before they existed, or restored without them). Today's code against today's schema,
    which a data migration could not promise for every later schema."""
    if kwargs.get("using", "default") != "default":
        return
    tables = connection.introspection.table_names()
    if not {Enrolment._meta.db_table, TrainedWoman._meta.db_table} <= set(tables):
        return  # migrated back to before the summaries
    if Enrolment.objects.completed().exists() and not TrainedWoman.objects.exists():
        refresh()
