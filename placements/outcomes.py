"""Every outcome figure, defined once and computed in the database.

Definitions (docs/outcomes.md has them in full):
- trained: distinct women with an enrolment completed in the period;
- completed by trade: distinct women per trade with a completion of that trade in the period;
- in paying work: of the women trained in the period, those whose latest outcome (placement or
  self-employment, the one that started last on or before the report date) is active on the
  report date; salaried and self-employed split it by the kind of that latest outcome;
- report date: the period's last day, or today if the period has not ended;
- placement rate: in paying work / trained;
- still working at 3, 6 and 12 months: of their outcomes whose follow-up at that month is done,
  how many were still working then;
- average monthly income: of the women in paying work, the mean pay or income of that outcome.
The admin reports, the command, the public figures and the PDF all call this module."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from skills.models import Centre, Enrolment, Trade, Trainee

from .models import FollowUp, Placement, SelfEmployment

SALARIED, SELF_EMPLOYED = "salaried", "self_employed"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str

    @classmethod
    def year(cls, year, financial=False):
        if financial:
            return cls(
                datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31), f"{year}-{(year + 1) % 100:02d}"
            )
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year))

    @classmethod
    def years(cls, first, last, financial=False):
        start, end = cls.year(first, financial).start, cls.year(last, financial).end
        label = (
            cls.year(first, financial).label
            if first == last
            else f"{cls.year(first, financial).label} to {cls.year(last, financial).label}"
        )
        return cls(start, end, label)

    @property
    def report_date(self):
        return min(self.end, timezone.localdate())


@dataclass(frozen=True)
class Scope:
    """Which centres: one centre, a district, a state, or all."""

    centre: str = ""
    district: str = ""
    state: str = ""

    def centres(self):
        centres = Centre.objects.all()
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


def completions(scope, period):
    return Enrolment.objects.filter(
        status=Enrolment.Status.COMPLETED,
        cohort__centre__in=scope.centres(),
        completed_on__range=(period.start, period.report_date),
    )


def trained_women(scope, period, trade=None):
    done = completions(scope, period).filter(trainee=OuterRef("pk"))
    if trade is not None:
        done = done.filter(cohort__course__trade=trade)
    return Trainee.objects.filter(Exists(done))


def with_latest_outcome(trainees, on):
    """Annotate each woman with her latest outcome on a date: its kind, whether it is active, its pay."""

    def latest(model, column):
        return Subquery(
            model.objects.filter(trainee=OuterRef("pk"), start_date__lte=on)
            .order_by("-start_date", "-pk")
            .values(column)[:1]
        )

    annotated = trainees.annotate(
        job_start=latest(Placement, "start_date"),
        job_end=latest(Placement, "end_date"),
        job_pay=latest(Placement, "monthly_pay"),
        business_start=latest(SelfEmployment, "start_date"),
        business_end=latest(SelfEmployment, "end_date"),
        business_income=latest(SelfEmployment, "monthly_income"),
    )
    job_is_latest = Q(job_start__isnull=False) & (
        Q(business_start__isnull=True) | Q(job_start__gte=F("business_start"))
    )
    business_is_latest = Q(business_start__isnull=False) & ~job_is_latest
    return annotated.annotate(
        outcome=Case(
            When(job_is_latest & (Q(job_end__isnull=True) | Q(job_end__gte=on)), then=Value(SALARIED)),
            When(
                business_is_latest & (Q(business_end__isnull=True) | Q(business_end__gte=on)),
                then=Value(SELF_EMPLOYED),
            ),
            default=Value(""),
            output_field=CharField(),
        ),
        income=Case(
            When(job_is_latest, then=F("job_pay")),
            When(business_is_latest, then=F("business_income")),
            default=None,
            output_field=IntegerField(),
        ),
    )


def figures(scope, period):
    """All figures for one scope and period, in a fixed handful of queries."""
    on = period.report_date
    women = with_latest_outcome(trained_women(scope, period), on)
    totals = women.aggregate(
        trained=Count("pk"),
        salaried=Count("pk", filter=Q(outcome=SALARIED)),
        self_employed=Count("pk", filter=Q(outcome=SELF_EMPLOYED)),
        average_income=Avg("income", filter=~Q(outcome="")),
    )
    result = Figures(period=period.label, report_date=on, trained=totals["trained"])
    result.salaried, result.self_employed = totals["salaried"], totals["self_employed"]
    result.in_paying_work = result.salaried + result.self_employed
    if result.trained:
        result.placement_rate = round(result.in_paying_work / result.trained, 3)
    if totals["average_income"] is not None:
        result.average_monthly_income = round(totals["average_income"])
    result.still_working = still_working(scope, period)
    result.completed_by_trade = completed_by_trade(scope, period)
    return result


def still_working(scope, period):
    """{months: (still working, followed up)} for the outcomes of the women trained in the period."""
    women = trained_women(scope, period).values("pk")
    rows = (
        FollowUp.objects.filter(done_on__isnull=False, done_on__lte=period.report_date)
        .filter(Q(placement__trainee__in=women) | Q(self_employment__trainee__in=women))
        .values("months")
        .annotate(done=Count("pk"), still=Count("pk", filter=Q(result=FollowUp.Result.STILL_WORKING)))
    )
    found = {row["months"]: (row["still"], row["done"]) for row in rows}
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
    on = period.report_date
    rows = []
    for trade in Trade.objects.order_by("name"):
        women = with_latest_outcome(trained_women(scope, period, trade), on)
        totals = women.aggregate(trained=Count("pk"), working=Count("pk", filter=~Q(outcome="")))
        if totals["trained"]:
            rows.append(
                {
                    "trade": trade.slug,
                    "name": trade.name,
                    "trained": totals["trained"],
                    "in_paying_work": totals["working"],
                }
            )
    return rows
