"""Admin outcome reports: who sees which centres, the demo's Lucknow figures on the page and in the
CSV, XLSX and PDF, the SVG chart, financial years, and a query count that stays flat."""

import csv
import datetime
import io
import xml.dom.minidom

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core import changes
from placements import services
from placements.charts import Series, bar_chart
from placements.models import Placement, SelfEmployment
from placements.outcomes import Scope, figures
from placements.report_filters import ReportSelection
from skills.models import Centre, Cohort, Course, Enrolment, Trade, Trainee
from website.demo.users import seed_users

PAGE = reverse("placements_outcome_report")
PDF = reverse("placements_outcome_report_pdf")
LUCKNOW_2024 = {"centre": "lucknow", "year_from": 2024, "year_to": 2024}


def export(table, fmt):
    return reverse("placements_outcome_report_export", args=[table, fmt])


@pytest.fixture
def users(demo_site, django_user_model):
    seed_users()
    return {
        name: django_user_model.objects.get(username=name)
        for name in ("coordinator", "coordinator.patna", "officer", "editor", "employer")
    }


@pytest.fixture
def as_user(client, users):
    def log_in(name):
        client.force_login(users[name])
        return client

    return log_in


def centre_choices(response):
    return [value for value, _label in response.context["filter_form"].fields["centre"].choices]


def table_rows(response, name):
    _header, rows = response.context[name]
    return {row[0]: row[1:] for row in rows}


def test_state_officer_sees_every_centre_and_the_lucknow_figures(as_user):
    client = as_user("officer")
    response = client.get(PAGE)
    assert response.status_code == 200
    assert centre_choices(response) == ["", "buxar", "leh", "lucknow", "patna-1", "patna-2"]
    assert {"district", "state"} <= set(response.context["filter_form"].fields)
    assert response.context["selection"].area == "All centres"

    response = client.get(PAGE, {"centre": "lucknow"})
    total = response.context["total"]
    assert (total.trained, total.in_paying_work) == (1142, 695)
    assert total.period.startswith("2016 to ")
    assert "1,142" in response.content.decode()

    response = client.get(PAGE, LUCKNOW_2024)
    trades = table_rows(response, "trade_table")
    assert {name: row[0] for name, row in trades.items()} == {
        "Tailoring": 60,
        "Jute handiwork": 30,
        "Retail marketing": 20,
    }
    trained, working, salaried, self_employed, *_rest = table_rows(response, "year_table")["2024"]
    assert (trained, working, salaried, self_employed) == (110, 102, 12, 90)


def test_state_officer_may_choose_a_district_or_a_state(as_user):
    client = as_user("officer")
    response = client.get(PAGE, {"district": "Patna"})
    assert response.context["selection"].area == "Patna district"
    assert (
        response.context["total"].trained
        == figures(Scope(district="Patna"), response.context["selection"].period).trained
    )
    response = client.get(PAGE, {"state": "Uttar Pradesh"})
    assert response.context["total"].trained == 1142

    response = client.get(PAGE, {"centre": "lucknow", "state": "Bihar"})
    assert response.context["report"] is None
    assert response.context["filter_form"].non_field_errors()


def test_a_coordinator_gets_her_own_centre_by_default(as_user):
    response = as_user("coordinator").get(PAGE)
    assert centre_choices(response) == ["lucknow"]
    assert "district" not in response.context["filter_form"].fields
    selection = response.context["selection"]
    assert selection.scope.centre == "lucknow"
    assert selection.scope.centre_ids == (Centre.objects.get(slug="lucknow").pk,)
    assert (response.context["total"].trained, response.context["total"].in_paying_work) == (1142, 695)


def test_a_coordinator_asking_for_another_centre_gets_a_form_error_not_its_figures(as_user):
    client = as_user("coordinator")
    response = client.get(PAGE, {"centre": "patna-1"})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "centre" in response.context["filter_form"].errors
    assert "total" not in response.context

    for url in (export("by-year", "csv"), export("by-trade", "xlsx"), PDF):
        response = client.get(url, {"centre": "patna-1"})
        assert response.status_code == 302
        assert response["Location"].startswith(PAGE + "?")


def test_the_patna_coordinator_cannot_see_lucknow(as_user):
    client = as_user("coordinator.patna")
    response = client.get(PAGE)
    assert centre_choices(response) == ["", "patna-1", "patna-2"]
    assert response.context["selection"].area == "All my centres"
    period = response.context["selection"].period
    patna = figures(Scope(district="Patna"), period)
    assert response.context["total"].trained == patna.trained != 1142

    response = client.get(PAGE, {"centre": "lucknow"})
    assert response.context["report"] is None
    assert "1,142" not in response.content.decode()

    # A district or a state in the URL does not widen a coordinator's scope: she has no such filter.
    response = client.get(PAGE, {"district": "Lucknow", "state": "Uttar Pradesh"})
    assert response.context["total"].trained == patna.trained


def test_a_coordinator_without_a_centre_sees_no_figures_at_all(client, users, django_user_model):
    newcomer = django_user_model.objects.create_user("coordinator.new")
    newcomer.groups.set(users["coordinator"].groups.all())
    client.force_login(newcomer)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "no centres" in str(response.context["filter_form"].non_field_errors())
    assert client.get(PDF).status_code == 302


def test_a_superuser_sees_every_centre(client, users, django_user_model):
    client.force_login(django_user_model.objects.get(username="admin"))
    response = client.get(PAGE, {"centre": "leh"})
    assert "leh" in centre_choices(response) and response.context["report"] is not None


@pytest.mark.parametrize("name", ["editor", "employer"])
def test_editors_and_employers_are_refused(as_user, name):
    client = as_user(name)
    for url in (PAGE, export("by-year", "csv"), PDF):
        response = client.get(url, {"centre": "lucknow"})
        assert response.status_code == 302
        assert response["Location"] != url


def test_the_reports_menu_offers_the_report_to_staff_who_see_trainees(as_user):
    assert PAGE in as_user("coordinator").get(reverse("wagtailadmin_home")).content.decode()
    assert PAGE not in as_user("editor").get(reverse("wagtailadmin_home")).content.decode()


def test_invalid_filters_show_the_form_again_with_errors(as_user):
    client = as_user("coordinator")
    for query, field in [
        ({"year_from": 2015}, "year_from"),
        ({"year_to": 2999}, "year_to"),
        ({"year_from": 2024, "year_to": 2020}, "year_to"),
        ({"year_kind": "lunar"}, "year_kind"),
        ({"year_from": "x"}, "year_from"),
    ]:
        response = client.get(PAGE, query)
        assert response.status_code == 200
        assert response.context["report"] is None
        assert field in response.context["filter_form"].errors, query
    assert client.get(export("by-month", "csv")).status_code == 404
    assert client.get(export("by-year", "ods")).status_code == 404


def test_csv_export_has_a_bom_and_the_figures(as_user):
    response = as_user("coordinator").get(export("by-year", "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="outcomes-lucknow-2016-' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:5] == [
        "Year",
        "Women trained",
        "In paying work at the year's end",
        "Salaried",
        "Self-employed",
    ]
    by_year = {row[0]: row for row in rows[1:]}
    assert by_year["2016"] and by_year["2024"][1:5] == ["110", "102", "12", "90"]


def test_xlsx_export_opens_with_the_trade_figures(as_user):
    response = as_user("officer").get(export("by-trade", "xlsx"), LUCKNOW_2024)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Trade", "Women trained", "In paying work")
    assert {name: trained for name, trained, _working in rows[1:]} == {
        "Jute handiwork": 30,
        "Retail marketing": 20,
        "Tailoring": 60,
    }


def test_a_trade_name_that_looks_like_a_formula_is_written_as_text(as_user):
    trade = Trade.objects.create(name='=HYPERLINK("http://evil.example")', slug="formula")
    complete_in_lucknow(1, trade=trade, on=datetime.date(2024, 6, 1))
    client = as_user("coordinator")
    text = client.get(export("by-trade", "csv"), LUCKNOW_2024).content.decode()
    assert "'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(client.get(export("by-trade", "xlsx"), LUCKNOW_2024).content)).active
    assert any(str(cell.value).startswith("'=") for cell in sheet["A"])


def test_annual_report_pdf_renders_the_figures_and_bilingual_headings(as_user):
    response = as_user("coordinator").get(PDF)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Outcomes report" in text
    assert "1,142" in text
    assert "Tailoring" in text and "Headline figures" in text
    assert "Generated on" in text


def test_the_chart_is_well_formed_svg_with_a_title(as_user):
    response = as_user("coordinator").get(PAGE)
    svg = str(response.context["chart"])
    document = xml.dom.minidom.parseString(svg)
    root = document.documentElement
    assert root.tagName == "svg" and root.getAttribute("role") == "img"
    assert "Lucknow" in root.getElementsByTagName("title")[0].firstChild.data
    assert root.getElementsByTagName("desc")[0].firstChild.data.startswith("2016: 64 trained")
    assert svg in response.content.decode()
    assert "<script" not in svg and "style=" not in svg


def test_the_chart_escapes_its_text_and_draws_an_empty_year():
    svg = bar_chart(
        "test",
        'Fish & "chips" <2024>',
        "All zero",
        ["<a>", "2024"],
        [Series("Trained & <b>", (0, 0), "#007d7e")],
    )
    root = xml.dom.minidom.parseString(svg).documentElement
    assert root.getElementsByTagName("title")[0].firstChild.data == 'Fish & "chips" <2024>'
    assert "<a>" in [text.firstChild.data for text in root.getElementsByTagName("text")]


def test_financial_years_change_the_labels(as_user):
    client = as_user("coordinator")
    response = client.get(PAGE, {"year_kind": "financial", "year_from": 2023, "year_to": 2024})
    assert list(table_rows(response, "year_table")) == ["2023-24", "2024-25"]
    assert response.context["total"].period == "2023-24 to 2024-25"
    assert "2023-24" in response.content.decode()
    response = client.get(PAGE, {"year_from": 2023, "year_to": 2024})
    assert list(table_rows(response, "year_table")) == ["2023", "2024"]
    csv_text = client.get(export("by-year", "csv"), {"year_kind": "financial", "year_from": 2023}).content
    assert b"\n2023-24," in csv_text


def test_file_names_say_what_the_report_covers():
    selection = ReportSelection(Scope(district="West Champaran"), "West Champaran district", 2023, 2024, True)
    assert selection.file_stem == "outcomes-west-champaran-2023-2024-fy"


def complete_in_lucknow(count, trade=None, on=datetime.date(2024, 6, 1), with_outcomes=False):
    """count more women of Lucknow who completed a course on a day; with a job or business if asked."""
    lucknow = Centre.objects.get(slug="lucknow")
    trade = trade or Trade.objects.get(slug="tailoring")
    course = Course.objects.filter(trade=trade).first() or Course.objects.create(trade=trade, title="Course")
    start = on - datetime.timedelta(days=60)
    cohort = Cohort.objects.create(
        course=course, centre=lucknow, start_date=start, end_date=on, capacity=count, seats_taken=count
    )
    for number in range(count):
        woman = Trainee.objects.create(
            centre=lucknow, full_name=f"Extra Trainee {number}", date_of_birth=datetime.date(1995, 1, 1)
        )
        Enrolment.objects.create(
            trainee=woman,
            cohort=cohort,
            status=Enrolment.Status.COMPLETED,
            enrolled_on=start,
            completed_on=on,
        )
        changes.changed(changes.ENROLMENTS, [woman.pk])  # written past the services: say so
        if with_outcomes and number % 2:
            services.record_outcome(
                Placement(
                    trainee=woman,
                    employer_name="Shop",
                    job_title="Helper",
                    monthly_pay=9000,
                    start_date=on + datetime.timedelta(days=20),
                )
            )
        elif with_outcomes:
            services.record_outcome(
                SelfEmployment(
                    trainee=woman,
                    kind="Tailoring",
                    monthly_income=7000,
                    start_date=on + datetime.timedelta(days=20),
                )
            )


def page_queries(client, query=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE, query or {})
    assert response.status_code == 200 and response.context["report"] is not None
    return len(queries), response


@pytest.mark.parametrize("name", ["coordinator", "officer"])
def test_the_page_query_count_does_not_grow_with_the_data(as_user, name):
    client = as_user(name)
    page_queries(client)  # warm the caches that any first admin page fills
    before, response = page_queries(client)
    trained_before = response.context["total"].trained

    complete_in_lucknow(50, with_outcomes=True)
    after, response = page_queries(client)
    assert response.context["total"].trained == trained_before + 50
    assert after == before


def test_the_page_query_count_grows_by_a_fixed_handful_per_year(as_user):
    client = as_user("coordinator")
    page_queries(client)
    short, _response = page_queries(client, {"year_from": 2024})
    long, _response = page_queries(client, {"year_from": 2016})
    per_year, remainder = divmod(long - short, 2024 - 2016)
    assert remainder == 0 and per_year <= 5
