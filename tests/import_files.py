"""What the tests' import files look like, kept apart from Django so that the production tests,
which only talk HTTP to the servers, can write them too."""

import csv
import datetime
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


def completers_of_2018(centre_slug, register_prefix, course_title, count, batch=""):
    """Rows of women of a centre who completed a tailoring cohort of 2018 (8 January to 6 April),
    each with her own register number, name and date of birth."""
    return [
        [
            centre_slug,
            f"{register_prefix}/2018/{batch}{n:03d}",
            f"Kamla Imported {batch}{n}",
            (datetime.date(1990, 1, 1) + datetime.timedelta(days=n)).isoformat(),
            "tailoring",
            course_title,
            "2018-01-08",
            "2018-04-06",
            "completed",
            "2018-04-06",
        ]
        for n in range(count)
    ]
