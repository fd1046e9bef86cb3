"""What an import says when the database refuses it: the kind of refusal and, when the database
says which row it was, that row's line in the file. Never the database's own text: PostgreSQL's
quotes the row's values ("Key (centre_id, register_number)=(…) already exists"), and the problems
are shown to the uploader and kept with the import job."""

import re
from contextlib import contextmanager

from django.db import DataError, IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .results import Problem

# PostgreSQL's SQLSTATE codes (its manual, appendix A), and SQLite's words for the same refusals.
KINDS = {
    "22001": gettext_lazy("a value is too long"),
    "22003": gettext_lazy("a number is out of range"),
    "22007": gettext_lazy("a date is not valid"),
    "22008": gettext_lazy("a date is not valid"),
    "23502": gettext_lazy("a required value is missing"),
    "23503": gettext_lazy("a row refers to a record that is not there"),
    "23505": gettext_lazy("a duplicate of a record in the tracker"),
    "23514": gettext_lazy("a value breaks a rule of the tracker"),
}
SQLITE_KINDS = {
    "UNIQUE constraint failed": "23505",
    "NOT NULL constraint failed": "23502",
    "FOREIGN KEY constraint failed": "23503",
    "CHECK constraint failed": "23514",
}
# What COPY adds to its error's context: which row of the COPY it was refused at, from 1.
COPY_ROW = re.compile(r"^COPY [^,]+, line (\d+)")


def kind_of(error):
    """The kind of refusal, in words for the uploader."""
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if code is None:
        text = str(error)
        code = next((code for words, code in SQLITE_KINDS.items() if text.startswith(words)), None)
    if code in KINDS:
        return str(KINDS[code])
    if isinstance(error, DataError):
        return _("a value the database cannot store")
    return _("a rule of the database")


def copied_row(error):
    """The index, in the rows given to the COPY, of the row the database refused, if it says."""
    context = getattr(getattr(error.__cause__, "diag", None), "context", None) or ""
    match = COPY_ROW.match(context)
    return int(match[1]) - 1 if match else None


@contextmanager
def lines_of_rows(lines):
    """While inserting rows whose lines in the file are `lines`, in order: a refusal of one of
    them carries its line (error.line) for problem()."""
    try:
        yield
    except (IntegrityError, DataError) as error:
        index = copied_row(error)
        if index is not None and index < len(lines):
            error.line = lines[index]
        raise


def problem(error):
    """The problem that says the database refused the import: its kind and line, not its text."""
    return Problem(
        getattr(error, "line", None),
        "",
        _(
            "The database refused the import (%(kind)s), so nothing was changed. "
            "Records may have changed meanwhile; check the file again."
        )
        % {"kind": kind_of(error)},
    )
