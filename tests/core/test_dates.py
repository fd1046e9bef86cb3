"""Dates as the tracker counts and prints them (core.dates). No database, but for the financial
year of a date column, which is checked on rows against the Python rule."""

import datetime

import pytest

from core.dates import (
    age_on,
    english_date,
    financial_year_end,
    financial_year_name,
    financial_year_of,
    financial_year_of_field,
    financial_year_start,
    hindi_date,
)

# Days on both sides of the year's and the financial year's boundaries.
BOUNDARY_DAYS = [
    datetime.date(2023, 12, 31),
    datetime.date(2024, 1, 1),
    datetime.date(2024, 3, 31),
    datetime.date(2024, 4, 1),
    datetime.date(2024, 2, 29),
    datetime.date(2025, 3, 31),
    datetime.date(2025, 4, 1),
]


def test_a_financial_year_runs_from_april_to_march():
    assert financial_year_start(2024) == datetime.date(2024, 4, 1)
    assert financial_year_end(2024) == datetime.date(2025, 3, 31)
    assert financial_year_end(2023) + datetime.timedelta(days=1) == financial_year_start(2024)


@pytest.mark.parametrize("day", BOUNDARY_DAYS)
def test_a_day_is_in_the_financial_year_that_runs_over_it(day):
    year = financial_year_of(day)
    assert financial_year_start(year) <= day <= financial_year_end(year)


def test_the_financial_year_of_a_date_column_is_the_same_rule(db):
    from skills.models import Centre
    from tests.factories import CentreFactory

    for n, day in enumerate(BOUNDARY_DAYS):
        CentreFactory(slug=f"fy-{n}", opened_on=day)
    rows = Centre.objects.filter(slug__startswith="fy-").annotate(year=financial_year_of_field("opened_on"))
    years = dict(rows.values_list("opened_on", "year"))
    assert years == {day: financial_year_of(day) for day in BOUNDARY_DAYS}
    assert set(years.values()) == {2023, 2024, 2025}


@pytest.mark.parametrize(
    ("year", "name"), [(2024, "2024-25"), (1999, "1999-00"), (2009, "2009-10"), (2099, "2099-00")]
)
def test_a_financial_year_is_named_by_its_two_years(year, name):
    assert financial_year_name(year) == name


def test_age_on_counts_whole_years_and_leap_birthdays():
    born = datetime.date(2004, 2, 29)
    assert age_on(born, datetime.date(2022, 2, 28)) == 17
    assert age_on(born, datetime.date(2022, 3, 1)) == 18


def test_printed_dates_do_not_follow_the_locale():
    day = datetime.date(2024, 5, 6)
    assert english_date(day) == "6 May 2024"
    assert hindi_date(day) == "06/05/2024"
