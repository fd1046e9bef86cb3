"""Admin outcome reports: the figures of placements.outcomes for the centres the user may see, as a
page with tables and a chart, as CSV and XLSX, and as an annual report PDF.

Every figure comes from placements.outcomes; this module only chooses the scope and span (through
report_filters), lays the figures out, and keeps each page's database work to a fixed number of
queries, whatever the number of years shown or of women behind the figures."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.exports import FORMATS
from skills.exports import audited_spreadsheet
from skills.models import Centre

from . import report_pdf
from .charts import Series, bar_chart
from .outcomes import report
from .report_filters import OutcomeReportFilter, YearKind

TRAINED_COLOUR, WORKING_COLOUR = "#007d7e", "#b45309"  # both 4.5:1 or more on white


def user_can_view_outcome_reports(user):
    """Reports are for the staff who may read trainee records: coordinators, state officers, superusers."""
    return user.is_active and user.has_perm("skills.view_trainee")


class OutcomeReportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_view_outcome_reports(request.user)


class OutcomeReport:
    """The figures of one ReportSelection, each computed once, and only when something shows it."""

    def __init__(self, selection):
        self.selection = selection

    @cached_property
    def figures(self):
        selection = self.selection
        return report(selection.scope, selection.first_year, selection.last_year, selection.financial)

    @property
    def total(self):
        return self.figures.total

    @property
    def years(self):
        return self.figures.years

    @property
    def trades(self):
        return self.figures.trades

    def year_table(self):
        """Column headings, and one row per year of raw values (None where there is no figure)."""
        header = [
            _("Year"),
            _("Women trained"),
            _("In paying work at the year's end"),
            _("Salaried"),
            _("Self-employed"),
            _("Placement rate (%)"),
            _("Average monthly income (₹)"),
        ]
        rows = [
            [
                year.period,
                year.trained,
                year.in_paying_work,
                year.salaried,
                year.self_employed,
                percent(year.placement_rate),
                year.average_monthly_income,
            ]
            for year in self.years
        ]
        return header, rows

    def trade_table(self):
        header = [_("Trade"), _("Women trained"), _("In paying work")]
        rows = [[row["name"], row["trained"], row["in_paying_work"]] for row in self.trades]
        return header, rows

    TABLES = {"by-year": year_table, "by-trade": trade_table}

    def chart(self):
        """Trained and in paying work per year, as inline SVG."""
        years = self.years
        trained = Series(_("Women trained"), tuple(year.trained for year in years), TRAINED_COLOUR)
        working = Series(
            _("In paying work at the year's end"),
            tuple(year.in_paying_work for year in years),
            WORKING_COLOUR,
        )
        description = "; ".join(
            _("%(year)s: %(trained)s trained, %(working)s in paying work")
            % {"year": year.period, "trained": f"{year.trained:,}", "working": f"{year.in_paying_work:,}"}
            for year in years
        )
        svg = bar_chart(
            "outcomes-chart",
            _("Women trained and in paying work, by year: %(area)s") % {"area": self.selection.area},
            description,
            [year.period for year in years],
            [trained, working],
        )
        return mark_safe(svg)  # noqa: S308 - charts.bar_chart escapes every text it writes

    def pdf_content(self):
        selection = self.selection
        return report_pdf.ReportContent(
            area=selection.area,
            period=selection.period.label,
            year_kind=str(YearKind.FINANCIAL.label if selection.financial else YearKind.CALENDAR.label),
            total=self.total,
            years=self.years,
            trades=self.trades,
            generated_on=timezone.localdate(),
        )


def percent(rate):
    return None if rate is None else round(rate * 100, 1)


class OutcomeReportMixin:
    """Refuses whoever may not see reports, and reads the filters of the request."""

    def dispatch(self, request, *args, **kwargs):
        if not user_can_view_outcome_reports(request.user):
            raise PermissionDenied
        self.filterset = OutcomeReportFilter(request.GET, user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def report_or_none(self):
        return OutcomeReport(self.filterset.selection()) if self.filterset.is_valid() else None

    def back_to_the_form(self):
        """Downloads with filters that do not validate go to the page, which shows why."""
        return redirect(f"{reverse('placements_outcome_report')}?{self.request.GET.urlencode()}")


class OutcomeReportView(OutcomeReportMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "placements/reports/outcomes.html"
    page_title = gettext_lazy("Outcome reports")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report_or_none()
        context["filter_form"] = self.filterset.form
        context["report"] = report
        if report is not None:
            query = self.filterset.query_string()
            context.update(
                selection=report.selection,
                total=report.total,
                placement_percent=percent(report.total.placement_rate),
                year_table=report.year_table(),
                trade_table=report.trade_table(),
                chart=report.chart(),
                downloads=[
                    (
                        label,
                        f"{reverse('placements_outcome_report_export', args=[table, fmt])}?{query}",
                        fmt.upper(),
                    )
                    for table, label in (("by-year", _("Table by year")), ("by-trade", _("Table by trade")))
                    for fmt in ("csv", "xlsx")
                ],
                pdf_url=f"{reverse('placements_outcome_report_pdf')}?{query}",
            )
        return context


class OutcomeReportExportView(OutcomeReportMixin, View):
    """The table by year or by trade as CSV (UTF-8 with a byte-order mark, for Excel) or XLSX,
    through the one audited writer that every export uses."""

    def get(self, request, table, fmt):
        if table not in OutcomeReport.TABLES or fmt not in FORMATS:
            raise Http404
        report = self.report_or_none()
        if report is None:
            return self.back_to_the_form()
        header, rows = OutcomeReport.TABLES[table](report)
        return audited_spreadsheet(
            request,
            model=Centre,  # the figures are of centres, not of any one woman's record
            list_name=_("Outcome report, %(table)s") % {"table": table},
            fmt=fmt,
            header=header,
            rows=rows,
            row_count=len(rows),
            filter_names=self.filterset.form.fields,
            filename=f"{report.selection.file_stem}-{table}",
            sheet_title=table,
            stream=False,
            fit_columns=True,
        )


class OutcomeReportPDFView(OutcomeReportMixin, View):
    """The annual report: A4, English and Hindi headings, the figures, the chart and both tables."""

    def get(self, request):
        report = self.report_or_none()
        if report is None:
            return self.back_to_the_form()
        response = HttpResponse(
            report_pdf.render_report(report.pdf_content()), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{report.selection.file_stem}.pdf"'
        return response
