"""The historical import of training records (since 2016) from a CSV file.

One row of the file is one enrolment: a woman, at a centre, in a cohort of a course, and how it
ended. Everything is checked in Python first, with every lookup held in a dict, and a file with
any problem writes nothing. A clean file is written in one transaction with bulk inserts. Rows
already in the tracker count as unchanged, so importing a file twice does no harm.
The columns and rules are documented for coordinators in docs/import.md.

One module per stage: reading (the file and its header) and cells (each cell cleaned), existing
(the tracker's records, read once), checks (each line's rules), matching (each line's trainee,
cohort and enrolment), writing (all or nothing) and inserting (COPY on PostgreSQL)."""

from .cells import COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from .existing import user_can_import
from .results import ImportResult, Problem
from .writing import import_records

__all__ = [
    "COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportResult",
    "Problem",
    "import_records",
    "user_can_import",
]
