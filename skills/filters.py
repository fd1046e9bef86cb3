"""Filters for the tracker's admin lists (django-filter through Wagtail's filter sets)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from .models import Centre, Cohort, Course, Enrolment, Trade, Trainee


def year_choices():
    return [(year, str(year)) for year in range(timezone.localdate().year + 1, 2015, -1)]


def year_filter(label, **kwargs):
    """A year drop-down whose first choice is "Any year".

    Every choice filter here must offer a blank choice: Wagtail sends the whole filter form with
    each search, and a drop-down without one sends its first year, so a search for a name found
    only the women of that year (a TypedChoiceFilter has no blank choice of its own)."""
    return django_filters.ChoiceFilter(choices=year_choices, empty_label=_("Any year"), label=label, **kwargs)


class CentreScopedFilterSet(WagtailFilterSet):
    """Offers only the centres the user may see."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if request is not None and "centre" in self.filters:
            self.filters["centre"].queryset = Centre.objects.for_user(request.user)


class CohortFilterSet(CentreScopedFilterSet):
    centre = django_filters.ModelChoiceFilter(queryset=Centre.objects.all(), label=_("Centre"))
    trade = django_filters.ModelChoiceFilter(
        field_name="course__trade", queryset=Trade.objects.all(), label=_("Trade")
    )
    status = django_filters.ChoiceFilter(choices=Cohort.Status.choices, label=_("Status"))
    year = year_filter(_("Year"), method="filter_year")

    class Meta:
        model = Cohort
        fields = ["centre", "trade", "status", "year"]

    def filter_year(self, queryset, name, value):
        return queryset.in_year(int(value))


class TraineeFilterSet(CentreScopedFilterSet):
    """Trade, status and year describe one and the same enrolment of the trainee."""

    centre = django_filters.ModelChoiceFilter(queryset=Centre.objects.all(), label=_("Centre"))
    trade = django_filters.ModelChoiceFilter(
        queryset=Trade.objects.all(), label=_("Trade"), method="by_enrolment"
    )
    status = django_filters.ChoiceFilter(
        choices=Enrolment.Status.choices, label=_("Enrolment status"), method="by_enrolment"
    )
    year = year_filter(_("Year enrolled"), method="by_enrolment")

    class Meta:
        model = Trainee
        fields = ["centre", "trade", "status", "year"]

    def by_enrolment(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    @property
    def enrolment_conditions(self):
        """What the one enrolment must meet, from the valid form's trade, status and year."""
        data = self.form.cleaned_data
        conditions = {
            "cohort__course__trade": data.get("trade"),
            "status": data.get("status"),
            "enrolled_on__year": data.get("year"),
        }
        return {key: value for key, value in conditions.items() if value not in (None, "")}

    def filter_queryset(self, queryset):
        queryset = self.filter_but_enrolments(queryset)
        conditions = self.enrolment_conditions
        return queryset.with_an_enrolment(**conditions) if conditions else queryset

    def filter_but_enrolments(self, queryset):
        """The women the other filters (her centre) leave, before the enrolment conditions."""
        return super().filter_queryset(queryset)


class EnrolmentFilterSet(CentreScopedFilterSet):
    centre = django_filters.ModelChoiceFilter(
        field_name="cohort__centre", queryset=Centre.objects.all(), label=_("Centre")
    )
    trade = django_filters.ModelChoiceFilter(
        field_name="cohort__course__trade", queryset=Trade.objects.all(), label=_("Trade")
    )
    status = django_filters.ChoiceFilter(choices=Enrolment.Status.choices, label=_("Status"))
    year = year_filter(_("Year enrolled"), field_name="enrolled_on__year")
    cohort = django_filters.NumberFilter(
        field_name="cohort_id", widget=django_filters.widgets.forms.HiddenInput
    )

    class Meta:
        model = Enrolment
        fields = ["centre", "trade", "status", "year", "cohort"]


class CourseFilterSet(WagtailFilterSet):
    trade = django_filters.ModelChoiceFilter(queryset=Trade.objects.all(), label=_("Trade"))

    class Meta:
        model = Course
        fields = ["trade"]
