"""The outcome figures computed straight from the tracker's tables, without the summaries.

The reference that tests/placements/test_summaries.py holds placements.outcomes to: the same
definitions (docs/outcomes.md), written as directly as SQL allows (a query per period and figure,
slow on a state's data, which is why placements.outcomes reads the summaries instead)."""

from django.db import connection
from django.db.models import Count, F

from placements.models import FollowUp
from placements.outcomes import Figures, Period
from skills.models import Enrolment, Trade


def completions(scope, period):
    return Enrolment.objects.filter(
        status=Enrolment.Status.COMPLETED,
        trainee__centre__in=scope.centres(),
        completed_on__range=(period.start, period.report_date),
    )


# The latest outcome of each woman on the report date is picked with a window function over
# both kinds of outcome: the one that started last wins (a job before a business on the same day,
# then the most recently recorded). It counts if it has not ended by the report date. Written as
# one SQL statement (CTEs and window functions, on PostgreSQL and SQLite alike) because the same
# logic as per-woman subqueries took seconds on a state's 300,000 women.
LATEST_OUTCOME_SQL = """
WITH trained AS ({trained}),
outcomes AS (
    SELECT o.trainee_id, 'salaried' AS kind, 1 AS kind_order, o.start_date, o.end_date, o.monthly_pay AS income, o.id
    FROM placements_placement o JOIN trained t ON t.trainee_id = o.trainee_id
    WHERE o.start_date <= %s
    UNION ALL
    SELECT o.trainee_id, 'self_employed', 2, o.start_date, o.end_date, o.monthly_income, o.id
    FROM placements_selfemployment o JOIN trained t ON t.trainee_id = o.trainee_id
    WHERE o.start_date <= %s
),
latest AS (
    SELECT trainee_id, kind, end_date, income,
           ROW_NUMBER() OVER (PARTITION BY trainee_id ORDER BY start_date DESC, kind_order, id DESC) AS position
    FROM outcomes
)
SELECT {group_select}
       COUNT(t.trainee_id),
       COUNT(CASE WHEN l.kind = 'salaried' THEN 1 END),
       COUNT(CASE WHEN l.kind = 'self_employed' THEN 1 END),
       AVG(l.income)
FROM trained t
LEFT JOIN latest l ON l.trainee_id = t.trainee_id AND l.position = 1 AND (l.end_date IS NULL OR l.end_date >= %s)
{group_by}
"""


def trained_sql(scope, period, by_trade=False):
    """SQL (and parameters) for the distinct women, per trade if asked, trained in scope and period."""
    joins, columns = [], ["e.trainee_id"]
    if by_trade:
        joins.append("JOIN skills_cohort c ON c.id = e.cohort_id")
    if not scope.is_everywhere:
        joins.append("JOIN skills_trainee w ON w.id = e.trainee_id")
    if by_trade:
        joins.append("JOIN skills_course k ON k.id = c.course_id")
        columns.append("k.trade_id")
    where = ["e.status = %s", "e.completed_on >= %s", "e.completed_on <= %s"]
    params = [Enrolment.Status.COMPLETED, period.start, period.report_date]
    if not scope.is_everywhere:
        centre_ids = list(scope.centres().values_list("pk", flat=True)) or [0]
        where.append(f"w.centre_id IN ({', '.join(['%s'] * len(centre_ids))})")
        params += centre_ids
    # GROUP BY rather than DISTINCT lets PostgreSQL hash instead of sorting 800,000 rows.
    sql = (
        f"SELECT {', '.join(columns)} FROM skills_enrolment e {' '.join(joins)} "
        f"WHERE {' AND '.join(where)} GROUP BY {', '.join(columns)}"
    )
    return sql, params


def paying_work_rows(scope, period, by_trade=False):
    """Rows of (trade id if by trade,) trained, salaried, self-employed, average income."""
    on = period.report_date
    trained, params = trained_sql(scope, period, by_trade)
    sql = LATEST_OUTCOME_SQL.format(
        trained=trained,
        group_select="t.trade_id," if by_trade else "",
        group_by="GROUP BY t.trade_id" if by_trade else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, on, on, on])
        return cursor.fetchall()


def figures(scope, period):
    """All figures for one scope and period, in a fixed handful of queries."""
    ((trained, salaried, self_employed, average_income),) = paying_work_rows(scope, period)
    result = Figures(period=period.label, report_date=period.report_date, trained=trained)
    result.salaried, result.self_employed = salaried, self_employed
    result.in_paying_work = salaried + self_employed
    if trained:
        result.placement_rate = round(result.in_paying_work / trained, 3)
    if average_income is not None:
        result.average_monthly_income = round(average_income)
    result.still_working = still_working(scope, period)
    result.completed_by_trade = completed_by_trade(scope, period)
    return result


STILL_WORKING_SQL = """
WITH trained AS ({trained})
SELECT f.months, COUNT(*), COUNT(CASE WHEN f.result = %s THEN 1 END)
FROM placements_followup f
LEFT JOIN placements_placement p ON p.id = f.placement_id
LEFT JOIN placements_selfemployment b ON b.id = f.self_employment_id
JOIN trained t ON t.trainee_id = COALESCE(p.trainee_id, b.trainee_id)
WHERE f.done_on IS NOT NULL AND f.done_on <= %s
GROUP BY f.months
"""


def still_working(scope, period):
    """{months: (still working, followed up)} for the outcomes of the women trained in the period."""
    trained, params = trained_sql(scope, period)
    with connection.cursor() as cursor:
        cursor.execute(
            STILL_WORKING_SQL.format(trained=trained),
            [*params, FollowUp.Result.STILL_WORKING, period.report_date],
        )
        found = {months: (still, done) for months, done, still in cursor.fetchall()}
    return {months: found.get(months, (0, 0)) for months in FollowUp.MONTHS}


def completed_by_trade(scope, period):
    rows = (
        completions(scope, period)
        .values(trade=F("cohort__course__trade__slug"))
        .annotate(women=Count("trainee", distinct=True))
        .order_by("trade")
    )
    return {row["trade"]: row["women"] for row in rows}


def by_year(scope, first_year, last_year, financial=False):
    return [figures(scope, Period.year(year, financial)) for year in range(first_year, last_year + 1)]


def by_trade(scope, period):
    """Per trade: the women trained in it in the period, and how many of them are in paying work."""
    trades = {trade.pk: trade for trade in Trade.objects.all()}
    rows = [
        {
            "trade": trades[trade_id].slug,
            "name": trades[trade_id].name,
            "trained": trained,
            "in_paying_work": salaried + self_employed,
        }
        for trade_id, trained, salaried, self_employed, _income in paying_work_rows(
            scope, period, by_trade=True
        )
    ]
    return sorted(rows, key=lambda row: row["name"])
