"""Every outcome figure, defined once and computed in the database.

Definitions (docs/outcomes.md has them in full):
- scope: the women whose home centre is in it (one centre, a district, a state, or all);
- trained: distinct women with an enrolment completed in the period;
- completed by trade: distinct women per trade with a completion of that trade in the period;
- in paying work: of the women trained in the period, those whose latest outcome (placement or
  self-employment, the one that started last on or before the report date) is active on the
  report date; salaried and self-employed split it by the kind of that latest outcome;
- periods: calendar or Indian financial years, one or a span of them;
- report date: the period's last day, or today if the period has not ended;
- placement rate: in paying work / trained;
- still working at 3, 6 and 12 months: of their outcomes whose follow-up at that month is done by
  the report date, how many were still working then;
- average monthly income: of the women in paying work, the mean pay or income of that outcome.
The admin reports, the command, the public figures and the PDF all call this module.

The figures are read from the reporting summaries that placements.summaries keeps (a row per woman
with the years she completed a course in as a bit mask, a row per woman and trade, and her spells
of paying work), so a state's report is a few passes over a row per woman rather than a grouping of
a million enrolments: any number of periods costs about what one costs."""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from core.dates import financial_year_end, financial_year_name, financial_year_start
from skills.models import Centre, Trade

from .models import SUMMARY_BASE_YEAR, SUMMARY_LAST_YEAR, FollowUp, WorkSpell

FIRST_YEAR = SUMMARY_BASE_YEAR + 1  # the summaries hold all of calendar year 2000 and later


@dataclass(frozen=True)
class Period:
    """Whole calendar years (January to December) or Indian financial years (April to March,
    named by the year they start in), from first_year to last_year."""

    first_year: int
    last_year: int
    financial: bool = False

    def __post_init__(self):
        if not (FIRST_YEAR <= self.first_year <= self.last_year <= SUMMARY_LAST_YEAR):
            raise ValueError(f"Years must run from {FIRST_YEAR} to {SUMMARY_LAST_YEAR}, in order.")

    @classmethod
    def year(cls, year, financial=False):
        return cls(year, year, financial)

    @classmethod
    def years(cls, first, last, financial=False):
        return cls(first, last, financial)

    @property
    def start(self):
        if self.financial:
            return financial_year_start(self.first_year)
        return datetime.date(self.first_year, 1, 1)

    @property
    def end(self):
        if self.financial:
            return financial_year_end(self.last_year)
        return datetime.date(self.last_year, 12, 31)

    @property
    def label(self):
        def name(year):
            return financial_year_name(year) if self.financial else str(year)

        if self.first_year == self.last_year:
            return name(self.first_year)
        return f"{name(self.first_year)} to {name(self.last_year)}"

    @property
    def report_date(self):
        return min(self.end, timezone.localdate())

    @property
    def years_mask(self):
        """The bits of its years in the summaries' masks."""
        return sum(1 << (year - SUMMARY_BASE_YEAR) for year in range(self.first_year, self.last_year + 1))

    @property
    def years_column(self):
        return "financial_years" if self.financial else "calendar_years"


@dataclass(frozen=True)
class Scope:
    """Which centres: one centre, a district, a state, or all."""

    centre: str = ""
    district: str = ""
    state: str = ""
    centre_ids: tuple | None = None  # an explicit set of centres (those a user may see); () is none

    @property
    def is_everywhere(self):
        return not (self.centre or self.district or self.state) and self.centre_ids is None

    def centres(self):
        centres = Centre.objects.all()
        if self.centre_ids is not None:
            centres = centres.filter(pk__in=self.centre_ids)
        if self.centre:
            centres = centres.filter(slug=self.centre)
        if self.district:
            centres = centres.filter(district=self.district)
        if self.state:
            centres = centres.filter(state=self.state)
        return centres

    @property
    def label(self):
        return self.centre or self.district or self.state or "all centres"


@dataclass
class Figures:
    period: str
    report_date: datetime.date
    trained: int = 0
    in_paying_work: int = 0
    salaried: int = 0
    self_employed: int = 0
    placement_rate: float | None = None
    average_monthly_income: int | None = None
    still_working: dict = field(default_factory=dict)  # {3: (still, followed_up), 6: …, 12: …}
    completed_by_trade: dict = field(default_factory=dict)  # {trade slug: women}

    def as_dict(self):
        return {
            "period": self.period,
            "report_date": self.report_date.isoformat(),
            "trained": self.trained,
            "in_paying_work": self.in_paying_work,
            "salaried": self.salaried,
            "self_employed": self.self_employed,
            "placement_rate": self.placement_rate,
            "average_monthly_income": self.average_monthly_income,
            "still_working": {
                f"{months}_months": {"still_working": still, "followed_up": done}
                for months, (still, done) in self.still_working.items()
            },
            "completed_by_trade": self.completed_by_trade,
        }


class FiguresQuery:
    """The SQL for some periods' figures in a scope, and the reading of its rows.

    Five statements whatever the number of periods: per period, women trained (TrainedWoman) and
    in paying work on the report date (WorkSpell); for the detailed periods (the span alone on the
    report page, every year for report_outcomes), the follow-ups (FollowUp, by the women in
    TrainedWoman) and the women trained per trade; and for the first period, per trade, those
    in paying work. Each period gets its own columns (CASE per period, summed), so the
    tables are read once. The centre condition is on the woman's home centre, which every summary
    row carries."""

    def __init__(self, scope, periods, detailed_periods):
        self.periods, self.detailed_periods = list(periods), list(detailed_periods)
        self.params = {}
        for k, period in enumerate(periods):
            self.params[f"years{k}"] = period.years_mask
            self.params[f"day{k}"] = period.report_date
        self.params["last_day"] = max(period.report_date for period in periods)
        self.params["still_working"] = FollowUp.Result.STILL_WORKING
        self.params["salaried"], self.params["self_employed"] = WorkSpell.SALARIED, WorkSpell.SELF_EMPLOYED
        self.centre_condition = "1 = 1"
        if not scope.is_everywhere:
            centre_ids = list(scope.centres().values_list("pk", flat=True)) or [0]
            self.params.update({f"centre{n}": pk for n, pk in enumerate(centre_ids)})
            names = ", ".join(f"%(centre{n})s" for n in range(len(centre_ids)))
            self.centre_condition = f"{{table}}.centre_id IN ({names})"

    def trained_in(self, table, k):
        return f"({table}.{self.periods[k].years_column} & %(years{k})s) <> 0"

    def where(self, table):
        return self.centre_condition.format(table=table)

    @staticmethod
    def working_on(k):
        """The spell s is the one that counts on period k's report date."""
        return (
            f"s.started_on <= %(day{k})s AND (s.superseded_on IS NULL OR s.superseded_on > %(day{k})s)"
            f" AND (s.ended_on IS NULL OR s.ended_on >= %(day{k})s)"
        )

    def trained_sql(self):
        columns = [
            f"SUM(CASE WHEN {self.trained_in('w', k)} THEN 1 ELSE 0 END)" for k in range(len(self.periods))
        ]
        return f"SELECT {', '.join(columns)} FROM placements_trainedwoman w WHERE {self.where('w')}"

    def work_sql(self):
        columns = []
        for k in range(len(self.periods)):
            counts = f"{self.trained_in('s', k)} AND {self.working_on(k)}"
            columns += [
                f"SUM(CASE WHEN {counts} AND s.kind = %(salaried)s THEN 1 ELSE 0 END)",
                f"SUM(CASE WHEN {counts} AND s.kind = %(self_employed)s THEN 1 ELSE 0 END)",
                f"SUM(CASE WHEN {counts} THEN s.income END)",
            ]
        return f"SELECT {', '.join(columns)} FROM placements_workspell s WHERE {self.where('s')}"

    def follow_up_sql(self):
        columns = []
        for k in self.detailed_periods:
            done = f"{self.trained_in('w', k)} AND f.done_on <= %(day{k})s"
            columns += [
                f"SUM(CASE WHEN {done} THEN 1 ELSE 0 END)",
                f"SUM(CASE WHEN {done} AND f.result = %(still_working)s THEN 1 ELSE 0 END)",
            ]
        return f"""
            SELECT f.months, {", ".join(columns)}
            FROM (
                SELECT p.trainee_id, f.months, f.done_on, f.result
                FROM placements_followup f JOIN placements_placement p ON p.id = f.placement_id
                WHERE f.done_on <= %(last_day)s
                UNION ALL
                SELECT b.trainee_id, f.months, f.done_on, f.result
                FROM placements_followup f JOIN placements_selfemployment b ON b.id = f.self_employment_id
                WHERE f.done_on <= %(last_day)s
            ) AS f
            JOIN placements_trainedwoman w ON w.trainee_id = f.trainee_id
            WHERE {self.where("w")}
            GROUP BY f.months
        """

    def trades_sql(self):
        columns = [
            f"SUM(CASE WHEN {self.trained_in('t', k)} THEN 1 ELSE 0 END)" for k in self.detailed_periods
        ]
        return f"""
            SELECT t.trade_id, {", ".join(columns)}
            FROM placements_trainedwomantrade t WHERE {self.where("t")}
            GROUP BY t.trade_id
        """

    def trades_working_sql(self):
        """Per trade, the women trained in it in the first period and in paying work on its report date."""
        return f"""
            SELECT t.trade_id, COUNT(*)
            FROM placements_trainedwomantrade t
            JOIN placements_workspell s ON s.trainee_id = t.trainee_id AND {self.working_on(0)}
            WHERE {self.trained_in("t", 0)} AND {self.where("t")}
            GROUP BY t.trade_id
        """

    def run(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return cursor.fetchall()


def compute(scope, periods, detailed_periods=(0,)):
    """Figures for each period, in order, and the first period's women per trade: {trade id:
    (trained, in paying work)}. Only the detailed periods (indexes) get still_working and
    completed_by_trade; the first period always does."""
    detailed_periods = sorted({0, *detailed_periods})
    query = FiguresQuery(scope, periods, detailed_periods)
    ((*trained,),) = query.run(query.trained_sql())
    ((*work,),) = query.run(query.work_sql())
    follow_ups = {months: counts for months, *counts in query.run(query.follow_up_sql())}
    trades = {trade_id: counts for trade_id, *counts in query.run(query.trades_sql())}
    working_by_trade = dict(query.run(query.trades_working_sql()))
    slugs = dict(Trade.objects.filter(pk__in=trades).values_list("pk", "slug"))

    results = []
    for k, period in enumerate(periods):
        result = Figures(period=period.label, report_date=period.report_date, trained=int(trained[k] or 0))
        salaried, self_employed, income = work[3 * k : 3 * k + 3]
        result.salaried, result.self_employed = int(salaried or 0), int(self_employed or 0)
        result.in_paying_work = result.salaried + result.self_employed
        if result.trained:
            result.placement_rate = round(result.in_paying_work / result.trained, 3)
        if result.in_paying_work:
            result.average_monthly_income = round(income / result.in_paying_work)
        if k in detailed_periods:
            column = detailed_periods.index(k)
            result.still_working = {}
            for months in FollowUp.MONTHS:
                done, still = follow_ups.get(months, [0, 0] * len(detailed_periods))[
                    2 * column : 2 * column + 2
                ]
                result.still_working[months] = (int(still or 0), int(done or 0))
            result.completed_by_trade = dict(
                sorted(
                    (slugs[trade_id], int(counts[column]))
                    for trade_id, counts in trades.items()
                    if counts[column]
                )
            )
        results.append(result)
    first_period_by_trade = {
        trade_id: (int(counts[0]), int(working_by_trade.get(trade_id, 0)))
        for trade_id, counts in trades.items()
        if counts[0]
    }
    return results, first_period_by_trade


@dataclass
class Report:
    """The figures of a span and of each of its years, and the span's figures per trade."""

    total: Figures
    years: list
    trades: list


def figures(scope, period):
    """All figures for one scope and period."""
    return compute(scope, [period])[0][0]


def trade_rows(women_by_trade):
    """Per trade, by name: the women trained in it, and how many of them are in paying work."""
    trades = Trade.objects.in_bulk(women_by_trade)
    rows = [
        {
            "trade": trades[trade_id].slug,
            "name": trades[trade_id].name,
            "trained": trained,
            "in_paying_work": in_paying_work,
        }
        for trade_id, (trained, in_paying_work) in women_by_trade.items()
    ]
    return sorted(rows, key=lambda row: row["name"])


def report(scope, first_year, last_year, financial=False, every_year_in_detail=False):
    """The span's figures, each year's, and the span's per trade, in a fixed number of queries.
    Each year's still_working and completed_by_trade only with every_year_in_detail."""
    periods = [Period.years(first_year, last_year, financial)]
    periods += [Period.year(year, financial) for year in range(first_year, last_year + 1)]
    detailed = range(len(periods)) if every_year_in_detail else (0,)
    results, women_by_trade = compute(scope, periods, detailed)
    return Report(total=results[0], years=results[1:], trades=trade_rows(women_by_trade))
