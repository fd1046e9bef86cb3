"""The historical import of training records (since 2016) from a CSV file.

One row of the file is one enrolment: a woman, at a centre, in a cohort of a course, and how it
ended. Everything is checked in Python first, with every lookup held in a dict, and a file with
any problem writes nothing. A clean file is written in one transaction with bulk inserts. Rows
already in the tracker count as unchanged, so importing a file twice does no harm.
The columns and rules are documented for coordinators in docs/import.md."""

import csv
import datetime
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from .models import Centre, Cohort, Course, Enrolment, Trade, Trainee
from .permissions import centres_changeable_by

REQUIRED_COLUMNS = (
    "centre",
    "full_name",
    "date_of_birth",
    "trade",
    "course",
    "cohort_start",
    "cohort_end",
    "status",
)
OPTIONAL_COLUMNS = (
    "register_number",
    "name_hi",
    "district",
    "enrolled_on",
    "completion_date",
    "dropout_reason",
    "guardian_consent_basis",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DATE_COLUMNS = ("date_of_birth", "cohort_start", "cohort_end", "enrolled_on", "completion_date")
# The longest value each text column may hold: the model fields' max_length.
MAX_LENGTHS = {
    "register_number": Trainee._meta.get_field("register_number").max_length,
    "full_name": Trainee._meta.get_field("full_name").max_length,
    "name_hi": Trainee._meta.get_field("name_hi").max_length,
    "district": Trainee._meta.get_field("district").max_length,
    "course": Course._meta.get_field("title").max_length,
    "dropout_reason": Enrolment._meta.get_field("dropout_reason").max_length,
}
STATUSES = {
    "enrolled": Enrolment.Status.ENROLLED,
    "dropped": Enrolment.Status.DROPPED,
    "completed": Enrolment.Status.COMPLETED,
    "not_passed": Enrolment.Status.NOT_PASSED,
    "not passed": Enrolment.Status.NOT_PASSED,
    "not-passed": Enrolment.Status.NOT_PASSED,
}
MIN_CAPACITY = 30
BATCH_SIZE = 1000
PROGRESS_EVERY = 1000

# Free text that may run over several lines of a cell; every other cell is one line.
MULTILINE_COLUMNS = ("dropout_reason", "guardian_consent_basis")
# Letters that print as nothing at all (Hangul fillers, the braille blank): with spaces and
# zero-width format characters, a name made only of these is no name.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")

ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DAY_FIRST_DATE = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})")


@dataclass(frozen=True)
class Problem:
    """Something that stops the import, where it is in the file: line 1 is the header."""

    line: int | None
    column: str
    message: str

    def __str__(self):
        if self.line is None:
            return self.message
        if self.column:
            return f"line {self.line}, {self.column}: {self.message}"
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    """What an import did, or (in a dry run, or when there are problems) would have done."""

    dry_run: bool = False
    rows: int = 0
    created_trainees: int = 0
    created_cohorts: int = 0
    created_courses: int = 0
    created_enrolments: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


class CellError(ValueError):
    pass


def parse_date(text):
    """A date written YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY."""
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := DAY_FIRST_DATE.fullmatch(text):
        day, _sep, month, year = match.groups()
    else:
        raise CellError(
            _('"%(value)s" is not a date; write YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY') % {"value": text}
        )
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(_('"%(value)s" is not a real date') % {"value": text}) from None


def parse_status(text):
    status = STATUSES.get(" ".join(text.split()).lower())
    if status is None:
        raise CellError(
            _('"%(value)s" is not a status; write enrolled, dropped, completed or not_passed')
            % {"value": text}
        )
    return status


def is_invisible(character):
    return character.isspace() or unicodedata.category(character) == "Cf" or character in BLANK_LETTERS


def clean_cell(column, raw):
    """The one check every cell passes before any rule reads it: the value as the rules use it
    (text stripped, a date, a status; None for an empty date), or CellError saying what is wrong.

    Control characters are refused: a NUL cannot be stored in PostgreSQL and breaks spreadsheets,
    and the others are invisible damage. So is a cell of only invisible characters (a name of a
    zero-width joiner and a no-break space), which would look empty everywhere it is shown.
    Joiners inside a word are kept: Devanagari needs them."""
    value = raw.strip()
    for character in value:
        if unicodedata.category(character) in ("Cc", "Cs") and not (
            column in MULTILINE_COLUMNS and character in "\t\r\n"
        ):
            raise CellError(
                _("contains a control character (U+%(code)04X), which cannot be stored; retype this cell")
                % {"code": ord(character)}
            )
    if value and all(is_invisible(character) for character in value):
        raise CellError(
            _(
                "only invisible characters (such as zero-width or no-break spaces); write it, or leave it empty"
            )
        )
    if not value:
        if column in REQUIRED_COLUMNS:
            raise CellError(_("required, but empty"))
        return None if column in DATE_COLUMNS else ""
    if column in MAX_LENGTHS and len(value) > MAX_LENGTHS[column]:
        raise CellError(
            _("%(length)d characters, but at most %(max)d fit")
            % {"length": len(value), "max": MAX_LENGTHS[column]}
        )
    if column in DATE_COLUMNS:
        return parse_date(value)
    if column == "status":
        return parse_status(value)
    return value


def name_key(name):
    """The same name however it was spaced, capitalised or Unicode-composed."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def user_can_import(user):
    """Whoever may change the records of at least one centre may import them."""
    return centres_changeable_by(user).exists()


@dataclass(eq=False)
class _Person:
    """A trainee the file means: in the tracker already (pk), or to be created (new)."""

    full_name: str
    date_of_birth: datetime.date
    register_number: str
    pk: int | None = None
    new: Trainee | None = None
    line: int | None = None  # the line that introduced a new one


@dataclass(eq=False)
class _Run:
    """A cohort the file means: in the tracker already (pk), or to be created (new)."""

    label: str
    capacity: int | None  # None for a new cohort: it gets seats for everyone enrolled
    status: str
    taken: int
    pk: int | None = None
    new: Cohort | None = None
    overbooked_at: int | None = None


@dataclass
class _Enrolment:
    centre_id: int
    person: _Person
    run: _Run
    status: str
    enrolled_on: datetime.date
    completed_on: datetime.date | None
    dropout_reason: str


def read_rows(source, result):
    """The header's column positions and the data rows as (line, cells); problems go to result."""
    if isinstance(source, str):
        text = source.removeprefix("\ufeff")
    else:
        data = source.read() if hasattr(source, "read") else source
        if isinstance(data, str):
            text = data.removeprefix("\ufeff")
        else:
            data = bytes(data)
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                line = data[: error.start].count(b"\n") + 1
                result.problems.append(
                    Problem(
                        line,
                        "",
                        _(
                            "the file is not UTF-8 text (this line has a character in another encoding); "
                            'in Excel, save it as "CSV UTF-8 (Comma delimited)"'
                        ),
                    )
                )
                return None, []
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            result.problems.append(
                Problem(1, "", _("the file is empty: the first line must name the columns"))
            )
            return None, []
        while True:
            line = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            if any(cell.strip() for cell in cells):
                rows.append((line, cells))
    except csv.Error as error:
        result.problems.append(
            Problem(reader.line_num, "", _("this is not valid CSV: %(error)s") % {"error": error})
        )
        return None, []
    return read_header(header, result), rows


def read_header(header, result):
    positions = {}
    for index, cell in enumerate(header):
        name = re.sub(r"[\s-]+", "_", cell.strip().lower())
        if not name:
            continue
        if name not in COLUMNS:
            result.problems.append(
                Problem(
                    1,
                    cell.strip(),
                    _("unknown column; the columns are: %(columns)s") % {"columns": ", ".join(COLUMNS)},
                )
            )
        elif name in positions:
            result.problems.append(Problem(1, name, _("this column appears twice")))
        else:
            positions[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            result.problems.append(Problem(1, name, _("this required column is missing")))
    return None if result.problems else positions


class RecordsImport:
    """One run of the import: the lookups, the checks row by row, and the bulk writes."""

    def __init__(self, result, user=None, today=None, progress=None):
        self.result = result
        self.user = user
        self.today = today or timezone.localdate()
        self.progress = progress
        self.centres = {}
        for centre in Centre.objects.all():
            self.centres[centre.slug.casefold()] = centre
            self.centres[centre.code.casefold()] = centre
        self.trades = {}
        for trade in Trade.objects.all():
            self.trades[trade.slug.casefold()] = trade
            self.trades[trade.name.casefold()] = trade
        self.courses = {}
        for course in Course.objects.order_by("pk"):
            self.courses.setdefault((course.trade_id, course.title.casefold()), course)
        self.allowed = None if user is None else set(centres_changeable_by(user).values_list("pk", flat=True))
        self.by_register = {}  # (centre pk, register number): _Person
        self.by_name = {}  # (centre pk, name key, date of birth): _Person
        self.runs = {}  # (centre pk, trade pk, course title key, start, end): _Run
        self.existing_enrolments = set()  # (trainee pk, cohort pk)
        self.seen = {}  # (_Person, _Run): line
        self.new_courses = []
        self.enrolments = []
        self.per_centre = defaultdict(Counter)

    def centre_ids(self, positions, rows):
        """The centres the file names and the user may change: only their records are read."""
        index = positions["centre"]
        named = {
            self.centres.get(cells[index].strip().casefold())  # stripped as clean_cell strips
            for _line, cells in rows
            if index < len(cells)
        }
        return {
            centre.pk
            for centre in named
            if centre is not None and (self.allowed is None or centre.pk in self.allowed)
        }

    def load(self, centre_ids, lock=False):
        """The trainees, cohorts and enrolments of the given centres, into dicts."""
        centre_ids = sorted(centre_ids)
        if lock:
            # Imports into the same centre wait for each other, so that neither duplicates the other's rows.
            list(
                Centre.objects.select_for_update(no_key=True)
                .filter(pk__in=centre_ids)
                .order_by("pk")
                .values_list("pk")
            )
        trainees = (
            Trainee.objects.filter(centre__in=centre_ids)
            .order_by("pk")
            .values_list("pk", "centre_id", "register_number", "full_name", "date_of_birth")
        )
        for pk, centre_id, register_number, full_name, born in trainees.iterator(chunk_size=5000):
            person = _Person(full_name, born, register_number, pk=pk)
            if register_number:
                self.by_register.setdefault((centre_id, register_number), person)
            self.by_name.setdefault((centre_id, name_key(full_name), born), person)
        held = (
            Enrolment.objects.holding_seats()
            .filter(cohort=OuterRef("pk"))
            .order_by()
            .values("cohort")
            .annotate(n=Count("pk"))
            .values("n")
        )
        cohorts = (
            Cohort.objects.filter(centre__in=centre_ids)
            .annotate(held=Coalesce(Subquery(held), 0))
            .order_by("pk")
            .values_list(
                "pk",
                "centre_id",
                "centre__slug",
                "course__trade_id",
                "course__title",
                "start_date",
                "end_date",
                "capacity",
                "status",
                "held",
            )
        )
        for pk, centre_id, slug, trade_id, title, start, end, capacity, status, held_seats in cohorts:
            self.runs.setdefault(
                (centre_id, trade_id, title.casefold(), start, end),
                _Run(run_label(title, slug, start, end), capacity, status, held_seats, pk=pk),
            )
        self.existing_enrolments = set(
            Enrolment.objects.filter(cohort__centre__in=centre_ids).values_list("trainee_id", "cohort_id")
        )

    # Checks

    def check(self, positions, rows):
        total = len(rows)
        width = max(positions.values()) + 1
        for done, (line, cells) in enumerate(rows, start=1):
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                self.result.problems.append(
                    Problem(
                        line,
                        "",
                        ngettext(
                            "this line has %(cells)d cells, but the header names only %(columns)d column",
                            "this line has %(cells)d cells, but the header names only %(columns)d columns",
                            width,
                        )
                        % {"cells": len(cells), "columns": width},
                    )
                )
            else:
                values = {
                    column: (cells[index] if index < len(cells) else "")
                    for column, index in positions.items()
                }
                self.check_row(line, values)
            if self.progress and (done % PROGRESS_EVERY == 0 or done == total):
                self.progress("checking", done, total)
        self.check_seats()
        self.result.problems.sort(key=lambda problem: problem.line or 0)
        people = {enrolment.person for enrolment in self.enrolments}
        self.result.created_trainees = sum(1 for person in people if person.pk is None)
        self.result.created_cohorts = len(
            {enrolment.run for enrolment in self.enrolments if enrolment.run.pk is None}
        )
        self.result.created_courses = len(self.new_courses)
        self.result.created_enrolments = len(self.enrolments)

    def check_row(self, line, values):
        problems = []

        def problem(column, message):
            problems.append(Problem(line, column, message))

        cells = {}
        for column in COLUMNS:
            try:
                cells[column] = clean_cell(column, values.get(column, ""))
            except CellError as error:
                problem(column, str(error))
        centre = self.check_centre(cells.get("centre"), problem)
        trade = self.check_trade(cells.get("trade"), problem)
        if problems:
            # The rules below compare cells with each other: they run only on a line whose every
            # cell is clean, so none of them ever sees an unparsed or missing value.
            self.result.problems.extend(problems)
            return
        self.check_rules(cells, problem)
        if not problems:
            self.match(line, cells, centre, trade, problem)
        self.result.problems.extend(problems)

    def check_rules(self, cells, rule):
        """The rules between a line's cells; every cell is clean and parsed."""
        born, start, end = cells["date_of_birth"], cells["cohort_start"], cells["cohort_end"]
        status, completed_on = cells["status"], cells["completion_date"]
        if born > self.today:
            rule("date_of_birth", _("%(date)s is in the future") % {"date": born})
        elif not cells["guardian_consent_basis"] and age_on(born, self.today) < 18:
            rule(
                "date_of_birth",
                _("she is under 18: give the basis of her guardian's consent in guardian_consent_basis"),
            )
        if born >= start:
            rule(
                "date_of_birth",
                _("%(date)s is not before cohort_start %(start)s") % {"date": born, "start": start},
            )
        if end < start:
            rule("cohort_end", _("%(date)s is before cohort_start %(start)s") % {"date": end, "start": start})
        enrolled_on = cells["enrolled_on"]
        if enrolled_on and enrolled_on > end:
            rule("enrolled_on", _("%(date)s is after cohort_end %(end)s") % {"date": enrolled_on, "end": end})
        if status == Enrolment.Status.COMPLETED:
            self.check_completion(completed_on, start, enrolled_on or start, rule)
        elif completed_on is not None:
            rule(
                "completion_date",
                _('only for status completed, but the status is "%(status)s"') % {"status": status},
            )
        if status != Enrolment.Status.DROPPED and cells["dropout_reason"]:
            rule(
                "dropout_reason",
                _('only for status dropped, but the status is "%(status)s"') % {"status": status},
            )

    def match(self, line, cells, centre, trade, problem):
        """The trainee, cohort and enrolment a clean line means."""
        born, start, end = cells["date_of_birth"], cells["cohort_start"], cells["cohort_end"]
        fields = {
            column: cells[column]
            for column in ("register_number", "name_hi", "district", "guardian_consent_basis")
        }
        person = self.person_for(line, centre, cells["full_name"], born, fields, problem)
        run = self.run_for(centre, trade, cells["course"], start, end, problem)
        if person is not None and run is not None:
            enrolled_on = cells["enrolled_on"] or start
            self.enrol(
                line,
                centre,
                person,
                run,
                cells["status"],
                enrolled_on,
                cells["completion_date"],
                cells["dropout_reason"],
                problem,
            )

    def check_centre(self, value, problem):
        if not value:
            return None
        centre = self.centres.get(value.casefold())
        if centre is None:
            known = sorted({centre.slug for centre in self.centres.values()})
            problem(
                "centre",
                _('no centre "%(value)s"; known: %(known)s') % {"value": value, "known": ", ".join(known)},
            )
        elif self.allowed is not None and centre.pk not in self.allowed:
            problem("centre", _('you cannot import records for "%(centre)s"') % {"centre": centre.slug})
            return None
        return centre

    def check_trade(self, value, problem):
        if not value:
            return None
        trade = self.trades.get(value.casefold())
        if trade is None:
            known = sorted({trade.slug for trade in self.trades.values()})
            problem(
                "trade",
                _('no trade "%(value)s"; known: %(known)s') % {"value": value, "known": ", ".join(known)},
            )
        return trade

    def check_completion(self, completed_on, start, enrolled_on, problem):
        if completed_on is None:
            problem("completion_date", _("required when the status is completed"))
        elif completed_on > self.today:
            problem("completion_date", _("%(date)s is in the future") % {"date": completed_on})
        elif completed_on < start:
            problem(
                "completion_date",
                _("%(date)s is before cohort_start %(start)s") % {"date": completed_on, "start": start},
            )
        elif completed_on < enrolled_on:
            problem(
                "completion_date",
                _("%(date)s is before enrolled_on %(enrolled)s")
                % {"date": completed_on, "enrolled": enrolled_on},
            )

    def person_for(self, line, centre, full_name, born, fields, problem):
        """The trainee a row means: by register number if it has one, else by name and date of birth."""
        register_number = fields["register_number"]
        by_name = (centre.pk, name_key(full_name), born)
        if register_number:
            person = self.by_register.get((centre.pk, register_number))
            if person is not None:
                if name_key(person.full_name) == name_key(full_name) and person.date_of_birth == born:
                    return person
                # Named by line or record number only: the message is printed by the command and
                # shown to the uploader, and must not repeat another woman's name and birth date.
                if person.line:
                    where = _("line %(line)d of this file") % {"line": person.line}
                else:
                    where = _("trainee #%(id)d in the tracker") % {"id": person.pk}
                problem(
                    "register_number",
                    _(
                        '"%(number)s" at %(centre)s already belongs to another woman (%(where)s): '
                        "the name or the date of birth on this line differs"
                    )
                    % {"number": register_number, "centre": centre.slug, "where": where},
                )
                return None
        person = self.by_name.get(by_name)
        if person is not None and not (register_number and person.register_number):
            if register_number:
                # The same woman, now with her register number: one trainee, found by either.
                self.by_register[centre.pk, register_number] = person
                if person.new is not None:
                    person.register_number = person.new.register_number = register_number
            return person
        person = _Person(full_name, born, register_number, line=line)
        person.new = Trainee(centre=centre, full_name=full_name, date_of_birth=born, **fields)
        if register_number:
            self.by_register[centre.pk, register_number] = person
        self.by_name.setdefault(by_name, person)
        return person

    def run_for(self, centre, trade, title, start, end, problem):
        """The cohort a row means, by centre, course and dates; a course or cohort not there yet is planned."""
        course_key = (trade.pk, title.casefold())
        course = self.courses.get(course_key)
        if course is None:
            course = self.courses[course_key] = Course(trade=trade, title=title)
            self.new_courses.append(course)
        key = (centre.pk, trade.pk, title.casefold(), start, end)
        run = self.runs.get(key)
        if run is None:
            if end < self.today:
                status = Cohort.Status.COMPLETED
            elif start <= self.today:
                status = Cohort.Status.RUNNING
            else:
                status = Cohort.Status.PLANNED
            run = self.runs[key] = _Run(run_label(course.title, centre.slug, start, end), None, status, 0)
            run.new = Cohort(
                course=course, centre=centre, start_date=start, end_date=end, status=status, capacity=1
            )
        elif run.status == Cohort.Status.CANCELLED:
            problem("", _("the cohort %(cohort)s was cancelled") % {"cohort": run.label})
            return None
        return run

    def enrol(self, line, centre, person, run, status, enrolled_on, completed_on, dropout_reason, problem):
        if (person, run) in self.seen:
            problem("", _("duplicate of line %(line)d") % {"line": self.seen[person, run]})
            return
        self.seen[person, run] = line
        counts = self.per_centre[centre.pk]
        counts["rows"] += 1
        if (person.pk, run.pk) in self.existing_enrolments:
            self.result.unchanged += 1
            counts["unchanged"] += 1
            return
        self.enrolments.append(
            _Enrolment(centre.pk, person, run, status, enrolled_on, completed_on, dropout_reason)
        )
        if status != Enrolment.Status.DROPPED:
            run.taken += 1
            if run.capacity is not None and run.taken > run.capacity and run.overbooked_at is None:
                run.overbooked_at = line

    def check_seats(self):
        for run in self.runs.values():
            if run.overbooked_at is not None:
                self.result.problems.append(
                    Problem(
                        run.overbooked_at,
                        "",
                        ngettext(
                            "the cohort %(cohort)s has %(capacity)d seat; with this file %(taken)d would be taken",
                            "the cohort %(cohort)s has %(capacity)d seats; with this file %(taken)d would be taken",
                            run.capacity,
                        )
                        % {"cohort": run.label, "capacity": run.capacity, "taken": run.taken},
                    )
                )

    # Writes

    def write(self):
        people = list(
            {enrolment.person: None for enrolment in self.enrolments if enrolment.person.pk is None}
        )
        runs = list({enrolment.run: None for enrolment in self.enrolments})
        new_runs = [run for run in runs if run.pk is None]
        total = len(people) + len(self.enrolments)
        done = 0

        Course.objects.bulk_create(self.new_courses)
        for run in new_runs:
            run.new.capacity = max(MIN_CAPACITY, run.taken)
        Cohort.objects.bulk_create([run.new for run in new_runs], batch_size=BATCH_SIZE)
        for run in new_runs:
            run.pk = run.new.pk
        for start in range(0, len(people), BATCH_SIZE):
            batch = people[start : start + BATCH_SIZE]
            Trainee.objects.bulk_create([person.new for person in batch])
            for person in batch:
                person.pk = person.new.pk
            done += len(batch)
            self.report_writing(done, total)
        for start in range(0, len(self.enrolments), BATCH_SIZE):
            batch = self.enrolments[start : start + BATCH_SIZE]
            Enrolment.objects.bulk_create(
                Enrolment(
                    trainee_id=enrolment.person.pk,
                    cohort_id=enrolment.run.pk,
                    status=enrolment.status,
                    enrolled_on=enrolment.enrolled_on,
                    completed_on=enrolment.completed_on,
                    dropout_reason=enrolment.dropout_reason,
                )
                for enrolment in batch
            )
            done += len(batch)
            self.report_writing(done, total)
        recount_seats([run.pk for run in runs])

        for person in people:
            self.per_centre[person.new.centre_id]["created_trainees"] += 1
        for run in new_runs:
            self.per_centre[run.new.centre_id]["created_cohorts"] += 1
        for enrolment in self.enrolments:
            self.per_centre[enrolment.centre_id]["created_enrolments"] += 1
        centres = {centre.pk: centre for centre in self.centres.values()}
        for centre_id, counts in self.per_centre.items():
            log(instance=centres[centre_id], action="sakhi.import", user=self.user, data=dict(counts))

    def report_writing(self, done, total):
        if self.progress:
            self.progress("writing", done, total)


def run_label(title, centre_slug, start, end):
    return f"{title}, {centre_slug}, {start:%Y-%m-%d} to {end:%Y-%m-%d}"


def age_on(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def recount_seats(cohort_ids):
    """Seats taken, counted again from the enrolments, for every cohort the import touched."""
    held = (
        Enrolment.objects.holding_seats()
        .filter(cohort=OuterRef("pk"))
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    for start in range(0, len(cohort_ids), BATCH_SIZE):
        Cohort.objects.filter(pk__in=cohort_ids[start : start + BATCH_SIZE]).update(
            seats_taken=Coalesce(Subquery(held), 0)
        )


def import_records(source, user=None, dry_run=False, progress=None, today=None):
    """Import a CSV of training records: bytes, text or a file. Nothing is written if there is any problem.

    With a user (the admin upload), every row's centre must be one she may change.
    progress, if given, is called as progress(stage, done, total) while checking and writing."""
    result = ImportResult(dry_run=dry_run)
    positions, rows = read_rows(source, result)
    if positions is None:
        return result
    result.rows = len(rows)
    if not rows:
        result.problems.append(Problem(2, "", _("the file has a header but no rows")))
        return result
    if dry_run:
        records = RecordsImport(result, user=user, today=today, progress=progress)
        records.load(records.centre_ids(positions, rows))
        records.check(positions, rows)
        return result
    try:
        with transaction.atomic():
            records = RecordsImport(result, user=user, today=today, progress=progress)
            records.load(records.centre_ids(positions, rows), lock=True)
            records.check(positions, rows)
            if result.ok:
                records.write()
    except (IntegrityError, DataError) as error:  # clean_cell should leave the database nothing to refuse
        result.problems.append(
            Problem(
                None,
                "",
                _(
                    "The database refused the import, so nothing was changed: %(error)s. "
                    "Records may have changed meanwhile; check the file again."
                )
                % {"error": error},
            )
        )
    return result
