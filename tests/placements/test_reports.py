"""Admin outcome reports: who sees which centres, the figures of a history counted by hand on the
page and in the CSV, XLSX and PDF, the SVG chart, financial years, and a query count that stays flat."""

import csv
import datetime
import io
import xml.dom.minidom

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from placements.charts import Series, bar_chart
from placements.outcomes import Scope, figures
from placements.report_filters import ReportSelection
from skills import roles
from skills.models import Centre, Trade
from tests.conftest import rolled_back_afterwards
from website.demo.users import seed_users

from . import builders
from .builders import Business, Job, Women

PAGE = reverse("placements_outcome_report")
PDF = reverse("placements_outcome_report_pdf")
FIGUREGARH_2024 = {"centre": "figuregarh", "year_from": 2024, "year_to": 2024}
USERS = ("coordinator.figuregarh", "coordinator.patna", "officer", "editor", "employer", "admin")


def export(table, fmt):
    return reverse("placements_outcome_report_export", args=[table, fmt])


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """Figuregarh and Figurenagar with their histories (counted by hand in builders.py), the demo
    users, and a coordinator of Figuregarh alone."""
    with rolled_back_afterwards(django_db_blocker):
        figuregarh, figurenagar = builders.figuregarh(), builders.figurenagar()
        seed_users()
        coordinator = get_user_model().objects.create_user("coordinator.figuregarh")
        coordinator.groups.add(Group.objects.get(name=roles.COORDINATORS))
        figuregarh.coordinators.add(coordinator)
        yield figuregarh, figurenagar


@pytest.fixture
def users(db, history, django_user_model):
    return {name: django_user_model.objects.get(username=name) for name in USERS}


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


def test_state_officer_sees_every_centre_and_the_figures_counted_by_hand(as_user):
    client = as_user("officer")
    response = client.get(PAGE)
    assert response.status_code == 200
    every_centre = list(Centre.objects.order_by("name").values_list("slug", flat=True))
    assert centre_choices(response) == ["", *every_centre]
    assert {"figuregarh", "figurenagar", "lucknow", "leh"} <= set(every_centre)
    assert {"district", "state"} <= set(response.context["filter_form"].fields)
    assert response.context["selection"].area == "All centres"

    response = client.get(PAGE, {"centre": "figuregarh"})
    total = response.context["total"]
    assert (total.trained, total.in_paying_work, total.salaried, total.self_employed) == (49, 25, 10, 15)
    assert total.period.startswith("2016 to ")

    response = client.get(PAGE, FIGUREGARH_2024)
    trades = table_rows(response, "trade_table")
    assert {name: row[0] for name, row in trades.items()} == {
        "Tailoring": 13,
        "Jute handiwork": 6,
        "Retail marketing": 6,
    }
    trained, working, salaried, self_employed, *_rest = table_rows(response, "year_table")["2024"]
    assert (trained, working, salaried, self_employed) == (24, 14, 5, 9)


def test_state_officer_may_choose_a_district_or_a_state(as_user):
    client = as_user("officer")
    response = client.get(PAGE, {"district": "Figuregarh"})
    assert response.context["selection"].area == "Figuregarh district"
    assert response.context["total"].trained == 49
    response = client.get(PAGE, {"district": "Patna"})
    assert (
        response.context["total"].trained
        == figures(Scope(district="Patna"), response.context["selection"].period).trained
    )
    response = client.get(PAGE, {"state": "Figure Pradesh"})
    total = response.context["total"]
    assert (total.trained, total.in_paying_work) == (49 + 1200, 25 + 700)
    assert "1,249" in response.content.decode()  # thousands grouped

    response = client.get(PAGE, {"centre": "figuregarh", "state": "Bihar"})
    assert response.context["report"] is None
    assert response.context["filter_form"].non_field_errors()


def test_a_coordinator_gets_her_own_centre_by_default(as_user, history):
    response = as_user("coordinator.figuregarh").get(PAGE)
    assert centre_choices(response) == ["figuregarh"]
    assert "district" not in response.context["filter_form"].fields
    selection = response.context["selection"]
    assert selection.scope.centre == "figuregarh"
    assert selection.scope.centre_ids == (history[0].pk,)
    assert (response.context["total"].trained, response.context["total"].in_paying_work) == (49, 25)


def test_a_coordinator_asking_for_another_centre_gets_a_form_error_not_its_figures(as_user):
    client = as_user("coordinator.figuregarh")
    response = client.get(PAGE, {"centre": "patna-1"})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "centre" in response.context["filter_form"].errors
    assert "total" not in response.context

    for url in (export("by-year", "csv"), export("by-trade", "xlsx"), PDF):
        response = client.get(url, {"centre": "patna-1"})
        assert response.status_code == 302
        assert response["Location"].startswith(PAGE + "?")


def test_the_patna_coordinator_cannot_see_figuregarh(as_user):
    client = as_user("coordinator.patna")
    response = client.get(PAGE)
    assert centre_choices(response) == ["", "patna-1", "patna-2"]
    assert response.context["selection"].area == "All my centres"
    period = response.context["selection"].period
    patna = figures(Scope(district="Patna"), period)
    assert response.context["total"].trained == patna.trained

    response = client.get(PAGE, {"centre": "figuregarh"})
    assert response.context["report"] is None
    assert "Sakhi Centre, Figuregarh" not in response.content.decode()

    # A district or a state in the URL does not widen a coordinator's scope: she has no such filter.
    response = client.get(PAGE, {"district": "Figuregarh", "state": "Figure Pradesh"})
    assert response.context["total"].trained == patna.trained


def test_a_coordinator_without_a_centre_sees_no_figures_at_all(client, users, django_user_model):
    newcomer = django_user_model.objects.create_user("coordinator.new")
    newcomer.groups.set(users["coordinator.figuregarh"].groups.all())
    client.force_login(newcomer)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "no centres" in str(response.context["filter_form"].non_field_errors())
    assert client.get(PDF).status_code == 302


def test_a_superuser_sees_every_centre(client, users, django_user_model):
    client.force_login(django_user_model.objects.get(username="admin"))
    response = client.get(PAGE, {"centre": "figurenagar"})
    assert "leh" in centre_choices(response) and response.context["total"].trained == 1200


@pytest.mark.parametrize("name", ["editor", "employer"])
def test_editors_and_employers_are_refused(as_user, name):
    client = as_user(name)
    for url in (PAGE, export("by-year", "csv"), PDF):
        response = client.get(url, {"centre": "figuregarh"})
        assert response.status_code == 302
        assert response["Location"] != url


def test_the_reports_menu_offers_the_report_to_staff_who_see_trainees(as_user):
    assert PAGE in as_user("coordinator.figuregarh").get(reverse("wagtailadmin_home")).content.decode()
    assert PAGE not in as_user("editor").get(reverse("wagtailadmin_home")).content.decode()


def test_invalid_filters_show_the_form_again_with_errors(as_user):
    client = as_user("coordinator.figuregarh")
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
    response = as_user("coordinator.figuregarh").get(export("by-year", "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="outcomes-figuregarh-2016-' in response["Content-Disposition"]
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
    by_year = {row[0]: row[1:5] for row in rows[1:]}
    assert by_year["2016"] == ["10", "8", "2", "6"]
    assert by_year["2017"] == ["0", "0", "0", "0"]
    assert by_year["2019"] == ["15", "5", "5", "0"]
    assert by_year["2024"] == ["24", "14", "5", "9"]


def test_xlsx_export_opens_with_the_trade_figures(as_user):
    response = as_user("officer").get(export("by-trade", "xlsx"), FIGUREGARH_2024)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Trade", "Women trained", "In paying work")
    assert rows[1:] == [("Jute handiwork", 6, 0), ("Retail marketing", 6, 5), ("Tailoring", 13, 9)]


def test_a_trade_name_that_looks_like_a_formula_is_written_as_text(as_user, history):
    Trade.objects.create(name='=HYPERLINK("http://evil.example")', slug="formula")
    builders.build_history(history[0], [Women(1, (("formula", datetime.date(2024, 6, 1)),))])
    client = as_user("coordinator.figuregarh")
    text = client.get(export("by-trade", "csv"), FIGUREGARH_2024).content.decode()
    assert "'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(client.get(export("by-trade", "xlsx"), FIGUREGARH_2024).content)).active
    assert any(str(cell.value).startswith("'=") for cell in sheet["A"])


def test_annual_report_pdf_renders_the_figures_and_bilingual_headings(as_user):
    response = as_user("coordinator.figuregarh").get(PDF)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response)
    assert "Outcomes report" in text and "Sakhi Centre, Figuregarh" in text
    assert "Tailoring" in text and "Headline figures" in text
    assert "Generated on" in text
    text = pdf_text(as_user("officer").get(PDF, {"state": "Figure Pradesh"}))
    assert "1,249" in text  # thousands grouped


def pdf_text(response):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_chart_is_well_formed_svg_with_a_title(as_user):
    response = as_user("coordinator.figuregarh").get(PAGE)
    svg = str(response.context["chart"])
    document = xml.dom.minidom.parseString(svg)
    root = document.documentElement
    assert root.tagName == "svg" and root.getAttribute("role") == "img"
    assert "Figuregarh" in root.getElementsByTagName("title")[0].firstChild.data
    assert root.getElementsByTagName("desc")[0].firstChild.data.startswith("2016: 10 trained")
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
    client = as_user("coordinator.figuregarh")
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


def complete_with_work(centre, count, on=datetime.date(2024, 6, 1)):
    """count more women of a centre who completed tailoring on a day, half of them then in a job and
    half in a business."""
    started = on + datetime.timedelta(days=20)
    builders.build_history(
        centre,
        [
            Women(count // 2, (("tailoring", on),), (Job(started, pay=9000),)),
            Women(count - count // 2, (("tailoring", on),), (Business(started, income=7000),)),
        ],
    )


def page_queries(client, query=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE, query or {})
    assert response.status_code == 200 and response.context["report"] is not None
    return len(queries), response


@pytest.mark.parametrize("name", ["coordinator.figuregarh", "officer"])
def test_the_page_query_count_does_not_grow_with_the_data(as_user, history, name):
    client = as_user(name)
    page_queries(client)  # warm the caches that any first admin page fills
    before, response = page_queries(client)
    trained_before = response.context["total"].trained

    complete_with_work(history[0], 50)
    after, response = page_queries(client)
    assert response.context["total"].trained == trained_before + 50
    assert after == before


def test_the_page_query_count_grows_by_a_fixed_handful_per_year(as_user):
    client = as_user("coordinator.figuregarh")
    page_queries(client)
    short, _response = page_queries(client, {"year_from": 2024})
    long, _response = page_queries(client, {"year_from": 2016})
    per_year, remainder = divmod(long - short, 2024 - 2016)
    assert remainder == 0 and per_year <= 5
