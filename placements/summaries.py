"""Keep the reporting summaries (TrainedWoman, TrainedWomanTrade, WorkSpell) in step with the tracker.

The summaries are facts about each woman, derived from her completed enrolments and her outcomes;
placements.outcomes computes every figure from them. They are rewritten woman by woman, inside the
transaction that changed her records, so a report never sees a change without its summary. Each
change is refreshed by an explicit call from the code that made it, one function per kind of change
below (no model signals: a QuerySet.update() or a bulk_create would skip them without a word):
- placements.services calls outcomes_changed() when it records, edits, ends or deletes a placement
  or self-employment;
- skills' services announce their changes through core.changes (enrolments added, completed,
  dropped or deleted; a woman moved to another home centre; a cohort put under another course; a
  course under another trade; the historical import's enrolments), and connect() has the functions
  below called for them;
- the demo data and benchmarks/generate_state_dataset.py rewrite everything with refresh();
- `migrate` builds them for a database that has completions but no summaries yet, and
  `manage.py refresh_outcome_summaries` rewrites everything, e.g. after editing the database by hand;
  with --check it compares them with a count made straight from the tracker (differences()).
tests/placements/test_summaries.py checks the figures against a direct computation from the tracker,
and test_summaries_properties.py after each step of random sequences of services.

Known gap: a course's trade (or a cohort's course) changed at the very moment another transaction
records a completion in it can leave that one woman under the old trade until the next change to
her records or a refresh_outcome_summaries; both are rare, and locking every cohort on every
rewrite to close it would cost more than it saves.

Each rewrite is a DELETE and an INSERT ... SELECT per table: a state's 300,000 women rebuild in
about 20 seconds."""

from django.db import connection, transaction
from django.db.models import BigIntegerField, IntegerField, Sum, Value
from django.db.models.functions import Cast, ExtractYear

from core import changes
from core.dates import financial_year_end, financial_year_of, financial_year_of_field, financial_year_start
from skills.models import Cohort, Enrolment, Trainee

from .models import (
    SUMMARY_BASE_YEAR,
    SUMMARY_LAST_YEAR,
    Placement,
    SelfEmployment,
    TrainedWoman,
    TrainedWomanTrade,
    WorkSpell,
)

CHUNK = 2000  # women per statement when rewriting a list of them
SUMMARY_MODELS = (WorkSpell, TrainedWomanTrade, TrainedWoman)  # in the order rows are deleted

# Completions that fit the masks: from financial year 1999-2000 (April 1999) to calendar year 2061 (up
# to March 2061, the end of financial year 2060-61, the last a Period may ask for).
FIRST_DAY, LAST_DAY = financial_year_start(SUMMARY_BASE_YEAR), financial_year_end(SUMMARY_LAST_YEAR + 1)


def year_bit(year):
    """1 << (year - 1999), as a 64-bit integer expression."""
    return Cast(Value(1), BigIntegerField()).bitleftshift(Cast(year - SUMMARY_BASE_YEAR, IntegerField()))


def completions_by(*groups):
    """Per woman (and whatever else is grouped by), the masks of her completion years. SUM of
    DISTINCT powers of two is their bitwise OR, which neither database has as an aggregate for both."""
    return (
        Enrolment.objects.completed()
        .filter(completed_on__range=(FIRST_DAY, LAST_DAY))
        .values(*groups)
        .annotate(
            calendar=Sum(year_bit(ExtractYear("completed_on")), distinct=True),
            financial=Sum(year_bit(financial_year_of_field("completed_on")), distinct=True),
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


# One function per kind of change, called in the transaction that made it: by placements.services
# (outcomes), and through core.changes by skills' services and the import (connect() registers
# them at startup). Each rewrites the women whose rows the change may alter.


def outcomes_changed(trainee_ids):
    """A placement or self-employment of theirs was recorded, edited, ended or deleted (give both
    women when an outcome moved from one to another)."""
    refresh(trainee_ids)


def enrolments_changed(trainee_ids):
    """An enrolment of theirs was added, completed, dropped, moved or deleted."""
    refresh(trainee_ids)


def trainees_moved(trainee_ids):
    """Their home centre changed: their rows move to the new centre's figures."""
    refresh(trainee_ids)


def cohort_courses_changed(cohort_ids):
    """These cohorts are now of another course, perhaps of another trade."""
    refresh(women_of_cohorts(cohort_ids))


def course_trades_changed(course_ids):
    """These courses are now of another trade."""
    refresh(women_of_cohorts(Cohort.objects.filter(course__in=course_ids)))


def records_imported(trainee_ids):
    """The historical import wrote enrolments of theirs, in bulk."""
    refresh(trainee_ids)


def connect():
    """Register the functions for the changes skills announces (placements.apps, at startup)."""
    changes.on(changes.ENROLMENTS, enrolments_changed)
    changes.on(changes.TRAINEE_CENTRES, trainees_moved)
    changes.on(changes.COHORT_COURSES, cohort_courses_changed)
    changes.on(changes.COURSE_TRADES, course_trades_changed)
    changes.on(changes.RECORDS_IMPORTED, records_imported)


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


# The check: the summaries against a count made straight from the tracker, in Python from the rows
# themselves rather than by the SQL that writes them, a slice of women at a time.
CHECK_SLICE = 20000  # trainee ids per slice


def differences(limit=20, first=0, last=None):
    """What the summaries have that the tracker does not give ("extra"), and what they lack
    ("missing"), for the women with trainee ids from first to last (default: all): a list of
    (model, "extra" or "missing", row as a dict), at most `limit` of them, and the number of
    differences."""
    found, count = [], 0
    if last is None:
        last = Trainee.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for low in range(first, last + 1, CHECK_SLICE):
        ids = (low, min(low + CHECK_SLICE - 1, last))
        for model, expected in zip(ROW_FIELDS, expected_rows(ids), strict=True):
            kept = set(stored_rows(model, ids))
            for kind, rows in (("extra", kept - expected), ("missing", expected - kept)):
                count += len(rows)
                found += [
                    (model, kind, dict(zip(ROW_FIELDS[model], row, strict=True)))
                    for row in sorted(rows, key=repr)[: max(0, limit - len(found))]
                ]
    return found, count


ROW_FIELDS = {
    TrainedWoman: ("trainee_id", "centre_id", "calendar_years", "financial_years"),
    TrainedWomanTrade: ("trainee_id", "trade_id", "centre_id", "calendar_years", "financial_years"),
    WorkSpell: (
        "trainee_id",
        "centre_id",
        "calendar_years",
        "financial_years",
        "kind",
        "income",
        "started_on",
        "superseded_on",
        "ended_on",
    ),
}


def stored_rows(model, ids):
    return model.objects.filter(trainee_id__gte=ids[0], trainee_id__lte=ids[1]).values_list(
        *ROW_FIELDS[model]
    )


def expected_rows(ids):
    """The rows of the women with trainee ids in the range, from her enrolments and outcomes:
    (women, trades, spells), as sets of tuples in ROW_FIELDS order."""
    women, trades = {}, {}
    completed = (
        Enrolment.objects.completed()
        .filter(trainee_id__gte=ids[0], trainee_id__lte=ids[1], completed_on__range=(FIRST_DAY, LAST_DAY))
        .values_list("trainee_id", "trainee__centre_id", "cohort__course__trade_id", "completed_on")
    )
    for trainee_id, centre_id, trade_id, day in completed.iterator():
        bits = (1 << (day.year - SUMMARY_BASE_YEAR), 1 << (financial_year_of(day) - SUMMARY_BASE_YEAR))
        for key, rows in (((trainee_id, centre_id), women), ((trainee_id, trade_id, centre_id), trades)):
            calendar, financial = rows.get(key, (0, 0))
            rows[key] = (calendar | bits[0], financial | bits[1])
    masks = {trainee_id: (centre_id, *years) for (trainee_id, centre_id), years in women.items()}

    # Her outcomes in order of start (on one day a business first, so that the job is her latest,
    # then in the order recorded); each is her latest until the next one starts, and has no spell
    # if that is the same day.
    outcomes = {}
    for model, kind, income in (
        (Placement, WorkSpell.SALARIED, "monthly_pay"),
        (SelfEmployment, WorkSpell.SELF_EMPLOYED, "monthly_income"),
    ):
        rows = model.objects.filter(trainee_id__gte=ids[0], trainee_id__lte=ids[1]).values_list(
            "trainee_id", "start_date", "pk", income, "end_date"
        )
        for trainee_id, start, pk, pay, end in rows.iterator():
            if trainee_id in masks:
                outcomes.setdefault(trainee_id, []).append((start, -kind, pk, pay, end))
    spells = set()
    for trainee_id, hers in outcomes.items():
        hers.sort()
        for position, (start, minus_kind, _pk, pay, end) in enumerate(hers):
            superseded = hers[position + 1][0] if position + 1 < len(hers) else None
            if superseded is None or superseded > start:
                spells.add((trainee_id, *masks[trainee_id], -minus_kind, pay, start, superseded, end))
    return (
        {(key[0], key[1], *years) for key, years in women.items()},
        {(key[0], key[1], key[2], *years) for key, years in trades.items()},
        spells,
    )
