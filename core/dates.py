"""Dates as the tracker counts and prints them: a woman's age on a given day, Indian financial years
(April to March, named by the year they start in, "2024-25") and dates written the same way
whatever the process's locale."""

import datetime

from django.db.models import Case, When
from django.db.models.functions import ExtractYear

FINANCIAL_YEAR_FIRST_MONTH = 4  # April

# The programme's first centres opened, and its training records start, in 2016: the first year
# the reports offer and the public figures count from.
PROGRAMME_FIRST_YEAR = 2016

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def age_on(born, day):
    """Whole years from `born` to `day`. Born on 29 February, she turns a year older on 1 March
    in a year without one (the (month, day) comparison does that)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def financial_year_start(year):
    """1 April of `year`: the first day of financial year year-(year + 1)."""
    return datetime.date(year, FINANCIAL_YEAR_FIRST_MONTH, 1)


def financial_year_end(year):
    """31 March of the next year: the last day of the financial year that starts in `year`."""
    return financial_year_start(year + 1) - datetime.timedelta(days=1)


def financial_year_of(day):
    """The financial year `day` falls in, by the year it starts in: 31 March 2024 is in 2023 (2023-24)."""
    return day.year - 1 if day.month < FINANCIAL_YEAR_FIRST_MONTH else day.year


def financial_year_of_field(date_field):
    """financial_year_of() in the database: an expression for the financial year of a date field."""
    year = ExtractYear(date_field)
    return Case(When(**{f"{date_field}__month__lt": FINANCIAL_YEAR_FIRST_MONTH}, then=year - 1), default=year)


def financial_year_name(year):
    """The financial year that starts in `year` as Indian reports name it: 2024 gives "2024-25"."""
    return f"{year}-{(year + 1) % 100:02d}"


def english_date(day):
    """6 May 2024. Month names come from a table, not strftime("%B"), which follows the process's
    locale: a printed document must read the same from every worker."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def hindi_date(day):
    """06/05/2024: day, month and year in figures, as the Hindi lines of our documents print a date."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"
