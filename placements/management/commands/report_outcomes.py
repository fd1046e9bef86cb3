import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from placements.outcomes import Scope, report
from skills.models import Centre


class Command(BaseCommand):
    help = (
        "Print the outcome figures (trained, completed by trade, in paying work, salaried, self-employed, "
        "still working at 3/6/12 months, income) for a centre or all centres, for a span of years and each year."
    )

    def add_arguments(self, parser):
        parser.add_argument("--centre", help="centre slug, e.g. lucknow (default: all centres)")
        parser.add_argument("--from", dest="first", type=int, default=2016, help="first year (default 2016)")
        parser.add_argument("--to", dest="last", type=int, help="last year (default: this year)")
        parser.add_argument(
            "--financial-year",
            action="store_true",
            help="Indian financial years (April to March) instead of calendar years",
        )
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args, centre, first, last, financial_year, format, **options):
        if centre and not Centre.objects.filter(slug=centre).exists():
            known = ", ".join(Centre.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f'No centre "{centre}". Known centres: {known}.')
        last = last or timezone.localdate().year
        if last < first:
            raise CommandError("--to must not be before --from.")
        scope = Scope(centre=centre or "")
        try:
            figures = report(scope, first, last, financial_year, every_year_in_detail=True)
        except ValueError as error:  # years the figures do not cover
            raise CommandError(str(error)) from error
        total, years, trades = figures.total, figures.years, figures.trades
        if format == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "scope": scope.label,
                        "financial_year": financial_year,
                        "total": total.as_dict(),
                        "years": [year.as_dict() for year in years],
                        "trades": trades,
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
        elif format == "csv":
            self.write_csv([total, *years])
        else:
            self.write_table(scope, total, years, trades)

    COLUMNS = [
        "period",
        "trained",
        "in_paying_work",
        "salaried",
        "self_employed",
        "placement_rate",
        "average_monthly_income",
    ]

    def write_csv(self, rows):
        writer = csv.writer(self.stdout)
        writer.writerow(
            [*self.COLUMNS, "still_working_3m", "still_working_6m", "still_working_12m", "completed_by_trade"]
        )
        for row in rows:
            data = row.as_dict()
            writer.writerow(
                [data[column] for column in self.COLUMNS]
                + [f"{still}/{done}" for still, done in row.still_working.values()]
                + ["; ".join(f"{trade} {n}" for trade, n in row.completed_by_trade.items())]
            )

    def write_table(self, scope, total, years, trades):
        self.stdout.write(f"Outcomes for {scope.label}, {total.period} (report date {total.report_date}):")
        self.stdout.write(f"  trained                 {total.trained:>7,}")
        self.stdout.write(f"  in paying work today    {total.in_paying_work:>7,}")
        self.stdout.write(f"    salaried              {total.salaried:>7,}")
        self.stdout.write(f"    self-employed         {total.self_employed:>7,}")
        if total.placement_rate is not None:
            self.stdout.write(f"  placement rate          {total.placement_rate:>7.1%}")
        if total.average_monthly_income is not None:
            self.stdout.write(f"  average monthly income  ₹{total.average_monthly_income:>6,}")
        for months, (still, done) in total.still_working.items():
            self.stdout.write(f"  still working at {months:>2} months  {still:>5,} of {done:,} followed up")
        self.stdout.write("\n  year       trained  paying  salaried  self-employed   completed by trade")
        for year in years:
            by_trade_text = ", ".join(f"{trade} {n}" for trade, n in year.completed_by_trade.items())
            self.stdout.write(
                f"  {year.period:<9} {year.trained:>8,} {year.in_paying_work:>7,} {year.salaried:>9,} "
                f"{year.self_employed:>14,}   {by_trade_text}"
            )
        self.stdout.write("\n  trade                         trained  in paying work")
        for row in trades:
            self.stdout.write(f"  {row['name']:<29} {row['trained']:>7,} {row['in_paying_work']:>15,}")
