"""The import refuses what it cannot store or should not: control characters (NUL), names made
only of invisible characters, impossible dates in any column. Each is a problem on its line, in the
command and in the admin preview, and nothing is written (issue 12, item 3). CI runs this file on
SQLite and on PostgreSQL."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from skills.importer import import_records
from skills.models import Cohort, Course, Enrolment, Trainee
from tests.skills.test_import import csv_text, row
from website.demo.users import seed_users

CONTROL = "contains a control character"
INVISIBLE = "only invisible characters"
HOSTILE = [
    pytest.param(row("Tulsi\x00Baiga"), "full_name", CONTROL, id="nul-in-name"),
    pytest.param(
        row(reason="moved\x00away", status="dropped", completed=""), "dropout_reason", CONTROL, id="nul"
    ),
    pytest.param(row(course="Tailoring\x0b and dress making"), "course", CONTROL, id="vertical-tab"),
    pytest.param(row(register="T/\x1b[2J001"), "register_number", CONTROL, id="escape"),
    pytest.param(row(start="2017-13-01"), "cohort_start", '"2017-13-01" is not a real date', id="month-13"),
    pytest.param(
        row(start="2017-13-01", enrolled="2017-02-06"), "cohort_start", "not a real date", id="month-13b"
    ),
    pytest.param(row(end="31/02/2017"), "cohort_end", "not a real date", id="february-31"),
    pytest.param(row(completed="2017-02-30"), "completion_date", "not a real date", id="completion-30-feb"),
    pytest.param(row("\u200d\u00a0"), "full_name", INVISIBLE, id="zwj-nbsp"),
    pytest.param(row("\u200b\u2060\ufeff"), "full_name", INVISIBLE, id="zero-widths"),
    pytest.param(row("\u3164"), "full_name", INVISIBLE, id="hangul-filler"),
    pytest.param(row(name_hi="\u200c\u200d"), "name_hi", INVISIBLE, id="invisible-hindi"),
]


def counts():
    return [model.objects.count() for model in (Trainee, Cohort, Course, Enrolment)]


def hostile_file(bad_row):
    return csv_text(row("Sita Kol", register="T/2017/009"), bad_row)  # the bad row is line 3


@pytest.fixture
def coordinator(db, django_user_model):
    seed_users()
    return django_user_model.objects.get(username="coordinator")  # Lucknow


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize(("bad_row", "column", "message"), HOSTILE)
def test_the_command_names_the_line_and_writes_nothing(db, tmp_path, bad_row, column, message, dry_run):
    path = tmp_path / "records.csv"
    path.write_text(hostile_file(bad_row), encoding="utf-8")
    err = io.StringIO()
    before = counts()

    with pytest.raises(CommandError, match="1 problem in"):
        call_command(
            "import_records", str(path), *(["--dry-run"] if dry_run else []), stderr=err, stdout=io.StringIO()
        )

    assert f"line 3, {column}: " in err.getvalue()
    assert message in err.getvalue()
    assert counts() == before


@pytest.mark.parametrize(("bad_row", "column", "message"), HOSTILE)
def test_the_admin_preview_names_the_line_and_offers_no_confirmation(
    client, coordinator, settings, tmp_path, bad_row, column, message
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    upload = io.BytesIO(hostile_file(bad_row).encode("utf-8"))
    upload.name = "records.csv"
    before = counts()

    preview = client.post(reverse("skills_import"), {"file": upload})

    assert preview.status_code == 200
    html = preview.content.decode()
    assert re.search(rf"<td>3</td>\s*<td>{column}</td>\s*<td>[^<]*{re.escape(escape(message))}", html)
    assert "Confirm and import" not in html
    confirm = client.post(reverse("skills_import_confirm"))
    assert confirm.status_code == 302  # nothing was kept to confirm
    assert counts() == before


def test_names_with_joiners_and_spaces_around_them_are_kept(db):
    # Devanagari needs the zero-width joiners; a no-break space around a name is only spacing.
    result = import_records(csv_text(row("\u00a0Tulsi Baiga\u00a0", name_hi="क्\u200dष")))

    assert result.problems == []
    trainee = Trainee.objects.get(register_number="T/2017/001")
    assert trainee.full_name == "Tulsi Baiga"
    assert trainee.name_hi == "क्\u200dष"
