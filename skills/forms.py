from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Enrolment, Trainee
from .permissions import centres_changeable_by


class CentreScopedForm(WagtailAdminModelForm):
    """Offers, in every centre, cohort and trainee field, only what the user may change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        centres = centres_changeable_by(self.for_user)
        scopes = {
            "centre": lambda qs: qs.filter(pk__in=centres),
            "cohort": lambda qs: qs.filter(centre__in=centres).select_related("course", "centre"),
            "trainee": lambda qs: qs.filter(centre__in=centres),
        }
        for name, scope in scopes.items():
            if name in self.fields:
                self.fields[name].queryset = scope(self.fields[name].queryset)

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


class BulkEnrolmentForm(forms.Form):
    trainees = forms.ModelMultipleChoiceField(
        queryset=Trainee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Trainees to enrol"),
    )
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainees"].queryset = (
            Trainee.objects.filter(centre=cohort.centre)
            .exclude(enrolments__cohort=cohort)
            .order_by("full_name")
        )


class DropOutForm(forms.Form):
    dropout_reason = forms.CharField(label=_("Reason"), max_length=200)
    dropped_on = forms.DateField(label=_("Dropped on"), widget=forms.DateInput(attrs={"type": "date"}))


class CompletionForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Assessment"),
        choices=[("1", _("Passed: completed")), ("0", _("Not passed"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    assessment_result = forms.CharField(label=_("Result (grade or marks)"), max_length=60, required=False)
    completed_on = forms.DateField(label=_("Completed on"), widget=forms.DateInput(attrs={"type": "date"}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
