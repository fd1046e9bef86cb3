"""What the tests' import files look like, kept apart from Django so that the production tests,
which only talk HTTP to the servers, can write them too."""

import csv
import io

# The columns of an import file as the tests write them (docs/import.md says what each means).
IMPORT_HEADER = [
    "centre",
    "register_number",
    "full_name",
    "date_of_birth",
    "trade",
    "course",
    "cohort_start",
    "cohort_end",
    "status",
    "completion_date",
]


def csv_bytes(rows, header=IMPORT_HEADER):
    """An import file of these rows under the header, as a spreadsheet saves it: UTF-8, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
