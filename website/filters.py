"""The public course finder's filters (django-filter). Nothing here touches personal data."""

import django_filters
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from skills import queries


def district_choices():
    hindi = queries.centre_district_names()
    in_hindi = get_language() == "hi"
    return [(d, (hindi.get(d) or d) if in_hindi else d) for d in queries.districts()]


def month_choices():
    return [(m.strftime("%Y-%m"), formats.date_format(m, "F Y")) for m in queries.open_cohort_months()]


class OpenCohortFilter(django_filters.FilterSet):
    trade = django_filters.ModelChoiceFilter(
        field_name="course__trade",
        queryset=queries.trades(),
        to_field_name="slug",
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["trade"].field.label_from_instance = lambda trade: trade.localized_name

    def filter_month(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(start_date__year=year, start_date__month=month)
