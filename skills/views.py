"""Admin views of the tracker.

The generic views are Wagtail's, narrowed by the models' permission policies so that every
list, export, form, inspect and history view sees only the user's centres. The action views
(attendance, bulk enrolment, dropout, completion) call skills.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from . import services
from .forms import BulkEnrolmentForm, CompletionForm, DropOutForm
from .models import Certificate, Cohort, CohortSession, Enrolment, Trainee, short_date

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Cells that a spreadsheet would run as a formula are stored as text (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def scoped_queryset(request, model, action):
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(request.user, [action])


class ScopedIndexView(generic.IndexView):
    """A list of the records of the user's centres, exportable to CSV and XLSX."""

    list_select_related = ()

    def get_base_queryset(self):
        queryset = scoped_queryset(self.request, self.model, "view")
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def write_csv_row(self, writer, row_dict):
        return super().write_csv_row(
            writer, {field: spreadsheet_safe(value) for field, value in row_dict.items()}
        )

    def stream_csv(self, queryset):
        yield "\ufeff"  # a byte-order mark, so that Excel reads the UTF-8 (Hindi names) correctly
        yield from super().stream_csv(queryset)


class ScopedCreateView(generic.CreateView):
    pass


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


class ScopedInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(scoped_queryset(self.request, self.model, "view"), pk=self.pk)


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


class TraineeConsentMixin:
    """Consent flags change only through services.record_consent, which stamps when and by whom."""

    consent_fields = {
        "consent_share_with_employers": "share_with_employers",
        "consent_follow_up": "follow_up",
    }

    def save_instance(self):
        instance = self.form.save(commit=False)
        wanted = {field: getattr(instance, field) for field in self.consent_fields}
        is_new = instance.pk is None
        if not is_new:
            previous = Trainee.objects.get(pk=instance.pk)
            for field in self.consent_fields:
                setattr(instance, field, getattr(previous, field))
        else:
            for field in self.consent_fields:
                setattr(instance, field, False)
        instance.save()
        self.form.save_m2m()
        log(instance=instance, action="wagtail.create" if is_new else "wagtail.edit", user=self.request.user)
        services.record_consent(
            instance,
            **{arg: wanted[field] for field, arg in self.consent_fields.items()},
            user=self.request.user,
        )
        instance.refresh_from_db()
        return instance


class TraineeCreateView(TraineeConsentMixin, ScopedCreateView):
    pass


class TraineeEditView(TraineeConsentMixin, TraineeViewLogMixin, ScopedEditView):
    pass


class TraineeInspectView(TraineeViewLogMixin, ScopedInspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enrolments"] = (
            Enrolment.objects.filter(trainee=self.object)
            .with_attendance()
            .select_related("cohort__course", "cohort__centre")
        )
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


class AttendanceView(ActionView, TemplateView):
    """The register of one session: every trainee with present/absent, saved in one submit."""

    model = CohortSession
    template_name = "skills/attendance.html"
    header_icon = "tick"

    def get_page_title(self):
        return _("Attendance, %(date)s") % {"date": short_date(self.object.date)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        marks = dict(self.object.marks.values_list("enrolment_id", "present"))
        context["rows"] = [
            (enrolment, marks.get(enrolment.pk))
            for enrolment in self.object.cohort.enrolments.holding_seats()
            .with_attendance()
            .select_related("trainee")
            .order_by("trainee__full_name")
        ]
        context["cohort"] = self.object.cohort
        return context

    def post(self, request, *args, **kwargs):
        try:
            present, total = services.record_attendance(
                self.object, request.POST.getlist("present"), user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(
            request,
            _("Attendance saved: %(present)d of %(total)d present.") % {"present": present, "total": total},
        )
        return redirect(reverse("skills_cohort:inspect", args=[self.object.cohort_id]))


class TakeAttendanceView(ActionView, TemplateView):
    """Open today's (or a given day's) register for a cohort, creating the session if needed."""

    model = Cohort

    def post(self, request, *args, **kwargs):
        day = request.POST.get("date") or timezone.localdate().isoformat()
        try:
            session, _created = CohortSession.objects.get_or_create(cohort=self.object, date=day)
        except (ValidationError, ValueError):
            messages.error(request, _("That is not a valid date."))
            return redirect(reverse("skills_cohort:inspect", args=[self.object.pk]))
        return redirect(reverse("skills_attendance", args=[session.pk]))

    def get(self, request, *args, **kwargs):
        raise PermissionDenied  # a register is opened by POST only


class BulkEnrolView(ActionView, FormView):
    model = Cohort
    form_class = BulkEnrolmentForm
    template_name = "skills/action_form.html"

    def get_page_title(self):
        return _("Enrol trainees in %(cohort)s") % {"cohort": self.object}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cohort": self.object}

    def get_initial(self):
        return {"enrolled_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = _("%(left)d of %(capacity)d seats left.") % {
            "left": self.object.seats_left,
            "capacity": self.object.capacity,
        }
        context["submit_label"] = _("Enrol")
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
        messages.success(self.request, _("%(count)d trainees enrolled.") % {"count": len(enrolled)})
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
            user=self.request.user,
            on=data["completed_on"],
        )
