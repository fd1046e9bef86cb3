"""Matching clean lines with the tracker's records: which woman, which cohort, and whether the
enrolment is there already. What is not there yet is planned, to be written only if the whole
file is clean."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Cohort, Course, Enrolment
from .existing import Person, Run, name_key, run_label
from .results import Problem


@dataclass
class PlannedEnrolment:
    line: int
    centre_id: int
    person: Person
    run: Run
    status: str
    enrolled_on: datetime.date
    completed_on: datetime.date | None
    dropout_reason: str


class Plan:
    """The trainees, courses, cohorts and enrolments a file would add to the existing records."""

    def __init__(self, existing, today):
        self.existing = existing
        self.today = today
        self.seen = {}  # (Person, Run): line
        self.new_courses = []
        self.enrolments = []
        self.unchanged = 0
        self.per_centre = defaultdict(Counter)

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

    def person_for(self, line, centre, full_name, born, fields, problem):
        """The trainee a row means: by register number if it has one, else by name and date of birth."""
        by_register, by_name = self.existing.by_register, self.existing.by_name
        register_number = fields["register_number"]
        centre_id = centre.pk
        name = (centre_id, name_key(full_name), born)
        if register_number:
            person = by_register.get((centre_id, register_number))
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
        person = by_name.get(name)
        if person is not None and not (register_number and person.register_number):
            if register_number:
                # The same woman, now with her register number: one trainee, found by either.
                by_register[centre_id, register_number] = person
                if person.new is not None:
                    person.register_number = person.new["register_number"] = register_number
            return person
        person = Person(full_name, born, register_number, line=line)
        person.new = {"centre_id": centre_id, "full_name": full_name, "date_of_birth": born, **fields}
        if register_number:
            by_register[centre_id, register_number] = person
        by_name.setdefault(name, person)
        return person

    def run_for(self, centre, trade, title, start, end, problem):
        """The cohort a row means, by centre, course and dates; a course or cohort not there yet is planned."""
        trade_id, title_key = trade.pk, title.casefold()
        course_key = (trade_id, title_key)
        course = self.existing.courses.get(course_key)
        if course is None:
            course = self.existing.courses[course_key] = Course(trade=trade, title=title)
            self.new_courses.append(course)
        key = (centre.pk, trade_id, title_key, start, end)
        run = self.existing.runs.get(key)
        if run is None:
            if end < self.today:
                status = Cohort.Status.COMPLETED
            elif start <= self.today:
                status = Cohort.Status.RUNNING
            else:
                status = Cohort.Status.PLANNED
            run = self.existing.runs[key] = Run(
                run_label(course.title, centre.slug, start, end), None, status, 0
            )
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
        centre_id = centre.pk
        counts = self.per_centre[centre_id]
        counts["rows"] += 1
        if (person.pk, run.pk) in self.existing.enrolments:
            self.unchanged += 1
            counts["unchanged"] += 1
            return
        self.enrolments.append(
            PlannedEnrolment(line, centre_id, person, run, status, enrolled_on, completed_on, dropout_reason)
        )
        if status != Enrolment.Status.DROPPED:
            run.taken += 1
            if run.capacity is not None and run.taken > run.capacity and run.overbooked_at is None:
                run.overbooked_at = line

    def overbooked(self):
        """A problem for each cohort the file would give more enrolments than it has seats."""
        return [
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
            for run in self.existing.runs.values()
            if run.overbooked_at is not None
        ]

    def count_into(self, result):
        """What the plan would create, and how many lines are in the tracker already."""
        people = {enrolment.person for enrolment in self.enrolments}
        result.created_trainees = sum(1 for person in people if person.pk is None)
        result.created_cohorts = len(
            {enrolment.run for enrolment in self.enrolments if enrolment.run.pk is None}
        )
        result.created_courses = len(self.new_courses)
        result.created_enrolments = len(self.enrolments)
        result.unchanged = self.unchanged
