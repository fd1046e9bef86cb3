"""The checks of each line: every cell cleaned, the rules between its cells, then its match with
the tracker. Each problem names its line and column."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import age_on

from ..models import Enrolment
from .cells import FileCells
from .existing import ExistingRecords
from .matching import Plan
from .results import Problem

PROGRESS_EVERY = 1000


def check_file(positions, rows, result, user=None, today=None, progress=None, lock=False):
    """The plan for a file's rows, checked against the records of the centres it names; what is wrong
    goes to result. With lock, the centres are locked until the transaction ends."""
    existing = ExistingRecords(user)
    existing.load(existing.centre_ids(positions, rows), lock=lock)
    plan = Plan(existing, today or timezone.localdate())
    check_rows(positions, rows, plan, result, progress)
    return plan


def check_rows(positions, rows, plan, result, progress=None):
    total = len(rows)
    width = max(positions.values()) + 1
    file_cells = FileCells(positions)
    for done, (line, cells) in enumerate(rows, start=1):
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            result.problems.append(
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
            result.problems.extend(check_row(line, *file_cells.clean_line(cells), plan))
        if progress and (done % PROGRESS_EVERY == 0 or done == total):
            progress("checking", done, total)
    result.problems.extend(plan.overbooked())
    result.problems.sort(key=lambda problem: problem.line or 0)
    plan.count_into(result)


def check_row(line, cells, cell_errors, plan):
    """The problems of one line, given its clean cells and (column, message) for each that is not
    clean; a clean line is matched into the plan."""
    problems = [Problem(line, column, message) for column, message in cell_errors]

    def problem(column, message):
        problems.append(Problem(line, column, message))

    centre = check_centre(cells.get("centre"), plan.existing, problem)
    trade = check_trade(cells.get("trade"), plan.existing, problem)
    if problems:
        # The rules below compare cells with each other: they run only on a line whose every
        # cell is clean, so none of them ever sees an unparsed or missing value.
        return problems
    check_rules(cells, plan.today, problem)
    if not problems:
        plan.match(line, cells, centre, trade, problem)
    return problems


def check_rules(cells, today, rule):
    """The rules between a line's cells; every cell is clean and parsed."""
    born, start, end = cells["date_of_birth"], cells["cohort_start"], cells["cohort_end"]
    status, completed_on = cells["status"], cells["completion_date"]
    if born > today:
        rule("date_of_birth", _("%(date)s is in the future") % {"date": born})
    elif not cells["guardian_consent_basis"] and age_on(born, today) < 18:
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
        check_completion(completed_on, start, enrolled_on or start, today, rule)
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


def check_completion(completed_on, start, enrolled_on, today, problem):
    if completed_on is None:
        problem("completion_date", _("required when the status is completed"))
    elif completed_on > today:
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


def check_centre(value, existing, problem):
    if not value:
        return None
    centre = existing.centres.get(value.casefold())
    if centre is None:
        known = sorted({centre.slug for centre in existing.centres.values()})
        problem(
            "centre",
            _('no centre "%(value)s"; known: %(known)s') % {"value": value, "known": ", ".join(known)},
        )
    elif existing.allowed is not None and centre.pk not in existing.allowed:
        problem("centre", _('you cannot import records for "%(centre)s"') % {"centre": centre.slug})
        return None
    return centre


def check_trade(value, existing, problem):
    if not value:
        return None
    trade = existing.trades.get(value.casefold())
    if trade is None:
        known = sorted({trade.slug for trade in existing.trades.values()})
        problem(
            "trade",
            _('no trade "%(value)s"; known: %(known)s') % {"value": value, "known": ", ".join(known)},
        )
    return trade
