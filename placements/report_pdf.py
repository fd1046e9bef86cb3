"""The annual outcomes report as PDF: A4 portrait, headings in English and Hindi, the headline
figures, a chart of trained and in paying work per year, and the tables by trade and by year.

A pure module drawn with the certificates' toolkit (core.pdf: the fonts and the Devanagari
shaping): it reads no database, and prints only the counts it is given, never anything about a woman."""

import datetime
import io
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.dates import english_date, hindi_date
from core.pdf import BOLD, REGULAR, draw_line, register_fonts

from .charts import axis_top
from .outcomes import Figures

TITLE_EN, TITLE_HI = "Outcomes report", "परिणाम रिपोर्ट"
AUTHOR = "Sakhi One Stop Centres"

INK = colors.Color(0.10, 0.10, 0.12)
MUTED = colors.Color(0.36, 0.36, 0.40)
ACCENT = colors.Color(0.0, 0.49, 0.49)  # the admin chart's teal
WORK = colors.Color(0.71, 0.33, 0.04)  # the admin chart's amber
RULE = colors.Color(0.80, 0.80, 0.82)
SHADE = colors.Color(0.95, 0.96, 0.96)

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN

BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14, textColor=INK)
NOTE = ParagraphStyle("note", parent=BODY, fontSize=8.5, leading=11, textColor=MUTED)


@dataclass(frozen=True)
class ReportContent:
    """Everything printed in one report, already computed by placements.outcomes."""

    area: str  # "Sakhi One Stop Centre, Lucknow", "Bihar", "All centres"
    period: str  # "2016 to 2026", "2023-24"
    year_kind: str  # "Calendar years", "Financial years (April to March)"
    total: Figures
    years: list[Figures]
    trades: list[dict]  # placements.outcomes.by_trade rows
    generated_on: datetime.date


class Heading(Flowable):
    """A heading in English and Hindi on one line, the Hindi shaped by HarfBuzz."""

    def __init__(self, english, hindi, size=13, space_before=10):
        super().__init__()
        self.english, self.hindi, self.size, self.space_before = english, hindi, size, space_before

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.size * 1.5 + self.space_before

    def draw(self):
        self.canv.setFillColor(ACCENT)
        runs = [(self.english, BOLD, self.size), ("  /  ", REGULAR, self.size), (self.hindi, BOLD, self.size)]
        draw_line(self.canv, 0, self.size * 0.45, runs, max_width=self.width)


def render_report(content: ReportContent) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=f"{TITLE_EN}: {content.area}, {content.period}",
        author=AUTHOR,
        creator=AUTHOR,
        subject=TITLE_EN,
    )
    footer = f"Generated on {english_date(content.generated_on)}  ·  counts only, no personal data"

    def draw_footer(canvas, document):
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 8)
        canvas.drawString(MARGIN, MARGIN, footer)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN, f"Page {document.page}")
        canvas.restoreState()

    document.build(story(content), onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()


def story(content):
    total = content.total
    return [
        Heading(TITLE_EN, TITLE_HI, size=20, space_before=0),
        Paragraph(
            f"<b>{escape(content.area)}</b>  ·  {escape(content.period)}  ·  {escape(content.year_kind)}",
            BODY,
        ),
        Paragraph(
            f"Women trained in the period and, of them, those in paying work on "
            f"{english_date(total.report_date)}. Generated on {english_date(content.generated_on)} "
            f"({hindi_date(content.generated_on)}).",
            NOTE,
        ),
        Heading("Headline figures", "मुख्य आँकड़े"),
        table(headline_rows(total), widths=(0.7, 0.3), header=False),
        KeepTogether(
            [
                Heading("Trained and in paying work, by year", "वर्ष के अनुसार: प्रशिक्षित और आय वाले काम में"),
                year_chart(content.years),
            ]
        ),
        titled_table(Heading("By trade", "ट्रेड के अनुसार"), trade_rows(content.trades), (0.5, 0.25, 0.25)),
        titled_table(
            Heading("By year", "वर्ष के अनुसार"),
            year_rows(content.years),
            (0.16, 0.13, 0.15, 0.13, 0.15, 0.12, 0.16),
        ),
        Spacer(0, 4 * mm),
        Paragraph(
            "Each year counts the women trained in it, in paying work at the year's end (today for a year "
            "not yet over). A woman trained in two years counts in both; the headline figures count her "
            "once. Rate: in paying work as a share of the women trained. Income: the mean monthly pay or "
            "business income of the women in paying work.",
            NOTE,
        ),
    ]


def headline_rows(total):
    rows = [
        ["Women trained", count(total.trained)],
        ["In paying work", count(total.in_paying_work)],
        ["    salaried", count(total.salaried)],
        ["    self-employed", count(total.self_employed)],
        ["Placement rate", rate(total.placement_rate)],
        ["Average monthly income (INR)", count(total.average_monthly_income)],
    ]
    rows += [
        [f"Still working at {months} months", f"{still:,} of {done:,} followed up"]
        for months, (still, done) in total.still_working.items()
    ]
    return rows


def trade_rows(trades):
    rows = [[row["name"], count(row["trained"]), count(row["in_paying_work"])] for row in trades]
    return [
        ["Trade", "Women trained", "In paying work"],
        *(rows or [["No completions in this period", "", ""]]),
    ]


def year_rows(years):
    header = ["Year", "Trained", "In paying work", "Salaried", "Self-employed", "Rate", "Income (INR)"]
    return [header] + [
        [
            year.period,
            count(year.trained),
            count(year.in_paying_work),
            count(year.salaried),
            count(year.self_employed),
            rate(year.placement_rate),
            count(year.average_monthly_income),
        ]
        for year in years
    ]


def count(value):
    return "–" if value is None else f"{value:,}"


def rate(value):
    return "–" if value is None else f"{value:.1%}"


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def titled_table(heading, rows, widths):
    """A heading and its table, kept on one page when the table fits on one."""
    return KeepTogether([heading, table(rows, widths)])


def table(rows, widths, header=True):
    flowable = Table(rows, colWidths=[WIDTH * share for share in widths], repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 9.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style += [("FONT", (0, 0), (-1, 0), BOLD, 9.5), ("BACKGROUND", (0, 0), (-1, 0), SHADE)]
    flowable.setStyle(TableStyle(style))
    return flowable


def year_chart(years):
    """Trained and in paying work per year, drawn with reportlab's own chart (the page's SVG is for screens)."""
    height = 62 * mm
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 34, 28, WIDTH - 44, height - 52
    chart.data = [[year.trained for year in years], [year.in_paying_work for year in years]]
    chart.categoryAxis.categoryNames = [year.period for year in years]
    ceiling, step = axis_top(max((value for row in chart.data for value in row), default=0))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, ceiling, step
    chart.valueAxis.labelTextFormat = "{:,.0f}".format
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = REGULAR, 7.5, INK
        axis.strokeColor = MUTED
    chart.valueAxis.gridStrokeColor, chart.valueAxis.visibleGrid = RULE, True
    chart.bars[0].fillColor, chart.bars[1].fillColor = ACCENT, WORK
    chart.bars.strokeColor = None
    chart.barLabelFormat = "{:,}".format if len(years) <= 12 else None
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.nudge = REGULAR, 6.5, 5
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y, legend.alignment = 36, height - 6, "right"
    legend.fontName, legend.fontSize, legend.columnMaximum = REGULAR, 8.5, 1
    legend.colorNamePairs = [(ACCENT, "Women trained"), (WORK, "In paying work at the year's end")]
    drawing.add(legend)
    return drawing
