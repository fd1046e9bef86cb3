"""What the public vacancy board shows, its filters (django-filter), and how it writes pay.

Only what an employer agreed to publish leaves through here: no contact details, no candidates."""

import django_filters
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.formats import rupees
from skills import queries

from .models import Vacancy

PAY_STEPS = (3000, 5000, 8000, 10000, 12000, 15000, 20000)


def on_the_board():
    """Vacancies the public may see: published, not past closing, from an employer still approved.

    A suspended employer's vacancies leave the board at once, as closing ones do, without anyone acting."""
    return (
        Vacancy.objects.published()
        .select_related("employer")
        .prefetch_related("trades")
        .order_by("closing_date", "title", "pk")
    )


def district_names():
    """{district: its name in the active language}, where a centre's district gives the Hindi spelling."""
    if get_language() != "hi":
        return {}
    return {district: hindi for district, hindi in queries.centre_district_names().items() if hindi}


def with_display_text(vacancies):
    """Give each vacancy its district as the visitor's language writes it (pay: the pay_range filter)."""
    names = district_names()
    for vacancy in vacancies:
        vacancy.district_name = names.get(vacancy.district, vacancy.district)
    return vacancies


def district_choices():
    names = district_names()
    districts = on_the_board().order_by("district").values_list("district", flat=True).distinct()
    return [(district, names.get(district, district)) for district in districts]


def pay_choices():
    return [(str(step), gettext("%(pay)s a month or more") % {"pay": rupees(step)}) for step in PAY_STEPS]


class VacancyFilter(django_filters.FilterSet):
    trade = django_filters.ModelChoiceFilter(
        field_name="trades",
        queryset=queries.trades(),
        to_field_name="slug",
        label=_("Trade"),
        empty_label=_("All trades"),
    )
    district = django_filters.ChoiceFilter(
        choices=district_choices, label=_("District"), empty_label=_("All districts")
    )
    job_type = django_filters.ChoiceFilter(
        choices=Vacancy.JobType.choices, label=_("Job type"), empty_label=_("Any job type")
    )
    pay = django_filters.ChoiceFilter(
        choices=pay_choices, method="filter_pay", label=_("Monthly pay"), empty_label=_("Any pay")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["trade"].field.label_from_instance = lambda trade: trade.localized_name

    def filter_pay(self, queryset, name, value):
        """The least a woman wants to earn: vacancies that may pay that much or more."""
        return queryset.filter(pay_max__gte=int(value))
