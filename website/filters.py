"""The public course finder's filters (django-filter). Nothing here touches personal data.

Their choices (trades, districts, months with a cohort starting) are kept with the tracker's other
public lists (placements.public_figures.cached), so that drawing the form reads no database."""

import django_filters
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from placements.public_figures import cached
from skills import queries
from skills.models import in_active_language


def trade_choices():
    trades = cached("trades", lambda: list(queries.trades().values_list("slug", "name", "name_hi")))
    return [(slug, in_active_language(name, name_hi)) for slug, name, name_hi in trades]


def district_choices():
    def build():
        hindi = queries.centre_district_names()
        return [(district, hindi.get(district) or district) for district in queries.districts()]

    in_hindi = get_language() == "hi"
    return [(district, hindi if in_hindi else district) for district, hindi in cached("districts", build)]


def month_choices():
    # Kept for the day: a cohort leaves the list when it ends, with no change to announce it.
    months = cached("open-cohort-months", lambda: list(queries.open_cohort_months()), timezone.localdate())
    return [(m.strftime("%Y-%m"), formats.date_format(m, "F Y")) for m in months]


class OpenCohortFilter(django_filters.FilterSet):
    trade = django_filters.ChoiceFilter(
        field_name="course__trade__slug",
        choices=trade_choices,
        label=_("Trade"),
        empty_label=_("All trades"),
    )
    district = django_filters.ChoiceFilter(
        field_name="centre__district",
        choices=district_choices,
        label=_("District"),
        empty_label=_("All districts"),
    )
    month = django_filters.ChoiceFilter(
        choices=month_choices, method="filter_month", label=_("Starting in"), empty_label=_("Any month")
    )

    def filter_month(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(start_date__year=year, start_date__month=month)
