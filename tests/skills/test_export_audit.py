"""Every staff export, whatever the list, goes through the one spreadsheet writer (core.exports)
and leaves an entry in the audit trail (issue 12, items 4, 6 and 7).

The walk covers every registered admin viewset that has list_export, so a list added later is
checked without anyone remembering to add it here."""

import csv
import io
import re

import openpyxl
import pytest
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from wagtail.admin.viewsets import viewsets as viewset_registry
from wagtail.admin.viewsets.model import ModelViewSet

from placements.models import Employer, Placement, SelfEmployment, Vacancy
from skills.models import Centre, CohortSession, Course, TrackerLogEntry, Trade, Trainee
from tests.conftest import rolled_back_afterwards
from tests.factories import CentreFactory
from tests.skills.builders import centre_with_history, coordinator_of, state_officer

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA_STARTS = ("=", "+", "-", "@")
# The lists a coordinator and a state officer must be able to export (the walk finds the rest).
KEY_LISTS = {
    "skills_trainee",
    "skills_enrolment",
    "skills_cohort",
    "placements_placement",
    "placements_nomination",
}
# Lists whose export has no typed text at all (dates, numbers and choices only).
NO_TEXT_COLUMNS = {"placements_followup"}


@pytest.fixture(scope="module")
def exportpur(django_db_setup, django_db_blocker):
    """The primary keys of the module's rows: a centre with a record in every list a coordinator
    exports, its coordinator, a coordinator of two other centres, and a state officer."""
    with rolled_back_afterwards(django_db_blocker):
        history = centre_with_history("Exportpur")
        two = [CentreFactory(name=f"Twopur {n} Centre") for n in (1, 2)]
        yield {
            "centre": history.centre.pk,
            "two_centres": {centre.pk for centre in two},
            "users": {
                "coordinator": coordinator_of(history.centre, username="exports.coordinator").pk,
                "coordinator.two": coordinator_of(*two, username="exports.coordinator.two").pk,
                "officer": state_officer("exports.officer").pk,
            },
        }


@pytest.fixture
def centre(db, exportpur):
    return Centre.objects.get(pk=exportpur["centre"])


@pytest.fixture
def users(db, exportpur, django_user_model):
    return {role: django_user_model.objects.get(pk=pk) for role, pk in exportpur["users"].items()}


def poison(model, field, formula):
    """Every record's field typed as a formula with a control character in it (kept unique)."""
    model.objects.update(**{field: Concat(Value(formula + "\x0b"), Cast("pk", CharField()))})


@pytest.fixture
def poisoned(users):
    poison(Trainee, "full_name", '=HYPERLINK("http://evil.example","x")')
    poison(Course, "title", "@SUM(1+1)")
    poison(Trade, "name", "+1+1")
    poison(Centre, "name", "=1+1")
    poison(Employer, "organisation", '=HYPERLINK("http://evil.example","y")')
    poison(Vacancy, "title", "-2+3")
    poison(Placement, "employer_name", "=1+2")
    poison(Placement, "job_title", "@job")
    poison(SelfEmployment, "kind", "=1+3")
    poison(CohortSession, "topic", "=1+4")


def exported_viewsets():
    reverse("wagtailadmin_home")  # the registry fills when the admin's URLs load
    return [
        viewset
        for viewset in viewset_registry.viewsets
        # list_export is a sentinel, not a list, on viewsets that do not export
        if isinstance(viewset, ModelViewSet)
        and isinstance(viewset.list_export, list | tuple)
        and viewset.list_export
    ]


def read_export(response, fmt):
    """The heading and data rows of a downloaded export, every cell as the spreadsheet holds it."""
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        text = body.decode("utf-8")
        assert text.startswith("\ufeff"), "the CSV must start with a byte-order mark (Excel, Hindi)"
        rows = list(csv.reader(io.StringIO(text[1:])))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def check_cells(rows, where):
    for row in rows:
        for cell in row:
            if not isinstance(cell, str):
                continue
            assert not cell.startswith(FORMULA_STARTS), f"{where}: a formula cell {cell!r}"
            assert not CONTROL_CHARACTERS.search(cell), f"{where}: a control character in {cell!r}"


def new_entries(since, user):
    return list(TrackerLogEntry.objects.filter(pk__gt=since, action="sakhi.export", user=user).order_by("pk"))


def last_entry_pk():
    return TrackerLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("role", ["coordinator", "officer"])
def test_every_list_export_is_safe_and_audited(client, users, poisoned, role):
    user = users[role]
    client.force_login(user)
    walked, neutralised = set(), set()
    for viewset in exported_viewsets():
        name = viewset.url_namespace
        for fmt in ("csv", "xlsx"):
            where = f"{role} {name} {fmt}"
            since = last_entry_pk()
            response = client.get(reverse(viewset.get_url_name("index")), {"export": fmt})
            if response.status_code in (302, 403):
                assert not new_entries(since, user), f"{where}: a refused export was audited"
                continue
            assert response.status_code == 200, f"{where}: {response.status_code}"
            walked.add(name)
            _header, rows = read_export(response, fmt)
            check_cells(rows, where)
            if any(isinstance(cell, str) and cell.startswith("'") for row in rows for cell in row):
                neutralised.add(name)
            (entry,) = new_entries(since, user)
            assert entry.data["rows"] == len(rows), f"{where}: audited {entry.data['rows']} rows"
            assert entry.data["format"] == fmt
            assert entry.data["list"] == str(viewset.model._meta.verbose_name_plural)
            assert TrackerLogEntry.objects.viewable_by_user(user).filter(pk=entry.pk).exists(), where
    assert walked >= KEY_LISTS, f"{role} could not export {KEY_LISTS - walked}"
    assert walked - NO_TEXT_COLUMNS <= neutralised, f"{role}: no formula cell met in {walked - neutralised}"


def column(rows, header, heading):
    index = header.index(heading)
    return [row[index] for row in rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_related_columns_are_written_as_text(client, users, poisoned, fmt):
    """The regression of item 7: related records were written with str() after the check."""
    client.force_login(users["coordinator"])
    header, rows = read_export(client.get(reverse("skills_enrolment:index"), {"export": fmt}), fmt)
    assert rows
    assert all(cell.startswith("'=HYPERLINK(") for cell in column(rows, header, "Trainee"))
    assert all(cell.startswith("'@SUM(1+1)") for cell in column(rows, header, "Cohort"))
    header, rows = read_export(client.get(reverse("skills_cohort:index"), {"export": fmt}), fmt)
    assert all(cell.startswith("'@SUM(1+1)") for cell in column(rows, header, "Course"))


def test_a_vertical_tab_in_a_name_no_longer_breaks_the_trainee_xlsx(client, users, centre):
    """The regression of item 4: Word's Shift+Enter in a name made the XLSX export answer 500."""
    trainee = Trainee.objects.filter(centre=centre).first()
    Trainee.objects.filter(pk=trainee.pk).update(full_name="Sunita\x0bDevi")
    client.force_login(users["coordinator"])
    response = client.get(reverse("skills_trainee:index"), {"export": "xlsx"})
    header, rows = read_export(response, "xlsx")
    assert "Sunita\nDevi" in column(rows, header, "Full name")


def test_a_coordinator_of_two_centres_sees_her_export_in_each(client, users, exportpur):
    user = users["coordinator.two"]
    client.force_login(user)
    since = last_entry_pk()
    client.get(reverse("skills_trainee:index"), {"export": "csv"})
    entries = new_entries(since, user)
    assert {entry.centre_id for entry in entries} == exportpur["two_centres"]
    assert len({entry.uuid for entry in entries}) == 1
    mine = TrackerLogEntry.objects.viewable_by_user(user).filter(pk__in=[entry.pk for entry in entries])
    assert mine.count() == 2
    one_centres = TrackerLogEntry.objects.viewable_by_user(users["coordinator"])
    assert not one_centres.filter(pk__in=[entry.pk for entry in entries]).exists()


def test_an_officers_export_is_in_the_state_trail_not_a_centres(client, users):
    client.force_login(users["officer"])
    since = last_entry_pk()
    client.get(reverse("placements_nomination:index"), {"export": "xlsx"})
    (entry,) = new_entries(since, users["officer"])
    assert entry.centre_id is None
    assert not TrackerLogEntry.objects.viewable_by_user(users["coordinator"]).filter(pk=entry.pk).exists()


def test_the_audit_keeps_the_filters_but_not_what_was_searched(client, users, centre):
    name = Trainee.objects.filter(centre=centre).values_list("full_name", flat=True).first()
    client.force_login(users["coordinator"])
    since = last_entry_pk()
    response = client.get(
        reverse("skills_trainee:index"),
        {"export": "csv", "q": name, "centre": centre.pk, "utm_note": name},
    )
    _header, rows = read_export(response, "csv")
    (entry,) = new_entries(since, users["coordinator"])
    assert entry.data["search"] is True
    assert entry.data["filters"] == {"centre": str(centre.pk)}
    assert entry.data["rows"] == len(rows)
    assert name not in entry.label and name not in str(entry.data)
    assert rows, "the search found her"
    assert entry.centre == centre


@pytest.mark.parametrize("role", ["coordinator", "officer"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_outcome_report_exports_are_audited(client, users, role, fmt):
    client.force_login(users[role])
    since = last_entry_pk()
    url = reverse("placements_outcome_report_export", args=["by-year", fmt])
    response = client.get(url, {"year_from": 2023, "year_to": 2024})
    assert response.status_code == 200
    content = response.content
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8").removeprefix("\ufeff"))))
    else:
        rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    (entry,) = new_entries(since, users[role])
    assert entry.data["rows"] == len(rows) - 1 == 2
    assert entry.data["filters"] == {"year_from": "2023", "year_to": "2024"}
    assert entry.data["format"] == fmt
    assert TrackerLogEntry.objects.viewable_by_user(users[role]).filter(pk=entry.pk).exists()


def test_the_audit_trail_shows_an_export(client, users):
    client.force_login(users["coordinator"])
    client.get(reverse("skills_trainee:index"), {"export": "csv"})
    page = client.get(reverse("wagtailadmin_reports:site_history"))
    assert page.status_code == 200
    assert "Trainees: CSV export" in page.content.decode()
