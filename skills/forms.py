from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from core.forms import CleanTextMixin

from .choosers import trainee_chooser, trainees_user_may_change
from .models import Enrolment, Trainee
from .permissions import centres_changeable_by


class CentreScopedForm(CleanTextMixin, WagtailAdminModelForm):
    """Offers, in every centre, cohort and trainee field, only what the user may change; its
    text is cleaned of control characters (core.forms)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        scopes = {
            "centre": lambda qs: qs.for_user(self.for_user, "change"),
            "cohort": lambda qs: qs.for_user(self.for_user, "change").select_related("course", "centre"),
            "trainee": lambda qs: qs.for_user(self.for_user, "change"),
        }
        for name, scope in scopes.items():
            if name in self.fields:
                self.fields[name].queryset = scope(self.fields[name].queryset)
        if "centre" in self.fields and self.instance.pk is None and not self.is_bound:
            # A coordinator of one centre records everything there: choose it for her.
            only = list(self.fields["centre"].queryset.values_list("pk", flat=True)[:2])
            if len(only) == 1:
                self.initial.setdefault("centre", only[0])

    def clean(self):
        # A second line of defence behind the narrowed choices: the record must end up in a
        # centre the user may change.
        cleaned = super().clean()
        if self.for_user is not None and not self.errors:
            for name, value in cleaned.items():
                if name in ("centre", "cohort", "trainee") and value is not None:
                    self.instance_centre_check(centre_id_of_value(name, value))
        return cleaned

    def instance_centre_check(self, centre_id):
        if centre_id is not None and not centres_changeable_by(self.for_user).filter(pk=centre_id).exists():
            raise forms.ValidationError(_("You can only record this for your own centres."))


def centre_id_of_value(name, value):
    return value.pk if name == "centre" else value.centre_id


class EnrolmentCreateForm(CentreScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "cohort" in self.fields:
            self.fields["cohort"].queryset = self.fields["cohort"].queryset.open_for_enrolment()

    class Meta:
        model = Enrolment
        fields = ["trainee", "cohort", "enrolled_on"]
        widgets = {"trainee": trainee_chooser.widget_class}


class BulkEnrolmentForm(forms.Form):
    # The page lists the candidates a page at a time (skills/bulk_enrol.html); the field only
    # validates what was ticked, so it never renders thousands of choices.
    trainees = forms.ModelMultipleChoiceField(
        queryset=Trainee.objects.none(),
        widget=forms.MultipleHiddenInput,
        label=_("Trainees to enrol"),
        error_messages={"required": _("Tick at least one woman to enrol.")},
    )
    # Wagtail's date picker writes and reads dd/mm/yyyy (a browser's type="date" input empties
    # any value that is not yyyy-mm-dd).
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=AdminDateInput)

    def __init__(self, *args, cohort, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainees"].queryset = (
            trainees_user_may_change(user)
            .filter(centre=cohort.centre)
            .exclude(enrolments__cohort=cohort)
            .order_by("full_name", "id")
        )


class DropOutForm(CleanTextMixin, forms.Form):
    dropout_reason = forms.CharField(label=_("Reason"), max_length=200)
    dropped_on = forms.DateField(label=_("Dropped on"), widget=AdminDateInput)


class CompletionForm(CleanTextMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Assessment"),
        choices=[("1", _("Passed: completed")), ("0", _("Not passed"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    assessment_result = forms.CharField(label=_("Result (grade or marks)"), max_length=60, required=False)
    completed_on = forms.DateField(label=_("Completed on"), widget=AdminDateInput)
    early_completion_reason = forms.CharField(
        label=_("Reason for completing before the cohort ends"),
        max_length=200,
        required=False,
        help_text=_("Only when she completes before the cohort's end date, e.g. she found work."),
    )


class RegisterDateForm(forms.Form):
    """The day whose register a coordinator opens (a browser's date input sends yyyy-mm-dd)."""

    date = forms.DateField(label=_("Register for"))


class RevokeForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
