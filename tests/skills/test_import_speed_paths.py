"""The import's shortcuts for speed give what the long way gives.

- It tells core.changes which women it created (TRAINEES_IMPORTED: nothing refers to them yet, so
  placements only inserts their summary rows) apart from the women already in the tracker who get
  enrolments from the file (RECORDS_IMPORTED: rewritten in full), each woman once.
- A column the header leaves out is cleaned once for the whole file, as an empty cell on every
  line: the file imports as the same file with that column present and empty would."""

import datetime

from core import changes
from skills.importer import import_records
from skills.models import Centre, Cohort, Course, Enrolment, Trainee
from tests.import_files import IMPORT_HEADER, csv_bytes


def tailoring():
    return Course.objects.filter(trade__slug="tailoring").order_by("pk").first()


def row(register, name, start="2019-01-07", end="2019-04-05", status="completed", centre="lucknow"):
    completed = end if status == "completed" else ""
    return [
        centre,
        register,
        name,
        "1990-05-06",
        "tailoring",
        tailoring().title,
        start,
        end,
        status,
        completed,
    ]


def test_the_women_it_creates_are_announced_apart_from_those_it_finds(db, announced):
    lucknow = Centre.objects.get(slug="lucknow")
    known = Trainee.objects.create(
        centre=lucknow,
        register_number="R/1",
        full_name="Tulsi Baiga",
        date_of_birth=datetime.date(1990, 5, 6),
    )
    cohort = Cohort.objects.create(
        course=tailoring(),
        centre=lucknow,
        start_date=datetime.date(2018, 1, 8),
        end_date=datetime.date(2018, 4, 6),
        capacity=30,
        status=Cohort.Status.COMPLETED,
    )
    Enrolment.objects.create(
        trainee=known,
        cohort=cohort,
        status=Enrolment.Status.COMPLETED,
        enrolled_on=cohort.start_date,
        completed_on=cohort.end_date,
    )
    announced.clear()

    result = import_records(
        csv_bytes(
            [
                row("R/1", "Tulsi Baiga"),  # she is in the tracker: a new enrolment of hers
                row("R/1", "Tulsi Baiga", start="2018-01-08", end="2018-04-06"),  # unchanged
                row("R/2", "Rekha Devi"),
                row("R/2", "Rekha Devi", start="2020-01-06", end="2020-04-03", status="dropped"),
                row("R/3", "Gita Kumari"),
            ]
        )
    )

    assert result.ok, result.problems
    assert (result.created_trainees, result.created_enrolments, result.unchanged) == (2, 4, 1)
    created = sorted(Trainee.objects.filter(register_number__in=["R/2", "R/3"]).values_list("pk", flat=True))
    assert announced == [
        (changes.TRAINEES_IMPORTED, created),
        (changes.RECORDS_IMPORTED, [known.pk]),
    ]


def test_a_column_left_out_imports_as_the_same_column_left_empty(db):
    def imported(centre):
        fields = ("full_name", "district", "guardian_consent_basis", "name_hi")
        trainees = Trainee.objects.filter(centre__slug=centre).order_by("register_number")
        enrolments = Enrolment.objects.filter(trainee__centre__slug=centre).order_by(
            "trainee__register_number"
        )
        return list(trainees.values_list(*fields)), list(
            enrolments.values_list("enrolled_on", "dropout_reason")
        )

    rows = [("R/7", "Asha Devi", "completed"), ("R/8", "Meena Yadav", "dropped")]
    left_out = import_records(csv_bytes([row(r, n, status=s, centre="lucknow") for r, n, s in rows]))
    optional = ["district", "enrolled_on", "guardian_consent_basis", "name_hi", "dropout_reason"]
    left_empty = import_records(
        csv_bytes(
            [row(r, n, status=s, centre="buxar") + [""] * len(optional) for r, n, s in rows],
            header=IMPORT_HEADER + optional,
        )
    )

    assert left_out.ok and left_empty.ok
    assert imported("lucknow") == imported("buxar")
    assert imported("lucknow")[1][0] == (datetime.date(2019, 1, 7), "")  # enrolled_on: the cohort's start
