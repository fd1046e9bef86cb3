"""Choosing a trainee in the admin: searched in the database, a page at a time, showing what
tells two women of the same name apart (register number, age, district, last course).

Lists only the trainees the user may change, by the Trainee permission policy (which calls
Trainee.objects.for_user, the one scoping rule); the enrol page, and the enrolment, placement,
self-employment and nomination forms use it."""

from django import forms
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, Table, TitleColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.permissions import policy_registry

from .models import Enrolment, Trainee

PER_PAGE = 25


def trainees_user_may_change(user):
    return policy_registry.get_by_type(Trainee).instances_user_has_any_permission_for(user, ["change"])


def with_identifying_details(trainees):
    """Annotate each trainee with the title of her latest course (one subquery, no extra query)."""
    last_course = (
        Enrolment.objects.filter(trainee=OuterRef("pk"))
        .order_by("-cohort__start_date", "-pk")
        .values("cohort__course__title")[:1]
    )
    return trainees.annotate(last_course=Subquery(last_course))


def search_trainees(trainees, query):
    """Name (English or Hindi) or register number, matched in the database."""
    query = (query or "").strip()
    return trainees.search(query) if query else trainees


def identifying_columns():
    """The columns after her name, shared by the chooser and the enrol page."""
    today = timezone.localdate()
    return [
        Column("register_number", label=_("Register number")),
        Column("age", label=_("Age"), accessor=lambda trainee: trainee.age_on(today)),
        Column("district", label=_("District")),
        Column("last_course", label=_("Last course")),
    ]


class TickColumn(Column):
    """A checkbox named "trainees" per row, ticked if it was ticked before the page came back."""

    cell_template_name = "skills/includes/tick_cell.html"

    def __init__(self, *args, ticked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ticked = {str(pk) for pk in ticked}

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["ticked"] = str(instance.pk) in self.ticked
        return context


def trainee_table(trainees, ticked=()):
    """The enrol page's list: tick, name (a label for the tick), then what tells her apart."""
    return Table(
        [
            TickColumn("tick", label=_("Enrol"), accessor="pk", width="1%", ticked=ticked),
            TitleColumn("full_name", label=_("Name"), label_prefix="trainee"),
            *identifying_columns(),
        ],
        trainees,
    )


class TraineeSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Name or register number"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name or register number")}),
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching = True
            self.search_query = query
        return search_trainees(objects, query)


class TraineeChooseMixin:
    filter_form_class = TraineeSearchForm
    ordering = ["full_name", "id"]

    def get_object_list(self):
        return with_identifying_details(self.get_trainees())

    def get_trainees(self):
        return trainees_user_may_change(self.request.user)

    @property
    def columns(self):
        title = self.title_column
        title.label = _("Name")
        return [title, *identifying_columns()]


class TraineeChooseView(TraineeChooseMixin, chooser_views.ChooseView):
    pass


class TraineeChooseResultsView(TraineeChooseMixin, chooser_views.ChooseResultsView):
    pass


class TraineeChosenView(chooser_views.ChosenView):
    """Only a trainee she may change can be returned (by her id), never another centre's."""

    def get_object(self, pk):
        return get_object_or_404(trainees_user_may_change(self.request.user), pk=pk)


class TraineeChosenMultipleView(chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return trainees_user_may_change(self.request.user).filter(pk__in=pks)


class TraineeChooserViewSet(ChooserViewSet):
    model = Trainee
    icon = "user"
    choose_one_text = _("Choose a trainee")
    choose_another_text = _("Choose another trainee")
    edit_item_text = _("Open her record")
    per_page = PER_PAGE
    choose_view_class = TraineeChooseView
    choose_results_view_class = TraineeChooseResultsView
    chosen_view_class = TraineeChosenView
    chosen_multiple_view_class = TraineeChosenMultipleView
    # Forms ask for the widget by name (trainee_chooser.widget_class): the forms are built when
    # their modules are imported, before Wagtail registers viewsets.
    register_widget = False


trainee_chooser = TraineeChooserViewSet("skills_trainee_chooser")
