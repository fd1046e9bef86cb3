"""The filters of the outcome reports (django-filter): which centres, which years, which kind of year.

The centres on offer are only those the user may see (Centre.objects.for_user, the scoping rule): a
coordinator who asks for another centre gets a form error, never its figures. State officers may
also pick a district or a state. What the filters select becomes a placements.outcomes.Scope and a
span of years; the figures themselves come from placements.outcomes alone."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.dates import PROGRAMME_FIRST_YEAR
from skills.models import Centre
from skills.roles import sees_every_centre

from .outcomes import Period, Scope


class YearKind(models.TextChoices):
    CALENDAR = "calendar", _("Calendar years")
    FINANCIAL = "financial", _("Financial years (April to March)")


@dataclass(frozen=True)
class ReportSelection:
    """What one report covers: a scope of centres, described in words, and a span of years."""

    scope: Scope
    area: str  # e.g. "Sakhi One Stop Centre, Lucknow", "Patna district", "All centres"
    first_year: int
    last_year: int
    financial: bool

    @property
    def period(self):
        return Period.years(self.first_year, self.last_year, self.financial)

    @property
    def file_stem(self):
        """A file name without extension, e.g. "outcomes-lucknow-2016-2026" ("-fy" for financial years)."""
        area = self.scope.centre or slugify(self.scope.district or self.scope.state) or "all-centres"
        years = f"{self.first_year}-{self.last_year}{'-fy' if self.financial else ''}"
        return f"outcomes-{area}-{years}"


def year_choices():
    return [(year, str(year)) for year in range(PROGRAMME_FIRST_YEAR, timezone.localdate().year + 1)]


class OutcomeReportForm(forms.Form):
    year_from = forms.TypedChoiceField(label=_("From year"), coerce=int, choices=year_choices)
    year_to = forms.TypedChoiceField(label=_("To year"), coerce=int, choices=year_choices)
    year_kind = forms.ChoiceField(label=_("Years"), choices=YearKind.choices, widget=forms.RadioSelect)

    field_order = ["centre", "district", "state", "year_from", "year_to", "year_kind"]

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first is not None and last is not None and last < first:
            self.add_error("year_to", _("The last year must not be before the first."))
        if len([name for name in ("centre", "district", "state") if data.get(name)]) > 1:
            raise forms.ValidationError(_("Choose a centre, a district or a state: only one of them."))
        return data


class OutcomeReportFilter(django_filters.FilterSet):
    """The report's filter form, bound to the user: its centres are the ones she may see."""

    centre = django_filters.ChoiceFilter(field_name="slug", label=_("Centre"))
    district = django_filters.ChoiceFilter(label=_("District"), empty_label=_("All districts"))
    state = django_filters.ChoiceFilter(label=_("State"), empty_label=_("All states"))

    class Meta:
        model = Centre
        fields = []
        form = OutcomeReportForm

    def __init__(self, data, *, user):
        self.everywhere = sees_every_centre(user)
        queryset = Centre.objects.for_user(user).order_by("name")
        self.centres = list(queryset.values("pk", "slug", "name", "district", "state"))
        super().__init__(self.with_defaults(data), queryset=queryset)
        self.filters["centre"].extra.update(
            choices=[(centre["slug"], centre["name"]) for centre in self.centres],
            empty_label=self.all_centres_label,
        )
        if self.everywhere:
            self.filters["district"].extra["choices"] = self.distinct_choices("district")
            self.filters["state"].extra["choices"] = self.distinct_choices("state")
        else:
            del self.filters["district"], self.filters["state"]
        if not self.everywhere and len(self.centres) == 1:
            self.filters["centre"].extra.update(empty_label=None, required=True)

    @property
    def all_centres_label(self):
        return _("All centres") if self.everywhere else _("All my centres")

    def with_defaults(self, data):
        """The request's filters, with the defaults for whatever it leaves out."""
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("year_from", str(PROGRAMME_FIRST_YEAR))
        data.setdefault("year_to", str(timezone.localdate().year))
        data.setdefault("year_kind", YearKind.CALENDAR.value)
        if not self.everywhere and len(self.centres) == 1:
            data.setdefault("centre", self.centres[0]["slug"])
        return data

    def distinct_choices(self, field):
        values = sorted({centre[field] for centre in self.centres})
        return [(value, value) for value in values]

    def is_valid(self):
        if not super().is_valid():
            return False
        if not self.centres:
            self.form.add_error(None, _("You have no centres to report on yet."))
            return False
        return True

    def selection(self):
        """The validated filters as a ReportSelection; call after is_valid()."""
        data = self.form.cleaned_data
        centre, district, state = data["centre"], data.get("district", ""), data.get("state", "")
        if self.everywhere:
            scope = Scope(centre=centre, district=district, state=state)
        else:
            # Never an empty tuple here: to outcomes.Scope that means no narrowing at all.
            scope = Scope(centre=centre, centre_ids=tuple(each["pk"] for each in self.centres))
        if centre:
            area = next(each["name"] for each in self.centres if each["slug"] == centre)
        elif district:
            area = _("%(district)s district") % {"district": district}
        else:
            area = state or self.all_centres_label
        return ReportSelection(
            scope=scope,
            area=str(area),
            first_year=data["year_from"],
            last_year=data["year_to"],
            financial=data["year_kind"] == YearKind.FINANCIAL,
        )

    def query_string(self):
        """The filters as a URL query, defaults filled in, for the download links."""
        return self.form.data.urlencode()
