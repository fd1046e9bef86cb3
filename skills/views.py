"""Admin views of the tracker.

The generic views are Wagtail's, narrowed by the models' permission policies so that every
list, export, form, inspect and history view sees only the user's centres. The action views
(attendance, bulk enrolment, dropout, completion) call skills.services."""

import copy
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.widgets import HeaderButton
from wagtail.permissions import policy_registry

from . import choosers, exports, services
from .forms import BulkEnrolmentForm, CompletionForm, DropOutForm, RegisterDateForm
from .models import Certificate, Cohort, CohortSession, Enrolment, Trainee, containing, short_date

# What an inspect view shows for an empty value, as the registers write it.
EMPTY_VALUE = "–"


def scoped_queryset(request, model, action):
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(request.user, [action])


def not_sortable(column, why):
    """A copy of a list column whose header is not a sort link but says why."""
    column = copy.copy(column)
    column.sort_key = None
    column.label = format_html('{} <small class="w-help-text">{}</small>', column.label, why)
    column.header = Column.Header(column)
    return column


class ScopedIndexView(generic.IndexView):
    """A list of the records of the user's centres, exportable to CSV and XLSX."""

    list_select_related = ()
    # Set by viewsets whose inspect view is the working page (a cohort's register, a trainee's
    # record): the title in the list opens that page rather than the edit form.
    title_opens_inspect = False
    # A queryset method that adds the list's computed columns (the enrolments' attendance), set
    # where a list has them. They are computed for the rows of the page shown, not for every row
    # an OFFSET skips (page 115 would compute them 2,300 times); for every row only where they
    # are the sort key or the list is exported.
    row_annotation = None
    # The filter that must narrow the list before it may be sorted by a computed column, and
    # why, shown in that column's header while it cannot (see sorts_by_computed_columns).
    computed_sort_filter = None
    computed_sort_note = ""

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column = super()._get_title_column(field_name, column_class, **kwargs)
        if self.title_opens_inspect:
            column._get_url_func = lambda instance: (
                self.get_inspect_url(instance) or self.get_edit_url(instance)
            )
        return column

    def get_base_queryset(self):
        queryset = scoped_queryset(self.request, self.model, "view")
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        if self.annotates_every_row:
            queryset = self.annotate_rows(queryset)
        return queryset

    def annotate_rows(self, queryset):
        return getattr(queryset, self.row_annotation)()

    @cached_property
    def computed_columns(self):
        if not self.row_annotation:
            return set()
        return set(self.annotate_rows(self.model._default_manager.none()).query.annotations)

    @cached_property
    def annotates_every_row(self):
        if not self.row_annotation:
            return False
        if self.is_export:
            return True
        orderings = self.ordering if isinstance(self.ordering, (list, tuple)) else [self.ordering]
        return any(ordering and ordering.lstrip("-") in self.computed_columns for ordering in orderings)

    @cached_property
    def sorts_by_computed_columns(self):
        """Whether the list may be sorted by its computed columns. Sorting by them computes them
        for every row in scope before the first is shown: for the enrolments' attendance that is
        seconds for a coordinator's centre and 18 s for the state (benchmarks/bench_tracker.py),
        so it waits until the list is narrowed to one cohort (computed_sort_filter)."""
        if not self.computed_sort_filter:
            return True
        filters = self.filters
        return bool(
            filters and filters.is_valid() and filters.form.cleaned_data.get(self.computed_sort_filter)
        )

    @cached_property
    def columns(self):
        columns = super().columns
        if self.sorts_by_computed_columns:
            return columns
        return [
            not_sortable(column, self.computed_sort_note)
            if column.sort_key in self.computed_columns
            else column
            for column in columns
        ]

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        if self.row_annotation and not self.annotates_every_row:
            page.object_list = rows = self.annotated_page(queryset, rows)
        return paginator, page, rows, is_paginated

    def annotated_page(self, queryset, rows):
        """The page's rows again, annotated: one query that finds the page's ids first (the
        list's own query, sliced) and computes the columns for those rows only, in the list's order."""
        shown = self.model._default_manager.filter(pk__in=rows.values("pk"))
        if self.list_select_related:
            shown = shown.select_related(*self.list_select_related)
        shown = self.annotate_rows(shown)
        return shown.order_by(*queryset.query.order_by) if queryset.query.order_by else shown

    def search_queryset(self, queryset):
        if not (self.is_searching and isinstance(queryset, QuerySet)):
            return super().search_queryset(queryset)
        queryset = queryset.filter(containing(queryset.model, self.search_fields, self.search_query))
        if connection.vendor != "postgresql":
            return queryset
        # Ordered by the column searched (trainees by name), PostgreSQL walks that column's index
        # from its start and filters each row: every "Sunita" sorts under S, so it reads half the
        # state first (seconds; benchmarks/bench_tracker.py). The same key inside an expression no
        # index serves makes it sort the few matches the trigram indexes found instead. Ordered by
        # anything else (enrolments by date), the matches are spread through that order and
        # walking its index finds a page of them soonest, so the ordering is left alone.
        first, *rest = queryset.query.order_by or queryset.model._meta.ordering
        if not isinstance(first, str) or first.lstrip("-") not in (self.search_fields or ()):
            return queryset
        field = first.lstrip("-")
        key = Coalesce(F(field), F(field))
        return queryset.order_by(key.desc() if first.startswith("-") else key.asc(), *rest)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        """Every list's export goes through the one audited writer (skills.exports), which makes
        each cell safe whatever its source, related records included."""
        fields = self.list_export
        filters = getattr(self, "filters", None)
        return exports.audited_spreadsheet(
            self.request,
            model=self.model,
            list_name=self.model._meta.verbose_name_plural,
            fmt=spreadsheet_format,
            header=[self.get_heading(queryset, field) for field in fields],
            rows=(self.to_row_dict(item).values() for item in queryset),
            row_count=len(queryset) if isinstance(queryset, list) else queryset.count(),
            filter_names=[*(filters.form.fields if filters else ()), "ordering"],
            filename=self.get_filename(),
        )


class TraineeIndexView(ScopedIndexView):
    """The women of the user's centres. Filtered by an enrolment (trade, status, year), the
    page's count is taken from the enrolments' side (Trainee.objects.count_with_an_enrolment):
    the same number, without testing every woman in scope for one."""

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        filters = self.filters
        conditions = filters.enrolment_conditions if filters and filters.is_valid() else {}
        if conditions and isinstance(queryset, QuerySet):
            women = self.search_queryset(filters.filter_but_enrolments(self.get_base_queryset()))
            paginator.count = women.count_with_an_enrolment(**conditions)
        return paginator


class ScopedCreateView(generic.CreateView):
    def get_initial(self):
        # The actions on a trainee's record ("Enrol", "Nominate", "Record placement") open the
        # form with her chosen, if she is one the user may change.
        initial = super().get_initial()
        trainee_id = self.request.GET.get("trainee", "")
        if (
            trainee_id.isdigit()
            and any(field.name == "trainee" for field in self.model._meta.fields)
            and choosers.trainees_user_may_change(self.request.user).filter(pk=trainee_id).exists()
        ):
            initial["trainee"] = int(trainee_id)
        return initial


class ScopedEditView(generic.EditView):
    def get_object(self, queryset=None):
        return super().get_object(scoped_queryset(self.request, self.model, "change"))


class ScopedDeleteView(generic.DeleteView):
    def get_object(self, queryset=None):
        if getattr(self, "object", None):
            return self.object
        return get_object_or_404(
            scoped_queryset(self.request, self.model, "delete"), pk=self.kwargs[self.pk_url_kwarg]
        )


class CohortEditView(ScopedEditView):
    def save_instance(self):
        cohort = services.save_cohort(self.form.save(commit=False), user=self.request.user)
        self.form.save_m2m()
        return cohort


class CourseEditView(ScopedEditView):
    def save_instance(self):
        course = services.save_course(self.form.save(commit=False), user=self.request.user)
        self.form.save_m2m()
        return course


class EnrolmentDeleteView(ScopedDeleteView):
    """Deleting an enrolment goes through the service that frees her seat."""

    def delete_action(self):
        services.delete_enrolment(self.object, user=self.request.user)


class ScopedInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(scoped_queryset(self.request, self.model, "view"), pk=self.pk)

    @cached_property
    def header_buttons(self):
        # The inspect view is the working page: Edit is one click from it, not under "…".
        if edit_url := self.get_edit_url():
            return [HeaderButton(gettext_lazy("Edit"), url=edit_url, icon_name="edit")]
        return []

    @cached_property
    def header_more_buttons(self):
        return [button for button in super().header_more_buttons if button.url != self.get_edit_url()]

    def get_field_display_value(self, field_name, field):
        # Wagtail's template formats a value with |localize, which writes an aware datetime in
        # UTC (only plain {{ value }} converts to the current time zone) and None as "None".
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return EMPTY_VALUE
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        return value


class ScopedHistoryView(HistoryView):
    # Wagtail asks for add, change or delete; a record's history is a read, open to state officers.
    any_permission_required = ["add", "change", "delete", "view"]

    def get_base_object_queryset(self):
        return scoped_queryset(self.request, self.model, "view")


class ScopedUsageView(UsageView):
    def get_base_object_queryset(self):
        return scoped_queryset(self.request, self.model, "view")


class TraineeViewLogMixin:
    """Every staff read of a trainee's record goes into the audit trail."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        services.log_view(self.object, request.user)
        return response


class TraineeSaveMixin:
    """A trainee's form is saved by services.save_trainee, which records her consent and moves her
    figures with her."""

    def save_instance(self):
        trainee = services.save_trainee(self.form.save(commit=False), user=self.request.user)
        self.form.save_m2m()
        return trainee


class TraineeCreateView(TraineeSaveMixin, ScopedCreateView):
    pass


class TraineeEditView(TraineeSaveMixin, TraineeViewLogMixin, ScopedEditView):
    pass


class TraineeInspectView(TraineeViewLogMixin, ScopedInspectView):
    """Her whole record on one page, with the next actions on it (opening it is audited).

    Training is shown here; the placements app adds her nominations, jobs, businesses and
    follow-ups through the "sakhi_trainee_record" hook (skills never imports placements)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        can_change = policy_registry.get_by_type(Trainee).user_has_permission_for_instance(
            user, "change", self.object
        )
        context["enrolments"] = (
            Enrolment.objects.filter(trainee=self.object)
            .with_attendance()
            .select_related("cohort__course", "cohort__centre")
            .prefetch_related("certificates")
            .order_by("-cohort__start_date", "-pk")
        )
        context["can_change"] = can_change
        context["can_enrol"] = can_change and policy_registry.get_by_type(Enrolment).user_has_permission(
            user, "add"
        )
        context["record_sections"] = [
            section
            for hook in hooks.get_hooks("sakhi_trainee_record")
            if (section := hook(self.object, self.request, can_change)) is not None
        ]
        return context


class EnrolmentCreateView(ScopedCreateView):
    """A single enrolment goes through the same seat-checked service as bulk enrolment."""

    def save_instance(self):
        data = self.form.cleaned_data
        (enrolment,) = services.enrol(
            [data["trainee"]], data["cohort"], user=self.request.user, on=data["enrolled_on"]
        )
        return enrolment

    def form_valid(self, form):
        self.form = form
        try:
            self.object = self.save_instance()
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message(self.object))
        return redirect(self.get_success_url())


class CohortInspectView(ScopedInspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enrolments"] = (
            self.object.enrolments.with_attendance()
            .select_related("trainee")
            .prefetch_related(
                Prefetch("certificates", Certificate.objects.valid(), to_attr="valid_certificates")
            )
            .order_by("trainee__full_name")
        )
        context["sessions"] = self.object.sessions.annotate(
            present=Count("marks", filter=Q(marks__present=True))
        ).order_by("-date")
        context["can_change"] = policy_registry.get_by_type(Cohort).user_has_permission_for_instance(
            self.request.user, "change", self.object
        )
        return context


class ActionView(WagtailAdminTemplateMixin):
    """Base for the tracker's one-screen actions on a record the user may change."""

    model = None
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        queryset = scoped_queryset(request, self.model, "change")
        self.object = get_object_or_404(queryset, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        index = f"{self.model._meta.app_label}_{self.model._meta.model_name}:index"
        return self.breadcrumbs_items + [
            {"url": reverse(index), "label": str(self.model._meta.verbose_name_plural).capitalize()},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context


class RegisterMixin:
    """The register of one cohort on one day: every trainee on it with present/absent, saved in
    one submit. What it shows and who is on it come from the session's day (late joiners)."""

    template_name = "skills/attendance.html"
    header_icon = "tick"

    def get_page_title(self):
        return _("Attendance, %(date)s") % {"date": short_date(self.day)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        marks = dict(self.session.marks.values_list("enrolment_id", "present")) if self.session else {}
        context["rows"] = [
            (enrolment, marks.get(enrolment.pk))
            for enrolment in self.cohort.enrolments.on_register(self.day)
            .with_attendance()
            .select_related("trainee")
            .order_by("trainee__full_name")
        ]
        context["cohort"] = self.cohort
        context["day"] = self.day
        context["session"] = self.session
        context["can_delete"] = self.session is not None and policy_registry.get_by_type(
            CohortSession
        ).user_has_permission_for_instance(self.request.user, "delete", self.session)
        return context

    def post(self, request, *args, **kwargs):
        try:
            _session, present, total = services.take_register(
                self.cohort, self.day, request.POST.getlist("present"), user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(
            request,
            _("Attendance saved: %(present)d of %(total)d present.") % {"present": present, "total": total},
        )
        return redirect(reverse("skills_cohort:inspect", args=[self.cohort.pk]))


class AttendanceView(RegisterMixin, ActionView, TemplateView):
    """The register of a session already taken."""

    model = CohortSession

    def dispatch(self, request, *args, **kwargs):
        queryset = scoped_queryset(request, self.model, "change").select_related("cohort")
        self.session = get_object_or_404(queryset, pk=kwargs["pk"])
        self.cohort, self.day = self.session.cohort, self.session.date
        return super().dispatch(request, *args, **kwargs)


class NewRegisterView(RegisterMixin, ActionView, TemplateView):
    """A blank register for a day without a session: the session is made only when it is saved."""

    model = Cohort

    def dispatch(self, request, *args, **kwargs):
        try:
            self.day = datetime.date.fromisoformat(kwargs["day"])
        except ValueError as error:
            raise Http404 from error
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.cohort, self.session = self.object, None
        taken = CohortSession.objects.filter(cohort=self.cohort, date=self.day).first()
        if taken:
            return redirect(reverse("skills_cohortsession:attendance", args=[taken.pk]))
        try:
            services.check_session_date(self.cohort, self.day)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("skills_cohort:inspect", args=[self.cohort.pk]))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.cohort, self.session = self.object, None
        return super().post(request, *args, **kwargs)


class TakeAttendanceView(ActionView, TemplateView):
    """Open a day's register for a cohort (today's by default). Creates nothing: a session exists
    once its marks are saved, so opening a wrong day by mistake changes nobody's attendance."""

    model = Cohort

    def post(self, request, *args, **kwargs):
        form = RegisterDateForm({"date": request.POST.get("date") or timezone.localdate().isoformat()})
        back = reverse("skills_cohort:inspect", args=[self.object.pk])
        if not form.is_valid():
            messages.error(request, _("That is not a valid date: write it as dd/mm/yyyy."))
            return redirect(back)
        day = form.cleaned_data["date"]
        try:
            services.check_session_date(self.object, day)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back)
        return redirect(reverse("skills_cohort:register", args=[self.object.pk, day.isoformat()]))

    def get(self, request, *args, **kwargs):
        raise PermissionDenied  # a register is opened by POST only


class SessionDeleteView(ScopedDeleteView):
    """Deleting a session taken by mistake goes through the service that audits it."""

    def delete_action(self):
        services.delete_session(self.object, user=self.request.user)

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(
            "skills_cohort:inspect", args=[self.object.cohort_id]
        )


class BulkEnrolView(ActionView, FormView):
    """Enrol women found by name or register number, a page at a time (a centre has thousands)."""

    model = Cohort
    form_class = BulkEnrolmentForm
    template_name = "skills/bulk_enrol.html"

    def get_page_title(self):
        return _("Enrol trainees in %(cohort)s") % {"cohort": self.object}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cohort": self.object, "user": self.request.user}

    def get_initial(self):
        return {"enrolled_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = ngettext(
            "%(left)d of %(capacity)d seat left.",
            "%(left)d of %(capacity)d seats left.",
            self.object.capacity,
        ) % {
            "left": self.object.seats_left,
            "capacity": self.object.capacity,
        }
        context["submit_label"] = _("Enrol the women ticked")
        query = self.request.GET.get("q", "")
        candidates = choosers.with_identifying_details(
            choosers.search_trainees(context["form"].fields["trainees"].queryset, query)
        )
        page = Paginator(candidates, choosers.PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(
            search_query=query,
            candidates=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            table=choosers.trainee_table(page, ticked=context["form"]["trainees"].value() or []),
        )
        return context

    def form_valid(self, form):
        try:
            enrolled = services.enrol(
                form.cleaned_data["trainees"],
                self.object,
                user=self.request.user,
                on=form.cleaned_data["enrolled_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext("%(count)d trainee enrolled.", "%(count)d trainees enrolled.", len(enrolled))
            % {"count": len(enrolled)},
        )
        return redirect(reverse("skills_cohort:inspect", args=[self.object.pk]))


class EnrolmentActionView(ActionView, FormView):
    model = Enrolment
    template_name = "skills/action_form.html"

    def get_initial(self):
        return {self.date_field: timezone.localdate()}

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(reverse("skills_cohort:inspect", args=[self.object.cohort_id]))


class DropOutView(EnrolmentActionView):
    form_class = DropOutForm
    date_field = "dropped_on"
    success_message = gettext_lazy("Dropout recorded; the seat is free again.")

    def get_page_title(self):
        return _("Record dropout: %(enrolment)s") % {"enrolment": self.object}

    def perform(self, data):
        services.drop_out(self.object, data["dropout_reason"], user=self.request.user, on=data["dropped_on"])


class CompleteView(EnrolmentActionView):
    form_class = CompletionForm
    date_field = "completed_on"
    success_message = gettext_lazy("Completion recorded.")

    def get_page_title(self):
        return _("Record completion: %(enrolment)s") % {"enrolment": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrolment = (
            Enrolment.objects.with_attendance().select_related("cohort__course").get(pk=self.object.pk)
        )
        minimum = enrolment.cohort.course.min_attendance_percent
        if enrolment.attendance_percent is None:
            context["intro"] = _(
                "No attendance recorded yet. A certificate needs at least %(minimum)d%%."
            ) % {"minimum": minimum}
        else:
            context["intro"] = _(
                "Attendance %(percent).0f%%; a certificate needs at least %(minimum)d%%."
            ) % {
                "percent": enrolment.attendance_percent,
                "minimum": minimum,
            }
        context["submit_label"] = _("Save")
        return context

    def perform(self, data):
        services.complete(
            self.object,
            passed=data["passed"],
            result=data["assessment_result"],
            early_reason=data["early_completion_reason"],
            user=self.request.user,
            on=data["completed_on"],
        )
