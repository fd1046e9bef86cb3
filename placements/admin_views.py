"""Placements admin actions: review employers and vacancies, nominate, confirm a hire, follow up."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from core.forms import CleanTextMixin
from skills.models import Trainee
from skills.views import ActionView, ScopedCreateView, ScopedDeleteView, ScopedEditView

from . import services
from .choosers import nominable_by, nominee_chooser
from .models import Employer, FollowUp, Nomination, Placement, Vacancy


class ReviewEmployerView(ActionView, View):
    model = Employer

    def post(self, request, *args, **kwargs):
        status = request.POST.get("status")
        try:
            services.review_employer(self.object, status, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(employer)s is now %(status)s.")
                % {"employer": self.object, "status": self.object.get_status_display().lower()},
            )
        return redirect(reverse("placements_employer:index"))

    def get(self, request, *args, **kwargs):
        raise PermissionDenied


class RejectForm(CleanTextMixin, forms.Form):
    rejection_reason = forms.CharField(
        label=gettext_lazy("Reason (the employer sees it)"), max_length=300, widget=forms.Textarea
    )


class PublishVacancyView(ActionView, View):
    model = Vacancy

    def post(self, request, *args, **kwargs):
        try:
            services.publish_vacancy(self.object, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Published: %(vacancy)s") % {"vacancy": self.object.title})
        return redirect(reverse("placements_vacancy:index"))

    def get(self, request, *args, **kwargs):
        raise PermissionDenied


class RejectVacancyView(ActionView, FormView):
    model = Vacancy
    form_class = RejectForm
    template_name = "skills/action_form.html"

    def get_page_title(self):
        return _("Reject vacancy: %(vacancy)s") % {"vacancy": self.object.title}

    def form_valid(self, form):
        try:
            services.reject_vacancy(
                self.object, form.cleaned_data["rejection_reason"], user=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Rejected; the employer sees your reason."))
        return redirect(reverse("placements_vacancy:index"))


class WithdrawNominationView(ActionView, View):
    model = Nomination

    def post(self, request, *args, **kwargs):
        services.withdraw_nomination(self.object, user=request.user)
        messages.success(request, _("Nomination withdrawn; the employer no longer sees her."))
        return redirect(reverse("placements_nomination:index"))

    def get(self, request, *args, **kwargs):
        raise PermissionDenied


class PlacementForm(CleanTextMixin, WagtailAdminModelForm):
    class Meta:
        model = Placement
        fields = [
            "employer",
            "employer_name",
            "job_title",
            "monthly_pay",
            "start_date",
            "end_date",
            "evidence",
        ]
        widgets = {
            "start_date": AdminDateInput,
            "end_date": AdminDateInput,
        }


class ConfirmHireView(ActionView, FormView):
    """ "Hired" proposes a placement pre-filled from the vacancy; the coordinator confirms it."""

    model = Nomination
    form_class = PlacementForm
    template_name = "skills/action_form.html"

    def get_page_title(self):
        return _("Confirm the placement of %(name)s") % {"name": self.object.trainee.full_name}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        existing = getattr(self.object, "placement", None)
        kwargs["instance"] = existing or services.proposed_placement(self.object)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = _("Check the details from the vacancy and correct them if the job differs.")
        context["submit_label"] = _("Confirm placement")
        context["form_is_multipart"] = True
        return context

    def form_valid(self, form):
        placement = form.save(commit=False)
        placement.trainee = self.object.trainee
        placement.nomination = self.object
        try:
            services.record_outcome(placement, user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Placement recorded; follow-ups are due at 3, 6 and 12 months."))
        return redirect(reverse("placements_placement:index"))


class FollowUpForm(forms.Form):
    result = forms.ChoiceField(
        choices=FollowUp.Result.choices, label=gettext_lazy("Result"), widget=forms.RadioSelect
    )
    monthly_income = forms.IntegerField(
        label=gettext_lazy("Monthly income now (₹)"), min_value=0, required=False
    )
    done_on = forms.DateField(label=gettext_lazy("Date of the follow-up"), widget=AdminDateInput)


class RecordFollowUpView(ActionView, FormView):
    """The follow-up screen: her safety instructions first, then the result."""

    model = FollowUp
    form_class = FollowUpForm
    template_name = "placements/follow_up.html"

    def get_page_title(self):
        return _("Follow-up at %(months)d months") % {"months": self.object.months}

    def get_initial(self):
        return {"done_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["trainee"] = self.object.trainee
        context["outcome"] = self.object.outcome
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        services.record_follow_up(
            self.object,
            result=data["result"],
            monthly_income=data["monthly_income"],
            on=data["done_on"],
            user=self.request.user,
        )
        messages.success(self.request, _("Follow-up recorded."))
        # Back to the dashboard's list of follow-ups due, the next one to call; the full list
        # starts with the oldest (2016).
        return redirect(reverse("wagtailadmin_home"))


def follow_ups_due_this_week(user):
    week_end = timezone.localdate() + datetime.timedelta(days=6 - timezone.localdate().weekday())
    return FollowUp.objects.due_by(week_end).for_user(user, "change")


class NominationCreateForm(WagtailAdminModelForm):
    """Only consenting adult trainees of the user's centres, only open vacancies."""

    class Meta:
        model = Nomination
        fields = ["trainee", "vacancy"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Chosen by search in a modal (thousands of trainees); the queryset only validates the choice.
        self.fields["trainee"].widget = nominee_chooser.widget_class()
        self.fields["trainee"].queryset = (
            nominable_by(self.for_user) if self.for_user else Trainee.objects.none()
        )
        self.fields["vacancy"].queryset = Vacancy.objects.published().select_related("employer")


class NominationCreateView(ScopedCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.nominate(data["trainee"], data["vacancy"], user=self.request.user)

    def form_valid(self, form):
        self.form = form
        try:
            self.object = self.save_instance()
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Nominated."))
        return redirect(self.get_success_url())


class RecordOutcomeMixin:
    """Placements and self-employment saved in the admin, new or edited, go through
    services.record_outcome: follow-ups scheduled, summaries rewritten."""

    def save_instance(self):
        outcome = services.record_outcome(self.form.save(commit=False), user=self.request.user)
        self.form.save_m2m()
        return outcome


class OutcomeCreateView(RecordOutcomeMixin, ScopedCreateView):
    pass


class OutcomeEditView(RecordOutcomeMixin, ScopedEditView):
    pass


class OutcomeDeleteView(ScopedDeleteView):
    def delete_action(self):
        services.delete_outcome(self.object, user=self.request.user)


class EvidenceDownloadView(View):
    """A placement's evidence document, from private storage, for staff who may see her record."""

    def get(self, request, pk):
        from django.http import Http404
        from django.shortcuts import get_object_or_404

        from skills.storage import private_file_response
        from skills.views import scoped_queryset

        placement = get_object_or_404(scoped_queryset(request, Placement, "view"), pk=pk)
        if not placement.evidence:
            raise Http404
        return private_file_response(
            request, placement, placement.evidence, action="sakhi.view", data={"file": "evidence"}
        )
