"""What the tracker holds already, read once into dicts keyed the way a file names things."""

import datetime
import unicodedata
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from ..models import Centre, Cohort, Course, Enrolment, Trade, Trainee
from ..permissions import centres_changeable_by


def user_can_import(user):
    """Whoever may change the records of at least one centre may import them."""
    return centres_changeable_by(user).exists()


def name_key(name):
    """The same name however it was spaced, capitalised or Unicode-composed."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def run_label(title, centre_slug, start, end):
    return f"{title}, {centre_slug}, {start:%Y-%m-%d} to {end:%Y-%m-%d}"


def seats_held():
    """The seats taken in the outer query's cohort, counted from its enrolments."""
    return (
        Enrolment.objects.holding_seats()
        .filter(cohort=OuterRef("pk"))
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )


@dataclass(eq=False)
class Person:
    """A trainee the file means: in the tracker already (pk), or to be created (new)."""

    full_name: str
    date_of_birth: datetime.date
    register_number: str
    pk: int | None = None
    new: dict | None = None  # the fields of the trainee to create, by attname
    line: int | None = None  # the line that introduced a new one


@dataclass(eq=False)
class Run:
    """A cohort the file means: in the tracker already (pk), or to be created (new)."""

    label: str
    capacity: int | None  # None for a new cohort: it gets seats for everyone enrolled
    status: str
    taken: int
    pk: int | None = None
    new: Cohort | None = None
    overbooked_at: int | None = None


class ExistingRecords:
    """The centres, trades and courses by the names a file may use, the centres the user may change,
    and (after load) the trainees, cohorts and enrolments of the centres the file names.
    Matching a file adds the trainees, courses and cohorts it plans, so a later line finds them."""

    def __init__(self, user=None):
        self.centres = {}
        for centre in Centre.objects.all():
            self.centres[centre.slug.casefold()] = centre
            self.centres[centre.code.casefold()] = centre
        self.trades = {}
        for trade in Trade.objects.all():
            self.trades[trade.slug.casefold()] = trade
            self.trades[trade.name.casefold()] = trade
        self.courses = {}  # (trade pk, course title key): Course
        for course in Course.objects.order_by("pk"):
            self.courses.setdefault((course.trade_id, course.title.casefold()), course)
        self.allowed = None if user is None else set(centres_changeable_by(user).values_list("pk", flat=True))
        self.by_register = {}  # (centre pk, register number): Person
        self.by_name = {}  # (centre pk, name key, date of birth): Person
        self.runs = {}  # (centre pk, trade pk, course title key, start, end): Run
        self.enrolments = set()  # (trainee pk, cohort pk)

    def centre_ids(self, positions, rows):
        """The centres the file names and the user may change: only their records are read."""
        index = positions["centre"]
        cells_named = {cells[index] for _line, cells in rows if index < len(cells)}
        named = {self.centres.get(cell.strip().casefold()) for cell in cells_named}  # as clean_cell strips
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
            person = Person(full_name, born, register_number, pk=pk)
            if register_number:
                self.by_register.setdefault((centre_id, register_number), person)
            self.by_name.setdefault((centre_id, name_key(full_name), born), person)
        cohorts = (
            Cohort.objects.filter(centre__in=centre_ids)
            .annotate(held=Coalesce(Subquery(seats_held()), 0))
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
                Run(run_label(title, slug, start, end), capacity, status, held_seats, pk=pk),
            )
        self.enrolments = set(
            Enrolment.objects.filter(cohort__centre__in=centre_ids).values_list("trainee_id", "cohort_id")
        )
