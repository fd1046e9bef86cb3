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
  course under another trade; the historical import's enrolments, and apart the women it created,
  whose rows are only inserted), and connect() has the functions below called for them;
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

A rewrite computes the rows the tracker gives and writes only those that differ from the stored
ones, one statement per table on PostgreSQL (a DELETE of the stale rows in a WITH clause and an
INSERT ... ON CONFLICT of the new and changed ones; SQLite runs the DELETE as a statement of its
own), and only the tables the change can move: an outcome moves WorkSpell alone. The women are
one parameter, however many (an array on PostgreSQL, a JSON list on SQLite), so the import's
100,000 women are three statements, not a statement per woman or a parameter per id. A full
rebuild of a state's 300,000 women that finds them current writes nothing and takes the time of
the three aggregate queries (docs/performance.md has the figures)."""

import json
from collections import Counter

from django.db import connection, transaction
from django.db.models import Aggregate, BigIntegerField, IntegerField, Value
from django.db.models.expressions import RawSQL
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

# In the order they are written: WorkSpell copies her years from TrainedWoman. Locks are taken in
# the same order (see refresh()).
SUMMARY_MODELS = (TrainedWoman, TrainedWomanTrade, WorkSpell)
KEYS = {TrainedWoman: ("trainee_id",), TrainedWomanTrade: ("trainee_id", "trade_id"), WorkSpell: ()}

# Completions that fit the masks: from financial year 1999-2000 (April 1999) to calendar year 2061 (up
# to March 2061, the end of financial year 2060-61, the last a Period may ask for).
FIRST_DAY, LAST_DAY = financial_year_start(SUMMARY_BASE_YEAR), financial_year_end(SUMMARY_LAST_YEAR + 1)


def year_bit(year):
    """1 << (year - 1999), as a 64-bit integer expression."""
    return Cast(Value(1), BigIntegerField()).bitleftshift(Cast(year - SUMMARY_BASE_YEAR, IntegerField()))


class YearMask(Aggregate):
    """The bitwise OR of year bits: PostgreSQL's BIT_OR. SQLite has no such aggregate; there the SUM
    of the DISTINCT powers of two is the same number (PostgreSQL would have to sort every woman's
    rows for the DISTINCT)."""

    function = "BIT_OR"
    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="SUM(DISTINCT %(expressions)s)", **extra_context)


def completions_by(*groups):
    """Per woman (and whatever else is grouped by), the masks of her completion years."""
    return (
        Enrolment.objects.completed()
        .filter(completed_on__range=(FIRST_DAY, LAST_DAY))
        .values(*groups)
        .annotate(
            calendar=YearMask(year_bit(ExtractYear("completed_on"))),
            financial=YearMask(year_bit(financial_year_of_field("completed_on"))),
        )
        .order_by()
    )


def id_list(ids):
    """These ids as a subquery of one parameter, for `IN (...)`: PostgreSQL takes at most 65,535
    parameters in a statement, and the import rewrites 100,000 women at once."""
    ids = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


WORK_SPELLS_SQL = """
SELECT w.trainee_id, w.centre_id, w.calendar_years, w.financial_years,
       o.kind, o.income, o.start_date, o.superseded_on, o.end_date
FROM (
    SELECT trainee_id, kind, income, start_date, end_date,
           LEAD(start_date) OVER (PARTITION BY trainee_id ORDER BY start_date, kind DESC, id) AS superseded_on
    FROM (
        SELECT trainee_id, {salaried} AS kind, monthly_pay AS income, start_date, end_date, id
        FROM placements_placement WHERE {among}
        UNION ALL
        SELECT trainee_id, {self_employed}, monthly_income, start_date, end_date, id
        FROM placements_selfemployment WHERE {among}
    ) AS both_kinds
) AS o
JOIN placements_trainedwoman w ON w.trainee_id = o.trainee_id
WHERE o.superseded_on IS NULL OR o.superseded_on > o.start_date
"""
# Her outcomes in order (a job before a business started the same day, then the order recorded):
# each is her latest from its start until the next one starts. One followed by another started the
# same day is never her latest, so it has no spell.


def refresh(trainee_ids=None, tables=SUMMARY_MODELS):
    """Rewrite these summary tables (default: all three) for these women (ids), or for everyone
    (None).

    One rewrite at a time per woman: two transactions changing her records at once would otherwise
    each compare with the rows they can see and insert their own, leaving both sets. So a rewrite
    first locks her trainee row (in id order, so that two rewrites never wait for each other in a
    circle), and a rewrite of everyone locks the summary tables against every other rewrite. The row
    lock is FOR NO KEY UPDATE, which does not block the foreign-key checks of other transactions
    inserting rows that point at her (a rewrite of everyone inserts such rows), so it cannot deadlock
    with them; the tables are locked in the order every rewrite writes them. The lock is a statement
    of its own: in READ COMMITTED each statement sees what was committed when it started, so the
    rewrite that waited for her row must start after the wait to see the other's changes."""
    tables = [model for model in SUMMARY_MODELS if model in tables]
    with transaction.atomic(savepoint=False):
        if trainee_ids is None:
            if connection.vendor == "postgresql":
                names = ", ".join(model._meta.db_table for model in tables)
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")
            rewrite(None, tables)
            return
        ids = sorted(set(trainee_ids))
        if not ids:
            return
        women = id_list(ids)
        list(
            Trainee.objects.select_for_update(no_key=True)
            .filter(pk__in=women)
            .order_by("pk")
            .values_list("pk")
        )
        rewrite(women, tables)


def rewrite(women, tables):
    """Make the rows of these women (an id_list(), or None for everyone) in these tables equal to
    what the tracker gives, writing only the rows that differ."""
    with connection.cursor() as cursor:
        for model in tables:
            for statement, params in writes(model, women):
                cursor.execute(statement, params)


def within(women, column):
    """SQL and parameters: the column is the id of one of these women (None: of anyone)."""
    if women is None:
        return "1 = 1", []
    return f"{column} IN ({women.sql})", list(women.params)


def counted_rows(model, women):
    """The SQL and parameters of the rows the tracker gives these women in this table, in
    ROW_FIELDS order."""
    if model is WorkSpell:
        among, params = within(women, "trainee_id")
        sql = WORK_SPELLS_SQL.format(
            among=among, salaried=WorkSpell.SALARIED, self_employed=WorkSpell.SELF_EMPLOYED
        )
        return sql, params * 2
    if model is TrainedWoman:
        rows = completions_by("trainee_id", "trainee__centre_id")
    else:
        rows = completions_by("trainee_id", "cohort__course__trade_id", "trainee__centre_id")
    if women is not None:
        rows = rows.filter(trainee_id__in=women)
    return rows.query.sql_with_params()


def writes(model, women):
    """The statements that make the table's rows of these women those the tracker gives: delete
    the stored rows that are stale, and insert the counted rows not stored yet (one whose key is
    stored with other values updates that row). On PostgreSQL one statement: the DELETE in its WITH
    clause touches other rows than the INSERT, so their order does not matter. SQLite allows no
    DELETE there and runs it first. The INSERT compares with the rows stored before the DELETE
    (PostgreSQL) or after it (SQLite); both give the same rows."""
    table, columns, key = model._meta.db_table, ROW_FIELDS[model], KEYS[model]
    names = ", ".join(columns)
    select, params = counted_rows(model, women)
    counted = f"WITH counted ({names}) AS ({select})"
    if key:  # a stored row is stale if no counted row has its key
        stale = f"NOT EXISTS (SELECT 1 FROM counted WHERE {matching(model, 'counted', table, key)})"
        on_conflict = f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET " + ", ".join(
            f"{column} = excluded.{column}" for column in columns if column not in key
        )
    else:  # no key: stale unless it is the first (lowest id) of the stored rows like a counted row
        stale = (
            f"{table}.id NOT IN (SELECT MIN(kept.id) FROM {table} kept JOIN counted"
            f" ON {matching(model, 'kept', 'counted', columns)} GROUP BY {', '.join(f'counted.{c}' for c in columns)})"
        )
        on_conflict = ""
    among, among_params = within(women, f"{table}.trainee_id")
    delete = f"DELETE FROM {table} WHERE {among} AND {stale}"
    insert = (
        f"INSERT INTO {table} ({names}) SELECT {names} FROM counted"
        f" WHERE NOT EXISTS (SELECT 1 FROM {table} kept WHERE {matching(model, 'kept', 'counted', columns)})"
        f"{on_conflict}"
    )
    if connection.vendor == "postgresql":
        return [(f"{counted}, stale AS ({delete}) {insert}", [*params, *among_params])]
    return [(f"{counted} {delete}", [*params, *among_params]), (f"{counted} {insert}", list(params))]


def matching(model, left, right, columns):
    """SQL: rows left and right have the same values in these columns (NULL matching NULL)."""
    null_safe = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"
    return " AND ".join(
        f"{left}.{column} {null_safe if model._meta.get_field(column).null else '='} {right}.{column}"
        for column in columns
    )


def women_of_cohorts(cohorts):
    return set(Enrolment.objects.completed().filter(cohort__in=cohorts).values_list("trainee_id", flat=True))


# One function per kind of change, called in the transaction that made it: by placements.services
# (outcomes), and through core.changes by skills' services and the import (connect() registers
# them at startup). Each rewrites the tables the change can move, for the women whose rows it may
# alter.


def outcomes_changed(trainee_ids):
    """A placement or self-employment of theirs was recorded, edited, ended or deleted (give both
    women when an outcome moved from one to another). Only her spells of work depend on them."""
    refresh(trainee_ids, tables=[WorkSpell])


def enrolments_changed(trainee_ids):
    """An enrolment of theirs was added, completed, dropped, moved or deleted."""
    refresh(trainee_ids)


def trainees_moved(trainee_ids):
    """Their home centre changed: their rows move to the new centre's figures."""
    refresh(trainee_ids)


def cohort_courses_changed(cohort_ids):
    """These cohorts are now of another course, perhaps of another trade: only the trades move."""
    refresh(women_of_cohorts(cohort_ids), tables=[TrainedWomanTrade])


def course_trades_changed(course_ids):
    """These courses are now of another trade: only the trades move."""
    refresh(women_of_cohorts(Cohort.objects.filter(course__in=course_ids)), tables=[TrainedWomanTrade])


def records_imported(trainee_ids):
    """The historical import wrote enrolments of theirs, in bulk: any number of women (the import
    gives up to 100,000), rewritten set by set, three statements in all."""
    refresh(trainee_ids)


def women_imported(trainee_ids):
    """The historical import created these women, with their enrolments, in this transaction. No
    other transaction sees them yet and nothing refers to them but their enrolments, so they have no
    summary rows to compare with or delete, no rewrite to wait for, and no outcome (a spell of work
    is one): their TrainedWoman and TrainedWomanTrade rows are the counted ones, inserted, and
    WorkSpell has none. The same rows as refresh(), two INSERT ... SELECTs instead of three
    compare-and-rewrite statements and a lock of 100,000 rows; a row of theirs already stored would
    break the tables' unique keys rather than pass unseen."""
    ids = sorted(set(trainee_ids))
    if not ids:
        return
    women = id_list(ids)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for model in (TrainedWoman, TrainedWomanTrade):
            names = ", ".join(ROW_FIELDS[model])
            select, params = counted_rows(model, women)
            cursor.execute(f"INSERT INTO {model._meta.db_table} ({names}) {select}", params)


def connect():
    """Register the functions for the changes skills announces (placements.apps, at startup)."""
    changes.on(changes.ENROLMENTS, enrolments_changed)
    changes.on(changes.TRAINEE_CENTRES, trainees_moved)
    changes.on(changes.COHORT_COURSES, cohort_courses_changed)
    changes.on(changes.COURSE_TRADES, course_trades_changed)
    changes.on(changes.RECORDS_IMPORTED, records_imported)
    changes.on(changes.TRAINEES_IMPORTED, women_imported)


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
            # Counted with repeats: a second copy of a spell would count her twice.
            kept, expected = Counter(stored_rows(model, ids)), Counter(expected)
            for kind, rows in (("extra", kept - expected), ("missing", expected - kept)):
                rows = list(rows.elements())
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
